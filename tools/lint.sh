#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch.pl --strict, sparse (C=2) with W=1, and
# kernel-doc -none -Wall over every kernel source and header of drm-svm,
# and every kernel-doc directive of docs/*.rst resolving without warning.
# Prints the findings; exit status 1 when there are any.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

cd "$DRM_SVM_ROOT"
ksrc=$(ksrc_dir)
kdir=$(bash tools/kernel.sh --dir)
[ -d "$kdir" ] || die "lint" "" "kernel not built (run make kernel)"
mapfile -t files < <(git ls-files --cached --others --exclude-standard \
	'drm-svm/*.[ch]' 'drivers/*.[ch]' 'include/*.h' 'uapi/*.h')
bad=0
log=$DRM_SVM_OUT/lint.log
mkdir -p "$DRM_SVM_OUT"

echo "checkpatch --strict (${#files[@]} files)"
for f in "${files[@]}"; do
	out=$(perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--show-types --ignore FILE_PATH_CHANGES -f "$f" 2>&1) || {
		echo "$out"
		bad=1
	}
done

echo "kernel-doc -none -Wall"
out=$(perl "$ksrc/scripts/kernel-doc" -none -Wall "${files[@]}" 2>&1)
[ -z "$out" ] || { echo "$out"; bad=1; }

echo "docs: kernel-doc directives of docs/*.rst"
bash tools/docs.sh --check || bad=1

echo "sparse (C=2) with W=1"
make -C "$kdir" M="$DRM_SVM_ROOT" W=1 C=2 modules >"$log" 2>&1 || {
	tail -n 30 "$log"
	bad=1
}
if grep -E 'warning:|error:' "$log"; then
	bad=1
fi

[ $bad -eq 0 ] && echo "lint clean" || echo "lint found problems"
exit $bad
