// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm binding
 *
 * The last step of a GPU fault: the pages drm_svm got for a range become
 * GPU page-table entries. Only pages [&vsvm_fault_req.first,
 * &vsvm_fault_req.last) of the range are bound, and only where the fault's
 * attributes hold ([&vsvm_fault_req.attr_start,
 * &vsvm_fault_req.attr_end)), so the ACCESS attribute read once for the
 * fault applies to every entry written; pages beyond fault on their own,
 * with their own attributes. A 2 MiB block becomes one 2 MiB entry when the
 * CPU maps it with a huge page and the whole block is bound.
 *
 * Tables are reserved beforehand, without the notifier lock (one range
 * never needs more than vsvm_pt_reserve() gets); the addresses are read
 * and the entries written under the notifier lock held for read, once
 * drm_svm_range_pages_valid() said they are still valid, so an
 * invalidation either comes before (and the fault starts over) or after
 * (and zaps what was written).
 */

#include "vsvm_drv.h"

/*
 * The pages of @range to bind: the fault's window, widened to whole huge
 * pieces so that a 2 MiB entry is never cut, within its attributes.
 */
static void vsvm_bind_window(struct drm_svm_range *range,
			     const struct vsvm_fault_req *req,
			     unsigned long *first, unsigned long *last)
{
	unsigned long start = drm_svm_range_start(range);
	unsigned long lo = req->attr_start > start ?
			   (req->attr_start - start) >> PAGE_SHIFT : 0;
	unsigned long hi = req->attr_end < drm_svm_range_end(range) ?
			   (req->attr_end - start) >> PAGE_SHIFT :
			   drm_svm_range_npages(range);

	if (req->first >= req->last) {
		*first = 0;
		*last = 0;
		return;
	}
	*first = ALIGN_DOWN(req->first, 1UL << range->addrs[req->first].order);
	*last = ALIGN(req->last, 1UL << range->addrs[req->last - 1].order);
	*first = max(*first, lo);
	*last = min(*last, hi);
}

/* Whether the 2 MiB block at page @i of @range takes one entry. */
static bool vsvm_bind_huge(struct drm_svm_range *range, unsigned long i,
			   unsigned long first, unsigned long last)
{
	unsigned long va = drm_svm_range_start(range) + (i << PAGE_SHIFT);
	const struct drm_svm_addr *a = &range->addrs[i];

	return IS_ALIGNED(va, SZ_2M) && i >= first &&
	       i + (SZ_2M >> PAGE_SHIFT) <= last &&
	       a->valid && a->order >= PMD_SHIFT - PAGE_SHIFT;
}

static u64 vsvm_bind_pte(const struct drm_svm_addr *a, u32 gpu_access)
{
	u64 pte = (a->addr & VSVM_PTE_ADDR) | VSVM_PTE_VALID;

	if (a->writable)
		pte |= VSVM_PTE_WRITE;
	if (a->device)
		pte |= VSVM_PTE_VRAM;
	if (a->atomic)
		pte |= VSVM_PTE_ATOMIC;
	/* The ACCESS attribute: no write permission, whatever the CPU allows. */
	if (gpu_access == DRM_SVM_ATTR_ACCESS_RO)
		pte &= ~(VSVM_PTE_WRITE | VSVM_PTE_ATOMIC);
	return pte;
}

/**
 * vsvm_bind_range() - bind the pages of a fault into the GPU page table
 * @vm: the VM; its lock is held
 * @range: the range of the fault, with pages from drm_svm_range_get_pages()
 * @req: the fault: its window and attributes
 *
 * Return: 0, -EAGAIN when the pages were invalidated since they were got
 * or the tables reserved did not suffice (fault again), or -ENOMEM.
 */
int vsvm_bind_range(struct vsvm_vm *vm, struct drm_svm_range *range,
		    const struct vsvm_fault_req *req)
{
	unsigned long start = drm_svm_range_start(range);
	unsigned long i, first, last;
	int err;

	lockdep_assert_held(&vm->lock);
	vsvm_bind_window(range, req, &first, &last);
	if (first >= last)
		return 0;
	err = vsvm_pt_reserve(&vm->pt);
	if (err)
		return err;

	drm_svm_notifier_lock(&vm->svm);
	if (!drm_svm_range_pages_valid(&vm->svm, range)) {
		err = -EAGAIN;
		goto out_unlock;
	}
	for (i = first; i < last; ) {
		const struct drm_svm_addr *a = &range->addrs[i];
		bool huge = vsvm_bind_huge(range, i, first, last);

		if (a->valid) {
			err = vsvm_pt_set(&vm->pt, start + (i << PAGE_SHIFT),
					  vsvm_bind_pte(a, req->attrs.access), huge);
			if (err)
				goto out_unlock;
		}
		i += huge ? SZ_2M >> PAGE_SHIFT : 1;
	}
out_unlock:
	drm_svm_notifier_unlock(&vm->svm);
	return err;
}
