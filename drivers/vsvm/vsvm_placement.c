// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm memory placement
 *
 * Where memory should live is decided here, and only here. Policy is kept
 * by drm_svm's attribute tree (drm_svm_attr.h), set per virtual address
 * interval with the ADVISE ioctl: preferred location, migrate-on-fault or
 * map-in-place, migration granularity. Nothing moves when an attribute is
 * set:
 *
 * - on a GPU fault, vsvm_placement_fault() migrates the chunk around the
 *   fault to this device's VRAM when the fault's attributes name it and
 *   allow migration: the fault's range, or the granule of the GRANULARITY
 *   attribute inside it, within the interval the attributes hold for. A
 *   range where such a migration moved nothing (pinned pages, file pages
 *   that 6.12 cannot migrate to device-private memory) is remembered and
 *   mapped in place from then on, so it neither retries nor evicts other
 *   memory on every fault; ADVISE and PREFETCH on it start over;
 * - PREFETCH moves an interval to VRAM (vsvm_placement_to_vram()) or back
 *   to system memory (vsvm_placement_to_ram()) right away, chunk by chunk
 *   (2 MiB or the granularity at each chunk), each chunk in its own VRAM
 *   allocation;
 * - the MIGRATE atomic policy (vsvm_atomic.c) moves a range to VRAM
 *   through vsvm_placement_to_vram().
 */

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

#include "vsvm_drv.h"
#include "vsvm_trace.h"

/**
 * vsvm_placement_wants_vram() - whether faults should migrate to this device
 * @vm: the VM
 * @attrs: the attributes of the faulting address
 *
 * Return: true if the device has VRAM, the preferred location is this
 * device and the migration policy is migrate-on-fault.
 */
bool vsvm_placement_wants_vram(struct vsvm_vm *vm,
			       const struct drm_svm_attrs *attrs)
{
	return vm->vdev->vram.size && attrs->migrate == DRM_SVM_MIGRATE_ON_FAULT &&
	       (attrs->preferred_loc == DRM_SVM_LOC_DEVICE ||
		attrs->preferred_loc == DRM_SVM_LOC_DEVICE_N(vm->vdev->index));
}

/* The migration chunk at @addr: the GRANULARITY attribute, or 2 MiB. */
static unsigned long vsvm_placement_chunk(struct vsvm_vm *vm,
					  unsigned long addr)
{
	struct drm_svm_attrs attrs;

	drm_svm_attr_get(&vm->svm, addr, &attrs);
	return attrs.granularity_shift ? 1UL << attrs.granularity_shift : SZ_2M;
}

/* Migrate [s, e), one chunk of a private anonymous VMA, into fresh VRAM. */
static int vsvm_placement_chunk_to_vram(struct vsvm_vm *vm, unsigned long s,
					unsigned long e, unsigned long *migrated)
{
	u64 t = ktime_get_ns();
	struct vsvm_vram_bo *bo;
	unsigned long n = 0;
	int err;

	bo = vsvm_vram_bo_create(vm->vdev, (e - s) >> PAGE_SHIFT);
	if (IS_ERR(bo)) {
		err = PTR_ERR(bo);
		goto out_trace;
	}
	err = drm_svm_migrate_to_devmem(&vm->svm, &bo->base, s, e, 0, &n);
	vsvm_vram_bo_done(bo, n);
	*migrated += n;
out_trace:
	trace_vsvm_migrate_to_vram(vm, s, e, n, err, ktime_get_ns() - t);
	return err;
}

/*
 * The part of [@addr, @end) in the VMA at or after @addr that can become
 * device-private: [*@s, *@e) is empty for other VMAs. Return: false when
 * no VMA is left.
 */
static bool vsvm_placement_next_vma(struct mm_struct *mm, unsigned long addr,
				    unsigned long end, unsigned long *s,
				    unsigned long *e)
{
	struct vm_area_struct *vma;
	bool found = false;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start < end) {
		found = true;
		*s = max(addr, vma->vm_start);
		*e = min(end, vma->vm_end);
		/* Only private anonymous memory can become device-private. */
		if (!vma_is_anonymous(vma))
			*s = *e;
	}
	mmap_read_unlock(mm);
	return found;
}

/**
 * vsvm_placement_to_vram() - migrate an interval into the device's VRAM
 * @vm: the VM; its lock is held
 * @start: start (page aligned)
 * @end: end, exclusive (page aligned)
 * @migrated: out, pages migrated
 *
 * Migrates VMA by VMA, in chunks aligned to the granularity at each
 * chunk (2 MiB by default), each into its own VRAM allocation. Holes and
 * VMAs that are not private anonymous memory are skipped, without
 * allocating VRAM. Stops at the first error; what was migrated stays
 * migrated.
 *
 * Return: 0, -ENODEV without VRAM, -ENOSPC when VRAM cannot hold a
 * chunk, -EINTR on a signal, or an error of drm_svm_migrate_to_devmem().
 */
int vsvm_placement_to_vram(struct vsvm_vm *vm, unsigned long start,
			   unsigned long end, unsigned long *migrated)
{
	unsigned long addr = start, s, e, ce;
	int err = 0;

	lockdep_assert_held(&vm->lock);
	*migrated = 0;
	while (!err && addr < end &&
	       vsvm_placement_next_vma(vm->svm.mm, addr, end, &s, &e)) {
		for (; !err && s < e; s = ce) {
			ce = min(ALIGN(s + 1, vsvm_placement_chunk(vm, s)), e);
			err = vsvm_placement_chunk_to_vram(vm, s, ce, migrated);
			if (!err && signal_pending(current))
				err = -EINTR;
		}
		addr = e;
	}
	return err;
}

/**
 * vsvm_placement_to_ram() - migrate this device's pages of an interval back
 * @vm: the VM
 * @start: start (page aligned)
 * @end: end, exclusive (page aligned)
 * @migrated: out, pages migrated
 *
 * Return: 0 (also without VRAM: nothing to move), or an error of
 * drm_svm_migrate_to_ram().
 */
int vsvm_placement_to_ram(struct vsvm_vm *vm, unsigned long start,
			  unsigned long end, unsigned long *migrated)
{
	*migrated = 0;
	if (!vm->vdev->vram.size)
		return 0;
	return drm_svm_migrate_to_ram(&vm->svm, start, end, migrated);
}

/* Whether every page of @range is mapped from VRAM. */
static bool vsvm_placement_in_vram(struct vsvm_vm *vm,
				   struct drm_svm_range *range)
{
	unsigned long i;
	bool in_vram;

	drm_svm_notifier_lock(&vm->svm);
	in_vram = drm_svm_range_pages_valid(&vm->svm, range);
	for (i = 0; in_vram && i < drm_svm_range_npages(range); i++)
		in_vram = range->addrs[i].device;
	drm_svm_notifier_unlock(&vm->svm);
	return in_vram;
}

/**
 * vsvm_placement_fault() - migrate the chunk of a GPU fault to VRAM
 * @vm: the VM, its lock held
 * @range: the range of the fault
 * @req: the fault, whose attributes ask for this device's VRAM
 *
 * Migrates @range, or the granule of the fault inside it when the
 * GRANULARITY attribute is smaller, within the interval where the fault's
 * attributes hold, unless the range is mapped from VRAM already or an
 * earlier attempt moved none of it. Failures are not errors: the fault
 * then maps the pages where they are.
 */
void vsvm_placement_fault(struct vsvm_vm *vm, struct drm_svm_range *range,
			  const struct vsvm_fault_req *req)
{
	struct vsvm_range *vrange = to_vsvm_range(range);
	unsigned long s = max(drm_svm_range_start(range), req->attr_start);
	unsigned long e = min(drm_svm_range_end(range), req->attr_end);
	unsigned long n, shift = req->attrs.granularity_shift;

	lockdep_assert_held(&vm->lock);
	if (vrange->no_migrate || vsvm_placement_in_vram(vm, range))
		return;
	if (shift && (1UL << shift) < e - s) {
		s = max(s, ALIGN_DOWN(req->addr, 1UL << shift));
		e = min(e, s + (1UL << shift));
	}
	vsvm_placement_to_vram(vm, s, e, &n);
	if (!n)
		vrange->no_migrate = true;
}

/**
 * vsvm_placement_reset() - let faults try to migrate an interval again
 * @vm: the VM, its lock held
 * @start: start of the interval
 * @end: end of the interval, exclusive
 *
 * Called when ADVISE or PREFETCH change what the interval should do.
 */
void vsvm_placement_reset(struct vsvm_vm *vm, unsigned long start,
			  unsigned long end)
{
	struct drm_svm_range *range;

	lockdep_assert_held(&vm->lock);
	drm_svm_for_each_range(range, &vm->svm, start, end)
		to_vsvm_range(range)->no_migrate = false;
}
