/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * libdrm_vsvm: userspace library for the vsvm virtual SVM GPU
 * (uapi/drm/vsvm_drm.h). See docs/libdrm_vsvm.md.
 *
 * Conventions:
 *  - every function returns 0 (or a documented non-negative value) on
 *    success and a negative errno on failure; nothing is ever printed;
 *  - objects are opaque and come in _new/_del pairs; _del cannot fail,
 *    returns nothing and accepts NULL;
 *  - addresses are CPU virtual addresses of the calling process, passed as
 *    uint64_t (VSVM_PTR() converts a pointer): the GPU shares the process's
 *    address space, there are no buffer objects;
 *  - a device may be used from several threads at once; a command buffer
 *    may not.
 */
#ifndef LIBDRM_VSVM_H
#define LIBDRM_VSVM_H

#include <stdint.h>

#include "vsvm_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/** VSVM_PTR: a CPU pointer as a GPU address. */
#define VSVM_PTR(p) ((uint64_t)(uintptr_t)(p))

/** VSVM_TIMEOUT_INFINITE: vsvm_wait() timeout that never expires. */
#define VSVM_TIMEOUT_INFINITE (-1ll)

struct vsvm_device;
struct vsvm_cmdbuf;

/* ------------------------------------------------------------------ */
/* Devices                                                             */

/**
 * vsvm_device_count - number of vsvm render nodes: render nodes of the
 * DRM devices libdrm's drmGetDevices2() finds whose driver name
 * (drmGetVersion()) is "vsvm".
 * @count: out.
 */
int vsvm_device_count(unsigned int *count);

/**
 * vsvm_device_new - open the first vsvm render node, in minor-number order.
 * Returns -ENODEV when there is none.
 */
int vsvm_device_new(struct vsvm_device **dev);

/** vsvm_device_new_nth - like vsvm_device_new(), the @index-th node (0-based). */
int vsvm_device_new_nth(unsigned int index, struct vsvm_device **dev);

/**
 * vsvm_device_new_from_fd - wrap an open DRM fd. Fails with -ENODEV when
 * its driver is not vsvm. The fd stays owned by the caller:
 * vsvm_device_del() does not close it.
 */
int vsvm_device_new_from_fd(int fd, struct vsvm_device **dev);

/** vsvm_device_del - close the device (and so its VM, if the fd is ours). */
void vsvm_device_del(struct vsvm_device *dev);

/** vsvm_device_fd - the device's DRM fd (>= 0), or -EINVAL. */
int vsvm_device_fd(const struct vsvm_device *dev);

/**
 * vsvm_device_version - the driver's version from drmGetVersion(); any of
 * the out pointers may be NULL.
 */
int vsvm_device_version(const struct vsvm_device *dev, int *major,
			int *minor, int *patchlevel);

/** vsvm_get_param - DRM_IOCTL_VSVM_GET_PARAM, @param a DRM_VSVM_PARAM_*. */
int vsvm_get_param(struct vsvm_device *dev, uint32_t param, uint64_t *value);

/**
 * vsvm_vm_init - bind the calling process's address space to this device
 * (DRM_IOCTL_VSVM_VM_INIT) over the GPU VA window [@start, @start + @size).
 * With @start and @size both 0 the window is the whole GPU VA range,
 * [0, 2^DRM_VSVM_PARAM_VA_BITS). -EBUSY if the device already has a VM.
 */
int vsvm_vm_init(struct vsvm_device *dev, uint64_t start, uint64_t size);

/* ------------------------------------------------------------------ */
/* Command buffers: a growable array of struct drm_vsvm_cmd.           */

/** vsvm_cmdbuf_new - an empty command buffer. */
int vsvm_cmdbuf_new(struct vsvm_cmdbuf **cb);

/** vsvm_cmdbuf_del - free it (NULL is fine). */
void vsvm_cmdbuf_del(struct vsvm_cmdbuf *cb);

/** vsvm_cmdbuf_reset - drop every command, keep the memory. */
int vsvm_cmdbuf_reset(struct vsvm_cmdbuf *cb);

/** vsvm_cmdbuf_count - number of commands (>= 0), or -EINVAL. */
int vsvm_cmdbuf_count(const struct vsvm_cmdbuf *cb);

/**
 * vsvm_cmdbuf_set_timeout - wall-clock budget of the buffer's submissions
 * @cb: the buffer
 * @timeout_ns: &drm_vsvm_exec.timeout_ns for vsvm_exec(): 0 (the default)
 *	means the device's job timeout (DRM_VSVM_PARAM_JOB_TIMEOUT_NS),
 *	which a larger value cannot raise
 *
 * Returns 0 or -EINVAL. vsvm_cmdbuf_reset() keeps it.
 */
int vsvm_cmdbuf_set_timeout(struct vsvm_cmdbuf *cb, uint64_t timeout_ns);

/*
 * Appenders. They check only what the library itself would otherwise
 * encode wrongly (an operation or comparison that does not fit its bit
 * field); everything else (alignment, the VM window) is the kernel's to
 * check at vsvm_exec() time. Each returns 0, -EINVAL or -ENOMEM.
 *
 * @flags below is 0 or DRM_VSVM_CMD_64BIT (operand width).
 */

/** vsvm_cmd_raw - append a command exactly as given. */
int vsvm_cmd_raw(struct vsvm_cmdbuf *cb, const struct drm_vsvm_cmd *cmd);

/** vsvm_cmd_nop - DRM_VSVM_OP_NOP. */
int vsvm_cmd_nop(struct vsvm_cmdbuf *cb);

/** vsvm_cmd_fill - store the 32-bit @value over [@dst, @dst + @size). */
int vsvm_cmd_fill(struct vsvm_cmdbuf *cb, uint64_t dst, uint64_t size,
		  uint32_t value);

/** vsvm_cmd_copy - copy @size bytes from @src to @dst. */
int vsvm_cmd_copy(struct vsvm_cmdbuf *cb, uint64_t dst, uint64_t src,
		  uint64_t size);

/** vsvm_cmd_write_value - store @value (32 or 64 bit) at @dst: a release. */
int vsvm_cmd_write_value(struct vsvm_cmdbuf *cb, uint64_t dst,
			 uint64_t value, uint32_t flags);

/**
 * vsvm_cmd_wait_value - poll @src until (*@src & @mask) @cmp @value, with
 * @cmp a DRM_VSVM_WAIT_* and @mask 0 meaning all bits; the submission
 * fails with -ETIMEDOUT after @timeout_ns (0: one second).
 */
int vsvm_cmd_wait_value(struct vsvm_cmdbuf *cb, uint64_t src, uint32_t cmp,
			uint64_t value, uint64_t mask, uint32_t flags,
			uint64_t timeout_ns);

/**
 * vsvm_cmd_atomic - apply DRM_VSVM_ATOMIC_@op to the value at @dst, @count
 * times (0: once), with operand @value (CMPXCHG: @value expected, @value2
 * new; other ops: @value2 must be 0). If @result is not 0, the value found
 * before the last operation is stored there.
 */
int vsvm_cmd_atomic(struct vsvm_cmdbuf *cb, uint32_t op, uint64_t dst,
		    uint64_t value, uint64_t value2, uint64_t count,
		    uint64_t result, uint32_t flags);

/**
 * vsvm_cmd_pointer_chase - walk the struct drm_vsvm_chase_node list at
 * @head for at most @max_nodes nodes (0: to the end); the 64-bit sum of
 * the values goes to @dst and the number of nodes to @dst + 8.
 */
int vsvm_cmd_pointer_chase(struct vsvm_cmdbuf *cb, uint64_t dst,
			   uint64_t head, uint64_t max_nodes);

/** vsvm_cmd_timestamp - store the 64-bit GPU clock (ns) at @dst. */
int vsvm_cmd_timestamp(struct vsvm_cmdbuf *cb, uint64_t dst);

/* ------------------------------------------------------------------ */
/* Submission                                                          */

/**
 * vsvm_exec - submit every command of @cb to @channel (DRM_IOCTL_VSVM_EXEC).
 * @seqno: out, may be NULL. The commands are copied: @cb may be reused as
 * soon as this returns. An empty buffer gives -EINVAL (from the kernel).
 */
int vsvm_exec(struct vsvm_device *dev, uint32_t channel,
	      const struct vsvm_cmdbuf *cb, uint64_t *seqno);

/**
 * vsvm_wait - wait for submission @seqno of @channel (DRM_IOCTL_VSVM_WAIT),
 * at most @timeout_ns (relative; VSVM_TIMEOUT_INFINITE waits forever).
 * Returns 0 once it completed, with its result (0 or a negative errno such
 * as -EFAULT) in *@status (may be NULL); -ETIME if it did not complete in
 * time; -ENODATA if its result is no longer known.
 */
int vsvm_wait(struct vsvm_device *dev, uint32_t channel, uint64_t seqno,
	      int64_t timeout_ns, int32_t *status);

/**
 * vsvm_exec_wait - vsvm_exec() then vsvm_wait() on the same submission.
 * Returns an error of either; *@status as vsvm_wait().
 */
int vsvm_exec_wait(struct vsvm_device *dev, uint32_t channel,
		   const struct vsvm_cmdbuf *cb, int64_t timeout_ns,
		   int32_t *status);

/* ------------------------------------------------------------------ */
/* Introspection                                                       */

/**
 * vsvm_fault_info - the VM's last unserviceable GPU fault
 * (DRM_IOCTL_VSVM_FAULT_INFO); -ENOENT if there was none.
 */
int vsvm_fault_info(struct vsvm_device *dev, struct drm_vsvm_fault_info *info);

/** vsvm_stats - the VM's and device's counters (DRM_IOCTL_VSVM_STATS). */
int vsvm_stats(struct vsvm_device *dev, struct drm_vsvm_stats *stats);

/* ------------------------------------------------------------------ */
/* Memory placement                                                    */

/**
 * vsvm_advise - set attribute @attr (DRM_VSVM_ATTR_*) to @value over
 * [@start, @start + @size) (DRM_IOCTL_VSVM_ADVISE). Errors are the
 * ioctl's: -EINVAL bad interval, attribute or value; -EFAULT part of the
 * interval is not mapped; -EPERM not the VM's process.
 */
int vsvm_advise(struct vsvm_device *dev, uint64_t start, uint64_t size,
		uint32_t attr, uint64_t value);

/** vsvm_advise_get - read attribute @attr at @addr into *@value. */
int vsvm_advise_get(struct vsvm_device *dev, uint64_t addr, uint32_t attr,
		    uint64_t *value);

/**
 * vsvm_prefetch - migrate [@start, @start + @size) to @loc
 * (DRM_VSVM_LOC_SYSTEM or _DEVICE) now (DRM_IOCTL_VSVM_PREFETCH); the
 * number of pages moved in *@migrated (may be NULL), also on -EINTR.
 * Errors are the ioctl's: -ENODEV no VRAM, -ENOSPC larger than VRAM,
 * -EFAULT unmapped, -EINVAL bad arguments.
 */
int vsvm_prefetch(struct vsvm_device *dev, uint64_t start, uint64_t size,
		  uint32_t loc, uint64_t *migrated);

#if defined(__cplusplus)
}
#endif

#endif /* LIBDRM_VSVM_H */
