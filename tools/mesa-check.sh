#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make mesa-check: check that the userspace series in mesa-patches/ applies
# to Mesa 25.0.7 (Debian's source, sha256-verified) and compiles, and that
# the nouveau GETPARAM patch in kernel-patches/nouveau/ applies to the
# Debian linux-source-6.12 the project builds and compiles. One pass, fail
# or skip line per step; exit status non-zero when a step failed.
#
#   tools/mesa-check.sh [--series DIR] [--kernel-series DIR] [--tsv FILE]
#
#   --series DIR         Mesa patches to check (default mesa-patches/), in
#                        the order of DIR/series; also MESA_CHECK_SERIES
#   --kernel-series DIR  kernel patches (default kernel-patches/nouveau/);
#                        also MESA_CHECK_KERNEL_SERIES
#   --tsv FILE           append "mesa<TAB>step<TAB>pass|fail|skip<TAB>msg"
#                        lines (the format of make check's results.tsv)
#   MESA_CHECK_MIRROR    Debian mirror (default http://deb.debian.org/debian)
#
# Only a Debian mirror that cannot be reached makes a step skip; a patch
# that does not apply or compile fails the step, naming the patch.
# Downloads are cached in $DRM_SVM_CACHE/mesa/ (the Mesa tarball, meson,
# apt's private lists, the work tree), the kernel result in
# $DRM_SVM_CACHE/nouveau/<key>/ok; logs go to $DRM_SVM_OUT/mesa-check/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

MESA_VERSION=25.0.7
MESA_DEB=25.0.7-2+deb13u1	# trixie's package of it
MESA_SHA256=592272df3cf01e85e7db300c449df5061092574d099da275d19e97ef0510f8a6
MESON_DEB=1.7.0-1~bpo12+1	# bookworm-backports; Mesa 25 needs meson >= 1.1
MIRROR=${MESA_CHECK_MIRROR:-http://deb.debian.org/debian}
# What the check needs from Debian's archive; installed (apt-get
# --no-install-recommends) only when missing, and only by this check.
PKGS=(
	build-essential pkg-config git xz-utils flex bison ninja-build
	python3 python3-mako python3-ply python3-yaml
	libdrm-dev zlib1g-dev libexpat1-dev
	# LLVM 15 and what -Dmesa-clc=enabled needs (src/compiler/clc)
	llvm-15-dev libclang-15-dev libclang-cpp15-dev libclc-15-dev
	libllvmspirvlib-15-dev spirv-tools
	# rustfmt of bookworm (1.63) cannot parse the c"" literals of Mesa 25
	rustfmt-web
	# the kernel half
	linux-source-6.12 bc libelf-dev libssl-dev
)

series=${MESA_CHECK_SERIES:-$DRM_SVM_ROOT/mesa-patches}
kseries=${MESA_CHECK_KERNEL_SERIES:-$DRM_SVM_ROOT/kernel-patches/nouveau}
tsv=
while [ $# -gt 0 ]; do
	case "$1" in
	--series) series=$2; shift 2 ;;
	--kernel-series) kseries=$2; shift 2 ;;
	--tsv) tsv=$2; shift 2 ;;
	*) die "mesa-check" "" "unknown argument '$1' (see the head of $0)" ;;
	esac
done
series=$(cd "$series" 2>/dev/null && pwd) || die "mesa-check" "" "no series directory"
kseries=$(cd "$kseries" 2>/dev/null && pwd) || die "mesa-check" "" "no kernel series directory"

cache=$DRM_SVM_CACHE/mesa
logs=$DRM_SVM_OUT/mesa-check
mkdir -p "$cache" "$logs"
# Debian's python, not a pyenv shim without mako; Debian's rustfmt.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C
# git apply outside a repository must not find one above the cache (it
# would then skip files silently).
export GIT_CEILING_DIRECTORIES=$DRM_SVM_CACHE
failed=0 skipped=0

# pass|fail|skip STEP MESSAGE
report() {
	printf '[mesa-check] %-4s %-14s %s\n' "$1" "$2" "$3"
	[ -z "$tsv" ] || printf 'mesa\t%s\t%s\t%s\n' "$2" "$1" "$3" >>"$tsv"
	[ "$1" != fail ] || failed=1
	[ "$1" != skip ] || skipped=$((skipped + 1))
}

# show LOG [LINES]: the lines a person needs to see to fix the failure.
show() {
	sed 's/^/    | /' "$1" | tail -n "${2:-25}"
}

# Patches of a series directory, in the order of its series file.
patches_of() {
	local dir=$1 p
	[ -f "$dir/series" ] || return 1
	while read -r p; do
		case "$p" in '' | '#'*) continue ;; esac
		printf '%s\n' "$dir/$p"
	done <"$dir/series"
}

# ---- packages: an install only mesa-check pays for -------------------------
# Lines of apt's output that mean the mirror could not be reached.
NETFAIL='Temporary failure resolving|Could not (connect|resolve)|Failed to fetch|Unable to fetch|Connection (failed|timed out)'

step_deps() {
	local p missing=() log=$logs/apt.log down=
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		report pass deps "all ${#PKGS[@]} packages installed"
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		report fail deps "missing ${missing[*]}; run as root or install them"
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	# Its status is not the mirror's: another repository may be down.
	apt-get update -q >"$log" 2>&1
	grep -E "$NETFAIL" "$log" | grep -q -i debian && down=1
	if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
		if [ -n "$down" ] || grep -qE "$NETFAIL" "$log"; then
			report skip deps "cannot reach the Debian mirror to install ${missing[*]} (log: $log)"
			return 2
		fi
		report fail deps "apt-get install ${missing[*]} failed (log: $log)"
		show "$log"
		return 1
	fi
	report pass deps "installed ${missing[*]}"
}

# ---- Mesa source and meson, from Debian, cached ----------------------------
# apt_private apt-get|apt-cache ARGS: apt with a private sources list,
# trixie's deb-src for Mesa and bookworm-backports for meson. Nothing of the
# machine's apt configuration changes.
apt_private() {
	local a=$cache/apt
	mkdir -p "$a/lists/partial" "$a/archives/partial"
	cat >"$a/sources.list" <<-EOF
	deb-src $MIRROR trixie main
	deb $MIRROR bookworm-backports main
	EOF
	local tool=$1
	shift
	"$tool" -q -o Dir::Etc::SourceList="$a/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$a/lists" \
		-o Dir::Cache="$a" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Sandbox::User=root "$@"
}

# fetch: the orig tarball of Mesa and the meson .deb into $cache.
step_fetch() {
	local tar=$cache/mesa_$MESA_VERSION.orig.tar.xz
	local mdeb=$cache/meson_${MESON_DEB/:/%3a}_all.deb
	local log=$logs/fetch.log sum dl deb
	: >"$log"
	if [ -f "$tar" ] && [ -f "$mdeb" ]; then
		sum=$(sha256sum "$tar" | cut -d' ' -f1)
		if [ "$sum" = "$MESA_SHA256" ]; then
			report pass fetch "mesa_$MESA_VERSION.orig.tar.xz (cached, sha256 ok), meson $MESON_DEB (cached)"
			return 0
		fi
	fi
	if ! apt_private apt-get update >>"$log" 2>&1 || grep -qE "$NETFAIL" "$log"; then
		report skip fetch "cannot reach the Debian mirror $MIRROR (log: $log)"
		return 2
	fi
	# A later Debian revision of 25.0.7 has the same orig tarball.
	deb=$(apt_private apt-cache showsrc mesa 2>>"$log" | sed -n 's/^Version: //p' |
		grep -xF "$MESA_DEB" || apt_private apt-cache showsrc mesa 2>>"$log" |
		sed -n "s/^Version: \(${MESA_VERSION//./\\.}-.*\)/\1/p" | sort -V | tail -n1)
	if [ -z "$deb" ]; then
		report fail fetch "Debian's trixie no longer has a mesa $MESA_VERSION source package"
		return 1
	fi
	dl=$(mktemp -d "$cache/.dl.XXXXXX")
	if ! (cd "$dl" && apt_private apt-get source --download-only "mesa=$deb" &&
		apt_private apt-get download "meson=$MESON_DEB") >>"$log" 2>&1; then
		rm -rf "$dl"
		if grep -qE "$NETFAIL" "$log"; then
			report skip fetch "cannot reach the Debian mirror $MIRROR (log: $log)"
			return 2
		fi
		report fail fetch "apt-get could not download mesa=$deb / meson=$MESON_DEB (log: $log)"
		show "$log"
		return 1
	fi
	sum=$(sha256sum "$dl/mesa_$MESA_VERSION.orig.tar.xz" | cut -d' ' -f1)
	if [ "$sum" != "$MESA_SHA256" ]; then
		rm -rf "$dl"
		report fail fetch "mesa_$MESA_VERSION.orig.tar.xz has sha256 $sum, expected $MESA_SHA256"
		return 1
	fi
	mv "$dl/mesa_$MESA_VERSION.orig.tar.xz" "$tar"
	mv "$dl"/meson_*_all.deb "$mdeb"
	rm -rf "$dl"
	# apt's "Fetched 47.0 MB in 0s" lines: lists, source package, meson.
	sum=$(awk '/^Fetched / { v = $2; u = $3; if (u == "kB") v /= 1000; else if (u == "B") v /= 1e6;
		t += v } END { printf "%.1f MB", t }' "$log")
	report pass fetch "mesa_$MESA_VERSION.orig.tar.xz from mesa $deb (sha256 ok), meson $MESON_DEB; $sum downloaded"
}

# meson: bookworm-backports' meson unpacked (not installed) into $cache.
MESON=
step_meson() {
	local deb=$cache/meson_${MESON_DEB/:/%3a}_all.deb dir=$cache/meson-$MESON_DEB tmp v
	if [ ! -x "$dir/usr/bin/meson" ]; then
		tmp=$(mktemp -d "$cache/.meson.XXXXXX")
		if ! dpkg-deb -x "$deb" "$tmp" >"$logs/meson.log" 2>&1; then
			rm -rf "$tmp"
			report fail meson "dpkg-deb -x $deb failed"
			show "$logs/meson.log"
			return 1
		fi
		rm -rf "$dir"
		mv "$tmp" "$dir"
	fi
	# ninja runs meson again for generated files: export, not env.
	export PYTHONPATH=$dir/usr/lib/python3/dist-packages
	MESON="python3 $dir/usr/bin/meson"
	if ! v=$($MESON --version 2>"$logs/meson.log"); then
		report fail meson "unpacked meson does not run"
		show "$logs/meson.log"
		return 1
	fi
	report pass meson "meson $v (unpacked in $dir)"
}

# ---- the series ----------------------------------------------------------
tree=$cache/work/mesa-$MESA_VERSION
build=$cache/work/build

step_unpack() {
	local log=$logs/unpack.log
	rm -rf "$cache/work"
	mkdir -p "$cache/work"
	if ! tar -C "$cache/work" --no-same-owner -xf "$cache/mesa_$MESA_VERSION.orig.tar.xz" >"$log" 2>&1; then
		report fail unpack "tar failed"
		show "$log"
		return 1
	fi
	report pass unpack "pristine Mesa $MESA_VERSION in $tree"
}

# apply: each patch of the series in order, git apply --check then git apply.
step_apply() {
	local p n=0 log=$logs/apply.log
	: >"$log"
	if ! patches_of "$series" >/dev/null; then
		report fail apply "no series file in $series"
		return 1
	fi
	while read -r p; do
		n=$((n + 1))
		if [ ! -f "$p" ]; then
			report fail apply "$(basename "$p") is listed in $series/series but missing"
			return 1
		fi
		if ! { git -C "$tree" apply --check "$p" && git -C "$tree" apply "$p"; } >"$log" 2>&1; then
			report fail apply "$(basename "$p") does not apply to Mesa $MESA_VERSION (after $((n - 1)) patches)"
			show "$log"
			return 1
		fi
		report pass apply "$(basename "$p")"
	done < <(patches_of "$series")
	[ $n -gt 0 ] || { report fail apply "$series/series lists no patch"; return 1; }
}

# Files a series touches, one "patch<TAB>path" a line.
touched() {
	local p f
	while read -r p; do
		git apply --numstat "$p" | cut -f3 | while read -r f; do
			printf '%s\t%s\n' "$(basename "$p")" "$f"
		done
	done < <(patches_of "$series")
}

step_configure() {
	local log=$logs/configure.log
	cat >"$cache/work/native.ini" <<-EOF
	[binaries]
	llvm-config = '/usr/bin/llvm-config-15'
	EOF
	# nouveau + llvmpipe against LLVM 15; rusticl off (bookworm's bindgen
	# is too old), clc on so that src/compiler/clc compiles.
	if ! $MESON setup "$build" "$tree" --native-file "$cache/work/native.ini" \
		-Dbuildtype=debugoptimized -Dgallium-drivers=nouveau,llvmpipe \
		-Dgallium-rusticl=false -Dmesa-clc=enabled -Dvulkan-drivers= \
		-Dplatforms= -Dglx=disabled -Degl=disabled -Dgbm=disabled \
		-Dllvm=enabled -Dshared-llvm=enabled -Dvalgrind=disabled \
		-Dlibunwind=disabled -Dzstd=disabled -Db_colorout=never >"$log" 2>&1; then
		report fail configure "meson setup failed (log: $log)"
		show "$log"
		return 1
	fi
	report pass configure "nouveau, llvmpipe, clc; LLVM $(/usr/bin/llvm-config-15 --version)"
}

# compile: the objects of every C/C++ file the series touches.
step_compile() {
	local log=$logs/compile.log srcs objs f n
	srcs=$(touched | cut -f2 | grep -E '\.(c|cpp|cc)$' | sort -u)
	if [ -z "$srcs" ]; then
		report pass compile "no C/C++ file touched"
		return 0
	fi
	objs=$(cd "$build" && printf '%s\n' "$srcs" | python3 -c '
import json, os, sys
want = {os.path.normpath(l.strip()) for l in sys.stdin if l.strip()}
tree = sys.argv[1]
seen = set()
for e in json.load(open("compile_commands.json")):
    src = os.path.relpath(os.path.normpath(os.path.join(e["directory"], e["file"])), tree)
    if src in want:
        seen.add(src)
        print("O", e["output"])
for s in sorted(want - seen):
    print("M", s)
' "$tree")
	n=$(printf '%s\n' "$objs" | grep -c '^O ')
	if printf '%s\n' "$objs" | grep -q '^M '; then
		report fail compile "not built by this configuration: $(printf '%s\n' "$objs" | sed -n 's/^M //p' | tr '\n' ' ')"
		return 1
	fi
	if (cd "$build" && ninja -k 0 $(printf '%s\n' "$objs" | sed -n 's/^O //p')) >"$log" 2>&1; then
		# A warning in a touched file is as bad as an error.
		local w
		w=$(for f in $srcs; do grep -F "$f:" "$log" | grep -E ': warning:'; done)
		if [ -z "$w" ]; then
			report pass compile "$n objects of $(printf '%s\n' "$srcs" | wc -l) touched C/C++ files, no warning"
			return 0
		fi
		report fail compile "warnings in touched files"
		printf '%s\n' "$w" | head -n 20 | sed 's/^/    | /'
		return 1
	fi
	# Name the patches that touch each file with an error.
	local bad pat
	bad=$(grep -oE '^(\.\./)*[^ :]+\.(c|cpp|cc|h|hpp):[0-9]+:[0-9]+: (fatal )?error' "$log" |
		sed -E 's/:[0-9]+:[0-9]+: .*//; s#^(\.\./)+##; s#^mesa-[0-9.]+/##' | sort -u)
	report fail compile "errors in: ${bad:-see log}"
	for f in $bad; do
		f=${f#"$tree/"}
		pat=$(touched | awk -F'\t' -v f="$f" '$2 == f { print $1 }' | sort -u | paste -sd' ')
		printf '    %s: %s\n' "$f" "${pat:-(no patch of the series touches it)}"
		[ -z "$tsv" ] || printf 'mesa\tcompile\tfail\t%s touched by %s\n' "$f" "${pat:-no patch}" >>"$tsv"
	done
	if [ -n "$bad" ]; then
		grep -v -E '^(FAILED:|\[[0-9]+/[0-9]+\]|(cc|c\+\+|gcc|g\+\+) )' "$log" |
			grep -E -B1 -A4 ': (fatal )?error:' | head -n 40 | sed 's/^/    | /'
	else
		grep -A6 '^FAILED' "$log" | head -n 40 | sed 's/^/    | /'
	fi
	echo "    (full log: $log)"
	return 1
}

# rustfmt: what can be checked of the Rust files without rusticl's crates.
step_rustfmt() {
	local log=$logs/rustfmt.log files f bad=
	files=$(touched | cut -f2 | grep -E '\.rs$' | sort -u)
	: >"$log"
	if [ -z "$files" ]; then
		report pass rustfmt "no Rust file touched"
		return 0
	fi
	for f in $files; do
		if ! (cd "$tree" && rustfmt --edition 2021 --color never --check "$f") >>"$log" 2>&1; then
			bad="$bad $f ($(touched | awk -F'\t' -v f="$f" '$2 == f { print $1 }' | sort -u | paste -sd' '))"
		fi
	done
	if [ -n "$bad" ]; then
		report fail rustfmt "not formatted:$bad"
		show "$log" 40
		return 1
	fi
	report pass rustfmt "$(printf '%s\n' "$files" | wc -l) Rust files ($(rustfmt --version | cut -d' ' -f2))"
}

# ---- the kernel half -----------------------------------------------------
# kernel: apply kernel-patches/nouveau to a private copy of the project's
# linux-source-6.12 and build nouveau (=m, CONFIG_DRM_NOUVEAU_SVM=y) with its
# own O= directory. The shared unpacked source and the cached guest kernel
# are never written. A result is cached under the hash of its inputs.
step_kernel() {
	local ver key dir log src shared o p t start names w
	ver=$(ksrc_version)
	if [ -z "$ver" ] || [ ! -f /usr/src/linux-source-6.12.tar.xz ]; then
		if [ "$deps_rc" -eq 2 ]; then
			report skip kernel "linux-source-6.12 could not be installed (no mirror)"
			return 2
		fi
		report fail kernel "linux-source-6.12 is not installed"
		return 1
	fi
	if ! patches_of "$kseries" >/dev/null || [ ! -f "$kseries/check.config" ]; then
		report fail kernel "no series file or check.config in $kseries"
		return 1
	fi
	names=$(patches_of "$kseries" | xargs -n1 basename | paste -sd' ')
	key=$({ echo "$ver recipe 1"; cat "$kseries/check.config"; patches_of "$kseries" | xargs cat; } |
		sha256sum | cut -c1-16)
	dir=$DRM_SVM_CACHE/nouveau/$key
	log=$logs/kernel.log
	if [ -f "$dir/ok" ]; then
		report pass kernel "$(cat "$dir/ok") (cached result)"
		return 0
	fi
	mkdir -p "$DRM_SVM_CACHE/nouveau"
	exec 9>"$DRM_SVM_CACHE/nouveau/.lock"
	flock 9
	# Leftovers of failed runs are big (a source copy and objects).
	for t in "$DRM_SVM_CACHE"/nouveau/*/; do
		[ -f "$t/ok" ] || rm -rf "$t"
	done
	mkdir -p "$dir"
	src=$dir/linux
	o=$dir/build
	shared=$(ksrc_dir)
	if ! (
		set -e
		if [ -f "$(dirname "$shared")/.complete" ]; then
			# Hard links are cheap; every file a patch touches is then
			# replaced by a real copy so that nothing writes through
			# to the shared source.
			echo "copying $shared"
			cp -al "$shared" "$src"
			patches_of "$kseries" | xargs -n1 git apply --numstat | cut -f3 |
				while read -r t; do
					[ ! -e "$src/$t" ] || cp --remove-destination "$shared/$t" "$src/$t"
				done
		else
			echo "unpacking /usr/src/linux-source-6.12.tar.xz"
			mkdir -p "$dir/t"
			tar -C "$dir/t" -xf /usr/src/linux-source-6.12.tar.xz
			mv "$dir/t/linux-source-6.12" "$src"
			rmdir "$dir/t"
		fi
	) >"$log" 2>&1; then
		report fail kernel "could not copy the kernel source"
		show "$log"
		return 1
	fi
	while read -r p; do
		if ! { git -C "$src" apply --check "$p" && git -C "$src" apply "$p"; } >>"$log" 2>&1; then
			report fail kernel "$(basename "$p") does not apply to linux-source-6.12 $ver"
			show "$log"
			return 1
		fi
	done < <(patches_of "$kseries")
	start=$(date +%s)
	if ! {
		make -C "$src" O="$o" x86_64_defconfig &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" "$kseries/check.config" &&
		make -C "$src" O="$o" olddefconfig
	} >>"$log" 2>&1; then
		report fail kernel "configuring failed (log: $log)"
		show "$log"
		return 1
	fi
	w=$(grep '^CONFIG_' "$kseries/check.config" | grep -vxFf "$o/.config" | tr '\n' ' ')
	if [ -n "$w" ]; then
		report fail kernel "Kconfig did not keep: $w"
		return 1
	fi
	if ! make -C "$src" O="$o" -j"$(nproc)" modules_prepare >>"$log" 2>&1 ||
		! make -C "$src" O="$o" -j"$(nproc)" drivers/gpu/drm/nouveau/ >>"$log" 2>&1; then
		report fail kernel "nouveau does not compile with $names (log: $log)"
		grep -E -B1 -A4 ': (fatal )?error:|\*\*\*' "$log" | head -n 40 | sed 's/^/    | /'
		return 1
	fi
	# A warning in a file the patches touch fails the step too.
	w=$(patches_of "$kseries" | xargs -n1 git apply --numstat | cut -f3 | grep '\.c$' |
		while read -r t; do grep -F "$t:" "$log" | grep 'warning:'; done)
	if [ -n "$w" ]; then
		report fail kernel "warnings in files $names touches"
		printf '%s\n' "$w" | head -n 20 | sed 's/^/    | /'
		return 1
	fi
	t=$(find "$o/drivers/gpu/drm/nouveau" -name '*.o' | wc -l)
	printf '%s applies to linux-source-6.12 %s; nouveau (=m, DRM_NOUVEAU_SVM=y) compiles: %d objects in %d s\n' \
		"$names" "$ver" "$t" $(( $(date +%s) - start )) >"$dir/ok.tmp"
	# Keep only the result: the copy and the objects are ~2 GB.
	rm -rf "$src" "$o"
	mv "$dir/ok.tmp" "$dir/ok"
	report pass kernel "$(cat "$dir/ok")"
}

# ---- run -------------------------------------------------------------------
start=$(date +%s)
step_deps
deps_rc=$?
if [ $deps_rc -eq 0 ] && step_fetch; then
	step_meson && step_unpack && step_apply && step_configure &&
		{ step_compile; step_rustfmt; }
fi
[ $deps_rc -eq 1 ] || step_kernel
echo "[mesa-check] $( [ $failed -eq 0 ] && echo passed || echo FAILED )$( [ $skipped -eq 0 ] ||
	echo " ($skipped skipped)") in $(( $(date +%s) - start )) s (logs: $logs)"
[ $failed -eq 0 ]
