// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm reliability
 * Category: Core
 * Mega feature: SVM
 * Sub-category: reliability
 * Functionality: job budgets, teardown with work in flight, bounded queues
 * Description: What a client cannot do to the device: keep a channel
 *	forever, hang close() or exit, queue unbounded kernel memory, starve
 *	another client, reach memory through addresses outside its VM, or grow
 *	the GPU page table without bound.
 *
 * SUBTEST: runaway-%s-timeout
 * Description: A runaway %arg[1] with a 300 ms budget ends with -ETIMEDOUT,
 *	is counted in STATS, and the channel runs the next submission.
 *
 * SUBTEST: runaway-%s-close
 * Description: close() of a VM running a runaway %arg[1] returns within a
 *	second.
 *
 * SUBTEST: runaway-%s-exit
 * Description: A process that exits with a runaway %arg[1] in flight is
 *	gone within two seconds.
 *
 * arg[1]:
 *
 * @atomic:	ATOMIC of DRM_VSVM_MAX_COUNT operations
 * @chase:	POINTER_CHASE around a one-node cycle
 * @wait:	WAIT_VALUE on a value nobody writes
 *
 * SUBTEST: inflight-bounded
 * Description: EXEC blocks once DRM_VSVM_PARAM_MAX_INFLIGHT submissions of a
 *	channel are not complete, a signal interrupts it (-EINTR), and every
 *	queued submission completes once the head does.
 *
 * SUBTEST: two-clients-hog
 * Description: A client blocking every channel of its VM does not hold up
 *	another client's work.
 *
 * SUBTEST: atomic-10m-racing-cpu
 * Description: An ATOMIC of 10M increments racing CPU atomic increments on
 *	the same word completes, and the sum is exact.
 *
 * SUBTEST: va-outside-window
 * Description: A command aimed above the VM window, at a non-canonical
 *	alias of a mapped page, fails with -EFAULT and leaves the page alone.
 *
 * SUBTEST: pt-memory-flat
 * Description: 100k cycles of mmap at a new 2 MiB address, GPU touch and
 *	munmap leave the GPU page-table memory (STATS pt_bytes) where it was;
 *	on a slow (sanitizer) kernel a minute's worth, at least 10k cycles.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <xf86drm.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("vsvm reliability: job budgets, teardown with work in "
		     "flight, bounded queues, isolation and bounded page tables.");

/*
 * pt-memory-flat: 100k cycles, or as many as fit in a minute but never
 * fewer than 10k (a leak of one table per cycle would be 40 MiB there).
 */
#define PT_FLAT_MIN_CYCLES	10000
#define PT_FLAT_BUDGET_NS	(60 * NSEC_PER_SEC)

/* The budget runaway-*-timeout gives its submission. */
#define RUNAWAY_BUDGET_NS	(300 * NSEC_PER_MSEC)

/* Memory a runaway command works on: a counter, a node, a semaphore. */
struct runaway {
	uint64_t counter;
	struct drm_vsvm_chase_node node;
	uint64_t sem;
	uint64_t result[2];
};

typedef void (*runaway_fn)(struct vsvm_cmdbuf *cb, struct runaway *r);

static void runaway_atomic(struct vsvm_cmdbuf *cb, struct runaway *r)
{
	igt_assert_eq(vsvm_cmd_atomic(cb, DRM_VSVM_ATOMIC_ADD, VSVM_PTR(&r->counter),
				      1, 0, DRM_VSVM_MAX_COUNT, 0,
				      DRM_VSVM_CMD_64BIT), 0);
}

static void runaway_chase(struct vsvm_cmdbuf *cb, struct runaway *r)
{
	r->node.next = VSVM_PTR(&r->node);
	r->node.value = 1;
	igt_assert_eq(vsvm_cmd_pointer_chase(cb, VSVM_PTR(r->result),
					     VSVM_PTR(&r->node),
					     DRM_VSVM_MAX_COUNT), 0);
}

static void runaway_wait(struct vsvm_cmdbuf *cb, struct runaway *r)
{
	/* Its own timeout far beyond the job's: the job budget ends it. */
	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&r->sem), DRM_VSVM_WAIT_EQ,
					  1, 0, DRM_VSVM_CMD_64BIT,
					  3600 * NSEC_PER_SEC), 0);
}

static const struct {
	const char *name;
	runaway_fn fn;
} runaways[] = {
	{ "atomic", runaway_atomic },
	{ "chase", runaway_chase },
	{ "wait", runaway_wait },
};

static uint64_t submit_runaway(struct vsvm_device *dev, uint32_t ch,
			       runaway_fn fn, struct runaway *r,
			       uint64_t budget_ns)
{
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t seqno;

	fn(cb, r);
	igt_assert_eq(vsvm_cmdbuf_set_timeout(cb, budget_ns), 0);
	igt_assert_eq(vsvm_exec(dev, ch, cb, &seqno), 0);
	vsvm_cmdbuf_del(cb);
	return seqno;
}

static void test_runaway_timeout(runaway_fn fn)
{
	struct vsvm_device *dev = test_vm();
	struct runaway *r = calloc(1, sizeof(*r));
	struct drm_vsvm_stats s0, s1;
	uint64_t seqno, t0;
	int32_t status = 0;

	igt_assert(r);
	get_stats(dev, &s0);
	t0 = now_ns();
	seqno = submit_runaway(dev, 0, fn, r, RUNAWAY_BUDGET_NS);
	igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_info("ended after %" PRIu64 " ms\n", (uint64_t)((now_ns() - t0) / NSEC_PER_MSEC));
	igt_assert_eq(status, -ETIMEDOUT);
	igt_assert(now_ns() - t0 >= RUNAWAY_BUDGET_NS);
	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.job_timeouts, s0.job_timeouts + 1);

	/* The channel goes on with the next submission. */
	igt_assert_gpu_ok(gpu_write64(dev, &r->sem, 42));
	igt_assert_eq_u64(r->sem, 42);
	free(r);
}

/* Wait until @seqno of @ch is running: not complete after a while. */
static void expect_running(struct vsvm_device *dev, uint32_t ch, uint64_t seqno)
{
	sleep_ms(100);
	igt_assert_eq(vsvm_wait(dev, ch, seqno, 0, NULL), -ETIME);
}

static void test_runaway_close(runaway_fn fn)
{
	struct vsvm_device *dev;
	struct runaway *r = calloc(1, sizeof(*r));
	uint64_t seqno, t0, ms;

	igt_assert(r);
	release_tracked();
	igt_assert_eq(vsvm_device_new(&dev), 0);
	igt_assert_eq(vsvm_vm_init(dev, 0, 0), 0);
	seqno = submit_runaway(dev, 0, fn, r, 0);
	expect_running(dev, 0, seqno);
	t0 = now_ns();
	vsvm_device_del(dev);
	ms = (now_ns() - t0) / NSEC_PER_MSEC;
	igt_info("close() took %" PRIu64 " ms\n", ms);
	igt_assert_f(ms < 1000, "close() took %" PRIu64 " ms\n", ms);

	/* The device is fine. */
	dev = test_vm();
	igt_assert_gpu_ok(gpu_write64(dev, &r->sem, 7));
	free(r);
}

static void test_runaway_exit(runaway_fn fn)
{
	uint64_t t0, ms;
	int status;
	pid_t pid;

	release_tracked();
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		struct runaway *r = calloc(1, sizeof(*r));
		struct vsvm_device *dev;

		if (!r || vsvm_device_new(&dev) || vsvm_vm_init(dev, 0, 0))
			_exit(2);
		submit_runaway(dev, 0, fn, r, 0);
		sleep_ms(100);
		_exit(0);
	}
	/* The child's exit starts after its 100 ms: time from then on. */
	sleep_ms(100);
	t0 = now_ns();
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	ms = (now_ns() - t0) / NSEC_PER_MSEC;
	igt_info("exit took %" PRIu64 " ms\n", ms);
	igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	igt_assert_f(ms < 2000, "exit took %" PRIu64 " ms\n", ms);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* EXEC with the raw ioctl: libdrm's drmIoctl() retries EINTR. */
static int raw_exec(struct vsvm_device *dev, uint32_t ch,
		    const struct drm_vsvm_cmd *cmd)
{
	struct drm_vsvm_exec ex = {
		.cmds = VSVM_PTR(cmd),
		.num_cmds = 1,
		.channel = ch,
	};

	return ioctl(vsvm_device_fd(dev), DRM_IOCTL_VSVM_EXEC, &ex) ? -errno : 0;
}

static void test_inflight_bounded(void)
{
	struct vsvm_device *dev = test_vm();
	struct sigaction sa = { .sa_handler = on_alarm };
	uint64_t max, i, head, *done = calloc(1, sizeof(*done));
	struct drm_vsvm_cmd blocked = {
		.op = DRM_VSVM_OP_WAIT_VALUE,
		.flags = DRM_VSVM_CMD_64BIT,
		.src = VSVM_PTR(done),
		.value = 1,
		.timeout_ns = 60 * NSEC_PER_SEC,
	};
	struct drm_vsvm_cmd write = {
		.op = DRM_VSVM_OP_WRITE_VALUE,
		.flags = DRM_VSVM_CMD_64BIT,
	};
	uint64_t *slots;
	int32_t status;

	igt_assert(done);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_MAX_INFLIGHT, &max), 0);
	igt_assert(max >= 2 && max <= 4096);
	slots = calloc(max, sizeof(*slots));
	igt_assert(slots);

	igt_assert_eq(raw_exec(dev, 1, &blocked), 0);
	head = 1;
	for (i = 1; i < max; i++) {
		write.dst = VSVM_PTR(&slots[i]);
		write.value = i;
		igt_assert_eq(raw_exec(dev, 1, &write), 0);
	}
	expect_running(dev, 1, head);

	/* The channel is full: the next EXEC blocks until a signal. */
	igt_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
	alarm(1);
	write.dst = VSVM_PTR(&slots[0]);
	write.value = 99;
	igt_assert_eq(raw_exec(dev, 1, &write), -EINTR);
	alarm(0);
	/* Other channels are not affected. */
	igt_assert_gpu_ok(gpu_write64(dev, &slots[0], 5));

	__atomic_store_n(done, 1, __ATOMIC_SEQ_CST);
	igt_assert_eq(vsvm_wait(dev, 1, max, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	for (i = 1; i < max; i++)
		igt_assert_eq_u64(slots[i], i);
	igt_assert_eq_u64(slots[0], 5);
	free(slots);
	free(done);
}

static void test_two_clients_hog(void)
{
	struct vsvm_device *hog = test_vm();
	struct vsvm_device *other = extra_vm();
	struct runaway *r = calloc(1, sizeof(*r));
	uint64_t ch, channels, *buf = calloc(1024, sizeof(*buf)), t0;

	igt_assert(r && buf);
	igt_assert_eq(vsvm_get_param(hog, DRM_VSVM_PARAM_NUM_CHANNELS, &channels), 0);
	for (ch = 0; ch < channels; ch++)
		submit_runaway(hog, ch, runaway_wait, r, 0);
	expect_running(hog, channels - 1, 1);

	t0 = now_ns();
	igt_assert_gpu_ok(gpu_fill(other, buf, 1024 * sizeof(*buf), 0x5a5a5a5a));
	igt_info("the other client's FILL took %" PRIu64 " ms\n",
		 (uint64_t)((now_ns() - t0) / NSEC_PER_MSEC));
	igt_assert(now_ns() - t0 < 2 * NSEC_PER_SEC);
	check_u32(buf, 1024 * sizeof(*buf), 0x5a5a5a5a);
	/* Free the hog's channels. */
	__atomic_store_n(&r->sem, 1, __ATOMIC_SEQ_CST);
	release_tracked();
	free(buf);
	free(r);
}

struct hammer {
	pthread_t thread;
	uint64_t *ctr;
	volatile bool *stop;
	uint64_t total;
};

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;

	while (!__atomic_load_n(h->stop, __ATOMIC_ACQUIRE)) {
		__atomic_fetch_add(h->ctr, 1, __ATOMIC_RELAXED);
		h->total++;
	}
	return NULL;
}

static void test_atomic_10m(void)
{
	const uint64_t n = 10 * 1000 * 1000;
	struct vsvm_device *dev = test_vm();
	uint64_t *ctr = map_anon(SZ_4K);
	struct hammer h[2];
	volatile bool stop = false;
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t seqno, cpu = 0;
	int32_t status = 1;
	int t, ret;

	for (t = 0; t < 2; t++) {
		h[t] = (struct hammer){ .ctr = ctr, .stop = &stop };
		igt_assert_eq(pthread_create(&h[t].thread, NULL, hammer_fn, &h[t]), 0);
	}
	/*
	 * No assertion until the threads are joined: a failing one would
	 * leave them running on this stack frame.
	 */
	ret = vsvm_cmd_atomic(cb, DRM_VSVM_ATOMIC_ADD, VSVM_PTR(ctr), 1, 0,
			      n, 0, DRM_VSVM_CMD_64BIT);
	if (!ret)
		ret = vsvm_exec(dev, 0, cb, &seqno);
	if (!ret)
		ret = vsvm_wait(dev, 0, seqno, 4 * VSVM_TIMEOUT_NS, &status);
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	for (t = 0; t < 2; t++) {
		igt_assert_eq(pthread_join(h[t].thread, NULL), 0);
		cpu += h[t].total;
	}
	igt_info("%" PRIu64 " GPU + %" PRIu64 " CPU increments\n", n, cpu);
	igt_assert_eq(ret, 0);
	igt_assert_eq(status, 0);
	igt_assert_eq_u64(*ctr, n + cpu);
	vsvm_cmdbuf_del(cb);
	munmap(ctr, SZ_4K);
}

static void test_va_outside_window(void)
{
	struct vsvm_device *dev = test_vm();
	uint64_t *page = map_anon(SZ_4K);
	uint64_t aliases[] = {
		VSVM_PTR(page) | (1ull << 48),
		VSVM_PTR(page) | 0xffff000000000000ull,
		VSVM_PTR(page) + (1ull << 47),
	};
	unsigned int i;

	page[0] = 0x1234;
	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		igt_assert_gpu_status(RUN1(dev, 0, vsvm_cmd_write_value(__cb, aliases[i],
									0xdead, DRM_VSVM_CMD_64BIT)),
				      -EFAULT);
		check_fault(dev, (void *)(uintptr_t)aliases[i], DRM_VSVM_ACCESS_WRITE,
			    i + 1);
		igt_assert_eq_u64(page[0], 0x1234);
	}
	munmap(page, SZ_4K);
}

static uint64_t pt_bytes(struct vsvm_device *dev)
{
	struct drm_vsvm_stats st;

	get_stats(dev, &st);
	return st.pt_bytes;
}

static void test_pt_memory_flat(void)
{
	const unsigned long cycles = 100000, batch = 64;
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t before = 0, after, peak = 0, v, t0 = now_ns();
	unsigned long done, i;
	uint8_t *region, *p;

	/* A PROT_NONE reservation with a new 2 MiB block for every cycle. */
	region = mmap_aligned(cycles * SZ_2M, SZ_2M, MAP_PRIVATE | MAP_NORESERVE);
	igt_assert_eq(mprotect(region, cycles * SZ_2M, PROT_NONE), 0);
	for (done = 0; done < cycles; done += batch) {
		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		for (i = 0; i < batch; i++) {
			p = region + (done + i) * SZ_2M;
			xmmap(p, SZ_4K, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(p), i, 0), 0);
		}
		igt_assert_gpu_ok(run_cb(dev, cb));
		v = pt_bytes(dev);
		peak = v > peak ? v : peak;
		/* Unmap: the reservation takes the page's place again. */
		for (i = 0; i < batch; i++)
			xmmap(region + (done + i) * SZ_2M, SZ_4K, PROT_NONE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
			      -1, 0);
		if (!done)
			before = pt_bytes(dev);
		/* Sanitizer kernels are ~10x slower: a minute's worth there. */
		if (done + batch >= PT_FLAT_MIN_CYCLES &&
		    now_ns() - t0 > PT_FLAT_BUDGET_NS) {
			done += batch;
			break;
		}
	}
	after = pt_bytes(dev);
	igt_info("pt_bytes: %" PRIu64 " after the first batch, %" PRIu64
		 " after %lu cycles, peak %" PRIu64 "\n", before, after, done, peak);
	igt_assert_lte(after, before);
	munmap(region, cycles * SZ_2M);
	vsvm_cmdbuf_del(cb);
}

igt_main
{
	igt_fixture
		vsvm_fixture();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(runaways); i++) {
		igt_describe("A runaway command with a budget ends with -ETIMEDOUT "
			     "and the channel runs the next submission.");
		igt_subtest_f("runaway-%s-timeout", runaways[i].name)
			test_runaway_timeout(runaways[i].fn);
		igt_describe("close() with a runaway command running returns within a second.");
		igt_subtest_f("runaway-%s-close", runaways[i].name)
			test_runaway_close(runaways[i].fn);
		igt_describe("A process exiting with a runaway command in flight is gone "
			     "within two seconds.");
		igt_subtest_f("runaway-%s-exit", runaways[i].name)
			test_runaway_exit(runaways[i].fn);
	}

	igt_describe("EXEC blocks interruptibly while a channel is full.");
	igt_subtest("inflight-bounded")
		test_inflight_bounded();

	igt_describe("A client blocking all its channels does not hold up another.");
	igt_subtest("two-clients-hog")
		test_two_clients_hog();

	igt_describe("10M GPU atomics racing CPU atomics: exact sum.");
	igt_subtest("atomic-10m-racing-cpu")
		test_atomic_10m();

	igt_describe("Addresses outside the VM window fault, never alias.");
	igt_subtest("va-outside-window")
		test_va_outside_window();

	igt_describe("GPU page-table memory stays flat over up to 100k (at least 10k) "
		     "map/touch/unmap cycles.");
	igt_subtest("pt-memory-flat")
		test_pt_memory_flat();

	igt_fixture
		release_tracked();
}
