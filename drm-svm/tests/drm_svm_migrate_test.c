// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of the device memory helpers: a mock device registers a
 * region with drm_svm_devmem_init(), backs its first pages with host
 * pages, migrates ranges of the test thread into it and gets them back
 * through CPU faults, eviction and munmap.
 */

#include <linux/completion.h>
#include <linux/highmem.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include <kunit/test.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_devmem.h>

#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define MOCK_SIZE	SZ_128M
#define MOCK_PAGES	64

struct mock_vram {
	struct drm_svm_devmem dm;
	struct page *backing[MOCK_PAGES];
	unsigned long next;
	atomic_t released;
	atomic_t copies;
	/* The test called drm_svm_devmem_fini() itself. */
	bool fini_done;
};

struct mock_alloc {
	struct drm_svm_devmem_alloc base;
	unsigned long first;
};

/* drm_svm_devmem_fini() of @mv from a worker. */
struct mock_fini {
	struct work_struct work;
	struct completion done;
	struct mock_vram *mv;
};

static struct mock_vram *to_mock(struct drm_svm_devmem *dm)
{
	return container_of(dm, struct mock_vram, dm);
}

static struct page *mock_backing(struct mock_vram *mv, struct page *dpage)
{
	return mv->backing[drm_svm_devmem_page_offset(&mv->dm, dpage) >> PAGE_SHIFT];
}

static int mock_copy_to_devmem(struct drm_svm_devmem *dm, struct page **src,
			       struct page **dst, unsigned long npages)
{
	struct mock_vram *mv = to_mock(dm);
	unsigned long i;

	atomic_inc(&mv->copies);
	for (i = 0; i < npages; i++) {
		if (!dst[i])
			continue;
		if (src[i])
			copy_highpage(mock_backing(mv, dst[i]), src[i]);
		else
			clear_highpage(mock_backing(mv, dst[i]));
	}
	return 0;
}

static int mock_copy_to_ram(struct drm_svm_devmem *dm, struct page **src,
			    struct page **dst, unsigned long npages)
{
	struct mock_vram *mv = to_mock(dm);
	unsigned long i;

	atomic_inc(&mv->copies);
	for (i = 0; i < npages; i++)
		if (src[i] && dst[i])
			copy_highpage(dst[i], mock_backing(mv, src[i]));
	return 0;
}

static void mock_alloc_pfns(struct drm_svm_devmem_alloc *alloc,
			    unsigned long *pfns)
{
	struct mock_alloc *ma = container_of(alloc, struct mock_alloc, base);
	unsigned long i;

	for (i = 0; i < alloc->npages; i++)
		pfns[i] = alloc->dm->base_pfn + ma->first + i;
}

static void mock_alloc_release(struct drm_svm_devmem_alloc *alloc)
{
	atomic_inc(&to_mock(alloc->dm)->released);
	kfree(container_of(alloc, struct mock_alloc, base));
}

static const struct drm_svm_devmem_ops mock_ops = {
	.copy_to_devmem = mock_copy_to_devmem,
	.copy_to_ram = mock_copy_to_ram,
	.alloc_pfns = mock_alloc_pfns,
	.alloc_release = mock_alloc_release,
};

static void mock_vram_release(void *data)
{
	struct mock_vram *mv = data;
	unsigned int i;

	if (!mv->fini_done)
		drm_svm_devmem_fini(&mv->dm);
	for (i = 0; i < MOCK_PAGES; i++)
		__free_page(mv->backing[i]);
}

static int mock_device_map(struct drm_svm *svm, struct page *page,
			   unsigned int order, dma_addr_t *addr)
{
	*addr = drm_svm_devmem_page_offset(drm_svm_devmem_of_page(page), page);
	return 0;
}

static struct mock_vram *mock_vram_create(struct kunit *test, struct svm_test *t)
{
	struct mock_vram *mv = kunit_kzalloc(test, sizeof(*mv), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, mv);
	for (i = 0; i < MOCK_PAGES; i++) {
		mv->backing[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, mv->backing[i]);
	}
	KUNIT_ASSERT_EQ(test, drm_svm_devmem_init(&mv->dm, t->dev, MOCK_SIZE, t,
						  &mock_ops), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mock_vram_release, mv), 0);
	t->ops.device_map = mock_device_map;
	t->svm.device_private_owner = t;
	return mv;
}

static struct mock_alloc *mock_alloc(struct kunit *test, struct mock_vram *mv,
				     unsigned long npages)
{
	struct mock_alloc *ma = kzalloc(sizeof(*ma), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ma);
	KUNIT_ASSERT_LE(test, mv->next + npages, MOCK_PAGES);
	ma->first = mv->next;
	mv->next += npages;
	drm_svm_devmem_alloc_init(&ma->base, &mv->dm, npages);
	return ma;
}

static int mock_migrate(struct svm_test *t, struct mock_alloc *ma,
			unsigned long start, unsigned long end, unsigned int flags,
			unsigned long *migrated)
{
	int err;

	mutex_lock(&t->lock);
	err = drm_svm_migrate_to_devmem(&t->svm, &ma->base, start, end, flags,
					migrated);
	mutex_unlock(&t->lock);
	return err;
}

/*
 * Migrate a range the GPU has mapped: the helper drops the mapping, the
 * pages come back as device pages, a CPU read faults the whole allocation
 * back in one go with the data intact, and the allocation is released.
 */
static void drm_test_svm_migrate_fault_back(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct mock_vram *mv = mock_vram_create(test, t);
	struct mock_alloc *ma;
	struct drm_svm_range *r;
	unsigned long n = 0, i;

	svm_test_mmap(t, B, SZ_64K, PROT_READ | PROT_WRITE);
	svm_test_fill(t, B, SZ_64K, 3);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, DRM_SVM_ACCESS_WRITE, &r), 0);

	ma = mock_alloc(test, mv, 16);
	KUNIT_ASSERT_EQ(test, mock_migrate(t, ma, B, B + SZ_64K, 0, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 16);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&ma->base.used), 16);
	KUNIT_EXPECT_EQ(test, atomic_read(&mv->copies), 1);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, DRM_SVM_ACCESS_WRITE), 0);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_TRUE(test, r->addrs[i].device);
	drm_svm_devmem_alloc_put(&ma->base);

	/* One CPU fault brings all 16 pages back, with one copy. */
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_64K, 3));
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.cpu_faults), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.migrated_to_ram), 16);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.pages_in_use), 0);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	drm_svm_devmem_flush(&mv->dm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mv->released), 1);
	drm_svm_range_put(r);
	svm_test_fini(t);
}

/* Untouched memory migrates as zeroed device pages; eviction brings it back. */
static void drm_test_svm_migrate_evict(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct mock_vram *mv = mock_vram_create(test, t);
	struct mock_alloc *ma;
	unsigned long n = 0;
	u8 v = 1;

	svm_test_mmap(t, B, SZ_64K, PROT_READ | PROT_WRITE);
	svm_test_fill(t, B, SZ_32K, 5);
	ma = mock_alloc(test, mv, 16);
	KUNIT_ASSERT_EQ(test, mock_migrate(t, ma, B, B + SZ_64K, 0, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 16);

	KUNIT_ASSERT_EQ(test, drm_svm_devmem_evict(&ma->base), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&ma->base.used), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.migrated_to_ram), 16);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.cpu_faults), 0);
	KUNIT_EXPECT_TRUE(test, svm_test_check(t, B, SZ_32K, 5));
	KUNIT_EXPECT_EQ(test, copy_from_user(&v, (void __user *)(B + SZ_32K), 1), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	drm_svm_devmem_alloc_put(&ma->base);
	drm_svm_devmem_flush(&mv->dm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mv->released), 1);
	svm_test_fini(t);
}

/*
 * munmap frees the device pages; the allocation goes with the last one.
 * All-or-nothing fails without moving anything when a page is already in
 * device memory, and a sub-range leaves the rest alone.
 */
static void drm_test_svm_migrate_munmap_all(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct mock_vram *mv = mock_vram_create(test, t);
	struct mock_alloc *ma, *mb;
	unsigned long n = 0;

	svm_test_mmap(t, B, SZ_64K, PROT_READ | PROT_WRITE);
	svm_test_fill(t, B, SZ_64K, 7);
	ma = mock_alloc(test, mv, 4);
	KUNIT_ASSERT_EQ(test, mock_migrate(t, ma, B + SZ_16K, B + SZ_32K, 0, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 4);

	mb = mock_alloc(test, mv, 16);
	KUNIT_EXPECT_EQ(test, mock_migrate(t, mb, B, B + SZ_64K, DRM_SVM_MIGRATE_ALL, &n),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&mb->base.used), 0);
	/* Mixed: the other 12 pages move, the 4 stay in the first allocation. */
	KUNIT_ASSERT_EQ(test, mock_migrate(t, mb, B, B + SZ_64K, 0, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 12);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.pages_in_use), 16);
	drm_svm_devmem_alloc_put(&ma->base);
	drm_svm_devmem_alloc_put(&mb->base);

	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.pages_in_use), 0);
	drm_svm_devmem_flush(&mv->dm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mv->released), 2);
	svm_test_fini(t);
}

/* Bad arguments move nothing. */
static void drm_test_svm_migrate_invalid(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct mock_vram *mv = mock_vram_create(test, t);
	struct mock_alloc *ma = mock_alloc(test, mv, 4);
	unsigned long n = 1;

	svm_test_mmap(t, B, SZ_64K, PROT_READ | PROT_WRITE);
	KUNIT_EXPECT_EQ(test, mock_migrate(t, ma, B, B + SZ_32K, 0, &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_EQ(test, mock_migrate(t, ma, B + 1, B + SZ_4K, 0, &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, mock_migrate(t, ma, B, B, 0, &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, mock_migrate(t, ma, B, B + SZ_4K, 2, &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, mock_migrate(t, ma, B + SZ_1M, B + SZ_1M + SZ_4K, 0, &n),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mv->dm.pages_in_use), 0);
	KUNIT_EXPECT_EQ(test, drm_svm_migrate_to_ram(&t->svm, B, B + 1, NULL), -EINVAL);
	drm_svm_devmem_alloc_put(&ma->base);
	svm_test_fini(t);
}

static void mock_fini_work(struct work_struct *work)
{
	struct mock_fini *mf = container_of(work, struct mock_fini, work);

	drm_svm_devmem_fini(&mf->mv->dm);
	complete(&mf->done);
}

/*
 * drm_svm_devmem_fini() waits for a device page still referenced after
 * its mapping went, and the allocation that page releases last is
 * released, not queued to a workqueue that is gone.
 */
static void drm_test_svm_migrate_fini_waits(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct mock_fini mf = { .mv = mock_vram_create(test, t) };
	struct mock_alloc *ma = mock_alloc(test, mf.mv, 1);
	struct page *dpage;
	unsigned long n = 0;

	svm_test_mmap(t, B, SZ_4K, PROT_READ | PROT_WRITE);
	svm_test_fill(t, B, SZ_4K, 4);
	KUNIT_ASSERT_EQ(test, mock_migrate(t, ma, B, B + SZ_4K, 0, &n), 0);
	KUNIT_ASSERT_EQ(test, n, 1);
	dpage = pfn_to_page(mf.mv->dm.base_pfn + ma->first);
	get_page(dpage);
	drm_svm_devmem_alloc_put(&ma->base);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_4K), 0);
	svm_test_fini(t);

	INIT_WORK_ONSTACK(&mf.work, mock_fini_work);
	init_completion(&mf.done);
	mf.mv->fini_done = true;
	queue_work(system_unbound_wq, &mf.work);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&mf.done,
							  msecs_to_jiffies(50)), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mf.mv->released), 0);
	put_page(dpage);
	wait_for_completion(&mf.done);
	destroy_work_on_stack(&mf.work);
	KUNIT_EXPECT_EQ(test, atomic_read(&mf.mv->released), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mf.mv->dm.pages_in_use), 0);
}

static struct kunit_case drm_svm_migrate_tests[] = {
	KUNIT_CASE(drm_test_svm_migrate_fault_back),
	KUNIT_CASE(drm_test_svm_migrate_evict),
	KUNIT_CASE(drm_test_svm_migrate_munmap_all),
	KUNIT_CASE(drm_test_svm_migrate_invalid),
	KUNIT_CASE(drm_test_svm_migrate_fini_waits),
	{}
};

static struct kunit_suite drm_svm_migrate_suite = {
	.name = "drm_svm_migrate",
	.test_cases = drm_svm_migrate_tests,
};

kunit_test_suite(drm_svm_migrate_suite);
