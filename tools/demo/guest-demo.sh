#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of make demo.
. "$(dirname "$0")/../../tests/lib.sh"
echo "=== demo: reference device lib/test_hmm.ko on $(uname -r)"
mod_load test_hmm || exit 1
"$BUILD_DIR/hmm-demo"
rc=$?
mod_unload test_hmm
echo "=== end"
exit $rc
