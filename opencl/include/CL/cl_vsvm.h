/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * cl_vsvm_device_counters: the vsvm platform's one extension. It gives an
 * application the counters of its own address space on a vsvm device
 * (struct drm_vsvm_stats of uapi/drm/vsvm_drm.h): GPU faults, pages
 * mapped, migrations to and from VRAM, device-exclusive grants and
 * revocations for GPU atomics. Get the function with
 * clGetExtensionFunctionAddressForPlatform(platform, "clGetDeviceCountersVSVM").
 */
#ifndef CL_VSVM_H
#define CL_VSVM_H

#include <CL/cl.h>

#define CL_VSVM_DEVICE_COUNTERS_EXTENSION_NAME "cl_vsvm_device_counters"

/*
 * clGetDeviceCountersVSVM - the counters of the calling process's VM on
 * @device, copied into @counters (@size bytes, at least the size of
 * struct drm_vsvm_stats; @size_ret gets that size, may be NULL).
 * Returns CL_SUCCESS, CL_INVALID_DEVICE, CL_INVALID_VALUE (@counters NULL
 * or @size too small), CL_OUT_OF_RESOURCES (the device refused).
 */
typedef cl_int(CL_API_CALL *clGetDeviceCountersVSVM_fn)(cl_device_id device,
							size_t size,
							void *counters,
							size_t *size_ret);

#endif /* CL_VSVM_H */
