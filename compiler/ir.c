// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * The middle of the pipeline, through the LLVM-C API: read clang's
 * bitcode, describe the kernels, link the builtin library, give every
 * kernel an entry point, optimize, emit an RV64 object.
 */
#define _GNU_SOURCE
#include "internal.h"
#include "llvm.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/Comdat.h>
#include <llvm-c/Core.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

/* llvm::CallingConv numbers that LLVMCallConv does not name. */
#define CC_SPIR_FUNC 75
#define CC_SPIR_KERNEL 76

/* OpenCL address spaces under -ffake-address-space-map. */
#define AS_GLOBAL 1
#define AS_CONSTANT 2
#define AS_LOCAL 3

/* CL_KERNEL_ARG_* values of CL/cl.h. */
#define CL_ACCESS_READ_ONLY 0x11A0
#define CL_ACCESS_WRITE_ONLY 0x11A1
#define CL_ACCESS_READ_WRITE 0x11A2
#define CL_ACCESS_NONE 0x11A3
#define CL_TYPE_CONST 1
#define CL_TYPE_RESTRICT 2
#define CL_TYPE_VOLATILE 4
#define CL_TYPE_PIPE 8

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_llvm(void)
{
	LLVMInitializeRISCVTargetInfo();
	LLVMInitializeRISCVTarget();
	LLVMInitializeRISCVTargetMC();
	LLVMInitializeRISCVAsmPrinter();
	LLVMInitializeRISCVAsmParser();
}

int ir_init(struct vsvm_cc *cc)
{
	LLVMTargetRef t;
	char *msg = NULL;

	pthread_once(&init_once, init_llvm);
	if (LLVMGetTargetFromTriple(VSVM_CC_TRIPLE, &t, &msg)) {
		int ret = cc_fail(cc, -ENOENT, "vsvm_cc_new: LLVM has no RISC-V target: %s",
				  msg ? msg : "");
		LLVMDisposeMessage(msg);
		return ret;
	}
	cc->target = t;
	return 0;
}

struct ir {
	struct build *b;
	LLVMContextRef ctx;
	LLVMModuleRef m;
	LLVMTargetDataRef td;
	LLVMValueRef *kfns;	/* the kernel functions, prog->num_kernels */
};

static LLVMValueRef fn_md(struct ir *ir, LLVMValueRef f, const char *kind)
{
	unsigned int id = LLVMGetMDKindIDInContext(ir->ctx, kind, (unsigned int)strlen(kind));
	LLVMValueMetadataEntry *e;
	LLVMValueRef v = NULL;
	size_t n, i;

	e = LLVMGlobalCopyAllMetadata(f, &n);
	for (i = 0; i < n; i++)
		if (LLVMValueMetadataEntriesGetKind(e, (unsigned int)i) == id)
			v = LLVMMetadataAsValue(ir->ctx,
						LLVMValueMetadataEntriesGetMetadata(e, (unsigned int)i));
	if (e)
		LLVMDisposeValueMetadataEntries(e);
	return v;
}

/* Operand @i of metadata node @node as a string, "" when not one. */
static const char *md_str(LLVMValueRef node, unsigned int i, char *buf, size_t size)
{
	LLVMValueRef ops[64];
	const char *s;
	unsigned int len, n;

	buf[0] = 0;
	if (!node)
		return buf;
	n = LLVMGetMDNodeNumOperands(node);
	if (i >= n || n > ARRAY_SIZE(ops))
		return buf;
	LLVMGetMDNodeOperands(node, ops);
	if (!ops[i])
		return buf;
	s = LLVMGetMDString(ops[i], &len);
	if (s)
		snprintf(buf, size, "%.*s", (int)len, s);
	return buf;
}

static uint64_t md_int(LLVMValueRef node, unsigned int i)
{
	LLVMValueRef ops[16];
	unsigned int n;

	if (!node)
		return 0;
	n = LLVMGetMDNodeNumOperands(node);
	if (i >= n || n > ARRAY_SIZE(ops))
		return 0;
	LLVMGetMDNodeOperands(node, ops);
	if (!ops[i] || !LLVMIsAConstantInt(ops[i]))
		return 0;
	return LLVMConstIntGetZExtValue(ops[i]);
}

static unsigned int attr_kind(const char *name)
{
	return LLVMGetEnumAttributeKindForName(name, strlen(name));
}

static const char *ir_type_name(LLVMTypeRef t, char *buf, size_t size)
{
	switch (LLVMGetTypeKind(t)) {
	case LLVMIntegerTypeKind:
		switch (LLVMGetIntTypeWidth(t)) {
		case 8: return "char";
		case 16: return "short";
		case 32: return "int";
		case 64: return "long";
		}
		break;
	case LLVMFloatTypeKind:
		return "float";
	case LLVMDoubleTypeKind:
		return "double";
	case LLVMPointerTypeKind:
		return "void*";
	default:
		break;
	}
	snprintf(buf, size, "%s", "");
	return buf;
}

static uint32_t type_quals(const char *s, unsigned int as)
{
	uint32_t q = 0;

	if (strstr(s, "const"))
		q |= CL_TYPE_CONST;
	if (strstr(s, "restrict"))
		q |= CL_TYPE_RESTRICT;
	if (strstr(s, "volatile"))
		q |= CL_TYPE_VOLATILE;
	if (strstr(s, "pipe"))
		q |= CL_TYPE_PIPE;
	/* The spec reports __constant pointees as const. */
	if (as == AS_CONSTANT)
		q |= CL_TYPE_CONST;
	return q;
}

static uint32_t access_qual(const char *s)
{
	if (!strcmp(s, "read_only"))
		return CL_ACCESS_READ_ONLY;
	if (!strcmp(s, "write_only"))
		return CL_ACCESS_WRITE_ONLY;
	if (!strcmp(s, "read_write"))
		return CL_ACCESS_READ_WRITE;
	return CL_ACCESS_NONE;
}

static void vec_hint_name(LLVMValueRef node, char *buf, size_t size)
{
	LLVMValueRef ops[2];
	LLVMTypeRef t, e;
	const char *base = "";
	unsigned int n = 1;
	int sgn;

	buf[0] = 0;
	if (!node || LLVMGetMDNodeNumOperands(node) != 2)
		return;
	LLVMGetMDNodeOperands(node, ops);
	if (!ops[0])
		return;
	t = LLVMTypeOf(ops[0]);
	sgn = (int)md_int(node, 1);
	e = t;
	if (LLVMGetTypeKind(t) == LLVMVectorTypeKind) {
		n = LLVMGetVectorSize(t);
		e = LLVMGetElementType(t);
	}
	switch (LLVMGetTypeKind(e)) {
	case LLVMIntegerTypeKind:
		switch (LLVMGetIntTypeWidth(e)) {
		case 8: base = sgn ? "char" : "uchar"; break;
		case 16: base = sgn ? "short" : "ushort"; break;
		case 32: base = sgn ? "int" : "uint"; break;
		case 64: base = sgn ? "long" : "ulong"; break;
		}
		break;
	case LLVMHalfTypeKind: base = "half"; break;
	case LLVMFloatTypeKind: base = "float"; break;
	case LLVMDoubleTypeKind: base = "double"; break;
	default: break;
	}
	if (n > 1)
		snprintf(buf, size, "%s%u", base, n);
	else
		snprintf(buf, size, "%s", base);
}

/* Fills @k (and its args) from kernel function @f. */
static int describe_kernel(struct ir *ir, LLVMValueRef f, struct vsvm_cc_kernel *k)
{
	struct vsvm_cc_program *prog = ir->b->prog;
	int ocl = ir->b->lang == VSVM_CC_OPENCL_C;
	LLVMValueRef md_as = NULL, md_acc = NULL, md_type = NULL, md_qual = NULL, md_name = NULL;
	LLVMValueRef md;
	struct vsvm_cc_arg *args;
	unsigned int n = LLVMCountParams(f), i;
	uint32_t off = 0, kalign = 8;
	struct sbuf attrs;
	size_t len;
	char buf[256];

	k->name = prog_strdup(prog, LLVMGetValueName2(f, &len));
	if (ocl) {
		md_as = fn_md(ir, f, "kernel_arg_addr_space");
		md_acc = fn_md(ir, f, "kernel_arg_access_qual");
		md_type = fn_md(ir, f, "kernel_arg_type");
		md_qual = fn_md(ir, f, "kernel_arg_type_qual");
		md_name = fn_md(ir, f, "kernel_arg_name");
	}
	args = prog_own(prog, calloc(n ? n : 1, sizeof(*args)));
	if (!args || !k->name)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct vsvm_cc_arg *a = &args[i];
		LLVMTypeRef t = LLVMTypeOf(LLVMGetParam(f, i));
		LLVMAttributeRef byval = LLVMGetEnumAttributeAtIndex(f, i + 1, attr_kind("byval"));
		unsigned int as = 0;

		if (byval) {
			LLVMTypeRef bt = LLVMGetTypeAttributeValue(byval);
			LLVMAttributeRef al = LLVMGetEnumAttributeAtIndex(f, i + 1, attr_kind("align"));

			a->kind = VSVM_CC_ARG_VALUE;
			a->size = (uint32_t)LLVMABISizeOfType(ir->td, bt);
			a->align = LLVMABIAlignmentOfType(ir->td, bt);
			if (al && LLVMGetEnumAttributeValue(al) > a->align)
				a->align = (uint32_t)LLVMGetEnumAttributeValue(al);
		} else if (LLVMGetTypeKind(t) == LLVMPointerTypeKind) {
			as = ocl ? (unsigned int)md_int(md_as, i) : 0;
			a->kind = as == AS_LOCAL ? VSVM_CC_ARG_LOCAL :
				  as == AS_CONSTANT ? VSVM_CC_ARG_CONSTANT : VSVM_CC_ARG_GLOBAL;
			a->size = 8;
			a->align = 8;
		} else {
			a->kind = VSVM_CC_ARG_VALUE;
			a->size = (uint32_t)LLVMABISizeOfType(ir->td, t);
			a->align = LLVMABIAlignmentOfType(ir->td, t);
		}
		if (!a->align)
			a->align = 1;
		off = ALIGN_UP(off, a->align);
		a->offset = off;
		off += a->size;
		if (a->align > kalign)
			kalign = a->align;
		a->name = prog_strdup(prog, md_str(md_name, i, buf, sizeof(buf)));
		if (ocl)
			a->type_name = prog_strdup(prog, md_str(md_type, i, buf, sizeof(buf)));
		else
			a->type_name = prog_strdup(prog, ir_type_name(t, buf, sizeof(buf)));
		a->access_qual = access_qual(md_str(md_acc, i, buf, sizeof(buf)));
		a->type_qual = type_quals(md_str(md_qual, i, buf, sizeof(buf)), as);
		if (!a->name || !a->type_name)
			return -ENOMEM;
	}
	k->num_args = n;
	k->args = args;
	k->kernarg_align = kalign;
	k->kernarg_size = ALIGN_UP(off, kalign);

	sb_init(&attrs);
	md = fn_md(ir, f, "reqd_work_group_size");
	if (md) {
		for (i = 0; i < 3; i++)
			k->reqd_work_group_size[i] = (uint32_t)md_int(md, i);
		sb_printf(&attrs, "reqd_work_group_size(%u,%u,%u)", k->reqd_work_group_size[0],
			  k->reqd_work_group_size[1], k->reqd_work_group_size[2]);
	}
	md = fn_md(ir, f, "work_group_size_hint");
	if (md) {
		for (i = 0; i < 3; i++)
			k->work_group_size_hint[i] = (uint32_t)md_int(md, i);
		sb_printf(&attrs, "%swork_group_size_hint(%u,%u,%u)", attrs.len ? " " : "",
			  k->work_group_size_hint[0], k->work_group_size_hint[1],
			  k->work_group_size_hint[2]);
	}
	md = fn_md(ir, f, "vec_type_hint");
	if (md) {
		vec_hint_name(md, buf, sizeof(buf));
		sb_printf(&attrs, "%svec_type_hint(%s)", attrs.len ? " " : "", buf);
	}
	k->attributes = prog_own(prog, sb_take(&attrs));
	return k->attributes ? 0 : -ENOMEM;
}

static int add_kernel(struct ir *ir, LLVMValueRef f)
{
	struct vsvm_cc_program *prog = ir->b->prog;
	struct vsvm_cc_kernel *k;
	LLVMValueRef *fns;
	unsigned int i;
	size_t len;

	for (i = 0; i < prog->num_kernels; i++)
		if (ir->kfns[i] == f)
			return 0;
	k = realloc(prog->kernels, (prog->num_kernels + 1) * sizeof(*k));
	if (!k)
		return -ENOMEM;
	prog->kernels = k;
	fns = realloc(ir->kfns, (prog->num_kernels + 1) * sizeof(*fns));
	if (!fns)
		return -ENOMEM;
	ir->kfns = fns;
	if (strlen(LLVMGetValueName2(f, &len)) > 200)
		return build_fail(ir->b, "kernels: name of %.40s... too long", LLVMGetValueName2(f, &len));
	fns[prog->num_kernels] = f;
	k = &prog->kernels[prog->num_kernels++];
	memset(k, 0, sizeof(*k));
	return describe_kernel(ir, f, k);
}

/* C sources: functions annotated "vsvm_kernel" are the kernels. */
static int find_c_kernels(struct ir *ir)
{
	LLVMValueRef g = LLVMGetNamedGlobal(ir->m, "llvm.global.annotations");
	LLVMValueRef init;
	int i, n, ret;

	if (!g)
		return 0;
	init = LLVMGetInitializer(g);
	n = init ? LLVMGetNumOperands(init) : 0;
	for (i = 0; i < n; i++) {
		LLVMValueRef e = LLVMGetOperand(init, (unsigned int)i);
		LLVMValueRef fn, str, sinit;
		const char *s;
		size_t len;

		if (LLVMGetNumOperands(e) < 2)
			continue;
		fn = LLVMGetOperand(e, 0);
		str = LLVMGetOperand(e, 1);
		if (!LLVMIsAFunction(fn) || !LLVMIsAGlobalVariable(str))
			continue;
		sinit = LLVMGetInitializer(str);
		if (!sinit || !LLVMIsAConstantDataSequential(sinit))
			continue;
		s = LLVMGetAsString(sinit, &len);
		if (len < 11 || strncmp(s, "vsvm_kernel", 11) || (len > 11 && s[11]))
			continue;
		ret = add_kernel(ir, fn);
		if (ret)
			return ret;
	}
	LLVMDeleteGlobal(g);
	return 0;
}

static int find_kernels(struct ir *ir)
{
	LLVMValueRef f;
	int ret;

	if (ir->b->lang == VSVM_CC_C)
		return find_c_kernels(ir);
	for (f = LLVMGetFirstFunction(ir->m); f; f = LLVMGetNextFunction(f)) {
		if (LLVMIsDeclaration(f) || LLVMGetFunctionCallConv(f) != CC_SPIR_KERNEL)
			continue;
		ret = add_kernel(ir, f);
		if (ret)
			return ret;
	}
	return 0;
}

/* CL_PROGRAM_BUILD_GLOBAL_VARIABLE_TOTAL_SIZE: the program's own globals. */
static size_t global_size(struct ir *ir)
{
	int ocl = ir->b->lang == VSVM_CC_OPENCL_C;
	LLVMValueRef g;
	size_t sum = 0;

	for (g = LLVMGetFirstGlobal(ir->m); g; g = LLVMGetNextGlobal(g)) {
		LLVMTypeRef t = LLVMGlobalGetValueType(g);
		size_t len;

		if (LLVMIsDeclaration(g) || !strncmp(LLVMGetValueName2(g, &len), "llvm.", 5))
			continue;
		if (ocl ? LLVMGetPointerAddressSpace(LLVMTypeOf(g)) != AS_GLOBAL :
			  LLVMIsGlobalConstant(g))
			continue;
		sum += LLVMABISizeOfType(ir->td, t);
	}
	return sum;
}

/* The builtin library, parsed lazily: linking pulls in what is used. */
static int link_builtins(struct ir *ir)
{
	LLVMMemoryBufferRef buf;
	LLVMModuleRef lib;
	LLVMValueRef f, g;

	buf = LLVMCreateMemoryBufferWithMemoryRange((const char *)vsvm_cc_builtins_bc,
						    (size_t)(vsvm_cc_builtins_bc_end - vsvm_cc_builtins_bc),
						    "builtins.bc", 0);
	if (!buf)
		return -ENOMEM;
	if (LLVMGetBitcodeModuleInContext2(ir->ctx, buf, &lib)) {
		LLVMDisposeMemoryBuffer(buf);
		return cc_fail(ir->b->cc, -EIO, "builtins: cannot read the embedded library");
	}
	for (f = LLVMGetFirstFunction(lib); f; f = LLVMGetNextFunction(f))
		if (!LLVMIsDeclaration(f) && LLVMGetLinkage(f) == LLVMExternalLinkage)
			LLVMSetLinkage(f, LLVMLinkOnceODRLinkage);
	for (g = LLVMGetFirstGlobal(lib); g; g = LLVMGetNextGlobal(g))
		if (!LLVMIsDeclaration(g) && LLVMGetLinkage(g) == LLVMExternalLinkage)
			LLVMSetLinkage(g, LLVMLinkOnceODRLinkage);
	/* The module owns the buffer now; linking consumes the module. */
	if (LLVMLinkModules2(ir->m, lib))
		return build_fail(ir->b, "builtins: linking the builtin library failed");
	return 0;
}

/* spir_kernel/spir_func are unknown to the RISC-V backend: use C. */
static void rewrite_calling_conv(struct ir *ir)
{
	LLVMValueRef f, bb, in;

	for (f = LLVMGetFirstFunction(ir->m); f; f = LLVMGetNextFunction(f)) {
		if (LLVMGetFunctionCallConv(f) == CC_SPIR_FUNC ||
		    LLVMGetFunctionCallConv(f) == CC_SPIR_KERNEL)
			LLVMSetFunctionCallConv(f, LLVMCCallConv);
		for (bb = (LLVMValueRef)LLVMGetFirstBasicBlock(f); bb;
		     bb = (LLVMValueRef)LLVMGetNextBasicBlock((LLVMBasicBlockRef)bb)) {
			for (in = LLVMGetFirstInstruction((LLVMBasicBlockRef)bb); in;
			     in = LLVMGetNextInstruction(in)) {
				if (!LLVMIsACallInst(in) && !LLVMIsAInvokeInst(in))
					continue;
				if (LLVMGetInstructionCallConv(in) == CC_SPIR_FUNC ||
				    LLVMGetInstructionCallConv(in) == CC_SPIR_KERNEL)
					LLVMSetInstructionCallConv(in, LLVMCCallConv);
			}
		}
	}
}

static void make_entry(struct ir *ir, unsigned int idx)
{
	struct vsvm_cc_kernel *k = &ir->b->prog->kernels[idx];
	LLVMValueRef f = ir->kfns[idx];
	LLVMTypeRef ptr = LLVMPointerTypeInContext(ir->ctx, 0);
	LLVMTypeRef i8 = LLVMInt8TypeInContext(ir->ctx);
	LLVMTypeRef i64 = LLVMInt64TypeInContext(ir->ctx);
	LLVMTypeRef fty = LLVMFunctionType(LLVMVoidTypeInContext(ir->ctx), &ptr, 1, 0);
	LLVMValueRef e, kp, call, *args;
	LLVMBuilderRef bld;
	unsigned int i, na;
	char name[256];

	snprintf(name, sizeof(name), VSVM_CC_ENTRY_PREFIX "%s", k->name);
	e = LLVMAddFunction(ir->m, name, fty);
	LLVMSetSection(e, VSVM_CC_ENTRY_SECTION);
	LLVMAddAttributeAtIndex(e, LLVMAttributeFunctionIndex,
				LLVMCreateEnumAttribute(ir->ctx, attr_kind("nounwind"), 0));
	kp = LLVMGetParam(e, 0);
	/* The runtime aligns the block: byval copies become word loads. */
	LLVMAddAttributeAtIndex(e, 1, LLVMCreateEnumAttribute(ir->ctx, attr_kind("align"),
							      k->kernarg_align));
	if (k->kernarg_size)
		LLVMAddAttributeAtIndex(e, 1, LLVMCreateEnumAttribute(ir->ctx,
					attr_kind("dereferenceable"), k->kernarg_size));
	bld = LLVMCreateBuilderInContext(ir->ctx);
	LLVMPositionBuilderAtEnd(bld, LLVMAppendBasicBlockInContext(ir->ctx, e, "entry"));
	args = calloc(k->num_args ? k->num_args : 1, sizeof(*args));
	for (i = 0; args && i < k->num_args; i++) {
		LLVMValueRef off = LLVMConstInt(i64, k->args[i].offset, 0);
		LLVMValueRef p = LLVMBuildInBoundsGEP2(bld, i8, kp, &off, 1, "");

		if (LLVMGetEnumAttributeAtIndex(f, i + 1, attr_kind("byval"))) {
			args[i] = p;
		} else {
			args[i] = LLVMBuildLoad2(bld, LLVMTypeOf(LLVMGetParam(f, i)), p, "");
			LLVMSetAlignment(args[i], k->args[i].align);
		}
	}
	call = LLVMBuildCall2(bld, LLVMGlobalGetValueType(f), f, args, args ? k->num_args : 0, "");
	LLVMSetInstructionCallConv(call, LLVMCCallConv);
	/* The call site carries the parameter attributes (byval, signext...). */
	for (i = 0; args && i < k->num_args; i++) {
		LLVMAttributeRef at[32];

		na = LLVMGetAttributeCountAtIndex(f, i + 1);
		if (na > ARRAY_SIZE(at))
			continue;
		LLVMGetAttributesAtIndex(f, i + 1, at);
		while (na--)
			LLVMAddCallSiteAttribute(call, i + 1, at[na]);
	}
	LLVMBuildRetVoid(bld);
	LLVMDisposeBuilder(bld);
	free(args);
}

/* Static __local data goes to the section the linker maps at DRM_VSVM_SHADER_LOCAL. */
static void place_locals(struct ir *ir)
{
	LLVMValueRef g;

	for (g = LLVMGetFirstGlobal(ir->m); g; g = LLVMGetNextGlobal(g)) {
		if (LLVMIsDeclaration(g) || LLVMGetPointerAddressSpace(LLVMTypeOf(g)) != AS_LOCAL)
			continue;
		if (ir->b->lang != VSVM_CC_OPENCL_C)
			continue;
		LLVMSetSection(g, VSVM_CC_LOCAL_SECTION);
		LLVMSetInitializer(g, LLVMConstNull(LLVMGlobalGetValueType(g)));
	}
}

static int is_entry(LLVMValueRef v)
{
	size_t len;

	return !strncmp(LLVMGetValueName2(v, &len), VSVM_CC_ENTRY_PREFIX,
			strlen(VSVM_CC_ENTRY_PREFIX));
}

/* Only the entry points stay visible: everything else may be inlined or dropped. */
static void internalize(struct ir *ir)
{
	LLVMValueRef v;
	size_t len;

	for (v = LLVMGetFirstFunction(ir->m); v; v = LLVMGetNextFunction(v)) {
		if (LLVMIsDeclaration(v) || is_entry(v))
			continue;
		if (ir->b->opts.qemu && !strcmp(LLVMGetValueName2(v, &len), "vsvm_qemu_main"))
			continue;	/* called by qemu_rt.o */
		LLVMSetLinkage(v, LLVMInternalLinkage);
		LLVMSetVisibility(v, LLVMDefaultVisibility);
		LLVMSetComdat(v, NULL);
	}
	for (v = LLVMGetFirstGlobal(ir->m); v; v = LLVMGetNextGlobal(v)) {
		if (LLVMIsDeclaration(v) || !strncmp(LLVMGetValueName2(v, &len), "llvm.", 5))
			continue;
		LLVMSetLinkage(v, LLVMInternalLinkage);
		LLVMSetVisibility(v, LLVMDefaultVisibility);
		LLVMSetComdat(v, NULL);
	}
}

/* Same CPU and features everywhere, so that the library inlines into the program. */
static void set_target_attrs(struct ir *ir, const char *features)
{
	LLVMValueRef f;

	for (f = LLVMGetFirstFunction(ir->m); f; f = LLVMGetNextFunction(f)) {
		if (LLVMIsDeclaration(f))
			continue;
		LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
					LLVMCreateStringAttribute(ir->ctx, "target-cpu", 10,
								  "generic-rv64", 12));
		LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
					LLVMCreateStringAttribute(ir->ctx, "target-features", 15,
								  features,
								  (unsigned int)strlen(features)));
	}
}

/* "_Z3sinf" -> "sin"; other names as they are. */
static void demangle_name(const char *m, char *buf, size_t size)
{
	char *end;
	long n;

	if (strncmp(m, "_Z", 2)) {
		snprintf(buf, size, "%s", m);
		return;
	}
	n = strtol(m + 2, &end, 10);
	if (n <= 0 || (size_t)n > strlen(end)) {
		snprintf(buf, size, "%s", m);
		return;
	}
	snprintf(buf, size, "%.*s (%s)", (int)n, end, m);
}

/* Calls that nothing defines: unsupported builtins or missing functions. */
static int check_undefined(struct ir *ir)
{
	static const char *const libc[] = { "memcpy", "memmove", "memset" };
	LLVMValueRef v;
	int bad = 0;
	size_t len, i;

	for (v = LLVMGetFirstFunction(ir->m); v; v = LLVMGetNextFunction(v)) {
		const char *name = LLVMGetValueName2(v, &len);
		char buf[300];

		if (!LLVMIsDeclaration(v) || LLVMGetIntrinsicID(v) || !LLVMGetFirstUse(v))
			continue;
		for (i = 0; i < ARRAY_SIZE(libc); i++)
			if (!strcmp(name, libc[i]))
				break;
		if (i < ARRAY_SIZE(libc) || (ir->b->opts.qemu && !strncmp(name, "vsvm_qemu_", 10)))
			continue;	/* devlibc.o, qemu_rt.o */
		demangle_name(name, buf, sizeof(buf));
		sb_printf(&ir->b->prog->log, "error: undefined function %s: %s\n", buf,
			  strncmp(name, "_Z", 2) ? "not defined in the program" :
			  "not a builtin this compiler provides");
		bad = 1;
	}
	for (v = LLVMGetFirstGlobal(ir->m); v; v = LLVMGetNextGlobal(v)) {
		if (!LLVMIsDeclaration(v) || !LLVMGetFirstUse(v) ||
		    !strncmp(LLVMGetValueName2(v, &len), "__vsvm_", 7))
			continue;	/* __vsvm_*: defined by the linker script */
		sb_printf(&ir->b->prog->log, "error: undefined variable %s\n",
			  LLVMGetValueName2(v, &len));
		bad = 1;
	}
	return bad ? build_fail(ir->b, "link: undefined symbols") : 0;
}

static char *module_features(struct ir *ir)
{
	LLVMValueRef f;

	for (f = LLVMGetFirstFunction(ir->m); f; f = LLVMGetNextFunction(f)) {
		LLVMAttributeRef a;
		const char *s;
		unsigned int len;

		if (LLVMIsDeclaration(f))
			continue;
		a = LLVMGetStringAttributeAtIndex(f, LLVMAttributeFunctionIndex,
						  "target-features", 15);
		if (!a)
			continue;
		s = LLVMGetStringAttributeValue(a, &len);
		return strndup(s, len);
	}
	return NULL;
}

static int emit(struct ir *ir, const char *features)
{
	struct build *b = ir->b;
	LLVMTargetMachineOptionsRef to;
	LLVMPassBuilderOptionsRef po;
	LLVMTargetMachineRef tm;
	LLVMErrorRef err;
	char *msg = NULL;
	int ret = 0;

	to = LLVMCreateTargetMachineOptions();
	LLVMTargetMachineOptionsSetCPU(to, "generic-rv64");
	LLVMTargetMachineOptionsSetFeatures(to, features);
	LLVMTargetMachineOptionsSetABI(to, "lp64d");
	LLVMTargetMachineOptionsSetCodeModel(to, LLVMCodeModelMedium);
	LLVMTargetMachineOptionsSetRelocMode(to, LLVMRelocStatic);
	LLVMTargetMachineOptionsSetCodeGenOptLevel(to, b->opts.opt_disable ?
						   LLVMCodeGenLevelNone : LLVMCodeGenLevelDefault);
	tm = LLVMCreateTargetMachineWithOptions(b->cc->target, VSVM_CC_TRIPLE, to);
	LLVMDisposeTargetMachineOptions(to);
	if (!tm)
		return cc_fail(b->cc, -EIO, "codegen: cannot create the RV64 target machine");

	po = LLVMCreatePassBuilderOptions();
	err = LLVMRunPasses(ir->m, b->opts.opt_disable ? "default<O0>" : "default<O2>", tm, po);
	LLVMDisposePassBuilderOptions(po);
	if (err) {
		msg = LLVMGetErrorMessage(err);
		ret = cc_fail(b->cc, -EIO, "optimize: %s", msg);
		LLVMDisposeErrorMessage(msg);
		goto out;
	}
	ret = check_undefined(ir);
	if (ret)
		goto out;
	if (LLVMTargetMachineEmitToFile(tm, ir->m, build_path(b, "program.o"),
					LLVMObjectFile, &msg)) {
		ret = cc_fail(b->cc, -EIO, "codegen: %s", msg ? msg : "failed");
		LLVMDisposeMessage(msg);
	}
out:
	LLVMDisposeTargetMachine(tm);
	return ret;
}

int ir_run(struct build *b)
{
	struct ir ir = { .b = b };
	LLVMMemoryBufferRef buf;
	char *msg = NULL, *features = NULL;
	unsigned int i;
	int ret;

	ir.ctx = LLVMContextCreate();
	if (LLVMCreateMemoryBufferWithContentsOfFile(build_path(b, "program.bc"), &buf, &msg)) {
		ret = cc_fail(b->cc, -EIO, "ir: cannot read clang's output: %s", msg ? msg : "");
		LLVMDisposeMessage(msg);
		goto out;
	}
	ret = LLVMParseBitcodeInContext2(ir.ctx, buf, &ir.m);
	LLVMDisposeMemoryBuffer(buf);
	if (ret) {
		ret = cc_fail(b->cc, -EIO, "ir: cannot parse clang's output");
		goto out;
	}
	ir.td = LLVMGetModuleDataLayout(ir.m);
	features = module_features(&ir);
	if (!features)
		features = strdup(b->opts.zacas ? "+m,+a,+f,+d,+zicsr,+experimental-zacas,-c,-relax" :
				  "+m,+a,+f,+d,+zicsr,-c,-relax");
	if (!features) {
		ret = -ENOMEM;
		goto out;
	}
	ret = find_kernels(&ir);
	if (ret)
		goto out;
	b->prog->global_size = global_size(&ir);
	ret = link_builtins(&ir);
	if (ret)
		goto out;
	rewrite_calling_conv(&ir);
	place_locals(&ir);
	for (i = 0; i < b->prog->num_kernels; i++)
		make_entry(&ir, i);
	internalize(&ir);
	set_target_attrs(&ir, features);
	if (LLVMVerifyModule(ir.m, LLVMReturnStatusAction, &msg)) {
		ret = cc_fail(b->cc, -EIO, "ir: invalid module after rewriting: %.300s", msg);
		LLVMDisposeMessage(msg);
		goto out;
	}
	LLVMDisposeMessage(msg);
	ret = emit(&ir, features);
out:
	free(features);
	free(ir.kfns);
	if (ir.m)
		LLVMDisposeModule(ir.m);
	LLVMContextDispose(ir.ctx);
	return ret;
}
