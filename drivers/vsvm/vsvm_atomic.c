// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm atomics
 *
 * An ATOMIC command needs a PTE with %VSVM_PTE_ATOMIC for a system page,
 * and %VSVM_PTE_ATOMIC is set only on pages drm_svm made device-exclusive
 * for the VM (&drm_svm_addr.atomic); a VRAM page (%VSVM_PTE_VRAM) allows
 * atomics as it is. Without the bit the engine raises an ATOMIC fault,
 * which the fault handler services through vsvm_atomic_fault(): the VA
 * range's atomic policy (the ATOMIC attribute, set with ADVISE) decides:
 *
 * - %DRM_SVM_ATOMIC_EXCLUSIVE (default): drm_svm_range_atomic_grant() makes
 *   a small window of pages from the address on device-exclusive: one
 *   page (module parameter ``atomic_window``), like nouveau; when ATOMIC
 *   faults stream through memory (each right where the last window
 *   ended), the window doubles up to %DRM_SVM_ATOMIC_MAX_WINDOW pages,
 *   as readahead does; any other fault starts again from one page. A
 *   window that reaches pages the CPU does not let the GPU write (a
 *   read-only neighbour) falls back to the faulting page alone;
 * - %DRM_SVM_ATOMIC_MIGRATE: the range moves to VRAM first (once per
 *   fault), where atomics are always allowed; without VRAM, or when the
 *   page did not move, it is made device-exclusive instead;
 * - %DRM_SVM_ATOMIC_REFUSE: the submission fails with -EPERM.
 *
 * When the CPU touches a device-exclusive page, drm_svm calls the VM's
 * invalidate callback with %DRM_SVM_INVAL_ATOMIC: the callback clears
 * %VSVM_PTE_ATOMIC under the notifier lock held for write, so the engine
 * atomics in flight (run under it held for read) are over when it
 * returns, and the CPU gets its page. The engine reports progress after
 * each batch of atomics (drm_svm_atomic_progress()), which ends the
 * grant's minimum hold time (module parameter ``atomic_hold_us``).
 */

#include <linux/moduleparam.h>

#include <drm/drm_svm_atomic.h>

#include "vsvm_drv.h"

static unsigned int atomic_window = 1;
module_param(atomic_window, uint, 0644);
MODULE_PARM_DESC(atomic_window,
		 "Pages made device-exclusive per non-streaming GPU atomic fault (1-64, default 1)");

static unsigned int atomic_hold_us = DRM_SVM_ATOMIC_HOLD_DEFAULT_US;
module_param(atomic_hold_us, uint, 0644);
MODULE_PARM_DESC(atomic_hold_us,
		 "Longest a CPU access waits for the GPU to use a fresh atomic grant, us (default 1000)");

/* Whether the page at @addr of @range is in VRAM (atomics need no grant). */
static bool vsvm_atomic_in_vram(struct vsvm_vm *vm, struct drm_svm_range *range,
				unsigned long addr)
{
	unsigned long i = (addr - drm_svm_range_start(range)) >> PAGE_SHIFT;
	bool vram;

	drm_svm_notifier_lock(&vm->svm);
	vram = drm_svm_range_pages_valid(&vm->svm, range) &&
	       range->addrs[i].valid && range->addrs[i].device;
	drm_svm_notifier_unlock(&vm->svm);
	return vram;
}

/*
 * Move @range to VRAM for %DRM_SVM_ATOMIC_MIGRATE. Return: true when some
 * of it moved (look it up again); false to make the page device-exclusive
 * instead.
 */
static bool vsvm_atomic_migrate(struct vsvm_vm *vm, struct drm_svm_range *range)
{
	unsigned long migrated = 0;

	if (!vm->vdev->vram.size)
		return false;
	vsvm_placement_to_vram(vm, drm_svm_range_start(range),
			       drm_svm_range_end(range), &migrated);
	return migrated;
}

/* Grant a window of device-exclusive pages from the fault on. */
static int vsvm_atomic_exclusive(struct vsvm_vm *vm, struct drm_svm_range *range,
				 struct vsvm_fault_req *req)
{
	unsigned int base = clamp_val(READ_ONCE(atomic_window), 1,
				      DRM_SVM_ATOMIC_MAX_WINDOW);
	unsigned long start = req->addr & PAGE_MASK, end;
	struct drm_svm_ctx actx = req->ctx;
	unsigned int win = base;
	int err;

	lockdep_assert_held(&vm->lock);
	/* Streaming: double the window, like readahead. */
	if (start == vm->atomic_next)
		win = clamp_val(vm->atomic_win * 2, base, DRM_SVM_ATOMIC_MAX_WINDOW);
	end = min3(start + ((unsigned long)win << PAGE_SHIFT),
		   drm_svm_range_end(range), req->attr_end);
	actx.atomic_hold_us = READ_ONCE(atomic_hold_us);
	err = drm_svm_range_atomic_grant(&vm->svm, range, start, end, &actx);
	/*
	 * The pages after the fault's are only wanted, not needed: one the
	 * CPU does not let the GPU write (a read-only neighbour) must not
	 * fail the fault, so fall back to the faulting page alone.
	 */
	if ((err == -EPERM || err == -EFAULT) && end > start + PAGE_SIZE) {
		win = 1;
		end = start + PAGE_SIZE;
		err = drm_svm_range_atomic_grant(&vm->svm, range, start, end,
						 &actx);
	}
	if (err)
		return err;
	vm->atomic_win = win;
	vm->atomic_next = end;
	req->first = (start - drm_svm_range_start(range)) >> PAGE_SHIFT;
	req->last = (end - drm_svm_range_start(range)) >> PAGE_SHIFT;
	return 0;
}

/**
 * vsvm_atomic_fault() - service an ATOMIC fault
 * @vm: the VM, its lock held
 * @range: the range of the fault, its pages just got for write
 * @req: the fault; its window (&vsvm_fault_req.first, .last) is narrowed
 *	to the pages granted
 *
 * Applies the fault's atomic policy (see DOC: vsvm atomics). On success
 * the caller binds the pages of the window (the whole range for a page in
 * VRAM), with %VSVM_PTE_ATOMIC where &drm_svm_addr.atomic is set.
 *
 * Return: 0; -EACCES when the policy refuses atomics; -EAGAIN to look the
 * range up again (it moved to VRAM or was unmapped); or what
 * drm_svm_range_atomic_grant() gives.
 */
int vsvm_atomic_fault(struct vsvm_vm *vm, struct drm_svm_range *range,
		      struct vsvm_fault_req *req)
{
	if (req->attrs.atomic == DRM_SVM_ATOMIC_REFUSE)
		return -EACCES;
	if (vsvm_atomic_in_vram(vm, range, req->addr))
		return 0;
	/*
	 * Once per fault, like placement: under VRAM pressure the pages that
	 * move can be other pages of the range each time (evicted again
	 * meanwhile), and a page that cannot move must not loop forever.
	 */
	if (req->attrs.atomic == DRM_SVM_ATOMIC_MIGRATE && !req->atomic_migrated) {
		req->atomic_migrated = true;
		if (vsvm_atomic_migrate(vm, range))
			return -EAGAIN;
	}
	return vsvm_atomic_exclusive(vm, range, req);
}
