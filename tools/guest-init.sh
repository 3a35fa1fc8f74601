#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the drm-svm test guest (see tools/vm.sh).
#
# The host root is mounted read-only over 9p; everything the guest writes
# goes to tmpfs or to the host's run directory, shared as tag "out" and
# mounted on /mnt. The host writes /mnt/job.sh before boot; this script
# runs it, stores its exit status and the kernel log in /mnt, and powers
# off. With drmsvm.shell=1 on the command line it opens a shell instead.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=${TERM:-linux} LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
# tmpfs hides the host's /tmp, /run and /var/tmp; keep a view of them so
# that host paths the job needs there (drmsvm.expose=PATH,PATH: a clone in
# /tmp, say) can be bound back into place.
for d in /tmp /run /var/tmp; do
	[ -d "$d" ] || continue
	mkdir -p "/dev/.host$d"
	mount --bind "$d" "/dev/.host$d"
	mount -t tmpfs -o mode=1777 tmpfs "$d"
done
expose=$(sed -n 's/.*drmsvm\.expose=\([^ ]*\).*/\1/p' /proc/cmdline)
IFS=, read -r -a paths <<<"$expose"
for p in "${paths[@]}"; do
	case "$p" in
	/tmp/* | /run/* | /var/tmp/*)
		[ -d "$p" ] && continue
		mkdir -p "$p"
		mount --bind "/dev/.host$p" "$p"
		;;
	esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none out /mnt ||
	echo "drm-svm-guest: cannot mount the run directory" >/dev/console
hostname drm-svm-guest
# devtmpfs lacks the usual /dev symlinks (bash process substitution needs /dev/fd).
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr

# The kernel log goes to the console at warning level and above so that a
# splat shows up in the stream; all of it is saved in /mnt/dmesg at the end.
dmesg -n 5 2>/dev/null

finish() {
	dmesg >/mnt/dmesg 2>/dev/null
	echo "$1" >/mnt/exit-status
	sync
	echo o >/proc/sysrq-trigger
	sleep 10
}

if grep -qw 'drmsvm.shell=1' /proc/cmdline; then
	[ -x /mnt/job.sh ] && /mnt/job.sh
	echo "drm-svm guest shell; 'exit' powers the guest off."
	setsid -c /bin/bash -l </dev/ttyS0 >/dev/ttyS0 2>&1
	finish 0
fi

cd /tmp || exit 1
if [ -x /mnt/job.sh ]; then
	/mnt/job.sh </dev/null
	rc=$?
else
	echo "drm-svm-guest: no /mnt/job.sh"
	rc=127
fi
echo "drm-svm-guest: job exited with status $rc"
finish "$rc"
