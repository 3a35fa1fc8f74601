// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of drm_svm_pages.c: getting (and DMA-mapping) the pages of a
 * range for read and write faults, zero pages, copy-on-write and THP.
 */

#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
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

/*
 * Test that a write fault maps every page of the range writable, to the
 * page the CPU maps, and that a second fault finds the pages valid.
 */
static void drm_test_svm_get_pages_write(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	struct drm_svm_range *r;
	struct drm_svm_stats s;
	unsigned long i;

	svm_test_mmap(t, B, SZ_1M, RW);
	svm_test_fill(t, B, SZ_1M, 1);

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B + SZ_8K, WR, &r), 0);
	svm_test_expect_range(test, r, B, SZ_512K);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	for (i = 0; i < drm_svm_range_npages(r); i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].writable);
		KUNIT_EXPECT_FALSE(test, r->addrs[i].device);
		KUNIT_EXPECT_EQ(test, r->addrs[i].order, 0);
	}
	svm_test_expect_entries_match_cpu(t, r);

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
	struct svm_test *t = svm_test_create_small(test);
	struct page *zero = ZERO_PAGE(0);
	struct drm_svm_range *r;
	unsigned long i, n;

	svm_test_mmap(t, B, SZ_64K, RW);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, RD, &r), 0);
	svm_test_expect_range(test, r, B, SZ_64K);
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
	svm_test_expect_inv(t, 0, B, B + SZ_64K, DRM_SVM_INVAL_REMAP, -1);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_NE(test, svm_test_entry_page(t, &r->addrs[i]),
					    zero);
	}
	svm_test_expect_entries_match_cpu(t, r);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), n);
	drm_svm_range_put(r);
	svm_test_fini(t);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);
}

/*
 * Test that a read fault on a private file mapping maps the page cache
 * page read-only (copy-on-write not broken: it is the very page a shared
 * mapping of the file maps), and that a write fault then breaks COW: the
 * GPU gets a private copy with the same data and the file is unchanged.
 */
static void drm_test_svm_get_pages_cow(struct kunit *test)
{
	struct svm_test *t = svm_test_create_small(test);
	unsigned long shared = B, priv = B + SZ_1M;
	struct drm_svm_range *rs, *rp;
	struct file *file;
	unsigned long i;

	file = shmem_file_setup("drm_svm_test", SZ_64K, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, svm_test_fput_action, file), 0);
	svm_test_mmap_file(t, file, shared, SZ_64K, RW, MAP_SHARED);
	svm_test_mmap_file(t, file, priv, SZ_64K, RW, MAP_PRIVATE);
	svm_test_fill(t, shared, SZ_64K, 2);

	KUNIT_ASSERT_EQ(test, svm_test_fault(t, shared, WR, &rs), 0);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, priv, RD, &rp), 0);
	svm_test_expect_range(test, rp, priv, SZ_64K);
	for (i = 0; i < drm_svm_range_npages(rp); i++) {
		KUNIT_EXPECT_FALSE(test, rp->addrs[i].writable);
		KUNIT_EXPECT_TRUE(test, rs->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_EQ(test, svm_test_entry_page(t, &rp->addrs[i]),
					    svm_test_entry_page(t, &rs->addrs[i]));
	}
	svm_test_expect_entries_match_cpu(t, rp);
	KUNIT_EXPECT_EQ(test, t->ninv, 0);

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, rp, WR), 0);
	for (i = 0; i < drm_svm_range_npages(rp); i++) {
		KUNIT_EXPECT_TRUE(test, rp->addrs[i].writable);
		if (svm_test_dma_direct(t))
			KUNIT_EXPECT_PTR_NE(test, svm_test_entry_page(t, &rp->addrs[i]),
					    svm_test_entry_page(t, &rs->addrs[i]));
	}
	svm_test_expect_entries_match_cpu(t, rp);
	/* The shared range was not touched by breaking COW on the private one. */
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, rs));
	svm_test_expect_entries_match_cpu(t, rs);
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
	struct svm_test *t = svm_test_create_small(test);
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
	svm_test_expect_range(test, r, B, SZ_2M);
	for (i = 0; i < drm_svm_range_npages(r); i++) {
		KUNIT_EXPECT_EQ(test, r->addrs[i].order, PMD_SHIFT - PAGE_SHIFT);
		KUNIT_EXPECT_EQ(test, r->addrs[i].addr, r->addrs[0].addr + i * PAGE_SIZE);
	}
	svm_test_expect_entries_match_cpu(t, r);
	drm_svm_range_put(r);

	r = svm_test_find_or_insert(t, B + SZ_2M + SZ_64K, B + SZ_2M + SZ_64K,
				    B + SZ_2M + SZ_128K, WR);
	svm_test_expect_range(test, r, B + SZ_2M + SZ_64K, SZ_64K);
	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, WR), 0);
	for (i = 0; i < drm_svm_range_npages(r); i++)
		KUNIT_EXPECT_EQ(test, r->addrs[i].order, 4);
	svm_test_expect_entries_match_cpu(t, r);
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

kunit_test_suite(drm_svm_pages_suite);
