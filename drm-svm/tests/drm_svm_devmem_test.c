// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * KUnit tests of drm_svm with device-private memory: a mock device owns a
 * MEMORY_DEVICE_PRIVATE region, migrates one page of a range into it with
 * migrate_vma_*(), and the range then mixes system and device pages.
 */

#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_test_util.h"

#define B SVM_TEST_BASE
#define DEVMEM_SIZE		SZ_128M
#define DEVMEM_ADDR_BASE	0xd00000000000ULL

/* The mock device memory: one section-aligned device-private region. */
struct svm_devmem {
	struct dev_pagemap pagemap;
	struct resource *res;
	unsigned long next_pfn;
	atomic_t freed;
};

static struct svm_devmem *to_devmem(struct page *page)
{
	return container_of(page->pgmap, struct svm_devmem, pagemap);
}

static void devmem_page_free(struct page *page)
{
	atomic_inc(&to_devmem(page)->freed);
}

/* The tests never touch device pages from the CPU. */
static vm_fault_t devmem_migrate_to_ram(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct dev_pagemap_ops devmem_ops = {
	.page_free = devmem_page_free,
	.migrate_to_ram = devmem_migrate_to_ram,
};

static void devmem_release(void *data)
{
	struct svm_devmem *dm = data;

	memunmap_pages(&dm->pagemap);
	release_mem_region(dm->res->start, resource_size(dm->res));
}

static struct svm_devmem *devmem_create(struct kunit *test, void *owner)
{
	struct svm_devmem *dm;
	void *ptr;

	dm = kunit_kzalloc(test, sizeof(*dm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dm);
	dm->res = request_free_mem_region(&iomem_resource, DEVMEM_SIZE, "drm_svm_test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dm->res);
	dm->pagemap.type = MEMORY_DEVICE_PRIVATE;
	dm->pagemap.range.start = dm->res->start;
	dm->pagemap.range.end = dm->res->end;
	dm->pagemap.nr_range = 1;
	dm->pagemap.ops = &devmem_ops;
	dm->pagemap.owner = owner;
	ptr = memremap_pages(&dm->pagemap, NUMA_NO_NODE);
	if (IS_ERR(ptr)) {
		release_mem_region(dm->res->start, resource_size(dm->res));
		KUNIT_FAIL_AND_ABORT(test, "memremap_pages: %ld", PTR_ERR(ptr));
	}
	dm->next_pfn = PHYS_PFN(dm->res->start);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, devmem_release, dm), 0);
	return dm;
}

/* The driver's device address of a device page. */
static dma_addr_t devmem_addr(struct page *page)
{
	return DEVMEM_ADDR_BASE + ((page_to_pfn(page) - PHYS_PFN(to_devmem(page)->res->start))
				   << PAGE_SHIFT);
}

static int devmem_device_map(struct drm_svm *svm, struct page *page,
			     unsigned int order, dma_addr_t *addr)
{
	if (page->pgmap->owner != svm->device_private_owner)
		return -EINVAL;
	*addr = devmem_addr(page);
	return 0;
}

/* Migrate the page at @addr into device memory; returns the device page. */
static struct page *devmem_migrate(struct kunit *test, struct svm_devmem *dm,
				   unsigned long addr)
{
	unsigned long src = 0, dst = 0;
	struct migrate_vma args = {
		.start = addr,
		.end = addr + PAGE_SIZE,
		.src = &src,
		.dst = &dst,
		.pgmap_owner = dm->pagemap.owner,
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
	};
	struct page *dpage = NULL;
	int err;

	mmap_read_lock(current->mm);
	args.vma = vma_lookup(current->mm, addr);
	err = args.vma ? migrate_vma_setup(&args) : -ENOENT;
	if (!err && (src & MIGRATE_PFN_MIGRATE)) {
		dpage = pfn_to_page(dm->next_pfn++);
		zone_device_page_init(dpage);
		dst = migrate_pfn(page_to_pfn(dpage)) | MIGRATE_PFN_WRITE;
	}
	if (!err) {
		migrate_vma_pages(&args);
		migrate_vma_finalize(&args);
	}
	mmap_read_unlock(current->mm);

	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_NOT_NULL(test, dpage);
	KUNIT_ASSERT_TRUE(test, dst & MIGRATE_PFN_VALID);
	return dpage;
}

/*
 * Test a range mixing system and device-private pages: the helper maps
 * the device page through the driver's device_map callback and records
 * it as device memory, the system pages through the DMA API; the
 * migration's own MMU_NOTIFY_MIGRATE event zaps nothing; without
 * device_map the range cannot be mapped (-EOPNOTSUPP).
 */
static void drm_test_svm_devmem_mixed(struct kunit *test)
{
	struct svm_test *t = svm_test_create(test, 0, NULL, 0);
	struct drm_svm_range *r;
	struct drm_svm_stats s;
	struct svm_devmem *dm;
	struct page *dpage;
	unsigned long i;

	t->ops.device_map = devmem_device_map;
	t->svm.device_private_owner = t;
	dm = devmem_create(test, t);

	svm_test_mmap(t, B, SZ_64K, PROT_READ | PROT_WRITE);
	svm_test_fill(t, B, SZ_64K, 9);
	KUNIT_ASSERT_EQ(test, svm_test_fault(t, B, DRM_SVM_ACCESS_WRITE, &r), 0);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 16);

	/* The driver drops the pages before migrating them. */
	drm_svm_range_unmap_pages(&t->svm, r);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	/* As drm_svm_migrate_to_devmem() does around migrate_vma_setup(). */
	WRITE_ONCE(t->svm.migrating, current);
	dpage = devmem_migrate(test, dm, B + SZ_4K);
	WRITE_ONCE(t->svm.migrating, NULL);
	KUNIT_EXPECT_EQ(test, t->ninv, 1);
	drm_svm_stats_read(&t->svm, &s);
	KUNIT_EXPECT_GE(test, s.invalidations_skipped, 1);
	KUNIT_EXPECT_EQ(test, s.invalidations, 0);

	KUNIT_ASSERT_EQ(test, svm_test_get_pages(t, r, DRM_SVM_ACCESS_READ), 0);
	KUNIT_EXPECT_TRUE(test, svm_test_valid(t, r));
	for (i = 0; i < drm_svm_range_npages(r); i++) {
		KUNIT_EXPECT_TRUE(test, r->addrs[i].valid);
		KUNIT_EXPECT_EQ(test, (int)r->addrs[i].device, i == 1);
	}
	KUNIT_EXPECT_EQ(test, r->addrs[1].addr, devmem_addr(dpage));
	KUNIT_EXPECT_EQ(test, r->addrs[1].order, 0);
	KUNIT_EXPECT_TRUE(test, r->addrs[1].writable);
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 16);

	/* A driver without device_map cannot use device pages. */
	drm_svm_range_unmap_pages(&t->svm, r);
	t->ops.device_map = NULL;
	KUNIT_EXPECT_EQ(test, svm_test_get_pages(t, r, DRM_SVM_ACCESS_READ), -EOPNOTSUPP);
	KUNIT_EXPECT_FALSE(test, svm_test_valid(t, r));
	KUNIT_EXPECT_EQ(test, svm_test_stat_mapped(t), 0);

	/* Unmapping the memory frees the device page. */
	drm_svm_range_put(r);
	KUNIT_ASSERT_EQ(test, vm_munmap(B, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&dm->freed), 1);
	svm_test_fini(t);
}

static struct kunit_case drm_svm_devmem_tests[] = {
	KUNIT_CASE(drm_test_svm_devmem_mixed),
	{}
};

static struct kunit_suite drm_svm_devmem_suite = {
	.name = "drm_svm_devmem",
	.test_cases = drm_svm_devmem_tests,
};

kunit_test_suite(drm_svm_devmem_suite);
