#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the guest once and run the workloads of
# tools/bench/svm-bench.c against test_hmm and memcpy in the same run.
# Prints a table per workload; the raw lines are in out/bench/bench.log.
# Runs on the production kernel flavour (no lockdep, DEBUG_VM or DMA-API
# debugging: correctness is checked on the other flavours), or on
# $DRM_SVM_BENCH_FLAVOUR.
set -euo pipefail
DRM_SVM_FLAVOUR=${DRM_SVM_BENCH_FLAVOUR:-production}
export DRM_SVM_FLAVOUR
. "$(dirname "$0")/lib.sh"

make -s -C "$DRM_SVM_ROOT" modules userspace || die "bench" "" "building for the $DRM_SVM_FLAVOUR kernel failed"
run=$DRM_SVM_OUT/bench
rm -rf "$run"
mkdir -p "$run"
echo "make bench on the $DRM_SVM_FLAVOUR kernel flavour, $(date -u +%Y-%m-%d)"
bash "$DRM_SVM_ROOT/tools/vm.sh" --run-dir "$run" --timeout 3000 -- \
	"$DRM_SVM_ROOT/tools/bench/guest-bench.sh" >"$run/guest.log" 2>&1 && rc=0 || rc=$?
[ -f "$run/bench.log" ] || die "bench" "$run/guest.log" "the guest produced no results"

awk '
/^[a-z][0-9a-z]* size_mib|^w[0-9]/ { w = $1 }
/^p size_mib/ { key = $3 " MiB, THP " $5; order[++n] = key; next }
w == "p" && NF == 2 { v[key, $1] = $2 }
END {
	if (!n)
		exit
	print "P1-P3: the CPU prepares, the GPU consumes; fraction of the CPU doing the same (median of 5)"
	print "  P1 warm mirror: GPU first COPY of CPU-written memory / memcpy   (targets: 4K >= 0.25, THP >= 0.50)"
	print "  P2 streaming:   the same COPY again, no fault / memcpy          (targets: 4K >= 0.50, THP >= 0.70)"
	print "  P3 first touch: CPU memset of fresh memory / GPU FILL of it    (target >= 0.90)"
	printf "  %-22s %8s | %8s %6s | %8s %6s | %8s %8s %6s\n", "case", "memcpy", "P1 MB/s", "frac",
		"P2 MB/s", "frac", "P3 GPU", "P3 CPU", "ratio"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "  %-22s %8s | %8s %6s | %8s %6s | %8s %8s %6s\n", k, v[k, "memcpy_mbs"],
			v[k, "p1_warm_mirror_mbs"], v[k, "p1_fraction_of_memcpy"],
			v[k, "p2_streaming_mbs"], v[k, "p2_fraction_of_memcpy"],
			v[k, "p3_gpu_first_touch_mbs"], v[k, "p3_cpu_first_touch_mbs"],
			v[k, "p3_ratio_vs_cpu"]
	}
	print "  P1 breakdown (tracepoints vsvm_fault, vsvm_job_done; % of the COPY submission):"
	printf "  %-22s %7s %8s %9s %6s %8s %7s\n", "case", "faults", "us/fault", "get_pages", "bind",
		"fault etc", "engine"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "  %-22s %7s %8s %8s%% %5s%% %7s%% %6s%%\n", k, v[k, "p1_faults"],
			v[k, "p1_us_per_fault"], v[k, "p1_pct_get_pages"], v[k, "p1_pct_bind"],
			v[k, "p1_pct_fault_other"], v[k, "p1_pct_engine"]
	}
	print ""
}' "$run/bench.log"
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
awk '
/^w[0-9]/ { w = $1 }
/^w4 / { key = $3 " page(s), THP " $5; order[++n] = key; next }
w == "w4" && NF == 2 { v[key, $1] = $2 }
END {
	if (!n)
		exit
	print ""
	print "W4: GPU atomic grant + CPU revoke, us per page (median of 5); ratio = vsvm time / test_hmm time (target <= 1)"
	print "  (vsvm grant = a whole GPU submission that faults; net = minus the same submission without fault;"
	print "   test_hmm corr = EXCLUSIVE minus its bounce read-back; r corr = vsvm / corr, r net = vsvm net / corr)"
	printf "  %-22s %8s %8s %8s %9s | %8s %8s %8s %9s | %6s %6s %6s\n", "case", "grant", "net",
		"revoke", "trips/s", "hmm grnt", "hmm corr", "hmm rev", "trips/s", "ratio", "r corr", "r net"
	for (i = 1; i <= n; i++) {
		k = order[i]
		hg = v[k, "test_hmm_grant_us"]
		if (hg == "")
			hg = "fails"
		printf "  %-22s %8s %8s %8s %9s | %8s %8s %8s %9s | %6s %6s %6s\n", k,
			v[k, "vsvm_grant_us"], v[k, "vsvm_grant_net_us"], v[k, "vsvm_revoke_us"],
			v[k, "vsvm_roundtrips_per_s"],
			hg, v[k, "test_hmm_grant_corrected_us"], v[k, "test_hmm_revoke_us"],
			v[k, "test_hmm_roundtrips_per_s"], v[k, "ratio_time_vs_test_hmm"],
			v[k, "ratio_time_vs_test_hmm_corrected"],
			v[k, "ratio_net_vs_test_hmm_corrected"]
	}
}' "$run/bench.log"
awk '
/^w[0-9]/ { w = $1 }
/^w1b / { key = "W1b " $3 " MiB, THP " $5; order[++n] = key; next }
/^w3 / { key = "W3  " $3 " MiB, THP " $5; order[++n] = key; next }
/^w5 / { key = "W5  VRAM " $3 " MiB, THP " $5; order[++n] = key; next }
(w == "w1b" || w == "w3" || w == "w5") && NF == 2 { v[key, $1] = $2 }
END {
	if (!n)
		exit
	print ""
	print "Device memory, MB/s (median of 5); ratio = vsvm / test_hmm throughput (targets: W1b >= 1.5, W3 >= 4, W5 >= 1)"
	print "  W1b: GPU FILL of fresh memory preferring VRAM vs MIGRATE_TO_DEV minus its read-back"
	print "  W3:  CPU touch of a migrated buffer (vsvm fault-around) vs after MIGRATE_TO_DEV (1 page per fault)"
	print "  W5:  eviction of V bytes from full VRAM vs RELEASE of V bytes (incl. its chunk teardown)"
	printf "  %-30s %10s %10s %7s\n", "case", "vsvm", "test_hmm", "ratio"
	for (i = 1; i <= n; i++) {
		k = order[i]
		if (k ~ /^W1b/) { a = v[k, "vsvm_migrate_first_touch_mbs"]; b = v[k, "test_hmm_migrate_mbs"] }
		else if (k ~ /^W3/) { a = v[k, "vsvm_fault_back_mbs"]; b = v[k, "test_hmm_fault_back_mbs"] }
		else { a = v[k, "vsvm_evict_mbs"]; b = v[k, "test_hmm_release_mbs"] }
		printf "  %-30s %10s %10s %7s\n", k, a, b, v[k, "ratio_vs_test_hmm"]
	}
}' "$run/bench.log"
[ $rc -eq 0 ] || die "bench" "$run/guest.log" "the guest run failed"
