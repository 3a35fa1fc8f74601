// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: clSVMAlloc and clSVMFree. An SVM allocation is private anonymous
 * memory of the process (mmap): the GPU reaches it through its mirror of
 * the process's page tables like any other address, and the kernel can
 * make it device-exclusive for GPU atomics (6.12 refuses that for shared
 * mappings). The registry below only answers "which allocation holds this
 * pointer" (clSVMFree, clEnqueueSVMMigrateMem, CL_MEM_USES_SVM_POINTER).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vcl.h"

/* Largest alignment clSVMAlloc supports (a 2 MiB huge page). */
#define SVM_MAX_ALIGN (2u << 20)
/* 0 means the largest OpenCL type, long16. */
#define SVM_DEFAULT_ALIGN 128

static pthread_rwlock_t svm_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct vcl_svm *svms;	/* sorted by base */
static size_t num_svms, cap_svms;

void *vcl_map_anon(size_t size, size_t align, void **map, size_t *map_len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len, extra;
	char *p, *a;

	if (align < page)
		align = page;
	if (size > SIZE_MAX - align - page)
		return NULL;
	len = (size + page - 1) & ~(page - 1);
	extra = align - page;
	p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + len < p + len + extra)
		munmap(a + len, (size_t)(p + len + extra - (a + len)));
	*map = a;
	*map_len = len;
	return a;
}

/* Index of the first allocation whose base is > @p. svm_lock held. */
static size_t upper(const void *p)
{
	size_t lo = 0, hi = num_svms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if ((const char *)p < svms[mid].base)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

bool vcl_svm_find(cl_context ctx, const void *p, size_t size,
		  struct vcl_svm *out)
{
	const char *c = p;
	bool found = false;
	size_t i;

	if (!p)
		return false;
	pthread_rwlock_rdlock(&svm_lock);
	i = upper(p);
	if (i > 0) {
		const struct vcl_svm *s = &svms[i - 1];

		if (c < s->base + s->size && size <= s->size &&
		    (size_t)(c - s->base) <= s->size - size &&
		    (!ctx || s->ctx == ctx)) {
			if (out)
				*out = *s;
			found = true;
		}
	}
	pthread_rwlock_unlock(&svm_lock);
	return found;
}

void *CL_API_CALL vclSVMAlloc(cl_context ctx, cl_svm_mem_flags flags,
			      size_t size, cl_uint alignment)
{
	const cl_svm_mem_flags access = CL_MEM_READ_WRITE | CL_MEM_WRITE_ONLY |
					CL_MEM_READ_ONLY;
	const cl_svm_mem_flags known = access | CL_MEM_SVM_FINE_GRAIN_BUFFER |
				       CL_MEM_SVM_ATOMICS;
	struct vcl_svm s;
	cl_uint i;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		return NULL;
	if (flags & ~known)
		return NULL;
	if (__builtin_popcountll(flags & access) > 1)
		return NULL;
	if ((flags & CL_MEM_SVM_ATOMICS) && !(flags & CL_MEM_SVM_FINE_GRAIN_BUFFER))
		return NULL;
	if (!(ctx->svm_caps & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER))
		return NULL;
	if ((flags & CL_MEM_SVM_FINE_GRAIN_BUFFER) &&
	    !(ctx->svm_caps & CL_DEVICE_SVM_FINE_GRAIN_BUFFER))
		return NULL;
	if ((flags & CL_MEM_SVM_ATOMICS) && !(ctx->svm_caps & CL_DEVICE_SVM_ATOMICS))
		return NULL;
	if (!size)
		return NULL;
	for (i = 0; i < ctx->num_devices; i++)
		if (size > ctx->devices[i]->max_alloc)
			return NULL;
	if (!alignment)
		alignment = SVM_DEFAULT_ALIGN;
	if (alignment & (alignment - 1) || alignment > SVM_MAX_ALIGN)
		return NULL;

	memset(&s, 0, sizeof(s));
	s.base = vcl_map_anon(size, alignment, &s.map, &s.map_len);
	if (!s.base)
		return NULL;
	s.size = size;
	s.flags = flags;
	s.ctx = ctx;

	pthread_rwlock_wrlock(&svm_lock);
	if (num_svms == cap_svms) {
		size_t cap = cap_svms ? cap_svms * 2 : 64;
		struct vcl_svm *n = realloc(svms, cap * sizeof(*n));

		if (!n) {
			pthread_rwlock_unlock(&svm_lock);
			munmap(s.map, s.map_len);
			return NULL;
		}
		svms = n;
		cap_svms = cap;
	}
	i = (cl_uint)upper(s.base);
	memmove(&svms[i + 1], &svms[i], (num_svms - i) * sizeof(*svms));
	svms[i] = s;
	num_svms++;
	pthread_rwlock_unlock(&svm_lock);
	VCL_GET(ctx);
	return s.base;
}

/* Free the allocation at @p if @ctx owns it; true if it did. */
static bool svm_free(cl_context ctx, void *p)
{
	struct vcl_svm s;
	size_t i;

	pthread_rwlock_wrlock(&svm_lock);
	i = upper(p);
	if (!i || svms[i - 1].base != p || svms[i - 1].ctx != ctx) {
		pthread_rwlock_unlock(&svm_lock);
		return false;
	}
	s = svms[i - 1];
	memmove(&svms[i - 1], &svms[i], (num_svms - i) * sizeof(*svms));
	num_svms--;
	pthread_rwlock_unlock(&svm_lock);
	munmap(s.map, s.map_len);
	VCL_PUT(ctx);
	return true;
}

void CL_API_CALL vclSVMFree(cl_context ctx, void *p)
{
	if (!vcl_obj_valid(ctx, VCL_CONTEXT) || !p)
		return;
	/* Not one of ours: undefined by the spec, ignored here. */
	svm_free(ctx, p);
}

/* clEnqueueSVMFree without a callback. */
void vcl_svm_free(cl_context ctx, void *p);
void vcl_svm_free(cl_context ctx, void *p)
{
	if (p)
		svm_free(ctx, p);
}
