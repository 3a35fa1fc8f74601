// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of drm_svm_notifier.c: what munmap, MADV_DONTNEED, mprotect
 * and migration invalidate, and the notifier sequence retry.
 */

#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/rmap.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define RW (PROT_READ | PROT_WRITE)
#define RD DRM_SVM_ACCESS_READ
#define WR DRM_SVM_ACCESS_WRITE

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

/*
 * Test that munmap of whole ranges calls the driver once with the unmapped
 * interval, drops every page, marks the ranges unmapped, and that garbage
 * collection then removes them and their notifier.
 */
static void drm_test_svm_inval_munmap(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_range *r1, *r2;
	struct drm_svm_stats s;

	svm_test_mmap(t, B, SZ_1M, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &r1), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, &r2), 0);

	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_1M), 0);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	svm_test_expect_inv(t, 0, B, B + SZ_1M, DRM_SVM_INVAL_UNMAP, MMU_NOTIFY_UNMAP);
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
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_range *r, *old;

	svm_test_mmap(t, B, SZ_1M, RW);
	svm_test_fill(t, B, SZ_1M, 5);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &old), 0);

	KUNIT_ASSERT_EQ(test, vm_munmap(B + SZ_64K, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	svm_test_expect_inv(t, 0, B, B + SZ_512K, DRM_SVM_INVAL_UNMAP, MMU_NOTIFY_UNMAP);
	KUNIT_EXPECT_TRUE(test, drm_svm_range_unmapped(old));
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, old, WR), -EAGAIN);

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_4K, WR, &r), 0);
	KUNIT_EXPECT_PTR_NE(test, r, old);
	svm_test_expect_range(test, r, B, SZ_64K);
	svm_test_expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_128K, RD, &r), 0);
	svm_test_expect_range(test, r, B + SZ_128K, SZ_64K);
	svm_test_expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_512K, RD, &r), 0);
	svm_test_expect_range(test, r, B + SZ_512K, SZ_512K);
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
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_range *r;
	unsigned long i;

	svm_test_mmap(t, B, SZ_1M, RW);
	svm_test_fill(t, B, SZ_1M, 6);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, WR, &r), 0);

	svm_test_zap(t, B + SZ_64K, SZ_64K);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	svm_test_expect_inv(t, 0, B + SZ_64K, B + SZ_128K, DRM_SVM_INVAL_CPU, MMU_NOTIFY_CLEAR);
	KUNIT_EXPECT_FALSE(test, drm_svm_range_unmapped(r));
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	KUNIT_EXPECT_EQ(test, count_valid(t, r, 0, 16), 16);
	KUNIT_EXPECT_EQ(test, count_valid(t, r, 16, 16), 0);
	KUNIT_EXPECT_EQ(test, count_valid(t, r, 32, 96), 96);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 112);

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, RD), 0);
	KUNIT_EXPECT_EQ(test, t->ninv, 2);
	svm_test_expect_inv(t, 1, B, B + SZ_512K, DRM_SVM_INVAL_REMAP, -1);
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
	svm_test_expect_entries_match_cpu(t, r);
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
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_range *r;
	struct folio *folio;
	struct page *page;
	struct file *file;
	unsigned long i;

	file = shmem_file_setup("drm_svm_test", SZ_64K, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, svm_test_fput_action, file), 0);
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
	svm_test_expect_inv(t, 0, B + SZ_4K, B + SZ_8K, DRM_SVM_INVAL_CPU,
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
	svm_test_expect_entries_match_cpu(t, r);
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
	struct svm_test *t = svm_test_create_small(test);
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
	svm_test_expect_entries_match_cpu(t, r);
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
	struct svm_test *t = svm_test_create_small(test);
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
	struct svm_test *t = svm_test_create_small(test);
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
	svm_test_expect_inv(t, 0, B, B + SZ_64K, DRM_SVM_INVAL_REMOVE, -1);
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
	struct svm_test *t = svm_test_create_small(test);
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
	svm_test_expect_inv(t, 0, B, B + SZ_64K, DRM_SVM_INVAL_CPU, MMU_NOTIFY_MIGRATE);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.invalidations, 1);
	KUNIT_EXPECT_EQ(test, s.mapped_pages, 0);

	/* Our owner, but not our migration (migrate_to_ram): zapped too. */
	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	KUNIT_EXPECT_TRUE(test, call_notifier(r, MMU_NOTIFIER_RANGE_BLOCKABLE,
					      MMU_NOTIFY_MIGRATE, t));
	svm_test_expect_inv(t, 1, B, B + SZ_64K, DRM_SVM_INVAL_CPU, MMU_NOTIFY_MIGRATE);
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

kunit_test_suite(drm_svm_inval_suite);
