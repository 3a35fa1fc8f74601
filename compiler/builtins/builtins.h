/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The drm-svm authors */
/* Shared by the builtin library's sources (not by programs). */
#ifndef VSVM_BUILTINS_H
#define VSVM_BUILTINS_H

#include <opencl-c-base.h>

#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable
#pragma OPENCL EXTENSION cl_khr_int64_extended_atomics : enable

#define OVLD __attribute__((overloadable))
#define CONST __attribute__((const))
#define INLINE __attribute__((always_inline))

#endif
