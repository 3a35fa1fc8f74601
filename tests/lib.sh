# SPDX-License-Identifier: GPL-2.0
# Helpers for the suites that run inside the guest (tests/suites/*.sh).
# Source it. Expects DRM_SVM_KDIR (kernel build dir) and DRM_SVM_RUN (the
# host-shared run directory, /mnt) from tools/vm.sh.

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$TESTS_DIR")
BUILD_DIR=${DRM_SVM_BUILD:-$REPO_DIR/build}
# Host suites get their results file from tools/check.sh.
RESULTS=${DRM_SVM_RESULTS:-${DRM_SVM_RUN:-/tmp}/results.tsv}
MODROOT=/tmp/modules

# result SUITE TEST pass|fail|skip [REASON]
result() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$RESULTS"
	printf '  %-4s %s: %s%s\n' "$3" "$1" "$2" "${4:+ ($4)}"
}

# Module tree in tmpfs: the kernel's own modules plus ours, so that
# modprobe resolves dependencies (drm_buddy, drm_exec, ...).
modules_setup() {
	[ -d "$MODROOT" ] && return 0
	local rel
	rel=$(cat "$DRM_SVM_KDIR/kernelrelease")
	mkdir -p "$MODROOT/lib/modules"
	cp -a "$DRM_SVM_KDIR/mods/lib/modules/$rel" "$MODROOT/lib/modules/"
	mkdir -p "$MODROOT/lib/modules/$rel/extra"
	find "$REPO_DIR/drm-svm" "$REPO_DIR/drivers" -name '*.ko' \
		-exec cp {} "$MODROOT/lib/modules/$rel/extra/" \;
	depmod -b "$MODROOT" "$rel"
}

# mod_load NAME [PARAMS...]: prints modprobe's error and fails if it fails.
mod_load() {
	modules_setup
	modprobe -d "$MODROOT" "$@"
}

mod_unload() {
	modprobe -d "$MODROOT" -r "$@"
}

# thp_set always|madvise|never
thp_set() {
	echo "$1" >/sys/kernel/mm/transparent_hugepage/enabled
}
