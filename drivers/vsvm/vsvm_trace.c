// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm tracepoints
 *
 * The tracepoints of vsvm_trace.h are defined here; the system is
 * ``vsvm``: vsvm_fault (one GPU fault, with the time placement, get_pages,
 * the atomic grant and binding took), vsvm_job_start and vsvm_job_done
 * (one submission), vsvm_invalidate (a zap of the GPU page table),
 * vsvm_migrate_to_vram, vsvm_vram_evict and vsvm_dispatch (a shader
 * DISPATCH command that finished: its global work-items, work-groups and
 * instructions retired, the time from its first slice to its end, fault
 * service included, and its result; a dispatch the engine stops between
 * two slices, on a fault it could not service, the job timeout or the
 * VM's close, ends without it). ``make bench`` reads them for its
 * breakdown of where a fault's time goes.
 */

#ifndef __CHECKER__
#define CREATE_TRACE_POINTS
#include "vsvm_trace.h"
#endif
