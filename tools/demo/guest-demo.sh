#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of make demo.
. "$(dirname "$0")/../../tests/lib.sh"
echo "=== demo: vsvm, a virtual GPU on the drm-svm helpers, on $(uname -r)"
mod_load vsvm num_devices=2 || exit 1
echo "--- OpenCL on two vsvm devices (build/opencl/vsvm.icd, through Debian's ocl-icd):"
OCL_ICD_VENDORS=$BUILD_DIR/opencl/vsvm.icd "$BUILD_DIR/opencl/cl-demo"
rc=$?
echo "--- the same GPU through its raw uAPI:"
"$BUILD_DIR/vsvm-demo" || rc=1
echo "--- the shader core: a compiled kernel on malloc'd memory"
"$BUILD_DIR/shader-demo" "$BUILD_DIR/shader-demo.vsvmp" || rc=1
mod_unload vsvm
echo "--- the same paths on the reference device, lib/test_hmm.ko:"
mod_load test_hmm || exit 1
"$BUILD_DIR/hmm-demo" || rc=1
mod_unload test_hmm
echo "=== end"
exit $rc
