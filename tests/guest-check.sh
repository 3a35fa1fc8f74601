#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest (tools/check.sh boots it): every suite in
# tests/suites/, in order, or only those named on the command line.
# Each suite records one line per test in $DRM_SVM_RUN/results.tsv.
. "$(dirname "$0")/lib.sh"

: >"$RESULTS"
# With kmemleak (debug flavour): forget what boot left, so that
# 90-kmemleak reports only what the suites leak.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("$TESTS_DIR"/suites/*.sh)
for s in "${suites[@]}"; do
	[ -f "$s" ] || s=$TESTS_DIR/suites/$s.sh
	echo "=== suite $(basename "$s" .sh)"
	bash "$s" || echo "suite $(basename "$s" .sh) exited with status $?"
done
