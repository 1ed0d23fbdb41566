#!/bin/sh
# /init of the test initramfs (make test-initramfs): mounts what the kernel
# offers (failures are noted, not fatal), runs every guest test through
# /tests/run-all.sh (which prints PASS/FAIL lines and the closing line
# "N passed, N failed"), then powers off with reboot(2) (busybox poweroff -f).
# On the host (tools/guest-test.sh --host) it runs as pid 1 of a new PID
# namespace in a chroot, with SABLE_GUEST_HOST=1: then it does not power off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
umask 022
cd /
echo "guest-test: init (pid $$)"
mount -t proc proc /proc 2>/dev/null || echo "# init: cannot mount /proc"
mount -t sysfs sysfs /sys 2>/dev/null || echo "# init: cannot mount /sys"
mount -t devtmpfs devtmpfs /dev 2>/dev/null || echo "# init: cannot mount devtmpfs on /dev (keeping the initramfs nodes)"
mkdir -p /dev/pts 2>/dev/null
mount -t devpts -o ptmxmode=0666 devpts /dev/pts 2>/dev/null || echo "# init: cannot mount /dev/pts"
hostname sable 2>/dev/null
/bin/sh /tests/run-all.sh
sync
if [ "${SABLE_GUEST_HOST:-0}" = 1 ]; then
	exit 0
fi
echo "guest-test: powering off"
poweroff -f
echo "guest-test: poweroff -f returned"
# Nothing else to do: pid 1 must not exit.
while :; do sleep 3600; done
