// SPDX-License-Identifier: MIT
/*
 * Copyright (c) 2026 The drm-svm authors
 *
 * vsvm-features: print what the first vsvm device offers the OpenCL
 * platform, as the kernel says it (DRM_VSVM_PARAM_FEATURES, _ISA):
 *   features 0x<hex> svm 0|1 atomics 0|1 shader 0|1 isa 0x<hex> vram <bytes>
 * The OpenCL suite compares clinfo with it. Exit status 1 without a device.
 */
#include <stdio.h>

#include "vsvm.h"

int main(void)
{
	struct vsvm_device *dev;
	uint64_t f = 0, isa = 0, vram = 0;

	if (vsvm_device_new(&dev))
		return 1;
	vsvm_get_param(dev, DRM_VSVM_PARAM_FEATURES, &f);
	if (vsvm_get_param(dev, DRM_VSVM_PARAM_ISA, &isa))
		isa = 0;
	vsvm_get_param(dev, DRM_VSVM_PARAM_VRAM_SIZE, &vram);
	printf("features 0x%llx svm %d atomics %d shader %d isa 0x%llx vram %llu\n",
	       (unsigned long long)f, !!(f & DRM_VSVM_FEATURE_SVM),
	       !!(f & DRM_VSVM_FEATURE_ATOMICS), !!(f & DRM_VSVM_FEATURE_SHADER),
	       (unsigned long long)isa, (unsigned long long)vram);
	vsvm_device_del(dev);
	return 0;
}
