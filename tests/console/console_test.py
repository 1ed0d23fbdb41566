#!/usr/bin/env python3
"""Drives Sable's serial console as a person would (issue 4).

Boots the kernel with the busybox initramfs in QEMU (TCG) on the serial
port, waits for the shell prompt, then types: a command, backspace and ^U
editing, ^C on a foreground `sleep`, ^Z then `fg` then ^C. Each step prints
PASS/FAIL; the exit status is the number of failures (0: all passed).

    tests/console/console_test.py --kernel build/sable.elf \
        --initrd build/initramfs.cpio [--timeout 60] [--log file]

Needs pexpect (Debian: python3-pexpect).
"""
import argparse
import re
import sys

import pexpect

# /etc/profile of the initramfs: PS1='\u@\h:\w\$ ' with hostname "sable".
# busybox's line editor may follow it with a cursor query (ESC [6n).
PROMPT = r"@sable:[^\r\n]*[#$] "
# The guest's ONLCR makes "\r\n"; the host pty QEMU writes to adds a "\r".
NL = r"\r+\n"
failures = 0


def result(name, ok, why=""):
    global failures
    if ok:
        print(f"PASS console.{name}")
    else:
        failures += 1
        print(f"FAIL console.{name}: {why}")
    sys.stdout.flush()


def wait_prompt(c, timeout):
    """True when a prompt comes within timeout seconds."""
    try:
        c.expect(PROMPT, timeout=timeout)
        return True
    except (pexpect.TIMEOUT, pexpect.EOF):
        return False


def type_line(c, text):
    # One byte at a time, as typing: the guest echoes each.
    for ch in text:
        c.send(ch)
    c.send("\r")


def step_echo(c, t):
    type_line(c, "echo hel''lo")
    try:
        c.expect(NL + "hello" + NL, timeout=t)
        ok = True
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok = False
    result("echo_hello", ok and wait_prompt(c, t), "no 'hello' line then prompt")


def step_backspace(c, t):
    # "echo abX<DEL>c" must run as "echo abc"; the shell's line editor or
    # the line discipline erases, either way the result is the same.
    for ch in "echo abX":
        c.send(ch)
    c.send("\x7f")
    for ch in "c\r":
        c.send(ch)
    try:
        c.expect(NL + "abc" + NL, timeout=t)
        ok = True
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok = False
    result("backspace", ok and wait_prompt(c, t), "backspace did not erase")


def step_kill_line(c, t):
    for ch in "echo wrong":
        c.send(ch)
    c.send("\x15")  # ^U: kill the line
    type_line(c, "echo right")
    try:
        idx = c.expect([NL + "right" + NL, "wrong" + NL], timeout=t)
        ok = idx == 0
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok = False
    result("ctrl_u_kills_line", ok and wait_prompt(c, t), "^U did not kill the line")


def step_canonical_read(c, t):
    # `read` runs with the terminal in canonical mode: here the kernel's
    # line discipline, not the shell's editor, does erase and kill.
    type_line(c, 'read x; echo "[$x]"')
    c.expect(pexpect.TIMEOUT, timeout=1)
    for ch in "abX":
        c.send(ch)
    c.send("\x7f")
    c.send("c\r")
    try:
        c.expect(r"\[abc\]", timeout=t)
        ok = True
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok = False
    result("ldisc_erase", ok and wait_prompt(c, t), "erase in canonical mode")
    type_line(c, 'read x; echo "[$x]"')
    c.expect(pexpect.TIMEOUT, timeout=1)
    for ch in "junk":
        c.send(ch)
    c.send("\x15")
    c.send("ok\r")
    try:
        c.expect(r"\[ok\]", timeout=t)
        ok = True
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok = False
    result("ldisc_kill", ok and wait_prompt(c, t), "^U in canonical mode")


def step_ctrl_c(c, t):
    type_line(c, "sleep 100")
    # Give the shell time to start sleep and hand it the terminal.
    try:
        c.expect("sleep 100" + NL, timeout=t)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pass
    c.expect(pexpect.TIMEOUT, timeout=2)
    c.send("\x03")
    result("ctrl_c_sleep", wait_prompt(c, t), "no prompt after ^C")
    type_line(c, "echo alive$((1+1))")
    try:
        c.expect(r"alive2", timeout=t)
        ok = True
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok = False
    result("shell_survives_ctrl_c", ok and wait_prompt(c, t), "shell gone after ^C")


def step_ctrl_z_fg(c, t):
    type_line(c, "sleep 100")
    try:
        c.expect("sleep 100" + NL, timeout=t)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pass
    c.expect(pexpect.TIMEOUT, timeout=2)
    c.send("\x1a")  # ^Z: stop the job
    try:
        c.expect(r"[Ss]topped", timeout=t)
        stopped = True
    except (pexpect.TIMEOUT, pexpect.EOF):
        stopped = False
    result("ctrl_z_stops", stopped and wait_prompt(c, t), "no 'Stopped' then prompt")
    type_line(c, "fg")
    try:
        c.expect(r"sleep 100", timeout=t)
        back = True
    except (pexpect.TIMEOUT, pexpect.EOF):
        back = False
    # In the foreground again: no prompt until it ends.
    at_prompt = wait_prompt(c, 2)
    result("fg_resumes", back and not at_prompt, "fg did not resume the job")
    c.send("\x03")
    result("ctrl_c_after_fg", wait_prompt(c, t), "no prompt after ^C")
    type_line(c, "jobs; echo jobs-done")
    try:
        c.expect("jobs-done" + NL, timeout=t)
        before = c.before.decode(errors="replace")
        ok = "sleep" not in before.split("jobs-done")[-1]
    except (pexpect.TIMEOUT, pexpect.EOF):
        ok = False
    result("no_jobs_left", ok and wait_prompt(c, t), "a job is left")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="build/sable.elf")
    ap.add_argument("--initrd", default="build/initramfs.cpio")
    ap.add_argument("--timeout", type=int, default=30, help="seconds per step")
    ap.add_argument("--boot-timeout", type=int, default=120)
    ap.add_argument("--log", default=None)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    a = ap.parse_args()

    # mon:stdio as `make run`: ^C and ^Z reach the guest, not QEMU.
    cmd = [a.qemu, "-accel", "tcg", "-cpu", "max", "-m", "256M", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", a.kernel, "-initrd", a.initrd,
           "-append", "console=ttyS0", "-serial", "mon:stdio", "-display", "none"]
    c = pexpect.spawn(cmd[0], cmd[1:], timeout=a.timeout, dimensions=(24, 80))
    if a.log:
        c.logfile_read = open(a.log, "wb")
    # busybox init may print "Please press Enter" (askfirst); Enter is
    # harmless at a prompt as well.
    booted = wait_prompt(c, a.boot_timeout)
    if not booted:
        c.send("\r")
        booted = wait_prompt(c, 10)
    result("boot_to_prompt", booted, "no shell prompt on the serial console")
    if booted:
        for step in (step_echo, step_backspace, step_kill_line,
                     step_canonical_read, step_ctrl_c,
                     step_ctrl_z_fg):
            step(c, a.timeout)
        type_line(c, "poweroff -f")
        try:
            c.expect(pexpect.EOF, timeout=a.timeout)
        except pexpect.TIMEOUT:
            pass
    if c.isalive():
        c.terminate(force=True)
    print(f"console: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
