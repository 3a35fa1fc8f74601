#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of make bench.
. "$(dirname "$0")/../../tests/lib.sh"
out=$DRM_SVM_RUN/bench.log
mod_load vsvm || exit 1
mod_load test_hmm || exit 1
rc=0
for thp in never always; do
	thp_set "$thp"
	for mib in 64 256; do
		"$BUILD_DIR/svm-bench" w1 "$mib" "$thp" >>"$out" || rc=1
	done
done
thp_set madvise
mod_unload test_hmm
mod_unload vsvm
exit $rc
