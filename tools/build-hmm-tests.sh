#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build tools/testing/selftests/mm/hmm-tests.c from the same 6.12 source as
# the guest kernel, into build/hmm-tests, and the demos: build/hmm-demo
# drives the same device, build/vsvm-demo the vsvm driver; and the
# benchmark, build/svm-bench.
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
