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
 * equal, so the tree stays as small as the policy. Lookups take a
 * spinlock and never sleep, so the fault path and the invalidation path
 * may use them.
 */

struct drm_svm_attr_node {
	struct interval_tree_node itree;
	struct list_head free_link;
	struct drm_svm_attrs attrs;
};

static struct drm_svm_attr_node *to_attr_node(struct interval_tree_node *node)
{
	return node ? container_of(node, struct drm_svm_attr_node, itree) : NULL;
}

void drm_svm_attr_init(struct drm_svm *svm)
{
	spin_lock_init(&svm->attr_lock);
	svm->attr_root = RB_ROOT_CACHED;
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
	if ((mask & BIT(DRM_SVM_ATTR_GRANULARITY)) && attrs->granularity_shift &&
	    (attrs->granularity_shift < PAGE_SHIFT || attrs->granularity_shift > 30))
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

/*
 * Split the node holding @addr (if any) so that a node starts at @addr.
 * @spare is used for the new half; returns true if it was consumed.
 */
static bool drm_svm_attr_split(struct drm_svm *svm, unsigned long addr,
			       struct drm_svm_attr_node *spare)
{
	struct drm_svm_attr_node *node;

	if (!addr)
		return false;
	node = to_attr_node(interval_tree_iter_first(&svm->attr_root, addr, addr));
	if (!node || node->itree.start == addr)
		return false;

	interval_tree_remove(&node->itree, &svm->attr_root);
	spare->attrs = node->attrs;
	spare->itree.start = addr;
	spare->itree.last = node->itree.last;
	node->itree.last = addr - 1;
	interval_tree_insert(&node->itree, &svm->attr_root);
	interval_tree_insert(&spare->itree, &svm->attr_root);
	return true;
}

/* Merge @node with equal neighbours; frees what it merges away. */
static void drm_svm_attr_merge(struct drm_svm *svm,
			       struct drm_svm_attr_node *node,
			       struct list_head *to_free)
{
	struct drm_svm_attr_node *n;

	if (node->itree.start) {
		n = to_attr_node(interval_tree_iter_first(&svm->attr_root,
							  node->itree.start - 1,
							  node->itree.start - 1));
		if (n && !memcmp(&n->attrs, &node->attrs, sizeof(n->attrs))) {
			interval_tree_remove(&n->itree, &svm->attr_root);
			interval_tree_remove(&node->itree, &svm->attr_root);
			node->itree.start = n->itree.start;
			interval_tree_insert(&node->itree, &svm->attr_root);
			list_add(&n->free_link, to_free);
		}
	}
	if (node->itree.last != ULONG_MAX) {
		n = to_attr_node(interval_tree_iter_first(&svm->attr_root,
							  node->itree.last + 1,
							  node->itree.last + 1));
		if (n && !memcmp(&n->attrs, &node->attrs, sizeof(n->attrs))) {
			interval_tree_remove(&n->itree, &svm->attr_root);
			interval_tree_remove(&node->itree, &svm->attr_root);
			node->itree.last = n->itree.last;
			interval_tree_insert(&node->itree, &svm->attr_root);
			list_add(&n->free_link, to_free);
		}
	}
}

static void drm_svm_attr_free_list(struct list_head *to_free)
{
	struct drm_svm_attr_node *node, *next;

	list_for_each_entry_safe(node, next, to_free, free_link)
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
 * with drm_svm_attr_clear(). Does not migrate or invalidate anything.
 *
 * Return: 0; -EINVAL for an empty, unaligned or wrapping interval or an
 * unknown value (drm_svm_attr_check()); -ENOMEM.
 */
int drm_svm_attr_set(struct drm_svm *svm, unsigned long start,
		     unsigned long end, u32 mask,
		     const struct drm_svm_attrs *attrs)
{
	struct drm_svm_attr_node *spare[2], *node;
	unsigned long addr = start, last = end - 1;
	LIST_HEAD(to_free);
	unsigned int used = 0;
	int err, i;

	if (start >= end || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(end))
		return -EINVAL;
	err = drm_svm_attr_check(mask, attrs);
	if (err)
		return err;

	/* Two splits, plus one new node per gap, allocated as we go. */
	for (i = 0; i < 2; i++) {
		spare[i] = kzalloc(sizeof(*spare[i]), GFP_KERNEL);
		if (!spare[i]) {
			kfree(spare[0]);
			return -ENOMEM;
		}
	}

	spin_lock(&svm->attr_lock);
	used += drm_svm_attr_split(svm, start, spare[used]);
	used += drm_svm_attr_split(svm, end, spare[used]);

	while (addr <= last) {
		node = to_attr_node(interval_tree_iter_first(&svm->attr_root,
							     addr, last));
		if (node && node->itree.start <= addr) {
			drm_svm_attr_apply(&node->attrs, mask, attrs);
			addr = node->itree.last + 1;
			if (!addr)
				break;
			continue;
		}
		/* A gap [addr, next node or last]. */
		spin_unlock(&svm->attr_lock);
		node = kzalloc(sizeof(*node), GFP_KERNEL);
		spin_lock(&svm->attr_lock);
		if (!node) {
			err = -ENOMEM;
			break;
		}
		/* The tree may have changed while unlocked: look again. */
		if (interval_tree_iter_first(&svm->attr_root, addr, addr)) {
			kfree(node);
			continue;
		}
		{
			struct interval_tree_node *next;

			next = interval_tree_iter_first(&svm->attr_root, addr, last);
			node->itree.start = addr;
			node->itree.last = next ? next->start - 1 : last;
		}
		drm_svm_attr_apply(&node->attrs, mask, attrs);
		interval_tree_insert(&node->itree, &svm->attr_root);
		addr = node->itree.last + 1;
		if (!addr)
			break;
	}

	/* Drop default intervals and merge equal neighbours. */
	node = to_attr_node(interval_tree_iter_first(&svm->attr_root,
						     start ? start - 1 : 0, end));
	while (node) {
		struct drm_svm_attr_node *next =
			to_attr_node(interval_tree_iter_next(&node->itree,
							     start ? start - 1 : 0,
							     end));

		if (drm_svm_attr_is_default(&node->attrs)) {
			interval_tree_remove(&node->itree, &svm->attr_root);
			list_add(&node->free_link, &to_free);
		}
		node = next;
	}
	node = to_attr_node(interval_tree_iter_first(&svm->attr_root, start, last));
	while (node) {
		unsigned long next_addr = node->itree.last + 1;

		drm_svm_attr_merge(svm, node, &to_free);
		if (!next_addr || next_addr > last)
			break;
		node = to_attr_node(interval_tree_iter_first(&svm->attr_root,
							     next_addr, last));
	}
	spin_unlock(&svm->attr_lock);

	drm_svm_attr_free_list(&to_free);
	for (i = used; i < 2; i++)
		kfree(spare[i]);
	return err;
}
EXPORT_SYMBOL_GPL(drm_svm_attr_set);

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
 * Never sleeps.
 */
void drm_svm_attr_lookup(struct drm_svm *svm, unsigned long addr,
			 struct drm_svm_attrs *attrs, unsigned long *start,
			 unsigned long *end)
{
	struct interval_tree_node *node, *prev, *next;
	unsigned long s = 0, e = 0;

	spin_lock(&svm->attr_lock);
	node = interval_tree_iter_first(&svm->attr_root, addr, addr);
	if (node) {
		*attrs = to_attr_node(node)->attrs;
		s = node->start;
		e = node->last + 1;
	} else {
		memset(attrs, 0, sizeof(*attrs));
		/* The gap between the neighbours. */
		prev = addr ? interval_tree_iter_first(&svm->attr_root, 0, addr - 1) : NULL;
		while (prev) {
			s = prev->last + 1;
			prev = interval_tree_iter_next(prev, 0, addr - 1);
		}
		next = addr != ULONG_MAX ?
		       interval_tree_iter_first(&svm->attr_root, addr + 1, ULONG_MAX) : NULL;
		e = next ? next->start : 0;
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
 * Never sleeps.
 */
void drm_svm_attr_get(struct drm_svm *svm, unsigned long addr,
		      struct drm_svm_attrs *attrs)
{
	struct interval_tree_node *node;

	spin_lock(&svm->attr_lock);
	node = interval_tree_iter_first(&svm->attr_root, addr, addr);
	if (node)
		*attrs = to_attr_node(node)->attrs;
	else
		memset(attrs, 0, sizeof(*attrs));
	spin_unlock(&svm->attr_lock);
}
EXPORT_SYMBOL_GPL(drm_svm_attr_get);

/**
 * drm_svm_attr_clear() - reset attributes to their defaults
 * @svm: the context
 * @start: start of the interval
 * @end: end of the interval, exclusive; ULONG_MAX with @start 0 clears all
 *
 * Intervals cut by [@start, @end) keep their attributes outside it.
 */
void drm_svm_attr_clear(struct drm_svm *svm, unsigned long start,
			unsigned long end)
{
	struct drm_svm_attrs none = {};

	if (!start && end == ULONG_MAX) {
		struct interval_tree_node *node;
		LIST_HEAD(to_free);

		spin_lock(&svm->attr_lock);
		while ((node = interval_tree_iter_first(&svm->attr_root, 0, ULONG_MAX))) {
			interval_tree_remove(node, &svm->attr_root);
			list_add(&to_attr_node(node)->free_link, &to_free);
		}
		spin_unlock(&svm->attr_lock);
		drm_svm_attr_free_list(&to_free);
		return;
	}
	drm_svm_attr_set(svm, start, end, DRM_SVM_ATTR_MASK_ALL, &none);
}
EXPORT_SYMBOL_GPL(drm_svm_attr_clear);
