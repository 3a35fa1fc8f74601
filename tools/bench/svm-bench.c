// SPDX-License-Identifier: GPL-2.0
/*
 * svm-bench: drm-svm workloads measured side by side with the in-tree
 * reference device (lib/test_hmm.ko) and the guest's memcpy, in one run.
 *
 *   svm-bench w1 SIZE_MIB THP        THP: never | always
 *   svm-bench w4 NPAGES THP
 *   svm-bench w1b SIZE_MIB THP
 *   svm-bench w3 SIZE_MIB THP
 *   svm-bench w5 THP
 *   svm-bench p SIZE_MIB THP
 *
 * W1, GPU first touch of malloc'd memory, both ways: vsvm FILLs a fresh
 * buffer (write faults) against test_hmm WRITE of a fresh buffer, and
 * vsvm COPYs a fresh buffer into a GPU-mapped one (read faults) against
 * test_hmm READ of a fresh buffer (hmm_range_fault in 64-page windows,
 * plus its bounce copy); and memcpy between two resident buffers.
 * W4, atomics contention: the GPU makes NPAGES pages device-exclusive
 * (one ATOMIC command per page, each an ATOMIC fault serviced by a grant)
 * and the CPU then writes every page (each write revokes a grant), in a
 * loop; against test_hmm EXCLUSIVE of the same pages (corrected for its
 * read-back into the bounce buffer by a READ right after) and the same
 * CPU writes. Reports grant and revoke microseconds per page and round
 * trips per second. The vsvm grant includes a whole GPU submission (EXEC,
 * engine, fault handler, replay, WAIT); the same submission again while
 * the pages are still exclusive (no fault) is its baseline, subtracted in
 * the "net" figures as test_hmm's read-back is in the "corrected" ones.
 *
 * W1b, migrate on first touch: the GPU FILLs a fresh buffer whose preferred
 * location is VRAM (ADVISE), so every GPU fault migrates its 2 MiB range
 * into VRAM, against test_hmm MIGRATE_TO_DEV of a fresh buffer minus the
 * READ of the same (now mirrored) range that it does for verification.
 * vsvm clears freed VRAM in the background (so that migrating fresh memory
 * needs no clearing on the fault path); the bench frees the buffer, waits
 * for that clearing (debugfs dri/N/vram) and adds its time to vsvm's.
 * W3, CPU fault-back: a buffer PREFETCHed into VRAM is touched by the CPU,
 * one word per page (vsvm migrates a whole chunk per fault), against the
 * same touches after test_hmm MIGRATE_TO_DEV (one page per fault). W3
 * also prints where the time of one more (traced) vsvm run goes, from the
 * drm_svm_migrate_vma_to_ram tracepoint.
 * W5, eviction at 2x oversubscription: with VRAM of V bytes full, PREFETCH
 * V more bytes evicts V bytes; the eviction time is that PREFETCH minus
 * the same PREFETCH into free VRAM, against test_hmm RELEASE of V bytes
 * migrated with MIGRATE_TO_DEV (RELEASE also tears its 256 MiB chunks
 * down, which is not subtracted).
 *
 * P, the common SVM pattern, against the CPU doing the same in the same
 * run: P1 warm mirror, the GPU's first COPY of a buffer the CPU has just
 * written (GPU faults, no allocation), against memcpy between two resident
 * buffers; P2 engine streaming, the same COPY again with every GPU PTE
 * present (no fault), against the same memcpy; P3 first touch, a GPU FILL
 * of fresh memory (faults allocate and zero) against the CPU's own first
 * touch of fresh memory (memset). P1 also prints where its fault time goes,
 * from the vsvm_fault and vsvm_job_done tracepoints: get_pages (CPU page
 * walk, faulting, DMA mapping), binding (GPU PTE writes), the rest of the
 * fault service, and the engine (the submission minus its faults); and,
 * from drm_svm_get_pages, the parts of get_pages in hmm_range_fault() and
 * in DMA mapping. Without tracefs (a kernel without tracing) it says so.
 *
 * Median of 5 runs after one warm-up. Prints one "key value" line per
 * figure so tools/bench.sh can tabulate them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <lib/test_hmm_uapi.h>
#include <vsvm.h>

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

/* The first vsvm device's fd, opened by libdrm_vsvm; -1 with errno set. */
static int open_vsvm(void)
{
	struct vsvm_device *dev;
	int ret = vsvm_device_new(&dev);

	if (ret) {
		errno = -ret;
		return -1;
	}
	return vsvm_device_fd(dev);
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

/* The CPU writes one word of each page: revokes device-exclusive access. */
static double cpu_touch(volatile uint64_t *p, size_t npages, uint64_t v)
{
	double t = now();
	size_t i;

	for (i = 0; i < npages; i++)
		p[i * 512] = v;
	return now() - t;
}

static double vsvm_submit(struct drm_vsvm_cmd *cmds, size_t n)
{
	struct drm_vsvm_exec ex = { .cmds = (uintptr_t)cmds, .num_cmds = n };
	struct drm_vsvm_wait w = { .timeout_ns = -1 };
	double t = now();

	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_EXEC, &ex))
		die("vsvm exec");
	w.seqno = ex.seqno;
	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_WAIT, &w) || w.status) {
		errno = w.status ? -w.status : errno;
		die("vsvm atomic");
	}
	return now() - t;
}

static double dmirror_try(unsigned long req, void *buf, void *bounce,
			  size_t npages, int *failed)
{
	struct hmm_dmirror_cmd c = {
		.addr = (uintptr_t)buf, .ptr = (uintptr_t)bounce,
		.npages = npages,
	};
	double t = now();

	if (ioctl(hmm_fd, req, &c))
		*failed = errno;
	return now() - t;
}

static void w4(size_t npages, int thp)
{
	/* Round trips per run: enough to time one page. */
	int iters = npages >= 64 ? 2 : 200, i, it, hmm_failed = 0;
	size_t size = npages * 4096, n = npages;
	double g_vsvm[RUNS], r_vsvm[RUNS], g_hmm[RUNS], c_hmm[RUNS], r_hmm[RUNS];
	double b_vsvm[RUNS];
	struct drm_vsvm_cmd *cmds = calloc(n, sizeof(*cmds));
	uint64_t *a = alloc_buf(size, thp), *b = alloc_buf(size, thp);
	void *bounce = malloc(size);
	struct drm_vsvm_stats s0 = { 0 }, s1 = { 0 };
	uint64_t f;

	if (!cmds || !bounce)
		die("malloc");
	memset(a, 0, size);
	memset(b, 0, size);
	for (i = 0; i < (int)n; i++)
		cmds[i] = (struct drm_vsvm_cmd) {
			.op = DRM_VSVM_OP_ATOMIC, .flags = DRM_VSVM_CMD_64BIT,
			.dst = (uintptr_t)(a + i * 512 + 1), .size = 1, .value = 1,
		};
	drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_STATS, &s0);
	for (i = -1; i < RUNS; i++) {
		double g = 0, r = 0, gh = 0, ch = 0, rh = 0, base = 0;

		for (it = 0; it < iters; it++) {
			g += vsvm_submit(cmds, n);
			base += vsvm_submit(cmds, n);	/* no fault: baseline */
			r += cpu_touch(a, n, it);

			if (!hmm_failed) {
				gh += dmirror_try(HMM_DMIRROR_EXCLUSIVE, b, bounce, n,
						  &hmm_failed);
				ch += dmirror_try(HMM_DMIRROR_READ, b, bounce, n,
						  &hmm_failed);
				rh += cpu_touch(b, n, it);
			}
		}
		if (i >= 0) {
			g_vsvm[i] = g / iters / n;
			b_vsvm[i] = base / iters / n;
			r_vsvm[i] = r / iters / n;
			g_hmm[i] = gh / iters / n;
			c_hmm[i] = (gh - ch) / iters / n;
			r_hmm[i] = rh / iters / n;
		}
	}
	drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_STATS, &s1);
	f = s1.atomic_grants - s0.atomic_grants;

	double gv = median(g_vsvm, RUNS), rv = median(r_vsvm, RUNS);
	double bv = median(b_vsvm, RUNS);
	double gh = median(g_hmm, RUNS), chm = median(c_hmm, RUNS);
	double rh = median(r_hmm, RUNS);

	printf("w4 npages %zu thp %s\n", n, thp ? "always" : "never");
	printf("vsvm_grant_us %.2f\n", gv * 1e6);
	printf("vsvm_revoke_us %.2f\n", rv * 1e6);
	printf("vsvm_submit_baseline_us %.2f\n", bv * 1e6);
	printf("vsvm_grant_net_us %.2f\n", (gv - bv) * 1e6);
	printf("vsvm_roundtrips_per_s %.0f\n", 1 / (gv + rv));
	printf("vsvm_grants %llu\n", (unsigned long long)f);
	if (hmm_failed) {
		/* 6.12 with THP: make_device_exclusive_range() fails on tails. */
		printf("test_hmm_exclusive_error %d\n", hmm_failed);
		return;
	}
	printf("test_hmm_grant_us %.2f\n", gh * 1e6);
	printf("test_hmm_grant_corrected_us %.2f\n", chm * 1e6);
	printf("test_hmm_revoke_us %.2f\n", rh * 1e6);
	printf("test_hmm_roundtrips_per_s %.0f\n", 1 / (gh + rh));
	printf("ratio_time_vs_test_hmm %.2f\n", (gv + rv) / (gh + rh));
	printf("ratio_time_vs_test_hmm_corrected %.2f\n", (gv + rv) / (chm + rh));
	printf("ratio_net_vs_test_hmm_corrected %.2f\n", (gv - bv + rv) / (chm + rh));
}

static void vsvm_advise_loc(void *buf, size_t size, uint64_t loc)
{
	struct drm_vsvm_advise a = {
		.start = (uintptr_t)buf, .size = size,
		.attr = DRM_VSVM_ATTR_PREFERRED_LOC, .value = loc,
	};

	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_ADVISE, &a))
		die("vsvm advise");
}

static double vsvm_prefetch_timed(void *buf, size_t size, uint32_t loc)
{
	struct drm_vsvm_prefetch pf = {
		.start = (uintptr_t)buf, .size = size, .loc = loc,
	};
	double t = now();

	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_PREFETCH, &pf))
		die("vsvm prefetch");
	t = now() - t;
	if (pf.migrated != size / 4096) {
		fprintf(stderr, "svm-bench: prefetch moved %llu of %zu pages\n",
			(unsigned long long)pf.migrated, size / 4096);
		exit(1);
	}
	return t;
}

static void vsvm_read_stats(struct drm_vsvm_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_STATS, s))
		die("vsvm stats");
}

/*
 * VRAM clearing of every vsvm device, from debugfs ("clearing_bytes N
 * clear_ns N" in dri/<minor>/vram): bytes still to clear in *@pending
 * and the total ns spent clearing in *@ns. Return: 0, or -1 if no device
 * reports it (no debugfs).
 */
static int vram_clearing(uint64_t *pending, uint64_t *ns)
{
	ino_t seen[16];
	int nseen = 0, found = -1;
	glob_t g;
	size_t i;

	*pending = *ns = 0;
	if (glob("/sys/kernel/debug/dri/*/vram", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		unsigned long long p, n;
		char line[256];
		struct stat st;
		FILE *f;
		int j;

		/* The render node's directory may be a link to the primary's. */
		if (stat(g.gl_pathv[i], &st))
			continue;
		for (j = 0; j < nseen && seen[j] != st.st_ino; j++)
			;
		if (j < nseen || nseen == 16)
			continue;
		seen[nseen++] = st.st_ino;
		f = fopen(g.gl_pathv[i], "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "clearing_bytes %llu clear_ns %llu", &p, &n) == 2) {
				*pending += p;
				*ns += n;
				found = 0;
			}
		fclose(f);
	}
	globfree(&g);
	return found;
}

/*
 * Free @buf, which the GPU migrated to VRAM, and wait for the driver to
 * clear that VRAM in the background. Return: the seconds spent clearing
 * it (W1b charges them to vsvm), or -1 if the driver does not say.
 */
static double vsvm_free_vram(void *buf)
{
	uint64_t pending, ns0, ns1;
	int tries;

	if (vram_clearing(&pending, &ns0))
		ns0 = 0;
	free(buf);
	for (tries = 0; tries < 10000; tries++) {
		if (vram_clearing(&pending, &ns1))
			return -1;
		if (!pending)
			return (ns1 - ns0) / 1e9;
		usleep(1000);
	}
	die("VRAM clearing did not finish in 10 s");
	return -1;
}

static void w1b(size_t mib, int thp)
{
	size_t size = mib << 20;
	double t_vsvm[RUNS], t_hmm[RUNS], t_raw[RUNS], t_clear[RUNS];
	void *bounce = malloc(size), *a;
	int i, cleared = 1;
	uint64_t f;

	if (!bounce)
		die("malloc");
	for (i = -1; i < RUNS; i++) {
		int k = i < 0 ? 0 : i;
		double t, tm, tr;

		double tc;

		a = alloc_buf(size, thp);
		vsvm_advise_loc(a, size, DRM_VSVM_LOC_DEVICE);
		t = vsvm_fill(a, size, &f);
		/*
		 * vsvm clears freed VRAM in the background, so that migrating
		 * fresh memory needs no clearing on the fault path; that
		 * clearing is still vsvm's work: on the clock, and finished
		 * before test_hmm's turn.
		 */
		tc = vsvm_free_vram(a);
		if (tc < 0)
			cleared = 0;
		a = alloc_buf(size, thp);
		tm = dmirror(HMM_DMIRROR_MIGRATE_TO_DEV, a, bounce, size);
		tr = dmirror(HMM_DMIRROR_READ, a, bounce, size);
		free(a);
		t_clear[k] = tc < 0 ? 0 : tc;
		t_vsvm[k] = t + t_clear[k];
		t_hmm[k] = tm - tr;
		t_raw[k] = tm;
	}
	free(bounce);

	double tv = median(t_vsvm, RUNS), th = median(t_hmm, RUNS);
	double traw = median(t_raw, RUNS);

	printf("w1b size_mib %zu thp %s\n", mib, thp ? "always" : "never");
	printf("vsvm_migrate_first_touch_mbs %.1f\n", mib / tv);
	printf("test_hmm_migrate_mbs %.1f\n", mib / th);
	printf("test_hmm_migrate_raw_mbs %.1f\n", mib / traw);
	printf("vsvm_clear_ms %.2f\n", cleared ? median(t_clear, RUNS) * 1e3 : -1.0);
	printf("ratio_vs_test_hmm %.2f\n", th / tv);
}

static int trace_available(void);
static void w3_trace_on(void);
static void w3_trace_off(void);
static void w3_print_breakdown(double traced);

static void w3(size_t mib, int thp)
{
	size_t size = mib << 20, n = size / 4096;
	double t_vsvm[RUNS], t_hmm[RUNS], t_traced = 0;
	struct drm_vsvm_stats s0, s1;
	void *bounce = malloc(size), *a;
	int i;

	if (!bounce)
		die("malloc");
	vsvm_read_stats(&s0);
	for (i = -1; i < RUNS; i++) {
		int k = i < 0 ? 0 : i;

		int traced = i == RUNS - 1 && trace_available();

		a = alloc_buf(size, thp);
		memset(a, 1, size);
		vsvm_prefetch_timed(a, size, DRM_VSVM_LOC_DEVICE);
		t_vsvm[k] = cpu_touch(a, n, 2);
		free(a);
		/* The last run again, traced, for the breakdown. */
		if (traced) {
			a = alloc_buf(size, thp);
			memset(a, 1, size);
			vsvm_prefetch_timed(a, size, DRM_VSVM_LOC_DEVICE);
			w3_trace_on();
			t_traced = cpu_touch(a, n, 2);
			w3_trace_off();
			free(a);
		}
		a = alloc_buf(size, thp);
		memset(a, 1, size);
		dmirror(HMM_DMIRROR_MIGRATE_TO_DEV, a, bounce, size);
		t_hmm[k] = cpu_touch(a, n, 2);
		free(a);
	}
	vsvm_read_stats(&s1);
	free(bounce);

	double tv = median(t_vsvm, RUNS), th = median(t_hmm, RUNS);

	printf("w3 size_mib %zu thp %s\n", mib, thp ? "always" : "never");
	printf("vsvm_fault_back_mbs %.1f\n", mib / tv);
	printf("vsvm_us_per_4k %.3f\n", tv * 1e6 / n);
	printf("vsvm_pages_back %llu\n",
	       (unsigned long long)(s1.migrations_to_ram - s0.migrations_to_ram));
	printf("test_hmm_fault_back_mbs %.1f\n", mib / th);
	printf("test_hmm_us_per_4k %.3f\n", th * 1e6 / n);
	printf("ratio_vs_test_hmm %.2f\n", th / tv);
	if (t_traced > 0)
		w3_print_breakdown(t_traced);
}

static void w5(int thp)
{
	struct drm_vsvm_get_param gp = { .param = DRM_VSVM_PARAM_VRAM_SIZE };
	double t_evict[RUNS], t_hmm[RUNS], t_in[RUNS];
	struct drm_vsvm_stats s0, s1;
	size_t v, mib;
	void *bounce, *a;
	int i;

	if (drmIoctl(vsvm_fd, DRM_IOCTL_VSVM_GET_PARAM, &gp) || !gp.value)
		die("vsvm VRAM size");
	v = gp.value;
	mib = v >> 20;
	bounce = malloc(v);
	if (!bounce)
		die("malloc");
	vsvm_read_stats(&s0);
	for (i = -1; i < RUNS; i++) {
		int k = i < 0 ? 0 : i;
		double tin, tev;

		a = alloc_buf(2 * v, thp);
		memset(a, 1, 2 * v);
		tin = vsvm_prefetch_timed(a, v, DRM_VSVM_LOC_DEVICE);
		tev = vsvm_prefetch_timed((char *)a + v, v, DRM_VSVM_LOC_DEVICE);
		free(a);
		t_in[k] = tin;
		t_evict[k] = tev - tin;
		a = alloc_buf(v, thp);
		memset(a, 1, v);
		dmirror(HMM_DMIRROR_MIGRATE_TO_DEV, a, bounce, v);
		t_hmm[k] = dmirror(HMM_DMIRROR_RELEASE, a, bounce, 4096);
		free(a);
	}
	vsvm_read_stats(&s1);
	free(bounce);

	double te = median(t_evict, RUNS), th = median(t_hmm, RUNS);
	double ti = median(t_in, RUNS);

	printf("w5 vram_mib %zu thp %s\n", mib, thp ? "always" : "never");
	printf("vsvm_evict_mbs %.1f\n", mib / te);
	printf("vsvm_prefetch_in_mbs %.1f\n", mib / ti);
	printf("vsvm_evictions %llu\n",
	       (unsigned long long)(s1.vram_evictions - s0.vram_evictions));
	printf("test_hmm_release_mbs %.1f\n", mib / th);
	printf("ratio_vs_test_hmm %.2f\n", th / te);
}

/* ------------------------------------------------------------------ */
/* P1-P3: warm mirror, engine streaming, first touch                   */

#define TRACEFS "/sys/kernel/tracing"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void tracefs_write(const char *file, const char *s)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0)
		perror(path);
	close(fd);
}

/* The value of "key=" in a trace line, 0 if absent. */
static uint64_t trace_field(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p ? strtoull(p + strlen(key), NULL, 0) : 0;
}

/* The events of the breakdown, enabled around the traced COPY only. */
static const char *const trace_events[] = {
	"events/vsvm/vsvm_fault/enable",
	"events/vsvm/vsvm_job_done/enable",
	"events/drm_svm/drm_svm_get_pages/enable",
};

struct breakdown {
	uint64_t faults, total, get_pages, bind, job;
	/* From drm_svm_get_pages: calls, hmm_range_fault() and DMA map ns. */
	uint64_t gp_calls, hmm, dma_map;
};

/*
 * Sum the vsvm_fault, vsvm_job_done and drm_svm_get_pages events traced
 * since the start.
 */
static void trace_collect(struct breakdown *b)
{
	char line[1024];
	FILE *f = fopen(TRACEFS "/trace", "r");

	memset(b, 0, sizeof(*b));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "vsvm_fault:")) {
			b->faults++;
			b->total += trace_field(line, "total_ns=");
			b->get_pages += trace_field(line, "get_pages_ns=");
			b->bind += trace_field(line, "bind_ns=") +
				   trace_field(line, "place_ns=") +
				   trace_field(line, "atomic_ns=");
		} else if (strstr(line, "vsvm_job_done:")) {
			b->job += trace_field(line, "run_ns=");
		} else if (strstr(line, "drm_svm_get_pages:")) {
			b->gp_calls++;
			b->hmm += trace_field(line, "hmm_ns=");
			b->dma_map += trace_field(line, "map_ns=");
		}
	}
	fclose(f);
}

/* Whether the kernel has tracing: tracefs with the vsvm events. */
static int trace_available(void)
{
	return !access(TRACEFS "/events/vsvm/vsvm_fault/enable", W_OK);
}

static void trace_events_on(const char *const *events, size_t n)
{
	size_t i;

	tracefs_write("buffer_size_kb", "16384");
	tracefs_write("trace", "");
	for (i = 0; i < n; i++)
		tracefs_write(events[i], "1");
	tracefs_write("tracing_on", "1");
}

static void trace_events_off(const char *const *events, size_t n)
{
	size_t i;

	tracefs_write("tracing_on", "0");
	for (i = 0; i < n; i++)
		tracefs_write(events[i], "0");
}

static void trace_start(void)
{
	trace_events_on(trace_events, ARRAY_SIZE(trace_events));
}

static void trace_stop(void)
{
	trace_events_off(trace_events, ARRAY_SIZE(trace_events));
}

/* W3's breakdown: the CPU faults' migrations to RAM. */
static const char *const w3_events[] = {
	"events/drm_svm/drm_svm_migrate_vma_to_ram/enable",
};

struct w3_breakdown {
	uint64_t migrations, pages, setup, copy, finish;
};

static void w3_trace_on(void)
{
	trace_events_on(w3_events, ARRAY_SIZE(w3_events));
}

static void w3_trace_off(void)
{
	trace_events_off(w3_events, ARRAY_SIZE(w3_events));
}

/* Sum the drm_svm_migrate_vma_to_ram events traced since the start. */
static void w3_trace_collect(struct w3_breakdown *b)
{
	char line[1024];
	FILE *f = fopen(TRACEFS "/trace", "r");

	memset(b, 0, sizeof(*b));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "drm_svm_migrate_vma_to_ram:"))
			continue;
		b->migrations++;
		b->pages += trace_field(line, "npages=");
		b->setup += trace_field(line, "setup_ns=");
		b->copy += trace_field(line, "copy_ns=");
		b->finish += trace_field(line, "finish_ns=");
	}
	fclose(f);
}

/*
 * Where a traced W3 run of @traced seconds went: the migrations to RAM
 * the CPU faults did (setup, alloc + copy, pages + finalize); the rest is
 * the fault entries and exits and the touches themselves.
 */
static void w3_print_breakdown(double traced)
{
	struct w3_breakdown b;

	w3_trace_collect(&b);
	printf("w3_traced_ms %.2f\n", traced * 1e3);
	printf("w3_trace_migrations %llu\n", (unsigned long long)b.migrations);
	printf("w3_trace_pages %llu\n", (unsigned long long)b.pages);
	printf("w3_trace_setup_ms %.2f\n", b.setup / 1e6);
	printf("w3_trace_copy_ms %.2f\n", b.copy / 1e6);
	printf("w3_trace_finish_ms %.2f\n", b.finish / 1e6);
}

static double cpu_memcpy(void *dst, const void *src, size_t size)
{
	double t = now();

	memcpy(dst, src, size);
	return now() - t;
}

static void p_workloads(size_t mib, int thp)
{
	size_t size = mib << 20;
	double t_warm[RUNS], t_stream[RUNS], t_fill[RUNS], t_cpu_touch[RUNS];
	double t_memcpy[RUNS];
	struct breakdown b = { 0 };
	uint64_t f;
	int i;

	for (i = -1; i < RUNS; i++) {
		int k = i < 0 ? 0 : i;
		void *src = alloc_buf(size, thp), *dst = alloc_buf(size, thp);
		void *c1, *c2;
		double warm, stream, fill, touch, mc;

		/* The GPU maps the destination first: P1 faults on the source. */
		vsvm_fill(dst, size, &f);
		memset(src, 0x11, size);
		if (i == 0)
			trace_start();
		warm = vsvm_read(src, dst, size, &f);
		if (i == 0) {
			trace_stop();
			trace_collect(&b);
		}
		stream = vsvm_read(src, dst, size, &f);
		if (f)
			fprintf(stderr, "p: %llu GPU faults in the streaming COPY\n",
				(unsigned long long)f);
		if (memcmp(src, dst, size))
			die("p: COPY result differs");
		free(src);
		free(dst);

		/* P3: first touch, GPU and CPU, of fresh memory each. */
		src = alloc_buf(size, thp);
		fill = vsvm_fill(src, size, &f);
		free(src);
		src = alloc_buf(size, thp);
		touch = now();
		memset(src, 0x5a, size);
		touch = now() - touch;
		free(src);

		c1 = alloc_buf(size, thp);
		c2 = alloc_buf(size, thp);
		memset(c1, 2, size);
		memset(c2, 3, size);
		mc = cpu_memcpy(c2, c1, size);
		free(c1);
		free(c2);
		if (i >= 0) {
			t_warm[k] = warm;
			t_stream[k] = stream;
			t_fill[k] = fill;
			t_cpu_touch[k] = touch;
			t_memcpy[k] = mc;
		}
	}

	double tw = median(t_warm, RUNS), ts = median(t_stream, RUNS);
	double tf = median(t_fill, RUNS), tc = median(t_cpu_touch, RUNS);
	double tm = median(t_memcpy, RUNS);

	printf("p size_mib %zu thp %s\n", mib, thp ? "always" : "never");
	printf("memcpy_mbs %.1f\n", mib / tm);
	printf("p1_warm_mirror_mbs %.1f\n", mib / tw);
	printf("p1_fraction_of_memcpy %.2f\n", tm / tw);
	printf("p2_streaming_mbs %.1f\n", mib / ts);
	printf("p2_fraction_of_memcpy %.2f\n", tm / ts);
	printf("p3_gpu_first_touch_mbs %.1f\n", mib / tf);
	printf("p3_cpu_first_touch_mbs %.1f\n", mib / tc);
	printf("p3_ratio_vs_cpu %.2f\n", tc / tf);
	printf("p1_tracing %s\n", trace_available() ? "yes" : "no");
	if (b.faults && b.job) {
		printf("p1_faults %llu\n", (unsigned long long)b.faults);
		printf("p1_us_per_fault %.1f\n", b.total / 1e3 / b.faults);
		printf("p1_pct_get_pages %.0f\n", 100.0 * b.get_pages / b.job);
		if (b.gp_calls) {
			printf("p1_pct_hmm_fault %.0f\n", 100.0 * b.hmm / b.job);
			printf("p1_pct_dma_map %.0f\n", 100.0 * b.dma_map / b.job);
		}
		printf("p1_pct_bind %.0f\n", 100.0 * b.bind / b.job);
		printf("p1_pct_fault_other %.0f\n",
		       100.0 * (b.total - b.get_pages - b.bind) / b.job);
		printf("p1_pct_engine %.0f\n",
		       b.job > b.total ? 100.0 * (b.job - b.total) / b.job : 0.0);
	}
}

int main(int argc, char **argv)
{
	struct drm_vsvm_vm_init init = { .start = 0, .size = 1ull << 47 };

	if (argc == 3 && !strcmp(argv[1], "w5")) {
		argv[3] = argv[2];
		argc = 4;
	}
	if (argc != 4 || (strcmp(argv[1], "w1") && strcmp(argv[1], "w4") &&
			  strcmp(argv[1], "w1b") && strcmp(argv[1], "w3") &&
			  strcmp(argv[1], "w5") && strcmp(argv[1], "p"))) {
		fprintf(stderr, "usage: svm-bench w1 SIZE_MIB never|always\n"
			"       svm-bench w4 NPAGES never|always\n"
			"       svm-bench w1b|w3 SIZE_MIB never|always\n"
			"       svm-bench w5 never|always\n"
			"       svm-bench p SIZE_MIB never|always\n");
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
	if (!strcmp(argv[1], "w4"))
		w4(strtoul(argv[2], NULL, 0), !strcmp(argv[3], "always"));
	else if (!strcmp(argv[1], "w1b"))
		w1b(strtoul(argv[2], NULL, 0), !strcmp(argv[3], "always"));
	else if (!strcmp(argv[1], "w3"))
		w3(strtoul(argv[2], NULL, 0), !strcmp(argv[3], "always"));
	else if (!strcmp(argv[1], "w5"))
		w5(!strcmp(argv[3], "always"));
	else if (!strcmp(argv[1], "p"))
		p_workloads(strtoul(argv[2], NULL, 0), !strcmp(argv[3], "always"));
	else
		w1(strtoul(argv[2], NULL, 0), !strcmp(argv[3], "always"));
	return 0;
}
