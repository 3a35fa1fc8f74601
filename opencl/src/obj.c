// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: object reference counting, info-query helpers, error mapping.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcl.h"

extern const struct _cl_icd_dispatch vcl_dispatch;

/*
 * The live objects, so that a handle is checked without reading through
 * it: a stale or made-up pointer gets the spec's error, never a crash.
 * Open addressing with linear probing, backward-shift deletion.
 */
static pthread_rwlock_t reg_lock = PTHREAD_RWLOCK_INITIALIZER;
static uintptr_t *reg;
static size_t reg_cap, reg_n;
static bool reg_incomplete;	/* an insertion failed: trust magic numbers */

static size_t reg_slot(uintptr_t p, size_t cap)
{
	return (size_t)((p >> 4) * 0x9e3779b97f4a7c15ull) & (cap - 1);
}

static void reg_put(uintptr_t *tab, size_t cap, uintptr_t p)
{
	size_t i = reg_slot(p, cap);

	while (tab[i])
		i = (i + 1) & (cap - 1);
	tab[i] = p;
}

static void reg_insert(const void *obj)
{
	pthread_rwlock_wrlock(&reg_lock);
	if (2 * (reg_n + 1) > reg_cap) {
		size_t cap = reg_cap ? reg_cap * 2 : 256, i;
		uintptr_t *tab = calloc(cap, sizeof(*tab));

		if (!tab) {
			reg_incomplete = true;
			pthread_rwlock_unlock(&reg_lock);
			return;
		}
		for (i = 0; i < reg_cap; i++)
			if (reg[i])
				reg_put(tab, cap, reg[i]);
		free(reg);
		reg = tab;
		reg_cap = cap;
	}
	reg_put(reg, reg_cap, (uintptr_t)obj);
	reg_n++;
	pthread_rwlock_unlock(&reg_lock);
}

static void reg_remove(const void *obj)
{
	uintptr_t p = (uintptr_t)obj;
	size_t i, j, k;

	pthread_rwlock_wrlock(&reg_lock);
	if (!reg_cap)
		goto out;
	for (i = reg_slot(p, reg_cap); reg[i] && reg[i] != p; i = (i + 1) & (reg_cap - 1))
		;
	if (!reg[i])
		goto out;
	reg[i] = 0;
	reg_n--;
	/* Move back the entries the hole would hide. */
	for (j = (i + 1) & (reg_cap - 1); reg[j]; j = (j + 1) & (reg_cap - 1)) {
		k = reg_slot(reg[j], reg_cap);
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			reg[i] = reg[j];
			reg[j] = 0;
			i = j;
		}
	}
out:
	pthread_rwlock_unlock(&reg_lock);
}

static bool reg_has(const void *obj)
{
	uintptr_t p = (uintptr_t)obj;
	bool found = false;
	size_t i;

	pthread_rwlock_rdlock(&reg_lock);
	if (reg_cap) {
		for (i = reg_slot(p, reg_cap); reg[i]; i = (i + 1) & (reg_cap - 1)) {
			if (reg[i] == p) {
				found = true;
				break;
			}
		}
	}
	if (!found && reg_incomplete)
		found = true;	/* unknown: fall back to the magic number */
	pthread_rwlock_unlock(&reg_lock);
	return found;
}

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
	reg_insert(obj);
}

bool vcl_obj_valid(const void *p, enum vcl_type type)
{
	const struct vcl_obj *obj = p;

	return obj && reg_has(obj) && obj->magic == VCL_MAGIC(type) &&
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
	reg_remove(obj);
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
