// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of drm_svm_range.c on real user mappings of the test thread
 * (kunit_vm_mmap()): range creation, chunk sizes and lookup.
 */

#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define RW (PROT_READ | PROT_WRITE)
#define RD DRM_SVM_ACCESS_READ
#define WR DRM_SVM_ACCESS_WRITE

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
	svm_test_expect_range(test, r1, B, SZ_2M);
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
	svm_test_expect_range(test, r, vstart, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, vstart + SZ_64K + SZ_8K, RD);
	svm_test_expect_range(test, r, vstart + SZ_64K, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, vend - SZ_4K, RD);
	svm_test_expect_range(test, r, vend - SZ_4K, SZ_4K);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/* Test that ranges stay inside the GPU VA window the driver passes. */
static void drm_test_svm_range_gpuva_edges(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r;

	svm_test_mmap(t, B, SZ_4M, RW);

	r = svm_test_find_or_insert(t, B + SZ_4K, B + SZ_4K, B + SZ_2M, RD);
	svm_test_expect_range(test, r, B + SZ_4K, SZ_4K);
	drm_svm_range_put(r);
	r = svm_test_find_or_insert(t, B + SZ_64K, B + SZ_64K, B + SZ_2M, RD);
	svm_test_expect_range(test, r, B + SZ_64K, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_find_or_insert(t, B + SZ_2M, B + SZ_2M, B + SZ_2M + SZ_64K + SZ_4K, RD);
	svm_test_expect_range(test, r, B + SZ_2M, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_find_or_insert(t, B + SZ_2M + SZ_64K, B + SZ_2M,
				    B + SZ_2M + SZ_64K + SZ_4K, RD);
	svm_test_expect_range(test, r, B + SZ_2M + SZ_64K, SZ_4K);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/* Test that a new range never overlaps existing ones: it falls back. */
static void drm_test_svm_range_overlap_fallback(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r;

	svm_test_mmap(t, B, SZ_4M, RW);

	r = svm_test_find_or_insert(t, B + SZ_64K, B + SZ_64K, B + SZ_64K + SZ_4K, RD);
	svm_test_expect_range(test, r, B + SZ_64K, SZ_4K);
	drm_svm_range_put(r);

	r = svm_test_range(t, B, RD);
	svm_test_expect_range(test, r, B, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, B + SZ_64K + SZ_4K, RD);
	svm_test_expect_range(test, r, B + SZ_64K + SZ_4K, SZ_4K);
	drm_svm_range_put(r);
	r = svm_test_range(t, B + SZ_128K, RD);
	svm_test_expect_range(test, r, B + SZ_128K, SZ_64K);
	drm_svm_range_put(r);
	r = svm_test_range(t, B + SZ_2M, RD);
	svm_test_expect_range(test, r, B + SZ_2M, SZ_2M);
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
	svm_test_expect_range(test, r1, B + SZ_2M, SZ_2M);
	r2 = svm_test_range(t, B + SZ_4M, RD);
	svm_test_expect_range(test, r2, B + SZ_4M, SZ_2M);
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
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_find_or_insert(t, B, B + SZ_4K, B + SZ_8K, RD)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(svm_test_find_or_insert(t, B + SZ_4K, B, B + SZ_4K, RD)),
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
	svm_test_expect_range(test, r, B, SZ_64K);
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
		svm_test_expect_range(test, r, at[ARRAY_SIZE(at) - 1 - i], SZ_2M);
		drm_svm_range_put(r);
	}

	r = drm_svm_range_find(&t->svm, B + SZ_1M, B + SZ_16M);
	svm_test_expect_range(test, r, B, SZ_2M);
	drm_svm_range_put(r);
	KUNIT_EXPECT_NULL(test, drm_svm_range_find(&t->svm, B + SZ_4M, B + SZ_8M));
	KUNIT_EXPECT_NULL(test, drm_svm_range_find(&t->svm, B + SZ_4M, B + SZ_4M));
	r = drm_svm_range_find(&t->svm, B + SZ_8M + SZ_2M - 1, B + SZ_8M + SZ_2M);
	svm_test_expect_range(test, r, B + SZ_8M, SZ_2M);
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

kunit_test_suite(drm_svm_range_suite);
