#!/usr/bin/env bash
# Guest tests: boots the kernel in QEMU with the test initramfs (its /init
# runs every test under /tests and prints "N passed, N failed", then powers
# off), or with --host runs the very same initramfs on this host's Linux
# (extracted to a tmpfs, chroot, as pid 1 of new PID/mount/UTS/IPC
# namespaces), then judges the log: the summary line must be there and say
# 0 failed. Prints the PASS/FAIL lines, then its own closing line
# "guest: N passed, N failed"; exits non-zero on any failure or timeout.
#
#   tools/guest-test.sh [--host] [--initrd FILE] [--kernel FILE]
#                       [--timeout SECS] [--append "WORDS"] [--log FILE]
#
# Environment: BUILD (build), KERNEL ($BUILD/sable.elf), KVM (0: TCG),
# MEM (256M), SMP (1). The log: $BUILD/guest-test/{qemu,host}.log.
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/sable.elf}
INITRD=$BUILD/test-initramfs.cpio
TIMEOUT=1800
APPEND=
HOST=0
LOG=
while [ $# -gt 0 ]; do
	case $1 in
	--host) HOST=1 ;;
	--initrd) INITRD=$2; shift ;;
	--kernel) KERNEL=$2; shift ;;
	--timeout) TIMEOUT=$2; shift ;;
	--append) APPEND=$2; shift ;;
	--log) LOG=$2; shift ;;
	-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "guest-test: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
OUT=$BUILD/guest-test
mkdir -p "$OUT"
[ -f "$INITRD" ] || { echo "guest-test: no $INITRD (make test-initramfs)"; echo "guest: 0 passed, 1 failed"; exit 1; }

start=$(date +%s)
how=""      # how the run ended: exited N | timeout | stopped: ...
status=""

run_qemu() {
	LOG=${LOG:-$OUT/qemu.log}
	[ -f "$KERNEL" ] || { echo "guest-test: no kernel $KERNEL"; echo "guest: 0 passed, 1 failed"; exit 1; }
	local accel
	if [ "${KVM:-0}" = 1 ]; then
		accel=(-accel kvm -cpu host,-arch-capabilities)
	else
		accel=(-accel tcg -cpu max)
	fi
	: > "$LOG"
	echo "guest-test: QEMU ${accel[*]} -m ${MEM:-256M}, kernel $KERNEL, initrd $INITRD, log $LOG"
	qemu-system-x86_64 "${accel[@]}" -m "${MEM:-256M}" -smp "${SMP:-1}" -no-reboot -display none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$KERNEL" -initrd "$INITRD" -append "console=ttyS0 panic=exit $APPEND" \
		-serial "file:$LOG" -monitor none </dev/null >"$OUT/qemu.out" 2>&1 &
	local pid=$! t=0 summary_at=-1 stop_at=-1
	while :; do
		if ! kill -0 $pid 2>/dev/null; then
			wait $pid
			status=$?
			how="QEMU exited with status $status"
			return
		fi
		# The summary is out: give poweroff 20 s.
		if [ $summary_at -lt 0 ] && tr -d '\r' < "$LOG" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
			summary_at=$t
		fi
		if [ $summary_at -ge 0 ] && [ $((t - summary_at)) -ge 200 ]; then
			how="stopped: no power off 20 s after the summary"
			break
		fi
		# The kernel gave up: a little time for the last lines, then stop.
		if [ $stop_at -lt 0 ] && grep -qE 'Kernel panic|System halted' "$LOG"; then
			stop_at=$t
		fi
		if [ $stop_at -ge 0 ] && [ $((t - stop_at)) -ge 20 ]; then
			how="stopped: the kernel panicked or halted"
			break
		fi
		if [ $t -ge $((TIMEOUT * 10)) ]; then
			how="timeout after ${TIMEOUT}s"
			break
		fi
		sleep 0.1
		t=$((t + 1))
	done
	kill $pid 2>/dev/null
	sleep 1
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
}

run_host() {
	LOG=${LOG:-$OUT/host.log}
	if [ "$(id -u)" != 0 ]; then
		echo "guest-test: --host needs root (chroot, namespaces, device nodes)"
		echo "guest: 0 passed, 1 failed"
		exit 1
	fi
	local root cat chroot_bin
	root=$(mktemp -d /tmp/sable-guest-root.XXXXXX)
	case $INITRD in *.gz) cat=zcat ;; *) cat=cat ;; esac
	chroot_bin=$(command -v chroot)
	echo "guest-test: host $(uname -sr), initrd $INITRD in $root, log $LOG"
	# New PID namespace: /init is pid 1 (orphans come to it, as in the
	# guest); new mount namespace: its mounts (tmpfs root, proc, devtmpfs,
	# devpts) vanish with it; new UTS namespace: sethostname stays inside.
	# /init sees SABLE_GUEST_HOST=1 and does not power off.
	timeout -k 10 "$TIMEOUT" unshare --pid --fork --mount --uts --ipc --propagation private \
		sh -c 'mount -t tmpfs -o mode=0755 sable-guest "$1" && cd "$1" &&
			$4 "$3" | cpio -i -d -m --quiet --no-absolute-filenames &&
			exec env -i SABLE_GUEST_HOST=1 TERM=linux "$2" "$1" /init </dev/null' \
		sh "$root" "$chroot_bin" "$(realpath "$INITRD")" $cat </dev/null >"$LOG" 2>&1
	status=$?
	case $status in
	124 | 137) how="timeout after ${TIMEOUT}s" ;;
	*) how="exited with status $status" ;;
	esac
	rmdir "$root" 2>/dev/null || rm -rf "$root"
}

if [ "$HOST" = 1 ]; then
	run_host
else
	run_qemu
fi
elapsed=$(($(date +%s) - start))

# ---- judge ----
clean=$OUT/clean.log
tr -d '\r' < "$LOG" > "$clean"
grep -E '^(PASS|FAIL) ' "$clean"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$clean" | tail -n 1)
npass=$(grep -c '^PASS ' "$clean")
nfail=$(grep -c '^FAIL ' "$clean")
extra_fail=0
if [ -z "$summary" ]; then
	echo "FAIL guest-test.summary: no 'N passed, N failed' line ($how); last lines of $LOG:"
	tail -n 15 "$clean" | sed 's/^/    /'
	extra_fail=1
else
	gpass=${summary%% passed*}
	gfail=${summary#*passed, }
	gfail=${gfail%% failed*}
	# Trust the guest's own count (lines on the serial console may be lost
	# or mangled by interleaved kernel messages).
	npass=$gpass
	nfail=$gfail
	if [ "$HOST" = 0 ]; then
		case $how in
		"QEMU exited"*) echo "PASS guest-test.poweroff ($how)"; npass=$((npass + 1)) ;;
		*) echo "FAIL guest-test.poweroff: $how"; extra_fail=1 ;;
		esac
	fi
fi
# Known failures (tests/guest/known-failures.txt): skipped, not failed.
nskip=0
KNOWN=tests/guest/known-failures.txt
if [ "$HOST" = 0 ] && [ -f "$KNOWN" ]; then
	while read -r name why; do
		case $name in ''|'#'*) continue ;; esac
		if grep -qE "^FAIL $name(:| )" "$clean"; then
			echo "XFAIL $name: $why"
			nfail=$((nfail - 1))
			nskip=$((nskip + 1))
		elif grep -qE "^PASS $name( |$)" "$clean"; then
			echo "NOTE $name passes now: remove it from $KNOWN"
		fi
	done < "$KNOWN"
fi
nfail=$((nfail + extra_fail))
echo "guest-test: $summary${summary:+ (guest); }$how; ${elapsed}s; log $LOG"
echo "guest: $npass passed, $nfail failed, $nskip skipped"
[ "$nfail" = 0 ]
