/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The drm-svm authors
 */

#ifndef __DRM_SVM_ATOMIC_H__
#define __DRM_SVM_ATOMIC_H__

#include <linux/errno.h>
#include <linux/types.h>

struct drm_svm;
struct drm_svm_ctx;
struct drm_svm_range;

/**
 * DRM_SVM_ATOMIC_MAX_WINDOW - most pages one drm_svm_range_atomic_grant()
 * makes device-exclusive
 *
 * Device-exclusive pages are pinned and, on 6.12, lose their mapcount
 * until the CPU takes them back: keep windows short.
 */
#define DRM_SVM_ATOMIC_MAX_WINDOW	64

/**
 * DRM_SVM_ATOMIC_HOLD_DEFAULT_US - default minimum hold of an atomic grant
 *
 * See &drm_svm_ctx.atomic_hold_us.
 */
#define DRM_SVM_ATOMIC_HOLD_DEFAULT_US	1000

/**
 * DRM_SVM_ATOMIC_HOLD_MAX_SHIFT - how often a starved hold may double
 *
 * A grant the CPU (or another device) took back before the GPU used it
 * doubles the next hold, up to this many times (32 default holds, 32 ms);
 * the first GPU progress resets it.
 */
#define DRM_SVM_ATOMIC_HOLD_MAX_SHIFT	5

#if IS_ENABLED(CONFIG_DRM_SVM_ATOMIC)
int drm_svm_range_atomic_grant(struct drm_svm *svm,
			       struct drm_svm_range *range,
			       unsigned long start, unsigned long end,
			       const struct drm_svm_ctx *ctx);
bool drm_svm_range_atomic_valid(struct drm_svm *svm,
				struct drm_svm_range *range,
				unsigned long start, unsigned long end);
void drm_svm_atomic_progress(struct drm_svm *svm);
#else
/*
 * Built without CONFIG_DRM_SVM_ATOMIC: no page is ever made
 * device-exclusive, so no page ever has &drm_svm_addr.atomic.
 */
static inline int drm_svm_range_atomic_grant(struct drm_svm *svm,
					     struct drm_svm_range *range,
					     unsigned long start,
					     unsigned long end,
					     const struct drm_svm_ctx *ctx)
{
	return -EOPNOTSUPP;
}

static inline bool drm_svm_range_atomic_valid(struct drm_svm *svm,
					      struct drm_svm_range *range,
					      unsigned long start,
					      unsigned long end)
{
	return false;
}

static inline void drm_svm_atomic_progress(struct drm_svm *svm)
{
}
#endif

#endif /* __DRM_SVM_ATOMIC_H__ */
