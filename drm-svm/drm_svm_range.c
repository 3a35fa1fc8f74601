// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include <drm/drm_svm.h>

#include "drm_svm_internal.h"
#include "drm_svm_trace.h"

/**
 * DOC: Ranges
 *
 * A range is the unit the GPU faults in: an aligned chunk of the address
 * space, one of &drm_svm.chunk_sizes big, inside one notifier window.
 * drm_svm_range_find_or_insert() picks the largest chunk size whose
 * aligned chunk around the fault address lies inside the CPU VMA, the
 * notifier window, the GPU VA window given by the driver and the
 * context's window, and overlaps no existing range; a hole between ranges
 * or a VMA edge thus falls back to smaller chunks, down to one page.
 *
 * Ranges are reference counted: the tree holds one reference, the
 * garbage collection list one while the range is queued, and
 * drm_svm_range_find_or_insert() and drm_svm_range_find() return one the
 * caller drops with drm_svm_range_put(). A removed range stays allocated,
 * without pages, until the last reference goes.
 */

/**
 * drm_svm_chunk_select() - pick the range size for a fault
 * @chunk_sizes: candidate sizes, descending powers of two
 * @num_chunks: number of candidates
 * @addr: the fault address
 * @lo: lowest address the range may start at
 * @hi: address the range must end at or before
 *
 * Return: the largest chunk size c such that the c-aligned chunk around
 * @addr lies inside [@lo, @hi), or 0 if none does (@addr outside the
 * bounds, or a hole smaller than the smallest chunk).
 */
VISIBLE_IF_KUNIT unsigned long
drm_svm_chunk_select(const unsigned long *chunk_sizes, unsigned int num_chunks,
		     unsigned long addr, unsigned long lo, unsigned long hi)
{
	unsigned int i;

	if (addr < lo || addr >= hi)
		return 0;

	for (i = 0; i < num_chunks; i++) {
		unsigned long size = chunk_sizes[i];
		unsigned long start = ALIGN_DOWN(addr, size);

		if (start >= lo && size <= hi - start)
			return size;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(drm_svm_chunk_select);

static struct drm_svm_range *drm_svm_range_lookup(struct drm_svm_notifier *notifier,
						  unsigned long addr)
{
	return drm_svm_range_from_node(interval_tree_iter_first(&notifier->ranges,
								addr, addr));
}

/*
 * Narrow [*lo, *hi) so that it overlaps no range of @notifier; @addr is
 * known not to be inside a range. Only the neighbourhood a largest chunk
 * could cover matters.
 */
static void drm_svm_range_gap(struct drm_svm *svm,
			      struct drm_svm_notifier *notifier,
			      unsigned long addr, unsigned long *lo,
			      unsigned long *hi)
{
	unsigned long span = svm->chunk_sizes[0];
	unsigned long first = max(ALIGN_DOWN(addr, span), *lo);
	unsigned long last = min(ALIGN(addr + 1, span), *hi) - 1;
	struct interval_tree_node *node;

	for (node = interval_tree_iter_first(&notifier->ranges, first, last);
	     node; node = interval_tree_iter_next(node, first, last)) {
		if (node->last < addr)
			*lo = max(*lo, node->last + 1);
		else
			*hi = min(*hi, node->start);
	}
}

static int drm_svm_check_vma(struct vm_area_struct *vma,
			     const struct drm_svm_ctx *ctx)
{
	unsigned int access = ctx ? ctx->access : 0;

	if (!vma)
		return -ENOENT;
	if (!(vma->vm_flags & VM_READ))
		return -EPERM;
	if ((access & (DRM_SVM_ACCESS_WRITE | DRM_SVM_ACCESS_ATOMIC)) &&
	    !(vma->vm_flags & VM_WRITE))
		return -EPERM;
	return 0;
}

/*
 * Chunk size for a new range at @addr, with the mmap_lock held; 0 and
 * *err set on failure.
 */
static unsigned long drm_svm_range_chunk(struct drm_svm *svm,
					 struct drm_svm_notifier *notifier,
					 unsigned long addr,
					 unsigned long gpuva_start,
					 unsigned long gpuva_end,
					 const struct drm_svm_ctx *ctx, int *err)
{
	struct vm_area_struct *vma;
	unsigned long lo, hi, size;

	mmap_assert_locked(svm->mm);

	vma = vma_lookup(svm->mm, addr);
	*err = drm_svm_check_vma(vma, ctx);
	if (*err)
		return 0;

	lo = max3(vma->vm_start, drm_svm_notifier_start(notifier),
		  max(PAGE_ALIGN(gpuva_start), svm->start));
	hi = min3(vma->vm_end, drm_svm_notifier_end(notifier),
		  min(ALIGN_DOWN(gpuva_end, PAGE_SIZE), svm->end));
	drm_svm_range_gap(svm, notifier, addr, &lo, &hi);

	size = drm_svm_chunk_select(svm->chunk_sizes, svm->num_chunks, addr,
				    lo, hi);
	if (!size)
		*err = -EINVAL;
	return size;
}

static struct drm_svm_range *drm_svm_range_alloc(struct drm_svm *svm,
						 unsigned long start,
						 unsigned long size)
{
	struct drm_svm_range *range;

	if (svm->ops->range_alloc)
		range = svm->ops->range_alloc(svm);
	else
		range = kzalloc(sizeof(*range), GFP_KERNEL_ACCOUNT);
	if (!range)
		return NULL;

	range->addrs = kvcalloc(size >> PAGE_SHIFT, sizeof(*range->addrs),
				GFP_KERNEL_ACCOUNT);
	if (!range->addrs) {
		if (svm->ops->range_free)
			svm->ops->range_free(range);
		else
			kfree(range);
		return NULL;
	}

	range->svm = svm;
	kref_init(&range->refcount);
	range->itree.start = start;
	range->itree.last = start + size - 1;
	INIT_LIST_HEAD(&range->gc_link);
	range->nr_mapped = 0;
	range->valid = 0;
	range->unmapped = 0;
	range->removed = 0;
	return range;
}

static void drm_svm_range_insert(struct drm_svm_notifier *notifier,
				 struct drm_svm_range *range)
{
	struct drm_svm *svm = notifier->svm;

	lockdep_assert_held(&svm->lock);

	kref_get(&notifier->refcount);
	range->notifier = notifier;

	down_write(&svm->notifier_lock);
	interval_tree_insert(&range->itree, &notifier->ranges);
	up_write(&svm->notifier_lock);

	drm_svm_stat_inc(svm, ranges_inserted);
	trace_drm_svm_range_create(range);
}

/*
 * A range at @addr the CPU unmapped is removed before the fault creates a
 * new one that fits what is mapped now (this may remove the notifier too).
 */
static void drm_svm_remove_unmapped(struct drm_svm *svm, unsigned long addr)
{
	struct drm_svm_notifier *notifier;
	struct drm_svm_range *range;

	notifier = drm_svm_notifier_find(svm, addr);
	if (!notifier)
		return;
	range = drm_svm_range_lookup(notifier, addr);
	if (range && range->unmapped)
		drm_svm_range_remove_locked(svm, range);
}

/**
 * drm_svm_kunit_insert_point() - where tests make a munmap race an insertion
 * @svm: the context
 * @addr: the fault address a new range is about to be inserted for
 *
 * Called between choosing the chunk of a new range and inserting it; does
 * nothing unless a KUnit test redirects it with kunit_activate_static_stub().
 */
VISIBLE_IF_KUNIT void drm_svm_kunit_insert_point(struct drm_svm *svm,
						 unsigned long addr)
{
	KUNIT_STATIC_STUB_REDIRECT(drm_svm_kunit_insert_point, svm, addr);
}
EXPORT_SYMBOL_IF_KUNIT(drm_svm_kunit_insert_point);

/*
 * Find the range at @addr in @notifier, or create one. The mmap_lock is
 * held until a new range is in the tree: a munmap between choosing the
 * chunk and inserting it would find no range to mark unmapped and leave
 * one over a hole, on which every later fault fails.
 */
static struct drm_svm_range *
drm_svm_notifier_range(struct drm_svm *svm, struct drm_svm_notifier *notifier,
		       unsigned long addr, unsigned long gpuva_start,
		       unsigned long gpuva_end, const struct drm_svm_ctx *ctx)
{
	struct drm_svm_range *range;
	unsigned long size;
	int err;

	mmap_read_lock(svm->mm);
	range = drm_svm_range_lookup(notifier, addr);
	if (range) {
		err = drm_svm_check_vma(vma_lookup(svm->mm, addr), ctx);
		goto out_unlock;
	}
	size = drm_svm_range_chunk(svm, notifier, addr, gpuva_start, gpuva_end,
				   ctx, &err);
	if (err)
		goto out_unlock;

	drm_svm_kunit_insert_point(svm, addr);
	range = drm_svm_range_alloc(svm, ALIGN_DOWN(addr, size), size);
	if (!range) {
		err = -ENOMEM;
		goto out_unlock;
	}
	drm_svm_range_insert(notifier, range);

out_unlock:
	mmap_read_unlock(svm->mm);
	return err ? ERR_PTR(err) : drm_svm_range_get(range);
}

/**
 * drm_svm_range_find_or_insert() - the range a GPU fault address falls in
 * @svm: the context
 * @fault_addr: the faulting address
 * @gpuva_start: start of the driver's GPU VA mapping around @fault_addr
 * @gpuva_end: end of that mapping, exclusive
 * @ctx: the fault's access; only &drm_svm_ctx.access is used here
 *
 * Returns the range holding @fault_addr, or creates one (see DOC: Ranges)
 * and the notifier of its window if needed. A range the CPU unmapped in
 * the meantime is replaced. Call with the driver lock held (if one is
 * registered) and without the mmap_lock.
 *
 * Return: a referenced range (drop it with drm_svm_range_put()), or an
 * ERR_PTR(): -EINVAL if @fault_addr is outside the context's window or
 * [@gpuva_start, @gpuva_end); -EFAULT if the address space is gone (the
 * process is exiting) or the context is being torn down; -ENOENT if no
 * VMA maps @fault_addr; -EPERM if the VMA is not readable, or not
 * writable for a write or atomic access; -ENOMEM.
 */
struct drm_svm_range *
drm_svm_range_find_or_insert(struct drm_svm *svm, unsigned long fault_addr,
			     unsigned long gpuva_start, unsigned long gpuva_end,
			     const struct drm_svm_ctx *ctx)
{
	struct drm_svm_notifier *notifier;
	struct drm_svm_range *range;
	struct mem_cgroup *memcg;

	drm_svm_assert_driver_lock(svm);

	if (fault_addr < svm->start || fault_addr >= svm->end ||
	    fault_addr < gpuva_start || fault_addr >= gpuva_end)
		return ERR_PTR(-EINVAL);
	if (!mmget_not_zero(svm->mm))
		return ERR_PTR(-EFAULT);

	memcg = drm_svm_memcg_enter(svm);
	mutex_lock(&svm->lock);
	if (svm->closed) {
		range = ERR_PTR(-EFAULT);
		goto out_unlock;
	}

	drm_svm_remove_unmapped(svm, fault_addr);
	notifier = drm_svm_notifier_find(svm, fault_addr);
	if (!notifier)
		notifier = drm_svm_notifier_create(svm, fault_addr);
	if (IS_ERR(notifier)) {
		range = ERR_CAST(notifier);
		goto out_unlock;
	}
	kref_get(&notifier->refcount);

	range = drm_svm_notifier_range(svm, notifier, fault_addr, gpuva_start,
				       gpuva_end, ctx);
	/* A new notifier that got no range goes away again. */
	if (!RB_EMPTY_NODE(&notifier->itree.rb) &&
	    RB_EMPTY_ROOT(&notifier->ranges.rb_root))
		drm_svm_notifier_unlink(notifier);
	drm_svm_notifier_put(notifier);

out_unlock:
	mutex_unlock(&svm->lock);
	drm_svm_memcg_exit(memcg);
	mmput(svm->mm);
	return range;
}
EXPORT_SYMBOL_GPL(drm_svm_range_find_or_insert);

static struct drm_svm_range *drm_svm_range_find_locked(struct drm_svm *svm,
						       unsigned long start,
						       unsigned long end)
{
	struct interval_tree_node *node;

	lockdep_assert_held(&svm->lock);

	for (node = interval_tree_iter_first(&svm->notifiers, start, end - 1);
	     node; node = interval_tree_iter_next(node, start, end - 1)) {
		struct drm_svm_notifier *notifier =
			container_of(node, struct drm_svm_notifier, itree);
		struct interval_tree_node *rnode;

		rnode = interval_tree_iter_first(&notifier->ranges, start,
						 end - 1);
		if (rnode)
			return drm_svm_range_from_node(rnode);
	}
	return NULL;
}

/**
 * drm_svm_range_find() - the first range overlapping an interval
 * @svm: the context
 * @start: start of the interval
 * @end: end of the interval, exclusive
 *
 * Must not be called with the notifier lock held.
 *
 * Return: the overlapping range with the lowest address, referenced
 * (drop it with drm_svm_range_put()), or NULL if there is none or the
 * interval is empty.
 */
struct drm_svm_range *drm_svm_range_find(struct drm_svm *svm,
					 unsigned long start,
					 unsigned long end)
{
	struct drm_svm_range *range;

	if (start >= end)
		return NULL;

	mutex_lock(&svm->lock);
	range = drm_svm_range_find_locked(svm, start, end);
	if (range)
		drm_svm_range_get(range);
	mutex_unlock(&svm->lock);
	return range;
}
EXPORT_SYMBOL_GPL(drm_svm_range_find);

/**
 * __drm_svm_range_next() - step drm_svm_for_each_range(), internal
 * @range: the current range; its reference is dropped
 * @end: end of the interval being iterated, exclusive
 *
 * Return: the next range overlapping [end of @range, @end), referenced,
 * or NULL.
 */
struct drm_svm_range *__drm_svm_range_next(struct drm_svm_range *range,
					   unsigned long end)
{
	struct drm_svm_range *next;

	next = drm_svm_range_find(range->svm, drm_svm_range_end(range), end);
	drm_svm_range_put(range);
	return next;
}
EXPORT_SYMBOL_GPL(__drm_svm_range_next);

/**
 * drm_svm_range_get() - take a reference to a range
 * @range: the range
 *
 * Return: @range.
 */
struct drm_svm_range *drm_svm_range_get(struct drm_svm_range *range)
{
	kref_get(&range->refcount);
	return range;
}
EXPORT_SYMBOL_GPL(drm_svm_range_get);

static void drm_svm_range_release(struct kref *kref)
{
	struct drm_svm_range *range =
		container_of(kref, struct drm_svm_range, refcount);
	struct drm_svm *svm = range->svm;

	/* Ranges lose their pages when they leave the tree. */
	kvfree(range->addrs);
	range->addrs = NULL;
	if (range->notifier)
		drm_svm_notifier_put(range->notifier);

	if (svm->ops->range_free)
		svm->ops->range_free(range);
	else
		kfree(range);
}

/**
 * drm_svm_range_put() - drop a reference to a range
 * @range: the range, may be NULL
 *
 * The last reference frees the range (&drm_svm_ops.range_free). Must not
 * be called with the notifier lock held.
 */
void drm_svm_range_put(struct drm_svm_range *range)
{
	if (range)
		kref_put(&range->refcount, drm_svm_range_release);
}
EXPORT_SYMBOL_GPL(drm_svm_range_put);

/*
 * drm_svm_range_remove_locked() - take a range out of the tree
 *
 * Invalidates and unmaps its pages, unlinks it, removes the notifier if it
 * became empty and drops the tree's reference.
 */
void drm_svm_range_remove_locked(struct drm_svm *svm,
				 struct drm_svm_range *range)
{
	struct drm_svm_notifier *notifier = range->notifier;
	bool empty;

	lockdep_assert_held(&svm->lock);

	if (range->removed)
		return;

	down_write(&svm->notifier_lock);
	drm_svm_invalidate_locked(svm, range, DRM_SVM_INVAL_REMOVE);
	interval_tree_remove(&range->itree, &notifier->ranges);
	range->valid = 0;
	WRITE_ONCE(range->removed, 1);
	empty = RB_EMPTY_ROOT(&notifier->ranges.rb_root);
	up_write(&svm->notifier_lock);

	if (empty && !RB_EMPTY_NODE(&notifier->itree.rb))
		drm_svm_notifier_unlink(notifier);

	drm_svm_stat_inc(svm, ranges_removed);
	trace_drm_svm_range_remove(range);
	drm_svm_range_put(range);
}

/**
 * drm_svm_range_remove() - remove a range
 * @svm: the context
 * @range: the range, referenced by the caller
 *
 * If the range still has pages, calls &drm_svm_ops.invalidate for it
 * (%DRM_SVM_INVAL_REMOVE) and unmaps them. Then takes it out of the tree
 * and drops the tree's reference; the caller's reference stays valid.
 * Removing a removed range does nothing. Call with the driver lock held
 * (if one is registered).
 */
void drm_svm_range_remove(struct drm_svm *svm, struct drm_svm_range *range)
{
	drm_svm_assert_driver_lock(svm);

	mutex_lock(&svm->lock);
	drm_svm_range_remove_locked(svm, range);
	mutex_unlock(&svm->lock);
}
EXPORT_SYMBOL_GPL(drm_svm_range_remove);
