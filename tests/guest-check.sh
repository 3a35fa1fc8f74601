#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest (tools/check.sh boots it): every suite in
# tests/suites/, in order, or only those named on the command line.
# Each suite records one line per test in $DRM_SVM_RUN/results.tsv.
. "$(dirname "$0")/lib.sh"

: >"$RESULTS"
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("$TESTS_DIR"/suites/*.sh)
for s in "${suites[@]}"; do
	[ -f "$s" ] || s=$TESTS_DIR/suites/$s.sh
	echo "=== suite $(basename "$s" .sh)"
	bash "$s" || echo "suite $(basename "$s" .sh) exited with status $?"
done
