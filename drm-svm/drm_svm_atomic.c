// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/hmm.h>
#include <linux/huge_mm.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_atomic.h>

#include "drm_svm_internal.h"
#include "drm_svm_trace.h"

/**
 * DOC: Atomics
 *
 * A GPU atomic on a system page must be atomic with respect to CPU atomics
 * on that page. As nouveau does, the helpers make the page
 * *device-exclusive*: the CPU page-table entry is replaced by a special
 * swap entry while the GPU holds atomic access; a CPU access faults,
 * restores the entry and fires an MMU notifier that revokes the GPU's
 * atomic right before the CPU gets the page back (see DOC: Device-exclusive
 * pages).
 *
 * drm_svm_range_atomic_grant() does it for a small window of a range (one
 * page is usual, at most %DRM_SVM_ATOMIC_MAX_WINDOW): it gets the window's
 * pages for write (the rest of the range as in DOC: Faulting), makes the
 * window's system pages device-exclusive with the context as owner,
 * records them and sets &drm_svm_addr.atomic on them under the notifier
 * lock, provided that the range was not invalidated meanwhile. The page
 * references and locks make_device_exclusive_range() returns are dropped
 * on every path before it returns. The driver then commits its page-table
 * entries as after drm_svm_range_get_pages(), giving atomic permission to
 * the pages with &drm_svm_addr.atomic set. Device pages need no grant:
 * atomics on the device's own memory are local.
 *
 * Transparent huge pages: on 6.12 make_device_exclusive_range() gives no
 * page for the tail pages of a THP (and would remap the PMD by PTEs,
 * leaving a PTE-mapped THP that no exported API can split). Before
 * granting a page that the CPU maps with a PMD (whatever the size of the
 * range, see &drm_svm_addr), the helper splits that THP into small pages
 * with migrate_vma_setup() (which splits an anonymous PMD-mapped THP while
 * collecting it) and migrate_vma_finalize() without destination pages
 * (which puts the now small pages back where they were). A page of an
 * already PTE-mapped THP cannot be granted on 6.12: -EOPNOTSUPP, like
 * memory that is not private anonymous memory (shared mappings, hugetlb).
 * Drivers may then migrate the range to device memory instead, or fail
 * the atomic.
 *
 * This file and drm_svm_exclusive.c follow the device-exclusive API of
 * 6.12. 6.15 changed both the API (make_device_exclusive()) and the
 * revocation event (%MMU_NOTIFY_CLEAR, an ordinary invalidation); the build
 * leaves them out by default on later kernels (CONFIG_DRM_SVM_ATOMIC).
 */

/* Longest hold of a grant, whatever &drm_svm_ctx.atomic_hold_us asks. */
#define DRM_SVM_ATOMIC_HOLD_MAX_US	(4 * DRM_SVM_ATOMIC_HOLD_DEFAULT_US)

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
		/* The CPU's mapping decides, not the order mapped for DMA. */
		if (a->cpu_huge)
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
static int drm_svm_atomic_why(struct drm_svm *svm, unsigned long addr)
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
 * Make [start, start + n pages) device-exclusive, in the VMA that can have
 * such pages. Return: the number of entries of @pages filled in (each a
 * locked and referenced page, or NULL where it failed), or an errno.
 */
static long drm_svm_atomic_make_exclusive(struct drm_svm *svm,
					  unsigned long start, unsigned long n,
					  struct page **pages)
{
	struct vm_area_struct *vma;
	long got;

	mmap_read_lock(svm->mm);
	vma = vma_lookup(svm->mm, start);
	if (!vma)
		got = -EAGAIN;	/* Unmapped meanwhile; the refault tells. */
	else if (vma->vm_flags & (VM_SHARED | VM_HUGETLB | VM_IO | VM_PFNMAP))
		got = -EOPNOTSUPP;
	else
		got = make_device_exclusive_range(svm->mm, start,
						  start + (n << PAGE_SHIFT), pages,
						  drm_svm_atomic_owner(svm));
	mmap_read_unlock(svm->mm);
	/* A failure of the walk: the VMA changed; the refault tells how. */
	return got == -EOPNOTSUPP || got >= 0 ? got : -EAGAIN;
}

/*
 * Give atomic permission to the exclusive pages of [first, first + n) of
 * @range. Return: -EAGAIN if the range was invalidated meanwhile, else 0
 * and in *@failed the index of the first page that could not be granted,
 * or ULONG_MAX.
 */
static int drm_svm_atomic_publish(struct drm_svm *svm,
				  struct drm_svm_range *range,
				  unsigned long first, unsigned long n,
				  struct page **pages, long got,
				  unsigned long *failed)
{
	unsigned long granted = 0, i;

	*failed = ULONG_MAX;
	if (!drm_svm_range_pages_valid(svm, range))
		return -EAGAIN;
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
		    !a->valid || !a->writable || a->cpu_huge) {
			*failed = min(*failed, i);
			continue;
		}
		a->atomic = 1;
		range->nr_atomic++;
		granted++;
	}
	drm_svm_stat_add(svm, atomic_grants, granted);
	return 0;
}

/* The bitmap of the pages make_device_exclusive_range() made exclusive. */
static u64 drm_svm_atomic_made(struct page **pages, long got)
{
	u64 made = 0;
	long i;

	for (i = 0; i < got; i++)
		if (pages[i])
			made |= BIT_ULL(i);
	return made;
}

/*
 * Make the system pages of [first, first + n) of @range exclusive, record
 * them and publish them. Return: 0, -EAGAIN to start over, or an errno.
 */
static int drm_svm_atomic_try_grant(struct drm_svm *svm,
				    struct drm_svm_range *range,
				    unsigned long first, unsigned long n,
				    u64 hold_ns)
{
	unsigned long start = drm_svm_range_start(range) + (first << PAGE_SHIFT);
	struct page *pages[DRM_SVM_ATOMIC_MAX_WINDOW];
	struct drm_svm_grant *grant;
	unsigned int exclusive = 0;
	unsigned long failed;
	LIST_HEAD(revoke);
	long got;
	int err;

	grant = kzalloc(sizeof(*grant), GFP_KERNEL_ACCOUNT);
	if (!grant)
		return -ENOMEM;
	drm_svm_atomic_granting(svm, true);
	got = drm_svm_atomic_make_exclusive(svm, start, n, pages);
	drm_svm_atomic_granting(svm, false);
	if (got < 0) {
		kfree(grant);
		err = got;
		goto out_trace;
	}
	grant->itree.start = start;
	grant->itree.last = start + (n << PAGE_SHIFT) - 1;
	grant->pages = drm_svm_atomic_made(pages, got);
	grant->hold_until = ktime_get_ns() + drm_svm_atomic_hold_ns(svm, hold_ns);
	exclusive = hweight64(grant->pages);

	down_write(&svm->notifier_lock);
	err = drm_svm_grant_record(svm, grant, &revoke);
	if (!err)
		err = drm_svm_atomic_publish(svm, range, first, n, pages, got,
					     &failed);
	up_write(&svm->notifier_lock);
	drm_svm_atomic_put_pages(pages, got);
	drm_svm_grants_revoke(svm, &revoke, true);

	if (!err && failed != ULONG_MAX)
		err = drm_svm_atomic_why(svm, start + (failed << PAGE_SHIFT));
out_trace:
	trace_drm_svm_atomic_grant(start, n, exclusive, err);
	return err;
}

/*
 * One step of a grant of [start, end) of @range: 0 when the window is
 * done, 1 when a run of pages was granted (step again for the next),
 * -EAGAIN to step again after an invalidation or a split, or an errno.
 */
static int drm_svm_atomic_step(struct drm_svm *svm, struct drm_svm_range *range,
			       const struct drm_svm_ctx *actx,
			       unsigned long start, unsigned long end,
			       u64 hold_ns)
{
	unsigned long first = (start - drm_svm_range_start(range)) >> PAGE_SHIFT;
	unsigned long n = (end - start) >> PAGE_SHIFT, run, run_n;
	enum drm_svm_atomic_need need;
	int err;

	err = drm_svm_range_get_pages_window(svm, range, actx, start, end);
	if (err)
		return err;

	down_read(&svm->notifier_lock);
	need = drm_svm_atomic_need(range, first, n, &run, &run_n);
	up_read(&svm->notifier_lock);

	switch (need) {
	case DRM_SVM_ATOMIC_DONE:
		return 0;
	case DRM_SVM_ATOMIC_SPLIT:
		/* The split invalidated the range: refault it. */
		return drm_svm_atomic_split(svm, start) ?: -EAGAIN;
	case DRM_SVM_ATOMIC_GRANT:
		return drm_svm_atomic_try_grant(svm, range, run, run_n, hold_ns) ?: 1;
	case DRM_SVM_ATOMIC_REFAULT:
		break;
	}
	return -EAGAIN;
}

/**
 * drm_svm_range_atomic_grant() - give the GPU atomic access to pages of a range
 * @svm: the context
 * @range: the range, from drm_svm_range_find_or_insert()
 * @start: start of the window (page aligned, inside @range)
 * @end: end of the window, exclusive (page aligned, inside @range, at most
 *	%DRM_SVM_ATOMIC_MAX_WINDOW pages after @start)
 * @ctx: the fault's timeout and &drm_svm_ctx.atomic_hold_us; NULL for the
 *	defaults. The access is always atomic, the fault address is the
 *	window.
 *
 * Gets the window's pages for write (drm_svm_range_get_pages()), splits a
 * THP the window is in, makes the window's system pages device-exclusive
 * and sets &drm_svm_addr.atomic on them (see DOC: Atomics). Device pages
 * of the driver are left alone: atomics on them need no grant. Over
 * &drm_svm_config.atomic_max_pages exclusive pages, older grants are
 * revoked. On success commit the page-table entries as after
 * drm_svm_range_get_pages(), under drm_svm_notifier_lock() after checking
 * drm_svm_range_pages_valid(); an entry whose &drm_svm_addr.atomic is
 * clear by then was revoked already, map it without atomic permission and
 * let the GPU fault again.
 *
 * Context: Process context. Call with the driver lock held, without the
 * mmap_lock and the notifier lock.
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
	struct drm_svm_retry retry;
	unsigned long attempt;
	u64 hold_ns;
	int err;

	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) || start >= end ||
	    start < drm_svm_range_start(range) || end > drm_svm_range_end(range) ||
	    (end - start) >> PAGE_SHIFT > DRM_SVM_ATOMIC_MAX_WINDOW)
		return -EINVAL;
	drm_svm_assert_driver_lock(svm);

	actx.access |= DRM_SVM_ACCESS_WRITE | DRM_SVM_ACCESS_ATOMIC;
	hold_ns = (u64)min(actx.atomic_hold_us ?: DRM_SVM_ATOMIC_HOLD_DEFAULT_US,
			   DRM_SVM_ATOMIC_HOLD_MAX_US) * NSEC_PER_USEC;
	drm_svm_retry_init(&retry, actx.timeout_ms ?: HMM_RANGE_DEFAULT_TIMEOUT);

	err = drm_svm_atomic_attach(svm);
	if (err)
		return err;
	/* The address space must not go away under GUP and the split. */
	if (!mmget_not_zero(svm->mm))
		return -EFAULT;
	for (;;) {
		attempt = jiffies;
		err = drm_svm_atomic_step(svm, range, &actx, start, end, hold_ns);
		if (err > 0) {
			/* Progress: go on with the next run, if there is time. */
			if (time_after(jiffies, retry.deadline)) {
				err = 0;
				break;
			}
			continue;
		}
		if (err != -EAGAIN)
			break;
		if (drm_svm_retry_expired(&retry, attempt)) {
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
 * Context: Call with drm_svm_notifier_lock() held.
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
