#!/usr/bin/env bash
# make bench: Sable against Debian's Linux kernel, side by side, in one run.
#
# 1. builds tests/bench (bench.c, nop.c) static with musl-gcc;
# 2. fetches Debian's kernel the first time (apt-get download of the package
#    linux-image-amd64 depends on, unpacked with dpkg-deb -x under
#    $BUILD/bench/linux; never committed);
# 3. builds $BUILD/bench/bench.cpio: busybox (tools/mkinitramfs.sh), /init =
#    tests/bench/init (runs the benchmarks), /bench-probe = tests/bench/probe
#    (boot-time and minimum-memory probe), /bin/bench, /bin/bench-nop;
# 4. boots that same archive on both kernels with the same QEMU command line
#    (TCG -cpu max by default; KVM=1 uses KVM when /dev/kvm works), apart from
#    -kernel and the -append words for panic handling and the probe init:
#      - BOOT_RUNS probe boots each (init=/bench-probe on Sable,
#        rdinit=/bench-probe on Linux): host wall clock from QEMU start to the
#        first line /init prints (median);
#      - a binary search for the smallest -m (MiB) that reaches a busybox
#        prompt (skipped with MINMEM=0);
#      - one benchmark boot at -m $MEM: the BENCH lines of tests/bench/bench.c;
# 5. prints the table and writes it to bench/results.md.
#
# Environment: BUILD (build), KVM (0), MEM (256M), SMP (1), BOOT_RUNS (3),
# MINMEM (1), SCALE (1: the benchmark's per-run time, 100 ms x SCALE),
# BENCH_OUT (bench/results.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/bench
KVM=${KVM:-0}
MEM=${MEM:-256M}
SMP=${SMP:-1}
BOOT_RUNS=${BOOT_RUNS:-3}
MINMEM=${MINMEM:-1}
SCALE=${SCALE:-1}
RESULTS=${BENCH_OUT:-bench/results.md}
SABLE=$BUILD/sable.elf
mkdir -p "$OUT" "$(dirname "$RESULTS")"

[ -f "$SABLE" ] || { echo "bench: no $SABLE (make kernel)" >&2; exit 1; }
command -v musl-gcc >/dev/null || { echo "bench: musl-gcc missing (apt-get install musl-tools)" >&2; exit 1; }

echo "  CC      tests/bench/bench.c tests/bench/nop.c (musl, static)"
musl-gcc -static -O2 -Wall -Wextra -Werror -o "$OUT/bench" tests/bench/bench.c
musl-gcc -static -O2 -Wall -Wextra -Werror -o "$OUT/bench-nop" tests/bench/nop.c
strip "$OUT/bench-nop"

# Debian's kernel, once.
LINUX=$(ls "$OUT"/linux/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$LINUX" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{ print $1 }' | sort -V | tail -n 1)
	fi
	[ -n "$pkg" ] || { echo "bench: no linux-image-6.1.0-*-amd64 package known to apt (apt-get update?)" >&2; exit 1; }
	echo "  FETCH   $pkg (apt-get download)"
	rm -f "$OUT"/"$pkg"_*.deb
	(cd "$OUT" && apt-get download "$pkg" >/dev/null 2>&1) || (cd "$OUT" && apt-get download "$pkg")
	rm -rf "$OUT/linux"
	dpkg-deb -x "$OUT"/"$pkg"_*.deb "$OUT/linux"
	LINUX=$(ls "$OUT"/linux/boot/vmlinuz-* | sort -V | tail -n 1)
fi
echo "  LINUX   $LINUX"

printf 'BENCH_ARGS="-t %s -r 5"\n' "$((100 * SCALE))" > "$OUT/bench.conf"
echo "  CPIO    $OUT/bench.cpio"
tools/mkinitramfs.sh --init tests/bench/init \
	--file /bench-probe=tests/bench/probe \
	--file /bin/bench="$OUT/bench" --file /bin/bench-nop="$OUT/bench-nop" \
	--file /etc/bench.conf="$OUT/bench.conf" "$OUT/bench.cpio"

ACCEL="-accel tcg -cpu max"
MODE="TCG, -cpu max"
if [ "$KVM" = 1 ]; then
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		ACCEL="-accel kvm -cpu host,-arch-capabilities"
		MODE="KVM, -cpu host,-arch-capabilities"
	else
		echo "bench: KVM=1 but /dev/kvm is not usable; using TCG" >&2
	fi
fi

SABLE="$SABLE" LINUX="$LINUX" INITRD="$OUT/bench.cpio" ACCEL="$ACCEL" MODE="$MODE" MEM="$MEM" \
	SMP="$SMP" BOOT_RUNS="$BOOT_RUNS" MINMEM="$MINMEM" RESULTS="$RESULTS" LOGDIR="$OUT" \
	python3 - <<'PY'
# The QEMU runs and the table (embedded in tools/bench.sh).
import datetime, os, select, signal, subprocess, sys, time

E = os.environ
SABLE, LINUX, INITRD = E["SABLE"], E["LINUX"], E["INITRD"]
ACCEL, MODE, MEM, SMP = E["ACCEL"].split(), E["MODE"], E["MEM"], E["SMP"]
BOOT_RUNS, MINMEM, RESULTS, LOGDIR = int(E["BOOT_RUNS"]), E["MINMEM"] == "1", E["RESULTS"], E["LOGDIR"]
# name, kernel, command line, the word that makes /bench-probe the init
# (Linux takes rdinit= for an initramfs; its init= is for a root file system).
KERNELS = [("Sable", SABLE, "console=ttyS0 quiet panic=exit", "init=/bench-probe"),
           ("Linux", LINUX, "console=ttyS0 quiet panic=-1", "rdinit=/bench-probe")]

def mib(m):
    m = m.strip().upper()
    return int(m[:-1]) * 1024 if m.endswith("G") else int(m.rstrip("M"))

def boot(name, kernel, append, mem, stop, timeout, log):
    """Boots once; returns (seconds from QEMU start to the first line holding
    'BENCH-BOOT' or 'BENCH-INIT' or None, list of lines, whether stop was seen)."""
    cmd = ["qemu-system-x86_64", *ACCEL, "-m", "%dM" % mem, "-smp", SMP, "-no-reboot",
           "-display", "none", "-monitor", "none", "-serial", "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", kernel, "-initrd", INITRD, "-append", append]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    first, lines, seen, pend = None, [], False, b""
    deadline = t0 + timeout
    fd = p.stdout.fileno()
    with open(log, "wb") as lf:
        lf.write((" ".join(cmd) + "\n").encode())
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not r:
                if p.poll() is not None:
                    break
                continue
            data = os.read(fd, 65536)
            if not data:
                break
            now = time.monotonic()
            lf.write(data)
            pend += data
            while b"\n" in pend:
                ln, pend = pend.split(b"\n", 1)
                s = ln.decode("utf-8", "replace").replace("\r", "").strip()
                lines.append(s)
                if first is None and ("BENCH-BOOT" in s or "BENCH-INIT" in s):
                    first = now - t0
                if stop in s:
                    seen = True
            if seen:
                break
    if p.poll() is None:
        time.sleep(0.5 if seen else 0)   # let poweroff finish, then make sure
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    p.stdout.close()
    return first, lines, seen

def median(v):
    v = sorted(v)
    n = len(v)
    return None if not n else (v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2)

res = {}      # (kernel, name) -> (value or None, unit)
order = []
info = {}
mem_top = mib(MEM)
for name, kernel, append, probe in KERNELS:
    tag = name.lower()
    # Boot time: several probe boots.
    times = []
    for i in range(BOOT_RUNS):
        t, lines, ok = boot(name, kernel, append + " " + probe, mem_top, "BENCH-PROMPT-42",
                            120, "%s/%s-boot%d.log" % (LOGDIR, tag, i))
        if t is not None:
            times.append(t * 1000)
        print("  BOOT    %s run %d: %s" % (name, i + 1, "%.0f ms" % (t * 1000) if t is not None else "no /init line"),
              flush=True)
    res[(name, "boot_to_init")] = (median(times), "ms")
    # Smallest memory that reaches the prompt: binary search in MiB.
    if MINMEM:
        lo, hi = 1, mem_top   # lo fails (assumed), hi must succeed
        # A boot that fails for want of memory may hang rather than panic:
        # give each try five times the normal boot time (at least 20 s).
        search_timeout = max(20.0, 5 * (median(times) or 20000) / 1000)
        _, _, ok = boot(name, kernel, append + " " + probe, hi, "BENCH-PROMPT-42", 120,
                        "%s/%s-mem%d.log" % (LOGDIR, tag, hi))
        if ok:
            while hi - lo > 1:
                mid = (lo + hi) // 2
                _, _, ok = boot(name, kernel, append + " " + probe, mid, "BENCH-PROMPT-42", search_timeout,
                                "%s/%s-mem%d.log" % (LOGDIR, tag, mid))
                print("  MEM     %s -m %dM: %s" % (name, mid, "prompt" if ok else "no prompt"), flush=True)
                if ok:
                    hi = mid
                else:
                    lo = mid
            res[(name, "min_memory")] = (hi, "MiB")
        else:
            res[(name, "min_memory")] = (None, "MiB")
    # The benchmarks.
    print("  BENCH   %s at -m %s (the benchmarks; a few minutes under TCG)" % (name, MEM), flush=True)
    _, lines, ok = boot(name, kernel, append, mem_top, "BENCH-END", 900, "%s/%s-bench.log" % (LOGDIR, tag))
    for s in lines:
        f = s.split()
        if s.startswith("BENCH ") and len(f) >= 4:
            if f[1] not in order:
                order.append(f[1])
            res[(name, f[1])] = (None if f[2] == "n/a" else float(f[2]), f[3])
            print("    %s %s %s" % (f[1], f[2], f[3]), flush=True)
        elif s.startswith("BENCH-UNAME "):
            info[name + " uname"] = s[12:]
        elif s.startswith("BENCH-CPU "):
            info[name + " cpu"] = s[10:]
    if not ok:
        print("  BENCH   %s: did not finish (see %s/%s-bench.log)" % (name, LOGDIR, tag), flush=True)
        info[name + " incomplete"] = True

# Targets from issue 6: ratio Sable/Linux; "<=" for times, ">=" for bandwidths.
TARGETS = {"null_syscall": ("<=", 0.5), "fork_exit_wait": ("<=", 0.7), "fork_execve_wait": ("<=", 0.7),
           "context_switch": ("<=", 0.7), "pipe_latency": ("<=", 0.7), "page_fault": ("<=", 0.8),
           "pipe_bw_64k": (">=", 1.0), "tmpfs_write_bw": (">=", 1.0), "tmpfs_read_bw": (">=", 1.0),
           "boot_to_init": ("<=", 0.1), "min_memory": ("<=", 0.25)}

def fmt(v):
    if v is None:
        return "n/a"
    return "%.0f" % v if v >= 100 else "%.1f" % v if v >= 10 else "%.2f" % v

rows = []
for b in order + ["boot_to_init"] + (["min_memory"] if MINMEM else []):
    s, unit = res.get(("Sable", b), (None, ""))
    l, unit2 = res.get(("Linux", b), (None, unit))
    unit = unit or unit2
    ratio = s / l if s is not None and l is not None and l > 0 else None
    tgt, met = "", ""
    if b in TARGETS:
        op, x = TARGETS[b]
        tgt = "%s %.1f" % ("≤" if op == "<=" else "≥", x) if x != 0.25 else "≤ 0.25"
        if ratio is not None:
            met = "yes" if (ratio <= x if op == "<=" else ratio >= x) else "no"
    better = "higher" if unit == "MB/s" else "lower"
    if unit == "MiB":
        fmt_ = lambda v: "n/a" if v is None else "%d" % v
    else:
        fmt_ = fmt
    rows.append((b, unit, better, fmt_(s), fmt_(l), "%.2f" % ratio if ratio is not None else "n/a", tgt, met))

def host_cpu():
    try:
        for ln in open("/proc/cpuinfo"):
            if ln.startswith("model name"):
                return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"

qv = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
try:
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
except OSError:
    rev = ""
out = []
out.append("# Sable vs Linux: benchmarks")
out.append("")
out.append("Made by `make bench` (tools/bench.sh, tests/bench/). The same initramfs")
out.append("(busybox + tests/bench/bench.c, static musl) booted on both kernels with the")
out.append("same QEMU command line; each benchmark figure is the median of 5 runs.")
out.append("")
out.append("- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
out.append("- QEMU: %s; mode %s; -m %s -smp %s" % (qv, MODE, MEM, SMP))
out.append("- host CPU: %s" % host_cpu())
out.append("- guest CPU (Linux /proc/cpuinfo): %s" % info.get("Linux cpu", "unknown"))
out.append("- Sable: %s%s" % (SABLE, " (commit %s)" % rev if rev else ""))
out.append("- Linux: %s (%s)" % (os.path.basename(LINUX), info.get("Linux uname", "?")))
out.append("- boot_to_init: host wall clock from QEMU start to the first line /init prints "
           "(median of %d boots); min_memory: the smallest -m (MiB) that reaches an interactive "
           "busybox shell (binary search)" % BOOT_RUNS)
for k in ("Sable", "Linux"):
    if info.get(k + " incomplete"):
        out.append("- **%s's benchmark run did not finish**: missing figures are n/a" % k)
out.append("")
out.append("Ratio = Sable/Linux. For times (ns, ms, MiB) below 1 means Sable is better; for "
           "bandwidths (MB/s) above 1 does. n/a: the kernel cannot run that test (e.g. no sockets).")
out.append("")
out.append("| benchmark | unit | better | Sable | Linux | Sable/Linux | target | met |")
out.append("| --- | --- | --- | ---: | ---: | ---: | --- | --- |")
for r in rows:
    out.append("| %s |" % " | ".join(r))
text = "\n".join(out) + "\n"
with open(RESULTS, "w") as f:
    f.write(text)
print()
print(text, end="")
print("bench: written to %s (logs in %s)" % (RESULTS, LOGDIR))
PY
