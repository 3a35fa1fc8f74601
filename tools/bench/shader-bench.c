// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * shader-bench: the vsvm shader core against the guest CPU (make bench).
 *
 *   shader-bench PROGRAM.vsvmp
 *
 * PROGRAM is tools/bench/shader-bench.cl built by vsvm-cc. Prints
 * "key value" lines (medians of 5 runs, after a warm-up run that faults
 * the memory into the GPU page table):
 *
 *   saxpy over 2^20 floats, one work-item per element and as the loop in
 *   one work-item, vs the same loop compiled natively (gcc -O2) and run by
 *   the guest CPU: times and ratios; instructions retired per second;
 *   a pointer chase over 2^17 malloc'd nodes linked at random, vs the same
 *   loop natively; Popple's counter (64 work-items x 20000 atomic adds)
 *   in adds per second, alone and with 2 CPU threads adding to the same
 *   counter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <vsvm.h>
#include <vsvm_cc.h>

#define RUNS 5
#define N_SAXPY (1u << 20)
#define N_CHASE (1u << 17)
#define LOOP_ITEMS 1
#define COUNTER_ITEMS 64
#define COUNTER_ADDS 20000
#define CPU_ADDS 200000

static struct vsvm_device *dev;
static struct vsvm_cc_program *cc;
static struct vsvm_program *prog;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "shader-bench: %s: %s\n", what, strerror(-err));
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_double);
	return v[RUNS / 2];
}

static uint64_t shader_insns(void)
{
	struct drm_vsvm_stats st;
	int ret = vsvm_stats(dev, &st);

	if (ret)
		die("STATS", ret);
	return st.shader_instructions;
}

/* One dispatch of @name, waited for; its wall time. */
static double dispatch(const char *name, const void *args, size_t size,
		       uint64_t items, uint32_t local)
{
	const struct vsvm_cc_kernel *k = vsvm_cc_program_find_kernel(cc, name);
	struct drm_vsvm_dispatch d = { 0 };
	struct vsvm_cmdbuf *cb;
	static uint64_t ka[8] __attribute__((aligned(64)));
	int32_t status;
	double t;
	int ret;

	if (!k)
		die(name, -ENOENT);
	memcpy(ka, args, size);
	d.program = vsvm_program_handle(prog);
	d.work_dim = 1;
	d.entry = k->entry;
	d.kernarg = VSVM_PTR(ka);
	d.global_size[0] = items;
	d.global_size[1] = d.global_size[2] = 1;
	d.local_size[0] = local;
	d.local_size[1] = d.local_size[2] = 1;
	if (vsvm_cmdbuf_new(&cb) || vsvm_cmd_dispatch(cb, &d))
		die("cmdbuf", -ENOMEM);
	t = now();
	ret = vsvm_exec_wait(dev, 0, cb, VSVM_TIMEOUT_INFINITE, &status);
	t = now() - t;
	vsvm_cmdbuf_del(cb);
	if (ret)
		die(name, ret);
	if (status)
		die(name, status);
	return t;
}

/* The native side: the kernels' C, compiled for the guest CPU. */
__attribute__((noipa)) static void saxpy_native(float *y, const float *x,
						     float a, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		y[i] = a * x[i] + y[i];
}

struct node {
	struct node *next;
	uint64_t value;
};

__attribute__((noipa)) static uint64_t chase_native(const struct node *p)
{
	uint64_t sum = 0;

	for (; p; p = p->next)
		sum += p->value;
	return sum;
}

static void bench_saxpy(void)
{
	float *x = aligned_alloc(4096, N_SAXPY * 4), *y = aligned_alloc(4096, N_SAXPY * 4);
	double tg[RUNS], tl[RUNS], tn[RUNS], ips[RUNS];
	struct { uint64_t y, x; float a; uint32_t n; } args = {
		(uintptr_t)y, (uintptr_t)x, 2.0f, N_SAXPY,
	};
	uint64_t before;
	int r;

	for (uint32_t i = 0; i < N_SAXPY; i++) {
		x[i] = (float)i;
		y[i] = 1.0f;
	}
	dispatch("saxpy", &args, sizeof(args), N_SAXPY, 256);
	for (r = 0; r < RUNS; r++) {
		tg[r] = dispatch("saxpy", &args, sizeof(args), N_SAXPY, 256);
		before = shader_insns();
		tl[r] = dispatch("saxpy_loop", &args, sizeof(args), LOOP_ITEMS, 1);
		ips[r] = (shader_insns() - before) / tl[r];
		tn[r] = now();
		saxpy_native(y, x, 2.0f, N_SAXPY);
		tn[r] = now() - tn[r];
	}
	printf("saxpy_elements %u\n", N_SAXPY);
	printf("saxpy_per_item_ms %.2f\n", median(tg) * 1e3);
	printf("saxpy_loop_ms %.2f\n", median(tl) * 1e3);
	printf("saxpy_native_ms %.3f\n", median(tn) * 1e3);
	printf("saxpy_per_item_ratio %.1f\n", median(tg) / median(tn));
	printf("saxpy_loop_ratio %.1f\n", median(tl) / median(tn));
	printf("shader_minsn_per_s %.1f\n", median(ips) / 1e6);
	free(x);
	free(y);
}

static void bench_chase(void)
{
	struct node **nodes = malloc(N_CHASE * sizeof(*nodes)), *head = NULL, *t;
	uint64_t *out = aligned_alloc(64, 64), want = 0, got = 0;
	double tg[RUNS], tn[RUNS];
	uint64_t args[2];
	uint32_t i, j;
	int r;

	srand(1);
	for (i = 0; i < N_CHASE; i++) {
		nodes[i] = malloc(sizeof(struct node));
		nodes[i]->value = i;
		want += i;
	}
	for (i = N_CHASE - 1; i > 0; i--) {
		j = rand() % (i + 1);
		t = nodes[i];
		nodes[i] = nodes[j];
		nodes[j] = t;
	}
	for (i = 0; i < N_CHASE; i++) {
		nodes[i]->next = head;
		head = nodes[i];
	}
	args[0] = (uintptr_t)head;
	args[1] = (uintptr_t)out;
	dispatch("chase", args, sizeof(args), 1, 1);
	for (r = 0; r < RUNS; r++) {
		tg[r] = dispatch("chase", args, sizeof(args), 1, 1);
		tn[r] = now();
		got = chase_native(head);
		tn[r] = now() - tn[r];
	}
	if (out[0] != want || got != want)
		die("chase: wrong sum", -EIO);
	printf("chase_nodes %u\n", N_CHASE);
	printf("chase_ms %.2f\n", median(tg) * 1e3);
	printf("chase_native_ms %.3f\n", median(tn) * 1e3);
	printf("chase_ratio %.1f\n", median(tg) / median(tn));
	for (i = 0; i < N_CHASE; i++)
		free(nodes[i]);
	free(nodes);
	free(out);
}

struct adder {
	pthread_t thread;
	_Atomic int *counter;
};

static void *cpu_adds(void *arg)
{
	struct adder *a = arg;

	for (int i = 0; i < CPU_ADDS; i++)
		atomic_fetch_add_explicit(a->counter, 1, memory_order_relaxed);
	return NULL;
}

static void bench_counter(int threads)
{
	_Atomic int *c = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct { uint64_t c; int32_t m; } args = { (uintptr_t)c, COUNTER_ADDS };
	struct adder cpu[2];
	double tg[RUNS];
	int r, i;

	for (r = 0; r < RUNS; r++) {
		atomic_store(c, 0);
		for (i = 0; i < threads; i++) {
			cpu[i].counter = c;
			pthread_create(&cpu[i].thread, NULL, cpu_adds, &cpu[i]);
		}
		tg[r] = dispatch("counter", &args, sizeof(args), COUNTER_ITEMS, 16);
		for (i = 0; i < threads; i++)
			pthread_join(cpu[i].thread, NULL);
		if (atomic_load(c) != COUNTER_ITEMS * COUNTER_ADDS + threads * CPU_ADDS)
			die("counter: wrong total", -EIO);
	}
	printf("counter_gpu_adds_per_s_cpu_threads_%d %.0f\n", threads,
	       COUNTER_ITEMS * COUNTER_ADDS / median(tg));
	munmap((void *)c, 4096);
}

int main(int argc, char **argv)
{
	FILE *f;
	void *bin;
	long size;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: shader-bench PROGRAM.vsvmp\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0)
		die(argv[1], -ENOENT);
	rewind(f);
	bin = malloc(size);
	if (fread(bin, 1, size, f) != (size_t)size)
		die(argv[1], -EIO);
	fclose(f);
	ret = vsvm_cc_program_from_binary(bin, size, &cc);
	if (ret)
		die("program binary", ret);
	ret = vsvm_device_new(&dev);
	if (!ret)
		ret = vsvm_vm_init(dev, 0, 0);
	if (ret)
		die("device", ret);
	{
		size_t isize;
		const void *img = vsvm_cc_program_image(cc, &isize);

		ret = vsvm_program_new(dev, img, isize, &prog, NULL);
		if (ret)
			die("PROGRAM_CREATE", ret);
	}
	bench_saxpy();
	bench_chase();
	bench_counter(0);
	bench_counter(2);
	vsvm_program_del(prog);
	vsvm_device_del(dev);
	vsvm_cc_program_del(cc);
	free(bin);
	return 0;
}
