# SPDX-License-Identifier: MIT
# The one LLVM version of the compiler (Debian's clang-N, lld-N, llvm-N-dev;
# tools/deps.sh reads it from here). 19 is the newest in bookworm and the
# first with Zacas (amocas) support.
LLVM_VERSION := 19
