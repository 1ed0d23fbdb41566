# Shared by the shell tests (sourced): PASS/FAIL lines in the format of the
# C tests ("PASS <script>.<name>", "FAIL <script>.<name>: why"), and a count
# for the exit status. Each script runs in a scratch directory (the runner's
# cwd) with busybox sh.
T_PROG=${0##*/}
t_pass=0
t_fail=0

pass() { echo "PASS $T_PROG.$1"; t_pass=$((t_pass + 1)); }
fail() { echo "FAIL $T_PROG.$1: $2"; t_fail=$((t_fail + 1)); }

# check NAME CMD...: passes when CMD (run by eval) exits 0.
check() {
	local name=$1
	shift
	if eval "$@" >/dev/null 2>&1; then
		pass "$name"
	else
		fail "$name" "command failed (status $?): $*"
	fi
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$(printf %s "$2" | head -c 200 | tr '\n' '|')', want '$(printf %s "$3" | head -c 200 | tr '\n' '|')'"
	fi
}

# done_tests: the exit status (0 when nothing failed).
done_tests() {
	[ $((t_pass + t_fail)) -gt 0 ] || fail nothing "no check ran"
	[ "$t_fail" = 0 ]
}
