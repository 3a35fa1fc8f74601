// SPDX-License-Identifier: MIT
/*
 * Stand-in for IGT's lib/igt_core.h so that our tests include the same
 * headers as in an IGT tree. Everything lives in igt_abi.h, which is tied
 * to libigt 1.27.1: see there.
 */
#ifndef DRM_SVM_IGT_CORE_H
#define DRM_SVM_IGT_CORE_H
#include "igt_abi.h"
#endif
