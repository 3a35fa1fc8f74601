#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Last suite: with a kmemleak kernel (the debug flavour), unload our
# modules so everything they allocated is freed, scan twice (kmemleak
# reports an object only once it stayed unreferenced over a scan), and
# fail on any leak it reports. guest-check.sh cleared what boot left.
. "$(dirname "$0")/../lib.sh"

S=kmemleak
KML=/sys/kernel/debug/kmemleak

if [ ! -w "$KML" ]; then
	result $S scan skip "kernel without CONFIG_DEBUG_KMEMLEAK (the debug flavour has it)"
	exit 0
fi
for m in vsvm test_hmm drm_svm_test drm_svm; do
	[ -d /sys/module/$m ] && mod_unload $m
done
echo scan >"$KML"
sleep 6
echo scan >"$KML"
leaks=$(grep -c '^unreferenced object' "$KML")
if [ "$leaks" -eq 0 ]; then
	result $S scan pass
else
	cp "$KML" "${DRM_SVM_RUN:-/tmp}/kmemleak.txt"
	result $S scan fail "$leaks unreferenced objects: $(grep -m1 -A12 '^unreferenced object' "$KML" |
		grep -m3 -E '^\s+\[<' | sed 's/.*\] //' | tr '\n' ' ')(all in kmemleak.txt)"
fi
