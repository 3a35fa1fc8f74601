// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/swapops.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_devmem.h>

#include "drm_svm_internal.h"
#include "drm_svm_trace.h"

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
 * To RAM: one core, drm_svm_migrate_copy_to_ram(), gives every collected
 * device page a system page and copies the batch with
 * &drm_svm_devmem_ops.copy_to_ram, whoever collected it:
 *
 * - the region's migrate_to_ram, on a CPU fault, collects with
 *   migrate_vma_setup() every page of the region's owner in the chunk
 *   around the fault (the allocation size rounded up to a power of two,
 *   at most 2 MiB, aligned, clipped to the VMA), not just the faulting
 *   page; but a write to a read-only page (one shared copy-on-write after
 *   fork()) moves that page alone: it only has to break the sharing, and
 *   the rest of the chunk may be in use by the GPU. On 6.12 do_swap_page()
 *   calls migrate_to_ram without locking the device page and with the
 *   mmap_lock held for read, so it takes no driver lock at all: pages
 *   another migration (an eviction, another CPU fault) holds locked are
 *   simply not collected; if that includes the faulting page, it returns
 *   and the CPU faults again. The migration's %MMU_NOTIFY_MIGRATE event
 *   zaps the GPU mappings (it is not the context's own migration);
 * - drm_svm_migrate_to_ram() does the same over an interval on request
 *   (prefetch to system memory), VMA by VMA;
 * - eviction (drm_svm_devmem_evict()) collects with
 *   migrate_device_range(), without an mm or a VMA.
 */

/* Fault-around window of migrate_to_ram, at most. */
#define DRM_SVM_FAULT_AROUND_MAX	SZ_2M

/*
 * Passes of drm_svm_migrate_to_devmem(): one, and one more after bringing
 * back the pages of other devices the first could not collect.
 */
#define DRM_SVM_MIGRATE_PASSES		2

/**
 * drm_svm_migrate_buf_alloc() - allocate the arrays of a migration
 * @b: the arrays
 * @npages: entries per array
 *
 * Return: 0 or -ENOMEM; free with drm_svm_migrate_buf_free() either way.
 */
int drm_svm_migrate_buf_alloc(struct drm_svm_migrate_buf *b,
			      unsigned long npages)
{
	b->npages = npages;
	b->src = kvcalloc(npages, sizeof(*b->src), GFP_KERNEL);
	b->dst = kvcalloc(npages, sizeof(*b->dst), GFP_KERNEL);
	b->spages = kvcalloc(npages, sizeof(*b->spages), GFP_KERNEL);
	b->dpages = kvcalloc(npages, sizeof(*b->dpages), GFP_KERNEL);
	return b->src && b->dst && b->spages && b->dpages ? 0 : -ENOMEM;
}

void drm_svm_migrate_buf_free(struct drm_svm_migrate_buf *b)
{
	kvfree(b->dpages);
	kvfree(b->spages);
	kvfree(b->dst);
	kvfree(b->src);
}

/* Release the destination pages of a migration that is not done. */
static void drm_svm_migrate_abort(struct drm_svm_migrate_buf *b)
{
	unsigned long i;

	for (i = 0; i < b->npages; i++) {
		if (b->dpages[i]) {
			unlock_page(b->dpages[i]);
			put_page(b->dpages[i]);
			b->dpages[i] = NULL;
		}
		b->dst[i] = 0;
	}
}

/* A locked system page for entry @i, NUMA-placed for @vma if there is one. */
static struct page *drm_svm_migrate_ram_page(struct vm_area_struct *vma,
					     unsigned long start, unsigned long i)
{
	struct page *page;

	if (vma)
		page = alloc_page_vma(GFP_HIGHUSER_MOVABLE, vma,
				      start + (i << PAGE_SHIFT));
	else
		page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (page)
		lock_page(page);
	return page;
}

/*
 * drm_svm_migrate_copy_to_ram() - the core of every migration to RAM
 *
 * @b->src holds the device pages a migrate_vma_setup() or
 * migrate_device_range() collected (all of one region); gives each a
 * system page (for @vma at @start if there is one) and copies the batch.
 * Pages without memory, or all of them if the copy fails, stay where they
 * are. Return: 0 or the copy's errno; in *@left the number of collected
 * pages that stay.
 */
int drm_svm_migrate_copy_to_ram(struct drm_svm_migrate_buf *b,
				struct vm_area_struct *vma, unsigned long start,
				unsigned long *left)
{
	struct drm_svm_devmem *dm = NULL;
	unsigned long i;
	int err;

	*left = 0;
	for (i = 0; i < b->npages; i++) {
		struct page *spage = migrate_pfn_to_page(b->src[i]);

		b->dst[i] = 0;
		b->spages[i] = NULL;
		b->dpages[i] = NULL;
		if (!spage || !(b->src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		b->dpages[i] = drm_svm_migrate_ram_page(vma, start, i);
		if (!b->dpages[i]) {
			(*left)++;
			continue;
		}
		dm = drm_svm_devmem_of_page(spage);
		b->spages[i] = spage;
		b->dst[i] = migrate_pfn(page_to_pfn(b->dpages[i]));
		if (b->src[i] & MIGRATE_PFN_WRITE)
			b->dst[i] |= MIGRATE_PFN_WRITE;
	}
	if (!dm)
		return 0;

	err = dm->ops->copy_to_ram(dm, b->spages, b->dpages, b->npages);
	if (err) {
		for (i = 0; i < b->npages; i++)
			*left += !!b->dpages[i];
		drm_svm_migrate_abort(b);
	}
	return err;
}

/*
 * drm_svm_migrate_count_to_ram() - count what a migration to RAM moved
 *
 * After migrate_vma_pages() or migrate_device_pages(). Return: the number
 * of pages moved, also added to the regions' counters.
 */
unsigned long drm_svm_migrate_count_to_ram(const struct drm_svm_migrate_buf *b)
{
	unsigned long i, moved = 0;

	for (i = 0; i < b->npages; i++) {
		if (b->dpages[i] && (b->src[i] & MIGRATE_PFN_MIGRATE)) {
			atomic64_inc(&drm_svm_devmem_of_page(b->spages[i])->migrated_to_ram);
			moved++;
		}
	}
	return moved;
}

/* One drm_svm_migrate_to_devmem() call. */
struct drm_svm_migrate_job {
	struct drm_svm *svm;
	struct drm_svm_devmem_alloc *alloc;
	unsigned long start;
	unsigned long end;
	unsigned int flags;
	/* The device pfns of @alloc, and which of them hold data now. */
	unsigned long *pfns;
	u8 *used;
	struct drm_svm_migrate_buf b;
	/* Of the last pass: pages migrated, and pages not collected. */
	unsigned long migrated;
	unsigned long missed;
};

/* Give the collected pages of a pass their device pages. */
static void drm_svm_migrate_pass_dst(struct drm_svm_migrate_job *job,
				     struct vm_area_struct *vma)
{
	struct drm_svm_migrate_buf *b = &job->b;
	unsigned long i;

	for (i = 0; i < b->npages; i++) {
		if (!(b->src[i] & MIGRATE_PFN_MIGRATE) || job->used[i]) {
			job->missed++;
			continue;
		}
		b->dpages[i] = pfn_to_page(job->pfns[i]);
		drm_svm_devmem_page_init(job->alloc, b->dpages[i]);
		b->spages[i] = migrate_pfn_to_page(b->src[i]);
		b->dst[i] = migrate_pfn(job->pfns[i]);
		if ((b->src[i] & MIGRATE_PFN_WRITE) ||
		    (!b->spages[i] && (vma->vm_flags & VM_WRITE)))
			b->dst[i] |= MIGRATE_PFN_WRITE;
	}
}

/* Mark the pages a pass moved used; count them and those it did not. */
static void drm_svm_migrate_pass_done(struct drm_svm_migrate_job *job)
{
	struct drm_svm_migrate_buf *b = &job->b;
	unsigned long i;

	for (i = 0; i < b->npages; i++) {
		if (!b->dpages[i])
			continue;
		if (b->src[i] & MIGRATE_PFN_MIGRATE) {
			job->used[i] = 1;
			job->migrated++;
		} else {
			job->missed++;
		}
	}
}

/* One migrate_vma pass over the interval of @job in @vma. */
static int drm_svm_migrate_pass(struct drm_svm_migrate_job *job,
				struct vm_area_struct *vma)
{
	struct drm_svm_devmem *dm = job->alloc->dm;
	struct drm_svm_migrate_buf *b = &job->b;
	struct migrate_vma args = {
		.vma = vma,
		.start = job->start,
		.end = job->end,
		.src = b->src,
		.dst = b->dst,
		.pgmap_owner = drm_svm_devmem_owner(dm),
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
	};
	int err;

	job->migrated = 0;
	job->missed = 0;
	/* A second pass must not see the first one's destinations. */
	memset(b->dst, 0, b->npages * sizeof(*b->dst));
	memset(b->dpages, 0, b->npages * sizeof(*b->dpages));
	memset(b->spages, 0, b->npages * sizeof(*b->spages));

	WRITE_ONCE(job->svm->migrating, current);
	err = migrate_vma_setup(&args);
	WRITE_ONCE(job->svm->migrating, NULL);
	if (err)
		return err;
	if (!args.cpages) {
		job->missed = b->npages;
		return 0;
	}

	drm_svm_migrate_pass_dst(job, vma);
	if ((job->flags & DRM_SVM_MIGRATE_ALL) && job->missed) {
		err = -EBUSY;
		drm_svm_migrate_abort(b);
	} else {
		err = dm->ops->copy_to_devmem(dm, b->spages, b->dpages, b->npages);
		if (err)
			drm_svm_migrate_abort(b);
	}
	migrate_vma_pages(&args);
	drm_svm_migrate_pass_done(job);
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

/*
 * The plan of drm_svm_migrate_foreign(): fault the pages the first pass
 * did not migrate that the snapshot shows neither present nor ours. Counts
 * them over every try: a retry finds them present.
 */
static int drm_svm_migrate_foreign_plan(void *arg, struct hmm_range *hmm)
{
	struct drm_svm_migrate_job *job = arg;
	unsigned long i;

	for (i = 0; i < job->b.npages; i++) {
		bool foreign = !job->used[i] && !(hmm->hmm_pfns[i] & HMM_PFN_VALID);

		hmm->hmm_pfns[i] = foreign ? HMM_PFN_REQ_FAULT : 0;
		job->missed += foreign;
	}
	return 0;
}

/*
 * Bring back to system memory the pages of the job's interval the first
 * pass missed that are neither present nor ours: device pages of another
 * owner (or swapped out), which makes their owner's migrate_to_ram run.
 * Returns true if there were any.
 */
static bool drm_svm_migrate_foreign(struct drm_svm_migrate_job *job)
{
	struct drm_svm *svm = job->svm;
	struct mmu_interval_notifier mni;
	struct hmm_range hmm = {
		.notifier = &mni,
		.start = job->start,
		.end = job->end,
		.dev_private_owner = svm->device_private_owner,
	};
	struct drm_svm_retry retry;

	hmm.hmm_pfns = kvcalloc(job->b.npages, sizeof(*hmm.hmm_pfns), GFP_KERNEL);
	if (!hmm.hmm_pfns)
		return false;
	job->missed = 0;
	if (!mmu_interval_notifier_insert(&mni, svm->mm, job->start,
					  job->end - job->start,
					  &drm_svm_migrate_mni_ops)) {
		drm_svm_retry_init(&retry, HMM_RANGE_DEFAULT_TIMEOUT);
		drm_svm_hmm_fault(svm, &hmm, &retry,
				  drm_svm_migrate_foreign_plan, job);
		mmu_interval_notifier_remove(&mni);
	}
	kvfree(hmm.hmm_pfns);
	return job->missed;
}

/* The migrate_vma passes of @job, with the mm referenced. */
static int drm_svm_migrate_job_run(struct drm_svm_migrate_job *job,
				   unsigned long *migrated)
{
	struct mm_struct *mm = job->svm->mm;
	struct vm_area_struct *vma;
	unsigned int pass;
	int err = 0;

	for (pass = 0; pass < DRM_SVM_MIGRATE_PASSES; pass++) {
		if (pass && (!job->missed || (job->flags & DRM_SVM_MIGRATE_ALL) ||
			     !drm_svm_migrate_foreign(job)))
			break;
		mmap_read_lock(mm);
		vma = vma_lookup(mm, job->start);
		if (!vma || vma->vm_end < job->end)
			err = -EFAULT;
		else
			err = drm_svm_migrate_pass(job, vma);
		mmap_read_unlock(mm);
		if (err)
			break;
		*migrated += job->migrated;
	}
	return err;
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
 * See DOC: Migration. Drops the context's GPU mappings of the interval.
 * Pages already in device memory of this region are left alone.
 *
 * Context: Process context. Call with the driver lock held, without the
 * mmap_lock.
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
	struct drm_svm_migrate_job job = {
		.svm = svm, .alloc = alloc, .start = start, .end = end,
		.flags = flags,
	};
	unsigned long npages = (end - start) >> PAGE_SHIFT, done = 0;
	struct drm_svm_range *range;
	int err;

	if (migrated)
		*migrated = 0;
	if (start >= end || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) ||
	    npages > alloc->npages || (flags & ~DRM_SVM_MIGRATE_ALL) ||
	    drm_svm_devmem_owner(alloc->dm) != svm->device_private_owner)
		return -EINVAL;
	drm_svm_assert_driver_lock(svm);

	job.pfns = kvmalloc_array(alloc->npages, sizeof(*job.pfns), GFP_KERNEL);
	job.used = kvzalloc(npages, GFP_KERNEL);
	err = drm_svm_migrate_buf_alloc(&job.b, npages);
	if (err || !job.pfns || !job.used) {
		err = -ENOMEM;
		goto out_free;
	}
	alloc->dm->ops->alloc_pfns(alloc, job.pfns);

	drm_svm_for_each_range(range, svm, start, end)
		drm_svm_range_unmap_pages(svm, range);

	if (!mmget_not_zero(svm->mm)) {
		err = -EFAULT;
		goto out_free;
	}
	err = drm_svm_migrate_job_run(&job, &done);
	mmput(svm->mm);
	if (migrated)
		*migrated = done;

out_free:
	drm_svm_migrate_buf_free(&job.b);
	kvfree(job.used);
	kvfree(job.pfns);
	trace_drm_svm_migrate(start, end, done, DRM_SVM_MIGRATE_DIR_TO_DEVMEM,
			      err);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_migrate_to_devmem);

/*
 * Migrate the device pages of @owner in [start, end) of @vma to system
 * memory. Returns 0, -ENOMEM when @fault_page (or, without one, any page)
 * could not be given a system page, or the copy's errno.
 */
static int drm_svm_migrate_vma_to_ram(struct vm_area_struct *vma,
				      unsigned long start, unsigned long end,
				      void *owner, struct page *fault_page,
				      unsigned long *migrated)
{
	struct drm_svm_migrate_buf b = {};
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.pgmap_owner = owner,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page = fault_page,
	};
	unsigned long left, moved, i;
	u64 t0, t1, t2;
	int err;

	err = drm_svm_migrate_buf_alloc(&b, (end - start) >> PAGE_SHIFT);
	if (err)
		goto out_free;
	args.src = b.src;
	args.dst = b.dst;
	t0 = ktime_get_ns();
	err = migrate_vma_setup(&args);
	if (err || !args.cpages)
		goto out_free;

	t1 = ktime_get_ns();
	err = drm_svm_migrate_copy_to_ram(&b, vma, start, &left);
	for (i = 0; !err && left && i < b.npages; i++)
		if ((b.src[i] & MIGRATE_PFN_MIGRATE) && !b.dpages[i] &&
		    (!fault_page || migrate_pfn_to_page(b.src[i]) == fault_page))
			err = -ENOMEM;
	t2 = ktime_get_ns();
	migrate_vma_pages(&args);
	moved = drm_svm_migrate_count_to_ram(&b);
	*migrated += moved;
	migrate_vma_finalize(&args);
	trace_drm_svm_migrate_vma_to_ram(start, end, moved, t1 - t0, t2 - t1,
					 ktime_get_ns() - t2);

out_free:
	drm_svm_migrate_buf_free(&b);
	return err;
}

/* Whether a CPU fault on a device page only breaks copy-on-write sharing. */
static bool drm_svm_fault_breaks_cow(const struct vm_fault *vmf)
{
	return (vmf->flags & FAULT_FLAG_WRITE) &&
	       !is_writable_device_private_entry(pte_to_swp_entry(vmf->orig_pte));
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
	if (drm_svm_fault_breaks_cow(vmf))
		size = PAGE_SIZE;
	start = max(ALIGN_DOWN(vmf->address, size), vma->vm_start);
	end = min(ALIGN_DOWN(vmf->address, size) + size, vma->vm_end);

	atomic64_inc(&dm->cpu_faults);
	err = drm_svm_migrate_vma_to_ram(vma, start, end,
					 drm_svm_devmem_owner(dm), vmf->page,
					 &migrated);
	trace_drm_svm_migrate(start, end, migrated,
			      DRM_SVM_MIGRATE_DIR_CPU_FAULT, err);
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
 * migration holds are skipped.
 *
 * Context: Process context. Call without the mmap_lock and the notifier
 * lock.
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
	trace_drm_svm_migrate(start, end, n, DRM_SVM_MIGRATE_DIR_TO_RAM, err);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_migrate_to_ram);
