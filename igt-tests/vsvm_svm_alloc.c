// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm svm alloc
 * Category: Core
 * Mega feature: SVM
 * Sub-category: allocator families
 * Functionality: GPU access to system allocations
 * Description: The GPU works on plain CPU allocations of every kind, as in
 *	xe_exec_system_allocator: it faults them in, keeps them mapped, and
 *	follows new and freed allocations; from threads, processes and two
 *	devices.
 *
 * SUBTEST: basic
 * Description: Every simple command on malloc'd memory in one submission.
 *
 * SUBTEST: once-%s
 * Description: One copy and one fill on a fresh buffer of %arg[1].
 *
 * SUBTEST: many-%s
 * Description: 64 submissions over all channels on a faulted-in buffer of %arg[1].
 *
 * SUBTEST: new-%s
 * Description: A new buffer of %arg[1] for every submission.
 *
 * SUBTEST: free-%s
 * Description: A new buffer of %arg[1] for every submission, freed after it.
 *
 * arg[1]:
 *
 * @malloc:		malloc'd memory
 * @stack:		the stack (not for new and free)
 * @mmap-anon:		a private anonymous mapping
 * @mmap-shared:	a shared anonymous mapping
 * @mmap-file:		a shared file mapping
 * @mmap-huge:		a MADV_HUGEPAGE mapping (THP)
 * @mmap-mlock:		an mlocked private mapping
 *
 * SUBTEST: free-after-exec-%s
 * Description: GPU access after munmap of a GPU-used %arg[1] faults.
 *
 * SUBTEST: cpu-gpu-same-page-%s
 * Description: CPU and GPU first touch the same pages of %arg[1] at once.
 *
 * arg[1]:
 *
 * @mmap-anon:		a private anonymous mapping
 * @mmap-shared:	a shared anonymous mapping
 * @mmap-file:		a shared file mapping
 * @mmap-huge:		a MADV_HUGEPAGE mapping (THP)
 *
 * SUBTEST: thp-%s
 * Description: A THP-backed buffer, first touched by %arg[1], gets 2M GPU pages.
 *
 * arg[1]:
 *
 * @cpu-first-touch:	the CPU
 * @gpu-first-touch:	the GPU
 *
 * SUBTEST: zero-page-write
 * Description: A GPU write after a GPU read of untouched memory never writes
 *	the zero page.
 *
 * SUBTEST: cpu-write-after-gpu-read
 * Description: A CPU write after a GPU read of untouched memory reaches the GPU.
 *
 * SUBTEST: threads-%s
 * Description: Several threads fault at once, %arg[1].
 *
 * arg[1]:
 *
 * @own-vm:			each with its own VM
 * @shared-vm:			sharing one VM over all channels
 * @shared-vm-shared-buffer:	on interleaved pages of one buffer, with atomics
 * @processes:			as processes, each with its own VM
 *
 * SUBTEST: two-devices
 * Description: Two vsvm devices mirror one address space.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("Shared virtual memory on vsvm: GPU access to system "
		     "allocations of every kind, from threads, processes and two devices.");

/* The kinds freed by munmap, but SYSBUF_MLOCK. */
static const enum sysbuf_kind mmap_kinds[] = {
	SYSBUF_ANON, SYSBUF_SHARED, SYSBUF_FILE, SYSBUF_HUGE,
};

/* Private anonymous memory nothing else (khugepaged, page cache) touches. */
static bool kind_is_private_anon(enum sysbuf_kind k)
{
	return k == SYSBUF_MALLOC || k == SYSBUF_STACK || k == SYSBUF_ANON || k == SYSBUF_MLOCK;
}

/* Kinds whose free is an munmap. */
static bool kind_is_mmap(enum sysbuf_kind k)
{
	return k != SYSBUF_MALLOC && k != SYSBUF_STACK;
}

/* ------------------------------------------------------------------ */
/* basic                                                               */

static void test_basic(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	struct drm_vsvm_stats s0, s1;
	uint64_t *buf = calloc(1, SZ_4K);
	uint64_t seq1, seq2;
	int32_t status;

	igt_assert(buf);
	get_stats(dev, &s0);

	igt_assert_eq(vsvm_cmd_nop(cb), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&buf[0]), 0x11223344, 0), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&buf[1]), 0x8877665544332211ull,
					   DRM_VSVM_CMD_64BIT), 0);
	igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(&buf[2]), 16, 0xabcdef01), 0);
	igt_assert_eq(vsvm_cmd_copy(cb, VSVM_PTR(&buf[4]), VSVM_PTR(&buf[1]), 8), 0);
	igt_assert_eq(vsvm_cmd_timestamp(cb, VSVM_PTR(&buf[5])), 0);
	igt_assert_eq(vsvm_cmdbuf_count(cb), 6);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &seq1), 0);
	igt_assert_eq(vsvm_wait(dev, 0, seq1, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);

	igt_assert_eq_u64(buf[0], 0x11223344);	/* 32-bit store: high half untouched */
	igt_assert_eq_u64(buf[1], 0x8877665544332211ull);
	igt_assert_eq_u64(buf[2], 0xabcdef01abcdef01ull);
	igt_assert_eq_u64(buf[3], 0xabcdef01abcdef01ull);
	igt_assert_eq_u64(buf[4], 0x8877665544332211ull);
	igt_assert_neq_u64(buf[5], 0);
	igt_assert_eq_u64(buf[6], 0);

	/* Seqnos grow; a completed one can be waited for again. */
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmdbuf_count(cb), 0);
	igt_assert_eq(vsvm_cmd_nop(cb), 0);
	igt_assert_eq(vsvm_exec(dev, 0, cb, &seq2), 0);
	igt_assert_lt_u64(seq1, seq2);
	igt_assert_eq(vsvm_wait(dev, 0, seq2, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq(vsvm_wait(dev, 0, seq1, 0, &status), 0);
	igt_assert_eq(status, 0);

	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions - s0.submissions, 2);
	igt_assert_eq_u64(s1.commands - s0.commands, 7);
	igt_assert_lt_u64(s0.gpu_faults, s1.gpu_faults);
	igt_assert_eq_u64(s1.gpu_faults_unrecoverable, 0);
	igt_assert_eq(vsvm_fault_info(dev, &(struct drm_vsvm_fault_info){ 0 }), -ENOENT);

	vsvm_cmdbuf_del(cb);
	free(buf);
}

/* ------------------------------------------------------------------ */
/* once / many / new / free (xe_exec_system_allocator's families)      */

static void once_body(struct sysbuf *b)
{
	struct vsvm_device *dev = test_vm();
	struct drm_vsvm_stats s0, s1;
	size_t half = b->size / 2, quarter = b->size / 4;
	uint32_t seed = 0x0ce00000 + b->kind;

	/* The CPU writes the first half; the second is left as it is. */
	pattern_fill(b->ptr, half, seed);
	get_stats(dev, &s0);

	igt_assert_gpu_ok(gpu_copy(dev, b->ptr + half, b->ptr, half));
	check_pattern(b->ptr + half, half, seed);
	igt_assert_gpu_ok(gpu_fill(dev, b->ptr, quarter, 0xc0ffee00 | b->kind));
	check_u32(b->ptr, quarter, 0xc0ffee00 | b->kind);
	check_pattern_at(b->ptr, quarter, half - quarter, seed);

	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions - s0.submissions, 2);
	igt_assert_eq_u64(s1.commands - s0.commands, 2);
	igt_assert_lt_u64(s0.gpu_faults, s1.gpu_faults);
	igt_assert_lt_u64(s0.svm_faults, s1.svm_faults);
	igt_assert_lte_u64(b->size / SZ_4K, s1.mapped_pages);
	igt_assert_eq_u64(s1.gpu_faults_unrecoverable, 0);
}

#define MANY 64

static void many_body(struct sysbuf *b)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	struct drm_vsvm_stats s0, s1;
	size_t stride = (b->size / MANY) & ~(size_t)7;
	uint64_t seqno[MANY];
	uint32_t ch[MANY];

	/* The first submission faults everything in ... */
	igt_assert_gpu_ok(gpu_fill(dev, b->ptr, b->size, 0));
	get_stats(dev, &s0);

	/* ... then MANY are queued at once, spread over the channels. */
	for (int i = 0; i < MANY; i++) {
		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(b->ptr + i * stride),
						   0x5eed0000 | i, 0), 0);
		ch[i] = i % vsvm_num_channels;
		igt_assert_eq(vsvm_exec(dev, ch[i], cb, &seqno[i]), 0);
	}
	for (int i = 0; i < MANY; i++) {
		int32_t status = 1;

		igt_assert_eq(vsvm_wait(dev, ch[i], seqno[i], VSVM_TIMEOUT_NS, &status), 0);
		igt_assert_eq(status, 0);
	}
	for (int i = 0; i < MANY; i++) {
		uint32_t *w = (uint32_t *)(b->ptr + i * stride);

		igt_assert_eq_u32(w[0], 0x5eed0000 | i);
		igt_assert_eq_u32(w[1], 0);
	}

	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions - s0.submissions, MANY);
	igt_assert_eq_u64(s1.commands - s0.commands, MANY);
	/* Nothing changed on the CPU side: the GPU mappings stayed. */
	if (kind_is_private_anon(b->kind))
		igt_assert_f(s1.gpu_faults == s0.gpu_faults,
			     "%llu GPU faults on pages the GPU had mapped already\n",
			     (unsigned long long)(s1.gpu_faults - s0.gpu_faults));
	vsvm_cmdbuf_del(cb);
}

#define NEW_FREE_ITERS 16

/* A NEW allocation every iteration; all are checked at the end. */
static void test_new(enum sysbuf_kind k)
{
	struct vsvm_device *dev = test_vm();
	struct sysbuf bufs[NEW_FREE_ITERS];

	for (int i = 0; i < NEW_FREE_ITERS; i++) {
		sysbuf_new(&bufs[i], k, sysbuf_kind_size(k));
		igt_assert_gpu_ok(gpu_fill(dev, bufs[i].ptr, bufs[i].size, 0xa0000000 | i));
		check_u32(bufs[i].ptr, bufs[i].size, 0xa0000000 | i);
	}
	for (int i = 0; i < NEW_FREE_ITERS; i++) {
		check_u32(bufs[i].ptr, bufs[i].size, 0xa0000000 | i);
		sysbuf_del(&bufs[i]);
	}
}

/* The unmapped ranges are garbage-collected (perhaps lazily). */
static void check_ranges_collected(struct vsvm_device *dev, const struct drm_vsvm_stats *s0)
{
	uint32_t *probe = calloc(1, SZ_4K);
	struct drm_vsvm_stats s1;
	uint64_t t0 = now_ns();

	igt_assert(probe);
	do {
		igt_assert_gpu_ok(gpu_write32(dev, probe, 1));
		get_stats(dev, &s1);
		if (s1.ranges_collected > s0->ranges_collected)
			break;
		sleep_ms(50);
	} while (now_ns() - t0 < 5 * NSEC_PER_SEC);
	igt_assert_f(s1.ranges_collected > s0->ranges_collected,
		     "no range collected after %d munmaps\n", NEW_FREE_ITERS);
	free(probe);
}

/* NEW + FREE every iteration: munmap must tear the GPU side down. */
static void test_free(enum sysbuf_kind k)
{
	struct vsvm_device *dev = test_vm();
	struct drm_vsvm_stats s0, s1;

	get_stats(dev, &s0);
	for (int i = 0; i < NEW_FREE_ITERS; i++) {
		struct sysbuf b;

		sysbuf_new(&b, k, sysbuf_kind_size(k));
		igt_assert_gpu_ok(gpu_fill(dev, b.ptr, b.size, 0xf0000000 | i));
		check_u32(b.ptr, b.size, 0xf0000000 | i);
		sysbuf_del(&b);
	}
	get_stats(dev, &s1);
	if (!kind_is_mmap(k))
		return;

	/* All of it was unmapped: no GPU mapping may be left. */
	igt_assert_f(s1.mapped_pages == s0.mapped_pages,
		     "%llu pages still GPU-mapped after munmap of everything (%llu before)\n",
		     (unsigned long long)s1.mapped_pages,
		     (unsigned long long)s0.mapped_pages);
	igt_assert_f(s1.invalidations - s0.invalidations >= NEW_FREE_ITERS,
		     "%llu invalidations for %d munmaps of GPU-mapped memory\n",
		     (unsigned long long)(s1.invalidations - s0.invalidations),
		     NEW_FREE_ITERS);
	check_ranges_collected(dev, &s0);
}

/* A GPU access after munmap faults; a new mapping at the address is seen. */
static void test_free_after_exec(enum sysbuf_kind k)
{
	struct vsvm_device *dev = test_vm();
	size_t size = sysbuf_kind_size(k);
	uint8_t *chk = malloc(SZ_4K);
	struct sysbuf b;
	uint8_t *addr;
	void *p;

	igt_assert(chk);
	sysbuf_new(&b, k, size);
	addr = b.ptr;
	igt_assert_gpu_ok(gpu_fill(dev, addr, size, 0xaaaa0000));
	check_u32(addr, size, 0xaaaa0000);
	sysbuf_del(&b);

	igt_assert_gpu_status(gpu_fill(dev, addr + SZ_4K, SZ_4K, 0xbbbb0000), -EFAULT);
	check_fault(dev, addr + SZ_4K, DRM_VSVM_ACCESS_WRITE, 1);
	igt_assert_gpu_status(gpu_copy(dev, chk, addr, SZ_4K), -EFAULT);
	check_fault(dev, addr, DRM_VSVM_ACCESS_READ, 2);

	/* New memory at the same address: the GPU sees it, not the old pages. */
	p = mmap(addr, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	igt_assert_f(p == addr, "mmap at %p again: %p (%s)\n", addr, p, strerror(errno));
	pattern_fill(addr, size, 0xcccc);
	gpu_check_pattern(dev, addr, size, 0xcccc);
	igt_assert_gpu_ok(gpu_fill(dev, addr, size, 0xdddd0000));
	check_u32(addr, size, 0xdddd0000);
	munmap(addr, size);
	free(chk);
}

/* ------------------------------------------------------------------ */
/* THP and the zero page                                               */

static void test_thp(bool gpu_first)
{
	struct vsvm_device *dev = test_vm();
	struct drm_vsvm_stats s0, s1;
	size_t size = 2 * SZ_2M;
	uint8_t *p;
	long kb;

	igt_require_f(thp_available(), "transparent hugepages are disabled\n");
	igt_require_f(vsvm_page_sizes & SZ_2M,
		      "the GPU has no 2M pages (DRM_VSVM_PARAM_PAGE_SIZES %#llx)\n",
		      (unsigned long long)vsvm_page_sizes);
	p = map_thp(size);

	if (!gpu_first)
		memset(p, 0x5a, size);
	get_stats(dev, &s0);
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x2a2a2a2a));
	get_stats(dev, &s1);

	kb = thp_kb(p);
	igt_debug("AnonHugePages of the buffer: %ld kB\n", kb);
	igt_require_f(kb >= 2048, "the kernel gave the buffer no THP (AnonHugePages %ld kB)\n", kb);
	check_u32(p, size, 0x2a2a2a2a);
	igt_assert_f(s1.mapped_2m > s0.mapped_2m,
		     "a THP-backed buffer was mapped with 4K pages only (mapped_2m %llu, mapped_4k +%llu)\n",
		     (unsigned long long)s1.mapped_2m,
		     (unsigned long long)(s1.mapped_4k - s0.mapped_4k));
	munmap(p, size);
}

/*
 * A GPU read of never-touched memory may map the shared zero page; a GPU
 * write that follows must get a page of its own, never write the zero page.
 */
static void test_zero_page_write(void)
{
	struct vsvm_device *dev = test_vm();
	size_t size = 16 * SZ_4K;
	uint8_t *p = map_anon(size), *other = map_anon(size);

	gpu_check_u32(dev, p, size, 0);
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x7e7e7e7e));
	check_u32(p, size, 0x7e7e7e7e);
	/* Other untouched memory still reads zero, for the CPU and the GPU. */
	check_u32(other, size, 0);
	gpu_check_u32(dev, other + SZ_4K, size - SZ_4K, 0);
	munmap(p, size);
	munmap(other, size);
}

/*
 * The GPU read untouched memory (and may map the zero page); a CPU write
 * then gives the page a real page: the GPU must see the CPU's data.
 */
static void test_cpu_write_after_gpu_read(void)
{
	struct vsvm_device *dev = test_vm();
	size_t size = 16 * SZ_4K;
	uint8_t *p = map_anon(size);

	gpu_check_u32(dev, p, size, 0);
	pattern_fill(p, size, 0xc1c1);
	gpu_check_pattern(dev, p, size, 0xc1c1);
	munmap(p, size);
}

struct cpu_half {
	uint8_t *p;
	size_t size;
	uint32_t v;
	atomic_bool go;
};

static void *cpu_half_writer(void *arg)
{
	struct cpu_half *h = arg;

	while (!atomic_load(&h->go))
		;
	for (size_t pg = 0; pg < h->size; pg += SZ_4K) {
		uint32_t *w = (uint32_t *)(h->p + pg + SZ_4K / 2);

		for (size_t i = 0; i < SZ_4K / 8; i++)
			w[i] = h->v;
	}
	return NULL;
}

/*
 * First touch of the same fresh pages by the CPU and the GPU at once: the
 * GPU fills the first half of every page, a CPU thread the second half.
 * Neither write may be lost.
 */
static void test_cpu_gpu_same_page(enum sysbuf_kind k)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();

	for (int round = 0; round < 16; round++) {
		struct cpu_half h;
		pthread_t thread;
		uint64_t seqno;
		int32_t status = 1;
		struct sysbuf b;
		uint32_t gv = 0x60000000 | round, cv = 0xc0000000 | round;

		sysbuf_new(&b, k, sysbuf_kind_size(k));
		h = (struct cpu_half){ .p = b.ptr, .size = b.size, .v = cv };
		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		for (size_t pg = 0; pg < b.size; pg += SZ_4K)
			igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(b.ptr + pg), SZ_4K / 2, gv), 0);
		igt_assert_eq(pthread_create(&thread, NULL, cpu_half_writer, &h), 0);
		atomic_store(&h.go, true);
		igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), 0);
		igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
		igt_assert_eq(pthread_join(thread, NULL), 0);
		igt_assert_eq(status, 0);
		for (size_t pg = 0; pg < b.size; pg += SZ_4K) {
			check_u32(b.ptr + pg, SZ_4K / 2, gv);
			check_u32(b.ptr + pg + SZ_4K / 2, SZ_4K / 2, cv);
		}
		sysbuf_del(&b);
	}
	vsvm_cmdbuf_del(cb);
}

/* ------------------------------------------------------------------ */
/* Several threads / channels / processes faulting at once             */

#define THREAD_ITERS 8
#define MAX_THREADS 8

/* threads-* variants */
#define THR_OWN_VM	(1 << 0)
#define THR_SHARED_BUF	(1 << 1)

struct thr {
	pthread_t thread;
	struct vsvm_device *dev;
	uint32_t ch;
	int idx, nthreads;
	uint8_t *buf;		/* shared-buffer mode: the one buffer */
	size_t size;
	bool shared_buf;
	uint64_t *counter;
	char err[256];
};

/* Threads must not assert: they report, the main thread asserts. */
#define T_FAIL(t, ...) do { \
	snprintf((t)->err, sizeof((t)->err), __VA_ARGS__); \
	goto out; \
} while (0)

static void thread_cmds(struct thr *t, struct vsvm_cmdbuf *cb, uint8_t *own, uint32_t v)
{
	size_t npages = t->size / SZ_4K;

	vsvm_cmdbuf_reset(cb);
	if (t->shared_buf) {
		/* Interleaved pages: neighbours fault concurrently. */
		for (size_t pg = t->idx; pg < npages; pg += t->nthreads)
			vsvm_cmd_fill(cb, VSVM_PTR(t->buf + pg * SZ_4K), SZ_4K, v);
		vsvm_cmd_atomic(cb, DRM_VSVM_ATOMIC_ADD, VSVM_PTR(t->counter), 1, 0,
				100, 0, DRM_VSVM_CMD_64BIT);
	} else {
		vsvm_cmd_fill(cb, VSVM_PTR(own), t->size, v);
		vsvm_cmd_write_value(cb, VSVM_PTR(own + t->size - 8), ~(uint64_t)v,
				     DRM_VSVM_CMD_64BIT);
	}
}

/* Checks what thread_cmds() wrote; a description of the first error into t->err. */
static bool thread_check(struct thr *t, const uint8_t *own, int it, uint32_t v)
{
	size_t npages = t->size / SZ_4K;

	if (t->shared_buf) {
		for (size_t pg = t->idx; pg < npages; pg += t->nthreads) {
			const uint32_t *w = (const uint32_t *)(t->buf + pg * SZ_4K);

			for (size_t i = 0; i < SZ_4K / 4; i++)
				if (w[i] != v)
					T_FAIL(t, "thread %d iteration %d: page %zu word %zu is %#x, expected %#x",
					       t->idx, it, pg, i, w[i], v);
		}
	} else {
		const uint32_t *w = (const uint32_t *)own;

		for (size_t i = 0; i < t->size / 4 - 2; i++)
			if (w[i] != v)
				T_FAIL(t, "thread %d iteration %d: word %zu is %#x, expected %#x",
				       t->idx, it, i, w[i], v);
		if (*(const uint64_t *)(own + t->size - 8) != ~(uint64_t)v)
			T_FAIL(t, "thread %d iteration %d: last word wrong", t->idx, it);
	}
	return true;
out:
	return false;
}

static void *thread_faults(void *arg)
{
	struct thr *t = arg;
	struct vsvm_cmdbuf *cb = NULL;
	uint8_t *own = NULL;
	int32_t status;
	int ret;

	if (vsvm_cmdbuf_new(&cb))
		T_FAIL(t, "thread %d: no memory", t->idx);
	if (!t->shared_buf) {
		own = malloc(t->size);
		if (!own)
			T_FAIL(t, "thread %d: no memory", t->idx);
	}
	for (int it = 0; it < THREAD_ITERS; it++) {
		uint32_t v = (uint32_t)t->idx << 24 | it;

		thread_cmds(t, cb, own, v);
		ret = __run_cb_on(t->dev, t->ch, cb, &status);
		if (ret || status)
			T_FAIL(t, "thread %d iteration %d: EXEC/WAIT %d, status %d", t->idx, it,
			       ret, status);
		if (!thread_check(t, own, it, v))
			break;
	}
out:
	free(own);
	vsvm_cmdbuf_del(cb);
	return NULL;
}

static int num_threads(void)
{
	int n = vsvm_num_channels < 4 ? 4 : (int)vsvm_num_channels;

	return n > MAX_THREADS ? MAX_THREADS : n;
}

static void test_threads(unsigned int flags)
{
	bool own_vm = flags & THR_OWN_VM, shared_buf = flags & THR_SHARED_BUF;
	struct thr thr[MAX_THREADS];
	int n = num_threads();
	struct vsvm_device *dev = test_vm();
	size_t size = 64 * SZ_4K;
	uint8_t *buf = NULL;
	uint64_t *counter = NULL;

	if (shared_buf) {
		buf = map_anon(size);
		counter = calloc(1, sizeof(*counter));
		igt_assert(counter);
	}
	memset(thr, 0, sizeof(thr));
	for (int i = 0; i < n; i++) {
		thr[i].dev = own_vm && i > 0 ? extra_vm() : dev;
		thr[i].ch = own_vm ? 0 : i % vsvm_num_channels;
		thr[i].idx = i;
		thr[i].nthreads = n;
		thr[i].size = size;
		thr[i].shared_buf = shared_buf;
		thr[i].buf = buf;
		thr[i].counter = counter;
	}
	for (int i = 0; i < n; i++)
		igt_assert_eq(pthread_create(&thr[i].thread, NULL, thread_faults, &thr[i]), 0);
	for (int i = 0; i < n; i++)
		igt_assert_eq(pthread_join(thr[i].thread, NULL), 0);
	for (int i = 0; i < n; i++)
		igt_assert_f(!thr[i].err[0], "%s\n", thr[i].err);
	if (shared_buf) {
		igt_assert_eq_u64(*counter, (uint64_t)n * THREAD_ITERS * 100);
		munmap(buf, size);
		free(counter);
	}
}

static void test_processes(unsigned int flags)
{
	int n = num_threads();

	(void)flags;
	igt_fork(child, n) {
		struct vsvm_device *cd = child_vm();
		size_t size = 64 * SZ_4K;
		uint8_t *p = malloc(size);

		igt_assert(p);
		for (int it = 0; it < THREAD_ITERS; it++) {
			uint32_t v = (uint32_t)child << 24 | it;

			igt_assert_gpu_ok(gpu_fill(cd, p, size, v));
			check_u32(p, size, v);
		}
		free(p);
		vsvm_device_del(cd);
	}
	igt_waitchildren();
}

static const struct {
	const char *name;
	void (*fn)(unsigned int flags);
	unsigned int flags;
} thread_variants[] = {
	{ "own-vm", test_threads, THR_OWN_VM },
	{ "shared-vm", test_threads, 0 },
	{ "shared-vm-shared-buffer", test_threads, THR_SHARED_BUF },
	{ "processes", test_processes, 0 },
};

/* ------------------------------------------------------------------ */
/* Two devices                                                         */

/* Two vsvm devices mirror the same address space. */
static void test_two_devices(void)
{
	unsigned int count = 0;
	struct vsvm_device *d0, *d1;
	uint64_t i0, i1;
	size_t size = 16 * SZ_4K;
	uint8_t *p;

	igt_assert_eq(vsvm_device_count(&count), 0);
	igt_require_f(count >= 2, "%u vsvm device(s); load vsvm with num_devices=2\n", count);
	release_tracked();
	d0 = test_dev_nth(0);
	d1 = test_dev_nth(1);
	igt_assert_eq(vsvm_get_param(d0, DRM_VSVM_PARAM_DEVICE_INDEX, &i0), 0);
	igt_assert_eq(vsvm_get_param(d1, DRM_VSVM_PARAM_DEVICE_INDEX, &i1), 0);
	igt_assert_neq_u64(i0, i1);
	igt_assert_eq(vsvm_vm_init(d0, 0, 0), 0);
	igt_assert_eq(vsvm_vm_init(d1, 0, 0), 0);

	p = map_anon(size);
	igt_assert_gpu_ok(gpu_fill(d0, p, size, 0x1d0d0d0d));
	gpu_check_u32(d1, p, size, 0x1d0d0d0d);
	igt_assert_gpu_ok(gpu_fill(d1, p, size, 0x2d1d1d1d));
	check_u32(p, size, 0x2d1d1d1d);
	gpu_check_u32(d0, p, size, 0x2d1d1d1d);
	/* An munmap reaches both. */
	igt_assert_eq(munmap(p, size), 0);
	igt_assert_gpu_status(gpu_write32(d0, p, 1), -EFAULT);
	igt_assert_gpu_status(gpu_write32(d1, p, 1), -EFAULT);
}

/* ------------------------------------------------------------------ */

igt_main
{
	igt_fixture
		vsvm_fixture();

	igt_describe("NOP, WRITE_VALUE 32/64, FILL, COPY and TIMESTAMP on malloc memory in "
		     "one submission: exact data, growing seqnos, exact stats deltas.");
	igt_subtest("basic")
		test_basic();

	for (volatile int k = 0; k < NUM_SYSBUF_KINDS; k++) {
		igt_describe("One submission per buffer kind: the GPU copies CPU-written data "
			     "and fills part of it; the data, GPU fault counters and mapped "
			     "pages are checked.");
		igt_subtest_f("once-%s", sysbuf_kind_name[k])
			with_sysbuf(k, once_body);
	}

	for (volatile int k = 0; k < NUM_SYSBUF_KINDS; k++) {
		igt_describe("64 submissions queued at once over all channels on an already "
			     "faulted-in buffer: every write lands, and no new GPU fault happens "
			     "for private anonymous memory (the GPU mappings persist).");
		igt_subtest_f("many-%s", sysbuf_kind_name[k])
			with_sysbuf(k, many_body);
	}

	for (volatile int k = 0; k < NUM_SYSBUF_KINDS; k++) {
		if (k == SYSBUF_STACK)
			continue;
		igt_describe("A NEW allocation for every submission; all keep their data.");
		igt_subtest_f("new-%s", sysbuf_kind_name[k])
			test_new(k);
	}

	for (volatile int k = 0; k < NUM_SYSBUF_KINDS; k++) {
		if (k == SYSBUF_STACK)
			continue;
		igt_describe("NEW + FREE around every submission: munmap of GPU-mapped memory "
			     "is counted as an invalidation and the range is garbage-collected.");
		igt_subtest_f("free-%s", sysbuf_kind_name[k])
			test_free(k);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(mmap_kinds); i++) {
		igt_describe("After munmap of GPU-used memory, GPU reads and writes there fail "
			     "with -EFAULT and FAULT_INFO; new memory mapped at the same address "
			     "is what the GPU then sees (no stale pages).");
		igt_subtest_f("free-after-exec-%s", sysbuf_kind_name[mmap_kinds[i]])
			test_free_after_exec(mmap_kinds[i]);
	}

	igt_describe("A MADV_HUGEPAGE buffer backed by THP, touched first by the CPU, is "
		     "mapped with 2M GPU pages: stats.mapped_2m grows.");
	igt_subtest("thp-cpu-first-touch")
		test_thp(false);

	igt_describe("A MADV_HUGEPAGE buffer backed by THP, touched first by the GPU, is "
		     "mapped with 2M GPU pages: stats.mapped_2m grows.");
	igt_subtest("thp-gpu-first-touch")
		test_thp(true);

	igt_describe("A GPU read of untouched memory then a GPU write: the write gets its own "
		     "page and other untouched memory still reads zero (the zero page is never "
		     "written).");
	igt_subtest("zero-page-write")
		test_zero_page_write();

	igt_describe("A GPU read of untouched memory, then a CPU write: the GPU then reads "
		     "the CPU's data, not the zero page.");
	igt_subtest("cpu-write-after-gpu-read")
		test_cpu_write_after_gpu_read();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(mmap_kinds); i++) {
		igt_describe("The CPU and the GPU touch the same fresh pages at once (GPU first "
			     "half, CPU second half of every page): no write is lost.");
		igt_subtest_f("cpu-gpu-same-page-%s", sysbuf_kind_name[mmap_kinds[i]])
			test_cpu_gpu_same_page(mmap_kinds[i]);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(thread_variants); i++) {
		igt_describe("Several threads fault at once: each with its own VM, sharing one VM "
			     "over all channels, or on interleaved pages of one shared buffer with "
			     "GPU atomics on one counter; or several processes with their own VMs.");
		igt_subtest_f("threads-%s", thread_variants[i].name)
			thread_variants[i].fn(thread_variants[i].flags);
	}

	igt_describe("Two vsvm devices mirror one address space: each sees the other's "
		     "writes and an munmap reaches both.");
	igt_subtest("two-devices")
		test_two_devices();

	igt_fixture
		release_tracked();
}
