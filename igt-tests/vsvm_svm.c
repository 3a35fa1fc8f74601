// SPDX-License-Identifier: MIT
/*
 * vsvm_svm: shared virtual memory on the vsvm virtual GPU, modelled on
 * IGT's xe_exec_system_allocator. Every GPU command works on plain CPU
 * memory (malloc, stack, anonymous/shared/file mmap, THP); the GPU faults
 * it in. The tests check data, submission statuses, FAULT_INFO and stats
 * deltas across the CPU-side events that must reach the GPU page tables:
 * munmap, mremap, mprotect, madvise, fork (COW), process exit, and races.
 *
 * Needs a vsvm render node (vsvm.ko loaded); skips otherwise.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "vsvm_helpers.h"

IGT_TEST_DESCRIPTION("Shared virtual memory on vsvm: GPU access to system "
		     "allocations and its interaction with CPU address-space changes.");

/* ------------------------------------------------------------------ */
/* Buffers of every kind                                               */

enum kind {
	K_MALLOC,
	K_STACK,
	K_ANON,
	K_SHARED,
	K_FILE,
	K_HUGE,
	K_MLOCK,
	NUM_KINDS
};

static const char *const kind_name[NUM_KINDS] = {
	[K_MALLOC] = "malloc",
	[K_STACK] = "stack",
	[K_ANON] = "mmap-anon",
	[K_SHARED] = "mmap-shared",
	[K_FILE] = "mmap-file",
	[K_HUGE] = "mmap-huge",
	[K_MLOCK] = "mmap-mlock",
};

/* Private anonymous memory nothing else (khugepaged, page cache) touches. */
static bool kind_is_private_anon(enum kind k)
{
	return k == K_MALLOC || k == K_STACK || k == K_ANON || k == K_MLOCK;
}

/* Kinds whose free is an munmap. */
static bool kind_is_mmap(enum kind k)
{
	return k != K_MALLOC && k != K_STACK;
}

struct buf {
	enum kind kind;
	uint8_t *ptr;
	size_t size;
	void *heap;		/* K_MALLOC */
	void *map;		/* the others but K_STACK */
	size_t map_len;
};

#define BUF_SIZE SZ_64K
#define HUGE_SIZE (2 * SZ_2M)

static size_t kind_size(enum kind k)
{
	return k == K_HUGE ? HUGE_SIZE : BUF_SIZE;
}

/* Allocates b of kind k (not K_STACK: see with_buf()); contents unspecified. */
static void buf_new(struct buf *b, enum kind k, size_t size)
{
	memset(b, 0, sizeof(*b));
	b->kind = k;
	b->size = size;
	switch (k) {
	case K_MALLOC:
		b->heap = malloc(size);
		igt_assert(b->heap);
		b->ptr = b->heap;
		return;
	case K_ANON:
		b->map = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case K_SHARED:
		b->map = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		break;
	case K_FILE:
		b->map = tmp_file_map(size, PROT_READ | PROT_WRITE);
		break;
	case K_HUGE:
		igt_assert(size % SZ_2M == 0);
		b->map = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
		igt_assert_eq(madvise(b->map, size, MADV_HUGEPAGE), 0);
		break;
	case K_MLOCK:
		b->map = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mlock(b->map, size)) {
			int err = errno;

			munmap(b->map, size);
			igt_skip("mlock(%zu bytes) failed: %s\n", size, strerror(err));
		}
		break;
	default:
		igt_assert_f(false, "buf_new(%s)\n", kind_name[k]);
	}
	b->ptr = b->map;
	b->map_len = size;
}

static void buf_del(struct buf *b)
{
	if (b->heap)
		free(b->heap);
	else if (b->map)
		igt_assert_eq(munmap(b->map, b->map_len), 0);
	b->heap = b->map = NULL;
	b->ptr = NULL;
}

typedef void (*buf_fn)(struct buf *b);

#define STACK_BUF_SIZE BUF_SIZE

static void __attribute__((noinline)) with_stack_buf(size_t size, buf_fn fn)
{
	_Alignas(4096) uint8_t stack[STACK_BUF_SIZE];
	struct buf b = { .kind = K_STACK, .ptr = stack, .size = size };

	igt_assert(size <= sizeof(stack));
	memset(stack, 0, sizeof(stack));
	fn(&b);
	/* Keep the frame (and the GPU's view of it) alive until here. */
	__asm__ volatile("" : : "r"(stack) : "memory");
}

/* Runs fn on a fresh buffer of kind k and its default size. */
static void with_buf(enum kind k, buf_fn fn)
{
	struct buf b;

	if (k == K_STACK) {
		with_stack_buf(kind_size(k), fn);
		return;
	}
	buf_new(&b, k, kind_size(k));
	fn(&b);
	buf_del(&b);
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

static void once_body(struct buf *b)
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

static void many_body(struct buf *b)
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
static void test_new(enum kind k)
{
	struct vsvm_device *dev = test_vm();
	struct buf bufs[NEW_FREE_ITERS];

	for (int i = 0; i < NEW_FREE_ITERS; i++) {
		buf_new(&bufs[i], k, kind_size(k));
		igt_assert_gpu_ok(gpu_fill(dev, bufs[i].ptr, bufs[i].size, 0xa0000000 | i));
		check_u32(bufs[i].ptr, bufs[i].size, 0xa0000000 | i);
	}
	for (int i = 0; i < NEW_FREE_ITERS; i++) {
		check_u32(bufs[i].ptr, bufs[i].size, 0xa0000000 | i);
		buf_del(&bufs[i]);
	}
}

/* NEW + FREE every iteration: munmap must tear the GPU side down. */
static void test_free(enum kind k)
{
	struct vsvm_device *dev = test_vm();
	struct drm_vsvm_stats s0, s1;
	uint32_t *probe = calloc(1, SZ_4K);
	uint64_t t0;

	igt_assert(probe);
	get_stats(dev, &s0);
	for (int i = 0; i < NEW_FREE_ITERS; i++) {
		struct buf b;

		buf_new(&b, k, kind_size(k));
		igt_assert_gpu_ok(gpu_fill(dev, b.ptr, b.size, 0xf0000000 | i));
		check_u32(b.ptr, b.size, 0xf0000000 | i);
		buf_del(&b);
	}
	get_stats(dev, &s1);
	if (!kind_is_mmap(k))
		goto out;

	/* All of it was unmapped: no GPU mapping may be left. */
	igt_assert_f(s1.mapped_pages == s0.mapped_pages,
		     "%llu pages still GPU-mapped after munmap of everything (%llu before)\n",
		     (unsigned long long)s1.mapped_pages,
		     (unsigned long long)s0.mapped_pages);

	igt_assert_f(s1.invalidations - s0.invalidations >= NEW_FREE_ITERS,
		     "%llu invalidations for %d munmaps of GPU-mapped memory\n",
		     (unsigned long long)(s1.invalidations - s0.invalidations),
		     NEW_FREE_ITERS);
	/* The unmapped ranges are garbage-collected (perhaps lazily). */
	t0 = now_ns();
	do {
		igt_assert_gpu_ok(gpu_write32(dev, probe, 1));
		get_stats(dev, &s1);
		if (s1.ranges_collected > s0.ranges_collected)
			break;
		sleep_ms(50);
	} while (now_ns() - t0 < 5 * NSEC_PER_SEC);
	igt_assert_f(s1.ranges_collected > s0.ranges_collected,
		     "no range collected after %d munmaps\n", NEW_FREE_ITERS);
out:
	free(probe);
}

/* A GPU access after munmap faults; a new mapping at the address is seen. */
static void test_free_after_exec(enum kind k)
{
	struct vsvm_device *dev = test_vm();
	size_t size = kind_size(k);
	uint8_t *chk = malloc(size);
	struct buf b;
	uint8_t *addr;
	void *p;

	igt_assert(chk);
	buf_new(&b, k, size);
	addr = b.ptr;
	igt_assert_gpu_ok(gpu_fill(dev, addr, size, 0xaaaa0000));
	check_u32(addr, size, 0xaaaa0000);
	buf_del(&b);

	igt_assert_gpu_status(gpu_fill(dev, addr + SZ_4K, SZ_4K, 0xbbbb0000), -EFAULT);
	check_fault(dev, addr + SZ_4K, DRM_VSVM_ACCESS_WRITE, 1);
	igt_assert_gpu_status(gpu_copy(dev, chk, addr, SZ_4K), -EFAULT);
	check_fault(dev, addr, DRM_VSVM_ACCESS_READ, 2);

	/* New memory at the same address: the GPU sees it, not the old pages. */
	p = mmap(addr, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	igt_assert_f(p == addr, "mmap at %p again: %p (%s)\n", addr, p, strerror(errno));
	pattern_fill(addr, size, 0xcccc);
	igt_assert_gpu_ok(gpu_copy(dev, chk, addr, size));
	check_pattern(chk, size, 0xcccc);
	igt_assert_gpu_ok(gpu_fill(dev, addr, size, 0xdddd0000));
	check_u32(addr, size, 0xdddd0000);
	munmap(addr, size);
	free(chk);
}

/* ------------------------------------------------------------------ */
/* THP                                                                 */


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
	p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
	igt_assert_eq(madvise(p, size, MADV_HUGEPAGE), 0);

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

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

/*
 * MADV_COLLAPSE copies the 4K pages the GPU has mapped into a new THP and
 * frees them: the GPU must drop the old pages, then see (and write) the
 * THP, now with a 2M GPU page.
 */
static void test_thp_collapse(void)
{
	struct vsvm_device *dev = test_vm();
	struct drm_vsvm_stats s0, s1, s2;
	size_t size = SZ_2M;
	uint8_t *chk = malloc(size);
	uint8_t *p;
	long kb;

	igt_assert(chk);
	igt_require_f(thp_available(), "transparent hugepages are disabled\n");
	p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
	igt_assert_eq(madvise(p, size, MADV_NOHUGEPAGE), 0);
	pattern_fill(p, size, 0x7070);		/* 4K pages */
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
	check_pattern(chk, size, 0x7070);
	igt_assert_gpu_ok(gpu_write32(dev, p + 8, 0x1234));
	igt_assert_eq_u32(*(uint32_t *)(p + 8), 0x1234);
	*(uint32_t *)(p + 8) = pattern_word(0x7070, 2);

	igt_assert_eq(madvise(p, size, MADV_HUGEPAGE), 0);
	get_stats(dev, &s0);
	if (madvise(p, size, MADV_COLLAPSE))
		igt_skip("MADV_COLLAPSE failed: %s\n", strerror(errno));
	kb = thp_kb(p);
	igt_require_f(kb >= 2048, "no THP after MADV_COLLAPSE (AnonHugePages %ld kB)\n", kb);
	get_stats(dev, &s1);
	igt_assert_lt_u64(s0.invalidations, s1.invalidations);

	/* The GPU reads the THP's copy of the data ... */
	memset(chk, 0, size);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
	check_pattern(chk, size, 0x7070);
	/* ... and writes land in the THP, which the CPU sees. */
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x71717171));
	check_u32(p, size, 0x71717171);
	get_stats(dev, &s2);
	if (vsvm_page_sizes & SZ_2M)
		igt_assert_f(s2.mapped_2m > s0.mapped_2m,
			     "the collapsed THP was not mapped with a 2M GPU page\n");
	munmap(p, size);
	free(chk);
}

/* ------------------------------------------------------------------ */
/* partial munmap                                                      */

struct hole {
	const char *name;
	bool huge;
	/* hole [start, end) in 1/8ths of the buffer */
	int start8, end8;
};

static const struct hole holes[] = {
	{ "head", false, 0, 2 },
	{ "middle", false, 3, 5 },
	{ "tail", false, 6, 8 },
	{ "head-huge", true, 0, 2 },
	{ "middle-huge", true, 3, 5 },	/* crosses the 2M boundary: splits both */
	{ "tail-huge", true, 6, 8 },
};

static void test_partial_munmap(const struct hole *h)
{
	struct vsvm_device *dev = test_vm();
	size_t size = h->huge ? 2 * SZ_2M : 16 * SZ_4K;
	size_t hs = size * h->start8 / 8, he = size * h->end8 / 8;
	struct drm_vsvm_stats s0, s1;
	uint8_t *chk = malloc(size);
	uint8_t *p;

	igt_assert(chk);
	if (h->huge) {
		p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
		igt_assert_eq(madvise(p, size, MADV_HUGEPAGE), 0);
	} else {
		p = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x11111111));
	get_stats(dev, &s0);
	igt_assert_eq(munmap(p + hs, he - hs), 0);
	get_stats(dev, &s1);
	igt_assert_lt_u64(s0.invalidations, s1.invalidations);
	igt_assert_f(s1.mapped_pages + (he - hs) / SZ_4K <= s0.mapped_pages,
		     "%llu GPU-mapped pages after unmapping %zu of %llu\n",
		     (unsigned long long)s1.mapped_pages, (he - hs) / SZ_4K,
		     (unsigned long long)s0.mapped_pages);

	/* What is left keeps its data, for the CPU and for the GPU ... */
	if (hs > 0) {
		check_u32(p, hs, 0x11111111);
		memset(chk, 0, size);
		igt_assert_gpu_ok(gpu_copy(dev, chk, p, hs));
		check_u32(chk, hs, 0x11111111);
	}
	if (he < size) {
		check_u32(p + he, size - he, 0x11111111);
		memset(chk, 0, size);
		igt_assert_gpu_ok(gpu_copy(dev, chk, p + he, size - he));
		check_u32(chk, size - he, 0x11111111);
	}
	/* ... and can be written ... */
	if (hs > 0) {
		igt_assert_gpu_ok(gpu_fill(dev, p, hs, 0x22222222));
		check_u32(p, hs, 0x22222222);
	}
	if (he < size) {
		igt_assert_gpu_ok(gpu_fill(dev, p + he, size - he, 0x33333333));
		check_u32(p + he, size - he, 0x33333333);
	}
	/* ... while the hole faults, at its own address. */
	igt_assert_gpu_status(gpu_write32(dev, p + hs + 8, 0xdead), -EFAULT);
	check_fault(dev, p + hs + 8, DRM_VSVM_ACCESS_WRITE, 1);
	igt_assert_gpu_status(gpu_write32(dev, p + he - 4, 0xdead), -EFAULT);
	check_fault(dev, p + he - 4, DRM_VSVM_ACCESS_WRITE, 2);
	if (he < size) {
		/* A read from the hole into the rest fails at the hole. */
		igt_assert_gpu_status(gpu_copy(dev, chk, p + he - SZ_4K, 2 * SZ_4K), -EFAULT);
		check_fault(dev, p + he - SZ_4K, DRM_VSVM_ACCESS_READ, 3);
	}

	if (hs > 0)
		munmap(p, hs);
	if (he < size)
		munmap(p + he, size - he);
	free(chk);
}

/* ------------------------------------------------------------------ */
/* mremap                                                              */

static void test_mremap(const char *how)
{
	struct vsvm_device *dev = test_vm();
	bool huge = strstr(how, "huge") != NULL;
	size_t size = huge ? SZ_2M : 16 * SZ_4K;
	uint8_t *chk = malloc(2 * size);
	uint8_t *old, *new;

	igt_assert(chk);
	if (huge) {
		old = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
		igt_assert_eq(madvise(old, size, MADV_HUGEPAGE), 0);
	} else {
		old = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	/* The GPU writes the data, so the GPU has it mapped before the move. */
	igt_assert_gpu_ok(gpu_fill(dev, old, size, 0x0a0a0a0a));

	if (!strcmp(how, "move") || !strcmp(how, "move-huge") || !strcmp(how, "dontunmap")) {
		int flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		uint8_t *target = huge ? mmap_aligned(size, SZ_2M, MAP_PRIVATE) :
				  xmmap(NULL, size, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (!strcmp(how, "dontunmap"))
			flags |= MREMAP_DONTUNMAP;
		new = mremap(old, size, size, flags, target);
		igt_assert_f(new == target, "mremap: %s\n", strerror(errno));

		igt_assert_gpu_ok(gpu_copy(dev, chk, new, size));
		check_u32(chk, size, 0x0a0a0a0a);
		if (flags & MREMAP_DONTUNMAP) {
			/* The old range is still mapped, and empty. */
			memset(chk, 0xff, size);
			igt_assert_gpu_ok(gpu_copy(dev, chk, old, size));
			check_u32(chk, size, 0);
			igt_assert_gpu_ok(gpu_fill(dev, old, size, 0x0b0b0b0b));
			check_u32(old, size, 0x0b0b0b0b);
			check_u32(new, size, 0x0a0a0a0a);
			munmap(old, size);
		} else {
			igt_assert_gpu_status(gpu_write32(dev, old + 4 * SZ_4K, 1), -EFAULT);
			check_fault(dev, old + 4 * SZ_4K, DRM_VSVM_ACCESS_WRITE, 1);
		}
		igt_assert_gpu_ok(gpu_fill(dev, new, size, 0x0c0c0c0c));
		check_u32(new, size, 0x0c0c0c0c);
		munmap(new, size);
	} else if (!strcmp(how, "grow")) {
		/* A reservation right behind, so that growing must move. */
		uint8_t *blocker = mmap(old + size, SZ_4K, PROT_NONE,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		new = mremap(old, size, 2 * size, MREMAP_MAYMOVE);
		igt_assert_f(new != MAP_FAILED, "mremap: %s\n", strerror(errno));
		if (blocker != MAP_FAILED)
			munmap(blocker, SZ_4K);
		igt_assert_gpu_ok(gpu_copy(dev, chk, new, 2 * size));
		check_u32(chk, size, 0x0a0a0a0a);
		check_u32(chk + size, size, 0);
		igt_assert_gpu_ok(gpu_fill(dev, new, 2 * size, 0x0d0d0d0d));
		check_u32(new, 2 * size, 0x0d0d0d0d);
		if (new != old) {
			igt_assert_gpu_status(gpu_write32(dev, old, 1), -EFAULT);
			check_fault(dev, old, DRM_VSVM_ACCESS_WRITE, 1);
		}
		munmap(new, 2 * size);
	} else if (!strcmp(how, "shrink")) {
		new = mremap(old, size, size / 2, 0);
		igt_assert_f(new == old, "mremap: %s\n", strerror(errno));
		igt_assert_gpu_ok(gpu_copy(dev, chk, old, size / 2));
		check_u32(chk, size / 2, 0x0a0a0a0a);
		igt_assert_gpu_status(gpu_write32(dev, old + size / 2, 1), -EFAULT);
		check_fault(dev, old + size / 2, DRM_VSVM_ACCESS_WRITE, 1);
		munmap(old, size / 2);
	} else {
		igt_assert_f(false, "unknown mremap variant %s\n", how);
	}
	free(chk);
}

/* ------------------------------------------------------------------ */
/* mprotect                                                            */

static void test_mprotect(const char *how)
{
	struct vsvm_device *dev = test_vm();
	size_t size = 16 * SZ_4K;
	uint8_t *chk = malloc(size);
	uint8_t *p = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *target = p + 5 * SZ_4K + 12;
	struct drm_vsvm_stats s0, s1;
	bool fresh = strstr(how, "fresh") != NULL;

	igt_assert(chk);
	if (fresh)	/* never seen by the GPU before the mprotect */
		pattern_fill(p, size, 0x0a0a);
	else		/* the GPU has it mapped writable before the mprotect */
		igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x0a0a0a0a));
#define DATA_OK(q) do { \
	if (fresh) \
		check_pattern(q, size, 0x0a0a); \
	else \
		check_u32(q, size, 0x0a0a0a0a); \
} while (0)

	if (!strncmp(how, "ro-", 3)) {
		get_stats(dev, &s0);
		igt_assert_eq(mprotect(p, size, PROT_READ), 0);
		get_stats(dev, &s1);
		/* Write-protecting GPU-writable pages must reach the GPU. */
		if (!fresh)
			igt_assert_lt_u64(s0.invalidations, s1.invalidations);
		if (strstr(how, "write")) {
			igt_assert_gpu_status(gpu_write32(dev, target, 0xdead), -EFAULT);
			check_fault(dev, target, DRM_VSVM_ACCESS_WRITE, 1);
			DATA_OK(p);
			/* Reading still works. */
			igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
			DATA_OK(chk);
		} else if (strstr(how, "read")) {
			igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
			DATA_OK(chk);
			/* Read-faulted pages must not be writable by the GPU. */
			igt_assert_gpu_status(gpu_write32(dev, target, 0xdead), -EFAULT);
			check_fault(dev, target, DRM_VSVM_ACCESS_WRITE, 1);
			DATA_OK(p);
		} else if (strstr(how, "atomic")) {
			igt_assert_gpu_status(RUN1(dev, 0, vsvm_cmd_atomic(__cb, DRM_VSVM_ATOMIC_ADD,
					      VSVM_PTR(target), 1, 0, 0, 0, 0)), -EFAULT);
			check_fault(dev, target, DRM_VSVM_ACCESS_ATOMIC, 1);
			DATA_OK(p);
		} else if (strstr(how, "then-rw")) {
			igt_assert_gpu_status(gpu_write32(dev, target, 0xdead), -EFAULT);
			igt_assert_eq(mprotect(p, size, PROT_READ | PROT_WRITE), 0);
			igt_assert_gpu_ok(gpu_write32(dev, target, 0xbeef));
			igt_assert_eq_u32(*(uint32_t *)target, 0xbeef);
			*(uint32_t *)target = 0x0a0a0a0a;
			DATA_OK(p);
		}
	} else if (!strncmp(how, "none-", 5)) {
		igt_assert_eq(mprotect(p, size, PROT_NONE), 0);
		if (strstr(how, "read")) {
			igt_assert_gpu_status(gpu_copy(dev, chk, target, 64), -EFAULT);
			check_fault(dev, target, DRM_VSVM_ACCESS_READ, 1);
		} else {
			igt_assert_gpu_status(gpu_write32(dev, target, 0xdead), -EFAULT);
			check_fault(dev, target, DRM_VSVM_ACCESS_WRITE, 1);
		}
		igt_assert_eq(mprotect(p, size, PROT_READ | PROT_WRITE), 0);
		DATA_OK(p);
		igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
		DATA_OK(chk);
	} else {
		igt_assert_f(false, "unknown mprotect variant %s\n", how);
	}
#undef DATA_OK
	munmap(p, size);
	free(chk);
}

/*
 * A GPU read of never-touched memory may map the shared zero page; a GPU
 * write that follows must get a page of its own, never write the zero page.
 */
static void test_zero_page_write(void)
{
	struct vsvm_device *dev = test_vm();
	size_t size = 16 * SZ_4K;
	uint8_t *p = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *other = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *chk = malloc(size);

	igt_assert(chk);
	memset(chk, 0xff, size);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
	check_u32(chk, size, 0);
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x7e7e7e7e));
	check_u32(p, size, 0x7e7e7e7e);
	/* Other untouched memory still reads zero, for the CPU and the GPU. */
	check_u32(other, size, 0);
	memset(chk, 0xff, size);
	igt_assert_gpu_ok(gpu_copy(dev, chk, other + SZ_4K, size - SZ_4K));
	check_u32(chk, size - SZ_4K, 0);
	munmap(p, size);
	munmap(other, size);
	free(chk);
}

/* ------------------------------------------------------------------ */
/* fork                                                                */

static void write_byte(int fd)
{
	char c = 1;

	igt_assert_eq(write(fd, &c, 1), 1);
}

static void read_byte(int fd)
{
	char c;

	igt_assert_eq(read(fd, &c, 1), 1);
}

#define FORK_SIZE (16 * SZ_4K)

/* The child writes its COW copy on the GPU; the parent keeps its data. */
static void test_fork_cow_child_writes(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = xmmap(NULL, FORK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *chk = malloc(FORK_SIZE);

	igt_assert(chk);
	igt_assert_gpu_ok(gpu_fill(dev, p, FORK_SIZE, 0xaaaaaaaa));

	igt_fork(child, 1) {
		struct vsvm_device *cd = child_vm();

		memset(chk, 0, FORK_SIZE);
		igt_assert_gpu_ok(gpu_copy(cd, chk, p, FORK_SIZE));
		check_u32(chk, FORK_SIZE, 0xaaaaaaaa);
		igt_assert_gpu_ok(gpu_fill(cd, p, FORK_SIZE, 0xbbbbbbbb));
		check_u32(p, FORK_SIZE, 0xbbbbbbbb);
		vsvm_device_del(cd);
	}
	igt_waitchildren();

	check_u32(p, FORK_SIZE, 0xaaaaaaaa);
	memset(chk, 0, FORK_SIZE);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, FORK_SIZE));
	check_u32(chk, FORK_SIZE, 0xaaaaaaaa);
	igt_assert_gpu_ok(gpu_fill(dev, p, FORK_SIZE, 0xcccccccc));
	check_u32(p, FORK_SIZE, 0xcccccccc);
	munmap(p, FORK_SIZE);
	free(chk);
}

/*
 * The parent's GPU had the pages mapped writable before fork; fork
 * write-protects them, so the parent's next GPU write must fault and break
 * COW instead of writing the page the child still shares.
 */
static void test_fork_cow_parent_writes(bool huge)
{
	struct vsvm_device *dev = test_vm();
	size_t size = huge ? SZ_2M : FORK_SIZE;
	uint8_t *p;
	uint8_t *chk = malloc(size);
	int go[2];

	if (huge) {
		p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
		igt_assert_eq(madvise(p, size, MADV_HUGEPAGE), 0);
	} else {
		p = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}

	igt_assert(chk);
	igt_assert_eq(pipe(go), 0);
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0xaaaaaaaa));

	igt_fork(child, 1) {
		struct vsvm_device *cd;

		close(go[1]);
		read_byte(go[0]);
		check_u32(p, size, 0xaaaaaaaa);
		cd = child_vm();
		memset(chk, 0, size);
		igt_assert_gpu_ok(gpu_copy(cd, chk, p, size));
		check_u32(chk, size, 0xaaaaaaaa);
		vsvm_device_del(cd);
	}
	close(go[0]);
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0xcccccccc));
	check_u32(p, size, 0xcccccccc);
	write_byte(go[1]);
	igt_waitchildren();
	close(go[1]);
	check_u32(p, size, 0xcccccccc);
	munmap(p, size);
	free(chk);
}

/* MAP_SHARED: the child's GPU write is what the parent (and its GPU) sees. */
static void test_fork_shared(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = xmmap(NULL, FORK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint8_t *chk = malloc(FORK_SIZE);

	igt_assert(chk);
	igt_assert_gpu_ok(gpu_fill(dev, p, FORK_SIZE, 0xaaaaaaaa));
	igt_fork(child, 1) {
		struct vsvm_device *cd = child_vm();

		check_u32(p, FORK_SIZE, 0xaaaaaaaa);
		igt_assert_gpu_ok(gpu_fill(cd, p, FORK_SIZE, 0xbbbbbbbb));
		vsvm_device_del(cd);
	}
	igt_waitchildren();
	check_u32(p, FORK_SIZE, 0xbbbbbbbb);
	memset(chk, 0, FORK_SIZE);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, FORK_SIZE));
	check_u32(chk, FORK_SIZE, 0xbbbbbbbb);
	munmap(p, FORK_SIZE);
	free(chk);
}

/* A child may not submit to its parent's VM. */
static void test_fork_eperm(void)
{
	struct vsvm_device *dev = test_vm();
	uint32_t *shared = xmmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct drm_vsvm_stats s0, s1;

	igt_assert_gpu_ok(gpu_write32(dev, shared, 1));
	get_stats(dev, &s0);
	igt_fork(child, 1) {
		struct vsvm_cmdbuf *cb = new_cb();
		uint64_t seqno = 0;

		igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(shared), 2, 0), 0);
		igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), -EPERM);
		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		igt_assert_eq(vsvm_cmd_nop(cb), 0);
		igt_assert_eq(vsvm_exec(dev, 0, cb, &seqno), -EPERM);
		vsvm_cmdbuf_del(cb);
	}
	igt_waitchildren();
	igt_assert_eq_u32(*shared, 1);
	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions, s0.submissions);
	igt_assert_gpu_ok(gpu_write32(dev, shared, 3));
	igt_assert_eq_u32(*shared, 3);
	munmap(shared, SZ_4K);
}

/* ------------------------------------------------------------------ */
/* madvise(MADV_DONTNEED)                                              */

static void test_dontneed(const char *how)
{
	struct vsvm_device *dev = test_vm();
	bool shared = !strcmp(how, "shared"), huge = strstr(how, "thp") != NULL;
	size_t size = huge ? SZ_2M : 16 * SZ_4K;
	size_t off = 0, len = size;
	struct drm_vsvm_stats s0, s1;
	uint8_t *chk = malloc(size);
	uint8_t *p;

	igt_assert(chk);
	if (huge) {
		p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
		igt_assert_eq(madvise(p, size, MADV_HUGEPAGE), 0);
	} else {
		p = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			  (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	}
	if (!strcmp(how, "thp-partial")) {
		off = SZ_2M / 2 - SZ_64K;
		len = 2 * SZ_64K;
	}
	pattern_fill(p, size, 0xd0d0);
	/* The GPU maps it. */
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
	check_pattern(chk, size, 0xd0d0);

	get_stats(dev, &s0);
	igt_assert_eq(madvise(p + off, len, MADV_DONTNEED), 0);
	get_stats(dev, &s1);
	igt_assert_lt_u64(s0.invalidations, s1.invalidations);
	igt_assert_f(s1.mapped_pages + len / SZ_4K <= s0.mapped_pages,
		     "%llu GPU-mapped pages after MADV_DONTNEED of %zu of %llu\n",
		     (unsigned long long)s1.mapped_pages, len / SZ_4K,
		     (unsigned long long)s0.mapped_pages);

	memset(chk, 0xff, size);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
	if (shared) {
		/* Shared memory keeps its contents; only the PTEs went. */
		check_pattern(chk, size, 0xd0d0);
	} else {
		check_pattern_at(chk, 0, off, 0xd0d0);
		check_u32(chk + off, len, 0);
		check_pattern_at(chk, off + len, size - off - len, 0xd0d0);
	}
	/* And the GPU can write it again. */
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0xd1d1d1d1));
	check_u32(p, size, 0xd1d1d1d1);
	munmap(p, size);
	free(chk);
}

/* ------------------------------------------------------------------ */
/* Several threads / channels / processes faulting at once             */

#define THREAD_ITERS 8
#define MAX_THREADS 8

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

static void *thread_faults(void *arg)
{
	struct thr *t = arg;
	struct vsvm_cmdbuf *cb = NULL;
	size_t npages = t->size / SZ_4K;
	uint8_t *own = NULL;
	uint64_t seqno;
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
		ret = vsvm_exec(t->dev, t->ch, cb, &seqno);
		if (ret)
			T_FAIL(t, "thread %d iteration %d: EXEC %d", t->idx, it, ret);
		ret = vsvm_wait(t->dev, t->ch, seqno, VSVM_TIMEOUT_NS, &status);
		if (ret || status)
			T_FAIL(t, "thread %d iteration %d: WAIT %d, status %d", t->idx, it,
			       ret, status);
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
			if (*(uint64_t *)(own + t->size - 8) != ~(uint64_t)v)
				T_FAIL(t, "thread %d iteration %d: last word wrong", t->idx, it);
		}
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

static void test_threads(const char *how)
{
	bool own_vm = !strcmp(how, "own-vm");
	bool shared_buf = !strcmp(how, "shared-vm-shared-buffer");
	struct thr thr[MAX_THREADS];
	int n = num_threads();
	struct vsvm_device *dev = test_vm();
	size_t size = 64 * SZ_4K;
	uint8_t *buf = NULL;
	uint64_t *counter = NULL;

	if (shared_buf) {
		buf = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
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

static void test_processes(void)
{
	int n = num_threads();

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

/* ------------------------------------------------------------------ */
/* munmap racing GPU faults                                            */

#define RACE_CHUNK (16 * SZ_4K)
#define RACE_CANARIES 256
#define CANARY 0x6ca9a41e

struct racer {
	uint8_t *target;
	atomic_bool stop;
	/*
	 * Canary pages, reserved up front so that they never take the
	 * target's address, and first touched while the target is unmapped:
	 * they may get its freed pages, which a stale GPU PTE would hit.
	 */
	uint32_t *canaries;
	int ncanary;
	unsigned long cycles;
	char err[128];
};

static void *racer_thread(void *arg)
{
	struct racer *r = arg;
	unsigned int seed = 1;

	while (!atomic_load(&r->stop)) {
		void *p;

		if (munmap(r->target, RACE_CHUNK)) {
			snprintf(r->err, sizeof(r->err), "munmap: %s", strerror(errno));
			break;
		}
		if (r->ncanary < RACE_CANARIES) {
			uint32_t *c = r->canaries + r->ncanary++ * (SZ_4K / 4);

			for (size_t i = 0; i < SZ_4K / 4; i++)
				c[i] = CANARY;
		}
		if (rand_r(&seed) & 1)
			sched_yield();
		p = mmap(r->target, RACE_CHUNK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != r->target) {
			snprintf(r->err, sizeof(r->err), "mmap again at %p: %p, %s",
				 r->target, p, strerror(errno));
			break;
		}
		if (rand_r(&seed) & 1)
			memset(p, 0, RACE_CHUNK);
		r->cycles++;
		if (rand_r(&seed) & 1)
			sched_yield();
	}
	return NULL;
}

static void test_munmap_race(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint8_t *region = xmmap(NULL, 3 * RACE_CHUNK, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_vsvm_stats s0, s1;
	struct racer r = { .target = region + RACE_CHUNK };
	unsigned long ok = 0, faulted = 0;
	uint32_t *probe = calloc(1, SZ_4K);
	pthread_t thread;
	uint64_t t0;

	igt_assert(probe);
	r.canaries = xmmap(NULL, RACE_CANARIES * SZ_4K, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Guards on both sides of the target (the racer splits the VMA). */
	memset(region, 0x47, RACE_CHUNK);
	memset(region + 2 * RACE_CHUNK, 0x47, RACE_CHUNK);
	igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(r.target), RACE_CHUNK, 0xdeadbeef), 0);

	get_stats(dev, &s0);
	igt_assert_eq(pthread_create(&thread, NULL, racer_thread, &r), 0);
	t0 = now_ns();
	while (now_ns() - t0 < 3 * NSEC_PER_SEC || ok + faulted < 20) {
		uint64_t seqno;
		int32_t status = 1;
		int ret = vsvm_exec(dev, 0, cb, &seqno);

		if (!ret)
			ret = vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status);
		if (ret || (status != 0 && status != -EFAULT)) {
			atomic_store(&r.stop, true);
			pthread_join(thread, NULL);
			igt_assert_f(false, "ioctl %d, status %d (expected 0 or -EFAULT)\n",
				     ret, status);
		}
		if (status)
			faulted++;
		else
			ok++;
		if (now_ns() - t0 > 60 * NSEC_PER_SEC)
			break;
	}
	atomic_store(&r.stop, true);
	igt_assert_eq(pthread_join(thread, NULL), 0);
	igt_info("%lu submissions succeeded, %lu faulted, %lu munmap/mmap cycles\n",
		 ok, faulted, r.cycles);
	igt_assert_f(!r.err[0], "racer: %s\n", r.err);

	/* Nothing outside the target was written ... */
	for (size_t i = 0; i < RACE_CHUNK; i++) {
		igt_assert_f(region[i] == 0x47, "front guard byte %zu is %#x\n", i, region[i]);
		igt_assert_f(region[2 * RACE_CHUNK + i] == 0x47,
			     "back guard byte %zu is %#x\n", i, region[2 * RACE_CHUNK + i]);
	}
	/* ... nor any page allocated while the old target pages were freed. */
	check_u32(r.canaries, r.ncanary * SZ_4K, CANARY);
	munmap(r.canaries, RACE_CANARIES * SZ_4K);
	/* Every failed submission is one unserviceable fault. */
	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.gpu_faults_unrecoverable - s0.gpu_faults_unrecoverable, faulted);
	igt_assert_lte_u64(ok, s1.submissions - s0.submissions);
	igt_assert_lte_u64(s1.submissions - s0.submissions, ok + faulted);
	/* The VM still works, also on the target. */
	igt_assert_gpu_ok(gpu_write32(dev, probe, 0x600d));
	igt_assert_eq_u32(*probe, 0x600d);
	igt_assert_gpu_ok(gpu_fill(dev, r.target, RACE_CHUNK, 0x12345678));
	check_u32(r.target, RACE_CHUNK, 0x12345678);

	munmap(region, 3 * RACE_CHUNK);
	vsvm_cmdbuf_del(cb);
	free(probe);
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

static void test_exit_in_flight(const char *how)
{
	struct flags_page *f = xmmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t vram = vram_used_now();
	uint64_t t0;

	if (!strcmp(how, "wait-value")) {
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
	} else if (!strcmp(how, "close-fd")) {
		struct vsvm_device *d;

		igt_assert_eq(vsvm_device_new(&d), 0);
		igt_assert_eq(vsvm_vm_init(d, 0, 0), 0);
		queue_blocked(d, f);
		t0 = now_ns();
		vsvm_device_del(d);
		igt_assert_f(now_ns() - t0 < 10 * NSEC_PER_SEC,
			     "close took %.1f s: the blocked work was not cancelled\n",
			     (now_ns() - t0) / 1e9);
		check_cancelled(f);
	} else if (!strcmp(how, "big-fill")) {
		for (int round = 0; round < 4; round++) {
			igt_fork(child, 1) {
				struct vsvm_device *cd = child_vm();
				size_t size = 64ul << 20;
				void *p = xmmap(NULL, size, PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				struct vsvm_cmdbuf *cb = new_cb();

				igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(p), size, round), 0);
				igt_assert_eq(vsvm_exec(cd, 0, cb, NULL), 0);
				/* exit while the GPU faults 64 MiB in */
			}
			igt_waitchildren();
		}
	}
	check_device_fine(vram);
	munmap(f, SZ_4K);
}

/* ------------------------------------------------------------------ */
/* Invalid addresses                                                   */

/* Runs cb on the last channel; asserts it faulted, returns its seqno. */
static uint64_t exec_expect_fault(struct vsvm_device *dev, struct vsvm_cmdbuf *cb,
				  uint32_t *ch)
{
	uint64_t seqno;
	int32_t status = 1;

	*ch = vsvm_num_channels - 1;
	igt_assert_eq(vsvm_exec(dev, *ch, cb, &seqno), 0);
	igt_assert_eq(vsvm_wait(dev, *ch, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_f(status == -EFAULT, "status %d (%s), expected -EFAULT\n",
		     status, strerror(-status));
	return seqno;
}

static void test_invalid_address(const char *how)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t *buf = calloc(1, SZ_4K);
	struct drm_vsvm_fault_info fi;
	struct drm_vsvm_stats s0, s1;
	uint32_t access, ch;
	uint64_t bad, seqno;
	void *map = NULL;

	igt_assert(buf);
	if (!strcmp(how, "null-write") || !strcmp(how, "null-read")) {
		bad = 0;
	} else if (!strcmp(how, "unmapped")) {
		map = xmmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert_eq(munmap(map, 4 * SZ_4K), 0);
		bad = VSVM_PTR(map) + SZ_4K + 64;
		map = NULL;
	} else if (!strcmp(how, "prot-none")) {
		map = xmmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		bad = VSVM_PTR(map) + 128;
	} else {	/* straddle: a copy running off the end of a mapping */
		map = xmmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert_eq(munmap((uint8_t *)map + SZ_4K, SZ_4K), 0);
		bad = VSVM_PTR(map) + SZ_4K;
	}

	if (!strcmp(how, "null-read") || !strcmp(how, "straddle")) {
		access = DRM_VSVM_ACCESS_READ;
		igt_assert_eq(vsvm_cmd_copy(cb, VSVM_PTR(buf),
					    !strcmp(how, "straddle") ? bad - 256 : bad, 512), 0);
	} else {
		access = DRM_VSVM_ACCESS_WRITE;
		igt_assert_eq(vsvm_cmd_write_value(cb, bad, 0xbad, DRM_VSVM_CMD_64BIT), 0);
	}
	igt_assert_eq(vsvm_fault_info(dev, &fi), -ENOENT);
	get_stats(dev, &s0);
	seqno = exec_expect_fault(dev, cb, &ch);
	get_stats(dev, &s1);

	check_fault(dev, (const void *)(uintptr_t)bad, access, 1);
	get_fault(dev, &fi);
	igt_assert_eq_u64(fi.seqno, seqno);
	igt_assert_eq_u32(fi.channel, ch);
	igt_assert_eq_u64(s1.gpu_faults_unrecoverable - s0.gpu_faults_unrecoverable, 1);
	igt_assert_lt_u64(s0.gpu_faults, s1.gpu_faults);

	/* The channel and the VM go on. */
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(buf), 0x600d, 0), 0);
	igt_assert_gpu_ok(run_cb_on(dev, ch, cb));
	igt_assert_eq_u64(buf[0], 0x600d);
	get_fault(dev, &fi);
	igt_assert_eq_u64(fi.count, 1);

	if (map)
		munmap(map, SZ_4K);
	vsvm_cmdbuf_del(cb);
	free(buf);
}

/*
 * Addresses outside the VM window: either EXEC refuses them (-EINVAL) or
 * the submission faults (-EFAULT); nothing else, and no access.
 */
static void test_outside_window(void)
{
	struct vsvm_device *dev = test_dev();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t *buf = calloc(1, SZ_4K);
	uint64_t seqno, win = 64 * SZ_2M, bad[2];
	int32_t status;
	int ret;

	igt_assert(buf);
	/* A small window, above the buffer's page. */
	igt_assert_eq(vsvm_vm_init(dev, (VSVM_PTR(buf) + SZ_2M) & ~(SZ_2M - 1), win), 0);
	bad[0] = VSVM_PTR(buf);
	bad[1] = 0xffffffff81000000ull;	/* a kernel address */
	for (int i = 0; i < 2; i++) {
		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		igt_assert_eq(vsvm_cmd_write_value(cb, bad[i], 0xbad, 0), 0);
		ret = vsvm_exec(dev, 0, cb, &seqno);
		if (ret) {
			igt_assert_eq(ret, -EINVAL);
			continue;
		}
		igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
		igt_assert_eq(status, -EFAULT);
	}
	igt_assert_eq_u64(buf[0], 0);
	vsvm_cmdbuf_del(cb);
	free(buf);
}

/*
 * The edges of a VM window: the first and the last page inside work, the
 * pages just outside are refused (-EINVAL) or fault (-EFAULT) and are
 * never written.
 */
static void test_window_edges(void)
{
	struct vsvm_device *dev = test_dev();
	uint64_t base = 1ull << ((vsvm_va_bits < 47 ? vsvm_va_bits : 47) - 2);
	uint64_t wsize = 64 * SZ_2M;
	const uint64_t addr[4] = { base - SZ_4K, base, base + wsize - SZ_4K, base + wsize };
	const bool inside[4] = { false, true, true, false };
	struct vsvm_cmdbuf *cb = new_cb();
	uint32_t *pg[4];

	for (int i = 0; i < 4; i++) {
		pg[i] = mmap((void *)(uintptr_t)addr[i], SZ_4K, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		igt_require_f(pg[i] == (void *)(uintptr_t)addr[i],
			      "cannot map %#llx: %s\n", (unsigned long long)addr[i], strerror(errno));
	}
	igt_assert_eq(vsvm_vm_init(dev, base, wsize), 0);
	for (int i = 0; i < 4; i++) {
		uint64_t seqno;
		int32_t status = 1;
		int ret;

		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&pg[i][4]), 0xab, 0), 0);
		ret = vsvm_exec(dev, 0, cb, &seqno);
		if (!ret)
			igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
		if (inside[i]) {
			igt_assert_f(ret == 0 && status == 0,
				     "write at %#llx inside the window: EXEC %d, status %d\n",
				     (unsigned long long)addr[i], ret, status);
			igt_assert_eq_u32(pg[i][4], 0xab);
		} else {
			igt_assert_f(ret == -EINVAL || (ret == 0 && status == -EFAULT),
				     "write at %#llx outside the window: EXEC %d, status %d\n",
				     (unsigned long long)addr[i], ret, status);
			igt_assert_eq_u32(pg[i][4], 0);
		}
	}
	/* A copy running from the last page inside past the end. */
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmd_copy(cb, VSVM_PTR(pg[1]), VSVM_PTR(pg[2]) + SZ_4K - 8, 16), 0);
	{
		uint64_t seqno;
		int32_t status = 1;
		int ret = vsvm_exec(dev, 0, cb, &seqno);

		if (!ret)
			igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status), 0);
		igt_assert_f(ret == -EINVAL || (ret == 0 && status == -EFAULT),
			     "copy across the window's end: EXEC %d, status %d\n", ret, status);
	}
	for (int i = 0; i < 4; i++)
		munmap(pg[i], SZ_4K);
	vsvm_cmdbuf_del(cb);
}

/* A submission stops at its first failing command; the channel goes on. */
static void test_fault_stops_submission(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *bad = new_cb(), *good = new_cb();
	volatile uint32_t *buf = calloc(4, sizeof(uint32_t));
	void *hole = xmmap(NULL, SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t s1, s2;
	int32_t status = 1;

	igt_assert(buf);
	igt_assert_eq(munmap(hole, SZ_4K), 0);
	igt_assert_eq(vsvm_cmd_write_value(bad, VSVM_PTR(&buf[0]), 1, 0), 0);
	igt_assert_eq(vsvm_cmd_write_value(bad, VSVM_PTR(hole), 1, 0), 0);
	igt_assert_eq(vsvm_cmd_write_value(bad, VSVM_PTR(&buf[1]), 1, 0), 0);
	igt_assert_eq(vsvm_cmd_write_value(good, VSVM_PTR(&buf[2]), 2, 0), 0);

	/* Queued back to back: the second runs although the first failed. */
	igt_assert_eq(vsvm_exec(dev, 0, bad, &s1), 0);
	igt_assert_eq(vsvm_exec(dev, 0, good, &s2), 0);
	igt_assert_eq(vsvm_wait(dev, 0, s2, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq(vsvm_wait(dev, 0, s1, 0, &status), 0);
	igt_assert_eq(status, -EFAULT);
	igt_assert_eq_u32(buf[0], 1);	/* before the fault: done */
	igt_assert_eq_u32(buf[1], 0);	/* after it: not run */
	igt_assert_eq_u32(buf[2], 2);
	check_fault(dev, hole, DRM_VSVM_ACCESS_WRITE, 1);
	vsvm_cmdbuf_del(bad);
	vsvm_cmdbuf_del(good);
	free((void *)buf);
}

/* ------------------------------------------------------------------ */
/* POINTER_CHASE                                                       */

struct chase_out {
	uint64_t sum;
	uint64_t count;
};

static int32_t gpu_chase(struct vsvm_device *dev, struct chase_out *out,
			 struct drm_vsvm_chase_node *head, uint64_t max)
{
	out->sum = out->count = ~0ull;
	return RUN1(dev, 0, vsvm_cmd_pointer_chase(__cb, VSVM_PTR(out), VSVM_PTR(head), max));
}

static void shuffle(void **v, int n, unsigned int *seed)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rand_r(seed) % (i + 1);
		void *t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* Links nodes in order; returns the sum of the values set. */
static uint64_t link_nodes(struct drm_vsvm_chase_node **n, int count, uint64_t seed)
{
	uint64_t sum = 0;

	for (int i = 0; i < count; i++) {
		n[i]->value = seed * 0x9e3779b97f4a7c15ull + i * 0x100000001ull;
		n[i]->next = i + 1 < count ? VSVM_PTR(n[i + 1]) : 0;
		sum += n[i]->value;
	}
	return sum;
}

static void test_pointer_chase(const char *how)
{
	struct vsvm_device *dev = test_vm();
	struct chase_out *out = calloc(1, sizeof(*out));
	unsigned int seed = 42;
	struct drm_vsvm_chase_node **nodes;
	int n = 1000;
	uint64_t sum;

	igt_assert(out);
	nodes = calloc(4096, sizeof(*nodes));
	igt_assert(nodes);

	if (!strcmp(how, "mixed-memory")) {
		/* Heap, stack, shared and file mappings, in random order. */
		struct drm_vsvm_chase_node stack_nodes[16];
		struct drm_vsvm_chase_node *sh = xmmap(NULL, SZ_64K, PROT_READ | PROT_WRITE,
						       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		struct drm_vsvm_chase_node *fm = tmp_file_map(SZ_64K, PROT_READ | PROT_WRITE);
		void *heap[1000];

		for (int i = 0; i < n; i++) {
			switch (i % 4) {
			case 0:
				nodes[i] = heap[i] = malloc(sizeof(**nodes) + (rand_r(&seed) % 512));
				igt_assert(nodes[i]);
				break;
			case 1:
				nodes[i] = i / 4 < 16 ? &stack_nodes[i / 4] : &sh[2000 + i];
				break;
			case 2:
				nodes[i] = &sh[(i * 37) % 2000];
				break;
			default:
				nodes[i] = &fm[(i * 53) % 4000];
			}
		}
		shuffle((void **)nodes, n, &seed);
		sum = link_nodes(nodes, n, 1);
		igt_assert_gpu_ok(gpu_chase(dev, out, nodes[0], 0));
		igt_assert_eq_u64(out->count, n);
		igt_assert_eq_u64(out->sum, sum);
		for (int i = 0; i < n; i += 4)
			free(heap[i]);
		munmap(sh, SZ_64K);
		munmap(fm, SZ_64K);
	} else if (!strcmp(how, "shuffled-arena")) {
		/* 4096 nodes scattered over 16 MiB the CPU touches only there. */
		size_t size = 16ul << 20;
		uint8_t *arena = xmmap(NULL, size, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		n = 4096;
		for (int i = 0; i < n; i++)
			nodes[i] = (void *)(arena + (size / n) * i + 16 * (rand_r(&seed) % 64));
		shuffle((void **)nodes, n, &seed);
		sum = link_nodes(nodes, n, 2);
		igt_assert_gpu_ok(gpu_chase(dev, out, nodes[0], 0));
		igt_assert_eq_u64(out->count, n);
		igt_assert_eq_u64(out->sum, sum);
		munmap(arena, size);
	} else if (!strcmp(how, "max-nodes")) {
		struct drm_vsvm_chase_node *arr = calloc(100, sizeof(*arr));
		uint64_t part = 0;

		igt_assert(arr);
		for (int i = 0; i < 100; i++)
			nodes[i] = &arr[99 - i];
		sum = link_nodes(nodes, 100, 3);
		for (int i = 0; i < 37; i++)
			part += nodes[i]->value;
		igt_assert_gpu_ok(gpu_chase(dev, out, nodes[0], 37));
		igt_assert_eq_u64(out->count, 37);
		igt_assert_eq_u64(out->sum, part);
		igt_assert_gpu_ok(gpu_chase(dev, out, nodes[0], 1000));
		igt_assert_eq_u64(out->count, 100);
		igt_assert_eq_u64(out->sum, sum);
		free(arr);
	} else if (!strcmp(how, "cycle")) {
		/* 0: to the end of the list, but at most 2^20 nodes. */
		struct drm_vsvm_chase_node *c = calloc(3, sizeof(*c));

		igt_assert(c);
		for (int i = 0; i < 3; i++) {
			c[i].value = i + 1;
			c[i].next = VSVM_PTR(&c[(i + 1) % 3]);
		}
		igt_assert_gpu_ok(gpu_chase(dev, out, &c[0], 0));
		igt_assert_eq_u64(out->count, 1ull << 20);
		/* 2^20 = 3 * 349525 + 1: full cycles of 6 plus one node of 1 */
		igt_assert_eq_u64(out->sum, 349525ull * 6 + 1);
		free(c);
	} else if (!strcmp(how, "broken-link")) {
		struct drm_vsvm_chase_node *arr = calloc(20, sizeof(*arr));
		void *hole = xmmap(NULL, SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(arr);
		igt_assert_eq(munmap(hole, SZ_4K), 0);
		for (int i = 0; i < 20; i++)
			nodes[i] = &arr[i];
		link_nodes(nodes, 20, 4);
		arr[9].next = VSVM_PTR(hole) + 32;
		igt_assert_gpu_status(gpu_chase(dev, out, nodes[0], 0), -EFAULT);
		check_fault(dev, (uint8_t *)hole + 32, DRM_VSVM_ACCESS_READ, 1);
		free(arr);
	}
	free(nodes);
	free(out);
}

/* ------------------------------------------------------------------ */
/* WAIT_VALUE: CPU <-> GPU and GPU <-> GPU semaphores                  */

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

static void test_wait_value(const char *how)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint32_t *f = calloc(16, sizeof(uint32_t));
	uint64_t seqno, t0;
	int32_t status = 1;

	igt_assert(f);
	if (!strcmp(how, "handshake")) {
		/* GPU: wait a == 1, b = 2, wait c == 3, d = 4. */
		igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f[0]), DRM_VSVM_WAIT_EQ, 1, 0, 0,
						  20 * NSEC_PER_SEC), 0);
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
	} else if (!strcmp(how, "cross-channel")) {
		uint64_t s0;

		igt_require_f(vsvm_num_channels >= 2, "one channel only\n");
		igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f[0]), DRM_VSVM_WAIT_EQ, 1, 0, 0,
						  20 * NSEC_PER_SEC), 0);
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
	} else if (!strcmp(how, "timeout") || !strcmp(how, "default-timeout")) {
		bool dflt = !strcmp(how, "default-timeout");
		uint64_t elapsed;

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
	} else if (!strcmp(how, "already-true")) {
		f[0] = 9;
		igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f[0]), DRM_VSVM_WAIT_GTE, 9, 0, 0,
						  20 * NSEC_PER_SEC), 0);
		igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&f[1]), 1, 0), 0);
		igt_assert_gpu_ok(run_cb(dev, cb));
		igt_assert_eq_u32(f[1], 1);
	}
	vsvm_cmdbuf_del(cb);
	free(f);
}

/* ------------------------------------------------------------------ */
/* ATOMIC: every operation and width, exact results                    */

static const struct {
	uint32_t op;
	const char *name;
} atomic_ops[] = {
	{ DRM_VSVM_ATOMIC_ADD, "add" },
	{ DRM_VSVM_ATOMIC_INC, "inc" },
	{ DRM_VSVM_ATOMIC_XCHG, "xchg" },
	{ DRM_VSVM_ATOMIC_CMPXCHG, "cmpxchg" },
	{ DRM_VSVM_ATOMIC_MIN, "min" },
	{ DRM_VSVM_ATOMIC_MAX, "max" },
	{ DRM_VSVM_ATOMIC_AND, "and" },
	{ DRM_VSVM_ATOMIC_OR, "or" },
};

struct atomic_case {
	uint64_t init, value, value2;
};

/* Cases per op and width (value2 is used by CMPXCHG only). */
static int atomic_cases(uint32_t op, bool is64, struct atomic_case *c)
{
	switch (op) {
	case DRM_VSVM_ATOMIC_ADD:
		c[0] = (struct atomic_case){ 1, 3, 0 };
		c[1] = is64 ? (struct atomic_case){ 0xfffffff0, 0x20, 0 } :	/* carries into bit 32 */
			      (struct atomic_case){ 0xfffffff0, 0x20, 0 };	/* wraps */
		c[2] = (struct atomic_case){ is64 ? ~0ull - 2 : 0xfffffffd, 1, 0 };
		return 3;
	case DRM_VSVM_ATOMIC_INC:
		c[0] = (struct atomic_case){ 41, 0, 0 };
		c[1] = (struct atomic_case){ is64 ? 0xfffffffeull : 0x7ffffffe, 0, 0 };
		return 2;
	case DRM_VSVM_ATOMIC_XCHG:
		c[0] = is64 ? (struct atomic_case){ 0x1122334455667788ull, 0x99aabbccddeeff00ull, 0 } :
			      (struct atomic_case){ 0x12345678, 0x9abcdef0, 0 };
		return 1;
	case DRM_VSVM_ATOMIC_CMPXCHG:
		if (is64) {
			c[0] = (struct atomic_case){ 0x100000005ull, 0x100000005ull, 0xfeedull << 32 };
			/* equal low halves: a 32-bit compare would wrongly match */
			c[1] = (struct atomic_case){ 0x100000005ull, 5, 0xfeedull << 32 };
		} else {
			c[0] = (struct atomic_case){ 0xaaaa5555, 0xaaaa5555, 0x5555aaaa };
			c[1] = (struct atomic_case){ 0xaaaa5555, 0xaaaa5556, 0x5555aaaa };
		}
		return 2;
	case DRM_VSVM_ATOMIC_MIN:
		c[0] = (struct atomic_case){ 5, 7, 0 };
		c[1] = is64 ? (struct atomic_case){ 0x8000000000000000ull, 1, 0 } :
			      (struct atomic_case){ 0x80000000, 1, 0 };	/* unsigned */
		c[2] = (struct atomic_case){ is64 ? 0x100000000ull : 9, is64 ? 0xffffffffull : 8, 0 };
		return 3;
	case DRM_VSVM_ATOMIC_MAX:
		c[0] = (struct atomic_case){ 7, 5, 0 };
		c[1] = is64 ? (struct atomic_case){ 1, 0x8000000000000000ull, 0 } :
			      (struct atomic_case){ 1, 0x80000000, 0 };	/* unsigned */
		c[2] = (struct atomic_case){ is64 ? 0xffffffffull : 8, is64 ? 0x100000000ull : 9, 0 };
		return 3;
	case DRM_VSVM_ATOMIC_AND:
		c[0] = is64 ? (struct atomic_case){ 0xf0f0f0f0f0f0f0f0ull, 0xff00ff0000ff00ffull, 0 } :
			      (struct atomic_case){ 0xf0f0f0f0, 0xff00ff00, 0 };
		return 1;
	case DRM_VSVM_ATOMIC_OR:
		c[0] = is64 ? (struct atomic_case){ 0xf0f0f0f000000000ull, 0x0f0000ff0000000full, 0 } :
			      (struct atomic_case){ 0xf0f0f0f0, 0x0f0000ff, 0 };
		return 1;
	}
	return 0;
}

/* The CPU model: applies op once to *mem, returns the value before. */
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

static void test_atomic(uint32_t op, const char *name, bool is64)
{
	struct vsvm_device *dev = test_vm();
	/* 16 words: target at word 2 (32-bit) or qword 1, result at word 8 / qword 4. */
	uint32_t *w = aligned_alloc(64, 64);
	uint64_t *q = (uint64_t *)w;
	uint32_t flags = is64 ? DRM_VSVM_CMD_64BIT : 0;
	void *target = is64 ? (void *)&q[1] : (void *)&w[2];
	void *result = is64 ? (void *)&q[4] : (void *)&w[8];
	static const uint64_t counts[] = { 0, 1, 5 };
	struct atomic_case cases[4];
	int n = atomic_cases(op, is64, cases);

	igt_assert(w);
	igt_assert(n > 0);
	for (int c = 0; c < n; c++) {
		for (unsigned int k = 0; k < ARRAY_SIZE(counts); k++) {
			for (int with_result = 0; with_result < 2; with_result++) {
				uint64_t model = cases[c].init, old = 0, got, got_old;

				for (uint64_t i = 0; i < (counts[k] ? counts[k] : 1); i++)
					old = ref_atomic(op, is64, &model, cases[c].value,
							 cases[c].value2);
				for (int i = 0; i < 16; i++)
					w[i] = GUARD32;
				cpu_store(target, cases[c].init, is64);
				igt_assert_gpu_ok(RUN1(dev, 0, vsvm_cmd_atomic(__cb, op, VSVM_PTR(target),
						cases[c].value, op == DRM_VSVM_ATOMIC_CMPXCHG ? cases[c].value2 : 0,
						counts[k], with_result ? VSVM_PTR(result) : 0, flags)));
				got = is64 ? q[1] : w[2];
				igt_assert_f(got == model,
					     "%s-%d: init %#" PRIx64 " value %#" PRIx64 " value2 %#" PRIx64
					     " count %" PRIu64 ": result %#" PRIx64 ", expected %#" PRIx64 "\n",
					     name, is64 ? 64 : 32, cases[c].init, cases[c].value,
					     cases[c].value2, counts[k], got, model);
				if (with_result) {
					got_old = is64 ? q[4] : w[8];
					igt_assert_f(got_old == old,
						     "%s-%d: init %#" PRIx64 " count %" PRIu64
						     ": returned %#" PRIx64 ", expected %#" PRIx64 "\n",
						     name, is64 ? 64 : 32, cases[c].init, counts[k],
						     got_old, old);
				}
				/* Nothing else changed (the width is respected). */
				for (int i = 0; i < 16; i++) {
					bool is_target = is64 ? (i == 2 || i == 3) : i == 2;
					bool is_result = with_result && (is64 ? (i == 8 || i == 9) : i == 8);

					if (!is_target && !is_result)
						igt_assert_f(w[i] == GUARD32,
							     "%s-%d: word %d next to the operands is %#x\n",
							     name, is64 ? 64 : 32, i, w[i]);
				}
			}
		}
	}
	free(w);
}

/* Many channels (and the CPU, with FEATURE_ATOMICS) on one counter. */
static void test_atomic_contention(const char *how)
{
	struct vsvm_device *dev = test_vm();
	uint64_t *ctr = aligned_alloc(64, 64);
	struct vsvm_cmdbuf *cb = new_cb();
	int32_t status = 1;

	igt_assert(ctr);
	memset(ctr, 0, 64);
	if (!strcmp(how, "channels")) {
		uint32_t nch = vsvm_num_channels;
		uint64_t seqno[64][4];

		if (nch > 64)
			nch = 64;
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
	} else {
		struct drm_vsvm_stats s0, s1;
		uint64_t gpu_ops = 100000, cpu_ops = 0, seqno;
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
	vsvm_cmdbuf_del(cb);
	free(ctr);
}

/* ------------------------------------------------------------------ */
/* CPU and GPU on the same pages                                       */

/*
 * The GPU read untouched memory (and may map the zero page); a CPU write
 * then gives the page a real page: the GPU must see the CPU's data.
 */
static void test_cpu_write_after_gpu_read(void)
{
	struct vsvm_device *dev = test_vm();
	size_t size = 16 * SZ_4K;
	uint8_t *p = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *chk = malloc(size);

	igt_assert(chk);
	memset(chk, 0xff, size);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
	check_u32(chk, size, 0);
	pattern_fill(p, size, 0xc1c1);
	memset(chk, 0, size);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, size));
	check_pattern(chk, size, 0xc1c1);
	munmap(p, size);
	free(chk);
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
static void test_cpu_gpu_same_page(enum kind k)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();

	for (int round = 0; round < 16; round++) {
		struct cpu_half h;
		pthread_t thread;
		uint64_t seqno;
		int32_t status = 1;
		struct buf b;
		uint32_t gv = 0x60000000 | round, cv = 0xc0000000 | round;

		buf_new(&b, k, kind_size(k));
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
		buf_del(&b);
	}
	vsvm_cmdbuf_del(cb);
}

/* ------------------------------------------------------------------ */
/* Misc                                                                */

static void test_timestamp(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t *ts = calloc(4, sizeof(uint64_t));

	igt_assert(ts);
	igt_assert_eq(vsvm_cmd_timestamp(cb, VSVM_PTR(&ts[0])), 0);
	igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(&ts[3]), 8, 0), 0);
	igt_assert_eq(vsvm_cmd_timestamp(cb, VSVM_PTR(&ts[1])), 0);
	igt_assert_gpu_ok(run_cb(dev, cb));
	sleep_ms(50);
	igt_assert_gpu_ok(RUN1(dev, 0, vsvm_cmd_timestamp(__cb, VSVM_PTR(&ts[2]))));
	igt_debug("timestamps %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", ts[0], ts[1], ts[2]);
	igt_assert_neq_u64(ts[0], 0);
	igt_assert_lte_u64(ts[0], ts[1]);
	/* ns: 50 ms of CPU sleep are at least 40 ms and not minutes of GPU time */
	igt_assert_lte_u64(ts[1] + 40 * NSEC_PER_MSEC, ts[2]);
	igt_assert_lt_u64(ts[2] - ts[1], 60ull * NSEC_PER_SEC);
	vsvm_cmdbuf_del(cb);
	free(ts);
}

/* COPY at any alignment and length, across pages, exact bytes. */
static void test_copy_unaligned(void)
{
	static const struct { size_t src, dst, len; } cases[] = {
		{ 1, 3, 1 }, { 0, 0, 3 }, { 1, 3, 4093 }, { 4095, 1, 2 },
		{ 7, 4093, 8192 + 5 }, { 4096 - 3, 4096 * 2 - 1, 4096 * 3 + 7 },
		{ 13, 17, 31 },
	};
	struct vsvm_device *dev = test_vm();
	size_t size = 6 * SZ_4K;
	uint8_t *src = xmmap(NULL, size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *dst = malloc(size + 64);

	igt_assert(dst);
	for (size_t i = 0; i < size; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	for (unsigned int c = 0; c < ARRAY_SIZE(cases); c++) {
		memset(dst, 0x5a, size + 64);
		igt_assert_gpu_ok(gpu_copy(dev, dst + cases[c].dst, src + cases[c].src,
					   cases[c].len));
		for (size_t i = 0; i < size + 64; i++) {
			bool in = i >= cases[c].dst && i < cases[c].dst + cases[c].len;
			uint8_t want = in ? src[cases[c].src + i - cases[c].dst] : 0x5a;

			igt_assert_f(dst[i] == want,
				     "copy %zu bytes from +%zu to +%zu: byte %zu is %#x, expected %#x\n",
				     cases[c].len, cases[c].src, cases[c].dst, i, dst[i], want);
		}
	}
	munmap(src, size);
	free(dst);
}

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
	igt_assert_eq(vsvm_cmd_wait_value(cb, VSVM_PTR(&f[0]), DRM_VSVM_WAIT_EQ, 1, 0, 0,
					  20 * NSEC_PER_SEC), 0);
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

/* Two vsvm devices mirror the same address space. */
static void test_two_devices(void)
{
	unsigned int count = 0;
	struct vsvm_device *d0, *d1;
	uint64_t i0, i1;
	size_t size = 16 * SZ_4K;
	uint8_t *p, *chk = malloc(size);

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

	p = xmmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(chk);
	igt_assert_gpu_ok(gpu_fill(d0, p, size, 0x1d0d0d0d));
	igt_assert_gpu_ok(gpu_copy(d1, chk, p, size));
	check_u32(chk, size, 0x1d0d0d0d);
	igt_assert_gpu_ok(gpu_fill(d1, p, size, 0x2d1d1d1d));
	check_u32(p, size, 0x2d1d1d1d);
	memset(chk, 0, size);
	igt_assert_gpu_ok(gpu_copy(d0, chk, p, size));
	check_u32(chk, size, 0x2d1d1d1d);
	/* An munmap reaches both. */
	igt_assert_eq(munmap(p, size), 0);
	igt_assert_gpu_status(gpu_write32(d0, p, 1), -EFAULT);
	igt_assert_gpu_status(gpu_write32(d1, p, 1), -EFAULT);
	free(chk);
}

/* ------------------------------------------------------------------ */

static const char *const free_after_exec_kinds[] = {
	"mmap-anon", "mmap-shared", "mmap-file", "mmap-huge",
};
static const char *const mremap_variants[] = {
	"move", "move-huge", "dontunmap", "grow", "shrink",
};
static const char *const mprotect_variants[] = {
	"ro-write", "ro-read", "ro-atomic", "ro-then-rw", "ro-fresh-read",
	"ro-fresh-write", "none-read", "none-write",
};
static const char *const dontneed_variants[] = {
	"private", "shared", "thp", "thp-partial",
};
static const char *const thread_variants[] = {
	"own-vm", "shared-vm", "shared-vm-shared-buffer",
};
static const char *const exit_variants[] = {
	"wait-value", "close-fd", "big-fill",
};
static const char *const invalid_variants[] = {
	"null-write", "null-read", "unmapped", "prot-none", "straddle",
};
static const char *const chase_variants[] = {
	"mixed-memory", "shuffled-arena", "max-nodes", "cycle", "broken-link",
};
static const char *const wait_variants[] = {
	"handshake", "cross-channel", "timeout", "default-timeout", "already-true",
};

static enum kind kind_by_name(const char *name)
{
	for (int k = 0; k < NUM_KINDS; k++)
		if (!strcmp(kind_name[k], name))
			return k;
	igt_assert_f(false, "no kind %s\n", name);
	return K_MALLOC;
}

igt_main
{
	igt_fixture
		vsvm_fixture();

	igt_describe("NOP, WRITE_VALUE 32/64, FILL, COPY and TIMESTAMP on malloc memory in "
		     "one submission: exact data, growing seqnos, exact stats deltas.");
	igt_subtest("basic")
		test_basic();

	igt_describe("One submission per buffer kind: the GPU copies CPU-written data and fills "
		     "part of it; the data, GPU fault counters and mapped pages are checked.");
	igt_subtest_with_dynamic("once") {
		for (volatile int k = 0; k < NUM_KINDS; k++)
			igt_dynamic(kind_name[k])
				with_buf(k, once_body);
	}

	igt_describe("64 submissions queued at once over all channels on an already faulted-in "
		     "buffer of each kind: every write lands, and no new GPU fault happens for "
		     "private anonymous memory (the GPU mappings persist).");
	igt_subtest_with_dynamic("many") {
		for (volatile int k = 0; k < NUM_KINDS; k++)
			igt_dynamic(kind_name[k])
				with_buf(k, many_body);
	}

	igt_describe("A NEW allocation of each kind for every submission; all keep their data.");
	igt_subtest_with_dynamic("new") {
		for (volatile int k = 0; k < NUM_KINDS; k++)
			if (k != K_STACK)
				igt_dynamic(kind_name[k])
					test_new(k);
	}

	igt_describe("NEW + FREE around every submission: munmap of GPU-mapped memory is "
		     "counted as an invalidation and the range is garbage-collected.");
	igt_subtest_with_dynamic("free") {
		for (volatile int k = 0; k < NUM_KINDS; k++)
			if (k != K_STACK)
				igt_dynamic(kind_name[k])
					test_free(k);
	}

	igt_describe("After munmap of GPU-used memory, GPU reads and writes there fail with "
		     "-EFAULT and FAULT_INFO; new memory mapped at the same address is what the "
		     "GPU then sees (no stale pages).");
	igt_subtest_with_dynamic("free-after-exec") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(free_after_exec_kinds); i++)
			igt_dynamic(free_after_exec_kinds[i])
				test_free_after_exec(kind_by_name(free_after_exec_kinds[i]));
	}

	igt_describe("A MADV_HUGEPAGE buffer backed by THP (touched first by the CPU or by the "
		     "GPU) is mapped with 2M GPU pages: stats.mapped_2m grows. MADV_COLLAPSE of "
		     "GPU-mapped 4K pages into a THP: the GPU follows to the new page.");
	igt_subtest_with_dynamic("thp") {
		igt_dynamic("cpu-first-touch")
			test_thp(false);
		igt_dynamic("gpu-first-touch")
			test_thp(true);
		igt_dynamic("collapse")
			test_thp_collapse();
	}

	igt_describe("munmap of the head, middle or tail of a GPU-mapped buffer (4K pages, or "
		     "THP ranges that must be split): the rest keeps its data and works for "
		     "reads and writes, the hole faults at its own address.");
	igt_subtest_with_dynamic("partial-munmap") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(holes); i++)
			igt_dynamic(holes[i].name)
				test_partial_munmap(&holes[i]);
	}

	igt_describe("mremap of GPU-written memory (move, move of a THP, MREMAP_DONTUNMAP, "
		     "grow, shrink): the GPU follows the data to the new address, and the old "
		     "address faults or reads as empty.");
	igt_subtest_with_dynamic("mremap") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(mremap_variants); i++)
			igt_dynamic(mremap_variants[i])
				test_mremap(mremap_variants[i]);
	}

	igt_describe("mprotect to read-only or PROT_NONE: GPU writes (and atomics) fail with "
		     "-EFAULT and FAULT_INFO pointing at the address, memory is untouched, GPU "
		     "reads of read-only memory still work, and restoring the protection "
		     "restores access.");
	igt_subtest_with_dynamic("mprotect") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(mprotect_variants); i++)
			igt_dynamic(mprotect_variants[i])
				test_mprotect(mprotect_variants[i]);
	}

	igt_describe("A GPU read of untouched memory then a GPU write: the write gets its own "
		     "page and other untouched memory still reads zero (the zero page is never "
		     "written).");
	igt_subtest("zero-page-write")
		test_zero_page_write();

	igt_describe("fork with GPU-mapped memory: COW keeps parent and child data apart for "
		     "GPU writes on either side, MAP_SHARED memory is shared, and the child "
		     "gets -EPERM submitting to the parent's VM.");
	igt_subtest_with_dynamic("fork") {
		igt_dynamic("cow-child-writes")
			test_fork_cow_child_writes();
		igt_dynamic("cow-parent-writes")
			test_fork_cow_parent_writes(false);
		igt_dynamic("cow-parent-writes-thp")
			test_fork_cow_parent_writes(true);
		igt_dynamic("shared")
			test_fork_shared();
		igt_dynamic("child-eperm")
			test_fork_eperm();
	}

	igt_describe("madvise(MADV_DONTNEED) on GPU-mapped memory: private (and THP, whole or "
		     "partial) memory then reads as zeros on the GPU, shared memory keeps its "
		     "data; the GPU can write it again.");
	igt_subtest_with_dynamic("madvise-dontneed") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(dontneed_variants); i++)
			igt_dynamic(dontneed_variants[i])
				test_dontneed(dontneed_variants[i]);
	}

	igt_describe("Several threads fault at once: each with its own VM, sharing one VM "
		     "over all channels, or on interleaved pages of one shared buffer with GPU "
		     "atomics on one counter; and several processes with their own VMs.");
	igt_subtest_with_dynamic("threads") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(thread_variants); i++)
			igt_dynamic(thread_variants[i])
				test_threads(thread_variants[i]);
		igt_dynamic("processes")
			test_processes();
	}

	igt_describe("A CPU thread munmaps and remaps a buffer while the GPU fills it: every "
		     "submission succeeds or fails with -EFAULT, memory around it and pages "
		     "allocated meanwhile are never written, and the VM keeps working.");
	igt_subtest("munmap-race")
		test_munmap_race();

	igt_describe("A process exits (or closes its fd) with a blocked WAIT_VALUE or a big "
		     "FILL in flight: the exit is prompt, the queued work never runs, and the "
		     "device keeps working with sane stats.");
	igt_subtest_with_dynamic("exit-in-flight") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(exit_variants); i++)
			igt_dynamic(exit_variants[i])
				test_exit_in_flight(exit_variants[i]);
	}

	igt_describe("GPU access to NULL, an unmapped hole, PROT_NONE memory or across the end "
		     "of a mapping fails the submission with -EFAULT; FAULT_INFO gives the "
		     "address, seqno, channel and access; the channel goes on.");
	igt_subtest_with_dynamic("invalid-address") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(invalid_variants); i++)
			igt_dynamic(invalid_variants[i])
				test_invalid_address(invalid_variants[i]);
	}

	igt_describe("Addresses outside the VM window are refused (-EINVAL) or fault (-EFAULT), "
		     "and never reach memory.");
	igt_subtest("outside-window")
		test_outside_window();

	igt_describe("The first and last pages of a VM window work; the pages just outside it "
		     "are refused or fault, and are never written.");
	igt_subtest("window-edges")
		test_window_edges();

	igt_describe("A submission stops at its first faulting command (earlier commands ran, "
		     "later ones did not); the next submission on the channel still runs.");
	igt_subtest("fault-stops-submission")
		test_fault_stops_submission();

	igt_describe("POINTER_CHASE through CPU-built lists: nodes on heap, stack, shared and "
		     "file memory, scattered over 16 MiB, bounded by a node count, a cycle "
		     "(stops at 2^20 nodes) and a link into unmapped memory (-EFAULT).");
	igt_subtest_with_dynamic("pointer-chase") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(chase_variants); i++)
			igt_dynamic(chase_variants[i])
				test_pointer_chase(chase_variants[i]);
	}

	igt_describe("WAIT_VALUE as a semaphore: CPU<->GPU handshake, GPU<->GPU across "
		     "channels, timeouts (-ETIMEDOUT, the one-second default), and every "
		     "comparison and width with masks, not satisfied too early.");
	igt_subtest_with_dynamic("wait-value") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(wait_variants); i++)
			igt_dynamic(wait_variants[i])
				test_wait_value(wait_variants[i]);
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(wait_cases); i++)
			igt_dynamic(wait_cases[i].name)
				test_wait_case(&wait_cases[i]);
	}

	igt_describe("Every ATOMIC operation at 32 and 64 bits, once and repeated, gives the "
		     "exact value (unsigned MIN/MAX, wrap-around, CMPXCHG success and failure), "
		     "returns the previous value, and touches nothing else.");
	igt_subtest_with_dynamic("atomic") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(atomic_ops); i++)
			for (volatile int w = 32; w <= 64; w += 32)
				igt_dynamic_f("%s-%d", atomic_ops[i].name, w)
					test_atomic(atomic_ops[i].op, atomic_ops[i].name, w == 64);
	}

	igt_describe("GPU atomics from all channels on one counter are exact; with "
		     "FEATURE_ATOMICS, so are concurrent CPU and GPU increments.");
	igt_subtest_with_dynamic("atomic-contention") {
		igt_dynamic("channels")
			test_atomic_contention("channels");
		igt_dynamic("cpu-gpu")
			test_atomic_contention("cpu-gpu");
	}

	igt_describe("A GPU read of untouched memory, then a CPU write: the GPU then reads "
		     "the CPU's data, not the zero page.");
	igt_subtest("cpu-write-after-gpu-read")
		test_cpu_write_after_gpu_read();

	igt_describe("The CPU and the GPU touch the same fresh pages at once (GPU first half, "
		     "CPU second half of every page): no write is lost.");
	igt_subtest_with_dynamic("cpu-gpu-same-page") {
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(free_after_exec_kinds); i++)
			igt_dynamic(free_after_exec_kinds[i])
				test_cpu_gpu_same_page(kind_by_name(free_after_exec_kinds[i]));
	}

	igt_describe("TIMESTAMP is non-zero, monotonic and counts nanoseconds.");
	igt_subtest("timestamp")
		test_timestamp();

	igt_describe("COPY at odd offsets and lengths across pages copies exactly the bytes "
		     "asked for.");
	igt_subtest("copy-unaligned")
		test_copy_unaligned();

	igt_describe("A blocked channel holds back later submissions on it, not other channels.");
	igt_subtest("channels-independent")
		test_channels_independent();

	igt_describe("Two vsvm devices mirror one address space: each sees the other's "
		     "writes and an munmap reaches both.");
	igt_subtest("two-devices")
		test_two_devices();

	igt_fixture
		release_tracked();
}
