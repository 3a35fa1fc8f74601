// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: the shader-core calls, all through libdrm_vsvm: a program image
 * uploaded to a device (DRM_IOCTL_VSVM_PROGRAM_CREATE) and the DISPATCH
 * command appended to a command buffer.
 */
#include <errno.h>
#include <stdlib.h>

#include "vcl.h"

struct vcl_gpu_program {
	struct vsvm_program *prog;
};

int vcl_gpu_program_new(cl_device_id dev, const void *image, size_t size,
			struct vcl_gpu_program **out)
{
	struct vcl_gpu_program *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = vsvm_program_new(dev->vdev, image, size, &p->prog, NULL);
	if (err) {
		free(p);
		return err;
	}
	*out = p;
	return 0;
}

void vcl_gpu_program_del(struct vcl_gpu_program *p)
{
	if (!p)
		return;
	vsvm_program_del(p->prog);
	free(p);
}

uint32_t vcl_gpu_program_handle(const struct vcl_gpu_program *p)
{
	return vsvm_program_handle(p->prog);
}

int vcl_gpu_dispatch(struct vsvm_cmdbuf *cb, const struct drm_vsvm_dispatch *d)
{
	return vsvm_cmd_dispatch(cb, d);
}
