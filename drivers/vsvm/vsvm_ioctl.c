// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm ioctls
 *
 * The ioctl handlers: argument checks as include/uapi/drm conventions want
 * them (padding and flags must be zero, errno documented in vsvm_drm.h),
 * then the VM, engine or statistics code.
 */

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
		args->value = DRM_VSVM_FEATURE_SVM | DRM_VSVM_FEATURE_ATOMICS |
			      DRM_VSVM_FEATURE_SHADER;
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
	case DRM_VSVM_PARAM_ISA:
		args->value = VSVM_SHADER_ISA;
		break;
	case DRM_VSVM_PARAM_MAX_WORKGROUP:
		args->value = VSVM_SHADER_MAX_WORKGROUP;
		break;
	case DRM_VSVM_PARAM_MAX_LOCAL_MEM:
		args->value = VSVM_SHADER_MAX_LOCAL_MEM;
		break;
	case DRM_VSVM_PARAM_MAX_PRIVATE_MEM:
		args->value = VSVM_SHADER_MAX_PRIVATE_MEM;
		break;
	case DRM_VSVM_PARAM_MAX_PROGRAM_SIZE:
		args->value = VSVM_SHADER_MAX_PROGRAM_SIZE;
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
	args->shader_instructions = atomic64_read(&vm->shader_insns);
	args->atomic_grants = st.atomic_grants;
	args->atomic_revokes = st.atomic_revokes;
	return 0;
}
