# busybox sh itself: pipelines, redirections (> >> < 2>&1), here-documents,
# subshells, command substitution, background jobs and wait, exit statuses
# ($?), set -e, functions, variables and arithmetic, loops, case, traps.
. "${0%/*}/lib.sh"

check_eq pipeline "$(echo hello | tr a-z A-Z)" HELLO
check_eq pipeline_long "$(printf '3\n1\n2\n' | sort | head -n 2 | tail -n 1)" 2
check_eq pipeline_status_last "$(false | true; echo $?)" 0
check_eq pipeline_status_last_fail "$(true | false; echo $?)" 1
check_eq pipeline_negate "$(! false; echo $?)" 0

echo one > out.txt
check_eq redirect_out "$(cat out.txt)" one
echo two >> out.txt
check_eq redirect_append "$(cat out.txt | wc -l | tr -d ' ')" 2
check_eq redirect_in "$(tr a-z A-Z < out.txt | tail -n 1)" TWO
check_eq redirect_stderr "$(sh -c 'echo err >&2' 2>&1)" err
sh -c 'echo out; echo err >&2' > both.txt 2>&1
check_eq redirect_both "$(sort both.txt | tr '\n' ' ')" "err out "
sh -c 'echo err >&2' 2> err.txt
check_eq redirect_stderr_file "$(cat err.txt)" err
check_eq redirect_dev_null "$(echo gone > /dev/null; echo ok)" ok
: > empty.txt
check_eq redirect_truncate "$(wc -c < empty.txt | tr -d ' ')" 0
exec 3> fd3.txt
echo via3 >&3
exec 3>&-
check_eq redirect_exec_fd "$(cat fd3.txt)" via3
check_eq redirect_noclobber "$(set -C; echo x > out.txt 2>/dev/null; echo $?)" 1

cat > here.txt <<END
line $((1 + 1))
  indented
END
check_eq heredoc "$(head -n 1 here.txt)" "line 2"
check_eq heredoc_lines "$(wc -l < here.txt | tr -d ' ')" 2
x=expanded
check_eq heredoc_quoted "$(cat <<'END'
$x
END
)" '$x'
check_eq heredoc_tabs "$(cat <<-END
	tabbed
	END
)" tabbed

v=outer
(v=inner; echo "$v" > sub.txt)
check_eq subshell_isolated "$v" outer
check_eq subshell_ran "$(cat sub.txt)" inner
check_eq subshell_exit "$( (exit 3); echo $?)" 3
check_eq cmdsub_nested "$(echo "a$(echo "b$(echo c)")")" abc
check_eq cmdsub_backquote "`echo back`" back
check_eq cmdsub_strips_newlines "$(printf 'x\n\n\n')" x

sleep 1 &
bg=$!
check bg_pid_set '[ -n "$bg" ] && [ "$bg" -gt 0 ]'
check bg_running 'kill -0 $bg'
wait $bg
check_eq wait_status "$?" 0
(exit 7) &
wait $!
check_eq wait_bg_status "$?" 7
for i in 1 2 3 4 5; do (sleep 0.2; echo $i >> bgs.txt) & done
wait
check_eq wait_all "$(sort bgs.txt | tr -d '\n')" 12345

check_eq status_true "$(true; echo $?)" 0
check_eq status_false "$(false; echo $?)" 1
check_eq status_exit_n "$(sh -c 'exit 42'; echo $?)" 42
check_eq status_not_found "$(nonexistent_cmd_xyz 2>/dev/null; echo $?)" 127
check_eq status_signal "$(sh -c 'kill -TERM $$'; echo $?)" 143
check_eq and_or "$(false && echo no || echo yes)" yes
check_eq set_e_stops "$(sh -c 'set -e; echo a; false; echo b')" a
check_eq set_e_if_ok "$(sh -c 'set -e; if false; then :; fi; echo b')" b
check_eq set_e_and_list_ok "$(sh -c 'set -e; false || true; echo c')" c
check_eq set_e_status "$(sh -c 'set -e; false; echo b'; echo $?)" 1
check_eq set_u "$(sh -c 'set -u; echo $undefined_var' 2>/dev/null; echo $?)" 2

f() { echo "f:$1:$#"; return 5; }
check_eq function_args "$(f a b)" "f:a:2"
f x > /dev/null
check_eq function_return "$?" 5
check_eq arithmetic "$((6 * 7 + (10 % 4) - 2 ** 3))" 36
n=0
while [ $n -lt 10 ]; do n=$((n + 1)); done
check_eq while_loop "$n" 10
s=""
for w in a b c; do s="$s$w"; done
check_eq for_loop "$s" abc
case foo.txt in *.txt) c=text ;; *) c=other ;; esac
check_eq case_glob "$c" text
check_eq param_default "${unset_var:-dflt}" dflt
p=/a/b/c.tar.gz
check_eq param_strip "${p##*/} ${p%.gz} ${#p}" "c.tar.gz /a/b/c.tar 13"
check_eq trap_exit "$(sh -c 'trap "echo bye" EXIT; echo hi')" "hi
bye"
check_eq trap_signal "$(sh -c 'trap "echo caught; exit 0" USR1; kill -USR1 $$; sleep 5; echo not')" caught
check_eq glob_expand "$(touch g1 g2 g3; echo g?)" "g1 g2 g3"
check_eq ifs_read "$(echo 'a:b:c' | { IFS=: read x y z; echo $z$y$x; })" cba
check_eq eval "$(eval 'echo $((2+3))')" 5
check_eq exec_replaces "$(sh -c 'exec echo replaced; echo not')" replaced
done_tests
