// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of what a GPU fault at an address (&drm_svm_ctx.fault_addr)
 * asks of each page of its range (drm_svm_hmm.c, DOC: Faulting): write
 * access only where the fault needs it or a write only populates, the
 * rest for read, nothing where the CPU gives no access.
 */

#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define RW (PROT_READ | PROT_WRITE)
#define RD DRM_SVM_ACCESS_READ
#define WR DRM_SVM_ACCESS_WRITE
#define NPAGES_64K (SZ_64K >> PAGE_SHIFT)

static const unsigned long chunks_64k[] = { SZ_64K, SZ_4K };
static const unsigned long chunks_128k[] = { SZ_128K, SZ_4K };

static void fput_action(void *file)
{
	fput(file);
}

static struct file *test_shmem_file(struct kunit *test, loff_t size)
{
	struct file *file = shmem_file_setup("drm_svm_access_test", size, 0);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fput_action, file), 0);
	return file;
}

static struct page *entry_page(struct svm_test *t, struct drm_svm_range *r,
			       unsigned long i)
{
	return svm_test_entry_page(t, &r->addrs[i]);
}

static u64 faults_valid(struct svm_test *t)
{
	struct drm_svm_stats s;

	drm_svm_stats_read(&t->svm, &s);
	return s.faults_valid;
}

/*
 * Test that a GPU write to one page of an untouched private file mapping
 * breaks copy-on-write of that page only: the other pages map the page
 * cache read-only, as the CPU maps them, although they lie in the same
 * unpopulated page table (which hmm_range_fault() faults as a whole).
 */
static void drm_test_svm_access_write_one_cow(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, chunks_64k, 2);
	unsigned long shared = B, priv = B + SZ_1M, i;
	struct file *file = test_shmem_file(test, SZ_64K);
	struct drm_svm_range *rs, *rp;

	svm_test_mmap_file(t, file, shared, SZ_64K, RW, MAP_SHARED);
	svm_test_mmap_file(t, file, priv, SZ_64K, RW, MAP_PRIVATE);
	svm_test_fill(t, shared, SZ_64K, 1);

	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, shared, RD, &rs), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, priv + 3 * PAGE_SIZE, WR, &rp), 0);
	KUNIT_ASSERT_EQ(test, drm_svm_range_size(rp), SZ_64K);
	for (i = 0; i < NPAGES_64K; i++) {
		KUNIT_EXPECT_TRUE(test, rp->addrs[i].valid);
		KUNIT_EXPECT_EQ(test, (int)rp->addrs[i].writable, i == 3);
		if (!svm_test_dma_direct(t))
			continue;
		if (i == 3)
			KUNIT_EXPECT_PTR_NE(test, entry_page(t, rp, i), entry_page(t, rs, i));
		else
			KUNIT_EXPECT_PTR_EQ(test, entry_page(t, rp, i), entry_page(t, rs, i));
	}
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, priv, SZ_64K, 1));
	drm_svm_range_put(rs);
	drm_svm_range_put(rp);
}

/* Write-protect the page at @addr as writeback does (MMU_NOTIFY_PROTECTION_PAGE). */
static void mkclean(struct svm_test *t, unsigned long addr)
{
	struct folio *folio;
	struct page *page;

	KUNIT_ASSERT_EQ(t->test, get_user_pages_fast(addr, 1, 0, &page), 1);
	folio = page_folio(page);
	folio_lock(folio);
	KUNIT_EXPECT_GT(t->test, folio_mkclean(folio), 0);
	folio_unlock(folio);
	put_page(page);
}

/*
 * Test that a GPU write fault in a shared mapping whose pages writeback
 * write-protected asks write access for the faulting page only: the other
 * clean page stays read-only (not dirtied), and a fault at a page that is
 * mapped as needed finds the range valid.
 */
static void drm_test_svm_access_write_clean(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, chunks_64k, 2);
	struct file *file = test_shmem_file(test, SZ_64K);
	struct drm_svm_range *r;
	unsigned long i;
	u64 valid;

	svm_test_mmap_file(t, file, B, SZ_64K, RW, MAP_SHARED);
	svm_test_fill(t, B, SZ_64K, 2);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B, WR, &r), 0);
	mkclean(t, B + PAGE_SIZE);
	mkclean(t, B + 2 * PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));

	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B + PAGE_SIZE, WR, NULL), 0);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	for (i = 0; i < NPAGES_64K; i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].valid);
		KUNIT_EXPECT_EQ(test, (int)r->addrs[i].writable, i != 2);
	}

	valid = faults_valid(t);
	KUNIT_EXPECT_EQ(test, svm_test_fault_at(t, B + 5 * PAGE_SIZE, WR, NULL), 0);
	KUNIT_EXPECT_EQ(test, svm_test_fault_at(t, B + 2 * PAGE_SIZE, RD, NULL), 0);
	KUNIT_EXPECT_EQ(test, faults_valid(t), valid + 2);
	KUNIT_EXPECT_EQ(test, svm_test_fault_at(t, B + 2 * PAGE_SIZE, WR, NULL), 0);
	KUNIT_EXPECT_TRUE(test, r->addrs[2].writable);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_64K, 2));
	drm_svm_range_put(r);
}

/*
 * Test that the first GPU write to untouched anonymous memory populates
 * the whole range writable in one fault, like a read first and a write
 * after do (the write replaces the zero page everywhere): GPU first touch
 * stays one fault per range.
 */
static void drm_test_svm_access_first_touch(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, chunks_64k, 2);
	struct drm_svm_range *r;
	struct drm_svm_stats s;
	unsigned long i;

	svm_test_mmap(t, B, SZ_64K, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B + 2 * PAGE_SIZE, WR, &r), 0);
	for (i = 0; i < NPAGES_64K; i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].valid);
		KUNIT_EXPECT_TRUE(test, r->addrs[i].writable);
		KUNIT_EXPECT_FALSE(test, r->addrs[i].zero);
	}
	drm_svm_range_put(r);

	svm_test_mmap(t, B + SZ_1M, SZ_64K, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B + SZ_1M, RD, &r), 0);
	for (i = 0; i < NPAGES_64K; i++)
		KUNIT_EXPECT_TRUE(test, r->addrs[i].zero);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B + SZ_1M + 5 * PAGE_SIZE, WR, NULL), 0);
	for (i = 0; i < NPAGES_64K; i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].writable);
		KUNIT_EXPECT_FALSE(test, r->addrs[i].zero);
	}
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.faults, 3);
	KUNIT_EXPECT_EQ(test, s.faults_valid, 0);
	KUNIT_EXPECT_EQ(test, svm_test_fault_at(t, B + SZ_1M + 9 * PAGE_SIZE, WR, NULL), 0);
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_EQ(test, s.faults_valid, 1);
	drm_svm_range_put(r);
}

/*
 * Test that pages the CPU cannot fault (beyond the end of the mapped file)
 * cost a fault at another page nothing: they stay unmapped, while a fault
 * at one of them, or a fault that needs the whole range (no fault
 * address), fails with -EFAULT.
 */
static void drm_test_svm_access_beyond_eof(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, chunks_128k, 2);
	struct file *file = test_shmem_file(test, SZ_64K);
	struct drm_svm_range *r;
	unsigned long i;
	u64 valid;

	svm_test_mmap_file(t, file, B, SZ_128K, RW, MAP_SHARED);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B + PAGE_SIZE, RD, &r), 0);
	KUNIT_ASSERT_EQ(test, drm_svm_range_size(r), SZ_128K);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	for (i = 0; i < 2 * NPAGES_64K; i++)
		KUNIT_EXPECT_EQ(test, (int)r->addrs[i].valid, i < NPAGES_64K);

	valid = faults_valid(t);
	KUNIT_EXPECT_EQ(test, svm_test_fault_at(t, B + 7 * PAGE_SIZE, RD, NULL), 0);
	KUNIT_EXPECT_EQ(test, faults_valid(t), valid + 1);
	KUNIT_EXPECT_EQ(test, svm_test_fault_at(t, B + SZ_64K + PAGE_SIZE, RD, NULL),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, RD), -EFAULT);
	drm_svm_range_put(r);
}

/*
 * Test that &drm_svm_ctx.fault_size widens the pages a write needs: in
 * an untouched private file mapping exactly those get their own copy,
 * the window is clipped to the range, and the rest stays shared.
 */
static void drm_test_svm_access_write_window(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, chunks_64k, 2);
	struct file *file = test_shmem_file(test, SZ_64K);
	struct drm_svm_ctx ctx = {
		.fault_addr = B + 13 * PAGE_SIZE + 8,
		.fault_size = 2 * PAGE_SIZE,
		.access = WR,
	};
	struct drm_svm_range *r;
	unsigned long i;

	svm_test_mmap_file(t, file, B, SZ_64K, RW, MAP_PRIVATE);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B, RD, &r), 0);
	mutex_lock(&t->lock);
	KUNIT_ASSERT_EQ(test, drm_svm_range_get_pages(&t->svm, r, &ctx), 0);
	mutex_unlock(&t->lock);
	for (i = 0; i < NPAGES_64K; i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].valid);
		KUNIT_EXPECT_EQ(test, (int)r->addrs[i].writable, i == 13 || i == 14);
	}

	/* Past the end of the range: clipped, the last page alone. */
	ctx.fault_addr = B + 15 * PAGE_SIZE;
	ctx.fault_size = SZ_64K;
	mutex_lock(&t->lock);
	KUNIT_ASSERT_EQ(test, drm_svm_range_get_pages(&t->svm, r, &ctx), 0);
	mutex_unlock(&t->lock);
	for (i = 0; i < NPAGES_64K; i++)
		KUNIT_EXPECT_EQ(test, (int)r->addrs[i].writable, i >= 13);
	drm_svm_range_put(r);
}

/* Test that a fault address outside the range is refused. */
static void drm_test_svm_access_outside(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, chunks_64k, 2);
	struct drm_svm_ctx ctx = { .fault_addr = B + SZ_64K, .access = RD };
	struct drm_svm_range *r;

	svm_test_mmap(t, B, SZ_128K, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault_at(t, B, RD, &r), 0);
	mutex_lock(&t->lock);
	KUNIT_EXPECT_EQ(test, drm_svm_range_get_pages(&t->svm, r, &ctx), -EINVAL);
	mutex_unlock(&t->lock);
	drm_svm_range_put(r);
}

static struct kunit_case drm_svm_access_tests[] = {
	KUNIT_CASE(drm_test_svm_access_write_one_cow),
	KUNIT_CASE(drm_test_svm_access_write_clean),
	KUNIT_CASE(drm_test_svm_access_first_touch),
	KUNIT_CASE(drm_test_svm_access_beyond_eof),
	KUNIT_CASE(drm_test_svm_access_write_window),
	KUNIT_CASE(drm_test_svm_access_outside),
	{}
};

static struct kunit_suite drm_svm_access_suite = {
	.name = "drm_svm_access",
	.test_cases = drm_svm_access_tests,
};

kunit_test_suite(drm_svm_access_suite);
