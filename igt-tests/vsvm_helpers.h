// SPDX-License-Identifier: MIT
/*
 * The helpers of the vsvm IGT tests are the igt_vsvm library now
 * (lib/igt_vsvm.h, lib/igt_vsvm.c). This header stays for tests written
 * against its old name; new tests include "igt_vsvm.h".
 */
#ifndef VSVM_HELPERS_H
#define VSVM_HELPERS_H

#include "igt_vsvm.h"

#endif /* VSVM_HELPERS_H */
