// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: kernels and their launch. A launch is one vsvm DISPATCH: the
 * kernarg block (laid out as the compiler describes each argument) is
 * ordinary memory of the process, which the GPU reads through its page
 * table like everything else; __global arguments are CPU addresses
 * (buffers, SVM pointers, malloc'd memory alike); __local arguments are
 * addresses in the work-group's local window, after the program's static
 * local data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcl.h"
#include "vsvm_cc.h"

cl_int vcl_gpu_begin(cl_event e);
cl_int vcl_gpu_end(cl_event e);

/* Alignment of each dynamic __local argument (long16). */
#define LOCAL_ALIGN 128

static bool valid_kernel(cl_kernel k)
{
	return vcl_obj_valid(k, VCL_KERNEL);
}

static void arg_clear(struct vcl_arg *a)
{
	if (a->mem)
		VCL_PUT(a->mem);
	free(a->value);
	memset(a, 0, sizeof(*a));
}

static void kernel_destroy(struct vcl_obj *obj)
{
	cl_kernel k = (cl_kernel)obj;
	cl_uint i;

	for (i = 0; k->args && i < k->info->num_args; i++)
		arg_clear(&k->args[i]);
	free(k->args);
	free(k->svm_ptrs);
	pthread_mutex_lock(&k->program->lock);
	k->program->kernels_attached--;
	pthread_mutex_unlock(&k->program->lock);
	VCL_PUT(k->program);
	free(k);
}

static cl_kernel kernel_new(cl_program p, const struct vsvm_cc_kernel *info,
			    cl_int *err)
{
	cl_kernel k = calloc(1, sizeof(*k));

	if (!k)
		goto oom;
	k->args = calloc(info->num_args ? info->num_args : 1, sizeof(*k->args));
	if (!k->args)
		goto oom;
	vcl_obj_init(&k->obj, VCL_KERNEL, kernel_destroy, NULL);
	k->program = p;
	VCL_GET(p);
	k->ctx = p->ctx;
	k->info = info;
	k->fine_grain_system = CL_TRUE;
	p->kernels_attached++;
	*err = CL_SUCCESS;
	return k;
oom:
	free(k);
	*err = CL_OUT_OF_HOST_MEMORY;
	return NULL;
}

static bool executable(cl_program p)
{
	return p->cc && p->build_status == CL_BUILD_SUCCESS &&
	       p->binary_type == CL_PROGRAM_BINARY_TYPE_EXECUTABLE;
}

cl_kernel CL_API_CALL vclCreateKernel(cl_program p, const char *name,
				      cl_int *errcode_ret)
{
	const struct vsvm_cc_kernel *info;
	cl_kernel k = NULL;
	cl_int err;

	if (!vcl_obj_valid(p, VCL_PROGRAM)) {
		err = CL_INVALID_PROGRAM;
		goto out;
	}
	pthread_mutex_lock(&p->lock);
	if (!executable(p))
		err = CL_INVALID_PROGRAM_EXECUTABLE;
	else if (!name)
		err = CL_INVALID_VALUE;
	else if (!(info = vsvm_cc_program_find_kernel(p->cc, name)))
		err = CL_INVALID_KERNEL_NAME;
	else
		k = kernel_new(p, info, &err);
	pthread_mutex_unlock(&p->lock);
out:
	if (errcode_ret)
		*errcode_ret = err;
	return k;
}

cl_int CL_API_CALL vclCreateKernelsInProgram(cl_program p, cl_uint num,
					     cl_kernel *kernels,
					     cl_uint *num_ret)
{
	cl_int err = CL_SUCCESS;
	cl_uint i, n;

	if (!vcl_obj_valid(p, VCL_PROGRAM))
		return CL_INVALID_PROGRAM;
	pthread_mutex_lock(&p->lock);
	if (!executable(p)) {
		pthread_mutex_unlock(&p->lock);
		return CL_INVALID_PROGRAM_EXECUTABLE;
	}
	n = vsvm_cc_program_num_kernels(p->cc);
	if (kernels && num < n) {
		pthread_mutex_unlock(&p->lock);
		return CL_INVALID_VALUE;
	}
	for (i = 0; kernels && i < n; i++) {
		kernels[i] = kernel_new(p, vsvm_cc_program_kernel(p->cc, i), &err);
		if (!kernels[i])
			break;
	}
	pthread_mutex_unlock(&p->lock);
	if (err) {
		while (i--)
			VCL_PUT(kernels[i]);
		return err;
	}
	if (num_ret)
		*num_ret = n;
	return CL_SUCCESS;
}

cl_kernel CL_API_CALL vclCloneKernel(cl_kernel src, cl_int *errcode_ret)
{
	cl_kernel k = NULL;
	cl_int err;
	cl_uint i;

	if (!valid_kernel(src)) {
		err = CL_INVALID_KERNEL;
		goto out;
	}
	pthread_mutex_lock(&src->program->lock);
	k = kernel_new(src->program, src->info, &err);
	pthread_mutex_unlock(&src->program->lock);
	if (!k)
		goto out;
	for (i = 0; i < src->info->num_args; i++) {
		struct vcl_arg *a = &k->args[i];
		const struct vcl_arg *s = &src->args[i];

		*a = *s;
		a->value = NULL;
		if (a->mem)
			VCL_GET(a->mem);
		if (s->value) {
			a->value = malloc(src->info->args[i].size);
			if (!a->value)
				goto oom;
			memcpy(a->value, s->value, src->info->args[i].size);
		}
	}
	if (src->num_svm_ptrs) {
		k->svm_ptrs = malloc(src->num_svm_ptrs * sizeof(void *));
		if (!k->svm_ptrs)
			goto oom;
		memcpy(k->svm_ptrs, src->svm_ptrs, src->num_svm_ptrs * sizeof(void *));
		k->num_svm_ptrs = src->num_svm_ptrs;
	}
	k->fine_grain_system = src->fine_grain_system;
	goto out;
oom:
	VCL_PUT(k);
	k = NULL;
	err = CL_OUT_OF_HOST_MEMORY;
out:
	if (errcode_ret)
		*errcode_ret = err;
	return k;
}

cl_int CL_API_CALL vclRetainKernel(cl_kernel k)
{
	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	vcl_obj_retain(&k->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclReleaseKernel(cl_kernel k)
{
	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	vcl_obj_release(&k->obj);
	return CL_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */

cl_int CL_API_CALL vclSetKernelArg(cl_kernel k, cl_uint idx, size_t size,
				   const void *value)
{
	const struct vsvm_cc_arg *info;
	struct vcl_arg a;

	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	if (idx >= k->info->num_args)
		return CL_INVALID_ARG_INDEX;
	info = &k->info->args[idx];
	memset(&a, 0, sizeof(a));
	switch (info->kind) {
	case VSVM_CC_ARG_LOCAL:
		if (value)
			return CL_INVALID_ARG_VALUE;
		if (!size)
			return CL_INVALID_ARG_SIZE;
		a.local_size = size;
		break;
	case VSVM_CC_ARG_GLOBAL:
	case VSVM_CC_ARG_CONSTANT:
		if (size != sizeof(cl_mem))
			return CL_INVALID_ARG_SIZE;
		if (value && *(const cl_mem *)value) {
			cl_mem m = *(const cl_mem *)value;

			if (!vcl_mem_valid(m) || m->ctx != k->ctx)
				return CL_INVALID_MEM_OBJECT;
			a.mem = m;
			VCL_GET(m);
		}
		break;
	case VSVM_CC_ARG_VALUE:
	default:
		if (!value)
			return CL_INVALID_ARG_VALUE;
		if (size != info->size)
			return CL_INVALID_ARG_SIZE;
		a.value = malloc(size);
		if (!a.value)
			return CL_OUT_OF_HOST_MEMORY;
		memcpy(a.value, value, size);
		break;
	}
	a.set = true;
	arg_clear(&k->args[idx]);
	k->args[idx] = a;
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclSetKernelArgSVMPointer(cl_kernel k, cl_uint idx,
					     const void *ptr)
{
	const struct vsvm_cc_arg *info;
	struct vcl_arg a;

	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	if (!k->ctx->svm_caps)
		return CL_INVALID_OPERATION;
	if (idx >= k->info->num_args)
		return CL_INVALID_ARG_INDEX;
	info = &k->info->args[idx];
	if (info->kind != VSVM_CC_ARG_GLOBAL && info->kind != VSVM_CC_ARG_CONSTANT)
		return CL_INVALID_ARG_VALUE;
	memset(&a, 0, sizeof(a));
	a.value = malloc(sizeof(uint64_t));
	if (!a.value)
		return CL_OUT_OF_HOST_MEMORY;
	*(uint64_t *)a.value = VSVM_PTR(ptr);
	a.is_svm = true;
	a.set = true;
	arg_clear(&k->args[idx]);
	k->args[idx] = a;
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclSetKernelExecInfo(cl_kernel k, cl_kernel_exec_info name,
					size_t size, const void *value)
{
	void **ptrs;

	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	switch (name) {
	case CL_KERNEL_EXEC_INFO_SVM_PTRS:
		if (size % sizeof(void *) || (size && !value) || (!size && value))
			return CL_INVALID_VALUE;
		if (!k->ctx->svm_caps)
			return CL_INVALID_OPERATION;
		/*
		 * Every address of the process is reachable by the GPU: the
		 * list is kept (the set replaces the last one) but not needed.
		 */
		ptrs = NULL;
		if (size) {
			ptrs = malloc(size);
			if (!ptrs)
				return CL_OUT_OF_HOST_MEMORY;
			memcpy(ptrs, value, size);
		}
		free(k->svm_ptrs);
		k->svm_ptrs = ptrs;
		k->num_svm_ptrs = size / sizeof(void *);
		return CL_SUCCESS;
	case CL_KERNEL_EXEC_INFO_SVM_FINE_GRAIN_SYSTEM:
		if (size != sizeof(cl_bool) || !value)
			return CL_INVALID_VALUE;
		if (*(const cl_bool *)value &&
		    !(k->ctx->svm_caps & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM))
			return CL_INVALID_OPERATION;
		k->fine_grain_system = *(const cl_bool *)value ? CL_TRUE : CL_FALSE;
		return CL_SUCCESS;
	default:
		return CL_INVALID_VALUE;
	}
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

cl_int CL_API_CALL vclGetKernelInfo(cl_kernel k, cl_kernel_info name,
				    size_t size, void *value, size_t *size_ret)
{
	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	switch (name) {
	case CL_KERNEL_FUNCTION_NAME:
		VCL_INFO_STR(k->info->name);
	case CL_KERNEL_NUM_ARGS:
		VCL_INFO(cl_uint, k->info->num_args);
	case CL_KERNEL_REFERENCE_COUNT:
		VCL_INFO(cl_uint, atomic_load(&k->obj.ref));
	case CL_KERNEL_CONTEXT:
		VCL_INFO(cl_context, k->ctx);
	case CL_KERNEL_PROGRAM:
		VCL_INFO(cl_program, k->program);
	case CL_KERNEL_ATTRIBUTES:
		VCL_INFO_STR(k->info->attributes ? k->info->attributes : "");
	default:
		return CL_INVALID_VALUE;
	}
}

cl_int CL_API_CALL vclGetKernelArgInfo(cl_kernel k, cl_uint idx,
				       cl_kernel_arg_info name, size_t size,
				       void *value, size_t *size_ret)
{
	const struct vsvm_cc_arg *a;

	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	if (idx >= k->info->num_args)
		return CL_INVALID_ARG_INDEX;
	a = &k->info->args[idx];
	/* Names and types come from the source; a binary may lack them. */
	if (!a->name || !*a->name)
		return CL_KERNEL_ARG_INFO_NOT_AVAILABLE;
	switch (name) {
	case CL_KERNEL_ARG_ADDRESS_QUALIFIER:
		VCL_INFO(cl_kernel_arg_address_qualifier,
			 a->kind == VSVM_CC_ARG_GLOBAL ? CL_KERNEL_ARG_ADDRESS_GLOBAL :
			 a->kind == VSVM_CC_ARG_CONSTANT ? CL_KERNEL_ARG_ADDRESS_CONSTANT :
			 a->kind == VSVM_CC_ARG_LOCAL ? CL_KERNEL_ARG_ADDRESS_LOCAL :
			 CL_KERNEL_ARG_ADDRESS_PRIVATE);
	case CL_KERNEL_ARG_ACCESS_QUALIFIER:
		VCL_INFO(cl_kernel_arg_access_qualifier,
			 a->access_qual ? a->access_qual : CL_KERNEL_ARG_ACCESS_NONE);
	case CL_KERNEL_ARG_TYPE_NAME:
		VCL_INFO_STR(a->type_name ? a->type_name : "");
	case CL_KERNEL_ARG_TYPE_QUALIFIER:
		VCL_INFO(cl_kernel_arg_type_qualifier, a->type_qual);
	case CL_KERNEL_ARG_NAME:
		VCL_INFO_STR(a->name);
	default:
		return CL_INVALID_VALUE;
	}
}

/* Bytes of local memory the kernel needs with its current arguments. */
static uint64_t local_bytes(cl_kernel k, uint64_t static_local)
{
	uint64_t n = (static_local + LOCAL_ALIGN - 1) & ~(uint64_t)(LOCAL_ALIGN - 1);
	cl_uint i;

	for (i = 0; i < k->info->num_args; i++)
		if (k->info->args[i].kind == VSVM_CC_ARG_LOCAL && k->args[i].set)
			n += (k->args[i].local_size + LOCAL_ALIGN - 1) &
			     ~(uint64_t)(LOCAL_ALIGN - 1);
	return n;
}

static uint64_t static_local_of(cl_kernel k)
{
	const struct drm_vsvm_program_header *hdr;
	size_t size = 0;

	hdr = vsvm_cc_program_image(k->program->cc, &size);
	return hdr && size >= sizeof(*hdr) ? hdr->local_size : 0;
}

static uint32_t private_bytes(cl_kernel k)
{
	uint32_t n = k->info->private_size;

	if (!n)
		return DRM_VSVM_DEFAULT_PRIVATE_MEM;
	/* Room for the entry's frame; a multiple of 16. */
	n += 256;
	return (n + 15) & ~15u;
}

static size_t kernel_wg_size(cl_kernel k, cl_device_id dev)
{
	size_t n = dev->max_workgroup;

	if (k->info->reqd_work_group_size[0])
		n = (size_t)k->info->reqd_work_group_size[0] *
		    k->info->reqd_work_group_size[1] *
		    k->info->reqd_work_group_size[2];
	return n;
}

cl_int CL_API_CALL vclGetKernelWorkGroupInfo(cl_kernel k, cl_device_id dev,
					     cl_kernel_work_group_info name,
					     size_t size, void *value,
					     size_t *size_ret)
{
	size_t wg[3];
	cl_uint i;

	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	if (!dev) {
		if (k->program->num_devices != 1)
			return CL_INVALID_DEVICE;
		dev = k->program->devices[0];
	}
	for (i = 0; i < k->program->num_devices; i++)
		if (k->program->devices[i] == dev)
			break;
	if (i == k->program->num_devices)
		return CL_INVALID_DEVICE;
	switch (name) {
	case CL_KERNEL_WORK_GROUP_SIZE:
		VCL_INFO(size_t, kernel_wg_size(k, dev));
	case CL_KERNEL_COMPILE_WORK_GROUP_SIZE:
		for (i = 0; i < 3; i++)
			wg[i] = k->info->reqd_work_group_size[i];
		return vcl_info(size, value, size_ret, wg, sizeof(wg));
	case CL_KERNEL_LOCAL_MEM_SIZE:
		VCL_INFO(cl_ulong, local_bytes(k, static_local_of(k)));
	case CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE:
		VCL_INFO(size_t, 1);
	case CL_KERNEL_PRIVATE_MEM_SIZE:
		VCL_INFO(cl_ulong, k->info->private_size);
	case CL_KERNEL_GLOBAL_WORK_SIZE:
		/* Only for custom devices and built-in kernels. */
	default:
		return CL_INVALID_VALUE;
	}
}

cl_int CL_API_CALL vclGetKernelSubGroupInfo(cl_kernel k, cl_device_id dev,
					    cl_kernel_sub_group_info name,
					    size_t in_size, const void *in,
					    size_t size, void *value,
					    size_t *size_ret)
{
	(void)name; (void)in_size; (void)in; (void)size; (void)value;
	(void)size_ret;
	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	if (dev && !vcl_device_valid(dev))
		return CL_INVALID_DEVICE;
	return CL_INVALID_OPERATION;	/* no device has sub-groups */
}

/* ------------------------------------------------------------------ */
/* Launch                                                              */

struct launch {
	struct drm_vsvm_dispatch d;
	cl_program program;
	void *kernarg;
};

static void launch_fini(cl_event e)
{
	struct launch *l = e->payload;

	if (!l)
		return;
	free(l->kernarg);
	if (l->program)
		VCL_PUT(l->program);
	free(l);
	e->payload = NULL;
}

/* The largest divisor of @n not above @cap (at least 1). */
static size_t divisor_below(size_t n, size_t cap)
{
	size_t d;

	if (cap >= n)
		return n;
	for (d = cap; d > 1; d--)
		if (!(n % d))
			return d;
	return 1;
}

static cl_int choose_local(cl_kernel k, cl_device_id dev, cl_uint dim,
			   const size_t *global, const size_t *local,
			   uint32_t *out)
{
	const uint32_t *reqd = k->info->reqd_work_group_size;
	size_t max = kernel_wg_size(k, dev), total = 1, budget;
	cl_uint i;

	if (local) {
		for (i = 0; i < dim; i++) {
			if (!local[i])
				return CL_INVALID_WORK_GROUP_SIZE;
			if (local[i] > dev->max_workgroup)
				return CL_INVALID_WORK_ITEM_SIZE;
			if (reqd[0] && local[i] != reqd[i])
				return CL_INVALID_WORK_GROUP_SIZE;
			if (k->program->uniform_wg && global[i] % local[i])
				return CL_INVALID_WORK_GROUP_SIZE;
			total *= local[i];
			if (total > max)
				return CL_INVALID_WORK_GROUP_SIZE;
			out[i] = (uint32_t)local[i];
		}
	} else if (reqd[0]) {
		for (i = 0; i < dim; i++) {
			if (k->program->uniform_wg && global[i] % reqd[i])
				return CL_INVALID_WORK_GROUP_SIZE;
			out[i] = reqd[i];
		}
	} else {
		budget = max;
		for (i = 0; i < dim; i++) {
			out[i] = (uint32_t)divisor_below(global[i], budget);
			budget /= out[i];
		}
	}
	for (i = dim; i < 3; i++)
		out[i] = 1;
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclEnqueueNDRangeKernel(cl_command_queue q, cl_kernel k,
					   cl_uint dim, const size_t *offset,
					   const size_t *global,
					   const size_t *local,
					   cl_uint num_wait,
					   const cl_event *wait,
					   cl_event *event)
{
	const struct vsvm_cc_kernel *info;
	uint64_t static_local = 0, lmem, local_addr;
	struct launch *l = NULL;
	uint32_t handle = 0, lsize[3];
	bool empty = false;
	cl_event e = NULL;
	size_t kbytes;
	cl_int err;
	cl_uint i;
	char what[160];

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	if (!valid_kernel(k))
		return CL_INVALID_KERNEL;
	if (k->ctx != q->ctx)
		return CL_INVALID_CONTEXT;
	err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (err)
		return err;
	err = vcl_program_gpu(k->program, q->dev, &handle, &static_local);
	if (err)
		return err;
	if (dim < 1 || dim > 3)
		return CL_INVALID_WORK_DIMENSION;
	if (!global)
		return CL_INVALID_GLOBAL_WORK_SIZE;
	for (i = 0; i < dim; i++) {
		if (!global[i])
			empty = true;
		if (offset && global[i] > SIZE_MAX - offset[i])
			return CL_INVALID_GLOBAL_OFFSET;
	}
	info = vsvm_cc_program_find_kernel(k->program->cc, k->info->name);
	if (!info)
		return CL_INVALID_PROGRAM_EXECUTABLE;
	for (i = 0; i < info->num_args; i++)
		if (!k->args[i].set)
			return CL_INVALID_KERNEL_ARGS;
	err = empty ? CL_SUCCESS : choose_local(k, q->dev, dim, global, local, lsize);
	if (err)
		return err;
	lmem = local_bytes(k, static_local);
	if (lmem > q->dev->max_local_mem)
		return CL_OUT_OF_RESOURCES;
	if (private_bytes(k) > q->dev->max_private_mem)
		return CL_OUT_OF_RESOURCES;

	e = vcl_event_new(q, CL_COMMAND_NDRANGE_KERNEL, num_wait, wait, &err);
	if (!e)
		return err;
	if (empty) {
		/* Nothing to run (OpenCL 2.1 and later): an ordering point. */
		e->kind = VCL_CMD_NOP;
		return vcl_enqueue(e, false, event);
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		goto oom;
	e->payload = l;
	e->fini = launch_fini;
	l->program = k->program;
	VCL_GET(l->program);
	kbytes = (info->kernarg_size + 15) & ~(size_t)15;
	if (!kbytes)
		kbytes = 16;
	l->kernarg = aligned_alloc(info->kernarg_align > 16 ? info->kernarg_align : 16,
				   kbytes);
	if (!l->kernarg)
		goto oom;
	memset(l->kernarg, 0, kbytes);
	local_addr = DRM_VSVM_SHADER_LOCAL +
		     ((static_local + LOCAL_ALIGN - 1) & ~(uint64_t)(LOCAL_ALIGN - 1));
	for (i = 0; i < info->num_args; i++) {
		const struct vsvm_cc_arg *ai = &info->args[i];
		struct vcl_arg *a = &k->args[i];
		char *slot = (char *)l->kernarg + ai->offset;
		uint64_t addr;

		if (ai->offset + (uint64_t)ai->size > kbytes) {
			err = CL_INVALID_PROGRAM_EXECUTABLE;
			goto fail;
		}
		switch (ai->kind) {
		case VSVM_CC_ARG_LOCAL:
			memcpy(slot, &local_addr, sizeof(local_addr));
			local_addr += (a->local_size + LOCAL_ALIGN - 1) &
				      ~(uint64_t)(LOCAL_ALIGN - 1);
			break;
		case VSVM_CC_ARG_GLOBAL:
		case VSVM_CC_ARG_CONSTANT:
			addr = 0;
			if (a->is_svm)
				memcpy(&addr, a->value, sizeof(addr));
			else if (a->mem)
				addr = VSVM_PTR(a->mem->addr);
			memcpy(slot, &addr, sizeof(addr));
			if (a->mem) {
				err = vcl_event_keep_mem(e, a->mem);
				if (err)
					goto fail;
			}
			break;
		default:
			memcpy(slot, a->value, ai->size);
			break;
		}
	}
	l->d.program = handle;
	l->d.work_dim = dim;
	l->d.entry = info->entry;
	l->d.kernarg = VSVM_PTR(l->kernarg);
	for (i = 0; i < 3; i++) {
		l->d.global_offset[i] = i < dim && offset ? offset[i] : 0;
		l->d.global_size[i] = i < dim ? global[i] : 1;
		l->d.local_size[i] = lsize[i];
	}
	l->d.local_mem = (uint32_t)lmem;
	l->d.private_mem = private_bytes(k);
	err = vcl_gpu_begin(e);
	if (!err && vcl_gpu_dispatch(e->cb, &l->d))
		err = CL_OUT_OF_HOST_MEMORY;
	if (!err)
		err = vcl_gpu_end(e);
	if (err)
		goto fail;
	snprintf(what, sizeof(what), "kernel %s", info->name);
	e->what = strdup(what);
	return vcl_enqueue(e, false, event);
oom:
	err = CL_OUT_OF_HOST_MEMORY;
fail:
	vcl_event_abort(e);
	return err;
}

cl_int CL_API_CALL vclEnqueueTask(cl_command_queue q, cl_kernel k,
				  cl_uint num_wait, const cl_event *wait,
				  cl_event *event)
{
	const size_t one = 1;

	return vclEnqueueNDRangeKernel(q, k, 1, NULL, &one, &one, num_wait,
				       wait, event);
}

cl_int CL_API_CALL vclEnqueueNativeKernel(
	cl_command_queue q, void (CL_CALLBACK *fn)(void *), void *args,
	size_t cb_args, cl_uint num_mems, const cl_mem *mems,
	const void **mem_locs, cl_uint num_wait, const cl_event *wait,
	cl_event *event)
{
	(void)fn; (void)args; (void)cb_args; (void)num_mems; (void)mems;
	(void)mem_locs; (void)num_wait; (void)wait; (void)event;
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	/* CL_DEVICE_EXECUTION_CAPABILITIES has no CL_EXEC_NATIVE_KERNEL. */
	return CL_INVALID_OPERATION;
}
