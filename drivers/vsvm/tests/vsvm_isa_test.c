// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of the shader core's decoder and image validator: every
 * major opcode decodes to the right operation and operands, words that
 * are not instructions are refused, and a bad image (every header and
 * segment field, overlapping segments, a bad instruction, a branch or
 * jump out of the executable segments) is -EINVAL with the offset of
 * what is wrong, while good images with several segments are accepted.
 */

#include <linux/module.h>

#include <kunit/test.h>

#include "vsvm_test_util.h"

/**
 * struct isa_vec - a word and what it decodes to
 */
struct isa_vec {
	/** @word: the instruction. */
	u32 word;
	/** @op: the operation. */
	u8 op;
	/** @rd: destination. */
	u8 rd;
	/** @rs1: first source. */
	u8 rs1;
	/** @rs2: second source. */
	u8 rs2;
	/** @imm: immediate. */
	s32 imm;
};

#define D(w, o, d, s1, s2, i) { w, VSVM_OP_##o, d, s1, s2, i }
#define SINK VSVM_XSINK

static const struct isa_vec isa_vecs[] = {
	D(0x123452b7, LUI, 5, 8, 3, 0x12345000),	/* lui t0, 0x12345 */
	D(0xfffff517, AUIPC, 10, 31, 31, (s32)0xfffff000),
	D(0xff9ff0ef, JAL, 1, 31, 25, -8),		/* jal ra, -8 */
	D(0x0000006f, JAL, SINK, 0, 0, 0),		/* j . */
	D(0x00008067, JALR, SINK, 1, 0, 0),		/* ret */
	D(0xfe0508e3, BEQ, 17, 10, 0, -16),		/* beqz a0, -16 */
	D(0x00b51463, BNE, 8, 10, 11, 8),
	D(0x7eb54fe3, BLT, 31, 10, 11, 4094),
	D(0x80b55063, BGE, SINK, 10, 11, -4096),
	D(0x00b56463, BLTU, 8, 10, 11, 8),
	D(0x00b57463, BGEU, 8, 10, 11, 8),
	D(0xff850583, LB, 11, 10, 24, -8),
	D(0x00451583, LH, 11, 10, 4, 4),
	D(0x7ff52583, LW, 11, 10, 31, 2047),
	D(0x80053583, LD, 11, 10, 0, -2048),
	D(0x00054583, LBU, 11, 10, 0, 0),
	D(0x00055583, LHU, 11, 10, 0, 0),
	D(0x00056583, LWU, 11, 10, 0, 0),
	D(0xfeb50c23, SB, 24, 10, 11, -8),
	D(0x00b51223, SH, 4, 10, 11, 4),
	D(0x7eb52fa3, SW, 31, 10, 11, 2047),
	D(0x80b53023, SD, SINK, 10, 11, -2048),
	D(0xfff50593, ADDI, 11, 10, 31, -1),
	D(0x00000013, ADDI, SINK, 0, 0, 0),		/* nop */
	D(0x00a52593, SLTI, 11, 10, 10, 10),
	D(0x00a53593, SLTIU, 11, 10, 10, 10),
	D(0x00a54593, XORI, 11, 10, 10, 10),
	D(0x00a56593, ORI, 11, 10, 10, 10),
	D(0x00a57593, ANDI, 11, 10, 10, 10),
	D(0x03f51593, SLLI, 11, 10, 31, 63),
	D(0x03f55593, SRLI, 11, 10, 31, 63),
	D(0x43f55593, SRAI, 11, 10, 31, 63),
	D(0x00c585b3, ADD, 11, 11, 12, 0),
	D(0x40c585b3, SUB, 11, 11, 12, 0),
	D(0x00c595b3, SLL, 11, 11, 12, 0),
	D(0x00c5a5b3, SLT, 11, 11, 12, 0),
	D(0x00c5b5b3, SLTU, 11, 11, 12, 0),
	D(0x00c5c5b3, XOR, 11, 11, 12, 0),
	D(0x00c5d5b3, SRL, 11, 11, 12, 0),
	D(0x40c5d5b3, SRA, 11, 11, 12, 0),
	D(0x00c5e5b3, OR, 11, 11, 12, 0),
	D(0x00c5f5b3, AND, 11, 11, 12, 0),
	D(0xfff5859b, ADDIW, 11, 11, 31, -1),
	D(0x01f5959b, SLLIW, 11, 11, 31, 31),
	D(0x01f5d59b, SRLIW, 11, 11, 31, 31),
	D(0x41f5d59b, SRAIW, 11, 11, 31, 31),
	D(0x00c585bb, ADDW, 11, 11, 12, 0),
	D(0x40c585bb, SUBW, 11, 11, 12, 0),
	D(0x00c595bb, SLLW, 11, 11, 12, 0),
	D(0x00c5d5bb, SRLW, 11, 11, 12, 0),
	D(0x40c5d5bb, SRAW, 11, 11, 12, 0),
	D(0x02c585b3, MUL, 11, 11, 12, 0),
	D(0x02c595b3, MULH, 11, 11, 12, 0),
	D(0x02c5a5b3, MULHSU, 11, 11, 12, 0),
	D(0x02c5b5b3, MULHU, 11, 11, 12, 0),
	D(0x02c5c5b3, DIV, 11, 11, 12, 0),
	D(0x02c5d5b3, DIVU, 11, 11, 12, 0),
	D(0x02c5e5b3, REM, 11, 11, 12, 0),
	D(0x02c5f5b3, REMU, 11, 11, 12, 0),
	D(0x02c585bb, MULW, 11, 11, 12, 0),
	D(0x02c5c5bb, DIVW, 11, 11, 12, 0),
	D(0x02c5d5bb, DIVUW, 11, 11, 12, 0),
	D(0x02c5e5bb, REMW, 11, 11, 12, 0),
	D(0x02c5f5bb, REMUW, 11, 11, 12, 0),
	D(0x0ff0000f, FENCE, SINK, 0, 31, 0),
	D(0x0100000f, FENCE, SINK, 0, 16, 0),		/* pause */
	D(0x00000073, ECALL, SINK, 0, 0, 0),
	D(0x00100073, TRAP, SINK, 0, 1, 0),		/* ebreak */
	D(0x10500073, TRAP, SINK, 0, 5, 0),		/* wfi */
	D(0x30200073, TRAP, SINK, 0, 2, 0),		/* mret */
	D(0xc0001073, TRAP, SINK, 0, 0, 0xc00),		/* unimp */
	D(0xc0102573, TRAP, 10, 0, 1, 0xc01),		/* rdtime a0 */
	D(0x00102573, CSRRS, 10, 0, 1, 1),		/* frflags a0 */
	D(0x00259073, CSRRW, SINK, 11, 2, 2),		/* fsrm a1 */
	D(0x0030d573, CSRRWI, 10, 1, 3, 3),
	D(0x00316073, CSRRSI, SINK, 2, 3, 3),
	D(0x0031f073, CSRRCI, SINK, 3, 3, 3),
	D(0x0015b573, CSRRC, 10, 11, 1, 1),		/* csrrc a0, fflags, a1 */
	D(0x00c5b073, TRAP, SINK, 11, 12, 0xc),		/* csrc 0xc, a1 */
	D(0x00c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_ADD),
	D(0x06c5b5af, AMO_D, 11, 11, 12, VSVM_AMO_ADD),	/* amoadd.d.aqrl */
	D(0x08c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_SWAP),
	D(0x20c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_XOR),
	D(0x60c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_AND),
	D(0x40c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_OR),
	D(0x80c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_MIN),
	D(0xa0c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_MAX),
	D(0xc0c5a5af, AMO_W, 11, 11, 12, VSVM_AMO_MINU),
	D(0xe0c5b5af, AMO_D, 11, 11, 12, VSVM_AMO_MAXU),
	D(0x1005a5af, LR_W, 11, 11, 0, 0),
	D(0x1405b5af, LR_D, 11, 11, 0, 0),
	D(0x18c5a5af, SC_W, 11, 11, 12, 0),
	D(0x1ac5b02f, SC_D, SINK, 11, 12, 0),
	D(0x28c5a5af, AMOCAS_W, 11, 11, 12, 11),
	D(0x28c5b02f, AMOCAS_D, SINK, 11, 12, 0),	/* rd x0: expected 0 */
	D(0x00452087, FLW, 1, 10, 4, 4),
	D(0xff853007, FLD, 0, 10, 24, -8),		/* f0 is a register */
	D(0x00152227, FSW, 4, 10, 1, 4),
	D(0xfe153c27, FSD, 24, 10, 1, -8),
	D(0x1820f243, FMADD_S, 4, 1, 2, VSVM_FP_IMM(3, 7)),
	D(0x1820c247, FMSUB_S, 4, 1, 2, VSVM_FP_IMM(3, 4)),
	D(0x0020824b, FNMSUB_S, 4, 1, 2, VSVM_FP_IMM(0, 0)),
	D(0x0220924f, FNMADD_D, 4, 1, 2, VSVM_FP_IMM(0, 1)),
	D(0x0020c253, FADD_S, 4, 1, 2, VSVM_FP_IMM(0, 4)),
	D(0x0a209253, FSUB_D, 4, 1, 2, VSVM_FP_IMM(0, 1)),
	D(0x58008253, FSQRT_S, 4, 1, 0, 0),
	D(0x22209253, FSGNJN_D, 4, 1, 2, 0),
	D(0x28209253, FMAX_S, 4, 1, 2, 0),
	D(0xc0008553, FCVT_W_S, 10, 1, 0, 0),
	D(0xc2309553, FCVT_LU_D, 10, 1, 3, VSVM_FP_IMM(0, 1)),
	D(0xe0008553, FMV_X_W, 10, 1, 0, 0),
	D(0xe2009553, FCLASS_D, 10, 1, 0, 0),
	D(0xa020a553, FEQ_S, 10, 1, 2, 0),
	D(0xa2209553, FLT_D, 10, 1, 2, 0),
	D(0xd0057253, FCVT_S_W, 4, 10, 0, VSVM_FP_IMM(0, 7)),
	D(0xd2257253, FCVT_D_L, 4, 10, 2, VSVM_FP_IMM(0, 7)),
	D(0xf0050253, FMV_W_X, 4, 10, 0, 0),
	D(0xf2050253, FMV_D_X, 4, 10, 0, 0),
	D(0x4010f253, FCVT_S_D, 4, 1, 1, VSVM_FP_IMM(0, 7)),
	D(0x42008253, FCVT_D_S, 4, 1, 0, 0),
	D(0x00050553, FADD_S, 10, 10, 0, 0),		/* rd f10, not a sink */
};

static void vsvm_test_isa_decode(struct kunit *test)
{
	struct vsvm_insn insn;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(isa_vecs); i++) {
		const struct isa_vec *v = &isa_vecs[i];

		memset(&insn, 0xaa, sizeof(insn));
		KUNIT_ASSERT_EQ_MSG(test, vsvm_isa_decode(v->word, &insn), 0,
				    "%08x", v->word);
		KUNIT_EXPECT_EQ_MSG(test, insn.op, v->op, "%08x", v->word);
		KUNIT_EXPECT_EQ_MSG(test, insn.rd, v->rd, "%08x rd", v->word);
		KUNIT_EXPECT_EQ_MSG(test, insn.rs1, v->rs1, "%08x rs1", v->word);
		KUNIT_EXPECT_EQ_MSG(test, insn.rs2, v->rs2, "%08x rs2", v->word);
		KUNIT_EXPECT_EQ_MSG(test, insn.imm, v->imm, "%08x imm", v->word);
	}
}

/* Words that are not instructions the shader core knows. */
static const u32 isa_invalid[] = {
	0x00000000,	/* defined illegal */
	0xffffffff,
	0x00004501,	/* c.li a0, 0 (compressed) */
	0x0000007b,	/* custom-3 */
	0x0000100f,	/* fence.i (Zifencei) */
	0x00004073,	/* SYSTEM funct3 4 */
	0x00200073,	/* SYSTEM funct3 0, unknown */
	0x04051513,	/* slli with funct6 1 */
	0x0205151b,	/* slliw shamt 32 */
	0x40c5c5b3,	/* xor with funct7 0x20 */
	0x04c585b3,	/* funct7 2 on OP */
	0x00c5a5bb,	/* OP-32 funct3 2 */
	0x1025a5af,	/* lr.w with rs2 2 */
	0x28c5c5af,	/* amocas.q (not in the ISA) */
	0x00c5c5af,	/* AMO funct3 4 */
	0xf8c5a5af,	/* AMO funct5 0x1f */
	0x0020d253,	/* fadd.s rm 5 */
	0x0020e253,	/* fadd.s rm 6 */
	0x0420f253,	/* fadd.h */
	0x0620f253,	/* fadd.q */
	0x5810f253,	/* fsqrt.s with rs2 1 */
	0xc0408553,	/* fcvt.?.s rs2 4 */
	0x2020b253,	/* fsgnj.s funct3 3 */
	0xe0109553,	/* fmv.x.w with rs2 1 */
	0xa020b553,	/* feq.s funct3 3 */
	0x0000d207,	/* load-fp funct3 5 */
	0x04208243,	/* fmadd.h */
	0x0000d243,	/* fmadd rm 5 */
	0x00007003,	/* load funct3 7 */
	0x00004023,	/* store funct3 4 */
	0x00002063,	/* branch funct3 2 */
	0x00001067,	/* jalr funct3 1 */
	0x2820a253,	/* fmin/fmax funct3 2 */
};

static void vsvm_test_isa_invalid(struct kunit *test)
{
	struct vsvm_insn insn;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(isa_invalid); i++)
		KUNIT_EXPECT_EQ_MSG(test, vsvm_isa_decode(isa_invalid[i], &insn),
				    -EINVAL, "%08x", isa_invalid[i]);
}

/* A good image: text, rodata, data + bss. */
static const u32 good_text[] = {
	0x00000013,	/* nop */
	0x0080006f,	/* j +8 */
	0x00000073,	/* ecall */
	0xfe000ce3,	/* beqz zero, -8 */
	0x00008067,	/* ret */
};

#define HDR	sizeof(struct drm_vsvm_program_header)
#define SEG(i, f) (HDR + (i) * sizeof(struct drm_vsvm_program_segment) + \
		   offsetof(struct drm_vsvm_program_segment, f))

static void *good_image(struct kunit *test, size_t *size)
{
	static const u8 ro[16] = { 1, 2, 3 };
	struct vsvm_test_seg segs[] = {
		{ TEXT_VA, good_text, sizeof(good_text), 0,
		  DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_X },
		{ RODATA_VA, ro, sizeof(ro), 0, DRM_VSVM_SEGMENT_R },
		{ DATA_VA, ro, sizeof(ro), 3 * PAGE_SIZE,
		  DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_W },
	};

	return vsvm_test_image(test, segs, ARRAY_SIZE(segs), size);
}

static void vsvm_test_image_good(struct kunit *test)
{
	struct vsvm_program *prog;
	u64 err = ~0ull;
	size_t size;
	void *img = good_image(test, &size);

	prog = vsvm_program_create(img, size, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(prog));
	KUNIT_EXPECT_EQ(test, prog->num_segments, 3);
	KUNIT_EXPECT_TRUE(test, prog->has_ecall);
	KUNIT_EXPECT_EQ(test, prog->seg[2].size, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, prog->seg[1].data[2], 3);
	KUNIT_EXPECT_EQ(test, prog->seg[2].data[PAGE_SIZE], 0);
	KUNIT_EXPECT_EQ(test, prog->seg[0].insns[1].op, VSVM_OP_JAL);
	KUNIT_EXPECT_PTR_EQ(test, vsvm_program_segment(prog, DATA_VA + 5000),
			    &prog->seg[2]);
	KUNIT_EXPECT_NULL(test, vsvm_program_segment(prog, DATA_VA + 3 * PAGE_SIZE));
	vsvm_program_put(prog);
}

/**
 * struct image_fault - a change that makes the good image bad
 */
struct image_fault {
	/** @what: what it breaks. */
	const char *what;
	/** @offset: where to write @value. */
	size_t offset;
	/** @value: what to write there. */
	u64 value;
	/** @width: bytes of @value. */
	unsigned int width;
	/** @err: the offset PROGRAM_CREATE must report, or SAME. */
	size_t err;
};

/* The error is at the field changed, or (HFE) elsewhere. */
#define HF(w, o, v, n)		{ w, o, v, n, SAME }
#define HFE(w, o, v, n, e)	{ w, o, v, n, e }
#define SAME			(~(size_t)0)
#define H(f)	offsetof(struct drm_vsvm_program_header, f)

static const struct image_fault image_faults[] = {
	HF("magic", H(magic), 0x50565357, 4),
	HF("version", H(version), 2, 4),
	HF("no segment", H(num_segments), 0, 4),
	HF("too many segments", H(num_segments), 9, 4),
	HF("segments beyond the image", H(num_segments), 8, 4),
	HF("flags", H(flags), 1, 4),
	HF("local size", H(local_size), VSVM_SHADER_MAX_LOCAL_MEM + 1, 8),
	HF("reserved", H(reserved), 1, 8),
	HF("vaddr not aligned", SEG(1, vaddr), RODATA_VA + 8, 8),
	HF("vaddr below", SEG(1, vaddr), 0x10000, 8),
	HF("vaddr above", SEG(1, vaddr), DRM_VSVM_SHADER_WORKITEM, 8),
	HF("offset", SEG(1, offset), 1 << 20, 8),
	HF("file size", SEG(1, file_size), 1 << 20, 8),
	HF("X file size", SEG(0, file_size), sizeof(good_text) - 2, 8),
	HF("mem size 0", SEG(1, mem_size), 0, 8),
	HF("mem size < file size", SEG(1, mem_size), 8, 8),
	HF("mem size wraps", SEG(1, mem_size), ~0ull - PAGE_SIZE, 8),
	HF("mem size leaves the area", SEG(2, mem_size),
	   DRM_VSVM_SHADER_IMAGE_SIZE, 8),
	HF("mem size too big", SEG(2, mem_size), VSVM_SHADER_MAX_PROGRAM_SIZE, 8),
	HF("X mem size", SEG(0, mem_size), PAGE_SIZE, 8),
	HF("not readable", SEG(1, flags), DRM_VSVM_SEGMENT_X, 4),
	HF("W and X", SEG(0, flags), 7, 4),
	HF("unknown flag", SEG(1, flags), 9, 4),
	HF("pad", SEG(1, pad), 1, 4),
	HF("overlap", SEG(2, vaddr), RODATA_VA, 8),
	HFE("no X segment", SEG(0, flags), DRM_VSVM_SEGMENT_R, 4, H(num_segments)),
};

static void vsvm_test_image_bad(struct kunit *test)
{
	struct vsvm_program *prog;
	unsigned int i;
	size_t size;
	u64 err;
	u8 *img;

	for (i = 0; i < ARRAY_SIZE(image_faults); i++) {
		const struct image_fault *f = &image_faults[i];

		img = good_image(test, &size);
		memcpy(img + f->offset, &f->value, f->width);
		err = ~0ull;
		prog = vsvm_program_create(img, size, &err);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(prog), -EINVAL, "%s",
				    f->what);
		KUNIT_EXPECT_EQ_MSG(test, err, f->err == SAME ? f->offset : f->err,
				    "%s", f->what);
		if (!IS_ERR(prog))
			vsvm_program_put(prog);
	}
	img = good_image(test, &size);
	err = ~0ull;
	KUNIT_EXPECT_EQ(test, PTR_ERR(vsvm_program_create(img, HDR - 1, &err)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err, 0);
}

/* Replace instruction @i of the good text and expect it refused there. */
static void expect_bad_insn(struct kunit *test, unsigned int i, u32 word,
			    const char *what)
{
	struct vsvm_program *prog;
	size_t size, off;
	u8 *img = good_image(test, &size);
	u64 err = ~0ull;

	off = ((struct drm_vsvm_program_segment *)(img + HDR))[0].offset + 4 * i;
	memcpy(img + off, &word, 4);
	prog = vsvm_program_create(img, size, &err);
	KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(prog), -EINVAL, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, err, off, "%s", what);
	if (!IS_ERR(prog))
		vsvm_program_put(prog);
}

static void vsvm_test_image_targets(struct kunit *test)
{
	expect_bad_insn(test, 2, 0, "zero word");
	expect_bad_insn(test, 4, 0x00004501, "compressed");
	expect_bad_insn(test, 1, JAL(ZERO, 20), "jump past the end");
	expect_bad_insn(test, 1, JAL(ZERO, -8), "jump before the start");
	expect_bad_insn(test, 1, JAL(ZERO, 6), "misaligned jump");
	expect_bad_insn(test, 1, JAL(ZERO, 0x100000 - 4), "jump into rodata");
	expect_bad_insn(test, 3, BNE(A0, A1, 2), "misaligned branch");
}

/* Direct jumps between two X segments are fine. */
static void vsvm_test_image_two_texts(struct kunit *test)
{
	u32 t1[] = { JAL(ZERO, 0x2000) };
	u32 t2[] = { JAL(ZERO, -0x2000) };
	struct vsvm_test_seg segs[] = {
		{ TEXT_VA, t1, sizeof(t1), 0,
		  DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_X },
		{ TEXT_VA + 0x2000, t2, sizeof(t2), 0,
		  DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_X },
	};
	struct vsvm_program *prog;
	size_t size;
	void *img = vsvm_test_image(test, segs, 2, &size);
	u64 err = ~0ull;

	prog = vsvm_program_create(img, size, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(prog));
	KUNIT_EXPECT_FALSE(test, prog->has_ecall);
	vsvm_program_put(prog);
}

static struct kunit_case vsvm_isa_tests[] = {
	KUNIT_CASE(vsvm_test_isa_decode),
	KUNIT_CASE(vsvm_test_isa_invalid),
	KUNIT_CASE(vsvm_test_image_good),
	KUNIT_CASE(vsvm_test_image_bad),
	KUNIT_CASE(vsvm_test_image_targets),
	KUNIT_CASE(vsvm_test_image_two_texts),
	{}
};

static struct kunit_suite vsvm_isa_suite = {
	.name = "vsvm_shader_isa",
	.test_cases = vsvm_isa_tests,
};

kunit_test_suite(vsvm_isa_suite);
