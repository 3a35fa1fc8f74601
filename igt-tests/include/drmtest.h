// SPDX-License-Identifier: MIT
/*
 * Stand-in for IGT's lib/drmtest.h (the drm_open_driver() subset we use).
 * Everything lives in igt_abi.h, which is tied to libigt 1.27.1: see there.
 */
#ifndef DRM_SVM_IGT_DRMTEST_H
#define DRM_SVM_IGT_DRMTEST_H
#include <xf86drm.h>
#include "igt_abi.h"
#endif
