#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The OpenCL implementation (opencl/, see docs/opencl.md) on vsvm with two
# devices, through Debian's ocl-icd and OCL_ICD_VENDORS=build/opencl/vsvm.icd:
#
#  - opencl@clinfo-platform: clinfo lists the vsvm platform and both devices;
#  - opencl@clinfo-svm-caps: each device shows the four SVM capabilities
#    (coarse buffer, fine buffer, fine system, atomics) exactly when the
#    kernel advertises the shader core, SVM and atomics (else a skip that
#    says what the kernel lacks, after checking that none is claimed);
#  - opencl@install: make install's layout, in /tmp, is found by ocl-icd;
#  - opencl@<program>@<test>: the test programs of opencl/tests (API,
#    kernels, the OpenCL-CTS SVM semantics, Popple's atomics program, the
#    latter with THP "always" and "never"). Each prints ok/fail/skip lines;
#    a test listed by --list but never reported fails (crash), and so does
#    a program that times out.
#
# Logs: $DRM_SVM_RUN/opencl-*.log; measurements (info lines: compile times,
# Popple's counts, grants and revocations) in $DRM_SVM_RUN/opencl-info.txt.
. "$(dirname "$0")/../lib.sh"

S=opencl
DIR=$BUILD_DIR/opencl
RUN=${DRM_SVM_RUN:-/tmp}
TIMEOUT=${DRM_SVM_OPENCL_TIMEOUT:-600}
INFO=$RUN/opencl-info.txt
: >"$INFO"

if [ ! -f "$DIR/vsvm.icd" ]; then
	result $S build fail "no $DIR/vsvm.icd (make -C opencl)"
	exit 0
fi
if [ ! -f "${DRM_SVM_KDIR:-/nonexistent}/kernelrelease" ]; then
	result $S vsvm skip "no guest kernel (DRM_SVM_KDIR): needs vsvm.ko"
	exit 0
fi
if ! out=$(mod_load vsvm num_devices=2 2>&1); then
	result $S vsvm fail "mod_load vsvm: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-200)"
	exit 0
fi
export OCL_ICD_VENDORS=$DIR/vsvm.icd

# ---------------------------------------------------------------- clinfo
clinfo >"$RUN/opencl-clinfo.txt" 2>&1
feat=$("$DIR/tools/vsvm-features" 2>/dev/null)
# The tests check that migrations reach VRAM when there is some.
export CLT_VSVM_VRAM=${feat##* vram }
if ! grep -q '^ *Platform Name *drm-svm vsvm$' "$RUN/opencl-clinfo.txt"; then
	result $S clinfo-platform fail "clinfo does not list the drm-svm vsvm platform"
elif ! grep -q '^Number of devices *2$' "$RUN/opencl-clinfo.txt"; then
	result $S clinfo-platform fail "clinfo: $(grep -m1 'Number of devices' "$RUN/opencl-clinfo.txt")"
else
	result $S clinfo-platform pass
fi
caps=0
for c in 'Coarse-grained buffer sharing' 'Fine-grained buffer sharing' \
	'Fine-grained system sharing' 'Atomics'; do
	n=$(grep -cE "^ +$c +Yes\$" "$RUN/opencl-clinfo.txt")
	caps=$((caps + n))
done
case "$feat" in
*"svm 1 atomics 1 shader 1"*)
	if [ $caps -eq 8 ]; then
		result $S clinfo-svm-caps pass
	else
		result $S clinfo-svm-caps fail "$caps of the 8 SVM capability lines say Yes (kernel: $feat)"
	fi ;;
"")
	result $S clinfo-svm-caps fail "vsvm-features could not read the device" ;;
*)
	if [ $caps -ne 0 ]; then
		result $S clinfo-svm-caps fail "capabilities claimed that the kernel lacks ($feat)"
	else
		result $S clinfo-svm-caps skip "the kernel lacks the shader core, SVM or atomics ($feat): no SVM capability claimed"
	fi ;;
esac

# ---------------------------------------------------------------- install
# make install's layout (library + vendors/vsvm.icd naming it), into /tmp,
# found by ocl-icd through a vendors directory as /etc/OpenCL/vendors is.
inst=$(mktemp -d /tmp/oclinst.XXXXXX)
if ! out=$(make -s -C "$REPO_DIR/opencl" install PREFIX="$inst/usr" VENDORS="$inst/vendors" 2>&1); then
	result $S install fail "make install: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-200)"
elif ! OCL_ICD_VENDORS=$inst/vendors clinfo -l 2>&1 | grep -q 'Platform #0: drm-svm vsvm'; then
	result $S install fail "the installed ICD is not listed by clinfo -l ($(cat "$inst/vendors/vsvm.icd"))"
else
	result $S install pass
fi
rm -rf "$inst"

# ---------------------------------------------------------------- programs
# run_prog NAME SUFFIX ARGS...: one test program; results opencl@NAME@TEST[SUFFIX].
run_prog() {
	local name=$1 suffix=$2 bin=$DIR/tests/$1 log=$RUN/opencl-$1$2.log rc t st reason
	shift 2
	if [ ! -x "$bin" ]; then
		result $S "$name" fail "no $bin"
		return
	fi
	"$bin" --list >"$RUN/.listed" 2>/dev/null
	timeout -k 10 "$TIMEOUT" "$bin" "$@" >"$RUN/.out" 2>"$RUN/.err" </dev/null
	rc=$?
	{
		echo "==== $bin $* (exit status $rc)"
		cat "$RUN/.out"
		echo "---- stderr"
		cat "$RUN/.err"
	} >>"$log"
	grep '^info ' "$RUN/.out" | sed "s/^info /$name$suffix@/" >>"$INFO"
	while read -r st t reason; do
		t=${t%:}
		case $st in
		ok) result $S "$name@$t$suffix" pass ;;
		fail) result $S "$name@$t$suffix" fail "$reason" ;;
		skip) result $S "$name@$t$suffix" skip "$reason" ;;
		esac
	done < <(grep -E '^(ok|fail|skip) ' "$RUN/.out")
	for t in $(cat "$RUN/.listed"); do
		grep -qE "^(ok|fail|skip) $t(:|$)" "$RUN/.out" ||
			result $S "$name@$t$suffix" fail "not reported (exit status $rc$([ $rc = 124 ] && echo ', timed out'))"
	done
	rm -f "$RUN/.out" "$RUN/.err" "$RUN/.listed"
}

run_prog cl_api ""
run_prog cl_kernel ""
run_prog cl_svm ""
thp_was=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled)
for thp in always never; do
	thp_set $thp
	run_prog cl_popple "@thp-$thp"
done
[ -n "$thp_was" ] && thp_set "$thp_was"

if ! out=$(mod_unload vsvm 2>&1); then
	result $S vsvm-unload fail "mod_unload vsvm: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-200)"
fi
exit 0
