// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_devmem.h>

#include "drm_svm_internal.h"

/**
 * DOC: Device memory
 *
 * A driver registers its device memory ("VRAM") as a region of
 * MEMORY_DEVICE_PRIVATE ZONE_DEVICE pages with drm_svm_devmem_init(): the
 * core MM then has a &struct page per device page, which it puts in CPU
 * page tables as device-private swap entries once data is migrated there
 * (drm_svm_migrate_to_devmem()). The region's &dev_pagemap_ops are the
 * helper's:
 *
 * - page_free: a device page lost its last user (munmap, process exit,
 *   migration back to RAM, copy-on-write break). The page drops its
 *   reference on its allocation (&struct drm_svm_devmem_alloc, in
 *   &page.zone_device_data); when an allocation has neither pages in use
 *   nor driver references, &drm_svm_devmem_ops.alloc_release gives it
 *   back to the driver's allocator, from a work item, since page_free may
 *   run under a page-table spinlock.
 *
 * - migrate_to_ram: a CPU access to a device page. See DOC: Migration.
 *
 * The region's owner (&dev_pagemap.owner) is what the driver passes as
 * &drm_svm_config.device_private_owner: hmm_range_fault() hands pages of
 * that owner to the driver as they are, and migrates pages of any other
 * owner (another device) back to system memory first. Pages of another
 * device are therefore never mapped by mistake; device-to-device
 * migration goes through system memory.
 *
 * Eviction (drm_svm_devmem_evict()) moves the pages of one allocation
 * back to system memory without knowing which process or address maps
 * them: migrate_device_range() over each run of contiguous pfns (6.12
 * has no migrate_device_pfns()), retried while a page is busy (a
 * concurrent CPU fault migrating it already).
 */

/*
 * Eviction passes before drm_svm_devmem_evict() gives up on pages a
 * concurrent migration keeps busy; the first passes only yield the CPU,
 * the later ones sleep a jiffy in between.
 */
#define DRM_SVM_EVICT_TRIES		100
#define DRM_SVM_EVICT_SPIN_TRIES	3

static struct drm_svm_devmem_alloc *drm_svm_page_alloc(struct page *page)
{
	return page->zone_device_data;
}

/**
 * drm_svm_devmem_of_page() - the region of a device page
 * @page: a device-private page registered through drm_svm_devmem_init()
 *
 * Return: the region.
 */
struct drm_svm_devmem *drm_svm_devmem_of_page(struct page *page)
{
	return container_of(page->pgmap, struct drm_svm_devmem, pagemap);
}
EXPORT_SYMBOL_GPL(drm_svm_devmem_of_page);

static void drm_svm_devmem_alloc_release_work(struct work_struct *work)
{
	struct drm_svm_devmem_alloc *alloc =
		container_of(work, struct drm_svm_devmem_alloc, release_work);

	struct drm_svm_devmem *dm = alloc->dm;

	dm->ops->alloc_release(alloc);
	atomic_dec(&dm->releases_pending);
}

static void drm_svm_devmem_alloc_release(struct kref *kref)
{
	struct drm_svm_devmem_alloc *alloc =
		container_of(kref, struct drm_svm_devmem_alloc, refcount);

	/* Only a driver putting its reference after drm_svm_devmem_fini(). */
	if (WARN_ON_ONCE(!alloc->dm->wq))
		return;
	atomic_inc(&alloc->dm->releases_pending);
	queue_work(alloc->dm->wq, &alloc->release_work);
}

/**
 * drm_svm_devmem_flush() - wait for allocation releases in flight
 * @dm: the region
 *
 * A driver out of device memory calls it before evicting: allocations
 * whose last page was just freed give their memory back. Must not be
 * called from &drm_svm_devmem_ops.alloc_release.
 *
 * Return: true if releases were pending.
 */
bool drm_svm_devmem_flush(struct drm_svm_devmem *dm)
{
	bool pending = atomic_read(&dm->releases_pending);

	flush_workqueue(dm->wq);
	return pending;
}
EXPORT_SYMBOL_GPL(drm_svm_devmem_flush);

/**
 * drm_svm_devmem_alloc_init() - initialise an allocation
 * @alloc: the allocation, embedded in the driver's
 * @dm: the region its pages belong to
 * @npages: number of device pages
 *
 * The caller holds the only reference.
 */
void drm_svm_devmem_alloc_init(struct drm_svm_devmem_alloc *alloc,
			       struct drm_svm_devmem *dm, unsigned long npages)
{
	alloc->dm = dm;
	alloc->npages = npages;
	atomic_long_set(&alloc->used, 0);
	kref_init(&alloc->refcount);
	INIT_WORK(&alloc->release_work, drm_svm_devmem_alloc_release_work);
}
EXPORT_SYMBOL_GPL(drm_svm_devmem_alloc_init);

/**
 * drm_svm_devmem_alloc_put() - drop a reference on an allocation
 * @alloc: the allocation
 *
 * May be called from any context; the release runs from a work item.
 */
void drm_svm_devmem_alloc_put(struct drm_svm_devmem_alloc *alloc)
{
	kref_put(&alloc->refcount, drm_svm_devmem_alloc_release);
}
EXPORT_SYMBOL_GPL(drm_svm_devmem_alloc_put);

/* Make @page a used page of @alloc; the page is locked, refcount 1. */
void drm_svm_devmem_page_init(struct drm_svm_devmem_alloc *alloc,
			      struct page *page)
{
	zone_device_page_init(page);
	page->zone_device_data = drm_svm_devmem_alloc_get(alloc);
	atomic_long_inc(&alloc->used);
	atomic64_inc(&alloc->dm->pages_in_use);
}

static void drm_svm_devmem_page_free(struct page *page)
{
	struct drm_svm_devmem_alloc *alloc = drm_svm_page_alloc(page);

	page->zone_device_data = NULL;
	atomic64_dec(&alloc->dm->pages_in_use);
	atomic_long_dec(&alloc->used);
	drm_svm_devmem_alloc_put(alloc);
}

static const struct dev_pagemap_ops drm_svm_devmem_pagemap_ops = {
	.page_free = drm_svm_devmem_page_free,
	.migrate_to_ram = drm_svm_devmem_migrate_to_ram,
};

/**
 * drm_svm_devmem_init() - register device memory as device-private pages
 * @dm: the region, embedded in the driver's device
 * @dev: the device
 * @size: size in bytes, a multiple of the memory section size (128 MiB
 *	on x86-64) is used best; rounded up to whole pages
 * @owner: &dev_pagemap.owner, unique per device (e.g. the device itself)
 * @ops: driver callbacks, all required
 *
 * Reserves a free physical address range for the pages and creates their
 * &struct page with memremap_pages().
 *
 * Return: 0; -EINVAL for a zero @size, a NULL @owner or missing ops;
 * -ENOMEM or -EBUSY when no address range is free; an error of
 * memremap_pages().
 */
int drm_svm_devmem_init(struct drm_svm_devmem *dm, struct device *dev,
			unsigned long size, void *owner,
			const struct drm_svm_devmem_ops *ops)
{
	void *addr;

	if (!size || !owner || !ops || !ops->copy_to_devmem ||
	    !ops->copy_to_ram || !ops->alloc_pfns || !ops->alloc_release)
		return -EINVAL;

	memset(dm, 0, sizeof(*dm));
	dm->dev = dev;
	dm->ops = ops;
	dm->size = PAGE_ALIGN(size);
	dm->wq = alloc_workqueue("drm_svm_devmem", WQ_UNBOUND, 0);
	if (!dm->wq)
		return -ENOMEM;
	dm->res = request_free_mem_region(&iomem_resource, dm->size,
					  dev_name(dev));
	if (IS_ERR(dm->res)) {
		destroy_workqueue(dm->wq);
		return PTR_ERR(dm->res);
	}

	dm->pagemap.type = MEMORY_DEVICE_PRIVATE;
	dm->pagemap.range.start = dm->res->start;
	dm->pagemap.range.end = dm->res->start + dm->size - 1;
	dm->pagemap.nr_range = 1;
	dm->pagemap.ops = &drm_svm_devmem_pagemap_ops;
	dm->pagemap.owner = owner;
	addr = memremap_pages(&dm->pagemap, dev_to_node(dev));
	if (IS_ERR(addr)) {
		release_mem_region(dm->res->start, resource_size(dm->res));
		destroy_workqueue(dm->wq);
		return PTR_ERR(addr);
	}
	dm->base_pfn = PHYS_PFN(dm->res->start);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_svm_devmem_init);

/**
 * drm_svm_devmem_fini() - unregister device memory
 * @dm: the region
 *
 * The driver evicted every allocation first (drm_svm_devmem_evict()) and
 * dropped its own allocation references. Pages still referenced for a
 * moment (a migration or a page-table walk finishing) are waited for:
 * memunmap_pages() returns once every device page is free, and only then
 * is the release workqueue destroyed, so the releases those last pages
 * queue still run, and none can be queued after it is gone.
 *
 * Context: Process context; sleeps.
 */
void drm_svm_devmem_fini(struct drm_svm_devmem *dm)
{
	memunmap_pages(&dm->pagemap);
	destroy_workqueue(dm->wq);
	dm->wq = NULL;
	WARN_ON(atomic64_read(&dm->pages_in_use));
	WARN_ON(atomic_read(&dm->releases_pending));
	release_mem_region(dm->res->start, resource_size(dm->res));
}
EXPORT_SYMBOL_GPL(drm_svm_devmem_fini);

/*
 * Evict the pages of one run of contiguous pfns, @b being the arrays of
 * this run: migrate_device_range() collects them, the migration core
 * copies them. Returns the number of pages of the run still in use.
 */
static unsigned long drm_svm_devmem_evict_run(unsigned long pfn,
					      struct drm_svm_migrate_buf *b)
{
	unsigned long i, left, stay;

	migrate_device_range(b->src, pfn, b->npages);
	/* Not collected but referenced: a concurrent migration has it. */
	for (i = 0, left = 0; i < b->npages; i++)
		if (!(b->src[i] & MIGRATE_PFN_MIGRATE) &&
		    page_ref_count(pfn_to_page(pfn + i)))
			left++;

	/* A failed copy leaves the pages where they are, for the next pass. */
	drm_svm_migrate_copy_to_ram(b, NULL, 0, &stay);
	left += stay;
	migrate_device_pages(b->src, b->dst, b->npages);
	drm_svm_migrate_count_to_ram(b);
	migrate_device_finalize(b->src, b->dst, b->npages);
	return left;
}

/* One eviction pass over every run of contiguous pfns in @pfns. */
static unsigned long drm_svm_devmem_evict_pass(const unsigned long *pfns,
					       struct drm_svm_migrate_buf *b,
					       unsigned long npages)
{
	unsigned long i = 0, n, busy = 0;

	while (i < npages) {
		struct drm_svm_migrate_buf run = {
			.src = b->src + i,
			.dst = b->dst + i,
			.spages = b->spages + i,
			.dpages = b->dpages + i,
		};

		for (n = 1; i + n < npages && pfns[i + n] == pfns[i] + n; n++)
			;
		run.npages = n;
		busy += drm_svm_devmem_evict_run(pfns[i], &run);
		i += n;
	}
	return busy;
}

/**
 * drm_svm_devmem_evict() - move an allocation's pages to system memory
 * @alloc: the allocation; the caller holds a reference
 *
 * Migrates every device page of @alloc that holds data back to system
 * memory, whoever maps it, without an mm or VMA: the CPU page tables then
 * point to the copies and the GPU mappings are invalidated through the
 * MMU notifiers. Takes no driver lock; must be called without the
 * mmap_lock of any process that may map the pages. Retries, a bounded
 * number of times, pages a concurrent migration holds.
 *
 * Return: 0 once no page of @alloc is in use; -EBUSY if some stayed busy;
 * -ENOMEM.
 */
int drm_svm_devmem_evict(struct drm_svm_devmem_alloc *alloc)
{
	struct drm_svm_migrate_buf b = {};
	unsigned long *pfns;
	unsigned int tries;
	int err;

	pfns = kvmalloc_array(alloc->npages, sizeof(*pfns), GFP_KERNEL);
	err = drm_svm_migrate_buf_alloc(&b, alloc->npages);
	if (err || !pfns) {
		err = -ENOMEM;
		goto out_free;
	}
	alloc->dm->ops->alloc_pfns(alloc, pfns);

	for (tries = 0; atomic_long_read(&alloc->used); tries++) {
		if (tries >= DRM_SVM_EVICT_TRIES) {
			err = -EBUSY;
			break;
		}
		if (!drm_svm_devmem_evict_pass(pfns, &b, alloc->npages))
			break;
		cond_resched();
		if (tries >= DRM_SVM_EVICT_SPIN_TRIES)
			schedule_timeout_uninterruptible(1);
	}

out_free:
	drm_svm_migrate_buf_free(&b);
	kvfree(pfns);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_devmem_evict);
