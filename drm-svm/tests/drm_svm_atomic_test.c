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

#include <linux/delay.h>
#include <linux/ktime.h>
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

/* The longest hold a grant may ask for. */
#define HOLD_US		(4 * DRM_SVM_ATOMIC_HOLD_DEFAULT_US)

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
	KUNIT_EXPECT_EQ(test, drm_svm_atomic_classify(&t->svm, &r), DRM_SVM_EVENT_OWN);
	/* 6.12: the CPU taking the page back. */
	r.owner = NULL;
	KUNIT_EXPECT_EQ(test, drm_svm_atomic_classify(&t->svm, &r), DRM_SVM_EVENT_HOOK);
	/* Another device making it exclusive. */
	r.owner = t;
	KUNIT_EXPECT_EQ(test, drm_svm_atomic_classify(&t->svm, &r), DRM_SVM_EVENT_HOOK);
	/* Anything else is an ordinary invalidation. */
	r.event = MMU_NOTIFY_CLEAR;
	r.owner = &t->svm;
	KUNIT_EXPECT_EQ(test, drm_svm_atomic_classify(&t->svm, &r), DRM_SVM_EVENT_ZAP);
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

/* Map 2 MiB at B, filled: a THP, or skip the test. */
static void thp_buffer(struct svm_test *t, u8 seed)
{
	struct page *page;

	KUNIT_ASSERT_EQ(t->test, svm_test_mmap(t, B, SZ_2M, RW), B);
	svm_test_fill(t, B, SZ_2M, seed);
	page = svm_test_cpu_page(t, B);
	KUNIT_ASSERT_NOT_NULL(t->test, page);
	if (folio_order(page_folio(page)) != PMD_SHIFT - PAGE_SHIFT)
		kunit_skip(t->test, "no transparent huge page (THP not 'always'?)");
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

	thp_buffer(t, 5);

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

/* Pages [B, B + n pages) of a fresh 64 KiB range, filled, faulted for write. */
static struct drm_svm_range *atomic_range(struct svm_test *t, u8 seed)
{
	struct drm_svm_range *range;

	KUNIT_ASSERT_EQ(t->test, svm_test_mmap(t, B, SZ_64K, RW), B);
	svm_test_fill(t, B, SZ_64K, seed);
	KUNIT_ASSERT_EQ(t->test, svm_test_fault(t, B, DRM_SVM_ACCESS_WRITE, &range), 0);
	return range;
}

static u64 retries(struct svm_test *t)
{
	struct drm_svm_stats st;

	drm_svm_stats_read(&t->svm, &st);
	return st.retries;
}

static u64 atomic_stat(struct svm_test *t, bool forced)
{
	struct drm_svm_stats st;

	drm_svm_stats_read(&t->svm, &st);
	return forced ? st.atomic_forced : st.atomic_pages;
}

/*
 * A revocation bumps the notifier sequence (the contract of
 * mmu_interval_set_seq()), so a fault in flight does not publish pages
 * read before it.
 */
static void drm_test_svm_atomic_revoke_seq(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct drm_svm_range *range = atomic_range(t, 6);
	struct mmu_interval_notifier *mni = &range->notifier->notifier;
	unsigned long seq;

	KUNIT_ASSERT_EQ(test, grant(t, range, B, B + PAGE_SIZE), 0);
	seq = mmu_interval_read_begin(mni);
	KUNIT_EXPECT_FALSE(test, mmu_interval_read_retry(mni, seq));
	svm_test_fill(t, B, PAGE_SIZE, 7);	/* the CPU takes it back */
	KUNIT_EXPECT_FALSE(test, range->addrs[0].atomic);
	KUNIT_EXPECT_TRUE(test, mmu_interval_read_retry(mni, seq));
	drm_svm_range_put(range);
}

static void atomic_cap_4(struct drm_svm_config *cfg)
{
	cfg->atomic_max_pages = 4;
}

/*
 * Over &drm_svm_config.atomic_max_pages exclusive pages, the oldest grant
 * is taken back: its page loses its atomic flag through a revocation, the
 * CPU maps it again, and the newer grants stay.
 */
static void drm_test_svm_atomic_cap(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct drm_svm_range *range;
	unsigned int ninv, i;

	svm_test_reinit(t, atomic_cap_4);
	range = atomic_range(t, 8);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, grant(t, range, B + i * PAGE_SIZE,
					    B + (i + 1) * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, false), 4);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, true), 0);

	ninv = t->ninv;
	KUNIT_ASSERT_EQ(test, grant(t, range, B + 4 * PAGE_SIZE, B + 5 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, false), 4);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, true), 1);
	KUNIT_ASSERT_EQ(test, t->ninv, ninv + 1);
	KUNIT_EXPECT_EQ(test, t->inv[ninv].event, DRM_SVM_INVAL_ATOMIC);
	KUNIT_EXPECT_EQ(test, t->inv[ninv].start, B);
	KUNIT_EXPECT_EQ(test, t->inv[ninv].end, B + PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, range->addrs[0].atomic);
	for (i = 1; i < 5; i++)
		KUNIT_EXPECT_TRUE(test, range->addrs[i].atomic);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 4);
	/* The page is the CPU's again: touching it revokes nothing. */
	ninv = t->ninv;
	svm_test_fill(t, B, PAGE_SIZE, 9);
	KUNIT_EXPECT_EQ(test, t->ninv, ninv);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B + PAGE_SIZE, 4 * PAGE_SIZE, 8));
	drm_svm_range_put(range);
}

/*
 * drm_svm_fini() takes back every device-exclusive page: on 6.12 an
 * exclusive page has no mapcount (so it cannot be reclaimed or migrated)
 * until the CPU restores its entry.
 */
static void drm_test_svm_atomic_fini_revokes(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct drm_svm_range *range = atomic_range(t, 10);
	struct page *pages[2];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, get_user_pages_fast(B, 2, 0, pages), 2);
	KUNIT_ASSERT_EQ(test, grant(t, range, B, B + 2 * PAGE_SIZE), 0);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, folio_mapcount(page_folio(pages[i])), 0);
	drm_svm_range_put(range);

	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, false), 0);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, true), 2);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, folio_mapcount(page_folio(pages[i])), 1);
		put_page(pages[i]);
	}
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_64K, 10));
}

/*
 * Faulting a range again takes its exclusive pages back at once, before
 * hmm_range_fault() would one by one: each such revocation bumps the
 * notifier sequence, and the fault would restart for every page.
 */
static void drm_test_svm_atomic_refault(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct drm_svm_range *range = atomic_range(t, 14);
	struct drm_svm_stats st;
	unsigned int i;

	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, grant(t, range, B + 2 * i * PAGE_SIZE,
					    B + (2 * i + 1) * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, false), 4);
	svm_test_zap(t, B + SZ_32K, PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, range));

	drm_svm_stats_read(&t->svm, &st);
	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, range, DRM_SVM_ACCESS_WRITE), 0);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, false), 0);
	KUNIT_EXPECT_EQ(test, atomic_stat(t, true), 4);
	KUNIT_EXPECT_EQ(test, retries(t), st.retries);
	KUNIT_EXPECT_EQ(test, range->nr_atomic, 0);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_32K, 14));
	drm_svm_range_put(range);
}

/* The time a CPU write to the page at @addr takes, in ns. */
static u64 cpu_touch_ns(struct svm_test *t, unsigned long addr, u8 seed)
{
	u64 start = ktime_get_ns();

	svm_test_fill(t, addr, PAGE_SIZE, seed);
	return ktime_get_ns() - start;
}

static void grant_held(struct svm_test *t, struct drm_svm_range *range,
		       unsigned long addr)
{
	struct drm_svm_ctx ctx = {
		.access = DRM_SVM_ACCESS_ATOMIC,
		.atomic_hold_us = HOLD_US,
	};

	mutex_lock(&t->lock);
	KUNIT_ASSERT_EQ(t->test, drm_svm_range_atomic_grant(&t->svm, range, addr,
							    addr + PAGE_SIZE, &ctx), 0);
	mutex_unlock(&t->lock);
}

/*
 * The hold of a grant delays the CPU taking back its own pages only: a
 * page whose grant's hold passed is taken back at once although a newer
 * grant of another page is still held (best of three, against a busy
 * host), while a page of that newer grant is not taken back before its
 * hold passed.
 */
static void drm_test_svm_atomic_hold_per_grant(struct kunit *test)
{
	struct svm_test *t = atomic_svm(test);
	struct drm_svm_range *range = atomic_range(t, 11);
	unsigned long newer = B + SZ_32K;
	u64 best = U64_MAX, granted;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		grant_held(t, range, B);
		msleep(2 * HOLD_US / USEC_PER_MSEC);
		granted = ktime_get_ns();
		grant_held(t, range, newer);
		best = min(best, cpu_touch_ns(t, B, 12));
		cpu_touch_ns(t, newer, 12);
		KUNIT_EXPECT_GE(test, ktime_get_ns() - granted, HOLD_US * NSEC_PER_USEC);
	}
	KUNIT_EXPECT_LT(test, best, HOLD_US / 2 * NSEC_PER_USEC);
	drm_svm_range_put(range);
}

/*
 * A 4 KiB range inside a PMD-mapped THP maps its page with order 0 for
 * DMA, but the CPU maps it huge: the grant must split the THP (by the CPU
 * mapping order), not fail on a THP tail page.
 */
static void drm_test_svm_atomic_thp_small_range(struct kunit *test)
{
	static const unsigned long chunks_4k[] = { SZ_4K };
	struct svm_test *t = svm_test_create(test, 0, chunks_4k, 1);
	unsigned long p5 = B + 5 * PAGE_SIZE;
	struct drm_svm_range *range;
	struct page *page;

	thp_buffer(t, 13);

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, p5, DRM_SVM_ACCESS_WRITE, &range), 0);
	KUNIT_ASSERT_EQ(test, drm_svm_range_size(range), SZ_4K);
	KUNIT_EXPECT_EQ(test, range->addrs[0].order, 0);
	KUNIT_ASSERT_EQ(test, grant(t, range, p5, p5 + PAGE_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, range->addrs[0].atomic);
	page = svm_test_cpu_page(t, B + 6 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, folio_order(page_folio(page)), 0);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_2M, 13));
	drm_svm_range_put(range);
}

static struct kunit_case drm_svm_atomic_tests[] = {
	KUNIT_CASE(drm_test_svm_atomic_events),
	KUNIT_CASE(drm_test_svm_atomic_grant_revoke),
	KUNIT_CASE(drm_test_svm_atomic_zap),
	KUNIT_CASE(drm_test_svm_atomic_invalid),
	KUNIT_CASE(drm_test_svm_atomic_thp_split),
	KUNIT_CASE(drm_test_svm_atomic_revoke_seq),
	KUNIT_CASE(drm_test_svm_atomic_cap),
	KUNIT_CASE(drm_test_svm_atomic_fini_revokes),
	KUNIT_CASE(drm_test_svm_atomic_refault),
	KUNIT_CASE(drm_test_svm_atomic_hold_per_grant),
	KUNIT_CASE(drm_test_svm_atomic_thp_small_range),
	{}
};

static struct kunit_suite drm_svm_atomic_suite = {
	.name = "drm_svm_atomic",
	.test_cases = drm_svm_atomic_tests,
};

kunit_test_suite(drm_svm_atomic_suite);
