/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vcl: the OpenCL implementation of vsvm (an ICD for the ocl-icd loader).
 * Internal header shared by every file of the library.
 *
 * Model. One platform; one device per vsvm render node, each with one DRM
 * file whose VM mirrors the whole process (so every CPU address is a GPU
 * address: a cl_mem is memory the GPU reaches by its CPU address, an SVM
 * pointer is just a pointer). A command queue is a vsvm channel plus a
 * list of commands (events) kept in order; GPU commands are submitted with
 * vsvm_exec() as soon as the in-order rule and their wait lists allow,
 * host commands run in a thread that waits for them (the queue's worker,
 * or an application thread blocked in clFinish/clWaitForEvents), and the
 * completion of a GPU command is learnt from vsvm_wait() by whichever
 * thread waits for it first.
 *
 * Locking. One mutex (vcl_lock) guards every event, queue list and
 * status; vcl_cond is broadcast on every state change, a queue's worker
 * waits on its own condition (kicked when it has something to do). No
 * user callback and no destructor that may call one ever runs under
 * vcl_lock: releases are deferred to vcl_unlock(), event callbacks go
 * through the async thread (vcl_async_*).
 *
 * Conventions: internal functions return CL error codes; nothing prints.
 */
#ifndef VCL_H
#define VCL_H

#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_0_APIS
#define CL_USE_DEPRECATED_OPENCL_1_1_APIS
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#define CL_USE_DEPRECATED_OPENCL_2_0_APIS
#define CL_USE_DEPRECATED_OPENCL_2_1_APIS
#define CL_USE_DEPRECATED_OPENCL_2_2_APIS
#include <CL/cl.h>
#include <CL/cl_ext.h>
#include <CL/cl_icd.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vsvm.h"

#define VCL_HIDDEN __attribute__((visibility("hidden")))

#define VCL_VERSION_STR "1.0"
#define VCL_MAX_DEVICES 8

/* ------------------------------------------------------------------ */
/* Objects                                                             */

enum vcl_type {
	VCL_PLATFORM = 1,
	VCL_DEVICE,
	VCL_CONTEXT,
	VCL_QUEUE,
	VCL_MEM,
	VCL_PROGRAM,
	VCL_KERNEL,
	VCL_EVENT,
};

#define VCL_MAGIC(type) (0x7653434cu ^ ((uint32_t)(type) << 24))

/*
 * struct vcl_obj - head of every CL object. @dispatch must be first (the
 * ICD loader's contract). @ref is the API reference count; @iref counts
 * internal references plus one for "@ref is not zero". @destroy runs when
 * @iref drops to zero; @last_ref when @ref drops to zero.
 */
struct vcl_obj {
	const struct _cl_icd_dispatch *dispatch;
	uint32_t magic;
	atomic_uint ref;
	atomic_uint iref;
	void (*last_ref)(struct vcl_obj *obj);
	void (*destroy)(struct vcl_obj *obj);
};

void vcl_obj_init(struct vcl_obj *obj, enum vcl_type type,
		  void (*destroy)(struct vcl_obj *),
		  void (*last_ref)(struct vcl_obj *));
bool vcl_obj_valid(const void *p, enum vcl_type type);
void vcl_obj_retain(struct vcl_obj *obj);
void vcl_obj_release(struct vcl_obj *obj);
void vcl_obj_get(struct vcl_obj *obj);
/* Drop an internal reference; never under vcl_lock (destroy may run). */
void vcl_obj_put(struct vcl_obj *obj);
/* Drop an internal reference from under vcl_lock: destroy is deferred. */
void vcl_obj_put_locked(struct vcl_obj *obj);

#define VCL_GET(o) vcl_obj_get(&(o)->obj)
#define VCL_PUT(o) vcl_obj_put(&(o)->obj)
#define VCL_PUT_LOCKED(o) vcl_obj_put_locked(&(o)->obj)

/* ------------------------------------------------------------------ */
/* Platform and devices                                                */

struct _cl_platform_id {
	const struct _cl_icd_dispatch *dispatch;
	uint32_t magic;
	cl_uint num_devices;
	cl_device_id devices[VCL_MAX_DEVICES];
};

struct _cl_device_id {
	struct vcl_obj obj;
	struct vsvm_device *vdev;
	unsigned int index;		/* among the platform's devices */
	char name[96];
	char version[64];		/* driver version */
	/* kernel parameters */
	uint64_t features;
	uint64_t isa;
	uint64_t vram_size;
	uint64_t num_channels;
	uint64_t max_cmds;
	uint64_t device_index;
	uint64_t max_workgroup;
	uint64_t max_local_mem;
	uint64_t max_private_mem;
	uint64_t max_program_size;
	uint64_t job_timeout_ns;
	uint64_t max_inflight;
	/* derived */
	bool shader;			/* kernels can run */
	cl_device_svm_capabilities svm_caps;
	cl_ulong global_mem_size;
	cl_ulong max_alloc;
	/* VM: bound lazily, once */
	pthread_mutex_t vm_lock;
	int vm_err;			/* 1: not tried yet */
	unsigned int channel_users[64];
};

struct vcl_platform_state {
	pthread_once_t once;
	struct _cl_platform_id platform;
	int init_err;
};

extern struct _cl_platform_id *vcl_platform(void);
cl_int vcl_device_vm(cl_device_id dev);
bool vcl_device_valid(cl_device_id dev);
uint32_t vcl_device_take_channel(cl_device_id dev);
void vcl_device_drop_channel(cl_device_id dev, uint32_t channel);

/* ------------------------------------------------------------------ */
/* Contexts                                                            */

struct vcl_ctx_cb {
	void (CL_CALLBACK *fn)(cl_context, void *);
	void *data;
	struct vcl_ctx_cb *next;
};

struct _cl_context {
	struct vcl_obj obj;
	cl_uint num_devices;
	cl_device_id devices[VCL_MAX_DEVICES];
	cl_context_properties *props;	/* copy, 0-terminated, or NULL */
	size_t num_props;		/* entries incl. the 0, 0 if NULL */
	void (CL_CALLBACK *notify)(const char *, const void *, size_t, void *);
	void *notify_data;
	struct vcl_ctx_cb *destructors;	/* under vcl_lock */
	cl_device_svm_capabilities svm_caps;	/* common to all devices */
};

bool vcl_context_has_device(cl_context ctx, cl_device_id dev);
void vcl_context_notify(cl_context ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* Events and commands                                                 */

enum vcl_kind {
	VCL_CMD_NOP,		/* nothing to run (markers, barriers, maps) */
	VCL_CMD_GPU,		/* a vsvm submission */
	VCL_CMD_HOST,		/* host work in a waiting thread */
	VCL_CMD_USER,		/* user event */
};

struct vcl_cb {
	void (CL_CALLBACK *fn)(cl_event, cl_int, void *);
	void *data;
	cl_int type;
	struct vcl_cb *next;
};

struct _cl_event {
	struct vcl_obj obj;
	cl_context ctx;
	cl_command_queue queue;		/* NULL for user events */
	cl_command_type type;
	enum vcl_kind kind;
	cl_int status;			/* under vcl_lock */
	bool started;			/* under vcl_lock */
	bool submitted;			/* GPU: vsvm_exec done */
	bool needed;			/* something waits for it */
	struct _cl_event *next, *prev;	/* in the queue's list */
	cl_uint num_wait;
	cl_event *wait;
	struct vcl_cb *cbs;
	/* profiling, ns of CLOCK_MONOTONIC (the GPU clock too) */
	cl_ulong t_queued, t_submit, t_start, t_end;
	uint64_t gpu_ts[2] __attribute__((aligned(8)));
	bool profiled;
	/*
	 * GPU: the command's submissions, in order (a large copy or fill is
	 * cut in parts, each well within the job timeout); @cb is the one
	 * being built.
	 */
	struct vsvm_cmdbuf *cb;
	struct vsvm_cmdbuf **parts;
	uint64_t *part_seqno;
	unsigned int num_parts;
	uint32_t channel;
	uint64_t seqno;			/* of the last part */
	/* host */
	cl_int (*run)(cl_event e);
	/* cleanup of the payload, outside vcl_lock, after completion */
	void (*fini)(cl_event e);
	void *payload;
	/* memory objects kept alive while the command is pending */
	cl_mem *mems;
	cl_uint num_mems;
	/* kernel launches: what to tell the context when it fails */
	char *what;
};

extern pthread_mutex_t vcl_lock;
extern pthread_cond_t vcl_cond;

cl_ulong vcl_now(void);
cl_int vcl_check_wait_list(cl_context ctx, cl_uint n, const cl_event *list);
cl_event vcl_event_new(cl_command_queue q, cl_command_type type,
		       cl_uint num_wait, const cl_event *wait, cl_int *err);
/* Retain @m for the command's lifetime. */
cl_int vcl_event_keep_mem(cl_event e, cl_mem m);
/* Free an event that was never enqueued. */
void vcl_event_abort(cl_event e);
/*
 * Queue @e on its queue (taking over the creation reference), return it
 * to the application through @out (may be NULL), wait for it when
 * @blocking. Return: CL_SUCCESS, or for a blocking command whose wait list
 * failed CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST, or its own error.
 */
cl_int vcl_enqueue(cl_event e, bool blocking, cl_event *out);
/* Wait until @e completes; returns its status (0 or negative). */
cl_int vcl_event_wait(cl_event e);
void vcl_event_set_status_locked(cl_event e, cl_int status);

/* The async thread: callbacks (and releases when memory ran out), in order. */
void vcl_async_callback_locked(cl_event e, struct vcl_cb *cb, cl_int status);
void vcl_async_put_locked(struct vcl_obj *obj);
/* Release @obj once this thread drops vcl_lock with vcl_unlock(). */
void vcl_defer_put_locked(struct vcl_obj *obj);
/* Drop vcl_lock, then release what was deferred meanwhile. */
void vcl_unlock(void);

/* ------------------------------------------------------------------ */
/* Queues                                                              */

struct _cl_command_queue {
	struct vcl_obj obj;
	cl_context ctx;
	cl_device_id dev;
	cl_command_queue_properties props;
	cl_queue_properties *props_array;
	size_t num_props;
	uint32_t channel;
	/* under vcl_lock */
	cl_event head, tail;
	unsigned int inflight;
	unsigned int max_inflight;
	bool stopping;
	bool kick;			/* the worker has something to look at */
	pthread_cond_t wake;		/* the worker waits here */
	pthread_t worker;
	struct _cl_command_queue *qnext, *qprev;	/* all queues */
};

void vcl_queue_pump_locked(cl_command_queue q, bool host_ok);
void vcl_queue_worker(cl_command_queue q);
void vcl_kick_locked(cl_command_queue q);
void vcl_kick_if_needed_locked(cl_command_queue q);
void vcl_kick_all_locked(void);
cl_int vcl_queue_finish(cl_command_queue q);
bool vcl_queue_valid(cl_command_queue q);

/* ------------------------------------------------------------------ */
/* Memory objects                                                      */

struct vcl_mem_cb {
	void (CL_CALLBACK *fn)(cl_mem, void *);
	void *data;
	struct vcl_mem_cb *next;
};

struct vcl_map {
	void *ptr;
	size_t offset, size;
	cl_map_flags flags;
	struct vcl_map *next;
};

struct _cl_mem {
	struct vcl_obj obj;
	cl_context ctx;
	cl_mem_object_type type;
	cl_mem_flags flags;
	size_t size;
	char *addr;			/* CPU = GPU address of the contents */
	void *host_ptr;			/* CL_MEM_HOST_PTR answer */
	cl_mem parent;
	size_t offset;			/* in @parent */
	bool owned;			/* @addr is our mmap */
	size_t map_len;			/* of that mmap */
	bool uses_svm;
	cl_mem_properties *props;
	size_t num_props;
	struct vcl_mem_cb *destructors;
	struct vcl_map *maps;		/* under vcl_lock */
	cl_uint map_count;
};

bool vcl_mem_valid(cl_mem m);

/* ------------------------------------------------------------------ */
/* SVM                                                                 */

struct vcl_svm {
	char *base;
	size_t size;
	cl_svm_mem_flags flags;
	cl_context ctx;
	void *map;
	size_t map_len;
};

/* The allocation of @ctx containing [@p, @p + @size), copied to @out. */
bool vcl_svm_find(cl_context ctx, const void *p, size_t size,
		  struct vcl_svm *out);
/* Allocate private anonymous memory the GPU can make device-exclusive. */
void *vcl_map_anon(size_t size, size_t align, void **map, size_t *map_len);

/* ------------------------------------------------------------------ */
/* Programs and kernels                                                */

struct vsvm_cc;
struct vsvm_cc_program;
struct vsvm_cc_kernel;
struct vcl_gpu_program;

struct _cl_program {
	struct vcl_obj obj;
	cl_context ctx;
	cl_uint num_devices;
	cl_device_id devices[VCL_MAX_DEVICES];
	char *source;			/* NULL when from a binary */
	size_t source_len;
	/* under @lock */
	pthread_mutex_t lock;
	cl_build_status build_status;
	cl_program_binary_type binary_type;
	char *options;
	char *log;
	struct vsvm_cc_program *cc;	/* built program, or NULL */
	struct vcl_gpu_program *gpu[VCL_MAX_DEVICES];
	unsigned int kernels_attached;
	bool uniform_wg;		/* work-groups must divide the range */
	void *payload_src;		/* clCompileProgram's headers */
	struct vcl_prog_cb {
		void (CL_CALLBACK *fn)(cl_program, void *);
		void *data;
		struct vcl_prog_cb *next;
	} *release_cbs;
};

struct vcl_arg {
	bool set;
	bool is_svm;
	size_t local_size;
	cl_mem mem;
	void *value;			/* VALUE: @size bytes, GLOBAL: the address */
};

struct _cl_kernel {
	struct vcl_obj obj;
	cl_program program;
	cl_context ctx;
	const struct vsvm_cc_kernel *info;
	struct vcl_arg *args;
	void **svm_ptrs;
	size_t num_svm_ptrs;
	cl_bool fine_grain_system;
};

cl_int vcl_program_gpu(cl_program p, cl_device_id dev, uint32_t *handle,
		       uint64_t *static_local);

/* ------------------------------------------------------------------ */
/* GPU programs (libdrm_vsvm)                                          */

int vcl_gpu_program_new(cl_device_id dev, const void *image, size_t size,
			struct vcl_gpu_program **prog);
void vcl_gpu_program_del(struct vcl_gpu_program *prog);
uint32_t vcl_gpu_program_handle(const struct vcl_gpu_program *prog);
int vcl_gpu_dispatch(struct vsvm_cmdbuf *cb,
		     const struct drm_vsvm_dispatch *d);

/* ------------------------------------------------------------------ */
/* Compiler                                                            */

/* The compiler of the platform (created once); NULL with *err set. */
struct vsvm_cc *vcl_compiler(cl_int *err);
extern pthread_mutex_t vcl_cc_lock;

/* ------------------------------------------------------------------ */
/* Info helpers                                                        */

cl_int vcl_info(size_t size, void *value, size_t *size_ret,
		const void *src, size_t src_size);
cl_int vcl_info_str(size_t size, void *value, size_t *size_ret,
		    const char *s);

#define VCL_INFO(T, expr) \
	do { \
		T v_ = (expr); \
		return vcl_info(size, value, size_ret, &v_, sizeof(v_)); \
	} while (0)
#define VCL_INFO_STR(s) return vcl_info_str(size, value, size_ret, (s))

/* Error code for a vsvm errno. */
cl_int vcl_errno(int err);

/* ------------------------------------------------------------------ */
/* The entry points (dispatch table)                                   */

#define VCL_API(name) VCL_HIDDEN extern __typeof__(*(cl_api_cl##name)0) vcl##name;
#include "api.h"
#undef VCL_API

#endif /* VCL_H */
