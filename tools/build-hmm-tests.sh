#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build tools/testing/selftests/mm/hmm-tests.c from the same 6.12 source as
# the guest kernel, into build/hmm-tests, and the demo that drives the same
# device, build/hmm-demo.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(ksrc_dir)
out=$DRM_SVM_ROOT/build/hmm-tests
in=$src/tools/testing/selftests/mm/hmm-tests.c
[ -f "$in" ] || die "hmm-tests" "" "$in missing (run make kernel first)"
mkdir -p "$(dirname "$out")" "$DRM_SVM_CACHE/logs"
log=$DRM_SVM_CACHE/logs/hmm-tests.log

# cc_if_stale OUT SRC FLAGS...
cc_if_stale() {
	local o=$1 c=$2
	shift 2
	[ "$o" -nt "$c" ] && return 0
	gcc -O2 -Wall "$@" -o "$o.tmp" "$c" -lpthread >"$log" 2>&1 ||
		die "build $(basename "$o")" "$log" "gcc failed"
	mv "$o.tmp" "$o"
}

cc_if_stale "$out" "$in" -I"$src/tools/testing/selftests" -I"$src"
cc_if_stale "$DRM_SVM_ROOT/build/hmm-demo" "$DRM_SVM_ROOT/tools/demo/hmm-demo.c" \
	-std=gnu11 -Wextra -Werror -I"$src"
