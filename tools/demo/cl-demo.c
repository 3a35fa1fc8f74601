// SPDX-License-Identifier: MIT
/*
 * cl-demo: what drm-svm is for, through OpenCL on vsvm (make demo).
 *
 *  1. Popple's SVM atomics program: a counter from
 *     clSVMAlloc(FINE_GRAIN_BUFFER | SVM_ATOMICS), every device's
 *     work-items adding with atomic_fetch_add_explicit(...,
 *     memory_scope_all_svm_devices) while host threads add to the same
 *     word: the count comes out exact, and the device-exclusive grants and
 *     revocations that made it so are printed.
 *  2. Fine-grain system SVM: a linked list built with plain malloc() on
 *     the host, walked by a kernel.
 *  3. clEnqueueSVMMigrateMem: a buffer moved into a device's VRAM, used
 *     there by a kernel, moved back.
 *
 * Runs against the first OpenCL platform (OCL_ICD_VENDORS picks vsvm).
 * The counters come from the platform's cl_vsvm_device_counters extension.
 */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <CL/cl_vsvm.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vsvm_drm.h"

static const char src[] =
"kernel void popple(global atomic_int *counter, int m)\n"
"{\n"
"	for (int i = 0; i < m; i++)\n"
"		atomic_fetch_add_explicit(counter, 1, memory_order_relaxed,\n"
"					  memory_scope_all_svm_devices);\n"
"}\n"
"typedef struct node { global struct node *next; long value; } node_t;\n"
"kernel void walk(global node_t *head, global long *out)\n"
"{\n"
"	long sum = 0, n = 0;\n"
"	for (global node_t *p = head; p; p = p->next, n++)\n"
"		sum += p->value;\n"
"	out[0] = sum;\n"
"	out[1] = n;\n"
"}\n"
"kernel void scale(global uint *a, uint k)\n"
"{\n"
"	a[get_global_id(0)] *= k;\n"
"}\n";

#define CHECK(call) \
	do { \
		cl_int e_ = (call); \
		if (e_ != CL_SUCCESS) { \
			printf("  FAILED: %s: error %d\n", #call, e_); \
			exit(1); \
		} \
	} while (0)

static cl_platform_id platform;
static clGetDeviceCountersVSVM_fn counters_fn;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct drm_vsvm_stats counters(cl_device_id dev)
{
	struct drm_vsvm_stats s;

	memset(&s, 0, sizeof(s));
	if (counters_fn)
		counters_fn(dev, sizeof(s), &s, NULL);
	return s;
}

struct adder {
	int *counter;
	long done;
	int *stop;
};

static void *host_add(void *arg)
{
	struct adder *a = arg;

	while (!__atomic_load_n(a->stop, __ATOMIC_ACQUIRE)) {
		__atomic_fetch_add(a->counter, 1, __ATOMIC_RELAXED);
		a->done++;
	}
	return NULL;
}

static int popple(cl_context ctx, cl_command_queue *q, cl_device_id *dev,
		  cl_uint ndev, cl_program prog)
{
	const int n = 64, m = 4000;
	struct drm_vsvm_stats before[8], after[8];
	struct adder adders[2];
	pthread_t th[2];
	cl_event ev[8];
	cl_kernel k;
	cl_int err;
	size_t gsz = n;
	long host = 0, expected;
	int stop = 0, *counter;
	double t0;
	cl_uint d;
	int i;

	printf("--- 1. Popple's SVM atomics program (\"SVM atomics in Nouveau\", 5.14)\n");
	counter = clSVMAlloc(ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER | CL_MEM_SVM_ATOMICS,
			     sizeof(int), 0);
	if (!counter) {
		printf("  FAILED: clSVMAlloc(FINE_GRAIN_BUFFER | SVM_ATOMICS) gave NULL\n");
		return 1;
	}
	*counter = 0;
	k = clCreateKernel(prog, "popple", &err);
	CHECK(err);
	CHECK(clSetKernelArgSVMPointer(k, 0, counter));
	CHECK(clSetKernelArg(k, 1, sizeof(m), &m));
	for (d = 0; d < ndev; d++)
		before[d] = counters(dev[d]);
	printf("  counter at %p: clSVMAlloc(FINE_GRAIN_BUFFER | SVM_ATOMICS), private anonymous memory\n",
	       (void *)counter);
	printf("  %u device(s) x %d work-items x %d atomic_fetch_add_explicit(relaxed, all_svm_devices)\n",
	       ndev, n, m);
	t0 = now();
	for (d = 0; d < ndev; d++) {
		CHECK(clEnqueueNDRangeKernel(q[d], k, 1, NULL, &gsz, NULL, 0, NULL, &ev[d]));
		CHECK(clFlush(q[d]));
	}
	for (i = 0; i < 2; i++) {
		adders[i] = (struct adder){ counter, 0, &stop };
		pthread_create(&th[i], NULL, host_add, &adders[i]);
	}
	CHECK(clWaitForEvents(ndev, ev));
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		host += adders[i].done;
	}
	for (d = 0; d < ndev; d++)
		clReleaseEvent(ev[d]);
	expected = (long)ndev * n * m + host;
	printf("  2 host threads added %ld to the same int while the kernels ran (%.2f s)\n",
	       host, now() - t0);
	printf("  counter = %d, expected %ld x %d x %d + %ld = %ld: %s\n", *counter, (long)ndev,
	       n, m, host, expected, *counter == expected ? "EXACT" : "WRONG");
	for (d = 0; d < ndev; d++) {
		after[d] = counters(dev[d]);
		printf("  device %u: %llu device-exclusive grants, %llu revocations by the CPU\n", d,
		       (unsigned long long)(after[d].atomic_grants - before[d].atomic_grants),
		       (unsigned long long)(after[d].atomic_revokes - before[d].atomic_revokes));
	}
	i = *counter != expected;
	clReleaseKernel(k);
	clSVMFree(ctx, counter);
	return i;
}

struct node {
	struct node *next;
	long value;
};

static int linked_list(cl_command_queue q, cl_program prog)
{
	const int n = 1000;
	struct node *head = NULL, *nd;
	long sum = 0, *out = malloc(2 * sizeof(long));
	size_t one = 1;
	cl_kernel k;
	cl_int err;
	int i;

	printf("--- 2. Fine-grain system SVM: a malloc()'d linked list walked by a kernel\n");
	for (i = 0; i < n; i++) {
		nd = malloc(sizeof(*nd));	/* plain malloc: no OpenCL allocation */
		nd->value = i * 3 + 1;
		nd->next = head;
		head = nd;
		sum += nd->value;
	}
	k = clCreateKernel(prog, "walk", &err);
	CHECK(err);
	CHECK(clSetKernelArgSVMPointer(k, 0, head));
	CHECK(clSetKernelArgSVMPointer(k, 1, out));
	CHECK(clEnqueueNDRangeKernel(q, k, 1, NULL, &one, &one, 0, NULL, NULL));
	CHECK(clFinish(q));
	printf("  host built %d nodes with malloc(), head at %p\n", n, (void *)head);
	printf("  the kernel followed %ld pointers, sum %ld (host: %ld): %s\n", out[1], out[0], sum,
	       out[0] == sum && out[1] == n ? "OK" : "WRONG");
	clReleaseKernel(k);
	for (nd = head; nd; nd = head) {
		head = nd->next;
		free(nd);
	}
	i = out[0] != sum || out[1] != n;
	free(out);
	return i;
}

static int migrate(cl_context ctx, cl_command_queue q, cl_device_id dev,
		   cl_program prog)
{
	const size_t n = 4 << 20 >> 2;	/* 4 MiB of uint */
	struct drm_vsvm_stats s0, s1, s2;
	cl_uint *a, k = 3, bad = 0;
	const void *ptrs[1];
	cl_kernel kern;
	cl_int err;
	size_t i;

	printf("--- 3. clEnqueueSVMMigrateMem: into the device's VRAM and back\n");
	a = clSVMAlloc(ctx, CL_MEM_READ_WRITE, n * sizeof(*a), 0);
	if (!a) {
		printf("  FAILED: clSVMAlloc gave NULL\n");
		return 1;
	}
	for (i = 0; i < n; i++)
		a[i] = (cl_uint)i;
	ptrs[0] = a;
	s0 = counters(dev);
	CHECK(clEnqueueSVMMigrateMem(q, 1, ptrs, NULL, 0, 0, NULL, NULL));
	CHECK(clFinish(q));
	s1 = counters(dev);
	printf("  4 MiB to the device: %llu pages migrated to VRAM, %llu MiB of VRAM in use\n",
	       (unsigned long long)(s1.migrations_to_vram - s0.migrations_to_vram),
	       (unsigned long long)(s1.vram_used >> 20));
	kern = clCreateKernel(prog, "scale", &err);
	CHECK(err);
	CHECK(clSetKernelArgSVMPointer(kern, 0, a));
	CHECK(clSetKernelArg(kern, 1, sizeof(k), &k));
	CHECK(clEnqueueNDRangeKernel(q, kern, 1, NULL, &n, NULL, 0, NULL, NULL));
	CHECK(clEnqueueSVMMigrateMem(q, 1, ptrs, NULL, CL_MIGRATE_MEM_OBJECT_HOST, 0, NULL, NULL));
	CHECK(clFinish(q));
	s2 = counters(dev);
	printf("  a kernel scaled it in VRAM; back to the host: %llu pages migrated to RAM\n",
	       (unsigned long long)(s2.migrations_to_ram - s1.migrations_to_ram));
	for (i = 0; i < n; i++)
		bad += a[i] != (cl_uint)i * 3;
	printf("  the host reads %zu words: %s\n", n, bad ? "WRONG" : "all correct");
	clReleaseKernel(kern);
	clSVMFree(ctx, a);
	return bad != 0;
}

int main(void)
{
	cl_device_id dev[8];
	cl_command_queue q[8];
	cl_uint ndev = 0, d;
	cl_device_svm_capabilities caps;
	char name[128], dname[128];
	cl_context ctx;
	cl_program prog;
	cl_int err;
	double t0;
	int rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(clGetPlatformIDs(1, &platform, NULL));
	CHECK(clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof(name), name, NULL));
	CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 8, dev, &ndev));
	counters_fn = (clGetDeviceCountersVSVM_fn)
		clGetExtensionFunctionAddressForPlatform(platform, "clGetDeviceCountersVSVM");
	printf("  OpenCL platform \"%s\", %u device(s):\n", name, ndev);
	for (d = 0; d < ndev; d++) {
		CHECK(clGetDeviceInfo(dev[d], CL_DEVICE_NAME, sizeof(dname), dname, NULL));
		CHECK(clGetDeviceInfo(dev[d], CL_DEVICE_SVM_CAPABILITIES, sizeof(caps), &caps, NULL));
		printf("    %s: SVM%s%s%s%s\n", dname,
		       caps & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER ? " COARSE_GRAIN_BUFFER" : "",
		       caps & CL_DEVICE_SVM_FINE_GRAIN_BUFFER ? " FINE_GRAIN_BUFFER" : "",
		       caps & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM ? " FINE_GRAIN_SYSTEM" : "",
		       caps & CL_DEVICE_SVM_ATOMICS ? " ATOMICS" : "");
	}
	ctx = clCreateContext(NULL, ndev, dev, NULL, NULL, &err);
	CHECK(err);
	for (d = 0; d < ndev; d++) {
		q[d] = clCreateCommandQueueWithProperties(ctx, dev[d], NULL, &err);
		CHECK(err);
	}
	prog = clCreateProgramWithSource(ctx, 1, (const char *[]){ src }, NULL, &err);
	CHECK(err);
	t0 = now();
	err = clBuildProgram(prog, 0, NULL, "-cl-std=CL2.0", NULL, NULL);
	if (err) {
		static char log[8192];

		clGetProgramBuildInfo(prog, dev[0], CL_PROGRAM_BUILD_LOG, sizeof(log), log, NULL);
		printf("  FAILED: clBuildProgram: error %d\n%s\n", err, log);
		return 1;
	}
	printf("  OpenCL C compiled to RV64 for the shader core in %.1f s (clang in this VM)\n",
	       now() - t0);
	rc |= popple(ctx, q, dev, ndev, prog);
	rc |= linked_list(q[ndev - 1], prog);
	rc |= migrate(ctx, q[0], dev[0], prog);
	for (d = 0; d < ndev; d++)
		clReleaseCommandQueue(q[d]);
	clReleaseProgram(prog);
	clReleaseContext(ctx);
	return rc;
}
