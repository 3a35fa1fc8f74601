// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: the platform and its devices. Every vsvm render node is a device;
 * what it can do comes from its DRM_VSVM_PARAM_* values, read once when
 * the platform is first asked for:
 *
 *  - kernels run only with DRM_VSVM_FEATURE_SHADER and an ISA of at least
 *    RV64IMAFD (what the compiler emits);
 *  - SVM: COARSE_GRAIN_BUFFER, FINE_GRAIN_BUFFER and FINE_GRAIN_SYSTEM need
 *    kernels and DRM_VSVM_FEATURE_SVM (every access goes through the
 *    mirrored page table, so any pointer works); ATOMICS also needs
 *    DRM_VSVM_FEATURE_ATOMICS (device-exclusive pages) and the A extension.
 *    Nothing is advertised that the kernel does not advertise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vcl.h"
#include "vsvm_cc.h"

extern const struct _cl_icd_dispatch vcl_dispatch;

static struct vcl_platform_state state = { .once = PTHREAD_ONCE_INIT };

#define ISA_NEEDED (DRM_VSVM_ISA_RV64I | DRM_VSVM_ISA_M | DRM_VSVM_ISA_A | \
		    DRM_VSVM_ISA_F | DRM_VSVM_ISA_D)

static const char platform_extensions[] = "cl_khr_icd cl_khr_extended_versioning";
static const cl_name_version platform_ext_versions[] = {
	{ CL_MAKE_VERSION(1, 0, 0), "cl_khr_icd" },
	{ CL_MAKE_VERSION(1, 0, 0), "cl_khr_extended_versioning" },
};

/*
 * Device extensions: what the compiler gives programs, plus the runtime's
 * own; OpenCL C features: the compiler's. Built once, in platform_init().
 */
#define RUNTIME_EXTENSIONS "cl_khr_extended_versioning cl_vsvm_device_counters"
static char device_extensions[1024];
static cl_name_version device_ext_versions[32];
static size_t num_device_exts;
static cl_name_version c_features[32];
static size_t num_c_features;

/* Split @list into @out (names of version @version); the count. */
static size_t split_names(const char *list, cl_name_version *out, size_t max,
			  cl_version version)
{
	size_t n = 0;

	while (*list && n < max) {
		size_t len;

		list += strspn(list, " ");
		len = strcspn(list, " ");
		if (!len)
			break;
		if (len < CL_NAME_VERSION_MAX_NAME_SIZE) {
			memset(&out[n], 0, sizeof(out[n]));
			memcpy(out[n].name, list, len);
			out[n].version = version;
			n++;
		}
		list += len;
	}
	return n;
}

static const cl_name_version c_versions[] = {
	{ CL_MAKE_VERSION(1, 0, 0), "OpenCL C" },
	{ CL_MAKE_VERSION(1, 1, 0), "OpenCL C" },
	{ CL_MAKE_VERSION(1, 2, 0), "OpenCL C" },
	{ CL_MAKE_VERSION(3, 0, 0), "OpenCL C" },
};
#define MAX_GLOBAL_VARIABLE_SIZE (64 * 1024)

static uint64_t param(struct vsvm_device *vdev, uint32_t p)
{
	uint64_t v = 0;

	if (vsvm_get_param(vdev, p, &v))
		return 0;
	return v;
}

static void device_destroy(struct vcl_obj *obj)
{
	(void)obj;	/* root devices live as long as the process */
}

static int device_new(unsigned int index, cl_device_id *out)
{
	cl_device_id dev;
	char *node;
	long pages, page_size;
	int major = 0, minor = 0, patch = 0, err;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	err = vsvm_device_new_nth(index, &dev->vdev);
	if (err) {
		free(dev);
		return err;
	}
	vcl_obj_init(&dev->obj, VCL_DEVICE, device_destroy, NULL);
	pthread_mutex_init(&dev->vm_lock, NULL);
	dev->vm_err = 1;
	dev->index = index;
	dev->features = param(dev->vdev, DRM_VSVM_PARAM_FEATURES);
	dev->vram_size = param(dev->vdev, DRM_VSVM_PARAM_VRAM_SIZE);
	dev->num_channels = param(dev->vdev, DRM_VSVM_PARAM_NUM_CHANNELS);
	dev->max_cmds = param(dev->vdev, DRM_VSVM_PARAM_MAX_CMDS);
	dev->device_index = param(dev->vdev, DRM_VSVM_PARAM_DEVICE_INDEX);
	dev->isa = param(dev->vdev, DRM_VSVM_PARAM_ISA);
	dev->max_workgroup = param(dev->vdev, DRM_VSVM_PARAM_MAX_WORKGROUP);
	dev->max_local_mem = param(dev->vdev, DRM_VSVM_PARAM_MAX_LOCAL_MEM);
	dev->max_private_mem = param(dev->vdev, DRM_VSVM_PARAM_MAX_PRIVATE_MEM);
	dev->max_program_size = param(dev->vdev, DRM_VSVM_PARAM_MAX_PROGRAM_SIZE);
	dev->job_timeout_ns = param(dev->vdev, DRM_VSVM_PARAM_JOB_TIMEOUT_NS);
	dev->max_inflight = param(dev->vdev, DRM_VSVM_PARAM_MAX_INFLIGHT);
	if (!dev->num_channels)
		dev->num_channels = 1;
	if (dev->num_channels > 64)
		dev->num_channels = 64;
	if (!dev->max_cmds)
		dev->max_cmds = 64;

	dev->shader = (dev->features & DRM_VSVM_FEATURE_SHADER) &&
		      (dev->isa & ISA_NEEDED) == ISA_NEEDED &&
		      dev->max_workgroup > 0 && dev->max_private_mem > 0;
	if (dev->shader && (dev->features & DRM_VSVM_FEATURE_SVM)) {
		dev->svm_caps = CL_DEVICE_SVM_COARSE_GRAIN_BUFFER |
				CL_DEVICE_SVM_FINE_GRAIN_BUFFER |
				CL_DEVICE_SVM_FINE_GRAIN_SYSTEM;
		if (dev->features & DRM_VSVM_FEATURE_ATOMICS)
			dev->svm_caps |= CL_DEVICE_SVM_ATOMICS;
	}
	if (!dev->max_workgroup)
		dev->max_workgroup = 1;

	pages = sysconf(_SC_PHYS_PAGES);
	page_size = sysconf(_SC_PAGESIZE);
	dev->global_mem_size = (cl_ulong)pages * (cl_ulong)page_size;
	dev->max_alloc = dev->global_mem_size / 4;
	if (dev->max_alloc < 128ull << 20)
		dev->max_alloc = 128ull << 20;

	node = drmGetDeviceNameFromFd2(vsvm_device_fd(dev->vdev));
	snprintf(dev->name, sizeof(dev->name), "vsvm %llu (%s)",
		 (unsigned long long)dev->device_index,
		 node ? strrchr(node, '/') + 1 : "?");
	free(node);
	vsvm_device_version(dev->vdev, &major, &minor, &patch);
	snprintf(dev->version, sizeof(dev->version), "%s (vsvm %d.%d.%d)",
		 VCL_VERSION_STR, major, minor, patch);
	*out = dev;
	return 0;
}

static void platform_init(void)
{
	struct _cl_platform_id *p = &state.platform;
	unsigned int count = 0, i;

	p->dispatch = &vcl_dispatch;
	p->magic = VCL_MAGIC(VCL_PLATFORM);
	snprintf(device_extensions, sizeof(device_extensions), "%s %s",
		 vsvm_cc_opencl_c_extensions(), RUNTIME_EXTENSIONS);
	num_device_exts = split_names(device_extensions, device_ext_versions,
				      sizeof(device_ext_versions) /
				      sizeof(device_ext_versions[0]),
				      CL_MAKE_VERSION(1, 0, 0));
	num_c_features = split_names(vsvm_cc_opencl_c_features(), c_features,
				     sizeof(c_features) / sizeof(c_features[0]),
				     CL_MAKE_VERSION(3, 0, 0));
	if (vsvm_device_count(&count))
		count = 0;
	for (i = 0; i < count && p->num_devices < VCL_MAX_DEVICES; i++) {
		cl_device_id dev;

		if (device_new(i, &dev))
			continue;
		p->devices[p->num_devices++] = dev;
	}
}

struct _cl_platform_id *vcl_platform(void)
{
	pthread_once(&state.once, platform_init);
	return &state.platform;
}

bool vcl_device_valid(cl_device_id dev)
{
	struct _cl_platform_id *p = vcl_platform();
	cl_uint i;

	for (i = 0; i < p->num_devices; i++)
		if (p->devices[i] == dev)
			return true;
	return false;
}

/* Bind the process's address space to the device, once. */
cl_int vcl_device_vm(cl_device_id dev)
{
	int err;

	pthread_mutex_lock(&dev->vm_lock);
	if (dev->vm_err == 1)
		dev->vm_err = vsvm_vm_init(dev->vdev, 0, 0);
	err = dev->vm_err;
	pthread_mutex_unlock(&dev->vm_lock);
	return err ? CL_OUT_OF_RESOURCES : CL_SUCCESS;
}

/* The least used channel of @dev, for a new queue. */
uint32_t vcl_device_take_channel(cl_device_id dev)
{
	uint32_t best = 0, i;

	pthread_mutex_lock(&dev->vm_lock);
	for (i = 1; i < dev->num_channels; i++)
		if (dev->channel_users[i] < dev->channel_users[best])
			best = i;
	dev->channel_users[best]++;
	pthread_mutex_unlock(&dev->vm_lock);
	return best;
}

void vcl_device_drop_channel(cl_device_id dev, uint32_t channel)
{
	pthread_mutex_lock(&dev->vm_lock);
	dev->channel_users[channel]--;
	pthread_mutex_unlock(&dev->vm_lock);
}

/* ------------------------------------------------------------------ */

cl_int CL_API_CALL vclGetPlatformIDs(cl_uint num_entries,
				     cl_platform_id *platforms,
				     cl_uint *num_platforms)
{
	struct _cl_platform_id *p;

	if ((!platforms && !num_platforms) || (platforms && !num_entries))
		return CL_INVALID_VALUE;
	p = vcl_platform();
	if (!p->num_devices) {
		if (num_platforms)
			*num_platforms = 0;
		return CL_PLATFORM_NOT_FOUND_KHR;
	}
	if (platforms)
		platforms[0] = p;
	if (num_platforms)
		*num_platforms = 1;
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclGetPlatformInfo(cl_platform_id platform,
				      cl_platform_info name, size_t size,
				      void *value, size_t *size_ret)
{
	if (platform && platform != vcl_platform())
		return CL_INVALID_PLATFORM;

	switch (name) {
	case CL_PLATFORM_PROFILE:
		VCL_INFO_STR("FULL_PROFILE");
	case CL_PLATFORM_VERSION:
		VCL_INFO_STR("OpenCL 3.0 drm-svm " VCL_VERSION_STR);
	case CL_PLATFORM_NUMERIC_VERSION:
		VCL_INFO(cl_version, CL_MAKE_VERSION(3, 0, 0));
	case CL_PLATFORM_NAME:
		VCL_INFO_STR("drm-svm vsvm");
	case CL_PLATFORM_VENDOR:
		VCL_INFO_STR("drm-svm");
	case CL_PLATFORM_EXTENSIONS:
		VCL_INFO_STR(platform_extensions);
	case CL_PLATFORM_EXTENSIONS_WITH_VERSION:
		return vcl_info(size, value, size_ret, platform_ext_versions,
				sizeof(platform_ext_versions));
	case CL_PLATFORM_ICD_SUFFIX_KHR:
		VCL_INFO_STR("VSVM");
	case CL_PLATFORM_HOST_TIMER_RESOLUTION:
		VCL_INFO(cl_ulong, 1);
	default:
		return CL_INVALID_VALUE;
	}
}

cl_int CL_API_CALL vclGetDeviceIDs(cl_platform_id platform,
				   cl_device_type type, cl_uint num_entries,
				   cl_device_id *devices, cl_uint *num_devices)
{
	struct _cl_platform_id *p = vcl_platform();
	cl_uint n = 0, i;
	const cl_device_type known = CL_DEVICE_TYPE_DEFAULT |
		CL_DEVICE_TYPE_CPU | CL_DEVICE_TYPE_GPU |
		CL_DEVICE_TYPE_ACCELERATOR | CL_DEVICE_TYPE_CUSTOM;

	if (platform && platform != p)
		return CL_INVALID_PLATFORM;
	if (type != CL_DEVICE_TYPE_ALL && (!type || (type & ~known)))
		return CL_INVALID_DEVICE_TYPE;
	if ((devices && !num_entries) || (!devices && !num_devices))
		return CL_INVALID_VALUE;
	if (type & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_DEFAULT)) {
		n = p->num_devices;
		/* The default device is the first one. */
		if (!(type & CL_DEVICE_TYPE_GPU) && n)
			n = 1;
	}
	if (!n)
		return CL_DEVICE_NOT_FOUND;
	for (i = 0; devices && i < n && i < num_entries; i++)
		devices[i] = p->devices[i];
	if (num_devices)
		*num_devices = n;
	return CL_SUCCESS;
}

static cl_device_fp_config fp_config(bool dbl)
{
	(void)dbl;
	/* RISC-V F and D: IEEE 754 with every rounding mode, subnormals, fma. */
	return CL_FP_DENORM | CL_FP_INF_NAN | CL_FP_ROUND_TO_NEAREST |
	       CL_FP_ROUND_TO_ZERO | CL_FP_ROUND_TO_INF | CL_FP_FMA;
}

cl_int CL_API_CALL vclGetDeviceInfo(cl_device_id dev, cl_device_info name,
				    size_t size, void *value, size_t *size_ret)
{
	const cl_device_atomic_capabilities atomic_caps =
		CL_DEVICE_ATOMIC_ORDER_RELAXED |
		CL_DEVICE_ATOMIC_ORDER_ACQ_REL |
		CL_DEVICE_ATOMIC_ORDER_SEQ_CST |
		CL_DEVICE_ATOMIC_SCOPE_WORK_GROUP |
		CL_DEVICE_ATOMIC_SCOPE_DEVICE |
		CL_DEVICE_ATOMIC_SCOPE_ALL_DEVICES;
	size_t wi_sizes[3];

	if (!vcl_device_valid(dev))
		return CL_INVALID_DEVICE;

	switch (name) {
	case CL_DEVICE_TYPE:
		VCL_INFO(cl_device_type, CL_DEVICE_TYPE_GPU);
	case CL_DEVICE_VENDOR_ID:
		VCL_INFO(cl_uint, 0);
	case CL_DEVICE_MAX_COMPUTE_UNITS:
		VCL_INFO(cl_uint, 1);
	case CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS:
		VCL_INFO(cl_uint, 3);
	case CL_DEVICE_MAX_WORK_ITEM_SIZES:
		wi_sizes[0] = wi_sizes[1] = wi_sizes[2] = dev->max_workgroup;
		return vcl_info(size, value, size_ret, wi_sizes, sizeof(wi_sizes));
	case CL_DEVICE_MAX_WORK_GROUP_SIZE:
		VCL_INFO(size_t, dev->max_workgroup);
	case CL_DEVICE_PREFERRED_VECTOR_WIDTH_CHAR:
	case CL_DEVICE_PREFERRED_VECTOR_WIDTH_SHORT:
	case CL_DEVICE_PREFERRED_VECTOR_WIDTH_INT:
	case CL_DEVICE_PREFERRED_VECTOR_WIDTH_LONG:
	case CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT:
	case CL_DEVICE_PREFERRED_VECTOR_WIDTH_DOUBLE:
	case CL_DEVICE_NATIVE_VECTOR_WIDTH_CHAR:
	case CL_DEVICE_NATIVE_VECTOR_WIDTH_SHORT:
	case CL_DEVICE_NATIVE_VECTOR_WIDTH_INT:
	case CL_DEVICE_NATIVE_VECTOR_WIDTH_LONG:
	case CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT:
	case CL_DEVICE_NATIVE_VECTOR_WIDTH_DOUBLE:
		VCL_INFO(cl_uint, 1);
	case CL_DEVICE_PREFERRED_VECTOR_WIDTH_HALF:
	case CL_DEVICE_NATIVE_VECTOR_WIDTH_HALF:
		VCL_INFO(cl_uint, 0);
	case CL_DEVICE_MAX_CLOCK_FREQUENCY:
		VCL_INFO(cl_uint, 0);
	case CL_DEVICE_ADDRESS_BITS:
		VCL_INFO(cl_uint, 64);
	case CL_DEVICE_MAX_MEM_ALLOC_SIZE:
		VCL_INFO(cl_ulong, dev->max_alloc);
	case CL_DEVICE_IMAGE_SUPPORT:
		VCL_INFO(cl_bool, CL_FALSE);
	case CL_DEVICE_MAX_READ_IMAGE_ARGS:
	case CL_DEVICE_MAX_WRITE_IMAGE_ARGS:
	case CL_DEVICE_MAX_READ_WRITE_IMAGE_ARGS:
	case CL_DEVICE_MAX_SAMPLERS:
	case CL_DEVICE_IMAGE_PITCH_ALIGNMENT:
	case CL_DEVICE_IMAGE_BASE_ADDRESS_ALIGNMENT:
	case CL_DEVICE_MAX_PIPE_ARGS:
	case CL_DEVICE_PIPE_MAX_ACTIVE_RESERVATIONS:
	case CL_DEVICE_PIPE_MAX_PACKET_SIZE:
	case CL_DEVICE_MAX_ON_DEVICE_QUEUES:
	case CL_DEVICE_MAX_ON_DEVICE_EVENTS:
	case CL_DEVICE_QUEUE_ON_DEVICE_PREFERRED_SIZE:
	case CL_DEVICE_QUEUE_ON_DEVICE_MAX_SIZE:
	case CL_DEVICE_MAX_NUM_SUB_GROUPS:
	case CL_DEVICE_PARTITION_MAX_SUB_DEVICES:
	case CL_DEVICE_GLOBAL_MEM_CACHELINE_SIZE:
	case CL_DEVICE_PREFERRED_PLATFORM_ATOMIC_ALIGNMENT:
	case CL_DEVICE_PREFERRED_GLOBAL_ATOMIC_ALIGNMENT:
	case CL_DEVICE_PREFERRED_LOCAL_ATOMIC_ALIGNMENT:
		VCL_INFO(cl_uint, 0);
	case CL_DEVICE_IMAGE2D_MAX_WIDTH:
	case CL_DEVICE_IMAGE2D_MAX_HEIGHT:
	case CL_DEVICE_IMAGE3D_MAX_WIDTH:
	case CL_DEVICE_IMAGE3D_MAX_HEIGHT:
	case CL_DEVICE_IMAGE3D_MAX_DEPTH:
	case CL_DEVICE_IMAGE_MAX_BUFFER_SIZE:
	case CL_DEVICE_IMAGE_MAX_ARRAY_SIZE:
	case CL_DEVICE_PRINTF_BUFFER_SIZE:
		VCL_INFO(size_t, 0);
	case CL_DEVICE_MAX_PARAMETER_SIZE:
		VCL_INFO(size_t, 4096);
	case CL_DEVICE_MEM_BASE_ADDR_ALIGN:
		VCL_INFO(cl_uint, 1024);	/* bits: long16 */
	case CL_DEVICE_MIN_DATA_TYPE_ALIGN_SIZE:
		VCL_INFO(cl_uint, 128);
	case CL_DEVICE_SINGLE_FP_CONFIG:
		VCL_INFO(cl_device_fp_config, fp_config(false));
	case CL_DEVICE_DOUBLE_FP_CONFIG:
		VCL_INFO(cl_device_fp_config, fp_config(true));
	case CL_DEVICE_HALF_FP_CONFIG:
		VCL_INFO(cl_device_fp_config, 0);
	case CL_DEVICE_GLOBAL_MEM_CACHE_TYPE:
		VCL_INFO(cl_device_mem_cache_type, CL_NONE);
	case CL_DEVICE_GLOBAL_MEM_CACHE_SIZE:
		VCL_INFO(cl_ulong, 0);
	case CL_DEVICE_GLOBAL_MEM_SIZE:
		VCL_INFO(cl_ulong, dev->global_mem_size);
	case CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE:
		VCL_INFO(cl_ulong, dev->max_alloc);
	case CL_DEVICE_MAX_CONSTANT_ARGS:
		VCL_INFO(cl_uint, 64);
	case CL_DEVICE_MAX_GLOBAL_VARIABLE_SIZE:
	case CL_DEVICE_GLOBAL_VARIABLE_PREFERRED_TOTAL_SIZE:
		VCL_INFO(size_t, MAX_GLOBAL_VARIABLE_SIZE);
	case CL_DEVICE_LOCAL_MEM_TYPE:
		VCL_INFO(cl_device_local_mem_type, CL_LOCAL);
	case CL_DEVICE_LOCAL_MEM_SIZE:
		VCL_INFO(cl_ulong, dev->max_local_mem);
	case CL_DEVICE_ERROR_CORRECTION_SUPPORT:
		VCL_INFO(cl_bool, CL_FALSE);
	case CL_DEVICE_HOST_UNIFIED_MEMORY:
		VCL_INFO(cl_bool, CL_TRUE);
	case CL_DEVICE_PROFILING_TIMER_RESOLUTION:
		VCL_INFO(size_t, 1);
	case CL_DEVICE_ENDIAN_LITTLE:
		VCL_INFO(cl_bool, CL_TRUE);
	case CL_DEVICE_AVAILABLE:
		VCL_INFO(cl_bool, CL_TRUE);
	case CL_DEVICE_COMPILER_AVAILABLE:
	case CL_DEVICE_LINKER_AVAILABLE: {
		cl_int err;

		VCL_INFO(cl_bool, dev->shader && vcl_compiler(&err));
	}
	case CL_DEVICE_EXECUTION_CAPABILITIES:
		VCL_INFO(cl_device_exec_capabilities, CL_EXEC_KERNEL);
	case CL_DEVICE_QUEUE_ON_HOST_PROPERTIES:
		VCL_INFO(cl_command_queue_properties, CL_QUEUE_PROFILING_ENABLE);
	case CL_DEVICE_QUEUE_ON_DEVICE_PROPERTIES:
		VCL_INFO(cl_command_queue_properties, 0);
	case CL_DEVICE_BUILT_IN_KERNELS:
	case CL_DEVICE_IL_VERSION:
		VCL_INFO_STR("");
	case CL_DEVICE_BUILT_IN_KERNELS_WITH_VERSION:
	case CL_DEVICE_ILS_WITH_VERSION:
		return vcl_info(size, value, size_ret, NULL, 0);
	case CL_DEVICE_PLATFORM:
		VCL_INFO(cl_platform_id, vcl_platform());
	case CL_DEVICE_NAME:
		VCL_INFO_STR(dev->name);
	case CL_DEVICE_VENDOR:
		VCL_INFO_STR("drm-svm");
	case CL_DRIVER_VERSION:
		VCL_INFO_STR(dev->version);
	case CL_DEVICE_PROFILE:
		VCL_INFO_STR("FULL_PROFILE");
	case CL_DEVICE_VERSION:
		VCL_INFO_STR("OpenCL 3.0 vsvm");
	case CL_DEVICE_NUMERIC_VERSION:
		VCL_INFO(cl_version, CL_MAKE_VERSION(3, 0, 0));
	case CL_DEVICE_OPENCL_C_VERSION:
		VCL_INFO_STR("OpenCL C 1.2 vsvm");
	case CL_DEVICE_OPENCL_C_NUMERIC_VERSION_KHR:
		VCL_INFO(cl_version, CL_MAKE_VERSION(1, 2, 0));
	case CL_DEVICE_OPENCL_C_ALL_VERSIONS:
		return vcl_info(size, value, size_ret, c_versions,
				sizeof(c_versions));
	case CL_DEVICE_OPENCL_C_FEATURES:
		return vcl_info(size, value, size_ret, c_features,
				num_c_features * sizeof(c_features[0]));
	case CL_DEVICE_EXTENSIONS:
		VCL_INFO_STR(device_extensions);
	case CL_DEVICE_EXTENSIONS_WITH_VERSION:
		return vcl_info(size, value, size_ret, device_ext_versions,
				num_device_exts * sizeof(device_ext_versions[0]));
	case CL_DEVICE_PREFERRED_INTEROP_USER_SYNC:
		VCL_INFO(cl_bool, CL_TRUE);
	case CL_DEVICE_PARENT_DEVICE:
		VCL_INFO(cl_device_id, NULL);
	case CL_DEVICE_PARTITION_PROPERTIES:
	case CL_DEVICE_PARTITION_TYPE:
		return vcl_info(size, value, size_ret, NULL, 0);
	case CL_DEVICE_PARTITION_AFFINITY_DOMAIN:
		VCL_INFO(cl_device_affinity_domain, 0);
	case CL_DEVICE_REFERENCE_COUNT:
		VCL_INFO(cl_uint, 1);
	case CL_DEVICE_SVM_CAPABILITIES:
		VCL_INFO(cl_device_svm_capabilities, dev->svm_caps);
	case CL_DEVICE_SUB_GROUP_INDEPENDENT_FORWARD_PROGRESS:
	case CL_DEVICE_WORK_GROUP_COLLECTIVE_FUNCTIONS_SUPPORT:
	case CL_DEVICE_PIPE_SUPPORT:
		VCL_INFO(cl_bool, CL_FALSE);
	case CL_DEVICE_NON_UNIFORM_WORK_GROUP_SUPPORT:
	case CL_DEVICE_GENERIC_ADDRESS_SPACE_SUPPORT:
		VCL_INFO(cl_bool, CL_TRUE);
	case CL_DEVICE_ATOMIC_MEMORY_CAPABILITIES:
		VCL_INFO(cl_device_atomic_capabilities, atomic_caps);
	case CL_DEVICE_ATOMIC_FENCE_CAPABILITIES:
		VCL_INFO(cl_device_atomic_capabilities,
			 atomic_caps | CL_DEVICE_ATOMIC_SCOPE_WORK_ITEM);
	case CL_DEVICE_DEVICE_ENQUEUE_CAPABILITIES:
		VCL_INFO(cl_device_device_enqueue_capabilities, 0);
	case CL_DEVICE_PREFERRED_WORK_GROUP_SIZE_MULTIPLE:
		VCL_INFO(size_t, 1);
	case CL_DEVICE_LATEST_CONFORMANCE_VERSION_PASSED:
		VCL_INFO_STR("v0000-01-01-00");
	default:
		return CL_INVALID_VALUE;
	}
}

cl_int CL_API_CALL vclCreateSubDevices(cl_device_id dev,
				       const cl_device_partition_property *props,
				       cl_uint num_devices, cl_device_id *out,
				       cl_uint *num_ret)
{
	(void)num_devices; (void)out; (void)num_ret;
	if (!vcl_device_valid(dev))
		return CL_INVALID_DEVICE;
	if (!props)
		return CL_INVALID_VALUE;
	/* CL_DEVICE_PARTITION_PROPERTIES is empty: no partition type works. */
	return CL_INVALID_VALUE;
}

cl_int CL_API_CALL vclRetainDevice(cl_device_id dev)
{
	return vcl_device_valid(dev) ? CL_SUCCESS : CL_INVALID_DEVICE;
}

cl_int CL_API_CALL vclReleaseDevice(cl_device_id dev)
{
	return vcl_device_valid(dev) ? CL_SUCCESS : CL_INVALID_DEVICE;
}

cl_int CL_API_CALL vclGetDeviceAndHostTimer(cl_device_id dev,
					    cl_ulong *device_timestamp,
					    cl_ulong *host_timestamp)
{
	if (!vcl_device_valid(dev))
		return CL_INVALID_DEVICE;
	if (!device_timestamp || !host_timestamp)
		return CL_INVALID_VALUE;
	/* The GPU clock (DRM_VSVM_OP_TIMESTAMP) is CLOCK_MONOTONIC. */
	*host_timestamp = *device_timestamp = vcl_now();
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclGetHostTimer(cl_device_id dev, cl_ulong *host_timestamp)
{
	if (!vcl_device_valid(dev))
		return CL_INVALID_DEVICE;
	if (!host_timestamp)
		return CL_INVALID_VALUE;
	*host_timestamp = vcl_now();
	return CL_SUCCESS;
}

cl_ulong vcl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (cl_ulong)ts.tv_sec * 1000000000ull + (cl_ulong)ts.tv_nsec;
}
