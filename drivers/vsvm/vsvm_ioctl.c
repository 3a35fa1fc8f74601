// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm ioctls
 *
 * Every ioctl handler: argument checks as include/uapi/drm conventions want
 * them (padding and flags must be zero, errno documented in vsvm_drm.h),
 * then the VM, engine, placement or statistics code, which does the work.
 */

#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>

#include "vsvm_drv.h"

static struct vsvm_vm *vsvm_file_vm(struct drm_file *file)
{
	struct vsvm_file *vf = file->driver_priv;

	/* Pairs with the release in vsvm_ioctl_vm_init(). */
	return smp_load_acquire(&vf->vm);
}

int vsvm_ioctl_get_param(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(drm);
	struct drm_vsvm_get_param *args = data;

	if (args->pad)
		return -EINVAL;
	switch (args->param) {
	case DRM_VSVM_PARAM_FEATURES:
		args->value = DRM_VSVM_FEATURE_SVM | DRM_VSVM_FEATURE_ATOMICS;
		if (vdev->vram.size)
			args->value |= DRM_VSVM_FEATURE_VRAM;
		break;
	case DRM_VSVM_PARAM_VRAM_SIZE:
		args->value = vdev->vram.size;
		break;
	case DRM_VSVM_PARAM_NUM_CHANNELS:
		args->value = VSVM_NUM_CHANNELS;
		break;
	case DRM_VSVM_PARAM_VA_BITS:
		args->value = VSVM_VA_BITS;
		break;
	case DRM_VSVM_PARAM_PAGE_SIZES:
		args->value = SZ_4K | SZ_2M;
		break;
	case DRM_VSVM_PARAM_MAX_CMDS:
		args->value = VSVM_MAX_CMDS;
		break;
	case DRM_VSVM_PARAM_DEVICE_INDEX:
		args->value = vdev->index;
		break;
	case DRM_VSVM_PARAM_JOB_TIMEOUT_NS:
		args->value = vsvm_engine_job_timeout_ns();
		break;
	case DRM_VSVM_PARAM_MAX_INFLIGHT:
		args->value = VSVM_MAX_INFLIGHT;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int vsvm_ioctl_vm_init(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct vsvm_file *vf = file->driver_priv;
	struct drm_vsvm_vm_init *args = data;
	struct vsvm_vm *vm;
	int err = 0;

	if (args->flags || args->pad || !args->size ||
	    !PAGE_ALIGNED(args->start) || !PAGE_ALIGNED(args->size) ||
	    args->start + args->size < args->start ||
	    args->start + args->size > BIT_ULL(VSVM_VA_BITS))
		return -EINVAL;
	if (!current->mm)
		return -EINVAL;

	mutex_lock(&vf->lock);
	if (vf->vm) {
		err = -EBUSY;
		goto out_unlock;
	}
	vm = vsvm_vm_create(to_vsvm_device(drm), args->start, args->size);
	if (IS_ERR(vm)) {
		err = PTR_ERR(vm);
		goto out_unlock;
	}
	/* Publish the VM only once it is set up (see vsvm_file_vm()). */
	smp_store_release(&vf->vm, vm);
out_unlock:
	mutex_unlock(&vf->lock);
	return err;
}

int vsvm_ioctl_exec(struct drm_device *drm, void *data,
		    struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_file_vm(file);
	struct drm_vsvm_exec *args = data;
	struct vsvm_submission *s;

	if (!vm || args->flags || args->pad ||
	    args->channel >= VSVM_NUM_CHANNELS ||
	    !args->num_cmds || args->num_cmds > VSVM_MAX_CMDS)
		return -EINVAL;
	if (current->mm != vm->svm.mm)
		return -EPERM;

	s = vsvm_submission_new(file->driver_priv, args);
	if (IS_ERR(s))
		return PTR_ERR(s);
	return vsvm_channel_submit(&vm->channels[args->channel], s,
				   &args->seqno);
}

int vsvm_ioctl_wait(struct drm_device *drm, void *data,
		    struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_file_vm(file);
	struct drm_vsvm_wait *args = data;
	s32 status = 0;
	int err;

	if (!vm || args->flags || args->pad ||
	    args->channel >= VSVM_NUM_CHANNELS)
		return -EINVAL;
	err = vsvm_channel_wait(&vm->channels[args->channel], args->seqno,
				args->timeout_ns, &status);
	if (!err)
		args->status = status;
	return err;
}

int vsvm_ioctl_fault_info(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_file_vm(file);
	struct drm_vsvm_fault_info *args = data;
	int err = 0;

	if (!vm || args->flags || args->pad)
		return -EINVAL;
	spin_lock(&vm->fault_lock);
	if (!vm->last_fault.count)
		err = -ENOENT;
	else
		*args = vm->last_fault;
	spin_unlock(&vm->fault_lock);
	return err;
}

/* The device's VRAM counters (any client's). */
static void vsvm_ioctl_stats_vram(struct vsvm_device *vdev,
				  struct drm_vsvm_stats *args)
{
	struct vsvm_vram *vram = &vdev->vram;

	if (!vram->size)
		return;
	args->vram_used = vsvm_vram_used(vdev);
	args->vram_evictions = atomic64_read(&vram->evictions);
	args->migrations_to_vram = atomic64_read(&vram->migrations_to_vram);
	args->migrations_to_ram = atomic64_read(&vram->dm.migrated_to_ram);
}

int vsvm_ioctl_stats(struct drm_device *drm, void *data,
		     struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_file_vm(file);
	struct drm_vsvm_stats *args = data;
	struct drm_svm_stats st;

	if (args->flags || args->pad)
		return -EINVAL;
	memset(args, 0, sizeof(*args));
	if (!vm)
		return 0;
	vsvm_ioctl_stats_vram(to_vsvm_device(drm), args);

	drm_svm_stats_read(&vm->svm, &st);
	args->gpu_faults = atomic64_read(&vm->gpu_faults);
	spin_lock(&vm->fault_lock);
	args->gpu_faults_unrecoverable = vm->last_fault.count;
	spin_unlock(&vm->fault_lock);
	args->svm_faults = st.faults;
	args->svm_retries = st.retries;
	args->invalidations = st.invalidations;
	args->ranges_collected = st.ranges_collected;
	args->mapped_pages = atomic64_read(&vm->pt.mapped_pages);
	args->mapped_4k = atomic64_read(&vm->pt.mapped_4k);
	args->mapped_2m = atomic64_read(&vm->pt.mapped_2m);
	args->commands = atomic64_read(&vm->commands);
	args->submissions = atomic64_read(&vm->submissions);
	args->job_timeouts = atomic64_read(&vm->job_timeouts);
	args->pt_bytes = atomic64_read(&vm->pt.tables) << PAGE_SHIFT;
	args->atomic_grants = st.atomic_grants;
	args->atomic_revokes = st.atomic_revokes;
	return 0;
}

/* Whether [start, end) is covered by VMAs without a hole. */
static bool vsvm_range_mapped(struct mm_struct *mm, unsigned long start,
			      unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	bool ok = true;

	mmap_read_lock(mm);
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			ok = false;
			break;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ok;
}

/* Common checks of an interval: -EINVAL or 0. */
static int vsvm_check_interval(struct vsvm_vm *vm, u64 start, u64 size)
{
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(size) || !size ||
	    start + size < start || start < vm->svm.start ||
	    start + size > vm->svm.end)
		return -EINVAL;
	return 0;
}

static bool vsvm_loc_valid(u64 loc)
{
	if (loc <= DRM_VSVM_LOC_DEVICE)
		return true;
	return loc >= DRM_VSVM_LOC_DEVICE_N(0) &&
	       loc < DRM_VSVM_LOC_DEVICE_N(VSVM_MAX_DEVICES) &&
	       vsvm_device_exists(loc - DRM_VSVM_LOC_DEVICE_N(0));
}

/* uAPI attribute -> drm_svm attribute; -EINVAL for a bad value. */
static int vsvm_attr_from_user(u32 attr, u64 value, struct drm_svm_attrs *a)
{
	memset(a, 0, sizeof(*a));
	if (value > U32_MAX)
		return -EINVAL;
	switch (attr) {
	case DRM_VSVM_ATTR_PREFERRED_LOC:
		if (!vsvm_loc_valid(value))
			return -EINVAL;
		/* The uAPI values are drm_svm's. */
		a->preferred_loc = value;
		break;
	case DRM_VSVM_ATTR_MIGRATE:
		a->migrate = value;
		break;
	case DRM_VSVM_ATTR_ACCESS:
		a->access = value;
		break;
	case DRM_VSVM_ATTR_GRANULARITY:
		a->granularity_shift = value;
		break;
	case DRM_VSVM_ATTR_ATOMIC:
		a->atomic = value;
		break;
	default:
		return -EINVAL;
	}
	return drm_svm_attr_check(BIT(attr), a);
}

static u64 vsvm_attr_to_user(u32 attr, const struct drm_svm_attrs *a)
{
	switch (attr) {
	case DRM_VSVM_ATTR_PREFERRED_LOC:
		return a->preferred_loc;
	case DRM_VSVM_ATTR_MIGRATE:
		return a->migrate;
	case DRM_VSVM_ATTR_ACCESS:
		return a->access;
	case DRM_VSVM_ATTR_GRANULARITY:
		return a->granularity_shift;
	default:
		return a->atomic;
	}
}

int vsvm_ioctl_advise(struct drm_device *drm, void *data,
		      struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_file_vm(file);
	struct drm_vsvm_advise *args = data;
	struct drm_svm_range *range;
	struct drm_svm_attrs attrs;
	int err;

	if (!vm || (args->flags & ~DRM_VSVM_ADVISE_GET) ||
	    args->attr > DRM_VSVM_ATTR_ATOMIC)
		return -EINVAL;
	if (current->mm != vm->svm.mm)
		return -EPERM;

	if (args->flags & DRM_VSVM_ADVISE_GET) {
		if (!PAGE_ALIGNED(args->start) || !PAGE_ALIGNED(args->size) ||
		    args->start < vm->svm.start || args->start >= vm->svm.end)
			return -EINVAL;
		drm_svm_attr_get(&vm->svm, args->start, &attrs);
		args->value = vsvm_attr_to_user(args->attr, &attrs);
		return 0;
	}

	err = vsvm_check_interval(vm, args->start, args->size);
	if (!err)
		err = vsvm_attr_from_user(args->attr, args->value, &attrs);
	if (err)
		return err;
	if (!vsvm_range_mapped(vm->svm.mm, args->start, args->start + args->size))
		return -EFAULT;

	mutex_lock(&vm->lock);
	err = drm_svm_attr_set(&vm->svm, args->start, args->start + args->size,
			       BIT(args->attr), &attrs);
	/* Mappings made under the old access policy go. */
	if (!err && args->attr == DRM_VSVM_ATTR_ACCESS) {
		drm_svm_for_each_range(range, &vm->svm, args->start,
				       args->start + args->size)
			drm_svm_range_unmap_pages(&vm->svm, range);
	}
	if (!err)
		vsvm_placement_reset(vm, args->start, args->start + args->size);
	mutex_unlock(&vm->lock);
	return err;
}

int vsvm_ioctl_prefetch(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct vsvm_vm *vm = vsvm_file_vm(file);
	struct drm_vsvm_prefetch *args = data;
	struct vsvm_device *vdev = to_vsvm_device(drm);
	unsigned long migrated = 0;
	bool to_vram;
	int err;

	if (!vm || args->flags)
		return -EINVAL;
	err = vsvm_check_interval(vm, args->start, args->size);
	if (err)
		return err;
	if (args->loc == DRM_VSVM_LOC_SYSTEM)
		to_vram = false;
	else if (args->loc == DRM_VSVM_LOC_DEVICE ||
		 args->loc == DRM_VSVM_LOC_DEVICE_N(vdev->index))
		to_vram = true;
	else
		return -EINVAL;
	if (current->mm != vm->svm.mm)
		return -EPERM;
	if (to_vram && !vdev->vram.size)
		return -ENODEV;
	if (to_vram && args->size > vdev->vram.size)
		return -ENOSPC;
	if (!vsvm_range_mapped(vm->svm.mm, args->start, args->start + args->size))
		return -EFAULT;

	if (to_vram) {
		mutex_lock(&vm->lock);
		vsvm_placement_reset(vm, args->start, args->start + args->size);
		err = vsvm_placement_to_vram(vm, args->start,
					     args->start + args->size, &migrated);
		mutex_unlock(&vm->lock);
	} else {
		err = vsvm_placement_to_ram(vm, args->start,
					    args->start + args->size, &migrated);
	}
	args->migrated = migrated;
	return err;
}
