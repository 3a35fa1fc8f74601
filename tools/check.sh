#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check, host side: boot one guest that runs every suite
# (tests/guest-check.sh), then print each suite's result and the final
# "N passed, N failed, N skipped" line. Exit status is non-zero when any
# test failed or the guest logged a kernel splat.
#
#   tools/check.sh [SUITE...]     e.g. tools/check.sh 20-hmm-tests
set -uo pipefail
. "$(dirname "$0")/lib.sh"

run=$DRM_SVM_OUT/check
rm -rf "$run"
mkdir -p "$run"
# Host suites (tests/host/*.sh) need no guest: they run first, into their
# own results file (the guest starts results.tsv anew), joined below.
mkdir -p "$run/host"
for s in "$DRM_SVM_ROOT"/tests/host/*.sh; do
	[ -f "$s" ] || continue
	[ $# -eq 0 ] || [[ " $* " == *" $(basename "$s" .sh) "* ]] || continue
	echo "=== host suite $(basename "$s" .sh)"
	DRM_SVM_RUN=$run/host bash "$s" 2>&1 | tee -a "$run/host.log" | grep --line-buffered -E '^  (fail|skip) '
done
# Two 256 MiB ranges of "special-purpose" memory at 5 GiB for test_hmm's
# device-coherent variants (inside the guest's 6 GiB of RAM).
bash "$DRM_SVM_ROOT/tools/vm.sh" --run-dir "$run" --timeout "${DRM_SVM_TIMEOUT:-2400}" \
	--append 'memmap=512M!0x140000000' -- "$DRM_SVM_ROOT/tests/guest-check.sh" "$@" \
	2>&1 | tee "$run/guest.log" |
	grep --line-buffered -E '^(=== suite|  (fail|skip) |\[drm-svm\]|    \| )'
vmrc=${PIPESTATUS[0]}

results=$run/results.tsv
touch "$results"
[ -f "$run/host/results.tsv" ] && cat "$run/host/results.tsv" >>"$results"
if [ $vmrc -ne 0 ]; then
	printf 'guest\trun\tfail\tguest run failed (status %d), see %s\n' $vmrc "$run/guest.log" >>"$results"
fi

echo
echo "Per suite (log: $run/guest.log):"
awk -F'\t' '{ n[$1 FS $3]++; s[$1] = 1 }
	END { for (k in s) printf "  %-16s %d passed, %d failed, %d skipped\n", k, n[k FS "pass"], n[k FS "fail"], n[k FS "skip"] }' \
	"$results" | sort
p=$(awk -F'\t' '$3 == "pass"' "$results" | wc -l)
f=$(awk -F'\t' '$3 == "fail"' "$results" | wc -l)
s=$(awk -F'\t' '$3 == "skip"' "$results" | wc -l)
if [ $f -gt 0 ]; then
	echo "Failed:"
	awk -F'\t' '$3 == "fail" { printf "  %s: %s %s\n", $1, $2, $4 }' "$results"
fi
if [ $((p + f)) -eq 0 ]; then
	echo "no test ran"
	f=1
fi
echo
echo "$p passed, $f failed, $s skipped"
[ $f -eq 0 ]
