// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The drm-svm authors
 */

/**
 * DOC: vsvm
 *
 * A virtual GPU driver built on the drm-svm helpers.
 */

#include <linux/module.h>

MODULE_DESCRIPTION("Virtual SVM GPU driver on the drm-svm helpers");
MODULE_LICENSE("GPL");
