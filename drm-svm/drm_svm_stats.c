// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/export.h>

#include <drm/drm_print.h>
#include <drm/drm_svm.h>

#include "drm_svm_internal.h"

/**
 * DOC: Statistics
 *
 * Every context counts its faults, retries, invalidations, range
 * creations and removals, and its device mappings by order, with atomic
 * counters that cost nothing to keep. Drivers read a snapshot with
 * drm_svm_stats_read() or print one (for debugfs) with
 * drm_svm_stats_print().
 */

/**
 * drm_svm_stats_read() - take a snapshot of a context's counters
 * @svm: the context
 * @stats: filled in with the counters
 *
 * The counters are read one by one, without stopping updates.
 */
void drm_svm_stats_read(struct drm_svm *svm, struct drm_svm_stats *stats)
{
	const struct drm_svm_counters *c = &svm->counters;
	unsigned int i;

	stats->faults = atomic64_read(&c->faults);
	stats->faults_valid = atomic64_read(&c->faults_valid);
	stats->retries = atomic64_read(&c->retries);
	stats->invalidations = atomic64_read(&c->invalidations);
	stats->invalidations_skipped = atomic64_read(&c->invalidations_skipped);
	stats->ranges_inserted = atomic64_read(&c->ranges_inserted);
	stats->ranges_removed = atomic64_read(&c->ranges_removed);
	stats->ranges_collected = atomic64_read(&c->ranges_collected);
	stats->mapped_pages = atomic64_read(&c->mapped_pages);
	stats->atomic_grants = atomic64_read(&c->atomic_grants);
	stats->atomic_revokes = atomic64_read(&c->atomic_revokes);
	stats->atomic_pages = atomic64_read(&c->atomic_pages);
	stats->atomic_forced = atomic64_read(&c->atomic_forced);
	for (i = 0; i < DRM_SVM_STATS_ORDERS; i++)
		stats->mappings_by_order[i] =
			atomic64_read(&c->mappings_by_order[i]);
}
EXPORT_SYMBOL_GPL(drm_svm_stats_read);

/**
 * drm_svm_stats_print() - print a context's counters
 * @svm: the context
 * @p: where to print, e.g. a drm_seq_file_printer() in debugfs
 *
 * One "name: value" line per counter; mapping orders that were never used
 * are left out.
 */
void drm_svm_stats_print(struct drm_svm *svm, struct drm_printer *p)
{
	struct drm_svm_stats s;
	unsigned int i;

	drm_svm_stats_read(svm, &s);
	drm_printf(p, "faults: %llu\n", s.faults);
	drm_printf(p, "faults_valid: %llu\n", s.faults_valid);
	drm_printf(p, "retries: %llu\n", s.retries);
	drm_printf(p, "invalidations: %llu\n", s.invalidations);
	drm_printf(p, "invalidations_skipped: %llu\n", s.invalidations_skipped);
	drm_printf(p, "ranges_inserted: %llu\n", s.ranges_inserted);
	drm_printf(p, "ranges_removed: %llu\n", s.ranges_removed);
	drm_printf(p, "ranges_collected: %llu\n", s.ranges_collected);
	drm_printf(p, "mapped_pages: %llu\n", s.mapped_pages);
	drm_printf(p, "atomic_grants: %llu\n", s.atomic_grants);
	drm_printf(p, "atomic_revokes: %llu\n", s.atomic_revokes);
	drm_printf(p, "atomic_pages: %llu\n", s.atomic_pages);
	drm_printf(p, "atomic_forced: %llu\n", s.atomic_forced);
	for (i = 0; i < DRM_SVM_STATS_ORDERS; i++)
		if (s.mappings_by_order[i])
			drm_printf(p, "mappings_order_%u: %llu\n", i,
				   s.mappings_by_order[i]);
}
EXPORT_SYMBOL_GPL(drm_svm_stats_print);
