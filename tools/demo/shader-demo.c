// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * shader-demo PROGRAM.vsvmp: make demo's shader section. An OpenCL C
 * kernel (tools/demo/shader-demo.cl, compiled by vsvm-cc) runs on the
 * vsvm shader core over memory the CPU got from malloc(): every load,
 * store and atomic of the kernel goes through the GPU page table and
 * faults the memory in; the CPU then checks every result.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vsvm.h>
#include <vsvm_cc.h>

#define N (1u << 18)

static int fail(const char *what, int err)
{
	fprintf(stderr, "shader-demo: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	struct vsvm_cc_program *cc;
	const struct vsvm_cc_kernel *k;
	struct drm_vsvm_dispatch d = { .work_dim = 1 };
	struct drm_vsvm_stats st;
	struct vsvm_program *prog;
	struct vsvm_device *dev;
	struct vsvm_cmdbuf *cb;
	struct timespec t0, t1;
	static char bin[1 << 16];
	uint64_t args[3];
	int hist[16] = { 0 }, *ghist;
	float *x, *y;
	const void *img;
	size_t n, isz;
	int32_t status;
	uint32_t i, bad = 0;
	FILE *f;
	int ret, wrong;

	if (argc != 2 || !(f = fopen(argv[1], "rb")))
		return fail("usage: shader-demo PROGRAM.vsvmp", -EINVAL);
	n = fread(bin, 1, sizeof(bin), f);
	fclose(f);
	ret = vsvm_cc_program_from_binary(bin, n, &cc);
	if (ret)
		return fail("program binary", ret);
	k = vsvm_cc_program_find_kernel(cc, "demo");
	ret = vsvm_device_new(&dev);
	if (!ret)
		ret = vsvm_vm_init(dev, 0, 0);
	if (ret)
		return fail("device", ret);
	img = vsvm_cc_program_image(cc, &isz);
	ret = vsvm_program_new(dev, img, isz, &prog, NULL);
	if (ret)
		return fail("PROGRAM_CREATE", ret);

	x = malloc(N * sizeof(*x));
	y = malloc(N * sizeof(*y));
	ghist = calloc(16, sizeof(*ghist));
	for (i = 0; i < N; i++)
		x[i] = (float)(i % 1000) / 10.0f;
	args[0] = VSVM_PTR(x);
	args[1] = VSVM_PTR(y);
	args[2] = VSVM_PTR(ghist);
	d.program = vsvm_program_handle(prog);
	d.entry = k->entry;
	d.kernarg = VSVM_PTR(args);
	d.global_size[0] = N;
	d.local_size[0] = 256;
	d.global_size[1] = d.global_size[2] = d.local_size[1] = d.local_size[2] = 1;
	printf("    x = malloc(%u floats); kernel demo: y[i] = x[i]*x[i] + 1, atomic histogram\n", N);
	printf("    (OpenCL C, tools/demo/shader-demo.cl, built by vsvm-cc for RV64IMAFD;\n"
	       "     %u work-items run by DRM_VSVM_OP_DISPATCH, every access through the GPU MMU)\n", N);
	vsvm_cmdbuf_new(&cb);
	vsvm_cmd_dispatch(cb, &d);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = vsvm_exec_wait(dev, 0, cb, VSVM_TIMEOUT_INFINITE, &status);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret || status)
		return fail("DISPATCH", ret ? ret : status);
	for (i = 0; i < N; i++) {
		float v = x[i] * x[i] + 1.0f;

		bad += y[i] != v;
		hist[(int)v & 15]++;
	}
	vsvm_stats(dev, &st);
	printf("    GPU done in %.0f ms: %llu instructions retired, %llu GPU faults serviced\n",
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
	       (unsigned long long)st.shader_instructions,
	       (unsigned long long)st.gpu_faults);
	wrong = bad || memcmp(hist, ghist, sizeof(hist));
	printf("    CPU check: y[1234] = %g (x = %g), %u of %u results wrong, histogram %s\n",
	       y[1234], x[1234], bad, N, memcmp(hist, ghist, sizeof(hist)) ? "WRONG" : "exact");
	vsvm_cmdbuf_del(cb);
	vsvm_program_del(prog);
	vsvm_device_del(dev);
	vsvm_cc_program_del(cc);
	free(x);
	free(y);
	free(ghist);
	return wrong;
}
