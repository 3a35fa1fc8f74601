/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM vsvm

#if !defined(__VSVM_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __VSVM_TRACE_H__

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "vsvm_drv.h"

/*
 * The vsvm tracepoints (trace-cmd record -e vsvm, perf record -e 'vsvm:*'):
 * one GPU fault with where its time went, one submission's start and end,
 * the invalidations the GPU page table sees, migrations into VRAM and
 * evictions, and one shader DISPATCH. Times are ns.
 */

TRACE_EVENT(vsvm_fault,
	    TP_PROTO(const struct vsvm_vm *vm, const struct vsvm_fault_req *req,
		     int cause, u64 total_ns),
	    TP_ARGS(vm, req, cause, total_ns),
	    TP_STRUCT__entry(__field(unsigned int, dev)
			     __field(unsigned int, vm)
			     __field(unsigned long, addr)
			     __field(u32, access)
			     __field(int, cause)
			     __field(u64, total_ns)
			     __field(u64, place_ns)
			     __field(u64, get_pages_ns)
			     __field(u64, atomic_ns)
			     __field(u64, bind_ns)),
	    TP_fast_assign(__entry->dev = vm->vdev->index;
			   __entry->vm = vm->id;
			   __entry->addr = req->addr;
			   __entry->access = req->access;
			   __entry->cause = cause;
			   __entry->total_ns = total_ns;
			   __entry->place_ns = req->place_ns;
			   __entry->get_pages_ns = req->get_pages_ns;
			   __entry->atomic_ns = req->atomic_ns;
			   __entry->bind_ns = req->bind_ns;),
	    TP_printk("dev=%u vm=%u addr=%#lx access=%u cause=%d total_ns=%llu place_ns=%llu get_pages_ns=%llu atomic_ns=%llu bind_ns=%llu",
		      __entry->dev, __entry->vm, __entry->addr, __entry->access,
		      __entry->cause, __entry->total_ns, __entry->place_ns,
		      __entry->get_pages_ns, __entry->atomic_ns, __entry->bind_ns)
);

TRACE_EVENT(vsvm_job_start,
	    TP_PROTO(const struct vsvm_vm *vm, unsigned int channel, u64 seqno,
		     u32 num_cmds),
	    TP_ARGS(vm, channel, seqno, num_cmds),
	    TP_STRUCT__entry(__field(unsigned int, dev)
			     __field(unsigned int, vm)
			     __field(unsigned int, channel)
			     __field(u64, seqno)
			     __field(u32, num_cmds)),
	    TP_fast_assign(__entry->dev = vm->vdev->index;
			   __entry->vm = vm->id;
			   __entry->channel = channel;
			   __entry->seqno = seqno;
			   __entry->num_cmds = num_cmds;),
	    TP_printk("dev=%u vm=%u channel=%u seqno=%llu num_cmds=%u",
		      __entry->dev, __entry->vm, __entry->channel, __entry->seqno,
		      __entry->num_cmds)
);

TRACE_EVENT(vsvm_job_done,
	    TP_PROTO(const struct vsvm_vm *vm, unsigned int channel, u64 seqno,
		     int status, u64 run_ns),
	    TP_ARGS(vm, channel, seqno, status, run_ns),
	    TP_STRUCT__entry(__field(unsigned int, dev)
			     __field(unsigned int, vm)
			     __field(unsigned int, channel)
			     __field(u64, seqno)
			     __field(int, status)
			     __field(u64, run_ns)),
	    TP_fast_assign(__entry->dev = vm->vdev->index;
			   __entry->vm = vm->id;
			   __entry->channel = channel;
			   __entry->seqno = seqno;
			   __entry->status = status;
			   __entry->run_ns = run_ns;),
	    TP_printk("dev=%u vm=%u channel=%u seqno=%llu status=%d run_ns=%llu",
		      __entry->dev, __entry->vm, __entry->channel, __entry->seqno,
		      __entry->status, __entry->run_ns)
);

TRACE_EVENT(vsvm_invalidate,
	    TP_PROTO(const struct vsvm_vm *vm, unsigned long start,
		     unsigned long end, int event),
	    TP_ARGS(vm, start, end, event),
	    TP_STRUCT__entry(__field(unsigned int, dev)
			     __field(unsigned int, vm)
			     __field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(int, event)),
	    TP_fast_assign(__entry->dev = vm->vdev->index;
			   __entry->vm = vm->id;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->event = event;),
	    TP_printk("dev=%u vm=%u start=%#lx end=%#lx event=%d",
		      __entry->dev, __entry->vm, __entry->start, __entry->end,
		      __entry->event)
);

TRACE_EVENT(vsvm_migrate_to_vram,
	    TP_PROTO(const struct vsvm_vm *vm, unsigned long start,
		     unsigned long end, unsigned long migrated, int err, u64 ns),
	    TP_ARGS(vm, start, end, migrated, err, ns),
	    TP_STRUCT__entry(__field(unsigned int, dev)
			     __field(unsigned int, vm)
			     __field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(unsigned long, migrated)
			     __field(int, err)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->dev = vm->vdev->index;
			   __entry->vm = vm->id;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->migrated = migrated;
			   __entry->err = err;
			   __entry->ns = ns;),
	    TP_printk("dev=%u vm=%u start=%#lx end=%#lx migrated=%lu err=%d ns=%llu",
		      __entry->dev, __entry->vm, __entry->start, __entry->end,
		      __entry->migrated, __entry->err, __entry->ns)
);

TRACE_EVENT(vsvm_vram_evict,
	    TP_PROTO(const struct vsvm_device *vdev, u64 size, int err),
	    TP_ARGS(vdev, size, err),
	    TP_STRUCT__entry(__field(unsigned int, dev)
			     __field(u64, size)
			     __field(int, err)),
	    TP_fast_assign(__entry->dev = vdev->index;
			   __entry->size = size;
			   __entry->err = err;),
	    TP_printk("dev=%u size=%llu err=%d", __entry->dev, __entry->size,
		      __entry->err)
);

TRACE_EVENT(vsvm_dispatch,
	    TP_PROTO(const struct vsvm_vm *vm, const struct vsvm_shader_run *sr,
		     u64 ns, int err),
	    TP_ARGS(vm, sr, ns, err),
	    TP_STRUCT__entry(__field(unsigned int, dev)
			     __field(unsigned int, vm)
			     __field(u64, items)
			     __field(u64, groups)
			     __field(u64, retired)
			     __field(u64, ns)
			     __field(int, err)),
	    TP_fast_assign(__entry->dev = vm->vdev->index;
			   __entry->vm = vm->id;
			   __entry->items = sr->d.global_size[0] *
					    sr->d.global_size[1] *
					    sr->d.global_size[2];
			   __entry->groups = sr->groups;
			   __entry->retired = sr->retired;
			   __entry->ns = ns;
			   __entry->err = err;),
	    TP_printk("dev=%u vm=%u items=%llu groups=%llu retired=%llu ns=%llu err=%d",
		      __entry->dev, __entry->vm, __entry->items, __entry->groups,
		      __entry->retired, __entry->ns, __entry->err)
);

#endif /* __VSVM_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vsvm_trace
#include <trace/define_trace.h>
