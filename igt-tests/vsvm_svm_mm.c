// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm svm mm
 * Category: Core
 * Mega feature: SVM
 * Sub-category: CPU address-space events
 * Functionality: MMU notifier invalidation of GPU mappings
 * Description: Changes of the CPU address space reach the GPU page tables:
 *	munmap, mremap, mprotect, madvise, THP collapse, fork (copy-on-write)
 *	and munmap racing GPU faults.
 *
 * SUBTEST: partial-munmap-%s
 * Description: munmap of the %arg[1] of a GPU-mapped buffer.
 *
 * arg[1]:
 *
 * @head:		head, 4K pages
 * @middle:		middle, 4K pages
 * @tail:		tail, 4K pages
 * @head-huge:		head, THP
 * @middle-huge:	middle, THP (across the 2M boundary)
 * @tail-huge:		tail, THP
 *
 * SUBTEST: mremap-%s
 * Description: mremap of GPU-written memory: %arg[1].
 *
 * arg[1]:
 *
 * @move:	move
 * @move-huge:	move of a THP
 * @dontunmap:	move with MREMAP_DONTUNMAP
 * @grow:	grow (moves)
 * @shrink:	shrink in place
 *
 * SUBTEST: mprotect-%s
 * Description: mprotect of GPU-used memory: %arg[1].
 *
 * arg[1]:
 *
 * @ro-write:		read-only, then a GPU write
 * @ro-read:		read-only, then a GPU read and write
 * @ro-atomic:		read-only, then a GPU atomic
 * @ro-then-rw:		read-only, then writable again
 * @ro-fresh-read:	read-only before the GPU saw it, then a GPU read and write
 * @ro-fresh-write:	read-only before the GPU saw it, then a GPU write
 * @none-read:		PROT_NONE, then a GPU read
 * @none-write:		PROT_NONE, then a GPU write
 *
 * SUBTEST: madvise-dontneed-%s
 * Description: MADV_DONTNEED of GPU-mapped %arg[1].
 *
 * arg[1]:
 *
 * @private:		private memory
 * @shared:		shared memory
 * @thp:		a whole THP
 * @thp-partial:	part of a THP
 *
 * SUBTEST: thp-collapse
 * Description: MADV_COLLAPSE of GPU-mapped 4K pages into a THP.
 *
 * SUBTEST: fork-%s
 * Description: fork with GPU-mapped memory: %arg[1].
 *
 * arg[1]:
 *
 * @cow-child-writes:		the child writes its copy on the GPU
 * @cow-parent-writes:		the parent writes on the GPU after the fork
 * @cow-parent-writes-thp:	the same on a THP
 * @shared:			MAP_SHARED memory is shared
 * @child-eperm:		the child cannot submit to its parent's VM
 *
 * SUBTEST: munmap-race
 * Description: munmap and mmap of a buffer racing GPU fills of it.
 *
 * SUBTEST: mprotect-ro-neighbour-%s
 * Description: mprotect(PROT_READ) of one page in the middle of a
 *	GPU-filled 2 MiB buffer (%arg[1]): GPU writes to the first page and
 *	to the page after the read-only one work, a GPU write to the
 *	read-only page fails with -EFAULT and leaves it alone.
 *
 * arg[1]:
 *
 * @4k:		MADV_NOHUGEPAGE, 4K pages
 * @thp:	MADV_HUGEPAGE, a THP that the mprotect splits
 *
 * SUBTEST: write-one-page-%s
 * Description: A GPU write to one page of a 2 MiB %arg[1] copies only
 *	that page: /proc/self/pagemap shows every other page unpopulated or
 *	still shared.
 *
 * arg[1]:
 *
 * @private-file:	MAP_PRIVATE mapping of a file: untouched pages stay
 *			page-cache pages (no copy-on-write)
 * @fork-cow:		private anonymous memory shared copy-on-write with a
 *			child after fork: untouched pages stay shared
 *
 * SUBTEST: munmap-race-first-fault
 * Description: A thread munmaps one extent of a fresh 2 MiB chunk while
 *	the GPU first-faults another extent of it: the GPU access to the
 *	extent still mapped succeeds, the hole faults, and the hole works
 *	again once mapped again.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("Shared virtual memory on vsvm: CPU address-space changes "
		     "(munmap, mremap, mprotect, madvise, fork) reach the GPU.");

/* ------------------------------------------------------------------ */
/* partial munmap                                                      */

static const struct hole {
	const char *name;
	bool huge;
	/* hole [start, end) in 1/8ths of the buffer */
	int start8, end8;
} holes[] = {
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
	uint8_t *chk = malloc(2 * SZ_4K);
	uint8_t *p = h->huge ? map_thp(size) : map_anon(size);

	igt_assert(chk);
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
		gpu_check_u32(dev, p, hs, 0x11111111);
	}
	if (he < size) {
		check_u32(p + he, size - he, 0x11111111);
		gpu_check_u32(dev, p + he, size - he, 0x11111111);
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

#define MR_HUGE		(1 << 0)
#define MR_DONTUNMAP	(1 << 1)

/* Moves @old (GPU-written 0x0a0a0a0a) with MREMAP_FIXED. */
static void mremap_move(struct vsvm_device *dev, uint8_t *old, size_t size,
			unsigned int flags)
{
	int mflags = MREMAP_MAYMOVE | MREMAP_FIXED;
	uint8_t *target = flags & MR_HUGE ? mmap_aligned(size, SZ_2M, MAP_PRIVATE) :
			  map_anon(size);
	uint8_t *new;

	if (flags & MR_DONTUNMAP)
		mflags |= MREMAP_DONTUNMAP;
	new = mremap(old, size, size, mflags, target);
	igt_assert_f(new == target, "mremap: %s\n", strerror(errno));

	gpu_check_u32(dev, new, size, 0x0a0a0a0a);
	if (flags & MR_DONTUNMAP) {
		/* The old range is still mapped, and empty. */
		gpu_check_u32(dev, old, size, 0);
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
}

static void mremap_grow(struct vsvm_device *dev, uint8_t *old, size_t size,
			unsigned int flags)
{
	/* A reservation right behind, so that growing must move. */
	uint8_t *blocker = mmap(old + size, SZ_4K, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	uint8_t *new = mremap(old, size, 2 * size, MREMAP_MAYMOVE);

	(void)flags;
	igt_assert_f(new != MAP_FAILED, "mremap: %s\n", strerror(errno));
	if (blocker != MAP_FAILED)
		munmap(blocker, SZ_4K);
	gpu_check_u32(dev, new, size, 0x0a0a0a0a);
	gpu_check_u32(dev, new + size, size, 0);
	igt_assert_gpu_ok(gpu_fill(dev, new, 2 * size, 0x0d0d0d0d));
	check_u32(new, 2 * size, 0x0d0d0d0d);
	if (new != old) {
		igt_assert_gpu_status(gpu_write32(dev, old, 1), -EFAULT);
		check_fault(dev, old, DRM_VSVM_ACCESS_WRITE, 1);
	}
	munmap(new, 2 * size);
}

static void mremap_shrink(struct vsvm_device *dev, uint8_t *old, size_t size,
			  unsigned int flags)
{
	uint8_t *new = mremap(old, size, size / 2, 0);

	(void)flags;
	igt_assert_f(new == old, "mremap: %s\n", strerror(errno));
	gpu_check_u32(dev, old, size / 2, 0x0a0a0a0a);
	igt_assert_gpu_status(gpu_write32(dev, old + size / 2, 1), -EFAULT);
	check_fault(dev, old + size / 2, DRM_VSVM_ACCESS_WRITE, 1);
	munmap(old, size / 2);
}

static const struct mremap_case {
	const char *name;
	void (*fn)(struct vsvm_device *dev, uint8_t *old, size_t size, unsigned int flags);
	unsigned int flags;
} mremap_cases[] = {
	{ "move", mremap_move, 0 },
	{ "move-huge", mremap_move, MR_HUGE },
	{ "dontunmap", mremap_move, MR_DONTUNMAP },
	{ "grow", mremap_grow, 0 },
	{ "shrink", mremap_shrink, 0 },
};

static void test_mremap(const struct mremap_case *c)
{
	struct vsvm_device *dev = test_vm();
	size_t size = c->flags & MR_HUGE ? SZ_2M : 16 * SZ_4K;
	uint8_t *old = c->flags & MR_HUGE ? map_thp(size) : map_anon(size);

	/* The GPU writes the data, so the GPU has it mapped before the move. */
	igt_assert_gpu_ok(gpu_fill(dev, old, size, 0x0a0a0a0a));
	c->fn(dev, old, size, c->flags);
}

/* ------------------------------------------------------------------ */
/* mprotect                                                            */

#define MP_RO		(1 << 0)	/* PROT_READ, else PROT_NONE */
#define MP_FRESH	(1 << 1)	/* the GPU never saw the memory before */
#define MP_READ		(1 << 2)	/* then a GPU read (and for MP_RO a write) */
#define MP_WRITE	(1 << 3)	/* then a GPU write */
#define MP_ATOMIC	(1 << 4)	/* then a GPU atomic */
#define MP_THEN_RW	(1 << 5)	/* then a GPU write, PROT_WRITE, a GPU write */

static const struct {
	const char *name;
	unsigned int flags;
} mprotect_cases[] = {
	{ "ro-write", MP_RO | MP_WRITE },
	{ "ro-read", MP_RO | MP_READ },
	{ "ro-atomic", MP_RO | MP_ATOMIC },
	{ "ro-then-rw", MP_RO | MP_THEN_RW },
	{ "ro-fresh-read", MP_RO | MP_FRESH | MP_READ },
	{ "ro-fresh-write", MP_RO | MP_FRESH | MP_WRITE },
	{ "none-read", MP_READ },
	{ "none-write", MP_WRITE },
};

/* The buffer's data is intact for the CPU, and for the GPU if @dev. */
static void mprotect_data_ok(struct vsvm_device *dev, const uint8_t *p, size_t size,
			     unsigned int flags)
{
	if (flags & MP_FRESH) {
		check_pattern(p, size, 0x0a0a);
		if (dev)
			gpu_check_pattern(dev, p, size, 0x0a0a);
	} else {
		check_u32(p, size, 0x0a0a0a0a);
		if (dev)
			gpu_check_u32(dev, p, size, 0x0a0a0a0a);
	}
}

/* A GPU write at @target is the VM's first fault; the data stays. */
static void mprotect_write_faults(struct vsvm_device *dev, uint8_t *p, size_t size,
				  uint8_t *target, unsigned int flags)
{
	igt_assert_gpu_status(gpu_write32(dev, target, 0xdead), -EFAULT);
	check_fault(dev, target, DRM_VSVM_ACCESS_WRITE, 1);
	mprotect_data_ok(NULL, p, size, flags);
}

static void mprotect_read_only(struct vsvm_device *dev, uint8_t *p, size_t size,
			       uint8_t *target, unsigned int flags)
{
	struct drm_vsvm_stats s0, s1;

	get_stats(dev, &s0);
	igt_assert_eq(mprotect(p, size, PROT_READ), 0);
	get_stats(dev, &s1);
	/* Write-protecting GPU-writable pages must reach the GPU. */
	if (!(flags & MP_FRESH))
		igt_assert_lt_u64(s0.invalidations, s1.invalidations);
	if (flags & MP_WRITE) {
		mprotect_write_faults(dev, p, size, target, flags);
		/* Reading still works. */
		mprotect_data_ok(dev, p, size, flags);
	} else if (flags & MP_READ) {
		mprotect_data_ok(dev, p, size, flags);
		/* Read-faulted pages must not be writable by the GPU. */
		mprotect_write_faults(dev, p, size, target, flags);
	} else if (flags & MP_ATOMIC) {
		igt_assert_gpu_status(RUN1(dev, 0, vsvm_cmd_atomic(__cb, DRM_VSVM_ATOMIC_ADD,
				      VSVM_PTR(target), 1, 0, 0, 0, 0)), -EFAULT);
		check_fault(dev, target, DRM_VSVM_ACCESS_ATOMIC, 1);
		mprotect_data_ok(NULL, p, size, flags);
	} else if (flags & MP_THEN_RW) {
		igt_assert_gpu_status(gpu_write32(dev, target, 0xdead), -EFAULT);
		igt_assert_eq(mprotect(p, size, PROT_READ | PROT_WRITE), 0);
		igt_assert_gpu_ok(gpu_write32(dev, target, 0xbeef));
		igt_assert_eq_u32(*(uint32_t *)target, 0xbeef);
		*(uint32_t *)target = 0x0a0a0a0a;
		mprotect_data_ok(NULL, p, size, flags);
	}
}

static void mprotect_none(struct vsvm_device *dev, uint8_t *p, size_t size,
			  uint8_t *target, unsigned int flags)
{
	uint8_t chk[64];

	igt_assert_eq(mprotect(p, size, PROT_NONE), 0);
	if (flags & MP_READ) {
		igt_assert_gpu_status(gpu_copy(dev, chk, target, 64), -EFAULT);
		check_fault(dev, target, DRM_VSVM_ACCESS_READ, 1);
	} else {
		igt_assert_gpu_status(gpu_write32(dev, target, 0xdead), -EFAULT);
		check_fault(dev, target, DRM_VSVM_ACCESS_WRITE, 1);
	}
	igt_assert_eq(mprotect(p, size, PROT_READ | PROT_WRITE), 0);
	mprotect_data_ok(dev, p, size, flags);
}

static void test_mprotect(unsigned int flags)
{
	struct vsvm_device *dev = test_vm();
	size_t size = 16 * SZ_4K;
	uint8_t *p = map_anon(size);
	uint8_t *target = p + 5 * SZ_4K + 12;

	if (flags & MP_FRESH)	/* never seen by the GPU before the mprotect */
		pattern_fill(p, size, 0x0a0a);
	else		/* the GPU has it mapped writable before the mprotect */
		igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x0a0a0a0a));
	if (flags & MP_RO)
		mprotect_read_only(dev, p, size, target, flags);
	else
		mprotect_none(dev, p, size, target, flags);
	munmap(p, size);
}

/* ------------------------------------------------------------------ */
/* madvise(MADV_DONTNEED) and MADV_COLLAPSE                            */

#define DN_SHARED	(1 << 0)
#define DN_THP		(1 << 1)
#define DN_PARTIAL	(1 << 2)

static const struct {
	const char *name;
	unsigned int flags;
} dontneed_cases[] = {
	{ "private", 0 },
	{ "shared", DN_SHARED },
	{ "thp", DN_THP },
	{ "thp-partial", DN_THP | DN_PARTIAL },
};

static void test_dontneed(unsigned int flags)
{
	struct vsvm_device *dev = test_vm();
	size_t size = flags & DN_THP ? SZ_2M : 16 * SZ_4K;
	size_t off = 0, len = size;
	struct drm_vsvm_stats s0, s1;
	uint8_t *p;

	if (flags & DN_THP)
		p = map_thp(size);
	else
		p = flags & DN_SHARED ? map_shared(size) : map_anon(size);
	if (flags & DN_PARTIAL) {
		off = SZ_2M / 2 - SZ_64K;
		len = 2 * SZ_64K;
	}
	pattern_fill(p, size, 0xd0d0);
	/* The GPU maps it. */
	gpu_check_pattern(dev, p, size, 0xd0d0);

	get_stats(dev, &s0);
	igt_assert_eq(madvise(p + off, len, MADV_DONTNEED), 0);
	get_stats(dev, &s1);
	igt_assert_lt_u64(s0.invalidations, s1.invalidations);
	igt_assert_f(s1.mapped_pages + len / SZ_4K <= s0.mapped_pages,
		     "%llu GPU-mapped pages after MADV_DONTNEED of %zu of %llu\n",
		     (unsigned long long)s1.mapped_pages, len / SZ_4K,
		     (unsigned long long)s0.mapped_pages);

	if (flags & DN_SHARED) {
		/* Shared memory keeps its contents; only the PTEs went. */
		gpu_check_pattern(dev, p, size, 0xd0d0);
	} else {
		if (off)
			gpu_check_pattern_at(dev, p, 0, off, 0xd0d0);
		gpu_check_u32(dev, p + off, len, 0);
		if (off + len < size)
			gpu_check_pattern_at(dev, p, off + len, size - off - len, 0xd0d0);
	}
	/* And the GPU can write it again. */
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0xd1d1d1d1));
	check_u32(p, size, 0xd1d1d1d1);
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
	uint8_t *p;
	long kb;

	igt_require_f(thp_available(), "transparent hugepages are disabled\n");
	p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);
	igt_assert_eq(madvise(p, size, MADV_NOHUGEPAGE), 0);
	pattern_fill(p, size, 0x7070);		/* 4K pages */
	gpu_check_pattern(dev, p, size, 0x7070);
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
	gpu_check_pattern(dev, p, size, 0x7070);
	/* ... and writes land in the THP, which the CPU sees. */
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0x71717171));
	check_u32(p, size, 0x71717171);
	get_stats(dev, &s2);
	if (vsvm_page_sizes & SZ_2M)
		igt_assert_f(s2.mapped_2m > s0.mapped_2m,
			     "the collapsed THP was not mapped with a 2M GPU page\n");
	munmap(p, size);
}

/* ------------------------------------------------------------------ */
/* fork                                                                */

#define FORK_SIZE (16 * SZ_4K)
#define FORK_THP (1 << 0)

/* The child writes its COW copy on the GPU; the parent keeps its data. */
static void fork_cow_child_writes(unsigned int flags)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = map_anon(FORK_SIZE);

	(void)flags;
	igt_assert_gpu_ok(gpu_fill(dev, p, FORK_SIZE, 0xaaaaaaaa));

	igt_fork(child, 1) {
		struct vsvm_device *cd = child_vm();

		gpu_check_u32(cd, p, FORK_SIZE, 0xaaaaaaaa);
		igt_assert_gpu_ok(gpu_fill(cd, p, FORK_SIZE, 0xbbbbbbbb));
		check_u32(p, FORK_SIZE, 0xbbbbbbbb);
		vsvm_device_del(cd);
	}
	igt_waitchildren();

	check_u32(p, FORK_SIZE, 0xaaaaaaaa);
	gpu_check_u32(dev, p, FORK_SIZE, 0xaaaaaaaa);
	igt_assert_gpu_ok(gpu_fill(dev, p, FORK_SIZE, 0xcccccccc));
	check_u32(p, FORK_SIZE, 0xcccccccc);
	munmap(p, FORK_SIZE);
}

/*
 * The parent's GPU had the pages mapped writable before fork; fork
 * write-protects them, so the parent's next GPU write must fault and break
 * COW instead of writing the page the child still shares.
 */
static void fork_cow_parent_writes(unsigned int flags)
{
	struct vsvm_device *dev = test_vm();
	size_t size = flags & FORK_THP ? SZ_2M : FORK_SIZE;
	uint8_t *p = flags & FORK_THP ? map_thp(size) : map_anon(size);
	int go[2];

	igt_assert_eq(pipe(go), 0);
	igt_assert_gpu_ok(gpu_fill(dev, p, size, 0xaaaaaaaa));

	igt_fork(child, 1) {
		struct vsvm_device *cd;

		close(go[1]);
		read_byte(go[0]);
		check_u32(p, size, 0xaaaaaaaa);
		cd = child_vm();
		gpu_check_u32(cd, p, size, 0xaaaaaaaa);
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
}

/* MAP_SHARED: the child's GPU write is what the parent (and its GPU) sees. */
static void fork_shared(unsigned int flags)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = map_shared(FORK_SIZE);

	(void)flags;
	igt_assert_gpu_ok(gpu_fill(dev, p, FORK_SIZE, 0xaaaaaaaa));
	igt_fork(child, 1) {
		struct vsvm_device *cd = child_vm();

		check_u32(p, FORK_SIZE, 0xaaaaaaaa);
		igt_assert_gpu_ok(gpu_fill(cd, p, FORK_SIZE, 0xbbbbbbbb));
		vsvm_device_del(cd);
	}
	igt_waitchildren();
	check_u32(p, FORK_SIZE, 0xbbbbbbbb);
	gpu_check_u32(dev, p, FORK_SIZE, 0xbbbbbbbb);
	munmap(p, FORK_SIZE);
}

/* A child may not submit to its parent's VM. */
static void fork_child_eperm(unsigned int flags)
{
	struct vsvm_device *dev = test_vm();
	uint32_t *shared = map_shared(SZ_4K);
	struct drm_vsvm_stats s0, s1;

	(void)flags;
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

static const struct {
	const char *name;
	void (*fn)(unsigned int flags);
	unsigned int flags;
} fork_cases[] = {
	{ "cow-child-writes", fork_cow_child_writes, 0 },
	{ "cow-parent-writes", fork_cow_parent_writes, 0 },
	{ "cow-parent-writes-thp", fork_cow_parent_writes, FORK_THP },
	{ "shared", fork_shared, 0 },
	{ "child-eperm", fork_child_eperm, 0 },
};

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

/* Fills the racer's target until 3 s and 20 submissions have passed. */
static void race_fills(struct vsvm_device *dev, struct racer *r, pthread_t thread,
		       unsigned long *ok, unsigned long *faulted)
{
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t t0 = now_ns();

	igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(r->target), RACE_CHUNK, 0xdeadbeef), 0);
	while (now_ns() - t0 < 3 * NSEC_PER_SEC || *ok + *faulted < 20) {
		int32_t status = 1;
		int ret = __run_cb_on(dev, 0, cb, &status);

		if (ret || (status != 0 && status != -EFAULT)) {
			atomic_store(&r->stop, true);
			pthread_join(thread, NULL);
			igt_assert_f(false, "ioctl %d, status %d (expected 0 or -EFAULT)\n",
				     ret, status);
		}
		if (status)
			(*faulted)++;
		else
			(*ok)++;
		if (now_ns() - t0 > 60 * NSEC_PER_SEC)
			break;
	}
	vsvm_cmdbuf_del(cb);
}

static void test_munmap_race(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *region = map_anon(3 * RACE_CHUNK);
	struct drm_vsvm_stats s0, s1;
	struct racer r = { .target = region + RACE_CHUNK };
	unsigned long ok = 0, faulted = 0;
	uint32_t *probe = calloc(1, SZ_4K);
	pthread_t thread;

	igt_assert(probe);
	r.canaries = map_anon(RACE_CANARIES * SZ_4K);
	/* Guards on both sides of the target (the racer splits the VMA). */
	memset(region, 0x47, RACE_CHUNK);
	memset(region + 2 * RACE_CHUNK, 0x47, RACE_CHUNK);

	get_stats(dev, &s0);
	igt_assert_eq(pthread_create(&thread, NULL, racer_thread, &r), 0);
	race_fills(dev, &r, thread, &ok, &faulted);
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
	free(probe);
}

/* ------------------------------------------------------------------ */
/* access per page, not per range                                      */

/* The read-only page of mprotect-ro-neighbour-*: the middle of 2 MiB. */
#define RO_PAGE 256

static void test_ro_neighbour(bool thp)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p, *ro, *after;
	struct drm_vsvm_stats s0, s1;

	if (thp)
		igt_require_f(thp_available(), "transparent hugepages are disabled\n");
	p = mmap_aligned(SZ_2M, SZ_2M, MAP_PRIVATE);
	ro = p + RO_PAGE * SZ_4K;
	after = ro + SZ_4K;
	igt_assert_eq(madvise(p, SZ_2M, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE), 0);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_2M, 0x0a0a0a0a));
	igt_info("AnonHugePages after the GPU fill: %ld kB\n", thp_kb(p));

	get_stats(dev, &s0);
	igt_assert_eq(mprotect(ro, SZ_4K, PROT_READ), 0);
	get_stats(dev, &s1);
	igt_assert_lt_u64(s0.invalidations, s1.invalidations);

	/* The read-write neighbours take GPU writes ... */
	igt_assert_gpu_ok(gpu_write32(dev, p, 0x1111));
	igt_assert_gpu_ok(gpu_write32(dev, after + 8, 0x2222));
	igt_assert_eq_u32(*(uint32_t *)p, 0x1111);
	igt_assert_eq_u32(*(uint32_t *)(after + 8), 0x2222);
	/* ... the read-only page does not, and keeps its data ... */
	igt_assert_gpu_status(gpu_write32(dev, ro + 12, 0xdead), -EFAULT);
	check_fault(dev, ro + 12, DRM_VSVM_ACCESS_WRITE, 1);
	check_u32(ro, SZ_4K, 0x0a0a0a0a);
	gpu_check_u32(dev, ro, SZ_4K, 0x0a0a0a0a);
	/* ... and the rest stays fully usable around it. */
	igt_assert_gpu_ok(gpu_fill(dev, p, RO_PAGE * SZ_4K, 0x0b0b0b0b));
	igt_assert_gpu_ok(gpu_fill(dev, after, SZ_2M - (RO_PAGE + 1) * SZ_4K,
				   0x0c0c0c0c));
	check_u32(p, RO_PAGE * SZ_4K, 0x0b0b0b0b);
	check_u32(ro, SZ_4K, 0x0a0a0a0a);
	check_u32(after, SZ_2M - (RO_PAGE + 1) * SZ_4K, 0x0c0c0c0c);
	gpu_check_u32(dev, after, SZ_2M - (RO_PAGE + 1) * SZ_4K, 0x0c0c0c0c);
	munmap(p, SZ_2M);
}

/* /proc/self/pagemap bits (Documentation/admin-guide/mm/pagemap.rst). */
#define PM_PRESENT	(1ull << 63)
#define PM_FILE		(1ull << 61)
#define PM_EXCLUSIVE	(1ull << 56)

static uint64_t pagemap_entry(int fd, const void *addr)
{
	uint64_t e;
	off_t off = (uintptr_t)addr / SZ_4K * sizeof(e);

	igt_assert_eq(pread(fd, &e, sizeof(e), off), (ssize_t)sizeof(e));
	return e;
}

/* Asserts that the pages of [p, p + size) but @written have @mask clear. */
static void check_pagemap_untouched(const uint8_t *p, size_t size,
				    const uint8_t *const *written, int nwritten,
				    uint64_t mask, uint64_t want)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t i;

	igt_assert_f(fd >= 0, "/proc/self/pagemap: %s\n", strerror(errno));
	for (i = 0; i < size; i += SZ_4K) {
		uint64_t e = pagemap_entry(fd, p + i);
		bool is_written = false;
		int w;

		for (w = 0; w < nwritten; w++)
			is_written |= written[w] == p + i;
		if (is_written)
			igt_assert_f((e & mask) == want,
				     "written page %zu: pagemap %#" PRIx64 ", want %#" PRIx64
				     " under %#" PRIx64 "\n", i / SZ_4K, e, want, mask);
		else
			igt_assert_f((e & mask) != want,
				     "untouched page %zu: pagemap %#" PRIx64
				     " (copied or dirtied by a GPU write elsewhere)\n",
				     i / SZ_4K, e);
	}
	close(fd);
}

/*
 * MAP_PRIVATE file mapping: a written page becomes an anonymous copy
 * (present, not PM_FILE); an untouched one is absent or the file's page.
 */
static void write_one_page_private_file(void)
{
	struct vsvm_device *dev = test_vm();
	char path[] = "/tmp/vsvm-igt.XXXXXX";
	int fd = mkstemp(path);
	uint32_t *data = malloc(SZ_2M), word;
	const uint8_t *written[2];
	uint8_t *p;

	igt_assert_f(fd >= 0, "mkstemp in /tmp: %s\n", strerror(errno));
	igt_assert(data);
	unlink(path);
	pattern_fill(data, SZ_2M, 0x5eed);
	igt_assert_eq(write(fd, data, SZ_2M), (ssize_t)SZ_2M);
	p = xmmap(NULL, SZ_2M, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	/* The GPU's first touch is a write to one page ... */
	written[0] = p + 100 * SZ_4K;
	igt_assert_gpu_ok(gpu_write32(dev, (void *)written[0], 0x1234));
	check_pagemap_untouched(p, SZ_2M, written, 1, PM_PRESENT | PM_FILE, PM_PRESENT);
	/* ... then, with the range mapped for reading, to another. */
	gpu_check_pattern_at(dev, p, 0, 100 * SZ_4K, 0x5eed);
	gpu_check_pattern_at(dev, p, 101 * SZ_4K, SZ_2M - 101 * SZ_4K, 0x5eed);
	written[1] = p + 400 * SZ_4K;
	igt_assert_gpu_ok(gpu_write32(dev, (void *)written[1] + 4, 0x5678));
	check_pagemap_untouched(p, SZ_2M, written, 2, PM_PRESENT | PM_FILE, PM_PRESENT);

	/* The copies hold the writes, the file does not. */
	igt_assert_eq_u32(*(uint32_t *)written[0], 0x1234);
	igt_assert_eq_u32(*(uint32_t *)(written[1] + 4), 0x5678);
	igt_assert_eq(pread(fd, &word, 4, 100 * SZ_4K), 4);
	igt_assert_eq_u32(word, pattern_word(0x5eed, 100 * SZ_4K / 4));
	check_pattern_at(p, 101 * SZ_4K, 299 * SZ_4K, 0x5eed);
	munmap(p, SZ_2M);
	close(fd);
	free(data);
}

/*
 * After fork, every page is shared copy-on-write (not PM_EXCLUSIVE); a
 * GPU write in the parent copies only the page written.
 */
static void write_one_page_fork_cow(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = mmap_aligned(SZ_2M, SZ_2M, MAP_PRIVATE);
	const uint8_t *written[1] = { p + 300 * SZ_4K };
	int go[2];

	igt_assert_eq(madvise(p, SZ_2M, MADV_NOHUGEPAGE), 0);
	igt_assert_eq(pipe(go), 0);
	pattern_fill(p, SZ_2M, 0xc0c0);
	/* The GPU maps it before the fork. */
	gpu_check_pattern(dev, p, SZ_2M, 0xc0c0);

	igt_fork(child, 1) {
		close(go[1]);
		read_byte(go[0]);
		/* The child's copy never saw the parent's GPU write. */
		check_pattern(p, SZ_2M, 0xc0c0);
	}
	close(go[0]);
	check_pagemap_untouched(p, SZ_2M, NULL, 0, PM_PRESENT | PM_EXCLUSIVE,
				PM_PRESENT | PM_EXCLUSIVE);
	igt_assert_gpu_ok(gpu_write32(dev, (void *)written[0], 0x4321));
	/* Checked while the child still shares the pages. */
	check_pagemap_untouched(p, SZ_2M, written, 1, PM_PRESENT | PM_EXCLUSIVE,
				PM_PRESENT | PM_EXCLUSIVE);
	igt_assert_eq_u32(*(uint32_t *)written[0], 0x4321);
	write_byte(go[1]);
	igt_waitchildren();
	close(go[1]);
	munmap(p, SZ_2M);
}

static const struct {
	const char *name;
	void (*fn)(void);
} write_one_page_cases[] = {
	{ "private-file", write_one_page_private_file },
	{ "fork-cow", write_one_page_fork_cow },
};

/* ------------------------------------------------------------------ */
/* munmap racing the first GPU fault of a chunk                        */

#define FIRST_FAULT_ROUNDS 48

struct extent_unmapper {
	uint8_t *hole;
	size_t len;
	unsigned int yields;
	atomic_bool go;
	int err;
};

static void *extent_unmapper_thread(void *arg)
{
	struct extent_unmapper *u = arg;
	unsigned int i;

	while (!atomic_load(&u->go))
		sched_yield();
	for (i = 0; i < u->yields; i++)
		sched_yield();
	if (munmap(u->hole, u->len))
		u->err = errno;
	return NULL;
}

/*
 * One round: the GPU's first fault fills one half of a fresh chunk while
 * a thread unmaps part of the other half.
 */
static void munmap_race_first_fault_round(struct vsvm_device *dev, unsigned int round,
					  uint64_t *faults)
{
	uint8_t *chunk = mmap_aligned(SZ_2M, SZ_2M, MAP_PRIVATE);
	bool head = round & 1;
	uint8_t *ext = head ? chunk : chunk + SZ_2M / 2;
	struct extent_unmapper u = {
		.hole = (head ? chunk + SZ_2M / 2 : chunk) + (round % 7) * SZ_4K,
		.len = SZ_2M / 2 - (round % 7) * SZ_4K - (round % 3) * SZ_4K,
		.yields = round % 5,
	};
	uint32_t v = 0x51000000 | round;
	struct vsvm_cmdbuf *cb = new_cb();
	int32_t status = 1;
	uint64_t seqno;
	pthread_t thread;
	int ret;

	igt_assert_eq(madvise(chunk, SZ_2M, round & 2 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE), 0);
	igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(ext), SZ_2M / 2, v), 0);
	igt_assert_eq(pthread_create(&thread, NULL, extent_unmapper_thread, &u), 0);
	ret = vsvm_exec(dev, 0, cb, &seqno);
	atomic_store(&u.go, true);
	if (!ret)
		ret = vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, &status);
	igt_assert_eq(pthread_join(thread, NULL), 0);
	vsvm_cmdbuf_del(cb);
	igt_assert_eq(ret, 0);
	igt_assert_f(!u.err, "munmap(%p, %#zx): %s\n", u.hole, u.len, strerror(u.err));
	igt_assert_f(status == 0, "round %u: first GPU fill of %p racing munmap of %p+%#zx: "
		     "status %d (%s)\n", round, ext, u.hole, u.len, status, strerror(-status));
	check_u32(ext, SZ_2M / 2, v);

	/* The extent still mapped keeps working ... */
	igt_assert_gpu_ok(gpu_write32(dev, ext + SZ_2M / 2 - 4, ~v));
	igt_assert_eq_u32(*(uint32_t *)(ext + SZ_2M / 2 - 4), ~v);
	gpu_check_u32(dev, ext, SZ_2M / 2 - SZ_4K, v);
	/* ... the hole faults at its own address ... */
	igt_assert_gpu_status(gpu_write32(dev, u.hole + 4, 1), -EFAULT);
	check_fault(dev, u.hole + 4, DRM_VSVM_ACCESS_WRITE, ++*faults);
	/* ... and works once mapped again. */
	xmmap(u.hole, u.len, PROT_READ | PROT_WRITE,
	      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	igt_assert_gpu_ok(gpu_fill(dev, u.hole, u.len, ~v));
	check_u32(u.hole, u.len, ~v);
	munmap(chunk, SZ_2M);
}

static void test_munmap_race_first_fault(void)
{
	struct vsvm_device *dev = test_vm();
	uint64_t faults = 0;
	unsigned int round;

	for (round = 0; round < FIRST_FAULT_ROUNDS; round++)
		munmap_race_first_fault_round(dev, round, &faults);
}

/* ------------------------------------------------------------------ */

igt_main
{
	igt_fixture
		vsvm_fixture();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(holes); i++) {
		igt_describe("munmap of the head, middle or tail of a GPU-mapped buffer (4K "
			     "pages, or THP ranges that must be split): the rest keeps its data "
			     "and works for reads and writes, the hole faults at its own address.");
		igt_subtest_f("partial-munmap-%s", holes[i].name)
			test_partial_munmap(&holes[i]);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(mremap_cases); i++) {
		igt_describe("mremap of GPU-written memory (move, move of a THP, "
			     "MREMAP_DONTUNMAP, grow, shrink): the GPU follows the data to the "
			     "new address, and the old address faults or reads as empty.");
		igt_subtest_f("mremap-%s", mremap_cases[i].name)
			test_mremap(&mremap_cases[i]);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(mprotect_cases); i++) {
		igt_describe("mprotect to read-only or PROT_NONE: GPU writes (and atomics) fail "
			     "with -EFAULT and FAULT_INFO pointing at the address, memory is "
			     "untouched, GPU reads of read-only memory still work, and restoring "
			     "the protection restores access.");
		igt_subtest_f("mprotect-%s", mprotect_cases[i].name)
			test_mprotect(mprotect_cases[i].flags);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(dontneed_cases); i++) {
		igt_describe("madvise(MADV_DONTNEED) on GPU-mapped memory: private (and THP, "
			     "whole or partial) memory then reads as zeros on the GPU, shared "
			     "memory keeps its data; the GPU can write it again.");
		igt_subtest_f("madvise-dontneed-%s", dontneed_cases[i].name)
			test_dontneed(dontneed_cases[i].flags);
	}

	igt_describe("MADV_COLLAPSE of GPU-mapped 4K pages into a THP: the GPU follows to "
		     "the new page, reads the data and writes into it, with a 2M GPU page.");
	igt_subtest("thp-collapse")
		test_thp_collapse();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(fork_cases); i++) {
		igt_describe("fork with GPU-mapped memory: COW keeps parent and child data apart "
			     "for GPU writes on either side, MAP_SHARED memory is shared, and the "
			     "child gets -EPERM submitting to the parent's VM.");
		igt_subtest_f("fork-%s", fork_cases[i].name)
			fork_cases[i].fn(fork_cases[i].flags);
	}

	igt_describe("A CPU thread munmaps and remaps a buffer while the GPU fills it: every "
		     "submission succeeds or fails with -EFAULT, memory around it and pages "
		     "allocated meanwhile are never written, and the VM keeps working.");
	igt_subtest("munmap-race")
		test_munmap_race();

	for (volatile unsigned int i = 0; i < 2; i++) {
		igt_describe("mprotect(PROT_READ) of one page in the middle of a GPU-filled "
			     "2 MiB buffer: GPU writes to its read-write neighbours work, a GPU "
			     "write to the read-only page fails with -EFAULT and changes nothing.");
		igt_subtest_f("mprotect-ro-neighbour-%s", i ? "thp" : "4k")
			test_ro_neighbour(i);
	}

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(write_one_page_cases); i++) {
		igt_describe("A GPU write to one page copies (or dirties) that page only: the "
			     "other pages of the range stay the file's, or shared after fork.");
		igt_subtest_f("write-one-page-%s", write_one_page_cases[i].name)
			write_one_page_cases[i].fn();
	}

	igt_describe("A thread munmaps one extent of a fresh 2 MiB chunk while the GPU "
		     "first-faults another: the access to the extent still mapped works.");
	igt_subtest("munmap-race-first-fault")
		test_munmap_race_first_fault();

	igt_fixture
		release_tracked();
}
