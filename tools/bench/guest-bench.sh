#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of make bench.
. "$(dirname "$0")/../../tests/lib.sh"
out=$DRM_SVM_RUN/bench.log
mod_load vsvm || exit 1
mod_load test_hmm || exit 1
rc=0
# The P1 breakdown: svm-bench enables the tracepoints vsvm:vsvm_fault,
# vsvm:vsvm_job_done and drm_svm:drm_svm_get_pages around the COPY it
# traces. A kernel without tracing has no tracefs (svm-bench then prints
# "p1_tracing no", and tools/bench.sh says so).
mountpoint -q /sys/kernel/tracing ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
	echo "guest-bench: no tracefs: the kernel has no tracing, no P1 breakdown" >&2
# P1-P3: warm mirror, streaming, first touch.
for thp in never always; do
	thp_set "$thp"
	"$BUILD_DIR/svm-bench" p 64 "$thp" >>"$out" || rc=1
done
for thp in never always; do
	thp_set "$thp"
	for mib in 64 256; do
		"$BUILD_DIR/svm-bench" w1 "$mib" "$thp" >>"$out" || rc=1
	done
done
# W4: atomics grant + CPU revoke round trips (test_hmm EXCLUSIVE fails
# with THP on 6.12: its column is then empty).
for thp in never always; do
	thp_set "$thp"
	for np in 1 512; do
		"$BUILD_DIR/svm-bench" w4 "$np" "$thp" >>"$out" || rc=1
	done
done
# W1b migrate on first touch, W3 CPU fault-back of a migrated buffer
# (default 256 MiB of VRAM).
for thp in never always; do
	thp_set "$thp"
	"$BUILD_DIR/svm-bench" w1b 64 "$thp" >>"$out" || rc=1
	"$BUILD_DIR/svm-bench" w3 64 "$thp" >>"$out" || rc=1
done
# W5: eviction at 2x oversubscription, with 64 MiB of VRAM (TCG is slow).
mod_unload vsvm
mod_load vsvm vram_size_mb=64 || exit 1
for thp in never always; do
	thp_set "$thp"
	"$BUILD_DIR/svm-bench" w5 "$thp" >>"$out" || rc=1
done
thp_set madvise
mod_unload test_hmm
mod_unload vsvm
# The shader core against the guest CPU.
mod_load vsvm || exit 1
echo shader >>"$out"
"$BUILD_DIR/shader-bench" "$BUILD_DIR/shader-bench.vsvmp" >>"$out" || rc=1
# OpenCL: launch overhead vs a raw DISPATCH, Popple throughput (THP as is).
OCL_ICD_VENDORS=$BUILD_DIR/opencl/vsvm.icd "$BUILD_DIR/opencl/cl-bench" >>"$out" || rc=1
mod_unload vsvm
exit $rc
