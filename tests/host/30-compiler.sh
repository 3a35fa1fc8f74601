#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host suite of the compiler (compiler/): run by tools/check.sh before the
# guest boots, or alone: bash tests/host/30-compiler.sh. Needs build/ from
# "make -C compiler". Records one line per test in $DRM_SVM_RUN/results.tsv.
. "$(dirname "$0")/../lib.sh"

S=compiler
HERE=$TESTS_DIR/host/30-compiler
CC=$BUILD_DIR/bin/vsvm-cc
LLVM=/usr/lib/llvm-$(sed -n 's/^LLVM_VERSION *:= *//p' "$REPO_DIR/compiler/llvm.mk")/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$CC" ]; then
	result $S build skip "no $CC: run make -C compiler"
	exit 0
fi

# The mnemonics of RV64IMAFD (+ Zacas) that the shader core runs.
allowed='^(lui|auipc|jal|jalr|beq|bne|blt|bge|bltu|bgeu|lb|lh|lw|ld|lbu|lhu|lwu|sb|sh|sw|sd|addi|slti|sltiu|xori|ori|andi|slli|srli|srai|addiw|slliw|srliw|sraiw|add|sub|sll|slt|sltu|xor|srl|sra|or|and|addw|subw|sllw|srlw|sraw|mul|mulh|mulhsu|mulhu|div|divu|rem|remu|mulw|divw|divuw|remw|remuw|fence|ecall|csrr[sc]?i?|csrw|frflags|fsflags|frrm|fsrm|frcsr|fscsr|(lr|sc|amoswap|amoadd|amoxor|amoand|amoor|amomin|amomax|amominu|amomaxu|amocas)\.[wd](\.aq|\.rl|\.aqrl)?|fl[wd]|fs[wd]|fmadd|fmsub|fnmsub|fnmadd|fadd|fsub|fmul|fdiv|fsqrt|fsgnj|fsgnjn|fsgnjx|fmin|fmax|fcvt|fmv|feq|flt|fle|fclass|fneg|fabs|nop|li|mv|not|neg|negw|sext|seqz|snez|sltz|sgtz|beqz|bnez|blez|bgez|bltz|bgtz|bgt|ble|bgtu|bleu|j|jr|ret|call|tail|zext)(\.[a-z.]+)?$'

# check_program NAME FILE OPTIONS...: compile, check the image, its code and the expectations.
check_program() {
	local name=$1 file=$2 out=$tmp/$1
	shift 2
	if ! "$CC" "$@" --info -o "$out.vsvmp" "$file" >"$out.info" 2>"$out.log"; then
		result $S "$name-compile" fail "$(grep -m1 -E 'error|vsvm-cc' "$out.log")"
		return
	fi
	result $S "$name-compile" pass
	# the program binary reads back (checked, not trusted)
	if "$CC" --info "$out.vsvmp" >"$out.info2" 2>&1 && diff -q "$out.info" "$out.info2" >/dev/null; then
		result $S "$name-binary" pass
	else
		result $S "$name-binary" fail "program binary does not read back the same"
	fi
	# image: segments page aligned inside the image area, text r-x, entries in it
	if python3 - "$out.info" >"$out.chk" <<'PY'
import sys
lo = hi = None
bad = []
for w in (l.split() for l in open(sys.argv[1])):
    if w[0] == 'segment':
        v, fs, ms, fl = int(w[2], 16), int(w[6]), int(w[8]), w[10]
        if v % 4096 or v < 2**48 or v + ms > 2**48 + 2**28 or ms < fs:
            bad.append('segment %s' % w[2])
        if 'x' in fl:
            lo, hi = v, v + fs
            if 'w' in fl or fs % 4:
                bad.append('text segment %s' % fl)
    elif w[0] == 'kernel':
        e = int(w[3], 16)
        if lo is None or not lo <= e < hi or e % 4:
            bad.append('entry of ' + w[1])
print(' '.join(bad))
sys.exit(1 if bad else 0)
PY
	then
		result $S "$name-image" pass
	else
		result $S "$name-image" fail "$(cat "$out.chk")"
	fi
	# every instruction: 4 bytes, RV64IMAFD(+Zacas) (llvm-objdump of the ELF, not our decoder)
	"$CC" "$@" --elf -o "$out.elf" "$file" 2>/dev/null
	"$LLVM/llvm-objdump" -d --no-show-raw-insn --mattr=+m,+a,+f,+d,+experimental-zacas "$out.elf" |
		awk -F'\t' '/^ *[0-9a-f]+:/ { print $2 }' | awk '{ print $1 }' >"$out.insns"
	local badins
	badins=$(grep -v -E "$allowed" "$out.insns" | sort -u | head -5 | tr '\n' ' ')
	if [ -z "$badins" ] && [ -s "$out.insns" ]; then
		result $S "$name-isa" pass "$(sort -u "$out.insns" | wc -l) mnemonics"
	else
		result $S "$name-isa" fail "not RV64IMAFD: ${badins:-no code}"
	fi
	if "$LLVM/llvm-readelf" -h "$out.elf" | grep -q 'Flags:.*RVC'; then
		result $S "$name-no-rvc" fail "ELF has the RVC flag"
	fi
	# expectations in the source: "// expect KERNEL ARG NAME KIND SIZE OFFSET"
	local k i n kind size off line fails=0
	while read -r _ _ k i n kind size off; do
		line=$(awk -v k="$k" '$1 == "kernel" { cur = $2 } $1 == "arg" && cur == k' "$out.info" | sed -n "$((i + 1))p")
		if ! echo "$line" | grep -q "name $n .*kind $kind size $size .*offset $off "; then
			result $S "$name-expect-$k-$i" fail "got: $line"
			fails=1
		fi
	done < <(grep '^// expect ' "$file")
	[ $fails -eq 0 ] && result $S "$name-metadata" pass
}

check_program probes "$HERE/probes.cl" -cl-std=CL3.0
check_program probes-zacas "$HERE/probes.cl" -cl-std=CL3.0 -vsvm-zacas
check_program probes-O0 "$HERE/probes.cl" -cl-std=CL3.0 -cl-opt-disable
check_program cts-svm "$HERE/cts_svm.cl" -cl-std=CL3.0
check_program cts-svm-cl20 "$HERE/cts_svm.cl" -cl-std=CL2.0

# facts of the probe set the ICD relies on
info=$tmp/probes.info
if grep -q '^kernel big_private .*private_size \(4[1-9][0-9][0-9]\|[5-9][0-9][0-9][0-9]\) ' "$info"; then
	result $S private-size pass
else
	result $S private-size fail "4 KiB array not in private_size: $(grep '^kernel big_private' "$info" | cut -c1-120)"
fi
# 64 floats of reduce + the int of generic_ptrs, rounded up to 16
if grep -q '^image .* local_size 272 ' "$info"; then
	result $S local-size pass
else
	result $S local-size fail "want local_size 272: $(grep '^image' "$info")"
fi
if grep -q 'amocas' "$tmp/probes-zacas.insns" && ! grep -q 'amocas' "$tmp/probes.insns"; then
	result $S zacas pass
else
	result $S zacas fail "amocas only with -vsvm-zacas"
fi

# error paths of the tool
printf 'kernel void k(global int *p) { p[0] = 1 }\n' >"$tmp/bad.cl"
if ! "$CC" -o "$tmp/bad.vsvmp" "$tmp/bad.cl" 2>"$tmp/bad.log" &&
	grep -q "program.cl:1:.*error: expected ';'" "$tmp/bad.log" && grep -q 'front end' "$tmp/bad.log"; then
	result $S cli-syntax-error pass
else
	result $S cli-syntax-error fail "$(head -c 200 "$tmp/bad.log")"
fi
head -c 100 /dev/urandom >"$tmp/junk.vsvmp"
printf 'VSVMCCB\0' | cat - "$tmp/junk.vsvmp" >"$tmp/junk2.vsvmp"
if ! "$CC" --info "$tmp/junk2.vsvmp" >/dev/null 2>&1; then
	result $S cli-bad-binary pass
else
	result $S cli-bad-binary fail "a junk program binary was accepted"
fi

# library API checks
if gcc -std=c11 -Wall -Wextra -Werror -I"$REPO_DIR/compiler" -o "$tmp/cc-check" "$HERE/cc-check.c" \
	-L"$BUILD_DIR/lib" -Wl,-rpath,"$BUILD_DIR/lib" -lvsvm_cc 2>"$tmp/cc-check.log"; then
	"$tmp/cc-check" >"$tmp/cc-check.out" 2>&1
	while read -r st name why; do
		result $S "api-$name" "$st" "$why"
	done <"$tmp/cc-check.out"
else
	result $S api fail "cc-check does not build: $(head -c 200 "$tmp/cc-check.log")"
fi

# builtins run under qemu-riscv64 against the host
if ! command -v qemu-riscv64 >/dev/null; then
	result $S qemu skip "no qemu-riscv64 (tools/deps.sh installs qemu-user)"
elif ! "$CC" --qemu -o "$tmp/qb" "$HERE/qemu_builtins.c" 2>"$tmp/qb.log"; then
	result $S qemu-build fail "$(head -c 200 "$tmp/qb.log")"
elif ! timeout 60 qemu-riscv64 "$tmp/qb" >"$tmp/qb.out"; then
	result $S qemu-run fail "qemu-riscv64 exited with status $?"
else
	python3 "$HERE/qemu_compare.py" <"$tmp/qb.out" >"$tmp/qb.cmp"
	while read -r st name why; do
		result $S "qemu-$name" "$st" "$why"
	done <"$tmp/qb.cmp"
fi
