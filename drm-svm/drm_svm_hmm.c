// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/hmm.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"

/**
 * DOC: Faulting
 *
 * drm_svm_hmm_fault() is the one hmm_range_fault() loop of the helpers:
 * it reads the notifier sequence, faults under the mmap_lock and starts
 * over while hmm_range_fault() reports an invalidation (-EBUSY), until a
 * timeout. With a plan, it first takes a snapshot of the range (faulting
 * nothing), lets the plan turn it into per-page requests
 * (&hmm_range.pfn_flags_mask), and faults with those, all under one hold
 * of the mmap_lock.
 */

/* The snapshot, the plan and the per-page fault, under the mmap_lock. */
static int drm_svm_hmm_fault_planned(struct hmm_range *hmm,
				     int (*plan)(void *arg, struct hmm_range *hmm),
				     void *arg)
{
	int err;

	hmm->default_flags = 0;
	hmm->pfn_flags_mask = 0;
	err = hmm_range_fault(hmm);
	if (err)
		return err;
	err = plan(arg, hmm);
	if (err)
		return err;
	hmm->pfn_flags_mask = HMM_PFN_REQ_FAULT | HMM_PFN_REQ_WRITE;
	return hmm_range_fault(hmm);
}

/*
 * drm_svm_hmm_fault() - hmm_range_fault() with the retry loop
 *
 * Reads the notifier sequence into @hmm and faults under the mmap_lock of
 * @svm's mm, again while hmm_range_fault() reports an invalidation
 * (-EBUSY), until jiffies @timeout. With @plan, the range is first read
 * without faulting; @plan then rewrites every entry of @hmm->hmm_pfns into
 * the request for that page (and may fault parts of the range itself),
 * and the range is faulted with those requests. Return: 0 or the errno of
 * hmm_range_fault() or @plan; -EBUSY once past @timeout.
 */
int drm_svm_hmm_fault(struct drm_svm *svm, struct hmm_range *hmm,
		      unsigned long timeout,
		      int (*plan)(void *arg, struct hmm_range *hmm), void *arg)
{
	int err;

	for (;;) {
		hmm->notifier_seq = mmu_interval_read_begin(hmm->notifier);
		mmap_read_lock(svm->mm);
		if (plan)
			err = drm_svm_hmm_fault_planned(hmm, plan, arg);
		else
			err = hmm_range_fault(hmm);
		mmap_read_unlock(svm->mm);
		if (err != -EBUSY)
			return err;
		if (time_after(jiffies, timeout))
			return -EBUSY;
		drm_svm_stat_inc(svm, retries);
	}
}
