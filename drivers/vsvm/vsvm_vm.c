// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm VM
 *
 * A VM is created by the VM_INIT ioctl and bound to the caller's address
 * space through a drm_svm context (&vsvm_vm.svm): the GPU VA window is a
 * window of the process's own address space. It owns the GPU page table,
 * the channels and the fault buffer, and goes when the file is closed.
 *
 * Locking, outermost first:
 *
 * - &vsvm_vm.lock, the drm_svm driver lock: held by the fault handler
 *   while it services a fault (garbage collection, find_or_insert,
 *   get_pages, page-table allocation and commit).
 * - mmap_lock, taken by drm_svm inside get_pages.
 * - the drm_svm notifier lock: for read around a page-table commit and
 *   around every engine access; for write by drm_svm around
 *   vsvm_vm_invalidate().
 *
 * The engine takes only the notifier lock, so an invalidation waits for
 * the accesses in flight and the engine never sees a page after
 * vsvm_vm_invalidate() returned.
 */

#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "vsvm_drv.h"
#include "vsvm_trace.h"

static void vsvm_vm_invalidate(struct drm_svm *svm,
			       const struct drm_svm_invalidation *inv)
{
	struct vsvm_vm *vm = container_of(svm, struct vsvm_vm, svm);

	lockdep_assert_held_write(&svm->notifier_lock);
	trace_vsvm_invalidate(vm, inv->start, inv->end, inv->event);
	/* The CPU took device-exclusive pages back: they stay mapped. */
	if (inv->event == DRM_SVM_INVAL_ATOMIC)
		vsvm_pt_clear_atomic(&vm->pt, inv->start, inv->end);
	else
		vsvm_pt_zap(&vm->pt, inv->start, inv->end);
}

/* A VRAM page of this device: its VRAM offset, as %VSVM_PTE_VRAM wants. */
static int vsvm_vm_device_map(struct drm_svm *svm, struct page *page,
			      unsigned int order, dma_addr_t *addr)
{
	struct vsvm_vm *vm = container_of(svm, struct vsvm_vm, svm);
	struct drm_svm_devmem *dm = &vm->vdev->vram.dm;

	if (!vm->vdev->vram.size || drm_svm_devmem_of_page(page) != dm)
		return -EOPNOTSUPP;
	*addr = drm_svm_devmem_page_offset(dm, page);
	return 0;
}

static struct drm_svm_range *vsvm_vm_range_alloc(struct drm_svm *svm)
{
	struct vsvm_range *range = kzalloc(sizeof(*range), GFP_KERNEL_ACCOUNT);

	return range ? &range->base : NULL;
}

static void vsvm_vm_range_free(struct drm_svm_range *range)
{
	kfree(to_vsvm_range(range));
}

static const struct drm_svm_ops vsvm_svm_ops = {
	.range_alloc = vsvm_vm_range_alloc,
	.range_free = vsvm_vm_range_free,
	.device_map = vsvm_vm_device_map,
	.invalidate = vsvm_vm_invalidate,
};

/**
 * vsvm_vm_create() - create a VM for the calling process
 * @vdev: the device
 * @start: start of the GPU VA window
 * @size: size of the window
 *
 * Return: the VM or an ERR_PTR(): -ENOMEM, or what drm_svm_init() gives.
 */
struct vsvm_vm *vsvm_vm_create(struct vsvm_device *vdev, u64 start, u64 size)
{
	struct drm_svm_config cfg = {
		.name = "vsvm",
		.drm = &vdev->drm,
		.mm = current->mm,
		.start = start,
		.size = size,
		.device_private_owner = vdev,
		.ops = &vsvm_svm_ops,
	};
	struct vsvm_vm *vm;
	unsigned int i;
	int err;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->vdev = vdev;
	mutex_init(&vm->lock);
	spin_lock_init(&vm->fault_lock);
	INIT_WORK(&vm->fault_work, vsvm_fault_work);
	mutex_init(&vm->fault_drain_lock);
	for (i = 0; i < VSVM_NUM_CHANNELS; i++)
		vsvm_channel_init(&vm->channels[i], vm, i);

	err = vsvm_pt_init(&vm->pt);
	if (err)
		goto err_free_vm;
	err = drm_svm_init(&vm->svm, &cfg);
	if (err)
		goto err_fini_pt;
	drm_svm_driver_set_lock(&vm->svm, &vm->lock);

	mutex_lock(&vdev->vms_lock);
	vm->id = vdev->next_vm_id++;
	list_add_tail(&vm->link, &vdev->vms);
	mutex_unlock(&vdev->vms_lock);
	vsvm_debugfs_vm_add(vm);
	return vm;

err_fini_pt:
	vsvm_pt_fini(&vm->pt);
err_free_vm:
	mutex_destroy(&vm->fault_drain_lock);
	mutex_destroy(&vm->lock);
	kfree(vm);
	return ERR_PTR(err);
}

/**
 * vsvm_vm_destroy() - tear a VM down
 * @vm: the VM; its file is being closed
 *
 * Cancels queued work (those submissions complete with -ECANCELED), ends
 * fault stalls, waits for the engine and the fault handler, then tears
 * down the drm_svm context, which zaps every GPU mapping left.
 */
void vsvm_vm_destroy(struct vsvm_vm *vm)
{
	struct vsvm_device *vdev = vm->vdev;
	unsigned int i;

	WRITE_ONCE(vm->closing, true);
	for (i = 0; i < VSVM_NUM_CHANNELS; i++)
		vsvm_channel_cancel(&vm->channels[i]);
	for (i = 0; i < VSVM_NUM_CHANNELS; i++)
		flush_work(&vm->channels[i].work);
	flush_work(&vm->fault_work);

	vsvm_debugfs_vm_remove(vm);
	mutex_lock(&vdev->vms_lock);
	list_del(&vm->link);
	mutex_unlock(&vdev->vms_lock);

	drm_svm_fini(&vm->svm);
	vsvm_pt_fini(&vm->pt);
	mutex_destroy(&vm->fault_drain_lock);
	mutex_destroy(&vm->lock);
	kfree(vm);
}
