// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * TEST: vsvm svm engine
 * Category: Core
 * Mega feature: SVM
 * Sub-category: engine commands
 * Functionality: command engine on system memory
 * Description: The vsvm engine's commands on plain CPU memory: faults at
 *	invalid addresses and at the VM window's edges, POINTER_CHASE through
 *	CPU-built lists, TIMESTAMP and unaligned COPY. WAIT_VALUE and the
 *	channels are vsvm_svm_sync's.
 *
 * SUBTEST: invalid-address-%s
 * Description: A GPU access to %arg[1] faults; FAULT_INFO reports it.
 *
 * arg[1]:
 *
 * @null-write:	a write to NULL
 * @null-read:	a read of NULL
 * @unmapped:	a write to an unmapped hole
 * @prot-none:	a write to PROT_NONE memory
 * @straddle:	a read across the end of a mapping
 *
 * SUBTEST: outside-window
 * Description: Addresses outside the VM window are refused or fault.
 *
 * SUBTEST: window-edges
 * Description: The first and last pages of a VM window work, their
 *	neighbours outside do not.
 *
 * SUBTEST: fault-stops-submission
 * Description: A submission stops at its first faulting command.
 *
 * SUBTEST: pointer-chase-%s
 * Description: POINTER_CHASE through %arg[1].
 *
 * arg[1]:
 *
 * @mixed-memory:	nodes on heap, stack, shared and file memory
 * @shuffled-arena:	4096 nodes scattered over 16 MiB
 * @max-nodes:		a list cut by the node count
 * @cycle:		a cycle (stops at 2^20 nodes)
 * @broken-link:	a link into unmapped memory (-EFAULT)
 *
 * SUBTEST: timestamp
 * Description: TIMESTAMP is non-zero, monotonic and counts nanoseconds.
 *
 * SUBTEST: copy-unaligned
 * Description: COPY at odd offsets and lengths copies exactly.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "igt_vsvm.h"

IGT_TEST_DESCRIPTION("Shared virtual memory on vsvm: the engine's commands on CPU "
		     "memory and their faults.");

/* ------------------------------------------------------------------ */
/* Invalid addresses                                                   */

#define IA_READ (1 << 0)	/* a COPY from the address, else a WRITE_VALUE to it */

enum ia_where { IA_NULL, IA_UNMAPPED, IA_PROT_NONE, IA_STRADDLE };

static const struct {
	const char *name;
	enum ia_where where;
	unsigned int flags;
} invalid_cases[] = {
	{ "null-write", IA_NULL, 0 },
	{ "null-read", IA_NULL, IA_READ },
	{ "unmapped", IA_UNMAPPED, 0 },
	{ "prot-none", IA_PROT_NONE, 0 },
	/* a copy running off the end of a mapping */
	{ "straddle", IA_STRADDLE, IA_READ },
};

/* The bad address of @where; *@map is a mapping to munmap(.., SZ_4K) after. */
static uint64_t invalid_address(enum ia_where where, void **map)
{
	*map = NULL;
	switch (where) {
	case IA_UNMAPPED: {
		void *hole = map_anon(4 * SZ_4K);

		igt_assert_eq(munmap(hole, 4 * SZ_4K), 0);
		return VSVM_PTR(hole) + SZ_4K + 64;
	}
	case IA_PROT_NONE:
		*map = xmmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return VSVM_PTR(*map) + 128;
	case IA_STRADDLE:
		*map = map_anon(2 * SZ_4K);
		igt_assert_eq(munmap((uint8_t *)*map + SZ_4K, SZ_4K), 0);
		return VSVM_PTR(*map) + SZ_4K;
	default:
		return 0;
	}
}

/* Runs cb on the last channel; asserts it faulted, returns its seqno. */
static uint64_t exec_expect_fault(struct vsvm_device *dev, struct vsvm_cmdbuf *cb,
				  uint32_t *ch)
{
	uint64_t seqno;
	int32_t status = 1;

	*ch = vsvm_num_channels - 1;
	igt_assert_eq(vsvm_exec(dev, *ch, cb, &seqno), 0);
	igt_assert_eq(vsvm_wait(dev, *ch, seqno, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_f(status == -EFAULT, "status %d (%s), expected -EFAULT\n",
		     status, strerror(-status));
	return seqno;
}

static void test_invalid_address(enum ia_where where, unsigned int flags)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t *buf = calloc(1, SZ_4K);
	struct drm_vsvm_fault_info fi;
	struct drm_vsvm_stats s0, s1;
	uint32_t access, ch;
	uint64_t bad, seqno;
	void *map;

	igt_assert(buf);
	bad = invalid_address(where, &map);
	if (flags & IA_READ) {
		access = DRM_VSVM_ACCESS_READ;
		igt_assert_eq(vsvm_cmd_copy(cb, VSVM_PTR(buf),
					    where == IA_STRADDLE ? bad - 256 : bad, 512), 0);
	} else {
		access = DRM_VSVM_ACCESS_WRITE;
		igt_assert_eq(vsvm_cmd_write_value(cb, bad, 0xbad, DRM_VSVM_CMD_64BIT), 0);
	}
	igt_assert_eq(vsvm_fault_info(dev, &fi), -ENOENT);
	get_stats(dev, &s0);
	seqno = exec_expect_fault(dev, cb, &ch);
	get_stats(dev, &s1);

	check_fault(dev, (const void *)(uintptr_t)bad, access, 1);
	get_fault(dev, &fi);
	igt_assert_eq_u64(fi.seqno, seqno);
	igt_assert_eq_u32(fi.channel, ch);
	igt_assert_eq_u64(s1.gpu_faults_unrecoverable - s0.gpu_faults_unrecoverable, 1);
	igt_assert_lt_u64(s0.gpu_faults, s1.gpu_faults);

	/* The channel and the VM go on. */
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(buf), 0x600d, 0), 0);
	igt_assert_gpu_ok(run_cb_on(dev, ch, cb));
	igt_assert_eq_u64(buf[0], 0x600d);
	get_fault(dev, &fi);
	igt_assert_eq_u64(fi.count, 1);

	if (map)
		munmap(map, SZ_4K);
	vsvm_cmdbuf_del(cb);
	free(buf);
}

/* Runs @cb on channel 0: 0 and *@status, or the EXEC error. */
static int exec_status(struct vsvm_device *dev, struct vsvm_cmdbuf *cb, int32_t *status)
{
	uint64_t seqno;
	int ret = vsvm_exec(dev, 0, cb, &seqno);

	*status = 1;
	if (!ret)
		igt_assert_eq(vsvm_wait(dev, 0, seqno, VSVM_TIMEOUT_NS, status), 0);
	return ret;
}

/*
 * Addresses outside the VM window: either EXEC refuses them (-EINVAL) or
 * the submission faults (-EFAULT); nothing else, and no access.
 */
static void test_outside_window(void)
{
	struct vsvm_device *dev = test_dev();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t *buf = calloc(1, SZ_4K);
	uint64_t win = 64 * SZ_2M, bad[2];
	int32_t status;
	int ret;

	igt_assert(buf);
	/* A small window, above the buffer's page. */
	igt_assert_eq(vsvm_vm_init(dev, (VSVM_PTR(buf) + SZ_2M) & ~(SZ_2M - 1), win), 0);
	bad[0] = VSVM_PTR(buf);
	bad[1] = 0xffffffff81000000ull;	/* a kernel address */
	for (int i = 0; i < 2; i++) {
		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		igt_assert_eq(vsvm_cmd_write_value(cb, bad[i], 0xbad, 0), 0);
		ret = exec_status(dev, cb, &status);
		if (ret) {
			igt_assert_eq(ret, -EINVAL);
			continue;
		}
		igt_assert_eq(status, -EFAULT);
	}
	igt_assert_eq_u64(buf[0], 0);
	vsvm_cmdbuf_del(cb);
	free(buf);
}

/*
 * The edges of a VM window: the first and the last page inside work, the
 * pages just outside are refused (-EINVAL) or fault (-EFAULT) and are
 * never written.
 */
static void test_window_edges(void)
{
	struct vsvm_device *dev = test_dev();
	uint64_t base = 1ull << ((vsvm_va_bits < 47 ? vsvm_va_bits : 47) - 2);
	uint64_t wsize = 64 * SZ_2M;
	const uint64_t addr[4] = { base - SZ_4K, base, base + wsize - SZ_4K, base + wsize };
	const bool inside[4] = { false, true, true, false };
	struct vsvm_cmdbuf *cb = new_cb();
	uint32_t *pg[4];
	int32_t status;
	int ret;

	for (int i = 0; i < 4; i++) {
		pg[i] = mmap((void *)(uintptr_t)addr[i], SZ_4K, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		igt_require_f(pg[i] == (void *)(uintptr_t)addr[i],
			      "cannot map %#llx: %s\n", (unsigned long long)addr[i], strerror(errno));
	}
	igt_assert_eq(vsvm_vm_init(dev, base, wsize), 0);
	for (int i = 0; i < 4; i++) {
		igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
		igt_assert_eq(vsvm_cmd_write_value(cb, VSVM_PTR(&pg[i][4]), 0xab, 0), 0);
		ret = exec_status(dev, cb, &status);
		if (inside[i]) {
			igt_assert_f(ret == 0 && status == 0,
				     "write at %#llx inside the window: EXEC %d, status %d\n",
				     (unsigned long long)addr[i], ret, status);
			igt_assert_eq_u32(pg[i][4], 0xab);
		} else {
			igt_assert_f(ret == -EINVAL || (ret == 0 && status == -EFAULT),
				     "write at %#llx outside the window: EXEC %d, status %d\n",
				     (unsigned long long)addr[i], ret, status);
			igt_assert_eq_u32(pg[i][4], 0);
		}
	}
	/* A copy running from the last page inside past the end. */
	igt_assert_eq(vsvm_cmdbuf_reset(cb), 0);
	igt_assert_eq(vsvm_cmd_copy(cb, VSVM_PTR(pg[1]), VSVM_PTR(pg[2]) + SZ_4K - 8, 16), 0);
	ret = exec_status(dev, cb, &status);
	igt_assert_f(ret == -EINVAL || (ret == 0 && status == -EFAULT),
		     "copy across the window's end: EXEC %d, status %d\n", ret, status);
	for (int i = 0; i < 4; i++)
		munmap(pg[i], SZ_4K);
	vsvm_cmdbuf_del(cb);
}

/* A submission stops at its first failing command; the channel goes on. */
static void test_fault_stops_submission(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *bad = new_cb(), *good = new_cb();
	volatile uint32_t *buf = calloc(4, sizeof(uint32_t));
	void *hole = xmmap(NULL, SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t s1, s2;
	int32_t status = 1;

	igt_assert(buf);
	igt_assert_eq(munmap(hole, SZ_4K), 0);
	igt_assert_eq(vsvm_cmd_write_value(bad, VSVM_PTR(&buf[0]), 1, 0), 0);
	igt_assert_eq(vsvm_cmd_write_value(bad, VSVM_PTR(hole), 1, 0), 0);
	igt_assert_eq(vsvm_cmd_write_value(bad, VSVM_PTR(&buf[1]), 1, 0), 0);
	igt_assert_eq(vsvm_cmd_write_value(good, VSVM_PTR(&buf[2]), 2, 0), 0);

	/* Queued back to back: the second runs although the first failed. */
	igt_assert_eq(vsvm_exec(dev, 0, bad, &s1), 0);
	igt_assert_eq(vsvm_exec(dev, 0, good, &s2), 0);
	igt_assert_eq(vsvm_wait(dev, 0, s2, VSVM_TIMEOUT_NS, &status), 0);
	igt_assert_eq(status, 0);
	igt_assert_eq(vsvm_wait(dev, 0, s1, 0, &status), 0);
	igt_assert_eq(status, -EFAULT);
	igt_assert_eq_u32(buf[0], 1);	/* before the fault: done */
	igt_assert_eq_u32(buf[1], 0);	/* after it: not run */
	igt_assert_eq_u32(buf[2], 2);
	check_fault(dev, hole, DRM_VSVM_ACCESS_WRITE, 1);
	vsvm_cmdbuf_del(bad);
	vsvm_cmdbuf_del(good);
	free((void *)buf);
}

/* ------------------------------------------------------------------ */
/* POINTER_CHASE                                                       */

struct chase_out {
	uint64_t sum;
	uint64_t count;
};

static int32_t gpu_chase(struct vsvm_device *dev, struct chase_out *out,
			 struct drm_vsvm_chase_node *head, uint64_t max)
{
	out->sum = out->count = ~0ull;
	return RUN1(dev, 0, vsvm_cmd_pointer_chase(__cb, VSVM_PTR(out), VSVM_PTR(head), max));
}

static void shuffle(void **v, int n, unsigned int *seed)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rand_r(seed) % (i + 1);
		void *t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* Links nodes in order; returns the sum of the values set. */
static uint64_t link_nodes(struct drm_vsvm_chase_node **n, int count, uint64_t seed)
{
	uint64_t sum = 0;

	for (int i = 0; i < count; i++) {
		n[i]->value = seed * 0x9e3779b97f4a7c15ull + i * 0x100000001ull;
		n[i]->next = i + 1 < count ? VSVM_PTR(n[i + 1]) : 0;
		sum += n[i]->value;
	}
	return sum;
}

/* The GPU walks all @n @nodes: exact count and sum. */
static void chase_all(struct vsvm_device *dev, struct chase_out *out,
		      struct drm_vsvm_chase_node **nodes, int n, uint64_t sum)
{
	igt_assert_gpu_ok(gpu_chase(dev, out, nodes[0], 0));
	igt_assert_eq_u64(out->count, n);
	igt_assert_eq_u64(out->sum, sum);
}

/* Heap, stack, shared and file mappings, in random order. */
static void chase_mixed_memory(struct vsvm_device *dev, struct chase_out *out,
			       struct drm_vsvm_chase_node **nodes)
{
	struct drm_vsvm_chase_node stack_nodes[16];
	struct drm_vsvm_chase_node *sh = map_shared(SZ_64K);
	struct drm_vsvm_chase_node *fm = tmp_file_map(SZ_64K, PROT_READ | PROT_WRITE);
	unsigned int seed = 42;
	void *heap[1000];
	int n = 1000;

	for (int i = 0; i < n; i++) {
		switch (i % 4) {
		case 0:
			nodes[i] = heap[i] = malloc(sizeof(**nodes) + (rand_r(&seed) % 512));
			igt_assert(nodes[i]);
			break;
		case 1:
			nodes[i] = i / 4 < 16 ? &stack_nodes[i / 4] : &sh[2000 + i];
			break;
		case 2:
			nodes[i] = &sh[(i * 37) % 2000];
			break;
		default:
			nodes[i] = &fm[(i * 53) % 4000];
		}
	}
	shuffle((void **)nodes, n, &seed);
	chase_all(dev, out, nodes, n, link_nodes(nodes, n, 1));
	for (int i = 0; i < n; i += 4)
		free(heap[i]);
	munmap(sh, SZ_64K);
	munmap(fm, SZ_64K);
}

/* 4096 nodes scattered over 16 MiB the CPU touches only there. */
static void chase_shuffled_arena(struct vsvm_device *dev, struct chase_out *out,
				 struct drm_vsvm_chase_node **nodes)
{
	size_t size = 16ul << 20;
	uint8_t *arena = map_anon(size);
	unsigned int seed = 42;
	int n = 4096;

	for (int i = 0; i < n; i++)
		nodes[i] = (void *)(arena + (size / n) * i + 16 * (rand_r(&seed) % 64));
	shuffle((void **)nodes, n, &seed);
	chase_all(dev, out, nodes, n, link_nodes(nodes, n, 2));
	munmap(arena, size);
}

static void chase_max_nodes(struct vsvm_device *dev, struct chase_out *out,
			    struct drm_vsvm_chase_node **nodes)
{
	struct drm_vsvm_chase_node *arr = calloc(100, sizeof(*arr));
	uint64_t sum, part = 0;

	igt_assert(arr);
	for (int i = 0; i < 100; i++)
		nodes[i] = &arr[99 - i];
	sum = link_nodes(nodes, 100, 3);
	for (int i = 0; i < 37; i++)
		part += nodes[i]->value;
	igt_assert_gpu_ok(gpu_chase(dev, out, nodes[0], 37));
	igt_assert_eq_u64(out->count, 37);
	igt_assert_eq_u64(out->sum, part);
	igt_assert_gpu_ok(gpu_chase(dev, out, nodes[0], 1000));
	igt_assert_eq_u64(out->count, 100);
	igt_assert_eq_u64(out->sum, sum);
	free(arr);
}

/* 0: to the end of the list, but at most 2^20 nodes. */
static void chase_cycle(struct vsvm_device *dev, struct chase_out *out,
			struct drm_vsvm_chase_node **nodes)
{
	struct drm_vsvm_chase_node *c = calloc(3, sizeof(*c));

	(void)nodes;
	igt_assert(c);
	for (int i = 0; i < 3; i++) {
		c[i].value = i + 1;
		c[i].next = VSVM_PTR(&c[(i + 1) % 3]);
	}
	igt_assert_gpu_ok(gpu_chase(dev, out, &c[0], 0));
	igt_assert_eq_u64(out->count, 1ull << 20);
	/* 2^20 = 3 * 349525 + 1: full cycles of 6 plus one node of 1 */
	igt_assert_eq_u64(out->sum, 349525ull * 6 + 1);
	free(c);
}

static void chase_broken_link(struct vsvm_device *dev, struct chase_out *out,
			      struct drm_vsvm_chase_node **nodes)
{
	struct drm_vsvm_chase_node *arr = calloc(20, sizeof(*arr));
	void *hole = xmmap(NULL, SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(arr);
	igt_assert_eq(munmap(hole, SZ_4K), 0);
	for (int i = 0; i < 20; i++)
		nodes[i] = &arr[i];
	link_nodes(nodes, 20, 4);
	arr[9].next = VSVM_PTR(hole) + 32;
	igt_assert_gpu_status(gpu_chase(dev, out, nodes[0], 0), -EFAULT);
	check_fault(dev, (uint8_t *)hole + 32, DRM_VSVM_ACCESS_READ, 1);
	free(arr);
}

typedef void (*chase_fn)(struct vsvm_device *dev, struct chase_out *out,
			 struct drm_vsvm_chase_node **nodes);

static const struct {
	const char *name;
	chase_fn fn;
} chase_cases[] = {
	{ "mixed-memory", chase_mixed_memory },
	{ "shuffled-arena", chase_shuffled_arena },
	{ "max-nodes", chase_max_nodes },
	{ "cycle", chase_cycle },
	{ "broken-link", chase_broken_link },
};

static void test_pointer_chase(chase_fn fn)
{
	struct vsvm_device *dev = test_vm();
	struct chase_out *out = calloc(1, sizeof(*out));
	struct drm_vsvm_chase_node **nodes = calloc(4096, sizeof(*nodes));

	igt_assert(out && nodes);
	fn(dev, out, nodes);
	free(nodes);
	free(out);
}

/* ------------------------------------------------------------------ */
/* Misc                                                                */

static void test_timestamp(void)
{
	struct vsvm_device *dev = test_vm();
	struct vsvm_cmdbuf *cb = new_cb();
	uint64_t *ts = calloc(4, sizeof(uint64_t));

	igt_assert(ts);
	igt_assert_eq(vsvm_cmd_timestamp(cb, VSVM_PTR(&ts[0])), 0);
	igt_assert_eq(vsvm_cmd_fill(cb, VSVM_PTR(&ts[3]), 8, 0), 0);
	igt_assert_eq(vsvm_cmd_timestamp(cb, VSVM_PTR(&ts[1])), 0);
	igt_assert_gpu_ok(run_cb(dev, cb));
	sleep_ms(50);
	igt_assert_gpu_ok(RUN1(dev, 0, vsvm_cmd_timestamp(__cb, VSVM_PTR(&ts[2]))));
	igt_debug("timestamps %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", ts[0], ts[1], ts[2]);
	igt_assert_neq_u64(ts[0], 0);
	igt_assert_lte_u64(ts[0], ts[1]);
	/* ns: 50 ms of CPU sleep are at least 40 ms and not minutes of GPU time */
	igt_assert_lte_u64(ts[1] + 40 * NSEC_PER_MSEC, ts[2]);
	igt_assert_lt_u64(ts[2] - ts[1], 60ull * NSEC_PER_SEC);
	vsvm_cmdbuf_del(cb);
	free(ts);
}

/* COPY at any alignment and length, across pages, exact bytes. */
static void test_copy_unaligned(void)
{
	static const struct { size_t src, dst, len; } cases[] = {
		{ 1, 3, 1 }, { 0, 0, 3 }, { 1, 3, 4093 }, { 4095, 1, 2 },
		{ 7, 4093, 8192 + 5 }, { 4096 - 3, 4096 * 2 - 1, 4096 * 3 + 7 },
		{ 13, 17, 31 },
	};
	struct vsvm_device *dev = test_vm();
	size_t size = 6 * SZ_4K;
	uint8_t *src = map_anon(size);
	uint8_t *dst = malloc(size + 64);

	igt_assert(dst);
	for (size_t i = 0; i < size; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	for (unsigned int c = 0; c < ARRAY_SIZE(cases); c++) {
		memset(dst, 0x5a, size + 64);
		igt_assert_gpu_ok(gpu_copy(dev, dst + cases[c].dst, src + cases[c].src,
					   cases[c].len));
		for (size_t i = 0; i < size + 64; i++) {
			bool in = i >= cases[c].dst && i < cases[c].dst + cases[c].len;
			uint8_t want = in ? src[cases[c].src + i - cases[c].dst] : 0x5a;

			igt_assert_f(dst[i] == want,
				     "copy %zu bytes from +%zu to +%zu: byte %zu is %#x, expected %#x\n",
				     cases[c].len, cases[c].src, cases[c].dst, i, dst[i], want);
		}
	}
	munmap(src, size);
	free(dst);
}

/* ------------------------------------------------------------------ */

igt_main
{
	igt_fixture
		vsvm_fixture();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(invalid_cases); i++) {
		igt_describe("GPU access to NULL, an unmapped hole, PROT_NONE memory or across "
			     "the end of a mapping fails the submission with -EFAULT; FAULT_INFO "
			     "gives the address, seqno, channel and access; the channel goes on.");
		igt_subtest_f("invalid-address-%s", invalid_cases[i].name)
			test_invalid_address(invalid_cases[i].where, invalid_cases[i].flags);
	}

	igt_describe("Addresses outside the VM window are refused (-EINVAL) or fault (-EFAULT), "
		     "and never reach memory.");
	igt_subtest("outside-window")
		test_outside_window();

	igt_describe("The first and last pages of a VM window work; the pages just outside it "
		     "are refused or fault, and are never written.");
	igt_subtest("window-edges")
		test_window_edges();

	igt_describe("A submission stops at its first faulting command (earlier commands ran, "
		     "later ones did not); the next submission on the channel still runs.");
	igt_subtest("fault-stops-submission")
		test_fault_stops_submission();

	for (volatile unsigned int i = 0; i < ARRAY_SIZE(chase_cases); i++) {
		igt_describe("POINTER_CHASE through CPU-built lists: nodes on heap, stack, shared "
			     "and file memory, scattered over 16 MiB, bounded by a node count, a "
			     "cycle (stops at 2^20 nodes) and a link into unmapped memory (-EFAULT).");
		igt_subtest_f("pointer-chase-%s", chase_cases[i].name)
			test_pointer_chase(chase_cases[i].fn);
	}

	igt_describe("TIMESTAMP is non-zero, monotonic and counts nanoseconds.");
	igt_subtest("timestamp")
		test_timestamp();

	igt_describe("COPY at odd offsets and lengths across pages copies exactly the bytes "
		     "asked for.");
	igt_subtest("copy-unaligned")
		test_copy_unaligned();

	igt_fixture
		release_tracked();
}
