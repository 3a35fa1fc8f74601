// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vsvm_stress: randomized multi-threaded SVM stress (issue #9, section 5).
 *
 * Several threads each own a few buffers and, in a random order, race CPU
 * writes, GPU FILL/COPY/WRITE_VALUE/ATOMIC/POINTER_CHASE, PREFETCH to VRAM
 * and back, ADVISE, madvise(MADV_DONTNEED), munmap + mmap, mremap away and
 * back, mprotect(PROT_READ) and fork against each other, on one VM per
 * vsvm device (every thread uses every device). Each buffer has a shadow
 * copy; after every step that makes the contents defined, the CPU's view
 * or the GPU's view (a GPU COPY into a scratch buffer, on a random device)
 * is compared with it byte for byte. Only what vsvm_drm.h promises is
 * asserted: a submission status is 0 where every access is allowed and
 * -EFAULT where every access of the command is to unmapped, PROT_NONE or
 * (for a write) read-only memory, which is then left untouched; PREFETCH
 * and ADVISE on mapped memory succeed (PREFETCH may give -ENOMEM); a child
 * that inherited the device gets -EPERM.
 *
 * At the end: every buffer unmapped, each VM must have mapped_pages 0;
 * the VMs closed, a fresh VM on each device must see vram_used 0.
 *
 * Usage: see usage() or --help. Exit status 0 pass, 1 fail, 2 usage,
 * 77 skip (no vsvm device).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "common.h"

#define PROG "vsvm_stress"
#define MAX_THREADS 16
#define MAX_DEVS 4
#define NBUF 3
/* Every buffer lives at the start of its own 4 MiB slot: own 2 MiB chunks. */
#define SLOT (2 * SZ_2M)
#define MAX_BUF SZ_2M
/* Slots per thread: home and away of each buffer, and the scratch. */
#define SLOTS_PER_THREAD (2 * NBUF + 1)
#define LOG_LINES 24
#define LOG_LEN 160

/* Known bugs that --known-bug can take out of the run (issue #9). */
enum known_bug {
	BUG_RO_NEIGHBOUR,	/* §3: one access mode for the whole range */
	BUG_REPLAY_LIMIT,	/* §1: replay limit counts replays, not stalls */
	BUG_MUNMAP_RACE,	/* §3: range insert vs munmap */
	NR_BUGS
};

static const struct {
	const char *name;
	const char *what;
} known_bugs[NR_BUGS] = {
	[BUG_RO_NEIGHBOUR] = { "ro-neighbour",
		"issue #9 §3: after mprotect(PROT_READ) of part of a buffer, GPU writes to its read-write neighbours fail with -EFAULT" },
	[BUG_MUNMAP_RACE] = { "munmap-race",
		"issue #9 §3: a munmap racing the first GPU fault of a buffer leaves a range over the hole; the GPU access to the part still mapped fails with -EFAULT (FAULT_INFO error -EFAULT)" },
	[BUG_REPLAY_LIMIT] = { "replay-limit",
		"issue #9 §1: GPU atomics racing CPU atomics (or another device's) fail with -EFAULT, FAULT_INFO error -EBUSY, once one access was replayed 1000 times although each replay made progress; left out: ATOMIC of 5M operations, two devices at once, CPU atomics until the GPU is done" },
};

struct buf {
	uint8_t *home;		/* its address, start of its slot */
	uint8_t *away;		/* reserved slot for mremap */
	size_t size;		/* page multiple */
	uint8_t *shadow;	/* what its contents must be */
	size_t ro_lo, ro_hi;	/* pages made read-only, [lo, hi) bytes */
	int thp;		/* MADV_HUGEPAGE or MADV_NOHUGEPAGE */
	bool split;		/* maybe several VMAs (part mapped again) */
};

enum op_id {
	OP_CPU_WRITE, OP_GPU_FILL, OP_GPU_COPY, OP_GPU_WRITE_VALUE,
	OP_GPU_ATOMIC, OP_ATOMIC_RACE, OP_ATOMIC_LONG_RACE, OP_CPU_GPU_RACE,
	OP_CHASE, OP_PREFETCH_VRAM, OP_PREFETCH_ALL, OP_PREFETCH_SYS, OP_ADVISE, OP_DONTNEED,
	OP_REMAP, OP_MUNMAP_RACE, OP_MREMAP, OP_MPROTECT_RO, OP_MPROTECT_RW, OP_FORK,
	NR_OPS
};

struct thr {
	int id;
	pthread_t tid;
	struct rng rng;
	struct buf bufs[NBUF];
	uint8_t *scratch;	/* MAX_BUF, GPU readback target */
	struct vsvm_cmdbuf *cb;
	uint64_t nops;
	const char *opname;
	uint64_t done[NR_OPS], skipped[NR_OPS];
	uint64_t prefetch_enomem, migrated_pages, atomics_refused;
	char log[LOG_LINES][LOG_LEN];
	char why[192];
	unsigned int log_next;
};

static struct {
	uint64_t seed;
	double duration;
	int nthreads;
	bool verbose;
	bool skip_bug[NR_BUGS];
	unsigned int ndev;
	struct vsvm_device *dev[MAX_DEVS];
	uint64_t vram_size[MAX_DEVS];
	uint8_t *arena;
	size_t arena_size;
	uint64_t deadline;
	atomic_bool stop;
	atomic_int failures;
	struct thr thr[MAX_THREADS];
} g;

static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

/* ------------------------------------------------------------------ */
/* Reporting                                                           */

static void tlog(struct thr *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Remember what the thread did, for the failure report. */
static void tlog(struct thr *t, const char *fmt, ...)
{
	char *line = t->log[t->log_next++ % LOG_LINES];
	va_list ap;
	int n;

	n = snprintf(line, LOG_LEN, "#%" PRIu64 " %s: ", t->nops, t->opname);
	va_start(ap, fmt);
	vsnprintf(line + n, LOG_LEN - n, fmt, ap);
	va_end(ap);
	if (g.verbose) {
		pthread_mutex_lock(&print_lock);
		printf("  [t%d] %s\n", t->id, line);
		pthread_mutex_unlock(&print_lock);
	}
}

static int fail(struct thr *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A failed check: print it with the seed, the thread, the operation and
 * the thread's recent operations; stop every thread. Returns -1.
 */
static int fail(struct thr *t, const char *fmt, ...)
{
	unsigned int i, n;
	va_list ap;

	atomic_fetch_add(&g.failures, 1);
	atomic_store(&g.stop, true);
	pthread_mutex_lock(&print_lock);
	fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " thread=%d op#%" PRIu64 " %s: ",
		g.seed, t->id, t->nops, t->opname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n" PROG ": thread %d, last operations (oldest first):\n",
		t->id);
	n = t->log_next < LOG_LINES ? t->log_next : LOG_LINES;
	for (i = t->log_next - n; i < t->log_next; i++)
		fprintf(stderr, "    %s\n", t->log[i % LOG_LINES]);
	fflush(stderr);
	pthread_mutex_unlock(&print_lock);
	return -1;
}

static const char *const op_names[NR_OPS] = {
	[OP_CPU_WRITE] = "cpu-write",
	[OP_GPU_FILL] = "gpu-fill",
	[OP_GPU_COPY] = "gpu-copy",
	[OP_GPU_WRITE_VALUE] = "gpu-write-value",
	[OP_GPU_ATOMIC] = "gpu-atomic",
	[OP_ATOMIC_RACE] = "atomic-race",
	[OP_ATOMIC_LONG_RACE] = "atomic-long-race",
	[OP_CPU_GPU_RACE] = "cpu-gpu-race",
	[OP_CHASE] = "pointer-chase",
	[OP_PREFETCH_VRAM] = "prefetch-vram",
	[OP_PREFETCH_ALL] = "prefetch-all-vram",
	[OP_PREFETCH_SYS] = "prefetch-system",
	[OP_ADVISE] = "advise",
	[OP_DONTNEED] = "madvise-dontneed",
	[OP_REMAP] = "munmap-mmap",
	[OP_MUNMAP_RACE] = "munmap-race",
	[OP_MREMAP] = "mremap-away-back",
	[OP_MPROTECT_RO] = "mprotect-ro",
	[OP_MPROTECT_RW] = "mprotect-rw",
	[OP_FORK] = "fork",
};

/* Relative weights of the operations. */
static const unsigned int op_weight[NR_OPS] = {
	[OP_CPU_WRITE] = 10,
	[OP_GPU_FILL] = 12,
	[OP_GPU_COPY] = 10,
	[OP_GPU_WRITE_VALUE] = 5,
	[OP_GPU_ATOMIC] = 8,
	[OP_ATOMIC_RACE] = 4,
	[OP_ATOMIC_LONG_RACE] = 1,
	[OP_CPU_GPU_RACE] = 6,
	[OP_CHASE] = 3,
	[OP_PREFETCH_VRAM] = 10,
	[OP_PREFETCH_ALL] = 4,
	[OP_PREFETCH_SYS] = 3,
	[OP_ADVISE] = 3,
	[OP_DONTNEED] = 4,
	[OP_REMAP] = 3,
	[OP_MUNMAP_RACE] = 3,
	[OP_MREMAP] = 3,
	[OP_MPROTECT_RO] = 3,
	[OP_MPROTECT_RW] = 3,
	[OP_FORK] = 2,
};

/* ------------------------------------------------------------------ */
/* Buffers                                                             */

static bool has_ro(const struct buf *b)
{
	return b->ro_hi > b->ro_lo;
}

/*
 * Whether [@addr, @addr + @size) is one VMA. The kernel need not merge
 * VMAs again after mprotect() back, madvise() or fork(): mremap() of a
 * range that spans several fails with EFAULT, by its documentation.
 */
static bool one_vma(const void *addr, size_t size)
{
	unsigned long lo, hi, a = (unsigned long)addr;
	char line[512];
	bool one = false;
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || a < lo || a >= hi)
			continue;
		one = a + size <= hi;
		break;
	}
	fclose(f);
	return one;
}

/*
 * A random [off, off + len) of @b, @align aligned, at most @maxlen long,
 * avoiding the read-only pages. False if there is no room.
 */
static bool pick_rw(struct thr *t, const struct buf *b, size_t align,
		    size_t maxlen, size_t *off, size_t *len)
{
	size_t lo = 0, hi = b->size;

	if (has_ro(b)) {
		/* The larger side of the read-only pages. */
		if (b->ro_lo >= b->size - b->ro_hi)
			hi = b->ro_lo;
		else
			lo = b->ro_hi;
	}
	if (hi - lo < align)
		return false;
	*off = lo + rnd_below(&t->rng, (hi - lo) / align) * align;
	*len = align * rnd_range(&t->rng, 1, (hi - *off) / align);
	if (*len > maxlen)
		*len = maxlen / align * align;
	if (!rnd_pct(&t->rng, 30) && *len > 64 * align)
		*len = align * rnd_range(&t->rng, 1, 64);
	return true;
}

/* May a GPU write into the read-write pages of @b be asserted to work? */
static bool rw_writes_ok(const struct buf *b)
{
	return !(has_ro(b) && g.skip_bug[BUG_RO_NEIGHBOUR]);
}

static int map_fixed(void *addr, size_t size, int prot)
{
	void *p = mmap(addr, size, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
		       (prot == PROT_NONE ? MAP_NORESERVE : 0), -1, 0);

	return p == addr ? 0 : -errno;
}

/* A fresh zeroed anonymous mapping at b->home; random THP hint. */
static int buf_map(struct thr *t, struct buf *b)
{
	void *p = mmap(b->home, b->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);

	if (p != b->home)
		return fail(t, "mmap(%p, %#zx, MAP_FIXED_NOREPLACE) gave %p: %s",
			    (void *)b->home, b->size, p, strerror(errno));
	b->thp = rnd_pct(&t->rng, 50) ? MADV_HUGEPAGE : MADV_NOHUGEPAGE;
	if (madvise(b->home, b->size, b->thp))
		return fail(t, "madvise(%p, THP hint): %s", (void *)b->home,
			    strerror(errno));
	b->split = false;
	memset(b->shadow, 0, b->size);
	b->ro_lo = b->ro_hi = 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* GPU submissions                                                     */

static struct vsvm_device *pick_dev(struct thr *t, unsigned int *idx)
{
	unsigned int i = rnd_below(&t->rng, g.ndev);

	if (idx)
		*idx = i;
	return g.dev[i];
}

struct sub {
	struct vsvm_device *dev;
	unsigned int devi;
	uint32_t channel;
	uint64_t seqno;
};

/* Submit t->cb on a random channel of @devi. */
static int submit(struct thr *t, unsigned int devi, struct sub *s)
{
	int ret;

	s->devi = devi;
	s->dev = g.dev[devi];
	s->channel = rnd_below(&t->rng, 4);
	ret = vsvm_exec(s->dev, s->channel, t->cb, &s->seqno);
	if (ret)
		return fail(t, "EXEC of %d commands on device %u channel %u: %s (expected 0)",
			    vsvm_cmdbuf_count(t->cb), devi, s->channel,
			    strerror(-ret));
	return 0;
}

/* Wait for @s; its status in *status. A hang or a WAIT error fails. */
static int await(struct thr *t, const struct sub *s, int32_t *status)
{
	int ret = vsvm_wait(s->dev, s->channel, s->seqno, GPU_TIMEOUT_NS,
			    status);

	if (ret == -ETIME)
		return fail(t, "submission %" PRIu64 " on device %u channel %u did not complete in %llds (hang)",
			    s->seqno, s->devi, s->channel,
			    GPU_TIMEOUT_NS / NSEC_PER_SEC);
	if (ret)
		return fail(t, "WAIT for submission %" PRIu64 " on device %u channel %u: %s",
			    s->seqno, s->devi, s->channel, strerror(-ret));
	return 0;
}

/*
 * What FAULT_INFO says of @s's VM, for a failure message: the VM's last
 * unserviceable fault (another thread's, unless seqno and channel match).
 */
static const char *fault_info(struct thr *t, const struct sub *s)
{
	struct drm_vsvm_fault_info fi;
	int ret = vsvm_fault_info(s->dev, &fi);

	if (ret) {
		snprintf(t->why, sizeof(t->why), "FAULT_INFO: %s", strerror(-ret));
		return t->why;
	}
	snprintf(t->why, sizeof(t->why),
		 "FAULT_INFO (%s): addr %#llx access %u error %d (%s), seqno %llu channel %u",
		 fi.seqno == s->seqno && fi.channel == s->channel ?
		 "this submission" : "another submission",
		 fi.addr, fi.access, fi.error, strerror(-fi.error), fi.seqno, fi.channel);
	return t->why;
}

/*
 * Did @subs[@i] (of @n submissions of one operation) fail because the
 * page at @addr cannot be made device-exclusive? The header allows that
 * (-EFAULT, FAULT_INFO error -EOPNOTSUPP), and docs/atomics.md says which
 * private memory it is on 6.12: a page of a THP the CPU maps with PTEs
 * (after a partial munmap, mprotect or MADV_DONTNEED of it). FAULT_INFO
 * keeps the last fault of the VM: when two submissions of the operation
 * ran on the same device and both were refused, it is the later one's.
 */
static bool refused_exclusive_of(const struct sub *subs, unsigned int n,
				 unsigned int i, int32_t st, uint64_t addr)
{
	struct drm_vsvm_fault_info fi;
	unsigned int j;

	if (st != -EFAULT || vsvm_fault_info(subs[i].dev, &fi) ||
	    fi.error != -EOPNOTSUPP || fi.addr / SZ_4K != addr / SZ_4K)
		return false;
	for (j = 0; j < n; j++)
		if (subs[j].dev == subs[i].dev && fi.seqno == subs[j].seqno &&
		    fi.channel == subs[j].channel)
			return true;
	return false;
}

/* refused_exclusive_of() for one submission. */
static bool refused_exclusive(const struct sub *s, int32_t st, uint64_t addr)
{
	return refused_exclusive_of(s, 1, 0, st, addr);
}

/* Run t->cb on @devi and check its status is @want. */
static int run_expect(struct thr *t, unsigned int devi, int32_t want,
		      const char *what)
{
	struct sub s;
	int32_t st;

	if (submit(t, devi, &s) || await(t, &s, &st))
		return -1;
	if (st != want)
		return fail(t, "%s on device %u: submission status %d (%s), expected %d (%s); %s",
			    what, devi, st, strerror(-st), want,
			    want ? strerror(-want) : "success", fault_info(t, &s));
	return 0;
}

static void cb_reset(struct thr *t)
{
	vsvm_cmdbuf_reset(t->cb);
}

/* ------------------------------------------------------------------ */
/* Verification                                                        */

static int report_diff(struct thr *t, const char *view, const char *what,
		       const struct buf *b, const uint8_t *got, long off)
{
	return fail(t, "%s: %s view of buffer %p (+%#zx, size %#zx) differs at %p: got %#04x, expected %#04x",
		    what, view, (void *)b->home, (size_t)off, b->size,
		    (void *)(b->home + off), got[off], b->shadow[off]);
}

static int verify_cpu(struct thr *t, const struct buf *b, const char *what)
{
	long off = first_diff(b->home, b->shadow, b->size);

	if (off >= 0)
		return report_diff(t, "CPU", what, b, b->home, off);
	return 0;
}

/* The GPU's view, through a COPY into the scratch buffer on @devi. */
static int verify_gpu(struct thr *t, const struct buf *b, unsigned int devi,
		      const char *what)
{
	char view[32];
	long off;

	memset(t->scratch, 0xcd, b->size);
	cb_reset(t);
	vsvm_cmd_copy(t->cb, VSVM_PTR(t->scratch), VSVM_PTR(b->home), b->size);
	if (run_expect(t, devi, 0, "GPU read-back (COPY to scratch)"))
		return -1;
	off = first_diff(t->scratch, b->shadow, b->size);
	if (off >= 0) {
		snprintf(view, sizeof(view), "GPU (device %u)", devi);
		return report_diff(t, view, what, b, t->scratch, off);
	}
	return 0;
}

/* CPU, GPU or both, at random: CPU reads migrate VRAM back. */
static int verify(struct thr *t, const struct buf *b, const char *what)
{
	unsigned int how = rnd_below(&t->rng, 3);

	if (how != 1 && verify_gpu(t, b, rnd_below(&t->rng, g.ndev), what))
		return -1;
	if (how != 0 && verify_cpu(t, b, what))
		return -1;
	return 0;
}

static int verify_all(struct thr *t, const char *what)
{
	int i;

	for (i = 0; i < NBUF; i++)
		if (verify(t, &t->bufs[i], what))
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */

static struct buf *pick_buf(struct thr *t)
{
	return &t->bufs[rnd_below(&t->rng, NBUF)];
}

static int op_cpu_write(struct thr *t)
{
	struct buf *b = pick_buf(t);
	size_t off, len;

	if (!pick_rw(t, b, 1, b->size, &off, &len))
		return 1;
	rnd_bytes(&t->rng, b->shadow + off, len);
	tlog(t, "CPU write %p+%#zx len %#zx", (void *)b->home, off, len);
	memcpy(b->home + off, b->shadow + off, len);
	return verify(t, b, "after a CPU write");
}

/* A GPU FILL entirely inside the read-only pages must fault. */
static int gpu_write_ro(struct thr *t, struct buf *b)
{
	size_t off = b->ro_lo + 4 * rnd_below(&t->rng, (b->ro_hi - b->ro_lo) / 4);
	size_t len = 4 * rnd_range(&t->rng, 1, (b->ro_hi - off) / 4);
	unsigned int d;

	pick_dev(t, &d);
	tlog(t, "GPU FILL into read-only %p+%#zx len %#zx, device %u",
	     (void *)b->home, off, len, d);
	cb_reset(t);
	vsvm_cmd_fill(t->cb, VSVM_PTR(b->home + off), len, 0x5a5a5a5a);
	if (run_expect(t, d, -EFAULT, "GPU FILL of read-only memory"))
		return -1;
	return verify(t, b, "after a faulting GPU FILL of read-only pages");
}

static int gpu_fill(struct thr *t, struct buf *b)
{
	uint32_t v = rnd64(&t->rng);
	size_t off, len, i;
	unsigned int d;

	if (has_ro(b) && rnd_pct(&t->rng, 30))
		return gpu_write_ro(t, b);
	if (!rw_writes_ok(b) || !pick_rw(t, b, 4, b->size, &off, &len))
		return 1;
	pick_dev(t, &d);
	tlog(t, "GPU FILL %p+%#zx len %#zx value %#x, device %u",
	     (void *)b->home, off, len, v, d);
	cb_reset(t);
	vsvm_cmd_fill(t->cb, VSVM_PTR(b->home + off), len, v);
	if (run_expect(t, d, 0, "GPU FILL"))
		return -1;
	for (i = 0; i < len; i += 4)
		memcpy(b->shadow + off + i, &v, 4);
	return verify(t, b, "after a GPU FILL");
}

static int op_gpu_fill(struct thr *t)
{
	return gpu_fill(t, pick_buf(t));
}

/* COPY between two buffers of the thread, or inside one without overlap. */
static int op_gpu_copy(struct thr *t)
{
	struct buf *src = pick_buf(t), *dst = pick_buf(t);
	size_t soff, doff, len, dlen;
	unsigned int d;

	if (!rw_writes_ok(dst) || !pick_rw(t, dst, 1, dst->size, &doff, &dlen))
		return 1;
	len = rnd_range(&t->rng, 1, dlen < src->size ? dlen : src->size);
	soff = rnd_below(&t->rng, src->size - len + 1);
	if (src == dst && soff < doff + len && doff < soff + len)
		return 1;	/* overlapping: no documented result */
	pick_dev(t, &d);
	tlog(t, "GPU COPY %p+%#zx -> %p+%#zx len %#zx, device %u",
	     (void *)src->home, soff, (void *)dst->home, doff, len, d);
	cb_reset(t);
	vsvm_cmd_copy(t->cb, VSVM_PTR(dst->home + doff),
		      VSVM_PTR(src->home + soff), len);
	if (run_expect(t, d, 0, "GPU COPY"))
		return -1;
	memmove(dst->shadow + doff, src->shadow + soff, len);
	return verify(t, dst, "after a GPU COPY");
}

static int op_gpu_write_value(struct thr *t)
{
	struct buf *b = pick_buf(t);
	unsigned int n = rnd_range(&t->rng, 1, 32), i, d;
	size_t off, len;

	if (!rw_writes_ok(b) || !pick_rw(t, b, 8, b->size, &off, &len))
		return 1;
	cb_reset(t);
	for (i = 0; i < n; i++) {
		bool w64 = rnd_pct(&t->rng, 50);
		size_t o = off + 8 * rnd_below(&t->rng, len / 8);
		uint64_t v = rnd64(&t->rng);

		if (!w64)
			v &= 0xffffffffu;
		vsvm_cmd_write_value(t->cb, VSVM_PTR(b->home + o), v,
				     w64 ? DRM_VSVM_CMD_64BIT : 0);
		memcpy(b->shadow + o, &v, w64 ? 8 : 4);
	}
	pick_dev(t, &d);
	tlog(t, "GPU %u WRITE_VALUEs in %p+%#zx len %#zx, device %u", n,
	     (void *)b->home, off, len, d);
	if (run_expect(t, d, 0, "GPU WRITE_VALUE"))
		return -1;
	return verify(t, b, "after GPU WRITE_VALUEs");
}

/* What DRM_VSVM_OP_ATOMIC stores, as the header defines it. */
static uint64_t atomic_model(unsigned int op, uint64_t old, uint64_t v,
			     uint64_t v2, uint64_t mask)
{
	uint64_t n;

	switch (op) {
	case DRM_VSVM_ATOMIC_ADD: n = old + v; break;
	case DRM_VSVM_ATOMIC_INC: n = old + 1; break;
	case DRM_VSVM_ATOMIC_XCHG: n = v; break;
	case DRM_VSVM_ATOMIC_CMPXCHG: n = old == v ? v2 : old; break;
	case DRM_VSVM_ATOMIC_MIN: n = old < v ? old : v; break;
	case DRM_VSVM_ATOMIC_MAX: n = old > v ? old : v; break;
	case DRM_VSVM_ATOMIC_AND: n = old & v; break;
	default: n = old | v; break;
	}
	return n & mask;
}

static uint64_t load_width(const uint8_t *p, bool w64)
{
	uint64_t v = 0;

	memcpy(&v, p, w64 ? 8 : 4);
	return v;
}

/*
 * A GPU ATOMIC refused mid-way (see refused_exclusive()): the word must
 * hold the operation applied k times, 0 <= k <= n; no result is stored.
 */
static int atomic_refused(struct thr *t, struct buf *b, size_t off,
			  unsigned int op, bool w64, uint64_t v, uint64_t v2,
			  uint64_t n)
{
	uint64_t mask = w64 ? ~0ull : 0xffffffffull;
	uint64_t x = load_width(b->shadow + off, w64);
	uint64_t got = load_width(b->home + off, w64);
	uint64_t k;

	t->atomics_refused++;
	tlog(t, "refused: page of a PTE-mapped THP (FAULT_INFO -EOPNOTSUPP)");
	for (k = 0; k <= n && x != got; k++)
		x = atomic_model(op, x, v, v2, mask);
	if (x != got)
		return fail(t, "GPU ATOMIC op %u refused (-EOPNOTSUPP) at %p: value %#" PRIx64 " is not the operation applied 0..%" PRIu64 " times",
			    op, (void *)(b->home + off), got, n);
	memcpy(b->shadow + off, &got, w64 ? 8 : 4);
	return verify(t, b, "after a refused GPU ATOMIC");
}

static int op_gpu_atomic(struct thr *t)
{
	struct buf *b = pick_buf(t);
	unsigned int op = rnd_below(&t->rng, 8), d;
	bool w64 = rnd_pct(&t->rng, 50);
	uint64_t mask = w64 ? ~0ull : 0xffffffffull;
	uint64_t count = rnd_pct(&t->rng, 20) ? 0 : rnd_range(&t->rng, 1, 2000);
	uint64_t v = rnd64(&t->rng) & mask, v2 = 0, old, prev = 0;
	size_t off, len, doff, roff = 0;
	uint64_t i, n = count ? count : 1;
	bool result = rnd_pct(&t->rng, 60);
	struct sub s;
	int32_t st;

	if (!rw_writes_ok(b) || !pick_rw(t, b, 8, b->size, &off, &len) || len < 16)
		return 1;
	doff = off + 8 * rnd_below(&t->rng, len / 8);
	if (result) {
		do
			roff = off + 8 * rnd_below(&t->rng, len / 8);
		while (roff == doff);
	}
	old = load_width(b->shadow + doff, w64);
	if (op == DRM_VSVM_ATOMIC_CMPXCHG) {
		if (rnd_pct(&t->rng, 60))
			v = old;
		v2 = rnd64(&t->rng) & mask;
	} else if (op == DRM_VSVM_ATOMIC_ADD && rnd_pct(&t->rng, 50)) {
		v &= 0xff;
	}
	for (i = 0; i < n; i++) {
		prev = old;
		old = atomic_model(op, old, v, v2, mask);
	}
	pick_dev(t, &d);
	tlog(t, "GPU ATOMIC op %u %s at %p+%#zx value %#" PRIx64 "/%#" PRIx64 " count %" PRIu64 " result %s, device %u",
	     op, w64 ? "64" : "32", (void *)b->home, doff, v, v2, count,
	     result ? "stored" : "none", d);
	cb_reset(t);
	vsvm_cmd_atomic(t->cb, op, VSVM_PTR(b->home + doff), v, v2, count,
			result ? VSVM_PTR(b->home + roff) : 0,
			w64 ? DRM_VSVM_CMD_64BIT : 0);
	if (submit(t, d, &s) || await(t, &s, &st))
		return -1;
	if (st && refused_exclusive(&s, st, VSVM_PTR(b->home + doff)))
		return atomic_refused(t, b, doff, op, w64, v, v2, n);
	if (st)
		return fail(t, "GPU ATOMIC on device %u: submission status %d (%s), expected 0; %s",
			    d, st, strerror(-st), fault_info(t, &s));
	memcpy(b->shadow + doff, &old, w64 ? 8 : 4);
	if (result)
		memcpy(b->shadow + roff, &prev, w64 ? 8 : 4);
	return verify(t, b, "after a GPU ATOMIC");
}

/* Has every submission of @s completed? */
static bool all_done(struct thr *t, const struct sub *s, unsigned int n)
{
	unsigned int i;

	(void)t;
	for (i = 0; i < n; i++)
		if (vsvm_wait(s[i].dev, s[i].channel, s[i].seqno, 0, NULL) == -ETIME)
			return false;
	return true;
}

/*
 * GPU ATOMIC ADDs (on one or two devices at once) racing CPU atomic adds on
 * the same word, at least @cpu_count of them and on until the GPU is done:
 * the sum must be exact.
 */
static int atomic_race(struct thr *t, uint64_t gpu_count, uint64_t cpu_count)
{
	struct buf *b = pick_buf(t);
	bool w64 = rnd_pct(&t->rng, 50);
	uint64_t mask = w64 ? ~0ull : 0xffffffffull, want, got;
	/* Two devices taking the page from each other: many replays. */
	unsigned int ndev = g.ndev > 1 && rnd_pct(&t->rng, 50) &&
			    !g.skip_bug[BUG_REPLAY_LIMIT] ? 2 : 1, i;
	bool until_done = !g.skip_bug[BUG_REPLAY_LIMIT];
	unsigned int refused;
	struct sub s[2];
	size_t off, len;
	int32_t st;
	uint64_t k;

	if (!rw_writes_ok(b) || !pick_rw(t, b, 8, b->size, &off, &len))
		return 1;
	off += 8 * rnd_below(&t->rng, len / 8);
	want = load_width(b->shadow + off, w64);
	tlog(t, "ATOMIC ADD 3 x %" PRIu64 " on %u device(s) racing at least %" PRIu64 " CPU adds at %p+%#zx (%s)",
	     gpu_count, ndev, cpu_count, (void *)b->home, off, w64 ? "64" : "32");
	cb_reset(t);
	vsvm_cmd_atomic(t->cb, DRM_VSVM_ATOMIC_ADD, VSVM_PTR(b->home + off), 3,
			0, gpu_count, 0, w64 ? DRM_VSVM_CMD_64BIT : 0);
	for (i = 0; i < ndev; i++)
		if (submit(t, (i + rnd_below(&t->rng, g.ndev)) % g.ndev, &s[i]))
			return -1;
	for (k = 0; k < cpu_count ||
	     (until_done && (k % 4096 || !all_done(t, s, ndev))); k++) {
		if (w64)
			__atomic_fetch_add((uint64_t *)(b->home + off), 1,
					   __ATOMIC_SEQ_CST);
		else
			__atomic_fetch_add((uint32_t *)(b->home + off), 1,
					   __ATOMIC_SEQ_CST);
	}
	refused = 0;
	for (i = 0; i < ndev; i++) {
		if (await(t, &s[i], &st))
			return -1;
		if (st && refused_exclusive_of(s, ndev, i, st,
					       VSVM_PTR(b->home + off))) {
			refused++;
			continue;
		}
		if (st)
			return fail(t, "ATOMIC ADD x %" PRIu64 " racing %" PRIu64 " CPU adds at %p on device %u: status %d (%s), expected 0; %s",
				    gpu_count, k, (void *)(b->home + off),
				    s[i].devi, st, strerror(-st), fault_info(t, &s[i]));
	}
	want = (want + ndev * gpu_count * 3 + k) & mask;
	got = load_width(b->home + off, w64);
	if (refused) {
		/* Each refused one did 0..gpu_count of its adds. */
		uint64_t missing = (want - got) & mask;

		t->atomics_refused += refused;
		if (missing % 3 || missing / 3 > refused * gpu_count)
			return fail(t, "ATOMIC ADD 3 x %" PRIu64 " on %u device(s), %u refused (-EOPNOTSUPP), + %" PRIu64 " CPU adds at %p: value %#" PRIx64 ", %#" PRIx64 " short of all adds, not 3 x 0..%" PRIu64,
				    gpu_count, ndev, refused, k, (void *)(b->home + off),
				    got, missing, refused * gpu_count);
		want = got;
	}
	if (got != want)
		return fail(t, "ATOMIC ADD 3 x %" PRIu64 " on %u device(s) + %" PRIu64 " CPU adds at %p: value %#" PRIx64 ", expected %#" PRIx64,
			    gpu_count, ndev, k, (void *)(b->home + off),
			    got, want);
	memcpy(b->shadow + off, &want, w64 ? 8 : 4);
	return verify(t, b, "after GPU atomics racing CPU atomics");
}

static int op_atomic_race(struct thr *t)
{
	return atomic_race(t, rnd_range(&t->rng, 1000, 50000),
			   rnd_range(&t->rng, 100, 20000));
}

/* Issue #9 §1: more than ~4M operations racing CPU atomics. */
static int op_atomic_long_race(struct thr *t)
{
	/* Seconds under TCG: once per thread and run. */
	if (g.skip_bug[BUG_REPLAY_LIMIT] || t->done[OP_ATOMIC_LONG_RACE])
		return 1;
	return atomic_race(t, 5000000, 100000);
}

/* A GPU FILL in flight while the CPU writes elsewhere in the buffer. */
static int op_cpu_gpu_race(struct thr *t)
{
	struct buf *b = pick_buf(t);
	size_t goff, glen, coff, clen, i;
	uint32_t v = rnd64(&t->rng);
	unsigned int d;
	struct sub s;
	int32_t st;

	if (!rw_writes_ok(b) || !pick_rw(t, b, 4, b->size, &goff, &glen) ||
	    !pick_rw(t, b, 1, b->size, &coff, &clen))
		return 1;
	if (coff < goff + glen && goff < coff + clen)
		return 1;
	pick_dev(t, &d);
	tlog(t, "GPU FILL %p+%#zx len %#zx (device %u) racing CPU write +%#zx len %#zx",
	     (void *)b->home, goff, glen, d, coff, clen);
	cb_reset(t);
	vsvm_cmd_fill(t->cb, VSVM_PTR(b->home + goff), glen, v);
	if (submit(t, d, &s))
		return -1;
	rnd_bytes(&t->rng, b->shadow + coff, clen);
	memcpy(b->home + coff, b->shadow + coff, clen);
	if (await(t, &s, &st))
		return -1;
	if (st)
		return fail(t, "GPU FILL racing a CPU write: status %d (%s), expected 0; %s",
			    st, strerror(-st), fault_info(t, &s));
	for (i = 0; i < glen; i += 4)
		memcpy(b->shadow + goff + i, &v, 4);
	return verify(t, b, "after a GPU FILL racing a CPU write");
}

static int op_chase(struct thr *t)
{
	struct buf *b = pick_buf(t);
	unsigned int n, i, j, perm[256], d;
	size_t off, len, roff;
	uint64_t sum = 0, res[2];

	if (!rw_writes_ok(b) || !pick_rw(t, b, 16, b->size, &off, &len) ||
	    len < 32)
		return 1;
	n = len / 16 - 1 < 256 ? len / 16 - 1 : 256;
	n = rnd_range(&t->rng, 1, n);
	roff = off + 16 * n;
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = rnd_below(&t->rng, i + 1);
		unsigned int x = perm[i];

		perm[i] = perm[j];
		perm[j] = x;
	}
	for (i = 0; i < n; i++) {
		struct drm_vsvm_chase_node node = {
			.next = i + 1 < n ? VSVM_PTR(b->home + off + 16 * perm[i + 1]) : 0,
			.value = rnd64(&t->rng),
		};

		sum += node.value;
		memcpy(b->shadow + off + 16 * perm[i], &node, sizeof(node));
	}
	memcpy(b->home + off, b->shadow + off, 16 * n);
	pick_dev(t, &d);
	tlog(t, "POINTER_CHASE of %u nodes at %p+%#zx, result +%#zx, device %u",
	     n, (void *)b->home, off, roff, d);
	cb_reset(t);
	vsvm_cmd_pointer_chase(t->cb, VSVM_PTR(b->home + roff),
			       VSVM_PTR(b->home + off + 16 * perm[0]), 0);
	if (run_expect(t, d, 0, "POINTER_CHASE"))
		return -1;
	res[0] = sum;
	res[1] = n;
	memcpy(b->shadow + roff, res, sizeof(res));
	return verify(t, b, "after a POINTER_CHASE");
}

/* A page-aligned part of @b (never empty). */
static void pick_pages(struct thr *t, const struct buf *b, size_t *off,
		       size_t *len)
{
	size_t pages = b->size / SZ_4K;
	size_t first = rnd_below(&t->rng, pages);

	if (rnd_pct(&t->rng, 30))
		first = 0;
	*off = first * SZ_4K;
	*len = SZ_4K * (rnd_pct(&t->rng, 30) ? pages - first :
			rnd_range(&t->rng, 1, pages - first));
}

static int prefetch(struct thr *t, uint32_t loc, const char *what)
{
	struct buf *b = pick_buf(t);
	uint64_t migrated = 0;
	size_t off, len;
	unsigned int d;
	int ret;

	pick_dev(t, &d);
	if (loc == DRM_VSVM_LOC_DEVICE && !g.vram_size[d])
		return 1;
	pick_pages(t, b, &off, &len);
	ret = vsvm_prefetch(g.dev[d], VSVM_PTR(b->home + off), len, loc,
			    &migrated);
	tlog(t, "PREFETCH %p+%#zx len %#zx to %s of device %u: %d, %" PRIu64 " pages",
	     (void *)b->home, off, len, what, d, ret, migrated);
	/* VRAM full of other threads' memory: documented, not lost. */
	if (ret == -ENOMEM || (ret == -ENOSPC && loc == DRM_VSVM_LOC_DEVICE)) {
		t->prefetch_enomem++;
	} else if (ret) {
		return fail(t, "PREFETCH %p len %#zx to %s of device %u: %s (expected 0)",
			    (void *)(b->home + off), len, what, d, strerror(-ret));
	}
	if (migrated > len / SZ_4K)
		return fail(t, "PREFETCH %p len %#zx (%zu pages) to %s: migrated %" PRIu64 " pages",
			    (void *)(b->home + off), len, len / SZ_4K, what,
			    migrated);
	t->migrated_pages += migrated;
	/*
	 * The same device, so that what is in its VRAM is read there; the CPU
	 * (which takes it back) only sometimes, to keep VRAM under pressure.
	 */
	if (verify_gpu(t, b, d, "after a PREFETCH"))
		return -1;
	return rnd_pct(&t->rng, 30) ? verify_cpu(t, b, "after a PREFETCH") : 0;
}

static int op_prefetch_vram(struct thr *t)
{
	return prefetch(t, DRM_VSVM_LOC_DEVICE, "VRAM");
}

/* All of the thread's buffers into one device's VRAM: pressure. */
static int op_prefetch_all(struct thr *t)
{
	uint64_t migrated;
	unsigned int d;
	int i, ret;

	pick_dev(t, &d);
	if (!g.vram_size[d])
		return 1;
	tlog(t, "PREFETCH every buffer to the VRAM of device %u", d);
	for (i = 0; i < NBUF; i++) {
		struct buf *b = &t->bufs[i];

		migrated = 0;
		ret = vsvm_prefetch(g.dev[d], VSVM_PTR(b->home), b->size,
				    DRM_VSVM_LOC_DEVICE, &migrated);
		/* VRAM full of other threads' memory: documented, not lost. */
		if (ret == -ENOMEM || ret == -ENOSPC) {
			t->prefetch_enomem++;
		} else if (ret) {
			return fail(t, "PREFETCH %p len %#zx to VRAM of device %u: %s (expected 0)",
				    (void *)b->home, b->size, d, strerror(-ret));
		}
		t->migrated_pages += migrated;
	}
	for (i = 0; i < NBUF; i++)
		if (verify_gpu(t, &t->bufs[i], d, "after PREFETCH of every buffer"))
			return -1;
	return 0;
}

static int op_prefetch_sys(struct thr *t)
{
	return prefetch(t, DRM_VSVM_LOC_SYSTEM, "system memory");
}

/* Placement attributes: they move nothing, GPU faults follow them. */
static int op_advise(struct thr *t)
{
	static const struct { uint32_t attr; uint64_t values[3]; } choice[] = {
		{ DRM_VSVM_ATTR_PREFERRED_LOC,
		  { DRM_VSVM_LOC_NONE, DRM_VSVM_LOC_DEVICE, DRM_VSVM_LOC_SYSTEM } },
		{ DRM_VSVM_ATTR_MIGRATE,
		  { DRM_VSVM_MIGRATE_ON_FAULT, DRM_VSVM_MIGRATE_NEVER,
		    DRM_VSVM_MIGRATE_ON_FAULT } },
		{ DRM_VSVM_ATTR_ATOMIC,
		  { DRM_VSVM_ATOMIC_POLICY_EXCLUSIVE, DRM_VSVM_ATOMIC_POLICY_MIGRATE,
		    DRM_VSVM_ATOMIC_POLICY_EXCLUSIVE } },
		{ DRM_VSVM_ATTR_GRANULARITY, { 0, 16, 21 } },
	};
	unsigned int c = rnd_below(&t->rng, ARRAY_SIZE(choice)), d;
	struct buf *b = pick_buf(t);
	uint64_t v = choice[c].values[rnd_below(&t->rng, 3)], got = ~0ull;
	size_t off, len;
	int ret;

	pick_dev(t, &d);
	if (!g.vram_size[d] && choice[c].attr == DRM_VSVM_ATTR_PREFERRED_LOC &&
	    v == DRM_VSVM_LOC_DEVICE)
		v = DRM_VSVM_LOC_NONE;
	pick_pages(t, b, &off, &len);
	ret = vsvm_advise(g.dev[d], VSVM_PTR(b->home + off), len,
			  choice[c].attr, v);
	tlog(t, "ADVISE %p+%#zx len %#zx attr %u = %" PRIu64 ", device %u: %d",
	     (void *)b->home, off, len, choice[c].attr, v, d, ret);
	if (ret)
		return fail(t, "ADVISE %p len %#zx attr %u value %" PRIu64 " on device %u: %s (expected 0)",
			    (void *)(b->home + off), len, choice[c].attr, v, d,
			    strerror(-ret));
	ret = vsvm_advise_get(g.dev[d], VSVM_PTR(b->home + off + len - SZ_4K),
			      choice[c].attr, &got);
	if (ret || got != v)
		return fail(t, "ADVISE_GET at %p attr %u on device %u: %d, value %" PRIu64 ", expected 0 and %" PRIu64,
			    (void *)(b->home + off + len - SZ_4K), choice[c].attr,
			    d, ret, got, v);
	return verify(t, b, "after an ADVISE");
}

static int op_dontneed(struct thr *t)
{
	struct buf *b = pick_buf(t);
	size_t off, len;

	pick_pages(t, b, &off, &len);
	tlog(t, "madvise(%p+%#zx, %#zx, MADV_DONTNEED)", (void *)b->home, off,
	     len);
	if (madvise(b->home + off, len, MADV_DONTNEED))
		return fail(t, "madvise(%p, %#zx, MADV_DONTNEED): %s",
			    (void *)(b->home + off), len, strerror(errno));
	memset(b->shadow + off, 0, len);
	/* The GPU first: a stale GPU mapping would still see the old pages. */
	if (verify_gpu(t, b, rnd_below(&t->rng, g.ndev), "after MADV_DONTNEED"))
		return -1;
	return verify_cpu(t, b, "after MADV_DONTNEED");
}

/* A GPU FILL and a GPU read of @addr must both fault (nothing mapped). */
static int gpu_expect_fault(struct thr *t, uint8_t *addr, size_t len,
			    const char *what)
{
	unsigned int d;

	pick_dev(t, &d);
	cb_reset(t);
	vsvm_cmd_fill(t->cb, VSVM_PTR(addr), len, 0xdeadbeef);
	if (run_expect(t, d, -EFAULT, what))
		return -1;
	cb_reset(t);
	vsvm_cmd_copy(t->cb, VSVM_PTR(t->scratch), VSVM_PTR(addr), len);
	return run_expect(t, d, -EFAULT, what);
}

static int op_remap(struct thr *t)
{
	struct buf *b = pick_buf(t);

	tlog(t, "munmap(%p, %#zx), GPU access to the hole, mmap again",
	     (void *)b->home, b->size);
	if (munmap(b->home, b->size))
		return fail(t, "munmap(%p, %#zx): %s", (void *)b->home, b->size,
			    strerror(errno));
	if (gpu_expect_fault(t, b->home, b->size, "GPU access to an unmapped buffer"))
		return -1;
	if (buf_map(t, b))
		return -1;
	if (verify_gpu(t, b, rnd_below(&t->rng, g.ndev), "after munmap and mmap"))
		return -1;
	return verify(t, b, "after munmap and mmap");
}

/*
 * Issue #9 §3 (range insert vs munmap): the first GPU fault of a fresh
 * buffer races a munmap of another part of it; the part still mapped must
 * be written, and once the hole is mapped again the GPU must reach it.
 */
static int op_munmap_race(struct thr *t)
{
	struct buf *b = pick_buf(t);
	size_t pages = b->size / SZ_4K, half, hoff, hlen, aoff, alen, i;
	uint32_t v = rnd64(&t->rng);
	unsigned int d;
	struct sub s;
	int32_t st;

	if (pages < 2 || g.skip_bug[BUG_MUNMAP_RACE])
		return 1;
	half = pages / 2;
	aoff = 4 * rnd_below(&t->rng, half * SZ_4K / 4);
	alen = 4 * rnd_range(&t->rng, 1, (half * SZ_4K - aoff) / 4);
	hoff = SZ_4K * rnd_range(&t->rng, half, pages - 1);
	hlen = SZ_4K * rnd_range(&t->rng, 1, pages - hoff / SZ_4K);
	if (munmap(b->home, b->size))
		return fail(t, "munmap(%p, %#zx): %s", (void *)b->home, b->size,
			    strerror(errno));
	if (buf_map(t, b))
		return -1;
	pick_dev(t, &d);
	tlog(t, "first GPU FILL %p+%#zx len %#zx (device %u) racing munmap +%#zx len %#zx",
	     (void *)b->home, aoff, alen, d, hoff, hlen);
	cb_reset(t);
	vsvm_cmd_fill(t->cb, VSVM_PTR(b->home + aoff), alen, v);
	if (submit(t, d, &s))
		return -1;
	if (munmap(b->home + hoff, hlen))
		return fail(t, "munmap(%p, %#zx): %s", (void *)(b->home + hoff),
			    hlen, strerror(errno));
	if (await(t, &s, &st))
		return -1;
	if (st)
		return fail(t, "first GPU FILL %p len %#zx racing munmap of %p len %#zx: status %d (%s), expected 0; %s",
			    (void *)(b->home + aoff), alen, (void *)(b->home + hoff),
			    hlen, st, strerror(-st), fault_info(t, &s));
	for (i = 0; i < alen; i += 4)
		memcpy(b->shadow + aoff + i, &v, 4);
	if (mmap(b->home + hoff, hlen, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) !=
	    b->home + hoff)
		return fail(t, "mmap(%p, %#zx) again: %s", (void *)(b->home + hoff),
			    hlen, strerror(errno));
	b->split = true;
	if (madvise(b->home + hoff, hlen, b->thp))
		return fail(t, "madvise(%p, THP hint): %s", (void *)(b->home + hoff),
			    strerror(errno));
	memset(b->shadow + hoff, 0, hlen);
	/* The GPU must reach the part mapped again. */
	v = rnd64(&t->rng);
	cb_reset(t);
	vsvm_cmd_fill(t->cb, VSVM_PTR(b->home + hoff), hlen, v);
	if (run_expect(t, rnd_below(&t->rng, g.ndev), 0,
		       "GPU FILL of the part unmapped and mapped again"))
		return -1;
	for (i = 0; i < hlen; i += 4)
		memcpy(b->shadow + hoff + i, &v, 4);
	return verify_gpu(t, b, rnd_below(&t->rng, g.ndev),
			  "after a munmap raced a first GPU fault");
}

static int op_mremap(struct thr *t)
{
	struct buf *b = pick_buf(t);
	void *p;

	/* mremap moves one VMA: read-only pages make it several. */
	if (has_ro(b) || b->split || !one_vma(b->home, b->size))
		return 1;
	tlog(t, "mremap %p -> %p and back, size %#zx", (void *)b->home,
	     (void *)b->away, b->size);
	p = mremap(b->home, b->size, b->size, MREMAP_MAYMOVE | MREMAP_FIXED,
		   b->away);
	if (p != b->away)
		return fail(t, "mremap(%p -> %p, %#zx): %s", (void *)b->home,
			    (void *)b->away, b->size, strerror(errno));
	/* Keep the old place reserved: GPU accesses there must fault. */
	if (map_fixed(b->home, b->size, PROT_NONE))
		return fail(t, "mmap(PROT_NONE) at the old place %p: %s",
			    (void *)b->home, strerror(errno));
	if (gpu_expect_fault(t, b->home, b->size, "GPU access to the old place of a moved buffer"))
		return -1;
	{
		struct buf moved = *b;

		moved.home = b->away;
		if (verify_gpu(t, &moved, rnd_below(&t->rng, g.ndev),
			       "at the new place after mremap") ||
		    verify(t, &moved, "at the new place after mremap"))
			return -1;
	}
	p = mremap(b->away, b->size, b->size, MREMAP_MAYMOVE | MREMAP_FIXED,
		   b->home);
	if (p != b->home)
		return fail(t, "mremap(%p -> %p, %#zx) back: %s", (void *)b->away,
			    (void *)b->home, b->size, strerror(errno));
	if (map_fixed(b->away, b->size, PROT_NONE))
		return fail(t, "mmap(PROT_NONE) at %p: %s", (void *)b->away,
			    strerror(errno));
	if (verify_gpu(t, b, rnd_below(&t->rng, g.ndev), "after mremap back"))
		return -1;
	return verify(t, b, "after mremap back");
}

static int op_mprotect_ro(struct thr *t)
{
	struct buf *b = pick_buf(t);
	size_t pages = b->size / SZ_4K, first, n;

	if (has_ro(b))
		return 1;
	/* At most half of the buffer, so that read-write pages remain. */
	n = rnd_range(&t->rng, 1, pages / 2 ? pages / 2 : 1);
	first = rnd_below(&t->rng, pages - n + 1);
	if (pages == 1)
		return 1;
	tlog(t, "mprotect(%p+%#zx, %#zx, PROT_READ)", (void *)b->home,
	     first * SZ_4K, n * SZ_4K);
	if (mprotect(b->home + first * SZ_4K, n * SZ_4K, PROT_READ))
		return fail(t, "mprotect(%p, %#zx, PROT_READ): %s",
			    (void *)(b->home + first * SZ_4K), n * SZ_4K,
			    strerror(errno));
	b->ro_lo = first * SZ_4K;
	b->ro_hi = (first + n) * SZ_4K;
	if (gpu_write_ro(t, b))
		return -1;
	/* Its read-write neighbours stay writable by the GPU (§3). */
	if (rw_writes_ok(b))
		return gpu_fill(t, b);
	return 0;
}

static int op_mprotect_rw(struct thr *t)
{
	struct buf *b = pick_buf(t);

	if (!has_ro(b))
		return 1;
	tlog(t, "mprotect(%p, %#zx, PROT_READ | PROT_WRITE)", (void *)b->home,
	     b->size);
	if (mprotect(b->home, b->size, PROT_READ | PROT_WRITE))
		return fail(t, "mprotect(%p, %#zx, RW): %s", (void *)b->home,
			    b->size, strerror(errno));
	b->ro_lo = b->ro_hi = 0;
	return verify(t, b, "after mprotect back to read-write");
}

/* ------------------------------------------------------------------ */
/* fork                                                                */

static void child_fail(struct thr *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void child_fail(struct thr *t, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " thread=%d op#%" PRIu64 " fork: child %d: ",
		g.seed, t->id, t->nops, (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}

/*
 * The child: its copy of the thread's buffers is the shadow (but for
 * @skip, which a GPU FILL was writing during fork); the inherited devices
 * refuse it (-EPERM); it opens its own, writes its copy with the GPU and
 * the CPU and checks both, then exits, sometimes with work in flight.
 */
static void fork_child(struct thr *t, const struct buf *skip)
{
	struct vsvm_device *dev;
	struct buf *b = NULL;
	size_t off, len, i;
	uint64_t seqno;
	int32_t st;
	long diff;
	int ret;

	for (i = 0; i < NBUF; i++) {
		if (&t->bufs[i] == skip)
			continue;
		diff = first_diff(t->bufs[i].home, t->bufs[i].shadow,
				  t->bufs[i].size);
		if (diff >= 0)
			child_fail(t, "COW copy of %p differs at +%#lx: %#04x, expected %#04x",
				   (void *)t->bufs[i].home, diff,
				   t->bufs[i].home[diff], t->bufs[i].shadow[diff]);
		b = &t->bufs[i];
	}
	if (vsvm_cmdbuf_new(&t->cb))
		child_fail(t, "vsvm_cmdbuf_new failed");
	vsvm_cmd_nop(t->cb);
	ret = vsvm_exec(g.dev[rnd_below(&t->rng, g.ndev)], 0, t->cb, &seqno);
	if (ret != -EPERM)
		child_fail(t, "EXEC on the parent's device: %d (%s), expected -EPERM",
			   ret, strerror(-ret));
	ret = vsvm_device_new_nth(rnd_below(&t->rng, g.ndev), &dev);
	if (ret)
		child_fail(t, "opening its own device: %s", strerror(-ret));
	ret = vsvm_vm_init(dev, 0, 0);
	if (ret)
		child_fail(t, "VM_INIT: %s", strerror(-ret));
	if (!b || !rw_writes_ok(b) || !pick_rw(t, b, 4, b->size, &off, &len))
		_exit(0);

	vsvm_cmdbuf_reset(t->cb);
	vsvm_cmd_fill(t->cb, VSVM_PTR(b->home + off), len, 0xc0ffee00 | t->id);
	if (rnd_pct(&t->rng, 30)) {
		/* Exit with work in flight. */
		vsvm_cmd_atomic(t->cb, DRM_VSVM_ATOMIC_INC, VSVM_PTR(b->home + off),
				0, 0, 200000, 0, 0);
		if (vsvm_exec(dev, 0, t->cb, &seqno))
			child_fail(t, "EXEC on its own device failed");
		_exit(0);
	}
	ret = vsvm_exec_wait(dev, 0, t->cb, GPU_TIMEOUT_NS, &st);
	if (ret || st)
		child_fail(t, "GPU FILL of its COW copy %p len %#zx: %d, status %d",
			   (void *)(b->home + off), len, ret, st);
	for (i = 0; i < len; i += 4) {
		uint32_t v = 0xc0ffee00 | t->id;

		memcpy(b->shadow + off + i, &v, 4);
	}
	diff = first_diff(b->home, b->shadow, b->size);
	if (diff >= 0)
		child_fail(t, "after its GPU FILL, %p differs at +%#lx: %#04x, expected %#04x",
			   (void *)b->home, diff, b->home[diff], b->shadow[diff]);
	if (rnd_pct(&t->rng, 50))
		vsvm_device_del(dev);
	_exit(0);
}

static int op_fork(struct thr *t)
{
	struct buf *b = pick_buf(t);
	size_t off = 0, len = 0, i;
	bool inflight = rw_writes_ok(b) && pick_rw(t, b, 4, b->size, &off, &len);
	uint32_t v = rnd64(&t->rng);
	int status, ret;
	struct sub s;
	int32_t st;
	pid_t pid;

	if (inflight) {
		cb_reset(t);
		vsvm_cmd_fill(t->cb, VSVM_PTR(b->home + off), len, v);
		if (submit(t, rnd_below(&t->rng, g.ndev), &s))
			return -1;
	}
	tlog(t, "fork%s", inflight ? " with a GPU FILL in flight" : "");
	pid = fork();
	if (pid < 0)
		return fail(t, "fork: %s", strerror(errno));
	if (!pid)
		fork_child(t, inflight ? b : NULL);
	if (inflight) {
		if (await(t, &s, &st))
			return -1;
		if (st)
			return fail(t, "GPU FILL %p len %#zx in flight across fork: status %d (%s); %s",
				    (void *)(b->home + off), len, st, strerror(-st),
				    fault_info(t, &s));
		for (i = 0; i < len; i += 4)
			memcpy(b->shadow + off + i, &v, 4);
	}
	/* While the child lives: parent writes break COW on its side. */
	if (op_gpu_fill(t) < 0 || op_cpu_write(t) < 0)
		return -1;
	ret = waitpid(pid, &status, 0);
	if (ret != pid)
		return fail(t, "waitpid(%d): %s", pid, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail(t, "fork child %d ended with status %#x (see its message above)",
			    pid, status);
	return verify_all(t, "in the parent after fork");
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */

static int (*const op_fn[NR_OPS])(struct thr *) = {
	[OP_CPU_WRITE] = op_cpu_write,
	[OP_GPU_FILL] = op_gpu_fill,
	[OP_GPU_COPY] = op_gpu_copy,
	[OP_GPU_WRITE_VALUE] = op_gpu_write_value,
	[OP_GPU_ATOMIC] = op_gpu_atomic,
	[OP_ATOMIC_RACE] = op_atomic_race,
	[OP_ATOMIC_LONG_RACE] = op_atomic_long_race,
	[OP_CPU_GPU_RACE] = op_cpu_gpu_race,
	[OP_CHASE] = op_chase,
	[OP_PREFETCH_VRAM] = op_prefetch_vram,
	[OP_PREFETCH_ALL] = op_prefetch_all,
	[OP_PREFETCH_SYS] = op_prefetch_sys,
	[OP_ADVISE] = op_advise,
	[OP_DONTNEED] = op_dontneed,
	[OP_REMAP] = op_remap,
	[OP_MUNMAP_RACE] = op_munmap_race,
	[OP_MREMAP] = op_mremap,
	[OP_MPROTECT_RO] = op_mprotect_ro,
	[OP_MPROTECT_RW] = op_mprotect_rw,
	[OP_FORK] = op_fork,
};

static enum op_id pick_op(struct thr *t)
{
	unsigned int total = 0, i, r;

	for (i = 0; i < NR_OPS; i++)
		total += op_weight[i];
	r = rnd_below(&t->rng, total);
	for (i = 0; r >= op_weight[i]; i++)
		r -= op_weight[i];
	return i;
}

static uint8_t *slot(int thread, int n)
{
	return g.arena + ((size_t)thread * SLOTS_PER_THREAD + n) * SLOT;
}

static int thread_setup(struct thr *t)
{
	int i;

	t->opname = "setup";
	if (vsvm_cmdbuf_new(&t->cb))
		return fail(t, "vsvm_cmdbuf_new: out of memory");
	t->scratch = slot(t->id, 2 * NBUF);
	if (map_fixed(t->scratch, MAX_BUF, PROT_READ | PROT_WRITE))
		return fail(t, "mmap scratch at %p: %s", (void *)t->scratch,
			    strerror(errno));
	for (i = 0; i < NBUF; i++) {
		struct buf *b = &t->bufs[i];

		b->home = slot(t->id, 2 * i);
		b->away = slot(t->id, 2 * i + 1);
		b->size = rnd_pct(&t->rng, 25) ? MAX_BUF :
			  SZ_4K * rnd_range(&t->rng, 1, MAX_BUF / SZ_4K);
		b->shadow = malloc(MAX_BUF);
		if (!b->shadow)
			return fail(t, "malloc shadow: out of memory");
		/* The reservation's PROT_NONE mapping is in the way. */
		if (munmap(b->home, b->size))
			return fail(t, "munmap %p: %s", (void *)b->home,
				    strerror(errno));
		if (buf_map(t, b))
			return -1;
		rnd_bytes(&t->rng, b->shadow, b->size);
		memcpy(b->home, b->shadow, b->size);
	}
	return 0;
}

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	enum op_id op;
	int ret;

	if (thread_setup(t))
		return NULL;
	while (!atomic_load(&g.stop) && now_ns() < g.deadline) {
		op = pick_op(t);
		t->nops++;
		t->opname = op_names[op];
		ret = op_fn[op](t);
		if (ret < 0)
			break;
		if (ret > 0)
			t->skipped[op]++;
		else
			t->done[op]++;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Setup and the end checks                                            */

static void usage(FILE *f)
{
	int i;

	fprintf(f,
		"usage: " PROG " [--seed N] [--duration SECS] [--threads N] [--verbose]\n"
		"                   [--known-bug NAME]...\n"
		"\n"
		"Randomized multi-threaded SVM stress of the vsvm devices (all of them,\n"
		"up to %d; load vsvm with num_devices=2 and a small vram_size_mb for VRAM\n"
		"pressure). Every operation checks the data against a shadow copy.\n"
		"\n"
		"  --seed N         seed of the run (default: from the clock; printed at the\n"
		"                   start and on failure: rerun with it to replay the same\n"
		"                   operation sequence per thread)\n"
		"  --duration SECS  how long to start new operations (default 60, or\n"
		"                   $VSVM_STRESS_DURATION)\n"
		"  --threads N      worker threads (default 4, at most %d)\n"
		"  --verbose        log every operation\n"
		"  --known-bug NAME leave out the operations a known bug breaks; NAME:\n",
		MAX_DEVS, MAX_THREADS);
	for (i = 0; i < NR_BUGS; i++)
		fprintf(f, "                     %s: %s\n", known_bugs[i].name,
			known_bugs[i].what);
	fprintf(f, "\nExit status: 0 pass, 1 fail, 2 usage error, 77 no vsvm device.\n");
}

static void parse_args(int argc, char **argv)
{
	bool seeded = false;
	int i, j;

	g.duration = env_secs(PROG, "VSVM_STRESS_DURATION", 60);
	g.nthreads = 4;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--verbose")) {
			g.verbose = true;
			continue;
		}
		if (!v) {
			usage(stderr);
			exit(2);
		}
		i++;
		if (!strcmp(a, "--seed")) {
			g.seed = parse_u64(PROG, a, v);
			seeded = true;
		} else if (!strcmp(a, "--duration")) {
			g.duration = parse_secs(PROG, a, v);
		} else if (!strcmp(a, "--threads")) {
			g.nthreads = parse_u64(PROG, a, v);
			if (g.nthreads < 1 || g.nthreads > MAX_THREADS) {
				fprintf(stderr, PROG ": --threads 1..%d\n", MAX_THREADS);
				exit(2);
			}
		} else if (!strcmp(a, "--known-bug")) {
			for (j = 0; j < NR_BUGS && strcmp(v, known_bugs[j].name); j++)
				;
			if (j == NR_BUGS) {
				fprintf(stderr, PROG ": unknown --known-bug %s\n", v);
				usage(stderr);
				exit(2);
			}
			g.skip_bug[j] = true;
		} else {
			usage(stderr);
			exit(2);
		}
	}
	if (!seeded)
		g.seed = default_seed();
}

static int open_devices(void)
{
	unsigned int n = 0, i;
	int ret;

	ret = vsvm_device_count(&n);
	if (ret || !n) {
		printf(PROG ": SKIP: no vsvm device (%s)\n",
		       ret ? strerror(-ret) : "none in /dev/dri");
		return 77;
	}
	g.ndev = n < MAX_DEVS ? n : MAX_DEVS;
	for (i = 0; i < g.ndev; i++) {
		ret = vsvm_device_new_nth(i, &g.dev[i]);
		if (!ret)
			ret = vsvm_vm_init(g.dev[i], 0, 0);
		if (!ret)
			ret = vsvm_get_param(g.dev[i], DRM_VSVM_PARAM_VRAM_SIZE,
					     &g.vram_size[i]);
		if (ret) {
			fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " setup: device %u: %s\n",
				g.seed, i, strerror(-ret));
			return 1;
		}
	}
	return 0;
}

static int reserve_arena(void)
{
	size_t size = (size_t)g.nthreads * SLOTS_PER_THREAD * SLOT;
	uint8_t *p = mmap(NULL, size + SLOT, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " setup: reserving %#zx bytes: %s\n",
			g.seed, size, strerror(errno));
		return 1;
	}
	g.arena = (uint8_t *)(((uintptr_t)p + SLOT - 1) & ~(uintptr_t)(SLOT - 1));
	g.arena_size = size;
	return 0;
}

static void print_summary(double secs)
{
	uint64_t done[NR_OPS] = { 0 }, skipped[NR_OPS] = { 0 }, total = 0;
	uint64_t enomem = 0, migrated = 0, refused = 0;
	int i, j;

	for (i = 0; i < g.nthreads; i++) {
		for (j = 0; j < NR_OPS; j++) {
			done[j] += g.thr[i].done[j];
			skipped[j] += g.thr[i].skipped[j];
			total += g.thr[i].done[j];
		}
		enomem += g.thr[i].prefetch_enomem;
		migrated += g.thr[i].migrated_pages;
		refused += g.thr[i].atomics_refused;
	}
	printf(PROG ": %" PRIu64 " operations in %.1f s (%d threads, %u devices), seed %" PRIu64 "\n",
	       total, secs, g.nthreads, g.ndev, g.seed);
	for (j = 0; j < NR_OPS; j++)
		printf("  %-18s %8" PRIu64 " done %8" PRIu64 " not applicable\n",
		       op_names[j], done[j], skipped[j]);
	printf("  prefetch: %" PRIu64 " pages moved, %" PRIu64 " -ENOMEM or -ENOSPC\n",
	       migrated, enomem);
	printf("  GPU atomics refused on a page that cannot be made device-exclusive (PTE-mapped THP, docs/atomics.md): %" PRIu64 "\n",
	       refused);
	for (j = 0; j < NR_BUGS; j++)
		if (g.skip_bug[j])
			printf("  left out (known bug %s): %s\n", known_bugs[j].name,
			       known_bugs[j].what);
}

static void print_stats(unsigned int i, const struct drm_vsvm_stats *s)
{
	printf("  device %u: gpu_faults %llu unrecoverable %llu svm_faults %llu retries %llu invalidations %llu\n"
	       "            mapped_pages %llu vram_used %llu evictions %llu to_vram %llu to_ram %llu atomic grants %llu revokes %llu\n",
	       i, s->gpu_faults, s->gpu_faults_unrecoverable, s->svm_faults,
	       s->svm_retries, s->invalidations, s->mapped_pages, s->vram_used,
	       s->vram_evictions, s->migrations_to_vram, s->migrations_to_ram,
	       s->atomic_grants, s->atomic_revokes);
}

/*
 * Everything unmapped: no GPU page may stay mapped. Devices closed: a
 * fresh VM on each must see no VRAM in use.
 */
static int end_checks(void)
{
	struct drm_vsvm_stats s;
	struct vsvm_device *dev;
	unsigned int i;
	int ret, err = 0;

	for (i = 0; i < g.ndev; i++) {
		ret = vsvm_stats(g.dev[i], &s);
		if (!ret)
			print_stats(i, &s);
	}
	if (munmap(g.arena, g.arena_size)) {
		fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " end: munmap of every buffer: %s\n",
			g.seed, strerror(errno));
		return 1;
	}
	for (i = 0; i < g.ndev; i++) {
		ret = vsvm_stats(g.dev[i], &s);
		if (ret || s.mapped_pages) {
			fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " end: device %u VM with every buffer unmapped: STATS %d, mapped_pages %llu (expected 0)\n",
				g.seed, i, ret, s.mapped_pages);
			err = 1;
		}
		vsvm_device_del(g.dev[i]);
		g.dev[i] = NULL;
	}
	for (i = 0; i < g.ndev; i++) {
		ret = vsvm_device_new_nth(i, &dev);
		if (!ret)
			ret = vsvm_vm_init(dev, 0, 0);
		if (!ret)
			ret = vsvm_stats(dev, &s);
		if (ret || s.vram_used) {
			fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " end: device %u after every VM closed: %d, vram_used %llu (expected 0)\n",
				g.seed, i, ret, ret ? 0ull : s.vram_used);
			err = 1;
		}
		vsvm_device_del(dev);
	}
	return err;
}

int main(int argc, char **argv)
{
	uint64_t start;
	int i, ret;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf(PROG ": seed %" PRIu64 ", %.0f s, %d threads\n", g.seed,
	       g.duration, g.nthreads);
	ret = open_devices();
	if (ret)
		return ret;
	if (reserve_arena())
		return 1;
	start = now_ns();
	g.deadline = start + (uint64_t)(g.duration * NSEC_PER_SEC);
	for (i = 0; i < g.nthreads; i++) {
		g.thr[i].id = i;
		rng_init(&g.thr[i].rng, g.seed, i + 1);
		if (pthread_create(&g.thr[i].tid, NULL, thread_main, &g.thr[i])) {
			fprintf(stderr, PROG ": FAIL seed=%" PRIu64 " setup: pthread_create\n",
				g.seed);
			return 1;
		}
	}
	for (i = 0; i < g.nthreads; i++)
		pthread_join(g.thr[i].tid, NULL);
	print_summary((now_ns() - start) / 1e9);
	ret = atomic_load(&g.failures) ? 1 : 0;
	if (end_checks())
		ret = 1;
	printf(PROG ": %s (seed %" PRIu64 ")\n", ret ? "FAIL" : "PASS", g.seed);
	return ret;
}
