// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm atomic
 * Category: Core
 * Mega feature: SVM
 * Sub-category: GPU atomics
 * Functionality: device-exclusive access for GPU atomics
 * Description: GPU atomics on system memory that are atomic with respect to
 *	CPU atomics (DRM_VSVM_FEATURE_ATOMICS), through device-exclusive pages
 *	(drm-svm/drm_svm_atomic.c, docs/atomics.md). The canonical test of the
 *	nouveau atomics series: the GPU does N atomic increments while CPU
 *	threads do M on the same counters, and every counter ends exactly at
 *	N + M. Then the CPU-side events during exclusive access, the atomic
 *	policies and bad input. Every operation and width: vsvm_atomic_ops.
 *
 * SUBTEST: n-plus-m-%s-thp-%s
 * Description: N GPU + M CPU increments on %arg[1], THP %arg[2]: exactly N + M.
 *
 * arg[1]:
 *
 * @one-page:	one counter
 * @many-pages:	32 consecutive pages
 * @across-thp:	64 counters over 2 MiB
 *
 * arg[2]:
 *
 * @off:	off (MADV_NOHUGEPAGE)
 * @on:		on (MADV_HUGEPAGE)
 *
 * SUBTEST: n-plus-m-thp-always-%s
 * Description: N + M on %arg[1] with THP=always and no madvise.
 *
 * arg[1]:
 *
 * @one-page:	one counter
 * @many-pages:	32 consecutive pages
 * @across-thp:	64 counters over 2 MiB
 *
 * SUBTEST: exclusive-cpu-access
 * Description: CPU access to a device-exclusive page sees the GPU's results.
 *
 * SUBTEST: exclusive-mprotect
 * Description: mprotect(PROT_READ) during exclusive access.
 *
 * SUBTEST: exclusive-fork
 * Description: fork during exclusive access keeps copy-on-write.
 *
 * SUBTEST: exclusive-munmap
 * Description: munmap during exclusive access.
 *
 * SUBTEST: thp-split
 * Description: A GPU atomic on a THP tail page.
 *
 * SUBTEST: policy-%s
 * Description: The %arg[1] atomic policy.
 *
 * arg[1]:
 *
 * @refuse:	refuse (-EPERM)
 * @migrate:	migrate to VRAM
 *
 * SUBTEST: bad-input
 * Description: Bad ATOMIC commands are refused; bad memory faults.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("GPU atomics on system memory, coherent with CPU atomics "
		     "through device-exclusive pages.");

#define REPEATS 3
#define CPU_THREADS 2

enum thp_mode {
	THP_OFF,	/* MADV_NOHUGEPAGE */
	THP_ON,		/* MADV_HUGEPAGE */
	THP_SYSTEM,	/* no madvise: THP=always must give huge pages */
};

/*
 * A private anonymous 2 MiB-aligned buffer of size bytes, touched by the
 * CPU; unless THP_OFF, backed by transparent huge pages (or the test skips).
 */
static uint8_t *atomic_buf(size_t size, int thp)
{
	uint8_t *p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);

	if (thp != THP_SYSTEM)
		igt_assert_eq(madvise(p, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE), 0);
	memset(p, 0, size);
	if (thp) {
		long kb = thp_kb(p);

		igt_require_f(kb >= 2048, "the kernel gave the buffer no THP (AnonHugePages %ld kB)\n",
			      kb);
	}
	return p;
}

static int32_t gpu_add64(struct vsvm_device *dev, uint64_t *dst, uint64_t v)
{
	return gpu_atomic(dev, DRM_VSVM_ATOMIC_ADD, dst, v, 0, 0, NULL, DRM_VSVM_CMD_64BIT);
}

static void require_atomics(void)
{
	igt_require_f(vsvm_features & DRM_VSVM_FEATURE_ATOMICS,
		      "no DRM_VSVM_FEATURE_ATOMICS\n");
}

/* ------------------------------------------------------------------ */
/* N + M                                                               */

#define MAX_CTRS 64

struct hammer {
	pthread_t thread;
	uint64_t *ctrs[MAX_CTRS];
	int nctrs;
	volatile bool *stop;
	uint64_t ops[MAX_CTRS];
	uint64_t total;
};

/* A CPU thread: atomic increments over every counter until told to stop. */
static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;

	while (!__atomic_load_n(h->stop, __ATOMIC_ACQUIRE)) {
		for (int i = 0; i < h->nctrs; i++) {
			for (int k = 0; k < 16; k++)
				__atomic_fetch_add(h->ctrs[i], 1, __ATOMIC_SEQ_CST);
			h->ops[i] += 16;
			h->total += 16;
		}
	}
	return NULL;
}

struct layout {
	const char *name;
	int nctrs;
	size_t first;	/* offset of counter 0 in the 2 MiB buffer */
	size_t stride;
	uint64_t per_cmd;	/* GPU increments per ATOMIC command */
	int passes;	/* commands per counter */
};

static const struct layout layouts[] = {
	/* One counter, in a page that is a THP tail page with THP on. */
	{ "one-page", 1, SZ_2M / 2 + 64, 0, 4000, 5 },
	/* 32 consecutive pages. */
	{ "many-pages", 32, 16 * SZ_4K + 8, SZ_4K, 200, 3 },
	/* 64 counters spread over the whole 2 MiB: across the THP. */
	{ "across-thp", 64, 24, SZ_2M / 64, 100, 3 },
};

static void test_n_plus_m(const struct layout *l, int thp)
{
	struct vsvm_device *dev;
	struct vsvm_cmdbuf *cb;

	require_atomics();
	if (thp)
		igt_require_f(thp_available(), "transparent hugepages are disabled\n");

	for (int run = 0; run < REPEATS; run++) {
		struct hammer h[CPU_THREADS];
		struct drm_vsvm_stats s0, s1;
		volatile bool stop = false;
		uint64_t *ctr[MAX_CTRS], cpu_total = 0, seqno;
		uint8_t *p;
		int32_t status = 1;
		int ret;

		dev = test_vm();
		cb = new_cb();
		p = atomic_buf(SZ_2M, thp);
		for (int i = 0; i < l->nctrs; i++)
			ctr[i] = (uint64_t *)(p + l->first + i * l->stride);
		for (int pass = 0; pass < l->passes; pass++)
			for (int i = 0; i < l->nctrs; i++)
				igt_assert_eq(vsvm_cmd_atomic(cb, DRM_VSVM_ATOMIC_ADD, VSVM_PTR(ctr[i]),
							      1, 0, l->per_cmd, 0,
							      DRM_VSVM_CMD_64BIT), 0);

		memset(h, 0, sizeof(h));
		for (int t = 0; t < CPU_THREADS; t++) {
			h[t].nctrs = l->nctrs;
			h[t].stop = &stop;
			for (int i = 0; i < l->nctrs; i++)
				h[t].ctrs[i] = ctr[(i + t) % l->nctrs];
			igt_assert_eq(pthread_create(&h[t].thread, NULL, hammer_fn, &h[t]), 0);
		}
		get_stats(dev, &s0);
		ret = vsvm_exec(dev, 0, cb, &seqno);
		if (!ret)
			ret = vsvm_wait(dev, 0, seqno, 4 * VSVM_TIMEOUT_NS, &status);
		__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
		for (int t = 0; t < CPU_THREADS; t++)
			igt_assert_eq(pthread_join(h[t].thread, NULL), 0);
		igt_assert_eq(ret, 0);
		igt_assert_eq(status, 0);
		get_stats(dev, &s1);

		for (int i = 0; i < l->nctrs; i++) {
			uint64_t want = (uint64_t)l->passes * l->per_cmd;

			for (int t = 0; t < CPU_THREADS; t++)
				for (int j = 0; j < l->nctrs; j++)
					if (h[t].ctrs[j] == ctr[i])
						want += h[t].ops[j];
			igt_assert_f(*ctr[i] == want,
				     "run %d counter %d: %" PRIu64 ", expected N+M = %" PRIu64 "\n",
				     run, i, *ctr[i], want);
		}
		for (int t = 0; t < CPU_THREADS; t++)
			cpu_total += h[t].total;
		igt_info("run %d: N %" PRIu64 " GPU + M %" PRIu64 " CPU increments; %llu grants, "
			 "%llu revokes, %llu GPU faults\n", run,
			 (uint64_t)l->nctrs * l->passes * l->per_cmd, cpu_total,
			 (unsigned long long)(s1.atomic_grants - s0.atomic_grants),
			 (unsigned long long)(s1.atomic_revokes - s0.atomic_revokes),
			 (unsigned long long)(s1.gpu_faults - s0.gpu_faults));
		igt_assert_lt_u64(s0.atomic_grants, s1.atomic_grants);
		vsvm_cmdbuf_del(cb);
		munmap(p, SZ_2M);
	}
}

/* ------------------------------------------------------------------ */
/* CPU-side events during exclusive access                             */

/* Exclusive, then CPU reads and writes see the GPU's results and v.v. */
static void test_cpu_access(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = atomic_buf(SZ_2M, false);
	uint64_t *c = (uint64_t *)(p + 128);
	uint32_t *w = (uint32_t *)(p + SZ_4K + 12);
	struct drm_vsvm_stats s0, s1, s2;

	require_atomics();
	*c = 5;
	get_stats(dev, &s0);
	igt_assert_gpu_ok(gpu_add64(dev, c, 10));
	get_stats(dev, &s1);
	igt_assert_lt_u64(s0.atomic_grants, s1.atomic_grants);
	/* A CPU read takes the page back and sees the GPU's result. */
	igt_assert_eq_u64(__atomic_load_n(c, __ATOMIC_SEQ_CST), 15);
	get_stats(dev, &s2);
	igt_assert_lt_u64(s1.atomic_revokes, s2.atomic_revokes);
	/* A CPU write, then the GPU again: it sees the CPU's value. */
	*c = 100;
	igt_assert_gpu_ok(gpu_atomic(dev, DRM_VSVM_ATOMIC_INC, c, 0, 0, 0, NULL,
				     DRM_VSVM_CMD_64BIT));
	igt_assert_eq_u64(*c, 101);
	/* Plain GPU writes to an exclusive page work too. */
	igt_assert_gpu_ok(gpu_add64(dev, c, 1));
	igt_assert_gpu_ok(gpu_write32(dev, p + 64, 0xfeedf00d));
	igt_assert_eq_u32(*(uint32_t *)(p + 64), 0xfeedf00d);
	igt_assert_eq_u64(*c, 102);
	/* 32-bit on the next page, CPU and GPU alternating. */
	for (uint32_t i = 0; i < 8; i++) {
		igt_assert_gpu_ok(gpu_atomic(dev, DRM_VSVM_ATOMIC_ADD, w, 3, 0, 0, NULL, 0));
		igt_assert_eq_u32(*w, 4 * i + 3);
		*w += 1;
	}
	/* Nothing else on the pages changed. */
	for (size_t i = 0; i < 2 * SZ_4K; i += 8)
		if (p + i != (uint8_t *)c && p + i != (uint8_t *)w - 4 && p + i != p + 64)
			igt_assert_f(*(uint64_t *)(p + i) == 0, "qword at %zu is %#" PRIx64 "\n",
				     i, *(uint64_t *)(p + i));
	munmap(p, SZ_2M);
}

/* mprotect(read-only) during exclusive access: GPU atomics fail cleanly. */
static void test_mprotect(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = atomic_buf(SZ_2M, false);
	uint64_t *c = (uint64_t *)(p + 256);
	uint8_t *chk = malloc(SZ_4K);

	require_atomics();
	igt_assert(chk);
	igt_assert_gpu_ok(gpu_add64(dev, c, 7));
	igt_assert_eq(mprotect(p, SZ_2M, PROT_READ), 0);
	igt_assert_gpu_status(gpu_add64(dev, c, 1), -EFAULT);
	check_fault(dev, c, DRM_VSVM_ACCESS_ATOMIC, 1);
	/* The data is intact and still readable, by the CPU and the GPU. */
	igt_assert_eq_u64(*c, 7);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, SZ_4K));
	igt_assert_eq_u64(((uint64_t *)chk)[32], 7);
	/* Writable again: atomics work again. */
	igt_assert_eq(mprotect(p, SZ_2M, PROT_READ | PROT_WRITE), 0);
	igt_assert_gpu_ok(gpu_add64(dev, c, 1));
	igt_assert_eq_u64(*c, 8);
	munmap(p, SZ_2M);
	free(chk);
}

/* fork during exclusive access: copy-on-write keeps both copies apart. */
static void test_fork(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = atomic_buf(SZ_2M, false);
	uint64_t *c = (uint64_t *)(p + 512);

	require_atomics();
	*c = 1;
	igt_assert_gpu_ok(gpu_add64(dev, c, 1));	/* exclusive now */

	igt_fork(child, 1) {
		struct vsvm_device *cd;

		/* The child sees the value of the fork... */
		igt_assert_eq_u64(*c, 2);
		/* ...and its own GPU atomics work on its copy. */
		cd = child_vm();
		igt_assert_gpu_ok(gpu_add64(cd, c, 40));
		igt_assert_eq_u64(*c, 42);
		*c += 8;
		igt_assert_eq_u64(*c, 50);
		vsvm_device_del(cd);
	}
	igt_waitchildren();

	/* The child's writes stayed in its copy. */
	igt_assert_eq_u64(*c, 2);
	igt_assert_gpu_ok(gpu_add64(dev, c, 1));
	igt_assert_eq_u64(*c, 3);
	/* And the parent's GPU atomics still reach the parent's page. */
	*c = 10;
	igt_assert_gpu_ok(gpu_add64(dev, c, 5));
	igt_assert_eq_u64(*c, 15);
	munmap(p, SZ_2M);
}

/* munmap during exclusive access: GPU atomics fault; a new mapping works. */
static void test_munmap(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = atomic_buf(SZ_2M, false);
	uint64_t *c = (uint64_t *)(p + SZ_4K);
	void *q;

	require_atomics();
	igt_assert_gpu_ok(gpu_add64(dev, c, 3));
	igt_assert_eq_u64(*c, 3);
	igt_assert_gpu_ok(gpu_add64(dev, c, 3));	/* exclusive again */
	igt_assert_eq(munmap(p, SZ_2M), 0);
	igt_assert_gpu_status(gpu_add64(dev, c, 1), -EFAULT);
	check_fault(dev, c, DRM_VSVM_ACCESS_ATOMIC, 1);

	q = mmap(p, SZ_2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	igt_assert(q == p);
	igt_assert_gpu_ok(gpu_add64(dev, c, 1));
	igt_assert_eq_u64(*c, 1);
	munmap(p, SZ_2M);
}

/* A THP: the GPU atomic on a tail page splits it and works; data intact. */
static void test_thp_split(void)
{
	struct vsvm_device *dev;
	struct drm_vsvm_stats s0, s1;
	uint8_t *p;
	uint64_t *c;

	require_atomics();
	igt_require_f(thp_available(), "transparent hugepages are disabled\n");
	dev = test_vm();
	p = atomic_buf(SZ_2M, true);
	pattern_fill(p, SZ_2M, 0x7707);
	c = (uint64_t *)(p + 77 * SZ_4K + 40);
	*c = 1000;
	/* The GPU maps the THP first with a 2M entry. */
	igt_assert_gpu_ok(gpu_write32(dev, p + 8, pattern_word(0x7707, 2)));
	get_stats(dev, &s0);
	igt_assert_gpu_ok(gpu_add64(dev, c, 24));
	get_stats(dev, &s1);
	igt_assert_lt_u64(s0.atomic_grants, s1.atomic_grants);
	igt_assert_eq_u64(*c, 1024);
	*(uint64_t *)(p + 77 * SZ_4K + 40) = ((uint64_t)pattern_word(0x7707, (77 * SZ_4K + 44) / 4)
					      << 32) | pattern_word(0x7707, (77 * SZ_4K + 40) / 4);
	check_pattern(p, SZ_2M, 0x7707);
	munmap(p, SZ_2M);
}

/* ------------------------------------------------------------------ */
/* Policies                                                            */

static int advise_atomic(struct vsvm_device *dev, void *p, size_t size, uint64_t policy)
{
	return vsvm_advise(dev, VSVM_PTR(p), size, DRM_VSVM_ATTR_ATOMIC, policy);
}

/* "refuse": GPU atomics fail with -EPERM there, nothing else is affected. */
static void test_policy_refuse(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = atomic_buf(SZ_2M, false);
	uint8_t *q = atomic_buf(SZ_2M, false);
	uint64_t *c = (uint64_t *)(p + 8), *d = (uint64_t *)q;
	int ret;

	require_atomics();
	ret = advise_atomic(dev, p, SZ_2M, DRM_VSVM_ATOMIC_POLICY_REFUSE);
	igt_require_f(ret != -ENOTTY && ret != -EINVAL, "no DRM_IOCTL_VSVM_ADVISE\n");
	igt_assert_eq(ret, 0);

	*c = 3;
	igt_assert_gpu_status(gpu_add64(dev, c, 1), -EPERM);
	check_fault(dev, c, DRM_VSVM_ACCESS_ATOMIC, 1);
	igt_assert_eq_u64(*c, 3);
	/* Plain GPU writes there still work; atomics elsewhere too. */
	igt_assert_gpu_ok(gpu_write64(dev, c, 4));
	igt_assert_eq_u64(*c, 4);
	igt_assert_gpu_ok(gpu_add64(dev, d, 2));
	igt_assert_eq_u64(*d, 2);
	/* An atomic already granted is refused once the policy says so. */
	igt_assert_eq(advise_atomic(dev, q, SZ_2M, DRM_VSVM_ATOMIC_POLICY_REFUSE), 0);
	*d = 0;	/* takes the page back */
	igt_assert_gpu_status(gpu_add64(dev, d, 1), -EPERM);
	/* Back to the default. */
	igt_assert_eq(advise_atomic(dev, p, SZ_2M, DRM_VSVM_ATOMIC_POLICY_EXCLUSIVE), 0);
	igt_assert_gpu_ok(gpu_add64(dev, c, 1));
	igt_assert_eq_u64(*c, 5);
	munmap(p, SZ_2M);
	munmap(q, SZ_2M);
}

/* "migrate": GPU atomics move the memory to VRAM; N + M stays exact. */
static void test_policy_migrate(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = atomic_buf(SZ_2M, false);
	uint64_t *c = (uint64_t *)(p + 3 * SZ_4K);
	struct drm_vsvm_stats s0, s1;
	uint64_t cpu = 0;
	int ret;

	require_atomics();
	igt_require_f(vsvm_vram_size, "no VRAM\n");
	ret = advise_atomic(dev, p, SZ_2M, DRM_VSVM_ATOMIC_POLICY_MIGRATE);
	igt_require_f(ret != -ENOTTY && ret != -EINVAL, "no DRM_IOCTL_VSVM_ADVISE\n");
	igt_assert_eq(ret, 0);

	get_stats(dev, &s0);
	*c = 0;
	for (int i = 0; i < 20; i++) {
		igt_assert_gpu_ok(gpu_atomic(dev, DRM_VSVM_ATOMIC_ADD, c, 1, 0, 100, NULL,
					     DRM_VSVM_CMD_64BIT));
		__atomic_fetch_add(c, 1, __ATOMIC_SEQ_CST);
		cpu++;
	}
	igt_assert_eq_u64(*c, 20 * 100 + cpu);
	get_stats(dev, &s1);
	igt_info("%llu pages to VRAM, %llu back, %llu grants\n",
		 (unsigned long long)(s1.migrations_to_vram - s0.migrations_to_vram),
		 (unsigned long long)(s1.migrations_to_ram - s0.migrations_to_ram),
		 (unsigned long long)(s1.atomic_grants - s0.atomic_grants));
	igt_assert_lt_u64(s0.migrations_to_vram, s1.migrations_to_vram);
	munmap(p, SZ_2M);
}

/* ------------------------------------------------------------------ */
/* Bad input                                                           */

static int exec_raw(struct vsvm_device *dev, const struct drm_vsvm_cmd *cmd)
{
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t seqno;
	int ret;

	ret = vsvm_cmd_raw(cb, cmd);
	if (!ret)
		ret = vsvm_exec(dev, 0, cb, &seqno);
	vsvm_cmdbuf_del(cb);
	return ret;
}

static void test_bad_input(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = atomic_buf(SZ_2M, false);
	uint8_t *ro = xmmap(NULL, SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *none = xmmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_vsvm_cmd cmd = {
		.op = DRM_VSVM_OP_ATOMIC,
		.flags = DRM_VSVM_CMD_ATOMIC_OP(DRM_VSVM_ATOMIC_ADD),
		.dst = VSVM_PTR(p + 64),
		.value = 1,
	};
	struct drm_vsvm_cmd c;
	struct drm_vsvm_stats s0, s1;

	require_atomics();
	get_stats(dev, &s0);
	/* Unaligned for the width: -EINVAL at EXEC. */
	c = cmd;
	c.dst = VSVM_PTR(p + 66);
	igt_assert_eq(exec_raw(dev, &c), -EINVAL);
	c.dst = VSVM_PTR(p + 68);
	c.flags |= DRM_VSVM_CMD_64BIT;
	igt_assert_eq(exec_raw(dev, &c), -EINVAL);
	c = cmd;
	c.src = VSVM_PTR(p + 129);
	igt_assert_eq(exec_raw(dev, &c), -EINVAL);
	/* Unknown operations and flags (widths). */
	for (uint32_t op = DRM_VSVM_ATOMIC_OR + 1; op < 16; op++) {
		c = cmd;
		c.flags = DRM_VSVM_CMD_ATOMIC_OP(op);
		igt_assert_eq(exec_raw(dev, &c), -EINVAL);
	}
	for (uint32_t bit = 1; bit < 32; bit++) {
		if ((1u << bit) & DRM_VSVM_CMD_ATOMIC_OP(0xf))
			continue;
		c = cmd;
		c.flags |= 1u << bit;
		igt_assert_eq(exec_raw(dev, &c), -EINVAL);
	}
	/* 32-bit operands that do not fit; value2 for a non-CMPXCHG. */
	c = cmd;
	c.value = 1ull << 32;
	igt_assert_eq(exec_raw(dev, &c), -EINVAL);
	c = cmd;
	c.value2 = 1;
	igt_assert_eq(exec_raw(dev, &c), -EINVAL);
	get_stats(dev, &s1);
	igt_assert_eq_u64(s1.submissions, s0.submissions);

	/* Read-only and PROT_NONE memory: the submission faults. */
	igt_assert_gpu_status(gpu_add64(dev, (uint64_t *)ro, 1), -EFAULT);
	check_fault(dev, ro, DRM_VSVM_ACCESS_ATOMIC, 1);
	igt_assert_eq_u64(*(uint64_t *)ro, 0);
	igt_assert_gpu_status(gpu_add64(dev, (uint64_t *)none, 1), -EFAULT);
	check_fault(dev, none, DRM_VSVM_ACCESS_ATOMIC, 2);

	/* Nothing else was affected: the VM and the buffer still work. */
	igt_assert_gpu_ok(gpu_add64(dev, (uint64_t *)(p + 64), 5));
	igt_assert_eq_u64(*(uint64_t *)(p + 64), 5);
	check_u32(p, 64, 0);
	munmap(ro, SZ_4K);
	munmap(none, SZ_4K);
	munmap(p, SZ_2M);
}

static const struct {
	const char *name;
	void (*fn)(void);
} policy_cases[] = {
	{ "refuse", test_policy_refuse },
	{ "migrate", test_policy_migrate },
};

igt_main
{
	igt_fixture
		vsvm_fixture();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(layouts); i++) {
		for (volatile int thp = 0; thp < 2; thp++) {
			igt_describe("The GPU does N atomic increments while CPU threads do M on "
				     "the same counters (one page, many pages, across a THP), THP "
				     "off and on: every counter ends at exactly N + M, every run.");
			igt_subtest_f("n-plus-m-%s-thp-%s", layouts[i].name, thp ? "on" : "off")
				test_n_plus_m(&layouts[i], thp);
		}
	}

	igt_subtest_group {
		igt_fixture
			igt_require_f(thp_system_always(), "cannot set THP=always\n");
		for (volatile unsigned int i = 0; i < ARRAY_SIZE(layouts); i++) {
			igt_describe("N + M with the system in THP=always and buffers without "
				     "madvise, as malloc'd memory gets them: the THP fallback of "
				     "6.12 (split before the grant) keeps every counter exact.");
			igt_subtest_f("n-plus-m-thp-always-%s", layouts[i].name)
				test_n_plus_m(&layouts[i], THP_SYSTEM);
		}
		igt_fixture
			thp_restore();
	}

	igt_describe("GPU atomics make the page device-exclusive; CPU reads and writes then "
		     "see the GPU's results and the GPU sees the CPU's.");
	igt_subtest("exclusive-cpu-access")
		test_cpu_access();

	igt_describe("mprotect(PROT_READ) during exclusive access: the GPU atomic fails with "
		     "-EFAULT, the data stays; writable again, atomics work again.");
	igt_subtest("exclusive-mprotect")
		test_mprotect();

	igt_describe("fork during exclusive access keeps copy-on-write: parent and child "
		     "(with its own VM) keep their values apart.");
	igt_subtest("exclusive-fork")
		test_fork();

	igt_describe("munmap during exclusive access: GPU atomics there fault; a new mapping "
		     "at the same address starts from zero.");
	igt_subtest("exclusive-munmap")
		test_munmap();

	igt_describe("A GPU atomic on a THP tail page splits the THP and works; the rest of "
		     "the 2 MiB keeps its data.");
	igt_subtest("thp-split")
		test_thp_split();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(policy_cases); i++) {
		igt_describe("Atomic policy: refuse (-EPERM for GPU atomics only) and migrate "
			     "to VRAM.");
		igt_subtest_f("policy-%s", policy_cases[i].name)
			policy_cases[i].fn();
	}

	igt_describe("Unaligned, unknown op or width, oversized operands: EXEC fails with "
		     "-EINVAL; read-only and PROT_NONE memory: the submission fails with "
		     "-EFAULT; nothing else is affected.");
	igt_subtest("bad-input")
		test_bad_input();

	igt_fixture
		release_tracked();
}
