// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/export.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"

/**
 * DOC: Garbage collection
 *
 * When the CPU unmaps (part of) a range, the notifier callback zaps and
 * unmaps the whole range, marks it unmapped and queues it here; it cannot
 * remove it on the spot because removing a notifier waits for the
 * callback itself. The helper removes queued ranges:
 *
 * - from a worker, so memory is given back without the driver's help;
 * - from drm_svm_garbage_collect(), which a driver calls first in its
 *   fault handler so that stale ranges are gone before it looks up new
 *   ones;
 * - from drm_svm_range_find_or_insert(), when a fault hits an unmapped
 *   range before either of the above ran.
 */

void drm_svm_gc_add(struct drm_svm *svm, struct drm_svm_range *range)
{
	lockdep_assert_held_write(&svm->notifier_lock);

	spin_lock(&svm->gc_lock);
	if (list_empty(&range->gc_link)) {
		drm_svm_range_get(range);
		list_add_tail(&range->gc_link, &svm->gc_list);
	}
	spin_unlock(&svm->gc_lock);
	queue_work(system_unbound_wq, &svm->gc_work);
}

static struct drm_svm_range *drm_svm_gc_pop(struct drm_svm *svm)
{
	struct drm_svm_range *range;

	spin_lock(&svm->gc_lock);
	range = list_first_entry_or_null(&svm->gc_list, struct drm_svm_range,
					 gc_link);
	if (range)
		list_del_init(&range->gc_link);
	spin_unlock(&svm->gc_lock);
	return range;
}

static unsigned int drm_svm_gc_run(struct drm_svm *svm)
{
	struct drm_svm_range *range;
	unsigned int count = 0;

	mutex_lock(&svm->lock);
	while ((range = drm_svm_gc_pop(svm))) {
		if (!range->removed) {
			drm_svm_range_remove_locked(svm, range);
			drm_svm_stat_inc(svm, ranges_collected);
			count++;
		}
		drm_svm_range_put(range);
	}
	mutex_unlock(&svm->lock);
	return count;
}

static void drm_svm_gc_work(struct work_struct *work)
{
	drm_svm_gc_run(container_of(work, struct drm_svm, gc_work));
}

void drm_svm_gc_init(struct drm_svm *svm)
{
	spin_lock_init(&svm->gc_lock);
	INIT_LIST_HEAD(&svm->gc_list);
	INIT_WORK(&svm->gc_work, drm_svm_gc_work);
}

/* After drm_svm_fini() removed every notifier, nothing queues any more. */
void drm_svm_gc_fini(struct drm_svm *svm)
{
	cancel_work_sync(&svm->gc_work);
	drm_svm_gc_run(svm);
}

/**
 * drm_svm_garbage_collect() - remove the ranges the CPU unmapped
 * @svm: the context
 *
 * Removes every range queued by the notifier callback after an unmap
 * (see DOC: Garbage collection). Drivers call it first in their fault
 * handler, with the driver lock held (if one is registered). The pages of
 * those ranges were already invalidated and unmapped.
 *
 * Return: the number of ranges removed.
 */
unsigned int drm_svm_garbage_collect(struct drm_svm *svm)
{
	drm_svm_assert_driver_lock(svm);

	return drm_svm_gc_run(svm);
}
EXPORT_SYMBOL_GPL(drm_svm_garbage_collect);
