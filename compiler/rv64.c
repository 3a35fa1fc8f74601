// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * What of RV64 the vsvm shader core runs (DOC: vsvm shader core):
 * RV64IMAFD without compressed instructions, Zacas when asked, ecall,
 * fence, and only the fflags/frm/fcsr CSRs. rv64_valid() accepts exactly
 * that, so an image the compiler hands out never holds anything else; the
 * same decoding finds each function's stack frame and direct calls.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>

#define OPC(i) ((i) & 0x7f)
#define RD(i) (((i) >> 7) & 0x1f)
#define F3(i) (((i) >> 12) & 7)
#define RS1(i) (((i) >> 15) & 0x1f)
#define RS2(i) (((i) >> 20) & 0x1f)
#define F7(i) ((i) >> 25)
#define IMM_I(i) ((int32_t)(i) >> 20)

static int rm_ok(uint32_t i)
{
	return F3(i) <= 4 || F3(i) == 7;
}

static int op_fp_valid(uint32_t i)
{
	uint32_t f7 = F7(i), f3 = F3(i), rs2 = RS2(i);

	if ((f7 & 3) > 1)		/* only S and D */
		return 0;
	switch (f7 >> 2) {
	case 0x00: case 0x01: case 0x02: case 0x03:	/* fadd fsub fmul fdiv */
		return rm_ok(i);
	case 0x0b:			/* fsqrt */
		return rs2 == 0 && rm_ok(i);
	case 0x04:			/* fsgnj, fsgnjn, fsgnjx */
		return f3 <= 2;
	case 0x05:			/* fmin, fmax */
		return f3 <= 1;
	case 0x08:			/* fcvt.s.d, fcvt.d.s */
		return rs2 == (f7 & 1 ? 0u : 1u) && rm_ok(i);
	case 0x14:			/* fle flt feq */
		return f3 <= 2;
	case 0x18: case 0x1a:		/* fcvt to/from integers */
		return rs2 <= 3 && rm_ok(i);
	case 0x1c:			/* fmv.x.[wd], fclass */
		return rs2 == 0 && f3 <= 1;
	case 0x1e:			/* fmv.[wd].x */
		return rs2 == 0 && f3 == 0;
	}
	return 0;
}

static int amo_valid(uint32_t i, int zacas)
{
	uint32_t f5 = F7(i) >> 2;

	if (F3(i) != 2 && F3(i) != 3)
		return 0;
	switch (f5) {
	case 0x02:			/* lr */
		return RS2(i) == 0;
	case 0x03: case 0x01: case 0x00: case 0x04: case 0x0c: case 0x08:
	case 0x10: case 0x14: case 0x18: case 0x1c:
		return 1;
	case 0x05:			/* amocas.w/.d */
		return zacas;
	}
	return 0;
}

int rv64_valid(uint32_t i, int zacas)
{
	uint32_t f3 = F3(i), f7 = F7(i);

	if ((i & 3) != 3)
		return 0;		/* compressed */
	switch (OPC(i)) {
	case 0x37: case 0x17: case 0x6f:	/* lui auipc jal */
		return 1;
	case 0x67:			/* jalr */
		return f3 == 0;
	case 0x63:			/* branches */
		return f3 != 2 && f3 != 3;
	case 0x03:			/* loads */
		return f3 != 7;
	case 0x23:			/* stores */
		return f3 <= 3;
	case 0x13:			/* op-imm */
		if (f3 == 1)
			return (i >> 26) == 0;
		if (f3 == 5)
			return (i >> 26) == 0 || (i >> 26) == 0x10;
		return 1;
	case 0x1b:			/* op-imm-32 */
		if (f3 == 0)
			return 1;
		if (f3 == 1)
			return f7 == 0;
		if (f3 == 5)
			return f7 == 0 || f7 == 0x20;
		return 0;
	case 0x33:			/* op */
		return f7 == 0 || f7 == 1 || (f7 == 0x20 && (f3 == 0 || f3 == 5));
	case 0x3b:			/* op-32 */
		if (f7 == 0)
			return f3 == 0 || f3 == 1 || f3 == 5;
		if (f7 == 0x20)
			return f3 == 0 || f3 == 5;
		if (f7 == 1)
			return f3 == 0 || f3 >= 4;
		return 0;
	case 0x0f:			/* fence (not fence.i) */
		return f3 == 0;
	case 0x73:
		if (i == 0x00000073)	/* ecall */
			return 1;
		if (f3 == 0 || f3 == 4)
			return 0;	/* ebreak, wfi, mret...: privileged */
		return (i >> 20) >= 1 && (i >> 20) <= 3;	/* fflags frm fcsr */
	case 0x2f:
		return amo_valid(i, zacas);
	case 0x07:			/* flw fld */
	case 0x27:			/* fsw fsd */
		return f3 == 2 || f3 == 3;
	case 0x43: case 0x47: case 0x4b: case 0x4f:	/* fused multiply-add */
		return ((i >> 25) & 3) <= 1 && rm_ok(i);
	case 0x53:
		return op_fp_valid(i);
	}
	return 0;
}

static int add_callee(struct rv64_func *f, uint64_t target)
{
	uint64_t *c;
	unsigned int k;

	for (k = 0; k < f->num_callees; k++)
		if (f->callees[k] == target)
			return 0;
	c = realloc(f->callees, (f->num_callees + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	c[f->num_callees++] = target;
	f->callees = c;
	return 0;
}

/*
 * Stack frame: the sum of every decrement of sp (addi sp,sp,-n, or sub
 * sp,sp,rX with rX a constant from lui/addi[w]), an upper bound since
 * LLVM allocates a frame once. Calls: jal ra and auipc+jalr pairs; any
 * other jalr that links is an indirect call (stack use unknown).
 */
int rv64_analyze(const uint32_t *code, uint64_t addr, uint64_t size, struct rv64_func *f)
{
	int64_t reg[32] = { 0 };
	uint32_t known = 0;
	uint64_t n = size / 4, k;
	int ret;

	f->addr = addr;
	f->size = size;
	for (k = 0; k < n; k++) {
		uint32_t i = code[k];
		uint32_t rd = RD(i), rs1 = RS1(i);
		int64_t imm = IMM_I(i);

		switch (OPC(i)) {
		case 0x37:
			reg[rd] = (int32_t)(i & 0xfffff000);
			known |= 1u << rd;
			break;
		case 0x17:
			reg[rd] = (int64_t)(addr + 4 * k) + (int32_t)(i & 0xfffff000);
			known |= 1u << rd;
			break;
		case 0x13:
			if (rd == 2 && rs1 == 2 && F3(i) == 0) {
				if (imm < 0)
					f->frame += (uint32_t)-imm;
			} else if (F3(i) == 0 && (rs1 == 0 || (known >> rs1 & 1))) {
				reg[rd] = (rs1 ? reg[rs1] : 0) + imm;
				known |= 1u << rd;
			} else {
				known &= ~(1u << rd);
			}
			break;
		case 0x1b:
			if (F3(i) == 0 && (rs1 == 0 || (known >> rs1 & 1))) {
				reg[rd] = (int32_t)((rs1 ? reg[rs1] : 0) + imm);
				known |= 1u << rd;
			} else {
				known &= ~(1u << rd);
			}
			break;
		case 0x33:
			if (rd == 2 && rs1 == 2 && F3(i) == 0 && F7(i) == 0x20) {
				if (known >> RS2(i) & 1 && reg[RS2(i)] > 0)
					f->frame += (uint32_t)reg[RS2(i)];
				else
					f->unknown = 1;
			} else if (rd == 2 && !(rs1 == 2 && F3(i) == 0 && F7(i) == 0)) {
				f->unknown = 1;	/* add sp, sp, rX frees a frame */
			}
			known &= ~(1u << rd);
			break;
		case 0x6f:
			if (rd == 1) {
				int64_t off = ((int64_t)(int32_t)(i & 0x80000000) >> 11) |
					      (i & 0xff000) | ((i >> 9) & 0x800) |
					      ((i >> 20) & 0x7fe);
				ret = add_callee(f, addr + 4 * k + (uint64_t)off);
				if (ret)
					return ret;
			}
			known &= ~(1u << rd);
			break;
		case 0x67:
			if (rd != 0) {
				if (known >> rs1 & 1) {
					ret = add_callee(f, (uint64_t)(reg[rs1] + imm));
					if (ret)
						return ret;
				} else {
					f->unknown = 1;
				}
			} else if (rs1 == 6 && known >> 6 & 1) {
				/* tail call through t1 */
				ret = add_callee(f, (uint64_t)(reg[6] + imm));
				if (ret)
					return ret;
			}
			known &= ~(1u << rd);
			break;
		default:
			if (OPC(i) != 0x23 && OPC(i) != 0x63 && OPC(i) != 0x27 &&
			    OPC(i) != 0x0f && OPC(i) != 0x73 && rd)
				known &= ~(1u << rd);
			if (OPC(i) == 0x73)
				known &= ~(1u << rd);
			break;
		}
		known &= ~1u;
	}
	return 0;
}
