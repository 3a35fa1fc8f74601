// SPDX-License-Identifier: MIT
/*
 * igt_vsvm: the library of the vsvm IGT tests (lib/igt_vsvm.c), linked
 * into every igt-tests/vsvm_*.c binary. Device and VM setup through
 * libdrm_vsvm, synchronous submissions, and checks of what the CPU and
 * the GPU see.
 *
 * Conventions, as in IGT's lib/:
 *  - __name() returns 0 (or a documented value) or a negative errno and
 *    never asserts; name() asserts that it worked;
 *  - the GPU helpers (gpu_fill() ...) assert that the ioctls work and
 *    return the submission's status, for igt_assert_gpu_ok() and
 *    igt_assert_gpu_status();
 *  - only the test's main thread (or an igt_fork() child) may call what
 *    asserts; other threads use the __ forms and report back;
 *  - devices from test_vm(), test_dev(), extra_vm() and test_dev_nth()
 *    are tracked and closed by the next test_vm()/test_dev() or by
 *    release_tracked(), so that a failed subtest does not leak its VM into
 *    the next one.
 */
#ifndef IGT_VSVM_H
#define IGT_VSVM_H

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
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

/* Device parameters, read by vsvm_fixture(). */
extern uint64_t vsvm_features, vsvm_num_channels, vsvm_va_bits,
	vsvm_page_sizes, vsvm_max_cmds, vsvm_vram_size;

uint64_t now_ns(void);
void sleep_ms(unsigned int ms);
/* One byte through a pipe, to order a parent and an igt_fork() child. */
void write_byte(int fd);
void read_byte(int fd);

/* ------------------------------------------------------------------ */
/* Fixture, devices and VMs                                            */

bool vsvm_present(void);
/*
 * The first fixture of every vsvm test: skips without a vsvm render node
 * (no drm_open_driver(): it would modprobe every driver libigt knows),
 * then reads the device parameters.
 */
void vsvm_fixture(void);

/* Opens the @index-th vsvm device, without a VM; tracked. */
int __test_dev_nth(unsigned int index, struct vsvm_device **dev);
struct vsvm_device *test_dev_nth(unsigned int index);
/* One more device with a VM, keeping the tracked ones. */
struct vsvm_device *extra_vm(void);
/* A fresh device with a VM (test_dev(): without); closes the tracked ones. */
struct vsvm_device *test_vm(void);
struct vsvm_device *test_dev(void);
/* Device and VM not tracked: for igt_fork() children, or to close oneself. */
int __child_vm(struct vsvm_device **dev);
struct vsvm_device *child_vm(void);
void release_tracked(void);

struct vsvm_cmdbuf *new_cb(void);

/* ------------------------------------------------------------------ */
/* Synchronous submissions                                             */

/*
 * Runs @cb on channel @ch and waits (VSVM_TIMEOUT_NS): an ioctl error, or
 * 0 with the submission's status in *@status.
 */
int __run_cb_on(struct vsvm_device *dev, uint32_t ch, struct vsvm_cmdbuf *cb,
		int32_t *status);
/* The same; the ioctls must work. Returns the status. */
int32_t run_cb_on(struct vsvm_device *dev, uint32_t ch, struct vsvm_cmdbuf *cb);
int32_t run_cb(struct vsvm_device *dev, struct vsvm_cmdbuf *cb);

/* Runs the one command that BUILD appends to the scratch buffer __cb. */
#define RUN1(dev, ch, build) ({ \
	struct vsvm_cmdbuf *__cb = new_cb(); \
	int32_t __st; \
	igt_assert_eq((build), 0); \
	__st = run_cb_on((dev), (ch), __cb); \
	vsvm_cmdbuf_del(__cb); \
	__st; \
})

/* One command on channel 0; return the status. */
int32_t gpu_fill(struct vsvm_device *dev, void *dst, size_t size, uint32_t value);
int32_t gpu_copy(struct vsvm_device *dev, void *dst, const void *src, size_t size);
int32_t gpu_write32(struct vsvm_device *dev, void *dst, uint32_t v);
int32_t gpu_write64(struct vsvm_device *dev, void *dst, uint64_t v);
/* ATOMIC @op at @dst (see vsvm_cmd_atomic()); @result may be NULL. */
int32_t gpu_atomic(struct vsvm_device *dev, uint32_t op, void *dst, uint64_t v,
		   uint64_t v2, uint64_t count, void *result, uint32_t flags);

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
void pattern_fill(void *p, size_t size, uint32_t seed);

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

/*
 * What the GPU reads: COPY [@p, @p + @size) on channel 0 into a buffer
 * whose every word first differs from the expected one, then assert the
 * copy worked and every word is @v (gpu_check_u32) or pattern word
 * @off/4 ... of @seed (gpu_check_pattern_at: [@base + @off, + @len)).
 */
void gpu_check_u32(struct vsvm_device *dev, const void *p, size_t size, uint32_t v);
void gpu_check_pattern_at(struct vsvm_device *dev, const void *base, size_t off,
			  size_t len, uint32_t seed);
#define gpu_check_pattern(dev, p, size, seed) gpu_check_pattern_at(dev, p, 0, size, seed)

/* ------------------------------------------------------------------ */
/* Memory                                                              */

/* mmap that asserts. */
void *xmmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
/* An anonymous mapping of len bytes whose start is aligned to align. */
void *mmap_aligned(size_t len, size_t align, int flags);
/* Read-write anonymous mappings: private, shared, 2M-aligned MADV_HUGEPAGE. */
void *map_anon(size_t size);
void *map_shared(size_t size);
void *map_thp(size_t size);
/* A MAP_SHARED mapping of an unlinked file in /tmp. */
void *tmp_file_map(size_t size, int prot);

/*
 * System memory of every kind a GPU may be given: struct sysbuf is @size
 * bytes at @ptr of @kind. sysbuf_new() allocates one (not SYSBUF_STACK;
 * contents unspecified), sysbuf_del() frees it; with_sysbuf() runs @fn on
 * a fresh one of sysbuf_kind_size(@kind) bytes, of any kind (SYSBUF_STACK:
 * in a stack frame of its own). SYSBUF_MLOCK skips when mlock() fails.
 */
enum sysbuf_kind {
	SYSBUF_MALLOC,
	SYSBUF_STACK,
	SYSBUF_ANON,	/* private anonymous mapping */
	SYSBUF_SHARED,	/* shared anonymous mapping */
	SYSBUF_FILE,	/* tmp_file_map() */
	SYSBUF_HUGE,	/* map_thp() */
	SYSBUF_MLOCK,	/* mlocked private anonymous mapping */
	NUM_SYSBUF_KINDS
};

/* Subtest-name parts: "malloc", "stack", "mmap-anon", ... */
extern const char *const sysbuf_kind_name[NUM_SYSBUF_KINDS];

struct sysbuf {
	enum sysbuf_kind kind;
	uint8_t *ptr;
	size_t size;
	/* private: */
	void *heap;
	void *map;
};

size_t sysbuf_kind_size(enum sysbuf_kind kind);
void sysbuf_new(struct sysbuf *b, enum sysbuf_kind kind, size_t size);
void sysbuf_del(struct sysbuf *b);
void with_sysbuf(enum sysbuf_kind kind, void (*fn)(struct sysbuf *b));

/* Whether THP is "always" or "madvise". */
bool thp_available(void);
/* AnonHugePages (kB) of the VMA containing @addr, -ENOENT if none, or -errno. */
long __thp_kb(const void *addr);
/* The same, asserting /proc/self/smaps can be read; -1 if no VMA. */
long thp_kb(const void *addr);
/* Sets THP to "always" (root only), restored by thp_restore() or at exit. */
bool thp_system_always(void);
void thp_restore(void);

/* ------------------------------------------------------------------ */
/* Stats and faults                                                    */

void get_stats(struct vsvm_device *dev, struct drm_vsvm_stats *st);
void get_fault(struct vsvm_device *dev, struct drm_vsvm_fault_info *fi);
/*
 * Asserts the VM's last unserviceable fault is at (the page of) @addr,
 * with that @access, and that it is the @count-th one.
 */
void check_fault(struct vsvm_device *dev, const void *addr, uint32_t access,
		 uint64_t count);

#endif /* IGT_VSVM_H */
