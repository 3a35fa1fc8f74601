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

awk -v flavour="$DRM_SVM_FLAVOUR" '
/^[a-z][0-9a-z]* size_mib|^w[0-9]/ { w = $1 }
/^p size_mib/ { key = $3 " MiB, THP " $5; order[++n] = key; next }
w == "p" && NF == 2 { v[key, $1] = $2 }
function pct(x) { return x == "" ? "-" : x "%" }
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
	traced = 0
	notrace = 0
	for (i = 1; i <= n; i++) {
		traced += v[order[i], "p1_faults"] != ""
		notrace += v[order[i], "p1_tracing"] == "no"
	}
	if (!traced && notrace) {
		print "  P1 breakdown: none, the " flavour " kernel has no tracing (CONFIG_TRACING off: no tracefs)"
	} else if (!traced) {
		print "  P1 breakdown: none, no tracepoint events captured (vsvm_fault, vsvm_job_done)"
	} else {
		print "  P1 breakdown (tracepoints vsvm_fault, vsvm_job_done, drm_svm_get_pages; % of the COPY submission):"
		print "  (hmm_fault and dma_map are the parts of get_pages in hmm_range_fault() and DMA mapping)"
		printf "  %-22s %7s %8s %9s %9s %7s %6s %9s %7s\n", "case", "faults", "us/fault",
			"get_pages", "hmm_fault", "dma_map", "bind", "fault etc", "engine"
		for (i = 1; i <= n; i++) {
			k = order[i]
			printf "  %-22s %7s %8s %9s %9s %7s %6s %9s %7s\n", k,
				v[k, "p1_faults"] == "" ? "-" : v[k, "p1_faults"],
				v[k, "p1_us_per_fault"] == "" ? "-" : v[k, "p1_us_per_fault"],
				pct(v[k, "p1_pct_get_pages"]), pct(v[k, "p1_pct_hmm_fault"]),
				pct(v[k, "p1_pct_dma_map"]), pct(v[k, "p1_pct_bind"]),
				pct(v[k, "p1_pct_fault_other"]), pct(v[k, "p1_pct_engine"])
		}
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
/^w[0-9][a-z]* / { w = $1 }
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
/^w[0-9][a-z]* / { w = $1 }
/^w1b / { key = "W1b " $3 " MiB, THP " $5; order[++n] = key; next }
/^w3 / { key = "W3  " $3 " MiB, THP " $5; order[++n] = key; next }
/^w5 / { key = "W5  VRAM " $3 " MiB, THP " $5; order[++n] = key; next }
(w == "w1b" || w == "w3" || w == "w5") && NF == 2 { v[key, $1] = $2 }
END {
	if (!n)
		exit
	print ""
	print "Device memory, MB/s (median of 5); ratio = vsvm / test_hmm throughput (targets: W1b >= 1.5, W3 >= 4, W5 >= 1)"
	print "  W1b: GPU FILL of fresh memory preferring VRAM, plus clearing that VRAM after free (ms, last column),"
	print "       vs MIGRATE_TO_DEV minus its read-back"
	print "  W3:  CPU touch of a migrated buffer (vsvm fault-around) vs after MIGRATE_TO_DEV (1 page per fault)"
	print "  W5:  eviction of V bytes from full VRAM vs RELEASE of V bytes (incl. its chunk teardown)"
	printf "  %-30s %10s %10s %7s %9s\n", "case", "vsvm", "test_hmm", "ratio", "clear ms"
	for (i = 1; i <= n; i++) {
		k = order[i]
		c = ""
		if (k ~ /^W1b/) {
			a = v[k, "vsvm_migrate_first_touch_mbs"]; b = v[k, "test_hmm_migrate_mbs"]
			c = v[k, "vsvm_clear_ms"] < 0 ? "not read" : v[k, "vsvm_clear_ms"]
		}
		else if (k ~ /^W3/) { a = v[k, "vsvm_fault_back_mbs"]; b = v[k, "test_hmm_fault_back_mbs"] }
		else { a = v[k, "vsvm_evict_mbs"]; b = v[k, "test_hmm_release_mbs"] }
		printf "  %-30s %10s %10s %7s %9s\n", k, a, b, v[k, "ratio_vs_test_hmm"], c
	}
	hdr = 0
	for (i = 1; i <= n; i++) {
		k = order[i]
		if (k !~ /^W3/ || !((k, "w3_traced_ms") in v))
			continue
		if (!hdr++) {
			print "  W3 breakdown (tracepoint drm_svm_migrate_vma_to_ram; % of one more vsvm run, traced):"
			print "  (setup = migrate_vma_setup: collect and unmap; copy = system pages + copy; finish ="
			print "   migrate_vma_pages + finalize: remap; rest = fault entry/exit, touches, tracing)"
			printf "  %-30s %6s %9s %7s %7s %7s %7s\n", "case", "faults", "us/fault", "setup", "copy", "finish", "rest"
		}
		t = v[k, "w3_traced_ms"]; m = v[k, "w3_trace_migrations"]
		su = v[k, "w3_trace_setup_ms"]; cp = v[k, "w3_trace_copy_ms"]; fi = v[k, "w3_trace_finish_ms"]
		if (!t || !m)
			continue
		printf "  %-30s %6d %9.1f %6.0f%% %6.0f%% %6.0f%% %6.0f%%\n", k, m, t * 1000 / m,
			100 * su / t, 100 * cp / t, 100 * fi / t, 100 * (t - su - cp - fi) / t
	}
}' "$run/bench.log"
awk '
/^shader$/ { on = 1; next }
/^w[0-9]/ { on = 0 }
on && NF == 2 { v[$1] = $2 }
END {
	if (!("saxpy_native_ms" in v))
		exit
	print ""
	print "Shader core vs the guest CPU, median of 5 (target: ratio <= 25)"
	printf "  %-44s %10s %10s %7s\n", "case", "vsvm ms", "native ms", "ratio"
	printf "  %-44s %10s %10s %7s\n", "saxpy, 2^20 floats, 1 work-item per element",
		v["saxpy_per_item_ms"], v["saxpy_native_ms"], v["saxpy_per_item_ratio"]
	printf "  %-44s %10s %10s %7s\n", "saxpy, 2^20 floats, the loop in 1 work-item",
		v["saxpy_loop_ms"], v["saxpy_native_ms"], v["saxpy_loop_ratio"]
	printf "  %-44s %10s %10s %7s\n", "pointer chase, 2^17 malloc'\''d nodes",
		v["chase_ms"], v["chase_native_ms"], v["chase_ratio"]
	printf "  instructions retired: %s M/s\n", v["shader_minsn_per_s"]
	printf "  Popple counter, GPU atomic adds/s: %s alone, %s with 2 CPU threads adding\n",
		v["counter_gpu_adds_per_s_cpu_threads_0"], v["counter_gpu_adds_per_s_cpu_threads_2"]
}' "$run/bench.log"
awk '
/^ocl / { w = $2; next }
/^w[0-9]/ || /^shader$/ { w = "" }
w != "" && NF == 2 { v[w, $1] = $2; n++ }
END {
	if (!n)
		exit
	print ""
	print "OpenCL on vsvm (median of 7; tools/bench/cl-bench.c)"
	printf "  empty kernel, enqueue to complete: %s us through OpenCL, %s us as a raw DISPATCH: %sx (target <= 1.5)\n",
		v["launch", "opencl_launch_us"], v["launch", "raw_dispatch_us"], v["launch", "ratio_opencl_vs_raw"]
	printf "  Popple counter, device adds/s: %s alone, %s with 2 host threads adding (x%s); grants per run %s / %s\n",
		v["popple", "device_adds_per_s_alone"], v["popple", "device_adds_per_s_contended"],
		v["popple", "ratio_contended_vs_alone"], v["popple", "grants_per_run_alone"],
		v["popple", "grants_per_run_contended"]
}' "$run/bench.log"
[ $rc -eq 0 ] || die "bench" "$run/guest.log" "the guest run failed"
