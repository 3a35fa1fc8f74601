#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the guest once and run the workloads of
# tools/bench/svm-bench.c against test_hmm and memcpy in the same run.
# Prints a table per workload; the raw lines are in out/bench/bench.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

run=$DRM_SVM_OUT/bench
rm -rf "$run"
mkdir -p "$run"
bash "$DRM_SVM_ROOT/tools/vm.sh" --run-dir "$run" --timeout 3000 -- \
	"$DRM_SVM_ROOT/tools/bench/guest-bench.sh" >"$run/guest.log" 2>&1 && rc=0 || rc=$?
[ -f "$run/bench.log" ] || die "bench" "$run/guest.log" "the guest produced no results"

awk '
/^w1 / { key = $3 " MiB, THP " $5; order[++n] = key; next }
NF == 2 { v[key, $1] = $2 }
END {
	print "W1: GPU first touch of malloc'\''d memory, MB/s (median of 5; ratio > 1: vsvm faster)"
	printf "  %-26s %8s %8s %6s %7s | %8s %8s %6s | %8s %7s\n", "case", "vsvm wr", "hmm wr", "x",
		"us/flt", "vsvm rd", "hmm rd", "x", "memcpy", "wr/mcpy"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "  %-26s %8s %8s %6s %7s | %8s %8s %6s | %8s %7s\n", k,
			v[k, "vsvm_first_touch_mbs"], v[k, "test_hmm_write_mbs"],
			v[k, "ratio_write_vs_test_hmm_write"], v[k, "vsvm_us_per_fault"],
			v[k, "vsvm_read_first_touch_mbs"], v[k, "test_hmm_read_mbs"],
			v[k, "ratio_read_vs_test_hmm_read"], v[k, "memcpy_mbs"], v[k, "fraction_of_memcpy"]
	}
}' "$run/bench.log"
[ $rc -eq 0 ] || die "bench" "$run/guest.log" "the guest run failed"
