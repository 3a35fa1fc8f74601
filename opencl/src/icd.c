// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: the ICD entry points. ocl-icd dlopen()s this library, looks up
 * clGetExtensionFunctionAddress, asks it for clIcdGetPlatformIDsKHR, checks
 * the platform with clGetPlatformInfo and from then on calls everything
 * through the dispatch table every object starts with. Those three are
 * the only exported symbols.
 */
#include <string.h>

#include "vcl.h"
#include "CL/cl_vsvm.h"

#define VCL_EXPORT __attribute__((visibility("default")))

VCL_HIDDEN const struct _cl_icd_dispatch vcl_dispatch = {
#define VCL_API(name) .cl##name = vcl##name,
#include "api.h"
#undef VCL_API
};

VCL_EXPORT CL_API_ENTRY cl_int CL_API_CALL
clIcdGetPlatformIDsKHR(cl_uint num_entries, cl_platform_id *platforms,
		       cl_uint *num_platforms);

VCL_EXPORT CL_API_ENTRY cl_int CL_API_CALL
clIcdGetPlatformIDsKHR(cl_uint num_entries, cl_platform_id *platforms,
		       cl_uint *num_platforms)
{
	return vclGetPlatformIDs(num_entries, platforms, num_platforms);
}

/* ocl-icd looks it up by name before it trusts the dispatch table. */
VCL_EXPORT CL_API_ENTRY cl_int CL_API_CALL
clGetPlatformInfo(cl_platform_id platform, cl_platform_info name, size_t size,
		  void *value, size_t *size_ret)
{
	return vclGetPlatformInfo(platform, name, size, value, size_ret);
}

/* cl_vsvm_device_counters */
static cl_int CL_API_CALL get_device_counters(cl_device_id dev, size_t size,
					      void *counters, size_t *size_ret)
{
	struct drm_vsvm_stats stats;

	if (!vcl_device_valid(dev))
		return CL_INVALID_DEVICE;
	if (!counters || size < sizeof(stats))
		return CL_INVALID_VALUE;
	if (vcl_device_vm(dev) || vsvm_stats(dev->vdev, &stats))
		return CL_OUT_OF_RESOURCES;
	memcpy(counters, &stats, sizeof(stats));
	if (size_ret)
		*size_ret = sizeof(stats);
	return CL_SUCCESS;
}

static const struct {
	const char *name;
	void *fn;
} ext_fns[] = {
	{ "clIcdGetPlatformIDsKHR", (void *)clIcdGetPlatformIDsKHR },
	{ "clGetDeviceCountersVSVM", (void *)get_device_counters },
};

VCL_EXPORT CL_API_ENTRY void *CL_API_CALL
clGetExtensionFunctionAddress(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(ext_fns) / sizeof(ext_fns[0]); i++)
		if (!strcmp(name, ext_fns[i].name))
			return ext_fns[i].fn;
	return NULL;
}

void *CL_API_CALL vclGetExtensionFunctionAddress(const char *name)
{
	return clGetExtensionFunctionAddress(name);
}

void *CL_API_CALL vclGetExtensionFunctionAddressForPlatform(
	cl_platform_id platform, const char *name)
{
	if (platform != vcl_platform())
		return NULL;
	return clGetExtensionFunctionAddress(name);
}
