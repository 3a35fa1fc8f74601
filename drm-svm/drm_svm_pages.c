// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"

/**
 * DOC: Pages
 *
 * drm_svm_range_get_pages() follows the pattern of Documentation/mm/hmm.rst:
 * read the notifier sequence, hmm_range_fault() under the mmap_lock
 * (retrying while it returns -EBUSY), map the pages, then take the
 * notifier lock and publish the result only if no invalidation happened
 * in between; otherwise unmap and start over, until the timeout of
 * &drm_svm_ctx expires (-EBUSY).
 *
 * The fault asks the CPU for the access the GPU needs: a read fault does
 * not request write access, so copy-on-write pages stay shared and
 * read-only mappings work; the pages' writability is recorded per page in
 * &drm_svm_addr.writable. A later write fault on a range with read-only
 * pages invalidates and refaults it.
 *
 * System pages are DMA-mapped for &drm_svm.dev (for read only when the CPU
 * maps them read-only), a huge page in one piece of the largest order
 * hmm_pfn_to_map_order() allows inside the range. Device pages with the
 * context's owner are translated by &drm_svm_ops.device_map. One range may
 * mix both; &drm_svm_addr.device tells them apart.
 *
 * Pages are mapped without the notifier lock held (and so without
 * allocating under it). Mappings the GPU may still be using are only ever
 * dropped after &drm_svm_ops.invalidate returned for them.
 */

static enum dma_data_direction drm_svm_dma_dir(bool writable)
{
	return writable ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE;
}

/* Largest order <= the CPU mapping order that is aligned and fits. */
static unsigned int drm_svm_map_order(unsigned long hmm_pfn, unsigned long idx,
				      unsigned long npages)
{
	unsigned long pfn = page_to_pfn(hmm_pfn_to_page(hmm_pfn));
	unsigned int order = hmm_pfn_to_map_order(hmm_pfn);

	while (order && (((idx | pfn) & ((1UL << order) - 1)) ||
			 (1UL << order) > npages - idx))
		order--;
	return order;
}

static bool drm_svm_page_is_ours(const struct drm_svm *svm, struct page *page)
{
	return svm->device_private_owner &&
	       (is_device_private_page(page) || is_device_coherent_page(page)) &&
	       page->pgmap->owner == svm->device_private_owner;
}

/*
 * Several contexts (two GPUs, two VMs, parent and child after fork) may map
 * the same page for the device at the same time, which DMA-API debugging
 * reports as overlapping mappings unless the map skips the CPU sync. Skip
 * it and sync explicitly, which is the same as a plain map and unmap.
 */
static dma_addr_t drm_svm_dma_map(struct device *dev, struct page *page,
				  size_t size, enum dma_data_direction dir)
{
	dma_addr_t addr;

	addr = dma_map_page_attrs(dev, page, 0, size, dir,
				  DMA_ATTR_SKIP_CPU_SYNC);
	if (!dma_mapping_error(dev, addr))
		dma_sync_single_for_device(dev, addr, size, dir);
	return addr;
}

static void drm_svm_dma_unmap(struct device *dev, dma_addr_t addr,
			      size_t size, enum dma_data_direction dir)
{
	dma_sync_single_for_cpu(dev, addr, size, dir);
	dma_unmap_page_attrs(dev, addr, size, dir, DMA_ATTR_SKIP_CPU_SYNC);
}

/*
 * The zero page is mapped once per context (drm_svm_init()): a read fault
 * on untouched memory would otherwise map it once per page.
 */
static void drm_svm_map_zero(struct drm_svm *svm, struct drm_svm_addr *a)
{
	*a = (struct drm_svm_addr) {
		.addr = svm->zero_dma, .valid = 1, .zero = 1,
	};
	drm_svm_stat_inc(svm, mappings_by_order[0]);
	drm_svm_stat_add(svm, mapped_pages, 1);
}

/* Map one piece of 2^@order pages starting at @page into @a. */
static int drm_svm_map_piece(struct drm_svm *svm, struct page *page,
			     unsigned int order, bool writable,
			     struct drm_svm_addr *a)
{
	unsigned long i, n = 1UL << order;
	dma_addr_t addr;
	bool device;
	int err;

	device = drm_svm_page_is_ours(svm, page);
	if (device) {
		if (!svm->ops->device_map)
			return -EOPNOTSUPP;
		err = svm->ops->device_map(svm, page, order, &addr);
		if (err)
			return err;
	} else {
		if (is_device_private_page(page) || is_pci_p2pdma_page(page))
			return -EOPNOTSUPP;
		if (!order && is_zero_pfn(page_to_pfn(page))) {
			drm_svm_map_zero(svm, a);
			return 0;
		}
		addr = drm_svm_dma_map(svm->dev, page, PAGE_SIZE << order,
				       drm_svm_dma_dir(writable));
		if (dma_mapping_error(svm->dev, addr))
			return -ENOMEM;
	}

	for (i = 0; i < n; i++) {
		a[i].addr = addr + (i << PAGE_SHIFT);
		a[i].order = order;
		a[i].device = device;
		a[i].writable = writable;
		a[i].zero = 0;
		a[i].valid = 1;
	}

	drm_svm_stat_inc(svm, mappings_by_order[min_t(unsigned int, order,
						      DRM_SVM_STATS_ORDERS - 1)]);
	drm_svm_stat_add(svm, mapped_pages, n);
	return 0;
}

/* Unmap the piece starting at @a (its first entry) and clear its entries. */
static unsigned long drm_svm_unmap_piece(struct drm_svm *svm,
					 struct drm_svm_addr *a)
{
	unsigned long i, n = 1UL << a->order;

	if (!a->device && !a->zero)
		drm_svm_dma_unmap(svm->dev, a->addr, PAGE_SIZE << a->order,
				  drm_svm_dma_dir(a->writable));
	for (i = 0; i < n; i++)
		a[i].valid = 0;

	drm_svm_stat_add(svm, mapped_pages, -(s64)n);
	return n;
}

/* Unmap every piece of @addrs, an array of @npages entries. */
void drm_svm_addrs_unmap(struct drm_svm *svm, struct drm_svm_addr *addrs,
			 unsigned long npages)
{
	unsigned long i = 0;

	while (i < npages) {
		if (addrs[i].valid)
			i += drm_svm_unmap_piece(svm, &addrs[i]);
		else
			i++;
	}
}

/*
 * drm_svm_range_unmap_locked() - unmap the pages of @range in [start, end)
 *
 * Pieces cut by the interval are unmapped whole; the caller made sure the
 * GPU no longer uses any of them. Marks the range invalid.
 */
void drm_svm_range_unmap_locked(struct drm_svm *svm, struct drm_svm_range *range,
				unsigned long start, unsigned long end)
{
	unsigned long rstart = drm_svm_range_start(range);
	unsigned long i, last;

	lockdep_assert_held_write(&svm->notifier_lock);

	range->valid = 0;
	start = max(start, rstart);
	end = min(end, drm_svm_range_end(range));
	if (!range->nr_mapped || start >= end)
		return;

	i = (start - rstart) >> PAGE_SHIFT;
	last = (end - rstart) >> PAGE_SHIFT;
	while (i < last) {
		struct drm_svm_addr *a = &range->addrs[i];

		if (a->valid) {
			i = ALIGN_DOWN(i, 1UL << a->order);
			a = &range->addrs[i];
			drm_svm_atomic_drop_locked(svm, range, i, 1UL << a->order);
			range->nr_mapped -= drm_svm_unmap_piece(svm, a);
			i += 1UL << a->order;
		} else {
			i++;
		}
	}
}

static int drm_svm_map_pages(struct drm_svm *svm, const unsigned long *pfns,
			     struct drm_svm_addr *addrs, unsigned long npages,
			     bool *writable)
{
	unsigned long i;
	int err;

	*writable = true;
	for (i = 0; i < npages; i += 1UL << addrs[i].order) {
		unsigned long hmm_pfn = pfns[i];
		bool w = hmm_pfn & HMM_PFN_WRITE;

		if (!(hmm_pfn & HMM_PFN_VALID) || (hmm_pfn & HMM_PFN_ERROR)) {
			err = -EFAULT;
			goto err_unmap;
		}
		err = drm_svm_map_piece(svm, hmm_pfn_to_page(hmm_pfn),
					drm_svm_map_order(hmm_pfn, i, npages),
					w, &addrs[i]);
		if (err)
			goto err_unmap;
		*writable &= w;
	}
	return 0;

err_unmap:
	drm_svm_addrs_unmap(svm, addrs, i);
	return err;
}

/**
 * drm_svm_kunit_race_point() - where tests make an invalidation race
 * @svm: the context
 * @range: the range drm_svm_range_get_pages() is working on
 *
 * Called between mapping the pages and publishing them; does nothing
 * unless a KUnit test redirects it with kunit_activate_static_stub().
 */
VISIBLE_IF_KUNIT void drm_svm_kunit_race_point(struct drm_svm *svm,
					       struct drm_svm_range *range)
{
	KUNIT_STATIC_STUB_REDIRECT(drm_svm_kunit_race_point, svm, range);
}
EXPORT_SYMBOL_IF_KUNIT(drm_svm_kunit_race_point);

/*
 * Before faulting: 1 if the pages are already good for @write, -EAGAIN if
 * the range is unmapped, 0 to fault. Mappings that are about to be
 * replaced are invalidated first, so that a page is never mapped twice.
 */
static int drm_svm_pages_prepare(struct drm_svm *svm,
				 struct drm_svm_range *range, bool write)
{
	int ret = 0;

	down_read(&svm->notifier_lock);
	if (range->unmapped || range->removed)
		ret = -EAGAIN;
	else if (range->valid && (range->writable || !write))
		ret = 1;
	else if (!range->nr_mapped)
		ret = 0;
	else
		ret = 2;
	up_read(&svm->notifier_lock);
	if (ret != 2)
		return ret;

	down_write(&svm->notifier_lock);
	drm_svm_invalidate_locked(svm, range, DRM_SVM_INVAL_REMAP);
	up_write(&svm->notifier_lock);
	return 0;
}

/*
 * Publish *@addrs in @range if no invalidation raced with the fault; the
 * array the range had comes back in *@addrs. -EBUSY means retry.
 */
static int drm_svm_pages_commit(struct drm_svm *svm, struct drm_svm_range *range,
				struct hmm_range *hmm, struct drm_svm_addr **addrs,
				bool writable)
{
	int err = 0;

	down_write(&svm->notifier_lock);
	if (range->unmapped || range->removed) {
		err = -EAGAIN;
	} else if (mmu_interval_read_retry(hmm->notifier, hmm->notifier_seq)) {
		err = -EBUSY;
	} else {
		/* Pages a concurrent fault published are replaced. */
		drm_svm_invalidate_locked(svm, range, DRM_SVM_INVAL_REMAP);
		swap(range->addrs, *addrs);
		range->nr_mapped = drm_svm_range_npages(range);
		range->writable = writable;
		range->valid = 1;
	}
	up_write(&svm->notifier_lock);
	return err;
}

/* A write fault found read-only device pages of ours (see the caller). */
static bool drm_svm_device_cow(struct drm_svm *svm, struct hmm_range *hmm,
			       unsigned long npages)
{
	unsigned long i;

	if (!(hmm->default_flags & HMM_PFN_REQ_WRITE) || !svm->device_private_owner)
		return false;
	for (i = 0; i < npages; i++) {
		unsigned long pfn = hmm->hmm_pfns[i];

		if ((pfn & (HMM_PFN_VALID | HMM_PFN_WRITE)) == HMM_PFN_VALID &&
		    drm_svm_page_is_ours(svm, hmm_pfn_to_page(pfn)))
			return true;
	}
	return false;
}

static int drm_svm_get_pages(struct drm_svm *svm, struct drm_svm_range *range,
			     struct hmm_range *hmm, struct drm_svm_addr **addrs,
			     unsigned long timeout)
{
	unsigned long npages = drm_svm_range_npages(range);
	bool writable;
	int err;

	for (;;) {
		err = drm_svm_hmm_fault(svm, hmm, timeout, NULL, NULL);
		if (!err && drm_svm_device_cow(svm, hmm, npages)) {
			/*
			 * Our device pages shared copy-on-write (fork):
			 * hmm_range_fault() hands them over read-only even for
			 * a write. Fault them with no owner, which migrates
			 * them to system memory and breaks the COW there.
			 */
			hmm->dev_private_owner = NULL;
			err = drm_svm_hmm_fault(svm, hmm, timeout, NULL, NULL);
			hmm->dev_private_owner = svm->device_private_owner;
		}
		if (err)
			return err;
		err = drm_svm_map_pages(svm, hmm->hmm_pfns, *addrs, npages,
					&writable);
		if (err)
			return err;

		drm_svm_kunit_race_point(svm, range);

		err = drm_svm_pages_commit(svm, range, hmm, addrs, writable);
		if (err != -EBUSY)
			break;
		drm_svm_addrs_unmap(svm, *addrs, npages);
		if (time_after(jiffies, timeout))
			break;
		drm_svm_stat_inc(svm, retries);
	}
	if (err)
		drm_svm_addrs_unmap(svm, *addrs, npages);
	return err;
}

/**
 * drm_svm_range_get_pages() - fault in and map the pages of a range
 * @svm: the context
 * @range: the range, from drm_svm_range_find_or_insert()
 * @ctx: the fault's access and timeout; NULL means a read fault with the
 *	default timeout
 *
 * Makes every page of @range present in the CPU page tables with at least
 * the requested access, and fills &drm_svm_range.addrs (see DOC: Pages).
 * Returns at once if the range is still valid for that access. The result
 * may be invalidated any time after this returns: commit GPU page-table
 * entries under drm_svm_notifier_lock() after checking
 * drm_svm_range_pages_valid(). Call with the driver lock held (if one is
 * registered), without the mmap_lock and the notifier lock.
 *
 * Return: 0 on success; -EAGAIN if the CPU unmapped (part of) the range
 * or it was removed (collect garbage and look the range up again);
 * -EFAULT if the address space is gone or a page cannot be faulted in
 * (no VMA, no access, I/O mapping); -EPERM for a write fault on a
 * read-only mapping; -EBUSY if invalidations kept racing with the fault
 * until the timeout; -EOPNOTSUPP for a device page the helper cannot map;
 * -ENOMEM, or an error of &drm_svm_ops.device_map.
 */
int drm_svm_range_get_pages(struct drm_svm *svm, struct drm_svm_range *range,
			    const struct drm_svm_ctx *ctx)
{
	unsigned int access = ctx ? ctx->access : 0;
	unsigned int timeout_ms = ctx && ctx->timeout_ms ? ctx->timeout_ms :
				  HMM_RANGE_DEFAULT_TIMEOUT;
	bool write = access & (DRM_SVM_ACCESS_WRITE | DRM_SVM_ACCESS_ATOMIC);
	unsigned long npages = drm_svm_range_npages(range);
	struct hmm_range hmm = {
		.notifier = &range->notifier->notifier,
		.start = drm_svm_range_start(range),
		.end = drm_svm_range_end(range),
		.default_flags = HMM_PFN_REQ_FAULT | (write ? HMM_PFN_REQ_WRITE : 0),
		.dev_private_owner = svm->device_private_owner,
	};
	struct drm_svm_addr *addrs;
	int err;

	drm_svm_assert_driver_lock(svm);
	drm_svm_stat_inc(svm, faults);

	err = drm_svm_pages_prepare(svm, range, write);
	if (err) {
		if (err > 0)
			drm_svm_stat_inc(svm, faults_valid);
		return err < 0 ? err : 0;
	}

	hmm.hmm_pfns = kvmalloc_array(npages, sizeof(*hmm.hmm_pfns), GFP_KERNEL);
	addrs = kvcalloc(npages, sizeof(*addrs), GFP_KERNEL);
	if (!hmm.hmm_pfns || !addrs) {
		err = -ENOMEM;
		goto out_free;
	}

	if (!mmget_not_zero(svm->mm)) {
		err = -EFAULT;
		goto out_free;
	}
	err = drm_svm_get_pages(svm, range, &hmm, &addrs,
				jiffies + msecs_to_jiffies(timeout_ms));
	mmput(svm->mm);

out_free:
	kvfree(addrs);
	kvfree(hmm.hmm_pfns);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_range_get_pages);

/**
 * drm_svm_range_pages_valid() - check that a range's pages are still valid
 * @svm: the context
 * @range: the range
 *
 * Call with drm_svm_notifier_lock() held, right before committing GPU
 * page-table entries from &drm_svm_range.addrs. If it returns false, an
 * invalidation hit the range since drm_svm_range_get_pages(): drop the
 * lock and retry the fault.
 *
 * Return: true if every page of @range is mapped and none was invalidated.
 */
bool drm_svm_range_pages_valid(struct drm_svm *svm, struct drm_svm_range *range)
{
	lockdep_assert_held(&svm->notifier_lock);

	return range->valid && !range->unmapped && !range->removed;
}
EXPORT_SYMBOL_GPL(drm_svm_range_pages_valid);

/**
 * drm_svm_range_unmap_pages() - drop the pages of a range
 * @svm: the context
 * @range: the range
 *
 * Calls &drm_svm_ops.invalidate for the range (%DRM_SVM_INVAL_REMOVE) if it
 * has pages, then unmaps them; the range stays and the next
 * drm_svm_range_get_pages() maps them again. Must not be called with the
 * notifier lock held, so not from &drm_svm_ops.invalidate.
 */
void drm_svm_range_unmap_pages(struct drm_svm *svm, struct drm_svm_range *range)
{
	down_write(&svm->notifier_lock);
	drm_svm_invalidate_locked(svm, range, DRM_SVM_INVAL_REMOVE);
	up_write(&svm->notifier_lock);
}
EXPORT_SYMBOL_GPL(drm_svm_range_unmap_pages);
