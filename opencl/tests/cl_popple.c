// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * cl_popple: Alistair Popple's SVM atomics test ("SVM atomics in
 * Nouveau", 5.14), written anew: a counter from
 * clSVMAlloc(FINE_GRAIN_BUFFER | SVM_ATOMICS), N work-items on every
 * device each doing M relaxed
 * atomic_fetch_add_explicit(..., memory_scope_all_svm_devices), host
 * threads adding K more to the same word while the kernels run: the
 * counter must be exactly devices*N*M + K after clFinish. Without
 * device-exclusive access (or another coherent path) the device's
 * read-modify-write and the CPU's would clobber each other.
 *
 *   popple_1dev   on the first device
 *   popple_2dev   on two devices at once (skipped with one)
 *
 * Options (after the test names): -N items -M adds -K host adds, -n devices.
 * On vsvm it also reads the device-exclusive grants and revocations
 * (cl_vsvm_device_counters) and requires grants: the GPU atomics must
 * have gone through device-exclusive pages.
 */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "clt.h"
#include "CL/cl_vsvm.h"
#include "vsvm_drm.h"

static const char src[] =
"kernel void popple(global atomic_int *counter, int m)\n"
"{\n"
"	for (int i = 0; i < m; i++)\n"
"		atomic_fetch_add_explicit(counter, 1, memory_order_relaxed,\n"
"					  memory_scope_all_svm_devices);\n"
"}\n";

static long opt_n = 64, opt_m = 4000, opt_k = 10000;
#define HOST_THREADS 2

struct adder {
	int *counter;
	long min, done;
	int *stop;
};

/* Add until told to stop, and at least @min times. */
static void *host_add(void *arg)
{
	struct adder *a = arg;

	while (a->done < a->min || !__atomic_load_n(a->stop, __ATOMIC_ACQUIRE)) {
		__atomic_fetch_add(a->counter, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&a->done, a->done + 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static bool counters(struct clt *t, cl_uint d, struct drm_vsvm_stats *s)
{
	clGetDeviceCountersVSVM_fn fn;

	if (!t->vsvm)
		return false;
	fn = (clGetDeviceCountersVSVM_fn)clGetExtensionFunctionAddressForPlatform(
		t->platform, "clGetDeviceCountersVSVM");
	return fn && !fn(t->dev[d], sizeof(*s), s, NULL);
}

static int popple(struct clt *t, cl_uint ndev)
{
	struct drm_vsvm_stats before[CLT_MAX_DEV], after[CLT_MAX_DEV];
	struct adder adders[HOST_THREADS];
	pthread_t th[HOST_THREADS];
	cl_event ev[CLT_MAX_DEV];
	cl_int status, m = (cl_int)opt_m, err;
	bool stats = true, overlap = true;
	int stop = 0;
	long host = 0;
	cl_ulong grants = 0, revokes = 0;
	long expected;
	double t0, t1;
	cl_program p;
	cl_kernel k;
	size_t n = (size_t)opt_n;
	cl_uint d;
	int *counter, i;

	if (ndev > t->ndev)
		SKIP("%u device(s), the test needs %u", t->ndev, ndev);
	if ((t->svm & (CL_DEVICE_SVM_FINE_GRAIN_BUFFER | CL_DEVICE_SVM_ATOMICS)) !=
	    (CL_DEVICE_SVM_FINE_GRAIN_BUFFER | CL_DEVICE_SVM_ATOMICS))
		SKIP("the devices lack FINE_GRAIN_BUFFER and SVM ATOMICS");
	p = clt_build(t, src, "-cl-std=CL2.0", &err);
	if (!p)
		return CLT_FAIL;
	k = clCreateKernel(p, "popple", &err);
	CHECK_OK(err);
	counter = clSVMAlloc(t->ctx, CL_MEM_SVM_FINE_GRAIN_BUFFER | CL_MEM_SVM_ATOMICS,
			     sizeof(int), 0);
	CHECK(counter);
	*counter = 0;
	CHECK_OK(clSetKernelArgSVMPointer(k, 0, counter));
	CHECK_OK(clSetKernelArg(k, 1, sizeof(m), &m));
	for (d = 0; d < ndev; d++)
		stats &= counters(t, d, &before[d]);

	t0 = clt_now();
	for (d = 0; d < ndev; d++) {
		CHECK_OK(clEnqueueNDRangeKernel(t->q[d], k, 1, NULL, &n, NULL, 0, NULL, &ev[d]));
		CHECK_OK(clFlush(t->q[d]));
	}
	/* The host adds at the same time, until every kernel is done. */
	for (i = 0; i < HOST_THREADS; i++) {
		adders[i].counter = counter;
		adders[i].min = opt_k / HOST_THREADS;
		adders[i].done = 0;
		adders[i].stop = &stop;
		CHECK(!pthread_create(&th[i], NULL, host_add, &adders[i]));
	}
	/* Were the kernels still running once the host was adding? */
	while (__atomic_load_n(&adders[0].done, __ATOMIC_RELAXED) < 100)
		;
	for (d = 0; d < ndev; d++) {
		CHECK_OK(clGetEventInfo(ev[d], CL_EVENT_COMMAND_EXECUTION_STATUS,
					sizeof(status), &status, NULL));
		overlap &= status != CL_COMPLETE;
	}
	err = clWaitForEvents(ndev, ev);
	t1 = clt_now();
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < HOST_THREADS; i++) {
		pthread_join(th[i], NULL);
		host += adders[i].done;
	}
	CHECK_OK(err);
	for (d = 0; d < ndev; d++) {
		CHECK_OK(clGetEventInfo(ev[d], CL_EVENT_COMMAND_EXECUTION_STATUS,
					sizeof(status), &status, NULL));
		if (status != CL_COMPLETE)
			FAIL("device %u: the kernel ended with %s", d, clt_err(status));
		clReleaseEvent(ev[d]);
	}
	expected = (long)ndev * opt_n * opt_m + host;
	clt_info("count", "%d", *counter);
	clt_info("expected", "%ld", expected);
	clt_info("device_adds", "%ld", (long)ndev * opt_n * opt_m);
	clt_info("host_adds", "%ld", host);
	clt_info("kernels_s", "%.3f", t1 - t0);
	clt_info("device_adds_per_s", "%.0f", ndev * opt_n * opt_m / (t1 - t0));
	clt_info("host_overlapped_kernels", "%s", overlap ? "yes" : "no");
	if (stats) {
		for (d = 0; d < ndev; d++) {
			stats &= counters(t, d, &after[d]);
			grants += after[d].atomic_grants - before[d].atomic_grants;
			revokes += after[d].atomic_revokes - before[d].atomic_revokes;
		}
		clt_info("atomic_grants", "%llu", (unsigned long long)grants);
		clt_info("atomic_revokes", "%llu", (unsigned long long)revokes);
	}
	if (*counter != expected)
		FAIL("counter %d, expected %ld (%ld lost)", *counter, expected,
		     expected - *counter);
	if (!overlap)
		FAIL("the kernels were done before the host added: nothing was tested (raise -M)");
	if (stats && !grants)
		FAIL("no device-exclusive grant: the GPU atomics did not take the SVM atomics path");
	clReleaseKernel(k);
	clReleaseProgram(p);
	clSVMFree(t->ctx, counter);
	return 0;
}

static int t_popple_1dev(struct clt *t)
{
	return popple(t, 1);
}

static int t_popple_2dev(struct clt *t)
{
	return popple(t, 2);
}

int main(int argc, char **argv)
{
	static const struct clt_test tests[] = { T(popple_1dev), T(popple_2dev) };
	char *args[16];
	int i, n = 0;

	/* -N -M -K are ours; the rest goes to the harness. */
	for (i = 0; i < argc && n < 16; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "-N"))
			opt_n = atol(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "-M"))
			opt_m = atol(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "-K"))
			opt_k = atol(argv[++i]);
		else
			args[n++] = argv[i];
	}
	return clt_main(n, args, tests, sizeof(tests) / sizeof(tests[0]));
}
