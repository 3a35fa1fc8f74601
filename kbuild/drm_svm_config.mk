# SPDX-License-Identifier: GPL-2.0
#
# The optional parts of the drm_svm helper library, as an in-tree Kconfig
# would select them (see drm-svm/Kconfig):
#
#   CONFIG_DRM_SVM_DEVMEM  device memory: drm_svm_devmem.c, drm_svm_migrate.c
#   CONFIG_DRM_SVM_ATOMIC  device-exclusive GPU atomics: drm_svm_atomic.c,
#                          drm_svm_exclusive.c
#
# Both default to the kernel's CONFIG_DEVICE_PRIVATE, which they need; the
# atomics follow the device-exclusive API of 6.12 and default to off from
# 6.15 on. Leave one out with e.g. "make CONFIG_DRM_SVM_ATOMIC=n modules".
# The top-level Kbuild passes drm_svm_config_cflags to every module, so
# that the headers and every user of the library see the same choice.

drm_svm_6_12_api := $(shell test $$(($(VERSION) * 1000 + $(PATCHLEVEL))) -lt 6015 && echo y)

CONFIG_DRM_SVM_DEVMEM ?= $(CONFIG_DEVICE_PRIVATE)
CONFIG_DRM_SVM_ATOMIC ?= $(if $(drm_svm_6_12_api),$(CONFIG_DEVICE_PRIVATE))

drm_svm_config_cflags := \
	$(if $(filter y m,$(CONFIG_DRM_SVM_DEVMEM)),-DCONFIG_DRM_SVM_DEVMEM=1) \
	$(if $(filter y m,$(CONFIG_DRM_SVM_ATOMIC)),-DCONFIG_DRM_SVM_ATOMIC=1)
