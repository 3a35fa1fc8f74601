// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/mmu_notifier.h>
#include <linux/slab.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_trace.h"

/**
 * DOC: Notifiers and invalidation
 *
 * The address space is watched through &mmu_interval_notifier windows of
 * &drm_svm.notifier_size bytes, aligned to that size. A window's notifier is
 * inserted by drm_svm_range_find_or_insert() on the first fault in it,
 * before the mmap_lock is taken (inserting the first notifier of an
 * address space takes the mmap_lock for write), and removed when its last
 * range is removed.
 *
 * The notifier callback takes the notifier lock for write, bumps the
 * notifier sequence and, when pages in the interval are mapped, calls
 * &drm_svm_ops.invalidate before DMA-unmapping them:
 *
 * - For an unmap (%MMU_NOTIFY_UNMAP, %MMU_NOTIFY_RELEASE) the interval is
 *   widened to every range it touches. Those ranges lose all their pages,
 *   are marked unmapped and queued for garbage collection; the next fault
 *   creates new, possibly smaller, ranges over what is still mapped, so a
 *   partial munmap keeps the rest usable and loses nothing (the data lives
 *   in the CPU page tables).
 *
 * - For anything else the interval is the event clipped to the notifier,
 *   widened only where it cuts through a huge-page mapping (which can only
 *   be unmapped whole). Only the pages inside are unmapped; the ranges are
 *   marked invalid and revalidated by the next drm_svm_range_get_pages().
 *
 * Events caused by the driver itself (see drm_svm_event_classify()):
 * %MMU_NOTIFY_MIGRATE carrying the context's device-private owner, and
 * the %MMU_NOTIFY_EXCLUSIVE of its own device-exclusive grants, zap
 * nothing; they only bump the notifier sequence so that faults in flight
 * retry instead of publishing pages that are migrated away. A driver
 * migrating memory therefore drops the pages of the ranges concerned
 * first (drm_svm_range_unmap_pages()) and gets them again afterwards.
 *
 * An optional part of the helpers takes part through &struct
 * drm_svm_hooks, which it plugs in on first use: the CPU taking a
 * device-exclusive page back (see DOC: Atomics) is handed to the atomics,
 * which only revoke the GPU's atomic permission (%DRM_SVM_INVAL_ATOMIC,
 * the pages stay mapped); unmaps are told to them too.
 *
 * A callback that may not block gives up (returns false) when the
 * notifier lock is contended or when it would have to call the driver,
 * and succeeds otherwise.
 */

static struct drm_svm_notifier *to_drm_svm_notifier(struct mmu_interval_notifier *mni)
{
	return container_of(mni, struct drm_svm_notifier, notifier);
}

/*
 * drm_svm_event_classify() - the one place that sorts MMU notifier events
 *
 * An optional part plugged into the context (the atomics, through
 * @hooks) has the first word. %MMU_NOTIFY_MIGRATE with our device-private
 * owner sent by our own migrate_vma_setup() is the context's own: the
 * driver dropped the pages beforehand and gets them again afterwards,
 * zapping here would only make the migration fight the fault path.
 */
static enum drm_svm_event
drm_svm_event_classify(const struct drm_svm *svm,
		       const struct drm_svm_hooks *hooks,
		       const struct mmu_notifier_range *mmu_range)
{
	enum drm_svm_event kind = DRM_SVM_EVENT_ZAP;

	if (hooks)
		kind = hooks->classify(svm, mmu_range);
	if (kind != DRM_SVM_EVENT_ZAP || !svm->device_private_owner)
		return kind;

	/*
	 * Only a migration to device memory this context is doing itself
	 * (drm_svm_migrate_to_devmem() dropped the pages first); a CPU fault
	 * migrating device pages back to RAM carries the same owner and must
	 * zap the device mappings.
	 */
	if (mmu_range->event == MMU_NOTIFY_MIGRATE &&
	    mmu_range->owner == svm->device_private_owner &&
	    READ_ONCE(svm->migrating) == current)
		return DRM_SVM_EVENT_OWN;
	return DRM_SVM_EVENT_ZAP;
}

static bool drm_svm_event_is_unmap(const struct mmu_notifier_range *mmu_range)
{
	return mmu_range->event == MMU_NOTIFY_UNMAP ||
	       mmu_range->event == MMU_NOTIFY_RELEASE;
}

/* Widen [*start, *end) to the huge-page mappings of @range it cuts through. */
static void drm_svm_range_widen(const struct drm_svm_range *range,
				unsigned long *start, unsigned long *end)
{
	unsigned long rstart = drm_svm_range_start(range);
	unsigned long first = max(*start, rstart);
	unsigned long last = min(*end, drm_svm_range_end(range)) - 1;
	const struct drm_svm_addr *a;

	a = &range->addrs[(first - rstart) >> PAGE_SHIFT];
	if (a->valid)
		*start = min(*start, ALIGN_DOWN(first, PAGE_SIZE << a->order));
	a = &range->addrs[(last - rstart) >> PAGE_SHIFT];
	if (a->valid)
		*end = max(*end, ALIGN(last + 1, PAGE_SIZE << a->order));
}

/*
 * drm_svm_call_invalidate() - the one way to &drm_svm_ops.invalidate
 *
 * Every caller holds the notifier lock for write, which the driver's
 * callback relies on.
 */
void drm_svm_call_invalidate(struct drm_svm *svm, unsigned long start,
			     unsigned long end, enum drm_svm_inval_event event,
			     const struct mmu_notifier_range *mmu_range)
{
	struct drm_svm_invalidation inv = {
		.start = start,
		.end = end,
		.event = event,
		.mmu_range = mmu_range,
	};

	lockdep_assert_held_write(&svm->notifier_lock);
	trace_drm_svm_invalidate(start, end, event);
	svm->ops->invalidate(svm, &inv);
}

static void drm_svm_notifier_invalidate_locked(struct drm_svm_notifier *notifier,
					       const struct drm_svm_hooks *hooks,
					       const struct mmu_notifier_range *mmu_range,
					       unsigned long start,
					       unsigned long end)
{
	struct drm_svm *svm = notifier->svm;
	bool unmap = drm_svm_event_is_unmap(mmu_range);
	unsigned long zstart = start, zend = end;
	struct drm_svm_range *range;
	bool mapped = false;

	lockdep_assert_held_write(&svm->notifier_lock);

	for (range = drm_svm_range_first_in(notifier, start, end); range;
	     range = drm_svm_range_next_in(range, start, end)) {
		if (unmap) {
			zstart = min(zstart, drm_svm_range_start(range));
			zend = max(zend, drm_svm_range_end(range));
		} else if (range->nr_mapped) {
			drm_svm_range_widen(range, &zstart, &zend);
		}
		mapped |= range->nr_mapped != 0;
	}

	if (mapped) {
		drm_svm_call_invalidate(svm, zstart, zend,
					unmap ? DRM_SVM_INVAL_UNMAP : DRM_SVM_INVAL_CPU,
					mmu_range);
		drm_svm_stat_inc(svm, invalidations);
	}

	for (range = drm_svm_range_first_in(notifier, start, end); range;
	     range = drm_svm_range_next_in(range, start, end)) {
		drm_svm_range_unmap_locked(svm, range, zstart, zend);
		if (unmap && !range->unmapped) {
			WRITE_ONCE(range->unmapped, 1);
			drm_svm_gc_add(svm, range);
		}
	}
	if (unmap && hooks)
		hooks->unmapped(svm, start, end);
}

/* Whether a range of @notifier in [start, end) has pages mapped. */
bool drm_svm_notifier_has_mapped(struct drm_svm_notifier *notifier,
				 unsigned long start, unsigned long end)
{
	struct drm_svm_range *range;

	for (range = drm_svm_range_first_in(notifier, start, end); range;
	     range = drm_svm_range_next_in(range, start, end))
		if (range->nr_mapped)
			return true;
	return false;
}

static bool drm_svm_notifier_invalidate(struct mmu_interval_notifier *mni,
					const struct mmu_notifier_range *mmu_range,
					unsigned long cur_seq)
{
	struct drm_svm_notifier *notifier = to_drm_svm_notifier(mni);
	struct drm_svm *svm = notifier->svm;
	/* Pairs with drm_svm_atomic_attach(): the hooks' state is set up. */
	const struct drm_svm_hooks *hooks = smp_load_acquire(&svm->hooks);
	bool blockable = mmu_notifier_range_blockable(mmu_range);
	enum drm_svm_event kind;
	unsigned long start, end;

	start = max(mmu_range->start, drm_svm_notifier_start(notifier));
	end = min(mmu_range->end, drm_svm_notifier_end(notifier));

	kind = drm_svm_event_classify(svm, hooks, mmu_range);
	if (kind == DRM_SVM_EVENT_HOOK)
		return hooks->handle(notifier, mmu_range, cur_seq, start, end);

	if (blockable)
		down_write(&svm->notifier_lock);
	else if (!down_write_trylock(&svm->notifier_lock))
		return false;

	if (kind == DRM_SVM_EVENT_OWN) {
		/*
		 * No zap, but faults in flight must not publish the pages
		 * being migrated away.
		 */
		mmu_interval_set_seq(mni, cur_seq);
		drm_svm_stat_inc(svm, invalidations_skipped);
		goto out_unlock;
	}

	if (!blockable && drm_svm_notifier_has_mapped(notifier, start, end)) {
		up_write(&svm->notifier_lock);
		return false;
	}

	mmu_interval_set_seq(mni, cur_seq);
	drm_svm_notifier_invalidate_locked(notifier, hooks, mmu_range, start, end);
out_unlock:
	up_write(&svm->notifier_lock);
	return true;
}

static const struct mmu_interval_notifier_ops drm_svm_notifier_ops = {
	.invalidate = drm_svm_notifier_invalidate,
};

/*
 * drm_svm_invalidate_locked() - invalidate a whole range from the helpers
 *
 * Used when the helpers themselves drop pages the GPU may be using: the
 * driver zaps the range, then the pages are unmapped.
 */
void drm_svm_invalidate_locked(struct drm_svm *svm, struct drm_svm_range *range,
			       enum drm_svm_inval_event event)
{
	lockdep_assert_held_write(&svm->notifier_lock);

	if (!range->nr_mapped)
		return;

	drm_svm_call_invalidate(svm, drm_svm_range_start(range),
				drm_svm_range_end(range), event, NULL);
	drm_svm_range_unmap_locked(svm, range, drm_svm_range_start(range),
				   drm_svm_range_end(range));
}

struct drm_svm_notifier *drm_svm_notifier_find(struct drm_svm *svm,
					       unsigned long addr)
{
	struct interval_tree_node *node;

	lockdep_assert_held(&svm->lock);

	node = interval_tree_iter_first(&svm->notifiers, addr, addr);
	return node ? container_of(node, struct drm_svm_notifier, itree) : NULL;
}

/*
 * drm_svm_notifier_create() - insert the notifier for the window of @addr
 *
 * Called with drm_svm.lock held and without the mmap_lock: the first
 * interval notifier of an mm registers the mm's notifier subscription,
 * which takes the mmap_lock for write.
 */
struct drm_svm_notifier *drm_svm_notifier_create(struct drm_svm *svm,
						 unsigned long addr)
{
	unsigned long start = ALIGN_DOWN(addr, svm->notifier_size);
	struct drm_svm_notifier *notifier;
	int err;

	lockdep_assert_held(&svm->lock);

	notifier = kzalloc(sizeof(*notifier), GFP_KERNEL_ACCOUNT);
	if (!notifier)
		return ERR_PTR(-ENOMEM);

	notifier->svm = svm;
	notifier->ranges = RB_ROOT_CACHED;
	notifier->itree.start = start;
	notifier->itree.last = start + svm->notifier_size - 1;
	kref_init(&notifier->refcount);

	err = mmu_interval_notifier_insert(&notifier->notifier, svm->mm, start,
					   svm->notifier_size,
					   &drm_svm_notifier_ops);
	if (err) {
		kfree(notifier);
		return ERR_PTR(err);
	}

	interval_tree_insert(&notifier->itree, &svm->notifiers);
	return notifier;
}

static void drm_svm_notifier_release(struct kref *kref)
{
	kfree(container_of(kref, struct drm_svm_notifier, refcount));
}

void drm_svm_notifier_put(struct drm_svm_notifier *notifier)
{
	kref_put(&notifier->refcount, drm_svm_notifier_release);
}

/*
 * drm_svm_notifier_unlink() - remove an empty notifier
 *
 * Called with drm_svm.lock held but not the notifier lock:
 * mmu_interval_notifier_remove() waits for callbacks in flight, and those
 * take the notifier lock. Ranges still referenced elsewhere keep the
 * memory alive.
 */
void drm_svm_notifier_unlink(struct drm_svm_notifier *notifier)
{
	struct drm_svm *svm = notifier->svm;

	lockdep_assert_held(&svm->lock);

	interval_tree_remove(&notifier->itree, &svm->notifiers);
	RB_CLEAR_NODE(&notifier->itree.rb);
	mmu_interval_notifier_remove(&notifier->notifier);
	drm_svm_notifier_put(notifier);
}
