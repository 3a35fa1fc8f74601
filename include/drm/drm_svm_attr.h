/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __DRM_SVM_ATTR_H__
#define __DRM_SVM_ATTR_H__

#include <linux/bits.h>
#include <linux/types.h>

struct drm_svm;

/**
 * enum drm_svm_attr_id - the attributes of a virtual address range
 * @DRM_SVM_ATTR_PREFERRED_LOC: &drm_svm_attrs.preferred_loc
 * @DRM_SVM_ATTR_MIGRATE: &drm_svm_attrs.migrate
 * @DRM_SVM_ATTR_ACCESS: &drm_svm_attrs.access
 * @DRM_SVM_ATTR_GRANULARITY: &drm_svm_attrs.granularity_shift
 * @DRM_SVM_ATTR_ATOMIC: &drm_svm_attrs.atomic
 * @DRM_SVM_ATTR_COUNT: number of attributes
 *
 * drm_svm_attr_set() takes a mask of BIT(id) telling which attributes to
 * change.
 */
enum drm_svm_attr_id {
	DRM_SVM_ATTR_PREFERRED_LOC,
	DRM_SVM_ATTR_MIGRATE,
	DRM_SVM_ATTR_ACCESS,
	DRM_SVM_ATTR_GRANULARITY,
	DRM_SVM_ATTR_ATOMIC,
	DRM_SVM_ATTR_COUNT,
};

/** DRM_SVM_ATTR_MASK_ALL - mask of every attribute */
#define DRM_SVM_ATTR_MASK_ALL	GENMASK(DRM_SVM_ATTR_COUNT - 1, 0)

/**
 * DRM_SVM_ATTR_MAX_INTERVALS_DEFAULT - intervals of attributes a context
 * may hold when &drm_svm_config.attr_max_intervals is 0
 */
#define DRM_SVM_ATTR_MAX_INTERVALS_DEFAULT	16384

/**
 * DRM_SVM_ATTR_GRANULARITY_MAX_SHIFT - largest
 * &drm_svm_attrs.granularity_shift (1 GiB)
 */
#define DRM_SVM_ATTR_GRANULARITY_MAX_SHIFT	30

/**
 * DRM_SVM_LOC_NONE - no preferred location (default)
 *
 * Pages stay where they are; a GPU fault maps system memory in place.
 */
#define DRM_SVM_LOC_NONE		0u
/** DRM_SVM_LOC_SYSTEM - prefer system memory */
#define DRM_SVM_LOC_SYSTEM		1u
/** DRM_SVM_LOC_DEVICE - prefer the memory of the device faulting */
#define DRM_SVM_LOC_DEVICE		2u
/**
 * DRM_SVM_LOC_DEVICE_N - prefer the memory of device @n of the driver
 * @n: driver-defined device index (0..255)
 */
#define DRM_SVM_LOC_DEVICE_N(n)		(0x100u + (n))

/**
 * drm_svm_loc_is_device_n() - whether a location is a DRM_SVM_LOC_DEVICE_N()
 * @loc: a location
 *
 * Return: true for DRM_SVM_LOC_DEVICE_N(0) to DRM_SVM_LOC_DEVICE_N(255).
 */
static inline bool drm_svm_loc_is_device_n(u32 loc)
{
	return loc >= DRM_SVM_LOC_DEVICE_N(0) && loc <= DRM_SVM_LOC_DEVICE_N(255);
}

/**
 * enum drm_svm_migrate_policy - what a GPU fault does with misplaced pages
 * @DRM_SVM_MIGRATE_ON_FAULT: migrate them to the preferred location
 *	(default; a no-op without one).
 * @DRM_SVM_MIGRATE_NEVER: map them where they are.
 */
enum drm_svm_migrate_policy {
	DRM_SVM_MIGRATE_ON_FAULT = 0,
	DRM_SVM_MIGRATE_NEVER,
};

/**
 * enum drm_svm_attr_access - what the GPU may do
 * @DRM_SVM_ATTR_ACCESS_RW: what the CPU mapping allows (default).
 * @DRM_SVM_ATTR_ACCESS_RO: read only, even if the CPU may write.
 * @DRM_SVM_ATTR_ACCESS_NONE: no GPU access at all.
 */
enum drm_svm_attr_access {
	DRM_SVM_ATTR_ACCESS_RW = 0,
	DRM_SVM_ATTR_ACCESS_RO,
	DRM_SVM_ATTR_ACCESS_NONE,
};

/**
 * enum drm_svm_atomic_policy - how GPU atomics are served
 * @DRM_SVM_ATOMIC_EXCLUSIVE: make the system page device-exclusive and
 *	operate in place (default).
 * @DRM_SVM_ATOMIC_MIGRATE: migrate the page to device memory first.
 * @DRM_SVM_ATOMIC_REFUSE: refuse GPU atomics (-EPERM).
 */
enum drm_svm_atomic_policy {
	DRM_SVM_ATOMIC_EXCLUSIVE = 0,
	DRM_SVM_ATOMIC_MIGRATE,
	DRM_SVM_ATOMIC_REFUSE,
};

/**
 * struct drm_svm_attrs - memory policy of a virtual address range
 *
 * All-zero is the default everywhere nothing was set.
 */
struct drm_svm_attrs {
	/** @preferred_loc: a DRM_SVM_LOC_* value. */
	u32 preferred_loc;
	/** @migrate: &enum drm_svm_migrate_policy. */
	u32 migrate;
	/** @access: &enum drm_svm_attr_access. */
	u32 access;
	/**
	 * @granularity_shift: log2 of the migration and fault chunk size,
	 * PAGE_SHIFT to %DRM_SVM_ATTR_GRANULARITY_MAX_SHIFT; 0 means the
	 * driver's default.
	 */
	u32 granularity_shift;
	/** @atomic: &enum drm_svm_atomic_policy. */
	u32 atomic;
};

int drm_svm_attr_check(u32 mask, const struct drm_svm_attrs *attrs);
int drm_svm_attr_set(struct drm_svm *svm, unsigned long start,
		     unsigned long end, u32 mask,
		     const struct drm_svm_attrs *attrs);
void drm_svm_attr_get(struct drm_svm *svm, unsigned long addr,
		      struct drm_svm_attrs *attrs);
void drm_svm_attr_lookup(struct drm_svm *svm, unsigned long addr,
			 struct drm_svm_attrs *attrs, unsigned long *start,
			 unsigned long *end);
int drm_svm_attr_clear(struct drm_svm *svm, unsigned long start,
		       unsigned long end);

#endif /* __DRM_SVM_ATTR_H__ */
