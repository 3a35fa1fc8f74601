// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm shader floating point
 *
 * The F and D instructions (and the fflags, frm and fcsr CSRs), with
 * RISC-V semantics. This file is built with the kernel's FPU flags and
 * every function in it runs between kernel_fpu_begin() and
 * kernel_fpu_end(), which the interpreter opens at the first
 * floating-point instruction of a work-item's run (vsvm_interp.c).
 *
 * Addition, subtraction, multiplication, division and square root run on
 * SSE, with MXCSR's rounding control set to the instruction's rounding
 * mode, and SSE's exception flags, sticky like fflags, are collected
 * into the work-item's fflags when the section closes or fflags is read.
 * Fused multiply-add of normal operands runs on the CPU's FMA3 when it
 * has one (one rounding, as RISC-V wants; its flags agree for such
 * operands); everything else is vsvm_softfp.c: fused multiply-add
 * (exact, in software), every operation in the RMM rounding mode SSE
 * does not have (square root excepted: it never rounds a tie), and the
 * operations where RISC-V differs from x86: conversions, min/max,
 * comparisons, classification.
 *
 * Single-precision operands must be NaN-boxed (upper 32 bits all ones),
 * else they read as the canonical NaN; single results are NaN-boxed;
 * NaN results are the canonical NaN. A dynamic rounding mode (rm = 7)
 * uses frm; a reserved frm value makes the instruction illegal.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "vsvm_shader.h"

#ifndef CONFIG_X86_64
#error "vsvm_fpu.c runs SSE instructions"
#endif

/* Operation kinds. */
enum vsvm_fpk {
	FPK_FMA,	/* arg: 1 negates the product, 2 the addend */
	FPK_ARITH,	/* arg: enum vsvm_hw */
	FPK_SGNJ,	/* arg: funct3 */
	FPK_MINMAX,	/* arg: 1 for max */
	FPK_TOINT,	/* arg: rs2: W, WU, L, LU */
	FPK_FROMINT,	/* arg: rs2: W, WU, L, LU */
	FPK_MVX,	/* to an x register */
	FPK_MVF,	/* from an x register */
	FPK_CLASS,
	FPK_CMP,	/* arg: funct3 */
	FPK_CVT,	/* between S and D */
	FPK_CSR,	/* arg: funct3 */
};

/* Operations done on SSE. */
enum vsvm_hw {
	HW_ADD,
	HW_SUB,
	HW_MUL,
	HW_DIV,
	HW_SQRT,
};

/**
 * struct vsvm_fp_desc - how a floating-point operation is done
 */
struct vsvm_fp_desc {
	/** @kind: &enum vsvm_fpk. */
	u8 kind;
	/** @dbl: double precision (the result's, for FPK_CVT). */
	u8 dbl;
	/** @arg: depends on @kind. */
	u8 arg;
};

#define FP(o, k, d, a) \
	[VSVM_OP_##o - VSVM_OP_FP_FIRST] = { FPK_##k, d, a }

static const struct vsvm_fp_desc vsvm_fp_ops[VSVM_OP_FP_LAST - VSVM_OP_FP_FIRST + 1] = {
	FP(FMADD_S, FMA, 0, 0), FP(FMADD_D, FMA, 1, 0),
	FP(FMSUB_S, FMA, 0, 2), FP(FMSUB_D, FMA, 1, 2),
	FP(FNMSUB_S, FMA, 0, 1), FP(FNMSUB_D, FMA, 1, 1),
	FP(FNMADD_S, FMA, 0, 3), FP(FNMADD_D, FMA, 1, 3),
	FP(FADD_S, ARITH, 0, HW_ADD), FP(FADD_D, ARITH, 1, HW_ADD),
	FP(FSUB_S, ARITH, 0, HW_SUB), FP(FSUB_D, ARITH, 1, HW_SUB),
	FP(FMUL_S, ARITH, 0, HW_MUL), FP(FMUL_D, ARITH, 1, HW_MUL),
	FP(FDIV_S, ARITH, 0, HW_DIV), FP(FDIV_D, ARITH, 1, HW_DIV),
	FP(FSQRT_S, ARITH, 0, HW_SQRT), FP(FSQRT_D, ARITH, 1, HW_SQRT),
	FP(FSGNJ_S, SGNJ, 0, 0), FP(FSGNJ_D, SGNJ, 1, 0),
	FP(FSGNJN_S, SGNJ, 0, 1), FP(FSGNJN_D, SGNJ, 1, 1),
	FP(FSGNJX_S, SGNJ, 0, 2), FP(FSGNJX_D, SGNJ, 1, 2),
	FP(FMIN_S, MINMAX, 0, 0), FP(FMIN_D, MINMAX, 1, 0),
	FP(FMAX_S, MINMAX, 0, 1), FP(FMAX_D, MINMAX, 1, 1),
	FP(FCVT_W_S, TOINT, 0, 0), FP(FCVT_W_D, TOINT, 1, 0),
	FP(FCVT_WU_S, TOINT, 0, 1), FP(FCVT_WU_D, TOINT, 1, 1),
	FP(FCVT_L_S, TOINT, 0, 2), FP(FCVT_L_D, TOINT, 1, 2),
	FP(FCVT_LU_S, TOINT, 0, 3), FP(FCVT_LU_D, TOINT, 1, 3),
	FP(FCLASS_S, CLASS, 0, 0), FP(FCLASS_D, CLASS, 1, 0),
	FP(FEQ_S, CMP, 0, 2), FP(FEQ_D, CMP, 1, 2),
	FP(FLT_S, CMP, 0, 1), FP(FLT_D, CMP, 1, 1),
	FP(FLE_S, CMP, 0, 0), FP(FLE_D, CMP, 1, 0),
	FP(FCVT_S_W, FROMINT, 0, 0), FP(FCVT_D_W, FROMINT, 1, 0),
	FP(FCVT_S_WU, FROMINT, 0, 1), FP(FCVT_D_WU, FROMINT, 1, 1),
	FP(FCVT_S_L, FROMINT, 0, 2), FP(FCVT_D_L, FROMINT, 1, 2),
	FP(FCVT_S_LU, FROMINT, 0, 3), FP(FCVT_D_LU, FROMINT, 1, 3),
	FP(FMV_X_W, MVX, 0, 0), FP(FMV_X_D, MVX, 1, 0),
	FP(FMV_W_X, MVF, 0, 0), FP(FMV_D_X, MVF, 1, 0),
	FP(FCVT_S_D, CVT, 0, 0), FP(FCVT_D_S, CVT, 1, 0),
	FP(CSRRW, CSR, 0, 1), FP(CSRRS, CSR, 0, 2), FP(CSRRC, CSR, 0, 3),
	FP(CSRRWI, CSR, 0, 5), FP(CSRRSI, CSR, 0, 6), FP(CSRRCI, CSR, 0, 7),
};

#define BOX		0xffffffff00000000ull
#define MXCSR_FLAGS	0x3f
#define MXCSR_RC_SHIFT	13

static u32 vsvm_mxcsr_read(void)
{
	u32 v;

	asm volatile("stmxcsr %0" : "=m" (v));
	return v;
}

static void vsvm_mxcsr_write(u32 v)
{
	asm volatile("ldmxcsr %0" : : "m" (v));
}

/**
 * vsvm_fpu_take_flags() - collect SSE's exception flags
 * @fpu: the FPU section
 *
 * Clears them in MXCSR.
 *
 * Return: the flags raised since the last call, as fflags bits.
 */
u32 vsvm_fpu_take_flags(struct vsvm_fpu *fpu)
{
	/* MXCSR IE, DE, ZE, OE, UE, PE; DE has no RISC-V counterpart. */
	static const u8 map[] = { VSVM_FF_NV, 0, VSVM_FF_DZ, VSVM_FF_OF,
				  VSVM_FF_UF, VSVM_FF_NX };
	u32 m = vsvm_mxcsr_read(), ff = 0;
	unsigned int i;

	if (!(m & MXCSR_FLAGS))
		return 0;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (m & BIT(i))
			ff |= map[i];
	vsvm_mxcsr_write(m & ~MXCSR_FLAGS);
	return ff;
}

static void vsvm_fpu_set_rm(struct vsvm_fpu *fpu, unsigned int rm)
{
	/* MXCSR.RC: 0 nearest, 1 down, 2 up, 3 toward zero. */
	static const u8 rc[] = { [VSVM_RM_RNE] = 0, [VSVM_RM_RTZ] = 3,
				 [VSVM_RM_RDN] = 1, [VSVM_RM_RUP] = 2 };
	u32 m;

	if (fpu->rc == rm)
		return;
	m = vsvm_mxcsr_read() & ~(3u << MXCSR_RC_SHIFT);
	vsvm_mxcsr_write(m | rc[rm] << MXCSR_RC_SHIFT);
	fpu->rc = rm;
}

/* Bits and values without taking addresses (no stack canary). */
union vsvm_d {
	u64 u;
	double d;
};

union vsvm_s {
	u32 u;
	float f;
};

static u64 vsvm_hw_d(unsigned int op, u64 a, u64 b)
{
	double x = ((union vsvm_d) { .u = a }).d;
	double y = ((union vsvm_d) { .u = b }).d;

	switch (op) {
	case HW_ADD:
		asm volatile("addsd %1, %0" : "+x" (x) : "x" (y));
		break;
	case HW_SUB:
		asm volatile("subsd %1, %0" : "+x" (x) : "x" (y));
		break;
	case HW_MUL:
		asm volatile("mulsd %1, %0" : "+x" (x) : "x" (y));
		break;
	case HW_DIV:
		asm volatile("divsd %1, %0" : "+x" (x) : "x" (y));
		break;
	default:
		asm volatile("sqrtsd %1, %0" : "=x" (y) : "x" (x));
		x = y;
		break;
	}
	return ((union vsvm_d) { .d = x }).u;
}

static u64 vsvm_hw_s(unsigned int op, u32 a, u32 b)
{
	float x = ((union vsvm_s) { .u = a }).f;
	float y = ((union vsvm_s) { .u = b }).f;

	switch (op) {
	case HW_ADD:
		asm volatile("addss %1, %0" : "+x" (x) : "x" (y));
		break;
	case HW_SUB:
		asm volatile("subss %1, %0" : "+x" (x) : "x" (y));
		break;
	case HW_MUL:
		asm volatile("mulss %1, %0" : "+x" (x) : "x" (y));
		break;
	case HW_DIV:
		asm volatile("divss %1, %0" : "+x" (x) : "x" (y));
		break;
	default:
		asm volatile("sqrtss %1, %0" : "=x" (y) : "x" (x));
		x = y;
		break;
	}
	return ((union vsvm_s) { .f = x }).u;
}

/* Exponent field neither 0 nor all ones: no zero, subnormal, inf, NaN. */
static bool vsvm_normal(const struct vsvm_sf_fmt *f, u64 a)
{
	u64 e = (a >> f->mbits) & (BIT_ULL(f->ebits) - 1);

	return e && e != BIT_ULL(f->ebits) - 1;
}

/* a * b + c on FMA3; for normal operands its result and flags are RISC-V's. */
static u64 vsvm_hw_fma_d(u64 a, u64 b, u64 c)
{
	double x = ((union vsvm_d) { .u = a }).d;
	double y = ((union vsvm_d) { .u = b }).d;
	double z = ((union vsvm_d) { .u = c }).d;

	asm volatile("vfmadd231sd %2, %1, %0" : "+x" (z) : "x" (x), "x" (y));
	return ((union vsvm_d) { .d = z }).u;
}

static u64 vsvm_hw_fma(bool dbl, u64 a, u64 b, u64 c)
{
	float x, y, z;

	if (dbl)
		return vsvm_hw_fma_d(a, b, c);
	x = ((union vsvm_s) { .u = a }).f;
	y = ((union vsvm_s) { .u = b }).f;
	z = ((union vsvm_s) { .u = c }).f;
	asm volatile("vfmadd231ss %2, %1, %0" : "+x" (z) : "x" (x), "x" (y));
	return ((union vsvm_s) { .f = z }).u;
}

static u64 vsvm_fma(struct vsvm_fpu *fpu, const struct vsvm_sf_fmt *f, bool dbl,
		    u64 a, u64 b, u64 c, unsigned int rm, u32 *flags)
{
	if (fpu->fma && rm != VSVM_RM_RMM && vsvm_normal(f, a) &&
	    vsvm_normal(f, b) && vsvm_normal(f, c)) {
		vsvm_fpu_set_rm(fpu, rm);
		return vsvm_hw_fma(dbl, a, b, c);
	}
	return vsvm_sf_fma(f, a, b, c, rm, flags);
}

static u64 vsvm_sign(const struct vsvm_sf_fmt *f)
{
	return BIT_ULL(f->mbits + f->ebits);
}

static u64 vsvm_arith(struct vsvm_fpu *fpu, const struct vsvm_sf_fmt *f,
		      bool dbl, unsigned int op, u64 a, u64 b, unsigned int rm,
		      u32 *flags)
{
	u64 r;

	if (rm == VSVM_RM_RMM) {
		switch (op) {
		case HW_ADD:
			return vsvm_sf_add(f, a, b, rm, flags);
		case HW_SUB:
			return vsvm_sf_add(f, a, b ^ vsvm_sign(f), rm, flags);
		case HW_MUL:
			return vsvm_sf_mul(f, a, b, rm, flags);
		case HW_DIV:
			return vsvm_sf_div(f, a, b, rm, flags);
		default:
			/* An exact square root is never halfway: RNE is RMM. */
			rm = VSVM_RM_RNE;
			break;
		}
	}
	vsvm_fpu_set_rm(fpu, rm);
	r = dbl ? vsvm_hw_d(op, a, b) : vsvm_hw_s(op, a, b);
	return vsvm_sf_is_nan(f, r) ? vsvm_sf_canonical_nan(f) : r;
}

static u64 vsvm_sgnj(const struct vsvm_sf_fmt *f, unsigned int funct3,
		     u64 a, u64 b)
{
	u64 s = vsvm_sign(f);

	switch (funct3) {
	case 0:
		return (a & ~s) | (b & s);
	case 1:
		return (a & ~s) | (~b & s);
	default:
		return a ^ (b & s);
	}
}

/* Operand @r: double, or a NaN-boxed single (else the canonical NaN). */
static u64 vsvm_fpr(const struct vsvm_hart *h, unsigned int r, bool dbl)
{
	u64 v = h->f[r];

	if (dbl)
		return v;
	return (v & BOX) == BOX ? (u32)v : vsvm_sf_canonical_nan(&vsvm_sf_s);
}

static void vsvm_fpr_set(struct vsvm_hart *h, unsigned int r, u64 v, bool dbl)
{
	h->f[r] = dbl ? v : v | BOX;
}

static u64 vsvm_int_operand(u64 v, unsigned int arg)
{
	switch (arg) {
	case 0:
		return (s64)(s32)v;
	case 1:
		return (u32)v;
	default:
		return v;
	}
}

static void vsvm_csr(struct vsvm_fpu *fpu, struct vsvm_hart *h,
		     const struct vsvm_insn d, unsigned int funct3)
{
	u64 src = funct3 & 4 ? d.rs1 : h->x[d.rs1];
	u32 old, new;

	h->fflags |= vsvm_fpu_take_flags(fpu);
	old = d.imm == 1 ? h->fflags : d.imm == 2 ? h->frm :
	      h->frm << 5 | h->fflags;
	switch (funct3 & 3) {
	case 1:
		new = src;
		break;
	case 2:
		new = old | src;
		break;
	default:
		new = old & ~src;
		break;
	}
	/* csrrs/csrrc with x0 (or uimm 0) do not write. */
	if ((funct3 & 3) == 1 || d.rs1) {
		if (d.imm == 2) {
			h->frm = new & 7;
		} else {
			h->fflags = new & 0x1f;
			if (d.imm == 3)
				h->frm = (new >> 5) & 7;
		}
	}
	h->x[d.rd] = old;
}

/* Operations with a rounding mode. */
static u64 vsvm_fp_rounded(struct vsvm_fpu *fpu, struct vsvm_hart *h,
			   const struct vsvm_insn d,
			   const struct vsvm_fp_desc *o, unsigned int rm)
{
	const struct vsvm_sf_fmt *f = o->dbl ? &vsvm_sf_d : &vsvm_sf_s;
	u64 a = vsvm_fpr(h, d.rs1, o->dbl), b = vsvm_fpr(h, d.rs2, o->dbl);
	u32 *ff = &h->fflags;
	u64 c;

	switch (o->kind) {
	case FPK_FMA:
		c = vsvm_fpr(h, VSVM_FP_RS3(d.imm), o->dbl);
		return vsvm_fma(fpu, f, o->dbl, o->arg & 1 ? a ^ vsvm_sign(f) : a, b,
				o->arg & 2 ? c ^ vsvm_sign(f) : c, rm, ff);
	case FPK_ARITH:
		return vsvm_arith(fpu, f, o->dbl, o->arg, a, b, rm, ff);
	case FPK_FROMINT:
		return vsvm_sf_from_int(f, vsvm_int_operand(h->x[d.rs1], o->arg),
					!(o->arg & 1), rm, ff);
	default:
		/* FPK_CVT: from the other format. */
		if (o->dbl)
			return vsvm_sf_convert(f, &vsvm_sf_s,
					       vsvm_fpr(h, d.rs1, false), rm, ff);
		return vsvm_sf_convert(f, &vsvm_sf_d, h->f[d.rs1], rm, ff);
	}
}

/* Operations without a rounding mode, or with an x destination. */
static void vsvm_fp_other(struct vsvm_hart *h,
			  const struct vsvm_insn d,
			  const struct vsvm_fp_desc *o, unsigned int rm)
{
	const struct vsvm_sf_fmt *f = o->dbl ? &vsvm_sf_d : &vsvm_sf_s;
	u64 a = vsvm_fpr(h, d.rs1, o->dbl), b = vsvm_fpr(h, d.rs2, o->dbl);

	switch (o->kind) {
	case FPK_SGNJ:
		vsvm_fpr_set(h, d.rd, vsvm_sgnj(f, o->arg, a, b), o->dbl);
		break;
	case FPK_MINMAX:
		vsvm_fpr_set(h, d.rd, vsvm_sf_minmax(f, a, b, o->arg, &h->fflags),
			     o->dbl);
		break;
	case FPK_TOINT:
		h->x[d.rd] = vsvm_sf_to_int(f, a, o->arg & 2 ? 64 : 32,
					    !(o->arg & 1), rm, &h->fflags);
		break;
	case FPK_MVX:
		h->x[d.rd] = o->dbl ? h->f[d.rs1] : (s64)(s32)h->f[d.rs1];
		break;
	case FPK_MVF:
		vsvm_fpr_set(h, d.rd, o->dbl ? h->x[d.rs1] : (u32)h->x[d.rs1],
			     o->dbl);
		break;
	case FPK_CLASS:
		h->x[d.rd] = vsvm_sf_classify(f, a);
		break;
	default:
		/* FPK_CMP */
		h->x[d.rd] = vsvm_sf_compare(f, a, b, o->arg, &h->fflags);
		break;
	}
}

/**
 * vsvm_fp_exec() - run a floating-point or fcsr instruction
 * @fpu: the FPU section, open
 * @h: the work-item
 * @d: the instruction, VSVM_OP_FP_FIRST..VSVM_OP_FP_LAST
 *
 * Return: 0, or -ENOEXEC for a dynamic rounding mode with a reserved frm.
 */
int vsvm_fp_exec(struct vsvm_fpu *fpu, struct vsvm_hart *h,
		 const struct vsvm_insn d)
{
	const struct vsvm_fp_desc *o = &vsvm_fp_ops[d.op - VSVM_OP_FP_FIRST];
	unsigned int rm = VSVM_FP_RM(d.imm);

	if (o->kind == FPK_CSR) {
		vsvm_csr(fpu, h, d, o->arg);
		return 0;
	}
	if (rm == VSVM_RM_DYN)
		rm = h->frm;
	if (rm > VSVM_RM_RMM)
		return -ENOEXEC;
	switch (o->kind) {
	case FPK_FMA:
	case FPK_ARITH:
	case FPK_FROMINT:
	case FPK_CVT:
		vsvm_fpr_set(h, d.rd, vsvm_fp_rounded(fpu, h, d, o, rm), o->dbl);
		return 0;
	default:
		vsvm_fp_other(h, d, o, rm);
		return 0;
	}
}

/**
 * vsvm_fp_fmadd() - fmadd.s and fmadd.d, the commonest FP instructions
 * @fpu: the FPU section, open
 * @h: the work-item
 * @d: the instruction, VSVM_OP_FMADD_S or VSVM_OP_FMADD_D
 *
 * Normal operands with a rounding mode FMA3 has go straight to it; the
 * rest takes vsvm_fp_exec()'s way.
 *
 * Return: as vsvm_fp_exec().
 */
int vsvm_fp_fmadd(struct vsvm_fpu *fpu, struct vsvm_hart *h,
		  const struct vsvm_insn d)
{
	bool dbl = d.op == VSVM_OP_FMADD_D;
	const struct vsvm_sf_fmt *f = dbl ? &vsvm_sf_d : &vsvm_sf_s;
	unsigned int rm = VSVM_FP_RM(d.imm);
	u64 a, b, c;

	if (rm == VSVM_RM_DYN)
		rm = h->frm;
	if (!fpu->fma || rm >= VSVM_RM_RMM)
		return vsvm_fp_exec(fpu, h, d);
	a = vsvm_fpr(h, d.rs1, dbl);
	b = vsvm_fpr(h, d.rs2, dbl);
	c = vsvm_fpr(h, VSVM_FP_RS3(d.imm), dbl);
	if (!vsvm_normal(f, a) || !vsvm_normal(f, b) || !vsvm_normal(f, c))
		return vsvm_fp_exec(fpu, h, d);
	vsvm_fpu_set_rm(fpu, rm);
	vsvm_fpr_set(h, d.rd, vsvm_hw_fma(dbl, a, b, c), dbl);
	return 0;
}
