#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the drm-svm guest kernel under QEMU (TCG) and run one command in it.
#
#   tools/vm.sh [options] [--] COMMAND [ARGS...]
#   tools/vm.sh --shell              interactive shell in the guest
#
# Options:
#   --kernel DIR    kernel build dir (default: tools/kernel.sh's)
#   --run-dir DIR   host dir shared read-write as /mnt in the guest
#                   (default: a new dir under $DRM_SVM_OUT/vm)
#   --timeout SECS  hard limit for the whole guest run (default 600)
#   --mem SIZE      guest RAM (default 6G)
#   --append ARGS   extra kernel command line
#   --shell         interactive: a bash on the guest console
#
# The host root is shared read-only over virtio-9p, so COMMAND sees this
# tree at the same path. The guest's console streams to stdout and to
# RUN_DIR/console.log. The exit status is COMMAND's, unless the guest hung,
# crashed or logged a kernel splat (WARN, BUG, Oops, lockdep, KASAN,
# kmemleak, hung task, RCU stall): then it is 1 and the offending lines
# are printed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir= run_dir= timeout=600 mem=6G append= shell=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kdir=$2; shift 2 ;;
	--run-dir) run_dir=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--shell) shell=1; shift ;;
	--) shift; break ;;
	-*) die "vm" "" "unknown option $1 (see the header of $0)" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || [ $shell = 1 ] || die "vm" "" "no command given"

[ -n "$kdir" ] || kdir=$(bash "$DRM_SVM_ROOT/tools/kernel.sh")
bzimage=$kdir/arch/x86/boot/bzImage
[ -f "$bzimage" ] || die "vm" "" "no kernel at $bzimage (run make kernel)"
command -v qemu-system-x86_64 >/dev/null ||
	die "vm" "" "qemu-system-x86_64 missing (run tools/deps.sh)"

if [ -z "$run_dir" ]; then
	mkdir -p "$DRM_SVM_OUT/vm"
	run_dir=$(mktemp -d "$DRM_SVM_OUT/vm/run.XXXXXX")
fi
mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)
rm -f "$run_dir/exit-status" "$run_dir/dmesg" "$run_dir/console.log"

if [ $# -gt 0 ]; then
	{
		echo '#!/bin/bash'
		printf 'cd %q || exit 1\n' "$PWD"
		printf 'export DRM_SVM_KDIR=%q DRM_SVM_RUN=/mnt\n' "$kdir"
		# The stress suite's knobs (tests/suites/50-stress.sh).
		for v in ${!DRM_SVM_STRESS_@}; do
			printf 'export %s=%q\n' "$v" "${!v}"
		done
		printf '%q ' "$@"
		echo
	} >"$run_dir/job.sh"
	chmod +x "$run_dir/job.sh"
else
	rm -f "$run_dir/job.sh"
fi

cmdline="console=ttyS0 root=/dev/root rootfstype=9p ro"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
cmdline+=" init=$DRM_SVM_ROOT/tools/guest-init.sh panic=-1 quiet"
cmdline+=" hung_task_panic=0 nokaslr"
# Host paths the guest must see even if they live under /tmp (tmpfs there).
cmdline+=" drmsvm.expose=$DRM_SVM_ROOT,$kdir,$PWD"
[ $shell = 1 ] && cmdline+=" drmsvm.shell=1"
cmdline+=$append

qemu=(qemu-system-x86_64 -machine pc -accel tcg,thread=multi -cpu max
	-smp 2 -m "$mem" -nographic -no-reboot -nic none -kernel "$bzimage"
	-append "$cmdline"
	-virtfs "local,id=root,path=/,mount_tag=/dev/root,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,id=out,path=$run_dir,mount_tag=out,security_model=none,multidevs=remap")

if [ $shell = 1 ]; then
	exec "${qemu[@]}"
fi

# One guest at a time on this machine (two would share its two cores and
# skew each other's timing); a second run waits for the first.
exec 9>"${TMPDIR:-/tmp}/drm-svm-guest.lock"
flock 9

set +e
timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$run_dir/console.log"
qrc=${PIPESTATUS[0]}
set -e

# Lines that fail a run whatever the command said.
splat_re='WARNING:|BUG:|Oops|kernel BUG at|general protection fault|Kernel panic'
splat_re+='|possible circular locking|possible recursive locking|inconsistent lock state'
splat_re+='|INFO: trying to register non-static key|DEBUG_LOCKS_WARN_ON'
splat_re+='|KASAN:|kmemleak:.*(unreferenced|new suspected)|blocked for more than'
splat_re+='|rcu: INFO:|self-detected stall|UBSAN:|list_(add|del) corruption|refcount_t:'

if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	msg "guest timed out after ${timeout}s; last console lines:"
	tail -n 30 "$run_dir/console.log" | sed 's/^/    | /' >&2
	exit 1
fi
if [ ! -f "$run_dir/exit-status" ]; then
	msg "guest stopped without finishing its job (qemu status $qrc); last console lines:"
	tail -n 30 "$run_dir/console.log" | sed 's/^/    | /' >&2
	exit 1
fi
klog=$run_dir/dmesg
[ -s "$klog" ] || klog=$run_dir/console.log
if grep -Eq "$splat_re" "$klog"; then
	msg "kernel splat in the guest log ($klog):"
	grep -E -A12 "$splat_re" "$klog" | head -n 60 | sed 's/^/    | /' >&2
	exit 1
fi
exit "$(cat "$run_dir/exit-status")"
