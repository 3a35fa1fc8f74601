// SPDX-License-Identifier: GPL-2.0
/*
 * svm-bench: drm-svm workloads measured side by side with the in-tree
 * reference device (lib/test_hmm.ko) and the guest's memcpy, in one run.
 *
 *   svm-bench w1 SIZE_MIB THP        THP: never | always
 *
 * W1, GPU first touch of malloc'd memory, both ways: vsvm FILLs a fresh
 * buffer (write faults) against test_hmm WRITE of a fresh buffer, and
 * vsvm COPYs a fresh buffer into a GPU-mapped one (read faults) against
 * test_hmm READ of a fresh buffer (hmm_range_fault in 64-page windows,
 * plus its bounce copy); and memcpy between two resident buffers.
 * Median of 5 runs after one warm-up. Prints one "key value" line per
 * figure so tools/bench.sh can tabulate them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <lib/test_hmm_uapi.h>
#include "vsvm_drm.h"

#define RUNS 5

static int vsvm_fd = -1, hmm_fd = -1;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void die(const char *what)
{
	fprintf(stderr, "svm-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_vsvm(void)
{
	char path[64];
	int i, fd;

	for (i = 128; i < 192; i++) {
		drmVersionPtr v;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "vsvm")) {
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	errno = ENODEV;
	return -1;
}

static void *alloc_buf(size_t size, int thp)
{
	/* Page aligned, as test_hmm wants; still malloc'd memory. */
	void *p = aligned_alloc(4096, size);

	if (!p)
		die("malloc");
	madvise(p, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	return p;
}

static double vsvm_run(struct drm_vsvm_cmd cmd, uint64_t *faults)
{
	struct drm_vsvm_exec ex = { .cmds = (uintptr_t)&cmd, .num_cmds = 1 };
	struct drm_vsvm_wait w = { .timeout_ns = -1 };
	struct drm_vsvm_stats s0 = { 0 }, s1 = { 0 };
	double t;

	drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_STATS, &s0);
	t = now();
	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_EXEC, &ex))
		die("vsvm exec");
	w.seqno = ex.seqno;
	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_WAIT, &w))
		die("vsvm wait");
	t = now() - t;
	if (w.status) {
		errno = -w.status;
		die("vsvm command");
	}
	drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_STATS, &s1);
	*faults = s1.gpu_faults - s0.gpu_faults;
	return t;
}

/* GPU writes a fresh buffer: write faults allocate every page. */
static double vsvm_fill(void *buf, size_t size, uint64_t *faults)
{
	return vsvm_run((struct drm_vsvm_cmd) {
		.op = DRM_VSVM_OP_FILL, .dst = (uintptr_t)buf, .size = size,
		.value = 0x5a5a5a5a }, faults);
}

/*
 * GPU reads a fresh buffer into @dst, which the GPU has mapped already:
 * read faults only, like test_hmm READ (which also copies, to its bounce
 * buffer and then to the user).
 */
static double vsvm_read(void *buf, void *dst, size_t size, uint64_t *faults)
{
	return vsvm_run((struct drm_vsvm_cmd) {
		.op = DRM_VSVM_OP_COPY, .dst = (uintptr_t)dst,
		.src = (uintptr_t)buf, .size = size }, faults);
}

static double dmirror(unsigned long req, void *buf, void *bounce, size_t size)
{
	struct hmm_dmirror_cmd c = {
		.addr = (uintptr_t)buf, .ptr = (uintptr_t)bounce,
		.npages = size / 4096,
	};
	double t = now();

	if (ioctl(hmm_fd, req, &c))
		die("test_hmm ioctl");
	return now() - t;
}

static void w1(size_t mib, int thp)
{
	size_t size = mib << 20;
	double t_vsvm[RUNS], t_vread[RUNS], t_read[RUNS], t_write[RUNS];
	double t_memcpy[RUNS];
	uint64_t faults[RUNS], rfaults[RUNS];
	void *bounce = malloc(size), *dst = alloc_buf(size, thp), *a, *b;
	int i;

	if (!bounce)
		die("malloc");
	memset(bounce, 1, size);
	/* The GPU maps the COPY destination once, outside the timing. */
	vsvm_fill(dst, size, &faults[0]);
	for (i = -1; i < RUNS; i++) {
		int k = i < 0 ? 0 : i;
		uint64_t f;
		double t;

		a = alloc_buf(size, thp);
		t = vsvm_fill(a, size, &f);
		free(a);
		if (i >= 0) {
			t_vsvm[k] = t;
			faults[k] = f;
		}
		a = alloc_buf(size, thp);
		t = vsvm_read(a, dst, size, &f);
		free(a);
		if (i >= 0) {
			t_vread[k] = t;
			rfaults[k] = f;
		}
		a = alloc_buf(size, thp);
		t = dmirror(HMM_DMIRROR_READ, a, bounce, size);
		free(a);
		if (i >= 0)
			t_read[k] = t;
		a = alloc_buf(size, thp);
		t = dmirror(HMM_DMIRROR_WRITE, a, bounce, size);
		free(a);
		if (i >= 0)
			t_write[k] = t;
		a = alloc_buf(size, thp);
		b = alloc_buf(size, thp);
		memset(a, 2, size);
		memset(b, 3, size);
		t = now();
		memcpy(b, a, size);
		t = now() - t;
		free(a);
		free(b);
		if (i >= 0)
			t_memcpy[k] = t;
	}
	free(bounce);
	free(dst);

	double fault_avg = 0, rfault_avg = 0;

	for (i = 0; i < RUNS; i++) {
		fault_avg += faults[i];
		rfault_avg += rfaults[i];
	}
	fault_avg /= RUNS;
	rfault_avg /= RUNS;
	double tv = median(t_vsvm, RUNS), tr = median(t_read, RUNS);
	double tvr = median(t_vread, RUNS);
	double tw = median(t_write, RUNS), tm = median(t_memcpy, RUNS);

	printf("w1 size_mib %zu thp %s\n", mib, thp ? "always" : "never");
	printf("vsvm_first_touch_mbs %.1f\n", mib / tv);
	printf("vsvm_gpu_faults %.0f\n", fault_avg);
	printf("vsvm_us_per_fault %.1f\n", tv * 1e6 / (fault_avg ? fault_avg : 1));
	printf("vsvm_us_per_4k %.3f\n", tv * 1e6 / (size / 4096));
	printf("vsvm_read_first_touch_mbs %.1f\n", mib / tvr);
	printf("vsvm_read_gpu_faults %.0f\n", rfault_avg);
	printf("test_hmm_read_mbs %.1f\n", mib / tr);
	printf("test_hmm_write_mbs %.1f\n", mib / tw);
	printf("memcpy_mbs %.1f\n", mib / tm);
	printf("ratio_read_vs_test_hmm_read %.2f\n", tr / tvr);
	printf("ratio_write_vs_test_hmm_write %.2f\n", tw / tv);
	printf("fraction_of_memcpy %.2f\n", tm / tv);
}

int main(int argc, char **argv)
{
	struct drm_vsvm_vm_init init = { .start = 0, .size = 1ull << 47 };

	if (argc != 4 || strcmp(argv[1], "w1")) {
		fprintf(stderr, "usage: svm-bench w1 SIZE_MIB never|always\n");
		return 2;
	}
	vsvm_fd = open_vsvm();
	if (vsvm_fd < 0)
		die("open vsvm render node (is vsvm.ko loaded?)");
	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_VM_INIT, &init))
		die("VM_INIT");
	hmm_fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (hmm_fd < 0)
		die("open /dev/hmm_dmirror0 (is test_hmm.ko loaded?)");
	w1(strtoul(argv[2], NULL, 0), !strcmp(argv[3], "always"));
	return 0;
}
