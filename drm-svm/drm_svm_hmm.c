// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/string.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"

/**
 * DOC: Faulting
 *
 * A GPU fault needs some pages of a range (the page of
 * &drm_svm_ctx.fault_addr, or the window of an atomic grant) with the
 * fault's access; the other pages of the range are mapped too, where the
 * CPU allows it, so that the GPU does not fault on each of them, but
 * nothing is forced on them:
 *
 * - write access is asked for the pages the fault needs only, plus the
 *   pages of a private anonymous writable VMA that are not populated yet
 *   or map the zero page: populating those is what the CPU's own first
 *   write does (it copies nothing that is shared and dirties nothing),
 *   and it keeps a GPU's first touch of a range at one fault;
 * - every other page of a readable VMA is asked for read, so shared
 *   copy-on-write pages stay shared and file pages clean;
 * - pages of VMAs without read access (PROT_NONE, guard pages) and holes
 *   are not faulted: their entries stay without &drm_svm_addr.valid.
 *
 * So a range may span several VMAs with different protections (after an
 * mprotect() of part of it): only a fault on a page its VMA forbids
 * fails. Under one hold of the mmap_lock, drm_svm_hmm_fault() takes a
 * snapshot of the range with hmm_range_fault() (no faulting), derives
 * these per-page requests, faults the pages the fault needs or a write
 * populates in runs of their own (hmm_range_fault() extends a fault to a
 * whole unpopulated page-table or huge-page entry, which must not turn
 * one write into a write of the neighbours), and last fetches the whole
 * range with the per-page requests (&hmm_range.pfn_flags_mask). Should
 * faulting a page the fault does not need fail (a file page beyond the
 * end of the file, say), the fault is retried asking for the needed pages
 * only.
 *
 * Without &drm_svm_ctx.fault_addr, every page of the range is needed:
 * one hmm_range_fault() asks all of them for the fault's access, and the
 * fault fails unless every page can be mapped that way.
 *
 * Device pages of the context shared copy-on-write (after fork()) come
 * back read-only even for a write. Each such page the fault needs is
 * faulted alone without an owner, which makes its migrate_to_ram move it
 * (and only it, see DOC: Migration) to system memory, where the retry
 * breaks the sharing; the rest of the range stays in device memory.
 */

/* The snapshot, the plan and the per-page fault, under the mmap_lock. */
static int drm_svm_hmm_fault_planned(struct hmm_range *hmm,
				     int (*plan)(void *arg, struct hmm_range *hmm),
				     void *arg)
{
	int err;

	hmm->default_flags = 0;
	hmm->pfn_flags_mask = 0;
	err = hmm_range_fault(hmm);
	if (err)
		return err;
	err = plan(arg, hmm);
	if (err)
		return err;
	hmm->pfn_flags_mask = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE;
	return hmm_range_fault(hmm);
}

/*
 * drm_svm_hmm_fault() - hmm_range_fault() with the retry loop
 *
 * Reads the notifier sequence into @hmm and faults under the mmap_lock of
 * @svm's mm, again while hmm_range_fault() reports an invalidation
 * (-EBUSY), until @retry expires (drm_svm_retry_expired()). With @plan, the range is first read
 * without faulting; @plan then rewrites every entry of @hmm->hmm_pfns into
 * the request for that page (and may fault parts of the range itself),
 * and the range is faulted with those requests. Return: 0 or the errno of
 * hmm_range_fault() or @plan; -EBUSY once @retry expired.
 */
int drm_svm_hmm_fault(struct drm_svm *svm, struct hmm_range *hmm,
		      struct drm_svm_retry *retry,
		      int (*plan)(void *arg, struct hmm_range *hmm), void *arg)
{
	unsigned long start;
	int err;

	for (;;) {
		start = jiffies;
		hmm->notifier_seq = mmu_interval_read_begin(hmm->notifier);
		mmap_read_lock(svm->mm);
		if (plan)
			err = drm_svm_hmm_fault_planned(hmm, plan, arg);
		else
			err = hmm_range_fault(hmm);
		mmap_read_unlock(svm->mm);
		if (err != -EBUSY)
			return err;
		if (drm_svm_retry_expired(retry, start))
			return -EBUSY;
		drm_svm_stat_inc(svm, retries);
	}
}

static bool drm_svm_fault_needs(const struct drm_svm_fault *f, unsigned long i)
{
	return i >= f->first && i < f->last;
}

/*
 * A page of a private anonymous VMA that a write only populates: none
 * yet, or the (huge) zero page, the only pages such a VMA maps that are
 * not anonymous.
 */
static bool drm_svm_pfn_unpopulated(unsigned long hmm_pfn)
{
	struct page *page;

	if (!(hmm_pfn & HMM_PFN_VALID))
		return true;
	if (hmm_pfn & HMM_PFN_WRITE)
		return false;
	page = hmm_pfn_to_page(hmm_pfn);
	return is_zero_pfn(page_to_pfn(page)) || !folio_test_anon(page_folio(page));
}

/* Requests for the pages [first, last) of @hmm, all in @vma. */
static void drm_svm_fault_plan_vma(const struct drm_svm_fault *f,
				   struct vm_area_struct *vma,
				   unsigned long *pfns, unsigned long first,
				   unsigned long last)
{
	vm_flags_t flags = vma->vm_flags;
	bool readable = (flags & VM_READ) && !(flags & (VM_IO | VM_PFNMAP));
	bool populate = f->write && vma_is_anonymous(vma) &&
			(flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	unsigned long i;

	for (i = first; i < last; i++) {
		if (!readable || f->strict)
			pfns[i] = 0;
		else if (populate && drm_svm_pfn_unpopulated(pfns[i]))
			pfns[i] = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE;
		else
			pfns[i] = HMM_PFN_REQ_FAULT;
	}
}

/* Turn the snapshot in @hmm into per-page requests; see DOC: Faulting. */
static void drm_svm_fault_plan_pages(const struct drm_svm_fault *f,
				     struct hmm_range *hmm)
{
	VMA_ITERATOR(vmi, f->svm->mm, hmm->start);
	unsigned long npages = (hmm->end - hmm->start) >> PAGE_SHIFT;
	unsigned long *pfns = hmm->hmm_pfns, next = 0, i;
	struct vm_area_struct *vma;

	for_each_vma_range(vmi, vma, hmm->end) {
		unsigned long first = (max(vma->vm_start, hmm->start) - hmm->start) >> PAGE_SHIFT;
		unsigned long last = (min(vma->vm_end, hmm->end) - hmm->start) >> PAGE_SHIFT;

		memset(&pfns[next], 0, (first - next) * sizeof(*pfns));
		drm_svm_fault_plan_vma(f, vma, pfns, first, last);
		next = last;
	}
	memset(&pfns[next], 0, (npages - next) * sizeof(*pfns));

	for (i = f->first; i < f->last; i++)
		pfns[i] = HMM_PFN_REQ_FAULT | (f->write ? HMM_PFN_REQ_WRITE : 0);
}

/* Whether page @i is faulted in a run of its own before the whole range. */
static bool drm_svm_fault_alone(const struct drm_svm_fault *f,
				const unsigned long *pfns, unsigned long i)
{
	return drm_svm_fault_needs(f, i) || (pfns[i] & HMM_PFN_REQ_WRITE);
}

/*
 * Fault each run of pages that need faulting alone, with the run's request;
 * the result replaces the requests, which it satisfies as a request.
 */
static int drm_svm_fault_runs(const struct drm_svm_fault *f,
			      struct hmm_range *hmm)
{
	unsigned long npages = (hmm->end - hmm->start) >> PAGE_SHIFT;
	unsigned long i = 0, n;
	int err;

	while (i < npages) {
		struct hmm_range run = {
			.notifier = hmm->notifier,
			.notifier_seq = hmm->notifier_seq,
			.start = hmm->start + (i << PAGE_SHIFT),
			.hmm_pfns = &hmm->hmm_pfns[i],
			.default_flags = hmm->hmm_pfns[i],
			.dev_private_owner = hmm->dev_private_owner,
		};

		if (!drm_svm_fault_alone(f, hmm->hmm_pfns, i)) {
			i++;
			continue;
		}
		for (n = 1; i + n < npages &&
		     drm_svm_fault_alone(f, hmm->hmm_pfns, i + n) &&
		     hmm->hmm_pfns[i + n] == run.default_flags; n++)
			;
		run.end = run.start + (n << PAGE_SHIFT);
		err = hmm_range_fault(&run);
		if (err)
			return err;
		i += n;
	}
	return 0;
}

static int drm_svm_fault_plan(void *arg, struct hmm_range *hmm)
{
	struct drm_svm_fault *f = arg;

	drm_svm_fault_plan_pages(f, hmm);
	return drm_svm_fault_runs(f, hmm);
}

/* Fault the page at @addr for write without an owner: see DOC: Faulting. */
static int drm_svm_fault_page_to_ram(struct drm_svm_fault *f, unsigned long addr)
{
	unsigned long pfn = 0;
	struct hmm_range one = {
		.notifier = f->hmm.notifier,
		.start = addr,
		.end = addr + PAGE_SIZE,
		.hmm_pfns = &pfn,
		.default_flags = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE,
	};

	return drm_svm_hmm_fault(f->svm, &one, &f->retry, NULL, NULL);
}

/*
 * Move the needed pages of a write fault that came back as read-only
 * device pages of ours to system memory. Return: 1 if there were any
 * (fault again), 0 if none, or an errno.
 */
static int drm_svm_fault_break_cow(struct drm_svm_fault *f)
{
	unsigned long i, moved = 0;
	int err;

	if (!f->write)
		return 0;
	for (i = f->first; i < f->last; i++) {
		unsigned long pfn = f->hmm.hmm_pfns[i];

		if ((pfn & (HMM_PFN_VALID | HMM_PFN_WRITE)) != HMM_PFN_VALID ||
		    !drm_svm_page_is_ours(f->svm, hmm_pfn_to_page(pfn)))
			continue;
		err = drm_svm_fault_page_to_ram(f, f->hmm.start + (i << PAGE_SHIFT));
		if (err)
			return err;
		moved++;
	}
	return moved ? 1 : 0;
}

/*
 * drm_svm_fault_pages() - fault the pages of @f->hmm for @f
 *
 * See DOC: Faulting. On success @f->hmm.hmm_pfns holds the pages, the
 * needed ones with the fault's access (unless another fault took them
 * away meanwhile: the commit checks the notifier sequence). Return: 0, or
 * the errno of drm_svm_hmm_fault().
 */
int drm_svm_fault_pages(struct drm_svm_fault *f)
{
	unsigned long npages = (f->hmm.end - f->hmm.start) >> PAGE_SHIFT;
	bool whole = !f->first && f->last == npages;
	int err;

	for (;;) {
		unsigned long start = jiffies;

		if (whole)
			f->hmm.default_flags = HMM_PFN_REQ_FAULT |
					       (f->write ? HMM_PFN_REQ_WRITE : 0);
		err = drm_svm_hmm_fault(f->svm, &f->hmm, &f->retry,
					whole ? NULL : drm_svm_fault_plan, f);
		if (err == -EFAULT && !whole && !f->strict) {
			f->strict = true;
			continue;
		}
		if (!err)
			err = drm_svm_fault_break_cow(f);
		if (err <= 0)
			return err;
		if (drm_svm_retry_expired(&f->retry, start))
			return -EBUSY;
		drm_svm_stat_inc(f->svm, retries);
	}
}
