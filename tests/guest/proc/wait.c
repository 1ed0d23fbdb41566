/* Waiting: wait4 (with rusage), waitpid by pid, any child and process
 * group, WNOHANG, WUNTRACED/WCONTINUED with SIGSTOP/SIGCONT, waitid with
 * P_PID/P_ALL/P_PGID and its siginfo (CLD_EXITED/CLD_KILLED/CLD_STOPPED),
 * WNOWAIT, zombies (visible to kill(pid, 0) until reaped), orphans
 * reparented to init (pid 1; see T_ORPHAN_SUBREAPER below for a host run
 * outside the runner), and bad inputs. */
#include "t.h"
#include <sys/prctl.h>
#include <sys/resource.h>

static void test_wait4(void)
{
	int st;
	struct rusage ru;

	pid_t pid = t_fork();
	if (pid == 0) {
		/* Burn a little CPU so rusage has something. */
		volatile unsigned long x = 0;
		for (unsigned long i = 0; i < 20000000UL; i++)
			x += i;
		_exit(4);
	}
	memset(&ru, 0xff, sizeof(ru));
	CHECK_EQ("wait4_pid", wait4(pid, &st, 0, &ru), pid);
	CHECK("wait4_status", WIFEXITED(st) && WEXITSTATUS(st) == 4);
	CHECK("wait4_rusage_filled", ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK("wait4_rusage_some_cpu", ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0 || ru.ru_stime.tv_usec > 0);

	/* WNOHANG: 0 while the child runs. */
	int p[2];
	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	CHECK_EQ("wnohang_running_returns_0", waitpid(pid, &st, WNOHANG), 0);
	close(p[1]);
	CHECK_EQ("wait_after_release", waitpid(pid, &st, 0), pid);

	/* wait(-1) returns any child. */
	pid = t_fork();
	if (pid == 0)
		_exit(2);
	CHECK_EQ("wait_any", wait(&st), pid);
	/* Null status pointer is allowed. */
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ("wait_null_status", waitpid(pid, NULL, 0), pid);

	/* Process group waits. */
	pid = t_fork();
	if (pid == 0) {
		setpgid(0, 0);
		t_msleep(50);
		_exit(8);
	}
	setpgid(pid, pid);
	CHECK_EQ("waitpid_pgrp", waitpid(-pid, &st, 0), pid);
	CHECK("waitpid_pgrp_status", WIFEXITED(st) && WEXITSTATUS(st) == 8);
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ("waitpid_own_pgrp_0", waitpid(0, &st, 0), pid);

	CHECK_ERR("wait_no_child_echild", waitpid(-1, &st, 0), ECHILD);
	CHECK_ERR("wait_not_my_child_echild", waitpid(1, &st, 0), ECHILD);
	CHECK_ERR("wait_bad_options_einval", waitpid(-1, &st, 0x100), EINVAL);
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	t_msleep(50);
	CHECK_ERR("wait4_status_efault", syscall(SYS_wait4, pid, T_KPTR, 0, NULL), EFAULT);
	waitpid(pid, &st, 0);
}

static void test_stop_continue(void)
{
	int st;
	pid_t pid = t_fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	CHECK_EQ("wuntraced_stopped", waitpid(pid, &st, WUNTRACED), pid);
	CHECK("wifstopped", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_EQ("stop_reported_once", waitpid(pid, &st, WUNTRACED | WNOHANG), 0);
	kill(pid, SIGCONT);
	CHECK_EQ("wcontinued", waitpid(pid, &st, WCONTINUED), pid);
	CHECK("wifcontinued", WIFCONTINUED(st));
	kill(pid, SIGSTOP);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_OK("waitid_wstopped", waitid(P_PID, pid, &si, WSTOPPED));
	CHECK_EQ("waitid_stopped_code", si.si_code, CLD_STOPPED);
	CHECK_EQ("waitid_stopped_status", si.si_status, SIGSTOP);
	kill(pid, SIGKILL); /* kills a stopped process */
	memset(&si, 0, sizeof(si));
	CHECK_OK("waitid_killed", waitid(P_PID, pid, &si, WEXITED));
	CHECK_EQ("waitid_killed_code", si.si_code, CLD_KILLED);
	CHECK_EQ("waitid_killed_status", si.si_status, SIGKILL);
	CHECK_EQ("waitid_killed_pid", si.si_pid, pid);
	CHECK_EQ("waitid_signo_sigchld", si.si_signo, SIGCHLD);
}

static void test_waitid(void)
{
	siginfo_t si;
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(17);
	t_msleep(50);
	memset(&si, 0, sizeof(si));
	CHECK_OK("waitid_wnowait", waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	CHECK_EQ("waitid_wnowait_pid", si.si_pid, pid);
	memset(&si, 0, sizeof(si));
	CHECK_OK("waitid_after_wnowait_still_there", waitid(P_ALL, 0, &si, WEXITED));
	CHECK_EQ("waitid_code_exited", si.si_code, CLD_EXITED);
	CHECK_EQ("waitid_status", si.si_status, 17);
	CHECK_EQ("waitid_pid", si.si_pid, pid);
	CHECK_EQ("waitid_uid", si.si_uid, getuid());

	pid = t_fork();
	if (pid == 0) {
		t_msleep(300);
		_exit(0);
	}
	memset(&si, 0xff, sizeof(si));
	CHECK_OK("waitid_wnohang_running", waitid(P_PID, pid, &si, WEXITED | WNOHANG));
	CHECK_EQ("waitid_wnohang_zeroes_pid", si.si_pid, 0);
	setpgid(pid, pid);
	CHECK_OK("waitid_p_pgid", waitid(P_PGID, pid, &si, WEXITED));
	CHECK_EQ("waitid_p_pgid_pid", si.si_pid, pid);
	CHECK_ERR("waitid_no_options_einval", waitid(P_ALL, 0, &si, 0), EINVAL);
	CHECK_ERR("waitid_bad_idtype_einval", waitid((idtype_t)42, 0, &si, WEXITED), EINVAL);
	CHECK_ERR("waitid_no_children_echild", waitid(P_ALL, 0, &si, WEXITED), ECHILD);
}

static void test_zombie(void)
{
	pid_t pid = t_fork();

	if (pid == 0)
		_exit(0);
	t_msleep(100);
	CHECK_OK("zombie_exists_for_kill0", kill(pid, 0));
	CHECK_OK("zombie_getpgid", getpgid(pid));
	int st;
	CHECK_EQ("zombie_reaped", waitpid(pid, &st, 0), pid);
	CHECK_ERR("reaped_is_gone_esrch", kill(pid, 0), ESRCH);
}

/* The middle child forks a grandchild and exits; the grandchild reports its
 * parent before and after. */
static void test_orphan(void)
{
	pid_t reaper = 1;

	/* Run standalone on a host (not under the runner as pid 1 of a PID
	 * namespace), set T_ORPHAN_SUBREAPER=1: this process then becomes the
	 * child subreaper (Linux 3.4+) and adopts the orphan instead of init. */
	if (t_env_long("T_ORPHAN_SUBREAPER", 0) && prctl(PR_SET_CHILD_SUBREAPER, 1) == 0)
		reaper = getpid();
	int p[2];
	pipe(p);
	pid_t mid = t_fork();
	if (mid == 0) {
		pid_t g = t_fork();
		if (g == 0) {
			pid_t before = getppid(), after;
			for (int i = 0; i < 200 && (after = getppid()) == before; i++)
				t_msleep(10);
			pid_t info[2] = { before, after };
			write(p[1], info, sizeof(info));
			_exit(0);
		}
		t_msleep(50);
		_exit(0);
	}
	close(p[1]);
	int st;
	waitpid(mid, &st, 0);
	pid_t info[2] = { 0, 0 };
	CHECK_EQ("orphan_reported", read(p[0], info, sizeof(info)), sizeof(info));
	CHECK_EQ("orphan_parent_before", info[0], mid);
	CHECK_EQ("orphan_reparented_to_reaper", info[1], reaper);
	if (reaper == getpid()) {
		CHECK("subreaper_reaps_orphan", wait(&st) > 0 && WIFEXITED(st));
		prctl(PR_SET_CHILD_SUBREAPER, 0);
	}
	close(p[0]);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_wait4();
	test_stop_continue();
	test_waitid();
	test_zombie();
	test_orphan();
	return t_done();
}
