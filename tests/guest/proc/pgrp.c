/* Process groups and sessions: getpgrp/getpgid/setpgid/setsid/getsid, the
 * inheritance across fork, and the errors: setsid as a group leader (EPERM),
 * setpgid on a child after exec (EACCES), into another session's group
 * (EPERM), of a non-child (ESRCH), negative pgid (EINVAL); getpgid/getsid
 * of a missing pid (ESRCH); kill of a process group. */
#include "t.h"

int main(int argc, char **argv)
{
	int st;

	t_init(argc, argv);
	pid_t me = getpid();
	/* Our own group first: the runner's (pid 1's) group may be 0, outside
	 * any namespace or not a real group, as with Linux's init. */
	CHECK_OK("setpgid_self_leader", setpgid(0, 0));
	CHECK_EQ("self_leader_pgrp", getpgrp(), me);
	CHECK_EQ("getpgrp_is_getpgid0", getpgrp(), getpgid(0));
	CHECK_EQ("getpgid_self", getpgid(me), getpgrp());
	CHECK("getsid_positive", getsid(0) >= 0);
	CHECK_ERR("getpgid_missing_esrch", getpgid(0x3ffffff0), ESRCH);
	CHECK_ERR("getsid_missing_esrch", getsid(0x3ffffff0), ESRCH);
	CHECK_ERR("setpgid_negative_einval", setpgid(0, -1), EINVAL);
	CHECK_ERR("setpgid_not_child_esrch", setpgid(1, 0), ESRCH);

	/* The child inherits group and session; then makes its own group. */
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_EQ("child_inherits_pgrp", getpgrp(), getpgid(getppid()));
		CHECK_EQ("child_inherits_sid", getsid(0), getsid(getppid()));
		CHECK_OK("child_setpgid_own", setpgid(0, 0));
		CHECK_EQ("child_is_group_leader", getpgrp(), getpid());
		CHECK_ERR("group_leader_setsid_eperm", setsid(), EPERM);
		t_child_exit();
	}
	t_wait_ok("child_group", pid);

	/* setsid in a non-leader: a new session and group, no tty. */
	pid = t_fork();
	if (pid == 0) {
		pid_t s = setsid();
		CHECK_EQ("setsid_returns_sid", s, getpid());
		CHECK_EQ("setsid_new_sid", getsid(0), getpid());
		CHECK_EQ("setsid_new_pgrp", getpgrp(), getpid());
		CHECK_ERR("setsid_twice_eperm", setsid(), EPERM);
		/* A child in the new session cannot join a group of another session. */
		pid_t c = t_fork();
		if (c == 0) {
			t_msleep(200);
			_exit(0);
		}
		CHECK_ERR("setpgid_other_session_group_eperm", setpgid(c, getpgid(getppid())), EPERM);
		CHECK_OK("setpgid_child_new_group", setpgid(c, c));
		CHECK_EQ("setpgid_child_group", getpgid(c), c);
		CHECK_OK("setpgid_child_back", setpgid(c, getpid()));
		CHECK_ERR("setpgid_missing_group_eperm", setpgid(c, 0x3ffffff0), EPERM);
		t_wait(c);
		t_child_exit();
	}
	t_wait_ok("setsid_child", pid);

	/* setpgid on a child that has exec'd: EACCES. */
	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		execl("/bin/sh", "sh", "-c", "echo started; sleep 1", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[16];
	read(p[0], buf, sizeof(buf)); /* the child has exec'd */
	CHECK_ERR("setpgid_after_exec_eacces", setpgid(pid, pid), EACCES);
	kill(pid, SIGKILL);
	t_wait(pid);
	close(p[0]);

	/* kill(-pgrp) reaches every member; kill(0) our own group. */
	pid_t a = t_fork();
	if (a == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(a, a);
	pid_t b = t_fork();
	if (b == 0) {
		setpgid(0, a);
		pause();
		_exit(0);
	}
	setpgid(b, a);
	t_msleep(50);
	CHECK_OK("kill_process_group", kill(-a, SIGUSR1));
	st = t_wait(a);
	int st2 = t_wait(b);
	CHECK("kill_group_reaches_all", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1 && WIFSIGNALED(st2) &&
						WTERMSIG(st2) == SIGUSR1);
	CHECK_ERR("kill_missing_group_esrch", kill(-0x3ffffff0, SIGUSR1), ESRCH);

	pid = t_fork();
	if (pid == 0) {
		setpgid(0, 0);
		pid_t c = t_fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		signal(SIGUSR2, SIG_IGN);
		t_msleep(50);
		kill(0, SIGUSR2);
		st = t_wait(c);
		_exit(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR2 ? 0 : 1);
	}
	t_wait_ok("kill_0_own_group", pid);
	return t_done();
}
