// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: buffers and sub-buffers. A buffer is a range of the process's
 * address space, which is also the GPU's: CL_MEM_USE_HOST_PTR uses the
 * application's memory as it is (any pointer: fine-grain system SVM),
 * otherwise the buffer is private anonymous memory of its own. Kernels get
 * the CPU address; nothing is ever copied behind the application's back.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vcl.h"

#define ACCESS_FLAGS (CL_MEM_READ_WRITE | CL_MEM_WRITE_ONLY | CL_MEM_READ_ONLY)
#define HOST_FLAGS (CL_MEM_HOST_WRITE_ONLY | CL_MEM_HOST_READ_ONLY | \
		    CL_MEM_HOST_NO_ACCESS)
#define PTR_FLAGS (CL_MEM_USE_HOST_PTR | CL_MEM_ALLOC_HOST_PTR | \
		   CL_MEM_COPY_HOST_PTR)

bool vcl_mem_valid(cl_mem m)
{
	return vcl_obj_valid(m, VCL_MEM);
}

static void mem_destroy(struct vcl_obj *obj)
{
	cl_mem m = (cl_mem)obj;
	struct vcl_mem_cb *cb, *next;
	struct vcl_map *map, *mnext;

	/* Newest first, as the spec says. */
	for (cb = m->destructors; cb; cb = next) {
		next = cb->next;
		cb->fn(m, cb->data);
		free(cb);
	}
	for (map = m->maps; map; map = mnext) {
		mnext = map->next;
		free(map);
	}
	if (m->owned)
		munmap(m->addr, m->map_len);
	if (m->parent)
		VCL_PUT(m->parent);
	VCL_PUT(m->ctx);
	free(m->props);
	free(m);
}

static cl_int check_flags(cl_mem_flags flags)
{
	const cl_mem_flags known = ACCESS_FLAGS | HOST_FLAGS | PTR_FLAGS;

	if (flags & ~known)
		return CL_INVALID_VALUE;
	if (__builtin_popcountll(flags & ACCESS_FLAGS) > 1 ||
	    __builtin_popcountll(flags & HOST_FLAGS) > 1)
		return CL_INVALID_VALUE;
	if ((flags & CL_MEM_USE_HOST_PTR) &&
	    (flags & (CL_MEM_ALLOC_HOST_PTR | CL_MEM_COPY_HOST_PTR)))
		return CL_INVALID_VALUE;
	return CL_SUCCESS;
}

static cl_mem buffer_new(cl_context ctx, const cl_mem_properties *props,
			 cl_mem_flags flags, size_t size, void *host_ptr,
			 cl_int *err)
{
	size_t nprops = 0;
	cl_mem m;
	cl_uint i;
	void *map;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT)) {
		*err = CL_INVALID_CONTEXT;
		return NULL;
	}
	if (props) {
		/* No buffer property is defined in OpenCL 3.0 core. */
		if (props[0]) {
			*err = CL_INVALID_PROPERTY;
			return NULL;
		}
		nprops = 1;
	}
	*err = check_flags(flags);
	if (*err)
		return NULL;
	if (!size) {
		*err = CL_INVALID_BUFFER_SIZE;
		return NULL;
	}
	for (i = 0; i < ctx->num_devices; i++) {
		if (size > ctx->devices[i]->max_alloc) {
			*err = CL_INVALID_BUFFER_SIZE;
			return NULL;
		}
	}
	if (!!host_ptr != !!(flags & (CL_MEM_USE_HOST_PTR | CL_MEM_COPY_HOST_PTR))) {
		*err = CL_INVALID_HOST_PTR;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		*err = CL_OUT_OF_HOST_MEMORY;
		return NULL;
	}
	if (nprops) {
		m->props = calloc(1, sizeof(*props));
		if (!m->props)
			goto oom;
		m->num_props = 1;
	}
	if (flags & CL_MEM_USE_HOST_PTR) {
		m->addr = host_ptr;
		m->host_ptr = host_ptr;
		m->uses_svm = vcl_svm_find(NULL, host_ptr, 0, NULL);
	} else {
		m->addr = vcl_map_anon(size, 128, &map, &m->map_len);
		if (!m->addr) {
			free(m->props);
			free(m);
			*err = CL_MEM_OBJECT_ALLOCATION_FAILURE;
			return NULL;
		}
		m->owned = true;
		if (flags & CL_MEM_COPY_HOST_PTR)
			memcpy(m->addr, host_ptr, size);
	}
	vcl_obj_init(&m->obj, VCL_MEM, mem_destroy, NULL);
	m->ctx = ctx;
	VCL_GET(ctx);
	m->type = CL_MEM_OBJECT_BUFFER;
	m->flags = flags;
	if (!(flags & ACCESS_FLAGS))
		m->flags |= CL_MEM_READ_WRITE;
	m->size = size;
	*err = CL_SUCCESS;
	return m;
oom:
	free(m);
	*err = CL_OUT_OF_HOST_MEMORY;
	return NULL;
}

cl_mem CL_API_CALL vclCreateBuffer(cl_context ctx, cl_mem_flags flags,
				   size_t size, void *host_ptr,
				   cl_int *errcode_ret)
{
	cl_int err;
	cl_mem m = buffer_new(ctx, NULL, flags, size, host_ptr, &err);

	if (errcode_ret)
		*errcode_ret = err;
	return m;
}

cl_mem CL_API_CALL vclCreateBufferWithProperties(
	cl_context ctx, const cl_mem_properties *props, cl_mem_flags flags,
	size_t size, void *host_ptr, cl_int *errcode_ret)
{
	cl_int err;
	cl_mem m = buffer_new(ctx, props, flags, size, host_ptr, &err);

	if (errcode_ret)
		*errcode_ret = err;
	return m;
}

cl_mem CL_API_CALL vclCreateSubBuffer(cl_mem parent, cl_mem_flags flags,
				      cl_buffer_create_type type,
				      const void *info, cl_int *errcode_ret)
{
	const cl_buffer_region *r = info;
	cl_mem m = NULL;
	cl_mem_flags pf;
	cl_int err = CL_SUCCESS;
	cl_uint i;

	if (!vcl_mem_valid(parent) || parent->parent) {
		err = CL_INVALID_MEM_OBJECT;
		goto out;
	}
	pf = parent->flags;
	err = check_flags(flags);
	if (err)
		goto out;
	if ((flags & PTR_FLAGS) ||
	    ((pf & CL_MEM_WRITE_ONLY) && (flags & (CL_MEM_READ_WRITE | CL_MEM_READ_ONLY))) ||
	    ((pf & CL_MEM_READ_ONLY) && (flags & (CL_MEM_READ_WRITE | CL_MEM_WRITE_ONLY))) ||
	    ((pf & CL_MEM_HOST_WRITE_ONLY) && (flags & CL_MEM_HOST_READ_ONLY)) ||
	    ((pf & CL_MEM_HOST_READ_ONLY) && (flags & CL_MEM_HOST_WRITE_ONLY)) ||
	    ((pf & CL_MEM_HOST_NO_ACCESS) &&
	     (flags & (CL_MEM_HOST_READ_ONLY | CL_MEM_HOST_WRITE_ONLY)))) {
		err = CL_INVALID_VALUE;
		goto out;
	}
	if (type != CL_BUFFER_CREATE_TYPE_REGION || !r) {
		err = CL_INVALID_VALUE;
		goto out;
	}
	if (!r->size) {
		err = CL_INVALID_BUFFER_SIZE;
		goto out;
	}
	if (r->origin > parent->size || r->size > parent->size - r->origin) {
		err = CL_INVALID_VALUE;
		goto out;
	}
	/* CL_DEVICE_MEM_BASE_ADDR_ALIGN is 1024 bits on every device. */
	if (r->origin % 128) {
		err = CL_MISALIGNED_SUB_BUFFER_OFFSET;
		goto out;
	}
	for (i = 0; i < parent->ctx->num_devices; i++)
		if (r->size > parent->ctx->devices[i]->max_alloc)
			err = CL_INVALID_BUFFER_SIZE;
	if (err)
		goto out;
	m = calloc(1, sizeof(*m));
	if (!m) {
		err = CL_OUT_OF_HOST_MEMORY;
		goto out;
	}
	vcl_obj_init(&m->obj, VCL_MEM, mem_destroy, NULL);
	m->ctx = parent->ctx;
	VCL_GET(m->ctx);
	m->parent = parent;
	VCL_GET(parent);
	m->type = CL_MEM_OBJECT_BUFFER;
	/* What is not given is inherited. */
	m->flags = flags;
	if (!(flags & ACCESS_FLAGS))
		m->flags |= pf & ACCESS_FLAGS;
	if (!(flags & HOST_FLAGS))
		m->flags |= pf & HOST_FLAGS;
	m->flags |= pf & PTR_FLAGS;
	m->size = r->size;
	m->offset = r->origin;
	m->addr = parent->addr + r->origin;
	if (parent->host_ptr)
		m->host_ptr = (char *)parent->host_ptr + r->origin;
	m->uses_svm = parent->uses_svm;
out:
	if (errcode_ret)
		*errcode_ret = err;
	return m;
}

cl_int CL_API_CALL vclRetainMemObject(cl_mem m)
{
	if (!vcl_mem_valid(m))
		return CL_INVALID_MEM_OBJECT;
	vcl_obj_retain(&m->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclReleaseMemObject(cl_mem m)
{
	if (!vcl_mem_valid(m))
		return CL_INVALID_MEM_OBJECT;
	vcl_obj_release(&m->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclSetMemObjectDestructorCallback(
	cl_mem m, void (CL_CALLBACK *fn)(cl_mem, void *), void *data)
{
	struct vcl_mem_cb *cb;

	if (!vcl_mem_valid(m))
		return CL_INVALID_MEM_OBJECT;
	if (!fn)
		return CL_INVALID_VALUE;
	cb = malloc(sizeof(*cb));
	if (!cb)
		return CL_OUT_OF_HOST_MEMORY;
	cb->fn = fn;
	cb->data = data;
	pthread_mutex_lock(&vcl_lock);
	cb->next = m->destructors;
	m->destructors = cb;
	pthread_mutex_unlock(&vcl_lock);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclGetMemObjectInfo(cl_mem m, cl_mem_info name,
				       size_t size, void *value,
				       size_t *size_ret)
{
	cl_uint count;

	if (!vcl_mem_valid(m))
		return CL_INVALID_MEM_OBJECT;
	switch (name) {
	case CL_MEM_TYPE:
		VCL_INFO(cl_mem_object_type, m->type);
	case CL_MEM_FLAGS:
		VCL_INFO(cl_mem_flags, m->flags);
	case CL_MEM_SIZE:
		VCL_INFO(size_t, m->size);
	case CL_MEM_HOST_PTR:
		VCL_INFO(void *, m->host_ptr);
	case CL_MEM_MAP_COUNT:
		pthread_mutex_lock(&vcl_lock);
		count = m->map_count;
		pthread_mutex_unlock(&vcl_lock);
		VCL_INFO(cl_uint, count);
	case CL_MEM_REFERENCE_COUNT:
		VCL_INFO(cl_uint, atomic_load(&m->obj.ref));
	case CL_MEM_CONTEXT:
		VCL_INFO(cl_context, m->ctx);
	case CL_MEM_ASSOCIATED_MEMOBJECT:
		VCL_INFO(cl_mem, m->parent);
	case CL_MEM_OFFSET:
		VCL_INFO(size_t, m->offset);
	case CL_MEM_USES_SVM_POINTER:
		VCL_INFO(cl_bool, m->uses_svm ? CL_TRUE : CL_FALSE);
	case CL_MEM_PROPERTIES:
		return vcl_info(size, value, size_ret, m->props,
				m->num_props * sizeof(cl_mem_properties));
	default:
		return CL_INVALID_VALUE;
	}
}
