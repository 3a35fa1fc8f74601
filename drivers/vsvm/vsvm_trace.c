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
 * vsvm_migrate_to_vram and vsvm_vram_evict. ``make bench`` reads them for
 * its breakdown of where a fault's time goes.
 */

#ifndef __CHECKER__
#define CREATE_TRACE_POINTS
#include "vsvm_trace.h"
#endif
