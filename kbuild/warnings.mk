# SPDX-License-Identifier: GPL-2.0
#
# DRM's own W=1 warning set (drivers/gpu/drm/Makefile), applied to every
# drm-svm module, and -Werror: the project builds with zero warnings.
# Include it from a module's Kbuild.

ccflags-y += -Wextra -Wunused -Wno-unused-parameter
ccflags-y += $(call cc-option, -Wrestrict)
ccflags-y += -Wmissing-format-attribute
ccflags-y += -Wold-style-definition
ccflags-y += -Wmissing-include-dirs
ccflags-y += $(call cc-option, -Wunused-but-set-variable)
ccflags-y += $(call cc-option, -Wunused-const-variable)
ccflags-y += $(call cc-option, -Wpacked-not-aligned)
ccflags-y += $(call cc-option, -Wformat-overflow)
ccflags-y += $(call cc-option, -Wformat-truncation)
ccflags-y += $(call cc-option, -Wstringop-truncation)
ccflags-y += -Wno-missing-field-initializers
ccflags-y += -Wno-type-limits
ccflags-y += -Wno-shift-negative-value
ccflags-y += -Wno-sign-compare
ccflags-y += -Werror
