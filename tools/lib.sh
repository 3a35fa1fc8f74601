# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for the drm-svm tooling. Source it, don't run it.

DRM_SVM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DRM_SVM_CACHE=${DRM_SVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drm-svm}
DRM_SVM_FLAVOUR=${DRM_SVM_FLAVOUR:-default}
# Where logs of the current run go; the Makefile exports it.
DRM_SVM_OUT=${DRM_SVM_OUT:-$DRM_SVM_ROOT/out}

msg() { printf '[drm-svm] %s\n' "$*" >&2; }

# die STEP LOGFILE MESSAGE: one clear line naming the step and the log to read.
die() {
	local step=$1 log=$2
	shift 2
	printf '[drm-svm] FAILED at step "%s": %s\n' "$step" "$*" >&2
	if [ -n "$log" ] && [ -f "$log" ]; then
		printf '[drm-svm] read %s (last lines follow)\n' "$log" >&2
		tail -n 25 "$log" | sed 's/^/    | /' >&2
	fi
	exit 1
}

# Version of the Debian linux-source-6.12 package the kernel is built from.
ksrc_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null
}

ksrc_dir() {
	printf '%s/src/%s/linux-source-6.12' "$DRM_SVM_CACHE" "$(ksrc_version)"
}

# Fragments that make up a flavour, in merge order.
flavour_fragments() {
	printf '%s\n' "$DRM_SVM_ROOT/kernel/configs/drm-svm.config"
	case "$DRM_SVM_FLAVOUR" in
	default) ;;
	debug) printf '%s\n' "$DRM_SVM_ROOT/kernel/configs/debug.config" ;;
	production) printf '%s\n' "$DRM_SVM_ROOT/kernel/configs/production.config" ;;
	*) die "kernel config" "" "unknown flavour '$DRM_SVM_FLAVOUR' (default, debug, production)" ;;
	esac
}

# Bump when tools/kernel.sh changes what it builds (not how it reports).
KERNEL_RECIPE=1

# Cache key: source package version, the flavour, its fragments and the
# recipe version.
kernel_key() {
	{
		ksrc_version
		echo "$DRM_SVM_FLAVOUR recipe $KERNEL_RECIPE"
		flavour_fragments | xargs cat
	} | sha256sum | cut -c1-16
}

kernel_dir() {
	printf '%s/kernel/%s-%s' "$DRM_SVM_CACHE" "$DRM_SVM_FLAVOUR" "$(kernel_key)"
}
