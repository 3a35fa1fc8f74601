// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of the atomic helpers (drm_svm_atomic.c) on real user
 * mappings of the test thread: which notifier events are grants and
 * revocations, a device-exclusive grant and its revocation by a CPU
 * access, an invalidation of an exclusive page, bad windows, and the
 * split of a THP before a grant.
 */

#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_atomic.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define RW (PROT_READ | PROT_WRITE)

/* Ranges of up to 64 KiB: never THP. */
static const unsigned long atomic_chunks[] = { SZ_64K, SZ_4K };

static struct svm_test *atomic_svm(struct kunit *test)
{
	return svm_test_create(test, 0, atomic_chunks, ARRAY_SIZE(atomic_chunks));
}

static int grant(struct svm_test *t, struct drm_svm_range *range,
		 unsigned long start, unsigned long end)
{
	struct drm_svm_ctx ctx = { .access = DRM_SVM_ACCESS_ATOMIC };
	int err;

	mutex_lock(&t->lock);
	err = drm_svm_range_atomic_grant(&t->svm, range, start, end, &ctx);
	mutex_unlock(&t->lock);
	return err;
}

static bool atomic_valid(struct svm_test *t, struct drm_svm_range *range,
			 unsigned long start, unsigned long end)
{
	bool valid;

	drm_svm_notifier_lock(&t->svm);
	valid = drm_svm_range_atomic_valid(&t->svm, range, start, end);
	drm_svm_notifier_unlock(&t->svm);
	return valid;
}

/* Own grants are ignored, other exclusive events revoke, the rest is normal. */
static void drm_test_svm_atomic_events(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct mmu_notifier_range r = { .event = MMU_NOTIFY_EXCLUSIVE };

	/* Without device memory the context itself is the owner. */
	r.owner = &t->svm;
	KUNIT_EXPECT_TRUE(test, drm_svm_atomic_event_is_own(&t->svm, &r));
	KUNIT_EXPECT_FALSE(test, drm_svm_atomic_event_is_revoke(&t->svm, &r));
	/* 6.12: the CPU taking the page back. */
	r.owner = NULL;
	KUNIT_EXPECT_FALSE(test, drm_svm_atomic_event_is_own(&t->svm, &r));
	KUNIT_EXPECT_TRUE(test, drm_svm_atomic_event_is_revoke(&t->svm, &r));
	/* Another device making it exclusive. */
	r.owner = t;
	KUNIT_EXPECT_TRUE(test, drm_svm_atomic_event_is_revoke(&t->svm, &r));
	/* Anything else is an ordinary invalidation. */
	r.event = MMU_NOTIFY_CLEAR;
	r.owner = &t->svm;
	KUNIT_EXPECT_FALSE(test, drm_svm_atomic_event_is_own(&t->svm, &r));
	KUNIT_EXPECT_FALSE(test, drm_svm_atomic_event_is_revoke(&t->svm, &r));
}

/*
 * A grant sets the atomic flag of its window only; a CPU write to the page
 * revokes it (DRM_SVM_INVAL_ATOMIC), and the pages stay valid.
 */
static void drm_test_svm_atomic_grant_revoke(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	unsigned long p3 = B + 3 * PAGE_SIZE;
	struct drm_svm_range *range;
	struct drm_svm_stats st;
	unsigned int ninv;

	KUNIT_ASSERT_EQ(test, svm_test_mmap(t, B, SZ_64K, RW), B);
	svm_test_fill(t, B, SZ_64K, 1);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, DRM_SVM_ACCESS_WRITE, &range), 0);
	KUNIT_ASSERT_EQ(test, drm_svm_range_size(range), SZ_64K);

	KUNIT_ASSERT_EQ(test, grant(t, range, p3, p3 + PAGE_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, range->addrs[3].atomic);
	KUNIT_EXPECT_FALSE(test, range->addrs[2].atomic);
	KUNIT_EXPECT_FALSE(test, range->addrs[4].atomic);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 1);
	KUNIT_EXPECT_TRUE(test, atomic_valid(t, range, p3, p3 + PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, atomic_valid(t, range, p3, p3 + 2 * PAGE_SIZE));
	drm_svm_stats_read(&t->svm, &st);
	KUNIT_EXPECT_EQ(test, st.atomic_grants, 1);
	/* A second grant of the same page has nothing to do. */
	KUNIT_ASSERT_EQ(test, grant(t, range, p3, p3 + PAGE_SIZE), 0);
	drm_svm_stats_read(&t->svm, &st);
	KUNIT_EXPECT_EQ(test, st.atomic_grants, 1);

	ninv = t->ninv;
	svm_test_fill(t, p3, PAGE_SIZE, 2);	/* the CPU takes it back */
	KUNIT_ASSERT_EQ(test, t->ninv, ninv + 1);
	KUNIT_EXPECT_EQ(test, t->inv[ninv].event, DRM_SVM_INVAL_ATOMIC);
	KUNIT_EXPECT_EQ(test, t->inv[ninv].start, p3);
	KUNIT_EXPECT_EQ(test, t->inv[ninv].end, p3 + PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, range->addrs[3].atomic);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 0);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, range));
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, p3, PAGE_SIZE, 2));
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, 3 * PAGE_SIZE, 1));
	drm_svm_stats_read(&t->svm, &st);
	KUNIT_EXPECT_EQ(test, st.atomic_revokes, 1);

	/* A window of several pages. */
	KUNIT_ASSERT_EQ(test, grant(t, range, B, B + 8 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 8);
	KUNIT_EXPECT_TRUE(test, atomic_valid(t, range, B, B + 8 * PAGE_SIZE));
	drm_svm_range_put(range);
}

/* An invalidation of an exclusive page drops the page and its atomic flag. */
static void drm_test_svm_atomic_zap(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct drm_svm_range *range;
	struct drm_svm_stats st;
	unsigned int ninv;

	KUNIT_ASSERT_EQ(test, svm_test_mmap(t, B, SZ_64K, RW), B);
	svm_test_fill(t, B, SZ_64K, 3);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, DRM_SVM_ACCESS_WRITE, &range), 0);
	KUNIT_ASSERT_EQ(test, grant(t, range, B, B + 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 2);

	ninv = t->ninv;
	svm_test_zap(t, B, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, t->ninv, ninv + 1);
	KUNIT_EXPECT_EQ(test, t->inv[ninv].event, DRM_SVM_INVAL_CPU);
	KUNIT_EXPECT_FALSE(test, range->addrs[0].atomic);
	KUNIT_EXPECT_TRUE(test, range->addrs[1].atomic);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 1);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, range));
	drm_svm_stats_read(&t->svm, &st);
	KUNIT_EXPECT_EQ(test, st.atomic_revokes, 1);
	/* Granting again refaults the range: the flags start over. */
	KUNIT_ASSERT_EQ(test, grant(t, range, B, B + PAGE_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, range->addrs[0].atomic);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B + PAGE_SIZE, PAGE_SIZE, 3));
	drm_svm_range_put(range);
}

/* Windows outside the range, unaligned or too large; shared memory. */
static void drm_test_svm_atomic_invalid(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct drm_svm_range *range;
	unsigned long s;

	KUNIT_ASSERT_EQ(test, svm_test_mmap(t, B, SZ_64K, RW), B);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, DRM_SVM_ACCESS_WRITE, &range), 0);
	KUNIT_EXPECT_EQ(test, grant(t, range, B + 1, B + PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, grant(t, range, B, B), -EINVAL);
	KUNIT_EXPECT_EQ(test, grant(t, range, B, B + SZ_64K + PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, grant(t, range, B - PAGE_SIZE, B), -EINVAL);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 0);
	drm_svm_range_put(range);

	/* Shared anonymous memory cannot be made device-exclusive. */
	s = B + SZ_1M;
	KUNIT_ASSERT_EQ(test, svm_test_mmap_file(t, NULL, s, SZ_64K, RW,
						 MAP_SHARED | MAP_ANONYMOUS), s);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, s, DRM_SVM_ACCESS_WRITE, &range), 0);
	KUNIT_EXPECT_EQ(test, grant(t, range, s, s + PAGE_SIZE), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 0);
	drm_svm_range_put(range);
}

/*
 * A page of a PMD-mapped THP: the grant splits the THP in place (no
 * page moves, the data stays) and makes the now small page exclusive.
 */
static void drm_test_svm_atomic_thp_split(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	unsigned long p5 = B + 5 * PAGE_SIZE;
	struct drm_svm_range *range;
	struct page *page;

	KUNIT_ASSERT_EQ(test, svm_test_mmap(t, B, SZ_2M, RW), B);
	svm_test_fill(t, B, SZ_2M, 5);
	page = svm_test_cpu_page(t, B);
	KUNIT_ASSERT_NOT_NULL(test, page);
	if (folio_order(page_folio(page)) != PMD_SHIFT - PAGE_SHIFT)
		kunit_skip(test, "no transparent huge page (THP not 'always'?)");

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, DRM_SVM_ACCESS_WRITE, &range), 0);
	KUNIT_ASSERT_EQ(test, drm_svm_range_size(range), SZ_2M);
	KUNIT_EXPECT_EQ(test, range->addrs[5].order, PMD_SHIFT - PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, grant(t, range, p5, p5 + PAGE_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, range->addrs[5].atomic);
	KUNIT_EXPECT_EQ(test, range->addrs[5].order, 0);
	KUNIT_EXPECT_EQ(test, range->addrs[0].order, 0);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 1);
	page = svm_test_cpu_page(t, B + 6 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, folio_order(page_folio(page)), 0);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_2M, 5));
	drm_svm_range_put(range);
}

static struct kunit_case drm_svm_atomic_tests[] = {
	KUNIT_CASE(drm_test_svm_atomic_events),
	KUNIT_CASE(drm_test_svm_atomic_grant_revoke),
	KUNIT_CASE(drm_test_svm_atomic_zap),
	KUNIT_CASE(drm_test_svm_atomic_invalid),
	KUNIT_CASE(drm_test_svm_atomic_thp_split),
	{}
};

static struct kunit_suite drm_svm_atomic_suite = {
	.name = "drm_svm_atomic",
	.test_cases = drm_svm_atomic_tests,
};

kunit_test_suite(drm_svm_atomic_suite);
