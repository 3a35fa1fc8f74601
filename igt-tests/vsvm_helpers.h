// SPDX-License-Identifier: MIT
/*
 * Shared helpers of the vsvm IGT tests (vsvm_svm.c, vsvm_uapi.c): device
 * and VM setup through libdrm_vsvm, synchronous submissions and buffer
 * checks. Header-only (static functions) because every igt-tests .c file is
 * its own binary.
 *
 * Rules the helpers follow:
 *  - only the test's main thread may call anything that asserts; threads
 *    report errors back (see vsvm_svm.c);
 *  - devices opened with test_vm() are closed by the next test_vm() call,
 *    so that a failed subtest does not leak its VM into the next one.
 */
#ifndef VSVM_HELPERS_H
#define VSVM_HELPERS_H

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <vsvm.h>

#include "drmtest.h"
#include "igt_core.h"

#define NSEC_PER_SEC 1000000000ll
#define NSEC_PER_MSEC 1000000ll
#define SZ_4K 0x1000ul
#define SZ_64K 0x10000ul
#define SZ_2M 0x200000ul

/* Generous: the guest is emulated (TCG) and the GPU is virtual. */
#define VSVM_TIMEOUT_NS (30 * NSEC_PER_SEC)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Device parameters, read once by vsvm_fixture(). */
static uint64_t vsvm_features, vsvm_num_channels, vsvm_va_bits,
	vsvm_page_sizes, vsvm_max_cmds, vsvm_vram_size;

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * NSEC_PER_MSEC };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline bool vsvm_present(void)
{
	unsigned int n = 0;

	return vsvm_device_count(&n) == 0 && n > 0;
}

/*
 * Fixture of every vsvm test binary: skip everything without a vsvm node
 * (no igt drm_open_driver: it would modprobe every driver libigt knows),
 * then read the device parameters.
 */
static inline void vsvm_fixture(void)
{
	struct vsvm_device *dev;
	int ret;

	igt_require_f(vsvm_present(),
		      "no vsvm render node in /dev/dri (is vsvm.ko loaded?)\n");
	ret = vsvm_device_new(&dev);
	igt_assert_eq(ret, 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_FEATURES, &vsvm_features), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_NUM_CHANNELS, &vsvm_num_channels), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_VA_BITS, &vsvm_va_bits), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_PAGE_SIZES, &vsvm_page_sizes), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_MAX_CMDS, &vsvm_max_cmds), 0);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_VRAM_SIZE, &vsvm_vram_size), 0);
	igt_info("vsvm: features %#" PRIx64 ", %" PRIu64 " channels, %" PRIu64
		 " VA bits, page sizes %#" PRIx64 ", max %" PRIu64 " cmds, VRAM %" PRIu64 "\n",
		 vsvm_features, vsvm_num_channels, vsvm_va_bits, vsvm_page_sizes,
		 vsvm_max_cmds, vsvm_vram_size);
	igt_require_f(vsvm_features & DRM_VSVM_FEATURE_SVM,
		      "device lacks DRM_VSVM_FEATURE_SVM\n");
	igt_assert(vsvm_num_channels >= 1);
	vsvm_device_del(dev);
}

/* ------------------------------------------------------------------ */
/* Devices and VMs                                                     */

#define MAX_TRACKED 32
static struct vsvm_device *tracked_devs[MAX_TRACKED];
static int num_tracked;

static inline void release_tracked(void)
{
	while (num_tracked > 0)
		vsvm_device_del(tracked_devs[--num_tracked]);
}

static inline struct vsvm_device *track(struct vsvm_device *dev)
{
	if (num_tracked == MAX_TRACKED)
		release_tracked();
	tracked_devs[num_tracked++] = dev;
	return dev;
}

/* A new device without a VM; closed by the next test_vm()/test_dev(). */
static inline struct vsvm_device *test_dev_nth(unsigned int index)
{
	struct vsvm_device *dev;
	int ret = vsvm_device_new_nth(index, &dev);

	igt_assert_f(ret == 0, "vsvm_device_new_nth(%u): %s\n", index, strerror(-ret));
	return track(dev);
}

/* Opens one more device with a VM, keeping the current ones. */
static inline struct vsvm_device *extra_vm(void)
{
	struct vsvm_device *dev = test_dev_nth(0);
	int ret = vsvm_vm_init(dev, 0, 0);

	igt_assert_f(ret == 0, "VM_INIT: %s\n", strerror(-ret));
	return dev;
}

/* Fresh device and VM for a (dynamic) subtest; closes the previous ones. */
static inline struct vsvm_device *test_vm(void)
{
	release_tracked();
	return extra_vm();
}

static inline struct vsvm_device *test_dev(void)
{
	release_tracked();
	return test_dev_nth(0);
}

/* Device and VM for a forked child (not tracked: the child exits). */
static inline struct vsvm_device *child_vm(void)
{
	struct vsvm_device *dev;
	int ret = vsvm_device_new(&dev);

	igt_assert_f(ret == 0, "child: vsvm_device_new: %s\n", strerror(-ret));
	ret = vsvm_vm_init(dev, 0, 0);
	igt_assert_f(ret == 0, "child: VM_INIT: %s\n", strerror(-ret));
	return dev;
}

static inline struct vsvm_cmdbuf *new_cb(void)
{
	struct vsvm_cmdbuf *cb;

	igt_assert_eq(vsvm_cmdbuf_new(&cb), 0);
	return cb;
}

/* ------------------------------------------------------------------ */
/* Synchronous submissions: the ioctls must succeed; return the status. */

static inline int32_t run_cb_on(struct vsvm_device *dev, uint32_t ch,
				struct vsvm_cmdbuf *cb)
{
	uint64_t seqno;
	int32_t status = 1;
	int ret;

	ret = vsvm_exec(dev, ch, cb, &seqno);
	igt_assert_f(ret == 0, "EXEC on channel %u: %d (%s)\n", ch, ret, strerror(-ret));
	ret = vsvm_wait(dev, ch, seqno, VSVM_TIMEOUT_NS, &status);
	igt_assert_f(ret == 0, "WAIT seqno %" PRIu64 " on channel %u: %d (%s)\n",
		     seqno, ch, ret, strerror(-ret));
	return status;
}

static inline int32_t run_cb(struct vsvm_device *dev, struct vsvm_cmdbuf *cb)
{
	return run_cb_on(dev, 0, cb);
}

/* Runs the one command that BUILD appends to a scratch buffer. */
#define RUN1(dev, ch, build) ({ \
	struct vsvm_cmdbuf *__cb = new_cb(); \
	int32_t __st; \
	igt_assert_eq((build), 0); \
	__st = run_cb_on((dev), (ch), __cb); \
	vsvm_cmdbuf_del(__cb); \
	__st; \
})

static inline int32_t gpu_fill(struct vsvm_device *dev, void *dst, size_t size,
			       uint32_t value)
{
	return RUN1(dev, 0, vsvm_cmd_fill(__cb, VSVM_PTR(dst), size, value));
}

static inline int32_t gpu_copy(struct vsvm_device *dev, void *dst,
			       const void *src, size_t size)
{
	return RUN1(dev, 0, vsvm_cmd_copy(__cb, VSVM_PTR(dst), VSVM_PTR(src), size));
}

static inline int32_t gpu_write32(struct vsvm_device *dev, void *dst, uint32_t v)
{
	return RUN1(dev, 0, vsvm_cmd_write_value(__cb, VSVM_PTR(dst), v, 0));
}

static inline int32_t gpu_write64(struct vsvm_device *dev, void *dst, uint64_t v)
{
	return RUN1(dev, 0, vsvm_cmd_write_value(__cb, VSVM_PTR(dst), v,
						 DRM_VSVM_CMD_64BIT));
}

/* Asserts a GPU command succeeded, naming the command on failure. */
#define igt_assert_gpu_ok(expr) do { \
	int32_t __s = (expr); \
	igt_assert_f(__s == 0, "%s: submission status %d (%s)\n", #expr, \
		     __s, strerror(-__s)); \
} while (0)

#define igt_assert_gpu_status(expr, want) do { \
	int32_t __s = (expr), __w = (want); \
	igt_assert_f(__s == __w, "%s: submission status %d (%s), expected %d (%s)\n", \
		     #expr, __s, strerror(-__s), __w, strerror(-__w)); \
} while (0)

/* ------------------------------------------------------------------ */
/* Data checks                                                         */

/* Asserts every 32-bit word of [p, p + size) is v. */
#define check_u32(p, size, v) do { \
	const volatile uint32_t *__p = (const volatile uint32_t *)(p); \
	size_t __n = (size) / 4; \
	uint32_t __v = (v); \
	for (size_t __i = 0; __i < __n; __i++) \
		igt_assert_f(__p[__i] == __v, \
			     "%s: word %zu (%p) is %#x, expected %#x\n", #p, __i, \
			     (void *)&__p[__i], __p[__i], __v); \
} while (0)

/* Word i of the pattern with this seed. */
static inline uint32_t pattern_word(uint32_t seed, size_t i)
{
	return seed ^ (uint32_t)(i * 2654435761u);
}

/* Fills [p, p + size) with the pattern words 0, 1, ... of seed. */
static inline void pattern_fill(void *p, size_t size, uint32_t seed)
{
	uint32_t *w = p;

	for (size_t i = 0; i < size / 4; i++)
		w[i] = pattern_word(seed, i);
}

/* Asserts [base + off, base + off + len) holds pattern words off/4, ... */
#define check_pattern_at(base, off, len, seed) do { \
	const volatile uint32_t *__p = (const volatile uint32_t *)(base); \
	size_t __first = (off) / 4, __n = (len) / 4; \
	uint32_t __seed = (seed); \
	for (size_t __i = __first; __i < __first + __n; __i++) { \
		uint32_t __e = pattern_word(__seed, __i); \
		igt_assert_f(__p[__i] == __e, \
			     "%s: word %zu (%p) is %#x, expected %#x (pattern %#x)\n", \
			     #base, __i, (void *)&__p[__i], __p[__i], __e, __seed); \
	} \
} while (0)

#define check_pattern(p, size, seed) check_pattern_at(p, 0, size, seed)

static inline bool thp_available(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[always]") || strstr(buf, "[madvise]");
}

/* kB of AnonHugePages of the VMA containing addr (/proc/self/smaps). */
static inline long thp_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	uintptr_t a = (uintptr_t)addr;
	char line[512];
	bool in = false;
	long kb = -1;

	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		long v;

		/* "start-end perms ..." starts a VMA; field lines never parse so. */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = a >= start && a < end;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &v) == 1) {
			kb = v;
			break;
		}
	}
	fclose(f);
	return kb;
}

static inline void get_stats(struct vsvm_device *dev, struct drm_vsvm_stats *st)
{
	int ret = vsvm_stats(dev, st);

	igt_assert_f(ret == 0, "STATS: %s\n", strerror(-ret));
}

static inline void get_fault(struct vsvm_device *dev, struct drm_vsvm_fault_info *fi)
{
	int ret = vsvm_fault_info(dev, fi);

	igt_assert_f(ret == 0, "FAULT_INFO: %d (%s)\n", ret, strerror(-ret));
	igt_debug("fault: addr %#llx seqno %llu count %llu channel %u access %u error %d\n",
		  (unsigned long long)fi->addr, (unsigned long long)fi->seqno,
		  (unsigned long long)fi->count, fi->channel, fi->access, fi->error);
}

/*
 * Asserts the VM's last unserviceable fault is at (the page of) addr, with
 * that access, and that it is the n-th one.
 */
static inline void check_fault(struct vsvm_device *dev, const void *addr,
			       uint32_t access, uint64_t count)
{
	struct drm_vsvm_fault_info fi;
	uint64_t a = VSVM_PTR(addr);

	get_fault(dev, &fi);
	igt_assert_f((fi.addr & ~(SZ_4K - 1)) == (a & ~(SZ_4K - 1)),
		     "fault address %#llx, expected the page of %#llx\n",
		     (unsigned long long)fi.addr, (unsigned long long)a);
	igt_assert_eq_u32(fi.access, access);
	igt_assert_eq_u64(fi.count, count);
	igt_assert_f(fi.error < 0, "fault error %d is not a negative errno\n", fi.error);
}

/* mmap that asserts. */
static inline void *xmmap(void *addr, size_t len, int prot, int flags, int fd,
			  off_t off)
{
	void *p = mmap(addr, len, prot, flags, fd, off);

	igt_assert_f(p != MAP_FAILED, "mmap(%p, %zu, %#x, %#x): %s\n", addr, len,
		     prot, flags, strerror(errno));
	return p;
}

/* An anonymous mapping of len bytes whose start is aligned to align. */
static inline void *mmap_aligned(size_t len, size_t align, int flags)
{
	uint8_t *p = xmmap(NULL, len + align, PROT_READ | PROT_WRITE,
			   flags | MAP_ANONYMOUS, -1, 0);
	uint8_t *a = (uint8_t *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));

	if (a > p)
		munmap(p, a - p);
	if (a + len < p + len + align)
		munmap(a + len, p + len + align - (a + len));
	return a;
}

#endif /* VSVM_HELPERS_H */
