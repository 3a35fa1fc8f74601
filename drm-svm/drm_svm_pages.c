// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_trace.h"

/**
 * DOC: Pages
 *
 * drm_svm_range_get_pages() follows the pattern of Documentation/mm/hmm.rst:
 * read the notifier sequence, hmm_range_fault() under the mmap_lock
 * (retrying while it returns -EBUSY; what is asked of which page is told
 * in DOC: Faulting), map the pages, then take the notifier lock and
 * publish the result only if no invalidation happened in between;
 * otherwise unmap and start over, until the timeout of &drm_svm_ctx
 * passes with no progress (-EBUSY): an attempt that lasted longer than the
 * timeout was busy faulting pages in, which invalidates the range it
 * faults, and earns the next attempt a fresh timeout.
 *
 * The pages' access is recorded per page: &drm_svm_addr.writable when the
 * CPU maps the page writable, no &drm_svm_addr.valid for a page the CPU
 * gives no access to. A fault finds the range valid when no invalidation
 * hit it since the last publication and the pages it needs have the
 * access it asks for; otherwise the range is faulted again, and mappings
 * the GPU may still use are invalidated (%DRM_SVM_INVAL_REMAP) before
 * they are replaced.
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

/* Map the piece of 2^@order pages of @hmm_pfn's page into @a. */
static int drm_svm_map_piece(struct drm_svm *svm, unsigned long hmm_pfn,
			     unsigned int order, struct drm_svm_addr *a)
{
	struct page *page = hmm_pfn_to_page(hmm_pfn);
	bool writable = hmm_pfn & HMM_PFN_WRITE;
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
		a[i] = (struct drm_svm_addr) {
			.addr = addr + (i << PAGE_SHIFT),
			.order = order,
			.valid = 1,
			.device = device,
			.writable = writable,
			.cpu_huge = hmm_pfn_to_map_order(hmm_pfn) > 0,
		};
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
 * drm_svm_range_drop_atomic_locked() - take the GPU's atomic permission
 *
 * Clears &drm_svm_addr.atomic of the entries [first, first + n) of @range.
 * Return: how many had it.
 */
unsigned long drm_svm_range_drop_atomic_locked(struct drm_svm *svm,
					       struct drm_svm_range *range,
					       unsigned long first,
					       unsigned long n)
{
	unsigned long i, dropped = 0;

	lockdep_assert_held_write(&svm->notifier_lock);

	for (i = first; i < first + n && range->nr_atomic; i++) {
		if (range->addrs[i].atomic) {
			range->addrs[i].atomic = 0;
			range->nr_atomic--;
			dropped++;
		}
	}
	if (dropped)
		drm_svm_stat_add(svm, atomic_revokes, dropped);
	return dropped;
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
		unsigned long n;

		if (!a->valid) {
			i++;
			continue;
		}
		n = 1UL << a->order;
		i = ALIGN_DOWN(i, n);
		drm_svm_range_drop_atomic_locked(svm, range, i, n);
		range->nr_mapped -= drm_svm_unmap_piece(svm, &range->addrs[i]);
		i += n;
	}
}

/*
 * Map the pages @pfns gives; entries the CPU gives no access to stay
 * unmapped. Return: the number of pages mapped, or an errno with nothing
 * mapped.
 */
static long drm_svm_map_pages(struct drm_svm *svm, const unsigned long *pfns,
			      struct drm_svm_addr *addrs, unsigned long npages)
{
	unsigned long i = 0, mapped = 0;
	int err;

	while (i < npages) {
		unsigned long hmm_pfn = pfns[i];
		unsigned int order;

		if (!(hmm_pfn & HMM_PFN_VALID) || (hmm_pfn & HMM_PFN_ERROR)) {
			i++;
			continue;
		}
		order = drm_svm_map_order(hmm_pfn, i, npages);
		err = drm_svm_map_piece(svm, hmm_pfn, order, &addrs[i]);
		if (err) {
			drm_svm_addrs_unmap(svm, addrs, i);
			return err;
		}
		i += 1UL << order;
		mapped += 1UL << order;
	}
	return mapped;
}

/* Whether the entries [first, last) of @addrs serve an access. */
static bool drm_svm_addrs_serve(const struct drm_svm_addr *addrs,
				unsigned long first, unsigned long last,
				bool write)
{
	unsigned long i;

	for (i = first; i < last; i++)
		if (!addrs[i].valid || (write && !addrs[i].writable))
			return false;
	return true;
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

/* What a fault finds in a range before faulting, see drm_svm_pages_prepare(). */
enum drm_svm_pages_state {
	/* The needed pages are mapped with the access: nothing to do. */
	DRM_SVM_PAGES_VALID,
	/* No page is mapped: fault. */
	DRM_SVM_PAGES_FAULT,
	/* Pages are mapped, not as needed: invalidate them, then fault. */
	DRM_SVM_PAGES_REMAP,
};

static enum drm_svm_pages_state
drm_svm_pages_state(const struct drm_svm_range *range,
		    const struct drm_svm_fault *f)
{
	if (range->valid &&
	    drm_svm_addrs_serve(range->addrs, f->first, f->last, f->write))
		return DRM_SVM_PAGES_VALID;
	return range->nr_mapped ? DRM_SVM_PAGES_REMAP : DRM_SVM_PAGES_FAULT;
}

/*
 * Before faulting: 1 if the pages @f needs are good already, -EAGAIN if
 * the range is unmapped, 0 to fault. Mappings that are about to be
 * replaced are invalidated first, so that a page is never mapped twice.
 */
static int drm_svm_pages_prepare(struct drm_svm *svm,
				 struct drm_svm_range *range,
				 const struct drm_svm_fault *f)
{
	enum drm_svm_pages_state state;

	down_read(&svm->notifier_lock);
	if (range->unmapped || range->removed) {
		up_read(&svm->notifier_lock);
		return -EAGAIN;
	}
	state = drm_svm_pages_state(range, f);
	up_read(&svm->notifier_lock);

	switch (state) {
	case DRM_SVM_PAGES_VALID:
		return 1;
	case DRM_SVM_PAGES_REMAP:
		down_write(&svm->notifier_lock);
		drm_svm_invalidate_locked(svm, range, DRM_SVM_INVAL_REMAP);
		up_write(&svm->notifier_lock);
		break;
	case DRM_SVM_PAGES_FAULT:
		break;
	}
	return 0;
}

/*
 * Publish *@addrs (@mapped pages) in @range if no invalidation raced with
 * the fault; the array the range had comes back in *@addrs. -EBUSY means
 * retry.
 */
static int drm_svm_pages_commit(struct drm_svm *svm, struct drm_svm_range *range,
				struct hmm_range *hmm, struct drm_svm_addr **addrs,
				unsigned long mapped)
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
		range->nr_mapped = mapped;
		range->valid = 1;
	}
	up_write(&svm->notifier_lock);
	return err;
}

/* Tell a plugged-in part (the atomics) that @range is faulted again. */
static void drm_svm_prefault(struct drm_svm *svm, struct drm_svm_range *range)
{
	/* Pairs with drm_svm_atomic_attach(): the hooks' state is set up. */
	const struct drm_svm_hooks *hooks = smp_load_acquire(&svm->hooks);

	if (hooks)
		hooks->prefault(svm, drm_svm_range_start(range),
				drm_svm_range_end(range));
}

/*
 * Fault, map and publish the pages of @f into @range, see DOC: Pages; the
 * time faulting and mapping took is added up in @f.
 */
static int drm_svm_get_pages(struct drm_svm_fault *f, struct drm_svm_range *range,
			     struct drm_svm_addr **addrs)
{
	unsigned long npages = drm_svm_range_npages(range);
	struct drm_svm *svm = f->svm;
	unsigned long start;
	u64 t, faulted;
	long mapped;
	int err;

	for (;;) {
		start = jiffies;
		t = ktime_get_ns();
		err = drm_svm_fault_pages(f);
		faulted = ktime_get_ns();
		f->hmm_ns += faulted - t;
		if (err)
			return err;
		mapped = drm_svm_map_pages(svm, f->hmm.hmm_pfns, *addrs, npages);
		f->map_ns += ktime_get_ns() - faulted;
		if (mapped < 0)
			return mapped;

		drm_svm_kunit_race_point(svm, range);

		err = drm_svm_pages_commit(svm, range, &f->hmm, addrs, mapped);
		if (err != -EBUSY)
			break;
		drm_svm_addrs_unmap(svm, *addrs, npages);
		if (drm_svm_retry_expired(&f->retry, start))
			break;
		drm_svm_stat_inc(svm, retries);
	}
	if (err)
		drm_svm_addrs_unmap(svm, *addrs, npages);
	else
		f->mapped = mapped;
	return err;
}

/*
 * drm_svm_range_get_pages_window() - drm_svm_range_get_pages() for the
 * pages [start, end) of @range, which the fault needs (page aligned,
 * inside the range); the other pages of the range are only mapped where
 * the CPU allows it (see DOC: Faulting). [start, end) the whole range
 * needs every page. A call that faults is traced (drm_svm_get_pages).
 */
int drm_svm_range_get_pages_window(struct drm_svm *svm,
				   struct drm_svm_range *range,
				   const struct drm_svm_ctx *ctx,
				   unsigned long start, unsigned long end)
{
	unsigned int access = ctx ? ctx->access : 0;
	unsigned int timeout_ms = ctx && ctx->timeout_ms ? ctx->timeout_ms :
				  HMM_RANGE_DEFAULT_TIMEOUT;
	unsigned long npages = drm_svm_range_npages(range);
	struct drm_svm_fault f = {
		.svm = svm,
		.hmm = {
			.notifier = &range->notifier->notifier,
			.start = drm_svm_range_start(range),
			.end = drm_svm_range_end(range),
			.dev_private_owner = svm->device_private_owner,
		},
		.first = (start - drm_svm_range_start(range)) >> PAGE_SHIFT,
		.last = (end - drm_svm_range_start(range)) >> PAGE_SHIFT,
		.write = access & (DRM_SVM_ACCESS_WRITE | DRM_SVM_ACCESS_ATOMIC),
	};
	struct drm_svm_addr *addrs;
	struct mem_cgroup *memcg;
	int err;

	drm_svm_assert_driver_lock(svm);
	drm_svm_stat_inc(svm, faults);

	err = drm_svm_pages_prepare(svm, range, &f);
	if (err) {
		if (err > 0)
			drm_svm_stat_inc(svm, faults_valid);
		return err < 0 ? err : 0;
	}

	memcg = drm_svm_memcg_enter(svm);
	f.hmm.hmm_pfns = kvmalloc_array(npages, sizeof(*f.hmm.hmm_pfns),
					GFP_KERNEL_ACCOUNT);
	addrs = kvcalloc(npages, sizeof(*addrs), GFP_KERNEL_ACCOUNT);
	drm_svm_memcg_exit(memcg);
	if (!f.hmm.hmm_pfns || !addrs) {
		err = -ENOMEM;
		goto out_free;
	}

	if (!mmget_not_zero(svm->mm)) {
		err = -EFAULT;
		goto out_free;
	}
	drm_svm_retry_init(&f.retry, timeout_ms);
	drm_svm_prefault(svm, range);
	err = drm_svm_get_pages(&f, range, &addrs);
	mmput(svm->mm);

out_free:
	kvfree(addrs);
	kvfree(f.hmm.hmm_pfns);
	trace_drm_svm_get_pages(range, &f, err);
	return err;
}

/**
 * drm_svm_range_get_pages() - fault in and map the pages of a range
 * @svm: the context
 * @range: the range, from drm_svm_range_find_or_insert()
 * @ctx: the fault's address, access and timeout; NULL means a read fault
 *	of the whole range with the default timeout
 *
 * Makes the pages the fault needs present in the CPU page tables with at
 * least the requested access, and fills &drm_svm_range.addrs (see DOC:
 * Pages): with &drm_svm_ctx.fault_addr, the fault needs that page (and
 * those of &drm_svm_ctx.fault_size after it), and the other pages of the
 * range are mapped as far as the CPU allows (see DOC: Faulting); without
 * it, the fault needs every page of the range.
 * Returns at once if the range is still valid for that. The result may
 * be invalidated any time after this returns: commit GPU page-table
 * entries under drm_svm_notifier_lock() after checking
 * drm_svm_range_pages_valid(), and only entries with &drm_svm_addr.valid.
 *
 * Context: Process context. Call with the driver lock held (if one is
 * registered), without the mmap_lock and the notifier lock.
 *
 * Return: 0 on success; -EINVAL if &drm_svm_ctx.fault_addr is outside
 * @range; -EAGAIN if the CPU unmapped (part of) the range or it was
 * removed (collect garbage and look the range up again); -EFAULT if the
 * address space is gone or a needed page cannot be faulted in (no VMA, no
 * access, I/O mapping); -EPERM for a write fault on a read-only mapping;
 * -EBUSY if invalidations kept racing with the fault until the timeout;
 * -EOPNOTSUPP for a device page the helper cannot map; -ENOMEM, or an
 * error of &drm_svm_ops.device_map.
 */
int drm_svm_range_get_pages(struct drm_svm *svm, struct drm_svm_range *range,
			    const struct drm_svm_ctx *ctx)
{
	unsigned long addr = ctx ? ctx->fault_addr : 0;
	unsigned long end = drm_svm_range_end(range), size;

	if (!addr)
		return drm_svm_range_get_pages_window(svm, range, ctx,
						      drm_svm_range_start(range),
						      end);
	if (addr < drm_svm_range_start(range) || addr >= end)
		return -EINVAL;
	addr &= PAGE_MASK;
	size = min(ctx->fault_size, end - addr);
	return drm_svm_range_get_pages_window(svm, range, ctx, addr,
					      addr + max(PAGE_ALIGN(size),
							 PAGE_SIZE));
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
 * lock and retry the fault. Only the entries with &drm_svm_addr.valid are
 * mapped: the CPU gives no access to the others (see DOC: Faulting).
 *
 * Return: true if no invalidation hit @range since its pages were
 * published.
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
