// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * The front end: clBuildProgram options, then clang as a subprocess.
 */
#define _GNU_SOURCE
#include "internal.h"
#include "llvm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * What OpenCL C 3.0 programs get (opencl.md §2): the optional features
 * and extensions the builtin library implements. __opencl_c_atomic_scope_*
 * exist only as macros (the header tests them), so they are -D'd.
 */
static const char *const cl_features[] = {
	"__opencl_c_generic_address_space",
	"__opencl_c_atomic_order_acq_rel",
	"__opencl_c_atomic_order_seq_cst",
	"__opencl_c_atomic_scope_device",
	"__opencl_c_atomic_scope_all_devices",
	"__opencl_c_program_scope_global_variables",
	"__opencl_c_fp64",
	"__opencl_c_int64",
};

static const char *const cl_extensions[] = {
	"cl_khr_byte_addressable_store",
	"cl_khr_fp64",
	"cl_khr_global_int32_base_atomics",
	"cl_khr_global_int32_extended_atomics",
	"cl_khr_local_int32_base_atomics",
	"cl_khr_local_int32_extended_atomics",
	"cl_khr_int64_base_atomics",
	"cl_khr_int64_extended_atomics",
};

VSVM_CC_EXPORT const char *vsvm_cc_opencl_c_features(void)
{
	return "__opencl_c_generic_address_space __opencl_c_atomic_order_acq_rel "
	       "__opencl_c_atomic_order_seq_cst __opencl_c_atomic_scope_device "
	       "__opencl_c_atomic_scope_all_devices "
	       "__opencl_c_program_scope_global_variables __opencl_c_fp64 "
	       "__opencl_c_int64";
}

VSVM_CC_EXPORT const char *vsvm_cc_opencl_c_extensions(void)
{
	return "cl_khr_byte_addressable_store cl_khr_fp64 "
	       "cl_khr_global_int32_base_atomics cl_khr_global_int32_extended_atomics "
	       "cl_khr_local_int32_base_atomics cl_khr_local_int32_extended_atomics "
	       "cl_khr_int64_base_atomics cl_khr_int64_extended_atomics";
}

/* Options clang understands as they are (clBuildProgram's math options). */
static const char *const pass_through[] = {
	"-cl-single-precision-constant", "-cl-denorms-are-zero",
	"-cl-fp32-correctly-rounded-divide-sqrt", "-cl-mad-enable",
	"-cl-no-signed-zeros", "-cl-unsafe-math-optimizations",
	"-cl-finite-math-only", "-cl-fast-relaxed-math",
	"-cl-uniform-work-group-size", "-cl-no-subgroup-ifp", "-w",
};

/* Accepted and without effect here. */
static const char *const ignored[] = {
	"-cl-kernel-arg-info",	/* argument info is always kept */
	"-cl-strict-aliasing",	/* deprecated in OpenCL 1.1 */
	"-g",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

void opts_free(struct build_opts *o)
{
	argv_free(&o->clang);
}

int opts_parse(struct build *b, const char *options)
{
	struct build_opts *o = &b->opts;
	struct argv words;
	size_t i;
	int ret;

	argv_init(&words);
	o->cl_std = 120;	/* OpenCL 3.0: the highest 1.x when -cl-std is absent */
	ret = split_options(options, &words);
	if (ret == -EINVAL) {
		argv_free(&words);
		return build_fail(b, "options: unbalanced quote in \"%s\"", options);
	}
	for (i = 0; !ret && i < words.n; i++) {
		const char *w = words.v[i];

		if ((!strcmp(w, "-D") || !strcmp(w, "-I")) ) {
			if (i + 1 >= words.n) {
				ret = build_fail(b, "options: %s needs an argument", w);
				break;
			}
			argv_addf(&o->clang, "%s%s", w, words.v[++i]);
		} else if (!strncmp(w, "-D", 2) || !strncmp(w, "-I", 2)) {
			argv_add(&o->clang, w);
		} else if (!strncmp(w, "-cl-std=", 8)) {
			static const char *const stds[] = { "CL1.0", "CL1.1", "CL1.2", "CL2.0", "CL3.0" };
			static const int vals[] = { 100, 110, 120, 200, 300 };
			size_t k;

			for (k = 0; k < ARRAY_SIZE(stds); k++)
				if (!strcmp(w + 8, stds[k]))
					break;
			if (k == ARRAY_SIZE(stds)) {
				ret = build_fail(b, "options: unsupported %s (CL1.0 to CL3.0)", w);
				break;
			}
			o->cl_std = vals[k];
		} else if (!strcmp(w, "-cl-opt-disable") || !strcmp(w, "-O0")) {
			o->opt_disable = 1;
		} else if (!strcmp(w, "-Werror")) {
			o->werror = 1;
			argv_add(&o->clang, w);
		} else if (!strcmp(w, "-vsvm-zacas")) {
			o->zacas = 1;
		} else if (!strcmp(w, "-vsvm-qemu")) {
			o->qemu = 1;
		} else if (in_list(w, pass_through, ARRAY_SIZE(pass_through))) {
			argv_add(&o->clang, w);
		} else if (in_list(w, ignored, ARRAY_SIZE(ignored))) {
			continue;
		} else {
			ret = build_fail(b, "options: unknown option \"%s\"", w);
		}
	}
	if (!ret && (words.oom || o->clang.oom))
		ret = -ENOMEM;
	argv_free(&words);
	return ret;
}

int tools_find(struct vsvm_cc *cc)
{
	static const char *const tools[] = { VSVM_CC_CLANG, VSVM_CC_LLD };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tools); i++)
		if (access(tools[i], X_OK))
			return cc_fail(cc, -ENOENT, "vsvm_cc_new: %s not found (tools/deps.sh installs it)",
				       tools[i]);
	return 0;
}

/* Target options shared by every compile (and by the builtin library's Makefile rule). */
static void add_target(struct argv *a, int zacas)
{
	argv_add(a, "-target");
	argv_add(a, VSVM_CC_TRIPLE);
	if (zacas) {
		argv_add(a, "-menable-experimental-extensions");
		argv_add(a, "-march=rv64imafd_zacas1p0");
	} else {
		argv_add(a, "-march=rv64imafd");
	}
	argv_add(a, "-mabi=lp64d");
	argv_add(a, "-mcmodel=medany");
	argv_add(a, "-mno-relax");
	argv_add(a, "-msmall-data-limit=0");
	argv_add(a, "-fno-ident");
	argv_add(a, "-fno-color-diagnostics");
}

static void add_opencl(struct argv *a, int std)
{
	struct sbuf ext;
	size_t i;

	argv_add(a, "-x");
	argv_add(a, "cl");
	argv_addf(a, "-cl-std=CL%d.%d", std / 100, std / 10 % 10);
	argv_add(a, "-Xclang");
	argv_add(a, "-ffake-address-space-map");
	argv_add(a, "-cl-kernel-arg-info");
	sb_init(&ext);
	sb_puts(&ext, "-cl-ext=-all");
	for (i = 0; i < ARRAY_SIZE(cl_extensions); i++)
		sb_printf(&ext, ",+%s", cl_extensions[i]);
	if (std >= 300)
		for (i = 0; i < ARRAY_SIZE(cl_features); i++)
			if (strncmp(cl_features[i], "__opencl_c_atomic_scope", 23))
				sb_printf(&ext, ",+%s", cl_features[i]);
	argv_add(a, "-Xclang");
	argv_add(a, sb_str(&ext));
	if (ext.oom)
		a->oom = 1;
	sb_free(&ext);
	if (std >= 200) {
		argv_add(a, "-D__opencl_c_atomic_scope_device=1");
		argv_add(a, "-D__opencl_c_atomic_scope_all_devices=1");
	}
	argv_add(a, "-D__VSVM__=1");
}

int frontend_run(struct build *b, const char *const *sources,
		 const size_t *lengths, unsigned int count)
{
	static const char *const src_name[] = {
		[VSVM_CC_OPENCL_C] = "program.cl",
		[VSVM_CC_C] = "program.c",
		[VSVM_CC_ASM] = "program.S",
	};
	struct sbuf src;
	struct argv a;
	char *src_path = NULL, *log_path = NULL;
	unsigned int i;
	int ret, status;
	size_t k;

	sb_init(&src);
	for (i = 0; i < count; i++) {
		if (!sources[i])
			return build_fail(b, "sources: source %u is NULL", i);
		sb_add(&src, sources[i],
		       lengths && lengths[i] ? lengths[i] : strlen(sources[i]));
	}
	if (src.oom)
		return -ENOMEM;
	src_path = strdup(build_path(b, src_name[b->lang]));
	log_path = strdup(build_path(b, "clang.log"));
	if (!src_path || !log_path) {
		ret = -ENOMEM;
		goto out;
	}
	ret = write_file(src_path, sb_str(&src), src.len);
	if (ret) {
		ret = cc_fail(b->cc, ret, "front end: cannot write %s", src_path);
		goto out;
	}

	argv_init(&a);
	argv_add(&a, VSVM_CC_CLANG);
	add_target(&a, b->opts.zacas);
	if (b->lang == VSVM_CC_OPENCL_C) {
		add_opencl(&a, b->opts.cl_std);
	} else if (b->lang == VSVM_CC_C) {
		argv_add(&a, "-x");
		argv_add(&a, "c");
		argv_add(&a, "-std=gnu11");
		argv_add(&a, "-ffreestanding");
		argv_add(&a, "-D__VSVM__=1");
	} else {
		argv_add(&a, "-x");
		argv_add(&a, "assembler-with-cpp");
		argv_add(&a, "-D__VSVM__=1");
	}
	if (b->opts.qemu)
		argv_add(&a, "-D__VSVM_QEMU__=1");
	for (k = 0; k < b->opts.clang.n; k++)
		argv_add(&a, b->opts.clang.v[k]);
	if (b->lang != VSVM_CC_ASM) {
		argv_add(&a, b->opts.opt_disable ? "-O0" : "-O2");
		argv_add(&a, "-emit-llvm");
	}
	argv_add(&a, "-c");
	argv_add(&a, "-o");
	argv_add(&a, build_path(b, b->lang == VSVM_CC_ASM ? "program.o" : "program.bc"));
	argv_add(&a, src_path);
	if (a.oom) {
		argv_free(&a);
		ret = -ENOMEM;
		goto out;
	}
	ret = run_tool(a.v, log_path, &status);
	argv_free(&a);
	if (ret) {
		ret = cc_fail(b->cc, -EIO, "front end: cannot run %s: %s", VSVM_CC_CLANG,
			      strerror(-ret));
		goto out;
	}
	{
		void *text;
		size_t size;

		if (!read_file(log_path, &text, &size)) {
			/* diagnostics name "program.cl", not the temporary directory */
			size_t dl = strlen(b->dir);
			char *t = text, *hit;

			while ((hit = strstr(t, b->dir)) && hit[dl] == '/') {
				sb_add(&b->prog->log, t, (size_t)(hit - t));
				t = hit + dl + 1;
			}
			sb_puts(&b->prog->log, t);
			free(text);
		}
	}
	if (status > 1 || status < 0)
		ret = cc_fail(b->cc, -EIO, "front end: clang failed with status %d", status);
	else if (status)
		ret = build_fail(b, "front end: the sources did not compile");
out:
	free(src_path);
	free(log_path);
	sb_free(&src);
	return ret;
}
