#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot the guest, load the reference device and walk it through
# mirror, migrate, fault-back and device-exclusive, printing each step.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

run=$DRM_SVM_OUT/demo
mkdir -p "$run"
bash "$DRM_SVM_ROOT/tools/vm.sh" --run-dir "$run" --timeout 600 -- \
	"$DRM_SVM_ROOT/tools/demo/guest-demo.sh" >"$run/guest.log" 2>&1 && rc=0 || rc=$?
sed -n '/=== demo/,/=== end/p' "$run/guest.log" | sed 's/^.*=== demo/=== demo/'
grep '^\[drm-svm\]\|^    | ' "$run/guest.log" || true
[ $rc -eq 0 ] && echo "demo ok (guest log: $run/guest.log)" ||
	die "demo" "$run/guest.log" "the guest run failed"
