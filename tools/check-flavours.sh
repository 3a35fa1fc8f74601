#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: run tools/check.sh once per kernel flavour in
# $DRM_SVM_FLAVOURS (default: $DRM_SVM_FLAVOUR alone), then print one
# "N passed, N failed, N skipped" line over all of them. The host suites
# run with the first flavour only: they do not depend on the kernel. Each
# flavour's results go to $DRM_SVM_OUT/<flavour>/check (the first one's
# to $DRM_SVM_OUT/check, as a plain make check). CI runs both flavours:
#   DRM_SVM_FLAVOURS="default debug" make check
set -uo pipefail
. "$(dirname "$0")/lib.sh"

flavours=${DRM_SVM_FLAVOURS:-$DRM_SVM_FLAVOUR}
all=$DRM_SVM_OUT/check-all.tsv
: >"$all"
first=1 rc=0
for f in $flavours; do
	out=$DRM_SVM_OUT
	if [ $first = 0 ]; then
		out=$DRM_SVM_OUT/$f
		echo
		echo "=== flavour $f"
		# Our modules, built again for this flavour's kernel.
		DRM_SVM_FLAVOUR=$f DRM_SVM_OUT=$out make -s -C "$DRM_SVM_ROOT" modules || {
			printf '%s\tmodules\tfail\tmake modules failed for the %s kernel\n' \
				"$f" "$f" >>"$all"
			rc=1
			continue
		}
	fi
	DRM_SVM_FLAVOUR=$f DRM_SVM_OUT=$out DRM_SVM_HOST_SUITES=$first \
		bash "$DRM_SVM_ROOT/tools/check.sh" || rc=1
	sed "s/^/$f:/" "$out/check/results.tsv" >>"$all"
	first=0
done
# Leave the modules of the first flavour in the tree, as make modules does.
[ "$first" = 0 ] && [ "$(echo $flavours | wc -w)" -gt 1 ] &&
	make -s -C "$DRM_SVM_ROOT" modules

p=$(awk -F'\t' '$3 == "pass"' "$all" | wc -l)
f=$(awk -F'\t' '$3 == "fail"' "$all" | wc -l)
s=$(awk -F'\t' '$3 == "skip"' "$all" | wc -l)
if [ "$(echo $flavours | wc -w)" -gt 1 ]; then
	echo
	echo "All flavours ($flavours):"
	[ $f -gt 0 ] && awk -F'\t' '$3 == "fail" { printf "  %s: %s %s\n", $1, $2, $4 }' "$all"
	echo
	echo "$p passed, $f failed, $s skipped"
fi
[ $rc -eq 0 ] && [ $f -eq 0 ]
