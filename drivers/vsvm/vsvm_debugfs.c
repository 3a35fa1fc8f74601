// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm debugfs
 *
 * Under the device's DRM debugfs directory (dri/vsvm.N/):
 *
 * - ``vms``: one line per VM: id, VA window, engine and fault counters;
 * - ``vram``: VRAM size, use, eviction and migration counters, and the
 *   buddy allocator's state;
 * - ``vm<id>/stats``: the VM's drm_svm statistics and engine counters;
 * - ``vm<id>/pagetable``: every GPU page-table leaf of the VM: address,
 *   size (4K or 2M), target address and w(ritable) a(tomic) and
 *   v(ram)/s(ystem) flags.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <drm/drm_print.h>

#include "vsvm_drv.h"

static void vsvm_vm_print(struct vsvm_vm *vm, struct seq_file *m)
{
	seq_printf(m, "vm%u window %#lx-%#lx gpu_faults %lld unrecoverable %llu commands %lld submissions %lld mapped_pages %lld\n",
		   vm->id, vm->svm.start, vm->svm.end,
		   atomic64_read(&vm->gpu_faults), vm->last_fault.count,
		   atomic64_read(&vm->commands),
		   atomic64_read(&vm->submissions),
		   atomic64_read(&vm->pt.mapped_pages));
}

static int vsvm_vms_show(struct seq_file *m, void *data)
{
	struct vsvm_device *vdev = m->private;
	struct vsvm_vm *vm;

	seq_printf(m, "device fault_service_us %lld get_pages_us %lld bind_us %lld\n",
		   atomic64_read(&vdev->time_service_ns) / NSEC_PER_USEC,
		   atomic64_read(&vdev->time_get_pages_ns) / NSEC_PER_USEC,
		   atomic64_read(&vdev->time_bind_ns) / NSEC_PER_USEC);
	mutex_lock(&vdev->vms_lock);
	list_for_each_entry(vm, &vdev->vms, link)
		vsvm_vm_print(vm, m);
	mutex_unlock(&vdev->vms_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_vms);

static int vsvm_stats_show(struct seq_file *m, void *data)
{
	struct vsvm_vm *vm = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	vsvm_vm_print(vm, m);
	seq_printf(m, "mapped_4k %lld mapped_2m %lld\n",
		   atomic64_read(&vm->pt.mapped_4k),
		   atomic64_read(&vm->pt.mapped_2m));

	drm_svm_stats_print(&vm->svm, &p);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_stats);

static int vsvm_pagetable_show(struct seq_file *m, void *data)
{
	struct vsvm_vm *vm = m->private;

	drm_svm_notifier_lock(&vm->svm);
	rcu_read_lock();
	vsvm_pt_dump(&vm->pt, m);
	rcu_read_unlock();
	drm_svm_notifier_unlock(&vm->svm);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_pagetable);

static int vsvm_vram_show(struct seq_file *m, void *data)
{
	struct drm_printer p = drm_seq_file_printer(m);

	vsvm_vram_print(m->private, &p);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_vram);

/**
 * vsvm_debugfs_device_init() - create the device's debugfs files
 * @vdev: the device, registered
 */
void vsvm_debugfs_device_init(struct vsvm_device *vdev)
{
	debugfs_create_file("vms", 0444, vdev->drm.debugfs_root, vdev,
			    &vsvm_vms_fops);
	debugfs_create_file("vram", 0444, vdev->drm.debugfs_root, vdev,
			    &vsvm_vram_fops);
}

/**
 * vsvm_debugfs_vm_add() - create a VM's debugfs directory
 * @vm: the VM
 */
void vsvm_debugfs_vm_add(struct vsvm_vm *vm)
{
	char name[16];

	snprintf(name, sizeof(name), "vm%u", vm->id);
	vm->debugfs = debugfs_create_dir(name, vm->vdev->drm.debugfs_root);
	debugfs_create_file("stats", 0444, vm->debugfs, vm, &vsvm_stats_fops);
	debugfs_create_file("pagetable", 0444, vm->debugfs, vm,
			    &vsvm_pagetable_fops);
}

/**
 * vsvm_debugfs_vm_remove() - remove a VM's debugfs directory
 * @vm: the VM; waits for readers of its files
 */
void vsvm_debugfs_vm_remove(struct vsvm_vm *vm)
{
	debugfs_remove_recursive(vm->debugfs);
}
