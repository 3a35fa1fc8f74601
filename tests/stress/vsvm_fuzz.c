// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vsvm_fuzz: uAPI fuzzer of vsvm (issue #9, section 5).
 *
 * Sends random and half-valid structures to every ioctl of vsvm_drm.h,
 * unknown ioctl numbers and lying sizes (a DRM ioctl number encodes the
 * structure's size and direction), and random commands aimed at kernel,
 * non-canonical, read-only, PROT_NONE and unmapped addresses. Asserts:
 *
 *  - every ioctl's errno is one the header documents for it (its
 *    "Errors:" plus the conventions of DOC: vsvm uAPI), and every
 *    submission status is one it documents for the ops in it
 *    (&drm_vsvm_wait.status plus the op's own): the table is generated
 *    from the header's text by gen-errnos.awk (--table prints it);
 *  - where the header makes the outcome certain, that outcome: -EINVAL
 *    for a non-zero flag, pad or unused field, an unknown op or
 *    attribute; 0 for a valid command; -EFAULT for a command whose every
 *    access is to memory the GPU may not touch; -EPERM in a forked child;
 *  - no byte the GPU may not write changes: canary pages (PROT_NONE,
 *    read-only, and a read-write page no command may write, reached only
 *    through non-canonical aliases of its address or from a VM whose
 *    window excludes it) are compared after every submission, and a
 *    command aimed at a kernel address must fail;
 *  - an ioctl writes no byte of userspace beyond the size its number
 *    encodes, and none without _IOC_READ.
 *
 * Runaway commands (huge ATOMIC counts, WAIT_VALUE that never ends, long
 * chases) are only sent when the device has a job timeout
 * (DRM_VSVM_PARAM_JOB_TIMEOUT_NS); without it they would hang the VM.
 *
 * Usage: see usage() or --help. Exit status 0 pass, 1 fail, 2 usage,
 * 77 skip (no vsvm device).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <xf86drm.h>

#include "common.h"
#include "vsvm_fuzz_errnos.h"

#define PROG "vsvm_fuzz"
#define TARGET_SIZE (64 * 1024ul)
#define MAX_FUZZ_CMDS 8
#define MAX_FAIL_KINDS 64
#define PRINT_PER_KIND 3
#define NUM_CHANNELS_MAX 64

/* Outcome a check predicts from the header. */
enum expect { EXPECT_ANY, EXPECT_OK, EXPECT_EINVAL, EXPECT_EFAULT };

static struct {
	uint64_t seed;
	double duration;
	bool verbose;
	bool skip_alias;	/* --known-bug va-alias */
	struct rng rng;
	uint64_t iter;
	const char *what;	/* the current step, for messages */

	int fd;			/* VM over the whole address space */
	int fd2;		/* second device, whole window, or -1 */
	int win_fd;		/* VM whose window is target 0 only */
	unsigned int ndev;
	uint64_t features, num_channels, va_bits, max_cmds, vram_size;
	uint64_t job_timeout_ns;	/* 0: the device has none */

	uint8_t *target[2];	/* TARGET_SIZE each, a hole after each */
	uint8_t *hole;		/* unmapped page */
	uint8_t *ro;		/* read-only canary page */
	uint8_t *none;		/* PROT_NONE canary page (memfd) */
	int none_fd;
	uint8_t *rw;		/* read-write canary page no command may write */
	uint8_t pattern[3][SZ_4K];
	uint32_t rw_value;	/* the read-write canary's pattern */
	uint64_t kaddr[8];
	unsigned int nkaddr;

	/* Failures, by kind; counters. */
	struct { char kind[64]; unsigned int n; } kinds[MAX_FAIL_KINDS];
	unsigned int nkinds, failures;
	uint64_t ioctls, submissions, statuses[8];
	uint64_t pending_params;	/* documented params the kernel lacks */
} g;

/* ------------------------------------------------------------------ */
/* Reporting                                                           */

static void failf(const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A failed check of @kind: printed (the first few of each kind) with the
 * seed and the iteration; the run goes on to find more.
 */
static void failf(const char *kind, const char *fmt, ...)
{
	unsigned int i;
	va_list ap;

	g.failures++;
	for (i = 0; i < g.nkinds && strcmp(g.kinds[i].kind, kind); i++)
		;
	if (i == g.nkinds && i < MAX_FAIL_KINDS) {
		snprintf(g.kinds[i].kind, sizeof(g.kinds[i].kind), "%s", kind);
		g.nkinds++;
	}
	if (i < MAX_FAIL_KINDS && g.kinds[i].n++ >= PRINT_PER_KIND)
		return;
	fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " iter=%" PRIu64 " [%s] %s: ",
		g.seed, g.iter, kind, g.what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool in_list(const int *list, int e)
{
	for (; *list; list++)
		if (*list == e)
			return true;
	return false;
}

static const struct doc_ioctl *doc_ioctl(unsigned long req)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(doc_ioctls); i++)
		if (doc_ioctls[i].req == req)
			return &doc_ioctls[i];
	return NULL;
}

static const struct doc_op *doc_op(unsigned int op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(doc_ops); i++)
		if (doc_ops[i].op == op)
			return &doc_ops[i];
	return NULL;
}

/* Is -@err documented for the ioctl @req (plus @extra, 0-terminated)? */
static bool errno_documented(unsigned long req, int err, const int *extra)
{
	const struct doc_ioctl *d = doc_ioctl(req);

	if (in_list(doc_generic_errnos, err))
		return true;
	if (d && in_list(d->errnos, err))
		return true;
	return extra && in_list(extra, err);
}

/* The raw ioctl, as 0 or -errno (no EINTR retry: no signals here). */
static int raw_ioctl(int fd, unsigned long req, void *arg)
{
	g.ioctls++;
	return ioctl(fd, req, arg) ? -errno : 0;
}

/*
 * Check the result @ret of ioctl @req (named @name) against the header's
 * errnos and @expect.
 */
static void check_ret(const char *name, unsigned long req, int ret,
		      enum expect expect, const int *extra, const char *args)
{
	char kind[64];

	if (ret && ret != -ENOMEM && !errno_documented(req, -ret, extra)) {
		snprintf(kind, sizeof(kind), "%s-undocumented-%s", name,
			 strerrorname_np(-ret) ? strerrorname_np(-ret) : "?");
		failf(kind, "%s returned %d (%s), which vsvm_drm.h does not document for it; %s",
		      name, ret, strerror(-ret), args);
	} else if (expect == EXPECT_EINVAL && ret != -EINVAL) {
		snprintf(kind, sizeof(kind), "%s-not-EINVAL", name);
		failf(kind, "%s returned %d (%s), the header says -EINVAL; %s",
		      name, ret, ret ? strerror(-ret) : "success", args);
	} else if (expect == EXPECT_EFAULT && ret != -EFAULT) {
		snprintf(kind, sizeof(kind), "%s-not-EFAULT", name);
		failf(kind, "%s returned %d (%s), the header says -EFAULT; %s",
		      name, ret, ret ? strerror(-ret) : "success", args);
	} else if (expect == EXPECT_OK && ret && ret != -ENOMEM) {
		snprintf(kind, sizeof(kind), "%s-valid-refused", name);
		failf(kind, "%s returned %d (%s) for valid arguments; %s",
		      name, ret, strerror(-ret), args);
	}
}

/* ------------------------------------------------------------------ */
/* Memory: targets and canaries                                        */

static int map_layout(void)
{
	/* target0 hole target1 hole ro hole none hole rw hole */
	size_t size = 2 * (TARGET_SIZE + SZ_4K) + 8 * SZ_4K;
	uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (p == MAP_FAILED)
		return -errno;
	g.target[0] = p;
	g.target[1] = p + TARGET_SIZE + SZ_4K;
	g.hole = g.target[1] + TARGET_SIZE;
	g.ro = g.hole + SZ_4K;
	g.none = g.ro + 2 * SZ_4K;
	g.rw = g.none + 2 * SZ_4K;
	if (munmap(g.target[0] + TARGET_SIZE, SZ_4K) || munmap(g.hole, SZ_4K) ||
	    munmap(g.ro + SZ_4K, SZ_4K) || munmap(g.none, SZ_4K) ||
	    munmap(g.none + SZ_4K, SZ_4K) || munmap(g.rw + SZ_4K, SZ_4K))
		return -errno;
	for (i = 0; i < 2; i++)
		rnd_bytes(&g.rng, g.pattern[i], SZ_4K);
	/* One 32-bit value repeated: a FILL with it maps the page writable. */
	g.rw_value = rnd64(&g.rng) | 0x80808080u;
	for (i = 0; i < (int)(SZ_4K / 4); i++)
		memcpy(g.pattern[2] + 4 * i, &g.rw_value, 4);
	memcpy(g.ro, g.pattern[0], SZ_4K);
	if (mprotect(g.ro, SZ_4K, PROT_READ))
		return -errno;
	memcpy(g.rw, g.pattern[2], SZ_4K);

	/* PROT_NONE page of a memfd, so that pread() can check it. */
	g.none_fd = memfd_create("vsvm_fuzz-canary", MFD_CLOEXEC);
	if (g.none_fd < 0 || ftruncate(g.none_fd, SZ_4K) ||
	    pwrite(g.none_fd, g.pattern[1], SZ_4K, 0) != SZ_4K)
		return -errno;
	if (mmap(g.none, SZ_4K, PROT_NONE, MAP_SHARED | MAP_FIXED, g.none_fd,
		 0) != g.none)
		return -errno;
	rnd_bytes(&g.rng, g.target[0], TARGET_SIZE);
	rnd_bytes(&g.rng, g.target[1], TARGET_SIZE);
	return 0;
}

static void check_canaries(void)
{
	uint8_t buf[SZ_4K];
	long off;

	off = first_diff(g.ro, g.pattern[0], SZ_4K);
	if (off >= 0)
		failf("canary-read-only-written", "read-only canary %p changed at +%#lx",
		      (void *)g.ro, off);
	if (pread(g.none_fd, buf, SZ_4K, 0) != SZ_4K)
		failf("canary-read", "pread of the PROT_NONE canary: %s", strerror(errno));
	off = first_diff(buf, g.pattern[1], SZ_4K);
	if (off >= 0)
		failf("canary-prot-none-written", "PROT_NONE canary %p changed at +%#lx",
		      (void *)g.none, off);
	off = first_diff(g.rw, g.pattern[2], SZ_4K);
	if (off >= 0) {
		failf("canary-read-write-written",
		      "read-write canary %p (written by no command, only aimed at through non-canonical aliases or from a VM whose window excludes it) changed at +%#lx",
		      (void *)g.rw, off);
		memcpy(g.rw, g.pattern[2], SZ_4K);
	}
}

/* Kernel addresses: kallsyms (root sees them), the direct map, text. */
static void read_kaddrs(void)
{
	static const char *const syms[] = { "jiffies", "modprobe_path", "init_task" };
	char line[256], name[128];
	unsigned long long a;
	char type;
	FILE *f;
	size_t i;

	g.kaddr[g.nkaddr++] = 0xffff888000000000ull;
	g.kaddr[g.nkaddr++] = 0xffffffff81000000ull;
	g.kaddr[g.nkaddr++] = 0xffffffffff600000ull;	/* vsyscall */
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && g.nkaddr < ARRAY_SIZE(g.kaddr)) {
		if (sscanf(line, "%llx %c %127s", &a, &type, name) != 3 || !a)
			continue;
		for (i = 0; i < ARRAY_SIZE(syms); i++)
			if (!strcmp(name, syms[i]))
				g.kaddr[g.nkaddr++] = a;
	}
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Addresses                                                           */

enum addr_class {
	A_TARGET,	/* inside a target (legitimate) */
	A_TARGET_END,	/* near a target's end: runs into the hole */
	A_HOLE,		/* unmapped */
	A_RO,		/* read-only canary */
	A_NONE,		/* PROT_NONE canary */
	A_KERNEL,	/* a kernel address */
	A_NONCANON,	/* non-canonical alias of the read-write canary */
	A_NULL,		/* 0 and the first pages */
	A_RANDOM,	/* any 64-bit value */
	A_HIGH,		/* the top of the user half and just above it */
	NR_ADDR_CLASSES
};

static const char *const addr_class_name[NR_ADDR_CLASSES] = {
	"target", "target-end", "hole", "read-only", "prot-none", "kernel",
	"non-canonical", "null", "random", "high",
};

/* Classes where every access faults, whatever the size. */
static bool class_all_faults(enum addr_class c, bool write)
{
	switch (c) {
	case A_HOLE: case A_NONE: case A_KERNEL: case A_NONCANON: case A_NULL:
	case A_HIGH:
		return true;
	case A_RO:
		return write;
	default:
		return false;
	}
}

static uint64_t noncanonical_alias(uint64_t a)
{
	static const uint64_t high[] = {
		0xffff000000000000ull, 1ull << 48, 1ull << 63,
		0x8000000000000000ull | (1ull << 52), 0x0fff000000000000ull,
	};

	return a | high[rnd_below(&g.rng, ARRAY_SIZE(high))];
}

static uint64_t gen_addr(enum addr_class c, unsigned int align)
{
	uint64_t a;

	switch (c) {
	case A_TARGET:
		a = VSVM_PTR(g.target[rnd_below(&g.rng, 2)]) +
		    rnd_below(&g.rng, TARGET_SIZE);
		break;
	case A_TARGET_END:
		a = VSVM_PTR(g.target[rnd_below(&g.rng, 2)]) + TARGET_SIZE -
		    rnd_range(&g.rng, 1, 256);
		break;
	case A_HOLE:
		a = VSVM_PTR(g.hole) + rnd_below(&g.rng, SZ_4K);
		break;
	case A_RO:
		a = VSVM_PTR(g.ro) + rnd_below(&g.rng, SZ_4K);
		break;
	case A_NONE:
		a = VSVM_PTR(g.none) + rnd_below(&g.rng, SZ_4K);
		break;
	case A_KERNEL:
		a = g.kaddr[rnd_below(&g.rng, g.nkaddr)] +
		    (rnd_pct(&g.rng, 50) ? 0 : rnd_below(&g.rng, SZ_4K));
		break;
	case A_NONCANON:
		a = noncanonical_alias(VSVM_PTR(g.rw) + rnd_below(&g.rng, SZ_4K));
		break;
	case A_NULL:
		a = rnd_pct(&g.rng, 50) ? 0 : rnd_below(&g.rng, 16 * SZ_4K);
		if (!a)
			a = 8;	/* 0 means "none" for some fields */
		break;
	case A_HIGH:
		/* The last page below 2^47 is never mapped; above is not user. */
		a = rnd_pct(&g.rng, 50) ? (1ull << 47) - rnd_range(&g.rng, 1, SZ_4K) :
		    (1ull << 47) + rnd_below(&g.rng, 1ull << 20);
		break;
	default:
		a = rnd64(&g.rng);
		/* Not the user half: it could hit this process's memory. */
		if (a < (1ull << 47))
			a |= 1ull << 63;
		break;
	}
	if (align > 1 && rnd_pct(&g.rng, 90))
		a &= ~(uint64_t)(align - 1);
	return a;
}

static enum addr_class pick_class(void)
{
	enum addr_class c;

	/* Mostly legitimate, so that commands get to run. */
	if (rnd_pct(&g.rng, 55))
		return rnd_pct(&g.rng, 80) ? A_TARGET : A_TARGET_END;
	do
		c = rnd_below(&g.rng, NR_ADDR_CLASSES);
	while (c == A_NONCANON && g.skip_alias);
	return c;
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

/* Fields each op uses, per its DRM_VSVM_OP_* text: the rest must be 0. */
enum { F_DST = 1, F_SRC = 2, F_SIZE = 4, F_VALUE = 8, F_VALUE2 = 16, F_TIMEOUT = 32 };

static unsigned int op_fields(const struct drm_vsvm_cmd *c)
{
	switch (c->op) {
	case DRM_VSVM_OP_NOP: return 0;
	case DRM_VSVM_OP_FILL: return F_DST | F_SIZE | F_VALUE;
	case DRM_VSVM_OP_COPY: return F_DST | F_SRC | F_SIZE;
	case DRM_VSVM_OP_WRITE_VALUE: return F_DST | F_VALUE;
	case DRM_VSVM_OP_WAIT_VALUE: return F_SRC | F_VALUE | F_VALUE2 | F_TIMEOUT;
	case DRM_VSVM_OP_ATOMIC:
		/* @value2 is CMPXCHG's new value only. */
		return F_DST | F_SRC | F_SIZE | F_VALUE |
		       (((c->flags >> 8) & 0xf) == DRM_VSVM_ATOMIC_CMPXCHG ? F_VALUE2 : 0);
	case DRM_VSVM_OP_POINTER_CHASE: return F_DST | F_SRC | F_SIZE;
	case DRM_VSVM_OP_TIMESTAMP: return F_DST;
	default: return ~0u;
	}
}

static uint32_t op_flags_allowed(uint32_t op)
{
	switch (op) {
	case DRM_VSVM_OP_WRITE_VALUE: return DRM_VSVM_CMD_64BIT;
	case DRM_VSVM_OP_WAIT_VALUE: return DRM_VSVM_CMD_64BIT | DRM_VSVM_CMD_WAIT_OP(0xf);
	case DRM_VSVM_OP_ATOMIC: return DRM_VSVM_CMD_64BIT | DRM_VSVM_CMD_ATOMIC_OP(0xf);
	default: return 0;
	}
}

/*
 * What the header says of a command at EXEC: EXPECT_EINVAL (an unknown op
 * or flag, a non-zero unused field or pad, a documented misalignment),
 * EXPECT_OK, or EXPECT_ANY where it does not say (alignment of ATOMIC,
 * WAIT_VALUE, POINTER_CHASE and TIMESTAMP addresses, 32-bit operands with
 * high bits set, DISPATCH).
 */
static enum expect cmd_expect(const struct drm_vsvm_cmd *c)
{
	const uint64_t f[] = { c->dst, c->src, c->size, c->value, c->value2, c->timeout_ns };
	unsigned int used = op_fields(c), i, width = c->flags & DRM_VSVM_CMD_64BIT ? 8 : 4;
	bool unsure = false;

	if (c->op == DRM_VSVM_OP_DISPATCH)
		return EXPECT_ANY;
	if (c->op > DRM_VSVM_OP_DISPATCH || c->pad ||
	    (c->flags & ~op_flags_allowed(c->op)))
		return EXPECT_EINVAL;
	if (c->op == DRM_VSVM_OP_ATOMIC && ((c->flags >> 8) & 0xf) > DRM_VSVM_ATOMIC_OR)
		return EXPECT_EINVAL;
	if (c->op == DRM_VSVM_OP_WAIT_VALUE && ((c->flags >> 12) & 0xf) > DRM_VSVM_WAIT_LT)
		return EXPECT_EINVAL;
	for (i = 0; i < ARRAY_SIZE(f); i++)
		if (f[i] && !(used & (1u << i)))
			return EXPECT_EINVAL;
	switch (c->op) {
	case DRM_VSVM_OP_FILL:
		if ((c->dst | c->size) & 3)
			return EXPECT_EINVAL;
		/* The header does not say what a range that wraps gives. */
		unsure = c->value >> 32 || c->dst + c->size < c->dst;
		break;
	case DRM_VSVM_OP_COPY:
		unsure = c->dst + c->size < c->dst || c->src + c->size < c->src;
		break;
	case DRM_VSVM_OP_WRITE_VALUE:
		if (c->dst & (width - 1))
			return EXPECT_EINVAL;
		unsure = width == 4 && c->value >> 32;
		break;
	case DRM_VSVM_OP_WAIT_VALUE:
		unsure = c->src & (width - 1);
		break;
	case DRM_VSVM_OP_ATOMIC:
		if (c->size > DRM_VSVM_MAX_COUNT)
			return EXPECT_EINVAL;
		unsure = ((c->dst | c->src) & (width - 1)) ||
			 (width == 4 && (c->value >> 32 || c->value2 >> 32));
		break;
	case DRM_VSVM_OP_POINTER_CHASE:
		if (c->size > DRM_VSVM_MAX_COUNT)
			return EXPECT_EINVAL;
		unsure = (c->dst | c->src) & 7;
		break;
	case DRM_VSVM_OP_TIMESTAMP:
		unsure = c->dst & 7;
		break;
	}
	return unsure ? EXPECT_ANY : EXPECT_OK;
}

/*
 * Bounds that keep a command short. With a job timeout, sometimes none:
 * the caller then gives the submission a short budget (*long_job).
 */
static void bound_runaway(struct drm_vsvm_cmd *c, bool *long_job)
{
	if (g.job_timeout_ns && rnd_pct(&g.rng, 10)) {
		*long_job = true;
		return;
	}
	if (c->op == DRM_VSVM_OP_ATOMIC && c->size > 65536)
		c->size &= 0xffff;
	if (c->op == DRM_VSVM_OP_WAIT_VALUE &&
	    (!c->timeout_ns || c->timeout_ns > 20 * NSEC_PER_MSEC))
		c->timeout_ns = 1 + rnd_below(&g.rng, 20 * NSEC_PER_MSEC);
	if (c->op == DRM_VSVM_OP_POINTER_CHASE && (!c->size || c->size > 4096))
		c->size = 1 + rnd_below(&g.rng, 4096);
}

static uint64_t gen_size(void)
{
	switch (rnd_below(&g.rng, 6)) {
	case 0: return 0;
	case 1: return rnd_range(&g.rng, 1, 16);
	case 2: return rnd_range(&g.rng, 1, SZ_4K);
	case 3: return rnd_range(&g.rng, 1, 2 * TARGET_SIZE);
	case 4: return rnd64(&g.rng) >> rnd_below(&g.rng, 64);
	default: return 4 * rnd_range(&g.rng, 1, 1024);
	}
}

/*
 * A random command: mostly a known op with its own fields (addresses of
 * random classes), sometimes with a wrong flag, field or pad. The classes
 * of its write and read addresses are returned.
 */
static void gen_cmd(struct drm_vsvm_cmd *c, enum addr_class *wc,
		    enum addr_class *rc, bool *long_job)
{
	unsigned int used, width;

	memset(c, 0, sizeof(*c));
	c->op = rnd_pct(&g.rng, 95) ? rnd_below(&g.rng, DRM_VSVM_OP_TIMESTAMP + 1) :
		rnd_pct(&g.rng, 50) ? DRM_VSVM_OP_DISPATCH : (uint32_t)rnd64(&g.rng);
	c->flags = rnd_pct(&g.rng, 90) ? op_flags_allowed(c->op) & rnd64(&g.rng) :
		   (uint32_t)rnd64(&g.rng);
	if (c->op == DRM_VSVM_OP_ATOMIC && rnd_pct(&g.rng, 90))
		c->flags = (c->flags & ~DRM_VSVM_CMD_ATOMIC_OP(0xf)) |
			   DRM_VSVM_CMD_ATOMIC_OP(rnd_below(&g.rng, 8));
	if (c->op == DRM_VSVM_OP_WAIT_VALUE && rnd_pct(&g.rng, 90))
		c->flags = (c->flags & ~DRM_VSVM_CMD_WAIT_OP(0xf)) |
			   DRM_VSVM_CMD_WAIT_OP(rnd_below(&g.rng, 4));
	width = c->flags & DRM_VSVM_CMD_64BIT ? 8 : 4;
	used = op_fields(c);
	*wc = pick_class();
	*rc = pick_class();
	if (used & F_DST)
		c->dst = gen_addr(*wc, c->op == DRM_VSVM_OP_POINTER_CHASE ||
				  c->op == DRM_VSVM_OP_TIMESTAMP ? 8 : width);
	if (used & F_SRC) {
		c->src = gen_addr(*rc, c->op == DRM_VSVM_OP_POINTER_CHASE ? 8 : width);
		/* ATOMIC's src is its result (a write). */
		if (c->op == DRM_VSVM_OP_ATOMIC && rnd_pct(&g.rng, 40))
			c->src = 0;
	}
	if (used & F_SIZE) {
		c->size = gen_size();
		if (c->op == DRM_VSVM_OP_FILL && rnd_pct(&g.rng, 90))
			c->size &= ~3ull;
	}
	if (used & F_VALUE)
		c->value = width == 4 && rnd_pct(&g.rng, 90) ?
			   (uint32_t)rnd64(&g.rng) : rnd64(&g.rng);
	if (used & F_VALUE2)
		c->value2 = rnd_pct(&g.rng, 50) ? 0 : width == 4 ?
			    (uint32_t)rnd64(&g.rng) : rnd64(&g.rng);
	if (used & F_TIMEOUT)
		c->timeout_ns = rnd_below(&g.rng, 20 * NSEC_PER_MSEC);
	/* Half-valid: one field or the pad that must be zero. */
	if (rnd_pct(&g.rng, 8)) {
		__u64 *fields[] = { &c->dst, &c->src, &c->size, &c->value,
				       &c->value2, &c->timeout_ns, &c->pad };

		*fields[rnd_below(&g.rng, ARRAY_SIZE(fields))] = rnd64(&g.rng) | 1;
	}
	bound_runaway(c, long_job);
}

/*
 * A command valid in every field whose every access of one kind is to
 * memory of class @c: -EFAULT is the only documented status when all its
 * accesses fault.
 */
static bool gen_aimed_cmd(struct drm_vsvm_cmd *c, enum addr_class cls)
{
	unsigned int kind = rnd_below(&g.rng, 7);
	bool w64 = rnd_pct(&g.rng, 50);

	memset(c, 0, sizeof(*c));
	switch (kind) {
	case 0:
		c->op = DRM_VSVM_OP_FILL;
		c->dst = gen_addr(cls, 4) & ~3ull;
		c->size = 4 * rnd_range(&g.rng, 1, 64);
		c->value = (uint32_t)rnd64(&g.rng);
		break;
	case 1:
		c->op = DRM_VSVM_OP_WRITE_VALUE;
		c->flags = w64 ? DRM_VSVM_CMD_64BIT : 0;
		c->dst = gen_addr(cls, 8) & ~7ull;
		c->value = (uint32_t)rnd64(&g.rng);
		break;
	case 2:
		c->op = DRM_VSVM_OP_ATOMIC;
		c->flags = (w64 ? DRM_VSVM_CMD_64BIT : 0) |
			   DRM_VSVM_CMD_ATOMIC_OP(rnd_pct(&g.rng, 50) ?
						  DRM_VSVM_ATOMIC_ADD : DRM_VSVM_ATOMIC_XCHG);
		c->dst = gen_addr(cls, 8) & ~7ull;
		c->value = 1;
		c->size = rnd_range(&g.rng, 1, 16);
		break;
	case 3:
		c->op = DRM_VSVM_OP_TIMESTAMP;
		c->dst = gen_addr(cls, 8) & ~7ull;
		break;
	case 4:
		c->op = DRM_VSVM_OP_COPY;
		c->dst = gen_addr(cls, 1);
		c->src = VSVM_PTR(g.target[0]) + rnd_below(&g.rng, SZ_4K);
		c->size = rnd_range(&g.rng, 1, 64);
		break;
	case 5:
		c->op = DRM_VSVM_OP_POINTER_CHASE;
		c->dst = gen_addr(cls, 8) & ~7ull;
		/* A one-node list in a target: the result store faults. */
		memset(g.target[1], 0, 16);
		c->src = VSVM_PTR(g.target[1]);
		break;
	default:
		/* Reads of a class that cannot be read. */
		c->op = DRM_VSVM_OP_COPY;
		c->dst = VSVM_PTR(g.target[0]) + rnd_below(&g.rng, SZ_4K);
		c->src = gen_addr(cls, 1);
		c->size = rnd_range(&g.rng, 1, 64);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* EXEC and WAIT                                                       */

struct done_sub {
	int fd;
	uint32_t channel;
	uint64_t seqno;
	int32_t status;
};

static struct done_sub done_ring[64];
static unsigned int done_next;

static const char *status_name(int32_t st)
{
	static char buf[32];

	if (!st)
		return "0";
	snprintf(buf, sizeof(buf), "-%s", strerrorname_np(-st) ?
		 strerrorname_np(-st) : "?");
	return buf;
}

static void dump_cmds(char *buf, size_t n, const struct drm_vsvm_cmd *c,
		      unsigned int num)
{
	unsigned int i;
	int len = 0;

	buf[0] = 0;
	for (i = 0; i < num && i < 4 && len < (int)n; i++)
		len += snprintf(buf + len, n - len,
				"%scmd[%u] op %u flags %#x dst %#llx src %#llx size %#llx value %#llx value2 %#llx timeout %llu pad %#llx",
				i ? "; " : "", i, c[i].op, c[i].flags, c[i].dst, c[i].src,
				c[i].size, c[i].value, c[i].value2, c[i].timeout_ns,
				c[i].pad);
}

/* Is @st documented for a submission of these commands? */
static bool status_documented(int32_t st, const struct drm_vsvm_cmd *c,
			      unsigned int num)
{
	const struct doc_op *d;
	unsigned int i;

	if (!st || in_list(doc_status_generic, -st))
		return true;
	for (i = 0; i < num; i++) {
		d = doc_op(c[i].op);
		if (d && in_list(d->status, -st))
			return true;
	}
	return false;
}

/* WAIT for a submission that must complete; its status or 1 on error. */
static int wait_done(int fd, uint32_t channel, uint64_t seqno, int32_t *status)
{
	struct drm_vsvm_wait w = {
		.seqno = seqno, .timeout_ns = GPU_TIMEOUT_NS, .channel = channel,
	};
	int ret = raw_ioctl(fd, DRM_IOCTL_VSVM_WAIT, &w);

	if (ret == -ETIME) {
		failf("submission-hang", "submission %" PRIu64 " on channel %u did not complete in %llds",
		      seqno, channel, GPU_TIMEOUT_NS / NSEC_PER_SEC);
		return 1;
	}
	if (ret) {
		failf("WAIT-valid-refused", "WAIT for submission %" PRIu64 " on channel %u: %s",
		      seqno, channel, strerror(-ret));
		return 1;
	}
	*status = w.status;
	done_ring[done_next++ % ARRAY_SIZE(done_ring)] =
		(struct done_sub){ fd, channel, seqno, w.status };
	return 0;
}

static int exec_extra[32];

/* EXEC errors the ops of a submission add (DISPATCH's, say). */
static const int *exec_extras(const struct drm_vsvm_cmd *c, unsigned int num)
{
	const struct doc_op *d;
	unsigned int i, n = 0;
	const int *e;

	for (i = 0; i < num && i < MAX_FUZZ_CMDS; i++) {
		d = doc_op(c[i].op);
		for (e = d ? d->exec : NULL; e && *e && n + 1 < ARRAY_SIZE(exec_extra); e++)
			exec_extra[n++] = *e;
	}
	exec_extra[n] = 0;
	return exec_extra;
}

/*
 * Submit @num commands at @cmds (which may be a bad pointer, then @c is
 * NULL) and, if accepted, wait and check the status. @want_status: the
 * only status the header allows for it, or 1 for "any documented".
 */
static void exec_check(int fd, const struct drm_vsvm_cmd *c, uint64_t cmds,
		       uint32_t num, uint32_t channel, uint32_t flags,
		       uint32_t pad, enum expect expect, int32_t want_status,
		       bool long_job)
{
	struct drm_vsvm_exec ex = {
		.cmds = cmds, .num_cmds = num, .channel = channel,
		.flags = flags, .pad = pad,
	};
	char args[1024], desc[1280];
	int32_t st;
	int ret;

	/* A budget: short for a long job, sometimes for the others. */
	if (g.job_timeout_ns && want_status == 1 && (long_job || rnd_pct(&g.rng, 20)))
		ex.timeout_ns = rnd_range(&g.rng, 1, 100 * NSEC_PER_MSEC);
	dump_cmds(args, sizeof(args), c, c ? num : 0);
	snprintf(desc, sizeof(desc), "EXEC fd %d channel %u num_cmds %u flags %#x pad %#x cmds %#llx: %s",
		 fd, channel, num, flags, pad, (unsigned long long)cmds, args);
	ret = raw_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &ex);
	check_ret("EXEC", DRM_IOCTL_VSVM_EXEC, ret, expect,
		  c ? exec_extras(c, num) : NULL, desc);
	if (ret)
		return;
	g.submissions++;
	if (wait_done(fd, channel, ex.seqno, &st))
		return;
	g.statuses[st == 0 ? 0 : st == -EFAULT ? 1 : st == -EINVAL ? 2 :
		   st == -ETIMEDOUT ? 3 : st == -EPERM ? 4 : 5]++;
	if (!c)
		return;
	if (!status_documented(st, c, num)) {
		char kind[64];

		snprintf(kind, sizeof(kind), "status-undocumented-%s-op%u",
			 status_name(st), c[0].op);
		failf(kind, "submission status %d (%s) is not documented for its ops; %s",
		      st, strerror(-st), desc);
	} else if (want_status != 1 && st != want_status) {
		char kind[64];

		snprintf(kind, sizeof(kind), "status-%s-expected-%s-op%u",
			 status_name(st), want_status ? "fault" : "success", c[0].op);
		failf(kind, "submission status %d (%s), expected %d; %s",
		      st, strerror(-st), want_status, desc);
	}
	check_canaries();
}

/* Random commands on a random VM. */
static void fuzz_exec(void)
{
	struct drm_vsvm_cmd c[MAX_FUZZ_CMDS];
	uint32_t num = rnd_range(&g.rng, 1, MAX_FUZZ_CMDS), channel, flags = 0, pad = 0, i;
	enum expect expect = EXPECT_OK;
	bool hdr_bad, long_job = false;
	enum addr_class wc, rc;
	uint64_t cmds = VSVM_PTR(c);
	int fd = rnd_pct(&g.rng, 15) ? g.win_fd :
		 g.fd2 >= 0 && rnd_pct(&g.rng, 30) ? g.fd2 : g.fd;

	g.what = "EXEC of random commands";
	for (i = 0; i < num; i++) {
		enum expect e;

		gen_cmd(&c[i], &wc, &rc, &long_job);
		e = cmd_expect(&c[i]);
		if (e == EXPECT_EINVAL)
			expect = EXPECT_EINVAL;
		else if (e == EXPECT_ANY && expect == EXPECT_OK)
			expect = EXPECT_ANY;
	}
	channel = rnd_pct(&g.rng, 95) ? rnd_below(&g.rng, g.num_channels) :
		  (uint32_t)rnd64(&g.rng);
	if (rnd_pct(&g.rng, 3))
		flags = rnd64(&g.rng) | 1;
	if (rnd_pct(&g.rng, 3))
		pad = rnd64(&g.rng) | 1;
	hdr_bad = channel >= g.num_channels || flags || pad;
	if (hdr_bad)
		expect = EXPECT_EINVAL;
	switch (rnd_below(&g.rng, 40)) {
	case 0:
		num = 0;
		expect = EXPECT_EINVAL;
		break;
	case 1:
		/* Too many: -EINVAL, or -EFAULT reading past the array. */
		num = g.max_cmds + 1 + rnd_below(&g.rng, 3);
		expect = EXPECT_ANY;
		break;
	case 2:
		/* An unreadable command array. */
		cmds = gen_addr(rnd_pct(&g.rng, 50) ? A_KERNEL : A_HOLE, 8);
		exec_check(fd, NULL, cmds, num, channel, flags, pad,
			   hdr_bad ? EXPECT_ANY : EXPECT_EFAULT, 1, false);
		return;
	}
	exec_check(fd, c, cmds, num, channel, flags, pad, expect, 1, long_job);
}

/* One valid command aimed at memory the GPU may not touch. */
static void fuzz_aimed(void)
{
	static const enum addr_class bad[] = {
		A_HOLE, A_RO, A_NONE, A_KERNEL, A_NONCANON, A_NULL, A_HIGH,
	};
	enum addr_class cls = bad[rnd_below(&g.rng, ARRAY_SIZE(bad))];
	struct drm_vsvm_cmd c;
	bool write;

	if (cls == A_NONCANON && g.skip_alias)
		return;
	write = gen_aimed_cmd(&c, cls);

	g.what = addr_class_name[cls];
	if (!class_all_faults(cls, write))
		return;
	exec_check(rnd_pct(&g.rng, 30) && g.fd2 >= 0 ? g.fd2 : g.fd, &c,
		   VSVM_PTR(&c), 1, rnd_below(&g.rng, g.num_channels), 0, 0,
		   EXPECT_OK, -EFAULT, false);
}

/*
 * The VM whose window is target 0: a command on anything else (mapped
 * memory included) must fault and change nothing.
 */
static void fuzz_window(void)
{
	struct drm_vsvm_cmd c = { .op = DRM_VSVM_OP_FILL, .size = 4 * rnd_range(&g.rng, 1, 32) };

	g.what = "command outside the VM window";
	switch (rnd_below(&g.rng, 3)) {
	case 0: c.dst = VSVM_PTR(g.rw) + 4 * rnd_below(&g.rng, 64); break;
	case 1: c.dst = VSVM_PTR(g.target[1]) + 4 * rnd_below(&g.rng, 64); break;
	default:
		/* Starts inside, runs out of the window into the hole. */
		c.dst = VSVM_PTR(g.target[0]) + TARGET_SIZE - 4;
		c.size = 8;
		break;
	}
	c.value = 0xfee1dead;
	if (c.dst >= VSVM_PTR(g.target[1]) && c.dst < VSVM_PTR(g.target[1]) + TARGET_SIZE) {
		uint8_t before[128];

		memcpy(before, (void *)(uintptr_t)c.dst, c.size);
		exec_check(g.win_fd, &c, VSVM_PTR(&c), 1, 0, 0, 0, EXPECT_OK, -EFAULT, false);
		if (memcmp(before, (void *)(uintptr_t)c.dst, c.size))
			failf("window-escape", "a FILL at %#llx from the VM whose window is [%p, +%#lx) wrote memory outside it",
			      c.dst, (void *)g.target[0], TARGET_SIZE);
		return;
	}
	exec_check(g.win_fd, &c, VSVM_PTR(&c), 1, 0, 0, 0, EXPECT_OK, -EFAULT, false);
}

/*
 * Undo what fuzz_advise() may have set on the main VM over the targets
 * and canaries: GPU access as the CPU's, atomics device-exclusive.
 */
static void reset_attrs(void)
{
	const uint64_t regions[][2] = {
		{ VSVM_PTR(g.target[0]), TARGET_SIZE }, { VSVM_PTR(g.target[1]), TARGET_SIZE },
		{ VSVM_PTR(g.rw), SZ_4K }, { VSVM_PTR(g.ro), SZ_4K },
	};
	const uint32_t attrs[][2] = {
		{ DRM_VSVM_ATTR_ACCESS, DRM_VSVM_GPU_ACCESS_RW },
		{ DRM_VSVM_ATTR_ATOMIC, DRM_VSVM_ATOMIC_POLICY_EXCLUSIVE },
	};
	size_t i, j;

	g.what = "ADVISE back to the defaults";
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		for (j = 0; j < ARRAY_SIZE(attrs); j++) {
			struct drm_vsvm_advise a = {
				.start = regions[i][0], .size = regions[i][1],
				.attr = attrs[j][0], .value = attrs[j][1],
			};

			check_ret("ADVISE", DRM_IOCTL_VSVM_ADVISE,
				  raw_ioctl(g.fd, DRM_IOCTL_VSVM_ADVISE, &a),
				  EXPECT_OK, NULL, "a default over a target or canary");
		}
	}
}

/*
 * Keep the canaries GPU-mapped, so that aliases of their addresses would
 * hit them: the read-only one read, the read-write one written with its
 * own pattern (a FILL of the value it is made of).
 */
static void touch_canaries(void)
{
	struct drm_vsvm_cmd c[2] = {
		{ .op = DRM_VSVM_OP_FILL, .dst = VSVM_PTR(g.rw),
		  .size = SZ_4K, .value = g.rw_value },
		{ .op = DRM_VSVM_OP_COPY, .dst = VSVM_PTR(g.target[1]),
		  .src = VSVM_PTR(g.ro), .size = SZ_4K },
	};
	int fds[2] = { g.fd, g.fd2 }, i;

	reset_attrs();
	g.what = "GPU read of the canaries";
	for (i = 0; i < 2; i++)
		if (fds[i] >= 0)
			exec_check(fds[i], c, VSVM_PTR(c), 2, 0, 0, 0, EXPECT_OK, 0, false);
}

static void fuzz_wait(void)
{
	struct drm_vsvm_wait w = { 0 };
	struct done_sub *d = NULL;
	enum expect expect = EXPECT_ANY;
	char args[256];
	int ret, fd = g.fd;

	g.what = "WAIT";
	w.channel = rnd_below(&g.rng, g.num_channels);
	switch (rnd_below(&g.rng, 5)) {
	case 0:
		w.seqno = 0;
		expect = EXPECT_EINVAL;
		break;
	case 1:
		w.seqno = rnd64(&g.rng) | (1ull << 62);	/* not yet submitted */
		expect = EXPECT_EINVAL;
		break;
	default:
		if (!done_next)
			return;
		d = &done_ring[rnd_below(&g.rng, done_next < ARRAY_SIZE(done_ring) ?
					 done_next : ARRAY_SIZE(done_ring))];
		fd = d->fd;
		w.channel = d->channel;
		w.seqno = d->seqno;
		break;
	}
	w.timeout_ns = rnd_pct(&g.rng, 50) ? -1 : (int64_t)rnd_below(&g.rng, NSEC_PER_MSEC);
	if (rnd_pct(&g.rng, 10)) {
		w.flags = rnd64(&g.rng) | 1;
		expect = EXPECT_EINVAL;
	} else if (rnd_pct(&g.rng, 10)) {
		w.pad = rnd64(&g.rng) | 1;
		expect = EXPECT_EINVAL;
	} else if (rnd_pct(&g.rng, 5)) {
		w.channel = g.num_channels + rnd_below(&g.rng, 1000);
		expect = EXPECT_EINVAL;
	}
	if (expect == EXPECT_EINVAL && w.timeout_ns < 0)
		w.timeout_ns = 0;	/* never wait long for a bad one */
	snprintf(args, sizeof(args), "seqno %llu channel %u timeout %lld flags %#x pad %#x",
		 w.seqno, w.channel, w.timeout_ns, w.flags, w.pad);
	ret = raw_ioctl(fd, DRM_IOCTL_VSVM_WAIT, &w);
	/* A completed one: 0 with the same status, or -ENODATA when old. */
	if (d && expect == EXPECT_ANY) {
		if (ret == -ENODATA)
			return;
		expect = EXPECT_OK;
		if (!ret && w.status != d->status)
			failf("WAIT-status-changed", "WAIT again for seqno %llu channel %u: status %d, it was %d",
			      w.seqno, w.channel, w.status, d->status);
	}
	check_ret("WAIT", DRM_IOCTL_VSVM_WAIT, ret, expect, NULL, args);
}

/* ------------------------------------------------------------------ */
/* The other ioctls                                                    */

static void fuzz_get_param(void)
{
	struct drm_vsvm_get_param p = { 0 };
	enum expect expect;
	char args[96];
	int ret;

	g.what = "GET_PARAM";
	p.param = rnd_pct(&g.rng, 70) ? rnd_below(&g.rng, 20) : (uint32_t)rnd64(&g.rng);
	if (rnd_pct(&g.rng, 10))
		p.pad = rnd64(&g.rng) | 1;
	/* Params 0..DRM_VSVM_PARAM_MAX_INFLIGHT are documented. */
	expect = p.pad || p.param > DRM_VSVM_PARAM_MAX_INFLIGHT ? EXPECT_EINVAL : EXPECT_OK;
	snprintf(args, sizeof(args), "param %u pad %#x", p.param, p.pad);
	ret = raw_ioctl(g.fd, DRM_IOCTL_VSVM_GET_PARAM, &p);
	if (expect == EXPECT_OK && ret == -EINVAL) {
		/* The header is ahead of the kernel: counted, not failed. */
		g.pending_params |= 1ull << p.param;
		return;
	}
	check_ret("GET_PARAM", DRM_IOCTL_VSVM_GET_PARAM, ret, expect, NULL, args);
}

static void fuzz_vm_init(void)
{
	struct drm_vsvm_vm_init v = { 0 };
	uint64_t top = 1ull << g.va_bits;
	bool valid;
	char args[128];
	int fd, ret;

	g.what = "VM_INIT";
	v.start = rnd_pct(&g.rng, 50) ? 0 : rnd_pct(&g.rng, 80) ?
		  rnd_below(&g.rng, top) & ~(SZ_4K - 1) : rnd64(&g.rng);
	v.size = rnd_pct(&g.rng, 30) ? top - v.start : rnd_pct(&g.rng, 80) ?
		 (rnd64(&g.rng) >> rnd_below(&g.rng, 64)) & ~(SZ_4K - 1) : rnd64(&g.rng);
	if (rnd_pct(&g.rng, 10))
		v.flags = rnd64(&g.rng) | 1;
	if (rnd_pct(&g.rng, 10))
		v.pad = rnd64(&g.rng) | 1;
	valid = !v.flags && !v.pad && v.size && !(v.start & (SZ_4K - 1)) &&
		!(v.size & (SZ_4K - 1)) && v.start + v.size > v.start &&
		v.start + v.size <= top;
	snprintf(args, sizeof(args), "start %#llx size %#llx flags %#x pad %#x",
		 v.start, v.size, v.flags, v.pad);
	/* The main VM exists already: -EBUSY, or -EINVAL for bad arguments. */
	if (rnd_pct(&g.rng, 30)) {
		ret = raw_ioctl(g.fd, DRM_IOCTL_VSVM_VM_INIT, &v);
		if (ret != -EBUSY && (valid || ret != -EINVAL))
			failf("VM_INIT-again-not-EBUSY", "VM_INIT on a file with a VM: %d (%s); %s",
			      ret, strerror(-ret), args);
		return;
	}
	fd = drmOpenWithType("vsvm", NULL, DRM_NODE_RENDER);
	if (fd < 0) {
		failf("open", "opening a render node: %s", strerror(errno));
		return;
	}
	ret = raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &v);
	check_ret("VM_INIT", DRM_IOCTL_VSVM_VM_INIT, ret,
		  valid ? EXPECT_OK : EXPECT_EINVAL, NULL, args);
	if (!ret) {
		ret = raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &v);
		if (ret != -EBUSY)
			failf("VM_INIT-again-not-EBUSY", "second VM_INIT: %d (%s); %s",
			      ret, strerror(-ret), args);
	}
	close(fd);
}

/* A fresh file without a VM: the VM ioctls give -EINVAL, STATS works. */
static void fuzz_no_vm(void)
{
	struct drm_vsvm_cmd c = { .op = DRM_VSVM_OP_NOP };
	struct drm_vsvm_exec ex = { .cmds = VSVM_PTR(&c), .num_cmds = 1 };
	struct drm_vsvm_wait w = { .seqno = 1 };
	struct drm_vsvm_fault_info fi = { 0 };
	struct drm_vsvm_advise ad = { .start = VSVM_PTR(g.target[0]), .size = SZ_4K };
	struct drm_vsvm_prefetch pf = { .start = VSVM_PTR(g.target[0]), .size = SZ_4K,
					.loc = DRM_VSVM_LOC_SYSTEM };
	struct drm_vsvm_stats st = { 0 };
	int fd = drmOpenWithType("vsvm", NULL, DRM_NODE_RENDER);

	g.what = "ioctls without a VM";
	if (fd < 0) {
		failf("open", "opening a render node: %s", strerror(errno));
		return;
	}
	check_ret("EXEC", DRM_IOCTL_VSVM_EXEC, raw_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &ex),
		  EXPECT_EINVAL, NULL, "no VM");
	check_ret("WAIT", DRM_IOCTL_VSVM_WAIT, raw_ioctl(fd, DRM_IOCTL_VSVM_WAIT, &w),
		  EXPECT_EINVAL, NULL, "no VM");
	check_ret("FAULT_INFO", DRM_IOCTL_VSVM_FAULT_INFO,
		  raw_ioctl(fd, DRM_IOCTL_VSVM_FAULT_INFO, &fi), EXPECT_EINVAL, NULL, "no VM");
	check_ret("ADVISE", DRM_IOCTL_VSVM_ADVISE, raw_ioctl(fd, DRM_IOCTL_VSVM_ADVISE, &ad),
		  EXPECT_EINVAL, NULL, "no VM");
	check_ret("PREFETCH", DRM_IOCTL_VSVM_PREFETCH,
		  raw_ioctl(fd, DRM_IOCTL_VSVM_PREFETCH, &pf), EXPECT_EINVAL, NULL, "no VM");
	check_ret("STATS", DRM_IOCTL_VSVM_STATS, raw_ioctl(fd, DRM_IOCTL_VSVM_STATS, &st),
		  EXPECT_OK, NULL, "no VM");
	close(fd);
}

static void fuzz_fault_info(void)
{
	struct drm_vsvm_fault_info fi = { 0 };
	enum expect expect = EXPECT_ANY;
	char args[64];

	g.what = "FAULT_INFO";
	if (rnd_pct(&g.rng, 20)) {
		fi.flags = rnd64(&g.rng) | 1;
		expect = EXPECT_EINVAL;
	} else if (rnd_pct(&g.rng, 20)) {
		fi.pad = rnd64(&g.rng) | 1;
		expect = EXPECT_EINVAL;
	}
	snprintf(args, sizeof(args), "flags %#x pad %#x", fi.flags, fi.pad);
	check_ret("FAULT_INFO", DRM_IOCTL_VSVM_FAULT_INFO,
		  raw_ioctl(rnd_pct(&g.rng, 50) ? g.fd : g.win_fd,
			    DRM_IOCTL_VSVM_FAULT_INFO, &fi), expect, NULL, args);
}

static void fuzz_stats(void)
{
	struct drm_vsvm_stats s;
	enum expect expect = EXPECT_OK;
	char args[64];
	size_t i;
	int ret;

	g.what = "STATS";
	memset(&s, 0, sizeof(s));
	if (rnd_pct(&g.rng, 20)) {
		s.flags = rnd64(&g.rng) | 1;
		expect = EXPECT_EINVAL;
	} else if (rnd_pct(&g.rng, 20)) {
		s.pad = rnd64(&g.rng) | 1;
		expect = EXPECT_EINVAL;
	} else if (rnd_pct(&g.rng, 20)) {
		/* Out fields hold garbage on the way in: ignored. */
		rnd_bytes(&g.rng, &s.gpu_faults, sizeof(s) - 8);
	}
	snprintf(args, sizeof(args), "flags %#x pad %#x", s.flags, s.pad);
	ret = raw_ioctl(g.fd, DRM_IOCTL_VSVM_STATS, &s);
	check_ret("STATS", DRM_IOCTL_VSVM_STATS, ret, expect, NULL, args);
	for (i = 0; !ret && i < ARRAY_SIZE(s.reserved); i++)
		if (s.reserved[i])
			failf("STATS-reserved", "STATS reserved[%zu] = %#llx, documented zero",
			      i, s.reserved[i]);
}

/* Start and size of a random interval for ADVISE and PREFETCH. */
static void gen_interval(__u64 *start, __u64 *size, bool *aligned)
{
	enum addr_class c = pick_class();

	*start = gen_addr(c, SZ_4K);
	*size = rnd_pct(&g.rng, 70) ? SZ_4K * rnd_range(&g.rng, 1, 20) : gen_size();
	if (c == A_TARGET && rnd_pct(&g.rng, 50)) {
		*start = VSVM_PTR(g.target[rnd_below(&g.rng, 2)]);
		*size = TARGET_SIZE;
	}
	*aligned = !(*start & (SZ_4K - 1)) && !(*size & (SZ_4K - 1));
}

/* Is [start, start + size) inside the window of g.win_fd? */
static bool in_window(uint64_t start, uint64_t size)
{
	return start >= VSVM_PTR(g.target[0]) && start + size >= start &&
	       start + size <= VSVM_PTR(g.target[0]) + TARGET_SIZE;
}

/* The values the header defines for each attribute. */
static bool advise_value_ok(uint32_t attr, uint64_t v)
{
	switch (attr) {
	case DRM_VSVM_ATTR_PREFERRED_LOC:
		return v <= DRM_VSVM_LOC_DEVICE ||
		       (v >= DRM_VSVM_LOC_DEVICE_N(0) && v < DRM_VSVM_LOC_DEVICE_N(g.ndev));
	case DRM_VSVM_ATTR_MIGRATE:
		return v <= DRM_VSVM_MIGRATE_NEVER;
	case DRM_VSVM_ATTR_ACCESS:
		return v <= DRM_VSVM_GPU_ACCESS_NONE;
	case DRM_VSVM_ATTR_GRANULARITY:
		return !v || (v >= 12 && v <= 30);
	case DRM_VSVM_ATTR_ATOMIC:
		return v <= DRM_VSVM_ATOMIC_POLICY_REFUSE;
	default:
		return false;
	}
}

static void fuzz_advise(void)
{
	struct drm_vsvm_advise a = { 0 };
	enum expect expect = EXPECT_ANY;
	bool aligned, get;
	char args[160];
	int fd = rnd_pct(&g.rng, 20) ? g.win_fd : g.fd;

	g.what = "ADVISE";
	gen_interval(&a.start, &a.size, &aligned);
	a.attr = rnd_pct(&g.rng, 90) ? rnd_below(&g.rng, DRM_VSVM_ATTR_ATOMIC + 1) :
		 (uint32_t)rnd64(&g.rng);
	a.flags = rnd_pct(&g.rng, 30) ? DRM_VSVM_ADVISE_GET :
		  rnd_pct(&g.rng, 90) ? 0 : (uint32_t)rnd64(&g.rng);
	get = a.flags == DRM_VSVM_ADVISE_GET;
	switch (a.attr) {
	case DRM_VSVM_ATTR_PREFERRED_LOC:
		a.value = rnd_pct(&g.rng, 80) ? rnd_below(&g.rng, 3) :
			  rnd_pct(&g.rng, 50) ? DRM_VSVM_LOC_DEVICE_N(rnd_below(&g.rng, 5)) :
			  rnd64(&g.rng);
		break;
	case DRM_VSVM_ATTR_GRANULARITY:
		a.value = rnd_pct(&g.rng, 80) ? (rnd_pct(&g.rng, 50) ? 0 : rnd_range(&g.rng, 12, 30)) :
			  rnd_below(&g.rng, 70);
		break;
	default:
		a.value = rnd_pct(&g.rng, 80) ? rnd_below(&g.rng, 4) : rnd64(&g.rng);
		break;
	}
	if (a.flags & ~DRM_VSVM_ADVISE_GET || (a.attr > DRM_VSVM_ATTR_ATOMIC) ||
	    !aligned || (!get && (!a.size || !advise_value_ok(a.attr, a.value))) ||
	    (!get && fd == g.win_fd && !in_window(a.start, a.size)))
		expect = EXPECT_EINVAL;
	snprintf(args, sizeof(args), "start %#llx size %#llx attr %u flags %#x value %#llx",
		 a.start, a.size, a.attr, a.flags, a.value);
	check_ret("ADVISE", DRM_IOCTL_VSVM_ADVISE,
		  raw_ioctl(fd, DRM_IOCTL_VSVM_ADVISE, &a), expect, NULL, args);
}

static void fuzz_prefetch(void)
{
	struct drm_vsvm_prefetch p = { 0 };
	enum expect expect = EXPECT_ANY;
	bool aligned;
	char args[160];
	int fd = rnd_pct(&g.rng, 20) ? g.win_fd : g.fd;
	int ret;

	g.what = "PREFETCH";
	gen_interval(&p.start, &p.size, &aligned);
	p.loc = rnd_pct(&g.rng, 80) ? rnd_below(&g.rng, 4) :
		rnd_pct(&g.rng, 50) ? DRM_VSVM_LOC_DEVICE_N(rnd_below(&g.rng, 5)) :
		(uint32_t)rnd64(&g.rng);
	if (rnd_pct(&g.rng, 5))
		p.flags = rnd64(&g.rng) | 1;
	if (rnd_pct(&g.rng, 10))
		p.migrated = rnd64(&g.rng);	/* out: ignored on the way in */
	/* Both VMs are on device 0: DEVICE_N(0) is this device. */
	if (p.flags || !aligned || !p.size ||
	    (p.loc != DRM_VSVM_LOC_SYSTEM && p.loc != DRM_VSVM_LOC_DEVICE &&
	     p.loc != DRM_VSVM_LOC_DEVICE_N(0)) ||
	    (fd == g.win_fd && !in_window(p.start, p.size)))
		expect = EXPECT_EINVAL;
	snprintf(args, sizeof(args), "start %#llx size %#llx loc %#x flags %#x",
		 p.start, p.size, p.loc, p.flags);
	ret = raw_ioctl(fd, DRM_IOCTL_VSVM_PREFETCH, &p);
	check_ret("PREFETCH", DRM_IOCTL_VSVM_PREFETCH, ret, expect, NULL, args);
	if ((!ret || ret == -EINTR) && p.migrated > p.size / SZ_4K)
		failf("PREFETCH-migrated", "PREFETCH moved %llu pages of a %llu-page interval; %s",
		      p.migrated, p.size / SZ_4K, args);
	/* Migration must not change the contents of the canaries. */
	check_canaries();
}

static void fuzz_program(void)
{
	uint8_t image[256];
	char args[128];

	g.what = "PROGRAM_CREATE/DESTROY";
	if (rnd_pct(&g.rng, 50)) {
		struct drm_vsvm_program_create pc = { 0 };
		struct drm_vsvm_program_header *h = (void *)image;
		enum expect expect = EXPECT_ANY;
		int ret;

		rnd_bytes(&g.rng, image, sizeof(image));
		if (rnd_pct(&g.rng, 50)) {
			h->magic = DRM_VSVM_PROGRAM_MAGIC;
			h->version = DRM_VSVM_PROGRAM_VERSION;
		}
		pc.image = rnd_pct(&g.rng, 80) ? VSVM_PTR(image) : gen_addr(pick_class(), 1);
		pc.size = rnd_pct(&g.rng, 80) ? rnd_below(&g.rng, sizeof(image) + 1) : rnd64(&g.rng);
		if (rnd_pct(&g.rng, 10))
			pc.flags = rnd64(&g.rng) | 1;
		if (pc.flags || !pc.size)
			expect = EXPECT_EINVAL;
		snprintf(args, sizeof(args), "image %#llx size %#llx flags %#x",
			 pc.image, pc.size, pc.flags);
		ret = raw_ioctl(g.fd, DRM_IOCTL_VSVM_PROGRAM_CREATE, &pc);
		/* Without a shader core the header promises -ENODEV at most. */
		check_ret("PROGRAM_CREATE", DRM_IOCTL_VSVM_PROGRAM_CREATE, ret,
			  expect, NULL, args);
		if (!ret) {
			struct drm_vsvm_program_destroy pd = { .handle = pc.handle };

			check_ret("PROGRAM_DESTROY", DRM_IOCTL_VSVM_PROGRAM_DESTROY,
				  raw_ioctl(g.fd, DRM_IOCTL_VSVM_PROGRAM_DESTROY, &pd),
				  EXPECT_OK, NULL, "a handle just created");
		}
	} else {
		struct drm_vsvm_program_destroy pd = {
			.handle = (uint32_t)rnd64(&g.rng),
			.pad = rnd_pct(&g.rng, 20) ? (uint32_t)rnd64(&g.rng) | 1 : 0,
		};

		snprintf(args, sizeof(args), "handle %u pad %#x", pd.handle, pd.pad);
		check_ret("PROGRAM_DESTROY", DRM_IOCTL_VSVM_PROGRAM_DESTROY,
			  raw_ioctl(g.fd, DRM_IOCTL_VSVM_PROGRAM_DESTROY, &pd),
			  EXPECT_ANY, NULL, args);
	}
}

/* ------------------------------------------------------------------ */
/* Lying sizes and unknown numbers                                     */

/*
 * A driver ioctl number with a random size and direction (the DRM core
 * copies min(size, struct) in and out), on a buffer with a valid-looking
 * structure and canary bytes after it: the kernel must write nothing past
 * the size, nothing at all without _IOC_READ, and give a documented errno.
 */
static bool nr_documented(unsigned int nr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(doc_ioctl_nrs); i++)
		if (nr == DRM_COMMAND_BASE + doc_ioctl_nrs[i])
			return true;
	return false;
}

static void fuzz_lying_size(void)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	unsigned int nr, size, dir, i;
	const struct doc_ioctl *d = NULL;
	uint8_t buf[512], before[512];
	unsigned long req;
	bool known = rnd_pct(&g.rng, 75);
	char args[128];
	int ret;

	g.what = "lying ioctl size";
	if (known) {
		d = &doc_ioctls[rnd_below(&g.rng, ARRAY_SIZE(doc_ioctls))];
		nr = _IOC_NR(d->req);
	} else {
		do
			nr = DRM_COMMAND_BASE + rnd_below(&g.rng, DRM_COMMAND_END - DRM_COMMAND_BASE);
		while (nr_documented(nr));
	}
	size = rnd_pct(&g.rng, 50) && d ? _IOC_SIZE(d->req) + rnd_range(&g.rng, 0, 64) -
		rnd_range(&g.rng, 0, _IOC_SIZE(d->req)) : rnd_below(&g.rng, 300);
	dir = dirs[rnd_below(&g.rng, ARRAY_SIZE(dirs))];
	req = _IOC(dir, DRM_IOCTL_BASE, nr, size);
	rnd_bytes(&g.rng, buf, sizeof(buf));
	/* Mostly zeros in the struct, so that the ioctl can get far. */
	if (rnd_pct(&g.rng, 70))
		memset(buf, 0, size < sizeof(buf) ? size : sizeof(buf));
	if (d && d->req == DRM_IOCTL_VSVM_EXEC) {
		struct drm_vsvm_cmd *c = (void *)(buf + 256);
		struct drm_vsvm_exec *ex = (void *)buf;

		memset(c, 0, sizeof(*c));	/* a NOP */
		ex->cmds = VSVM_PTR(c);
		ex->num_cmds = 1;
	} else if (d && d->req == DRM_IOCTL_VSVM_WAIT) {
		/* Never wait: timeout 0, or a seqno never submitted. */
		((struct drm_vsvm_wait *)buf)->timeout_ns = 0;
	} else if (d && d->req == DRM_IOCTL_VSVM_PROGRAM_CREATE) {
		((struct drm_vsvm_program_create *)buf)->image = VSVM_PTR(buf + 256);
	}
	memcpy(before, buf, sizeof(buf));
	snprintf(args, sizeof(args), "nr %#x (%s) size %u dir %u", nr,
		 d ? d->name : "unknown", size, dir);
	ret = raw_ioctl(g.fd, req, buf);
	if (d) {
		check_ret(d->name, d->req, ret, EXPECT_ANY, NULL, args);
	} else if (ret != -EINVAL && ret != -ENOTTY) {
		failf("unknown-ioctl", "an unknown driver ioctl gave %d (%s), expected -EINVAL or -ENOTTY; %s",
		      ret, ret ? strerror(-ret) : "success", args);
	}
	for (i = (dir & _IOC_READ) ? size : 0; i < sizeof(buf); i++) {
		if (buf[i] != before[i]) {
			failf("ioctl-wrote-past-size", "the kernel wrote byte %u of the argument, past what %s allows; %s",
			      i, dir & _IOC_READ ? "the encoded size" : "a direction without _IOC_READ",
			      args);
			break;
		}
	}
	/* A lying WAIT may leave a NOP queued: completed by later waits. */
}

/* ------------------------------------------------------------------ */
/* fork: the child may not use the parent's VM                         */

static void fork_check(void)
{
	pid_t pid;
	int status;

	g.what = "fork";
	pid = fork();
	if (pid < 0) {
		failf("fork", "fork: %s", strerror(errno));
		return;
	}
	if (!pid) {
		struct drm_vsvm_cmd c = { .op = DRM_VSVM_OP_NOP };
		struct drm_vsvm_exec ex = { .cmds = VSVM_PTR(&c), .num_cmds = 1 };
		struct drm_vsvm_advise a = { .start = VSVM_PTR(g.target[0]), .size = SZ_4K };
		struct drm_vsvm_prefetch p = { .start = VSVM_PTR(g.target[0]), .size = SZ_4K,
					       .loc = DRM_VSVM_LOC_SYSTEM };
		int e1 = raw_ioctl(g.fd, DRM_IOCTL_VSVM_EXEC, &ex);
		int e2 = raw_ioctl(g.fd, DRM_IOCTL_VSVM_ADVISE, &a);
		int e3 = raw_ioctl(g.fd, DRM_IOCTL_VSVM_PREFETCH, &p);

		if (e1 != -EPERM || e2 != -EPERM || e3 != -EPERM) {
			fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " [fork-not-EPERM] a child using the parent's VM: EXEC %d, ADVISE %d, PREFETCH %d, expected -EPERM each\n",
				g.seed, e1, e2, e3);
			_exit(1);
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		failf("fork-not-EPERM", "the child failed (status %#x, see above)", status);
}

/* ------------------------------------------------------------------ */
/* Runaway jobs: only with a job timeout                               */

static int open_vm(unsigned int idx, uint64_t start, uint64_t size);

/*
 * close() of a VM running a runaway job: must return within about a
 * second of the running slice (issue #9 §1), here 3 s for TCG.
 */
static void runaway_close(const struct drm_vsvm_cmd *c)
{
	struct drm_vsvm_exec ex = { .cmds = VSVM_PTR(c), .num_cmds = 1 };
	int fd = open_vm(0, 0, 1ull << 47);
	uint64_t t0, ns;

	if (fd < 0) {
		failf("open", "a second VM on device 0: %s", strerror(errno));
		return;
	}
	if (raw_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &ex)) {
		failf("runaway-exec", "EXEC of a runaway op %u: %s", c->op, strerror(errno));
		close(fd);
		return;
	}
	t0 = now_ns();
	close(fd);
	ns = now_ns() - t0;
	if (ns > 3 * NSEC_PER_SEC)
		failf("runaway-close-slow", "close() with a runaway op %u running took %.2f s (expected about 1 s at most)",
		      c->op, ns / 1e9);
}

static void fuzz_runaway(void)
{
	struct drm_vsvm_cmd c = { 0 };
	struct drm_vsvm_exec ex = { .cmds = VSVM_PTR(&c), .num_cmds = 1 };
	struct drm_vsvm_cmd next = {
		.op = DRM_VSVM_OP_WRITE_VALUE, .dst = VSVM_PTR(g.target[0]) + 64,
		.value = 1,
	};
	int32_t st;

	reset_attrs();
	g.what = "runaway job";
	switch (rnd_below(&g.rng, 3)) {
	case 0:
		c.op = DRM_VSVM_OP_ATOMIC;
		c.dst = VSVM_PTR(g.target[0]);
		c.size = DRM_VSVM_MAX_COUNT;
		break;
	case 1:
		c.op = DRM_VSVM_OP_WAIT_VALUE;
		c.src = VSVM_PTR(g.target[0]);
		c.value = ~*(uint32_t *)g.target[0];
		c.timeout_ns = ~0ull;
		break;
	default:
		/* A self-loop node: at most 2^20 visits, then the budget. */
		c.op = DRM_VSVM_OP_POINTER_CHASE;
		*(uint64_t *)g.target[1] = VSVM_PTR(g.target[1]);
		c.src = VSVM_PTR(g.target[1]);
		c.dst = VSVM_PTR(g.target[0]);
		c.size = DRM_VSVM_MAX_COUNT;
		break;
	}
	if (rnd_pct(&g.rng, 25)) {
		runaway_close(&c);
		return;
	}
	ex.timeout_ns = rnd_range(&g.rng, 1, 50 * NSEC_PER_MSEC);
	if (raw_ioctl(g.fd, DRM_IOCTL_VSVM_EXEC, &ex)) {
		failf("runaway-exec", "EXEC of a runaway op %u: %s", c.op, strerror(errno));
		return;
	}
	if (!wait_done(g.fd, 0, ex.seqno, &st) && st != -ETIMEDOUT)
		failf("runaway-not-ETIMEDOUT", "runaway op %u with a %llu ns budget: status %d, expected -ETIMEDOUT",
		      c.op, ex.timeout_ns, st);
	/* The channel goes on. */
	g.what = "the submission after a runaway job";
	exec_check(g.fd, &next, VSVM_PTR(&next), 1, 0, 0, 0, EXPECT_OK, 0, false);
}

/* ------------------------------------------------------------------ */
/* Main                                                                */

static void print_table(void)
{
	const int *e;
	size_t i;

	printf("errnos any ioctl may give:");
	for (e = doc_generic_errnos; *e; e++)
		printf(" -%s", strerrorname_np(*e));
	printf("\n");
	for (i = 0; i < ARRAY_SIZE(doc_ioctls); i++) {
		printf("%-16s", doc_ioctls[i].name);
		for (e = doc_ioctls[i].errnos; *e; e++)
			printf(" -%s", strerrorname_np(*e));
		printf("\n");
	}
	printf("statuses of any command:");
	for (e = doc_status_generic; *e; e++)
		printf(" -%s", strerrorname_np(*e));
	printf("\n");
	for (i = 0; i < ARRAY_SIZE(doc_ops); i++) {
		printf("op %-14s status", doc_ops[i].name);
		for (e = doc_ops[i].status; *e; e++)
			printf(" -%s", strerrorname_np(*e));
		printf("; EXEC");
		for (e = doc_ops[i].exec; *e; e++)
			printf(" -%s", strerrorname_np(*e));
		printf("\n");
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--seed N] [--duration SECS] [--verbose] [--table]\n"
		"                 [--known-bug va-alias]\n"
		"\n"
		"uAPI fuzzer of the vsvm devices: random and half-valid ioctls and\n"
		"commands; every errno and submission status must be one vsvm_drm.h\n"
		"documents, and no canary page may change.\n"
		"\n"
		"  --seed N         seed (default: from the clock; printed at the start and\n"
		"                   with every failure)\n"
		"  --duration SECS  how long (default 45, or $VSVM_FUZZ_DURATION)\n"
		"  --verbose        print progress\n"
		"  --table          print the documented errnos (from vsvm_drm.h) and exit\n"
		"  --known-bug va-alias\n"
		"                   send no non-canonical addresses: issue #9 §2, the GPU\n"
		"                   page table drops address bits 48-63, so such an address\n"
		"                   reaches the user page it aliases instead of faulting\n"
		"\n"
		"Exit status: 0 pass, 1 fail, 2 usage error, 77 no vsvm device.\n");
}

static void parse_args(int argc, char **argv)
{
	bool seeded = false;
	int i;

	g.duration = env_secs(PROG, "VSVM_FUZZ_DURATION", 45);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(argv[i], "--table")) {
			print_table();
			exit(0);
		} else if (!strcmp(argv[i], "--verbose")) {
			g.verbose = true;
		} else if (!strcmp(argv[i], "--known-bug") && i + 1 < argc &&
			   !strcmp(argv[i + 1], "va-alias")) {
			g.skip_alias = true;
			i++;
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			g.seed = parse_u64(PROG, argv[i], argv[i + 1]);
			seeded = true;
			i++;
		} else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
			g.duration = parse_secs(PROG, argv[i], argv[i + 1]);
			i++;
		} else {
			usage(stderr);
			exit(2);
		}
	}
	if (!seeded)
		g.seed = default_seed();
}

static uint64_t param(int fd, uint32_t p)
{
	struct drm_vsvm_get_param gp = { .param = p };

	return raw_ioctl(fd, DRM_IOCTL_VSVM_GET_PARAM, &gp) ? 0 : gp.value;
}

/* Open device @idx (its render node by driver order) with a VM. */
static int open_vm(unsigned int idx, uint64_t start, uint64_t size)
{
	struct vsvm_device *dev;
	int fd;

	if (vsvm_device_new_nth(idx, &dev))
		return -1;
	fd = dup(vsvm_device_fd(dev));
	vsvm_device_del(dev);
	if (fd < 0)
		return -1;
	{
		struct drm_vsvm_vm_init v = { .start = start, .size = size };

		if (raw_ioctl(fd, DRM_IOCTL_VSVM_VM_INIT, &v)) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int setup(void)
{
	int ret;

	ret = map_layout();
	if (ret) {
		fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " setup: memory layout: %s\n",
			g.seed, strerror(-ret));
		return 1;
	}
	read_kaddrs();
	g.fd = open_vm(0, 0, 1ull << 47);
	if (g.fd < 0) {
		fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " setup: device 0 with a VM\n", g.seed);
		return 1;
	}
	g.features = param(g.fd, DRM_VSVM_PARAM_FEATURES);
	g.num_channels = param(g.fd, DRM_VSVM_PARAM_NUM_CHANNELS);
	g.va_bits = param(g.fd, DRM_VSVM_PARAM_VA_BITS);
	g.max_cmds = param(g.fd, DRM_VSVM_PARAM_MAX_CMDS);
	g.vram_size = param(g.fd, DRM_VSVM_PARAM_VRAM_SIZE);
	g.job_timeout_ns = param(g.fd, DRM_VSVM_PARAM_JOB_TIMEOUT_NS);
	if (!g.num_channels || g.num_channels > NUM_CHANNELS_MAX || !g.va_bits ||
	    !g.max_cmds) {
		fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " setup: GET_PARAM gave channels %" PRIu64 " va_bits %" PRIu64 " max_cmds %" PRIu64 "\n",
			g.seed, g.num_channels, g.va_bits, g.max_cmds);
		return 1;
	}
	g.fd2 = g.ndev > 1 ? open_vm(1, 0, 1ull << 47) : -1;
	g.win_fd = open_vm(0, VSVM_PTR(g.target[0]), TARGET_SIZE);
	if (g.win_fd < 0) {
		fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " setup: a VM with the window [%p, +%#lx)\n",
			g.seed, (void *)g.target[0], TARGET_SIZE);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static void (*const steps[])(void) = {
		fuzz_exec, fuzz_exec, fuzz_exec, fuzz_exec, fuzz_exec, fuzz_exec,
		fuzz_aimed, fuzz_aimed, fuzz_aimed, fuzz_window, fuzz_wait,
		fuzz_wait, fuzz_get_param, fuzz_vm_init, fuzz_fault_info,
		fuzz_stats, fuzz_advise, fuzz_advise, fuzz_prefetch,
		fuzz_prefetch, fuzz_program, fuzz_lying_size, fuzz_lying_size,
		fuzz_lying_size, fuzz_no_vm,
	};
	uint64_t deadline, start;
	unsigned int n = 0, i;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf(PROG ": seed %" PRIu64 ", %.0f s\n", g.seed, g.duration);
	rng_init(&g.rng, g.seed, 0);
	if (vsvm_device_count(&n) || !n) {
		printf(PROG ": SKIP: no vsvm device\n");
		return 77;
	}
	g.ndev = n;
	if (setup())
		return 1;
	if (!g.job_timeout_ns)
		printf(PROG ": no job timeout (GET_PARAM JOB_TIMEOUT_NS failed): runaway jobs not sent, counts and timeouts bounded\n");
	fork_check();
	start = now_ns();
	deadline = start + (uint64_t)(g.duration * NSEC_PER_SEC);
	while (now_ns() < deadline) {
		g.iter++;
		if (!(g.iter % 64))
			touch_canaries();
		if (g.job_timeout_ns && !(g.iter % 200))
			fuzz_runaway();
		steps[rnd_below(&g.rng, ARRAY_SIZE(steps))]();
		if (g.verbose && !(g.iter % 1000))
			printf(PROG ": %" PRIu64 " iterations, %u failures\n", g.iter, g.failures);
	}
	check_canaries();
	printf(PROG ": %" PRIu64 " iterations, %" PRIu64 " ioctls, %" PRIu64 " submissions in %.1f s (seed %" PRIu64 ")\n",
	       g.iter, g.ioctls, g.submissions, (now_ns() - start) / 1e9, g.seed);
	printf("  statuses: %" PRIu64 " ok, %" PRIu64 " -EFAULT, %" PRIu64 " -EINVAL, %" PRIu64 " -ETIMEDOUT, %" PRIu64 " -EPERM, %" PRIu64 " other\n",
	       g.statuses[0], g.statuses[1], g.statuses[2], g.statuses[3],
	       g.statuses[4], g.statuses[5]);
	if (g.skip_alias)
		printf("  left out (known bug va-alias): non-canonical addresses (issue #9 §2: the GPU page table drops address bits 48-63)\n");
	if (g.pending_params) {
		printf("  documented GET_PARAM params the kernel does not know yet (header ahead of the kernel, not failed):");
		for (i = 0; i < 64; i++)
			if (g.pending_params & (1ull << i))
				printf(" %u", i);
		printf("\n");
	}
	for (i = 0; i < g.nkinds; i++)
		printf("  failure %-48s x %u\n", g.kinds[i].kind, g.kinds[i].n);
	printf(PROG ": %s (seed %" PRIu64 ")\n", g.failures ? "FAIL" : "PASS", g.seed);
	return g.failures ? 1 : 0;
}
