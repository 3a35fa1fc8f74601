// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of the shader interpreter and the NDRange on fake GPU
 * memory: integer and M semantics, loads and stores (misaligned, across
 * pages, sign extension), atomics (AMOs, LR/SC, amocas, alignment, the
 * ATOMIC permission), misses that leave the instruction un-retired and
 * replay it exactly once, the engine windows and their permissions, the
 * work-item descriptor of a 3D NDRange, local memory, barriers and their
 * divergence, illegal instructions, bad jumps, the instruction budget,
 * and that slicing a run anywhere changes nothing.
 */

#include <linux/module.h>
#include <linux/unaligned.h>

#include <kunit/test.h>

#include "vsvm_test_util.h"

#define LI(rd, imm)	ADDI(rd, ZERO, imm)

static struct vsvm_program *prog_of(struct kunit *test, const u32 *text,
				    unsigned int n)
{
	return vsvm_test_program(test, text, n);
}

#define PROG(t)		prog_of(test, t, sizeof(t) / sizeof(u32))

static void vsvm_test_interp_alu(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	u64 *io = (u64 *)m->buf;
	u32 text[] = {
		LD(T0, A0, 0), LI(T1, -1), LD(T3, A0, 8), LD(T4, A0, 16),
		DIV(T2, T0, T1), SD(T2, A0, 64),
		REM(T2, T0, T1), SD(T2, A0, 72),
		DIV(T2, T0, ZERO), SD(T2, A0, 80),
		REM(T2, T0, ZERO), SD(T2, A0, 88),
		DIVU(T2, T0, ZERO), SD(T2, A0, 96),
		DIVW(T2, T3, T1), SD(T2, A0, 104),
		REMUW(T2, T3, ZERO), SD(T2, A0, 112),
		MULHU(T2, T1, T1), SD(T2, A0, 120),
		MULHSU(T2, T1, T1), SD(T2, A0, 128),
		SRAW(T2, T3, T1), SD(T2, A0, 136),
		LI(T0, 100), LI(T1, 0),
		ADD(T1, T1, T0), ADDI(T0, T0, -1), BNE(T0, ZERO, -8),
		SD(T1, A0, 144),
		ADDIW(T2, T4, 1), SD(T2, A0, 152),
		ADDI(ZERO, ZERO, 5), SD(ZERO, A0, 160),
		LUI(T2, 0x80000), SD(T2, A0, 168),
		RET,
	};

	io[0] = 0x8000000000000000ull;
	io[1] = 0xffffffff80000000ull;
	io[2] = 0x7fffffff;
	KUNIT_ASSERT_EQ(test, vsvm_test_run1(test, PROG(text), m, NULL), 0);
	KUNIT_EXPECT_EQ(test, io[8], 0x8000000000000000ull);
	KUNIT_EXPECT_EQ(test, io[9], 0);
	KUNIT_EXPECT_EQ(test, io[10], ~0ull);
	KUNIT_EXPECT_EQ(test, io[11], 0x8000000000000000ull);
	KUNIT_EXPECT_EQ(test, io[12], ~0ull);
	KUNIT_EXPECT_EQ(test, io[13], 0xffffffff80000000ull);
	KUNIT_EXPECT_EQ(test, io[14], 0xffffffff80000000ull);
	KUNIT_EXPECT_EQ(test, io[15], 0xfffffffffffffffeull);
	KUNIT_EXPECT_EQ(test, io[16], ~0ull);
	KUNIT_EXPECT_EQ(test, io[17], ~0ull);
	KUNIT_EXPECT_EQ(test, io[18], 5050);
	KUNIT_EXPECT_EQ(test, io[19], 0xffffffff80000000ull);
	KUNIT_EXPECT_EQ(test, io[20], 0);
	KUNIT_EXPECT_EQ(test, io[21], 0xffffffff80000000ull);
}

static void vsvm_test_interp_mem(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	u64 *io = (u64 *)m->buf;
	u32 text[] = {
		LD(T0, A0, 0), LI(T1, 2047), ADDI(T1, T1, 2045), ADD(T1, A0, T1),
		SD(T0, T1, 0),				/* at +4092: two pages */
		LD(T2, T1, 0), SD(T2, A0, 8),
		LB(T2, A0, 0), SD(T2, A0, 16),
		LBU(T2, A0, 0), SD(T2, A0, 24),
		LWU(T2, A0, 4), SD(T2, A0, 32),
		LH(T2, A0, 3), SD(T2, A0, 40),		/* misaligned */
		LW(T2, T1, 2), SD(T2, A0, 48),		/* crosses */
		RET,
	};

	io[0] = 0x8899aabbccddeeffull;
	KUNIT_ASSERT_EQ(test, vsvm_test_run1(test, PROG(text), m, NULL), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned((u64 *)(m->buf + 4092)), io[0]);
	KUNIT_EXPECT_EQ(test, io[1], 0x8899aabbccddeeffull);
	KUNIT_EXPECT_EQ(test, io[2], 0xffffffffffffffffull);
	KUNIT_EXPECT_EQ(test, io[3], 0xff);
	KUNIT_EXPECT_EQ(test, io[4], 0x8899aabb);
	KUNIT_EXPECT_EQ(test, io[5], 0xffffffffffffbbccull);
	KUNIT_EXPECT_EQ(test, io[6], 0xffffffffaabbccddull);
}

/* A store across two pages, the second absent, writes nothing first. */
static void vsvm_test_interp_miss_store(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct drm_vsvm_dispatch d = {
		.work_dim = 1, .entry = TEXT_VA, .kernarg = VSVM_TEST_VA,
		.global_size = { 1, 1, 1 }, .local_size = { 1, 1, 1 },
	};
	u32 text[] = {
		LI(T0, -1), LI(T1, 2047), ADDI(T1, T1, 2045), ADD(T1, A0, T1),
		SD(T0, T1, 0), RET,
	};
	struct vsvm_program *prog = PROG(text);
	struct vsvm_shader_run *run;

	m->absent = BIT(1);
	KUNIT_ASSERT_EQ(test, vsvm_shader_check_dispatch(&d, prog), 0);
	run = vsvm_shader_run_create(prog, &d);
	KUNIT_ASSERT_FALSE(test, IS_ERR(run));
	KUNIT_EXPECT_EQ(test, vsvm_shader_run_slice(run, &m->mem, 100),
			VSVM_HART_MISS);
	KUNIT_EXPECT_EQ(test, run->x.exc.addr, VSVM_TEST_VA + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, run->x.exc.access, DRM_VSVM_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, run->x.exc.pc, TEXT_VA + 16);
	KUNIT_EXPECT_EQ(test, run->x.exc.insn, SD(T0, T1, 0));
	KUNIT_EXPECT_EQ(test, run->retired, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned((u32 *)(m->buf + 4092)), 0);
	m->absent = 0;
	KUNIT_EXPECT_EQ(test, vsvm_shader_run_slice(run, &m->mem, 100), 0);
	KUNIT_EXPECT_EQ(test, run->retired, 6);
	KUNIT_EXPECT_EQ(test, get_unaligned((u64 *)(m->buf + 4092)), ~0ull);
	vsvm_shader_run_destroy(run);
}

static void vsvm_test_interp_amo(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	u64 *io = (u64 *)m->buf;
	u32 text[] = {
		LI(T0, 5), AMOADD_W(T1, A0, T0), SD(T1, A0, 64),
		ADDI(A1, A0, 8), AMOADD_D(T1, A1, T0), SD(T1, A0, 72),
		LI(T0, -7), ADDI(A1, A0, 16), AMOMIN_W(T1, A1, T0), SD(T1, A0, 80),
		ADDI(A1, A0, 24), AMOMAXU_D(T1, A1, T0), SD(T1, A0, 88),
		ADDI(A1, A0, 32), AMOSWAP_W(T1, A1, T0), SD(T1, A0, 96),
		/* LR/SC: success, then SC without a reservation. */
		ADDI(A1, A0, 40), LR_D(T1, A1), ADDI(T1, T1, 1),
		SC_D(T2, A1, T1), SD(T2, A0, 104),
		SC_D(T2, A1, T1), SD(T2, A0, 112),
		/* LR, a store changes the word, SC fails. */
		LR_W(T1, A1), SD(ZERO, A1, 0), SC_W(T2, A1, T0), SD(T2, A0, 120),
		/* amocas: rd is the expected value. */
		ADDI(A1, A0, 48), LI(T1, 3), LI(T2, 9), AMOCAS_W(T1, A1, T2),
		SD(T1, A0, 128), LI(T1, 1), AMOCAS_W(T1, A1, T2), SD(T1, A0, 136),
		ADDI(A1, A0, 56), LI(T1, 0), AMOCAS_D(T1, A1, T2), SD(T1, A0, 144),
		RET,
	};

	io[0] = 0xffffffff00000010ull;
	io[1] = 100;
	io[2] = 3;
	io[3] = 4;
	io[4] = 0x1111111122222222ull;
	io[5] = 41;
	io[6] = 3;
	io[7] = 0;
	KUNIT_ASSERT_EQ(test, vsvm_test_run1(test, PROG(text), m, NULL), 0);
	KUNIT_EXPECT_EQ(test, io[0], 0xffffffff00000015ull);
	KUNIT_EXPECT_EQ(test, io[8], 0x10);
	KUNIT_EXPECT_EQ(test, io[1], 105);
	KUNIT_EXPECT_EQ(test, io[9], 100);
	KUNIT_EXPECT_EQ(test, io[2], 0xfffffff9ull);
	KUNIT_EXPECT_EQ(test, io[10], 3);
	KUNIT_EXPECT_EQ(test, io[3], (u64)-7);
	KUNIT_EXPECT_EQ(test, io[11], 4);
	KUNIT_EXPECT_EQ(test, io[4], 0x11111111fffffff9ull);
	KUNIT_EXPECT_EQ(test, io[12], 0x22222222);
	KUNIT_EXPECT_EQ(test, io[13], 0);
	KUNIT_EXPECT_EQ(test, io[14], 1);
	KUNIT_EXPECT_EQ(test, io[15], 1);
	KUNIT_EXPECT_EQ(test, io[5], 0);
	KUNIT_EXPECT_EQ(test, io[16], 3);
	KUNIT_EXPECT_EQ(test, io[17], 9);
	KUNIT_EXPECT_EQ(test, io[6], 9);
	KUNIT_EXPECT_EQ(test, io[18], 0);
	KUNIT_EXPECT_EQ(test, io[7], 9);
}

/* Misaligned atomics and pages without the ATOMIC permission fault. */
static void vsvm_test_interp_amo_faults(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	u32 odd[] = { ADDI(A1, A0, 2), AMOADD_W(T1, A1, T0), RET };
	u32 page1[] = { LUI(T0, 1), ADDI(T0, T0, 0), ADD(A1, A0, T0),
			LD(T1, A1, 0), AMOADD_D(T1, A1, T0), RET };

	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(odd), m, &exc), -EFAULT);
	KUNIT_EXPECT_EQ(test, exc.addr, VSVM_TEST_VA + 2);
	KUNIT_EXPECT_EQ(test, exc.access, DRM_VSVM_ACCESS_ATOMIC);
	KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 4);
	m->perms[1] = VSVM_PERM_READ | VSVM_PERM_WRITE;
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(page1), m, &exc), -EFAULT);
	KUNIT_EXPECT_EQ(test, exc.addr, VSVM_TEST_VA + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, exc.access, DRM_VSVM_ACCESS_ATOMIC);
	KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 16);
}

/* Each instruction runs once whatever the misses and slices. */
static void vsvm_test_interp_replay(struct kunit *test)
{
	static const u64 slices[] = { 1, 2, 3, 7, 1000 };
	struct drm_vsvm_dispatch d = {
		.work_dim = 1, .entry = TEXT_VA, .kernarg = VSVM_TEST_VA,
		.global_size = { 1, 1, 1 }, .local_size = { 1, 1, 1 },
	};
	u32 text[] = {
		LUI(T0, 1), ADDI(T0, T0, 0), LI(T1, 1), LI(T3, 10),
		ADD(A1, A0, T0),			/* page 1 */
		AMOADD_D(T2, A0, T1),			/* page 0 */
		ADD(A2, A1, T0), AMOADD_D(T2, A1, T1),	/* page 1 */
		AMOADD_D(T2, A2, T1),			/* page 2 */
		ADDI(T3, T3, -1), BNE(T3, ZERO, -24),
		RET,
	};
	struct vsvm_program *prog = PROG(text);
	unsigned int i;
	u64 retired;

	for (i = 0; i < ARRAY_SIZE(slices); i++) {
		struct vsvm_test_mem *m = vsvm_test_mem(test);

		m->absent = BIT(0) | BIT(1) | BIT(2);
		KUNIT_ASSERT_EQ(test, vsvm_test_dispatch(test, prog, &d, m,
							 slices[i], NULL,
							 &retired), 0);
		KUNIT_EXPECT_EQ(test, m->misses, 3);
		KUNIT_EXPECT_EQ(test, retired, 4 + 10 * 7 + 1);
		KUNIT_EXPECT_EQ(test, *(u64 *)m->buf, 10);
		KUNIT_EXPECT_EQ(test, *(u64 *)(m->buf + PAGE_SIZE), 10);
		KUNIT_EXPECT_EQ(test, *(u64 *)(m->buf + 2 * PAGE_SIZE), 10);
	}
}

/* Text is read-only, rodata too; data is read-write; holes fault. */
static void vsvm_test_interp_windows(struct kunit *test)
{
	static const u64 ro[2] = { 0x1234, 0 };
	static const u64 bad[] = {
		TEXT_VA + 0x200, DRM_VSVM_SHADER_EXIT, DRM_VSVM_SHADER_LOCAL,
		DRM_VSVM_SHADER_BASE + 0x30000000ull,
		DRM_VSVM_SHADER_BASE + DRM_VSVM_SHADER_WINDOW_SIZE,
		DRM_VSVM_SHADER_WORKITEM + 2 * PAGE_SIZE,
	};
	u32 text[] = {
		LD(T0, A0, 0), LD(T1, T0, 0),		/* load from *io[0] */
		LD(T2, A0, 8), SD(T1, T2, 0),		/* store to *io[1] */
		RET,
	};
	struct vsvm_test_seg segs[] = {
		{ TEXT_VA, text, sizeof(text), 0,
		  DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_X },
		{ RODATA_VA, ro, sizeof(ro), 0, DRM_VSVM_SEGMENT_R },
		{ DATA_VA, ro, sizeof(ro), 0,
		  DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_W },
	};
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	struct vsvm_program *prog;
	u64 *io = (u64 *)m->buf, err;
	unsigned int i;
	size_t size;
	void *img;

	img = vsvm_test_image(test, segs, ARRAY_SIZE(segs), &size);
	prog = vsvm_program_create(img, size, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(prog));
	/* rodata to data, data to memory, text to memory. */
	io[0] = RODATA_VA;
	io[1] = DATA_VA + 8;
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, prog, m, NULL), 0);
	KUNIT_EXPECT_EQ(test, *(u64 *)(prog->seg[2].data + 8), 0x1234);
	io[0] = DATA_VA + 8;
	io[1] = VSVM_TEST_VA + 64;
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, prog, m, NULL), 0);
	KUNIT_EXPECT_EQ(test, io[8], 0x1234);
	io[0] = TEXT_VA;
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, prog, m, NULL), 0);
	KUNIT_EXPECT_EQ(test, io[8], text[0] | (u64)text[1] << 32);
	/* Stores to text and rodata. */
	io[0] = VSVM_TEST_VA;
	for (i = 0; i < 2; i++) {
		io[1] = i ? RODATA_VA : TEXT_VA + 4;
		KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, prog, m, &exc), -EFAULT);
		KUNIT_EXPECT_EQ(test, exc.addr, io[1]);
		KUNIT_EXPECT_EQ(test, exc.access, DRM_VSVM_ACCESS_WRITE);
		KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 12);
	}
	/* Loads from holes of the window (no local memory here). */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		io[0] = bad[i];
		KUNIT_EXPECT_EQ_MSG(test, vsvm_test_run1(test, prog, m, &exc),
				    -EFAULT, "%llx", bad[i]);
		KUNIT_EXPECT_EQ(test, exc.addr, bad[i]);
		KUNIT_EXPECT_EQ(test, exc.access, DRM_VSVM_ACCESS_READ);
	}
	vsvm_program_put(prog);
}

/* Private memory: the stack below sp, nothing at or above it. */
static void vsvm_test_interp_private(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	u64 *io = (u64 *)m->buf;
	u32 ok[] = {
		ADDI(SP, SP, -16), SD(RA, SP, 8), SD(SP, A0, 0), LD(T0, SP, 8),
		SD(T0, A0, 8), LD(RA, SP, 8), ADDI(SP, SP, 16), RET,
	};
	u32 above[] = { LD(T0, SP, 0), RET };

	KUNIT_ASSERT_EQ(test, vsvm_test_run1(test, PROG(ok), m, NULL), 0);
	KUNIT_EXPECT_EQ(test, io[0], DRM_VSVM_SHADER_PRIVATE +
			DRM_VSVM_DEFAULT_PRIVATE_MEM - 16);
	KUNIT_EXPECT_EQ(test, io[1], DRM_VSVM_SHADER_EXIT);
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(above), m, &exc), -EFAULT);
	KUNIT_EXPECT_EQ(test, exc.addr, DRM_VSVM_SHADER_PRIVATE +
			DRM_VSVM_DEFAULT_PRIVATE_MEM);
}

/* Every work-item of a 3D NDRange writes its descriptor out. */
static void vsvm_test_interp_ids(struct kunit *test)
{
	struct drm_vsvm_dispatch d = {
		.work_dim = 3, .entry = TEXT_VA, .kernarg = VSVM_TEST_VA,
		.global_offset = { 10, 0, 5 }, .global_size = { 5, 3, 2 },
		.local_size = { 2, 3, 1 },
	};
	u32 text[] = {
		/* t0 = descriptor, t1 = io + global_linear_id * 256 */
		LD(T0, A0, 0), LD(T1, T0, 200), SLLI(T1, T1, 8), ADD(T1, T1, A0),
		LI(T2, 27),
		LD(T3, T0, 0), SD(T3, T1, 8), ADDI(T0, T0, 8), ADDI(T1, T1, 8),
		ADDI(T2, T2, -1), BNE(T2, ZERO, -20),
		RET,
	};
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	const struct drm_vsvm_workitem *wi;
	u64 x, y, z, lin, gx;

	*(u64 *)m->buf = DRM_VSVM_SHADER_WORKITEM;
	KUNIT_ASSERT_EQ(test, vsvm_test_dispatch(test, PROG(text), &d, m, 50,
						 NULL, NULL), 0);
	for (z = 0; z < 2; z++) {
		for (y = 0; y < 3; y++) {
			for (x = 0; x < 5; x++) {
				lin = x + 5 * y + 15 * z;
				wi = (void *)(m->buf + lin * 256 + 8);
				KUNIT_EXPECT_EQ(test, wi->global_linear_id, lin);
				KUNIT_EXPECT_EQ(test, wi->global_id[0], 10 + x);
				KUNIT_EXPECT_EQ(test, wi->global_id[1], y);
				KUNIT_EXPECT_EQ(test, wi->global_id[2], 5 + z);
				KUNIT_EXPECT_EQ(test, wi->local_id[0], x % 2);
				KUNIT_EXPECT_EQ(test, wi->group_id[0], x / 2);
				KUNIT_EXPECT_EQ(test, wi->group_id[2], z);
				gx = x / 2 == 2 ? 1 : 2;
				KUNIT_EXPECT_EQ(test, wi->local_size[0], gx);
				KUNIT_EXPECT_EQ(test, wi->enqueued_local_size[0], 2);
				KUNIT_EXPECT_EQ(test, wi->num_groups[0], 3);
				KUNIT_EXPECT_EQ(test, wi->num_groups[1], 1);
				KUNIT_EXPECT_EQ(test, wi->global_size[2], 2);
				KUNIT_EXPECT_EQ(test, wi->global_offset[2], 5);
				KUNIT_EXPECT_EQ(test, wi->work_dim, 3);
				KUNIT_EXPECT_EQ(test, wi->local_linear_id,
						x % 2 + gx * y);
			}
		}
	}
}

static struct drm_vsvm_dispatch group_dispatch(u32 groups, u32 items)
{
	return (struct drm_vsvm_dispatch) {
		.work_dim = 1, .entry = TEXT_VA, .kernarg = VSVM_TEST_VA,
		.global_size = { groups * items, 1, 1 },
		.local_size = { items, 1, 1 }, .local_mem = 64,
	};
}

/* A local-memory reduction with a barrier; local memory starts zeroed. */
static void vsvm_test_interp_barrier(struct kunit *test)
{
	struct drm_vsvm_dispatch d = group_dispatch(3, 8);
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	u64 *io = (u64 *)m->buf;
	u32 text[] = {
		/* t0 = descriptor, t1 = lid, t2 = gid, t3 = local */
		LD(T0, A0, 0), LD(T1, T0, 24), LD(T2, T0, 0), LD(T3, A0, 8),
		LD(T4, T3, 8 * 7), SLLI(T5, T1, 3), ADD(T5, T5, T3),
		ADDI(T2, T2, 1), ADD(T2, T2, T4), SD(T2, T5, 0),
		LI(A7, DRM_VSVM_ECALL_BARRIER), ECALL,
		BNE(T1, ZERO, 48),
		LI(T4, 8), LI(T2, 0),
		LD(T5, T3, 0), ADD(T2, T2, T5), ADDI(T3, T3, 8),
		ADDI(T4, T4, -1), BNE(T4, ZERO, -16),
		LD(T0, T0, 48), SLLI(T0, T0, 3), ADD(T0, T0, A0), SD(T2, T0, 64),
		RET,
	};

	io[0] = DRM_VSVM_SHADER_WORKITEM;
	io[1] = DRM_VSVM_SHADER_LOCAL;
	KUNIT_ASSERT_EQ(test, vsvm_test_dispatch(test, PROG(text), &d, m, 13,
						 NULL, NULL), 0);
	/* Group g: sum of gid + 1 over its items, plus 0 from local[7]. */
	KUNIT_EXPECT_EQ(test, io[8], 36);
	KUNIT_EXPECT_EQ(test, io[9], 36 + 64);
	KUNIT_EXPECT_EQ(test, io[10], 36 + 128);
}

/* Work-items waiting at different barriers: -EDEADLK. */
static void vsvm_test_interp_divergent(struct kunit *test)
{
	struct drm_vsvm_dispatch d = group_dispatch(1, 4);
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	u32 text[] = {
		LD(T0, A0, 0), LD(T1, T0, 24), ADDI(T1, T1, -2),
		BLT(T1, ZERO, 16),
		/* lid 2, 3 wait at pc 20, lid 0, 1 at pc 32 */
		LI(A7, DRM_VSVM_ECALL_BARRIER), ECALL,
		RET,
		LI(A7, DRM_VSVM_ECALL_BARRIER), ECALL,
		RET,
	};
	u32 exits[] = {
		LD(T0, A0, 0), LD(T1, T0, 24), BEQ(T1, ZERO, 20),
		LI(A7, DRM_VSVM_ECALL_BARRIER), ECALL, LI(A7, DRM_VSVM_ECALL_BARRIER), ECALL,
		RET,
	};

	*(u64 *)m->buf = DRM_VSVM_SHADER_WORKITEM;
	KUNIT_EXPECT_EQ(test, vsvm_test_dispatch(test, PROG(text), &d, m, 100,
						 &exc, NULL), -EDEADLK);
	KUNIT_EXPECT_TRUE(test, exc.pc == TEXT_VA + 20 || exc.pc == TEXT_VA + 32);
	KUNIT_EXPECT_EQ(test, exc.addr, exc.pc);
	KUNIT_EXPECT_EQ(test, exc.insn, ECALL);
	/* One that exits does not hold the others up. */
	KUNIT_EXPECT_EQ(test, vsvm_test_dispatch(test, PROG(exits), &d, m, 100,
						 NULL, NULL), 0);
}

/* fflags belong to the work-item, across barrier switches. */
static void vsvm_test_interp_fflags(struct kunit *test)
{
	struct drm_vsvm_dispatch d = group_dispatch(1, 2);
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	u64 *io = (u64 *)m->buf;
	u32 text[] = {
		LD(T0, A0, 0), LD(T1, T0, 24), FLD(1, A0, 8),
		BNE(T1, ZERO, 8),
		rv_r(0x53, 0, 0x0d, 4, 1, 2),		/* lid 0: 1/0 */
		LI(A7, DRM_VSVM_ECALL_BARRIER), ECALL,
		BEQ(T1, ZERO, 8),
		rv_r(0x53, 0, 0x0d, 4, 2, 1),		/* lid 1: 0/1: exact */
		CSRRS(T2, CSR_FFLAGS, ZERO), SLLI(T1, T1, 3), ADD(T1, T1, A0),
		SD(T2, T1, 16), RET,
	};

	io[0] = DRM_VSVM_SHADER_WORKITEM;
	io[1] = 0x3ff0000000000000ull;
	KUNIT_ASSERT_EQ(test, vsvm_test_dispatch(test, PROG(text), &d, m, 3,
						 NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, io[2], VSVM_FF_DZ);
	KUNIT_EXPECT_EQ(test, io[3], 0);
}

static void vsvm_test_interp_illegal(struct kunit *test)
{
	static const u32 traps[] = { UNIMP, EBREAK, 0x10500073 /* wfi */ };
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(traps); i++) {
		u32 text[] = { LI(T0, 1), traps[i], RET };

		KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(text), m, &exc),
				-ENOEXEC);
		KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 4);
		KUNIT_EXPECT_EQ(test, exc.addr, TEXT_VA + 4);
		KUNIT_EXPECT_EQ(test, exc.insn, traps[i]);
	}
	{
		u32 text[] = { LI(A7, 7), ECALL, RET };

		KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(text), m, &exc),
				-ENOEXEC);
		KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 4);
		KUNIT_EXPECT_EQ(test, exc.insn, ECALL);
	}
	{
		u32 text[] = { LI(A7, DRM_VSVM_ECALL_EXIT), ECALL, UNIMP };

		KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(text), m, NULL), 0);
	}
}

static void vsvm_test_interp_bad_jumps(struct kunit *test)
{
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	u64 *io = (u64 *)m->buf;
	u32 jump[] = { LD(T0, A0, 0), JALR(RA, T0, 0), RET };
	u32 fall[] = { LI(T0, 1) };

	io[0] = VSVM_TEST_VA;		/* not executable */
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(jump), m, &exc), -EFAULT);
	KUNIT_EXPECT_EQ(test, exc.pc, VSVM_TEST_VA);
	KUNIT_EXPECT_EQ(test, exc.addr, VSVM_TEST_VA);
	KUNIT_EXPECT_EQ(test, exc.insn, 0);
	io[0] = TEXT_VA + 2;		/* misaligned */
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(jump), m, &exc), -EFAULT);
	KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 4);
	KUNIT_EXPECT_EQ(test, exc.addr, TEXT_VA + 2);
	KUNIT_EXPECT_EQ(test, vsvm_test_run1(test, PROG(fall), m, &exc), -EFAULT);
	KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 4);
}

static void vsvm_test_interp_budget(struct kunit *test)
{
	struct drm_vsvm_dispatch d = {
		.work_dim = 1, .entry = TEXT_VA, .kernarg = VSVM_TEST_VA,
		.global_size = { 3, 1, 1 }, .local_size = { 1, 1, 1 },
		.insn_budget = 1000,
	};
	u32 spin[] = { LI(T0, 1), JAL(ZERO, 0) };
	u32 three[] = { LI(T0, 1), LI(T0, 2), RET };
	struct vsvm_test_mem *m = vsvm_test_mem(test);
	struct vsvm_shader_exc exc;
	u64 retired;

	KUNIT_EXPECT_EQ(test, vsvm_test_dispatch(test, PROG(spin), &d, m, 64,
						 &exc, &retired), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, retired, 1000);
	KUNIT_EXPECT_EQ(test, exc.pc, TEXT_VA + 4);
	/* Exactly enough: three work-items of three instructions. */
	d.insn_budget = 9;
	KUNIT_EXPECT_EQ(test, vsvm_test_dispatch(test, PROG(three), &d, m, 2,
						 NULL, &retired), 0);
	KUNIT_EXPECT_EQ(test, retired, 9);
	d.insn_budget = 8;
	KUNIT_EXPECT_EQ(test, vsvm_test_dispatch(test, PROG(three), &d, m, 2,
						 NULL, &retired), -ETIMEDOUT);
}

static void vsvm_test_interp_check(struct kunit *test)
{
	u32 text[] = { RET, RET };
	struct vsvm_program *prog = PROG(text);
	struct drm_vsvm_dispatch ok = group_dispatch(2, 4), d;

	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&ok, prog), 0);
	d = ok;
	d.work_dim = 0;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.local_size[1] = 2;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.global_size[0] = 0;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.local_size[0] = VSVM_SHADER_MAX_WORKGROUP + 1;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.global_offset[0] = ~0ull;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.private_mem = 24;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.local_mem = VSVM_SHADER_MAX_LOCAL_MEM + 1;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.entry = TEXT_VA + 2;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.entry = TEXT_VA + 8;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.reserved[3] = 1;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
	d = ok;
	d.flags = 1;
	KUNIT_EXPECT_EQ(test, vsvm_shader_check_dispatch(&d, prog), -EINVAL);
}

static struct kunit_case vsvm_interp_tests[] = {
	KUNIT_CASE(vsvm_test_interp_alu),
	KUNIT_CASE(vsvm_test_interp_mem),
	KUNIT_CASE(vsvm_test_interp_miss_store),
	KUNIT_CASE(vsvm_test_interp_amo),
	KUNIT_CASE(vsvm_test_interp_amo_faults),
	KUNIT_CASE(vsvm_test_interp_replay),
	KUNIT_CASE(vsvm_test_interp_windows),
	KUNIT_CASE(vsvm_test_interp_private),
	KUNIT_CASE(vsvm_test_interp_ids),
	KUNIT_CASE(vsvm_test_interp_barrier),
	KUNIT_CASE(vsvm_test_interp_divergent),
	KUNIT_CASE(vsvm_test_interp_fflags),
	KUNIT_CASE(vsvm_test_interp_illegal),
	KUNIT_CASE(vsvm_test_interp_bad_jumps),
	KUNIT_CASE(vsvm_test_interp_budget),
	KUNIT_CASE(vsvm_test_interp_check),
	{}
};

static struct kunit_suite vsvm_interp_suite = {
	.name = "vsvm_shader_interp",
	.test_cases = vsvm_interp_tests,
};

kunit_test_suite(vsvm_interp_suite);

MODULE_DESCRIPTION("KUnit tests of the vsvm shader core");
MODULE_LICENSE("GPL");
