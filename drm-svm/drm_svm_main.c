// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: drm_svm module
 *
 * Module boilerplate of the drm-svm helper library.
 */

#include <linux/module.h>

MODULE_DESCRIPTION("DRM shared virtual memory helpers");
MODULE_LICENSE("GPL");
