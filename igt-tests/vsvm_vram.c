// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm vram
 * Category: Core
 * Mega feature: SVM
 * Sub-category: device memory
 * Functionality: migration to VRAM and back, eviction
 * Description: Device memory on the vsvm virtual GPU. Memory migrates to
 *	the device's VRAM on GPU faults (ADVISE preferred location) or on
 *	PREFETCH, comes back on CPU faults, survives fork, munmap and exit, and
 *	is evicted when VRAM is oversubscribed. Every subtest ends with the
 *	device's VRAM use back to zero (STATS). The hmm-tests device-private
 *	cases have equivalents here: migrate, migrate_fault, migrate_shared,
 *	migrate_multiple, migrate_release, hmm_cow_in_device, anon_teardown,
 *	mixedmap. Needs VRAM, but for no-vram.
 *
 * SUBTEST: no-vram
 * Description: Without VRAM, PREFETCH to the device is -ENODEV.
 *
 * SUBTEST: basic
 * Description: The device has VRAM and none of it is used.
 *
 * SUBTEST: migrate
 * Description: GPU faults migrate memory to VRAM.
 *
 * SUBTEST: migrate-fault
 * Description: CPU access faults migrated memory back.
 *
 * SUBTEST: prefetch-roundtrip
 * Description: PREFETCH to VRAM and back.
 *
 * SUBTEST: migrate-shared
 * Description: Shared memory does not migrate and still works.
 *
 * SUBTEST: migrate-multiple
 * Description: Migrate and fault back many times.
 *
 * SUBTEST: migrate-release
 * Description: munmap of migrated memory frees the VRAM.
 *
 * SUBTEST: exit-holding-vram
 * Description: A process exits holding VRAM.
 *
 * SUBTEST: fork-cow
 * Description: fork with device pages keeps copy-on-write.
 *
 * SUBTEST: mixed
 * Description: A range half in VRAM, half in system memory.
 *
 * SUBTEST: ping-pong
 * Description: CPU and GPU take turns on a VRAM-preferring buffer.
 *
 * SUBTEST: oversubscribe-sequential
 * Description: A working set twice the VRAM, swept in order.
 *
 * SUBTEST: oversubscribe-random
 * Description: A working set twice the VRAM, in random order.
 *
 * SUBTEST: two-devices
 * Description: Two devices migrate one buffer in turn.
 *
 * SUBTEST: attrs-partial-munmap
 * Description: Attributes survive a partial munmap.
 *
 * SUBTEST: granularity
 * Description: A GPU fault migrates one granule.
 *
 * SUBTEST: access
 * Description: Read-only and no access for the GPU.
 *
 * SUBTEST: bad-input
 * Description: Bad ADVISE and PREFETCH arguments.
 *
 * SUBTEST: race
 * Description: CPU faults, migrations and evictions race.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("Device memory on vsvm: migration to VRAM and back, "
		     "eviction, and their interaction with fork, munmap and exit.");

#define BUF_SIZE (4 * SZ_2M)

static uint64_t npages(size_t size)
{
	return size / SZ_4K;
}

static void advise(struct vsvm_device *dev, void *p, size_t size,
		   uint32_t attr, uint64_t value)
{
	int ret = vsvm_advise(dev, VSVM_PTR(p), size, attr, value);

	igt_assert_f(ret == 0, "ADVISE attr %u value %#" PRIx64 ": %s\n", attr,
		     value, strerror(-ret));
}

static uint64_t prefetch(struct vsvm_device *dev, void *p, size_t size,
			 uint32_t loc)
{
	uint64_t migrated = 0;
	int ret = vsvm_prefetch(dev, VSVM_PTR(p), size, loc, &migrated);

	igt_assert_f(ret == 0, "PREFETCH loc %#x: %s\n", loc, strerror(-ret));
	return migrated;
}

static void check_vram_zero(struct vsvm_device *dev)
{
	struct drm_vsvm_stats st;

	get_stats(dev, &st);
	igt_assert_f(st.vram_used == 0, "VRAM still in use: %llu bytes\n",
		     (unsigned long long)st.vram_used);
}

static void *buf_new(size_t size)
{
	return mmap_aligned(size, SZ_2M, MAP_PRIVATE);
}

/* hmm-tests migrate: GPU faults migrate the memory, the GPU reads it. */
static void test_migrate(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(BUF_SIZE);
	uint8_t *chk = buf_new(BUF_SIZE);
	struct drm_vsvm_stats a, b;

	pattern_fill(p, BUF_SIZE, 0x1234);
	advise(dev, p, BUF_SIZE, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	get_stats(dev, &a);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, BUF_SIZE));
	get_stats(dev, &b);
	check_pattern(chk, BUF_SIZE, 0x1234);
	igt_assert_f(b.migrations_to_vram - a.migrations_to_vram >= npages(BUF_SIZE),
		     "%llu pages migrated\n",
		     (unsigned long long)(b.migrations_to_vram - a.migrations_to_vram));
	igt_assert_eq_u64(b.vram_used, BUF_SIZE);

	/* The GPU writes VRAM; the CPU reads it back. */
	igt_assert_gpu_ok(gpu_fill(dev, p, BUF_SIZE, 0x5a5a5a5a));
	check_u32(p, BUF_SIZE, 0x5a5a5a5a);
	munmap(p, BUF_SIZE);
	munmap(chk, BUF_SIZE);
	check_vram_zero(dev);
}

/* hmm-tests migrate_fault: CPU access after migration faults data back. */
static void test_cpu_fault_back(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(BUF_SIZE);
	struct drm_vsvm_stats a, b;

	pattern_fill(p, BUF_SIZE, 0xfeed);
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
			  npages(BUF_SIZE));
	get_stats(dev, &a);
	check_pattern(p, BUF_SIZE, 0xfeed);
	get_stats(dev, &b);
	igt_assert_eq_u64(b.migrations_to_ram - a.migrations_to_ram,
			  npages(BUF_SIZE));
	check_vram_zero(dev);

	/* And again, now writing from the CPU first. */
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
			  npages(BUF_SIZE));
	memset(p, 0x77, BUF_SIZE);
	check_u32(p, BUF_SIZE, 0x77777777);
	igt_assert_gpu_ok(gpu_fill(dev, p + SZ_4K, SZ_4K, 0x11));
	check_u32(p + SZ_4K, SZ_4K, 0x11);
	check_u32(p, SZ_4K, 0x77777777);
	munmap(p, BUF_SIZE);
	check_vram_zero(dev);
}

/* Prefetch to VRAM and back to system memory. */
static void test_prefetch_roundtrip(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(BUF_SIZE);
	uint8_t *chk = buf_new(BUF_SIZE);
	struct drm_vsvm_stats st;

	pattern_fill(p, BUF_SIZE, 0xabc);
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
			  npages(BUF_SIZE));
	get_stats(dev, &st);
	igt_assert_eq_u64(st.vram_used, BUF_SIZE);
	/* Already there: nothing moves. */
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE), 0);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, BUF_SIZE));
	check_pattern(chk, BUF_SIZE, 0xabc);
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_SYSTEM),
			  npages(BUF_SIZE));
	check_vram_zero(dev);
	check_pattern(p, BUF_SIZE, 0xabc);
	munmap(p, BUF_SIZE);
	munmap(chk, BUF_SIZE);
}

/* hmm-tests migrate_shared: shared memory cannot migrate; it still works. */
static void test_migrate_shared(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = mmap_aligned(BUF_SIZE, SZ_2M, MAP_SHARED);

	pattern_fill(p, BUF_SIZE, 0x5);
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE), 0);
	advise(dev, p, BUF_SIZE, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_2M, 0x33));
	check_u32(p, SZ_2M, 0x33);
	check_pattern_at(p, SZ_2M, BUF_SIZE - SZ_2M, 0x5);
	munmap(p, BUF_SIZE);
	check_vram_zero(dev);
}

/* hmm-tests migrate_multiple: migrate and fault back, many times. */
static void test_migrate_multiple(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(SZ_2M);

	for (uint32_t i = 0; i < 16; i++) {
		pattern_fill(p, SZ_2M, i);
		igt_assert_eq_u64(prefetch(dev, p, SZ_2M, DRM_VSVM_LOC_DEVICE),
				  npages(SZ_2M));
		check_pattern(p, SZ_2M, i);
	}
	munmap(p, SZ_2M);
	check_vram_zero(dev);
}

/* hmm-tests migrate_release: munmap of migrated memory frees the VRAM. */
static void test_munmap(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(BUF_SIZE);
	struct drm_vsvm_stats st;

	pattern_fill(p, BUF_SIZE, 0x99);
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
			  npages(BUF_SIZE));
	/* Half first: the other half stays in VRAM and intact. */
	munmap(p, BUF_SIZE / 2);
	get_stats(dev, &st);
	igt_assert_eq_u64(st.vram_used, BUF_SIZE / 2);
	check_pattern_at(p, BUF_SIZE / 2, BUF_SIZE / 2, 0x99);
	check_vram_zero(dev);
	igt_assert_eq_u64(prefetch(dev, p + BUF_SIZE / 2, BUF_SIZE / 2,
				   DRM_VSVM_LOC_DEVICE), npages(BUF_SIZE / 2));
	munmap(p + BUF_SIZE / 2, BUF_SIZE / 2);
	check_vram_zero(dev);
}

/* hmm-tests anon_teardown: a process exits holding VRAM. */
static void test_exit(void)
{
	struct vsvm_device *dev = test_vm();

	igt_fork(child, 4) {
		struct vsvm_device *cd = child_vm();
		uint8_t *p = buf_new(BUF_SIZE);

		pattern_fill(p, BUF_SIZE, child);
		advise(cd, p, BUF_SIZE, DRM_VSVM_ATTR_PREFERRED_LOC,
		       DRM_VSVM_LOC_DEVICE);
		igt_assert_gpu_ok(gpu_fill(cd, p, SZ_2M, child));
		igt_assert_eq_u64(prefetch(cd, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
				  npages(BUF_SIZE - SZ_2M));
		/* Exit without munmap and with the device open. */
	}
	igt_waitchildren();
	check_vram_zero(dev);
}

/* hmm-tests hmm_cow_in_device: fork with device pages, each side its data. */
static void test_fork_cow(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(BUF_SIZE);
	uint8_t *chk = buf_new(BUF_SIZE);

	pattern_fill(p, BUF_SIZE, 0xc0);
	igt_assert_eq_u64(prefetch(dev, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
			  npages(BUF_SIZE));

	igt_fork(child, 1) {
		struct vsvm_device *cd = child_vm();

		check_pattern(p, SZ_2M, 0xc0);
		igt_assert_gpu_ok(gpu_fill(cd, p, BUF_SIZE, 0xc1c1c1c1));
		check_u32(p, BUF_SIZE, 0xc1c1c1c1);
		vsvm_device_del(cd);
	}
	igt_waitchildren();

	/* The parent's VRAM copy is untouched. */
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, BUF_SIZE));
	check_pattern(chk, BUF_SIZE, 0xc0);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_2M, 0xc2c2c2c2));
	check_u32(p, SZ_2M, 0xc2c2c2c2);
	check_pattern_at(p, SZ_2M, BUF_SIZE - SZ_2M, 0xc0);
	munmap(p, BUF_SIZE);
	munmap(chk, BUF_SIZE);
	check_vram_zero(dev);
}

/* hmm-tests mixedmap: a range half in VRAM, half in system memory. */
static void test_mixed(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(SZ_2M);
	uint8_t *chk = buf_new(SZ_2M);
	struct drm_vsvm_stats st;

	pattern_fill(p, SZ_2M, 0x3);
	igt_assert_eq_u64(prefetch(dev, p, SZ_2M / 2, DRM_VSVM_LOC_DEVICE),
			  npages(SZ_2M / 2));
	get_stats(dev, &st);
	igt_assert_eq_u64(st.vram_used, SZ_2M / 2);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, SZ_2M));
	check_pattern(chk, SZ_2M, 0x3);
	igt_assert_gpu_ok(gpu_fill(dev, p + SZ_2M / 4, SZ_2M / 2, 0x44));
	check_pattern_at(p, 0, SZ_2M / 4, 0x3);
	check_u32(p + SZ_2M / 4, SZ_2M / 2, 0x44);
	check_pattern_at(p, 3 * SZ_2M / 4, SZ_2M / 4, 0x3);
	munmap(p, SZ_2M);
	munmap(chk, SZ_2M);
	check_vram_zero(dev);
}

/* CPU and GPU take turns on one buffer that prefers VRAM. */
static void test_ping_pong(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(SZ_2M);
	struct drm_vsvm_stats a, b;

	advise(dev, p, SZ_2M, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	get_stats(dev, &a);
	for (uint32_t i = 0; i < 16; i++) {
		igt_assert_gpu_ok(gpu_fill(dev, p, SZ_2M, i));
		check_u32(p, SZ_2M, i);
		memset(p, 0xee, SZ_4K);
	}
	get_stats(dev, &b);
	igt_assert(b.migrations_to_vram - a.migrations_to_vram >= 16 * npages(SZ_2M));
	igt_assert(b.migrations_to_ram - a.migrations_to_ram >= 16 * npages(SZ_2M));
	munmap(p, SZ_2M);
	check_vram_zero(dev);
}

/* A working set twice the VRAM, swept by the GPU. */
static void test_oversubscribe(bool random)
{
	struct vsvm_device *dev = test_vm();
	size_t size = 2 * vsvm_vram_size, n = size / SZ_2M;
	uint8_t *p = buf_new(size);
	struct drm_vsvm_stats a, b;
	uint32_t *order = malloc(n * sizeof(*order));

	igt_assert(order);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	if (random) {
		srand(42);
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = rand() % (i + 1);
			uint32_t t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
	}
	advise(dev, p, size, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	get_stats(dev, &a);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < n; k++) {
			size_t i = order[k];

			igt_assert_gpu_ok(gpu_fill(dev, p + i * SZ_2M, SZ_2M,
						   i + pass * 0x10000));
		}
	}
	get_stats(dev, &b);
	igt_info("%zu MiB over %" PRIu64 " MiB of VRAM: %llu evictions, %llu pages in, %llu out\n",
		 size >> 20, vsvm_vram_size >> 20,
		 (unsigned long long)(b.vram_evictions - a.vram_evictions),
		 (unsigned long long)(b.migrations_to_vram - a.migrations_to_vram),
		 (unsigned long long)(b.migrations_to_ram - a.migrations_to_ram));
	igt_assert(b.vram_evictions > a.vram_evictions);
	igt_assert(b.vram_used <= vsvm_vram_size);
	for (size_t i = 0; i < n; i++)
		check_u32(p + i * SZ_2M, SZ_2M, i + 0x10000);
	munmap(p, size);
	free(order);
	check_vram_zero(dev);
}

/* Two devices migrate the same buffer in turn. */
static void test_two_devices(void)
{
	struct vsvm_device *d0 = test_vm(), *d1;
	uint8_t *p = buf_new(BUF_SIZE);
	uint8_t *chk = buf_new(BUF_SIZE);
	struct drm_vsvm_stats s0, s1;
	unsigned int ndev = 0;
	int ret;

	igt_assert_eq(vsvm_device_count(&ndev), 0);
	igt_require_f(ndev >= 2, "needs two vsvm devices\n");
	d1 = test_dev_nth(1);
	ret = vsvm_vm_init(d1, 0, 0);
	igt_assert_eq(ret, 0);

	pattern_fill(p, BUF_SIZE, 0xd0);
	/* Device to device before either GPU touched the buffer. */
	igt_assert_eq_u64(prefetch(d0, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
			  npages(BUF_SIZE));
	igt_assert_eq_u64(prefetch(d1, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
			  npages(BUF_SIZE));
	check_pattern(p, BUF_SIZE, 0xd0);
	for (int round = 0; round < 3; round++) {
		igt_assert_eq_u64(prefetch(d0, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
				  npages(BUF_SIZE));
		get_stats(d0, &s0);
		get_stats(d1, &s1);
		igt_assert_eq_u64(s0.vram_used, BUF_SIZE);
		igt_assert_eq_u64(s1.vram_used, 0);
		/* Device 1 reads device 0's VRAM through system memory. */
		memset(chk, 0, BUF_SIZE);
		igt_assert_gpu_ok(gpu_copy(d1, chk, p, BUF_SIZE));
		check_pattern(chk, BUF_SIZE, 0xd0);

		igt_assert_eq_u64(prefetch(d1, p, BUF_SIZE, DRM_VSVM_LOC_DEVICE),
				  npages(BUF_SIZE));
		get_stats(d0, &s0);
		get_stats(d1, &s1);
		igt_assert_eq_u64(s0.vram_used, 0);
		igt_assert_eq_u64(s1.vram_used, BUF_SIZE);
		memset(chk, 0, BUF_SIZE);
		igt_assert_gpu_ok(gpu_copy(d0, chk, p, BUF_SIZE));
		check_pattern(chk, BUF_SIZE, 0xd0);
	}
	check_pattern(p, BUF_SIZE, 0xd0);
	munmap(p, BUF_SIZE);
	munmap(chk, BUF_SIZE);
	check_vram_zero(d0);
	check_vram_zero(d1);
}

/* Attributes belong to addresses: they survive a partial munmap. */
static void test_attrs_partial_munmap(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(BUF_SIZE);
	uint64_t v;

	advise(dev, p, BUF_SIZE, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	advise(dev, p + SZ_2M, SZ_4K, DRM_VSVM_ATTR_GRANULARITY, 16);
	igt_assert_gpu_ok(gpu_fill(dev, p, BUF_SIZE, 1));
	munmap(p + SZ_2M - SZ_64K, 2 * SZ_64K);

	igt_assert_eq(vsvm_advise_get(dev, VSVM_PTR(p), DRM_VSVM_ATTR_PREFERRED_LOC, &v), 0);
	igt_assert_eq_u64(v, DRM_VSVM_LOC_DEVICE);
	igt_assert_eq(vsvm_advise_get(dev, VSVM_PTR(p + BUF_SIZE - SZ_4K),
				      DRM_VSVM_ATTR_PREFERRED_LOC, &v), 0);
	igt_assert_eq_u64(v, DRM_VSVM_LOC_DEVICE);
	igt_assert_eq(vsvm_advise_get(dev, VSVM_PTR(p + SZ_2M), DRM_VSVM_ATTR_GRANULARITY, &v), 0);
	igt_assert_eq_u64(v, 16);
	igt_assert_eq(vsvm_advise_get(dev, VSVM_PTR(p + SZ_2M + SZ_4K),
				      DRM_VSVM_ATTR_GRANULARITY, &v), 0);
	igt_assert_eq_u64(v, 0);

	/* Back in system memory, the next GPU fault migrates again. */
	igt_assert(prefetch(dev, p, SZ_2M - SZ_64K, DRM_VSVM_LOC_SYSTEM) > 0);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_4K, 2));
	check_u32(p, SZ_4K, 2);
	check_u32(p + SZ_4K, SZ_2M - SZ_64K - SZ_4K, 1);
	check_u32(p + SZ_2M + SZ_64K, BUF_SIZE - SZ_2M - SZ_64K, 1);
	munmap(p, BUF_SIZE);
	check_vram_zero(dev);
}

/* GRANULARITY: a GPU fault migrates one granule, not the whole range. */
static void test_granularity(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(SZ_2M);
	struct drm_vsvm_stats a, b;

	memset(p, 0, SZ_2M);
	advise(dev, p, SZ_2M, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	advise(dev, p, SZ_2M, DRM_VSVM_ATTR_GRANULARITY, 16);
	get_stats(dev, &a);
	igt_assert_gpu_ok(gpu_write32(dev, p + SZ_64K + 8, 7));
	get_stats(dev, &b);
	igt_assert_eq_u64(b.migrations_to_vram - a.migrations_to_vram, 16);
	igt_assert_eq_u64(b.vram_used, SZ_64K);
	igt_assert_eq_u32(((uint32_t *)p)[(SZ_64K + 8) / 4], 7);
	munmap(p, SZ_2M);
	check_vram_zero(dev);
}

/* ACCESS: read-only and no access for the GPU. */
static void test_access(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(SZ_2M);
	uint8_t *chk = buf_new(SZ_2M);

	memset(p, 0x21, SZ_2M);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_2M, 0x22));
	advise(dev, p, SZ_2M, DRM_VSVM_ATTR_ACCESS, DRM_VSVM_GPU_ACCESS_RO);
	igt_assert_gpu_status(gpu_fill(dev, p, SZ_4K, 0x23), -EFAULT);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p, SZ_2M));
	check_u32(chk, SZ_2M, 0x22);
	advise(dev, p, SZ_4K, DRM_VSVM_ATTR_ACCESS, DRM_VSVM_GPU_ACCESS_NONE);
	igt_assert_gpu_status(gpu_copy(dev, chk, p, SZ_4K), -EFAULT);
	igt_assert_gpu_ok(gpu_copy(dev, chk, p + SZ_4K, SZ_4K));
	advise(dev, p, SZ_2M, DRM_VSVM_ATTR_ACCESS, DRM_VSVM_GPU_ACCESS_RW);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_2M, 0x24));
	check_u32(p, SZ_2M, 0x24);
	munmap(p, SZ_2M);
	munmap(chk, SZ_2M);
	check_vram_zero(dev);
}

struct race {
	struct vsvm_device *dev;
	uint8_t *p, *q;
	size_t size, qsize;
	atomic_bool stop;
	atomic_int gpu_err, pf_err;
	atomic_ulong cpu_reads, gpu_fills, prefetches;
};

static void *race_cpu(void *arg)
{
	struct race *r = arg;
	volatile uint32_t *w = (volatile uint32_t *)r->p;
	unsigned int seed = 1;
	uint32_t sum = 0;

	while (!atomic_load(&r->stop)) {
		size_t i = rand_r(&seed) % (r->size / 4);

		sum += w[i];
		if (!(i & 7))
			w[i] = i;
		atomic_fetch_add(&r->cpu_reads, 1);
	}
	return (void *)(uintptr_t)sum;
}

static void *race_gpu(void *arg)
{
	struct race *r = arg;
	uint32_t v = 0;

	while (!atomic_load(&r->stop)) {
		for (size_t off = 0; off < r->size; off += SZ_2M) {
			int32_t st = gpu_fill(r->dev, r->p + off, SZ_2M, v++);

			if (st)
				atomic_store(&r->gpu_err, st);
			atomic_fetch_add(&r->gpu_fills, 1);
		}
	}
	return NULL;
}

/* Fills VRAM with another buffer, evicting the raced one. */
static void *race_evict(void *arg)
{
	struct race *r = arg;

	size_t half = r->qsize / 2;

	/* Each half is 3/4 of VRAM: each prefetch evicts. */
	while (!atomic_load(&r->stop)) {
		uint64_t m;
		int ret = vsvm_prefetch(r->dev, VSVM_PTR(r->q), half,
					DRM_VSVM_LOC_DEVICE, &m);

		if (ret)
			atomic_store(&r->pf_err, ret);
		ret = vsvm_prefetch(r->dev, VSVM_PTR(r->q + half), half,
				    DRM_VSVM_LOC_DEVICE, &m);
		if (ret)
			atomic_store(&r->pf_err, ret);
		atomic_fetch_add(&r->prefetches, 1);
	}
	return NULL;
}

/*
 * CPU faults, GPU faults migrating to VRAM and evictions hit the same
 * pages at once: no error, no deadlock, and the data is right after.
 */
static void test_race(void)
{
	struct vsvm_device *dev = test_vm();
	struct race r = {
		.dev = dev,
		.size = BUF_SIZE,
		.qsize = 2 * ((vsvm_vram_size * 3 / 4) & ~(SZ_2M - 1)),
	};
	pthread_t cpu[2], gpu, ev;
	struct drm_vsvm_stats a, b;

	r.p = buf_new(r.size);
	r.q = buf_new(r.qsize);
	memset(r.p, 0, r.size);
	memset(r.q, 1, r.qsize);
	advise(dev, r.p, r.size, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	get_stats(dev, &a);
	for (int i = 0; i < 2; i++)
		igt_assert_eq(pthread_create(&cpu[i], NULL, race_cpu, &r), 0);
	igt_assert_eq(pthread_create(&gpu, NULL, race_gpu, &r), 0);
	igt_assert_eq(pthread_create(&ev, NULL, race_evict, &r), 0);
	sleep_ms(3000);
	atomic_store(&r.stop, true);
	for (int i = 0; i < 2; i++)
		pthread_join(cpu[i], NULL);
	pthread_join(gpu, NULL);
	pthread_join(ev, NULL);
	get_stats(dev, &b);
	igt_info("%lu CPU reads, %lu GPU 2M fills, %lu prefetch pairs, %llu evictions, %llu pages in, %llu out\n",
		 atomic_load(&r.cpu_reads), atomic_load(&r.gpu_fills),
		 atomic_load(&r.prefetches),
		 (unsigned long long)(b.vram_evictions - a.vram_evictions),
		 (unsigned long long)(b.migrations_to_vram - a.migrations_to_vram),
		 (unsigned long long)(b.migrations_to_ram - a.migrations_to_ram));
	igt_assert_eq(atomic_load(&r.gpu_err), 0);
	igt_assert_eq(atomic_load(&r.pf_err), 0);
	igt_assert(atomic_load(&r.gpu_fills) > 0);
	igt_assert(b.vram_evictions > a.vram_evictions);

	igt_assert_gpu_ok(gpu_fill(dev, r.p, r.size, 0x600d));
	check_u32(r.p, r.size, 0x600d);
	check_u32(r.q, r.qsize, 0x01010101);
	munmap(r.p, r.size);
	munmap(r.q, r.qsize);
	check_vram_zero(dev);
}

/* Without VRAM (vram_size_mb=0): PREFETCH to a device is -ENODEV. */
static void test_no_vram(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(SZ_2M);
	uint64_t m = 1;

	memset(p, 5, SZ_2M);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_LOC_DEVICE, &m),
		      -ENODEV);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_LOC_SYSTEM, &m), 0);
	igt_assert_eq_u64(m, 0);
	/* The policy is accepted and ignored: GPU faults map system memory. */
	advise(dev, p, SZ_2M, DRM_VSVM_ATTR_PREFERRED_LOC, DRM_VSVM_LOC_DEVICE);
	igt_assert_gpu_ok(gpu_fill(dev, p, SZ_2M, 6));
	check_u32(p, SZ_2M, 6);
	check_vram_zero(dev);
	munmap(p, SZ_2M);
}

/* Bad arguments: documented errnos, nothing migrated. */
static void test_bad_input(void)
{
	struct vsvm_device *dev = test_vm();
	uint8_t *p = buf_new(SZ_2M);
	uint8_t *hole = buf_new(SZ_2M);
	struct drm_vsvm_prefetch pf = {};
	struct drm_vsvm_advise ad = {};
	uint64_t m = 1;

	munmap(hole, SZ_2M);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(hole), SZ_2M, DRM_VSVM_LOC_DEVICE, &m),
		      -EFAULT);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), 2 * SZ_2M, DRM_VSVM_LOC_DEVICE, &m),
		      -EFAULT);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p) + 1, SZ_4K, DRM_VSVM_LOC_DEVICE, &m),
		      -EINVAL);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), SZ_4K + 1, DRM_VSVM_LOC_DEVICE, &m),
		      -EINVAL);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), 0, DRM_VSVM_LOC_DEVICE, &m), -EINVAL);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), -SZ_4K & ~0xfffull,
				    DRM_VSVM_LOC_DEVICE, &m), -EINVAL);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), SZ_2M, 77, &m), -EINVAL);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_LOC_NONE, &m), -EINVAL);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_LOC_DEVICE_N(3), &m),
		      -EINVAL);
	igt_assert_eq(vsvm_prefetch(dev, VSVM_PTR(p), vsvm_vram_size + SZ_2M,
				    DRM_VSVM_LOC_DEVICE, &m), -ENOSPC);
	pf.start = VSVM_PTR(p);
	pf.size = SZ_2M;
	pf.loc = DRM_VSVM_LOC_DEVICE;
	pf.flags = 1;
	igt_assert_eq(drmIoctl(vsvm_device_fd(dev), DRM_IOCTL_VSVM_PREFETCH, &pf), -1);
	igt_assert_eq(errno, EINVAL);

	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(hole), SZ_2M, DRM_VSVM_ATTR_MIGRATE, 0),
		      -EFAULT);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, 5, 0), -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_MIGRATE, 2), -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_ACCESS, 3), -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_ATOMIC, 3), -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_GRANULARITY, 11),
		      -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_GRANULARITY, 31),
		      -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_PREFERRED_LOC,
				  DRM_VSVM_LOC_DEVICE_N(3)), -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_PREFERRED_LOC, 3),
		      -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), SZ_2M, DRM_VSVM_ATTR_PREFERRED_LOC,
				  1ull << 32), -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p) + 1, SZ_4K, DRM_VSVM_ATTR_MIGRATE, 0),
		      -EINVAL);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(p), 0, DRM_VSVM_ATTR_MIGRATE, 0), -EINVAL);
	ad.start = VSVM_PTR(p);
	ad.size = SZ_2M;
	ad.flags = 2;
	igt_assert_eq(drmIoctl(vsvm_device_fd(dev), DRM_IOCTL_VSVM_ADVISE, &ad), -1);
	igt_assert_eq(errno, EINVAL);

	/* Nothing moved and nothing was set. */
	check_vram_zero(dev);
	igt_assert_eq(vsvm_advise_get(dev, VSVM_PTR(p), DRM_VSVM_ATTR_PREFERRED_LOC, &m), 0);
	igt_assert_eq_u64(m, DRM_VSVM_LOC_NONE);
	munmap(p, SZ_2M);
}

igt_main
{
	igt_fixture
		vsvm_fixture();

	igt_describe("Without VRAM (vram_size_mb=0), PREFETCH to the device fails with -ENODEV.");
	igt_subtest("no-vram") {
		igt_require_f(!(vsvm_features & DRM_VSVM_FEATURE_VRAM),
			      "device has VRAM (load vsvm with vram_size_mb=0)\n");
		test_no_vram();
	}

	igt_subtest_group {
		igt_fixture
			igt_require_f(vsvm_features & DRM_VSVM_FEATURE_VRAM,
				      "device has no VRAM\n");

		igt_describe("A device with VRAM has room for the tests' buffers and starts with "
			     "none of it used.");
		igt_subtest("basic") {
			igt_assert(vsvm_vram_size >= 2 * BUF_SIZE);
			check_vram_zero(test_vm());
		}

		igt_describe("GPU faults on memory that prefers VRAM migrate it there; the GPU "
			     "reads the data (hmm-tests migrate).");
		igt_subtest("migrate")
			test_migrate();

		igt_describe("CPU access after migration faults the data back to system memory "
			     "intact (hmm-tests migrate_fault).");
		igt_subtest("migrate-fault")
			test_cpu_fault_back();

		igt_describe("PREFETCH moves a buffer to VRAM and back to system memory with its "
			     "data.");
		igt_subtest("prefetch-roundtrip")
			test_prefetch_roundtrip();

		igt_describe("Shared memory cannot migrate; the GPU still works on it (hmm-tests "
			     "migrate_shared).");
		igt_subtest("migrate-shared")
			test_migrate_shared();

		igt_describe("Migration to VRAM and fault-back, many times over, keep the data "
			     "(hmm-tests migrate_multiple).");
		igt_subtest("migrate-multiple")
			test_migrate_multiple();

		igt_describe("munmap of migrated memory frees its VRAM (hmm-tests "
			     "migrate_release).");
		igt_subtest("migrate-release")
			test_munmap();

		igt_describe("A process that exits holding VRAM gives it all back (hmm-tests "
			     "anon_teardown).");
		igt_subtest("exit-holding-vram")
			test_exit();

		igt_describe("fork with pages in VRAM keeps copy-on-write: each side sees its own "
			     "data (hmm-tests hmm_cow_in_device).");
		igt_subtest("fork-cow")
			test_fork_cow();

		igt_describe("A range half in VRAM and half in system memory works for the CPU "
			     "and the GPU (hmm-tests mixedmap).");
		igt_subtest("mixed")
			test_mixed();

		igt_describe("The CPU and the GPU take turns on one buffer that prefers VRAM; the "
			     "data follows.");
		igt_subtest("ping-pong")
			test_ping_pong();

		igt_describe("A working set twice the VRAM, swept in order by the GPU: eviction "
			     "keeps every byte.");
		igt_subtest("oversubscribe-sequential")
			test_oversubscribe(false);

		igt_describe("A working set twice the VRAM, touched in random order by the GPU: "
			     "eviction keeps every byte.");
		igt_subtest("oversubscribe-random")
			test_oversubscribe(true);

		igt_describe("Two devices migrate the same buffer to their VRAM in turn; the data "
			     "stays right.");
		igt_subtest("two-devices")
			test_two_devices();

		igt_describe("Attributes belong to addresses: after a partial munmap the rest "
			     "keeps them.");
		igt_subtest("attrs-partial-munmap")
			test_attrs_partial_munmap();

		igt_describe("With GRANULARITY set, a GPU fault migrates one granule, not the "
			     "whole range.");
		igt_subtest("granularity")
			test_granularity();

		igt_describe("The ACCESS attribute makes memory read-only or inaccessible for the "
			     "GPU.");
		igt_subtest("access")
			test_access();

		igt_describe("ADVISE and PREFETCH with bad arguments fail with their documented "
			     "errnos and move nothing.");
		igt_subtest("bad-input")
			test_bad_input();

		igt_describe("CPU faults, GPU faults migrating to VRAM and evictions hit the same "
			     "pages at once: no error, no deadlock, right data.");
		igt_subtest("race")
			test_race();
	}

	igt_fixture
		release_tracked();
}
