// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * The kernels of vsvm_compute, OpenCL C 3.0, compiled at build time by
 * vsvm-cc (compiler/). Each subtest checks their results exactly.
 */

/* Exact integer and M-extension arithmetic per work-item. */
__kernel void k_int(__global ulong *out, ulong seed)
{
	size_t i = get_global_id(0);
	ulong x = seed ^ (i * 0x9e3779b97f4a7c15UL);
	uint y = (uint)(x >> 17) | 1;
	long s = (long)x;

	out[4 * i + 0] = x * 0xff51afd7ed558ccdUL + (x >> 33);
	out[4 * i + 1] = (ulong)(s / (long)(y | 3)) ^ (ulong)(s % 7);
	out[4 * i + 2] = mul_hi(x, 0xc4ceb9fe1a85ec53UL) + rotate(x, (ulong)(i & 63));
	out[4 * i + 3] = (ulong)(long)((int)y / -3) + clz(x) + popcount(x);
}

/* Single precision: each result in its own statement (no contraction). */
__kernel void k_float(__global float *out, __global const float *a,
		      __global const float *b, float s)
{
	size_t i = get_global_id(0);
	float x = a[i], y = b[i], t;

	out[6 * i + 0] = fma(s, x, y);
	out[6 * i + 1] = x / y;
	out[6 * i + 2] = __builtin_sqrtf(fabs(x));
	out[6 * i + 3] = (float)(int)(x * 1000.0f);
	out[6 * i + 4] = __builtin_fminf(x, y);
	t = x * y;
	out[6 * i + 5] = t - s;
}

__kernel void k_double(__global double *out, __global const double *a,
		       __global const double *b, double s)
{
	size_t i = get_global_id(0);
	double x = a[i], y = b[i], t;

	out[4 * i + 0] = fma(s, x, y);
	out[4 * i + 1] = x / y;
	out[4 * i + 2] = __builtin_sqrt(fabs(x));
	t = x * y;
	out[4 * i + 3] = t - s;
}

/* OpenCL 1.x atomics on global memory, deterministic in their end. */
__kernel void k_atomics(__global int *c, __global uint *u, __global long *l)
{
	int i = (int)get_global_id(0);
	int old;

	atomic_add(&c[0], i);
	atomic_min(&c[1], -i);
	atomic_max(&u[0], (uint)i * 7u);
	atomic_inc(&c[2]);
	atom_add(&l[0], (long)i << 20);
	atomic_or(&u[1], 1u << (i & 31));
	atomic_xor(&u[2], (uint)i);
	do {
		old = c[3];
	} while (atomic_cmpxchg(&c[3], old, old + 2) != old);
	atomic_xchg(&c[4], 42);
}

/* Popple's counter: every work-item adds 1, m times. */
__kernel void k_counter(volatile __global atomic_int *c, int m)
{
	for (int i = 0; i < m; i++)
		atomic_fetch_add_explicit(c, 1, memory_order_relaxed,
					  memory_scope_all_svm_devices);
}

/* Lock-free insert of base + id + 1 into an open-addressing table. */
__kernel void k_hash(volatile __global atomic_ulong *keys, ulong mask, ulong base)
{
	ulong key = base + get_global_id(0) + 1;
	ulong h = (key * 0x9e3779b97f4a7c15UL) >> 20 & mask;

	for (;;) {
		ulong expected = 0;

		if (atomic_compare_exchange_strong_explicit(&keys[h], &expected, key,
							    memory_order_relaxed,
							    memory_order_relaxed,
							    memory_scope_all_svm_devices) ||
		    expected == key)
			return;
		h = (h + 1) & mask;
	}
}

struct node {
	__global struct node *next;
	ulong value;
};

/* Walk a list built with malloc() on the host. */
__kernel void k_chase(__global struct node *head, __global ulong *out)
{
	ulong sum = 0, n = 0;

	for (__global struct node *p = head; p; p = p->next) {
		sum += p->value;
		n++;
	}
	out[0] = sum;
	out[1] = n;
}

/* Tree reduction in a dynamic __local array, barriers between rounds. */
__kernel void k_reduce(__global const uint *in, __global uint *out,
		       __local uint *tmp)
{
	uint lid = get_local_id(0), n = get_local_size(0);

	tmp[lid] = in[get_global_id(0)];
	barrier(CLK_LOCAL_MEM_FENCE);
	for (uint s = n / 2; s > 0; s >>= 1) {
		if (lid < s)
			tmp[lid] += tmp[lid + s];
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	if (lid == 0)
		out[get_group_id(0)] = tmp[0];
}

/* The same with a static __local array. */
__kernel void k_reduce_static(__global const uint *in, __global uint *out)
{
	__local uint tmp[64];
	uint lid = get_local_id(0);

	tmp[lid] = in[get_global_id(0)];
	barrier(CLK_LOCAL_MEM_FENCE);
	for (uint s = 32; s > 0; s >>= 1) {
		if (lid < s)
			tmp[lid] += tmp[lid + s];
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	if (lid == 0)
		out[get_group_id(0)] = tmp[0];
}

/* Every work-item function, at its global linear id. */
__kernel void k_ids(__global ulong *out)
{
	__global ulong *o = out + 16 * get_global_linear_id();

	for (uint d = 0; d < 3; d++) {
		o[d] = get_global_id(d);
		o[3 + d] = get_local_id(d);
		o[6 + d] = get_group_id(d);
		o[9 + d] = get_local_size(d);
	}
	o[12] = get_local_linear_id();
	o[13] = get_work_dim();
	o[14] = get_num_groups(0) | get_num_groups(1) << 16 | get_num_groups(2) << 32;
	o[15] = get_global_offset(0) | get_enqueued_local_size(0) << 32;
}

__kernel void k_large(__global uint *out)
{
	size_t i = get_global_id(0);

	out[i] = (uint)i * 3u + 1u;
}

/* Spin until *flag, then sum n words of buf into out[0]. */
__kernel void k_wait_sum(__global volatile int *flag, __global const ulong *buf,
			 ulong n, __global ulong *out)
{
	ulong sum = 0;

	while (!*flag)
		;
	for (ulong i = 0; i < n; i++)
		sum += buf[i];
	out[0] = sum;
}

/* Spin until *flag, then write n words of buf. */
__kernel void k_wait_write(__global volatile int *flag, __global ulong *buf,
			   ulong n)
{
	while (!*flag)
		;
	for (ulong i = 0; i < n; i++)
		buf[i] = i + 1;
}

__kernel void k_load(__global const ulong *p, __global ulong *out)
{
	out[0] = p[0];
}

/* Odd and even work-items wait at different barriers. */
__kernel void k_diverge(__global volatile int *out)
{
	int lid = (int)get_local_id(0);

	if (lid & 1) {
		out[lid] = 1;
		barrier(CLK_GLOBAL_MEM_FENCE);
		out[lid] += 2;
	} else {
		barrier(CLK_GLOBAL_MEM_FENCE);
		out[lid] = 5;
		barrier(CLK_GLOBAL_MEM_FENCE);
	}
}

__kernel void k_spin(__global volatile int *flag)
{
	while (!*flag)
		;
}

/* saxpy, the benchmark's kernel. */
__kernel void k_saxpy(__global float *y, __global const float *x, float a)
{
	size_t i = get_global_id(0);

	y[i] = a * x[i] + y[i];
}
