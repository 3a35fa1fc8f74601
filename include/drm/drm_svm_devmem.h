/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __DRM_SVM_DEVMEM_H__
#define __DRM_SVM_DEVMEM_H__

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/kref.h>
#include <linux/memremap.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct device;
struct drm_svm;
struct drm_svm_devmem;
struct drm_svm_devmem_alloc;
struct page;
struct resource;

/**
 * struct drm_svm_devmem_ops - driver callbacks of a device memory region
 */
struct drm_svm_devmem_ops {
	/**
	 * @copy_to_devmem: copy a batch of pages into device memory (required)
	 *
	 * @src[i] is a system page or NULL (the address was never touched:
	 * fill @dst[i] with zeros); @dst[i] is a device page of the region,
	 * or NULL to skip entry i. Called with the mmap_lock held for read,
	 * without driver locks the helpers know of; may sleep.
	 *
	 * Return: 0, or a negative errno: nothing is migrated then.
	 */
	int (*copy_to_devmem)(struct drm_svm_devmem *dm, struct page **src,
			      struct page **dst, unsigned long npages);
	/**
	 * @copy_to_ram: copy a batch of device pages to system memory
	 * (required)
	 *
	 * @src[i] is a device page of the region or NULL (skip); @dst[i] a
	 * system page. Called from the CPU fault handler (mmap_lock held for
	 * read) and from eviction. Must not take a lock the driver holds
	 * while it migrates or services GPU faults.
	 *
	 * Return: 0, or a negative errno: nothing is migrated then.
	 */
	int (*copy_to_ram)(struct drm_svm_devmem *dm, struct page **src,
			   struct page **dst, unsigned long npages);
	/**
	 * @alloc_pfns: the device pfns of an allocation (required)
	 *
	 * Fill @pfns with the &drm_svm_devmem_alloc.npages pfns of @alloc,
	 * in the order its pages back the migrated interval. Called from
	 * drm_svm_migrate_to_devmem() and drm_svm_devmem_evict(); must not
	 * sleep on locks held around those.
	 */
	void (*alloc_pfns)(struct drm_svm_devmem_alloc *alloc,
			   unsigned long *pfns);
	/**
	 * @alloc_release: free an allocation (required)
	 *
	 * Called from a work item once the last reference is gone: every
	 * device page of @alloc is free and the driver dropped its own
	 * references. The driver gives the memory back to its allocator.
	 */
	void (*alloc_release)(struct drm_svm_devmem_alloc *alloc);
};

/**
 * struct drm_svm_devmem - a device memory region of device-private pages
 *
 * Set up by drm_svm_devmem_init(); drivers embed it in their device.
 */
struct drm_svm_devmem {
	/** @pagemap: the ZONE_DEVICE pagemap (MEMORY_DEVICE_PRIVATE). */
	struct dev_pagemap pagemap;
	/** @dev: the device the memory belongs to. */
	struct device *dev;
	/** @ops: driver callbacks. */
	const struct drm_svm_devmem_ops *ops;
	/** @size: size in bytes. */
	unsigned long size;
	/** @base_pfn: pfn of the first device page. */
	unsigned long base_pfn;
	/** @pages_in_use: device pages holding data now. */
	atomic64_t pages_in_use;
	/** @migrated_to_ram: pages moved back to system memory so far. */
	atomic64_t migrated_to_ram;
	/** @cpu_faults: CPU faults served by migrate_to_ram. */
	atomic64_t cpu_faults;

	/* private: */
	struct resource *res;
	struct workqueue_struct *wq;
	atomic_t releases_pending;
};

/**
 * struct drm_svm_devmem_alloc - a set of device pages
 *
 * A driver allocates device memory for one migration (for example one
 * chunk of a range), embeds this object in its allocation and
 * initialises it with drm_svm_devmem_alloc_init(). Every device page that
 * holds data holds a reference; the driver holds its own while it uses
 * the allocation. When the last one goes, &drm_svm_devmem_ops.alloc_release
 * runs from a work item.
 */
struct drm_svm_devmem_alloc {
	/** @dm: the region. */
	struct drm_svm_devmem *dm;
	/** @npages: number of device pages. */
	unsigned long npages;
	/** @used: device pages of the allocation holding data now. */
	atomic_long_t used;

	/* private: */
	struct kref refcount;
	struct work_struct release_work;
};

/**
 * enum drm_svm_migrate_flags - flags of drm_svm_migrate_to_devmem()
 * @DRM_SVM_MIGRATE_ALL: all or nothing: fail with -EBUSY (migrating
 *	nothing) unless every page of the interval can be migrated.
 */
enum drm_svm_migrate_flags {
	DRM_SVM_MIGRATE_ALL = BIT(0),
};

/**
 * drm_svm_devmem_page_offset() - offset of a device page in its region
 * @dm: the region
 * @page: a device page of @dm
 *
 * Return: the byte offset of @page in the region.
 */
static inline u64 drm_svm_devmem_page_offset(const struct drm_svm_devmem *dm,
					     struct page *page)
{
	return (u64)(page_to_pfn(page) - dm->base_pfn) << PAGE_SHIFT;
}

/**
 * drm_svm_devmem_owner() - owner of a region's pages
 * @dm: the region
 *
 * Return: &dev_pagemap.owner, the value to pass as
 * &drm_svm_config.device_private_owner.
 */
static inline void *drm_svm_devmem_owner(const struct drm_svm_devmem *dm)
{
	return dm->pagemap.owner;
}

/**
 * drm_svm_devmem_page_alloc() - the allocation a device page belongs to
 * @page: a device page holding data (or being migrated into)
 *
 * Return: the allocation, set when the page was migrated into.
 */
static inline struct drm_svm_devmem_alloc *
drm_svm_devmem_page_alloc(struct page *page)
{
	return page->zone_device_data;
}

/**
 * drm_svm_devmem_alloc_get() - take a reference on an allocation
 * @alloc: the allocation
 *
 * Return: @alloc.
 */
static inline struct drm_svm_devmem_alloc *
drm_svm_devmem_alloc_get(struct drm_svm_devmem_alloc *alloc)
{
	kref_get(&alloc->refcount);
	return alloc;
}

/**
 * drm_svm_devmem_alloc_get_unless_zero() - reference an allocation that
 *	may be going away
 * @alloc: the allocation
 *
 * Return: true with a reference taken, false if its release is underway.
 */
static inline bool
drm_svm_devmem_alloc_get_unless_zero(struct drm_svm_devmem_alloc *alloc)
{
	return kref_get_unless_zero(&alloc->refcount);
}

#if IS_ENABLED(CONFIG_DRM_SVM_DEVMEM)
int drm_svm_devmem_init(struct drm_svm_devmem *dm, struct device *dev,
			unsigned long size, void *owner,
			const struct drm_svm_devmem_ops *ops);
void drm_svm_devmem_fini(struct drm_svm_devmem *dm);
struct drm_svm_devmem *drm_svm_devmem_of_page(struct page *page);
void drm_svm_devmem_alloc_init(struct drm_svm_devmem_alloc *alloc,
			       struct drm_svm_devmem *dm, unsigned long npages);
void drm_svm_devmem_alloc_put(struct drm_svm_devmem_alloc *alloc);
bool drm_svm_devmem_flush(struct drm_svm_devmem *dm);
int drm_svm_devmem_evict(struct drm_svm_devmem_alloc *alloc);
int drm_svm_migrate_to_devmem(struct drm_svm *svm,
			      struct drm_svm_devmem_alloc *alloc,
			      unsigned long start, unsigned long end,
			      unsigned int flags, unsigned long *migrated);
int drm_svm_migrate_to_ram(struct drm_svm *svm, unsigned long start,
			   unsigned long end, unsigned long *migrated);
#else
/*
 * Built without CONFIG_DRM_SVM_DEVMEM: a driver cannot register device
 * memory, so there is none to migrate to, evict or free.
 */
static inline int drm_svm_devmem_init(struct drm_svm_devmem *dm,
				      struct device *dev, unsigned long size,
				      void *owner,
				      const struct drm_svm_devmem_ops *ops)
{
	return -EOPNOTSUPP;
}

static inline void drm_svm_devmem_fini(struct drm_svm_devmem *dm)
{
}

static inline struct drm_svm_devmem *drm_svm_devmem_of_page(struct page *page)
{
	return NULL;
}

static inline void drm_svm_devmem_alloc_init(struct drm_svm_devmem_alloc *alloc,
					     struct drm_svm_devmem *dm,
					     unsigned long npages)
{
}

static inline void drm_svm_devmem_alloc_put(struct drm_svm_devmem_alloc *alloc)
{
}

static inline bool drm_svm_devmem_flush(struct drm_svm_devmem *dm)
{
	return false;
}

static inline int drm_svm_devmem_evict(struct drm_svm_devmem_alloc *alloc)
{
	return -EOPNOTSUPP;
}

static inline int drm_svm_migrate_to_devmem(struct drm_svm *svm,
					    struct drm_svm_devmem_alloc *alloc,
					    unsigned long start, unsigned long end,
					    unsigned int flags,
					    unsigned long *migrated)
{
	return -EOPNOTSUPP;
}

static inline int drm_svm_migrate_to_ram(struct drm_svm *svm,
					 unsigned long start, unsigned long end,
					 unsigned long *migrated)
{
	return -EOPNOTSUPP;
}
#endif

#endif /* __DRM_SVM_DEVMEM_H__ */
