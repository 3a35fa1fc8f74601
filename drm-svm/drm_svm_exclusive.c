// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/interval_tree.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_atomic.h>

#include "drm_svm_internal.h"
#include "drm_svm_trace.h"

/**
 * DOC: Device-exclusive pages
 *
 * Revocation: a CPU access to a device-exclusive page reaches the
 * context's notifier. The helper then clears &drm_svm_addr.atomic of
 * those pages, bumps the notifier sequence and calls
 * &drm_svm_ops.invalidate with %DRM_SVM_INVAL_ATOMIC: the driver drops the
 * atomic permission only, and waits for the atomics in flight; the pages
 * stay mapped because the CPU maps the same pages again. Any other
 * invalidation of an atomic page drops the page as usual, and the atomic
 * flag with it.
 *
 * Grants: on 6.12 a device-exclusive page cannot be reclaimed, migrated or
 * offlined until the CPU takes it back, whether the GPU still uses it or
 * not (an invalidation that is not a revocation, mprotect() say, leaves
 * the entry exclusive). The helper therefore remembers every page it made
 * exclusive, by grant, until the CPU takes it back or unmaps it. A
 * context holds at most &drm_svm_config.atomic_max_pages such pages: past
 * that, the oldest grants are revoked (the helper touches their pages as
 * the CPU would; the newest grant always stays), and drm_svm_fini()
 * revokes every grant left. Before a range is faulted again, the grants in
 * it are revoked at once too: hmm_range_fault() would take the pages back
 * one by one, each revocation bumping the notifier sequence and so
 * restarting the fault.
 *
 * Plugging in: the helpers' core knows nothing of this file. The first
 * grant of a context attaches its state and &struct drm_svm_hooks, through
 * which the notifier code asks what an %MMU_NOTIFY_EXCLUSIVE event is
 * (our own grant: zap nothing; a revocation: the above), tells of unmaps,
 * and the pages code of a range faulted again, and through which
 * drm_svm_fini() revokes what is left. On 6.12 the event is sent both when
 * a page is made exclusive (owner: whoever asked) and when the CPU takes
 * it back (owner NULL).
 *
 * Livelock guard: when the CPU and the GPU hammer the same page, each CPU
 * access revokes the grant the GPU just got. A revocation therefore waits,
 * before it takes the notifier lock, until the driver reported progress
 * on its atomics since the grants of those pages were made
 * (drm_svm_atomic_progress()) or their hold (&drm_svm_ctx.atomic_hold_us,
 * per grant) passed, whichever is first. Like Xe's migration timeslice,
 * this lets each grant serve at least one GPU batch, and a grant's hold
 * delays only the CPU accesses to its own pages. A hold that ran out
 * before the GPU used its grant doubles the next one, up to
 * %DRM_SVM_ATOMIC_HOLD_MAX_SHIFT times; progress resets it.
 */

/* How often a revocation waiting for a hold checks for progress. */
#define DRM_SVM_ATOMIC_HOLD_POLL_MIN_US	10
#define DRM_SVM_ATOMIC_HOLD_POLL_MAX_US	20

/* A grant's pages are a bitmap of one u64. */
static_assert(BITS_PER_LONG_LONG >= DRM_SVM_ATOMIC_MAX_WINDOW);

/*
 * struct drm_svm_atomic - the atomic state of a context
 * @grants: the grants by address; changed under the notifier lock held
 *	for write, read under it held for read
 * @fifo: the grants, oldest first, likewise
 * @nr_pages: pages the grants hold, likewise
 * @dead: drm_svm_fini() revoked everything: no new grant, likewise
 * @progress: incremented by drm_svm_atomic_progress()
 * @starved: holds in a row that ran out before the GPU used its grant
 *	(each doubles the next hold, see drm_svm_atomic_hold_ns()); reset
 *	by drm_svm_atomic_progress()
 * @granting: the task making pages exclusive for a grant now, or NULL
 * @revoking: the task taking pages back in drm_svm_grants_revoke() now, or
 *	NULL; only for the drm_svm_atomic_revoke tracepoint
 */
struct drm_svm_atomic {
	struct rb_root_cached grants;
	struct list_head fifo;
	unsigned long nr_pages;
	bool dead;
	atomic64_t progress;
	atomic_t starved;
	struct task_struct *granting;
	struct task_struct *revoking;
};

void *drm_svm_atomic_owner(const struct drm_svm *svm)
{
	/*
	 * A NULL owner would make our own grants look like revocations on
	 * 6.12, so a context without device memory uses itself.
	 */
	return svm->device_private_owner ?: (void *)svm;
}

/**
 * drm_svm_atomic_classify() - what an MMU notifier event is to the atomics
 * @svm: the context
 * @mmu_range: the event
 *
 * On 6.12 %MMU_NOTIFY_EXCLUSIVE is sent with our owner when we take a
 * page, with a NULL owner when the CPU takes it back
 * (remove_device_exclusive_entry()) and with its owner when another device
 * takes it; in the last two cases the page stays the same and only our
 * atomic right goes.
 *
 * Return: %DRM_SVM_EVENT_OWN for our own grant, %DRM_SVM_EVENT_HOOK for a
 * revocation, %DRM_SVM_EVENT_ZAP for anything else.
 */
VISIBLE_IF_KUNIT enum drm_svm_event
drm_svm_atomic_classify(const struct drm_svm *svm,
			const struct mmu_notifier_range *mmu_range)
{
	if (mmu_range->event != MMU_NOTIFY_EXCLUSIVE)
		return DRM_SVM_EVENT_ZAP;
	if (mmu_range->owner == drm_svm_atomic_owner(svm))
		return DRM_SVM_EVENT_OWN;
	return DRM_SVM_EVENT_HOOK;
}
EXPORT_SYMBOL_IF_KUNIT(drm_svm_atomic_classify);

static struct drm_svm_grant *to_drm_svm_grant(struct interval_tree_node *node)
{
	return container_of(node, struct drm_svm_grant, itree);
}

static void drm_svm_grant_insert(struct drm_svm *svm, struct drm_svm_grant *grant)
{
	struct drm_svm_atomic *atomic = svm->atomic;

	lockdep_assert_held_write(&svm->notifier_lock);

	interval_tree_insert(&grant->itree, &atomic->grants);
	list_add_tail(&grant->link, &atomic->fifo);
	atomic->nr_pages += hweight64(grant->pages);
	drm_svm_stat_add(svm, atomic_pages, hweight64(grant->pages));
}

/* Stop tracking @grant; it is on no list afterwards. */
static void drm_svm_grant_unlink(struct drm_svm *svm, struct drm_svm_grant *grant)
{
	struct drm_svm_atomic *atomic = svm->atomic;

	lockdep_assert_held_write(&svm->notifier_lock);

	interval_tree_remove(&grant->itree, &atomic->grants);
	list_del_init(&grant->link);
	atomic->nr_pages -= hweight64(grant->pages);
	drm_svm_stat_add(svm, atomic_pages, -(s64)hweight64(grant->pages));
}

/* The pages of [start, end) are no longer exclusive: forget them. */
static void drm_svm_grants_forget(struct drm_svm *svm, unsigned long start,
				  unsigned long end)
{
	struct interval_tree_node *node, *next;

	lockdep_assert_held_write(&svm->notifier_lock);

	for (node = interval_tree_iter_first(&svm->atomic->grants, start, end - 1);
	     node; node = next) {
		struct drm_svm_grant *grant = to_drm_svm_grant(node);
		unsigned long first = (max(start, node->start) - node->start) >> PAGE_SHIFT;
		unsigned long last = (min(end - 1, node->last) - node->start) >> PAGE_SHIFT;
		u64 gone = grant->pages & GENMASK_ULL(last, first);

		next = interval_tree_iter_next(node, start, end - 1);
		if (!gone)
			continue;
		if (gone == grant->pages) {
			drm_svm_grant_unlink(svm, grant);
			kfree(grant);
			continue;
		}
		grant->pages &= ~gone;
		svm->atomic->nr_pages -= hweight64(gone);
		drm_svm_stat_add(svm, atomic_pages, -(s64)hweight64(gone));
	}
}

/* Move the oldest grants but @newest onto @revoke while over the cap. */
static void drm_svm_grants_over_cap(struct drm_svm *svm,
				    struct drm_svm_grant *newest,
				    struct list_head *revoke)
{
	struct drm_svm_atomic *atomic = svm->atomic;
	struct drm_svm_grant *grant;

	lockdep_assert_held_write(&svm->notifier_lock);

	while (atomic->nr_pages > svm->atomic_max_pages) {
		grant = list_first_entry(&atomic->fifo, struct drm_svm_grant, link);
		if (grant == newest)
			break;
		drm_svm_grant_unlink(svm, grant);
		list_add_tail(&grant->link, revoke);
	}
}

/*
 * drm_svm_grant_record() - remember the pages a grant made exclusive
 *
 * Under the notifier lock held for write. Tracks @grant (or queues it on
 * @revoke when it holds no page), and queues older grants on @revoke
 * while over the cap. Return: 0, or -EFAULT with @grant on @revoke when
 * drm_svm_fini() revoked everything meanwhile: take its pages back.
 */
int drm_svm_grant_record(struct drm_svm *svm, struct drm_svm_grant *grant,
			 struct list_head *revoke)
{
	struct drm_svm_atomic *atomic = svm->atomic;

	lockdep_assert_held_write(&svm->notifier_lock);

	if (atomic->dead) {
		list_add(&grant->link, revoke);
		return -EFAULT;
	}
	if (!grant->pages) {
		list_add(&grant->link, revoke);
		return 0;
	}
	grant->progress = atomic64_read(&atomic->progress);
	drm_svm_grant_insert(svm, grant);
	drm_svm_grants_over_cap(svm, grant, revoke);
	return 0;
}

/*
 * Take back the pages of the grants on @revoke, which are no longer
 * tracked, as a CPU access would, and free the grants. Called without the
 * notifier lock and with a reference on the mm, or none if it is gone (the
 * exclusive entries went with it).
 */
void drm_svm_grants_revoke(struct drm_svm *svm, struct list_head *revoke,
			   bool mm_alive)
{
	struct drm_svm_grant *grant, *next;
	struct page *page;

	if (mm_alive)
		mmap_read_lock(svm->mm);
	WRITE_ONCE(svm->atomic->revoking, current);
	list_for_each_entry_safe(grant, next, revoke, link) {
		u64 pages = grant->pages;

		while (pages) {
			unsigned long addr = grant->itree.start +
					     ((unsigned long)__ffs64(pages) << PAGE_SHIFT);

			pages &= pages - 1;
			/* A read fault restores the entry, PROT_NONE or not. */
			if (mm_alive && get_user_pages_remote(svm->mm, addr, 1,
							      FOLL_FORCE, &page,
							      NULL) == 1)
				put_page(page);
			drm_svm_stat_inc(svm, atomic_forced);
		}
		list_del(&grant->link);
		kfree(grant);
	}
	WRITE_ONCE(svm->atomic->revoking, NULL);
	if (mm_alive)
		mmap_read_unlock(svm->mm);
}

/*
 * drm_svm_atomic_hold_ns() - the hold of the next grant
 *
 * @hold_ns, doubled for each hold in a row that ran out before the GPU
 * used its grant (its thread did not get a CPU in time: TCG, sanitizers,
 * a loaded machine), at most %DRM_SVM_ATOMIC_HOLD_MAX_SHIFT times.
 */
u64 drm_svm_atomic_hold_ns(struct drm_svm *svm, u64 hold_ns)
{
	return hold_ns << min_t(int, atomic_read(&svm->atomic->starved),
				DRM_SVM_ATOMIC_HOLD_MAX_SHIFT);
}

/*
 * drm_svm_atomic_granting() - tell whether this task is making pages exclusive
 *
 * With @granting true before make_device_exclusive_range(), false after.
 * Restoring another context's entry on the way sends a revocation to this
 * context too; that one must not wait for this context's holds.
 */
void drm_svm_atomic_granting(struct drm_svm *svm, bool granting)
{
	WRITE_ONCE(svm->atomic->granting, granting ? current : NULL);
}

/*
 * Wait until the grants of [start, end) served: progress was reported
 * since they were made, or their hold passed. A hold that ran out makes
 * the next one longer, and sets *@expired. Return: the ns waited.
 */
static u64 drm_svm_atomic_hold_wait(struct drm_svm *svm, unsigned long start,
				    unsigned long end, bool *expired)
{
	struct drm_svm_atomic *atomic = svm->atomic;
	struct interval_tree_node *node;
	u64 until = 0, begin, now;
	s64 progress;

	if (READ_ONCE(atomic->granting) == current)
		return 0;
	down_read(&svm->notifier_lock);
	progress = atomic64_read(&atomic->progress);
	for (node = interval_tree_iter_first(&atomic->grants, start, end - 1);
	     node; node = interval_tree_iter_next(node, start, end - 1)) {
		struct drm_svm_grant *grant = to_drm_svm_grant(node);

		if (grant->progress == progress)
			until = max(until, grant->hold_until);
	}
	up_read(&svm->notifier_lock);
	if (!until)
		return 0;

	begin = ktime_get_ns();
	until = min(until, begin + ((u64)DRM_SVM_ATOMIC_HOLD_DEFAULT_US *
				    NSEC_PER_USEC << DRM_SVM_ATOMIC_HOLD_MAX_SHIFT));
	while (atomic64_read(&atomic->progress) == progress) {
		now = ktime_get_ns();
		if (now >= until) {
			/* Ran out unused: the next grant holds longer. */
			if (atomic_read(&atomic->starved) < DRM_SVM_ATOMIC_HOLD_MAX_SHIFT)
				atomic_inc(&atomic->starved);
			*expired = true;
			return now - begin;
		}
		usleep_range(DRM_SVM_ATOMIC_HOLD_POLL_MIN_US,
			     DRM_SVM_ATOMIC_HOLD_POLL_MAX_US);
	}
	return ktime_get_ns() - begin;
}

/* Drop the atomic permission of [start, end) in @notifier's ranges. */
static void drm_svm_atomic_drop(struct drm_svm_notifier *notifier,
				const struct mmu_notifier_range *mmu_range,
				unsigned long start, unsigned long end)
{
	struct drm_svm *svm = notifier->svm;
	unsigned long zstart = ULONG_MAX, zend = 0;
	struct drm_svm_range *range;

	for (range = drm_svm_range_first_in(notifier, start, end); range;
	     range = drm_svm_range_next_in(range, start, end)) {
		unsigned long rstart = drm_svm_range_start(range);
		unsigned long s = max(start, rstart);
		unsigned long e = min(end, drm_svm_range_end(range));

		if (drm_svm_range_drop_atomic_locked(svm, range,
						     (s - rstart) >> PAGE_SHIFT,
						     (e - s) >> PAGE_SHIFT)) {
			zstart = min(zstart, s);
			zend = max(zend, e);
		}
	}
	if (zstart < zend)
		drm_svm_call_invalidate(svm, zstart, zend, DRM_SVM_INVAL_ATOMIC,
					mmu_range);
}

/*
 * The hook for a revocation: [start, end) is the event clipped to
 * @notifier. Return: false if the event may not block and would have to.
 */
static bool drm_svm_atomic_revoke(struct drm_svm_notifier *notifier,
				  const struct mmu_notifier_range *mmu_range,
				  unsigned long cur_seq, unsigned long start,
				  unsigned long end)
{
	struct drm_svm *svm = notifier->svm;
	bool expired = false;
	u64 waited = 0;

	if (mmu_notifier_range_blockable(mmu_range)) {
		waited = drm_svm_atomic_hold_wait(svm, start, end, &expired);
		down_write(&svm->notifier_lock);
	} else if (!down_write_trylock(&svm->notifier_lock)) {
		return false;
	} else if (drm_svm_notifier_has_mapped(notifier, start, end)) {
		/* Atomic pages are mapped pages: the driver may have to wait. */
		up_write(&svm->notifier_lock);
		return false;
	}

	mmu_interval_set_seq(&notifier->notifier, cur_seq);
	drm_svm_grants_forget(svm, start, end);
	drm_svm_atomic_drop(notifier, mmu_range, start, end);
	up_write(&svm->notifier_lock);
	trace_drm_svm_atomic_revoke(start, end, waited,
				    READ_ONCE(svm->atomic->revoking) == current,
				    expired);
	return true;
}

/* The hook for an unmap: the exclusive entries of [start, end) are gone. */
static void drm_svm_atomic_unmapped(struct drm_svm *svm, unsigned long start,
				    unsigned long end)
{
	drm_svm_grants_forget(svm, start, end);
}

/*
 * The hook before the core faults [start, end) with hmm_range_fault(),
 * which would take our exclusive pages there back one by one, each
 * revocation restarting the fault: take them back at once instead. The
 * range has no GPU mapping at that point, so they serve nothing.
 */
static void drm_svm_atomic_prefault(struct drm_svm *svm, unsigned long start,
				    unsigned long end)
{
	struct interval_tree_node *node, *next;
	LIST_HEAD(revoke);

	if (!READ_ONCE(svm->atomic->nr_pages))
		return;
	down_write(&svm->notifier_lock);
	for (node = interval_tree_iter_first(&svm->atomic->grants, start, end - 1);
	     node; node = next) {
		struct drm_svm_grant *grant = to_drm_svm_grant(node);

		next = interval_tree_iter_next(node, start, end - 1);
		drm_svm_grant_unlink(svm, grant);
		list_add_tail(&grant->link, &revoke);
	}
	up_write(&svm->notifier_lock);
	drm_svm_grants_revoke(svm, &revoke, true);
}

/* The hook of drm_svm_fini(): revoke every grant, free the state. */
static void drm_svm_atomic_fini(struct drm_svm *svm)
{
	struct drm_svm_atomic *atomic = svm->atomic;
	struct drm_svm_grant *grant, *next;
	LIST_HEAD(revoke);
	bool mm_alive;

	down_write(&svm->notifier_lock);
	atomic->dead = true;
	list_for_each_entry_safe(grant, next, &atomic->fifo, link) {
		drm_svm_grant_unlink(svm, grant);
		list_add_tail(&grant->link, &revoke);
	}
	up_write(&svm->notifier_lock);

	mm_alive = mmget_not_zero(svm->mm);
	drm_svm_grants_revoke(svm, &revoke, mm_alive);
	if (mm_alive)
		mmput(svm->mm);
	svm->hooks = NULL;
	svm->atomic = NULL;
	kfree(atomic);
}

static const struct drm_svm_hooks drm_svm_atomic_hooks = {
	.classify = drm_svm_atomic_classify,
	.handle = drm_svm_atomic_revoke,
	.unmapped = drm_svm_atomic_unmapped,
	.prefault = drm_svm_atomic_prefault,
	.fini = drm_svm_atomic_fini,
};

/*
 * drm_svm_atomic_attach() - plug the atomics into the context
 *
 * On its first grant. Return: 0, -ENOMEM, or -EFAULT once drm_svm_fini()
 * started.
 */
int drm_svm_atomic_attach(struct drm_svm *svm)
{
	struct drm_svm_atomic *atomic;
	int err = 0;

	/* Pairs with the release below: the state is set up when seen. */
	if (smp_load_acquire(&svm->hooks))
		return 0;
	atomic = kzalloc(sizeof(*atomic), GFP_KERNEL_ACCOUNT);
	if (!atomic)
		return -ENOMEM;
	atomic->grants = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&atomic->fifo);

	mutex_lock(&svm->lock);
	if (svm->closed) {
		err = -EFAULT;
	} else if (!svm->hooks) {
		svm->atomic = atomic;
		/* Publishes @atomic to the notifier callbacks. */
		smp_store_release(&svm->hooks, &drm_svm_atomic_hooks);
		atomic = NULL;
	}
	mutex_unlock(&svm->lock);
	kfree(atomic);
	return err;
}

/**
 * drm_svm_atomic_progress() - report that the GPU used its atomic grants
 * @svm: the context
 *
 * Ends the hold of the grants made so far (see DOC: Atomics): a CPU access
 * waiting to take one of their pages back proceeds. Cheap; call it after
 * each batch of atomics the GPU did on device-exclusive pages.
 *
 * Context: Any context, between drm_svm_init() and drm_svm_fini().
 */
void drm_svm_atomic_progress(struct drm_svm *svm)
{
	struct drm_svm_atomic *atomic = READ_ONCE(svm->atomic);

	if (!atomic)
		return;
	atomic64_inc(&atomic->progress);
	if (atomic_read(&atomic->starved))
		atomic_set(&atomic->starved, 0);
}
EXPORT_SYMBOL_GPL(drm_svm_atomic_progress);
