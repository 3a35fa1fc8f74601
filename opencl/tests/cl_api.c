// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * cl_api: the OpenCL API without kernels: queries, contexts, queues,
 * events and user events, buffers, SVM allocation and the SVM enqueue
 * API (memcpy, fill with every pattern size, map, free callbacks,
 * migration between queues), and the error every bad call must get.
 */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "clt.h"
#include "CL/cl_vsvm.h"
#include "vsvm_drm.h"

/* The counters of this process on device @d (cl_vsvm_device_counters). */
static bool counters(struct clt *t, cl_uint d, struct drm_vsvm_stats *s)
{
	clGetDeviceCountersVSVM_fn fn;

	if (!t->vsvm)
		return false;
	fn = (clGetDeviceCountersVSVM_fn)clGetExtensionFunctionAddressForPlatform(
		t->platform, "clGetDeviceCountersVSVM");
	return fn && !fn(t->dev[d], sizeof(*s), s, NULL);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

static int t_platform_info(struct clt *t)
{
	static const cl_platform_info names[] = {
		CL_PLATFORM_PROFILE, CL_PLATFORM_VERSION, CL_PLATFORM_NAME,
		CL_PLATFORM_VENDOR, CL_PLATFORM_EXTENSIONS,
		CL_PLATFORM_NUMERIC_VERSION, CL_PLATFORM_EXTENSIONS_WITH_VERSION,
		CL_PLATFORM_HOST_TIMER_RESOLUTION,
	};
	char buf[1024], small[2];
	size_t i, size;
	cl_version v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CHECK_OK(clGetPlatformInfo(t->platform, names[i], sizeof(buf), buf, &size));
		CHECK(size > 0 && size <= sizeof(buf));
	}
	CHECK_OK(clGetPlatformInfo(t->platform, CL_PLATFORM_EXTENSIONS, sizeof(buf), buf, NULL));
	CHECK(strstr(buf, "cl_khr_icd"));
	CHECK_OK(clGetPlatformInfo(t->platform, CL_PLATFORM_NUMERIC_VERSION, sizeof(v), &v, NULL));
	CHECK(CL_VERSION_MAJOR(v) == 3);
	CHECK_ERR(clGetPlatformInfo(t->platform, 0x7777, sizeof(buf), buf, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clGetPlatformInfo(t->platform, CL_PLATFORM_NAME, sizeof(small), small, NULL),
		  CL_INVALID_VALUE);
	return 0;
}

static int t_device_info(struct clt *t)
{
	/* Every query clinfo makes of an OpenCL 3.0 device without images. */
	static const cl_device_info names[] = {
		CL_DEVICE_TYPE, CL_DEVICE_VENDOR_ID, CL_DEVICE_MAX_COMPUTE_UNITS,
		CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS, CL_DEVICE_MAX_WORK_GROUP_SIZE,
		CL_DEVICE_MAX_WORK_ITEM_SIZES, CL_DEVICE_PREFERRED_VECTOR_WIDTH_CHAR,
		CL_DEVICE_PREFERRED_VECTOR_WIDTH_INT, CL_DEVICE_PREFERRED_VECTOR_WIDTH_DOUBLE,
		CL_DEVICE_NATIVE_VECTOR_WIDTH_HALF, CL_DEVICE_MAX_CLOCK_FREQUENCY,
		CL_DEVICE_ADDRESS_BITS, CL_DEVICE_MAX_MEM_ALLOC_SIZE,
		CL_DEVICE_IMAGE_SUPPORT, CL_DEVICE_MAX_PARAMETER_SIZE,
		CL_DEVICE_MEM_BASE_ADDR_ALIGN, CL_DEVICE_SINGLE_FP_CONFIG,
		CL_DEVICE_DOUBLE_FP_CONFIG, CL_DEVICE_GLOBAL_MEM_CACHE_TYPE,
		CL_DEVICE_GLOBAL_MEM_SIZE, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE,
		CL_DEVICE_MAX_CONSTANT_ARGS, CL_DEVICE_LOCAL_MEM_TYPE,
		CL_DEVICE_LOCAL_MEM_SIZE, CL_DEVICE_ERROR_CORRECTION_SUPPORT,
		CL_DEVICE_PROFILING_TIMER_RESOLUTION, CL_DEVICE_ENDIAN_LITTLE,
		CL_DEVICE_AVAILABLE, CL_DEVICE_COMPILER_AVAILABLE,
		CL_DEVICE_EXECUTION_CAPABILITIES, CL_DEVICE_QUEUE_ON_HOST_PROPERTIES,
		CL_DEVICE_NAME, CL_DEVICE_VENDOR, CL_DRIVER_VERSION,
		CL_DEVICE_PROFILE, CL_DEVICE_VERSION, CL_DEVICE_EXTENSIONS,
		CL_DEVICE_PLATFORM, CL_DEVICE_HOST_UNIFIED_MEMORY,
		CL_DEVICE_OPENCL_C_VERSION, CL_DEVICE_LINKER_AVAILABLE,
		CL_DEVICE_BUILT_IN_KERNELS, CL_DEVICE_PRINTF_BUFFER_SIZE,
		CL_DEVICE_PREFERRED_INTEROP_USER_SYNC, CL_DEVICE_PARENT_DEVICE,
		CL_DEVICE_PARTITION_MAX_SUB_DEVICES, CL_DEVICE_PARTITION_AFFINITY_DOMAIN,
		CL_DEVICE_REFERENCE_COUNT, CL_DEVICE_SVM_CAPABILITIES,
		CL_DEVICE_MAX_GLOBAL_VARIABLE_SIZE,
		CL_DEVICE_GLOBAL_VARIABLE_PREFERRED_TOTAL_SIZE,
		CL_DEVICE_NUMERIC_VERSION, CL_DEVICE_EXTENSIONS_WITH_VERSION,
		CL_DEVICE_ATOMIC_MEMORY_CAPABILITIES, CL_DEVICE_ATOMIC_FENCE_CAPABILITIES,
		CL_DEVICE_NON_UNIFORM_WORK_GROUP_SUPPORT, CL_DEVICE_OPENCL_C_ALL_VERSIONS,
		CL_DEVICE_PREFERRED_WORK_GROUP_SIZE_MULTIPLE,
		CL_DEVICE_WORK_GROUP_COLLECTIVE_FUNCTIONS_SUPPORT,
		CL_DEVICE_GENERIC_ADDRESS_SPACE_SUPPORT, CL_DEVICE_OPENCL_C_FEATURES,
		CL_DEVICE_DEVICE_ENQUEUE_CAPABILITIES, CL_DEVICE_PIPE_SUPPORT,
		CL_DEVICE_LATEST_CONFORMANCE_VERSION_PASSED,
	};
	static char buf[16384];
	cl_device_svm_capabilities svm;
	cl_device_atomic_capabilities ac;
	cl_ulong global, alloc;
	size_t sizes[3], size, wg;
	cl_uint d, i, n;
	cl_device_id devs[CLT_MAX_DEV];

	for (d = 0; d < t->ndev; d++) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			cl_int e = clGetDeviceInfo(t->dev[d], names[i], sizeof(buf), buf, &size);

			if (e)
				FAIL("device %u: query 0x%x: %s", d, names[i], clt_err(e));
		}
		CHECK_OK(clGetDeviceInfo(t->dev[d], CL_DEVICE_MAX_WORK_ITEM_SIZES,
					 sizeof(sizes), sizes, &size));
		CHECK(size == sizeof(sizes));
		CHECK_OK(clGetDeviceInfo(t->dev[d], CL_DEVICE_MAX_WORK_GROUP_SIZE,
					 sizeof(wg), &wg, NULL));
		CHECK(wg >= 1 && sizes[0] >= 1);
		CHECK_OK(clGetDeviceInfo(t->dev[d], CL_DEVICE_GLOBAL_MEM_SIZE,
					 sizeof(global), &global, NULL));
		CHECK_OK(clGetDeviceInfo(t->dev[d], CL_DEVICE_MAX_MEM_ALLOC_SIZE,
					 sizeof(alloc), &alloc, NULL));
		CHECK(alloc <= global && alloc >= 128 << 20);
		svm = t->dev_svm[d];
		/* The capabilities build on each other. */
		if (svm & CL_DEVICE_SVM_ATOMICS)
			CHECK(svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER);
		if (svm & (CL_DEVICE_SVM_FINE_GRAIN_BUFFER | CL_DEVICE_SVM_FINE_GRAIN_SYSTEM))
			CHECK(svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER);
		if (svm & CL_DEVICE_SVM_ATOMICS) {
			CHECK_OK(clGetDeviceInfo(t->dev[d], CL_DEVICE_ATOMIC_MEMORY_CAPABILITIES,
						 sizeof(ac), &ac, NULL));
			CHECK(ac & CL_DEVICE_ATOMIC_SCOPE_ALL_DEVICES);
		}
		CHECK_ERR(clGetDeviceInfo(t->dev[d], 0x7777, sizeof(buf), buf, NULL),
			  CL_INVALID_VALUE);
		CHECK_ERR(clGetDeviceInfo(t->dev[d], CL_DEVICE_NAME, 1, buf, NULL),
			  CL_INVALID_VALUE);
	}
	CHECK_ERR(clGetDeviceIDs(t->platform, CL_DEVICE_TYPE_ALL, 0, devs, NULL),
		  CL_INVALID_VALUE);
	CHECK_ERR(clGetDeviceIDs(t->platform, CL_DEVICE_TYPE_ALL, 1, NULL, NULL),
		  CL_INVALID_VALUE);
	CHECK_ERR(clGetDeviceIDs(t->platform, 0, 1, devs, &n), CL_INVALID_DEVICE_TYPE);
	CHECK_OK(clGetDeviceIDs(t->platform, CL_DEVICE_TYPE_DEFAULT, 1, devs, &n));
	CHECK(n == 1);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Contexts and queues                                                 */

static int destructor_calls;

static void CL_CALLBACK ctx_destructor(cl_context ctx, void *data)
{
	(void)ctx;
	destructor_calls = destructor_calls * 10 + (int)(intptr_t)data;
}

static int t_context(struct clt *t)
{
	cl_context_properties bad[] = { 0x7777, 0, 0 };
	cl_context_properties plat[] = { CL_CONTEXT_PLATFORM,
					 (cl_context_properties)t->platform, 0 };
	cl_device_id two[2] = { t->dev[0], t->dev[0] };
	cl_context ctx;
	cl_uint n, ref;
	cl_int err;

	ctx = clCreateContext(NULL, 0, t->dev, NULL, NULL, &err);
	CHECK(!ctx && err == CL_INVALID_VALUE);
	ctx = clCreateContext(NULL, 1, NULL, NULL, NULL, &err);
	CHECK(!ctx && err == CL_INVALID_VALUE);
	ctx = clCreateContext(NULL, 1, t->dev, NULL, &n, &err);
	CHECK(!ctx && err == CL_INVALID_VALUE);
	ctx = clCreateContext(bad, 1, t->dev, NULL, NULL, &err);
	CHECK(!ctx && err == CL_INVALID_PROPERTY);

	ctx = clCreateContext(plat, 2, two, NULL, NULL, &err);
	CHECK_OK(err);
	CHECK_OK(clGetContextInfo(ctx, CL_CONTEXT_NUM_DEVICES, sizeof(n), &n, NULL));
	CHECK(n == 1 || n == 2);	/* duplicates may be dropped */
	CHECK_OK(clRetainContext(ctx));
	CHECK_OK(clGetContextInfo(ctx, CL_CONTEXT_REFERENCE_COUNT, sizeof(ref), &ref, NULL));
	CHECK(ref == 2);
	destructor_calls = 0;
	CHECK_OK(clSetContextDestructorCallback(ctx, ctx_destructor, (void *)1));
	CHECK_OK(clSetContextDestructorCallback(ctx, ctx_destructor, (void *)2));
	CHECK_OK(clReleaseContext(ctx));
	CHECK(destructor_calls == 0);
	CHECK_OK(clReleaseContext(ctx));
	/* Newest first. */
	CHECK(destructor_calls == 21);
	CHECK_ERR(clGetContextInfo(t->ctx, 0x7777, sizeof(n), &n, NULL), CL_INVALID_VALUE);
	return 0;
}

static int t_queue(struct clt *t)
{
	cl_queue_properties bad[] = { 0x7777, 0, 0 };
	cl_queue_properties ooo[] = { CL_QUEUE_PROPERTIES,
				      CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, 0 };
	cl_command_queue_properties host_props, props;
	cl_queue_properties got[8];
	cl_command_queue q;
	cl_context ctx;
	size_t size;
	cl_int err;

	q = clCreateCommandQueueWithProperties(t->ctx, t->dev[0], bad, &err);
	CHECK(!q && err == CL_INVALID_VALUE);
	q = clCreateCommandQueue(t->ctx, t->dev[0], 1ull << 40, &err);
	CHECK(!q && err == CL_INVALID_VALUE);
	CHECK_OK(clGetDeviceInfo(t->dev[0], CL_DEVICE_QUEUE_ON_HOST_PROPERTIES,
				 sizeof(host_props), &host_props, NULL));
	q = clCreateCommandQueueWithProperties(t->ctx, t->dev[0], ooo, &err);
	if (host_props & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) {
		CHECK_OK(err);
		clReleaseCommandQueue(q);
	} else {
		CHECK(!q && err == CL_INVALID_QUEUE_PROPERTIES);
	}
	CHECK_OK(clGetCommandQueueInfo(t->q[0], CL_QUEUE_CONTEXT, sizeof(ctx), &ctx, NULL));
	CHECK(ctx == t->ctx);
	CHECK_OK(clGetCommandQueueInfo(t->q[0], CL_QUEUE_PROPERTIES, sizeof(props), &props, NULL));
	CHECK(props == CL_QUEUE_PROFILING_ENABLE);
	CHECK_OK(clGetCommandQueueInfo(t->q[0], CL_QUEUE_PROPERTIES_ARRAY, sizeof(got), got, &size));
	CHECK(size == 3 * sizeof(cl_queue_properties) && got[0] == CL_QUEUE_PROPERTIES);
	CHECK_ERR(clFinish(NULL), CL_INVALID_COMMAND_QUEUE);
	CHECK_ERR(clFlush(NULL), CL_INVALID_COMMAND_QUEUE);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Buffers                                                             */

static int t_buffer_errors(struct clt *t)
{
	cl_buffer_region r;
	cl_ulong max;
	cl_mem b, sub;
	cl_int err;
	char host[256];

	CHECK_OK(clGetDeviceInfo(t->dev[0], CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(max), &max, NULL));
	b = clCreateBuffer(t->ctx, 0, 0, NULL, &err);
	CHECK(!b && err == CL_INVALID_BUFFER_SIZE);
	b = clCreateBuffer(t->ctx, 0, max + 1, NULL, &err);
	CHECK(!b && err == CL_INVALID_BUFFER_SIZE);
	b = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR, 64, NULL, &err);
	CHECK(!b && err == CL_INVALID_HOST_PTR);
	b = clCreateBuffer(t->ctx, 0, 64, host, &err);
	CHECK(!b && err == CL_INVALID_HOST_PTR);
	b = clCreateBuffer(t->ctx, CL_MEM_READ_WRITE | CL_MEM_READ_ONLY, 64, NULL, &err);
	CHECK(!b && err == CL_INVALID_VALUE);
	b = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR | CL_MEM_COPY_HOST_PTR, 64, host, &err);
	CHECK(!b && err == CL_INVALID_VALUE);
	b = clCreateBuffer(NULL, 0, 64, NULL, &err);
	CHECK(!b && err == CL_INVALID_CONTEXT);

	b = clCreateBuffer(t->ctx, CL_MEM_WRITE_ONLY, 4096, NULL, &err);
	CHECK_OK(err);
	r.origin = 1;
	r.size = 64;
	sub = clCreateSubBuffer(b, 0, CL_BUFFER_CREATE_TYPE_REGION, &r, &err);
	CHECK(!sub && err == CL_MISALIGNED_SUB_BUFFER_OFFSET);
	r.origin = 4096 - 128;
	r.size = 256;
	sub = clCreateSubBuffer(b, 0, CL_BUFFER_CREATE_TYPE_REGION, &r, &err);
	CHECK(!sub && err == CL_INVALID_VALUE);
	r.size = 0;
	sub = clCreateSubBuffer(b, 0, CL_BUFFER_CREATE_TYPE_REGION, &r, &err);
	CHECK(!sub && err == CL_INVALID_BUFFER_SIZE);
	r.origin = 0;
	r.size = 128;
	sub = clCreateSubBuffer(b, CL_MEM_READ_ONLY, CL_BUFFER_CREATE_TYPE_REGION, &r, &err);
	CHECK(!sub && err == CL_INVALID_VALUE);
	sub = clCreateSubBuffer(b, 0, 0x7777, &r, &err);
	CHECK(!sub && err == CL_INVALID_VALUE);
	sub = clCreateSubBuffer(b, 0, CL_BUFFER_CREATE_TYPE_REGION, &r, &err);
	CHECK_OK(err);
	{
		cl_mem_flags f;
		cl_mem parent;
		size_t off;
		cl_mem subsub = clCreateSubBuffer(sub, 0, CL_BUFFER_CREATE_TYPE_REGION, &r, &err);

		CHECK(!subsub && err == CL_INVALID_MEM_OBJECT);
		CHECK_OK(clGetMemObjectInfo(sub, CL_MEM_FLAGS, sizeof(f), &f, NULL));
		CHECK(f & CL_MEM_WRITE_ONLY);	/* inherited */
		CHECK_OK(clGetMemObjectInfo(sub, CL_MEM_ASSOCIATED_MEMOBJECT, sizeof(parent), &parent, NULL));
		CHECK(parent == b);
		CHECK_OK(clGetMemObjectInfo(sub, CL_MEM_OFFSET, sizeof(off), &off, NULL));
		CHECK(off == 0);
	}
	clReleaseMemObject(sub);
	clReleaseMemObject(b);
	CHECK_ERR(clReleaseMemObject(NULL), CL_INVALID_MEM_OBJECT);
	return 0;
}

static int destroyed;

static void CL_CALLBACK mem_destructor(cl_mem m, void *data)
{
	(void)m;
	destroyed = destroyed * 10 + (int)(intptr_t)data;
}

static int t_buffer_rw(struct clt *t)
{
	enum { N = 8192 };
	unsigned char *host = malloc(N), *out = malloc(N), *use = malloc(N);
	cl_command_queue q = t->q[t->ndev - 1];
	cl_buffer_region r = { 256, 1024 };
	cl_mem a, b, c, sub, na;
	unsigned char *map;
	cl_uint mapc;
	cl_int err;
	size_t i, ps;

	for (i = 0; i < N; i++) {
		host[i] = (unsigned char)(i * 7 + 3);
		use[i] = (unsigned char)i;
	}
	a = clCreateBuffer(t->ctx, CL_MEM_COPY_HOST_PTR, N, host, &err);
	CHECK_OK(err);
	b = clCreateBuffer(t->ctx, CL_MEM_ALLOC_HOST_PTR, N, NULL, &err);
	CHECK_OK(err);
	c = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR, N, use, &err);
	CHECK_OK(err);

	/* COPY_HOST_PTR contents, read back. */
	CHECK_OK(clEnqueueReadBuffer(q, a, CL_TRUE, 0, N, out, 0, NULL, NULL));
	CHECK(!memcmp(out, host, N));
	/* Copy, then a read of a part. */
	CHECK_OK(clEnqueueCopyBuffer(q, a, b, 100, 200, 4000, 0, NULL, NULL));
	CHECK_OK(clEnqueueReadBuffer(q, b, CL_TRUE, 200, 4000, out, 0, NULL, NULL));
	CHECK(!memcmp(out, host + 100, 4000));
	/* Write into the USE_HOST_PTR buffer; a map gives the host pointer. */
	CHECK_OK(clEnqueueWriteBuffer(q, c, CL_TRUE, 10, 100, host, 0, NULL, NULL));
	map = clEnqueueMapBuffer(q, c, CL_TRUE, CL_MAP_READ, 8, 256, 0, NULL, NULL, &err);
	CHECK_OK(err);
	CHECK(map == use + 8);
	CHECK(!memcmp(map + 2, host, 100));
	CHECK_OK(clGetMemObjectInfo(c, CL_MEM_MAP_COUNT, sizeof(mapc), &mapc, NULL));
	CHECK(mapc == 1);
	CHECK_ERR(clEnqueueUnmapMemObject(q, c, use, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_OK(clEnqueueUnmapMemObject(q, c, map, 0, NULL, NULL));
	CHECK_OK(clFinish(q));
	/* Fill with every pattern size, at an offset. */
	for (ps = 1; ps <= 128; ps *= 2) {
		unsigned char pat[128];

		for (i = 0; i < ps; i++)
			pat[i] = (unsigned char)(0xa0 + i + ps);
		CHECK_OK(clEnqueueFillBuffer(q, b, pat, ps, ps * 3, ps * 20, 0, NULL, NULL));
		CHECK_OK(clEnqueueReadBuffer(q, b, CL_TRUE, 0, N, out, 0, NULL, NULL));
		for (i = 0; i < ps * 20; i++)
			if (out[ps * 3 + i] != pat[i % ps])
				FAIL("fill, pattern size %zu: byte %zu is 0x%x", ps, i, out[ps * 3 + i]);
	}
	CHECK_ERR(clEnqueueFillBuffer(q, b, host, 3, 0, 12, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueFillBuffer(q, b, host, 4, 2, 12, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueFillBuffer(q, b, NULL, 4, 0, 12, 0, NULL, NULL), CL_INVALID_VALUE);
	/* Sub-buffers read their part of the parent. */
	sub = clCreateSubBuffer(a, 0, CL_BUFFER_CREATE_TYPE_REGION, &r, &err);
	CHECK_OK(err);
	CHECK_OK(clEnqueueReadBuffer(q, sub, CL_TRUE, 0, 1024, out, 0, NULL, NULL));
	CHECK(!memcmp(out, host + 256, 1024));
	/* Overlap and bounds. */
	CHECK_ERR(clEnqueueCopyBuffer(q, a, a, 0, 100, 200, 0, NULL, NULL), CL_MEM_COPY_OVERLAP);
	CHECK_ERR(clEnqueueCopyBuffer(q, a, sub, 300, 0, 100, 0, NULL, NULL), CL_MEM_COPY_OVERLAP);
	CHECK_ERR(clEnqueueReadBuffer(q, a, CL_TRUE, N - 10, 20, out, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueReadBuffer(q, a, CL_TRUE, 0, 20, NULL, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueWriteBuffer(q, NULL, CL_TRUE, 0, 20, out, 0, NULL, NULL),
		  CL_INVALID_MEM_OBJECT);
	na = clCreateBuffer(t->ctx, CL_MEM_HOST_NO_ACCESS, 64, NULL, &err);
	CHECK_OK(err);
	CHECK_ERR(clEnqueueReadBuffer(q, na, CL_TRUE, 0, 16, out, 0, NULL, NULL), CL_INVALID_OPERATION);
	map = clEnqueueMapBuffer(q, na, CL_TRUE, CL_MAP_READ, 0, 16, 0, NULL, NULL, &err);
	CHECK(!map && err == CL_INVALID_OPERATION);
	/* Rectangles: a 16x8 block out of a 64-wide buffer and back. */
	{
		size_t bo[3] = { 4, 2, 0 }, ho[3] = { 0, 0, 0 }, reg[3] = { 16, 8, 1 };
		unsigned char rect[128];
		size_t y;

		CHECK_OK(clEnqueueReadBufferRect(q, a, CL_TRUE, bo, ho, reg, 64, 0, 16, 0,
						 rect, 0, NULL, NULL));
		for (y = 0; y < 8; y++)
			CHECK(!memcmp(rect + y * 16, host + (y + 2) * 64 + 4, 16));
		reg[1] = 200;	/* past the end of the buffer */
		CHECK_ERR(clEnqueueReadBufferRect(q, a, CL_TRUE, bo, ho, reg, 64, 0, 16, 0,
						  rect, 0, NULL, NULL), CL_INVALID_VALUE);
	}
	/* Destructor callbacks, newest first, once the buffer is gone. */
	destroyed = 0;
	CHECK_OK(clSetMemObjectDestructorCallback(na, mem_destructor, (void *)1));
	CHECK_OK(clSetMemObjectDestructorCallback(na, mem_destructor, (void *)2));
	CHECK_OK(clReleaseMemObject(na));
	CHECK_OK(clFinish(q));
	for (i = 0; i < 100 && destroyed != 21; i++)
		usleep(10000);
	CHECK(destroyed == 21);
	clReleaseMemObject(sub);
	clReleaseMemObject(a);
	clReleaseMemObject(b);
	clReleaseMemObject(c);
	free(host);
	free(out);
	free(use);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

static int cb_calls;
static cl_int cb_status[8];
static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;

static void CL_CALLBACK event_cb(cl_event e, cl_int status, void *data)
{
	(void)e;
	pthread_mutex_lock(&cb_lock);
	if (cb_calls < 8)
		cb_status[cb_calls] = status * 100 + (int)(intptr_t)data;
	cb_calls++;
	pthread_mutex_unlock(&cb_lock);
}

static int wait_calls(int n)
{
	int i, c = 0;

	for (i = 0; i < 500; i++) {
		pthread_mutex_lock(&cb_lock);
		c = cb_calls;
		pthread_mutex_unlock(&cb_lock);
		if (c >= n)
			break;
		usleep(10000);
	}
	return c;
}

static int t_events(struct clt *t)
{
	cl_command_queue q = t->q[0];
	cl_event user, w, m, bad = NULL;
	cl_int status;
	cl_command_type type;
	cl_ulong q_t, s_t, st_t, e_t;
	char buf[64] = { 1 }, out[64];
	cl_mem b;
	cl_int err;

	b = clCreateBuffer(t->ctx, 0, sizeof(buf), NULL, &err);
	CHECK_OK(err);
	user = clCreateUserEvent(t->ctx, &err);
	CHECK_OK(err);
	CHECK_OK(clGetEventInfo(user, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, NULL));
	CHECK(status == CL_SUBMITTED);
	CHECK_ERR(clGetEventProfilingInfo(user, CL_PROFILING_COMMAND_QUEUED, sizeof(q_t), &q_t, NULL),
		  CL_PROFILING_INFO_NOT_AVAILABLE);
	cb_calls = 0;
	CHECK_OK(clEnqueueWriteBuffer(q, b, CL_FALSE, 0, sizeof(buf), buf, 1, &user, &w));
	CHECK_OK(clSetEventCallback(w, CL_COMPLETE, event_cb, (void *)1));
	CHECK_OK(clEnqueueMarkerWithWaitList(q, 0, NULL, &m));
	CHECK_OK(clFlush(q));
	usleep(50000);
	/* Gated by the user event. */
	CHECK_OK(clGetEventInfo(w, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, NULL));
	CHECK(status > CL_RUNNING || status == CL_RUNNING);
	CHECK(status != CL_COMPLETE);
	CHECK_OK(clGetEventInfo(m, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, NULL));
	CHECK(status != CL_COMPLETE);
	CHECK(cb_calls == 0);
	CHECK_ERR(clSetUserEventStatus(user, 5), CL_INVALID_VALUE);
	CHECK_OK(clSetUserEventStatus(user, CL_COMPLETE));
	CHECK_ERR(clSetUserEventStatus(user, CL_COMPLETE), CL_INVALID_OPERATION);
	CHECK_OK(clWaitForEvents(1, &m));
	CHECK_OK(clGetEventInfo(w, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, NULL));
	CHECK(status == CL_COMPLETE);
	CHECK(wait_calls(1) == 1 && cb_status[0] == 1);
	/* A callback on a completed event is called too. */
	CHECK_OK(clSetEventCallback(w, CL_SUBMITTED, event_cb, (void *)2));
	CHECK(wait_calls(2) == 2 && cb_status[1] == CL_SUBMITTED * 100 + 2);
	CHECK_OK(clGetEventInfo(w, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
	CHECK(type == CL_COMMAND_WRITE_BUFFER);
	CHECK_OK(clGetEventInfo(m, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
	CHECK(type == CL_COMMAND_MARKER);
	/* Profiling: queued <= submit <= start <= end. */
	CHECK_OK(clGetEventProfilingInfo(w, CL_PROFILING_COMMAND_QUEUED, sizeof(q_t), &q_t, NULL));
	CHECK_OK(clGetEventProfilingInfo(w, CL_PROFILING_COMMAND_SUBMIT, sizeof(s_t), &s_t, NULL));
	CHECK_OK(clGetEventProfilingInfo(w, CL_PROFILING_COMMAND_START, sizeof(st_t), &st_t, NULL));
	CHECK_OK(clGetEventProfilingInfo(w, CL_PROFILING_COMMAND_END, sizeof(e_t), &e_t, NULL));
	CHECK(q_t <= s_t && s_t <= st_t && st_t <= e_t && q_t > 0);
	CHECK_ERR(clGetEventProfilingInfo(w, 0x7777, sizeof(e_t), &e_t, NULL), CL_INVALID_VALUE);
	clReleaseEvent(w);
	clReleaseEvent(m);
	clReleaseEvent(user);

	/* A failed user event fails what waits for it. */
	user = clCreateUserEvent(t->ctx, &err);
	CHECK_OK(err);
	cb_calls = 0;
	CHECK_OK(clEnqueueWriteBuffer(q, b, CL_FALSE, 0, sizeof(buf), buf, 1, &user, &w));
	CHECK_OK(clSetEventCallback(w, CL_COMPLETE, event_cb, (void *)3));
	CHECK_OK(clSetUserEventStatus(user, -1234));
	CHECK_ERR(clWaitForEvents(1, &w), CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
	CHECK_OK(clGetEventInfo(w, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, NULL));
	CHECK(status < 0);
	if (wait_calls(1) != 1 || cb_status[0] != status * 100 + 3)
		FAIL("callback of the failed command: %d calls, status %d, expected %d", cb_calls, cb_status[0] / 100, status);
	CHECK_ERR(clEnqueueReadBuffer(q, b, CL_TRUE, 0, sizeof(out), out, 1, &user, NULL),
		  CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
	clReleaseEvent(w);
	clReleaseEvent(user);
	CHECK_OK(clFinish(q));

	/* Wait lists. */
	CHECK_ERR(clEnqueueReadBuffer(q, b, CL_TRUE, 0, sizeof(out), out, 1, NULL, NULL),
		  CL_INVALID_EVENT_WAIT_LIST);
	CHECK_ERR(clEnqueueReadBuffer(q, b, CL_TRUE, 0, sizeof(out), out, 0, &bad, NULL),
		  CL_INVALID_EVENT_WAIT_LIST);
	CHECK_ERR(clEnqueueReadBuffer(q, b, CL_TRUE, 0, sizeof(out), out, 1, &bad, NULL),
		  CL_INVALID_EVENT_WAIT_LIST);
	CHECK_ERR(clWaitForEvents(0, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clWaitForEvents(1, &bad), CL_INVALID_EVENT);
	CHECK_ERR(clSetEventCallback(NULL, CL_COMPLETE, event_cb, NULL), CL_INVALID_EVENT);
	clReleaseMemObject(b);
	return 0;
}

/* Commands of two queues ordered by an event. */
static int t_cross_queue(struct clt *t)
{
	enum { N = 1 << 20 };
	cl_command_queue q0 = t->q[0], q1 = t->q[t->ndev - 1];
	char *src = malloc(N), *out = malloc(N);
	cl_event e1, e2;
	cl_mem a, b;
	cl_int err;
	size_t i;

	for (i = 0; i < N; i++)
		src[i] = (char)(i ^ (i >> 8));
	a = clCreateBuffer(t->ctx, 0, N, NULL, &err);
	CHECK_OK(err);
	b = clCreateBuffer(t->ctx, 0, N, NULL, &err);
	CHECK_OK(err);
	CHECK_OK(clEnqueueWriteBuffer(q0, a, CL_FALSE, 0, N, src, 0, NULL, &e1));
	CHECK_OK(clEnqueueCopyBuffer(q1, a, b, 0, 0, N, 1, &e1, &e2));
	CHECK_OK(clEnqueueReadBuffer(q0, b, CL_TRUE, 0, N, out, 1, &e2, NULL));
	CHECK(!memcmp(src, out, N));
	clReleaseEvent(e1);
	clReleaseEvent(e2);
	clReleaseMemObject(a);
	clReleaseMemObject(b);
	free(src);
	free(out);
	return 0;
}

/* ------------------------------------------------------------------ */
/* SVM                                                                 */

static int t_svm_alloc(struct clt *t)
{
	static const cl_svm_mem_flags access[] = {
		CL_MEM_READ_WRITE, CL_MEM_READ_ONLY, CL_MEM_WRITE_ONLY, 0,
	};
	cl_ulong max;
	unsigned int i, fine, atom, ok = 0;
	cl_bool uses;
	void *p;
	cl_mem b;
	cl_int err;

	if (!(t->svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER)) {
		p = clSVMAlloc(t->ctx, CL_MEM_READ_WRITE, 64, 0);
		CHECK(!p);
		SKIP("no SVM capability (clSVMAlloc gives NULL, as it must)");
	}
	/* Every RW/RO/WO x FINE x ATOMICS: exactly when the caps allow it. */
	for (i = 0; i < 4; i++) {
		for (fine = 0; fine < 2; fine++) {
			for (atom = 0; atom < 2; atom++) {
				cl_svm_mem_flags f = access[i] |
					(fine ? CL_MEM_SVM_FINE_GRAIN_BUFFER : 0) |
					(atom ? CL_MEM_SVM_ATOMICS : 0);
				bool want = (!fine || (t->svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER)) &&
					    (!atom || (fine && (t->svm & CL_DEVICE_SVM_ATOMICS)));

				p = clSVMAlloc(t->ctx, f, 4096 + i, 0);
				if (!!p != want)
					FAIL("clSVMAlloc(0x%" PRIx64 "): %s, expected %s",
					     (uint64_t)f, p ? "a pointer" : "NULL",
					     want ? "a pointer" : "NULL");
				if (p) {
					CHECK(!((uintptr_t)p % 128));
					memset(p, 0x5a, 4096 + i);
					clSVMFree(t->ctx, p);
					ok++;
				}
			}
		}
	}
	clt_info("allocations", "%u", ok);
	/* Invalid ones. */
	CHECK_OK(clGetDeviceInfo(t->dev[0], CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(max), &max, NULL));
	CHECK(!clSVMAlloc(t->ctx, CL_MEM_READ_WRITE | CL_MEM_READ_ONLY, 64, 0));
	CHECK(!clSVMAlloc(t->ctx, CL_MEM_WRITE_ONLY | CL_MEM_READ_ONLY, 64, 0));
	CHECK(!clSVMAlloc(t->ctx, CL_MEM_SVM_ATOMICS, 64, 0));
	CHECK(!clSVMAlloc(t->ctx, CL_MEM_USE_HOST_PTR, 64, 0));
	CHECK(!clSVMAlloc(t->ctx, 0, 0, 0));
	CHECK(!clSVMAlloc(t->ctx, 0, max + 1, 0));
	CHECK(!clSVMAlloc(t->ctx, 0, 64, 3));
	CHECK(!clSVMAlloc(NULL, 0, 64, 0));
	clSVMFree(t->ctx, NULL);
	/* Alignments up to long16 (and beyond where supported). */
	for (i = 1; i <= 128; i *= 2) {
		p = clSVMAlloc(t->ctx, 0, 100, i);
		CHECK(p && !((uintptr_t)p % i));
		clSVMFree(t->ctx, p);
	}
	/* A buffer over an SVM pointer uses it. */
	p = clSVMAlloc(t->ctx, CL_MEM_READ_WRITE, 8192, 0);
	CHECK(p);
	b = clCreateBuffer(t->ctx, CL_MEM_USE_HOST_PTR, 8192, p, &err);
	CHECK_OK(err);
	CHECK_OK(clGetMemObjectInfo(b, CL_MEM_USES_SVM_POINTER, sizeof(uses), &uses, NULL));
	CHECK(uses == CL_TRUE);
	{
		void *m = clEnqueueMapBuffer(t->q[0], b, CL_TRUE, CL_MAP_WRITE, 128, 256,
					     0, NULL, NULL, &err);

		CHECK_OK(err);
		CHECK(m == (char *)p + 128);
		CHECK_OK(clEnqueueUnmapMemObject(t->q[0], b, m, 0, NULL, NULL));
	}
	CHECK_OK(clFinish(t->q[0]));
	clReleaseMemObject(b);
	clSVMFree(t->ctx, p);
	return 0;
}

static int t_svm_memcpy_fill(struct clt *t)
{
	enum { N = 65536 };
	cl_command_queue q = t->q[0];
	unsigned char *a, *b, *h = malloc(N), *h2 = malloc(N);
	cl_command_type type;
	cl_event e;
	size_t i, ps;

	if (!(t->svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER))
		SKIP("no SVM capability");
	a = clSVMAlloc(t->ctx, CL_MEM_READ_WRITE, N, 0);
	b = clSVMAlloc(t->ctx, CL_MEM_READ_WRITE, N, 0);
	CHECK(a && b);
	for (i = 0; i < N; i++)
		h[i] = (unsigned char)(i * 13 + 1);
	/* host -> SVM -> SVM -> host, at odd offsets. */
	CHECK_OK(clEnqueueSVMMemcpy(q, CL_FALSE, a + 3, h, N - 3, 0, NULL, &e));
	CHECK_OK(clGetEventInfo(e, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
	CHECK(type == CL_COMMAND_SVM_MEMCPY);
	clReleaseEvent(e);
	CHECK_OK(clEnqueueSVMMemcpy(q, CL_FALSE, b, a + 3, N - 3, 0, NULL, NULL));
	CHECK_OK(clEnqueueSVMMemcpy(q, CL_TRUE, h2, b, N - 3, 0, NULL, NULL));
	CHECK(!memcmp(h, h2, N - 3));
	/* host -> host is allowed too. */
	memset(h2, 0, N);
	CHECK_OK(clEnqueueSVMMemcpy(q, CL_TRUE, h2, h, 1000, 0, NULL, NULL));
	CHECK(!memcmp(h, h2, 1000));
	CHECK_ERR(clEnqueueSVMMemcpy(q, CL_TRUE, a, a + 10, 100, 0, NULL, NULL), CL_MEM_COPY_OVERLAP);
	CHECK_ERR(clEnqueueSVMMemcpy(q, CL_TRUE, a + 10, a, 100, 0, NULL, NULL), CL_MEM_COPY_OVERLAP);
	CHECK_ERR(clEnqueueSVMMemcpy(q, CL_TRUE, NULL, a, 100, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemcpy(q, CL_TRUE, a, NULL, 100, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemcpy(NULL, CL_TRUE, a, b, 100, 0, NULL, NULL), CL_INVALID_COMMAND_QUEUE);

	/* Every pattern size, at an offset of one pattern. */
	for (ps = 1; ps <= 128; ps *= 2) {
		unsigned char pat[128];
		size_t size = ps * 37;

		for (i = 0; i < ps; i++)
			pat[i] = (unsigned char)(i * 3 + ps);
		memset(a, 0xee, N);
		CHECK_OK(clEnqueueSVMMemFill(q, a + ps, pat, ps, size, 0, NULL, &e));
		CHECK_OK(clWaitForEvents(1, &e));
		CHECK_OK(clGetEventInfo(e, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
		CHECK(type == CL_COMMAND_SVM_MEMFILL);
		clReleaseEvent(e);
		CHECK_OK(clEnqueueSVMMap(q, CL_TRUE, CL_MAP_READ, a, N, 0, NULL, NULL));
		for (i = 0; i < ps; i++)
			CHECK(a[i] == 0xee);
		for (i = 0; i < size; i++)
			if (a[ps + i] != pat[i % ps])
				FAIL("fill, pattern size %zu: byte %zu is 0x%x", ps, i, a[ps + i]);
		CHECK(a[ps + size] == 0xee);
		CHECK_OK(clEnqueueSVMUnmap(q, a, 0, NULL, NULL));
	}
	CHECK_ERR(clEnqueueSVMMemFill(q, a, h, 3, 30, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemFill(q, a, h, 256, 256, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemFill(q, a, h, 0, 256, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemFill(q, a + 2, h, 4, 256, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemFill(q, a, h, 4, 6, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemFill(q, NULL, h, 4, 8, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMemFill(q, a, NULL, 4, 8, 0, NULL, NULL), CL_INVALID_VALUE);
	/* Map and unmap. */
	CHECK_OK(clEnqueueSVMMap(q, CL_FALSE, CL_MAP_WRITE, b, 100, 0, NULL, &e));
	CHECK_OK(clWaitForEvents(1, &e));
	CHECK_OK(clGetEventInfo(e, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
	CHECK(type == CL_COMMAND_SVM_MAP);
	clReleaseEvent(e);
	CHECK_OK(clEnqueueSVMUnmap(q, b, 0, NULL, &e));
	CHECK_OK(clWaitForEvents(1, &e));
	CHECK_OK(clGetEventInfo(e, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
	CHECK(type == CL_COMMAND_SVM_UNMAP);
	clReleaseEvent(e);
	CHECK_ERR(clEnqueueSVMMap(q, CL_TRUE, CL_MAP_READ, b, 0, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMap(q, CL_TRUE, CL_MAP_READ, NULL, 4, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMap(q, CL_TRUE, CL_MAP_READ | CL_MAP_WRITE_INVALIDATE_REGION,
				  b, 4, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMUnmap(q, NULL, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_OK(clFinish(q));
	clSVMFree(t->ctx, a);
	clSVMFree(t->ctx, b);
	free(h);
	free(h2);
	return 0;
}

struct free_record {
	cl_command_queue q;
	cl_uint n;
	void *ptrs[4];
	void *data;
	int calls;
};

static void CL_CALLBACK svm_free_cb(cl_command_queue q, cl_uint n, void **ptrs, void *data)
{
	struct free_record *r = data;
	cl_uint i;

	r->q = q;
	r->n = n;
	for (i = 0; i < n && i < 4; i++)
		r->ptrs[i] = ptrs[i];
	r->data = data;
	__atomic_add_fetch(&r->calls, 1, __ATOMIC_SEQ_CST);
}

static int t_svm_free(struct clt *t)
{
	struct free_record r;
	void *ptrs[3];
	cl_command_type type;
	cl_event e;
	int i;

	if (!(t->svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER))
		SKIP("no SVM capability");
	memset(&r, 0, sizeof(r));
	for (i = 0; i < 3; i++) {
		ptrs[i] = clSVMAlloc(t->ctx, 0, 1000 * (i + 1), 0);
		CHECK(ptrs[i]);
	}
	CHECK_OK(clEnqueueSVMFree(t->q[0], 3, ptrs, svm_free_cb, &r, 0, NULL, &e));
	ptrs[0] = NULL;		/* the array may be reused at once */
	CHECK_OK(clWaitForEvents(1, &e));
	CHECK_OK(clGetEventInfo(e, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
	CHECK(type == CL_COMMAND_SVM_FREE);
	clReleaseEvent(e);
	CHECK(r.calls == 1 && r.q == t->q[0] && r.n == 3 && r.data == &r && r.ptrs[0]);
	for (i = 0; i < 3; i++)
		clSVMFree(t->ctx, r.ptrs[i]);
	/* Without a callback the implementation frees them. */
	ptrs[0] = clSVMAlloc(t->ctx, 0, 64, 0);
	CHECK(ptrs[0]);
	CHECK_OK(clEnqueueSVMFree(t->q[0], 1, ptrs, NULL, NULL, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	CHECK_ERR(clEnqueueSVMFree(t->q[0], 0, ptrs, NULL, NULL, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMFree(t->q[0], 1, NULL, NULL, NULL, 0, NULL, NULL), CL_INVALID_VALUE);
	return 0;
}

/* svm_migrate without kernels: data survives every flag and queue. */
static int t_svm_migrate(struct clt *t)
{
	enum { N = 1 << 20 };
	static const cl_mem_migration_flags flags[] = {
		0, CL_MIGRATE_MEM_OBJECT_HOST, 0, CL_MIGRATE_MEM_OBJECT_HOST,
	};
	cl_uint *a, *b, *exp = malloc(N * sizeof(cl_uint));
	const void *ptrs[3];
	size_t sizes[3];
	cl_command_type type;
	cl_event e;
	size_t i, k;

	if (!(t->svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER))
		SKIP("no SVM capability");
	a = clSVMAlloc(t->ctx, 0, N * sizeof(cl_uint), 0);
	b = clSVMAlloc(t->ctx, 0, N * sizeof(cl_uint), 0);
	CHECK(a && b);
	for (i = 0; i < N; i++)
		exp[i] = (cl_uint)(i * 2654435761u);
	CHECK_OK(clEnqueueSVMMemcpy(t->q[0], CL_TRUE, a, exp, N * sizeof(cl_uint), 0, NULL, NULL));
	for (k = 0; k < 4; k++) {
		cl_command_queue q = t->q[k % t->ndev];

		/* Whole allocations, a sub-range, and overlapping sub-ranges. */
		ptrs[0] = a;
		sizes[0] = 0;
		ptrs[1] = b + 100;
		sizes[1] = 5000 * sizeof(cl_uint);
		ptrs[2] = b + 1000;
		sizes[2] = 100000 * sizeof(cl_uint);
		CHECK_OK(clEnqueueSVMMigrateMem(q, 3, ptrs, sizes, flags[k], 0, NULL, &e));
		CHECK_OK(clWaitForEvents(1, &e));
		CHECK_OK(clGetEventInfo(e, CL_EVENT_COMMAND_TYPE, sizeof(type), &type, NULL));
		CHECK(type == CL_COMMAND_SVM_MIGRATE_MEM);
		clReleaseEvent(e);
		CHECK_OK(clEnqueueSVMMemcpy(q, CL_TRUE, b, a, N * sizeof(cl_uint), 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMMigrateMem(q, 1, ptrs, NULL, flags[k], 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMMap(q, CL_TRUE, CL_MAP_READ, b, N * sizeof(cl_uint), 0, NULL, NULL));
		for (i = 0; i < N; i++)
			if (b[i] != exp[i])
				FAIL("round %zu: word %zu is 0x%x, expected 0x%x", k, i, b[i], exp[i]);
		CHECK_OK(clEnqueueSVMUnmap(q, b, 0, NULL, NULL));
	}
	/* On vsvm with VRAM the pages really move, there and back. */
	if (t->vsvm && clt_vsvm_vram()) {
		struct drm_vsvm_stats s0, s1, s2;

		ptrs[0] = a;
		CHECK(counters(t, 0, &s0));
		CHECK_OK(clEnqueueSVMMigrateMem(t->q[0], 1, ptrs, NULL, 0, 0, NULL, NULL));
		CHECK_OK(clFinish(t->q[0]));
		CHECK(counters(t, 0, &s1));
		CHECK_OK(clEnqueueSVMMigrateMem(t->q[0], 1, ptrs, NULL, CL_MIGRATE_MEM_OBJECT_HOST,
						0, NULL, NULL));
		CHECK_OK(clFinish(t->q[0]));
		CHECK(counters(t, 0, &s2));
		clt_info("pages_to_vram", "%llu", (unsigned long long)(s1.migrations_to_vram -
								       s0.migrations_to_vram));
		/* 4 MiB: 1024 pages each way (pages already there do not count). */
		if (s1.migrations_to_vram - s0.migrations_to_vram < 1024 ||
		    s2.migrations_to_ram - s1.migrations_to_ram < 1024)
			FAIL("migration moved %llu pages to VRAM and %llu back, expected 1024",
			     (unsigned long long)(s1.migrations_to_vram - s0.migrations_to_vram),
			     (unsigned long long)(s2.migrations_to_ram - s1.migrations_to_ram));
	}
	/* CONTENT_UNDEFINED: allowed, contents unspecified. */
	ptrs[0] = a;
	CHECK_OK(clEnqueueSVMMigrateMem(t->q[0], 1, ptrs, NULL,
					CL_MIGRATE_MEM_OBJECT_CONTENT_UNDEFINED, 0, NULL, NULL));
	CHECK_OK(clFinish(t->q[0]));
	/* Errors. */
	CHECK_ERR(clEnqueueSVMMigrateMem(t->q[0], 0, ptrs, NULL, 0, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMigrateMem(t->q[0], 1, NULL, NULL, 0, 0, NULL, NULL), CL_INVALID_VALUE);
	CHECK_ERR(clEnqueueSVMMigrateMem(t->q[0], 1, ptrs, NULL, 0x100, 0, NULL, NULL),
		  CL_INVALID_VALUE);
	sizes[0] = N * sizeof(cl_uint) + 4096;
	CHECK_ERR(clEnqueueSVMMigrateMem(t->q[0], 1, ptrs, sizes, 0, 0, NULL, NULL), CL_INVALID_VALUE);
	clSVMFree(t->ctx, a);
	clSVMFree(t->ctx, b);
	free(exp);
	return 0;
}

/*
 * Copies and fills larger than one submission's worth (vsvm cuts them in
 * parts): every byte lands, across the part boundaries too.
 */
static int t_svm_large(struct clt *t)
{
	const size_t n = 40u << 20;
	cl_command_queue q = t->q[0];
	unsigned char *a, *b, pat[16];
	size_t i, ps;

	if (!(t->svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER))
		SKIP("no SVM capability");
	a = clSVMAlloc(t->ctx, 0, n, 0);
	b = clSVMAlloc(t->ctx, 0, n, 0);
	CHECK(a && b);
	for (i = 0; i < n; i += 4096)
		a[i] = (unsigned char)(i >> 12);
	a[n - 1] = 0x77;
	CHECK_OK(clEnqueueSVMMemcpy(q, CL_TRUE, b, a, n, 0, NULL, NULL));
	for (i = 0; i < n; i += 4096)
		if (b[i] != (unsigned char)(i >> 12))
			FAIL("memcpy: byte %zu is %u", i, b[i]);
	CHECK(b[n - 1] == 0x77);
	for (ps = 4; ps <= 16; ps *= 4) {
		for (i = 0; i < ps; i++)
			pat[i] = (unsigned char)(i + 3 * ps);
		CHECK_OK(clEnqueueSVMMemFill(q, b, pat, ps, n - ps, 0, NULL, NULL));
		CHECK_OK(clEnqueueSVMMap(q, CL_TRUE, CL_MAP_READ, b, n, 0, NULL, NULL));
		for (i = 0; i < n - ps; i += 4093)
			if (b[i] != pat[i % ps])
				FAIL("fill %zu: byte %zu is %u", ps, i, b[i]);
		CHECK(b[n - ps - 1] == pat[ps - 1] && b[n - 1] == 0x77);
		CHECK_OK(clEnqueueSVMUnmap(q, b, 0, NULL, NULL));
	}
	CHECK_OK(clFinish(q));
	clSVMFree(t->ctx, a);
	clSVMFree(t->ctx, b);
	return 0;
}

static int t_unsupported(struct clt *t)
{
	cl_image_format fmt = { CL_RGBA, CL_UNORM_INT8 };
	cl_image_desc desc = { .image_type = CL_MEM_OBJECT_IMAGE2D,
			       .image_width = 4, .image_height = 4 };
	cl_bool images;
	cl_uint n = 1;
	cl_int err;
	cl_mem m;

	CHECK_OK(clGetDeviceInfo(t->dev[0], CL_DEVICE_IMAGE_SUPPORT, sizeof(images), &images, NULL));
	if (images)
		SKIP("the device has images");
	m = clCreateImage(t->ctx, 0, &fmt, &desc, NULL, &err);
	CHECK(!m && err == CL_INVALID_OPERATION);
	CHECK_OK(clGetSupportedImageFormats(t->ctx, 0, CL_MEM_OBJECT_IMAGE2D, 0, NULL, &n));
	CHECK(n == 0);
	CHECK(!clCreateSamplerWithProperties(t->ctx, NULL, &err) && err == CL_INVALID_OPERATION);
	return 0;
}

CLT_MAIN(T(platform_info), T(device_info), T(context), T(queue),
	 T(buffer_errors), T(buffer_rw), T(events), T(cross_queue),
	 T(svm_alloc), T(svm_memcpy_fill), T(svm_free), T(svm_migrate),
	 T(svm_large), T(unsupported))
