#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check, host side: run the host suites (tests/host/*.sh), boot one
# guest that runs every guest suite (tests/guest-check.sh), then print each
# suite's result and the final "N passed, N failed, N skipped" line. Exit
# status is non-zero when any test failed or the guest logged a kernel
# splat.
#
#   tools/check.sh [SUITE...]     e.g. tools/check.sh 20-hmm-tests 50-mesa
set -uo pipefail
. "$(dirname "$0")/lib.sh"

run=$DRM_SVM_OUT/check
rm -rf "$run"
mkdir -p "$run"

# Host suites run here, before the guest, for what the guest cannot do
# (network, the host's packages). Each appends "suite<TAB>test<TAB>
# pass|fail|skip<TAB>message" lines to $DRM_SVM_RESULTS; one that exits
# non-zero without a line gets a fail line. The guest truncates its own
# results.tsv, so theirs are added after it.
host=() guest=()
for a in "$@"; do
	if [ -f "$DRM_SVM_ROOT/tests/host/$a.sh" ]; then
		host+=("$DRM_SVM_ROOT/tests/host/$a.sh")
	else
		guest+=("$a")
	fi
done
[ $# -gt 0 ] || [ "${DRM_SVM_HOST_SUITES:-1}" = 0 ] ||
	host=("$DRM_SVM_ROOT"/tests/host/*.sh)
: >"$run/host.tsv"
for s in "${host[@]}"; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .sh)
	echo "=== host suite $name"
	n=$(wc -l <"$run/host.tsv")
	mkdir -p "$run/host"
	DRM_SVM_RESULTS=$run/host.tsv DRM_SVM_RUN=$run/host bash "$s"
	rc=$?
	if [ $rc -ne 0 ] && [ "$(wc -l <"$run/host.tsv")" -eq "$n" ]; then
		printf '%s\trun\tfail\texited with status %d\n' "$name" $rc >>"$run/host.tsv"
	fi
done

vmrc=0
if [ $# -eq 0 ] || [ ${#guest[@]} -gt 0 ]; then
	# Two 256 MiB ranges of "special-purpose" memory at 5 GiB for
	# test_hmm's device-coherent variants (inside the guest's 6 GiB).
	bash "$DRM_SVM_ROOT/tools/vm.sh" --run-dir "$run" --timeout "${DRM_SVM_TIMEOUT:-2400}" \
		--append 'memmap=512M!0x140000000' -- "$DRM_SVM_ROOT/tests/guest-check.sh" "${guest[@]}" \
		2>&1 | tee "$run/guest.log" |
		grep --line-buffered -E '^(=== suite|  (fail|skip) |\[drm-svm\]|    \| )'
	vmrc=${PIPESTATUS[0]}
fi

results=$run/results.tsv
touch "$results"
cat "$run/host.tsv" >>"$results"
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
