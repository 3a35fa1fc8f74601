/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM drm_svm

#if !defined(__DRM_SVM_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __DRM_SVM_TRACE_H__

#include <linux/tracepoint.h>
#include <linux/types.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"

/*
 * The drm_svm tracepoints (trace-cmd record -e drm_svm, perf record -e
 * 'drm_svm:*'), described in DOC: drm-svm tracepoints (drm_svm_trace.c):
 * ranges created and removed, one fault of a range's pages with the time
 * hmm_range_fault() and the DMA mapping took, the invalidations the driver
 * is asked for, migrations, and device-exclusive grants and revocations.
 * Times are ns.
 */

TRACE_DEFINE_ENUM(DRM_SVM_INVAL_CPU);
TRACE_DEFINE_ENUM(DRM_SVM_INVAL_UNMAP);
TRACE_DEFINE_ENUM(DRM_SVM_INVAL_REMAP);
TRACE_DEFINE_ENUM(DRM_SVM_INVAL_REMOVE);
TRACE_DEFINE_ENUM(DRM_SVM_INVAL_ATOMIC);

#define drm_svm_show_inval_event(event)					\
	__print_symbolic(event,						\
			 { DRM_SVM_INVAL_CPU, "cpu" },			\
			 { DRM_SVM_INVAL_UNMAP, "unmap" },		\
			 { DRM_SVM_INVAL_REMAP, "remap" },		\
			 { DRM_SVM_INVAL_REMOVE, "remove" },		\
			 { DRM_SVM_INVAL_ATOMIC, "atomic" })

DECLARE_EVENT_CLASS(drm_svm_range_class,
		    TP_PROTO(const struct drm_svm_range *range),
		    TP_ARGS(range),
		    TP_STRUCT__entry(__field(unsigned long, start)
				     __field(unsigned long, end)
				     __field(bool, unmapped)),
		    TP_fast_assign(__entry->start = drm_svm_range_start(range);
				   __entry->end = drm_svm_range_end(range);
				   __entry->unmapped = range->unmapped;),
		    TP_printk("start=%#lx end=%#lx unmapped=%u", __entry->start,
			      __entry->end, __entry->unmapped)
);

DEFINE_EVENT_PRINT(drm_svm_range_class, drm_svm_range_create,
		   TP_PROTO(const struct drm_svm_range *range),
		   TP_ARGS(range),
		   TP_printk("start=%#lx end=%#lx", __entry->start, __entry->end)
);

DEFINE_EVENT(drm_svm_range_class, drm_svm_range_remove,
	     TP_PROTO(const struct drm_svm_range *range),
	     TP_ARGS(range)
);

TRACE_EVENT(drm_svm_get_pages,
	    TP_PROTO(const struct drm_svm_range *range,
		     const struct drm_svm_fault *f, int err),
	    TP_ARGS(range, f, err),
	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, first)
			     __field(unsigned long, last)
			     __field(bool, write)
			     __field(u64, hmm_ns)
			     __field(u64, map_ns)
			     __field(unsigned long, mapped)
			     __field(int, err)),
	    TP_fast_assign(__entry->start = drm_svm_range_start(range);
			   __entry->first = f->first;
			   __entry->last = f->last;
			   __entry->write = f->write;
			   __entry->hmm_ns = f->hmm_ns;
			   __entry->map_ns = f->map_ns;
			   __entry->mapped = f->mapped;
			   __entry->err = err;),
	    TP_printk("start=%#lx first=%lu last=%lu write=%u hmm_ns=%llu map_ns=%llu mapped=%lu err=%d",
		      __entry->start, __entry->first, __entry->last,
		      __entry->write, __entry->hmm_ns, __entry->map_ns,
		      __entry->mapped, __entry->err)
);

TRACE_EVENT(drm_svm_invalidate,
	    TP_PROTO(unsigned long start, unsigned long end,
		     enum drm_svm_inval_event event),
	    TP_ARGS(start, end, event),
	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(int, event)),
	    TP_fast_assign(__entry->start = start;
			   __entry->end = end;
			   __entry->event = event;),
	    TP_printk("start=%#lx end=%#lx event=%s", __entry->start,
		      __entry->end, drm_svm_show_inval_event(__entry->event))
);

#if IS_ENABLED(CONFIG_DRM_SVM_DEVMEM)
TRACE_DEFINE_ENUM(DRM_SVM_MIGRATE_DIR_TO_DEVMEM);
TRACE_DEFINE_ENUM(DRM_SVM_MIGRATE_DIR_TO_RAM);
TRACE_DEFINE_ENUM(DRM_SVM_MIGRATE_DIR_CPU_FAULT);

TRACE_EVENT(drm_svm_migrate,
	    TP_PROTO(unsigned long start, unsigned long end,
		     unsigned long npages, enum drm_svm_migrate_dir dir,
		     int err),
	    TP_ARGS(start, end, npages, dir, err),
	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(unsigned long, npages)
			     __field(int, dir)
			     __field(int, err)),
	    TP_fast_assign(__entry->start = start;
			   __entry->end = end;
			   __entry->npages = npages;
			   __entry->dir = dir;
			   __entry->err = err;),
	    TP_printk("start=%#lx end=%#lx npages=%lu dir=%s err=%d",
		      __entry->start, __entry->end, __entry->npages,
		      __print_symbolic(__entry->dir,
				       { DRM_SVM_MIGRATE_DIR_TO_DEVMEM, "to_devmem" },
				       { DRM_SVM_MIGRATE_DIR_TO_RAM, "to_ram" },
				       { DRM_SVM_MIGRATE_DIR_CPU_FAULT, "cpu_fault" }),
		      __entry->err)
);

TRACE_EVENT(drm_svm_migrate_vma_to_ram,
	    TP_PROTO(unsigned long start, unsigned long end,
		     unsigned long npages, u64 setup_ns, u64 copy_ns,
		     u64 finish_ns),
	    TP_ARGS(start, end, npages, setup_ns, copy_ns, finish_ns),
	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(unsigned long, npages)
			     __field(u64, setup_ns)
			     __field(u64, copy_ns)
			     __field(u64, finish_ns)),
	    TP_fast_assign(__entry->start = start;
			   __entry->end = end;
			   __entry->npages = npages;
			   __entry->setup_ns = setup_ns;
			   __entry->copy_ns = copy_ns;
			   __entry->finish_ns = finish_ns;),
	    TP_printk("start=%#lx end=%#lx npages=%lu setup_ns=%llu copy_ns=%llu finish_ns=%llu",
		      __entry->start, __entry->end, __entry->npages,
		      __entry->setup_ns, __entry->copy_ns, __entry->finish_ns)
);
#endif /* CONFIG_DRM_SVM_DEVMEM */

#if IS_ENABLED(CONFIG_DRM_SVM_ATOMIC)
TRACE_EVENT(drm_svm_atomic_grant,
	    TP_PROTO(unsigned long start, unsigned long npages,
		     unsigned int exclusive, int err),
	    TP_ARGS(start, npages, exclusive, err),
	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, npages)
			     __field(unsigned int, exclusive)
			     __field(int, err)),
	    TP_fast_assign(__entry->start = start;
			   __entry->npages = npages;
			   __entry->exclusive = exclusive;
			   __entry->err = err;),
	    TP_printk("start=%#lx npages=%lu exclusive=%u err=%d",
		      __entry->start, __entry->npages, __entry->exclusive,
		      __entry->err)
);

TRACE_EVENT(drm_svm_atomic_revoke,
	    TP_PROTO(unsigned long start, unsigned long end, u64 waited_ns,
		     bool forced, bool expired),
	    TP_ARGS(start, end, waited_ns, forced, expired),
	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(u64, waited_ns)
			     __field(bool, forced)
			     __field(bool, expired)),
	    TP_fast_assign(__entry->start = start;
			   __entry->end = end;
			   __entry->waited_ns = waited_ns;
			   __entry->forced = forced;
			   __entry->expired = expired;),
	    TP_printk("start=%#lx end=%#lx waited_ns=%llu forced=%u expired=%u",
		      __entry->start, __entry->end, __entry->waited_ns,
		      __entry->forced, __entry->expired)
);
#endif /* CONFIG_DRM_SVM_ATOMIC */

#endif /* __DRM_SVM_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE drm_svm_trace
#include <trace/define_trace.h>
