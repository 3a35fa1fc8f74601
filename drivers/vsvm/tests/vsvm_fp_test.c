// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of the shader core's floating point against the RISC-V F
 * and D extensions: each vector runs one instruction in a program on the
 * fake memory (so through the decoder, the FPU section, SSE and the soft
 * float code) and checks the result bits and fflags exactly. The vectors
 * cover NaN boxing, the canonical NaN, fcvt saturation, signed zeros,
 * every rounding mode on ties (RMM included), overflow by rounding mode,
 * tininess after rounding, the exactness of fma, min/max and comparisons
 * with NaNs, and fclass. Their expected values were derived by hand from
 * the specification and agree with qemu-riscv64. The fused multiply-adds
 * also run through the software path alone (the instruction may use FMA3).
 */

#include <linux/module.h>

#include <kunit/test.h>

#include "vsvm_test_util.h"

#define RNE	VSVM_RM_RNE
#define RTZ	VSVM_RM_RTZ
#define RDN	VSVM_RM_RDN
#define RUP	VSVM_RM_RUP
#define RMM	VSVM_RM_RMM
#define DYN	VSVM_RM_DYN
#define NX	VSVM_FF_NX
#define UF	VSVM_FF_UF
#define OF	VSVM_FF_OF
#define DZ	VSVM_FF_DZ
#define NV	VSVM_FF_NV

/* Operands f1, f2, f3 or t1; result f4 or t2. */
#define F_F(f7, rm)		rv_r(0x53, rm, f7, 4, 1, 2)
#define F_1(f7, rs2, rm)	rv_r(0x53, rm, f7, 4, 1, rs2)
#define X_F(f7, rs2, f3)	rv_r(0x53, f3, f7, T2, 1, rs2)
#define X_FF(f7, f3)		rv_r(0x53, f3, f7, T2, 1, 2)
#define F_X(f7, rs2, rm)	rv_r(0x53, rm, f7, 4, T1, rs2)
#define F4(op, fmt, rm)		rv_r4(op, fmt, 4, 1, 2, 3, rm)

#define FADD_S(rm)	F_F(0x00, rm)
#define FSUB_S(rm)	F_F(0x04, rm)
#define FMUL_S(rm)	F_F(0x08, rm)
#define FDIV_S(rm)	F_F(0x0c, rm)
#define FSQRT_S(rm)	F_1(0x2c, 0, rm)
#define FSGNJ_S	F_F(0x10, 0)
#define FMIN_S	F_F(0x14, 0)
#define FMAX_S	F_F(0x14, 1)
#define FCVT_W_S(rm)	X_F(0x60, 0, rm)
#define FCVT_WU_S(rm)	X_F(0x60, 1, rm)
#define FCVT_L_S(rm)	X_F(0x60, 2, rm)
#define FCVT_LU_S(rm)	X_F(0x60, 3, rm)
#define FMV_X_W	X_F(0x70, 0, 0)
#define FCLASS_S	X_F(0x70, 0, 1)
#define FEQ_S	X_FF(0x50, 2)
#define FLT_S	X_FF(0x50, 1)
#define FLE_S	X_FF(0x50, 0)
#define FCVT_S_W(rm)	F_X(0x68, 0, rm)
#define FCVT_S_WU(rm)	F_X(0x68, 1, rm)
#define FCVT_S_LU(rm)	F_X(0x68, 3, rm)
#define FCVT_S_D(rm)	F_1(0x20, 1, rm)
#define FCVT_D_S(rm)	F_1(0x21, 0, rm)
#define FMADD_S(rm)	F4(0x43, 0, rm)
#define FMSUB_S(rm)	F4(0x47, 0, rm)
#define FNMSUB_S(rm)	F4(0x4b, 0, rm)
#define FNMADD_S(rm)	F4(0x4f, 0, rm)
#define FADD_D(rm)	F_F(0x01, rm)
#define FMUL_D(rm)	F_F(0x09, rm)
#define FDIV_D(rm)	F_F(0x0d, rm)
#define FSQRT_D(rm)	F_1(0x2d, 0, rm)
#define FMIN_D	F_F(0x15, 0)
#define FCLASS_D	X_F(0x71, 0, 1)
#define FCVT_W_D(rm)	X_F(0x61, 0, rm)
#define FCVT_L_D(rm)	X_F(0x61, 2, rm)
#define FCVT_LU_D(rm)	X_F(0x61, 3, rm)
#define FCVT_D_L(rm)	F_X(0x69, 2, rm)
#define FMADD_D(rm)	F4(0x43, 1, rm)
#define FMV_X_D	X_F(0x71, 0, 0)
#define FMV_D_X	F_X(0x79, 0, 0)

/**
 * struct fp_vec - one instruction's operands and expected outcome
 */
struct fp_vec {
	/** @what: what it checks. */
	const char *what;
	/** @insn: the instruction. */
	u32 insn;
	/** @in: f1, f2, f3, frm, t1. */
	u64 in[5];
	/** @want: f4, or t2 for an integer result. */
	u64 want;
	/** @flags: fflags afterwards. */
	u32 flags;
};

#define V(w, i, a, b, c, x, frm, r, fl) \
	{ .what = w, .insn = i, .in = { a, b, c, frm, x }, .want = r, .flags = fl }

static const struct fp_vec fp_vecs[] = {
	V("1 + 2^-24, tie", FADD_S(RNE),
	  0xffffffff3f800000, 0xffffffff33800000, 0x0, 0x0, 0,
	  0xffffffff3f800000, NX),
	V("1 + 2^-24, tie", FADD_S(RTZ),
	  0xffffffff3f800000, 0xffffffff33800000, 0x0, 0x0, 0,
	  0xffffffff3f800000, NX),
	V("1 + 2^-24, tie", FADD_S(RDN),
	  0xffffffff3f800000, 0xffffffff33800000, 0x0, 0x0, 0,
	  0xffffffff3f800000, NX),
	V("1 + 2^-24, tie", FADD_S(RUP),
	  0xffffffff3f800000, 0xffffffff33800000, 0x0, 0x0, 0,
	  0xffffffff3f800001, NX),
	V("1 + 2^-24, tie", FADD_S(RMM),
	  0xffffffff3f800000, 0xffffffff33800000, 0x0, 0x0, 0,
	  0xffffffff3f800001, NX),
	V("-1 - 2^-24, tie", FADD_S(RMM),
	  0xffffffffbf800000, 0xffffffffb3800000, 0x0, 0x0, 0,
	  0xffffffffbf800001, NX),
	V("-1 - 2^-24, tie", FADD_S(RDN),
	  0xffffffffbf800000, 0xffffffffb3800000, 0x0, 0x0, 0,
	  0xffffffffbf800001, NX),
	V("-1 - 2^-24, tie", FADD_S(RUP),
	  0xffffffffbf800000, 0xffffffffb3800000, 0x0, 0x0, 0,
	  0xffffffffbf800000, NX),
	V("dynamic RMM", FADD_S(DYN),
	  0xffffffff3f800000, 0xffffffff33800000, 0x0, 0x0, 4,
	  0xffffffff3f800001, NX),
	V("1 - 1 is -0 rounding down", FSUB_S(RDN),
	  0xffffffff3f800000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0xffffffff80000000, 0),
	V("1 - 1 is +0", FSUB_S(RNE),
	  0xffffffff3f800000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0xffffffff00000000, 0),
	V("1 / 0", FDIV_S(RNE),
	  0xffffffff3f800000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0xffffffff7f800000, DZ),
	V("-1 / 0", FDIV_S(RNE),
	  0xffffffffbf800000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0xffffffffff800000, DZ),
	V("0 / 0", FDIV_S(RNE),
	  0xffffffff00000000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0xffffffff7fc00000, NV),
	V("sqrt -1", FSQRT_S(RNE),
	  0xffffffffbf800000, 0x0, 0x0, 0x0, 0,
	  0xffffffff7fc00000, NV),
	V("sqrt -0", FSQRT_S(RNE),
	  0xffffffff80000000, 0x0, 0x0, 0x0, 0,
	  0xffffffff80000000, 0),
	V("sqrt 4", FSQRT_S(RNE),
	  0xffffffff40800000, 0x0, 0x0, 0x0, 0,
	  0xffffffff40000000, 0),
	V("max * 2 overflows", FMUL_S(RNE),
	  0xffffffff7f7fffff, 0xffffffff40000000, 0x0, 0x0, 0,
	  0xffffffff7f800000, NX | OF),
	V("max * 2 overflows", FMUL_S(RTZ),
	  0xffffffff7f7fffff, 0xffffffff40000000, 0x0, 0x0, 0,
	  0xffffffff7f7fffff, NX | OF),
	V("max * 2 overflows", FMUL_S(RDN),
	  0xffffffff7f7fffff, 0xffffffff40000000, 0x0, 0x0, 0,
	  0xffffffff7f7fffff, NX | OF),
	V("max * 2 overflows", FMUL_S(RUP),
	  0xffffffff7f7fffff, 0xffffffff40000000, 0x0, 0x0, 0,
	  0xffffffff7f800000, NX | OF),
	V("-max * 2 overflows", FMUL_S(RDN),
	  0xffffffffff7fffff, 0xffffffff40000000, 0x0, 0x0, 0,
	  0xffffffffff800000, NX | OF),
	V("-max * 2 overflows", FMUL_S(RUP),
	  0xffffffffff7fffff, 0xffffffff40000000, 0x0, 0x0, 0,
	  0xffffffffff7fffff, NX | OF),
	V("subnormal tie", FMUL_S(RNE),
	  0xffffffff00800001, 0xffffffff3f000000, 0x0, 0x0, 0,
	  0xffffffff00400000, NX | UF),
	V("subnormal tie", FMUL_S(RMM),
	  0xffffffff00800001, 0xffffffff3f000000, 0x0, 0x0, 0,
	  0xffffffff00400001, NX | UF),
	V("exact subnormal", FMUL_S(RNE),
	  0xffffffff00800000, 0xffffffff3f000000, 0x0, 0x0, 0,
	  0xffffffff00400000, 0),
	V("tiny before, not after rounding", FMUL_S(RNE),
	  0xffffffff3f780000, 0xffffffff00842108, 0x0, 0x0, 0,
	  0xffffffff00800000, NX),
	V("tiny after rounding", FMUL_S(RTZ),
	  0xffffffff3f780000, 0xffffffff00842108, 0x0, 0x0, 0,
	  0xffffffff007fffff, NX | UF),
	V("unboxed operand", FADD_S(RNE),
	  0x3f800000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0xffffffff7fc00000, 0),
	V("fmv.x.w ignores boxing", FMV_X_W,
	  0x1234567880000000, 0x0, 0x0, 0x0, 0,
	  0xffffffff80000000, 0),
	V("fsgnj.s unboxed", FSGNJ_S,
	  0x3f800000, 0xffffffffbf800000, 0x0, 0x0, 0,
	  0xffffffffffc00000, 0),
	V("fcvt.w.s NaN", FCVT_W_S(RNE),
	  0xffffffff7fc00000, 0x0, 0x0, 0x0, 0,
	  0x7fffffff, NV),
	V("fcvt.w.s -inf", FCVT_W_S(RNE),
	  0xffffffffff800000, 0x0, 0x0, 0x0, 0,
	  0xffffffff80000000, NV),
	V("fcvt.w.s 3e9", FCVT_W_S(RNE),
	  0xffffffff4f32d05e, 0x0, 0x0, 0x0, 0,
	  0x7fffffff, NV),
	V("fcvt.wu.s -1", FCVT_WU_S(RNE),
	  0xffffffffbf800000, 0x0, 0x0, 0x0, 0,
	  0x0, NV),
	V("fcvt.wu.s -0.4", FCVT_WU_S(RNE),
	  0xffffffffbecccccd, 0x0, 0x0, 0x0, 0,
	  0x0, NX),
	V("fcvt.wu.s -0.4 down", FCVT_WU_S(RDN),
	  0xffffffffbecccccd, 0x0, 0x0, 0x0, 0,
	  0x0, NV),
	V("fcvt.wu.s 4e9", FCVT_WU_S(RNE),
	  0xffffffff4f6e6b28, 0x0, 0x0, 0x0, 0,
	  0xffffffffee6b2800, 0),
	V("fcvt.l.s 2^63", FCVT_L_S(RNE),
	  0xffffffff5f000000, 0x0, 0x0, 0x0, 0,
	  0x7fffffffffffffff, NV),
	V("fcvt.l.s -2^63", FCVT_L_S(RNE),
	  0xffffffffdf000000, 0x0, 0x0, 0x0, 0,
	  0x8000000000000000, 0),
	V("fcvt.lu.s NaN", FCVT_LU_S(RNE),
	  0xffffffff7fc00000, 0x0, 0x0, 0x0, 0,
	  0xffffffffffffffff, NV),
	V("fcvt.w.s 2.5", FCVT_W_S(RNE),
	  0xffffffff40200000, 0x0, 0x0, 0x0, 0,
	  0x2, NX),
	V("fcvt.w.s -2.5", FCVT_W_S(RNE),
	  0xffffffffc0200000, 0x0, 0x0, 0x0, 0,
	  0xfffffffffffffffe, NX),
	V("fcvt.w.s 2.5", FCVT_W_S(RMM),
	  0xffffffff40200000, 0x0, 0x0, 0x0, 0,
	  0x3, NX),
	V("fcvt.w.s -2.5", FCVT_W_S(RMM),
	  0xffffffffc0200000, 0x0, 0x0, 0x0, 0,
	  0xfffffffffffffffd, NX),
	V("fcvt.w.s 2.5", FCVT_W_S(RUP),
	  0xffffffff40200000, 0x0, 0x0, 0x0, 0,
	  0x3, NX),
	V("fcvt.w.s -2.5", FCVT_W_S(RUP),
	  0xffffffffc0200000, 0x0, 0x0, 0x0, 0,
	  0xfffffffffffffffe, NX),
	V("fcvt.w.s 2.5", FCVT_W_S(RDN),
	  0xffffffff40200000, 0x0, 0x0, 0x0, 0,
	  0x2, NX),
	V("fcvt.w.s -2.5", FCVT_W_S(RDN),
	  0xffffffffc0200000, 0x0, 0x0, 0x0, 0,
	  0xfffffffffffffffd, NX),
	V("fcvt.w.s 2.5", FCVT_W_S(RTZ),
	  0xffffffff40200000, 0x0, 0x0, 0x0, 0,
	  0x2, NX),
	V("fcvt.w.s -2.5", FCVT_W_S(RTZ),
	  0xffffffffc0200000, 0x0, 0x0, 0x0, 0,
	  0xfffffffffffffffe, NX),
	V("fmin -0 +0", FMIN_S,
	  0xffffffff80000000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0xffffffff80000000, 0),
	V("fmax -0 +0", FMAX_S,
	  0xffffffff80000000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0xffffffff00000000, 0),
	V("fmin qNaN 1", FMIN_S,
	  0xffffffff7fc00000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0xffffffff3f800000, 0),
	V("fmin sNaN 1", FMIN_S,
	  0xffffffff7fa00000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0xffffffff3f800000, NV),
	V("fmax qNaN qNaN", FMAX_S,
	  0xffffffff7fc00000, 0xffffffffffc00001, 0x0, 0x0, 0,
	  0xffffffff7fc00000, 0),
	V("fmin sNaN sNaN", FMIN_S,
	  0xffffffff7fa00000, 0xffffffff7fa00000, 0x0, 0x0, 0,
	  0xffffffff7fc00000, NV),
	V("feq qNaN", FEQ_S,
	  0xffffffff7fc00000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0x0, 0),
	V("flt qNaN", FLT_S,
	  0xffffffff7fc00000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0x0, NV),
	V("feq sNaN", FEQ_S,
	  0xffffffff7fa00000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0x0, NV),
	V("feq -0 +0", FEQ_S,
	  0xffffffff80000000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0x1, 0),
	V("fle -0 +0", FLE_S,
	  0xffffffff80000000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0x1, 0),
	V("flt -0 +0", FLT_S,
	  0xffffffff80000000, 0xffffffff00000000, 0x0, 0x0, 0,
	  0x0, 0),
	V("flt -1 1", FLT_S,
	  0xffffffffbf800000, 0xffffffff3f800000, 0x0, 0x0, 0,
	  0x1, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffffff800000, 0x0, 0x0, 0x0, 0,
	  0x1, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffffbf800000, 0x0, 0x0, 0x0, 0,
	  0x2, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff80000001, 0x0, 0x0, 0x0, 0,
	  0x4, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff80000000, 0x0, 0x0, 0x0, 0,
	  0x8, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff00000000, 0x0, 0x0, 0x0, 0,
	  0x10, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff00000001, 0x0, 0x0, 0x0, 0,
	  0x20, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff3f800000, 0x0, 0x0, 0x0, 0,
	  0x40, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff7f800000, 0x0, 0x0, 0x0, 0,
	  0x80, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff7fa00000, 0x0, 0x0, 0x0, 0,
	  0x100, 0),
	V("fclass.s", FCLASS_S,
	  0xffffffff7fc00000, 0x0, 0x0, 0x0, 0,
	  0x200, 0),
	V("fclass.s unboxed", FCLASS_S,
	  0x3f800000, 0x0, 0x0, 0x0, 0,
	  0x200, 0),
	V("fma exact", FMADD_S(RNE),
	  0xffffffff3f800800, 0xffffffff3f800800, 0xffffffffbf801000, 0x0, 0,
	  0xffffffff33800000, 0),
	V("fma inf*0+qNaN", FMADD_S(RNE),
	  0xffffffff7f800000, 0xffffffff00000000, 0xffffffff7fc00000, 0x0, 0,
	  0xffffffff7fc00000, NV),
	V("fnmadd", FNMADD_S(RNE),
	  0xffffffff3f800000, 0xffffffff3f800000, 0xffffffff3f800000, 0x0, 0,
	  0xffffffffc0000000, 0),
	V("fnmsub", FNMSUB_S(RNE),
	  0xffffffff3f800000, 0xffffffff3f800000, 0xffffffff3f800000, 0x0, 0,
	  0xffffffff00000000, 0),
	V("fmsub", FMSUB_S(RNE),
	  0xffffffff40000000, 0xffffffff40400000, 0xffffffff3f800000, 0x0, 0,
	  0xffffffff40a00000, 0),
	V("fma +0*1-0 down", FMADD_S(RDN),
	  0xffffffff00000000, 0xffffffff3f800000, 0xffffffff80000000, 0x0, 0,
	  0xffffffff80000000, 0),
	V("fma +0*1-0", FMADD_S(RNE),
	  0xffffffff00000000, 0xffffffff3f800000, 0xffffffff80000000, 0x0, 0,
	  0xffffffff00000000, 0),
	V("fma no intermediate overflow", FMADD_S(RNE),
	  0xffffffff7f7fffff, 0xffffffff40000000, 0xffffffffff7fffff, 0x0, 0,
	  0xffffffff7f7fffff, 0),
	V("fma exact subnormal", FMADD_S(RNE),
	  0xffffffff1e800000, 0xffffffff20000000, 0xffffffff80800000, 0x0, 0,
	  0xffffffff80700000, 0),
	V("fma overflows", FMADD_S(RNE),
	  0xffffffff7f000000, 0xffffffff40800000, 0xffffffff3f800000, 0x0, 0,
	  0xffffffff7f800000, NX | OF),
	V("fma overflows", FMADD_S(RTZ),
	  0xffffffff7f000000, 0xffffffff40800000, 0xffffffff3f800000, 0x0, 0,
	  0xffffffff7f7fffff, NX | OF),
	V("fma cancels", FMADD_S(RNE),
	  0xffffffff3f800001, 0xffffffff3f7ffffe, 0xffffffffbf800000, 0x0, 0,
	  0xffffffffa8800000, 0),
	V("fcvt.s.d tie", FCVT_S_D(RNE),
	  0x3ff0000010000000, 0x0, 0x0, 0x0, 0,
	  0xffffffff3f800000, NX),
	V("fcvt.s.d tie", FCVT_S_D(RMM),
	  0x3ff0000010000000, 0x0, 0x0, 0x0, 0,
	  0xffffffff3f800001, NX),
	V("fcvt.s.d 1e300", FCVT_S_D(RNE),
	  0x7e37e43c8800759c, 0x0, 0x0, 0x0, 0,
	  0xffffffff7f800000, NX | OF),
	V("fcvt.s.d sNaN", FCVT_S_D(RNE),
	  0x7ff4000000000000, 0x0, 0x0, 0x0, 0,
	  0xffffffff7fc00000, NV),
	V("fcvt.d.s sNaN", FCVT_D_S(RNE),
	  0xffffffff7fa00000, 0x0, 0x0, 0x0, 0,
	  0x7ff8000000000000, NV),
	V("fcvt.d.s subnormal", FCVT_D_S(RNE),
	  0xffffffff00000001, 0x0, 0x0, 0x0, 0,
	  0x36a0000000000000, 0),
	V("fcvt.s.w 2^24+1", FCVT_S_W(RNE),
	  0x0, 0x0, 0x0, 0x1000001, 0,
	  0xffffffff4b800000, NX),
	V("fcvt.s.w 2^24+1", FCVT_S_W(RUP),
	  0x0, 0x0, 0x0, 0x1000001, 0,
	  0xffffffff4b800001, NX),
	V("fcvt.s.w 2^24+1", FCVT_S_W(RMM),
	  0x0, 0x0, 0x0, 0x1000001, 0,
	  0xffffffff4b800001, NX),
	V("fcvt.s.w INT32_MIN", FCVT_S_W(RNE),
	  0x0, 0x0, 0x0, 0xffffffff80000000, 0,
	  0xffffffffcf000000, 0),
	V("fcvt.s.wu low word", FCVT_S_WU(RNE),
	  0x0, 0x0, 0x0, 0xffffffffffffffff, 0,
	  0xffffffff4f800000, NX),
	V("fcvt.s.lu max", FCVT_S_LU(RNE),
	  0x0, 0x0, 0x0, 0xffffffffffffffff, 0,
	  0xffffffff5f800000, NX),
	V("fcvt.s.lu max", FCVT_S_LU(RTZ),
	  0x0, 0x0, 0x0, 0xffffffffffffffff, 0,
	  0xffffffff5f7fffff, NX),
	V("1 + 2^-53, tie", FADD_D(RNE),
	  0x3ff0000000000000, 0x3ca0000000000000, 0x0, 0x0, 0,
	  0x3ff0000000000000, NX),
	V("1 + 2^-53, tie", FADD_D(RMM),
	  0x3ff0000000000000, 0x3ca0000000000000, 0x0, 0x0, 0,
	  0x3ff0000000000001, NX),
	V("product tie", FMUL_D(RNE),
	  0x3ff0000000000003, 0x3ff8000000000000, 0x0, 0x0, 0,
	  0x3ff8000000000004, NX),
	V("product tie", FMUL_D(RMM),
	  0x3ff0000000000003, 0x3ff8000000000000, 0x0, 0x0, 0,
	  0x3ff8000000000005, NX),
	V("subnormal quotient tie", FDIV_D(RNE),
	  0x5, 0x4000000000000000, 0x0, 0x0, 0,
	  0x2, NX | UF),
	V("subnormal quotient tie", FDIV_D(RMM),
	  0x5, 0x4000000000000000, 0x0, 0x0, 0,
	  0x3, NX | UF),
	V("sqrt 2", FSQRT_D(RNE),
	  0x4000000000000000, 0x0, 0x0, 0x0, 0,
	  0x3ff6a09e667f3bcd, NX),
	V("sqrt 2", FSQRT_D(RDN),
	  0x4000000000000000, 0x0, 0x0, 0x0, 0,
	  0x3ff6a09e667f3bcc, NX),
	V("sqrt 2", FSQRT_D(RUP),
	  0x4000000000000000, 0x0, 0x0, 0x0, 0,
	  0x3ff6a09e667f3bcd, NX),
	V("sqrt 2", FSQRT_D(RTZ),
	  0x4000000000000000, 0x0, 0x0, 0x0, 0,
	  0x3ff6a09e667f3bcc, NX),
	V("sqrt 2", FSQRT_D(RMM),
	  0x4000000000000000, 0x0, 0x0, 0x0, 0,
	  0x3ff6a09e667f3bcd, NX),
	V("fcvt.l.d 2^63", FCVT_L_D(RNE),
	  0x43e0000000000000, 0x0, 0x0, 0x0, 0,
	  0x7fffffffffffffff, NV),
	V("fcvt.l.d -2^63", FCVT_L_D(RNE),
	  0xc3e0000000000000, 0x0, 0x0, 0x0, 0,
	  0x8000000000000000, 0),
	V("fcvt.l.d below 2^63", FCVT_L_D(RNE),
	  0x43dfffffffffffff, 0x0, 0x0, 0x0, 0,
	  0x7ffffffffffffc00, 0),
	V("fcvt.w.d 2^31-0.5", FCVT_W_D(RNE),
	  0x41dfffffffe00000, 0x0, 0x0, 0x0, 0,
	  0x7fffffff, NV),
	V("fcvt.w.d 2^31-0.5", FCVT_W_D(RTZ),
	  0x41dfffffffe00000, 0x0, 0x0, 0x0, 0,
	  0x7fffffff, NX),
	V("fcvt.lu.d -0", FCVT_LU_D(RNE),
	  0x8000000000000000, 0x0, 0x0, 0x0, 0,
	  0x0, 0),
	V("fcvt.lu.d -1", FCVT_LU_D(RNE),
	  0xbff0000000000000, 0x0, 0x0, 0x0, 0,
	  0x0, NV),
	V("fma.d exact", FMADD_D(RNE),
	  0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000, 0x0, 0,
	  0x3c90000000000000, 0),
	V("fmin.d -0 +0", FMIN_D,
	  0x0, 0x8000000000000000, 0x0, 0x0, 0,
	  0x8000000000000000, 0),
	V("fclass.d sNaN", FCLASS_D,
	  0x7ff4000000000000, 0x0, 0x0, 0x0, 0,
	  0x100, 0),
	V("fmv.x.d", FMV_X_D,
	  0x123456789abcdef0, 0x0, 0x0, 0x0, 0,
	  0x123456789abcdef0, 0),
	V("fmv.d.x", FMV_D_X,
	  0x0, 0x0, 0x0, 0x123456789abcdef0, 0,
	  0x123456789abcdef0, 0),
	V("fcvt.d.l INT64_MAX", FCVT_D_L(RNE),
	  0x0, 0x0, 0x0, 0x7fffffffffffffff, 0,
	  0x43e0000000000000, NX),
	V("fcvt.d.l INT64_MAX", FCVT_D_L(RTZ),
	  0x0, 0x0, 0x0, 0x7fffffffffffffff, 0,
	  0x43dfffffffffffff, NX),
};

/* Integer results: fcvt to integer, fmv.x, fclass and comparisons. */
static bool fp_x_dest(u32 insn)
{
	u32 f7 = (insn >> 25) & ~1u;

	return (insn & 0x7f) == 0x53 && (f7 == 0x60 || f7 == 0x70 || f7 == 0x50);
}

/* Loads the operands from a0, runs @insn, stores f4, t2 and fflags. */
static int fp_run(struct kunit *test, struct vsvm_test_mem *m, u32 insn,
		  struct vsvm_shader_exc *exc)
{
	u32 text[] = {
		FLD(1, A0, 0), FLD(2, A0, 8), FLD(3, A0, 16), LD(T0, A0, 24),
		CSRRW(ZERO, CSR_FRM, T0), LD(T1, A0, 32), insn,
		FSD(4, A0, 40), SD(T2, A0, 48), CSRRS(T3, CSR_FFLAGS, ZERO),
		SD(T3, A0, 56), RET,
	};

	return vsvm_test_run1(test, vsvm_test_program(test, text,
						      ARRAY_SIZE(text)), m, exc);
}

static void vsvm_test_fp_vectors(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	u64 *io = (u64 *)m->buf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fp_vecs); i++) {
		const struct fp_vec *v = &fp_vecs[i];

		memset(io, 0, 64);
		memcpy(io, v->in, sizeof(v->in));
		KUNIT_ASSERT_EQ_MSG(test, fp_run(test, m, v->insn, NULL), 0,
				    "%s", v->what);
		KUNIT_EXPECT_EQ_MSG(test, fp_x_dest(v->insn) ? io[6] : io[5],
				    v->want, "%s: insn %08x", v->what, v->insn);
		KUNIT_EXPECT_EQ_MSG(test, io[7], v->flags, "%s: fflags, insn %08x",
				    v->what, v->insn);
	}
}

/* A reserved frm with a dynamic rounding mode is an illegal instruction. */
static void vsvm_test_fp_bad_frm(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	u64 *io = (u64 *)m->buf;

	io[3] = 5;
	KUNIT_EXPECT_EQ(test, fp_run(test, m, FADD_S(DYN), &exc), -ENOEXEC);
	KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 6 * 4);
	KUNIT_EXPECT_EQ(test, exc.insn, FADD_S(DYN));
	/* A static rounding mode does not look at frm. */
	KUNIT_EXPECT_EQ(test, fp_run(test, m, FADD_S(RNE), NULL), 0);
}

/* fcsr is frm << 5 | fflags; flags accrue until written. */
static void vsvm_test_fp_csr(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	u64 *io = (u64 *)m->buf;
	u32 text[] = {
		CSRRWI(ZERO, CSR_FRM, 3),
		FLD(1, A0, 0), FDIV_D(RNE), FDIV_D(RNE),	/* 1/0: DZ */
		CSRRS(T0, CSR_FCSR, ZERO), SD(T0, A0, 8),
		FLD(2, A0, 16), FADD_D(DYN),			/* 1 + 3 */
		CSRRWI(T1, CSR_FFLAGS, 1), SD(T1, A0, 24),	/* was DZ */
		CSRRS(T2, CSR_FCSR, ZERO), SD(T2, A0, 32),
		CSRRW(ZERO, CSR_FCSR, ZERO), CSRRS(T3, CSR_FRM, ZERO),
		SD(T3, A0, 40), FSD(4, A0, 48), RET,
	};

	io[0] = 0x3ff0000000000000ull;
	io[2] = 0x4008000000000000ull;
	struct vsvm_program *prog = vsvm_test_program(test, text, ARRAY_SIZE(text));

	KUNIT_ASSERT_EQ(test, vsvm_test_run1(test, prog, m, NULL), 0);
	KUNIT_EXPECT_EQ(test, io[1], 3 << 5 | DZ);
	KUNIT_EXPECT_EQ(test, io[3], DZ);
	KUNIT_EXPECT_EQ(test, io[4], 3 << 5 | NX);
	KUNIT_EXPECT_EQ(test, io[5], 0);
	KUNIT_EXPECT_EQ(test, io[6], 0x4010000000000000ull);
}

/* The soft-float helpers the vectors do not reach directly. */
static void vsvm_test_fp_soft(struct kunit *test)
{
	u32 ff = 0;

	/* RMM division and multiplication on SSE's modes' ties. */
	KUNIT_EXPECT_EQ(test, vsvm_sf_div(&vsvm_sf_s, 0x3f800000, 0x40400000,
					  RNE, &ff), 0x3eaaaaab);
	KUNIT_EXPECT_EQ(test, ff, NX);
	ff = 0;
	KUNIT_EXPECT_EQ(test, vsvm_sf_div(&vsvm_sf_d, 0x3ff0000000000000ull,
					  0x4008000000000000ull, RTZ, &ff),
			0x3fd5555555555555ull);
	KUNIT_EXPECT_EQ(test, ff, NX);
	ff = 0;
	KUNIT_EXPECT_EQ(test, vsvm_sf_mul(&vsvm_sf_s, 0x7f800000, 0, RNE, &ff),
			vsvm_sf_canonical_nan(&vsvm_sf_s));
	KUNIT_EXPECT_EQ(test, ff, NV);
	ff = 0;
	/* Smallest subnormal times 0.5 rounds to 0 or, away, to itself. */
	KUNIT_EXPECT_EQ(test, vsvm_sf_mul(&vsvm_sf_d, 1, 0x3fe0000000000000ull,
					  RNE, &ff), 0);
	KUNIT_EXPECT_EQ(test, ff, UF | NX);
	KUNIT_EXPECT_EQ(test, vsvm_sf_mul(&vsvm_sf_d, 1, 0x3fe0000000000000ull,
					  RMM, &ff), 1);
	KUNIT_EXPECT_EQ(test, vsvm_sf_to_int(&vsvm_sf_d, 0x3fe0000000000000ull,
					     64, true, RMM, &ff), 1);
	KUNIT_EXPECT_EQ(test, vsvm_sf_to_int(&vsvm_sf_d, 0x3fe0000000000000ull,
					     64, true, RNE, &ff), 0);
}

/*
 * The fused multiply-adds of the vectors, straight through the software
 * path (the instructions may take FMA3 for normal operands).
 */
static void vsvm_test_fp_soft_fma(struct kunit *test)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(fp_vecs); i++) {
		const struct fp_vec *v = &fp_vecs[i];
		u32 op = v->insn & 0x7f, rm = (v->insn >> 12) & 7, ff = 0;
		bool dbl = (v->insn >> 25) & 3;
		const struct vsvm_sf_fmt *f = dbl ? &vsvm_sf_d : &vsvm_sf_s;
		u64 a = v->in[0], b = v->in[1], c = v->in[2], r;

		if (op != 0x43 || rm == DYN)
			continue;
		if (!dbl) {
			a = (u32)a;
			b = (u32)b;
			c = (u32)c;
		}
		r = vsvm_sf_fma(f, a, b, c, rm, &ff);
		KUNIT_EXPECT_EQ_MSG(test, dbl ? r : r | 0xffffffff00000000ull,
				    v->want, "%s", v->what);
		KUNIT_EXPECT_EQ_MSG(test, ff, v->flags, "%s: fflags", v->what);
		n++;
	}
	KUNIT_EXPECT_GE(test, n, 9);
}

static struct kunit_case vsvm_fp_tests[] = {
	KUNIT_CASE(vsvm_test_fp_vectors),
	KUNIT_CASE(vsvm_test_fp_bad_frm),
	KUNIT_CASE(vsvm_test_fp_csr),
	KUNIT_CASE(vsvm_test_fp_soft),
	KUNIT_CASE(vsvm_test_fp_soft_fma),
	{}
};

static struct kunit_suite vsvm_fp_suite = {
	.name = "vsvm_shader_fp",
	.test_cases = vsvm_fp_tests,
};

kunit_test_suite(vsvm_fp_suite);
