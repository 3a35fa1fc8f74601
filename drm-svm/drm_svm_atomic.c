// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/mm.h>

#include <linux/delay.h>
#include <linux/export.h>
#include <linux/hmm.h>
#include <linux/huge_mm.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/migrate.h>
#include <linux/mmu_notifier.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_atomic.h>

#include "drm_svm_internal.h"

/**
 * DOC: Atomics
 *
 * A GPU atomic on a system page must be atomic with respect to CPU atomics
 * on that page. As nouveau does, the helpers make the page
 * *device-exclusive*: the CPU page-table entry is replaced by a special
 * swap entry while the GPU holds atomic access; a CPU access faults,
 * restores the entry and fires an MMU notifier that revokes the GPU's
 * atomic right before the CPU gets the page back.
 *
 * drm_svm_range_atomic_grant() does it for a small window of a range (one
 * page is usual, at most %DRM_SVM_ATOMIC_MAX_WINDOW): it gets the range's
 * pages for write, makes the window's system pages device-exclusive with
 * the context as owner, and sets &drm_svm_addr.atomic on them under the
 * notifier lock, provided that the range was not invalidated meanwhile.
 * The page references and locks make_device_exclusive_range() returns
 * are dropped on every path before it returns. The driver then commits
 * its page-table entries as after drm_svm_range_get_pages(), giving
 * atomic permission to the pages with &drm_svm_addr.atomic set. Device
 * pages need no grant: atomics on the device's own memory are local.
 *
 * Revocation: a CPU access to a device-exclusive page reaches the
 * context's notifier. The helper then clears &drm_svm_addr.atomic of
 * those pages and calls &drm_svm_ops.invalidate with
 * %DRM_SVM_INVAL_ATOMIC: the driver drops the atomic permission only,
 * and waits for the atomics in flight; the pages stay mapped because the
 * CPU maps the same pages again. Any other invalidation of an atomic page
 * drops the page as usual, and the atomic flag with it.
 *
 * Which notifier events are a grant of the context itself (ignored) and
 * which are a revocation is decided by drm_svm_atomic_event_is_own() and
 * drm_svm_atomic_event_is_revoke(), the only code that knows the kernel
 * version. On 6.12, %MMU_NOTIFY_EXCLUSIVE is sent both when a page is made
 * exclusive (owner: whoever asked) and when the CPU takes it back (owner
 * NULL); from 6.15 the revocation is an %MMU_NOTIFY_CLEAR and handled as
 * an ordinary invalidation, and make_device_exclusive() replaces
 * make_device_exclusive_range() (see drm_svm_make_exclusive()).
 *
 * Transparent huge pages: on 6.12 make_device_exclusive_range() gives no
 * page for the tail pages of a THP (and would remap the PMD by PTEs,
 * leaving a PTE-mapped THP that no exported API can split). Before
 * granting a page that the CPU maps with a PMD, the helper splits that
 * THP into small pages with migrate_vma_setup() (which splits an
 * anonymous PMD-mapped THP while collecting it) and migrate_vma_finalize()
 * without destination pages (which puts the now small pages back where
 * they were). A page of an already PTE-mapped THP cannot be granted on
 * 6.12: -EOPNOTSUPP, like memory that is not private anonymous memory
 * (shared mappings, hugetlb). Drivers may then migrate the range to
 * device memory instead, or fail the atomic.
 *
 * Livelock guard: when the CPU and the GPU hammer the same page, each CPU
 * access revokes the grant the GPU just got. A revocation therefore waits,
 * before it takes the notifier lock, until the driver reported progress
 * on its atomics since the last grant (drm_svm_atomic_progress()) or
 * &drm_svm_ctx.atomic_hold_us passed, whichever is first. The hold starts
 * when the grant starts making pages exclusive, not when it is published:
 * a CPU thread hammering the page faults on the new entry at once. A hold
 * that ran out before the GPU used its grant (its thread did not get a CPU
 * in time: TCG, sanitizers, a loaded machine) doubles the next one, up to
 * %DRM_SVM_ATOMIC_HOLD_MAX_SHIFT times; progress resets it. Like Xe's
 * migration timeslice, this lets each grant serve at least one GPU batch.
 */

static void *drm_svm_atomic_owner(const struct drm_svm *svm)
{
	/*
	 * A NULL owner would make our own grants look like revocations on
	 * 6.12, so a context without device memory uses itself.
	 */
	return svm->device_private_owner ?: (void *)svm;
}

/**
 * drm_svm_atomic_event_is_own() - whether an event is our own grant
 * @svm: the context
 * @mmu_range: the notifier event
 *
 * Both 6.12 and 6.15+ send %MMU_NOTIFY_EXCLUSIVE with our owner when we
 * take a page.
 *
 * Return: true for the %MMU_NOTIFY_EXCLUSIVE a grant of this context (or
 * of another context with the same owner) sends; it must not zap.
 */
bool drm_svm_atomic_event_is_own(const struct drm_svm *svm,
				 const struct mmu_notifier_range *mmu_range)
{
	return mmu_range->event == MMU_NOTIFY_EXCLUSIVE &&
	       mmu_range->owner == drm_svm_atomic_owner(svm);
}
EXPORT_SYMBOL_IF_KUNIT(drm_svm_atomic_event_is_own);

/* ---- The kernel-version-specific part -------------------------------- */

/* DRM_SVM_KVER comes from the Kbuild file: 6012 for 6.12. */
#if DRM_SVM_KVER < 6015

/**
 * drm_svm_atomic_event_is_revoke() - whether an event only revokes exclusivity
 * @svm: the context
 * @mmu_range: the notifier event
 *
 * On 6.12 a CPU access to a device-exclusive page sends
 * %MMU_NOTIFY_EXCLUSIVE with a NULL owner (remove_device_exclusive_entry()),
 * and another device making a page exclusive sends it with its owner; in
 * both cases the page stays the same and only our atomic right goes.
 *
 * Return: true for such an event.
 */
bool drm_svm_atomic_event_is_revoke(const struct drm_svm *svm,
				    const struct mmu_notifier_range *mmu_range)
{
	return mmu_range->event == MMU_NOTIFY_EXCLUSIVE &&
	       mmu_range->owner != drm_svm_atomic_owner(svm);
}
EXPORT_SYMBOL_IF_KUNIT(drm_svm_atomic_event_is_revoke);

/*
 * Make [start, end) device-exclusive for @owner. Called with the mmap_lock
 * held for read. Return: the number of entries of @pages filled in (each a
 * locked and referenced page, or NULL where it failed), or an errno.
 */
static long drm_svm_make_exclusive(struct mm_struct *mm, unsigned long start,
				   unsigned long end, struct page **pages,
				   void *owner)
{
	return make_device_exclusive_range(mm, start, end, pages, owner);
}

#else /* >= 6.15: make_device_exclusive(), revocation is MMU_NOTIFY_CLEAR */

bool drm_svm_atomic_event_is_revoke(const struct drm_svm *svm,
				    const struct mmu_notifier_range *mmu_range)
{
	/* Indistinguishable from other MMU_NOTIFY_CLEARs: a full invalidation. */
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(drm_svm_atomic_event_is_revoke);

static long drm_svm_make_exclusive(struct mm_struct *mm, unsigned long start,
				   unsigned long end, struct page **pages,
				   void *owner)
{
	unsigned long addr;
	long i = 0;

	for (addr = start; addr < end; addr += PAGE_SIZE, i++) {
		struct folio *folio;
		struct page *page;

		page = make_device_exclusive(mm, addr, owner, &folio);
		pages[i] = IS_ERR(page) ? NULL : page;
	}
	return i;
}

#endif

/* ---- Grants ------------------------------------------------------------ */

static void drm_svm_atomic_put_pages(struct page **pages, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		if (pages[i]) {
			folio_unlock(page_folio(pages[i]));
			folio_put(page_folio(pages[i]));
		}
	}
}

enum drm_svm_atomic_need {
	DRM_SVM_ATOMIC_DONE,
	DRM_SVM_ATOMIC_GRANT,
	DRM_SVM_ATOMIC_SPLIT,
	DRM_SVM_ATOMIC_REFAULT,
};

/*
 * What the window [first, first + n) of @range needs, under the notifier
 * lock; for a grant, the first run of pages to grant in *@run, *@run_n.
 */
static enum drm_svm_atomic_need drm_svm_atomic_need(struct drm_svm_range *range,
						    unsigned long first,
						    unsigned long n,
						    unsigned long *run,
						    unsigned long *run_n)
{
	unsigned long i;

	*run_n = 0;
	if (!drm_svm_range_pages_valid(range->svm, range))
		return DRM_SVM_ATOMIC_REFAULT;
	for (i = first; i < first + n; i++) {
		const struct drm_svm_addr *a = &range->addrs[i];

		if (!a->valid || !a->writable)
			return DRM_SVM_ATOMIC_REFAULT;
		if (a->device || a->atomic) {
			if (*run_n)
				break;
			continue;
		}
		if (a->order)
			return DRM_SVM_ATOMIC_SPLIT;
		if (!(*run_n)++)
			*run = i;
	}
	return *run_n ? DRM_SVM_ATOMIC_GRANT : DRM_SVM_ATOMIC_DONE;
}

/*
 * Split the PMD-mapped THP holding @addr into small pages, in place: the
 * collection step of migrate_vma_setup() splits an anonymous THP, and
 * finalizing without destination pages restores the original (now small)
 * pages. The MMU notifier events this sends invalidate the range.
 */
static int drm_svm_atomic_split(struct drm_svm *svm, unsigned long addr)
{
	unsigned long start = ALIGN_DOWN(addr, HPAGE_PMD_SIZE);
	struct migrate_vma mig = {
		.start = start,
		.end = start + HPAGE_PMD_SIZE,
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
	};
	struct vm_area_struct *vma;
	int err;

	mig.src = kvcalloc(HPAGE_PMD_NR, sizeof(*mig.src), GFP_KERNEL);
	mig.dst = kvcalloc(HPAGE_PMD_NR, sizeof(*mig.dst), GFP_KERNEL);
	if (!mig.src || !mig.dst) {
		err = -ENOMEM;
		goto out_free;
	}

	mmap_read_lock(svm->mm);
	vma = vma_lookup(svm->mm, start);
	if (!vma || vma->vm_end < mig.end) {
		err = -EAGAIN;	/* Changed meanwhile: refault. */
	} else if (!vma_is_anonymous(vma)) {
		err = -EOPNOTSUPP;
	} else {
		mig.vma = vma;
		err = migrate_vma_setup(&mig);
		if (!err)
			migrate_vma_finalize(&mig);
	}
	mmap_read_unlock(svm->mm);

out_free:
	kvfree(mig.dst);
	kvfree(mig.src);
	return err;
}

/*
 * Why make_device_exclusive_range() gave no page at @addr: -EOPNOTSUPP
 * for a page of a (PTE-mapped) THP, which 6.12 cannot make exclusive,
 * -EAGAIN for anything transient (a contended page lock, a race).
 */
static int drm_svm_atomic_classify(struct drm_svm *svm, unsigned long addr)
{
	struct page *page;
	int err = -EAGAIN;
	long n;

	mmap_read_lock(svm->mm);
	n = get_user_pages_remote(svm->mm, addr, 1, 0, &page, NULL);
	mmap_read_unlock(svm->mm);
	if (n == 1) {
		if (folio_test_large(page_folio(page)))
			err = -EOPNOTSUPP;
		put_page(page);
	}
	return err;
}

/*
 * Whether the VMA at @addr can have device-exclusive pages at all. Called
 * with the mmap_lock held.
 */
static int drm_svm_atomic_vma_ok(struct drm_svm *svm, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(svm->mm, addr);

	if (!vma)
		return -EAGAIN;	/* Unmapped meanwhile; the refault tells. */
	if (vma->vm_flags & (VM_SHARED | VM_HUGETLB | VM_IO | VM_PFNMAP))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Make the system pages of [first, first + n) of @range exclusive and
 * publish them. Return: 0, -EAGAIN to start over, or an errno.
 */
static int drm_svm_atomic_try_grant(struct drm_svm *svm,
				    struct drm_svm_range *range,
				    unsigned long first, unsigned long n,
				    u64 hold_ns)
{
	unsigned long rstart = drm_svm_range_start(range);
	unsigned long start = rstart + (first << PAGE_SHIFT);
	struct page *pages[DRM_SVM_ATOMIC_MAX_WINDOW];
	unsigned long failed = ULONG_MAX, granted = 0, i;
	long got;
	int err = 0;

	/*
	 * The hold starts before the pages become exclusive: a CPU thread
	 * hammering the page faults on the new entry at once, and without
	 * the hold its revocation would beat every grant (the GPU starved
	 * for good). It is renewed below when the grant is published, and
	 * doubles while grants keep being revoked unused.
	 */
	hold_ns <<= min_t(int, atomic_read(&svm->atomic_starved),
			  DRM_SVM_ATOMIC_HOLD_MAX_SHIFT);
	atomic64_set(&svm->atomic_hold_until, ktime_get_ns() + hold_ns);
	WRITE_ONCE(svm->atomic_granting, current);
	mmap_read_lock(svm->mm);
	err = drm_svm_atomic_vma_ok(svm, start);
	got = err ? 0 : drm_svm_make_exclusive(svm->mm, start,
					       start + (n << PAGE_SHIFT),
					       pages, drm_svm_atomic_owner(svm));
	mmap_read_unlock(svm->mm);
	if (err || got < 0) {
		WRITE_ONCE(svm->atomic_granting, NULL);
		/* got < 0: the VMA changed; the refault tells how. */
		return err ?: -EAGAIN;
	}

	down_write(&svm->notifier_lock);
	if (!drm_svm_range_pages_valid(svm, range)) {
		err = -EAGAIN;
		goto out_unlock;
	}
	for (i = 0; i < n; i++) {
		struct drm_svm_addr *a = &range->addrs[first + i];

		if (a->device || a->atomic)
			continue;
		/*
		 * Still valid means no invalidation hit the page since
		 * drm_svm_range_get_pages() mapped it: the exclusive page is
		 * the very page mapped here.
		 */
		if (i >= got || !pages[i] ||
		    folio_test_large(page_folio(pages[i])) ||
		    !a->valid || !a->writable || a->order) {
			if (failed == ULONG_MAX)
				failed = i;
			continue;
		}
		a->atomic = 1;
		range->nr_atomic++;
		granted++;
	}
	if (granted) {
		atomic64_set(&svm->atomic_hold_until, ktime_get_ns() + hold_ns);
		drm_svm_stat_add(svm, atomic_grants, granted);
	}
out_unlock:
	WRITE_ONCE(svm->atomic_granting, NULL);
	up_write(&svm->notifier_lock);
	drm_svm_atomic_put_pages(pages, max(got, 0L));

	if (!err && failed != ULONG_MAX)
		err = drm_svm_atomic_classify(svm, start + (failed << PAGE_SHIFT));
	return err;
}

/**
 * drm_svm_range_atomic_grant() - give the GPU atomic access to pages of a range
 * @svm: the context
 * @range: the range, from drm_svm_range_find_or_insert()
 * @start: start of the window (page aligned, inside @range)
 * @end: end of the window, exclusive (page aligned, inside @range, at most
 *	%DRM_SVM_ATOMIC_MAX_WINDOW pages after @start)
 * @ctx: the fault's timeout and &drm_svm_ctx.atomic_hold_us; NULL for the
 *	defaults. The access is always atomic.
 *
 * Gets the pages of @range for write (drm_svm_range_get_pages()), splits a
 * THP the window is in, makes the window's system pages device-exclusive
 * and sets &drm_svm_addr.atomic on them (see DOC: Atomics). Device pages
 * of the driver are left alone: atomics on them need no grant. On success
 * commit the page-table entries as after drm_svm_range_get_pages(), under
 * drm_svm_notifier_lock() after checking drm_svm_range_pages_valid(); an
 * entry whose &drm_svm_addr.atomic is clear by then was revoked already,
 * map it without atomic permission and let the GPU fault again. Call with
 * the driver lock held, without the mmap_lock and the notifier lock.
 *
 * Return: 0 on success; the errors of drm_svm_range_get_pages() (-EAGAIN:
 * the range is unmapped; -EPERM: read-only mapping; -EFAULT, -EBUSY,
 * -ENOMEM, ...); -EINVAL for a bad window; -EOPNOTSUPP when a page cannot
 * be made device-exclusive (shared or hugetlb mapping, page of a
 * PTE-mapped THP); -EBUSY when the CPU kept taking the pages back until
 * the timeout.
 */
int drm_svm_range_atomic_grant(struct drm_svm *svm, struct drm_svm_range *range,
			       unsigned long start, unsigned long end,
			       const struct drm_svm_ctx *ctx)
{
	struct drm_svm_ctx actx = ctx ? *ctx : (struct drm_svm_ctx) {};
	unsigned long rstart = drm_svm_range_start(range);
	unsigned long first = (start - rstart) >> PAGE_SHIFT;
	unsigned long n = (end - start) >> PAGE_SHIFT;
	unsigned long timeout;
	u64 hold_ns;
	int err;

	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) || start >= end ||
	    start < rstart || end > drm_svm_range_end(range) ||
	    n > DRM_SVM_ATOMIC_MAX_WINDOW)
		return -EINVAL;
	drm_svm_assert_driver_lock(svm);

	actx.access |= DRM_SVM_ACCESS_WRITE | DRM_SVM_ACCESS_ATOMIC;
	hold_ns = (u64)(actx.atomic_hold_us ?: DRM_SVM_ATOMIC_HOLD_DEFAULT_US) *
		  NSEC_PER_USEC;
	timeout = jiffies + msecs_to_jiffies(actx.timeout_ms ?:
					     HMM_RANGE_DEFAULT_TIMEOUT);

	/* The address space must not go away under GUP and the split. */
	if (!mmget_not_zero(svm->mm))
		return -EFAULT;
	for (;;) {
		enum drm_svm_atomic_need need;
		unsigned long run, run_n;

		err = drm_svm_range_get_pages(svm, range, &actx);
		if (err)
			break;

		down_read(&svm->notifier_lock);
		need = drm_svm_atomic_need(range, first, n, &run, &run_n);
		up_read(&svm->notifier_lock);

		switch (need) {
		case DRM_SVM_ATOMIC_DONE:
			err = 0;
			break;
		case DRM_SVM_ATOMIC_SPLIT:
			err = drm_svm_atomic_split(svm, start);
			/* The split invalidated the range: refault it. */
			err = err ?: -EAGAIN;
			break;
		case DRM_SVM_ATOMIC_GRANT:
			/* On success, go on with the next run, if any. */
			err = drm_svm_atomic_try_grant(svm, range, run, run_n,
						       hold_ns);
			if (!err && !time_after(jiffies, timeout))
				continue;
			break;
		case DRM_SVM_ATOMIC_REFAULT:
			err = -EAGAIN;
			break;
		}
		if (err != -EAGAIN)
			break;
		if (time_after(jiffies, timeout)) {
			err = -EBUSY;
			break;
		}
		drm_svm_stat_inc(svm, retries);
	}
	mmput(svm->mm);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_range_atomic_grant);

/**
 * drm_svm_range_atomic_valid() - whether pages still have atomic access
 * @svm: the context
 * @range: the range
 * @start: start of the interval
 * @end: end of the interval, exclusive
 *
 * Call with drm_svm_notifier_lock() held.
 *
 * Return: true if the range's pages are valid and every page of [@start,
 * @end) in it is either device memory or device-exclusive.
 */
bool drm_svm_range_atomic_valid(struct drm_svm *svm, struct drm_svm_range *range,
				unsigned long start, unsigned long end)
{
	unsigned long rstart = drm_svm_range_start(range);
	unsigned long i, last;

	lockdep_assert_held(&svm->notifier_lock);

	if (!drm_svm_range_pages_valid(svm, range))
		return false;
	start = max(start, rstart);
	end = min(end, drm_svm_range_end(range));
	last = (end - rstart) >> PAGE_SHIFT;
	for (i = (start - rstart) >> PAGE_SHIFT; i < last; i++)
		if (!range->addrs[i].device && !range->addrs[i].atomic)
			return false;
	return true;
}
EXPORT_SYMBOL_GPL(drm_svm_range_atomic_valid);

/**
 * drm_svm_atomic_progress() - report that the GPU used its atomic grants
 * @svm: the context
 *
 * Ends the hold of the last grant (see DOC: Atomics): a CPU access
 * waiting to take a page back proceeds. Cheap; call it after each batch of
 * atomics the GPU did on device-exclusive pages. Any context.
 */
void drm_svm_atomic_progress(struct drm_svm *svm)
{
	if (atomic64_read(&svm->atomic_hold_until))
		atomic64_set(&svm->atomic_hold_until, 0);
	if (atomic_read(&svm->atomic_starved))
		atomic_set(&svm->atomic_starved, 0);
}
EXPORT_SYMBOL_GPL(drm_svm_atomic_progress);

/* ---- Revocation (called by the notifier code) -------------------------- */

/*
 * drm_svm_atomic_drop_locked() - clear the atomic flag of pages of a range
 *
 * For the entries [first, first + n) of @range. Return: how many had it.
 */
unsigned long drm_svm_atomic_drop_locked(struct drm_svm *svm,
					 struct drm_svm_range *range,
					 unsigned long first, unsigned long n)
{
	unsigned long i, dropped = 0;

	lockdep_assert_held_write(&svm->notifier_lock);

	if (!range->nr_atomic)
		return 0;
	for (i = first; i < first + n && range->nr_atomic; i++) {
		if (range->addrs[i].atomic) {
			range->addrs[i].atomic = 0;
			range->nr_atomic--;
			dropped++;
		}
	}
	if (dropped)
		drm_svm_stat_add(svm, atomic_revokes, dropped);
	return dropped;
}

/*
 * Wait for the GPU to use its last grant, at most one hold time (the
 * longest, DRM_SVM_ATOMIC_HOLD_MAX_SHIFT doublings of the default). When
 * the hold ran out unused, the next grant's hold doubles.
 */
static void drm_svm_atomic_hold_wait(struct drm_svm *svm)
{
	u64 now = ktime_get_ns();
	u64 limit = now + ((u64)DRM_SVM_ATOMIC_HOLD_DEFAULT_US * NSEC_PER_USEC <<
			   DRM_SVM_ATOMIC_HOLD_MAX_SHIFT);
	u64 until;

	/* A grant published meanwhile renews the hold: read it again. */
	for (;;) {
		until = min_t(u64, atomic64_read(&svm->atomic_hold_until), limit);
		if (!until)
			return;
		if (now >= until)
			break;
		usleep_range(10, 20);
		now = ktime_get_ns();
	}
	if (atomic_read(&svm->atomic_starved) < DRM_SVM_ATOMIC_HOLD_MAX_SHIFT)
		atomic_inc(&svm->atomic_starved);
}

/* Whether a page of [start, end) of @notifier is device-exclusive for us. */
static bool drm_svm_atomic_any(struct drm_svm_notifier *notifier,
			       unsigned long start, unsigned long end)
{
	struct drm_svm *svm = notifier->svm;
	struct interval_tree_node *node;
	bool any = false;

	down_read(&svm->notifier_lock);
	for (node = interval_tree_iter_first(&notifier->ranges, start, end - 1);
	     node && !any; node = interval_tree_iter_next(node, start, end - 1)) {
		struct drm_svm_range *range =
			container_of(node, struct drm_svm_range, itree);
		unsigned long rstart = drm_svm_range_start(range);
		unsigned long i = (max(start, rstart) - rstart) >> PAGE_SHIFT;
		unsigned long last = (min(end, drm_svm_range_end(range)) -
				      rstart) >> PAGE_SHIFT;

		for (; range->nr_atomic && i < last && !any; i++)
			any = range->addrs[i].atomic;
	}
	up_read(&svm->notifier_lock);
	return any;
}

/*
 * drm_svm_atomic_revoke() - the notifier for a revocation event
 *
 * [start, end) is the event clipped to @notifier. Clears the atomic flag
 * of the pages inside and has the driver drop their atomic permission.
 * Return: false if the event may not block and would have to.
 */
bool drm_svm_atomic_revoke(struct drm_svm_notifier *notifier,
			   const struct mmu_notifier_range *mmu_range,
			   unsigned long start, unsigned long end)
{
	struct drm_svm *svm = notifier->svm;
	bool blockable = mmu_notifier_range_blockable(mmu_range);
	struct drm_svm_invalidation inv = {
		.start = ULONG_MAX,
		.end = 0,
		.event = DRM_SVM_INVAL_ATOMIC,
		.mmu_range = mmu_range,
	};
	struct interval_tree_node *node;

	if (blockable) {
		/*
		 * A revocation waits for the hold when it takes pages from
		 * this context or one of its grants is under way (the CPU
		 * faulting on an entry not yet published), but not when it
		 * comes from that very grant restoring another context's
		 * entry: it would wait for the hold it has just started.
		 */
		struct task_struct *granting = READ_ONCE(svm->atomic_granting);

		if (granting != current &&
		    (granting || drm_svm_atomic_any(notifier, start, end)))
			drm_svm_atomic_hold_wait(svm);
		down_write(&svm->notifier_lock);
	} else if (!down_write_trylock(&svm->notifier_lock)) {
		return false;
	}

	for (node = interval_tree_iter_first(&notifier->ranges, start, end - 1);
	     node; node = interval_tree_iter_next(node, start, end - 1)) {
		struct drm_svm_range *range =
			container_of(node, struct drm_svm_range, itree);
		unsigned long rstart = drm_svm_range_start(range);
		unsigned long s = max(start, rstart);
		unsigned long e = min(end, drm_svm_range_end(range));

		if (!range->nr_atomic)
			continue;
		if (!blockable) {
			up_write(&svm->notifier_lock);
			return false;
		}
		if (drm_svm_atomic_drop_locked(svm, range,
					       (s - rstart) >> PAGE_SHIFT,
					       (e - s) >> PAGE_SHIFT)) {
			inv.start = min(inv.start, s);
			inv.end = max(inv.end, e);
		}
	}
	if (inv.start < inv.end)
		svm->ops->invalidate(svm, &inv);
	up_write(&svm->notifier_lock);
	return true;
}
