// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: contexts. Creating one binds the process's address space to each of
 * its devices (vsvm VM_INIT, once per device and process).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcl.h"

bool vcl_context_has_device(cl_context ctx, cl_device_id dev)
{
	cl_uint i;

	for (i = 0; i < ctx->num_devices; i++)
		if (ctx->devices[i] == dev)
			return true;
	return false;
}

void vcl_context_notify(cl_context ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!ctx->notify)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->notify(msg, NULL, 0, ctx->notify_data);
}

static void context_destroy(struct vcl_obj *obj)
{
	cl_context ctx = (cl_context)obj;
	struct vcl_ctx_cb *cb, *next;

	/* Newest first, as the spec says. */
	for (cb = ctx->destructors; cb; cb = next) {
		next = cb->next;
		cb->fn(ctx, cb->data);
		free(cb);
	}
	free(ctx->props);
	free(ctx);
}

static cl_int parse_props(const cl_context_properties *props, size_t *count)
{
	bool seen_platform = false, seen_sync = false;
	size_t i = 0;

	*count = 0;
	if (!props)
		return CL_SUCCESS;
	for (i = 0; props[i]; i += 2) {
		switch (props[i]) {
		case CL_CONTEXT_PLATFORM:
			if (seen_platform)
				return CL_INVALID_PROPERTY;
			seen_platform = true;
			if ((cl_platform_id)props[i + 1] != vcl_platform())
				return CL_INVALID_PLATFORM;
			break;
		case CL_CONTEXT_INTEROP_USER_SYNC:
			if (seen_sync)
				return CL_INVALID_PROPERTY;
			seen_sync = true;
			break;
		default:
			return CL_INVALID_PROPERTY;
		}
	}
	*count = i + 1;
	return CL_SUCCESS;
}

static cl_context context_new(const cl_context_properties *props,
			      cl_uint num_devices, const cl_device_id *devices,
			      void (CL_CALLBACK *notify)(const char *, const void *,
							 size_t, void *),
			      void *data, cl_int *err)
{
	cl_context ctx;
	size_t nprops;
	cl_uint i, j;

	*err = parse_props(props, &nprops);
	if (*err)
		return NULL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		*err = CL_OUT_OF_HOST_MEMORY;
		return NULL;
	}
	if (nprops) {
		ctx->props = malloc(nprops * sizeof(*props));
		if (!ctx->props) {
			free(ctx);
			*err = CL_OUT_OF_HOST_MEMORY;
			return NULL;
		}
		memcpy(ctx->props, props, nprops * sizeof(*props));
		ctx->num_props = nprops;
	}
	ctx->svm_caps = ~(cl_device_svm_capabilities)0;
	for (i = 0; i < num_devices; i++) {
		for (j = 0; j < ctx->num_devices; j++)
			if (ctx->devices[j] == devices[i])
				break;
		if (j < ctx->num_devices)
			continue;	/* duplicates are ignored */
		*err = vcl_device_vm(devices[i]);
		if (*err) {
			free(ctx->props);
			free(ctx);
			return NULL;
		}
		ctx->devices[ctx->num_devices++] = devices[i];
		ctx->svm_caps &= devices[i]->svm_caps;
	}
	ctx->notify = notify;
	ctx->notify_data = data;
	vcl_obj_init(&ctx->obj, VCL_CONTEXT, context_destroy, NULL);
	*err = CL_SUCCESS;
	return ctx;
}

cl_context CL_API_CALL vclCreateContext(
	const cl_context_properties *props, cl_uint num_devices,
	const cl_device_id *devices,
	void (CL_CALLBACK *notify)(const char *, const void *, size_t, void *),
	void *data, cl_int *errcode_ret)
{
	cl_context ctx = NULL;
	cl_int err;
	cl_uint i;

	if (!devices || !num_devices || (!notify && data)) {
		err = CL_INVALID_VALUE;
		goto out;
	}
	for (i = 0; i < num_devices; i++) {
		if (!vcl_device_valid(devices[i])) {
			err = CL_INVALID_DEVICE;
			goto out;
		}
	}
	ctx = context_new(props, num_devices, devices, notify, data, &err);
out:
	if (errcode_ret)
		*errcode_ret = err;
	return ctx;
}

cl_context CL_API_CALL vclCreateContextFromType(
	const cl_context_properties *props, cl_device_type type,
	void (CL_CALLBACK *notify)(const char *, const void *, size_t, void *),
	void *data, cl_int *errcode_ret)
{
	cl_device_id devs[VCL_MAX_DEVICES];
	cl_context ctx = NULL;
	cl_uint n = 0;
	cl_int err;

	if (!notify && data) {
		err = CL_INVALID_VALUE;
		goto out;
	}
	err = vclGetDeviceIDs(vcl_platform(), type, VCL_MAX_DEVICES, devs, &n);
	if (err)
		goto out;
	ctx = context_new(props, n, devs, notify, data, &err);
out:
	if (errcode_ret)
		*errcode_ret = err;
	return ctx;
}

cl_int CL_API_CALL vclRetainContext(cl_context ctx)
{
	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		return CL_INVALID_CONTEXT;
	vcl_obj_retain(&ctx->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclReleaseContext(cl_context ctx)
{
	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		return CL_INVALID_CONTEXT;
	vcl_obj_release(&ctx->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclGetContextInfo(cl_context ctx, cl_context_info name,
				     size_t size, void *value, size_t *size_ret)
{
	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		return CL_INVALID_CONTEXT;
	switch (name) {
	case CL_CONTEXT_REFERENCE_COUNT:
		VCL_INFO(cl_uint, atomic_load(&ctx->obj.ref));
	case CL_CONTEXT_NUM_DEVICES:
		VCL_INFO(cl_uint, ctx->num_devices);
	case CL_CONTEXT_DEVICES:
		return vcl_info(size, value, size_ret, ctx->devices,
				ctx->num_devices * sizeof(cl_device_id));
	case CL_CONTEXT_PROPERTIES:
		return vcl_info(size, value, size_ret, ctx->props,
				ctx->num_props * sizeof(cl_context_properties));
	default:
		return CL_INVALID_VALUE;
	}
}

cl_int CL_API_CALL vclSetContextDestructorCallback(
	cl_context ctx, void (CL_CALLBACK *fn)(cl_context, void *), void *data)
{
	struct vcl_ctx_cb *cb;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT))
		return CL_INVALID_CONTEXT;
	if (!fn)
		return CL_INVALID_VALUE;
	cb = malloc(sizeof(*cb));
	if (!cb)
		return CL_OUT_OF_HOST_MEMORY;
	cb->fn = fn;
	cb->data = data;
	pthread_mutex_lock(&vcl_lock);
	cb->next = ctx->destructors;
	ctx->destructors = cb;
	pthread_mutex_unlock(&vcl_lock);
	return CL_SUCCESS;
}
