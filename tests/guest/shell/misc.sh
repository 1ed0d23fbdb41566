# Everyday commands: date, sleep, kill, env, test/[, id, whoami, su to the
# user, hostname, uname, ps (needs /proc), pidof, nproc, free, true/false,
# timeout, yes, which, command -v.
. "${0%/*}/lib.sh"

check date_year '[ "$(date +%Y)" -ge 2020 ]'
check_eq date_utc_format "$(date -u -d @0 '+%Y-%m-%d %H:%M:%S')" "1970-01-01 00:00:00"
check_eq date_epoch_parse "$(date -u -d '2001-09-09 01:46:40' +%s)" 1000000000
a=$(date +%s)
sleep 1
b=$(date +%s)
check date_advances '[ $((b - a)) -ge 1 ] && [ $((b - a)) -le 3 ]'
t0=$(date +%s)
sleep 2
t1=$(date +%s)
check sleep_2 '[ $((t1 - t0)) -ge 2 ] && [ $((t1 - t0)) -le 4 ]'
check sleep_fraction 'sleep 0.1'

sleep 30 &
p=$!
check kill_0_alive 'kill -0 $p'
kill $p
wait $p
check_eq kill_term_status "$?" 143
sleep 30 &
p=$!
kill -9 $p
wait $p
check_eq kill_9_status "$?" 137
sleep 30 &
p=$!
kill -STOP $p
kill -CONT $p
check kill_stop_cont_alive 'kill -0 $p'
kill -KILL $p
wait $p 2>/dev/null
check kill_gone '! kill -0 $p 2>/dev/null'
check_eq kill_l "$(kill -l 9)" KILL
check_eq timeout_kills "$(timeout 1 sleep 10; echo $?)" 143

check_eq env_passes "$(FOO=bar env | grep '^FOO=')" FOO=bar
check_eq env_i "$(env -i A=1 env)" A=1
check_eq env_run "$(env X=5 sh -c 'echo $X')" 5
check_eq env_u "$(X=1 env -u X sh -c 'echo ${X:-unset}')" unset
export EXPORTED=yes
check_eq export_to_child "$(sh -c 'echo $EXPORTED')" yes

check test_file 'test -f /bin/busybox'
check test_dir '[ -d /tmp ]'
check test_exec '[ -x /bin/busybox ]'
check test_symlink '[ -L /bin/sh ]'
check test_string '[ "abc" = abc ] && [ -n "x" ] && [ -z "" ]'
check test_numbers '[ 3 -lt 10 ] && [ 10 -ge 10 ] && [ 2 -ne 3 ]'
check test_not '! [ 1 -eq 2 ]'
check test_and_or '[ 1 -eq 1 -a 2 -eq 2 ] && [ 1 -eq 2 -o 2 -eq 2 ]'
check test_newer 'touch old; sleep 1; touch new; [ new -nt old ]'
check test_double_bracket '[[ abc == a* ]]'

check_eq id_root "$(id -u):$(id -g)" 0:0
check_eq whoami "$(whoami)" root
check_eq su_user_id "$(su user -s /bin/sh -c 'id -u' 2>/dev/null)" 1000
check_eq su_user_whoami "$(su user -s /bin/sh -c whoami 2>/dev/null)" user
mkdir ushared && chmod 777 ushared
check_eq su_user_creates "$(su user -s /bin/sh -c 'touch ushared/f' 2>/dev/null; stat -c %u ushared/f)" 1000
check su_user_cannot_write_root '! su user -s /bin/sh -c "touch /root/x" 2>/dev/null'
check_eq hostname_cmd "$(hostname)" "$(uname -n)"
check_eq uname_s "$(uname -s)" Linux
check_eq uname_m "$(uname -m)" x86_64
check nproc '[ "$(nproc)" -ge 1 ]'
check free_cmd 'free | grep -q Mem'
if [ -r /proc/self/stat ]; then
	sleep 10 &
	p=$!
	check ps_lists 'ps | grep -q "sleep 10"'
	check pidof_finds 'pidof sleep | grep -qw $p'
	kill $p
	wait $p 2>/dev/null
else
	fail ps_needs_proc "/proc is not mounted: ps and pidof cannot work"
fi
check true_cmd true
check false_cmd '! false'
check_eq yes_head "$(yes y | head -n 3 | tr -d '\n')" yyy
check which_sh 'which sh'
check command_v 'command -v ls'
check_eq cd_pwd "$(cd /tmp && pwd)" /tmp
done_tests
