// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm shader ISA
 *
 * The instructions the shader core accepts, one table row per encoding:
 * the bits that identify it (mask and match), the operation it becomes,
 * how its operands are laid out, and the registers it names. Adding an
 * instruction is adding a row (and the operation to the interpreter).
 *
 * vsvm_isa_decode() turns an instruction word into a &struct vsvm_insn,
 * or rejects it. Accepted are RV64I (with fence), M, A (LR/SC and every
 * AMO), F, D, the Zicsr forms on fflags, frm and fcsr, and Zacas
 * amocas.w/amocas.d. SYSTEM instructions that exist but are not available
 * to a shader (ebreak, wfi, mret, sret, sfence.vma, other CSRs, among
 * them ``unimp``) decode to %VSVM_OP_TRAP: they fail the dispatch with
 * -ENOEXEC when run. Anything else, compressed instructions and reserved
 * rounding modes included, is not an instruction.
 */

#include <linux/bits.h>
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>

#include <kunit/visibility.h>

#include "vsvm_shader.h"

/* Operand layouts. */
enum vsvm_fmt {
	FMT_NONE,	/* no operand */
	FMT_R,		/* rd, rs1, rs2 */
	FMT_I,		/* rd, rs1, imm[11:0] */
	FMT_S,		/* rs1, rs2, store offset */
	FMT_B,		/* rs1, rs2, branch offset */
	FMT_U,		/* rd, imm[31:12] */
	FMT_J,		/* rd, jump offset */
	FMT_SH,		/* rd, rs1, shamt (5 or 6 bits, the mask decides) */
	FMT_AMO,	/* rd, rs1, rs2, the row's AMO kind */
	FMT_CAS,	/* amocas: rd also the expected value, in imm */
	FMT_FR,		/* rd, rs1, rs2, rounding mode */
	FMT_R4,		/* rd, rs1, rs2, rs3, rounding mode */
	FMT_CSR,	/* rd, rs1 or uimm, csr */
};

/* Row flags. */
#define ROW_RD_F	BIT(0)	/* rd is a floating-point register */
#define ROW_RM		BIT(1)	/* has a rounding-mode field */

/**
 * struct vsvm_isa_row - one encoding
 */
struct vsvm_isa_row {
	/** @mask: the bits that identify the encoding. */
	u32 mask;
	/** @match: their value. */
	u32 match;
	/** @op: &enum vsvm_op. */
	u8 op;
	/** @fmt: &enum vsvm_fmt. */
	u8 fmt;
	/** @flags: ROW_*. */
	u8 flags;
	/** @arg: the AMO kind. */
	u8 arg;
};

#define ROW(m, v, o, f)		{ (m), (v), VSVM_OP_##o, FMT_##f, 0, 0 }
#define ROWF(m, v, o, f, fl)	{ (m), (v), VSVM_OP_##o, FMT_##f, (fl), 0 }
#define AMOW(f5, k) \
	{ 0xf800707f, (f5) << 27 | 0x202f, VSVM_OP_AMO_W, FMT_AMO, 0, VSVM_AMO_##k }
#define AMOD(f5, k) \
	{ 0xf800707f, (f5) << 27 | 0x302f, VSVM_OP_AMO_D, FMT_AMO, 0, VSVM_AMO_##k }

/* Masks of the common shapes. */
#define M_OPC		0x0000007f	/* opcode */
#define M_F3		0x0000707f	/* opcode, funct3 */
#define M_F7		0xfe00707f	/* opcode, funct3, funct7 */
#define M_F7RM		0xfe00007f	/* opcode, funct7: rm free */
#define M_F7RS2RM	0xfff0007f	/* opcode, funct7, rs2: rm free */
#define M_F7RS2		0xfff0707f	/* opcode, funct3, funct7, rs2 */
#define M_R4		0x0600007f	/* opcode, fmt: rs3 and rm free */
#define M_SH64		0xfc00707f	/* 6-bit shamt */
#define M_ALL		0xffffffff

#define FP_RD_RM		(ROW_RD_F | ROW_RM)

static const struct vsvm_isa_row vsvm_isa_rows[] = {
	/* RV64I */
	ROW(M_OPC, 0x00000037, LUI, U),
	ROW(M_OPC, 0x00000017, AUIPC, U),
	ROW(M_OPC, 0x0000006f, JAL, J),
	ROW(M_F3, 0x00000067, JALR, I),
	ROW(M_F3, 0x00000063, BEQ, B),
	ROW(M_F3, 0x00001063, BNE, B),
	ROW(M_F3, 0x00004063, BLT, B),
	ROW(M_F3, 0x00005063, BGE, B),
	ROW(M_F3, 0x00006063, BLTU, B),
	ROW(M_F3, 0x00007063, BGEU, B),
	ROW(M_F3, 0x00000003, LB, I),
	ROW(M_F3, 0x00001003, LH, I),
	ROW(M_F3, 0x00002003, LW, I),
	ROW(M_F3, 0x00003003, LD, I),
	ROW(M_F3, 0x00004003, LBU, I),
	ROW(M_F3, 0x00005003, LHU, I),
	ROW(M_F3, 0x00006003, LWU, I),
	ROW(M_F3, 0x00000023, SB, S),
	ROW(M_F3, 0x00001023, SH, S),
	ROW(M_F3, 0x00002023, SW, S),
	ROW(M_F3, 0x00003023, SD, S),
	ROW(M_F3, 0x00000013, ADDI, I),
	ROW(M_F3, 0x00002013, SLTI, I),
	ROW(M_F3, 0x00003013, SLTIU, I),
	ROW(M_F3, 0x00004013, XORI, I),
	ROW(M_F3, 0x00006013, ORI, I),
	ROW(M_F3, 0x00007013, ANDI, I),
	ROW(M_SH64, 0x00001013, SLLI, SH),
	ROW(M_SH64, 0x00005013, SRLI, SH),
	ROW(M_SH64, 0x40005013, SRAI, SH),
	ROW(M_F7, 0x00000033, ADD, R),
	ROW(M_F7, 0x40000033, SUB, R),
	ROW(M_F7, 0x00001033, SLL, R),
	ROW(M_F7, 0x00002033, SLT, R),
	ROW(M_F7, 0x00003033, SLTU, R),
	ROW(M_F7, 0x00004033, XOR, R),
	ROW(M_F7, 0x00005033, SRL, R),
	ROW(M_F7, 0x40005033, SRA, R),
	ROW(M_F7, 0x00006033, OR, R),
	ROW(M_F7, 0x00007033, AND, R),
	ROW(M_F3, 0x0000001b, ADDIW, I),
	ROW(M_F7, 0x0000101b, SLLIW, SH),
	ROW(M_F7, 0x0000501b, SRLIW, SH),
	ROW(M_F7, 0x4000501b, SRAIW, SH),
	ROW(M_F7, 0x0000003b, ADDW, R),
	ROW(M_F7, 0x4000003b, SUBW, R),
	ROW(M_F7, 0x0000103b, SLLW, R),
	ROW(M_F7, 0x0000503b, SRLW, R),
	ROW(M_F7, 0x4000503b, SRAW, R),
	ROW(M_F3, 0x0000000f, FENCE, NONE),
	ROW(M_ALL, 0x00000073, ECALL, NONE),
	ROW(M_ALL, 0x00100073, TRAP, NONE),	/* ebreak */
	ROW(M_ALL, 0x10500073, TRAP, NONE),	/* wfi */
	ROW(M_ALL, 0x10200073, TRAP, NONE),	/* sret */
	ROW(M_ALL, 0x30200073, TRAP, NONE),	/* mret */
	ROW(0xfe007fff, 0x12000073, TRAP, NONE),	/* sfence.vma */
	/* Zicsr: other CSRs than fflags, frm, fcsr trap */
	ROW(M_F3, 0x00001073, CSRRW, CSR),
	ROW(M_F3, 0x00002073, CSRRS, CSR),
	ROW(M_F3, 0x00003073, CSRRC, CSR),
	ROW(M_F3, 0x00005073, CSRRWI, CSR),
	ROW(M_F3, 0x00006073, CSRRSI, CSR),
	ROW(M_F3, 0x00007073, CSRRCI, CSR),
	/* M */
	ROW(M_F7, 0x02000033, MUL, R),
	ROW(M_F7, 0x02001033, MULH, R),
	ROW(M_F7, 0x02002033, MULHSU, R),
	ROW(M_F7, 0x02003033, MULHU, R),
	ROW(M_F7, 0x02004033, DIV, R),
	ROW(M_F7, 0x02005033, DIVU, R),
	ROW(M_F7, 0x02006033, REM, R),
	ROW(M_F7, 0x02007033, REMU, R),
	ROW(M_F7, 0x0200003b, MULW, R),
	ROW(M_F7, 0x0200403b, DIVW, R),
	ROW(M_F7, 0x0200503b, DIVUW, R),
	ROW(M_F7, 0x0200603b, REMW, R),
	ROW(M_F7, 0x0200703b, REMUW, R),
	/* A: aq and rl (bits 26:25) are free; LR needs rs2 = 0 */
	ROW(0xf9f0707f, 0x1000202f, LR_W, R),
	ROW(0xf9f0707f, 0x1000302f, LR_D, R),
	ROW(0xf800707f, 0x1800202f, SC_W, R),
	ROW(0xf800707f, 0x1800302f, SC_D, R),
	AMOW(0x01, SWAP), AMOW(0x00, ADD), AMOW(0x04, XOR),
	AMOW(0x0c, AND), AMOW(0x08, OR), AMOW(0x10, MIN),
	AMOW(0x14, MAX), AMOW(0x18, MINU), AMOW(0x1c, MAXU),
	AMOD(0x01, SWAP), AMOD(0x00, ADD), AMOD(0x04, XOR),
	AMOD(0x0c, AND), AMOD(0x08, OR), AMOD(0x10, MIN),
	AMOD(0x14, MAX), AMOD(0x18, MINU), AMOD(0x1c, MAXU),
	/* Zacas */
	ROW(0xf800707f, 0x2800202f, AMOCAS_W, CAS),
	ROW(0xf800707f, 0x2800302f, AMOCAS_D, CAS),
	/* F and D loads and stores */
	ROWF(M_F3, 0x00002007, FLW, I, ROW_RD_F),
	ROWF(M_F3, 0x00003007, FLD, I, ROW_RD_F),
	ROW(M_F3, 0x00002027, FSW, S),
	ROW(M_F3, 0x00003027, FSD, S),
	/* F */
	ROWF(M_R4, 0x00000043, FMADD_S, R4, FP_RD_RM),
	ROWF(M_R4, 0x00000047, FMSUB_S, R4, FP_RD_RM),
	ROWF(M_R4, 0x0000004b, FNMSUB_S, R4, FP_RD_RM),
	ROWF(M_R4, 0x0000004f, FNMADD_S, R4, FP_RD_RM),
	ROWF(M_F7RM, 0x00000053, FADD_S, FR, FP_RD_RM),
	ROWF(M_F7RM, 0x08000053, FSUB_S, FR, FP_RD_RM),
	ROWF(M_F7RM, 0x10000053, FMUL_S, FR, FP_RD_RM),
	ROWF(M_F7RM, 0x18000053, FDIV_S, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0x58000053, FSQRT_S, FR, FP_RD_RM),
	ROWF(M_F7, 0x20000053, FSGNJ_S, R, ROW_RD_F),
	ROWF(M_F7, 0x20001053, FSGNJN_S, R, ROW_RD_F),
	ROWF(M_F7, 0x20002053, FSGNJX_S, R, ROW_RD_F),
	ROWF(M_F7, 0x28000053, FMIN_S, R, ROW_RD_F),
	ROWF(M_F7, 0x28001053, FMAX_S, R, ROW_RD_F),
	ROWF(M_F7RS2RM, 0xc0000053, FCVT_W_S, FR, ROW_RM),
	ROWF(M_F7RS2RM, 0xc0100053, FCVT_WU_S, FR, ROW_RM),
	ROWF(M_F7RS2RM, 0xc0200053, FCVT_L_S, FR, ROW_RM),
	ROWF(M_F7RS2RM, 0xc0300053, FCVT_LU_S, FR, ROW_RM),
	ROW(M_F7RS2, 0xe0000053, FMV_X_W, R),
	ROW(M_F7RS2, 0xe0001053, FCLASS_S, R),
	ROW(M_F7, 0xa0002053, FEQ_S, R),
	ROW(M_F7, 0xa0001053, FLT_S, R),
	ROW(M_F7, 0xa0000053, FLE_S, R),
	ROWF(M_F7RS2RM, 0xd0000053, FCVT_S_W, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0xd0100053, FCVT_S_WU, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0xd0200053, FCVT_S_L, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0xd0300053, FCVT_S_LU, FR, FP_RD_RM),
	ROWF(M_F7RS2, 0xf0000053, FMV_W_X, R, ROW_RD_F),
	/* D */
	ROWF(M_R4, 0x02000043, FMADD_D, R4, FP_RD_RM),
	ROWF(M_R4, 0x02000047, FMSUB_D, R4, FP_RD_RM),
	ROWF(M_R4, 0x0200004b, FNMSUB_D, R4, FP_RD_RM),
	ROWF(M_R4, 0x0200004f, FNMADD_D, R4, FP_RD_RM),
	ROWF(M_F7RM, 0x02000053, FADD_D, FR, FP_RD_RM),
	ROWF(M_F7RM, 0x0a000053, FSUB_D, FR, FP_RD_RM),
	ROWF(M_F7RM, 0x12000053, FMUL_D, FR, FP_RD_RM),
	ROWF(M_F7RM, 0x1a000053, FDIV_D, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0x5a000053, FSQRT_D, FR, FP_RD_RM),
	ROWF(M_F7, 0x22000053, FSGNJ_D, R, ROW_RD_F),
	ROWF(M_F7, 0x22001053, FSGNJN_D, R, ROW_RD_F),
	ROWF(M_F7, 0x22002053, FSGNJX_D, R, ROW_RD_F),
	ROWF(M_F7, 0x2a000053, FMIN_D, R, ROW_RD_F),
	ROWF(M_F7, 0x2a001053, FMAX_D, R, ROW_RD_F),
	ROWF(M_F7RS2RM, 0xc2000053, FCVT_W_D, FR, ROW_RM),
	ROWF(M_F7RS2RM, 0xc2100053, FCVT_WU_D, FR, ROW_RM),
	ROWF(M_F7RS2RM, 0xc2200053, FCVT_L_D, FR, ROW_RM),
	ROWF(M_F7RS2RM, 0xc2300053, FCVT_LU_D, FR, ROW_RM),
	ROW(M_F7RS2, 0xe2000053, FMV_X_D, R),
	ROW(M_F7RS2, 0xe2001053, FCLASS_D, R),
	ROW(M_F7, 0xa2002053, FEQ_D, R),
	ROW(M_F7, 0xa2001053, FLT_D, R),
	ROW(M_F7, 0xa2000053, FLE_D, R),
	ROWF(M_F7RS2RM, 0xd2000053, FCVT_D_W, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0xd2100053, FCVT_D_WU, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0xd2200053, FCVT_D_L, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0xd2300053, FCVT_D_LU, FR, FP_RD_RM),
	ROWF(M_F7RS2, 0xf2000053, FMV_D_X, R, ROW_RD_F),
	ROWF(M_F7RS2RM, 0x40100053, FCVT_S_D, FR, FP_RD_RM),
	ROWF(M_F7RS2RM, 0x42000053, FCVT_D_S, FR, FP_RD_RM),
};

#define RD(w)		FIELD_GET(GENMASK(11, 7), w)
#define RS1(w)		FIELD_GET(GENMASK(19, 15), w)
#define RS2(w)		FIELD_GET(GENMASK(24, 20), w)
#define RS3(w)		FIELD_GET(GENMASK(31, 27), w)
#define RM(w)		FIELD_GET(GENMASK(14, 12), w)

static s32 vsvm_isa_imm(u32 w, unsigned int fmt)
{
	switch (fmt) {
	case FMT_I:
		return (s32)w >> 20;
	case FMT_S:
		return ((s32)w >> 25) << 5 | RD(w);
	case FMT_B:
		return ((s32)w >> 31) << 12 | (w & BIT(7)) << 4 |
		       (w >> 20 & 0x7e0) | (w >> 7 & 0x1e);
	case FMT_U:
		return (s32)(w & 0xfffff000);
	case FMT_J:
		return ((s32)w >> 31) << 20 | (w & 0xff000) |
		       (w >> 9 & BIT(11)) | (w >> 20 & 0x7fe);
	case FMT_SH:
		return FIELD_GET(GENMASK(25, 20), w);
	default:
		return 0;
	}
}

static const struct vsvm_isa_row *vsvm_isa_find(u32 w)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vsvm_isa_rows); i++)
		if ((w & vsvm_isa_rows[i].mask) == vsvm_isa_rows[i].match)
			return &vsvm_isa_rows[i];
	return NULL;
}

/* The CSRs a shader may use: fflags, frm, fcsr. */
static bool vsvm_isa_csr_ok(u32 csr)
{
	return csr >= 1 && csr <= 3;
}

/**
 * vsvm_isa_decode() - decode and validate one instruction
 * @word: the instruction word
 * @insn: out, the decoded instruction
 *
 * Return: 0, or -EINVAL when @word is not an instruction the shader core
 * knows (see DOC: vsvm shader ISA).
 */
int vsvm_isa_decode(u32 word, struct vsvm_insn *insn)
{
	const struct vsvm_isa_row *row = vsvm_isa_find(word);
	unsigned int rd = RD(word);

	if (!row)
		return -EINVAL;
	if ((row->flags & ROW_RM) && (RM(word) == 5 || RM(word) == 6))
		return -EINVAL;
	insn->op = row->op;
	insn->rs1 = RS1(word);
	insn->rs2 = RS2(word);
	insn->imm = vsvm_isa_imm(word, row->fmt);
	switch (row->fmt) {
	case FMT_AMO:
		insn->imm = row->arg;
		break;
	case FMT_CAS:
		/* rd is read (the expected value) and written. */
		insn->imm = rd;
		break;
	case FMT_FR:
		insn->imm = VSVM_FP_IMM(0, RM(word));
		break;
	case FMT_R4:
		insn->imm = VSVM_FP_IMM(RS3(word), RM(word));
		break;
	case FMT_CSR:
		insn->imm = word >> 20;
		if (!vsvm_isa_csr_ok(insn->imm))
			insn->op = VSVM_OP_TRAP;
		break;
	}
	insn->rd = !rd && !(row->flags & ROW_RD_F) ? VSVM_XSINK : rd;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_decode);
