/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __DRM_SVM_H__
#define __DRM_SVM_H__

#include <linux/atomic.h>
#include <linux/interval_tree.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct device;
struct drm_device;
struct drm_printer;
struct drm_svm;
struct drm_svm_atomic;
struct drm_svm_hooks;
struct drm_svm_notifier;
struct drm_svm_range;
struct mm_struct;
struct mmu_notifier_range;
struct page;
struct task_struct;

/** DRM_SVM_DEFAULT_NOTIFIER_SIZE - notifier window used when none is given */
#define DRM_SVM_DEFAULT_NOTIFIER_SIZE	SZ_512M

/** DRM_SVM_MAX_CHUNKS - maximum number of entries in a chunk size list */
#define DRM_SVM_MAX_CHUNKS		8

/**
 * DRM_SVM_ATOMIC_MAX_PAGES_DEFAULT - device-exclusive pages a context keeps
 * when &drm_svm_config.atomic_max_pages is 0 (2 MiB)
 */
#define DRM_SVM_ATOMIC_MAX_PAGES_DEFAULT	512

/**
 * DRM_SVM_STATS_ORDERS - number of per-order mapping counters
 *
 * Mappings of order DRM_SVM_STATS_ORDERS - 1 and above share the last
 * counter.
 */
#define DRM_SVM_STATS_ORDERS		19

/**
 * enum drm_svm_access - access a GPU fault asks for
 * @DRM_SVM_ACCESS_READ: read access; the CPU mapping is faulted in for read
 *	only, so copy-on-write pages are not broken and read-only mappings work.
 * @DRM_SVM_ACCESS_WRITE: write access; implies read.
 * @DRM_SVM_ACCESS_ATOMIC: atomic access; implies write. drm_svm_range_get_pages()
 *	handles it like @DRM_SVM_ACCESS_WRITE; drm_svm_range_atomic_grant()
 *	(&drm_svm_atomic.h) then makes pages device-exclusive.
 *
 * The values are flags and may be or-ed together in &drm_svm_ctx.access.
 */
enum drm_svm_access {
	DRM_SVM_ACCESS_READ = BIT(0),
	DRM_SVM_ACCESS_WRITE = BIT(1),
	DRM_SVM_ACCESS_ATOMIC = BIT(2),
};

/**
 * struct drm_svm_ctx - arguments of one GPU fault
 *
 * A context is read only by the helpers and may live on the stack. Zero
 * initialise it and set what is needed.
 */
struct drm_svm_ctx {
	/**
	 * @fault_addr: the address the GPU faulted on, inside the range;
	 * drm_svm_range_get_pages() then needs only that page with @access
	 * and maps the rest of the range as far as the CPU allows it (see
	 * DOC: Faulting). 0 means the fault needs every page of the range
	 * with @access (and fails unless all can be mapped so).
	 */
	unsigned long fault_addr;
	/**
	 * @fault_size: with @fault_addr, the bytes from the page of
	 * @fault_addr on that the fault needs with @access (clipped to the
	 * range); 0 means that page alone. A driver that sees the GPU
	 * stream through memory may ask ahead with it, as readahead does.
	 */
	unsigned long fault_size;
	/** @access: &enum drm_svm_access flags; 0 means read. */
	unsigned int access;
	/**
	 * @timeout_ms: how long drm_svm_range_get_pages() retries while the
	 * range keeps being invalidated before it gives up with -EBUSY;
	 * 0 means HMM_RANGE_DEFAULT_TIMEOUT.
	 */
	unsigned int timeout_ms;
	/**
	 * @atomic_hold_us: drm_svm_range_atomic_grant() only: for how long
	 * after a grant a CPU access waits before it takes a page back,
	 * unless the driver reports progress (drm_svm_atomic_progress())
	 * first; 0 means %DRM_SVM_ATOMIC_HOLD_DEFAULT_US.
	 */
	unsigned int atomic_hold_us;
};

/**
 * struct drm_svm_addr - device address of one page of a range
 *
 * drm_svm_range_get_pages() fills one entry per page of the range. Pages
 * the CPU maps with a huge page are mapped for the device in one piece of
 * 2^@order pages; every entry of such a piece is filled in, @addr being the
 * address of that very page, so a driver can program per page or per piece.
 * The entries are stable while the notifier lock is held and
 * drm_svm_range_pages_valid() returns true.
 */
struct drm_svm_addr {
	/**
	 * @addr: DMA address of a system page, or the address the driver's
	 * &drm_svm_ops.device_map returned for a device page.
	 */
	dma_addr_t addr;
	/** @order: order of the piece this page is mapped with. */
	u8 order;
	/** @valid: the entry holds a mapping. */
	u8 valid:1;
	/** @device: the page is device memory (see &drm_svm_ops.device_map). */
	u8 device:1;
	/** @writable: the CPU maps the page writable; the GPU may write it. */
	u8 writable:1;
	/**
	 * @zero: the page is the shared zero page, which the context maps
	 * once for all its ranges (a read fault on untouched anonymous
	 * memory maps it everywhere).
	 */
	u8 zero:1;
	/**
	 * @atomic: the page is device-exclusive for the context
	 * (drm_svm_range_atomic_grant()); the GPU may do atomics on it
	 * until an invalidation (%DRM_SVM_INVAL_ATOMIC or any other)
	 * clears the flag.
	 */
	u8 atomic:1;
	/* private: */
	/* The CPU maps the page with a huge (PMD) entry. */
	u8 cpu_huge:1;
};

/**
 * enum drm_svm_inval_event - why &drm_svm_ops.invalidate is called
 * @DRM_SVM_INVAL_CPU: the CPU page tables changed (mprotect, madvise,
 *	reclaim, migration, copy-on-write, ...); the ranges stay and the next
 *	GPU fault revalidates them.
 * @DRM_SVM_INVAL_UNMAP: the CPU unmapped memory (munmap, mremap, process
 *	exit). The interval is widened to every range it touches; those
 *	ranges are now unmapped and the helper garbage collects them.
 * @DRM_SVM_INVAL_REMAP: drm_svm_range_get_pages() is about to replace
 *	mappings the GPU may still use (after a partial invalidation, or to
 *	upgrade read-only pages for a write fault).
 * @DRM_SVM_INVAL_REMOVE: a range that still has pages is removed
 *	(drm_svm_range_remove(), drm_svm_range_unmap_pages(), drm_svm_fini()).
 * @DRM_SVM_INVAL_ATOMIC: the CPU took device-exclusive pages back: only
 *	the GPU's atomic permission on [start, end) goes, the pages stay
 *	mapped (the CPU maps the very same pages again).
 */
enum drm_svm_inval_event {
	DRM_SVM_INVAL_CPU,
	DRM_SVM_INVAL_UNMAP,
	DRM_SVM_INVAL_REMAP,
	DRM_SVM_INVAL_REMOVE,
	DRM_SVM_INVAL_ATOMIC,
};

/**
 * struct drm_svm_invalidation - what &drm_svm_ops.invalidate must zap
 */
struct drm_svm_invalidation {
	/** @start: first address to zap (page aligned). */
	unsigned long start;
	/** @end: end of the interval to zap, exclusive (page aligned). */
	unsigned long end;
	/** @event: why the helper invalidates. */
	enum drm_svm_inval_event event;
	/**
	 * @mmu_range: the core MM event for %DRM_SVM_INVAL_CPU and
	 * %DRM_SVM_INVAL_UNMAP, NULL otherwise.
	 */
	const struct mmu_notifier_range *mmu_range;
};

/**
 * struct drm_svm_ops - driver callbacks
 */
struct drm_svm_ops {
	/**
	 * @range_alloc: allocate a range (optional)
	 *
	 * Lets a driver embed &struct drm_svm_range in its own structure. The
	 * helper initialises every field of the embedded range itself.
	 * Called with the mmap_lock held for read and without the notifier
	 * lock; may sleep. Allocate with GFP_KERNEL_ACCOUNT: the helper
	 * makes the memory cgroup of the context's mm the active one around
	 * the call, so the range is charged to the process it belongs to.
	 *
	 * Return: the new range, or NULL (never an ERR_PTR()) when out of
	 * memory. Without this callback the helper uses kzalloc().
	 */
	struct drm_svm_range *(*range_alloc)(struct drm_svm *svm);

	/**
	 * @range_free: free a range (optional, pairs with @range_alloc)
	 *
	 * Called when the last reference to a range is dropped, after its
	 * pages are unmapped; possibly from the garbage collection worker,
	 * so it must not take the driver lock. Without this callback the
	 * helper uses kfree().
	 */
	void (*range_free)(struct drm_svm_range *range);

	/**
	 * @invalidate: zap GPU mappings (required)
	 *
	 * Called with the notifier lock held for write, from the MMU
	 * notifier (so possibly under mmap_lock and in memory reclaim) or
	 * from the helpers listed in &enum drm_svm_inval_event. When it
	 * returns, the GPU must no longer access any page in
	 * [@inv->start, @inv->end): the helper DMA-unmaps those pages right
	 * after. The helper only calls it when at least one page in the
	 * interval is mapped. It must not fail, must not allocate memory
	 * that can enter reclaim, must not take the driver lock or call any
	 * drm_svm function; it may sleep (wait for the GPU).
	 */
	void (*invalidate)(struct drm_svm *svm,
			   const struct drm_svm_invalidation *inv);

	/**
	 * @device_map: address of a device page (optional)
	 *
	 * Called by drm_svm_range_get_pages() for a device-private (or
	 * device-coherent) page whose owner is
	 * &drm_svm_config.device_private_owner, without the notifier lock.
	 * The mapping needs no unmapping. Without this callback such pages
	 * make drm_svm_range_get_pages() fail with -EOPNOTSUPP.
	 *
	 * Return: 0 and the device address in @addr, or a negative errno
	 * that drm_svm_range_get_pages() passes on.
	 */
	int (*device_map)(struct drm_svm *svm, struct page *page,
			  unsigned int order, dma_addr_t *addr);
};

/**
 * struct drm_svm_config - arguments of drm_svm_init()
 *
 * Only read during drm_svm_init(); may live on the stack.
 */
struct drm_svm_config {
	/** @name: name used in messages and statistics. */
	const char *name;
	/** @drm: DRM device the context belongs to; may be NULL. */
	struct drm_device *drm;
	/**
	 * @dma_dev: device that DMA-maps system pages; NULL means
	 * @drm->dev. One of the two is required.
	 */
	struct device *dma_dev;
	/** @mm: the process address space to mirror. */
	struct mm_struct *mm;
	/** @start: start of the GPU VA window (page aligned). */
	unsigned long start;
	/** @size: size of the GPU VA window (page aligned, not zero). */
	unsigned long size;
	/**
	 * @notifier_size: size and alignment of the MMU notifier windows, a
	 * power of two at least as large as the largest chunk; 0 means
	 * %DRM_SVM_DEFAULT_NOTIFIER_SIZE.
	 */
	unsigned long notifier_size;
	/**
	 * @chunk_sizes: range sizes to try, strictly descending powers of
	 * two ending with PAGE_SIZE; NULL means { SZ_2M, SZ_64K, SZ_4K }.
	 */
	const unsigned long *chunk_sizes;
	/** @num_chunks: number of entries in @chunk_sizes (at most 8). */
	unsigned int num_chunks;
	/**
	 * @device_private_owner: owner of the driver's device-private pages
	 * (&dev_pagemap.owner); may be NULL when the driver has none.
	 * %MMU_NOTIFY_MIGRATE events carrying this owner are ignored: drop
	 * the pages of a range (drm_svm_range_unmap_pages()) before
	 * migrating it.
	 */
	void *device_private_owner;
	/** @ops: driver callbacks; @ops->invalidate is required. */
	const struct drm_svm_ops *ops;
	/**
	 * @atomic_max_pages: most pages the context keeps device-exclusive
	 * for GPU atomics (drm_svm_range_atomic_grant()); past it, its
	 * oldest grants are revoked. 0 means
	 * %DRM_SVM_ATOMIC_MAX_PAGES_DEFAULT.
	 */
	unsigned long atomic_max_pages;
	/**
	 * @attr_max_intervals: most intervals of attributes the context
	 * keeps (&drm_svm_attr.h); drm_svm_attr_set() fails with -ENOSPC
	 * beyond. 0 means %DRM_SVM_ATTR_MAX_INTERVALS_DEFAULT.
	 */
	unsigned int attr_max_intervals;
};

/**
 * struct drm_svm_stats - snapshot of a context's counters
 *
 * Filled in by drm_svm_stats_read(). Every field except @mapped_pages
 * counts events since drm_svm_init().
 */
struct drm_svm_stats {
	/** @faults: calls of drm_svm_range_get_pages(). */
	u64 faults;
	/** @faults_valid: of those, calls that found the pages valid. */
	u64 faults_valid;
	/** @retries: hmm_range_fault() -EBUSY and notifier-sequence retries. */
	u64 retries;
	/** @invalidations: MMU notifier callbacks that zapped GPU mappings. */
	u64 invalidations;
	/** @invalidations_skipped: MMU notifier events ignored as our own. */
	u64 invalidations_skipped;
	/** @ranges_inserted: ranges created by drm_svm_range_find_or_insert(). */
	u64 ranges_inserted;
	/** @ranges_removed: ranges removed, for any reason. */
	u64 ranges_removed;
	/** @ranges_collected: unmapped ranges removed by garbage collection. */
	u64 ranges_collected;
	/** @mapped_pages: pages currently mapped for the device. */
	u64 mapped_pages;
	/** @mappings_by_order: DMA or device mappings created, per order. */
	u64 mappings_by_order[DRM_SVM_STATS_ORDERS];
	/** @atomic_grants: pages made device-exclusive for GPU atomics. */
	u64 atomic_grants;
	/** @atomic_revokes: atomic permissions dropped (CPU access, invalidation). */
	u64 atomic_revokes;
	/** @atomic_pages: pages device-exclusive for the context now. */
	u64 atomic_pages;
	/**
	 * @atomic_forced: device-exclusive pages the helper took back itself
	 * (over &drm_svm_config.atomic_max_pages, before faulting their
	 * range again, or at drm_svm_fini()).
	 */
	u64 atomic_forced;
};

/*
 * struct drm_svm_counters - the live counters behind &struct drm_svm_stats
 */
struct drm_svm_counters {
	atomic64_t faults;
	atomic64_t faults_valid;
	atomic64_t retries;
	atomic64_t invalidations;
	atomic64_t invalidations_skipped;
	atomic64_t ranges_inserted;
	atomic64_t ranges_removed;
	atomic64_t ranges_collected;
	atomic64_t mapped_pages;
	atomic64_t mappings_by_order[DRM_SVM_STATS_ORDERS];
	atomic64_t atomic_grants;
	atomic64_t atomic_revokes;
	atomic64_t atomic_pages;
	atomic64_t atomic_forced;
};

/**
 * struct drm_svm - shared virtual memory context
 *
 * Mirrors one process address space into one GPU VA window. Drivers embed
 * it in their VM structure; it has no reference count of its own. All
 * members are set by drm_svm_init() and read-only afterwards unless noted.
 */
struct drm_svm {
	/** @name: name from &drm_svm_config.name. */
	const char *name;
	/** @drm: DRM device, may be NULL. */
	struct drm_device *drm;
	/** @dev: device system pages are DMA-mapped for. */
	struct device *dev;
	/** @mm: mirrored address space; the context holds an mmgrab(). */
	struct mm_struct *mm;
	/** @start: start of the GPU VA window. */
	unsigned long start;
	/** @end: end of the GPU VA window, exclusive. */
	unsigned long end;
	/** @notifier_size: size of the MMU notifier windows. */
	unsigned long notifier_size;
	/** @chunk_sizes: range sizes, descending. */
	unsigned long chunk_sizes[DRM_SVM_MAX_CHUNKS];
	/** @num_chunks: number of entries in @chunk_sizes. */
	unsigned int num_chunks;
	/** @device_private_owner: owner of the driver's device pages. */
	void *device_private_owner;
	/** @ops: driver callbacks. */
	const struct drm_svm_ops *ops;
	/**
	 * @notifier_lock: protects the ranges' page state (&drm_svm_range.addrs
	 * and validity) and the per-notifier range trees. Taken for write by
	 * the MMU notifier callback, for read by the driver around its GPU
	 * page-table commit (drm_svm_notifier_lock()).
	 */
	struct rw_semaphore notifier_lock;

	/* private: */
	/* Serialises changes of the notifier and range trees; see DOC: Locking. */
	struct mutex lock;
	/* Notifiers by address; protected by @lock. */
	struct rb_root_cached notifiers;
	/* Unmapped ranges waiting for garbage collection. */
	spinlock_t gc_lock;
	struct list_head gc_list;
	struct work_struct gc_work;
	/* Set by drm_svm_fini() under @lock: no new ranges. */
	u8 closed;
	/* DMA address of the zero page, mapped once for every range. */
	dma_addr_t zero_dma;
	/* Attribute intervals (drm_svm_attr.c), protected by @attr_lock. */
	spinlock_t attr_lock;
	struct rb_root_cached attr_root;
	unsigned int attr_count;
	unsigned int attr_max;
	/* Task migrating to device memory now (drm_svm_migrate.c). */
	struct task_struct *migrating;
	/* Cap of device-exclusive pages (drm_svm_exclusive.c). */
	unsigned long atomic_max_pages;
	/*
	 * An optional part of the helpers plugged in on first use (the
	 * atomics), and its state; set once under @lock, until drm_svm_fini().
	 */
	const struct drm_svm_hooks *hooks;
	struct drm_svm_atomic *atomic;
#ifdef CONFIG_LOCKDEP
	/* The driver lock, see drm_svm_driver_set_lock(). */
	struct lockdep_map *lock_dep_map;
#endif
	struct drm_svm_counters counters;
};

/**
 * struct drm_svm_range - a chunk of the address space the GPU faulted on
 *
 * Created by drm_svm_range_find_or_insert(), reference counted, kept in an
 * interval tree per notifier. Drivers may embed it (see
 * &drm_svm_ops.range_alloc).
 */
struct drm_svm_range {
	/** @svm: the context the range belongs to. */
	struct drm_svm *svm;
	/**
	 * @addrs: one entry per page, filled in by drm_svm_range_get_pages().
	 * Read it under the notifier lock, after drm_svm_range_pages_valid()
	 * returned true.
	 */
	struct drm_svm_addr *addrs;

	/* private: */
	struct kref refcount;
	struct drm_svm_notifier *notifier;
	/* Node in the notifier's range tree, [start, last]. */
	struct interval_tree_node itree;
	/* Entry in drm_svm.gc_list, protected by drm_svm.gc_lock. */
	struct list_head gc_link;
	/* Number of valid entries in @addrs, under the notifier lock. */
	unsigned long nr_mapped;
	/* Number of entries of @addrs with the atomic flag, likewise. */
	unsigned long nr_atomic;
	/*
	 * Written under the notifier lock for write; read under it, or
	 * under drm_svm.lock (@removed), or locklessly as a hint.
	 */
	u8 valid;
	u8 unmapped;
	u8 removed;
};

int drm_svm_init(struct drm_svm *svm, const struct drm_svm_config *config);
void drm_svm_fini(struct drm_svm *svm);

#ifdef CONFIG_LOCKDEP
/**
 * drm_svm_driver_set_lock() - tell the helpers which driver lock to assert
 * @svm: the context
 * @lock: the driver lock (a mutex or rw_semaphore), held around
 *	drm_svm_range_find_or_insert(), drm_svm_range_get_pages(),
 *	drm_svm_range_remove() and drm_svm_garbage_collect()
 *
 * Only records the lock's lockdep map; a no-op without CONFIG_LOCKDEP.
 */
#define drm_svm_driver_set_lock(svm, lock) \
	((svm)->lock_dep_map = &(lock)->dep_map)
#else
#define drm_svm_driver_set_lock(svm, lock) do { (void)(svm); (void)(lock); } while (0)
#endif

/**
 * drm_svm_notifier_lock() - take the notifier lock for read
 * @svm: the context
 *
 * Hold it while committing GPU page-table entries built from
 * &drm_svm_range.addrs, after checking drm_svm_range_pages_valid().
 */
static inline void drm_svm_notifier_lock(struct drm_svm *svm)
{
	down_read(&svm->notifier_lock);
}

/**
 * drm_svm_notifier_unlock() - drop the notifier lock taken for read
 * @svm: the context
 */
static inline void drm_svm_notifier_unlock(struct drm_svm *svm)
{
	up_read(&svm->notifier_lock);
}

struct drm_svm_range *
drm_svm_range_find_or_insert(struct drm_svm *svm, unsigned long fault_addr,
			     unsigned long gpuva_start, unsigned long gpuva_end,
			     const struct drm_svm_ctx *ctx);
struct drm_svm_range *drm_svm_range_find(struct drm_svm *svm,
					 unsigned long start,
					 unsigned long end);
struct drm_svm_range *__drm_svm_range_next(struct drm_svm_range *range,
					   unsigned long end);
struct drm_svm_range *drm_svm_range_get(struct drm_svm_range *range);
void drm_svm_range_put(struct drm_svm_range *range);
void drm_svm_range_remove(struct drm_svm *svm, struct drm_svm_range *range);

int drm_svm_range_get_pages(struct drm_svm *svm, struct drm_svm_range *range,
			    const struct drm_svm_ctx *ctx);
bool drm_svm_range_pages_valid(struct drm_svm *svm,
			       struct drm_svm_range *range);
void drm_svm_range_unmap_pages(struct drm_svm *svm,
			       struct drm_svm_range *range);

unsigned int drm_svm_garbage_collect(struct drm_svm *svm);

void drm_svm_stats_read(struct drm_svm *svm, struct drm_svm_stats *stats);
void drm_svm_stats_print(struct drm_svm *svm, struct drm_printer *p);

/**
 * drm_svm_range_start() - first address of a range
 * @range: the range
 *
 * Return: the start address (aligned to the range size).
 */
static inline unsigned long drm_svm_range_start(const struct drm_svm_range *range)
{
	return range->itree.start;
}

/**
 * drm_svm_range_end() - end of a range
 * @range: the range
 *
 * Return: the address after the last byte of the range.
 */
static inline unsigned long drm_svm_range_end(const struct drm_svm_range *range)
{
	return range->itree.last + 1;
}

/**
 * drm_svm_range_size() - size of a range
 * @range: the range
 *
 * Return: the size in bytes, one of the context's chunk sizes.
 */
static inline unsigned long drm_svm_range_size(const struct drm_svm_range *range)
{
	return drm_svm_range_end(range) - drm_svm_range_start(range);
}

/**
 * drm_svm_range_npages() - number of pages of a range
 * @range: the range
 *
 * Return: the number of entries of &drm_svm_range.addrs.
 */
static inline unsigned long drm_svm_range_npages(const struct drm_svm_range *range)
{
	return drm_svm_range_size(range) >> PAGE_SHIFT;
}

/**
 * drm_svm_range_unmapped() - whether the CPU unmapped (part of) a range
 * @range: the range
 *
 * An unmapped range gets no pages any more; it is garbage collected and
 * the next fault creates new ranges over what is still mapped. Without
 * the notifier lock the answer is only a hint.
 *
 * Return: true once the range is unmapped or removed.
 */
static inline bool drm_svm_range_unmapped(const struct drm_svm_range *range)
{
	return READ_ONCE(range->unmapped) || READ_ONCE(range->removed);
}

/**
 * __drm_svm_range_iter_init() - start drm_svm_for_each_range(), internal
 * @range: the cursor
 *
 * Return: @range, with the cursor cleared.
 */
static inline struct drm_svm_range **
__drm_svm_range_iter_init(struct drm_svm_range **range)
{
	*range = NULL;
	return range;
}

/**
 * __drm_svm_range_iter() - step drm_svm_for_each_range(), internal
 * @svm: the context
 * @range: the cursor: NULL to start, else the current range, whose
 *	reference is dropped
 * @start: start of the interval
 * @end: end of the interval, exclusive
 *
 * Return: true with the next range (referenced) in *@range, false with
 * *@range NULL at the end.
 */
static inline bool __drm_svm_range_iter(struct drm_svm *svm,
					struct drm_svm_range **range,
					unsigned long start, unsigned long end)
{
	if (*range)
		*range = __drm_svm_range_next(*range, end);
	else
		*range = drm_svm_range_find(svm, start, end);
	return *range;
}

/**
 * drm_svm_for_each_range() - iterate over the ranges overlapping an interval
 * @range__: &struct drm_svm_range pointer, the cursor; holds a reference
 * @svm__: the context
 * @start__: start of the interval
 * @end__: end of the interval, exclusive
 *
 * Visits the ranges in address order. Each visited range is referenced
 * while it is the cursor, so the body may remove it. Breaking out of the
 * loop leaves a reference on @range__ that the caller must drop with
 * drm_svm_range_put(). Takes the context's internal lock for each step;
 * don't use it under the notifier lock.
 */
#define drm_svm_for_each_range(range__, svm__, start__, end__)		\
	for (struct drm_svm_range **iter__ = __drm_svm_range_iter_init(&(range__)); \
	     __drm_svm_range_iter((svm__), iter__, (start__), (end__));)

#endif /* __DRM_SVM_H__ */
