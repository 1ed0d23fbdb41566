#!/bin/sh
# Runs every guest test under /tests (or $GUEST_DIR) with busybox sh: the C
# programs of each family (<family>/<name>.musl and .glibc) and the shell
# scripts (shell/*.sh), each in a fresh scratch directory under /tmp and under
# a per-test timeout (busybox timeout -s KILL), so a hang is one FAIL and the
# run goes on. Prints each test's output, then the closing line
# "N passed, N failed".
#
# Settings (from /etc/guest-test.conf, then the environment, then the kernel
# command line's guest.NAME=VALUE words when /proc/cmdline exists):
#   GUEST_ONLY       families or tests to run, e.g. "file proc/exec.musl shell"
#   GUEST_SKIP       families or tests to leave out
#   GUEST_TIMEOUT    seconds per test (default 60)
#   GUEST_STRESS_TIMEOUT  seconds per stress test (default 600)
#   T_FORKEXEC_N     fork+exec+wait iterations of stress/forkexec (default 10000)
#   T_FORKMANY_N     parallel children of stress/forkmany (default 200)
T=${GUEST_DIR:-/tests}
[ -r /etc/guest-test.conf ] && . /etc/guest-test.conf
if [ -r /proc/cmdline ]; then
	for w in $(cat /proc/cmdline); do
		case $w in
		guest.only=*) GUEST_ONLY=$(echo "${w#guest.only=}" | tr , ' ') ;;
		guest.skip=*) GUEST_SKIP=$(echo "${w#guest.skip=}" | tr , ' ') ;;
		guest.timeout=*) GUEST_TIMEOUT=${w#guest.timeout=} ;;
		guest.stress_timeout=*) GUEST_STRESS_TIMEOUT=${w#guest.stress_timeout=} ;;
		guest.forkexec=*) T_FORKEXEC_N=${w#guest.forkexec=} ;;
		guest.forkmany=*) T_FORKMANY_N=${w#guest.forkmany=} ;;
		esac
	done
fi
GUEST_TIMEOUT=${GUEST_TIMEOUT:-60}
GUEST_STRESS_TIMEOUT=${GUEST_STRESS_TIMEOUT:-600}
export T_FORKEXEC_N=${T_FORKEXEC_N:-10000}
export T_FORKMANY_N=${T_FORKMANY_N:-200}
export T_GUEST_DIR=$T
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# The order: the basics first, so a broken basic is the first failure seen.
FAMILIES="sys time file pipe tty mem proc signal crash shell stress"

RESULTS=/tmp/guest-results
OUT=/tmp/guest-out
: > "$RESULTS"
total_start=$(date +%s)

selected() { # selected FAMILY TEST: is this test to run?
	local w ok
	if [ -n "$GUEST_ONLY" ]; then
		ok=0
		for w in $GUEST_ONLY; do
			case $w in "$1" | "$1/$2") ok=1 ;; esac
		done
		[ $ok = 1 ] || return 1
	fi
	for w in $GUEST_SKIP; do
		case $w in "$1" | "$1/$2") return 1 ;; esac
	done
	return 0
}

run_one() { # run_one FAMILY NAME TIMEOUT CMD...
	local fam=$1 name=$2 to=$3 st np nf t0 t1 dir
	shift 3
	echo "== $fam/$name"
	dir=/tmp/run.$fam.$name
	rm -rf "$dir"
	mkdir -p "$dir" && cd "$dir" || { echo "FAIL $fam/$name: no scratch dir" | tee -a "$RESULTS"; return; }
	t0=$(date +%s)
	timeout -s KILL "$to" "$@" > "$OUT" 2>&1
	st=$?
	t1=$(date +%s)
	cd /
	cat "$OUT"
	grep -E '^(PASS|FAIL) ' "$OUT" >> "$RESULTS"
	np=$(grep -c '^PASS ' "$OUT")
	nf=$(grep -c '^FAIL ' "$OUT")
	if [ "$st" -ge 128 ]; then
		if [ $((t1 - t0)) -ge "$to" ]; then
			echo "FAIL $fam/$name: timed out after ${to}s (killed by signal $((st - 128)))" | tee -a "$RESULTS"
		else
			echo "FAIL $fam/$name: killed by signal $((st - 128))" | tee -a "$RESULTS"
		fi
	elif [ "$st" != 0 ] && [ "$nf" = 0 ]; then
		echo "FAIL $fam/$name: exit status $st without a FAIL line" | tee -a "$RESULTS"
	elif [ "$np" = 0 ] && [ "$nf" = 0 ]; then
		echo "FAIL $fam/$name: no PASS or FAIL line" | tee -a "$RESULTS"
	fi
	echo "# $fam/$name: $np passed, $nf failed, status $st, $((t1 - t0))s"
	rm -rf "$dir"
}

for fam in $FAMILIES; do
	[ -d "$T/$fam" ] || continue
	to=$GUEST_TIMEOUT
	[ "$fam" = stress ] && to=$GUEST_STRESS_TIMEOUT
	for f in "$T/$fam"/*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		case $name in
		lib.sh | *.txt) continue ;;
		esac
		selected "$fam" "$name" || continue
		case $name in
		*.sh) run_one "$fam" "$name" "$to" /bin/sh "$f" ;;
		*) [ -x "$f" ] && run_one "$fam" "$name" "$to" "$f" ;;
		esac
	done
done

passed=$(grep -c '^PASS ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
echo "# guest tests took $(($(date +%s) - total_start))s"
if [ "$failed" != 0 ]; then
	echo "# failures:"
	grep '^FAIL ' "$RESULTS" | sed 's/^/#   /'
fi
echo "$passed passed, $failed failed"
