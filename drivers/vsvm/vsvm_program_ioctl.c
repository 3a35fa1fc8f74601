// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm program ioctls
 *
 * The program handles of an open file and DRM_IOCTL_VSVM_PROGRAM_CREATE /
 * DRM_IOCTL_VSVM_PROGRAM_DESTROY. Handles live in an xarray allocating
 * from 1, at most %VSVM_SHADER_MAX_PROGRAMS per file; each holds a
 * reference to its program (vsvm_program.c), and so does every dispatch
 * that looked one up.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <drm/drm_file.h>

#include "vsvm_drv.h"

/**
 * vsvm_programs_init() - set up a file's program handles
 * @progs: the handles
 */
void vsvm_programs_init(struct vsvm_programs *progs)
{
	xa_init_flags(&progs->xa, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
}

/**
 * vsvm_programs_fini() - drop every handle of a file
 * @progs: the handles
 */
void vsvm_programs_fini(struct vsvm_programs *progs)
{
	struct vsvm_program *prog;
	unsigned long handle;

	xa_for_each(&progs->xa, handle, prog)
		vsvm_program_put(prog);
	xa_destroy(&progs->xa);
}

/**
 * vsvm_program_lookup() - the program of a handle
 * @progs: the file's handles
 * @handle: the handle
 *
 * Return: the program with a reference taken, or NULL.
 */
struct vsvm_program *vsvm_program_lookup(struct vsvm_programs *progs,
					 u32 handle)
{
	struct vsvm_program *prog;

	xa_lock(&progs->xa);
	prog = xa_load(&progs->xa, handle);
	if (prog)
		kref_get(&prog->ref);
	xa_unlock(&progs->xa);
	return prog;
}

/**
 * vsvm_ioctl_program_create() - DRM_IOCTL_VSVM_PROGRAM_CREATE
 * @drm: the device
 * @data: the &struct drm_vsvm_program_create
 * @file: the file
 *
 * Return: 0 or a negative errno, as &struct drm_vsvm_program_create says.
 */
int vsvm_ioctl_program_create(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct vsvm_file *vf = file->driver_priv;
	struct vsvm_programs *progs = &vf->programs;
	struct drm_vsvm_program_create *args = data;
	struct vsvm_program *prog;
	void *image;
	u32 handle;
	int ret;

	if (args->flags || !args->size ||
	    args->size > VSVM_SHADER_MAX_PROGRAM_SIZE)
		return -EINVAL;
	image = kvmalloc(args->size, GFP_KERNEL_ACCOUNT);
	if (!image)
		return -ENOMEM;
	if (copy_from_user(image, u64_to_user_ptr(args->image), args->size)) {
		ret = -EFAULT;
		goto out_free_image;
	}
	args->error_offset = 0;
	prog = vsvm_program_create(image, args->size, &args->error_offset);
	if (IS_ERR(prog)) {
		ret = PTR_ERR(prog);
		goto out_free_image;
	}
	ret = xa_alloc(&progs->xa, &handle, prog,
		       XA_LIMIT(1, VSVM_SHADER_MAX_PROGRAMS), GFP_KERNEL_ACCOUNT);
	if (ret) {
		vsvm_program_put(prog);
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto out_free_image;
	}
	args->handle = handle;
out_free_image:
	kvfree(image);
	return ret;
}

/**
 * vsvm_ioctl_program_destroy() - DRM_IOCTL_VSVM_PROGRAM_DESTROY
 * @drm: the device
 * @data: the &struct drm_vsvm_program_destroy
 * @file: the file
 *
 * Return: 0, -EINVAL (pad not zero) or -ENOENT (no such handle).
 */
int vsvm_ioctl_program_destroy(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct vsvm_file *vf = file->driver_priv;
	struct vsvm_programs *progs = &vf->programs;
	struct drm_vsvm_program_destroy *args = data;
	struct vsvm_program *prog;

	if (args->pad)
		return -EINVAL;
	prog = xa_erase(&progs->xa, args->handle);
	if (!prog)
		return -ENOENT;
	vsvm_program_put(prog);
	return 0;
}
