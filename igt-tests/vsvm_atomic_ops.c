// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm atomic ops
 * Category: Core
 * Mega feature: SVM
 * Sub-category: GPU atomics
 * Functionality: the ATOMIC command
 * Description: Every operation and width of the ATOMIC command, from one
 *	table: exact values, returned old values and widths, on fresh memory
 *	and on device-exclusive pages, and under contention.
 *
 * SUBTEST: ops-%s
 * Description: Every operation twice on device-exclusive pages, %arg[1].
 *
 * arg[1]:
 *
 * @32:	32 bit
 * @64:	64 bit
 *
 * SUBTEST: atomic-%s-%s
 * Description: ATOMIC %arg[1] at %arg[2] bit: exact values and widths.
 *
 * arg[1]:
 *
 * @add:	ADD
 * @inc:	INC
 * @xchg:	XCHG
 * @cmpxchg:	CMPXCHG
 * @min:	unsigned MIN
 * @max:	unsigned MAX
 * @and:	AND
 * @or:		OR
 *
 * arg[2]:
 *
 * @32:	32
 * @64:	64
 *
 * SUBTEST: atomic-contention-%s
 * Description: GPU atomics on one counter from %arg[1]: exact.
 *
 * arg[1]:
 *
 * @channels:	all channels
 * @cpu-gpu:	the GPU and the CPU at once
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("Every operation and width of the vsvm ATOMIC command, "
		     "on fresh and on device-exclusive pages, and under contention.");

/* A 2 MiB-aligned private buffer without THP, zeroed by the CPU. */
static uint8_t *exclusive_buf(void)
{
	uint8_t *p = mmap_aligned(SZ_2M, SZ_2M, MAP_PRIVATE);

	igt_assert_eq(madvise(p, SZ_2M, MADV_NOHUGEPAGE), 0);
	memset(p, 0, SZ_2M);
	return p;
}

/* ------------------------------------------------------------------ */
/* Operations and widths                                               */

struct atomic_case {
	uint64_t init, value, value2;	/* value2: CMPXCHG only */
};

/*
 * Every ATOMIC operation: the cases of atomic-<op>-<width> (32 and 64 bit,
 * ncases of each), and the case of ops-<width> with its 64-bit results
 * after two operations.
 */
static const struct atomic_op {
	const char *name;
	uint32_t op;
	int ncases;
	struct atomic_case cases32[3], cases64[3];
	struct atomic_case twice;
	uint64_t twice_want, twice_old;
} atomic_ops[] = {
	{ "add", DRM_VSVM_ATOMIC_ADD, 3,
	  /* 32 bit wraps; 64 bit carries into bit 32 */
	  { { 1, 3, 0 }, { 0xfffffff0, 0x20, 0 }, { 0xfffffffd, 1, 0 } },
	  { { 1, 3, 0 }, { 0xfffffff0, 0x20, 0 }, { ~0ull - 2, 1, 0 } },
	  { 0xfffffff0, 0x10, 0 }, 0x100000010ull, 0x100000000ull },
	{ "inc", DRM_VSVM_ATOMIC_INC, 2,
	  { { 41, 0, 0 }, { 0x7ffffffe, 0, 0 } },
	  { { 41, 0, 0 }, { 0xfffffffeull, 0, 0 } },
	  { 41, 0, 0 }, 43, 42 },
	{ "xchg", DRM_VSVM_ATOMIC_XCHG, 1,
	  { { 0x12345678, 0x9abcdef0, 0 } },
	  { { 0x1122334455667788ull, 0x99aabbccddeeff00ull, 0 } },
	  { 7, 0x1234567890abcdefull, 0 }, 0x1234567890abcdefull, 0x1234567890abcdefull },
	{ "cmpxchg", DRM_VSVM_ATOMIC_CMPXCHG, 2,
	  { { 0xaaaa5555, 0xaaaa5555, 0x5555aaaa }, { 0xaaaa5555, 0xaaaa5556, 0x5555aaaa } },
	  /* equal low halves: a 32-bit compare would wrongly match */
	  { { 0x100000005ull, 0x100000005ull, 0xfeedull << 32 },
	    { 0x100000005ull, 5, 0xfeedull << 32 } },
	  { 9, 9, 0xabcdef0123ull }, 0xabcdef0123ull, 0xabcdef0123ull },
	{ "min", DRM_VSVM_ATOMIC_MIN, 3,	/* unsigned */
	  { { 5, 7, 0 }, { 0x80000000, 1, 0 }, { 9, 8, 0 } },
	  { { 5, 7, 0 }, { 0x8000000000000000ull, 1, 0 }, { 0x100000000ull, 0xffffffffull, 0 } },
	  { 0x100000000ull, 0xffffffffull, 0 }, 0xffffffffull, 0xffffffffull },
	{ "max", DRM_VSVM_ATOMIC_MAX, 3,	/* unsigned */
	  { { 7, 5, 0 }, { 1, 0x80000000, 0 }, { 8, 9, 0 } },
	  { { 7, 5, 0 }, { 1, 0x8000000000000000ull, 0 }, { 0xffffffffull, 0x100000000ull, 0 } },
	  { 5, 0x8000000000000000ull, 0 }, 0x8000000000000000ull, 0x8000000000000000ull },
	{ "and", DRM_VSVM_ATOMIC_AND, 1,
	  { { 0xf0f0f0f0, 0xff00ff00, 0 } },
	  { { 0xf0f0f0f0f0f0f0f0ull, 0xff00ff0000ff00ffull, 0 } },
	  { 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0 },
	  0x0f000f000f000f00ull, 0x0f000f000f000f00ull },
	{ "or", DRM_VSVM_ATOMIC_OR, 1,
	  { { 0xf0f0f0f0, 0x0f0000ff, 0 } },
	  { { 0xf0f0f0f000000000ull, 0x0f0000ff0000000full, 0 } },
	  { 0x1000000000000001ull, 0x0100000000000010ull, 0 },
	  0x1100000000000011ull, 0x1100000000000011ull },
};

/* The CPU model: applies @op once to *@mem, returns the value before. */
static uint64_t ref_atomic(uint32_t op, bool is64, uint64_t *mem, uint64_t v, uint64_t v2)
{
	uint64_t mask = is64 ? ~0ull : 0xffffffffull;
	uint64_t old = *mem & mask, n = old;

	v &= mask;
	v2 &= mask;
	switch (op) {
	case DRM_VSVM_ATOMIC_ADD:
		n = old + v;
		break;
	case DRM_VSVM_ATOMIC_INC:
		n = old + 1;
		break;
	case DRM_VSVM_ATOMIC_XCHG:
		n = v;
		break;
	case DRM_VSVM_ATOMIC_CMPXCHG:
		n = old == v ? v2 : old;
		break;
	case DRM_VSVM_ATOMIC_MIN:
		n = old < v ? old : v;
		break;
	case DRM_VSVM_ATOMIC_MAX:
		n = old > v ? old : v;
		break;
	case DRM_VSVM_ATOMIC_AND:
		n = old & v;
		break;
	case DRM_VSVM_ATOMIC_OR:
		n = old | v;
		break;
	}
	*mem = n & mask;
	return old;
}

#define GUARD32 0xa5a5a5a5u

/* Nothing but the target (and the result) words of @w changed. */
static void check_guards(const struct atomic_op *o, bool is64, const uint32_t *w,
			 bool with_result)
{
	for (int i = 0; i < 16; i++) {
		bool is_target = is64 ? (i == 2 || i == 3) : i == 2;
		bool is_result = with_result && (is64 ? (i == 8 || i == 9) : i == 8);

		if (!is_target && !is_result)
			igt_assert_f(w[i] == GUARD32,
				     "%s-%d: word %d next to the operands is %#x\n",
				     o->name, is64 ? 64 : 32, i, w[i]);
	}
}

/* One case, @count times (0: once), with or without the old value stored. */
static void atomic_case_run(struct vsvm_device *dev, const struct atomic_op *o, bool is64,
			    const struct atomic_case *c, uint64_t count, bool with_result,
			    uint32_t *w)
{
	/* 16 words: target at word 2 (32-bit) or qword 1, result at word 8 / qword 4. */
	uint64_t *q = (uint64_t *)w;
	void *target = is64 ? (void *)&q[1] : (void *)&w[2];
	void *result = is64 ? (void *)&q[4] : (void *)&w[8];
	uint64_t model = c->init, old = 0, got;

	for (uint64_t i = 0; i < (count ? count : 1); i++)
		old = ref_atomic(o->op, is64, &model, c->value, c->value2);
	for (int i = 0; i < 16; i++)
		w[i] = GUARD32;
	if (is64)
		*(uint64_t *)target = c->init;
	else
		*(uint32_t *)target = c->init;
	igt_assert_gpu_ok(gpu_atomic(dev, o->op, target, c->value, c->value2, count,
				     with_result ? result : NULL,
				     is64 ? DRM_VSVM_CMD_64BIT : 0));
	got = is64 ? q[1] : w[2];
	igt_assert_f(got == model,
		     "%s-%d: init %#" PRIx64 " value %#" PRIx64 " value2 %#" PRIx64
		     " count %" PRIu64 ": result %#" PRIx64 ", expected %#" PRIx64 "\n",
		     o->name, is64 ? 64 : 32, c->init, c->value, c->value2, count, got, model);
	if (with_result) {
		got = is64 ? q[4] : w[8];
		igt_assert_f(got == old,
			     "%s-%d: init %#" PRIx64 " count %" PRIu64
			     ": returned %#" PRIx64 ", expected %#" PRIx64 "\n",
			     o->name, is64 ? 64 : 32, c->init, count, got, old);
	}
	/* Nothing else changed (the width is respected). */
	check_guards(o, is64, w, with_result);
}

/* Every case of @o, once and repeated, with and without the old value. */
static void test_atomic(const struct atomic_op *o, bool is64)
{
	static const uint64_t counts[] = { 0, 1, 5 };
	struct vsvm_device *dev = test_vm();
	uint32_t *w = aligned_alloc(64, 64);
	const struct atomic_case *cases = is64 ? o->cases64 : o->cases32;

	igt_assert(w);
	for (int c = 0; c < o->ncases; c++)
		for (unsigned int k = 0; k < ARRAY_SIZE(counts); k++)
			for (int with_result = 0; with_result < 2; with_result++)
				atomic_case_run(dev, o, is64, &cases[c], counts[k],
						with_result, w);
	free(w);
}

/* Neighbours of the operands at @t (and the result at @r) are untouched. */
static void check_width(const struct atomic_op *o, bool is64, uint8_t *t, uint8_t *r)
{
	for (int b = 0; b < 128; b++) {
		uint8_t *x = t - 16 + b;
		bool in_t = x >= t && x < t + (is64 ? 8 : 4);
		bool in_r = x >= r && x < r + (is64 ? 8 : 4);

		if (!in_t && !in_r)
			igt_assert_f(*x == 0x5a, "%s-%d: byte %d changed\n",
				     o->name, is64 ? 64 : 32, b - 16);
	}
}

/*
 * Every op twice on a device-exclusive page, 32 and 64 bit; the CPU
 * checks the value and the returned old value, then changes the word (a
 * revocation) and the GPU runs again on the CPU's value.
 */
static void test_ops(bool is64)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = exclusive_buf();
	uint64_t mask = is64 ? ~0ull : 0xffffffffull;
	uint32_t flags = is64 ? DRM_VSVM_CMD_64BIT : 0;

	igt_require_f(vsvm_features & DRM_VSVM_FEATURE_ATOMICS,
		      "no DRM_VSVM_FEATURE_ATOMICS: no device-exclusive pages\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(atomic_ops); i++) {
		const struct atomic_op *o = &atomic_ops[i];
		uint8_t *t = p + i * SZ_4K + 16, *r = t + 64;
		uint64_t init = o->twice.init & mask, v = o->twice.value & mask;
		uint64_t v2 = o->twice.value2 & mask, model = init, old = 0;

		for (int k = 0; k < 2; k++)
			old = ref_atomic(o->op, is64, &model, v, v2);
		if (is64) {
			igt_assert_eq_u64(model, o->twice_want);
			igt_assert_eq_u64(old, o->twice_old);
		}
		for (int round = 0; round < 2; round++) {
			uint64_t got, got_old;

			memset(t - 16, 0x5a, 128);
			if (is64)
				*(uint64_t *)t = init;
			else
				*(uint32_t *)t = init;
			igt_assert_gpu_ok(gpu_atomic(dev, o->op, t, v, v2, 2, r, flags));
			got = is64 ? *(uint64_t *)t : *(uint32_t *)t;
			got_old = is64 ? *(uint64_t *)r : *(uint32_t *)r;
			igt_assert_f(got == model && got_old == old,
				     "%s-%d round %d: %#" PRIx64 " (old %#" PRIx64 "), expected %#"
				     PRIx64 " (old %#" PRIx64 ")\n", o->name, is64 ? 64 : 32,
				     round, got, got_old, model, old);
			/* The width is respected: the neighbours are untouched. */
			check_width(o, is64, t, r);
		}
	}
	munmap(p, SZ_2M);
}

/* ------------------------------------------------------------------ */
/* Contention                                                          */

/* Many channels on two counters: exact totals. */
static void contention_channels(struct vsvm_device *dev, struct vsvm_cmdbuf *cb,
				uint64_t *ctr)
{
	uint32_t nch = vsvm_num_channels > 64 ? 64 : vsvm_num_channels;
	uint64_t seqno[64][4];
	int32_t status = 1;

	igt_assert_eq(vsvm_cmd_atomic(cb, DRM_VSVM_ATOMIC_ADD, VSVM_PTR(&ctr[0]), 3, 0,
				      1000, 0, DRM_VSVM_CMD_64BIT), 0);
	igt_assert_eq(vsvm_cmd_atomic(cb, DRM_VSVM_ATOMIC_INC, VSVM_PTR(&ctr[1]), 0, 0,
				      1000, 0, 0), 0);
	for (int r = 0; r < 4; r++)
		for (uint32_t ch = 0; ch < nch; ch++)
			igt_assert_eq(vsvm_exec(dev, ch, cb, &seqno[ch][r]), 0);
	for (int r = 0; r < 4; r++)
		for (uint32_t ch = 0; ch < nch; ch++) {
			igt_assert_eq(vsvm_wait(dev, ch, seqno[ch][r], VSVM_TIMEOUT_NS,
						&status), 0);
			igt_assert_eq(status, 0);
		}
	igt_assert_eq_u64(ctr[0], 3ull * 1000 * 4 * nch);
	igt_assert_eq_u64(ctr[1], 1000ull * 4 * nch);	/* 32-bit INC, high half 0 */
}

/* The CPU increments while one GPU ADD of 100000 runs: exact total. */
static void contention_cpu_gpu(struct vsvm_device *dev, struct vsvm_cmdbuf *cb,
			       uint64_t *ctr)
{
	struct drm_vsvm_stats s0, s1;
	uint64_t gpu_ops = 100000, cpu_ops = 0, seqno;
	int32_t status = 1;
	int ret;

	igt_require_f(vsvm_features & DRM_VSVM_FEATURE_ATOMICS,
		      "no DRM_VSVM_FEATURE_ATOMICS: GPU atomics are not coherent with the CPU's\n");
	get_stats(dev, &s0);
	igt_assert_eq(vsvm_cmd_atomic(cb, DRM_VSVM_ATOMIC_ADD, VSVM_PTR(ctr), 1, 0,
				      gpu_ops, 0, DRM_VSVM_CMD_64BIT), 0);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), 0);
	do {
		for (int i = 0; i < 1000; i++)
			__atomic_fetch_add(ctr, 1, __ATOMIC_SEQ_CST);
		cpu_ops += 1000;
		ret = vsvm_wait(dev, 0, seqno, 0, &status);
	} while (ret == -ETIME);
	igt_assert_eq(ret, 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u64(__atomic_load_n(ctr, __ATOMIC_SEQ_CST), gpu_ops + cpu_ops);
	get_stats(dev, &s1);
	igt_info("%" PRIu64 " CPU increments ran alongside; %llu grants, %llu revokes\n",
		 cpu_ops, (unsigned long long)(s1.atomic_grants - s0.atomic_grants),
		 (unsigned long long)(s1.atomic_revokes - s0.atomic_revokes));
	igt_assert_lt_u64(s0.atomic_grants, s1.atomic_grants);
	igt_assert_lt_u64(s0.atomic_revokes, s1.atomic_revokes);
}

typedef void (*contention_fn)(struct vsvm_device *dev, struct vsvm_cmdbuf *cb,
			      uint64_t *ctr);

static const struct {
	const char *name;
	contention_fn fn;
} contention_cases[] = {
	{ "channels", contention_channels },
	{ "cpu-gpu", contention_cpu_gpu },
};

/* Many channels (and the CPU, with FEATURE_ATOMICS) on one counter. */
static void test_atomic_contention(contention_fn fn)
{
	struct vsvm_device *dev = test_vm();
	uint64_t *ctr = aligned_alloc(64, 64);
	struct vsvm_cmdbuf *cb = new_cb();

	igt_assert(ctr);
	memset(ctr, 0, 64);
	fn(dev, cb, ctr);
	vsvm_cmdbuf_del(cb);
	free(ctr);
}

/* ------------------------------------------------------------------ */

igt_main
{
	igt_fixture
		vsvm_fixture();

	for (volatile int w = 32; w <= 64; w += 32) {
		igt_describe("Every operation on device-exclusive pages, twice, with CPU writes "
			     "in between: exact values, returned old values and widths.");
		igt_subtest_f("ops-%d", w)
			test_ops(w == 64);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(atomic_ops); i++) {
		for (volatile int w = 32; w <= 64; w += 32) {
			igt_describe("The ATOMIC operation once and repeated gives the exact value "
				     "(unsigned MIN/MAX, wrap-around, CMPXCHG success and failure), "
				     "returns the previous value, and touches nothing else.");
			igt_subtest_f("atomic-%s-%d", atomic_ops[i].name, w)
				test_atomic(&atomic_ops[i], w == 64);
		}
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(contention_cases); i++) {
		igt_describe("GPU atomics from all channels on one counter are exact; with "
			     "FEATURE_ATOMICS, so are concurrent CPU and GPU increments.");
		igt_subtest_f("atomic-contention-%s", contention_cases[i].name)
			test_atomic_contention(contention_cases[i].fn);
	}

	igt_fixture
		release_tracked();
}
