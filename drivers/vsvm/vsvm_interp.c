// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm shader interpreter
 *
 * vsvm_hart_run() runs one work-item's decoded instructions until it
 * exits, reaches a barrier, faults, or its share of the slice is used up.
 * Each instruction does at most one memory access, and an access that
 * cannot complete leaves the instruction un-retired: the work-item's pc
 * stays on it, so after the fault is serviced it runs again from there.
 *
 * Memory. An address inside the shader window is one of the engine's
 * areas (program segments, the work-item descriptor, local and private
 * memory), bounds- and permission-checked (-EFAULT otherwise). Any other
 * address is a GPU virtual address, translated by &vsvm_shader_mem (the
 * VM's GPU page table): READ, WRITE, or ATOMIC for AMOs and SC. A miss
 * returns %VSVM_HART_MISS with the address in &vsvm_exec.exc. The kernel
 * addresses found are kept in a small software TLB that lives for one
 * slice (the mapping cannot change while the caller holds the notifier
 * lock). No user pointer is ever dereferenced.
 *
 * Atomics are real atomic instructions on the page: AMOs are
 * compare-and-exchange loops, LR records the value it loaded and SC
 * compare-and-exchanges it (as QEMU does), amocas is a
 * compare-and-exchange; fence and barriers are full memory barriers.
 * Misaligned atomics fail with -EFAULT; other accesses may be misaligned,
 * even across pages.
 *
 * Floating-point instructions are run by vsvm_fpu.c inside a
 * kernel_fpu_begin() section that opens at the first one of a slice and
 * closes at the end of the slice (vsvm_exec_fpu_leave()): nothing in
 * between sleeps. Each work-item gets the exception flags it raised when
 * it stops running.
 */

#include <linux/export.h>
#include <linux/fpu.h>

#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <kunit/visibility.h>

#include "vsvm_shader.h"

#define VSVM_NO_TAG		(~0ull)

/**
 * vsvm_exec_flush() - forget every translation
 * @x: the interpreter state
 *
 * At the start of each slice, and when another work-item starts to run.
 */
void vsvm_exec_flush(struct vsvm_exec *x)
{
	x->tlb.gen += BIT_ULL(VSVM_TLB_GEN_SHIFT);
	/* Generations wrap after 2^24 flushes: forget every entry then. */
	if (!x->tlb.gen)
		memset(x->tlb.e, 0xff, sizeof(x->tlb.e));
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_exec_flush);

/* Buffers a power of two apart must not share entries: hash the page. */
static __always_inline unsigned int vsvm_tlb_index(u64 vpn)
{
	return (vpn * 0x9e3779b97f4a7c15ull) >> (64 - VSVM_TLB_BITS);
}

static void vsvm_tlb_fill(struct vsvm_exec *x, u64 va, u8 *page, u32 perms)
{
	u64 vpn = va >> PAGE_SHIFT;
	struct vsvm_tlb_entry *e = &x->tlb.e[vsvm_tlb_index(vpn)];
	unsigned int a;

	for (a = 0; a < ARRAY_SIZE(e->tag); a++)
		e->tag[a] = perms & BIT(a) ? vpn | x->tlb.gen : VSVM_NO_TAG;
	e->page = page;
}

static __always_inline u8 *vsvm_tlb_hit(struct vsvm_exec *x, u64 va,
					unsigned int size, u32 access)
{
	const struct vsvm_tlb_entry *e =
		&x->tlb.e[vsvm_tlb_index(va >> PAGE_SHIFT)];

	if (likely(e->tag[access] == ((va >> PAGE_SHIFT) | x->tlb.gen) &&
		   offset_in_page(va) <= PAGE_SIZE - size))
		return e->page + offset_in_page(va);
	return NULL;
}

static int vsvm_exc(struct vsvm_exec *x, u64 va, u32 access, int err)
{
	x->exc.addr = va;
	x->exc.access = access;
	return err;
}

/* An area of the shader window: GPU [start, start + size) at kaddr. */
struct vsvm_area {
	u64 start;
	u64 size;
	u8 *kaddr;
	u32 perms;
};

#define VSVM_PERM_RWA	(VSVM_PERM_READ | VSVM_PERM_WRITE | VSVM_PERM_ATOMIC)

static bool vsvm_in(u64 va, u64 start, u64 size)
{
	return va - start < size;
}

static bool vsvm_window_area(struct vsvm_exec *x, u64 va, struct vsvm_area *a)
{
	const struct vsvm_segment *seg;

	if (vsvm_in(va, DRM_VSVM_SHADER_IMAGE, DRM_VSVM_SHADER_IMAGE_SIZE)) {
		seg = vsvm_program_segment(x->prog, va);
		if (!seg)
			return false;
		*a = (struct vsvm_area) { seg->vaddr, seg->size, seg->data,
			seg->flags & DRM_VSVM_SEGMENT_W ? VSVM_PERM_RWA :
			VSVM_PERM_READ };
	} else if (vsvm_in(va, DRM_VSVM_SHADER_WORKITEM, PAGE_SIZE)) {
		*a = (struct vsvm_area) { DRM_VSVM_SHADER_WORKITEM, PAGE_SIZE,
			(u8 *)x->wi, VSVM_PERM_READ };
	} else if (vsvm_in(va, DRM_VSVM_SHADER_LOCAL, x->local_size)) {
		*a = (struct vsvm_area) { DRM_VSVM_SHADER_LOCAL, x->local_size,
			x->local, VSVM_PERM_RWA };
	} else if (vsvm_in(va, x->priv_base, x->priv_size)) {
		*a = (struct vsvm_area) { x->priv_base, x->priv_size, x->priv,
			VSVM_PERM_RWA };
	} else {
		return false;
	}
	return true;
}

/* [va, va + size) in the shader window, within one page. */
static int vsvm_window(struct vsvm_exec *x, u64 va, unsigned int size,
		       u32 access, u8 **p)
{
	u64 page = va & PAGE_MASK;
	struct vsvm_area a;

	if (!vsvm_window_area(x, va, &a) || !(a.perms & BIT(access)) ||
	    va + size - a.start > a.size)
		return vsvm_exc(x, va, access, -EFAULT);
	*p = a.kaddr + (va - a.start);
	/* Cache pages that lie wholly in the area. */
	if (page >= a.start && page + PAGE_SIZE - a.start <= a.size)
		vsvm_tlb_fill(x, page, a.kaddr + (page - a.start), a.perms);
	return 0;
}

/* [va, va + size) within one page, for @access. */
static noinline int vsvm_translate(struct vsvm_exec *x, u64 va,
				   unsigned int size, u32 access, u8 **p)
{
	u32 perms = 0;
	u8 *page;

	if (vsvm_in(va, DRM_VSVM_SHADER_BASE, DRM_VSVM_SHADER_WINDOW_SIZE))
		return vsvm_window(x, va, size, access, p);
	/* Above the window nothing is mapped. */
	if (va >= DRM_VSVM_SHADER_BASE)
		return vsvm_exc(x, va, access, -EFAULT);
	page = x->mem->translate(x->mem->priv, va & PAGE_MASK, access, &perms);
	if (!page)
		return vsvm_exc(x, va, access, VSVM_HART_MISS);
	vsvm_tlb_fill(x, va, page, perms | BIT(access));
	*p = page + offset_in_page(va);
	return 0;
}

static __always_inline u64 vsvm_read(const u8 *p, unsigned int size)
{
	switch (size) {
	case 1:
		return *p;
	case 2:
		return get_unaligned((const u16 *)p);
	case 4:
		return get_unaligned((const u32 *)p);
	default:
		return get_unaligned((const u64 *)p);
	}
}

static __always_inline void vsvm_write(u8 *p, unsigned int size, u64 v)
{
	switch (size) {
	case 1:
		*p = v;
		break;
	case 2:
		put_unaligned((u16)v, (u16 *)p);
		break;
	case 4:
		put_unaligned((u32)v, (u32 *)p);
		break;
	default:
		put_unaligned(v, (u64 *)p);
		break;
	}
}

/* Both pages of an access that crosses a page boundary, or an error. */
static int vsvm_split(struct vsvm_exec *x, u64 va, unsigned int size,
		      u32 access, u8 **p, u8 **q, unsigned int *n)
{
	int ret;

	*n = PAGE_SIZE - offset_in_page(va);
	ret = vsvm_translate(x, va, *n, access, p);
	if (ret)
		return ret;
	return vsvm_translate(x, va + *n, size - *n, access, q);
}

static noinline int vsvm_load_slow(struct vsvm_exec *x, u64 va,
				   unsigned int size, u64 *v)
{
	u8 buf[8] = {}, *p, *q;
	unsigned int n;
	int ret;

	if (offset_in_page(va) <= PAGE_SIZE - size) {
		ret = vsvm_translate(x, va, size, DRM_VSVM_ACCESS_READ, &p);
		if (!ret)
			*v = vsvm_read(p, size);
		return ret;
	}
	ret = vsvm_split(x, va, size, DRM_VSVM_ACCESS_READ, &p, &q, &n);
	if (ret)
		return ret;
	memcpy(buf, p, n);
	memcpy(buf + n, q, size - n);
	*v = get_unaligned_le64(buf);
	return 0;
}

static noinline int vsvm_store_slow(struct vsvm_exec *x, u64 va,
				    unsigned int size, u64 v)
{
	u8 buf[8], *p, *q;
	unsigned int n;
	int ret;

	if (offset_in_page(va) <= PAGE_SIZE - size) {
		ret = vsvm_translate(x, va, size, DRM_VSVM_ACCESS_WRITE, &p);
		if (!ret)
			vsvm_write(p, size, v);
		return ret;
	}
	/* Both pages must be there before a byte is written. */
	ret = vsvm_split(x, va, size, DRM_VSVM_ACCESS_WRITE, &p, &q, &n);
	if (ret)
		return ret;
	put_unaligned_le64(v, buf);
	memcpy(p, buf, n);
	memcpy(q, buf + n, size - n);
	return 0;
}

static __always_inline int vsvm_load(struct vsvm_exec *x, u64 va,
				     unsigned int size, u64 *v)
{
	u8 *p = vsvm_tlb_hit(x, va, size, DRM_VSVM_ACCESS_READ);

	if (unlikely(!p))
		return vsvm_load_slow(x, va, size, v);
	*v = vsvm_read(p, size);
	return 0;
}

static __always_inline int vsvm_store(struct vsvm_exec *x, u64 va,
				      unsigned int size, u64 v)
{
	u8 *p = vsvm_tlb_hit(x, va, size, DRM_VSVM_ACCESS_WRITE);

	if (unlikely(!p))
		return vsvm_store_slow(x, va, size, v);
	vsvm_write(p, size, v);
	return 0;
}

/* The naturally aligned @size bytes at @va, for an atomic instruction. */
static int vsvm_atomic_ptr(struct vsvm_exec *x, u64 va, unsigned int size,
			   u32 access, u8 **p)
{
	if (va & (size - 1))
		return vsvm_exc(x, va, access, -EFAULT);
	*p = vsvm_tlb_hit(x, va, size, access);
	if (likely(*p))
		return 0;
	return vsvm_translate(x, va, size, access, p);
}

static u64 vsvm_amo_new(unsigned int kind, u64 old, u64 v, bool w)
{
	s64 so = w ? (s32)old : (s64)old, sv = w ? (s32)v : (s64)v;
	u64 uo = w ? (u32)old : old, uv = w ? (u32)v : v;

	switch (kind) {
	case VSVM_AMO_SWAP:
		return v;
	case VSVM_AMO_ADD:
		return old + v;
	case VSVM_AMO_XOR:
		return old ^ v;
	case VSVM_AMO_AND:
		return old & v;
	case VSVM_AMO_OR:
		return old | v;
	case VSVM_AMO_MIN:
		return so < sv ? old : v;
	case VSVM_AMO_MAX:
		return so > sv ? old : v;
	case VSVM_AMO_MINU:
		return uo < uv ? old : v;
	default:
		return uo > uv ? old : v;
	}
}

static int vsvm_amo(struct vsvm_exec *x, u64 *r, const struct vsvm_insn d,
		    unsigned int size)
{
	u64 v = r[d.rs2];
	u8 *p;
	int ret;

	ret = vsvm_atomic_ptr(x, r[d.rs1], size, DRM_VSVM_ACCESS_ATOMIC, &p);
	if (ret)
		return ret;
	if (size == 4) {
		u32 old = READ_ONCE(*(u32 *)p);

		while (!try_cmpxchg((u32 *)p, &old,
				    (u32)vsvm_amo_new(d.imm, old, v, true)))
			;
		r[d.rd] = (s64)(s32)old;
	} else {
		u64 old = READ_ONCE(*(u64 *)p);

		while (!try_cmpxchg((u64 *)p, &old,
				    vsvm_amo_new(d.imm, old, v, false)))
			;
		r[d.rd] = old;
	}
	return 0;
}

static int vsvm_lr(struct vsvm_exec *x, struct vsvm_hart *h,
		   const struct vsvm_insn d, unsigned int size)
{
	u64 va = h->x[d.rs1];
	u8 *p;
	int ret;

	ret = vsvm_atomic_ptr(x, va, size, DRM_VSVM_ACCESS_READ, &p);
	if (ret)
		return ret;
	h->lr_val = size == 4 ? READ_ONCE(*(u32 *)p) : READ_ONCE(*(u64 *)p);
	h->lr_addr = va;
	h->lr_size = size;
	h->x[d.rd] = size == 4 ? (s64)(s32)h->lr_val : h->lr_val;
	return 0;
}

/* SC: succeeds when the word still holds what LR loaded. */
static int vsvm_sc(struct vsvm_exec *x, struct vsvm_hart *h,
		   const struct vsvm_insn d, unsigned int size)
{
	u64 va = h->x[d.rs1], v = h->x[d.rs2];
	bool ok;
	u8 *p;
	int ret;

	if (h->lr_size != size || h->lr_addr != va) {
		h->lr_size = 0;
		h->x[d.rd] = 1;
		return 0;
	}
	/* A miss keeps the reservation for the replay. */
	ret = vsvm_atomic_ptr(x, va, size, DRM_VSVM_ACCESS_ATOMIC, &p);
	if (ret)
		return ret;
	if (size == 4) {
		u32 old = h->lr_val;

		ok = try_cmpxchg((u32 *)p, &old, (u32)v);
	} else {
		u64 old = h->lr_val;

		ok = try_cmpxchg((u64 *)p, &old, v);
	}
	h->lr_size = 0;
	h->x[d.rd] = !ok;
	return 0;
}

/* amocas: rd (in imm) holds the expected value and gets the old one. */
static int vsvm_cas(struct vsvm_exec *x, u64 *r, const struct vsvm_insn d,
		    unsigned int size)
{
	u8 *p;
	int ret;

	ret = vsvm_atomic_ptr(x, r[d.rs1], size, DRM_VSVM_ACCESS_ATOMIC, &p);
	if (ret)
		return ret;
	if (size == 4) {
		u32 old = r[d.imm];

		try_cmpxchg((u32 *)p, &old, (u32)r[d.rs2]);
		r[d.rd] = (s64)(s32)old;
	} else {
		u64 old = r[d.imm];

		try_cmpxchg((u64 *)p, &old, r[d.rs2]);
		r[d.rd] = old;
	}
	return 0;
}

/* M-extension divisions, with RISC-V's results for /0 and overflow. */
static u64 vsvm_div(unsigned int op, u64 a, u64 b)
{
	s32 a32 = a, b32 = b;

	switch (op) {
	case VSVM_OP_DIV:
		if (!b)
			return -1;
		if ((s64)a == S64_MIN && (s64)b == -1)
			return a;
		return (s64)a / (s64)b;
	case VSVM_OP_DIVU:
		return b ? a / b : -1;
	case VSVM_OP_REM:
		if (!b)
			return a;
		if ((s64)a == S64_MIN && (s64)b == -1)
			return 0;
		return (s64)a % (s64)b;
	case VSVM_OP_REMU:
		return b ? a % b : a;
	case VSVM_OP_DIVW:
		if (!b32)
			return -1;
		if (a32 == S32_MIN && b32 == -1)
			return (s64)a32;
		return (s64)(a32 / b32);
	case VSVM_OP_DIVUW:
		return (u32)b ? (s64)(s32)((u32)a / (u32)b) : -1;
	case VSVM_OP_REMW:
		if (!b32)
			return (s64)a32;
		if (a32 == S32_MIN && b32 == -1)
			return 0;
		return (s64)(a32 % b32);
	default:
		return (s64)(s32)((u32)b ? (u32)a % (u32)b : (u32)a);
	}
}

static u64 vsvm_mulh(unsigned int op, u64 a, u64 b)
{
	switch (op) {
	case VSVM_OP_MULH:
		return (u64)(((s128)(s64)a * (s64)b) >> 64);
	case VSVM_OP_MULHSU:
		return (u64)(((s128)(s64)a * (s128)b) >> 64);
	default:
		return (u64)(((u128)a * b) >> 64);
	}
}

/* Find the X segment holding @pc. */
static int vsvm_fetch(struct vsvm_exec *x, u64 pc,
		      const struct vsvm_segment **t)
{
	const struct vsvm_segment *seg = vsvm_program_segment(x->prog, pc);

	if (pc == DRM_VSVM_SHADER_EXIT)
		return VSVM_HART_EXIT;
	if (!seg || !(seg->flags & DRM_VSVM_SEGMENT_X))
		return vsvm_exc(x, pc, DRM_VSVM_ACCESS_READ, -EFAULT);
	*t = seg;
	return 0;
}

static int vsvm_ecall(struct vsvm_hart *h, u64 pc)
{
	switch (h->x[17]) {
	case DRM_VSVM_ECALL_EXIT:
		return VSVM_HART_EXIT;
	case DRM_VSVM_ECALL_BARRIER:
		/* A barrier is also a full fence for the group's memory. */
		smp_mb();
		h->barrier_pc = pc;
		return VSVM_HART_BARRIER;
	default:
		return -ENOEXEC;
	}
}

/* Whether the CPU (and the kernel's FPU state) has FMA3 for vsvm_fpu.c. */
static bool vsvm_cpu_fma(void)
{
	return boot_cpu_has(X86_FEATURE_FMA) && boot_cpu_has(X86_FEATURE_AVX) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL);
}

static void vsvm_exec_fpu_enter(struct vsvm_exec *x)
{
	kernel_fpu_begin();
	x->fpu.on = true;
	x->fpu.fma = vsvm_cpu_fma();
	/* kernel_fpu_begin() loaded the default MXCSR: nearest, no flags. */
	x->fpu.rc = VSVM_RM_RNE;
}

/**
 * vsvm_exec_fpu_leave() - close the FPU section of a slice
 * @x: the interpreter state
 *
 * The exception flags were already given to the work-items that raised
 * them, when each stopped running (vsvm_hart_run()).
 */
void vsvm_exec_fpu_leave(struct vsvm_exec *x)
{
	if (!x->fpu.on)
		return;
	kernel_fpu_end();
	x->fpu.on = false;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_exec_fpu_leave);

#define RD	r[d.rd]
#define RS1	r[d.rs1]
#define RS2	r[d.rs2]
#define IMM	((s64)d.imm)

static __always_inline int vsvm_op_load(struct vsvm_exec *x, u64 *r,
					const struct vsvm_insn d,
					unsigned int size, bool sext)
{
	u64 v;
	int ret;

	ret = vsvm_load(x, r[d.rs1] + d.imm, size, &v);
	if (unlikely(ret))
		return ret;
	r[d.rd] = sext ? sign_extend64(v, size * 8 - 1) : v;
	return 0;
}

static __always_inline int vsvm_op_fload(struct vsvm_exec *x,
					 struct vsvm_hart *h,
					 const struct vsvm_insn d,
					 unsigned int size)
{
	u64 v;
	int ret;

	ret = vsvm_load(x, h->x[d.rs1] + d.imm, size, &v);
	if (unlikely(ret))
		return ret;
	/* A single is NaN-boxed in its register. */
	h->f[d.rd] = size == 4 ? v | 0xffffffff00000000ull : v;
	return 0;
}

/*
 * Execute the instruction at *@pcp and move *@pcp to the next one, unless
 * it does not retire (a miss, an exception).
 */
static __always_inline int vsvm_step(struct vsvm_exec *x, struct vsvm_hart *h,
				     const struct vsvm_insn d, u64 *pcp)
{
	u64 *r = h->x, pc = *pcp, v;
	int ret = 0;

	switch (d.op) {
	case VSVM_OP_LUI:
		RD = IMM;
		break;
	case VSVM_OP_AUIPC:
		RD = pc + IMM;
		break;
	case VSVM_OP_JAL:
		RD = pc + 4;
		*pcp = pc + IMM;
		return 0;
	case VSVM_OP_JALR:
		v = (RS1 + IMM) & ~1ull;
		if (unlikely(v & 3))
			return vsvm_exc(x, v, DRM_VSVM_ACCESS_READ, -EFAULT);
		RD = pc + 4;
		*pcp = v;
		return unlikely(v == DRM_VSVM_SHADER_EXIT) ? VSVM_HART_EXIT : 0;
	case VSVM_OP_BEQ:
		*pcp = (RS1 == RS2) ? pc + IMM : pc + 4;
		return 0;
	case VSVM_OP_BNE:
		*pcp = (RS1 != RS2) ? pc + IMM : pc + 4;
		return 0;
	case VSVM_OP_BLT:
		*pcp = ((s64)RS1 < (s64)RS2) ? pc + IMM : pc + 4;
		return 0;
	case VSVM_OP_BGE:
		*pcp = ((s64)RS1 >= (s64)RS2) ? pc + IMM : pc + 4;
		return 0;
	case VSVM_OP_BLTU:
		*pcp = (RS1 < RS2) ? pc + IMM : pc + 4;
		return 0;
	case VSVM_OP_BGEU:
		*pcp = (RS1 >= RS2) ? pc + IMM : pc + 4;
		return 0;
	case VSVM_OP_LB:
		ret = vsvm_op_load(x, r, d, 1, true);
		break;
	case VSVM_OP_LH:
		ret = vsvm_op_load(x, r, d, 2, true);
		break;
	case VSVM_OP_LW:
		ret = vsvm_op_load(x, r, d, 4, true);
		break;
	case VSVM_OP_LD:
		ret = vsvm_op_load(x, r, d, 8, false);
		break;
	case VSVM_OP_LBU:
		ret = vsvm_op_load(x, r, d, 1, false);
		break;
	case VSVM_OP_LHU:
		ret = vsvm_op_load(x, r, d, 2, false);
		break;
	case VSVM_OP_LWU:
		ret = vsvm_op_load(x, r, d, 4, false);
		break;
	case VSVM_OP_SB:
		ret = vsvm_store(x, RS1 + IMM, 1, RS2);
		break;
	case VSVM_OP_SH:
		ret = vsvm_store(x, RS1 + IMM, 2, RS2);
		break;
	case VSVM_OP_SW:
		ret = vsvm_store(x, RS1 + IMM, 4, RS2);
		break;
	case VSVM_OP_SD:
		ret = vsvm_store(x, RS1 + IMM, 8, RS2);
		break;
	case VSVM_OP_ADDI:
		RD = RS1 + IMM;
		break;
	case VSVM_OP_SLTI:
		RD = (s64)RS1 < IMM;
		break;
	case VSVM_OP_SLTIU:
		RD = RS1 < (u64)IMM;
		break;
	case VSVM_OP_XORI:
		RD = RS1 ^ IMM;
		break;
	case VSVM_OP_ORI:
		RD = RS1 | IMM;
		break;
	case VSVM_OP_ANDI:
		RD = RS1 & IMM;
		break;
	case VSVM_OP_SLLI:
		RD = RS1 << d.imm;
		break;
	case VSVM_OP_SRLI:
		RD = RS1 >> d.imm;
		break;
	case VSVM_OP_SRAI:
		RD = (s64)RS1 >> d.imm;
		break;
	case VSVM_OP_ADD:
		RD = RS1 + RS2;
		break;
	case VSVM_OP_SUB:
		RD = RS1 - RS2;
		break;
	case VSVM_OP_SLL:
		RD = RS1 << (RS2 & 63);
		break;
	case VSVM_OP_SLT:
		RD = (s64)RS1 < (s64)RS2;
		break;
	case VSVM_OP_SLTU:
		RD = RS1 < RS2;
		break;
	case VSVM_OP_XOR:
		RD = RS1 ^ RS2;
		break;
	case VSVM_OP_SRL:
		RD = RS1 >> (RS2 & 63);
		break;
	case VSVM_OP_SRA:
		RD = (s64)RS1 >> (RS2 & 63);
		break;
	case VSVM_OP_OR:
		RD = RS1 | RS2;
		break;
	case VSVM_OP_AND:
		RD = RS1 & RS2;
		break;
	case VSVM_OP_ADDIW:
		RD = (s64)(s32)(RS1 + IMM);
		break;
	case VSVM_OP_SLLIW:
		RD = (s64)(s32)((u32)RS1 << d.imm);
		break;
	case VSVM_OP_SRLIW:
		RD = (s64)(s32)((u32)RS1 >> d.imm);
		break;
	case VSVM_OP_SRAIW:
		RD = (s64)((s32)RS1 >> d.imm);
		break;
	case VSVM_OP_ADDW:
		RD = (s64)(s32)(RS1 + RS2);
		break;
	case VSVM_OP_SUBW:
		RD = (s64)(s32)(RS1 - RS2);
		break;
	case VSVM_OP_SLLW:
		RD = (s64)(s32)((u32)RS1 << (RS2 & 31));
		break;
	case VSVM_OP_SRLW:
		RD = (s64)(s32)((u32)RS1 >> (RS2 & 31));
		break;
	case VSVM_OP_SRAW:
		RD = (s64)((s32)RS1 >> (RS2 & 31));
		break;
	case VSVM_OP_MUL:
		RD = RS1 * RS2;
		break;
	case VSVM_OP_MULW:
		RD = (s64)(s32)(RS1 * RS2);
		break;
	case VSVM_OP_MULH:
	case VSVM_OP_MULHSU:
	case VSVM_OP_MULHU:
		RD = vsvm_mulh(d.op, RS1, RS2);
		break;
	case VSVM_OP_DIV ... VSVM_OP_REMU:
	case VSVM_OP_DIVW ... VSVM_OP_REMUW:
		RD = vsvm_div(d.op, RS1, RS2);
		break;
	case VSVM_OP_FLW:
		ret = vsvm_op_fload(x, h, d, 4);
		break;
	case VSVM_OP_FLD:
		ret = vsvm_op_fload(x, h, d, 8);
		break;
	case VSVM_OP_FSW:
		ret = vsvm_store(x, RS1 + IMM, 4, h->f[d.rs2]);
		break;
	case VSVM_OP_FSD:
		ret = vsvm_store(x, RS1 + IMM, 8, h->f[d.rs2]);
		break;
	case VSVM_OP_FMADD_S:
	case VSVM_OP_FMADD_D:
		if (unlikely(!x->fpu.on))
			vsvm_exec_fpu_enter(x);
		ret = vsvm_fp_fmadd(&x->fpu, h, d);
		break;
	case VSVM_OP_FMSUB_S ... VSVM_OP_FMV_W_X:
	case VSVM_OP_FMSUB_D ... VSVM_OP_FP_LAST:
		if (unlikely(!x->fpu.on))
			vsvm_exec_fpu_enter(x);
		ret = vsvm_fp_exec(&x->fpu, h, d);
		break;
	case VSVM_OP_AMO_W:
		ret = vsvm_amo(x, r, d, 4);
		break;
	case VSVM_OP_AMO_D:
		ret = vsvm_amo(x, r, d, 8);
		break;
	case VSVM_OP_LR_W:
		ret = vsvm_lr(x, h, d, 4);
		break;
	case VSVM_OP_LR_D:
		ret = vsvm_lr(x, h, d, 8);
		break;
	case VSVM_OP_SC_W:
		ret = vsvm_sc(x, h, d, 4);
		break;
	case VSVM_OP_SC_D:
		ret = vsvm_sc(x, h, d, 8);
		break;
	case VSVM_OP_AMOCAS_W:
		ret = vsvm_cas(x, r, d, 4);
		break;
	case VSVM_OP_AMOCAS_D:
		ret = vsvm_cas(x, r, d, 8);
		break;
	case VSVM_OP_FENCE:
		/* Every fence is a full one (x86 orders the rest anyway). */
		smp_mb();
		break;
	case VSVM_OP_ECALL:
		ret = vsvm_ecall(h, pc);
		/* A barrier or an exit retires the ecall. */
		if (ret == VSVM_HART_EXIT || ret == VSVM_HART_BARRIER)
			*pcp = pc + 4;
		return ret;
	default:
		return -ENOEXEC;
	}
	if (unlikely(ret))
		return ret;
	*pcp = pc + 4;
	return 0;
}

/**
 * vsvm_hart_run() - run a work-item
 * @x: the interpreter state (program, memory, windows of this work-item)
 * @h: the work-item
 * @budget: in, most instructions to retire; out, what is left
 *
 * Return: 0 when @budget is used up; %VSVM_HART_EXIT when the work-item
 * ended; %VSVM_HART_BARRIER when it reached a barrier (the ecall retired,
 * &vsvm_hart.barrier_pc set); %VSVM_HART_MISS when an access missed in
 * the GPU page table; -EFAULT for a bad access or fetch; -ENOEXEC for an
 * illegal instruction. The last three leave the instruction un-retired,
 * described in &vsvm_exec.exc.
 */
int vsvm_hart_run(struct vsvm_exec *x, struct vsvm_hart *h, u64 *budget)
{
	const struct vsvm_segment *t = x->text;
	/* The text segment in locals: the loop reads no more than it must. */
	const struct vsvm_insn *insns = t ? t->insns : NULL;
	u64 tbase = t ? t->vaddr : 0, tsize = t ? t->size : 0;
	u64 n = *budget, pc = h->pc, off, w;
	struct vsvm_insn d;
	int ret = 0;

	while (n) {
		off = pc - tbase;
		if (unlikely(off >= tsize)) {
			ret = vsvm_fetch(x, pc, &t);
			if (ret)
				break;
			insns = t->insns;
			tbase = t->vaddr;
			tsize = t->size;
			off = pc - tbase;
		}
		/* One 8-byte load of the whole decoded instruction. */
		w = READ_ONCE(*(const u64 *)&insns[off >> 2]);
		memcpy(&d, &w, sizeof(d));
		ret = vsvm_step(x, h, d, &pc);
		if (unlikely(ret)) {
			if (ret == VSVM_HART_EXIT || ret == VSVM_HART_BARRIER)
				n--;
			break;
		}
		n--;
	}
	if (ret < 0 || ret == VSVM_HART_MISS) {
		x->exc.pc = pc;
		x->exc.insn = vsvm_program_insn(x->prog, pc);
		if (ret == -ENOEXEC)
			vsvm_exc(x, pc, DRM_VSVM_ACCESS_READ, ret);
	}
	if (x->fpu.on)
		h->fflags |= vsvm_fpu_take_flags(&x->fpu);
	h->pc = pc;
	x->text = t;
	*budget = n;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_hart_run);
