// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * Kernels of tools/bench/shader-bench.c. saxpy and the pointer chase are
 * the C that shader-bench.c also runs natively, line for line.
 */

/* One work-item per element: the usual OpenCL form. */
__kernel void saxpy(__global float *y, __global const float *x, float a)
{
	size_t i = get_global_id(0);

	y[i] = a * x[i] + y[i];
}

/* The native loop itself, in one work-item (or a share per work-item). */
__kernel void saxpy_loop(__global float *y, __global const float *x, float a,
			 uint n)
{
	for (size_t i = get_global_id(0); i < n; i += get_global_size(0))
		y[i] = a * x[i] + y[i];
}

struct node {
	__global struct node *next;
	ulong value;
};

__kernel void chase(__global struct node *head, __global ulong *out)
{
	ulong sum = 0;

	for (__global struct node *p = head; p; p = p->next)
		sum += p->value;
	out[0] = sum;
}

__kernel void counter(volatile __global atomic_int *c, int m)
{
	for (int i = 0; i < m; i++)
		atomic_fetch_add_explicit(c, 1, memory_order_relaxed,
					  memory_scope_all_svm_devices);
}
