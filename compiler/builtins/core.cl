// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * Builtins written by hand: work-item functions (loads from the
 * descriptor at DRM_VSVM_SHADER_WORKITEM), barriers (ecall), fences.
 * Compiled with the program's flags (see Makefile) so that the names
 * mangle the same; gen.py writes the overloaded families.
 */
#include "builtins.h"

/*
 * The descriptor (struct drm_vsvm_workitem): its address comes from the
 * linker script, so a work-item function is an auipc and a load.
 */
struct vsvm_wi {
	ulong global_id[3], local_id[3], group_id[3], global_size[3];
	ulong local_size[3], enqueued_local_size[3], num_groups[3];
	ulong global_offset[3], work_dim, global_linear_id, local_linear_id;
};
extern __constant struct vsvm_wi __vsvm_workitem;
#define WI (&__vsvm_workitem)

#define DIM_FN(name, field, dflt)					\
	size_t OVLD CONST name(uint d)					\
	{								\
		return d < 3 ? WI->field[d] : (dflt);			\
	}
DIM_FN(get_global_id, global_id, 0)
DIM_FN(get_local_id, local_id, 0)
DIM_FN(get_group_id, group_id, 0)
DIM_FN(get_global_size, global_size, 1)
DIM_FN(get_local_size, local_size, 1)
DIM_FN(get_enqueued_local_size, enqueued_local_size, 1)
DIM_FN(get_num_groups, num_groups, 1)
DIM_FN(get_global_offset, global_offset, 0)

uint OVLD CONST get_work_dim(void)
{
	return (uint)WI->work_dim;
}

size_t OVLD CONST get_global_linear_id(void)
{
	return WI->global_linear_id;
}

size_t OVLD CONST get_local_linear_id(void)
{
	return WI->local_linear_id;
}

/* DRM_VSVM_ECALL_BARRIER: a group barrier and a full fence. */
void OVLD barrier(cl_mem_fence_flags flags)
{
	__asm__ volatile("mv a0, %0\n\tli a7, 1\n\tecall" : : "r"((ulong)flags)
			 : "a0", "a7", "memory");
}

void OVLD work_group_barrier(cl_mem_fence_flags flags)
{
	barrier(flags);
}

void OVLD work_group_barrier(cl_mem_fence_flags flags, memory_scope scope)
{
	(void)scope;
	barrier(flags);
}

/* Every fence is a full fence: "fence rw,rw" (the engine runs it as smp_mb()). */
#define FULL_FENCE() __asm__ volatile("fence rw, rw" ::: "memory")

void OVLD mem_fence(cl_mem_fence_flags flags)
{
	(void)flags;
	FULL_FENCE();
}

void OVLD read_mem_fence(cl_mem_fence_flags flags)
{
	(void)flags;
	FULL_FENCE();
}

void OVLD write_mem_fence(cl_mem_fence_flags flags)
{
	(void)flags;
	FULL_FENCE();
}

void OVLD atomic_work_item_fence(cl_mem_fence_flags flags, memory_order order,
				 memory_scope scope)
{
	(void)flags;
	(void)scope;
	if (order != memory_order_relaxed)
		FULL_FENCE();
}

/* Address space queries and conversions of the generic address space. */
cl_mem_fence_flags OVLD get_fence(const void *p)
{
	return to_global(p) ? CLK_GLOBAL_MEM_FENCE : CLK_LOCAL_MEM_FENCE;
}

cl_mem_fence_flags OVLD get_fence(void *p)
{
	return get_fence((const void *)p);
}

/* to_global(), to_local(), to_private(): clang calls these. */
extern __constant char __vsvm_local[], __vsvm_private[];

static bool in_window(const void *p, __constant char *lo, ulong size)
{
	return (ulong)p - (ulong)lo < size;
}

#define LOCAL_WINDOW ((ulong)__vsvm_private - (ulong)__vsvm_local)
#define PRIVATE_WINDOW 0x40000000ul

__global void *__to_global(void *p)
{
	if (in_window(p, __vsvm_local, LOCAL_WINDOW) ||
	    in_window(p, __vsvm_private, PRIVATE_WINDOW))
		return NULL;
	return (__global void *)p;
}

__local void *__to_local(void *p)
{
	return in_window(p, __vsvm_local, LOCAL_WINDOW) ? (__local void *)p : NULL;
}

__private void *__to_private(void *p)
{
	return in_window(p, __vsvm_private, PRIVATE_WINDOW) ? (__private void *)p : NULL;
}
