// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_devmem.h>

#include "drm_svm_internal.h"

/**
 * DOC: Migration
 *
 * To device: drm_svm_migrate_to_devmem() moves the system pages of an
 * interval of one VMA into the device pages of an allocation, page i of
 * the interval into page i of the allocation, with migrate_vma_setup(),
 * one batched &drm_svm_devmem_ops.copy_to_devmem call, migrate_vma_pages()
 * and migrate_vma_finalize(). It first drops the context's own mappings
 * of the interval (drm_svm_range_unmap_pages()), so the migration's own
 * %MMU_NOTIFY_MIGRATE event needs no zap. Pages that cannot be collected
 * (pinned, locked by someone else, file backed) stay where they are and
 * the range is mixed; device pages of another device are first brought
 * back to system memory through their owner's migrate_to_ram (an
 * hmm_range_fault() of just those pages, over a temporary interval
 * notifier, so it works before any GPU fault) and collected in a second
 * pass, so device-to-device migration goes through system memory. With
 * %DRM_SVM_MIGRATE_ALL nothing moves unless everything can.
 *
 * To RAM on a CPU fault: the region's migrate_to_ram moves every page of
 * the region's owner in the chunk around the fault (the allocation size
 * rounded up to a power of two, at most 2 MiB, aligned, clipped to the
 * VMA), not just the faulting page. On 6.12 do_swap_page() calls it
 * without locking the device page and with the mmap_lock held for read,
 * so it takes no driver lock at all: pages another migration (an
 * eviction, another CPU fault) holds locked are simply not collected; if
 * that includes the faulting page, it returns and the CPU faults again.
 * The migration's %MMU_NOTIFY_MIGRATE event zaps the GPU mappings (it is
 * not the context's own migration), and the engine is stopped before the
 * copy starts.
 *
 * drm_svm_migrate_to_ram() moves an interval back to system memory on
 * request (prefetch to system) by faulting it with hmm_range_fault() as a
 * CPU access would.
 */

/* Fault-around window of migrate_to_ram, at most. */
#define DRM_SVM_FAULT_AROUND_MAX	SZ_2M

struct drm_svm_migrate_buf {
	unsigned long *src;
	unsigned long *dst;
	struct page **spages;
	struct page **dpages;
};

static int drm_svm_migrate_buf_alloc(struct drm_svm_migrate_buf *b,
				     unsigned long npages)
{
	b->src = kvcalloc(npages, sizeof(*b->src), GFP_KERNEL);
	b->dst = kvcalloc(npages, sizeof(*b->dst), GFP_KERNEL);
	b->spages = kvcalloc(npages, sizeof(*b->spages), GFP_KERNEL);
	b->dpages = kvcalloc(npages, sizeof(*b->dpages), GFP_KERNEL);
	return b->src && b->dst && b->spages && b->dpages ? 0 : -ENOMEM;
}

static void drm_svm_migrate_buf_free(struct drm_svm_migrate_buf *b)
{
	kvfree(b->dpages);
	kvfree(b->spages);
	kvfree(b->dst);
	kvfree(b->src);
}

/* Release the device pages set up for a migration that is not done. */
static void drm_svm_migrate_abort(struct drm_svm_migrate_buf *b,
				  unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		if (b->dpages[i]) {
			unlock_page(b->dpages[i]);
			put_page(b->dpages[i]);
			b->dpages[i] = NULL;
		}
		b->dst[i] = 0;
	}
}

/*
 * One migrate_vma pass over [start, end) of @vma; page i goes to
 * @pfns[i] unless @used[i]. Returns the number of pages migrated in
 * *@migrated and of pages that could not be collected in *@missed.
 */
static int drm_svm_migrate_pass(struct drm_svm *svm,
				struct drm_svm_devmem_alloc *alloc,
				struct vm_area_struct *vma, unsigned long start,
				unsigned long end, const unsigned long *pfns,
				u8 *used, unsigned int flags,
				struct drm_svm_migrate_buf *b,
				unsigned long *migrated, unsigned long *missed)
{
	struct drm_svm_devmem *dm = alloc->dm;
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.src = b->src,
		.dst = b->dst,
		.pgmap_owner = drm_svm_devmem_owner(dm),
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
	};
	unsigned long i;
	int err;

	*migrated = 0;
	*missed = 0;
	/* A second pass must not see the first one's destinations. */
	memset(b->dst, 0, npages * sizeof(*b->dst));
	memset(b->dpages, 0, npages * sizeof(*b->dpages));
	memset(b->spages, 0, npages * sizeof(*b->spages));

	WRITE_ONCE(svm->migrating, current);
	err = migrate_vma_setup(&args);
	WRITE_ONCE(svm->migrating, NULL);
	if (err)
		return err;
	if (!args.cpages) {
		*missed = npages;
		return 0;
	}

	for (i = 0; i < npages; i++) {
		struct page *dpage;

		if (!(b->src[i] & MIGRATE_PFN_MIGRATE) || used[i]) {
			(*missed)++;
			continue;
		}
		dpage = pfn_to_page(pfns[i]);
		drm_svm_devmem_page_init(alloc, dpage);
		b->dpages[i] = dpage;
		b->spages[i] = migrate_pfn_to_page(b->src[i]);
		b->dst[i] = migrate_pfn(pfns[i]);
		if ((b->src[i] & MIGRATE_PFN_WRITE) ||
		    (!b->spages[i] && (vma->vm_flags & VM_WRITE)))
			b->dst[i] |= MIGRATE_PFN_WRITE;
	}

	if ((flags & DRM_SVM_MIGRATE_ALL) && *missed) {
		err = -EBUSY;
		drm_svm_migrate_abort(b, npages);
	} else {
		err = dm->ops->copy_to_devmem(dm, b->spages, b->dpages, npages);
		if (err)
			drm_svm_migrate_abort(b, npages);
	}

	migrate_vma_pages(&args);
	for (i = 0; i < npages; i++) {
		if (!b->dpages[i])
			continue;
		if (b->src[i] & MIGRATE_PFN_MIGRATE) {
			used[i] = 1;
			(*migrated)++;
		} else {
			(*missed)++;
		}
	}
	migrate_vma_finalize(&args);
	return err;
}

static bool drm_svm_migrate_mni_invalidate(struct mmu_interval_notifier *mni,
					   const struct mmu_notifier_range *range,
					   unsigned long cur_seq)
{
	mmu_interval_set_seq(mni, cur_seq);
	return true;
}

static const struct mmu_interval_notifier_ops drm_svm_migrate_mni_ops = {
	.invalidate = drm_svm_migrate_mni_invalidate,
};

/* hmm_range_fault() of @hmm, the input flags in @req, with -EBUSY retries. */
static int drm_svm_migrate_hmm(struct mm_struct *mm, struct hmm_range *hmm,
			       const unsigned long *req, unsigned long npages)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
	int err;

	do {
		if (req)
			memcpy(hmm->hmm_pfns, req, npages * sizeof(*req));
		else
			memset(hmm->hmm_pfns, 0, npages * sizeof(*req));
		hmm->notifier_seq = mmu_interval_read_begin(hmm->notifier);
		mmap_read_lock(mm);
		err = hmm_range_fault(hmm);
		mmap_read_unlock(mm);
	} while (err == -EBUSY && time_before(jiffies, timeout));
	return err;
}

/*
 * Bring back to system memory the pages of [start, end) the first pass
 * missed that are neither present nor ours: device pages of another
 * owner (or swapped out). A snapshot with hmm_range_fault() tells them
 * apart, a second one faults just those, which makes their owner's
 * migrate_to_ram run. Returns true if there were any.
 */
static bool drm_svm_migrate_foreign(struct drm_svm *svm, unsigned long start,
				    unsigned long end, const u8 *used)
{
	unsigned long npages = (end - start) >> PAGE_SHIFT, i;
	struct mmu_interval_notifier mni;
	struct hmm_range hmm = {
		.notifier = &mni,
		.start = start,
		.end = end,
		.dev_private_owner = svm->device_private_owner,
	};
	unsigned long *req;
	bool found = false;

	hmm.hmm_pfns = kvcalloc(npages, sizeof(*hmm.hmm_pfns), GFP_KERNEL);
	req = kvcalloc(npages, sizeof(*req), GFP_KERNEL);
	if (!hmm.hmm_pfns || !req)
		goto out_free;
	if (mmu_interval_notifier_insert(&mni, svm->mm, start, end - start,
					 &drm_svm_migrate_mni_ops))
		goto out_free;

	if (drm_svm_migrate_hmm(svm->mm, &hmm, NULL, npages))
		goto out_remove;
	for (i = 0; i < npages; i++) {
		if (!used[i] && !(hmm.hmm_pfns[i] & HMM_PFN_VALID)) {
			req[i] = HMM_PFN_REQ_FAULT;
			found = true;
		}
	}
	if (found) {
		hmm.pfn_flags_mask = HMM_PFN_REQ_FAULT;
		drm_svm_migrate_hmm(svm->mm, &hmm, req, npages);
	}
out_remove:
	mmu_interval_notifier_remove(&mni);
out_free:
	kvfree(req);
	kvfree(hmm.hmm_pfns);
	return found;
}

/**
 * drm_svm_migrate_to_devmem() - migrate an interval to device memory
 * @svm: the context; its mm is the one migrated
 * @alloc: the device pages to migrate to; page i of the allocation takes
 *	the page at @start + i * PAGE_SIZE
 * @start: start of the interval (page aligned)
 * @end: end of the interval, exclusive; inside the VMA of @start, at most
 *	@alloc->npages pages
 * @flags: &enum drm_svm_migrate_flags
 * @migrated: out, optional: number of pages migrated
 *
 * See DOC: Migration. Call with the driver lock held, without the
 * mmap_lock; drops the context's GPU mappings of the interval. Pages
 * already in device memory of this region are left alone.
 *
 * Return: 0 (also when only part, or nothing, could be migrated, see
 * @migrated); -EINVAL for a bad interval or an allocation of another
 * owner; -EFAULT when the mm is gone or no VMA covers the interval;
 * -EBUSY with %DRM_SVM_MIGRATE_ALL when a page could not be collected;
 * -ENOMEM; an error of the copy callback. Nothing is left half-migrated
 * on error: every page is either moved and copied, or where it was.
 */
int drm_svm_migrate_to_devmem(struct drm_svm *svm,
			      struct drm_svm_devmem_alloc *alloc,
			      unsigned long start, unsigned long end,
			      unsigned int flags, unsigned long *migrated)
{
	struct drm_svm_devmem *dm = alloc->dm;
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	unsigned long done = 0, n, missed = 0;
	struct drm_svm_migrate_buf b = {};
	struct drm_svm_range *range;
	struct vm_area_struct *vma;
	unsigned long *pfns = NULL;
	unsigned int pass;
	u8 *used = NULL;
	int err;

	if (migrated)
		*migrated = 0;
	if (start >= end || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) ||
	    npages > alloc->npages || (flags & ~DRM_SVM_MIGRATE_ALL) ||
	    drm_svm_devmem_owner(dm) != svm->device_private_owner)
		return -EINVAL;
	drm_svm_assert_driver_lock(svm);

	pfns = kvmalloc_array(alloc->npages, sizeof(*pfns), GFP_KERNEL);
	used = kvzalloc(npages, GFP_KERNEL);
	err = drm_svm_migrate_buf_alloc(&b, npages);
	if (err || !pfns || !used) {
		err = -ENOMEM;
		goto out_free;
	}
	dm->ops->alloc_pfns(alloc, pfns);

	drm_svm_for_each_range(range, svm, start, end)
		drm_svm_range_unmap_pages(svm, range);

	if (!mmget_not_zero(svm->mm)) {
		err = -EFAULT;
		goto out_free;
	}
	for (pass = 0; pass < 2; pass++) {
		if (pass && (!missed || (flags & DRM_SVM_MIGRATE_ALL) ||
			     !drm_svm_migrate_foreign(svm, start, end, used)))
			break;
		mmap_read_lock(svm->mm);
		vma = vma_lookup(svm->mm, start);
		if (!vma || vma->vm_end < end) {
			err = -EFAULT;
		} else {
			err = drm_svm_migrate_pass(svm, alloc, vma, start, end,
						   pfns, used, flags, &b, &n,
						   &missed);
			done += n;
		}
		mmap_read_unlock(svm->mm);
		if (err)
			break;
	}
	mmput(svm->mm);
	if (migrated)
		*migrated = done;

out_free:
	drm_svm_migrate_buf_free(&b);
	kvfree(used);
	kvfree(pfns);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_migrate_to_devmem);

/*
 * Migrate the device pages of @owner in [start, end) of @vma to system
 * memory. Returns 0, -ENOMEM when the fault page could not be given a
 * system page, or another negative errno.
 */
static int drm_svm_migrate_vma_to_ram(struct vm_area_struct *vma,
				      unsigned long start, unsigned long end,
				      void *owner, struct page *fault_page,
				      unsigned long *migrated)
{
	unsigned long npages = (end - start) >> PAGE_SHIFT, i;
	struct drm_svm_devmem *dm = NULL;
	struct drm_svm_migrate_buf b = {};
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.pgmap_owner = owner,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page = fault_page,
	};
	int err;

	err = drm_svm_migrate_buf_alloc(&b, npages);
	if (err)
		goto out_free;
	args.src = b.src;
	args.dst = b.dst;
	err = migrate_vma_setup(&args);
	if (err || !args.cpages)
		goto out_free;

	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(b.src[i]);
		unsigned long addr = start + (i << PAGE_SHIFT);
		struct page *dpage;

		if (!spage || !(b.src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		dm = drm_svm_devmem_of_page(spage);
		dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, vma, addr);
		if (!dpage) {
			if (!fault_page || spage == fault_page)
				err = -ENOMEM;
			continue;
		}
		lock_page(dpage);
		b.spages[i] = spage;
		b.dpages[i] = dpage;
		b.dst[i] = migrate_pfn(page_to_pfn(dpage));
		if (b.src[i] & MIGRATE_PFN_WRITE)
			b.dst[i] |= MIGRATE_PFN_WRITE;
	}

	if (dm) {
		int cerr = dm->ops->copy_to_ram(dm, b.spages, b.dpages, npages);

		if (cerr) {
			drm_svm_migrate_abort(&b, npages);
			err = cerr;
		}
	}
	migrate_vma_pages(&args);
	for (i = 0; i < npages; i++) {
		if (b.dpages[i] && (b.src[i] & MIGRATE_PFN_MIGRATE)) {
			atomic64_inc(&dm->migrated_to_ram);
			(*migrated)++;
		}
	}
	migrate_vma_finalize(&args);

out_free:
	drm_svm_migrate_buf_free(&b);
	return err;
}

/* The region's migrate_to_ram: see DOC: Migration. */
vm_fault_t drm_svm_devmem_migrate_to_ram(struct vm_fault *vmf)
{
	struct drm_svm_devmem_alloc *alloc = vmf->page->zone_device_data;
	struct drm_svm_devmem *dm = drm_svm_devmem_of_page(vmf->page);
	struct vm_area_struct *vma = vmf->vma;
	unsigned long size, start, end, migrated = 0;
	int err;

	/* A page being freed has no allocation: just fault again. */
	if (!alloc)
		return 0;
	size = min_t(unsigned long, DRM_SVM_FAULT_AROUND_MAX,
		     roundup_pow_of_two(alloc->npages) << PAGE_SHIFT);
	start = max(ALIGN_DOWN(vmf->address, size), vma->vm_start);
	end = min(ALIGN_DOWN(vmf->address, size) + size, vma->vm_end);

	atomic64_inc(&dm->cpu_faults);
	err = drm_svm_migrate_vma_to_ram(vma, start, end,
					 drm_svm_devmem_owner(dm), vmf->page,
					 &migrated);
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	return err ? VM_FAULT_SIGBUS : 0;
}

/**
 * drm_svm_migrate_to_ram() - move an interval back to system memory
 * @svm: the context
 * @start: start of the interval (page aligned)
 * @end: end of the interval, exclusive (page aligned)
 * @migrated: out, optional: number of pages migrated
 *
 * Migrates the device pages of the context's owner in [@start, @end) of
 * its mm to system memory, VMA by VMA (holes are skipped), like the CPU
 * fault path does, but for the whole interval. Pages a concurrent
 * migration holds are skipped. Call without the mmap_lock and the
 * notifier lock.
 *
 * Return: 0; -EINVAL for a bad interval or a context without an owner;
 * -EFAULT when the mm is gone; -ENOMEM; an error of the copy callback.
 */
int drm_svm_migrate_to_ram(struct drm_svm *svm, unsigned long start,
			   unsigned long end, unsigned long *migrated)
{
	struct mm_struct *mm = svm->mm;
	unsigned long addr = start, n = 0;
	int err = 0;

	if (start >= end || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) ||
	    !svm->device_private_owner)
		return -EINVAL;
	if (!mmget_not_zero(mm))
		return -EFAULT;

	mmap_read_lock(mm);
	while (addr < end && !err) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long e, s;

		if (!vma || vma->vm_start >= end)
			break;
		s = max(addr, vma->vm_start);
		for (; s < min(end, vma->vm_end) && !err; s = e) {
			e = min3(end, vma->vm_end, s + DRM_SVM_FAULT_AROUND_MAX);
			err = drm_svm_migrate_vma_to_ram(vma, s, e,
							 svm->device_private_owner,
							 NULL, &n);
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	mmput(mm);
	if (migrated)
		*migrated = n;
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_migrate_to_ram);
