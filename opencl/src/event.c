// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: events, user events, callbacks, waiting, and the async thread.
 *
 * An event is a command: it is created by an enqueue function, linked into
 * its queue's list (vcl_enqueue), started by vcl_queue_pump_locked() once
 * the command before it and its wait list allow, and completed under
 * vcl_lock by whoever learns that it finished.
 *
 * GPU completion is learnt lazily: a thread that waits for a command
 * (clFinish, clWaitForEvents, a blocking enqueue) waits in vsvm_wait()
 * itself; the queue's worker does it only for commands something else
 * needs (a callback, a command of another queue or a host command waiting
 * for them, a full queue, a released queue). So an enqueue followed by
 * clFinish costs one vsvm_exec() and one vsvm_wait(), as a raw submission.
 *
 * Completion never runs user code under vcl_lock: what it releases is
 * deferred to the point where the thread drops the lock (vcl_unlock), and
 * event callbacks and context notifications go to the async thread, in
 * order.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcl.h"

pthread_mutex_t vcl_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t vcl_cond = PTHREAD_COND_INITIALIZER;

/* ------------------------------------------------------------------ */
/* The async thread                                                    */

enum work_kind { WORK_CALLBACK, WORK_PUT, WORK_NOTIFY };

struct work {
	enum work_kind kind;
	void *obj;
	struct vcl_cb *cb;
	cl_int status;
	char *msg;
	struct work *next;
};

static struct {
	pthread_cond_t cond;
	pthread_once_t once;
	bool running;
	struct work *head, *tail;
} async = { PTHREAD_COND_INITIALIZER, PTHREAD_ONCE_INIT, false, NULL, NULL };

static void fini_event(cl_event e)
{
	cl_uint i;

	if (e->fini)
		e->fini(e);
	e->fini = NULL;
	for (i = 0; i < e->num_mems; i++)
		vcl_obj_put(&e->mems[i]->obj);
	free(e->mems);
	e->mems = NULL;
	e->num_mems = 0;
	for (i = 0; i < e->num_wait; i++)
		vcl_obj_put(&e->wait[i]->obj);
	free(e->wait);
	e->wait = NULL;
	e->num_wait = 0;
	vsvm_cmdbuf_del(e->cb);
	e->cb = NULL;
	for (i = 0; i < e->num_parts; i++)
		vsvm_cmdbuf_del(e->parts[i]);
	free(e->parts);
	free(e->part_seqno);
	e->parts = NULL;
	e->part_seqno = NULL;
	e->num_parts = 0;
}

static void run_work(struct work *w)
{
	switch (w->kind) {
	case WORK_CALLBACK:
		w->cb->fn(w->obj, w->status, w->cb->data);
		free(w->cb);
		vcl_obj_put(w->obj);
		break;
	case WORK_PUT:
		vcl_obj_put(w->obj);
		break;
	case WORK_NOTIFY:
		vcl_context_notify(w->obj, "%s", w->msg);
		free(w->msg);
		vcl_obj_put(w->obj);
		break;
	}
	free(w);
}

static void *async_main(void *arg)
{
	struct work *w;

	(void)arg;
	pthread_mutex_lock(&vcl_lock);
	for (;;) {
		w = async.head;
		if (!w) {
			pthread_cond_wait(&async.cond, &vcl_lock);
			continue;
		}
		async.head = w->next;
		if (!async.head)
			async.tail = NULL;
		pthread_mutex_unlock(&vcl_lock);
		run_work(w);
		pthread_mutex_lock(&vcl_lock);
	}
	return NULL;
}

static void async_start(void)
{
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all, old;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* Signals are the application's threads' business. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	async.running = !pthread_create(&t, &attr, async_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
}

/* Queue work for the async thread; vcl_lock held. */
static void async_push(struct work *w)
{
	pthread_once(&async.once, async_start);
	w->next = NULL;
	if (async.tail)
		async.tail->next = w;
	else
		async.head = w;
	async.tail = w;
	pthread_cond_signal(&async.cond);
}

static struct work *work_new(enum work_kind kind, void *obj)
{
	struct work *w = calloc(1, sizeof(*w));

	if (w) {
		w->kind = kind;
		w->obj = obj;
	}
	return w;
}

void vcl_async_callback_locked(cl_event e, struct vcl_cb *cb, cl_int status)
{
	struct work *w = work_new(WORK_CALLBACK, e);

	if (!w) {
		free(cb);	/* out of memory: the callback is lost */
		return;
	}
	VCL_GET(e);
	w->cb = cb;
	w->status = status;
	async_push(w);
}

void vcl_async_put_locked(struct vcl_obj *obj)
{
	struct work *w = work_new(WORK_PUT, obj);

	if (w)
		async_push(w);
	/* out of memory: the object leaks rather than dying under the lock */
}

/* ------------------------------------------------------------------ */
/* Releases deferred to vcl_unlock()                                   */

struct deferred {
	struct vcl_obj **obj;
	bool *fini;
	size_t n, cap;
};

static _Thread_local struct deferred deferred;

/* Release @obj (after finishing the command, if @fini) once unlocked. */
static void defer_locked(struct vcl_obj *obj, bool fini)
{
	struct deferred *d = &deferred;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct vcl_obj **o = realloc(d->obj, cap * sizeof(*o));
		bool *f = o ? realloc(d->fini, cap * sizeof(*f)) : NULL;

		if (o)
			d->obj = o;
		if (!o || !f) {
			/* Out of memory: leave it to the async thread. */
			if (!fini)
				vcl_async_put_locked(obj);
			return;
		}
		d->fini = f;
		d->cap = cap;
	}
	d->obj[d->n] = obj;
	d->fini[d->n] = fini;
	d->n++;
}

void vcl_defer_put_locked(struct vcl_obj *obj)
{
	defer_locked(obj, false);
}

static void run_deferred(struct vcl_obj **obj, bool *fini, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fini[i])
			fini_event((cl_event)obj[i]);
		vcl_obj_put(obj[i]);
	}
}

/*
 * Drop vcl_lock, then release what was deferred while holding it (which
 * may run destructors, hence user code, and take the lock again).
 */
void vcl_unlock(void)
{
	struct deferred d = deferred;

	memset(&deferred, 0, sizeof(deferred));
	pthread_mutex_unlock(&vcl_lock);
	run_deferred(d.obj, d.fini, d.n);
	free(d.obj);
	free(d.fini);
}

/* The same without leaving the locked section for good. */
static void flush_deferred_locked(void)
{
	if (!deferred.n)
		return;
	vcl_unlock();
	pthread_mutex_lock(&vcl_lock);
}

static void async_notify_locked(cl_context ctx, const char *msg)
{
	struct work *w;

	if (!ctx->notify)
		return;
	w = work_new(WORK_NOTIFY, ctx);
	if (!w)
		return;
	w->msg = strdup(msg);
	if (!w->msg) {
		free(w);
		return;
	}
	VCL_GET(ctx);
	async_push(w);
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

static void event_destroy(struct vcl_obj *obj)
{
	cl_event e = (cl_event)obj;
	struct vcl_cb *cb, *next;

	fini_event(e);
	for (cb = e->cbs; cb; cb = next) {
		next = cb->next;
		free(cb);
	}
	free(e->what);
	if (e->queue)
		VCL_PUT(e->queue);
	VCL_PUT(e->ctx);
	free(e);
}

cl_int vcl_check_wait_list(cl_context ctx, cl_uint n, const cl_event *list)
{
	cl_uint i;

	if ((!list && n) || (list && !n))
		return CL_INVALID_EVENT_WAIT_LIST;
	for (i = 0; i < n; i++)
		if (!vcl_obj_valid(list[i], VCL_EVENT))
			return CL_INVALID_EVENT_WAIT_LIST;
	for (i = 0; i < n; i++)
		if (list[i]->ctx != ctx)
			return CL_INVALID_CONTEXT;
	return CL_SUCCESS;
}

static cl_event event_alloc(cl_context ctx, cl_command_queue q,
			    cl_command_type type)
{
	cl_event e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	vcl_obj_init(&e->obj, VCL_EVENT, event_destroy, NULL);
	e->ctx = ctx;
	VCL_GET(ctx);
	e->queue = q;
	if (q)
		VCL_GET(q);
	e->type = type;
	e->status = CL_QUEUED;
	return e;
}

cl_event vcl_event_new(cl_command_queue q, cl_command_type type,
		       cl_uint num_wait, const cl_event *wait, cl_int *err)
{
	cl_event e;
	cl_uint i;

	*err = vcl_check_wait_list(q->ctx, num_wait, wait);
	if (*err)
		return NULL;
	e = event_alloc(q->ctx, q, type);
	if (!e)
		goto oom;
	e->profiled = q->props & CL_QUEUE_PROFILING_ENABLE;
	if (e->profiled)
		e->t_queued = vcl_now();
	if (num_wait) {
		e->wait = malloc(num_wait * sizeof(*e->wait));
		if (!e->wait)
			goto oom;
		for (i = 0; i < num_wait; i++) {
			e->wait[i] = wait[i];
			VCL_GET(wait[i]);
		}
		e->num_wait = num_wait;
	}
	return e;
oom:
	if (e)
		VCL_PUT(e);
	*err = CL_OUT_OF_HOST_MEMORY;
	return NULL;
}

cl_int vcl_event_keep_mem(cl_event e, cl_mem m)
{
	cl_mem *mems = realloc(e->mems, (e->num_mems + 1) * sizeof(*mems));

	if (!mems)
		return CL_OUT_OF_HOST_MEMORY;
	e->mems = mems;
	mems[e->num_mems++] = m;
	VCL_GET(m);
	return CL_SUCCESS;
}

void vcl_event_abort(cl_event e)
{
	VCL_PUT(e);
}

/* Schedule the callbacks of @e that @status reaches. vcl_lock held. */
static void fire_callbacks_locked(cl_event e, cl_int status)
{
	struct vcl_cb **pp = &e->cbs, *cb;

	while ((cb = *pp)) {
		if (status <= cb->type) {
			*pp = cb->next;
			vcl_async_callback_locked(e, cb,
						  status < 0 ? status : cb->type);
		} else {
			pp = &cb->next;
		}
	}
}

/* SUBMITTED or RUNNING; vcl_lock held. */
void vcl_event_set_status_locked(cl_event e, cl_int status)
{
	if (status >= e->status)
		return;
	e->status = status;
	fire_callbacks_locked(e, status);
	pthread_cond_broadcast(&vcl_cond);
}

static void complete_locked(cl_event e, cl_int status)
{
	cl_command_queue q = e->queue;

	if (e->status <= 0)
		return;
	if (status > 0)
		status = CL_COMPLETE;
	if (e->profiled) {
		cl_ulong now = vcl_now();

		if (!e->t_submit)
			e->t_submit = now;
		if (e->kind == VCL_CMD_GPU && e->gpu_ts[0] && e->gpu_ts[1]) {
			e->t_start = e->gpu_ts[0];
			e->t_end = e->gpu_ts[1];
		}
		if (!e->t_start)
			e->t_start = e->t_submit;
		if (!e->t_end)
			e->t_end = now;
		/* One clock, but keep the order the spec promises. */
		if (e->t_submit < e->t_queued)
			e->t_submit = e->t_queued;
		if (e->t_start < e->t_submit)
			e->t_start = e->t_submit;
		if (e->t_end < e->t_start)
			e->t_end = e->t_start;
	}
	if (e->kind == VCL_CMD_GPU && e->submitted && q)
		q->inflight--;
	e->status = status;
	e->started = true;
	fire_callbacks_locked(e, status);
	if (q) {
		/* Retired commands leave the list from its head, in order. */
		while (q->head && q->head->status <= 0) {
			cl_event h = q->head;

			q->head = h->next;
			if (q->head)
				q->head->prev = NULL;
			else
				q->tail = NULL;
			h->next = h->prev = NULL;
			VCL_PUT_LOCKED(h);
		}
	}
	/* What the command kept alive goes once the lock is dropped. */
	VCL_GET(e);
	defer_locked(&e->obj, true);
	if (e->needed)
		vcl_kick_all_locked();	/* commands waiting for it */
	else if (q)
		vcl_kick_if_needed_locked(q);
	pthread_cond_broadcast(&vcl_cond);
}

/* The submission @e failed with @err: tell the context why. */
static void report_failure_locked(cl_event e, int err)
{
	struct drm_vsvm_fault_info fi;
	char msg[400];
	const char *what = e->what ? e->what : "command";

	memset(&fi, 0, sizeof(fi));
	if ((err == -EFAULT || err == -ENOEXEC || err == -EDEADLK) &&
	    !vsvm_fault_info(e->queue->dev->vdev, &fi) && e->num_parts &&
	    fi.seqno >= e->part_seqno[0] && fi.seqno <= e->seqno &&
	    fi.channel == e->channel) {
		static const char *const access[] = { "read", "write", "atomic" };

		if (err == -EFAULT)
			snprintf(msg, sizeof(msg),
				 "vsvm: %s on %s failed: GPU %s fault at 0x%llx (pc 0x%llx, error %d)",
				 what, e->queue->dev->name,
				 fi.access < 3 ? access[fi.access] : "?",
				 (unsigned long long)fi.addr,
				 (unsigned long long)fi.pc, fi.error);
		else
			snprintf(msg, sizeof(msg),
				 "vsvm: %s on %s failed: %s at pc 0x%llx (instruction 0x%08x)",
				 what, e->queue->dev->name,
				 err == -ENOEXEC ? "illegal instruction" :
				 "work-items of a group reached different barriers",
				 (unsigned long long)fi.pc, fi.insn);
	} else {
		snprintf(msg, sizeof(msg), "vsvm: %s on %s failed: %s", what,
			 e->queue->dev->name,
			 err == -ETIMEDOUT ? "out of time (job timeout)" :
			 strerror(-err));
	}
	async_notify_locked(e->ctx, msg);
}

/*
 * The result of GPU command @e whose last part ended with @status: the
 * first failure of its parts (all done: a channel runs in order).
 */
static int32_t parts_status(cl_event e, int32_t status)
{
	unsigned int i;

	for (i = 0; i + 1 < e->num_parts; i++) {
		int32_t st = 0;
		int r = vsvm_wait(e->queue->dev->vdev, e->channel, e->part_seqno[i], 0, &st);

		if (!r && st)
			return st;
	}
	return status;
}

/*
 * Complete GPU command @e, which vsvm_wait() says is done (@rc its return,
 * @status the submission's result), and before it every earlier GPU
 * command of its queue (the channel runs in order). vcl_lock held.
 */
static void retire_locked(cl_event e, int rc, int32_t status)
{
	cl_command_queue q = e->queue;
	cl_event x;

	if (e->status <= 0)
		return;
restart:
	for (x = q->head; x && x != e; x = x->next) {
		int32_t st = 0;
		int r;

		if (x->status <= 0 || x->kind != VCL_CMD_GPU || !x->submitted)
			continue;
		r = vsvm_wait(q->dev->vdev, x->channel, x->seqno, 0, &st);
		if (r == -ETIME)
			break;	/* cannot be: the channel runs in order */
		if (r == -ENODATA)
			st = 0;
		else if (r)
			st = r;
		st = parts_status(x, st);
		if (st)
			report_failure_locked(x, st);
		complete_locked(x, st ? CL_OUT_OF_RESOURCES : CL_COMPLETE);
		goto restart;	/* the list may have lost its head */
	}
	if (rc == -ENODATA) {
		rc = 0;
		status = 0;
	}
	if (rc)
		status = rc;
	status = parts_status(e, status);
	if (status)
		report_failure_locked(e, status);
	complete_locked(e, status ? CL_OUT_OF_RESOURCES : CL_COMPLETE);
	/* The next one in the channel is now running. */
	for (x = q->head; x; x = x->next) {
		if (x->kind == VCL_CMD_GPU && x->submitted && x->status > 0) {
			vcl_event_set_status_locked(x, CL_RUNNING);
			break;
		}
	}
}

/* Wait in vsvm_wait() for GPU command @e; vcl_lock held, dropped inside. */
static void wait_gpu_locked(cl_event e)
{
	cl_device_id dev = e->queue->dev;
	uint32_t channel = e->channel;
	uint64_t seqno = e->seqno;
	int32_t status = 0;
	int rc;

	VCL_GET(e);
	pthread_mutex_unlock(&vcl_lock);
	rc = vsvm_wait(dev->vdev, channel, seqno, VSVM_TIMEOUT_INFINITE,
		       &status);
	pthread_mutex_lock(&vcl_lock);
	retire_locked(e, rc, status);
	VCL_PUT_LOCKED(e);
}

/* The oldest GPU command of @q still running, or NULL; vcl_lock held. */
static cl_event oldest_gpu_locked(cl_command_queue q)
{
	cl_event x;

	for (x = q->head; x; x = x->next)
		if (x->kind == VCL_CMD_GPU && x->submitted && x->status > 0)
			return x;
	return NULL;
}

/*
 * Retire the GPU commands of @q that are done, oldest first, without
 * waiting; vcl_lock held (the ioctls do not block).
 */
static void poll_gpu_locked(cl_command_queue q)
{
	cl_event g;

	while ((g = oldest_gpu_locked(q))) {
		int32_t status = 0;
		int rc = vsvm_wait(q->dev->vdev, g->channel, g->seqno, 0, &status);

		if (rc == -ETIME)
			break;
		retire_locked(g, rc, status);
	}
}

/*
 * Make progress on queue @q once: start what can start, else wait for
 * its oldest GPU command, else for any change. vcl_lock held.
 */
static void step_locked(cl_command_queue q)
{
	cl_event g;

	vcl_queue_pump_locked(q, true);
	g = oldest_gpu_locked(q);
	if (g)
		wait_gpu_locked(g);
	else
		pthread_cond_wait(&vcl_cond, &vcl_lock);
}

/* Whether @q has work only its worker would do. vcl_lock held. */
static bool needs_worker_locked(cl_command_queue q)
{
	cl_event e;

	if (q->stopping && q->head)
		return true;
	for (e = q->head; e; e = e->next) {
		if (e->status <= 0)
			continue;
		if (e->kind == VCL_CMD_HOST || e->needed || e->cbs)
			return true;
		if (!e->started && q->inflight >= q->max_inflight)
			return true;
	}
	return false;
}

void vcl_kick_locked(cl_command_queue q)
{
	q->kick = true;
	pthread_cond_signal(&q->wake);
}

void vcl_kick_if_needed_locked(cl_command_queue q)
{
	if (needs_worker_locked(q))
		vcl_kick_locked(q);
}

/* The worker of queue @q, until it is released and drained. */
void vcl_queue_worker(cl_command_queue q)
{
	cl_event g;

	pthread_mutex_lock(&vcl_lock);
	for (;;) {
		vcl_queue_pump_locked(q, true);
		if (q->stopping && !q->head)
			break;
		if (needs_worker_locked(q) && (g = oldest_gpu_locked(q))) {
			wait_gpu_locked(g);
			continue;
		}
		flush_deferred_locked();
		if (!q->kick)
			pthread_cond_wait(&q->wake, &vcl_lock);
		q->kick = false;
	}
	vcl_unlock();
}

cl_int vcl_event_wait(cl_event e)
{
	cl_int status;

	pthread_mutex_lock(&vcl_lock);
	while (e->status > 0) {
		if (e->queue) {
			vcl_queue_pump_locked(e->queue, true);
			if (e->status <= 0)
				break;
			/* Commands before it run first: wait for the oldest. */
			step_locked(e->queue);
		} else {
			pthread_cond_wait(&vcl_cond, &vcl_lock);
		}
	}
	status = e->status;
	vcl_unlock();
	return status;
}

/* ------------------------------------------------------------------ */
/* Starting commands (the queue's pump)                                */

/* Whether @e's wait list is done: 1 yes, 0 not yet, -1 one failed. */
static int deps_state(cl_event e)
{
	cl_uint i;
	int r = 1;

	for (i = 0; i < e->num_wait; i++) {
		if (e->wait[i]->status < 0)
			return -1;
		if (e->wait[i]->status > 0)
			r = 0;
	}
	return r;
}

/*
 * Submit GPU command @e; vcl_lock held, dropped around vsvm_exec() (which
 * blocks while the channel is full). @e->started keeps anyone else from
 * submitting it, and the next command of the queue waits for
 * @e->submitted, so the channel gets them in order.
 */
static void gpu_submit_locked(cl_event e)
{
	cl_command_queue q = e->queue;
	uint64_t seqno = 0;
	unsigned int i;
	int err = 0;

	e->started = true;
	VCL_GET(e);
	pthread_mutex_unlock(&vcl_lock);
	for (i = 0; i < e->num_parts && !err; i++) {
		do {
			err = vsvm_exec(q->dev->vdev, q->channel, e->parts[i], &seqno);
		} while (err == -EINTR);
		e->part_seqno[i] = seqno;
	}
	pthread_mutex_lock(&vcl_lock);
	VCL_PUT_LOCKED(e);
	if (e->profiled)
		e->t_submit = vcl_now();
	e->channel = q->channel;
	if (err) {
		/* Parts already queued run on; the command has failed. */
		e->seqno = e->part_seqno[0];
		report_failure_locked(e, err);
		complete_locked(e, vcl_errno(err));
		return;
	}
	e->submitted = true;
	e->seqno = seqno;
	q->inflight++;
	vcl_event_set_status_locked(e, e->prev && e->prev->status > 0 ?
				    CL_SUBMITTED : CL_RUNNING);
}

void vcl_queue_pump_locked(cl_command_queue q, bool host_ok)
{
	cl_event e;

restart:
	for (e = q->head; e; e = e->next) {
		cl_event prev = e->prev;
		bool prev_done = !prev || prev->status <= 0;
		cl_int st;
		int deps;

		if (e->started)
			continue;
		deps = deps_state(e);
		if (!deps)
			return;
		if (deps < 0) {
			if (!prev_done)
				return;
			complete_locked(e, CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
			goto restart;	/* the list may have changed */
		}
		switch (e->kind) {
		case VCL_CMD_GPU:
			if (!prev_done && !(prev->kind == VCL_CMD_GPU &&
					    prev->submitted))
				return;
			if (q->inflight >= q->max_inflight)
				return;
			gpu_submit_locked(e);
			goto restart;	/* the lock was dropped */
		case VCL_CMD_HOST:
			if (!prev_done || !host_ok)
				return;
			e->started = true;
			if (e->profiled)
				e->t_submit = e->t_start = vcl_now();
			vcl_event_set_status_locked(e, CL_RUNNING);
			VCL_GET(e);
			pthread_mutex_unlock(&vcl_lock);
			st = e->run(e);
			pthread_mutex_lock(&vcl_lock);
			if (e->profiled)
				e->t_end = vcl_now();
			complete_locked(e, st ? st : CL_COMPLETE);
			VCL_PUT_LOCKED(e);
			goto restart;
		default:
			if (!prev_done)
				return;
			if (e->profiled)
				e->t_submit = vcl_now();
			complete_locked(e, CL_COMPLETE);
			goto restart;
		}
	}
}

cl_int vcl_enqueue(cl_event e, bool blocking, cl_event *out)
{
	cl_command_queue q = e->queue;
	cl_int st = CL_SUCCESS;
	cl_uint i;

	pthread_mutex_lock(&vcl_lock);
	/* What it waits for must complete even if nobody waits for that. */
	for (i = 0; i < e->num_wait; i++) {
		cl_event w = e->wait[i];

		if (!w->needed && w->status > 0) {
			w->needed = true;
			if (w->queue && w->queue != q)
				vcl_kick_locked(w->queue);
		}
	}
	VCL_GET(e);			/* the list's reference */
	e->prev = q->tail;
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	vcl_queue_pump_locked(q, false);
	/* A GPU command on its way needs nobody; the rest may need the worker. */
	if (e->status > 0 && !(e->kind == VCL_CMD_GPU && e->submitted))
		vcl_kick_locked(q);
	vcl_unlock();

	if (blocking) {
		st = vcl_event_wait(e);
		if (st > 0)
			st = CL_SUCCESS;
	}
	if (out)
		*out = e;
	else
		vcl_obj_release(&e->obj);
	return st;
}

/* ------------------------------------------------------------------ */
/* API                                                                 */

cl_event CL_API_CALL vclCreateUserEvent(cl_context ctx, cl_int *errcode_ret)
{
	cl_event e = NULL;
	cl_int err = CL_SUCCESS;

	if (!vcl_obj_valid(ctx, VCL_CONTEXT)) {
		err = CL_INVALID_CONTEXT;
		goto out;
	}
	e = event_alloc(ctx, NULL, CL_COMMAND_USER);
	if (!e) {
		err = CL_OUT_OF_HOST_MEMORY;
		goto out;
	}
	e->kind = VCL_CMD_USER;
	e->status = CL_SUBMITTED;
out:
	if (errcode_ret)
		*errcode_ret = err;
	return e;
}

cl_int CL_API_CALL vclSetUserEventStatus(cl_event e, cl_int status)
{
	cl_int err = CL_SUCCESS;

	if (!vcl_obj_valid(e, VCL_EVENT) || e->kind != VCL_CMD_USER)
		return CL_INVALID_EVENT;
	if (status > CL_COMPLETE)
		return CL_INVALID_VALUE;
	pthread_mutex_lock(&vcl_lock);
	if (e->status <= 0)
		err = CL_INVALID_OPERATION;
	else
		complete_locked(e, status);
	vcl_unlock();
	return err;
}

cl_int CL_API_CALL vclWaitForEvents(cl_uint n, const cl_event *list)
{
	cl_int err = CL_SUCCESS;
	cl_uint i;

	if (!n || !list)
		return CL_INVALID_VALUE;
	for (i = 0; i < n; i++)
		if (!vcl_obj_valid(list[i], VCL_EVENT))
			return CL_INVALID_EVENT;
	for (i = 1; i < n; i++)
		if (list[i]->ctx != list[0]->ctx)
			return CL_INVALID_CONTEXT;
	for (i = 0; i < n; i++)
		if (vcl_event_wait(list[i]) < 0)
			err = CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST;
	return err;
}

cl_int CL_API_CALL vclGetEventInfo(cl_event e, cl_event_info name,
				   size_t size, void *value, size_t *size_ret)
{
	cl_int status;

	if (!vcl_obj_valid(e, VCL_EVENT))
		return CL_INVALID_EVENT;
	switch (name) {
	case CL_EVENT_COMMAND_QUEUE:
		VCL_INFO(cl_command_queue, e->queue);
	case CL_EVENT_CONTEXT:
		VCL_INFO(cl_context, e->ctx);
	case CL_EVENT_COMMAND_TYPE:
		VCL_INFO(cl_command_type, e->type);
	case CL_EVENT_COMMAND_EXECUTION_STATUS:
		pthread_mutex_lock(&vcl_lock);
		/* Polling is progress too: retire what is done, start what can. */
		if (e->queue && e->status > 0) {
			poll_gpu_locked(e->queue);
			vcl_queue_pump_locked(e->queue, false);
		}
		status = e->status;
		vcl_unlock();
		VCL_INFO(cl_int, status);
	case CL_EVENT_REFERENCE_COUNT:
		VCL_INFO(cl_uint, atomic_load(&e->obj.ref));
	default:
		return CL_INVALID_VALUE;
	}
}

cl_int CL_API_CALL vclGetEventProfilingInfo(cl_event e,
					    cl_profiling_info name,
					    size_t size, void *value,
					    size_t *size_ret)
{
	cl_ulong t;

	if (!vcl_obj_valid(e, VCL_EVENT))
		return CL_INVALID_EVENT;
	if (!e->profiled || e->kind == VCL_CMD_USER)
		return CL_PROFILING_INFO_NOT_AVAILABLE;
	pthread_mutex_lock(&vcl_lock);
	if (e->status != CL_COMPLETE) {
		pthread_mutex_unlock(&vcl_lock);
		return CL_PROFILING_INFO_NOT_AVAILABLE;
	}
	pthread_mutex_unlock(&vcl_lock);
	switch (name) {
	case CL_PROFILING_COMMAND_QUEUED:
		t = e->t_queued;
		break;
	case CL_PROFILING_COMMAND_SUBMIT:
		t = e->t_submit;
		break;
	case CL_PROFILING_COMMAND_START:
		t = e->t_start;
		break;
	case CL_PROFILING_COMMAND_END:
	case CL_PROFILING_COMMAND_COMPLETE:
		t = e->t_end;
		break;
	default:
		return CL_INVALID_VALUE;
	}
	VCL_INFO(cl_ulong, t);
}

cl_int CL_API_CALL vclSetEventCallback(cl_event e, cl_int type,
				       void (CL_CALLBACK *fn)(cl_event, cl_int,
							      void *),
				       void *data)
{
	struct vcl_cb *cb;

	if (!vcl_obj_valid(e, VCL_EVENT))
		return CL_INVALID_EVENT;
	if (!fn || (type != CL_SUBMITTED && type != CL_RUNNING &&
		    type != CL_COMPLETE))
		return CL_INVALID_VALUE;
	cb = calloc(1, sizeof(*cb));
	if (!cb)
		return CL_OUT_OF_HOST_MEMORY;
	cb->fn = fn;
	cb->data = data;
	cb->type = type;
	pthread_mutex_lock(&vcl_lock);
	if (e->status <= type) {
		vcl_async_callback_locked(e, cb, e->status < 0 ? e->status : type);
	} else {
		/* Keep registration order: append. */
		struct vcl_cb **pp = &e->cbs;

		while (*pp)
			pp = &(*pp)->next;
		*pp = cb;
		/* Someone must see it complete: the worker. */
		if (e->queue)
			vcl_kick_locked(e->queue);
	}
	vcl_unlock();
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclRetainEvent(cl_event e)
{
	if (!vcl_obj_valid(e, VCL_EVENT))
		return CL_INVALID_EVENT;
	vcl_obj_retain(&e->obj);
	return CL_SUCCESS;
}

cl_int CL_API_CALL vclReleaseEvent(cl_event e)
{
	if (!vcl_obj_valid(e, VCL_EVENT))
		return CL_INVALID_EVENT;
	vcl_obj_release(&e->obj);
	return CL_SUCCESS;
}
