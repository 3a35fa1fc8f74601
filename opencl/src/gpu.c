// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: the shader-core calls, through libdrm_vsvm. Until libdrm_vsvm has
 * its program API no device reports DRM_VSVM_FEATURE_SHADER either, so
 * nothing reaches vcl_gpu_program_new().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcl.h"

struct vcl_gpu_program {
	uint32_t handle;
};

int vcl_gpu_program_new(cl_device_id dev, const void *image, size_t size,
			struct vcl_gpu_program **prog)
{
	(void)dev; (void)image; (void)size; (void)prog;
	return -ENODEV;
}

void vcl_gpu_program_del(struct vcl_gpu_program *prog)
{
	free(prog);
}

uint32_t vcl_gpu_program_handle(const struct vcl_gpu_program *prog)
{
	return prog->handle;
}

int vcl_gpu_dispatch(struct vsvm_cmdbuf *cb, const struct drm_vsvm_dispatch *d)
{
	struct drm_vsvm_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.op = DRM_VSVM_OP_DISPATCH;
	cmd.src = VSVM_PTR(d);
	return vsvm_cmd_raw(cb, &cmd);
}
