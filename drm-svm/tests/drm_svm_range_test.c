// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of drm_svm on real user mappings of the test thread
 * (kunit_vm_mmap()): range creation and lookup, getting pages,
 * invalidation, garbage collection and teardown.
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/pagemap.h>
#include <linux/random.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define B SVM_TEST_BASE
#define RW (PROT_READ | PROT_WRITE)
#define RD DRM_SVM_ACCESS_READ
#define WR DRM_SVM_ACCESS_WRITE

/* Ranges of up to 512 KiB over VMAs smaller than 2 MiB: never THP. */
static const unsigned long small_chunks[] = { SZ_512K, SZ_64K, SZ_4K };

static struct svm_test *small_svm(struct kunit *test)
{
	return svm_test_create(test, 0, small_chunks, ARRAY_SIZE(small_chunks));
}

static struct drm_svm_range *find_insert(struct svm_test *t, unsigned long addr,
					 unsigned long gstart, unsigned long gend,
					 unsigned int access)
{
	struct drm_svm_ctx ctx = { .access = access };
	struct drm_svm_range *range;

	mutex_lock(&t->lock);
	range = drm_svm_range_find_or_insert(&t->svm, addr, gstart, gend, &ctx);
	mutex_unlock(&t->lock);
	return range;
}

static void expect_range(struct kunit *test, struct drm_svm_range *range,
			 unsigned long start, unsigned long size)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, range);
	KUNIT_EXPECT_EQ(test, drm_svm_range_start(range), start);
	KUNIT_EXPECT_EQ(test, drm_svm_range_size(range), size);
}

/* Number of valid entries in [first, first + n) of @range. */
static unsigned long count_valid(struct svm_test *t, struct drm_svm_range *range,
				 unsigned long first, unsigned long n)
{
	unsigned long i, count = 0;

	drm_svm_notifier_lock(&t->svm);
	for (i = first; i < first + n; i++)
		count += range->addrs[i].valid;
	drm_svm_notifier_unlock(&t->svm);
	return count;
}

/* Check that entry i of @range maps the page the CPU maps, if checkable. */
static void expect_entries_match_cpu(struct svm_test *t,
				     struct drm_svm_range *range)
{
	unsigned long i, start = drm_svm_range_start(range);

	if (!svm_test_dma_direct(t))
		return;
	for (i = 0; i < drm_svm_range_npages(range); i++) {
		struct page *cpu = svm_test_cpu_page(t, start + (i << PAGE_SHIFT));

		KUNIT_EXPECT_TRUE(t->test, range->addrs[i].valid);
		KUNIT_EXPECT_PTR_EQ(t->test, svm_test_entry_page(t, &range->addrs[i]),
				    cpu);
	}
}

static void expect_inv(struct svm_test *t, unsigned int idx, unsigned long start,
		       unsigned long end, enum drm_svm_inval_event event,
		       int mmu_event)
{
	struct kunit *test = t->test;

	KUNIT_ASSERT_LT(test, idx, t->ninv);
	KUNIT_EXPECT_EQ(test, t->inv[idx].start, start);
	KUNIT_EXPECT_EQ(test, t->inv[idx].end, end);
	KUNIT_EXPECT_EQ(test, t->inv[idx].event, event);
	KUNIT_EXPECT_EQ(test, t->inv[idx].mmu_event, mmu_event);
}

/* ---- ranges ------------------------------------------------------------ */

/*
 * Test that a fault in a large aligned mapping creates the largest chunk,
 * and that looking the address up again returns the same range.
 */
static void drm_test_svm_range_insert_largest(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r1, *r2;

	svm_test_mmap(t, B, SZ_4M, RW);
	r1 = svm_test_range(t, B + SZ_1M + SZ_4K, RD);
	expect_range(test, r1, B, SZ_2M);
	r2 = svm_test_range(t, B + SZ_4K, WR);
	KUNIT_EXPECT_PTR_EQ(test, r1, r2);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nalloc), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&r1->refcount), 3);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 1);
	drm_svm_range_put(r2);
	drm_svm_range_put(r1);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 1);
}

/* Test that ranges shrink to fit the CPU VMA at both of its ends. */
static void drm_test_svm_range_vma_edges(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	unsigned long vstart = B + SZ_1M, vend = B + SZ_1M + SZ_128K + SZ_4K;
	struct drm_svm_range *r;

	svm_test_mmap(t, vstart, vend - vstart, RW);

	r = svm_test_range(t, vstart, RD);
	expect_range(test, r, vstart, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, vstart + SZ_64K + SZ_8K, RD);
	expect_range(test, r, vstart + SZ_64K, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, vend - SZ_4K, RD);
	expect_range(test, r, vend - SZ_4K, SZ_4K);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/* Test that ranges stay inside the GPU VA window the driver passes. */
static void drm_test_svm_range_gpuva_edges(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r;

	svm_test_mmap(t, B, SZ_4M, RW);

	r = find_insert(t, B + SZ_4K, B + SZ_4K, B + SZ_2M, RD);
	expect_range(test, r, B + SZ_4K, SZ_4K);
	drm_svm_range_put(r);
	r = find_insert(t, B + SZ_64K, B + SZ_64K, B + SZ_2M, RD);
	expect_range(test, r, B + SZ_64K, SZ_64K);
	drm_svm_range_put(r);
	r = find_insert(t, B + SZ_2M, B + SZ_2M, B + SZ_2M + SZ_64K + SZ_4K, RD);
	expect_range(test, r, B + SZ_2M, SZ_64K);
	drm_svm_range_put(r);
	r = find_insert(t, B + SZ_2M + SZ_64K, B + SZ_2M, B + SZ_2M + SZ_64K + SZ_4K, RD);
	expect_range(test, r, B + SZ_2M + SZ_64K, SZ_4K);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/* Test that a new range never overlaps existing ones: it falls back. */
static void drm_test_svm_range_overlap_fallback(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r;

	svm_test_mmap(t, B, SZ_4M, RW);

	r = find_insert(t, B + SZ_64K, B + SZ_64K, B + SZ_64K + SZ_4K, RD);
	expect_range(test, r, B + SZ_64K, SZ_4K);
	drm_svm_range_put(r);

	r = svm_test_range(t, B, RD);
	expect_range(test, r, B, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, B + SZ_64K + SZ_4K, RD);
	expect_range(test, r, B + SZ_64K + SZ_4K, SZ_4K);
	drm_svm_range_put(r);
	r = svm_test_range(t, B + SZ_128K, RD);
	expect_range(test, r, B + SZ_128K, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, B + SZ_2M, RD);
	expect_range(test, r, B + SZ_2M, SZ_2M);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/*
 * Test that notifiers are created per window on the first fault in it,
 * hold ranges on either side of a window edge, and go with their last
 * range.
 */
static void drm_test_svm_range_notifiers(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, SZ_4M, NULL, 0);
	struct drm_svm_range *r1, *r2;

	svm_test_mmap(t, B, SZ_8M, RW);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 0);

	r1 = svm_test_range(t, B + SZ_4M - SZ_4K, RD);
	expect_range(test, r1, B + SZ_2M, SZ_2M);
	r2 = svm_test_range(t, B + SZ_4M, RD);
	expect_range(test, r2, B + SZ_4M, SZ_2M);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 2);
	KUNIT_EXPECT_PTR_NE(test, r1->notifier, r2->notifier);
	KUNIT_EXPECT_EQ(test, drm_svm_notifier_start(r1->notifier), B);
	KUNIT_EXPECT_EQ(test, drm_svm_notifier_end(r1->notifier), B + SZ_4M);

	mutex_lock(&t->lock);
	drm_svm_range_remove(&t->svm, r1);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 1);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(r1));
	mutex_lock(&t->lock);
	drm_svm_range_remove(&t->svm, r2);
	drm_svm_range_remove(&t->svm, r2);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 0);
	drm_svm_range_put(r1);
	drm_svm_range_put(r2);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 2);
	svm_test_fini(t);
}

/*
 * Test the documented errors of drm_svm_range_find_or_insert(), and that
 * failed faults leave no range or notifier behind.
 */
static void drm_test_svm_range_errors(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r;

	svm_test_mmap(t, B, SZ_64K, PROT_READ);
	svm_test_mmap(t, B + SZ_1M, SZ_64K, PROT_NONE);

	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B - SZ_4K, RD)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B + SVM_TEST_WINDOW, RD)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(find_insert(t, B, B + SZ_4K, B + SZ_8K, RD)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(find_insert(t, B + SZ_4K, B, B + SZ_4K, RD)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B + SZ_512K, RD)), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B, WR)), -EPERM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B, DRM_SVM_ACCESS_ATOMIC)),
			-EPERM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B + SZ_1M, RD)), -EPERM);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nalloc), 0);

	/* An existing range answers for the VMA it is in. */
	r = svm_test_range(t, B, RD);
	expect_range(test, r, B, SZ_64K);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B + SZ_4K, WR)), -EPERM);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/*
 * Test lookup and in-order iteration over the range tree, removal during
 * iteration, and that ranges are freed through the driver's callback only
 * when the last reference goes.
 */
static void drm_test_svm_range_tree(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	static const unsigned long at[] = { B, B + SZ_2M, B + SZ_8M };
	struct drm_svm_range *r, *held;
	unsigned int i, n;

	svm_test_mmap(t, B, SZ_16M, RW);
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		r = svm_test_range(t, at[ARRAY_SIZE(at) - 1 - i], RD);
		expect_range(test, r, at[ARRAY_SIZE(at) - 1 - i], SZ_2M);
		drm_svm_range_put(r);
	}

	r = drm_svm_range_find(&t->svm, B + SZ_1M, B + SZ_16M);
	expect_range(test, r, B, SZ_2M);
	drm_svm_range_put(r);
	KUNIT_EXPECT_NULL(test, drm_svm_range_find(&t->svm, B + SZ_4M, B + SZ_8M));
	KUNIT_EXPECT_NULL(test, drm_svm_range_find(&t->svm, B + SZ_4M, B + SZ_4M));
	r = drm_svm_range_find(&t->svm, B + SZ_8M + SZ_2M - 1, B + SZ_8M + SZ_2M);
	expect_range(test, r, B + SZ_8M, SZ_2M);
	held = r;

	n = 0;
	drm_svm_for_each_range(r, &t->svm, B, B + SZ_16M) {
		KUNIT_EXPECT_EQ(test, drm_svm_range_start(r), at[n]);
		if (n == 1) {
			mutex_lock(&t->lock);
			drm_svm_range_remove(&t->svm, r);
			mutex_unlock(&t->lock);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 1);

	n = 0;
	drm_svm_for_each_range(r, &t->svm, B, B + SZ_16M)
		n++;
	KUNIT_EXPECT_EQ(test, n, 2);

	mutex_lock(&t->lock);
	drm_svm_range_remove(&t->svm, held);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 1);
	drm_svm_range_put(held);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 2);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), atomic_read(&t->nalloc));
}

/* Test that a context whose address space is gone fails with -EFAULT. */
static void drm_test_svm_range_mm_gone(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct mm_struct *mm = mm_alloc();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	svm_test_fini(t);
	KUNIT_ASSERT_EQ(test, svm_test_init_svm(t, mm, 0, NULL, 0), 0);
	mmput(mm);

	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B, RD)), -EFAULT);
	svm_test_fini(t);
}

static struct kunit_case drm_svm_range_tests[] = {
	KUNIT_CASE(drm_test_svm_range_insert_largest),
	KUNIT_CASE(drm_test_svm_range_vma_edges),
	KUNIT_CASE(drm_test_svm_range_gpuva_edges),
	KUNIT_CASE(drm_test_svm_range_overlap_fallback),
	KUNIT_CASE(drm_test_svm_range_notifiers),
	KUNIT_CASE(drm_test_svm_range_errors),
	KUNIT_CASE(drm_test_svm_range_tree),
	KUNIT_CASE(drm_test_svm_range_mm_gone),
	{}
};

static struct kunit_suite drm_svm_range_suite = {
	.name = "drm_svm_range",
	.test_cases = drm_svm_range_tests,
};

/* ---- pages ------------------------------------------------------------- */

/*
 * Test that a write fault maps every page of the range writable, to the
 * page the CPU maps, and that a second fault finds the pages valid.
 */
static void drm_test_svm_get_pages_write(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r;
	struct drm_svm_stats s;
	unsigned long i;

	svm_test_mmap(t, B, SZ_1M, RW);
	svm_test_fill(t, B, SZ_1M, 1);

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_8K, WR, &r), 0);
	expect_range(test, r, B, SZ_512K);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	for (i = 0; i < drm_svm_range_npages(r); i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].writable);
		KUNIT_EXPECT_FALSE(test, r->addrs[i].device);
		KUNIT_EXPECT_EQ(test, r->addrs[i].order, 0);
	}
	expect_entries_match_cpu(t, r);

	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, RD), 0);
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.faults, 3);
	KUNIT_EXPECT_EQ(test, s.faults_valid, 2);
	KUNIT_EXPECT_EQ(test, s.mapped_pages, 128);
	KUNIT_EXPECT_EQ(test, s.mappings_by_order[0], 128);
	KUNIT_EXPECT_EQ(test, t->ninv, 0);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_1M, 1));

	drm_svm_range_put(r);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

/*
 * Test that a read fault on untouched anonymous memory maps the shared
 * zero page read-only instead of allocating (the copy-on-write source
 * stays shared), and that a later write fault replaces it by private
 * writable pages after invalidating the read-only mapping.
 */
static void drm_test_svm_get_pages_read_zero_page(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct page *zero = ZERO_PAGE(0);
	struct drm_svm_range *r;
	unsigned long i, n;

	svm_test_mmap(t, B, SZ_64K, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, RD, &r), 0);
	expect_range(test, r, B, SZ_64K);
	n = drm_svm_range_npages(r);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].valid);
		KUNIT_EXPECT_FALSE(test, r->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_EQ(test, svm_test_entry_page(t, &r->addrs[i]),
					    zero);
	}
	KUNIT_EXPECT_EQ(test, t->ninv, 0);

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	expect_inv(t, 0, B, B + SZ_64K, DRM_SVM_INVAL_REMAP, -1);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_NE(test, svm_test_entry_page(t, &r->addrs[i]),
					    zero);
	}
	expect_entries_match_cpu(t, r);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), n);
	drm_svm_range_put(r);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

static void fput_action(void *file)
{
	fput(file);
}

/*
 * Test that a read fault on a private file mapping maps the page cache
 * page read-only (copy-on-write not broken: it is the very page a shared
 * mapping of the file maps), and that a write fault then breaks COW: the
 * GPU gets a private copy with the same data and the file is unchanged.
 */
static void drm_test_svm_get_pages_cow(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	unsigned long shared = B, priv = B + SZ_1M;
	struct drm_svm_range *rs, *rp;
	struct file *file;
	unsigned long i;

	file = shmem_file_setup("drm_svm_test", SZ_64K, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fput_action, file), 0);
	svm_test_mmap_file(t, file, shared, SZ_64K, RW, MAP_SHARED);
	svm_test_mmap_file(t, file, priv, SZ_64K, RW, MAP_PRIVATE);
	svm_test_fill(t, shared, SZ_64K, 2);

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, shared, WR, &rs), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, priv, RD, &rp), 0);
	expect_range(test, rp, priv, SZ_64K);
	for (i = 0; i < drm_svm_range_npages(rp); i++) {
		KUNIT_EXPECT_FALSE(test, rp->addrs[i].writable);
		KUNIT_EXPECT_TRUE(test, rs->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_EQ(test, svm_test_entry_page(t, &rp->addrs[i]),
					    svm_test_entry_page(t, &rs->addrs[i]));
	}
	expect_entries_match_cpu(t, rp);
	KUNIT_EXPECT_EQ(test, t->ninv, 0);

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, rp, WR), 0);
	for (i = 0; i < drm_svm_range_npages(rp); i++) {
		KUNIT_EXPECT_TRUE(test, rp->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_NE(test, svm_test_entry_page(t, &rp->addrs[i]),
					    svm_test_entry_page(t, &rs->addrs[i]));
	}
	expect_entries_match_cpu(t, rp);
	/* The shared range was not touched by breaking COW on the private one. */
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, rs));
	expect_entries_match_cpu(t, rs);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, priv, SZ_64K, 2));
	svm_test_fill(t, priv, SZ_64K, 3);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, shared, SZ_64K, 2));

	drm_svm_range_put(rs);
	drm_svm_range_put(rp);
	svm_test_fini(t);
}

/* Test that read faults work on a read-only VMA and write faults get -EPERM. */
static void drm_test_svm_get_pages_read_only(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r;

	svm_test_mmap(t, B, SZ_64K, PROT_READ);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, RD, &r), 0);
	KUNIT_EXPECT_FALSE(test, r->addrs[0].writable);
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, WR), -EPERM);
	KUNIT_EXPECT_EQ(test, svm_test_fault(t, B, WR, NULL), -EPERM);
	drm_svm_range_put(r);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

/*
 * Test that pages the CPU maps with a transparent huge page are DMA-mapped
 * in one piece: order 9 in a 2 MiB range, clamped to order 4 in a 64 KiB
 * range inside the huge page.
 */
static void drm_test_svm_get_pages_huge(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r;
	struct drm_svm_stats s;
	struct page *page;
	unsigned long i;

	svm_test_mmap(t, B, SZ_4M, RW);
	svm_test_fill(t, B, SZ_4M, 4);
	for (i = 0; i < 2; i++) {
		page = svm_test_cpu_page(t, B + i * SZ_2M);
		KUNIT_ASSERT_NOT_NULL(test, page);
		if (folio_order(page_folio(page)) != PMD_SHIFT - PAGE_SHIFT)
			kunit_skip(test, "no transparent huge page (THP not 'always'?)");
	}

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_1M, RD, &r), 0);
	expect_range(test, r, B, SZ_2M);
	for (i = 0; i < drm_svm_range_npages(r); i++) {
		KUNIT_EXPECT_EQ(test, r->addrs[i].order, PMD_SHIFT - PAGE_SHIFT);
		KUNIT_EXPECT_EQ(test, r->addrs[i].addr, r->addrs[0].addr + i * PAGE_SIZE);
	}
	expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);

	r = find_insert(t, B + SZ_2M + SZ_64K, B + SZ_2M + SZ_64K, B + SZ_2M + SZ_128K, WR);
	expect_range(test, r, B + SZ_2M + SZ_64K, SZ_64K);
	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	for (i = 0; i < drm_svm_range_npages(r); i++)
		KUNIT_EXPECT_EQ(test, r->addrs[i].order, 4);
	expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);

	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.mappings_by_order[9], 1);
	KUNIT_EXPECT_EQ(test, s.mappings_by_order[4], 1);
	KUNIT_EXPECT_EQ(test, s.mappings_by_order[0], 0);
	KUNIT_EXPECT_EQ(test, s.mapped_pages, 512 + 16);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

static struct kunit_case drm_svm_pages_tests[] = {
	KUNIT_CASE(drm_test_svm_get_pages_write),
	KUNIT_CASE(drm_test_svm_get_pages_read_zero_page),
	KUNIT_CASE(drm_test_svm_get_pages_cow),
	KUNIT_CASE(drm_test_svm_get_pages_read_only),
	KUNIT_CASE(drm_test_svm_get_pages_huge),
	{}
};

static struct kunit_suite drm_svm_pages_suite = {
	.name = "drm_svm_pages",
	.test_cases = drm_svm_pages_tests,
};

/* ---- invalidation ------------------------------------------------------ */

/*
 * Test that munmap of whole ranges calls the driver once with the unmapped
 * interval, drops every page, marks the ranges unmapped, and that garbage
 * collection then removes them and their notifier.
 */
static void drm_test_svm_inval_munmap(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r1, *r2;
	struct drm_svm_stats s;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &r1), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, &r2), 0);

	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_1M), 0);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	expect_inv(t, 0, B, B + SZ_1M, DRM_SVM_INVAL_UNMAP, MMU_NOTIFY_UNMAP);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(r1));
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(r2));
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r1));
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r1, RD), -EAGAIN);

	drm_svm_range_put(r1);
	drm_svm_range_put(r2);
	flush_work(&t->svm.gc_work);
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.ranges_collected, 2);
	KUNIT_EXPECT_NULL(test, drm_svm_range_find(&t->svm, B, B + SZ_1M));
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 2);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B, RD)), -ENOENT);
	svm_test_fini(t);
}

/*
 * Test that a partial munmap invalidates the whole range, and that the
 * next faults re-create ranges over what is still mapped, with the data
 * intact, while the hole itself faults with -ENOENT.
 */
static void drm_test_svm_inval_partial_munmap(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r, *old;

	svm_test_mmap(t, B, SZ_1M, RW);
	svm_test_fill(t, B, SZ_1M, 5);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &old), 0);

	KUNIT_ASSERT_EQ(test, vm_munmap(B + SZ_64K, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	expect_inv(t, 0, B, B + SZ_512K, DRM_SVM_INVAL_UNMAP, MMU_NOTIFY_UNMAP);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(old));
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, old, WR), -EAGAIN);

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_4K, WR, &r), 0);
	KUNIT_EXPECT_PTR_NE(test, r, old);
	expect_range(test, r, B, SZ_64K);
	expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_128K, RD, &r), 0);
	expect_range(test, r, B + SZ_128K, SZ_64K);
	expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, &r), 0);
	expect_range(test, r, B + SZ_512K, SZ_512K);
	drm_svm_range_put(r);
	KUNIT_EXPECT_EQ(test, svm_test_fault(t, B + SZ_64K, RD, NULL), -ENOENT);

	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_64K, 5));
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B + SZ_128K, SZ_1M - SZ_128K, 5));
	drm_svm_range_put(old);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), atomic_read(&t->nalloc));
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

/*
 * Test that madvise(MADV_DONTNEED) on part of a range (done the way a
 * module can, by zapping the page tables) calls the driver with exactly
 * that interval, unmaps only those pages, and that the range is then
 * revalidated with the zapped pages reading as zero.
 */
static void drm_test_svm_inval_dontneed(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r;
	unsigned long i;

	svm_test_mmap(t, B, SZ_1M, RW);
	svm_test_fill(t, B, SZ_1M, 6);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &r), 0);

	svm_test_zap(t, B + SZ_64K, SZ_64K);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	expect_inv(t, 0, B + SZ_64K, B + SZ_128K, DRM_SVM_INVAL_CPU, MMU_NOTIFY_CLEAR);
	KUNIT_EXPECT_FALSE(test, drm_svm_range_unmapped(r));
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	KUNIT_EXPECT_EQ(test, count_valid(t, r, 0, 16), 16);
	KUNIT_EXPECT_EQ(test, count_valid(t, r, 16, 16), 0);
	KUNIT_EXPECT_EQ(test, count_valid(t, r, 32, 96), 96);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 112);

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, RD), 0);
	KUNIT_EXPECT_EQ(test, t->ninv, 2);
	expect_inv(t, 1, B, B + SZ_512K, DRM_SVM_INVAL_REMAP, -1);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	for (i = 16; i < 32; i++) {
		KUNIT_EXPECT_FALSE(test, r->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_EQ(test, svm_test_entry_page(t, &r->addrs[i]),
					    ZERO_PAGE(0));
	}
	KUNIT_EXPECT_TRUE(test, r->addrs[0].writable);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_64K, 6));
	KUNIT_EXPECT_FALSE(test, svm_test_check(t, B + SZ_64K, SZ_4K, 6));
	expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

/*
 * Test a protection change of one page, which the driver must see as an
 * invalidation of exactly that page after which the GPU mapping is
 * read-only. mprotect() is not callable from a module; folio_mkclean(),
 * as writeback does, write-protects the page the same way and sends
 * MMU_NOTIFY_PROTECTION_PAGE.
 */
static void drm_test_svm_inval_protection(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r;
	struct folio *folio;
	struct page *page;
	struct file *file;
	unsigned long i;

	file = shmem_file_setup("drm_svm_test", SZ_64K, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fput_action, file), 0);
	svm_test_mmap_file(t, file, B, SZ_64K, RW, MAP_SHARED);
	svm_test_fill(t, B, SZ_64K, 7);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &r), 0);

	KUNIT_ASSERT_EQ(test, get_user_pages_fast(B + SZ_4K, 1, 0, &page), 1);
	folio = page_folio(page);
	folio_lock(folio);
	KUNIT_EXPECT_GT(test, folio_mkclean(folio), 0);
	folio_unlock(folio);
	put_page(page);

	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	expect_inv(t, 0, B + SZ_4K, B + SZ_8K, DRM_SVM_INVAL_CPU,
		   MMU_NOTIFY_PROTECTION_PAGE);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	KUNIT_EXPECT_EQ(test, count_valid(t, r, 0, 16), 15);

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, RD), 0);
	for (i = 0; i < drm_svm_range_npages(r); i++)
		KUNIT_EXPECT_EQ(test, (int)r->addrs[i].writable, i != 1);
	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	KUNIT_EXPECT_EQ(test, t->ninv, 3);
	for (i = 0; i < drm_svm_range_npages(r); i++)
		KUNIT_EXPECT_TRUE(test, r->addrs[i].writable);
	expect_entries_match_cpu(t, r);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_64K, 7));
	drm_svm_range_put(r);
	svm_test_fini(t);
}

static void race_zap(struct drm_svm *svm, struct drm_svm_range *range)
{
	struct svm_test *t = container_of(svm, struct svm_test, svm);

	if (t->race_calls++ < t->race_zaps)
		svm_test_zap(t, drm_svm_range_start(range) + PAGE_SIZE, PAGE_SIZE);
}

/*
 * Test that an invalidation racing with drm_svm_range_get_pages() (between
 * hmm_range_fault() and publishing) is caught by the notifier sequence:
 * the helper retries, and the result is valid and maps the new pages.
 */
static void drm_test_svm_inval_seqno_retry(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r;
	struct drm_svm_stats s;

	svm_test_mmap(t, B, SZ_512K, RW);
	svm_test_fill(t, B, SZ_512K, 8);
	r = svm_test_range(t, B, WR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);

	t->race_zaps = 1;
	kunit_activate_static_stub(test, drm_svm_kunit_race_point, race_zap);
	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	kunit_deactivate_static_stub(test, drm_svm_kunit_race_point);

	KUNIT_EXPECT_EQ(test, t->race_calls, 2);
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_GE(test, s.retries, 1);
	/* Nothing was published when the race hit: no GPU zap needed. */
	KUNIT_EXPECT_EQ(test, t->ninv, 0);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	KUNIT_EXPECT_EQ(test, s.mapped_pages, 128);
	expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/*
 * Test that invalidations racing with every attempt make
 * drm_svm_range_get_pages() give up with -EBUSY after the context's
 * timeout, leaving nothing mapped.
 */
static void drm_test_svm_inval_seqno_timeout(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_ctx ctx = { .access = WR, .timeout_ms = 50 };
	struct drm_svm_range *r;
	int err;

	svm_test_mmap(t, B, SZ_64K, RW);
	r = svm_test_range(t, B, WR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);

	t->race_zaps = UINT_MAX;
	kunit_activate_static_stub(test, drm_svm_kunit_race_point, race_zap);
	mutex_lock(&t->lock);
	err = drm_svm_range_get_pages(&t->svm, r, &ctx);
	mutex_unlock(&t->lock);
	kunit_deactivate_static_stub(test, drm_svm_kunit_race_point);

	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	KUNIT_EXPECT_GE(test, t->race_calls, 1);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/* Deliver a synthetic notifier event straight to the helper's callback. */
static bool call_notifier(struct drm_svm_range *r, unsigned int flags,
			  enum mmu_notifier_event event, void *owner)
{
	struct mmu_interval_notifier *mni = &r->notifier->notifier;
	struct mmu_notifier_range mr = {
		.mm = mni->mm,
		.start = drm_svm_range_start(r),
		.end = drm_svm_range_end(r),
		.flags = flags,
		.event = event,
		.owner = owner,
	};

	/* A new odd sequence, never the (even, idle) core sequence. */
	return mni->ops->invalidate(mni, &mr, READ_ONCE(mni->invalidate_seq) + 2);
}

/*
 * Test that a callback that may not sleep gives up when it would have to
 * call the driver or wait for the notifier lock, and succeeds otherwise.
 * The core only sends such events from the OOM reaper, which a test
 * cannot trigger, so the event is delivered directly.
 */
static void drm_test_svm_inval_nonblocking(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r;
	unsigned long seq;

	svm_test_mmap(t, B, SZ_64K, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &r), 0);

	seq = mmu_interval_read_begin(&r->notifier->notifier);
	KUNIT_EXPECT_FALSE(test, call_notifier(r, 0, MMU_NOTIFY_CLEAR, NULL));
	KUNIT_EXPECT_FALSE(test, mmu_interval_read_retry(&r->notifier->notifier, seq));
	KUNIT_EXPECT_EQ(test, t->ninv, 0);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));

	drm_svm_range_unmap_pages(&t->svm, r);
	expect_inv(t, 0, B, B + SZ_64K, DRM_SVM_INVAL_REMOVE, -1);
	KUNIT_EXPECT_TRUE(test, call_notifier(r, 0, MMU_NOTIFY_CLEAR, NULL));

	drm_svm_notifier_lock(&t->svm);
	KUNIT_EXPECT_FALSE(test, call_notifier(r, 0, MMU_NOTIFY_CLEAR, NULL));
	drm_svm_notifier_unlock(&t->svm);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);

	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/*
 * Test that MMU_NOTIFY_MIGRATE events of our own migration to device
 * memory (our owner, sent while drm_svm_migrate_to_devmem() runs on this
 * task) are ignored, and those of anybody else are not: another owner, or
 * our owner from a CPU fault migrating device pages back to RAM.
 */
static void drm_test_svm_inval_own_migrate(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *r;
	struct drm_svm_stats s;
	unsigned long seq;
	int other;

	t->svm.device_private_owner = t;
	svm_test_mmap(t, B, SZ_64K, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &r), 0);

	seq = mmu_interval_read_begin(&r->notifier->notifier);
	WRITE_ONCE(t->svm.migrating, current);
	KUNIT_EXPECT_TRUE(test, call_notifier(r, MMU_NOTIFIER_RANGE_BLOCKABLE,
					      MMU_NOTIFY_MIGRATE, t));
	WRITE_ONCE(t->svm.migrating, NULL);
	/* Not zapped, but a fault in flight would retry. */
	KUNIT_EXPECT_TRUE(test, mmu_interval_read_retry(&r->notifier->notifier, seq));
	KUNIT_EXPECT_EQ(test, t->ninv, 0);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.invalidations_skipped, 1);

	KUNIT_EXPECT_TRUE(test, call_notifier(r, MMU_NOTIFIER_RANGE_BLOCKABLE,
					      MMU_NOTIFY_MIGRATE, &other));
	expect_inv(t, 0, B, B + SZ_64K, DRM_SVM_INVAL_CPU, MMU_NOTIFY_MIGRATE);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.invalidations, 1);
	KUNIT_EXPECT_EQ(test, s.mapped_pages, 0);

	/* Our owner, but not our migration (migrate_to_ram): zapped too. */
	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	KUNIT_EXPECT_TRUE(test, call_notifier(r, MMU_NOTIFIER_RANGE_BLOCKABLE,
					      MMU_NOTIFY_MIGRATE, t));
	expect_inv(t, 1, B, B + SZ_64K, DRM_SVM_INVAL_CPU, MMU_NOTIFY_MIGRATE);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.invalidations, 2);
	KUNIT_EXPECT_EQ(test, s.invalidations_skipped, 1);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

static struct kunit_case drm_svm_inval_tests[] = {
	KUNIT_CASE(drm_test_svm_inval_munmap),
	KUNIT_CASE(drm_test_svm_inval_partial_munmap),
	KUNIT_CASE(drm_test_svm_inval_dontneed),
	KUNIT_CASE(drm_test_svm_inval_protection),
	KUNIT_CASE(drm_test_svm_inval_seqno_retry),
	KUNIT_CASE(drm_test_svm_inval_seqno_timeout),
	KUNIT_CASE(drm_test_svm_inval_nonblocking),
	KUNIT_CASE(drm_test_svm_inval_own_migrate),
	{}
};

static struct kunit_suite drm_svm_inval_suite = {
	.name = "drm_svm_invalidate",
	.test_cases = drm_svm_inval_tests,
};

/* ---- garbage collection and teardown ------------------------------------ */

/* Test that the worker collects unmapped ranges without the driver. */
static void drm_test_svm_gc_worker(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_stats s;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, RD, NULL), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_512K), 0);
	flush_work(&t->svm.gc_work);

	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.ranges_collected, 1);
	KUNIT_EXPECT_EQ(test, s.ranges_removed, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 1);
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 0);
	svm_test_fini(t);
}

/*
 * Test drm_svm_garbage_collect() from the driver's fault path, with the
 * worker held off: it removes exactly the unmapped ranges, once.
 */
static void drm_test_svm_gc_explicit(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *keep;
	unsigned int n;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, RD, NULL), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, &keep), 0);

	disable_work_sync(&t->svm.gc_work);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_64K), 0);
	mutex_lock(&t->lock);
	n = drm_svm_garbage_collect(&t->svm);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, n, 1);
	mutex_lock(&t->lock);
	n = drm_svm_garbage_collect(&t->svm);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, n, 0);
	enable_work(&t->svm.gc_work);

	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 1);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, keep));
	KUNIT_EXPECT_EQ(test, svm_test_count_notifiers(t), 1);
	drm_svm_range_put(keep);
	svm_test_fini(t);
}

/*
 * Test drm_svm_fini() with live ranges: ranges with pages are invalidated
 * first, everything is unmapped and freed except a range the driver still
 * references, which goes when that reference is dropped.
 */
static void drm_test_svm_fini_live_ranges(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct drm_svm_range *held, *r;
	unsigned int i;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &held), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, NULL), 0);
	r = find_insert(t, B + SZ_512K + SZ_1M, B, B + SZ_4M, RD);
	KUNIT_EXPECT_EQ(test, PTR_ERR(r), -ENOENT);
	svm_test_mmap(t, B + SZ_2M, SZ_64K, RW);
	r = svm_test_range(t, B + SZ_2M, RD);	/* no pages */
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	drm_svm_range_put(r);

	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, t->ninv, 2);
	for (i = 0; i < min(t->ninv, 2u); i++)
		KUNIT_EXPECT_EQ(test, t->inv[i].event, DRM_SVM_INVAL_REMOVE);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nalloc), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 2);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(held));
	drm_svm_range_put(held);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 3);
}

/* Test drm_svm_fini() while an unmapped range waits for the collector. */
static void drm_test_svm_fini_pending_gc(struct kunit *test)
{
	struct svm_test *t = small_svm(test);

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, NULL), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, WR, NULL), 0);
	disable_work_sync(&t->svm.gc_work);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_64K), 0);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), 2);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

/*
 * Test process exit: when the last user of the address space goes, the
 * helper gets MMU_NOTIFY_RELEASE, zaps and unmaps everything, further
 * faults fail with -EAGAIN / -EFAULT and teardown still works. The test
 * thread borrows a second address space for this.
 */
static void drm_test_svm_fini_process_exit(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct mm_struct *mm1 = current->mm, *mm2;
	struct drm_svm_range *r = NULL;
	int err;

	svm_test_fini(t);
	mm2 = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm2);
	mm2->task_size = TASK_SIZE;
	arch_pick_mmap_layout(mm2, &current->signal->rlim[RLIMIT_STACK]);

	kthread_unuse_mm(mm1);
	kthread_use_mm(mm2);
	err = svm_test_init_svm(t, mm2, 0, small_chunks, ARRAY_SIZE(small_chunks));
	if (!err && vm_mmap(NULL, B, SZ_1M, RW, MAP_PRIVATE | MAP_ANONYMOUS |
			    MAP_FIXED_NOREPLACE, 0) != B)
		err = -ENOMEM;
	if (!err)
		err = svm_test_fault(t, B, WR, &r);
	kthread_unuse_mm(mm2);
	kthread_use_mm(mm1);
	mmput(mm2);
	KUNIT_ASSERT_EQ(test, err, 0);

	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	/* The whole address space goes: the event, clipped to the notifier. */
	expect_inv(t, 0, B, B + SZ_512M, DRM_SVM_INVAL_UNMAP, MMU_NOTIFY_RELEASE);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(r));
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, WR), -EAGAIN);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_range(t, B, RD)), -EFAULT);
	drm_svm_range_put(r);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), atomic_read(&t->nalloc));
}

struct racer {
	struct mm_struct *mm;
	unsigned long cycles;
	unsigned long errors;
};

/* Unmap and map the test window again and again, from another thread. */
static int racer_fn(void *data)
{
	struct racer *rc = data;

	kthread_use_mm(rc->mm);
	while (!kthread_should_stop()) {
		unsigned long addr;

		if (vm_munmap(B, SZ_1M))
			rc->errors++;
		addr = vm_mmap(NULL, B, SZ_1M, RW,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		if (addr != B)
			rc->errors++;
		rc->cycles++;
		/* Leave faults a window to complete in, now and then. */
		usleep_range(2000, 8000);
	}
	kthread_unuse_mm(rc->mm);
	return 0;
}

/*
 * Test faults, garbage collection and finally drm_svm_fini() while
 * another thread keeps unmapping and remapping the memory: every fault
 * either succeeds or fails with a documented errno, nothing stays mapped
 * and every range is freed (lockdep watches the lock order meanwhile).
 */
static void drm_test_svm_fini_racing_unmap(struct kunit *test)
{
	struct svm_test *t = small_svm(test);
	struct racer rc = { .mm = current->mm };
	struct task_struct *task;
	unsigned long ok = 0, eagain = 0, enoent = 0, efault = 0, ebusy = 0, i;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_TRUE(test, mmget_not_zero(rc.mm));
	task = kthread_run(racer_fn, &rc, "drm_svm_racer");
	if (IS_ERR(task)) {
		mmput(rc.mm);
		KUNIT_FAIL_AND_ABORT(test, "kthread_run: %ld", PTR_ERR(task));
	}

	for (i = 0; i < 400; i++) {
		unsigned long addr = B + ((unsigned long)get_random_u32_below(SZ_1M >> PAGE_SHIFT)
					  << PAGE_SHIFT);
		int err = svm_test_fault(t, addr, i & 1 ? WR : RD, NULL);

		switch (err) {
		case 0:
			ok++;
			break;
		case -EAGAIN:	/* unmapped while faulting */
			eagain++;
			break;
		case -ENOENT:	/* between munmap and mmap: back off */
			enoent++;
			usleep_range(500, 1000);
			break;
		case -EFAULT:	/* the VMA went during hmm_range_fault() */
			efault++;
			break;
		case -EBUSY:
			ebusy++;
			break;
		default:
			KUNIT_FAIL(test, "fault at %#lx: %d", addr, err);
		}
	}
	svm_test_fini(t);
	kthread_stop(task);
	mmput(rc.mm);

	kunit_info(test, "faults: %lu ok, %lu -EAGAIN, %lu -ENOENT, %lu -EFAULT, %lu -EBUSY; %lu unmap cycles",
		   ok, eagain, enoent, efault, ebusy, rc.cycles);
	KUNIT_EXPECT_GT(test, ok, 0);
	KUNIT_EXPECT_GT(test, rc.cycles, 0);
	KUNIT_EXPECT_EQ(test, rc.errors, 0);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nfree), atomic_read(&t->nalloc));
}

static struct kunit_case drm_svm_gc_tests[] = {
	KUNIT_CASE(drm_test_svm_gc_worker),
	KUNIT_CASE(drm_test_svm_gc_explicit),
	KUNIT_CASE(drm_test_svm_fini_live_ranges),
	KUNIT_CASE(drm_test_svm_fini_pending_gc),
	KUNIT_CASE(drm_test_svm_fini_process_exit),
	KUNIT_CASE(drm_test_svm_fini_racing_unmap),
	{}
};

static struct kunit_suite drm_svm_gc_suite = {
	.name = "drm_svm_gc_fini",
	.test_cases = drm_svm_gc_tests,
};

kunit_test_suites(&drm_svm_range_suite, &drm_svm_pages_suite,
		  &drm_svm_inval_suite, &drm_svm_gc_suite);

MODULE_DESCRIPTION("KUnit tests for the DRM SVM helpers");
MODULE_LICENSE("GPL");
