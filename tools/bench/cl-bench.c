// SPDX-License-Identifier: MIT
/*
 * cl-bench: what the OpenCL layer costs on vsvm (make bench), in one run.
 *
 *  launch  enqueue-to-complete latency of an empty kernel (one work-item):
 *          clEnqueueNDRangeKernel + clFinish through the ICD, against the
 *          same program image submitted raw (libdrm_vsvm: one DISPATCH,
 *          vsvm_exec + vsvm_wait). Target: OpenCL <= 1.5x raw.
 *  popple  device atomic throughput of Popple's counter kernel (N x M
 *          relaxed all_svm_devices adds on one SVM-atomics int), alone and
 *          with two host threads adding to the same int (contention).
 *
 * Output: "ocl launch" / "ocl popple" headers, then "key value" lines
 * (tools/bench.sh prints the table). Medians of several batches.
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

#include "vsvm.h"
#include "vsvm_cc.h"

#define BATCHES 7

static const char src[] =
"kernel void empty(void)\n"
"{\n"
"}\n"
"kernel void popple(global atomic_int *counter, int m)\n"
"{\n"
"	for (int i = 0; i < m; i++)\n"
"		atomic_fetch_add_explicit(counter, 1, memory_order_relaxed,\n"
"					  memory_scope_all_svm_devices);\n"
"}\n";

#define DIE(...) \
	do { \
		fprintf(stderr, "cl-bench: " __VA_ARGS__); \
		fprintf(stderr, "\n"); \
		exit(1); \
	} while (0)
#define CHECK(call) \
	do { \
		cl_int e_ = (call); \
		if (e_ != CL_SUCCESS) \
			DIE("%s: error %d", #call, e_); \
	} while (0)

static cl_platform_id platform;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

/* The raw path: the same image, one DISPATCH submitted with libdrm_vsvm. */
struct raw {
	struct vsvm_cc *cc;
	struct vsvm_cc_program *cp;
	struct vsvm_device *dev;
	struct vsvm_program *prog;
	struct vsvm_cmdbuf *cb;
	uint64_t kernarg[2];
};

static void raw_init(struct raw *r)
{
	const char *s = src;
	const struct vsvm_cc_kernel *kinfo;
	struct drm_vsvm_dispatch d;
	const void *image;
	size_t size;
	int i;

	memset(r, 0, sizeof(*r));
	if (vsvm_cc_new(&r->cc) ||
	    vsvm_cc_build(r->cc, VSVM_CC_OPENCL_C, &s, NULL, 1, "-cl-std=CL2.0", &r->cp))
		DIE("vsvm_cc_build failed");
	kinfo = vsvm_cc_program_find_kernel(r->cp, "empty");
	image = vsvm_cc_program_image(r->cp, &size);
	if (vsvm_device_new(&r->dev) || vsvm_vm_init(r->dev, 0, 0))
		DIE("no vsvm device");
	if (vsvm_program_new(r->dev, image, size, &r->prog, NULL))
		DIE("vsvm_program_new failed");
	memset(&d, 0, sizeof(d));
	d.program = vsvm_program_handle(r->prog);
	d.work_dim = 1;
	d.entry = kinfo->entry;
	d.kernarg = VSVM_PTR(r->kernarg);
	/* The private memory the ICD asks for, so that both do the same work. */
	d.private_mem = (kinfo->private_size + 256 + 15) & ~15u;
	for (i = 0; i < 3; i++) {
		d.global_size[i] = 1;
		d.local_size[i] = 1;
	}
	if (vsvm_cmdbuf_new(&r->cb) || vsvm_cmd_dispatch(r->cb, &d))
		DIE("vsvm_cmd_dispatch failed");
}

static void raw_fini(struct raw *r)
{
	vsvm_cmdbuf_del(r->cb);
	vsvm_program_del(r->prog);
	vsvm_device_del(r->dev);
	vsvm_cc_program_del(r->cp);
	vsvm_cc_del(r->cc);
}

/* Per-launch time, us, of @iters raw dispatches (exec, then wait). */
static double raw_batch(struct raw *r, int iters)
{
	double t0 = now();
	int32_t status;
	int i;

	for (i = 0; i < iters; i++)
		if (vsvm_exec_wait(r->dev, 0, r->cb, VSVM_TIMEOUT_INFINITE, &status) || status)
			DIE("raw dispatch failed (%d)", status);
	return (now() - t0) / iters * 1e6;
}

/* Per-launch time, us, of @iters clEnqueueNDRangeKernel + clFinish. */
static double ocl_batch(cl_command_queue q, cl_kernel k, int iters)
{
	double t0 = now();
	size_t one = 1;
	int i;

	for (i = 0; i < iters; i++) {
		CHECK(clEnqueueNDRangeKernel(q, k, 1, NULL, &one, &one, 0, NULL, NULL));
		CHECK(clFinish(q));
	}
	return (now() - t0) / iters * 1e6;
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

/* Device adds per second of one Popple launch, with @threads host adders. */
static double popple_rate(cl_context ctx, cl_command_queue q, cl_kernel k,
			  int n, int m, int threads, cl_ulong *grants)
{
	clGetDeviceCountersVSVM_fn fn;
	struct drm_vsvm_stats s0, s1;
	struct adder a[4];
	pthread_t th[4];
	cl_device_id dev;
	size_t gsz = n;
	double t0, t1;
	int *counter, stop = 0, i;
	long host = 0;

	counter = clSVMAlloc(ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER | CL_MEM_SVM_ATOMICS,
			     sizeof(int), 0);
	if (!counter)
		DIE("clSVMAlloc(FINE_GRAIN_BUFFER | SVM_ATOMICS) gave NULL");
	*counter = 0;
	CHECK(clGetCommandQueueInfo(q, CL_QUEUE_DEVICE, sizeof(dev), &dev, NULL));
	fn = (clGetDeviceCountersVSVM_fn)clGetExtensionFunctionAddressForPlatform(
		platform, "clGetDeviceCountersVSVM");
	memset(&s0, 0, sizeof(s0));
	s1 = s0;
	if (fn)
		fn(dev, sizeof(s0), &s0, NULL);
	CHECK(clSetKernelArgSVMPointer(k, 0, counter));
	CHECK(clSetKernelArg(k, 1, sizeof(m), &m));
	for (i = 0; i < threads; i++) {
		a[i] = (struct adder){ counter, 0, &stop };
		pthread_create(&th[i], NULL, host_add, &a[i]);
	}
	t0 = now();
	CHECK(clEnqueueNDRangeKernel(q, k, 1, NULL, &gsz, NULL, 0, NULL, NULL));
	CHECK(clFinish(q));
	t1 = now();
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		host += a[i].done;
	}
	if (*counter != (long)n * m + host)
		DIE("Popple counter %d, expected %ld", *counter, (long)n * m + host);
	if (fn)
		fn(dev, sizeof(s1), &s1, NULL);
	*grants = s1.atomic_grants - s0.atomic_grants;
	clSVMFree(ctx, counter);
	return (double)n * m / (t1 - t0);
}

int main(void)
{
	cl_device_id dev;
	cl_context ctx;
	cl_command_queue q;
	cl_program prog;
	cl_kernel empty, popple;
	double raw, ocl, alone[BATCHES], busy[BATCHES], traw[BATCHES], tocl[BATCHES];
	struct raw r;
	cl_ulong g_alone = 0, g_busy = 0, g;
	cl_int err;
	int b;

	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(clGetPlatformIDs(1, &platform, NULL));
	CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &dev, NULL));
	ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
	CHECK(err);
	q = clCreateCommandQueueWithProperties(ctx, dev, NULL, &err);
	CHECK(err);
	prog = clCreateProgramWithSource(ctx, 1, (const char *[]){ src }, NULL, &err);
	CHECK(err);
	CHECK(clBuildProgram(prog, 0, NULL, "-cl-std=CL2.0", NULL, NULL));
	empty = clCreateKernel(prog, "empty", &err);
	CHECK(err);
	popple = clCreateKernel(prog, "popple", &err);
	CHECK(err);

	/* Warm both paths, then alternate batches so that drift hits both. */
	raw_init(&r);
	raw_batch(&r, 20);
	ocl_batch(q, empty, 20);
	for (b = 0; b < BATCHES; b++) {
		traw[b] = raw_batch(&r, 100);
		tocl[b] = ocl_batch(q, empty, 100);
	}
	raw_fini(&r);
	raw = median(traw, BATCHES);
	ocl = median(tocl, BATCHES);
	printf("ocl launch\n");
	printf("raw_dispatch_us %.1f\n", raw);
	printf("opencl_launch_us %.1f\n", ocl);
	printf("ratio_opencl_vs_raw %.2f\n", ocl / raw);

	for (b = 0; b < BATCHES; b++) {
		alone[b] = popple_rate(ctx, q, popple, 64, 2000, 0, &g);
		g_alone += g;
		busy[b] = popple_rate(ctx, q, popple, 64, 2000, 2, &g);
		g_busy += g;
	}
	printf("ocl popple\n");
	printf("device_adds_per_s_alone %.0f\n", median(alone, BATCHES));
	printf("device_adds_per_s_contended %.0f\n", median(busy, BATCHES));
	printf("ratio_contended_vs_alone %.2f\n", median(busy, BATCHES) / median(alone, BATCHES));
	printf("grants_per_run_alone %.1f\n", (double)g_alone / BATCHES);
	printf("grants_per_run_contended %.1f\n", (double)g_busy / BATCHES);

	clReleaseKernel(empty);
	clReleaseKernel(popple);
	clReleaseProgram(prog);
	clReleaseCommandQueue(q);
	clReleaseContext(ctx);
	return 0;
}
