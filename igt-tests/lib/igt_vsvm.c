// SPDX-License-Identifier: MIT
/*
 * igt_vsvm: see igt_vsvm.h.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "igt_vsvm.h"

uint64_t vsvm_features, vsvm_num_channels, vsvm_va_bits, vsvm_page_sizes,
	vsvm_max_cmds, vsvm_vram_size;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * NSEC_PER_MSEC };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void write_byte(int fd)
{
	char c = 1;

	igt_assert_eq(write(fd, &c, 1), 1);
}

void read_byte(int fd)
{
	char c;

	igt_assert_eq(read(fd, &c, 1), 1);
}

/* ------------------------------------------------------------------ */
/* Fixture, devices and VMs                                            */

bool vsvm_present(void)
{
	unsigned int n = 0;

	return vsvm_device_count(&n) == 0 && n > 0;
}

static void read_param(struct vsvm_device *dev, uint32_t param, uint64_t *v)
{
	int ret = vsvm_get_param(dev, param, v);

	igt_assert_f(ret == 0, "GET_PARAM %u: %s\n", param, strerror(-ret));
}

void vsvm_fixture(void)
{
	struct vsvm_device *dev;
	int ret;

	igt_require_f(vsvm_present(),
		      "no vsvm render node in /dev/dri (is vsvm.ko loaded?)\n");
	ret = vsvm_device_new(&dev);
	igt_assert_eq(ret, 0);
	read_param(dev, DRM_VSVM_PARAM_FEATURES, &vsvm_features);
	read_param(dev, DRM_VSVM_PARAM_NUM_CHANNELS, &vsvm_num_channels);
	read_param(dev, DRM_VSVM_PARAM_VA_BITS, &vsvm_va_bits);
	read_param(dev, DRM_VSVM_PARAM_PAGE_SIZES, &vsvm_page_sizes);
	read_param(dev, DRM_VSVM_PARAM_MAX_CMDS, &vsvm_max_cmds);
	read_param(dev, DRM_VSVM_PARAM_VRAM_SIZE, &vsvm_vram_size);
	igt_info("vsvm: features %#" PRIx64 ", %" PRIu64 " channels, %" PRIu64
		 " VA bits, page sizes %#" PRIx64 ", max %" PRIu64 " cmds, VRAM %" PRIu64 "\n",
		 vsvm_features, vsvm_num_channels, vsvm_va_bits, vsvm_page_sizes,
		 vsvm_max_cmds, vsvm_vram_size);
	igt_require_f(vsvm_features & DRM_VSVM_FEATURE_SVM,
		      "device lacks DRM_VSVM_FEATURE_SVM\n");
	igt_assert(vsvm_num_channels >= 1);
	vsvm_device_del(dev);
}

#define MAX_TRACKED 32
static struct vsvm_device *tracked_devs[MAX_TRACKED];
static int num_tracked;

void release_tracked(void)
{
	while (num_tracked > 0)
		vsvm_device_del(tracked_devs[--num_tracked]);
}

static struct vsvm_device *track(struct vsvm_device *dev)
{
	if (num_tracked == MAX_TRACKED)
		release_tracked();
	tracked_devs[num_tracked++] = dev;
	return dev;
}

int __test_dev_nth(unsigned int index, struct vsvm_device **dev)
{
	int ret = vsvm_device_new_nth(index, dev);

	if (!ret)
		track(*dev);
	return ret;
}

struct vsvm_device *test_dev_nth(unsigned int index)
{
	struct vsvm_device *dev;
	int ret = __test_dev_nth(index, &dev);

	igt_assert_f(ret == 0, "vsvm_device_new_nth(%u): %s\n", index, strerror(-ret));
	return dev;
}

struct vsvm_device *extra_vm(void)
{
	struct vsvm_device *dev = test_dev_nth(0);
	int ret = vsvm_vm_init(dev, 0, 0);

	igt_assert_f(ret == 0, "VM_INIT: %s\n", strerror(-ret));
	return dev;
}

struct vsvm_device *test_vm(void)
{
	release_tracked();
	return extra_vm();
}

struct vsvm_device *test_dev(void)
{
	release_tracked();
	return test_dev_nth(0);
}

int __child_vm(struct vsvm_device **pdev)
{
	struct vsvm_device *dev;
	int ret = vsvm_device_new(&dev);

	if (ret)
		return ret;
	ret = vsvm_vm_init(dev, 0, 0);
	if (ret) {
		vsvm_device_del(dev);
		return ret;
	}
	*pdev = dev;
	return 0;
}

struct vsvm_device *child_vm(void)
{
	struct vsvm_device *dev;
	int ret = __child_vm(&dev);

	igt_assert_f(ret == 0, "vsvm_device_new + VM_INIT: %s\n", strerror(-ret));
	return dev;
}

struct vsvm_cmdbuf *new_cb(void)
{
	struct vsvm_cmdbuf *cb;

	igt_assert_eq(vsvm_cmdbuf_new(&cb), 0);
	return cb;
}

/* ------------------------------------------------------------------ */
/* Synchronous submissions                                             */

int __run_cb_on(struct vsvm_device *dev, uint32_t ch, struct vsvm_cmdbuf *cb,
		int32_t *status)
{
	return vsvm_exec_wait(dev, ch, cb, VSVM_TIMEOUT_NS, status);
}

int32_t run_cb_on(struct vsvm_device *dev, uint32_t ch, struct vsvm_cmdbuf *cb)
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

int32_t run_cb(struct vsvm_device *dev, struct vsvm_cmdbuf *cb)
{
	return run_cb_on(dev, 0, cb);
}

int32_t gpu_fill(struct vsvm_device *dev, void *dst, size_t size, uint32_t value)
{
	return RUN1(dev, 0, vsvm_cmd_fill(__cb, VSVM_PTR(dst), size, value));
}

int32_t gpu_copy(struct vsvm_device *dev, void *dst, const void *src, size_t size)
{
	return RUN1(dev, 0, vsvm_cmd_copy(__cb, VSVM_PTR(dst), VSVM_PTR(src), size));
}

int32_t gpu_write32(struct vsvm_device *dev, void *dst, uint32_t v)
{
	return RUN1(dev, 0, vsvm_cmd_write_value(__cb, VSVM_PTR(dst), v, 0));
}

int32_t gpu_write64(struct vsvm_device *dev, void *dst, uint64_t v)
{
	return RUN1(dev, 0, vsvm_cmd_write_value(__cb, VSVM_PTR(dst), v,
						 DRM_VSVM_CMD_64BIT));
}

int32_t gpu_atomic(struct vsvm_device *dev, uint32_t op, void *dst, uint64_t v,
		   uint64_t v2, uint64_t count, void *result, uint32_t flags)
{
	return RUN1(dev, 0, vsvm_cmd_atomic(__cb, op, VSVM_PTR(dst), v, v2, count,
					    result ? VSVM_PTR(result) : 0, flags));
}

/* ------------------------------------------------------------------ */
/* Data checks                                                         */

void pattern_fill(void *p, size_t size, uint32_t seed)
{
	uint32_t *w = p;

	for (size_t i = 0; i < size / 4; i++)
		w[i] = pattern_word(seed, i);
}

static uint32_t *chk_alloc(size_t len)
{
	uint32_t *chk = malloc(len);

	igt_assert(chk && len >= 4);
	return chk;
}

/* The GPU copies [@src, @src + @len) into @chk; the copy must work. */
static void gpu_read(struct vsvm_device *dev, uint32_t *chk, const void *src, size_t len)
{
	int32_t status = gpu_copy(dev, chk, src, len);

	igt_assert_f(status == 0, "GPU read of [%p, +%zu): submission status %d (%s)\n",
		     src, len, status, strerror(-status));
}

void gpu_check_u32(struct vsvm_device *dev, const void *p, size_t size, uint32_t v)
{
	uint32_t *chk = chk_alloc(size);

	for (size_t i = 0; i < size / 4; i++)
		chk[i] = ~v;
	gpu_read(dev, chk, p, size);
	for (size_t i = 0; i < size / 4; i++)
		igt_assert_f(chk[i] == v, "GPU read of %p: word %zu is %#x, expected %#x\n",
			     p, i, chk[i], v);
	free(chk);
}

void gpu_check_pattern_at(struct vsvm_device *dev, const void *base, size_t off,
			  size_t len, uint32_t seed)
{
	uint32_t *chk = chk_alloc(len);
	size_t first = off / 4;

	for (size_t i = 0; i < len / 4; i++)
		chk[i] = ~pattern_word(seed, first + i);
	gpu_read(dev, chk, (const uint8_t *)base + off, len);
	for (size_t i = 0; i < len / 4; i++) {
		uint32_t e = pattern_word(seed, first + i);

		igt_assert_f(chk[i] == e,
			     "GPU read of %p: word %zu is %#x, expected %#x (pattern %#x)\n",
			     base, first + i, chk[i], e, seed);
	}
	free(chk);
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */

void *xmmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(addr, len, prot, flags, fd, off);

	igt_assert_f(p != MAP_FAILED, "mmap(%p, %zu, %#x, %#x): %s\n", addr, len,
		     prot, flags, strerror(errno));
	return p;
}

void *mmap_aligned(size_t len, size_t align, int flags)
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

void *map_anon(size_t size)
{
	return xmmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void *map_shared(size_t size)
{
	return xmmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

void *map_thp(size_t size)
{
	void *p = mmap_aligned(size, SZ_2M, MAP_PRIVATE);

	igt_assert_eq(madvise(p, size, MADV_HUGEPAGE), 0);
	return p;
}

void *tmp_file_map(size_t size, int prot)
{
	char path[] = "/tmp/vsvm-igt.XXXXXX";
	int fd = mkstemp(path);
	void *p;

	igt_assert_f(fd >= 0, "mkstemp in /tmp: %s\n", strerror(errno));
	unlink(path);
	igt_assert_eq(ftruncate(fd, size), 0);
	p = xmmap(NULL, size, prot, MAP_SHARED, fd, 0);
	close(fd);
	return p;
}

/* ------------------------------------------------------------------ */
/* Buffers of every kind                                               */

const char *const sysbuf_kind_name[NUM_SYSBUF_KINDS] = {
	[SYSBUF_MALLOC] = "malloc",
	[SYSBUF_STACK] = "stack",
	[SYSBUF_ANON] = "mmap-anon",
	[SYSBUF_SHARED] = "mmap-shared",
	[SYSBUF_FILE] = "mmap-file",
	[SYSBUF_HUGE] = "mmap-huge",
	[SYSBUF_MLOCK] = "mmap-mlock",
};

#define SYSBUF_SIZE SZ_64K
#define HUGE_SYSBUF_SIZE (2 * SZ_2M)

size_t sysbuf_kind_size(enum sysbuf_kind kind)
{
	return kind == SYSBUF_HUGE ? HUGE_SYSBUF_SIZE : SYSBUF_SIZE;
}

static void *map_mlocked(size_t size)
{
	void *p = map_anon(size);

	if (mlock(p, size)) {
		int err = errno;

		munmap(p, size);
		igt_skip("mlock(%zu bytes) failed: %s\n", size, strerror(err));
	}
	return p;
}

void sysbuf_new(struct sysbuf *b, enum sysbuf_kind kind, size_t size)
{
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->size = size;
	switch (kind) {
	case SYSBUF_MALLOC:
		b->heap = malloc(size);
		igt_assert(b->heap);
		b->ptr = b->heap;
		return;
	case SYSBUF_ANON:
		b->map = map_anon(size);
		break;
	case SYSBUF_SHARED:
		b->map = map_shared(size);
		break;
	case SYSBUF_FILE:
		b->map = tmp_file_map(size, PROT_READ | PROT_WRITE);
		break;
	case SYSBUF_HUGE:
		igt_assert(size % SZ_2M == 0);
		b->map = map_thp(size);
		break;
	case SYSBUF_MLOCK:
		b->map = map_mlocked(size);
		break;
	default:
		igt_assert_f(false, "sysbuf_new(%s)\n", sysbuf_kind_name[kind]);
	}
	b->ptr = b->map;
}

void sysbuf_del(struct sysbuf *b)
{
	if (b->heap)
		free(b->heap);
	else if (b->map)
		igt_assert_eq(munmap(b->map, b->size), 0);
	b->heap = b->map = NULL;
	b->ptr = NULL;
}

static void __attribute__((noinline)) with_stack_sysbuf(size_t size, void (*fn)(struct sysbuf *b))
{
	_Alignas(4096) uint8_t stack[SYSBUF_SIZE];
	struct sysbuf b = { .kind = SYSBUF_STACK, .ptr = stack, .size = size };

	igt_assert(size <= sizeof(stack));
	memset(stack, 0, sizeof(stack));
	fn(&b);
	/* Keep the frame (and the GPU's view of it) alive until here. */
	__asm__ volatile("" : : "r"(stack) : "memory");
}

void with_sysbuf(enum sysbuf_kind kind, void (*fn)(struct sysbuf *b))
{
	struct sysbuf b;

	if (kind == SYSBUF_STACK) {
		with_stack_sysbuf(sysbuf_kind_size(kind), fn);
		return;
	}
	sysbuf_new(&b, kind, sysbuf_kind_size(kind));
	fn(&b);
	sysbuf_del(&b);
}

#define THP_PATH "/sys/kernel/mm/transparent_hugepage/enabled"

/* The bracketed mode of THP_PATH into @mode; false if unreadable. */
static bool thp_mode(char *mode, size_t size)
{
	char buf[128] = "", *b, *e;
	FILE *f = fopen(THP_PATH, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	b = strchr(buf, '[');
	e = b ? strchr(b, ']') : NULL;
	if (!e || e - b - 1 >= (long)size)
		return false;
	memcpy(mode, b + 1, e - b - 1);
	mode[e - b - 1] = '\0';
	return true;
}

bool thp_available(void)
{
	char mode[16];

	return thp_mode(mode, sizeof(mode)) &&
	       (!strcmp(mode, "always") || !strcmp(mode, "madvise"));
}

static char thp_saved[16];

void thp_restore(void)
{
	FILE *f;

	if (!thp_saved[0])
		return;
	f = fopen(THP_PATH, "w");
	if (f) {
		fputs(thp_saved, f);
		fclose(f);
	}
	thp_saved[0] = '\0';
}

bool thp_system_always(void)
{
	FILE *f;

	if (!thp_mode(thp_saved, sizeof(thp_saved)))
		return false;
	atexit(thp_restore);
	f = fopen(THP_PATH, "w");
	if (!f)
		return false;
	if (fputs("always", f) < 0) {
		fclose(f);
		return false;
	}
	return fclose(f) == 0;
}

long __thp_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	uintptr_t a = (uintptr_t)addr;
	char line[512];
	bool in = false;
	long kb = -ENOENT;

	if (!f)
		return -errno;
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

long thp_kb(const void *addr)
{
	long kb = __thp_kb(addr);

	igt_assert_f(kb >= 0 || kb == -ENOENT, "/proc/self/smaps: %s\n", strerror(-kb));
	return kb < 0 ? -1 : kb;
}

/* ------------------------------------------------------------------ */
/* Stats and faults                                                    */

void get_stats(struct vsvm_device *dev, struct drm_vsvm_stats *st)
{
	int ret = vsvm_stats(dev, st);

	igt_assert_f(ret == 0, "STATS: %s\n", strerror(-ret));
}

void get_fault(struct vsvm_device *dev, struct drm_vsvm_fault_info *fi)
{
	int ret = vsvm_fault_info(dev, fi);

	igt_assert_f(ret == 0, "FAULT_INFO: %d (%s)\n", ret, strerror(-ret));
	igt_debug("fault: addr %#llx seqno %llu count %llu channel %u access %u error %d\n",
		  (unsigned long long)fi->addr, (unsigned long long)fi->seqno,
		  (unsigned long long)fi->count, fi->channel, fi->access, fi->error);
}

void check_fault(struct vsvm_device *dev, const void *addr, uint32_t access,
		 uint64_t count)
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
