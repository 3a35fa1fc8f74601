#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host suite: the OpenCL test programs of opencl/tests on Debian's pocl 3.1
# (the CPU reference implementation), each test in a process of its own
# (pocl aborts on some bad calls). Run by tools/check.sh before the guest
# boots, or alone: bash tests/host/60-opencl-pocl.sh. Needs build/opencl from
# "make -C opencl".
#
# This measures the reference, not our stack: a test pocl passes is a
# pass; one it skips is a skip with pocl's reason; one it fails (or dies
# in) is recorded as a skip whose reason starts "pocl fails:" and says
# why, so that make check stays about drm-svm while the note of
# docs/opencl.md can list exactly what the reference does.
. "$(dirname "$0")/../lib.sh"

S=opencl-pocl
DIR=$BUILD_DIR/opencl/tests
ICD=/etc/OpenCL/vendors/pocl.icd
TIMEOUT=${DRM_SVM_OPENCL_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -d "$DIR" ]; then
	result $S build skip "no $DIR: run make -C opencl"
	exit 0
fi
if [ ! -f "$ICD" ]; then
	result $S pocl skip "no $ICD (pocl-opencl-icd, tools/deps.sh installs it)"
	exit 0
fi

for prog in cl_api cl_kernel cl_svm cl_popple; do
	bin=$DIR/$prog
	[ -x "$bin" ] || { result $S "$prog" skip "no $bin"; continue; }
	for t in $("$bin" --list); do
		# (braces: the shell's own "Segmentation fault" line goes away too)
		{ OCL_ICD_VENDORS=$ICD timeout -k 10 "$TIMEOUT" "$bin" "$t" >"$tmp/out" 2>"$tmp/err" </dev/null; } 2>/dev/null
		rc=$?
		cat "$tmp/out" "$tmp/err" >>"${DRM_SVM_RUN:-/tmp}/opencl-pocl.log"
		line=$(grep -m1 -E "^(ok|fail|skip) $t(:|$)" "$tmp/out")
		reason=$(printf '%s' "${line#*: }" | tr '\t' ' ' | cut -c1-250)
		case $line in
		ok*) result $S "$prog@$t" pass ;;
		skip*) result $S "$prog@$t" skip "$reason" ;;
		fail*) result $S "$prog@$t" skip "pocl fails: $reason" ;;
		*) result $S "$prog@$t" skip "pocl fails: exit status $rc, $(grep -m1 -v '^$' "$tmp/err" | cut -c1-150)" ;;
		esac
	done
done
exit 0
