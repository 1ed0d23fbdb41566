#!/usr/bin/env bash
# Boot tests: boot the kernel in QEMU (TCG unless KVM=1) in every supported
# way and check what it prints and how QEMU exits. Each QEMU run has a
# timeout; none can hang the test run. Prints PASS/FAIL lines and the closing
# line "N passed, N failed"; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
KERNEL=$BUILD/sable.elf
OUT=$BUILD/boot-test
TIMEOUT=${BOOT_TIMEOUT:-60}
mkdir -p "$OUT"
passed=0
failed=0

if [ "${KVM:-0}" = 1 ]; then
	ACCEL=(-accel kvm -cpu host,-arch-capabilities)
else
	ACCEL=(-accel tcg -cpu max)
fi
BASE=("${ACCEL[@]}" -no-reboot -display none -device isa-debug-exit,iobase=0xf4,iosize=0x04)

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# boot NAME STOP_REGEX QEMU-ARGS...: runs QEMU with the serial console in
# $OUT/NAME.log until it exits or STOP_REGEX appears (then kills it) or the
# timeout. Sets $status (QEMU's exit status, or "stopped"/"timeout").
boot() {
	local name=$1 stop=$2 log
	shift 2
	log=$OUT/$name.log
	: > "$log"
	qemu-system-x86_64 "${BASE[@]}" "$@" -serial "file:$log" -monitor none </dev/null \
		>"$OUT/$name.qemu" 2>&1 &
	local pid=$! t=0
	status=timeout
	while [ $t -lt $((TIMEOUT * 10)) ]; do
		if ! kill -0 $pid 2>/dev/null; then
			wait $pid
			status=$?
			return
		fi
		if [ -n "$stop" ] && grep -qE "$stop" "$log"; then
			sleep 0.2
			kill $pid 2>/dev/null
			wait $pid 2>/dev/null
			status=stopped
			return
		fi
		sleep 0.1
		t=$((t + 1))
	done
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
}

has() { grep -qE "$2" "$OUT/$1.log"; }

# The checks every boot shares: banner, and every subsystem in the table ready.
check_boot() {
	local name=$1
	if ! has "$name" 'Sable [0-9.]+ \(x86_64\)'; then
		fail "$name" "no banner"
		return 1
	fi
	if ! has "$name" 'Subsystems \(in init order\)'; then
		fail "$name" "no subsystem table"
		return 1
	fi
	local bad
	bad=$(sed -n '/Subsystems (in init order)/,/Kernel initialised\|PASS\|No initramfs\|initramfs has\|Found/p' \
		"$OUT/$name.log" | grep -E ' (failed|disabled|initializing|uninitialized) ' | head -3)
	if [ -n "$bad" ]; then
		fail "$name" "subsystem not ready: $bad"
		return 1
	fi
	return 0
}

# check_ktest NAME: isa-debug-exit status 1 means every self test passed.
check_ktest() {
	local name=$1
	check_boot "$name" || return
	if ! has "$name" '^\[ *[0-9.]+\] [0-9]+ passed, 0 failed'; then
		fail "$name" "self tests failed: $(grep -E 'FAIL ' "$OUT/$name.log" | head -3 | tr '\n' ';') (see $OUT/$name.log)"
		return
	fi
	if [ "$status" != 1 ]; then
		fail "$name" "QEMU exit status $status, want 1 (isa-debug-exit 0)"
		return
	fi
	pass "$name ($(grep -oE '[0-9]+ passed, 0 failed' "$OUT/$name.log"))"
}

make_cpio() { # make_cpio OUT FILE...: a newc archive of the named files under a temp root
	local out=$1 dir
	shift
	dir=$(mktemp -d)
	for f in "$@"; do
		mkdir -p "$dir/$(dirname "$f")"
		printf '#!/bin/sh\necho hello\n' > "$dir/$f"
		chmod 755 "$dir/$f"
	done
	(cd "$dir" && find . | sort | cpio -o -H newc --quiet) > "$out"
	rm -rf "$dir"
}

# BOOT_ONLY=ktest-pvh runs just the self tests (the LINUX_COMPAT=0 build uses it).
if [ "${BOOT_ONLY:-}" = ktest-pvh ]; then
	boot ktest-pvh "" -m 128M -kernel "$KERNEL" -append "console=ttyS0 panic=exit ktest"
	check_ktest ktest-pvh
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
fi

make_cpio "$OUT/no-init.cpio" bin/sh etc/motd
# A real init: a static program that prints and powers off.
musl-gcc -static -O2 -o "$OUT/hello" tests/boot/hello.c || { echo "FAIL build: musl-gcc"; exit 1; }
(d=$(mktemp -d) && cp "$OUT/hello" "$d/init" && cd "$d" && echo init | cpio -o -H newc --quiet) \
	> "$OUT/with-init.cpio"
tools/mkiso.sh "$KERNEL" "$OUT/with-init.cpio" "console=ttyS0 panic=exit ktest" "$OUT/test.iso"

# 1. QEMU -kernel (PVH), self tests, default machine.
boot ktest-pvh "" -m 128M -kernel "$KERNEL" -append "console=ttyS0 panic=exit ktest"
check_ktest ktest-pvh

# 2. q35 (PCI Express ECAM), two CPUs, more memory.
boot ktest-q35 "" -machine q35 -smp 2 -m 512M -kernel "$KERNEL" \
	-append "console=ttyS0 panic=exit ktest"
check_ktest ktest-q35

# 3. The GRUB ISO (Multiboot2 under SeaBIOS) with an initramfs module: self tests.
boot ktest-iso "" -m 128M -cdrom "$OUT/test.iso"
if check_boot ktest-iso && ! has ktest-iso 'Memory map from GRUB'; then
	fail ktest-iso "not booted through GRUB Multiboot2"
elif ! has ktest-iso 'initramfs at 0x'; then
	fail ktest-iso "GRUB module2 initramfs not seen"
else
	check_ktest ktest-iso
fi

# 4. No initramfs: a clear message, then halt (no reboot loop: -no-reboot would exit).
boot no-initrd 'System halted' -m 128M -kernel "$KERNEL" -append "console=ttyS0"
if check_boot no-initrd; then
	if has no-initrd 'No initramfs was given' && [ "$status" = stopped ]; then
		pass no-initrd
	else
		fail no-initrd "status $status, no clear message"
	fi
fi

# 5. An initramfs without /init.
boot no-init 'System halted' -m 128M -kernel "$KERNEL" -initrd "$OUT/no-init.cpio" \
	-append "console=ttyS0"
if check_boot no-init && has no-init 'initramfs has no /init' && [ "$status" = stopped ]; then
	pass no-init
else
	fail no-init "status $status, no clear message"
fi

# 6. An initramfs with a static /init: it runs in user mode as pid 1, prints
# through the console and powers the machine off with reboot(2).
boot with-init '' -m 128M -kernel "$KERNEL" -initrd "$OUT/with-init.cpio" \
	-append "console=ttyS0 panic=exit"
if check_boot with-init && has with-init '^hello from /init as pid 1' &&
	has with-init 'Powering off' && [ "$status" = 0 ]; then
	pass with-init
else
	fail with-init "status $status; see $OUT/with-init.log"
fi

# 7. A kernel fault: registers, CR2 and a symbolized backtrace, then exit (panic=exit).
boot panic-trace "" -m 128M -kernel "$KERNEL" -append "console=ttyS0 panic=exit test.fault"
if has panic-trace 'Kernel panic: page fault at 0*dead0000' && has panic-trace 'CR2: 0*dead0000' &&
	has panic-trace '\] test_fault\+0x[0-9a-f]+/0x[0-9a-f]+' && has panic-trace '\] kmain\+0x' &&
	[ "$status" = 255 ]; then
	pass panic-trace
else
	fail panic-trace "status $status; see $OUT/panic-trace.log"
fi

# 8. ACPI power off (S5) and reset: QEMU leaves with status 0 either way.
boot power-off "" -m 128M -kernel "$KERNEL" -append "console=ttyS0 panic=exit test.power=off"
if has power-off 'Powering off \(ACPI S5\)' && [ "$status" = 0 ]; then
	pass power-off
else
	fail power-off "status $status; see $OUT/power-off.log"
fi
boot power-reset "" -m 128M -kernel "$KERNEL" -append "console=ttyS0 panic=exit test.power=reset"
if has power-reset 'Restarting system' && [ "$status" = 0 ]; then
	pass power-reset
else
	fail power-reset "status $status; see $OUT/power-reset.log"
fi

# 9. The smallest memory it boots in, for the record (not a pass/fail bound
# beyond booting in 16 MiB).
boot small-mem "" -m 16M -kernel "$KERNEL" -append "console=ttyS0 panic=exit ktest"
check_ktest small-mem

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
