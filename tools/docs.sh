#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel documentation of drm-svm and vsvm: docs/*.rst pull the DOC:
# blocks and kernel-doc comments of the sources in with kernel-doc
# directives, as the kernel's own Documentation/ does, rendered with the
# kernel's scripts/kernel-doc and Sphinx extension (from the unpacked
# linux-source-6.12).
#
#   tools/docs.sh          make docs: HTML in $DRM_SVM_OUT/docs/html
#                          (installs python3-sphinx if missing)
#   tools/docs.sh --check  make lint: every directive must resolve, with
#                          no kernel-doc warning (no Sphinx needed)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=$(ksrc_dir)
[ -x "$ksrc/scripts/kernel-doc" ] || [ -f "$ksrc/scripts/kernel-doc" ] ||
	die "docs" "" "no $ksrc/scripts/kernel-doc (run make kernel)"
cd "$DRM_SVM_ROOT"

# Print "file<TAB>option<TAB>value" for each kernel-doc directive of $1.
directives() {
	awk '/^\.\. kernel-doc::/ { f = $3; next }
	     f != "" && /^   :[a-z]+:/ {
		opt = $1; gsub(":", "", opt); $1 = ""; sub(/^ /, "");
		print f "\t" opt "\t" $0; f = ""; next }
	     f != "" { print f "\t\t"; f = "" }' "$1"
}

check() {
	local rst f opt val out err bad=0
	for rst in docs/*.rst; do
		while IFS=$'\t' read -r f opt val; do
			local args=(-rst -Wall -sphinx-version 5.3.0)
			case "$opt" in
			doc) args+=(-function "$val") ;;
			export) args+=(-export) ;;
			internal) args+=(-internal) ;;
			identifiers|functions) for i in $val; do args+=(-function "$i"); done ;;
			esac
			if [ ! -f "$f" ]; then
				echo "$rst: kernel-doc:: $f: no such file"
				bad=1
				continue
			fi
			err=$(perl "$ksrc/scripts/kernel-doc" "${args[@]}" "$f" 2>&1 >/dev/null)
			out=$(perl "$ksrc/scripts/kernel-doc" "${args[@]}" "$f" 2>/dev/null)
			if [ -n "$err" ]; then
				echo "$rst: $f${opt:+ :$opt: $val}:"
				echo "$err" | sed 's/^/    /'
				bad=1
			elif [ -z "$(echo "$out" | tr -d '[:space:]')" ]; then
				echo "$rst: $f${opt:+ :$opt: $val}: renders nothing"
				bad=1
			fi
		done < <(directives "$rst")
	done
	return $bad
}

if [ "${1:-}" = --check ]; then
	check
	exit
fi

check || die "docs" "" "fix the directives above first"
if ! command -v sphinx-build >/dev/null; then
	[ "$(id -u)" -eq 0 ] || die "docs" "" "sphinx-build missing: apt-get install python3-sphinx"
	msg "installing python3-sphinx"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		python3-sphinx >"$DRM_SVM_OUT/docs-apt.log" 2>&1 ||
		die "docs: install python3-sphinx" "$DRM_SVM_OUT/docs-apt.log" "apt-get failed"
fi
out=$DRM_SVM_OUT/docs
rm -rf "$out"
mkdir -p "$out"
cat >"$out/conf.py" <<CONF
import sys
sys.path.insert(0, "$ksrc/Documentation/sphinx")
project = "drm-svm"
extensions = ["kerneldoc"]
kerneldoc_bin = "$ksrc/scripts/kernel-doc"
kerneldoc_srctree = "$DRM_SVM_ROOT"
master_doc = "index"
exclude_patterns = []
CONF
sphinx-build -q -b html -c "$out" docs "$out/html" 2>"$out/sphinx.log" ||
	die "docs: sphinx-build" "$out/sphinx.log" "rendering failed"
grep -E 'WARNING|ERROR' "$out/sphinx.log" | grep -v 'md:' | head -20
msg "docs in $out/html (index.html)"
