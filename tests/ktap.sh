# SPDX-License-Identifier: GPL-2.0
# ktap_results FILE [INDENT]: turn the "ok/not ok" lines of a KTAP or
# kselftest TAP stream that sit at INDENT spaces (default 0: top level; 4
# for the test cases in a KUnit debugfs results file) into
# "name<TAB>pass|fail|skip<TAB>reason" lines on stdout.
ktap_results() {
	awk -v indent="${2:-0}" '
	{
		pre = $0
		sub(/[^ ].*$/, "", pre)
		if (length(pre) != indent) next
		line = substr($0, indent + 1)
		if (line !~ /^(not )?ok [0-9]+ /) next
		st = (line ~ /^not /) ? "fail" : "pass"
		sub(/^(not )?ok [0-9]+ /, "", line)
		reason = ""
		if (match(line, / # /)) {
			reason = substr(line, RSTART + 3)
			line = substr(line, 1, RSTART - 1)
			if (reason ~ /^(SKIP|skip)/) {
				st = "skip"
				sub(/^(SKIP|skip) ?/, "", reason)
			}
		}
		gsub(/\t/, " ", reason)
		printf "%s\t%s\t%s\n", line, st, reason
	}' "$1"
}
