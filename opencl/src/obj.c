// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: object reference counting, info-query helpers, error mapping.
 */
#include <errno.h>
#include <string.h>

#include "vcl.h"

extern const struct _cl_icd_dispatch vcl_dispatch;

void vcl_obj_init(struct vcl_obj *obj, enum vcl_type type,
		  void (*destroy)(struct vcl_obj *),
		  void (*last_ref)(struct vcl_obj *))
{
	obj->dispatch = &vcl_dispatch;
	obj->magic = VCL_MAGIC(type);
	atomic_init(&obj->ref, 1);
	atomic_init(&obj->iref, 1);
	obj->destroy = destroy;
	obj->last_ref = last_ref;
}

bool vcl_obj_valid(const void *p, enum vcl_type type)
{
	const struct vcl_obj *obj = p;

	return obj && obj->magic == VCL_MAGIC(type) &&
	       atomic_load(&obj->ref) > 0;
}

void vcl_obj_retain(struct vcl_obj *obj)
{
	atomic_fetch_add(&obj->ref, 1);
}

void vcl_obj_release(struct vcl_obj *obj)
{
	if (atomic_fetch_sub(&obj->ref, 1) != 1)
		return;
	if (obj->last_ref)
		obj->last_ref(obj);
	vcl_obj_put(obj);
}

void vcl_obj_get(struct vcl_obj *obj)
{
	atomic_fetch_add(&obj->iref, 1);
}

void vcl_obj_put(struct vcl_obj *obj)
{
	if (atomic_fetch_sub(&obj->iref, 1) != 1)
		return;
	obj->magic = 0;
	obj->destroy(obj);
}

void vcl_obj_put_locked(struct vcl_obj *obj)
{
	/* Not the last one: drop it here. The last one: at vcl_unlock(). */
	unsigned int v = atomic_load(&obj->iref);

	while (v > 1) {
		if (atomic_compare_exchange_weak(&obj->iref, &v, v - 1))
			return;
	}
	vcl_defer_put_locked(obj);
}

cl_int vcl_info(size_t size, void *value, size_t *size_ret,
		const void *src, size_t src_size)
{
	if (value) {
		if (size < src_size)
			return CL_INVALID_VALUE;
		if (src_size)
			memcpy(value, src, src_size);
	}
	if (size_ret)
		*size_ret = src_size;
	return CL_SUCCESS;
}

cl_int vcl_info_str(size_t size, void *value, size_t *size_ret,
		    const char *s)
{
	return vcl_info(size, value, size_ret, s, strlen(s) + 1);
}

cl_int vcl_errno(int err)
{
	switch (err) {
	case 0:
		return CL_SUCCESS;
	case -ENOMEM:
		return CL_OUT_OF_HOST_MEMORY;
	case -ENOSPC:
		return CL_MEM_OBJECT_ALLOCATION_FAILURE;
	default:
		return CL_OUT_OF_RESOURCES;
	}
}
