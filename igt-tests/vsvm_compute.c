// SPDX-License-Identifier: MIT
/*
 * vsvm_compute: the shader core (DRM_VSVM_FEATURE_SHADER, issue #11):
 * OpenCL C kernels compiled at build time by vsvm-cc (shader/compute.cl)
 * run by DRM_VSVM_OP_DISPATCH over malloc'd memory, every access through
 * the GPU page table. Each subtest checks exact results: integer, float
 * and double arithmetic against the host; OpenCL atomics; Popple's
 * counter (N work-items x M atomic adds while CPU threads add to the same
 * counter); a lock-free hash insert racing a host thread; a pointer chase
 * over a malloc'd list; local-memory reductions with barriers; 3D ids; a
 * large grid; VRAM migration under a running dispatch; two channels and
 * two devices at once; munmap, mprotect and fork during a dispatch; the
 * exceptions (-EFAULT with its pc and address, -ENOEXEC, -EDEADLK,
 * -ETIMEDOUT, close() of a spinning dispatch); and the differential test:
 * random RV64IMAFD programs and C kernels whose results qemu-riscv64
 * computed at build time (shader/mkdiff.py), compared bit for bit.
 *
 * Needs a vsvm render node (vsvm.ko loaded); skips otherwise, and skips
 * what the device does not advertise.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <xf86drm.h>

#include <vsvm_cc.h>

#include "vsvm_helpers.h"

IGT_TEST_DESCRIPTION("Programs on the vsvm shader core: OpenCL C kernels over "
		     "SVM memory, atomics, barriers, faults, exceptions, and "
		     "bit-exact agreement with qemu-riscv64.");

extern const char compute_vsvmp[], compute_vsvmp_end[];
extern const char diff_bin[], diff_bin_end[];

/* compute.vsvmp, parsed once. */
static struct vsvm_cc_program *compute;

/* ------------------------------------------------------------------ */
/* Programs and launches                                               */

#define MAX_PROGS 16
static struct vsvm_program *tracked_progs[MAX_PROGS];
/* Each one's static __local bytes: a dispatch's local_mem is at least that. */
static uint32_t tracked_local[MAX_PROGS];
static int num_progs;

/* Programs go before their devices: a handle lives in its file. */
static void release_progs(void)
{
	while (num_progs > 0)
		vsvm_program_del(tracked_progs[--num_progs]);
}

static struct vsvm_program *track_prog(struct vsvm_program *prog, uint32_t local)
{
	if (num_progs == MAX_PROGS)
		release_progs();
	tracked_local[num_progs] = local;
	tracked_progs[num_progs++] = prog;
	return prog;
}

static uint32_t prog_local(const struct vsvm_program *prog)
{
	int i;

	for (i = 0; i < num_progs; i++)
		if (tracked_progs[i] == prog)
			return tracked_local[i];
	return 0;
}

static struct vsvm_device *shader_vm(void)
{
	release_progs();
	return test_vm();
}

static struct vsvm_program *upload(struct vsvm_device *dev,
				   const struct vsvm_cc_program *cc)
{
	const struct drm_vsvm_program_header *h;
	struct vsvm_program *prog;
	uint64_t off = 0;
	const void *img;
	size_t size;
	int ret;

	img = vsvm_cc_program_image(cc, &size);
	igt_assert(img);
	h = img;
	ret = vsvm_program_new(dev, img, size, &prog, &off);
	igt_assert_f(ret == 0, "PROGRAM_CREATE: %d (%s), offset %" PRIu64 "\n",
		     ret, strerror(-ret), off);
	igt_assert(vsvm_program_handle(prog));
	return track_prog(prog, (uint32_t)h->local_size);
}

static const struct vsvm_cc_kernel *kernel(const struct vsvm_cc_program *cc,
					   const char *name)
{
	const struct vsvm_cc_kernel *k = vsvm_cc_program_find_kernel(cc, name);

	igt_assert_f(k, "kernel %s not in the program\n", name);
	return k;
}

/* A kernel's argument block: GPU memory like any other. */
static void *kernarg_new(const struct vsvm_cc_kernel *k)
{
	size_t size = (k->kernarg_size + 63) & ~63ul;
	void *ka = aligned_alloc(64, size ? size : 64);

	igt_assert(ka);
	memset(ka, 0, size ? size : 64);
	return ka;
}

static void set_arg(void *ka, const struct vsvm_cc_kernel *k, unsigned int i,
		    const void *v, size_t n)
{
	igt_assert_f(i < k->num_args && n == k->args[i].size,
		     "%s: argument %u of size %zu\n", k->name, i, n);
	memcpy((char *)ka + k->args[i].offset, v, n);
}

#define ARG(ka, k, i, v) do { \
	__typeof__(v) __v = (v); \
	set_arg(ka, k, i, &__v, sizeof(__v)); \
} while (0)
#define PTR(ka, k, i, p) ARG(ka, k, i, VSVM_PTR(p))

/**
 * struct launch - an NDRange
 */
struct launch {
	uint32_t dim;
	uint64_t global[3];
	uint32_t local[3];
	uint64_t offset[3];
	uint32_t local_mem;
	uint64_t insn_budget;
};

#define LAUNCH1(g, l) ((struct launch){ .dim = 1, .global = { g, 1, 1 }, \
					.local = { l, 1, 1 } })

static struct drm_vsvm_dispatch dispatch_of(struct vsvm_program *prog,
					    uint64_t entry, uint64_t kernarg,
					    const struct launch *l)
{
	struct drm_vsvm_dispatch d = {
		.program = vsvm_program_handle(prog),
		.work_dim = l->dim,
		.entry = entry,
		.kernarg = kernarg,
		.local_mem = l->local_mem > prog_local(prog) ? l->local_mem :
			     prog_local(prog),
		.insn_budget = l->insn_budget,
	};
	int i;

	for (i = 0; i < 3; i++) {
		d.global_size[i] = l->global[i] ? l->global[i] : 1;
		d.local_size[i] = l->local[i] ? l->local[i] : 1;
		d.global_offset[i] = l->offset[i];
	}
	return d;
}

/* Queue a dispatch on @ch, with a job timeout (0: the default). */
static int exec_dispatch(struct vsvm_device *dev, uint32_t ch,
			 const struct drm_vsvm_dispatch *d, uint64_t timeout_ns,
			 uint64_t *seqno)
{
	struct drm_vsvm_cmd c = { .op = DRM_VSVM_OP_DISPATCH, .src = VSVM_PTR(d) };
	struct drm_vsvm_exec ex = {
		.cmds = VSVM_PTR(&c), .num_cmds = 1, .channel = ch,
		.timeout_ns = timeout_ns,
	};

	if (drmIoctl(vsvm_device_fd(dev), DRM_IOCTL_VSVM_EXEC, &ex))
		return -errno;
	*seqno = ex.seqno;
	return 0;
}

static int32_t wait_seqno(struct vsvm_device *dev, uint32_t ch, uint64_t seqno)
{
	int32_t status = 1;
	int ret = vsvm_wait(dev, ch, seqno, VSVM_TIMEOUT_NS, &status);

	igt_assert_f(ret == 0, "WAIT: %d (%s)\n", ret, strerror(-ret));
	return status;
}

static uint64_t launch_async(struct vsvm_device *dev, uint32_t ch,
			     struct vsvm_program *prog,
			     const struct vsvm_cc_kernel *k, void *ka,
			     const struct launch *l)
{
	/* EXEC copies it: a local is fine. */
	struct drm_vsvm_dispatch d = dispatch_of(prog, k->entry, VSVM_PTR(ka), l);
	uint64_t seqno;
	int ret = exec_dispatch(dev, ch, &d, 0, &seqno);

	igt_assert_f(ret == 0, "EXEC %s: %d (%s)\n", k->name, ret, strerror(-ret));
	return seqno;
}

/* Run @k over @l on channel 0; returns the submission's status. */
static int32_t launch(struct vsvm_device *dev, struct vsvm_program *prog,
		      const struct vsvm_cc_kernel *k, void *ka,
		      const struct launch *l)
{
	struct drm_vsvm_dispatch d = dispatch_of(prog, k->entry, VSVM_PTR(ka), l);
	struct vsvm_cmdbuf *cb = new_cb();
	int32_t st;

	igt_assert_eq(vsvm_cmd_dispatch(cb, &d), 0);
	st = run_cb(dev, cb);
	vsvm_cmdbuf_del(cb);
	return st;
}

static void *zalloc(size_t size)
{
	void *p = aligned_alloc(4096, (size + 4095) & ~4095ul);

	igt_assert(p);
	memset(p, 0, size);
	return p;
}

/* Anonymous private memory, as device-exclusive atomics need. */
static void *anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                          */

static uint64_t rotl64(uint64_t x, unsigned int n)
{
	return n ? x << n | x >> (64 - n) : x;
}

static void test_integer(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_int");
	const size_t n = 4096;
	uint64_t seed = rnd(), *out = zalloc(n * 32);
	void *ka = kernarg_new(k);
	size_t i;

	PTR(ka, k, 0, out);
	ARG(ka, k, 1, seed);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(n, 64)), 0);
	for (i = 0; i < n; i++) {
		uint64_t x = seed ^ (i * 0x9e3779b97f4a7c15ull), want[4];
		uint32_t y = (uint32_t)(x >> 17) | 1;
		int64_t s = (int64_t)x;

		want[0] = x * 0xff51afd7ed558ccdull + (x >> 33);
		want[1] = (uint64_t)(s / (int64_t)(y | 3)) ^ (uint64_t)(s % 7);
		want[2] = (uint64_t)(((unsigned __int128)x * 0xc4ceb9fe1a85ec53ull) >> 64) +
			  rotl64(x, i & 63);
		want[3] = (uint64_t)(int64_t)((int32_t)y / -3) +
			  (x ? __builtin_clzll(x) : 64) + __builtin_popcountll(x);
		igt_assert_f(!memcmp(&out[4 * i], want, sizeof(want)),
			     "work-item %zu: %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64
			     ", want %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 "\n",
			     i, out[4 * i], out[4 * i + 1], out[4 * i + 2], out[4 * i + 3],
			     want[0], want[1], want[2], want[3]);
	}
	free(ka);
	free(out);
}

static float rnd_float(void)
{
	return (float)((int64_t)(rnd() % 200000001) - 100000000) / 1e6f;
}

static uint32_t fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static uint64_t dbits(double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return u;
}

static void test_float(void)
{
	static const float specials[] = { 0.0f, -0.0f, INFINITY, -INFINITY, NAN,
					  1e-40f, 3.0f };
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_float");
	const size_t n = 4096;
	float *a = zalloc(n * 4), *b = zalloc(n * 4), *out = zalloc(n * 24);
	float s = 1.0f / 3.0f;
	void *ka = kernarg_new(k);
	size_t i;

	for (i = 0; i < n; i++) {
		a[i] = rnd_float();
		b[i] = i % 17 < ARRAY_SIZE(specials) ? specials[i % 17] : rnd_float();
	}
	PTR(ka, k, 0, out);
	PTR(ka, k, 1, a);
	PTR(ka, k, 2, b);
	ARG(ka, k, 3, s);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(n, 32)), 0);
	for (i = 0; i < n; i++) {
		volatile float x = a[i], y = b[i], t = x * y;
		float want[6] = {
			fmaf(s, x, y), x / y, sqrtf(fabsf(x)), (float)(int)(x * 1000.0f),
			fminf(x, y), t - s,
		};
		int j;

		for (j = 0; j < 6; j++)
			igt_assert_f(fbits(out[6 * i + j]) == fbits(want[j]) ||
				     (isnan(want[j]) && fbits(out[6 * i + j]) == 0x7fc00000),
				     "work-item %zu result %d: %#x, want %#x (x %a y %a)\n",
				     i, j, fbits(out[6 * i + j]), fbits(want[j]), x, y);
	}
	free(ka);
	free(a);
	free(b);
	free(out);
}

static void test_double(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_double");
	const size_t n = 4096;
	double *a = zalloc(n * 8), *b = zalloc(n * 8), *out = zalloc(n * 32);
	double s = 1.0 / 7.0;
	void *ka = kernarg_new(k);
	size_t i;

	for (i = 0; i < n; i++) {
		a[i] = (double)(int64_t)rnd() / 3e9;
		b[i] = i % 13 ? (double)(int64_t)rnd() / 7e17 : 0.0;
	}
	PTR(ka, k, 0, out);
	PTR(ka, k, 1, a);
	PTR(ka, k, 2, b);
	ARG(ka, k, 3, s);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(n, 16)), 0);
	for (i = 0; i < n; i++) {
		volatile double x = a[i], y = b[i], t = x * y;
		double want[4] = { fma(s, x, y), x / y, sqrt(fabs(x)), t - s };
		int j;

		for (j = 0; j < 4; j++)
			igt_assert_f(dbits(out[4 * i + j]) == dbits(want[j]),
				     "work-item %zu result %d: %a, want %a\n",
				     i, j, out[4 * i + j], want[j]);
	}
	free(ka);
	free(a);
	free(b);
	free(out);
}

static void test_atomics(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_atomics");
	const int n = 1000;
	int32_t *c = anon(4096);
	uint32_t *u = (uint32_t *)(c + 16);
	int64_t *l = (int64_t *)(c + 32);
	void *ka = kernarg_new(k);
	uint32_t x = 0;
	int64_t sum = 0;
	int i;

	for (i = 0; i < n; i++) {
		x ^= i;
		sum += (int64_t)i << 20;
	}
	PTR(ka, k, 0, c);
	PTR(ka, k, 1, u);
	PTR(ka, k, 2, l);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(n, 8)), 0);
	igt_assert_eq(c[0], n * (n - 1) / 2);
	igt_assert_eq(c[1], -(n - 1));
	igt_assert_eq(c[2], n);
	igt_assert_eq(c[3], 2 * n);
	igt_assert_eq(c[4], 42);
	igt_assert_eq_u32(u[0], 7u * (n - 1));
	igt_assert_eq_u32(u[1], 0xffffffffu);
	igt_assert_eq_u32(u[2], x);
	igt_assert_eq_u64((uint64_t)l[0], (uint64_t)sum);
	free(ka);
	munmap(c, 4096);
}

/* ------------------------------------------------------------------ */
/* GPU and CPU at once                                                 */

struct cpu_adder {
	pthread_t thread;
	_Atomic int *counter;
	long adds;
};

static void *cpu_add(void *arg)
{
	struct cpu_adder *a = arg;
	long i;

	for (i = 0; i < a->adds; i++)
		atomic_fetch_add_explicit(a->counter, 1, memory_order_relaxed);
	return NULL;
}

/*
 * Popple's test: N work-items each add 1 M times to a counter in private
 * anonymous memory while CPU threads add K each: exactly N*M + T*K.
 */
static void test_popple(int threads)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_counter");
	const int n = 64, m = 2000;
	const long adds = 200000;
	struct cpu_adder cpu[4];
	struct drm_vsvm_stats st;
	_Atomic int *counter = anon(4096);
	void *ka = kernarg_new(k);
	uint64_t seqno;
	int i;

	igt_require(vsvm_features & DRM_VSVM_FEATURE_ATOMICS);
	PTR(ka, k, 0, counter);
	ARG(ka, k, 1, m);
	seqno = launch_async(dev, 0, prog, k, ka, &LAUNCH1(n, 16));
	for (i = 0; i < threads; i++) {
		cpu[i] = (struct cpu_adder){ .counter = counter, .adds = adds };
		igt_assert_eq(pthread_create(&cpu[i].thread, NULL, cpu_add, &cpu[i]), 0);
	}
	for (i = 0; i < threads; i++)
		pthread_join(cpu[i].thread, NULL);
	igt_assert_eq(wait_seqno(dev, 0, seqno), 0);
	igt_assert_eq(atomic_load(counter), n * m + threads * adds);
	get_stats(dev, &st);
	igt_assert(st.atomic_grants > 0);
	igt_info("counter %d, %" PRIu64 " grants, %" PRIu64 " revokes\n",
		 atomic_load(counter), (uint64_t)st.atomic_grants,
		 (uint64_t)st.atomic_revokes);
	free(ka);
	munmap((void *)counter, 4096);
}

#define HASH_BITS 14

struct hash_inserter {
	pthread_t thread;
	_Atomic uint64_t *keys;
	uint64_t base, n;
};

static void hash_insert(_Atomic uint64_t *keys, uint64_t key)
{
	uint64_t mask = (1u << HASH_BITS) - 1, h = (key * 0x9e3779b97f4a7c15ull) >> 20 & mask;

	for (;;) {
		uint64_t expected = 0;

		if (atomic_compare_exchange_strong(&keys[h], &expected, key) ||
		    expected == key)
			return;
		h = (h + 1) & mask;
	}
}

static void *host_inserts(void *arg)
{
	struct hash_inserter *h = arg;
	uint64_t i;

	for (i = 0; i < h->n; i++)
		hash_insert(h->keys, h->base + i + 1);
	return NULL;
}

/* A lock-free hash insert on the GPU racing one on the host. */
static void test_hash(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_hash");
	const uint64_t n = 4096, size = 8ull << HASH_BITS;
	_Atomic uint64_t *keys = anon(size);
	struct hash_inserter host = { .keys = keys, .base = 1ull << 32, .n = n };
	void *ka = kernarg_new(k);
	uint64_t seqno, i, found = 0;
	uint8_t *seen = calloc(2 * n, 1);

	igt_require(vsvm_features & DRM_VSVM_FEATURE_ATOMICS);
	PTR(ka, k, 0, keys);
	ARG(ka, k, 1, (uint64_t)(1u << HASH_BITS) - 1);
	ARG(ka, k, 2, (uint64_t)0);
	seqno = launch_async(dev, 0, prog, k, ka, &LAUNCH1(n, 64));
	igt_assert_eq(pthread_create(&host.thread, NULL, host_inserts, &host), 0);
	pthread_join(host.thread, NULL);
	igt_assert_eq(wait_seqno(dev, 0, seqno), 0);
	for (i = 0; i < 1u << HASH_BITS; i++) {
		uint64_t key = atomic_load(&keys[i]), slot;

		if (!key)
			continue;
		slot = key > host.base ? n + key - host.base - 1 : key - 1;
		igt_assert_f(slot < 2 * n && !seen[slot], "key %#" PRIx64 " bad or twice\n", key);
		seen[slot] = 1;
		found++;
	}
	igt_assert_eq_u64(found, 2 * n);
	free(seen);
	free(ka);
	munmap((void *)keys, size);
}

struct node {
	struct node *next;
	uint64_t value;
};

/* Fine-grain system SVM: a list built with plain malloc(). */
static void test_pointer_chase(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_chase");
	const size_t n = 20000;
	struct node **nodes = calloc(n, sizeof(*nodes)), *head = NULL;
	uint64_t *out = zalloc(16), sum = 0;
	void *ka = kernarg_new(k);
	size_t i, j;

	for (i = 0; i < n; i++) {
		nodes[i] = malloc(sizeof(struct node) + (rnd() % 4) * 16);
		nodes[i]->value = rnd() >> 20;
		sum += nodes[i]->value;
	}
	/* Link them in a random order. */
	for (i = n - 1; i > 0; i--) {
		struct node *t;

		j = rnd() % (i + 1);
		t = nodes[i];
		nodes[i] = nodes[j];
		nodes[j] = t;
	}
	for (i = 0; i < n; i++) {
		nodes[i]->next = head;
		head = nodes[i];
	}
	PTR(ka, k, 0, head);
	PTR(ka, k, 1, out);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(1, 1)), 0);
	igt_assert_eq_u64(out[0], sum);
	igt_assert_eq_u64(out[1], n);
	for (i = 0; i < n; i++)
		free(nodes[i]);
	free(nodes);
	free(out);
	free(ka);
}

/* The program's static __local bytes: dynamic areas go after them. */
static uint32_t static_local(void)
{
	size_t size;
	const struct drm_vsvm_program_header *h = vsvm_cc_program_image(compute, &size);

	return (uint32_t)h->local_size;
}

static void test_reduction(bool dynamic)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, dynamic ? "k_reduce" :
						"k_reduce_static");
	const uint32_t groups = 32, items = 64;
	uint32_t *in = zalloc(groups * items * 4), *out = zalloc(groups * 4);
	uint32_t base = (static_local() + 127) & ~127u;
	struct launch l = LAUNCH1(groups * items, items);
	void *ka = kernarg_new(k);
	uint32_t g, i;

	for (i = 0; i < groups * items; i++)
		in[i] = (uint32_t)rnd() >> 8;
	PTR(ka, k, 0, in);
	PTR(ka, k, 1, out);
	l.local_mem = static_local();
	if (dynamic) {
		ARG(ka, k, 2, (uint64_t)DRM_VSVM_SHADER_LOCAL + base);
		l.local_mem = base + items * 4;
	}
	igt_assert_eq(launch(dev, prog, k, ka, &l), 0);
	for (g = 0; g < groups; g++) {
		uint32_t sum = 0;

		for (i = 0; i < items; i++)
			sum += in[g * items + i];
		igt_assert_f(out[g] == sum, "group %u: %u, want %u\n", g, out[g], sum);
	}
	free(ka);
	free(in);
	free(out);
}

static void test_ids(const struct launch *l)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_ids");
	uint64_t total = l->global[0] * l->global[1] * l->global[2];
	uint64_t *out = zalloc(total * 128), x, y, z, d;
	void *ka = kernarg_new(k);

	PTR(ka, k, 0, out);
	igt_assert_eq(launch(dev, prog, k, ka, l), 0);
	for (z = 0; z < l->global[2]; z++)
	for (y = 0; y < l->global[1]; y++)
	for (x = 0; x < l->global[0]; x++) {
		uint64_t g[3] = { x, y, z }, ng[3], ls[3], lid[3], *o;
		uint64_t lin = x + l->global[0] * (y + l->global[1] * z);

		o = out + 16 * lin;
		for (d = 0; d < 3; d++) {
			uint64_t grp = g[d] / l->local[d];

			ng[d] = (l->global[d] + l->local[d] - 1) / l->local[d];
			lid[d] = g[d] % l->local[d];
			ls[d] = grp == ng[d] - 1 && l->global[d] % l->local[d] ?
				l->global[d] % l->local[d] : l->local[d];
			igt_assert_eq_u64(o[d], g[d] + l->offset[d]);
			igt_assert_eq_u64(o[3 + d], lid[d]);
			igt_assert_eq_u64(o[6 + d], grp);
			igt_assert_eq_u64(o[9 + d], ls[d]);
		}
		igt_assert_eq_u64(o[12], lid[0] + ls[0] * (lid[1] + ls[1] * lid[2]));
		igt_assert_eq_u64(o[13], l->dim);
		igt_assert_eq_u64(o[14], ng[0] | ng[1] << 16 | ng[2] << 32);
		igt_assert_eq_u64(o[15], l->offset[0] | (uint64_t)l->local[0] << 32);
	}
	free(ka);
	free(out);
}

static void check_large(const uint32_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		igt_assert_f(out[i] == (uint32_t)i * 3 + 1, "out[%zu] = %u\n", i, out[i]);
}

static void test_large_grid(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_large");
	const size_t n = 1u << 20;
	uint32_t *out = zalloc(n * 4);
	void *ka = kernarg_new(k);
	uint64_t t = now_ns();

	PTR(ka, k, 0, out);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(n, 256)), 0);
	igt_info("%zu work-items in %" PRIu64 " ms\n", n, (uint64_t)((now_ns() - t) / NSEC_PER_MSEC));
	check_large(out, n);
	free(ka);
	free(out);
}

struct pingpong {
	pthread_t thread;
	struct vsvm_device *dev;
	void *buf;
	size_t size;
	_Atomic bool stop;
	int moves, err;
};

static void *prefetch_pingpong(void *arg)
{
	struct pingpong *p = arg;

	while (!atomic_load(&p->stop) && p->moves < 8) {
		sleep_ms(20);
		uint64_t moved = 0;
		int ret = vsvm_prefetch(p->dev, VSVM_PTR(p->buf), p->size,
					p->moves & 1 ? DRM_VSVM_LOC_SYSTEM :
					DRM_VSVM_LOC_DEVICE, &moved);

		if (ret && ret != -EINTR && ret != -EFAULT) {
			p->err = ret;
			break;
		}
		p->moves++;
	}
	return NULL;
}

/* Pages move between VRAM and system memory under a running dispatch. */
static void test_vram(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_large");
	const size_t n = 1u << 18, size = n * 4;
	uint32_t *out = anon(size);
	struct pingpong pp = { .dev = dev, .buf = out, .size = size };
	struct drm_vsvm_stats st;
	void *ka = kernarg_new(k);
	uint64_t seqno;

	igt_require(vsvm_features & DRM_VSVM_FEATURE_VRAM);
	memset(out, 0xff, size);
	igt_assert_eq(vsvm_advise(dev, VSVM_PTR(out), size, DRM_VSVM_ATTR_PREFERRED_LOC,
				  DRM_VSVM_LOC_DEVICE), 0);
	PTR(ka, k, 0, out);
	seqno = launch_async(dev, 0, prog, k, ka, &LAUNCH1(n, 256));
	igt_assert_eq(pthread_create(&pp.thread, NULL, prefetch_pingpong, &pp), 0);
	igt_assert_eq(wait_seqno(dev, 0, seqno), 0);
	atomic_store(&pp.stop, true);
	pthread_join(pp.thread, NULL);
	igt_assert_f(!pp.err, "PREFETCH: %d\n", pp.err);
	get_stats(dev, &st);
	igt_info("%d prefetches, %" PRIu64 " pages to VRAM, %" PRIu64 " back\n",
		 pp.moves, (uint64_t)st.migrations_to_vram, (uint64_t)st.migrations_to_ram);
	igt_assert(st.migrations_to_vram > 0);
	check_large(out, n);
	free(ka);
	munmap(out, size);
}

/* Two dispatches on two channels: both right, and they overlapped. */
static void test_two_channels(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_large");
	const size_t n = 1u << 19;
	uint32_t *out[2] = { zalloc(n * 4), zalloc(n * 4) };
	uint64_t *ts = zalloc(64), seqno[2];
	void *ka[2] = { kernarg_new(k), kernarg_new(k) };
	int c;

	igt_require(vsvm_num_channels >= 2);
	for (c = 0; c < 2; c++) {
		struct drm_vsvm_dispatch d;
		struct vsvm_cmdbuf *cb = new_cb();

		PTR(ka[c], k, 0, out[c]);
		d = dispatch_of(prog, k->entry, VSVM_PTR(ka[c]), &LAUNCH1(n, 256));
		igt_assert_eq(vsvm_cmd_timestamp(cb, VSVM_PTR(&ts[2 * c])), 0);
		igt_assert_eq(vsvm_cmd_dispatch(cb, &d), 0);
		igt_assert_eq(vsvm_cmd_timestamp(cb, VSVM_PTR(&ts[2 * c + 1])), 0);
		igt_assert_eq(vsvm_exec(dev, c, cb, &seqno[c]), 0);
		vsvm_cmdbuf_del(cb);
	}
	for (c = 0; c < 2; c++)
		igt_assert_eq(wait_seqno(dev, c, seqno[c]), 0);
	for (c = 0; c < 2; c++)
		check_large(out[c], n);
	igt_info("channel 0 %" PRIu64 "..%" PRIu64 " ms, channel 1 %" PRIu64 "..%" PRIu64 " ms\n",
		 (uint64_t)0, (uint64_t)((ts[1] - ts[0]) / NSEC_PER_MSEC),
		 (uint64_t)((ts[2] - ts[0]) / NSEC_PER_MSEC),
		 (uint64_t)((ts[3] - ts[0]) / NSEC_PER_MSEC));
	igt_assert_f(ts[2] < ts[1] && ts[0] < ts[3], "the channels did not overlap\n");
	for (c = 0; c < 2; c++) {
		free(ka[c]);
		free(out[c]);
	}
	free(ts);
}

/* One process, two devices, a dispatch on each at once. */
static void test_two_devices(void)
{
	const struct vsvm_cc_kernel *k = kernel(compute, "k_large");
	const size_t n = 1u << 18;
	struct vsvm_device *dev[2];
	struct vsvm_program *prog[2];
	uint32_t *out = zalloc(2 * n * 4);
	void *ka[2] = { kernarg_new(k), kernarg_new(k) };
	uint64_t seqno[2];
	unsigned int count = 0;
	int d;

	igt_require(vsvm_device_count(&count) == 0 && count >= 2);
	release_progs();
	release_tracked();
	for (d = 0; d < 2; d++) {
		dev[d] = test_dev_nth(d);
		igt_assert_eq(vsvm_vm_init(dev[d], 0, 0), 0);
		prog[d] = upload(dev[d], compute);
		PTR(ka[d], k, 0, out + d * n);
		seqno[d] = launch_async(dev[d], 0, prog[d], k, ka[d], &LAUNCH1(n, 128));
	}
	for (d = 0; d < 2; d++)
		igt_assert_eq(wait_seqno(dev[d], 0, seqno[d]), 0);
	check_large(out, n);
	check_large(out + n, n);
	for (d = 0; d < 2; d++)
		free(ka[d]);
	free(out);
}

/* ------------------------------------------------------------------ */
/* The CPU changes the address space under a running dispatch          */

static void expect_fault(struct vsvm_device *dev, uint64_t addr, uint32_t access,
			 int32_t error)
{
	struct drm_vsvm_fault_info fi;
	size_t size;
	const struct drm_vsvm_program_header *h = vsvm_cc_program_image(compute, &size);
	const struct drm_vsvm_program_segment *text = (const void *)(h + 1);
	uint32_t word;

	igt_assert_eq(vsvm_fault_info(dev, &fi), 0);
	igt_assert_eq_u64(fi.addr, addr);
	igt_assert_eq_u32(fi.access, access);
	if (error)
		igt_assert_eq(fi.error, error);
	/* The pc: an instruction of the program, the one FAULT_INFO names. */
	igt_assert(text->flags & DRM_VSVM_SEGMENT_X);
	igt_assert(fi.pc >= text->vaddr && fi.pc < text->vaddr + text->file_size);
	memcpy(&word, (const char *)h + text->offset + (fi.pc - text->vaddr), 4);
	igt_assert_eq_u32(fi.insn, word);
	igt_assert_eq_u32(word & 0x7f, access == DRM_VSVM_ACCESS_READ ? 0x03 : 0x23);
}

static void during(const char *what)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	bool write = !strcmp(what, "mprotect");
	const struct vsvm_cc_kernel *k = kernel(compute, write ? "k_wait_write" :
						"k_wait_sum");
	const size_t n = 8192, size = n * 8;
	_Atomic int *flag = zalloc(4096);
	uint64_t *buf = anon(size), *out = zalloc(4096), seqno, sum = 0, i;
	void *ka = kernarg_new(k);
	pid_t pid;
	int32_t st;

	for (i = 0; i < n; i++)
		buf[i] = rnd();
	PTR(ka, k, 0, flag);
	PTR(ka, k, 1, buf);
	ARG(ka, k, 2, (uint64_t)n);
	if (!write)
		PTR(ka, k, 3, out);
	seqno = launch_async(dev, 0, prog, k, ka, &LAUNCH1(1, 1));
	sleep_ms(100);
	if (!strcmp(what, "munmap")) {
		igt_assert_eq(munmap(buf, size), 0);
	} else if (write) {
		igt_assert_eq(mprotect(buf, size, PROT_READ), 0);
	} else {
		pid = fork();
		if (!pid) {
			/* The child's copy, never the parent's memory. */
			memset(buf, 0x5a, size);
			_exit(0);
		}
		igt_assert(pid > 0);
		igt_assert_eq(waitpid(pid, NULL, 0), pid);
		for (i = 0; i < n; i++) {
			buf[i] = i * 3;
			sum += i * 3;
		}
	}
	atomic_store(flag, 1);
	st = wait_seqno(dev, 0, seqno);
	if (!strcmp(what, "fork")) {
		igt_assert_eq(st, 0);
		igt_assert_eq_u64(out[0], sum);
		munmap(buf, size);
	} else {
		igt_assert_eq(st, -EFAULT);
		expect_fault(dev, VSVM_PTR(buf), write ? DRM_VSVM_ACCESS_WRITE :
			     DRM_VSVM_ACCESS_READ, 0);
		if (write)
			munmap(buf, size);
	}
	free(ka);
	free((void *)flag);
	free(out);
}

/* ------------------------------------------------------------------ */
/* Exceptions                                                          */

/* A program of one text segment made of @words, at DRM_VSVM_SHADER_IMAGE. */
static struct vsvm_program *words_program(struct vsvm_device *dev,
					  const uint32_t *words, size_t n)
{
	struct {
		struct drm_vsvm_program_header h;
		struct drm_vsvm_program_segment s;
		uint32_t text[16];
	} img = {
		.h = { .magic = DRM_VSVM_PROGRAM_MAGIC,
		       .version = DRM_VSVM_PROGRAM_VERSION, .num_segments = 1 },
		.s = { .vaddr = DRM_VSVM_SHADER_IMAGE,
		       .offset = offsetof(__typeof__(img), text),
		       .file_size = n * 4, .mem_size = n * 4,
		       .flags = DRM_VSVM_SEGMENT_R | DRM_VSVM_SEGMENT_X },
	};
	struct vsvm_program *prog;
	uint64_t off = 0;
	int ret;

	igt_assert(n <= ARRAY_SIZE(img.text));
	memcpy(img.text, words, n * 4);
	ret = vsvm_program_new(dev, &img, sizeof(img), &prog, &off);
	igt_assert_f(ret == 0, "PROGRAM_CREATE: %d at %" PRIu64 "\n", ret, off);
	return track_prog(prog, 0);
}

static int32_t run_words(struct vsvm_device *dev, const uint32_t *words, size_t n,
			 uint64_t kernarg)
{
	struct vsvm_program *prog = words_program(dev, words, n);
	struct drm_vsvm_dispatch d = dispatch_of(prog, DRM_VSVM_SHADER_IMAGE, kernarg,
						 &LAUNCH1(1, 1));
	struct vsvm_cmdbuf *cb = new_cb();
	int32_t st;

	igt_assert_eq(vsvm_cmd_dispatch(cb, &d), 0);
	st = run_cb(dev, cb);
	vsvm_cmdbuf_del(cb);
	return st;
}

#define LD_T0_A0	0x00053283u	/* ld t0, 0(a0) */
#define LD_T1_T0	0x0002b303u	/* ld t1, 0(t0) */
#define LI_T0_1		0x00100293u	/* li t0, 1 */
#define LI_A7_9		0x00900893u	/* li a7, 9 */
#define RET		0x00008067u
#define UNIMP		0xc0001073u
#define EBREAK		0x00100073u
#define ECALL		0x00000073u

/* A load from an unmapped address: -EFAULT, FAULT_INFO says where. */
static void test_unmapped(void)
{
	static const uint32_t text[] = { LD_T0_A0, LD_T1_T0, RET };
	struct vsvm_device *dev = shader_vm();
	const struct vsvm_cc_kernel *k = kernel(compute, "k_load");
	struct vsvm_program *prog = upload(dev, compute);
	uint64_t *arg = zalloc(4096), *out = zalloc(4096);
	struct drm_vsvm_fault_info fi;
	void *hole = anon(4096), *ka = kernarg_new(k);

	igt_assert_eq(munmap(hole, 4096), 0);
	arg[0] = VSVM_PTR(hole) + 8;
	igt_assert_eq(run_words(dev, text, ARRAY_SIZE(text), VSVM_PTR(arg)), -EFAULT);
	igt_assert_eq(vsvm_fault_info(dev, &fi), 0);
	igt_assert_eq_u64(fi.addr, VSVM_PTR(hole) + 8);
	igt_assert_eq_u64(fi.pc, DRM_VSVM_SHADER_IMAGE + 4);
	igt_assert_eq_u32(fi.insn, LD_T1_T0);
	igt_assert_eq_u32(fi.access, DRM_VSVM_ACCESS_READ);
	igt_assert(fi.error < 0);
	/* The same from OpenCL C. */
	PTR(ka, k, 0, (char *)hole + 16);
	PTR(ka, k, 1, out);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(1, 1)), -EFAULT);
	expect_fault(dev, VSVM_PTR(hole) + 16, DRM_VSVM_ACCESS_READ, 0);
	free(ka);
	free(arg);
	free(out);
}

static void test_illegal(void)
{
	static const uint32_t traps[][3] = {
		{ LI_T0_1, UNIMP, RET }, { LI_T0_1, EBREAK, RET },
		{ LI_A7_9, ECALL, RET },
	};
	struct vsvm_device *dev = shader_vm();
	struct drm_vsvm_fault_info fi;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(traps); i++) {
		igt_assert_eq(run_words(dev, traps[i], 3, 0), -ENOEXEC);
		igt_assert_eq(vsvm_fault_info(dev, &fi), 0);
		igt_assert_eq(fi.error, -ENOEXEC);
		igt_assert_eq_u64(fi.pc, DRM_VSVM_SHADER_IMAGE + 4);
		igt_assert_eq_u64(fi.addr, fi.pc);
		igt_assert_eq_u32(fi.insn, traps[i][1]);
	}
}

static void test_divergent(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_diverge");
	struct drm_vsvm_fault_info fi;
	int *out = zalloc(4096);
	void *ka = kernarg_new(k);

	PTR(ka, k, 0, out);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(4, 4)), -EDEADLK);
	igt_assert_eq(vsvm_fault_info(dev, &fi), 0);
	igt_assert_eq(fi.error, -EDEADLK);
	igt_assert_eq_u32(fi.insn, ECALL);
	igt_assert_eq_u64(fi.addr, fi.pc);
	igt_assert(fi.pc > k->entry && fi.pc < k->entry + 0x100);
	/* One work-item per group (all even): nothing to diverge from. */
	memset(out, 0, 16);
	igt_assert_eq(launch(dev, prog, k, ka, &LAUNCH1(4, 1)), 0);
	igt_assert_eq(out[0], 5);
	igt_assert_eq(out[1], 0);
	free(ka);
	free(out);
}

/* An endless loop ends at the job timeout, or at its instruction budget. */
static void test_infinite_loop(void)
{
	struct vsvm_device *dev = shader_vm();
	struct vsvm_program *prog = upload(dev, compute);
	const struct vsvm_cc_kernel *k = kernel(compute, "k_spin");
	struct drm_vsvm_stats st;
	int *flag = zalloc(4096);
	void *ka = kernarg_new(k);
	struct drm_vsvm_dispatch d;
	struct launch l = LAUNCH1(1, 1);
	uint64_t seqno, t;

	PTR(ka, k, 0, flag);
	d = dispatch_of(prog, k->entry, VSVM_PTR(ka), &l);
	t = now_ns();
	igt_assert_eq(exec_dispatch(dev, 0, &d, 500 * NSEC_PER_MSEC, &seqno), 0);
	igt_assert_eq(wait_seqno(dev, 0, seqno), -ETIMEDOUT);
	t = now_ns() - t;
	igt_info("timed out after %" PRIu64 " ms\n", (uint64_t)(t / NSEC_PER_MSEC));
	igt_assert(t >= 500 * NSEC_PER_MSEC && t < 5 * NSEC_PER_SEC);
	l.insn_budget = 1000000;
	igt_assert_eq(launch(dev, prog, k, ka, &l), -ETIMEDOUT);
	get_stats(dev, &st);
	igt_assert_eq_u64(st.job_timeouts, 2);
	igt_assert(st.shader_instructions >= 1000000);
	free(ka);
	free(flag);
}

/* close() of a file whose dispatch spins returns at once. */
static void test_close_spinning(void)
{
	struct vsvm_device *dev = test_dev();
	const struct vsvm_cc_kernel *k = kernel(compute, "k_spin");
	struct vsvm_program *prog;
	int *flag = zalloc(4096);
	void *ka = kernarg_new(k);
	uint64_t t;

	release_progs();
	igt_assert_eq(vsvm_vm_init(dev, 0, 0), 0);
	prog = upload(dev, compute);
	PTR(ka, k, 0, flag);
	launch_async(dev, 0, prog, k, ka, &LAUNCH1(1, 1));
	launch_async(dev, 1 % vsvm_num_channels, prog, k, ka, &LAUNCH1(1, 1));
	sleep_ms(200);
	release_progs();
	t = now_ns();
	release_tracked();
	t = now_ns() - t;
	igt_info("close() took %" PRIu64 " ms\n", (uint64_t)(t / NSEC_PER_MSEC));
	igt_assert(t < 2 * NSEC_PER_SEC);
	free(ka);
	free(flag);
}

/* ------------------------------------------------------------------ */
/* The contract                                                        */

static void test_params(void)
{
	struct vsvm_device *dev = shader_vm();
	const struct vsvm_cc_kernel *k = kernel(compute, "k_large");
	struct drm_vsvm_program_destroy pd = { 0 };
	struct vsvm_program *prog, *bad;
	struct drm_vsvm_dispatch d;
	uint64_t v, off = 0, seqno;
	size_t size;
	const void *img = vsvm_cc_program_image(compute, &size);
	char *copy = malloc(size);

	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_ISA, &v), 0);
	igt_assert_eq_u64(v, DRM_VSVM_ISA_RV64I | DRM_VSVM_ISA_M | DRM_VSVM_ISA_A |
			  DRM_VSVM_ISA_F | DRM_VSVM_ISA_D | DRM_VSVM_ISA_ZACAS);
	igt_assert(vsvm_features & DRM_VSVM_FEATURE_SHADER);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_MAX_WORKGROUP, &v), 0);
	igt_assert(v >= 256);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_MAX_LOCAL_MEM, &v), 0);
	igt_assert(v >= 32768);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_MAX_PRIVATE_MEM, &v), 0);
	igt_assert(v >= DRM_VSVM_DEFAULT_PRIVATE_MEM);
	igt_assert_eq(vsvm_get_param(dev, DRM_VSVM_PARAM_MAX_PROGRAM_SIZE, &v), 0);
	igt_assert(v >= size);
	/* A bad image names its first bad field. */
	memcpy(copy, img, size);
	copy[0] ^= 1;
	igt_assert_eq(vsvm_program_new(dev, copy, size, &bad, &off), -EINVAL);
	igt_assert_eq_u64(off, 0);
	memcpy(copy, img, size);
	((struct drm_vsvm_program_header *)copy)->flags = 1;
	igt_assert_eq(vsvm_program_new(dev, copy, size, &bad, &off), -EINVAL);
	igt_assert_eq_u64(off, offsetof(struct drm_vsvm_program_header, flags));
	/* Unknown programs and bad dispatches fail EXEC. */
	prog = upload(dev, compute);
	d = dispatch_of(prog, k->entry, 0, &LAUNCH1(1, 1));
	d.program = 9999;
	igt_assert_eq(exec_dispatch(dev, 0, &d, 0, &seqno), -ENOENT);
	d = dispatch_of(prog, k->entry, 0, &LAUNCH1(1, 1));
	d.work_dim = 4;
	igt_assert_eq(exec_dispatch(dev, 0, &d, 0, &seqno), -EINVAL);
	d.work_dim = 1;
	d.entry += 2;
	igt_assert_eq(exec_dispatch(dev, 0, &d, 0, &seqno), -EINVAL);
	igt_assert_eq(exec_dispatch(dev, 0, (void *)16, 0, &seqno), -EFAULT);
	/* A program lives on while a queued dispatch uses it. */
	pd.handle = vsvm_program_handle(prog) + 100;
	igt_assert(drmIoctl(vsvm_device_fd(dev), DRM_IOCTL_VSVM_PROGRAM_DESTROY, &pd));
	igt_assert_eq(errno, ENOENT);
	free(copy);
}

/* ------------------------------------------------------------------ */
/* Differential: the shader core against qemu-riscv64                  */

struct diff_rec {
	char name[32];
	char kernel[32];
	uint64_t seed;
	uint32_t items;
	uint32_t flags;
	uint32_t prog_size;
	uint32_t ref_size;
};

#define DIFF_BUF_IS_ARG 0x1
#define RVGEN_SCRATCH 0x400
#define RVGEN_DUMP 0x1400

static const struct diff_rec *diff_next(const struct diff_rec *r)
{
	size_t n = sizeof(*r) + ((r->prog_size + 7) & ~7u) + ((r->ref_size + 7) & ~7u);

	return (const void *)((const char *)r + n);
}

/* Which bytes of an rvgen dump are compared: all but x1, x2, x30, x31. */
static bool rvgen_compared(size_t off)
{
	return off >= 256 || (off / 8 != 1 && off / 8 != 2 && off / 8 < 30);
}

static void diff_one(const struct diff_rec *r)
{
	const char *prog_bytes = (const char *)(r + 1);
	const char *ref = prog_bytes + ((r->prog_size + 7) & ~7u);
	bool buf_arg = r->flags & DIFF_BUF_IS_ARG;
	struct vsvm_device *dev = shader_vm();
	struct vsvm_cc_program *cc;
	const struct vsvm_cc_kernel *k;
	struct vsvm_program *prog;
	uint64_t *ka = zalloc(64);
	char *out = zalloc(r->ref_size);
	size_t i;

	igt_assert_eq(vsvm_cc_program_from_binary(prog_bytes, r->prog_size, &cc), 0);
	prog = upload(dev, cc);
	k = kernel(cc, r->kernel);
	ka[0] = VSVM_PTR(out);
	ka[1] = r->seed;
	igt_assert_eq(launch(dev, prog, k, buf_arg ? (void *)out : ka,
			     &LAUNCH1(r->items, r->items > 1 ? 32 : 1)), 0);
	for (i = 0; i < r->ref_size; i += 8) {
		uint64_t got, want;

		if (buf_arg && !rvgen_compared(i))
			continue;
		memcpy(&got, out + i, 8);
		memcpy(&want, ref + i, 8);
		igt_assert_f(got == want, "%s: byte %zu (%s): %#018" PRIx64
			     ", qemu-riscv64 %#018" PRIx64 "\n", r->name, i,
			     !buf_arg ? "result" : i < 256 ? "x register" :
			     i < 512 ? "f register" : i < RVGEN_SCRATCH ? "fcsr" : "memory",
			     got, want);
	}
	vsvm_cc_program_del(cc);
	free(ka);
	free(out);
}

static const struct diff_rec *diff_rec_at(uint32_t i)
{
	const struct diff_rec *r = (const void *)(diff_bin + 8);

	while (i--)
		r = diff_next(r);
	igt_assert((const char *)r < diff_bin_end);
	return r;
}

static void test_differential(void)
{
	uint32_t count, i;

	igt_assert(!memcmp(diff_bin, "VSVD", 4));
	memcpy(&count, diff_bin + 4, 4);
	igt_assert(count > 0);
	for (i = 0; i < count; i++) {
		igt_dynamic(diff_rec_at(i)->name)
			diff_one(diff_rec_at(i));
	}
}

igt_main
{
	igt_fixture {
		vsvm_fixture();
		igt_require_f(vsvm_features & DRM_VSVM_FEATURE_SHADER,
			      "device lacks DRM_VSVM_FEATURE_SHADER\n");
		igt_assert_eq(vsvm_cc_program_from_binary(compute_vsvmp,
							  compute_vsvmp_end - compute_vsvmp,
							  &compute), 0);
	}

	igt_describe("GET_PARAM's ISA and limits, PROGRAM_CREATE's error offset, "
		     "EXEC's checks of a DISPATCH.");
	igt_subtest("params")
		test_params();

	igt_describe("Integer and M arithmetic of 4096 work-items against the host.");
	igt_subtest("integer")
		test_integer();

	igt_describe("fma, division, sqrt, conversion, fmin, mul-sub in float, "
		     "bit-exact against the host (IEEE, correctly rounded).");
	igt_subtest("float")
		test_float();

	igt_describe("The same in double precision.");
	igt_subtest("double")
		test_double();

	igt_describe("OpenCL atomics (add, min, max, inc, 64-bit add, or, xor, "
		     "cmpxchg loop, xchg) end exactly where they must.");
	igt_subtest("atomics")
		test_atomics();

	igt_describe("Popple's test: 64 work-items x 2000 atomic adds on a counter "
		     "in private anonymous memory while CPU threads add to it.");
	igt_subtest_with_dynamic("popple-counter") {
		igt_dynamic("gpu-only")
			test_popple(0);
		igt_dynamic("with-2-cpu-threads")
			test_popple(2);
	}

	igt_describe("A lock-free hash insert (CAS) on the GPU racing one on the host.");
	igt_subtest("hash-insert")
		test_hash();

	igt_describe("A pointer chase over 20000 malloc()ed nodes linked at random.");
	igt_subtest("pointer-chase")
		test_pointer_chase();

	igt_describe("Tree reductions in __local memory with barriers (dynamic and "
		     "static __local).");
	igt_subtest_with_dynamic("local-reduction") {
		igt_dynamic("dynamic")
			test_reduction(true);
		igt_dynamic("static")
			test_reduction(false);
	}

	igt_describe("Every work-item function over 3D NDRanges, uniform or not, "
		     "with global offsets.");
	igt_subtest_with_dynamic("ids-3d") {
		igt_dynamic("uniform")
			test_ids(&(struct launch){ .dim = 3, .global = { 12, 6, 4 },
				 .local = { 4, 3, 2 }, .offset = { 3, 0, 1 } });
		igt_dynamic("partial-groups")
			test_ids(&(struct launch){ .dim = 3, .global = { 10, 5, 3 },
				 .local = { 4, 2, 2 }, .offset = { 0, 7, 0 } });
	}

	igt_describe("2^20 work-items in groups of 256.");
	igt_subtest("large-grid")
		test_large_grid();

	igt_describe("A dispatch into memory that prefers VRAM while another thread "
		     "moves it between VRAM and system memory.");
	igt_subtest("vram-placement")
		test_vram();

	igt_describe("Dispatches on two channels at once run in parallel.");
	igt_subtest("two-channels")
		test_two_channels();

	igt_describe("One process dispatching on two devices at once.");
	igt_subtest("two-devices")
		test_two_devices();

	igt_describe("munmap of the buffer a running dispatch is about to read: "
		     "-EFAULT at its address.");
	igt_subtest("munmap-during-dispatch")
		during("munmap");

	igt_describe("mprotect(PROT_READ) of the buffer a running dispatch is about "
		     "to write: -EFAULT at its address.");
	igt_subtest("mprotect-during-dispatch")
		during("mprotect");

	igt_describe("fork() during a dispatch: the GPU sees the parent's memory, "
		     "never the child's copy.");
	igt_subtest("fork-during-dispatch")
		during("fork");

	igt_describe("A load from an unmapped address: -EFAULT; FAULT_INFO has the "
		     "address, the pc and the instruction.");
	igt_subtest("unmapped-fault")
		test_unmapped();

	igt_describe("unimp, ebreak and an unknown ecall: -ENOEXEC with the pc.");
	igt_subtest("illegal-instruction")
		test_illegal();

	igt_describe("Work-items of a group at different barriers: -EDEADLK.");
	igt_subtest("divergent-barrier")
		test_divergent();

	igt_describe("An endless loop fails with -ETIMEDOUT at the job timeout and "
		     "at its instruction budget.");
	igt_subtest("infinite-loop")
		test_infinite_loop();

	igt_describe("close() returns at once while dispatches spin.");
	igt_subtest("close-while-spinning")
		test_close_spinning();

	igt_describe("Random RV64IMAFD programs and C kernels, bit for bit against "
		     "qemu-riscv64's results from build time.");
	igt_subtest_with_dynamic("differential")
		test_differential();

	igt_fixture {
		release_progs();
		release_tracked();
		vsvm_cc_program_del(compute);
	}
}
