// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm svm sync
 * Category: Core
 * Mega feature: SVM
 * Sub-category: engine commands
 * Functionality: semaphores, channels and work in flight
 * Description: WAIT_VALUE as a semaphore in CPU memory (between the CPU
 *	and the GPU, and across channels), the independence of channels, and
 *	what happens to queued work when its process exits or closes its fd.
 *
 * SUBTEST: wait-value-%s
 * Description: WAIT_VALUE: %arg[1].
 *
 * arg[1]:
 *
 * @handshake:		a CPU<->GPU handshake
 * @cross-channel:	a GPU<->GPU semaphore across channels
 * @timeout:		a timeout (-ETIMEDOUT)
 * @default-timeout:	the one-second default timeout
 * @already-true:	a condition already true
 * @eq-32:		EQ, 32 bits
 * @neq-32:		NEQ, 32 bits
 * @gte-32:		unsigned GTE, 32 bits
 * @lt-32:		unsigned LT, 32 bits
 * @mask-32:		EQ under a mask, 32 bits
 * @eq-64:		EQ, 64 bits
 * @neq-64:		NEQ, 64 bits
 * @gte-64:		unsigned GTE, 64 bits
 * @lt-64:		unsigned LT, 64 bits
 * @mask-64:		EQ under a mask, 64 bits
 *
 * SUBTEST: channels-independent
 * Description: A blocked channel holds back its own later submissions only.
 *
 * SUBTEST: exit-in-flight-%s
 * Description: The owner goes away with %arg[1] in flight.
 *
 * arg[1]:
 *
 * @wait-value:	a blocked WAIT_VALUE (process exit)
 * @close-fd:	a blocked WAIT_VALUE (close of the fd)
 * @big-fill:	a 64 MiB FILL (process exit)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("Shared virtual memory on vsvm: WAIT_VALUE semaphores, "
		     "independent channels and work in flight at exit.");

/* ------------------------------------------------------------------ */
/* WAIT_VALUE: CPU <-> GPU and GPU <-> GPU semaphores                  */

static void cpu_store(void *p, uint64_t v, bool is64)
{
	if (is64)
		__atomic_store_n((uint64_t *)p, v, __ATOMIC_SEQ_CST);
	else
		__atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_SEQ_CST);
}

static uint32_t cpu_load32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void expect_pending(struct vsvm_device *dev, uint32_t ch, uint64_t seqno,
			   const uint32_t *done)
{
	sleep_ms(30);
	igt_assert_eq(vsvm_wait(dev, ch, seqno, 0, NULL), -ETIME);
	igt_assert_eq_u32(cpu_load32(done), 0);
}

/* Appends "wait until *@src == 1 (20 s at most)". */
static void wait_for_one(struct vsvm_cmdbuf *cb, uint32_t *src)
{
	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(src), DRM_VSVM_WAIT_EQ, 1, 0, 0,
					  20 * NSEC_PER_SEC), 0);
}

struct wait_case {
	const char *name;
	uint32_t cmp;
	bool is64;
	uint64_t mask, value;
	uint64_t init, miss, hit;	/* miss must not satisfy, hit must */
};

/*
 * 32-bit cases keep a non-zero word next to the value, so that a 64-bit
 * read fails them; unsigned corner cases fail a signed comparison; 64-bit
 * values differ from their low half, so that a 32-bit read fails them.
 */
static const struct wait_case wait_cases[] = {
	{ "eq-32", DRM_VSVM_WAIT_EQ, false, 0, 5, 0, 4, 5 },
	{ "neq-32", DRM_VSVM_WAIT_NEQ, false, 0, 7, 7, 7, 8 },
	{ "gte-32", DRM_VSVM_WAIT_GTE, false, 0, 0x80000000, 0, 0x7fffffff, 0x80000001 },
	{ "lt-32", DRM_VSVM_WAIT_LT, false, 0, 10, 10, 0x80000000, 9 },
	{ "mask-32", DRM_VSVM_WAIT_EQ, false, 0xff00, 0x1200, 0xff, 0x13ff, 0x12ab },
	{ "eq-64", DRM_VSVM_WAIT_EQ, true, 0, 0x100000005ull, 0, 5, 0x100000005ull },
	{ "neq-64", DRM_VSVM_WAIT_NEQ, true, 0, 0x100000000ull, 0x100000000ull,
	  0x100000000ull, 0x200000000ull },
	{ "gte-64", DRM_VSVM_WAIT_GTE, true, 0, 0x100000000ull, 0xffffffffull,
	  0xffffffffull, 0x100000000ull },
	{ "lt-64", DRM_VSVM_WAIT_LT, true, 0, 0x100000000ull, 0x100000000ull,
	  0x8000000000000000ull, 0xffffffffull },
	{ "mask-64", DRM_VSVM_WAIT_EQ, true, 0xffff000000000000ull, 0xabcd000000000000ull,
	  0, 0xabcc00000000ffffull, 0xabcd00000000ffffull },
};

static void test_wait_case(const struct wait_case *c)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t *mem = calloc(4, sizeof(uint64_t));
	uint32_t *done = (uint32_t *)&mem[2];
	uint64_t seqno;
	int32_t status = 1;

	igt_assert(mem);
	cpu_store(mem, c->init, c->is64);
	if (!c->is64)
		((uint32_t *)mem)[1] = 1;	/* junk next to a 32-bit value */
	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(mem), c->cmp, c->value, c->mask,
					  c->is64 ? DRM_VSVM_CMD_64BIT : 0,
					  20 * NSEC_PER_SEC), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(done), 1, 0), 0);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), 0);
	expect_pending(dev, 0, seqno, done);
	cpu_store(mem, c->miss, c->is64);
	expect_pending(dev, 0, seqno, done);
	cpu_store(mem, c->hit, c->is64);
	igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(cpu_load32(done), 1);
	vsvm_cmdbuf_del(cb);
	free(mem);
}

/* GPU: wait a == 1, b = 2, wait c == 3, d = 4; the CPU releases it twice. */
static void wait_handshake(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, uint32_t *f)
{
	uint64_t seqno, t0;
	int32_t status = 1;

	wait_for_one(cb, &f[0]);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[1]), 2, 0), 0);
	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f[2]), DRM_VSVM_WAIT_EQ, 3, 0, 0,
					  20 * NSEC_PER_SEC), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[3]), 4, 0), 0);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), 0);
	expect_pending(dev, 0, seqno, &f[1]);
	cpu_store(&f[0], 1, false);
	t0 = now_ns();
	while (cpu_load32(&f[1]) != 2 && now_ns() - t0 < 10 * NSEC_PER_SEC)
		sched_yield();
	igt_assert_f(cpu_load32(&f[1]) == 2, "the GPU did not release b\n");
	expect_pending(dev, 0, seqno, &f[3]);
	cpu_store(&f[2], 3, false);
	igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(f[3], 4);
}

/* Channel 1 waits for what channel 0 writes. */
static void wait_cross_channel(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, uint32_t *f)
{
	uint64_t seqno, s0;
	int32_t status = 1;

	igt_require_f(vsvm_num_channels >= 2, "one channel only\n");
	wait_for_one(cb, &f[0]);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[1]), 1, 0), 0);
	igt_assert_eq(vsvm_exec(dev, 1, cb, &seqno), 0);
	expect_pending(dev, 1, seqno, &f[1]);
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[0]), 1, 0), 0);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &s0), 0);
	igt_assert_eq(vsvm_wait(dev, 1, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq(vsvm_wait(dev, 0, s0, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(f[1], 1);
}

/* A wait that is never satisfied: -ETIMEDOUT after 50 ms, or 1 s (@dflt). */
static void wait_times_out(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, uint32_t *f,
			   bool dflt)
{
	uint64_t seqno, t0, elapsed;
	int32_t status = 1;

	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f[0]), DRM_VSVM_WAIT_EQ, 1, 0, 0,
					  dflt ? 0 : 50 * NSEC_PER_MSEC), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[1]), 1, 0), 0);
	t0 = now_ns();
	igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), 0);
	igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
	elapsed = now_ns() - t0;
	igt_assert_eq(status, -ETIMEDOUT);
	igt_assert_eq_u32(f[1], 0);
	igt_assert_f(elapsed >= (dflt ? 900 : 45) * NSEC_PER_MSEC &&
		     elapsed < (dflt ? 15 : 10) * NSEC_PER_SEC,
		     "timed out after %.3f s\n", elapsed / 1e9);
	/* The channel goes on. */
	igt_assert_gpu_ok(gpu_write32(dev, &f[2], 7));
	igt_assert_eq_u32(f[2], 7);
}

static void wait_timeout(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, uint32_t *f)
{
	wait_times_out(dev, cb, f, false);
}

static void wait_default_timeout(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, uint32_t *f)
{
	wait_times_out(dev, cb, f, true);
}

static void wait_already_true(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, uint32_t *f)
{
	f[0] = 9;
	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f[0]), DRM_VSVM_WAIT_GTE, 9, 0, 0,
					  20 * NSEC_PER_SEC), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[1]), 1, 0), 0);
	igt_assert_gpu_ok(run_cb(dev, cb));
	igt_assert_eq_u32(f[1], 1);
}

typedef void (*wait_fn)(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, uint32_t *f);

static const struct {
	const char *name;
	wait_fn fn;
} wait_scenarios[] = {
	{ "handshake", wait_handshake },
	{ "cross-channel", wait_cross_channel },
	{ "timeout", wait_timeout },
	{ "default-timeout", wait_default_timeout },
	{ "already-true", wait_already_true },
};

static void test_wait_value(wait_fn fn)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint32_t *f = calloc(16, sizeof(uint32_t));

	igt_assert(f);
	fn(dev, cb, f);
	vsvm_cmdbuf_del(cb);
	free(f);
}

/* ------------------------------------------------------------------ */
/* Channels                                                            */

/* Submissions on one channel run in order; channels are independent. */
static void test_channels_independent(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint32_t *f = calloc(16, sizeof(uint32_t));
	uint64_t blocked, behind, other;
	int32_t status = 1;

	igt_require_f(vsvm_num_channels >= 2, "one channel only\n");
	igt_assert(f);
	wait_for_one(cb, &f[0]);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &blocked), 0);
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[1]), 1, 0), 0);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &behind), 0);
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[2]), 1, 0), 0);
	igt_assert_eq(vsvm_exec(dev, 1, cb, &other), 0);

	igt_assert_eq(vsvm_wait(dev, 1, other, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(f[2], 1);
	expect_pending(dev, 0, behind, &f[1]);
	igt_assert_eq(vsvm_wait(dev, 0, blocked, 0, NULL), -ETIME);

	cpu_store(&f[0], 1, false);
	igt_assert_eq(vsvm_wait(dev, 0, behind, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq(vsvm_wait(dev, 0, blocked, 0, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u32(f[1], 1);
	vsvm_cmdbuf_del(cb);
	free(f);
}

/* ------------------------------------------------------------------ */
/* Process exit / close with work in flight                            */

struct flags_page {
	uint32_t go;		/* the child's GPU waits for this ... */
	uint32_t pad;
	uint32_t done;		/* ... then writes this */
};

/* Queues "wait for go == 1, then done = 1" on dev. */
static void queue_blocked(struct vsvm_device *dev, struct flags_page *f)
{
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t seqno;

	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f->go), DRM_VSVM_WAIT_EQ, 1, 0, 0,
					  20 * NSEC_PER_SEC), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f->done), 1, 0), 0);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), 0);
	sleep_ms(20);
	igt_assert_eq(vsvm_wait(dev, 0, seqno, 0, NULL), -ETIME);
	vsvm_cmdbuf_del(cb);
}

/* After the owner is gone, releasing the wait must not run its work. */
static void check_cancelled(struct flags_page *f)
{
	__atomic_store_n(&f->go, 1, __ATOMIC_SEQ_CST);
	sleep_ms(300);
	igt_assert_f(__atomic_load_n(&f->done, __ATOMIC_SEQ_CST) == 0,
		     "work of a closed VM ran after its owner went away\n");
}

/* The device, and a new VM on it, still work normally. */
static void check_device_fine(uint64_t vram_before)
{
	struct vsvm_device *dev = test_vm();
	struct drm_vsvm_stats st;
	uint32_t *p = calloc(1, SZ_64K);

	igt_assert(p);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_64K, 0x0f0f0f0f));
	check_u32(p, SZ_64K, 0x0f0f0f0f);
	get_stats(dev, &st);
	igt_assert_eq_u64(st.submissions, 1);
	igt_assert_eq_u64(st.commands, 1);
	igt_assert_eq_u64(st.gpu_faults_unrecoverable, 0);
	igt_assert_lte_u64(SZ_64K / SZ_4K, st.mapped_pages);
	igt_assert_eq_u64(st.vram_used, vram_before);
	free(p);
}

static uint64_t vram_used_now(void)
{
	struct drm_vsvm_stats st;

	get_stats(test_dev(), &st);
	return st.vram_used;
}

static void exit_wait_value(struct flags_page *f)
{
	uint64_t t0;
	int sync[2];

	igt_assert_eq(pipe(sync), 0);
	igt_fork(child, 1) {
		struct vsvm_device *cd = child_vm();

		queue_blocked(cd, f);
		write_byte(sync[1]);
		/* exit with the work queued, fd still open */
	}
	read_byte(sync[0]);
	t0 = now_ns();
	igt_waitchildren();
	igt_assert_f(now_ns() - t0 < 10 * NSEC_PER_SEC,
		     "the child took %.1f s to exit: its blocked work was not cancelled\n",
		     (now_ns() - t0) / 1e9);
	close(sync[0]);
	close(sync[1]);
	check_cancelled(f);
}

static void exit_close_fd(struct flags_page *f)
{
	struct vsvm_device *d = child_vm();
	uint64_t t0;

	queue_blocked(d, f);
	t0 = now_ns();
	vsvm_device_del(d);
	igt_assert_f(now_ns() - t0 < 10 * NSEC_PER_SEC,
		     "close took %.1f s: the blocked work was not cancelled\n",
		     (now_ns() - t0) / 1e9);
	check_cancelled(f);
}

static void exit_big_fill(struct flags_page *f)
{
	(void)f;
	for (int round = 0; round < 4; round++) {
		igt_fork(child, 1) {
			struct vsvm_device *cd = child_vm();
			size_t size = 64ul << 20;
			void *p = map_anon(size);
			struct vsvm_cmdbuf *cb = new_cb();

			igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(p), size, round), 0);
			igt_assert_eq(vsvm_exec(cd, 0, cb, NULL), 0);
			/* exit while the GPU faults 64 MiB in */
		}
		igt_waitchildren();
	}
}

static const struct {
	const char *name;
	void (*fn)(struct flags_page *f);
} exit_cases[] = {
	{ "wait-value", exit_wait_value },
	{ "close-fd", exit_close_fd },
	{ "big-fill", exit_big_fill },
};

static void test_exit_in_flight(void (*fn)(struct flags_page *f))
{
	struct flags_page *f = map_shared(SZ_4K);
	uint64_t vram = vram_used_now();

	fn(f);
	check_device_fine(vram);
	munmap(f, SZ_4K);
}

/* ------------------------------------------------------------------ */

igt_main
{
	igt_fixture
		vsvm_fixture();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(wait_scenarios); i++) {
		igt_describe("WAIT_VALUE as a semaphore: CPU<->GPU handshake, GPU<->GPU across "
			     "channels, timeouts (-ETIMEDOUT, the one-second default), and a "
			     "condition already true.");
		igt_subtest_f("wait-value-%s", wait_scenarios[i].name)
			test_wait_value(wait_scenarios[i].fn);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(wait_cases); i++) {
		igt_describe("WAIT_VALUE with every comparison and width, with masks: not "
			     "satisfied too early (by a value that misses, or by the wrong width), "
			     "satisfied by a value that hits.");
		igt_subtest_f("wait-value-%s", wait_cases[i].name)
			test_wait_case(&wait_cases[i]);
	}

	igt_describe("A blocked channel holds back later submissions on it, not other channels.");
	igt_subtest("channels-independent")
		test_channels_independent();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(exit_cases); i++) {
		igt_describe("A process exits (or closes its fd) with a blocked WAIT_VALUE or a "
			     "big FILL in flight: the exit is prompt, the queued work never runs, "
			     "and the device keeps working with sane stats.");
		igt_subtest_f("exit-in-flight-%s", exit_cases[i].name)
			test_exit_in_flight(exit_cases[i].fn);
	}

	igt_fixture
		release_tracked();
}
