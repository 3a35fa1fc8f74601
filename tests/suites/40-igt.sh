#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IGT tests (igt-tests/, built into build/igt/ against Debian's libigt.so.0;
# see docs/igt.md). Each binary is listed with --list-subtests and then
# run once as a whole; IGT's stdout lines
#   Subtest X: SUCCESS|SKIP|FAIL|CRASH|TIMEOUT (...)
#   Dynamic subtest Y: ...
# become one result per subtest, named igt@<binary>@<subtest>, or
# igt@<binary>@<subtest>@<dynamic> for the children of a dynamic subtest
# (the container itself is reported only when it had no children or
# failed). A listed subtest that is never reported fails. Each binary's
# stdout and stderr are kept in $DRM_SVM_RUN/igt-<binary>.log.
#
# igt_abi_selftest also gets the failure-propagation checks that must not
# be part of its default run: with --expect-fail it defines subtests that
# must FAIL, run here one at a time.
#
# Every vsvm_* binary needs the vsvm driver: before each of them the suite
# loads vsvm.ko (mod_load, num_devices=2, so that the two-devices subtests
# run; vsvm_vram with a small VRAM) and unloads it afterwards, so every
# binary starts on a fresh device and a module that cannot be unloaded (a
# leaked reference) is caught. A failed load or unload fails igt@<binary>
# with modprobe's message. Without a guest kernel (DRM_SVM_KDIR, e.g. on
# the host) they are skipped. igt_abi_selftest needs no module: its
# drm-open subtest skips without a DRM device. Writes only to
# $DRM_SVM_RUN and a temporary directory under /tmp.
. "$(dirname "$0")/../lib.sh"

S=igt
DIR=$BUILD_DIR/igt
RUN=${DRM_SVM_RUN:-/tmp}
TIMEOUT=${DRM_SVM_IGT_TIMEOUT:-600}
TMP=$(mktemp -d /tmp/igt.XXXXXX) || exit 0
trap 'rm -rf "$TMP"' EXIT

bins=()
for b in "$DIR"/*; do
	[ -f "$b" ] && [ -x "$b" ] && bins+=("$b")
done
if [ ${#bins[@]} -eq 0 ]; then
	result $S build fail "no test binaries in $DIR (make -C igt-tests)"
	exit 0
fi

# run_igt LOG BIN ARGS...: stdout to $TMP/out, stderr to $TMP/err, both
# appended to LOG; returns the exit status (124: timed out).
run_igt() {
	local log=$1 rc
	shift
	# HOME: libigt reads $HOME/.igtrc; keep it away from the host's.
	HOME=$TMP timeout -k 10 "$TIMEOUT" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	{
		echo "==== $* (exit status $rc)"
		echo "---- stdout"
		cat "$TMP/out"
		echo "---- stderr"
		cat "$TMP/err"
	} >>"$log"
	return $rc
}

# parse_igt OUT ERR: one "name<TAB>pass|fail|skip<TAB>reason" line per
# reported subtest (dynamic children as sub@dyn, see the header).
parse_igt() {
	awk '
	function flush_reason(    r) {
		r = reason
		gsub(/\t/, " ", r)
		return substr(r, 1, 300)
	}
	function status(s) {
		if (s == "SUCCESS") return "pass"
		if (s == "SKIP") return "skip"
		return "fail"
	}
	# stderr: the assertion message printed before "Subtest X failed."
	FILENAME == ARGV[1] {
		if ($0 ~ /Failed assertion: /) {
			a = $0; sub(/.*Failed assertion: /, "", a); failmsg = "Failed assertion: " a
		} else if ($0 ~ /^(Dynamic )?[Ss]ubtest .* failed\.$/) {
			n = $0; sub(/^(Dynamic )?[Ss]ubtest /, "", n); sub(/ failed\.$/, "", n)
			if (!(n in why)) why[n] = failmsg
			failmsg = ""
		}
		next
	}
	/^Starting subtest: / {
		cur = substr($0, 19); ndyn[cur] = 0; reason = ""; lastskip = ""; next
	}
	/^Starting dynamic subtest: / { reason = ""; next }
	/^Dynamic subtest [^ ]+: [A-Z]+/ {
		d = $3; sub(/:$/, "", d)
		st = status($4)
		r = st == "skip" ? flush_reason() : (st == "fail" ? why[d] : "")
		if (st == "fail" && r == "") r = "dynamic subtest " $4
		printf "%s@%s\t%s\t%s\n", cur, d, st, r
		ndyn[cur]++
		reason = ""
		next
	}
	/^Subtest [^ ]+: [A-Z]+/ {
		n = $2; sub(/:$/, "", n)
		st = status($3)
		r = ""
		if (st == "skip") {
			r = flush_reason()
			if (r == "") r = lastskip
			lastskip = r
		} else if (st == "fail") {
			r = why[n]
			if (r == "") r = ndyn[n] ? "a dynamic subtest failed" : $3
		}
		if (!ndyn[n] || st == "fail")
			printf "%s\t%s\t%s\n", n, st, r
		reason = ""
		next
	}
	/^Test requirement not met/ { reason = ""; next }
	/^(Last errno: |IGT-Version: )/ { next }
	{ reason = reason (reason == "" ? "" : "; ") $0 }
	' "$2" "$1"
}

# check_expect_fail BIN LOG SUBTEST STDOUT-LINE STDERR-LINES...: BIN
# --expect-fail --run-subtest SUBTEST must exit 98, print STDOUT-LINE and
# print every STDERR-LINE (fixed strings).
check_expect_fail() {
	local bin=$1 log=$2 sub=$3 line=$4 rc s
	shift 4
	run_igt "$log" "$bin" --expect-fail --run-subtest "$sub"
	rc=$?
	if [ $rc -ne 98 ]; then
		result $S "igt@$(basename "$bin")@$sub" fail "exit status $rc, expected 98"
		return
	fi
	if ! grep -qxF "$line" <(sed 's/ (.*s)$//' "$TMP/out"); then
		result $S "igt@$(basename "$bin")@$sub" fail "no \"$line\" line"
		return
	fi
	for s in "$@"; do
		if ! grep -qF -- "$s" "$TMP/out" "$TMP/err"; then
			result $S "igt@$(basename "$bin")@$sub" fail "output lacks \"$s\""
			return
		fi
	done
	result $S "igt@$(basename "$bin")@$sub" pass "failed as expected"
}

# one_line TEXT: TEXT on one line, at most 300 characters (for a reason).
one_line() {
	printf '%s' "$1" | tr '\t\n' '  ' | cut -c1-300
}

# vsvm_load NAME LOG: loads vsvm for binary NAME; records a fail or skip
# result and returns 1 when the binary cannot run.
vsvm_loaded_here=0
vsvm_load() {
	local name=$1 log=$2 out
	vsvm_loaded_here=0
	if [ ! -f "${DRM_SVM_KDIR:-/nonexistent}/kernelrelease" ]; then
		result $S "igt@$name" skip "no guest kernel (DRM_SVM_KDIR): needs vsvm.ko"
		return 1
	fi
	[ -d /sys/module/vsvm ] && return 0
	# vsvm_vram oversubscribes VRAM: a small one keeps that quick under TCG.
	local params="num_devices=2"
	[ "$name" = vsvm_vram ] && params+=" vram_size_mb=32"
	# shellcheck disable=SC2086
	if ! out=$(mod_load vsvm $params 2>&1); then
		echo "==== mod_load vsvm $params failed: $out" >>"$log"
		result $S "igt@$name" fail "mod_load vsvm: $(one_line "${out:-modprobe failed}")"
		return 1
	fi
	vsvm_loaded_here=1
	echo "==== vsvm loaded: $(ls /dev/dri 2>/dev/null | tr '\n' ' ')" >>"$log"
}

vsvm_unload() {
	local name=$1 log=$2 out
	[ $vsvm_loaded_here = 1 ] || return 0
	vsvm_loaded_here=0
	if ! out=$(mod_unload vsvm 2>&1); then
		echo "==== mod_unload vsvm failed: $out" >>"$log"
		result $S "igt@$name" fail "mod_unload vsvm after the run: $(one_line "${out:-modprobe -r failed}")"
	fi
}

for bin in "${bins[@]}"; do
	name=$(basename "$bin")
	log=$RUN/igt-$name.log
	: >"$log"

	run_igt "$log" "$bin" --list-subtests
	rc=$?
	sort "$TMP/out" >"$TMP/listed"
	if [ $rc -ne 0 ] || [ ! -s "$TMP/listed" ]; then
		result $S "igt@$name" fail "--list-subtests: exit status $rc, $(wc -l <"$TMP/listed") subtests"
		continue
	fi

	case $name in
	vsvm_*) vsvm_load "$name" "$log" || continue ;;
	esac
	run_igt "$log" "$bin"
	rc=$?
	case $name in
	vsvm_*) vsvm_unload "$name" "$log" ;;
	esac
	parse_igt "$TMP/out" "$TMP/err" >"$TMP/results"
	case $rc in
	0 | 77 | 98) ;;
	124) result $S "igt@$name" fail "timed out after ${TIMEOUT}s" ;;
	*) result $S "igt@$name" fail "exit status $rc (crash or abort)" ;;
	esac
	if [ $rc = 98 ] && ! cut -f2 "$TMP/results" | grep -qx fail; then
		result $S "igt@$name" fail "exit status 98 but no failed subtest reported"
	fi

	while IFS=$'\t' read -r sub st reason; do
		result $S "igt@$name@$sub" "$st" "$reason"
	done <"$TMP/results"

	# Listed subtests never reported, and reported ones never listed.
	cut -f1 "$TMP/results" | sed 's/@.*//' | sort -u >"$TMP/reported"
	comm -23 "$TMP/listed" "$TMP/reported" | while read -r sub; do
		result $S "igt@$name@$sub" fail "listed but never reported (exit status $rc)"
	done
	comm -13 "$TMP/listed" "$TMP/reported" | while read -r sub; do
		result $S "igt@$name@$sub" fail "reported but not in --list-subtests"
	done

	if [ "$name" = igt_abi_selftest ]; then
		run_igt "$log" "$bin" --expect-fail --list-subtests
		if ! grep -qx expect-fail "$TMP/out" || ! grep -qx expect-fail-fork "$TMP/out" ||
			grep -q '^expect-fail' "$TMP/listed"; then
			result $S "igt@$name@expect-fail-listing" fail "--expect-fail does not add exactly the expect-fail subtests"
		else
			result $S "igt@$name@expect-fail-listing" pass
		fi
		check_expect_fail "$bin" "$log" expect-fail "Subtest expect-fail: FAIL" \
			"Failed assertion: 1 + 1 == 3" "error: 2 != 3" \
			"file igt_abi_selftest.c:" "**** DEBUG ****" \
			"DEBUG: expect-fail debug marker"
		check_expect_fail "$bin" "$log" expect-fail-fork "Subtest expect-fail-fork: FAIL" \
			"child 1 failed with exit status 98" "child 1 fails"
	fi
done
exit 0
