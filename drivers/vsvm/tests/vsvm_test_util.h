/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * Helpers of the shader-core KUnit suites: a tiny RV64 assembler, program
 * images built from instruction words, and a fake GPU memory whose pages
 * can be made to miss, to run dispatches without a VM.
 */

#ifndef __VSVM_TEST_UTIL_H__
#define __VSVM_TEST_UTIL_H__

#include <linux/types.h>

#include <kunit/test.h>

#include "../vsvm_shader.h"

/* Registers by ABI name. */
enum {
	ZERO, RA, SP, GP, TP, T0, T1, T2, S0, S1, A0, A1, A2, A3, A4, A5, A6,
	A7, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, T3, T4, T5, T6,
};

/* R-type, a constant expression (for tables). */
#define rv_r(op, f3, f7, rd, rs1, rs2) \
	((u32)(f7) << 25 | (rs2) << 20 | (rs1) << 15 | (f3) << 12 | (rd) << 7 | (op))

static inline u32 rv_i(u32 op, u32 f3, u32 rd, u32 rs1, s32 imm)
{
	return ((u32)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static inline u32 rv_s(u32 op, u32 f3, u32 rs1, u32 rs2, s32 imm)
{
	return ((u32)imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 |
	       f3 << 12 | ((u32)imm & 0x1f) << 7 | op;
}

static inline u32 rv_b(u32 f3, u32 rs1, u32 rs2, s32 off)
{
	u32 o = off;

	return (o >> 12 & 1) << 31 | (o >> 5 & 0x3f) << 25 | rs2 << 20 |
	       rs1 << 15 | f3 << 12 | (o >> 1 & 0xf) << 8 |
	       (o >> 11 & 1) << 7 | 0x63;
}

static inline u32 rv_j(u32 rd, s32 off)
{
	u32 o = off;

	return (o >> 20 & 1) << 31 | (o >> 1 & 0x3ff) << 21 |
	       (o >> 11 & 1) << 20 | (o >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
}

/* Fused multiply-add family: opcode, fmt (0 S, 1 D); constant. */
#define rv_r4(op, fmt, rd, rs1, rs2, rs3, rm) \
	((u32)(rs3) << 27 | (fmt) << 25 | (rs2) << 20 | (rs1) << 15 | \
	 (rm) << 12 | (rd) << 7 | (op))

#define LUI(rd, imm20)		((u32)(imm20) << 12 | (rd) << 7 | 0x37)
#define ADDI(rd, rs, imm)	rv_i(0x13, 0, rd, rs, imm)
#define ADDIW(rd, rs, imm)	rv_i(0x1b, 0, rd, rs, imm)
#define SLLI(rd, rs, sh)	rv_i(0x13, 1, rd, rs, sh)
#define ADD(rd, a, b)		rv_r(0x33, 0, 0, rd, a, b)
#define SUB(rd, a, b)		rv_r(0x33, 0, 0x20, rd, a, b)
#define MUL(rd, a, b)		rv_r(0x33, 0, 1, rd, a, b)
#define DIV(rd, a, b)		rv_r(0x33, 4, 1, rd, a, b)
#define DIVU(rd, a, b)		rv_r(0x33, 5, 1, rd, a, b)
#define REM(rd, a, b)		rv_r(0x33, 6, 1, rd, a, b)
#define DIVW(rd, a, b)		rv_r(0x3b, 4, 1, rd, a, b)
#define REMUW(rd, a, b)		rv_r(0x3b, 7, 1, rd, a, b)
#define MULHU(rd, a, b)		rv_r(0x33, 3, 1, rd, a, b)
#define MULHSU(rd, a, b)	rv_r(0x33, 2, 1, rd, a, b)
#define SRAW(rd, a, b)		rv_r(0x3b, 5, 0x20, rd, a, b)
#define LB(rd, rs, off)		rv_i(0x03, 0, rd, rs, off)
#define LH(rd, rs, off)		rv_i(0x03, 1, rd, rs, off)
#define LW(rd, rs, off)		rv_i(0x03, 2, rd, rs, off)
#define LD(rd, rs, off)		rv_i(0x03, 3, rd, rs, off)
#define LBU(rd, rs, off)	rv_i(0x03, 4, rd, rs, off)
#define LWU(rd, rs, off)	rv_i(0x03, 6, rd, rs, off)
#define SB(rs2, rs1, off)	rv_s(0x23, 0, rs1, rs2, off)
#define SW(rs2, rs1, off)	rv_s(0x23, 2, rs1, rs2, off)
#define SD(rs2, rs1, off)	rv_s(0x23, 3, rs1, rs2, off)
#define FLD(rd, rs, off)	rv_i(0x07, 3, rd, rs, off)
#define FSD(rs2, rs1, off)	rv_s(0x27, 3, rs1, rs2, off)
#define BEQ(a, b, off)		rv_b(0, a, b, off)
#define BNE(a, b, off)		rv_b(1, a, b, off)
#define BLT(a, b, off)		rv_b(4, a, b, off)
#define JAL(rd, off)		rv_j(rd, off)
#define JALR(rd, rs, off)	rv_i(0x67, 0, rd, rs, off)
#define RET			JALR(ZERO, RA, 0)
#define ECALL			0x00000073u
#define EBREAK			0x00100073u
#define UNIMP			0xc0001073u	/* csrrw x0, cycle, x0 */
#define FENCE			0x0ff0000fu
/* AMOs: funct5, width (2 w, 3 d). */
#define AMO(f5, w, rd, addr, src)	rv_r(0x2f, w, (f5) << 2, rd, addr, src)
#define AMOADD_W(rd, addr, src)		AMO(0x00, 2, rd, addr, src)
#define AMOADD_D(rd, addr, src)		AMO(0x00, 3, rd, addr, src)
#define AMOSWAP_W(rd, addr, src)	AMO(0x01, 2, rd, addr, src)
#define AMOMIN_W(rd, addr, src)		AMO(0x10, 2, rd, addr, src)
#define AMOMAXU_D(rd, addr, src)	AMO(0x1c, 3, rd, addr, src)
#define LR_W(rd, addr)			AMO(0x02, 2, rd, addr, 0)
#define LR_D(rd, addr)			AMO(0x02, 3, rd, addr, 0)
#define SC_W(rd, addr, src)		AMO(0x03, 2, rd, addr, src)
#define SC_D(rd, addr, src)		AMO(0x03, 3, rd, addr, src)
#define AMOCAS_W(rd, addr, src)		AMO(0x05, 2, rd, addr, src)
#define AMOCAS_D(rd, addr, src)		AMO(0x05, 3, rd, addr, src)
/* CSRs. */
#define CSRRW(rd, csr, rs)	rv_i(0x73, 1, rd, rs, csr)
#define CSRRS(rd, csr, rs)	rv_i(0x73, 2, rd, rs, csr)
#define CSRRWI(rd, csr, imm)	rv_i(0x73, 5, rd, imm, csr)
#define CSR_FFLAGS		1
#define CSR_FRM			2
#define CSR_FCSR		3

/* Where vsvm_test_image() puts the segments it is given. */
#define TEXT_VA		DRM_VSVM_SHADER_IMAGE
#define RODATA_VA	(DRM_VSVM_SHADER_IMAGE + 0x100000)
#define DATA_VA		(DRM_VSVM_SHADER_IMAGE + 0x200000)

/**
 * struct vsvm_test_seg - a segment for vsvm_test_image()
 */
struct vsvm_test_seg {
	/** @vaddr: its address. */
	u64 vaddr;
	/** @data: its contents. */
	const void *data;
	/** @size: bytes of @data. */
	u64 size;
	/** @mem_size: bytes in memory (0: @size). */
	u64 mem_size;
	/** @flags: DRM_VSVM_SEGMENT_*. */
	u32 flags;
};

void *vsvm_test_image(struct kunit *test, const struct vsvm_test_seg *segs,
		      unsigned int n, size_t *size);
struct vsvm_program *vsvm_test_program(struct kunit *test, const u32 *text,
				       unsigned int n);

/* The fake GPU memory. */
#define VSVM_TEST_VA		0x10000000ull
#define VSVM_TEST_PAGES		8

/**
 * struct vsvm_test_mem - fake GPU memory at %VSVM_TEST_VA
 */
struct vsvm_test_mem {
	/** @mem: what the interpreter calls. */
	struct vsvm_shader_mem mem;
	/** @buf: the pages. */
	u8 *buf;
	/** @perms: VSVM_PERM_* of each page; 0: it misses. */
	u32 perms[VSVM_TEST_PAGES];
	/** @absent: pages that miss until serviced. */
	unsigned long absent;
	/** @misses: misses serviced. */
	unsigned int misses;
};

struct vsvm_test_mem *vsvm_test_mem(struct kunit *test);
int vsvm_test_dispatch(struct kunit *test, struct vsvm_program *prog,
		       struct drm_vsvm_dispatch *d, struct vsvm_test_mem *m,
		       u64 slice, struct vsvm_shader_exc *exc, u64 *retired);
int vsvm_test_run1(struct kunit *test, struct vsvm_program *prog,
		   struct vsvm_test_mem *m, struct vsvm_shader_exc *exc);

#endif /* __VSVM_TEST_UTIL_H__ */
