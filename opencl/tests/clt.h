/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * clt: the harness of the OpenCL test programs. They run against whatever
 * platform the ICD loader gives first (OCL_ICD_VENDORS picks vsvm or, on
 * the host, Debian's pocl as the reference), on all its devices, and
 * print one line per test:
 *
 *   ok NAME
 *   fail NAME: why
 *   skip NAME: why
 *   info NAME: key=value	(measurements)
 *
 * The exit status is 1 when a test failed. Arguments name the tests to
 * run (all by default); -n N uses only the first N devices; --list prints
 * the names of the tests and exits.
 *
 * A test is int fn(struct clt *t): 0 pass, or the value of FAIL/SKIP.
 */
#ifndef CLT_H
#define CLT_H

#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
#include <CL/cl_ext.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLT_MAX_DEV 8

struct clt {
	cl_platform_id platform;
	char platform_name[128];
	bool vsvm;			/* the vsvm platform (else a reference) */
	cl_uint ndev;
	cl_device_id dev[CLT_MAX_DEV];
	cl_device_svm_capabilities dev_svm[CLT_MAX_DEV];
	cl_device_svm_capabilities svm;	/* common to all devices */
	cl_context ctx;
	cl_command_queue q[CLT_MAX_DEV];	/* profiling on */
};

/*
 * VRAM of each vsvm device, bytes, from the suite (CLT_VSVM_VRAM, which
 * tools/vsvm-features reads from the kernel); 0 when unknown.
 */
static inline unsigned long long clt_vsvm_vram(void)
{
	const char *v = getenv("CLT_VSVM_VRAM");

	return v ? strtoull(v, NULL, 0) : 0;
}

struct clt_test {
	const char *name;
	int (*fn)(struct clt *t);
};

#define CLT_PASS 0
#define CLT_FAIL 1
#define CLT_SKIP 2

static char clt_reason[512];
static const char *clt_current;

static inline int clt_set(int rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int clt_set(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(clt_reason, sizeof(clt_reason), fmt, ap);
	va_end(ap);
	return rc;
}

#define FAIL(...) return clt_set(CLT_FAIL, __VA_ARGS__)
#define SKIP(...) return clt_set(CLT_SKIP, __VA_ARGS__)

static inline const char *clt_err(cl_int e)
{
	static char buf[8][32];
	static int i;

	switch (e) {
#define E(x) case x: return #x
	E(CL_SUCCESS); E(CL_DEVICE_NOT_FOUND); E(CL_OUT_OF_RESOURCES);
	E(CL_OUT_OF_HOST_MEMORY); E(CL_MEM_COPY_OVERLAP);
	E(CL_BUILD_PROGRAM_FAILURE); E(CL_MISALIGNED_SUB_BUFFER_OFFSET);
	E(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
	E(CL_COMPILE_PROGRAM_FAILURE); E(CL_LINK_PROGRAM_FAILURE);
	E(CL_KERNEL_ARG_INFO_NOT_AVAILABLE); E(CL_INVALID_VALUE);
	E(CL_INVALID_DEVICE_TYPE); E(CL_INVALID_PLATFORM); E(CL_INVALID_DEVICE);
	E(CL_INVALID_CONTEXT); E(CL_INVALID_QUEUE_PROPERTIES);
	E(CL_INVALID_COMMAND_QUEUE); E(CL_INVALID_HOST_PTR);
	E(CL_INVALID_MEM_OBJECT); E(CL_INVALID_BINARY);
	E(CL_INVALID_BUILD_OPTIONS); E(CL_INVALID_PROGRAM);
	E(CL_INVALID_PROGRAM_EXECUTABLE); E(CL_INVALID_KERNEL_NAME);
	E(CL_INVALID_KERNEL); E(CL_INVALID_ARG_INDEX); E(CL_INVALID_ARG_VALUE);
	E(CL_INVALID_ARG_SIZE); E(CL_INVALID_KERNEL_ARGS);
	E(CL_INVALID_WORK_DIMENSION); E(CL_INVALID_WORK_GROUP_SIZE);
	E(CL_INVALID_WORK_ITEM_SIZE); E(CL_INVALID_GLOBAL_OFFSET);
	E(CL_INVALID_EVENT_WAIT_LIST); E(CL_INVALID_EVENT);
	E(CL_INVALID_OPERATION); E(CL_INVALID_BUFFER_SIZE);
	E(CL_INVALID_GLOBAL_WORK_SIZE); E(CL_INVALID_PROPERTY);
	E(CL_PROFILING_INFO_NOT_AVAILABLE); E(CL_COMPILER_NOT_AVAILABLE);
	E(CL_INVALID_SAMPLER); E(CL_INVALID_LINKER_OPTIONS);
#undef E
	default:
		i = (i + 1) % 8;
		snprintf(buf[i], sizeof(buf[i]), "error %d", e);
		return buf[i];
	}
}

/* CHECK(cond): fail the test with the condition's text. */
#define CHECK(c) \
	do { \
		if (!(c)) \
			FAIL("line %d: %s", __LINE__, #c); \
	} while (0)

/* CHECK_ERR(expr, want): the CL call returns @want. */
#define CHECK_ERR(expr, want) \
	do { \
		cl_int e_ = (expr); \
		if (e_ != (want)) \
			FAIL("line %d: %s: %s, expected %s", __LINE__, #expr, \
			     clt_err(e_), clt_err(want)); \
	} while (0)

#define CHECK_OK(expr) CHECK_ERR(expr, CL_SUCCESS)

static inline double clt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void clt_info(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void clt_info(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("info %s: %s=", clt_current, key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * Build @src for every device; on failure the log is in clt_reason.
 * The compile time goes out as an info line.
 */
static inline cl_program clt_build(struct clt *t, const char *src,
				   const char *options, cl_int *err)
{
	cl_program p = clCreateProgramWithSource(t->ctx, 1, &src, NULL, err);
	static char log[16384];
	double t0;

	if (!p)
		return NULL;
	t0 = clt_now();
	*err = clBuildProgram(p, 0, NULL, options, NULL, NULL);
	clt_info("compile_ms", "%.0f", (clt_now() - t0) * 1000);
	if (*err) {
		log[0] = 0;
		clGetProgramBuildInfo(p, t->dev[0], CL_PROGRAM_BUILD_LOG,
				      sizeof(log), log, NULL);
		snprintf(clt_reason, sizeof(clt_reason), "build: %s: %.400s",
			 clt_err(*err), log);
		clReleaseProgram(p);
		return NULL;
	}
	return p;
}

static inline void CL_CALLBACK clt_notify(const char *msg, const void *info,
					  size_t size, void *data)
{
	(void)info; (void)size; (void)data;
	fprintf(stderr, "context: %s\n", msg);
}

static inline int clt_setup(struct clt *t, cl_uint max_dev)
{
	cl_uint n = 0, i;
	cl_int err;

	memset(t, 0, sizeof(*t));
	if (clGetPlatformIDs(1, &t->platform, &n) || !n) {
		printf("skip setup: no OpenCL platform\n");
		return -1;
	}
	clGetPlatformInfo(t->platform, CL_PLATFORM_NAME,
			  sizeof(t->platform_name), t->platform_name, NULL);
	t->vsvm = strstr(t->platform_name, "vsvm") != NULL;
	if (clGetDeviceIDs(t->platform, CL_DEVICE_TYPE_ALL, CLT_MAX_DEV, t->dev,
			   &t->ndev) || !t->ndev) {
		printf("skip setup: no device\n");
		return -1;
	}
	if (max_dev && t->ndev > max_dev)
		t->ndev = max_dev;
	t->svm = ~(cl_device_svm_capabilities)0;
	for (i = 0; i < t->ndev; i++) {
		clGetDeviceInfo(t->dev[i], CL_DEVICE_SVM_CAPABILITIES,
				sizeof(t->dev_svm[i]), &t->dev_svm[i], NULL);
		t->svm &= t->dev_svm[i];
	}
	t->ctx = clCreateContext(NULL, t->ndev, t->dev, clt_notify, NULL, &err);
	if (!t->ctx) {
		printf("fail setup: clCreateContext: %s\n", clt_err(err));
		return -1;
	}
	for (i = 0; i < t->ndev; i++) {
		cl_queue_properties props[] = { CL_QUEUE_PROPERTIES,
						CL_QUEUE_PROFILING_ENABLE, 0 };

		t->q[i] = clCreateCommandQueueWithProperties(t->ctx, t->dev[i],
							     props, &err);
		if (!t->q[i]) {
			printf("fail setup: clCreateCommandQueueWithProperties: %s\n",
			       clt_err(err));
			return -1;
		}
	}
	return 0;
}

static inline bool clt_selected(int argc, char **argv, const char *name)
{
	int i, named = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n")) {
			i++;
			continue;
		}
		named = 1;
		if (!strcmp(argv[i], name))
			return true;
	}
	return !named;
}

static inline int clt_main(int argc, char **argv, const struct clt_test *tests,
			   size_t n)
{
	struct clt t;
	cl_uint max_dev = 0;
	int failed = 0, i;
	size_t k;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (k = 0; k < n; k++)
			printf("%s\n", tests[k].name);
		return 0;
	}
	for (i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "-n"))
			max_dev = (cl_uint)atoi(argv[i + 1]);
	if (clt_setup(&t, max_dev))
		return 0;
	printf("# platform \"%s\", %u device(s), SVM caps 0x%" PRIx64 "\n",
	       t.platform_name, t.ndev, (uint64_t)t.svm);
	for (k = 0; k < n; k++) {
		int rc;

		if (!clt_selected(argc, argv, tests[k].name))
			continue;
		clt_current = tests[k].name;
		clt_reason[0] = 0;
		rc = tests[k].fn(&t);
		if (rc == CLT_PASS) {
			printf("ok %s\n", tests[k].name);
		} else if (rc == CLT_SKIP) {
			printf("skip %s: %s\n", tests[k].name, clt_reason);
		} else {
			printf("fail %s: %s\n", tests[k].name, clt_reason);
			failed = 1;
		}
		for (i = 0; i < (int)t.ndev; i++)
			clFinish(t.q[i]);
	}
	return failed;
}

#define CLT_MAIN(...) \
	int main(int argc, char **argv) \
	{ \
		static const struct clt_test tests_[] = { __VA_ARGS__ }; \
		return clt_main(argc, argv, tests_, \
				sizeof(tests_) / sizeof(tests_[0])); \
	}

#define T(fn) { #fn, t_##fn }

#endif /* CLT_H */
