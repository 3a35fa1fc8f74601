/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __DRM_SVM_INTERNAL_H__
#define __DRM_SVM_INTERNAL_H__

#include <linux/hmm.h>
#include <linux/interval_tree.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/lockdep.h>
#include <linux/memcontrol.h>
#include <linux/memremap.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>

#include <drm/drm_svm.h>

/*
 * struct drm_svm_notifier - an MMU interval notifier over one
 * notifier_size-aligned window of the address space
 * @svm: the context
 * @notifier: the core MM interval notifier
 * @itree: node in drm_svm.notifiers, [start, last]
 * @ranges: the ranges inside the window; changed under drm_svm.lock and
 *	the notifier lock for write, read under either
 * @refcount: one for being in drm_svm.notifiers, one per range
 *
 * @itree.rb is cleared (RB_EMPTY_NODE()) once the notifier is unlinked.
 */
struct drm_svm_notifier {
	struct drm_svm *svm;
	struct mmu_interval_notifier notifier;
	struct interval_tree_node itree;
	struct rb_root_cached ranges;
	struct kref refcount;
};

static inline unsigned long drm_svm_notifier_start(const struct drm_svm_notifier *n)
{
	return n->itree.start;
}

static inline unsigned long drm_svm_notifier_end(const struct drm_svm_notifier *n)
{
	return n->itree.last + 1;
}

static inline struct drm_svm_range *
drm_svm_range_from_node(struct interval_tree_node *node)
{
	return node ? container_of(node, struct drm_svm_range, itree) : NULL;
}

/* The ranges of @notifier overlapping [start, end), in address order. */
static inline struct drm_svm_range *
drm_svm_range_first_in(struct drm_svm_notifier *notifier, unsigned long start,
		       unsigned long end)
{
	return drm_svm_range_from_node(interval_tree_iter_first(&notifier->ranges,
								start, end - 1));
}

static inline struct drm_svm_range *
drm_svm_range_next_in(struct drm_svm_range *range, unsigned long start,
		      unsigned long end)
{
	return drm_svm_range_from_node(interval_tree_iter_next(&range->itree,
							       start, end - 1));
}

/*
 * enum drm_svm_event - what an MMU notifier event is to a context
 * @DRM_SVM_EVENT_ZAP: an ordinary invalidation: zap what is mapped
 * @DRM_SVM_EVENT_OWN: caused by the context itself: bump the notifier
 *	sequence, zap nothing
 * @DRM_SVM_EVENT_HOOK: for &drm_svm_hooks.handle
 */
enum drm_svm_event {
	DRM_SVM_EVENT_ZAP,
	DRM_SVM_EVENT_OWN,
	DRM_SVM_EVENT_HOOK,
};

/*
 * struct drm_svm_hooks - how an optional part of the helpers takes part in
 * the notifier events and the teardown of a context
 *
 * The device-exclusive atomics (drm_svm_atomic.c) install theirs in
 * &drm_svm.hooks on the first grant of a context; the core calls them
 * without knowing what they are.
 *
 * @classify: what @mmu_range is to the part; %DRM_SVM_EVENT_ZAP when it is
 *	none of its business. Called without locks, may be called from
 *	reclaim.
 * @handle: an event @classify called %DRM_SVM_EVENT_HOOK, clipped to
 *	@notifier as [@start, @end); takes the notifier lock itself and
 *	calls mmu_interval_set_seq() like any notifier callback. Return:
 *	what the notifier callback returns.
 * @unmapped: the CPU unmapped [@start, @end); notifier lock held for write.
 * @prefault: the core is about to fault [@start, @end) with
 *	hmm_range_fault(); no lock held, the mm referenced.
 * @fini: drm_svm_fini() removed every range; no lock held. Undoes what
 *	the part did to the address space and frees its state.
 */
struct drm_svm_hooks {
	enum drm_svm_event (*classify)(const struct drm_svm *svm,
				       const struct mmu_notifier_range *mmu_range);
	bool (*handle)(struct drm_svm_notifier *notifier,
		       const struct mmu_notifier_range *mmu_range,
		       unsigned long cur_seq, unsigned long start,
		       unsigned long end);
	void (*unmapped)(struct drm_svm *svm, unsigned long start,
			 unsigned long end);
	void (*prefault)(struct drm_svm *svm, unsigned long start,
			 unsigned long end);
	void (*fini)(struct drm_svm *svm);
};

/* Assert the lock registered with drm_svm_driver_set_lock(), if any. */
static inline void drm_svm_assert_driver_lock(const struct drm_svm *svm)
{
#ifdef CONFIG_LOCKDEP
	if (svm->lock_dep_map)
		lockdep_assert(lock_is_held_type(svm->lock_dep_map, -1));
#endif
}

/*
 * What the helpers allocate for a context belongs to its process: they
 * allocate with GFP_KERNEL_ACCOUNT between these two, which charge the
 * memory cgroup of the context's mm even from a driver's worker thread.
 */
static inline struct mem_cgroup *drm_svm_memcg_enter(struct drm_svm *svm)
{
	return set_active_memcg(get_mem_cgroup_from_mm(svm->mm));
}

static inline void drm_svm_memcg_exit(struct mem_cgroup *old)
{
	mem_cgroup_put(set_active_memcg(old));
}

/*
 * struct drm_svm_retry - how long a fault keeps retrying while the pages
 * keep changing under it: @span jiffies without progress, until @deadline.
 */
struct drm_svm_retry {
	unsigned long deadline;
	unsigned long span;
};

static inline void drm_svm_retry_init(struct drm_svm_retry *retry,
				      unsigned int ms)
{
	retry->span = msecs_to_jiffies(ms);
	retry->deadline = jiffies + retry->span;
}

/*
 * Whether to give up after an attempt begun at @attempt_start failed. An
 * attempt that itself outlasted the span was busy faulting pages in (each
 * fault invalidates the range, hence the failure): that is progress, and
 * the next attempt gets a fresh span.
 */
static inline bool drm_svm_retry_expired(struct drm_svm_retry *retry,
					 unsigned long attempt_start)
{
	if (time_after_eq(jiffies, attempt_start + retry->span)) {
		retry->deadline = jiffies + retry->span;
		return false;
	}
	return time_after(jiffies, retry->deadline);
}

#define drm_svm_stat_inc(svm, name) atomic64_inc(&(svm)->counters.name)
#define drm_svm_stat_add(svm, name, n) atomic64_add((n), &(svm)->counters.name)

/* drm_svm_notifier.c */
struct drm_svm_notifier *drm_svm_notifier_find(struct drm_svm *svm,
					       unsigned long addr);
struct drm_svm_notifier *drm_svm_notifier_create(struct drm_svm *svm,
						 unsigned long addr);
void drm_svm_notifier_unlink(struct drm_svm_notifier *notifier);
void drm_svm_notifier_put(struct drm_svm_notifier *notifier);
bool drm_svm_notifier_has_mapped(struct drm_svm_notifier *notifier,
				 unsigned long start, unsigned long end);
void drm_svm_call_invalidate(struct drm_svm *svm, unsigned long start,
			     unsigned long end, enum drm_svm_inval_event event,
			     const struct mmu_notifier_range *mmu_range);
void drm_svm_invalidate_locked(struct drm_svm *svm,
			       struct drm_svm_range *range,
			       enum drm_svm_inval_event event);

/* drm_svm_range.c */
void drm_svm_range_remove_locked(struct drm_svm *svm,
				 struct drm_svm_range *range);

/* drm_svm_pages.c */
void drm_svm_range_unmap_locked(struct drm_svm *svm,
				struct drm_svm_range *range,
				unsigned long start, unsigned long end);
unsigned long drm_svm_range_drop_atomic_locked(struct drm_svm *svm,
					       struct drm_svm_range *range,
					       unsigned long first,
					       unsigned long n);
void drm_svm_addrs_unmap(struct drm_svm *svm, struct drm_svm_addr *addrs,
			 unsigned long npages);
int drm_svm_range_get_pages_window(struct drm_svm *svm,
				   struct drm_svm_range *range,
				   const struct drm_svm_ctx *ctx,
				   unsigned long start, unsigned long end);

/*
 * struct drm_svm_fault - one fault of the pages of a range (drm_svm_hmm.c)
 * @svm: the context
 * @hmm: the range, &hmm_range.hmm_pfns one entry per page
 * @first: first page of the range the fault needs
 * @last: end of the pages it needs, exclusive
 * @retry: when to give up retrying
 * @write: the fault needs write access
 * @strict: fault only the pages the fault needs
 * @hmm_ns: time spent faulting with hmm_range_fault(), retries included
 * @map_ns: time spent DMA-mapping the pages, retries included
 * @mapped: pages published, once the fault succeeded
 *
 * The last three are for the drm_svm_get_pages tracepoint.
 */
struct drm_svm_fault {
	struct drm_svm *svm;
	struct hmm_range hmm;
	unsigned long first;
	unsigned long last;
	struct drm_svm_retry retry;
	bool write;
	bool strict;
	u64 hmm_ns;
	u64 map_ns;
	unsigned long mapped;
};

/* drm_svm_hmm.c */
int drm_svm_hmm_fault(struct drm_svm *svm, struct hmm_range *hmm,
		      struct drm_svm_retry *retry,
		      int (*plan)(void *arg, struct hmm_range *hmm), void *arg);
int drm_svm_fault_pages(struct drm_svm_fault *f);

/* Whether @page is a device page of the context's owner. */
static inline bool drm_svm_page_is_ours(const struct drm_svm *svm,
					struct page *page)
{
	return svm->device_private_owner &&
	       (is_device_private_page(page) || is_device_coherent_page(page)) &&
	       page->pgmap->owner == svm->device_private_owner;
}

/* drm_svm_gc.c */
void drm_svm_gc_init(struct drm_svm *svm);
void drm_svm_gc_add(struct drm_svm *svm, struct drm_svm_range *range);
void drm_svm_gc_fini(struct drm_svm *svm);

/* drm_svm_devmem.c, drm_svm_migrate.c */
struct drm_svm_devmem_alloc;
struct vm_fault;

/*
 * enum drm_svm_migrate_dir - what a migration was, for the drm_svm_migrate
 * tracepoint
 * @DRM_SVM_MIGRATE_DIR_TO_DEVMEM: drm_svm_migrate_to_devmem()
 * @DRM_SVM_MIGRATE_DIR_TO_RAM: drm_svm_migrate_to_ram()
 * @DRM_SVM_MIGRATE_DIR_CPU_FAULT: a CPU fault on a device page
 */
enum drm_svm_migrate_dir {
	DRM_SVM_MIGRATE_DIR_TO_DEVMEM,
	DRM_SVM_MIGRATE_DIR_TO_RAM,
	DRM_SVM_MIGRATE_DIR_CPU_FAULT,
};

/*
 * struct drm_svm_migrate_buf - the arrays of one migration of @npages pages:
 * migrate_pfn() entries @src and @dst, and the source and destination pages
 */
struct drm_svm_migrate_buf {
	unsigned long *src;
	unsigned long *dst;
	struct page **spages;
	struct page **dpages;
	unsigned long npages;
};

int drm_svm_migrate_buf_alloc(struct drm_svm_migrate_buf *b,
			      unsigned long npages);
void drm_svm_migrate_buf_free(struct drm_svm_migrate_buf *b);
int drm_svm_migrate_copy_to_ram(struct drm_svm_migrate_buf *b,
				struct vm_area_struct *vma, unsigned long start,
				unsigned long *left);
unsigned long drm_svm_migrate_count_to_ram(const struct drm_svm_migrate_buf *b);
void drm_svm_devmem_page_init(struct drm_svm_devmem_alloc *alloc,
			      struct page *page);
vm_fault_t drm_svm_devmem_migrate_to_ram(struct vm_fault *vmf);

/* drm_svm_exclusive.c, for drm_svm_atomic.c */
/*
 * struct drm_svm_grant - pages made device-exclusive together
 * @itree: the window, [start, last]
 * @link: in &drm_svm_atomic.fifo, oldest first; or on a list to revoke
 * @pages: bit i: the page at start + i pages is (as far as we know)
 *	device-exclusive for the context
 * @hold_until: end of the hold, ktime ns
 * @progress: &drm_svm_atomic.progress when the grant was made
 */
struct drm_svm_grant {
	struct interval_tree_node itree;
	struct list_head link;
	u64 pages;
	u64 hold_until;
	s64 progress;
};

void *drm_svm_atomic_owner(const struct drm_svm *svm);
int drm_svm_atomic_attach(struct drm_svm *svm);
u64 drm_svm_atomic_hold_ns(struct drm_svm *svm, u64 hold_ns);
void drm_svm_atomic_granting(struct drm_svm *svm, bool granting);
int drm_svm_grant_record(struct drm_svm *svm, struct drm_svm_grant *grant,
			 struct list_head *revoke);
void drm_svm_grants_revoke(struct drm_svm *svm, struct list_head *revoke,
			   bool mm_alive);
#if IS_ENABLED(CONFIG_KUNIT) && IS_ENABLED(CONFIG_DRM_SVM_ATOMIC)
enum drm_svm_event drm_svm_atomic_classify(const struct drm_svm *svm,
					   const struct mmu_notifier_range *mmu_range);
#endif

/* drm_svm_attr.c */
void drm_svm_attr_init(struct drm_svm *svm, unsigned int max_intervals);
void drm_svm_attr_fini(struct drm_svm *svm);

#if IS_ENABLED(CONFIG_KUNIT)
/* Static without KUnit; exported for the tests with it. */
unsigned long drm_svm_chunk_select(const unsigned long *chunk_sizes,
				   unsigned int num_chunks, unsigned long addr,
				   unsigned long lo, unsigned long hi);
void drm_svm_kunit_race_point(struct drm_svm *svm, struct drm_svm_range *range);
void drm_svm_kunit_insert_point(struct drm_svm *svm, unsigned long addr);
#endif

#endif /* __DRM_SVM_INTERNAL_H__ */
