// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: in-order command queues. A queue owns a vsvm channel of its device
 * (the least used one) and a worker thread that runs host commands and
 * retires GPU commands nobody is waiting for (so that callbacks fire).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "vcl.h"

/* Every queue, for waking those whose commands wait for others. */
static cl_command_queue queues;

void vcl_kick_all_locked(void)
{
	cl_command_queue q;

	for (q = queues; q; q = q->qnext)
		vcl_kick_locked(q);
}

bool vcl_queue_valid(cl_command_queue q)
{
	return vcl_obj_valid(q, VCL_QUEUE);
}

static void *worker_main(void *arg)
{
	cl_command_queue q = arg;

	vcl_queue_worker(q);
	VCL_PUT(q);
	return NULL;
}

static void queue_last_ref(struct vcl_obj *obj)
{
	cl_command_queue q = (cl_command_queue)obj;

	pthread_mutex_lock(&vcl_lock);
	q->stopping = true;
	vcl_queue_pump_locked(q, false);
	vcl_kick_locked(q);
	vcl_unlock();
}

static void queue_destroy(struct vcl_obj *obj)
{
	cl_command_queue q = (cl_command_queue)obj;

	pthread_mutex_lock(&vcl_lock);
	if (q->qprev)
		q->qprev->qnext = q->qnext;
	else
		queues = q->qnext;
	if (q->qnext)
		q->qnext->qprev = q->qprev;
	pthread_mutex_unlock(&vcl_lock);
	pthread_cond_destroy(&q->wake);
	vcl_device_drop_channel(q->dev, q->channel);
	free(q->props_array);
	VCL_PUT(q->ctx);
	free(q);
}

static cl_command_queue queue_new(cl_context ctx, cl_device_id dev,
				  cl_command_queue_properties props,
				  const cl_queue_properties *array,
				  size_t num_props, cl_int *err)
{
	cl_command_queue q;
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT)) {
		*err = CL_INVALID_CONTEXT;
		return NULL;
	}
	if (!vcl_device_valid(dev) || !vcl_context_has_device(ctx, dev)) {
		*err = CL_INVALID_DEVICE;
		return NULL;
	}
	if (props & ~(cl_command_queue_properties)(CL_QUEUE_PROFILING_ENABLE |
			CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE |
			CL_QUEUE_ON_DEVICE | CL_QUEUE_ON_DEVICE_DEFAULT)) {
		*err = CL_INVALID_VALUE;
		return NULL;
	}
	if ((props & CL_QUEUE_ON_DEVICE_DEFAULT) && !(props & CL_QUEUE_ON_DEVICE)) {
		*err = CL_INVALID_VALUE;
		return NULL;
	}
	/* Valid, but only in-order host queues exist here. */
	if (props & (CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE | CL_QUEUE_ON_DEVICE)) {
		*err = CL_INVALID_QUEUE_PROPERTIES;
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		*err = CL_OUT_OF_HOST_MEMORY;
		return NULL;
	}
	if (num_props) {
		q->props_array = malloc(num_props * sizeof(*array));
		if (!q->props_array) {
			free(q);
			*err = CL_OUT_OF_HOST_MEMORY;
			return NULL;
		}
		memcpy(q->props_array, array, num_props * sizeof(*array));
		q->num_props = num_props;
	}
	vcl_obj_init(&q->obj, VCL_QUEUE, queue_destroy, queue_last_ref);
	q->ctx = ctx;
	VCL_GET(ctx);
	q->dev = dev;
	q->props = props;
	q->channel = vcl_device_take_channel(dev);
	q->max_inflight = dev->max_inflight ? dev->max_inflight / 2 : 64;
	if (q->max_inflight > 64)
		q->max_inflight = 64;
	if (!q->max_inflight)
		q->max_inflight = 1;

	pthread_cond_init(&q->wake, NULL);
	pthread_mutex_lock(&vcl_lock);
	q->qnext = queues;
	if (queues)
		queues->qprev = q;
	queues = q;
	pthread_mutex_unlock(&vcl_lock);

	VCL_GET(q);		/* the worker's */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->worker, &attr, worker_main, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc) {
		VCL_PUT(q);
		VCL_PUT(q);
		*err = CL_OUT_OF_HOST_MEMORY;
		return NULL;
	}
	*err = CL_SUCCESS;
	return q;
}

cl_command_queue CL_API_CALL vclCreateCommandQueue(
	cl_context ctx, cl_device_id dev, cl_command_queue_properties props,
	cl_int *errcode_ret)
{
	cl_command_queue q;
	cl_int err;

	if (props & (CL_QUEUE_ON_DEVICE | CL_QUEUE_ON_DEVICE_DEFAULT)) {
		/* Not valid for the 1.x entry point. */
		err = vcl_obj_valid(ctx, VCL_CONTEXT) ? CL_INVALID_VALUE :
							 CL_INVALID_CONTEXT;
		q = NULL;
	} else {
		q = queue_new(ctx, dev, props, NULL, 0, &err);
	}
	if (errcode_ret)
		*errcode_ret = err;
	return q;
}

cl_command_queue CL_API_CALL vclCreateCommandQueueWithProperties(
	cl_context ctx, cl_device_id dev, const cl_queue_properties *props,
	cl_int *errcode_ret)
{
	cl_command_queue_properties flags = 0;
	bool seen_props = false, seen_size = false;
	cl_command_queue q = NULL;
	size_t i = 0;
	cl_int err = CL_SUCCESS;

	for (i = 0; props && props[i]; i += 2) {
		switch (props[i]) {
		case CL_QUEUE_PROPERTIES:
			if (seen_props)
				err = CL_INVALID_VALUE;
			seen_props = true;
			flags = props[i + 1];
			break;
		case CL_QUEUE_SIZE:
			if (seen_size)
				err = CL_INVALID_VALUE;
			seen_size = true;
			break;
		default:
			err = CL_INVALID_VALUE;
			break;
		}
		if (err)
			break;
	}
	if (!err && seen_size && !(flags & CL_QUEUE_ON_DEVICE))
		err = CL_INVALID_VALUE;
	if (err) {
		if (!vcl_obj_valid(ctx, VCL_CONTEXT))
			err = CL_INVALID_CONTEXT;
		else if (!vcl_device_valid(dev) ||
			 !vcl_context_has_device(ctx, dev))
			err = CL_INVALID_DEVICE;
	} else {
		q = queue_new(ctx, dev, flags, props, props ? i + 1 : 0, &err);
	}
	if (errcode_ret)
		*errcode_ret = err;
	return q;
}

cl_int CL_API_CALL vclRetainCommandQueue(cl_command_queue q)
{
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	vcl_obj_retain(&q->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclReleaseCommandQueue(cl_command_queue q)
{
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	vcl_obj_release(&q->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclGetCommandQueueInfo(cl_command_queue q,
					  cl_command_queue_info name,
					  size_t size, void *value,
					  size_t *size_ret)
{
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	switch (name) {
	case CL_QUEUE_CONTEXT:
		VCL_INFO(cl_context, q->ctx);
	case CL_QUEUE_DEVICE:
		VCL_INFO(cl_device_id, q->dev);
	case CL_QUEUE_REFERENCE_COUNT:
		VCL_INFO(cl_uint, atomic_load(&q->obj.ref));
	case CL_QUEUE_PROPERTIES:
		VCL_INFO(cl_command_queue_properties, q->props);
	case CL_QUEUE_PROPERTIES_ARRAY:
		return vcl_info(size, value, size_ret, q->props_array,
				q->num_props * sizeof(cl_queue_properties));
	case CL_QUEUE_DEVICE_DEFAULT:
		VCL_INFO(cl_command_queue, NULL);
	case CL_QUEUE_SIZE:
		return CL_INVALID_COMMAND_QUEUE;	/* host queues have none */
	default:
		return CL_INVALID_VALUE;
	}
}

cl_int CL_API_CALL vclSetCommandQueueProperty(
	cl_command_queue q, cl_command_queue_properties props, cl_bool enable,
	cl_command_queue_properties *old)
{
	(void)props; (void)enable; (void)old;
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	return CL_INVALID_OPERATION;	/* deprecated, not supported */
}

cl_int vcl_queue_finish(cl_command_queue q)
{
	cl_event last;

	pthread_mutex_lock(&vcl_lock);
	last = q->tail;
	if (last)
		VCL_GET(last);
	pthread_mutex_unlock(&vcl_lock);
	if (!last)
		return CL_SUCCESS;
	vcl_event_wait(last);
	VCL_PUT(last);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclFinish(cl_command_queue q)
{
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	return vcl_queue_finish(q);
}

cl_int CL_API_CALL vclFlush(cl_command_queue q)
{
	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	pthread_mutex_lock(&vcl_lock);
	vcl_queue_pump_locked(q, false);
	vcl_kick_if_needed_locked(q);
	vcl_unlock();
	return CL_SUCCESS;
}

static cl_int enqueue_nop(cl_command_queue q, cl_command_type type,
			  cl_uint num_wait, const cl_event *wait, cl_event *out)
{
	cl_event e;
	cl_int err;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	e = vcl_event_new(q, type, num_wait, wait, &err);
	if (!e)
		return err;
	e->kind = VCL_CMD_NOP;
	return vcl_enqueue(e, false, out);
}

cl_int CL_API_CALL vclEnqueueMarkerWithWaitList(cl_command_queue q,
						cl_uint num_wait,
						const cl_event *wait,
						cl_event *event)
{
	return enqueue_nop(q, CL_COMMAND_MARKER, num_wait, wait, event);
}

cl_int CL_API_CALL vclEnqueueBarrierWithWaitList(cl_command_queue q,
						 cl_uint num_wait,
						 const cl_event *wait,
						 cl_event *event)
{
	return enqueue_nop(q, CL_COMMAND_BARRIER, num_wait, wait, event);
}

cl_int CL_API_CALL vclEnqueueMarker(cl_command_queue q, cl_event *event)
{
	if (vcl_queue_valid(q) && !event)
		return CL_INVALID_VALUE;
	return enqueue_nop(q, CL_COMMAND_MARKER, 0, NULL, event);
}

cl_int CL_API_CALL vclEnqueueBarrier(cl_command_queue q)
{
	return enqueue_nop(q, CL_COMMAND_BARRIER, 0, NULL, NULL);
}

cl_int CL_API_CALL vclEnqueueWaitForEvents(cl_command_queue q, cl_uint n,
					   const cl_event *list)
{
	cl_uint i;

	if (!vcl_queue_valid(q))
		return CL_INVALID_COMMAND_QUEUE;
	if (!n || !list)
		return CL_INVALID_VALUE;
	for (i = 0; i < n; i++)
		if (!vcl_obj_valid(list[i], VCL_EVENT))
			return CL_INVALID_EVENT;
	return enqueue_nop(q, CL_COMMAND_MARKER, n, list, NULL);
}
