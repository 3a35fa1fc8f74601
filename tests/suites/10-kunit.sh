#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# KUnit suites of the drm-svm kernel modules. Each test module is loaded
# (modprobe resolves drm_svm.ko and drm_kunit_helpers.ko), its suites run
# at load time; the suites it registered are found by comparing
# /sys/kernel/debug/kunit/ before and after, and every test case of their
# KTAP "results" file becomes one result line "kunit <suite>.<case>".
# Parameterised cases are reported by their parent case.
#
# THP is set to "always" while the modules run, so that the huge-page
# mapping case (drm_svm_pages.drm_test_svm_get_pages_huge) gets huge pages.
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/ktap.sh"

S=kunit
MODULES=(drm_svm_test vsvm_test)
DEBUGFS=/sys/kernel/debug/kunit

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
if [ ! -d "$DEBUGFS" ]; then
	result $S debugfs fail "$DEBUGFS missing (CONFIG_KUNIT_DEBUGFS)"
	exit 0
fi

suites() {
	find "$DEBUGFS" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort
}

# run_module NAME: load, collect the new suites' results, unload.
run_module() {
	local mod=$1 before after suite res name st reason n err
	before=$(suites)
	if ! err=$(mod_load "$mod" 2>&1); then
		result $S "$mod" fail "modprobe $mod: $err"
		return
	fi
	after=$(suites)
	mapfile -t new < <(comm -13 <(echo "$before") <(echo "$after"))
	if [ ${#new[@]} -eq 0 ]; then
		result $S "$mod" fail "$mod registered no KUnit suite"
	fi
	for suite in "${new[@]}"; do
		res=$DEBUGFS/$suite/results
		cp "$res" "$DRM_SVM_RUN/kunit-$suite.ktap" 2>/dev/null
		n=0
		while IFS=$'\t' read -r name st reason; do
			result $S "$suite.$name" "$st" "$reason"
			n=$((n + 1))
		done < <(ktap_results "$res" 4)
		[ $n -gt 0 ] || result $S "$suite" fail "no test case results in $res"
	done
	mod_unload "$mod" || result $S "$mod" fail "modprobe -r $mod failed"
}

thp_set always
for mod in "${MODULES[@]}"; do
	run_module "$mod"
done
thp_set madvise
