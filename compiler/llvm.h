/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The drm-svm authors */
#ifndef VSVM_CC_LLVM_H
#define VSVM_CC_LLVM_H

/* VSVM_CC_LLVM_VERSION comes from llvm.mk through the Makefile. */
#define VSVM_CC_STR_(x) #x
#define VSVM_CC_STR(x) VSVM_CC_STR_(x)
#define VSVM_CC_LLVM_BINDIR "/usr/lib/llvm-" VSVM_CC_STR(VSVM_CC_LLVM_VERSION) "/bin"
#define VSVM_CC_CLANG VSVM_CC_LLVM_BINDIR "/clang"
#define VSVM_CC_LLD VSVM_CC_LLVM_BINDIR "/ld.lld"
#define VSVM_CC_TRIPLE "riscv64-unknown-elf"

#endif
