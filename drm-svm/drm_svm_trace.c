// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: drm-svm tracepoints
 *
 * The tracepoints of drm_svm_trace.h are defined here; the system is
 * ``drm_svm`` (``trace-cmd record -e drm_svm``, ``perf record -e
 * 'drm_svm:*'``). Addresses are CPU virtual addresses of the context's
 * mm, times are ns (ktime_get_ns()).
 *
 * - drm_svm_range_create (start, end): a range was inserted.
 * - drm_svm_range_remove (start, end, unmapped): a range left the tree,
 *   by garbage collection after the CPU unmapped it (unmapped=1), by
 *   drm_svm_range_remove() or at drm_svm_fini().
 * - drm_svm_get_pages (start, first, last, write, hmm_ns, map_ns, mapped,
 *   err): one drm_svm_range_get_pages() (or atomic grant) that had to
 *   fault the range at start: its pages [first, last) (indices in the
 *   range) were needed, for write or not; hmm_ns is the time spent faulting them with
 *   hmm_range_fault(), map_ns the time spent DMA-mapping them, both
 *   summed over the retries; mapped the pages it published. A fault that
 *   finds the range valid traces nothing.
 * - drm_svm_invalidate (start, end, event): &drm_svm_ops.invalidate is
 *   called, event one of &enum drm_svm_inval_event (cpu, unmap, remap,
 *   remove, atomic).
 * - drm_svm_migrate (start, end, npages, dir, err), with device memory:
 *   npages were migrated in [start, end), dir one of to_devmem
 *   (drm_svm_migrate_to_devmem()), to_ram (drm_svm_migrate_to_ram()) or
 *   cpu_fault (a CPU fault on a device page, its fault-around chunk).
 * - drm_svm_migrate_vma_to_ram (start, end, npages, setup_ns, copy_ns,
 *   finish_ns), with device memory: where the time of one migration of
 *   [start, end) of a VMA to system memory went (a CPU fault's chunk, or
 *   part of drm_svm_migrate_to_ram()): migrate_vma_setup() (collecting
 *   and unmapping the device pages), giving them system pages and
 *   copying them, migrate_vma_pages() and migrate_vma_finalize()
 *   (remapping them); npages were migrated.
 * - drm_svm_atomic_grant (start, npages, exclusive, err), with the
 *   atomics: one attempt to make npages pages at start device-exclusive;
 *   exclusive is how many make_device_exclusive_range() gave.
 * - drm_svm_atomic_revoke (start, end, waited_ns, forced, expired), with
 *   the atomics: a revocation of the device-exclusive pages in [start,
 *   end) was handled (the GPU lost its atomic access there); waited_ns
 *   is how long it waited for the grants' hold, expired whether that
 *   hold ran out before the GPU reported progress, forced whether the
 *   helper took the pages back itself (the cap, a refault, teardown)
 *   rather than a CPU access.
 *
 * ``make bench`` reads drm_svm_get_pages, with the vsvm tracepoints, for
 * its breakdown of where a fault's time goes.
 */

#ifndef __CHECKER__
#define CREATE_TRACE_POINTS
#include "drm_svm_trace.h"
#endif
