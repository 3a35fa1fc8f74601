#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what drm-svm needs from Debian's archive. Idempotent: when every
# package is present it prints nothing and touches no network.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The LLVM version the compiler is built with is named in one place.
LLVM=$(sed -n 's/^LLVM_VERSION *:= *//p' "$(dirname "$0")/../compiler/llvm.mk")

PKGS=(
	# kernel source and build tools
	linux-source-6.12 build-essential flex bison bc libelf-dev libssl-dev
	dwarves cpio kmod xz-utils rsync python3 perl
	# guest
	qemu-system-x86
	# lint
	sparse
	# userspace stacks
	pkg-config libdrm-dev intel-gpu-tools libcap-dev
	ocl-icd-opencl-dev ocl-icd-libopencl1 opencl-headers clinfo pocl-opencl-icd
	# compiler/ and its host tests
	clang-$LLVM lld-$LLVM llvm-$LLVM-dev qemu-user
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

log=$DRM_SVM_CACHE/logs/apt.log
mkdir -p "$(dirname "$log")"
if [ "$(id -u)" -ne 0 ]; then
	die "dependencies" "" "missing packages (${missing[*]}); run as root or install them"
fi
msg "installing ${missing[*]} (log: $log)"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent on a fresh machine.
apt-get update -q >"$log" 2>&1 || die "apt-get update" "$log" "could not update package lists"
apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
	die "apt-get install" "$log" "could not install ${missing[*]}"
