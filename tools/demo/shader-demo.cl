// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * The kernel of make demo's shader section (tools/demo/shader-demo.c).
 */
/* No fused multiply-add: the CPU's check computes x * x + 1 in two steps. */
#pragma OPENCL FP_CONTRACT OFF

__kernel void demo(__global const float *x, __global float *y,
		   volatile __global atomic_int *hist)
{
	size_t i = get_global_id(0);
	float v = x[i] * x[i] + 1.0f;

	y[i] = v;
	atomic_fetch_add_explicit(&hist[(int)v & 15], 1, memory_order_relaxed,
				  memory_scope_all_svm_devices);
}
