#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build tools/testing/selftests/mm/hmm-tests.c from the same 6.12 source as
# the guest kernel, into build/hmm-tests, and the demos: build/hmm-demo
# drives the same device, build/vsvm-demo the vsvm driver; and the
# benchmarks, build/svm-bench and build/shader-bench, and build/shader-demo
# (the last two with their kernels, build/*.vsvmp, compiled by vsvm-cc).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(ksrc_dir)
out=$DRM_SVM_ROOT/build/hmm-tests
in=$src/tools/testing/selftests/mm/hmm-tests.c
[ -f "$in" ] || die "hmm-tests" "" "$in missing (run make kernel first)"
mkdir -p "$(dirname "$out")" "$DRM_SVM_CACHE/logs"
log=$DRM_SVM_CACHE/logs/hmm-tests.log

# [LIBS=...] cc_if_stale OUT SRC FLAGS...
cc_if_stale() {
	local o=$1 c=$2
	shift 2
	[ "$o" -nt "$c" ] && return 0
	# shellcheck disable=SC2086
	gcc -O2 -Wall "$@" -o "$o.tmp" "$c" ${LIBS:-} -lpthread >"$log" 2>&1 ||
		die "build $(basename "$o")" "$log" "gcc failed"
	mv "$o.tmp" "$o"
}

cc_if_stale "$out" "$in" -I"$src/tools/testing/selftests" -I"$src"
cc_if_stale "$DRM_SVM_ROOT/build/hmm-demo" "$DRM_SVM_ROOT/tools/demo/hmm-demo.c" \
	-std=gnu11 -Wextra -Werror -I"$src"
# The vsvm programs open their device through libdrm_vsvm (built first).
vsvm_pc() {
	PKG_CONFIG_PATH=$DRM_SVM_ROOT/build/lib/pkgconfig pkg-config "$@" libdrm_vsvm
}
# shellcheck disable=SC2046
LIBS=$(vsvm_pc --libs) cc_if_stale "$DRM_SVM_ROOT/build/vsvm-demo" \
	"$DRM_SVM_ROOT/tools/demo/vsvm-demo.c" -std=gnu11 -Wextra -Werror \
	$(vsvm_pc --cflags)
# shellcheck disable=SC2046
LIBS=$(vsvm_pc --libs) cc_if_stale "$DRM_SVM_ROOT/build/svm-bench" \
	"$DRM_SVM_ROOT/tools/bench/svm-bench.c" -std=gnu11 -Wextra -Werror \
	$(vsvm_pc --cflags) -I"$src"
# The shader core's benchmark: libdrm_vsvm and libvsvm_cc from build/lib.
cc_pc() { PKG_CONFIG_PATH=$DRM_SVM_ROOT/build/lib/pkgconfig pkg-config "$@"; }
# shellcheck disable=SC2046
LIBS="$(cc_pc --libs libdrm_vsvm libvsvm_cc)" cc_if_stale "$DRM_SVM_ROOT/build/shader-bench" \
	"$DRM_SVM_ROOT/tools/bench/shader-bench.c" -std=gnu11 -Wextra -Werror \
	$(cc_pc --cflags libdrm_vsvm libvsvm_cc)
bench_cl=$DRM_SVM_ROOT/tools/bench/shader-bench.cl
bench_prog=$DRM_SVM_ROOT/build/shader-bench.vsvmp
if [ ! "$bench_prog" -nt "$bench_cl" ]; then
	"$DRM_SVM_ROOT/build/bin/vsvm-cc" -cl-std=CL3.0 -o "$bench_prog" "$bench_cl" >"$log" 2>&1 ||
		die "build shader-bench.vsvmp" "$log" "vsvm-cc failed"
fi
# The shader core's demo (make demo), the same way.
# shellcheck disable=SC2046
LIBS="$(cc_pc --libs libdrm_vsvm libvsvm_cc)" cc_if_stale "$DRM_SVM_ROOT/build/shader-demo" \
	"$DRM_SVM_ROOT/tools/demo/shader-demo.c" -std=gnu11 -Wextra -Werror \
	$(cc_pc --cflags libdrm_vsvm libvsvm_cc)
demo_cl=$DRM_SVM_ROOT/tools/demo/shader-demo.cl
demo_prog=$DRM_SVM_ROOT/build/shader-demo.vsvmp
if [ ! "$demo_prog" -nt "$demo_cl" ]; then
	"$DRM_SVM_ROOT/build/bin/vsvm-cc" -cl-std=CL3.0 -o "$demo_prog" "$demo_cl" >"$log" 2>&1 ||
		die "build shader-demo.vsvmp" "$log" "vsvm-cc failed"
fi
