#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the guest kernel for one flavour and print its build dir.
#
# The unpacked source lives in $DRM_SVM_CACHE/src/<package version>/, the
# build in $DRM_SVM_CACHE/kernel/<flavour>-<key>/, where <key> hashes the
# package version, the config fragments, the flavour and this script. Both
# are produced in a temporary directory and renamed into place, so an
# interrupted run never leaves a half-built cache entry behind.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -n "$(ksrc_version)" ] ||
	die "kernel source" "" "linux-source-6.12 is not installed (run tools/deps.sh)"

mkdir -p "$DRM_SVM_CACHE/logs" "$DRM_SVM_CACHE/kernel" "$DRM_SVM_CACHE/src"
LOG=$DRM_SVM_CACHE/logs/kernel-$DRM_SVM_FLAVOUR.log

unpack_source() {
	local dst tmp
	dst=$(dirname "$(ksrc_dir)")
	[ -f "$dst/.complete" ] && return 0
	msg "unpacking linux-source-6.12 $(ksrc_version)"
	rm -rf "$dst"
	tmp=$(mktemp -d "$DRM_SVM_CACHE/src/.unpack.XXXXXX")
	tar -C "$tmp" -xf /usr/src/linux-source-6.12.tar.xz >"$LOG" 2>&1 ||
		die "unpack kernel source" "$LOG" "tar failed"
	touch "$tmp/.complete"
	mv "$tmp" "$dst"
}

# Every option the fragments set must survive olddefconfig as written (as
# the last fragment that sets it says: a flavour may override the base).
check_config() {
	local cfg=$1 line opt bad=()
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$cfg" || bad+=("$line")
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			! grep -q "^$opt=" "$cfg" || bad+=("$opt=n")
			;;
		esac
	done < <(flavour_fragments | xargs cat |
		 awk '/^CONFIG_[A-Za-z0-9_]+=/ { o = $0; sub(/=.*/, "", o) }
		      /^# CONFIG_[A-Za-z0-9_]+ is not set/ { o = $2 }
		      o != "" { last[o] = $0; if (!(o in seen)) { seen[o] = 1; order[++n] = o }; o = "" }
		      END { for (i = 1; i <= n; i++) print last[order[i]] }')
	[ ${#bad[@]} -eq 0 ] && return 0
	cp "$cfg" "$DRM_SVM_CACHE/logs/rejected.config"
	die "kernel config" "" "Kconfig did not keep: ${bad[*]} (see $DRM_SVM_CACHE/logs/rejected.config)"
}

build() {
	local out=$1 src tmp
	src=$(ksrc_dir)
	tmp=$(mktemp -d "$DRM_SVM_CACHE/kernel/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	msg "building $DRM_SVM_FLAVOUR kernel into $out (log: $LOG)"
	{
		make -C "$src" O="$tmp" x86_64_defconfig &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$tmp" "$tmp/.config" \
			"$src/kernel/configs/kvm_guest.config" $(flavour_fragments) &&
		make -C "$src" O="$tmp" olddefconfig
	} >"$LOG" 2>&1 || die "kernel config" "$LOG" "configuring failed"
	check_config "$tmp/.config"
	make -C "$src" O="$tmp" -j"$(nproc)" bzImage modules >>"$LOG" 2>&1 ||
		die "kernel build" "$LOG" "make bzImage modules failed"
	make -C "$src" O="$tmp" INSTALL_MOD_PATH="$tmp/mods" modules_install >>"$LOG" 2>&1 ||
		die "kernel modules_install" "$LOG" "modules_install failed"
	make -C "$src" O="$tmp" -s kernelrelease >"$tmp/kernelrelease"
	trap - EXIT
	rm -rf "$out"
	mv "$tmp" "$out"
}

out=$(kernel_dir)
if [ "${1:-}" = --dir ]; then
	printf '%s\n' "$out"
	exit 0
fi
# One build at a time per cache: a second caller waits, then reuses it.
exec 8>"$DRM_SVM_CACHE/kernel/.lock"
flock 8
if [ ! -f "$out/arch/x86/boot/bzImage" ]; then
	unpack_source
	start=$(date +%s)
	build "$out"
	msg "kernel built in $(( $(date +%s) - start )) s"
fi
printf '%s\n' "$out"
