// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#include <linux/export.h>
#include <linux/interval_tree.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <drm/drm_svm.h>
#include <drm/drm_svm_attr.h>

#include "drm_svm_internal.h"

/**
 * DOC: Attributes
 *
 * Memory policy (&struct drm_svm_attrs: preferred location, migration
 * policy, GPU access, granularity, atomic policy) is kept per virtual
 * address interval in an interval tree of its own, separate from the
 * ranges: ranges come and go with GPU faults, partial munmap and garbage
 * collection, while the policy a program set with an advise call stays
 * until it sets another one or drm_svm_attr_clear() drops it. Where
 * nothing was set, every attribute has its default (all zero).
 *
 * drm_svm_attr_set() changes the attributes in its mask over [start, end),
 * splitting the intervals it cuts and merging neighbours that end up
 * equal, so the tree stays as small as the policy. A change is applied
 * whole or not at all: the nodes it may need are allocated first (charged
 * to the process, GFP_KERNEL_ACCOUNT), then the tree is changed under its
 * spinlock without dropping it. A context holds at most
 * &drm_svm_config.attr_max_intervals intervals; a change that could need
 * more fails with -ENOSPC, so a program cannot grow kernel memory without
 * bound by setting attributes on every other page.
 *
 * Lookups take the spinlock and never sleep, so the fault path and the
 * invalidation path may use them; they cost O(log n) in the number of
 * intervals, the gap around an address without attributes included.
 */

struct drm_svm_attr_node {
	struct interval_tree_node itree;
	struct list_head link;
	struct drm_svm_attrs attrs;
};

/* One drm_svm_attr_set() call: what to change and the nodes it may use. */
struct drm_svm_attr_update {
	unsigned long start;
	unsigned long last;
	u32 mask;
	const struct drm_svm_attrs *attrs;
	/* The update leaves a gap default: no node to fill it with. */
	bool gap_default;
	/* Preallocated nodes, and nodes to free once unlocked. */
	struct list_head spare;
	unsigned int nspare;
	struct list_head to_free;
};

static struct drm_svm_attr_node *to_attr_node(struct interval_tree_node *node)
{
	return node ? container_of(node, struct drm_svm_attr_node, itree) : NULL;
}

void drm_svm_attr_init(struct drm_svm *svm, unsigned int max_intervals)
{
	spin_lock_init(&svm->attr_lock);
	svm->attr_root = RB_ROOT_CACHED;
	svm->attr_count = 0;
	svm->attr_max = max_intervals ?: DRM_SVM_ATTR_MAX_INTERVALS_DEFAULT;
}

void drm_svm_attr_fini(struct drm_svm *svm)
{
	drm_svm_attr_clear(svm, 0, ULONG_MAX);
}

/**
 * drm_svm_attr_check() - validate attribute values
 * @mask: BIT(&enum drm_svm_attr_id) of the attributes to check
 * @attrs: the values
 *
 * Return: 0, or -EINVAL if a value in @mask is unknown.
 */
int drm_svm_attr_check(u32 mask, const struct drm_svm_attrs *attrs)
{
	u32 loc = attrs->preferred_loc;
	u32 shift = attrs->granularity_shift;

	if (mask & ~DRM_SVM_ATTR_MASK_ALL)
		return -EINVAL;
	if ((mask & BIT(DRM_SVM_ATTR_PREFERRED_LOC)) &&
	    loc > DRM_SVM_LOC_DEVICE && !drm_svm_loc_is_device_n(loc))
		return -EINVAL;
	if ((mask & BIT(DRM_SVM_ATTR_MIGRATE)) &&
	    attrs->migrate > DRM_SVM_MIGRATE_NEVER)
		return -EINVAL;
	if ((mask & BIT(DRM_SVM_ATTR_ACCESS)) &&
	    attrs->access > DRM_SVM_ATTR_ACCESS_NONE)
		return -EINVAL;
	if ((mask & BIT(DRM_SVM_ATTR_GRANULARITY)) && shift &&
	    (shift < PAGE_SHIFT || shift > DRM_SVM_ATTR_GRANULARITY_MAX_SHIFT))
		return -EINVAL;
	if ((mask & BIT(DRM_SVM_ATTR_ATOMIC)) &&
	    attrs->atomic > DRM_SVM_ATOMIC_REFUSE)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_GPL(drm_svm_attr_check);

static void drm_svm_attr_apply(struct drm_svm_attrs *dst, u32 mask,
			       const struct drm_svm_attrs *src)
{
	if (mask & BIT(DRM_SVM_ATTR_PREFERRED_LOC))
		dst->preferred_loc = src->preferred_loc;
	if (mask & BIT(DRM_SVM_ATTR_MIGRATE))
		dst->migrate = src->migrate;
	if (mask & BIT(DRM_SVM_ATTR_ACCESS))
		dst->access = src->access;
	if (mask & BIT(DRM_SVM_ATTR_GRANULARITY))
		dst->granularity_shift = src->granularity_shift;
	if (mask & BIT(DRM_SVM_ATTR_ATOMIC))
		dst->atomic = src->atomic;
}

static bool drm_svm_attr_is_default(const struct drm_svm_attrs *a)
{
	return !memchr_inv(a, 0, sizeof(*a));
}

static void drm_svm_attr_insert(struct drm_svm *svm,
				struct drm_svm_attr_node *node)
{
	interval_tree_insert(&node->itree, &svm->attr_root);
	svm->attr_count++;
}

/* Take @node out of the tree and queue it on @to_free. */
static void drm_svm_attr_remove(struct drm_svm *svm,
				struct drm_svm_attr_node *node,
				struct list_head *to_free)
{
	interval_tree_remove(&node->itree, &svm->attr_root);
	svm->attr_count--;
	list_add(&node->link, to_free);
}

static struct drm_svm_attr_node *drm_svm_attr_at(struct drm_svm *svm,
						 unsigned long addr)
{
	return to_attr_node(interval_tree_iter_first(&svm->attr_root, addr, addr));
}

/* Whether a node must be split for an interval to start at @addr. */
static bool drm_svm_attr_cuts(struct drm_svm *svm, unsigned long addr)
{
	struct drm_svm_attr_node *node = addr ? drm_svm_attr_at(svm, addr) : NULL;

	return node && node->itree.start != addr;
}

/* Nodes @u may have to add: splits at both ends, and nodes for the gaps. */
static unsigned int drm_svm_attr_needed(struct drm_svm *svm,
					const struct drm_svm_attr_update *u)
{
	struct interval_tree_node *node;
	unsigned long addr = u->start;
	unsigned int n = 0;

	lockdep_assert_held(&svm->attr_lock);

	n += drm_svm_attr_cuts(svm, u->start);
	if (u->last != ULONG_MAX)
		n += drm_svm_attr_cuts(svm, u->last + 1);
	if (u->gap_default)
		return n;
	for (node = interval_tree_iter_first(&svm->attr_root, u->start, u->last);
	     node; node = interval_tree_iter_next(node, u->start, u->last)) {
		n += node->start > addr;
		addr = node->last + 1;
	}
	return n + (addr && addr <= u->last);
}

/* Preallocate spare nodes until @u has @need of them. */
static int drm_svm_attr_alloc(struct drm_svm_attr_update *u, unsigned int need)
{
	struct drm_svm_attr_node *node;

	while (u->nspare < need) {
		node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);
		if (!node)
			return -ENOMEM;
		list_add(&node->link, &u->spare);
		u->nspare++;
	}
	return 0;
}

/*
 * Make sure @u has the spare nodes it needs, allocating them with the
 * tree unlocked; the count is taken again after relocking. Return: 0,
 * -ENOSPC (over the cap) or -ENOMEM.
 */
static int drm_svm_attr_reserve(struct drm_svm *svm,
				struct drm_svm_attr_update *u)
	__must_hold(&svm->attr_lock)
{
	unsigned int need;
	int err;

	for (;;) {
		need = drm_svm_attr_needed(svm, u);
		if (need && svm->attr_count + need > svm->attr_max)
			return -ENOSPC;
		if (u->nspare >= need)
			return 0;
		spin_unlock(&svm->attr_lock);
		err = drm_svm_attr_alloc(u, need);
		spin_lock(&svm->attr_lock);
		if (err)
			return err;
	}
}

static struct drm_svm_attr_node *drm_svm_attr_spare(struct drm_svm_attr_update *u)
{
	struct drm_svm_attr_node *node;

	node = list_first_entry(&u->spare, struct drm_svm_attr_node, link);
	list_del(&node->link);
	u->nspare--;
	return node;
}

/* Split the node holding @addr, if any, so that a node starts at @addr. */
static void drm_svm_attr_split(struct drm_svm *svm, unsigned long addr,
			       struct drm_svm_attr_update *u)
{
	struct drm_svm_attr_node *node, *tail;

	if (!drm_svm_attr_cuts(svm, addr))
		return;
	node = drm_svm_attr_at(svm, addr);
	tail = drm_svm_attr_spare(u);

	interval_tree_remove(&node->itree, &svm->attr_root);
	tail->attrs = node->attrs;
	tail->itree.start = addr;
	tail->itree.last = node->itree.last;
	node->itree.last = addr - 1;
	interval_tree_insert(&node->itree, &svm->attr_root);
	drm_svm_attr_insert(svm, tail);
}

/*
 * Apply @u to the nodes inside [start, last] (the ends are split already)
 * and fill the gaps between them with spare nodes, unless they stay default.
 */
static void drm_svm_attr_fill(struct drm_svm *svm, struct drm_svm_attr_update *u)
{
	struct interval_tree_node *next;
	struct drm_svm_attr_node *node;
	unsigned long addr = u->start;

	do {
		next = interval_tree_iter_first(&svm->attr_root, addr, u->last);
		if (next && next->start <= addr) {
			node = to_attr_node(next);
		} else if (u->gap_default) {
			if (!next)
				break;
			node = to_attr_node(next);
		} else {
			node = drm_svm_attr_spare(u);
			node->itree.start = addr;
			node->itree.last = next ? next->start - 1 : u->last;
			drm_svm_attr_insert(svm, node);
		}
		drm_svm_attr_apply(&node->attrs, u->mask, u->attrs);
		addr = node->itree.last + 1;
	} while (addr && addr <= u->last);
}

/* Merge @node with its right neighbour if they are adjacent and equal. */
static bool drm_svm_attr_merge_next(struct drm_svm *svm,
				    struct drm_svm_attr_node *node,
				    struct list_head *to_free)
{
	struct drm_svm_attr_node *next;

	if (node->itree.last == ULONG_MAX)
		return false;
	next = drm_svm_attr_at(svm, node->itree.last + 1);
	if (!next || memcmp(&next->attrs, &node->attrs, sizeof(next->attrs)))
		return false;
	interval_tree_remove(&node->itree, &svm->attr_root);
	node->itree.last = next->itree.last;
	drm_svm_attr_remove(svm, next, to_free);
	interval_tree_insert(&node->itree, &svm->attr_root);
	return true;
}

/*
 * Drop the nodes of [start - 1, last + 1] that became default, and merge
 * equal neighbours, so the tree stays as small as the policy.
 */
static void drm_svm_attr_tidy(struct drm_svm *svm, struct drm_svm_attr_update *u)
{
	unsigned long lo = u->start ? u->start - 1 : 0;
	unsigned long hi = u->last == ULONG_MAX ? u->last : u->last + 1;
	struct interval_tree_node *node, *next;

	for (node = interval_tree_iter_first(&svm->attr_root, lo, hi); node;
	     node = next) {
		next = interval_tree_iter_next(node, lo, hi);
		if (drm_svm_attr_is_default(&to_attr_node(node)->attrs))
			drm_svm_attr_remove(svm, to_attr_node(node), &u->to_free);
	}

	node = interval_tree_iter_first(&svm->attr_root, lo, hi);
	while (node) {
		while (drm_svm_attr_merge_next(svm, to_attr_node(node), &u->to_free))
			;
		if (node->last >= hi)
			break;
		node = interval_tree_iter_first(&svm->attr_root, node->last + 1, hi);
	}
}

static void drm_svm_attr_free_list(struct list_head *list)
{
	struct drm_svm_attr_node *node, *next;

	list_for_each_entry_safe(node, next, list, link)
		kfree(node);
}

/**
 * drm_svm_attr_set() - set attributes over a virtual address interval
 * @svm: the context
 * @start: start of the interval (page aligned)
 * @end: end of the interval, exclusive (page aligned, above @start)
 * @mask: BIT(&enum drm_svm_attr_id) of the attributes to change; the
 *	others keep their value
 * @attrs: the new values of the attributes in @mask
 *
 * The attributes do not depend on what is mapped: they may be set before
 * the memory is mapped and survive munmap, until set again or cleared
 * with drm_svm_attr_clear(). Does not migrate or invalidate anything. The
 * change is made whole or not at all.
 *
 * Context: Process context; may sleep (allocates). Takes the attribute
 * spinlock.
 *
 * Return: 0; -EINVAL for an empty, unaligned or wrapping interval or an
 * unknown value (drm_svm_attr_check()); -ENOSPC if the change could leave
 * the context with more than &drm_svm_config.attr_max_intervals intervals
 * of attributes; -ENOMEM.
 */
int drm_svm_attr_set(struct drm_svm *svm, unsigned long start,
		     unsigned long end, u32 mask,
		     const struct drm_svm_attrs *attrs)
{
	struct drm_svm_attr_update u = {
		.start = start,
		.last = end - 1,
		.mask = mask,
		.attrs = attrs,
		.spare = LIST_HEAD_INIT(u.spare),
		.to_free = LIST_HEAD_INIT(u.to_free),
	};
	struct drm_svm_attrs gap = {};
	struct mem_cgroup *memcg;
	int err;

	if (start >= end || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(end))
		return -EINVAL;
	err = drm_svm_attr_check(mask, attrs);
	if (err)
		return err;
	drm_svm_attr_apply(&gap, mask, attrs);
	u.gap_default = drm_svm_attr_is_default(&gap);

	memcg = drm_svm_memcg_enter(svm);
	spin_lock(&svm->attr_lock);
	err = drm_svm_attr_reserve(svm, &u);
	if (!err) {
		drm_svm_attr_split(svm, u.start, &u);
		if (u.last != ULONG_MAX)
			drm_svm_attr_split(svm, u.last + 1, &u);
		drm_svm_attr_fill(svm, &u);
		drm_svm_attr_tidy(svm, &u);
	}
	spin_unlock(&svm->attr_lock);
	drm_svm_memcg_exit(memcg);

	drm_svm_attr_free_list(&u.to_free);
	drm_svm_attr_free_list(&u.spare);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_attr_set);

/*
 * The interval around @addr, which no node covers: from the end of the node
 * before to the start of the node after. The tree is ordered by start and
 * its intervals are disjoint, so the node before is the in-order predecessor
 * of the node after: O(log n).
 */
static void drm_svm_attr_gap(struct drm_svm *svm, unsigned long addr,
			     unsigned long *s, unsigned long *e)
{
	struct interval_tree_node *next = NULL;
	struct rb_node *prev;

	if (addr != ULONG_MAX)
		next = interval_tree_iter_first(&svm->attr_root, addr + 1,
						ULONG_MAX);
	prev = next ? rb_prev(&next->rb) : rb_last(&svm->attr_root.rb_root);
	*s = prev ? rb_entry(prev, struct interval_tree_node, rb)->last + 1 : 0;
	*e = next ? next->start : 0;
}

/**
 * drm_svm_attr_lookup() - attributes at an address, and where they hold
 * @svm: the context
 * @addr: the address
 * @attrs: out, the attributes at @addr (defaults where nothing was set)
 * @start: out, optional: first address of the interval around @addr with
 *	the same attributes
 * @end: out, optional: end of that interval, exclusive (0 for the top of
 *	the address space)
 *
 * Context: Any context; takes the attribute spinlock, O(log n).
 */
void drm_svm_attr_lookup(struct drm_svm *svm, unsigned long addr,
			 struct drm_svm_attrs *attrs, unsigned long *start,
			 unsigned long *end)
{
	struct drm_svm_attr_node *node;
	unsigned long s, e;

	spin_lock(&svm->attr_lock);
	node = drm_svm_attr_at(svm, addr);
	if (node) {
		*attrs = node->attrs;
		s = node->itree.start;
		e = node->itree.last + 1;
	} else {
		memset(attrs, 0, sizeof(*attrs));
		drm_svm_attr_gap(svm, addr, &s, &e);
	}
	spin_unlock(&svm->attr_lock);
	if (start)
		*start = s;
	if (end)
		*end = e;
}
EXPORT_SYMBOL_GPL(drm_svm_attr_lookup);

/**
 * drm_svm_attr_get() - attributes at an address
 * @svm: the context
 * @addr: the address
 * @attrs: out, the attributes (defaults where nothing was set)
 *
 * Context: Any context; takes the attribute spinlock, O(log n).
 */
void drm_svm_attr_get(struct drm_svm *svm, unsigned long addr,
		      struct drm_svm_attrs *attrs)
{
	struct drm_svm_attr_node *node;

	spin_lock(&svm->attr_lock);
	node = drm_svm_attr_at(svm, addr);
	if (node)
		*attrs = node->attrs;
	else
		memset(attrs, 0, sizeof(*attrs));
	spin_unlock(&svm->attr_lock);
}
EXPORT_SYMBOL_GPL(drm_svm_attr_get);

/**
 * drm_svm_attr_clear() - reset attributes to their defaults
 * @svm: the context
 * @start: start of the interval (page aligned)
 * @end: end of the interval, exclusive (page aligned); ULONG_MAX with
 *	@start 0 clears all
 *
 * Intervals cut by [@start, @end) keep their attributes outside it.
 *
 * Context: Process context; may sleep.
 *
 * Return: 0; clearing everything never fails. Otherwise what
 * drm_svm_attr_set() returns: clearing the middle of an interval splits
 * it, which may need a node (-ENOMEM) or be over the cap (-ENOSPC).
 */
int drm_svm_attr_clear(struct drm_svm *svm, unsigned long start,
		       unsigned long end)
{
	struct drm_svm_attrs none = {};
	struct interval_tree_node *node;
	LIST_HEAD(to_free);

	if (start || end != ULONG_MAX)
		return drm_svm_attr_set(svm, start, end, DRM_SVM_ATTR_MASK_ALL,
					&none);

	spin_lock(&svm->attr_lock);
	while ((node = interval_tree_iter_first(&svm->attr_root, 0, ULONG_MAX)))
		drm_svm_attr_remove(svm, to_attr_node(node), &to_free);
	spin_unlock(&svm->attr_lock);
	drm_svm_attr_free_list(&to_free);
	return 0;
}
EXPORT_SYMBOL_GPL(drm_svm_attr_clear);
