/* Default signal actions, seen from the parent: terminate (SIGTERM,
 * SIGUSR1, SIGALRM, SIGHUP, SIGINT, SIGPIPE), core (SIGQUIT, SIGABRT,
 * SIGSEGV: WIFSIGNALED with the signal; WCOREDUMP may be either), ignore
 * (SIGCHLD, SIGWINCH, SIGURG: the child lives on), stop and continue
 * (SIGSTOP, SIGTSTP, SIGCONT), SIGKILL; SIGCHLD to the parent on a child's
 * exit with its siginfo; SIGCHLD set to SIG_IGN or SA_NOCLDWAIT reaps
 * children automatically (wait then fails with ECHILD). */
#include "t.h"

static void sleeper(void)
{
	for (int i = 0; i < 100; i++)
		t_msleep(50);
	_exit(0);
}

/* Child: raise sig; exits 0 if it survives. */
static int child_raise(int sig, int *status)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		raise(sig);
		_exit(0);
	}
	*status = t_wait(pid);
	return pid;
}

static volatile sig_atomic_t chld_hits;
static siginfo_t chld_info;
static void on_chld(int sig, siginfo_t *si, void *uc)
{
	chld_hits++;
	chld_info = *si;
}

int main(int argc, char **argv)
{
	int st;
	char name[64];

	t_init(argc, argv);
	static const int term[] = { SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGVTALRM };
	for (unsigned i = 0; i < sizeof(term) / sizeof(term[0]); i++) {
		child_raise(term[i], &st);
		snprintf(name, sizeof(name), "default_terminates_%d", term[i]);
		CHECK(name, WIFSIGNALED(st) && WTERMSIG(st) == term[i]);
	}
	static const int core[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS };
	for (unsigned i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		child_raise(core[i], &st);
		snprintf(name, sizeof(name), "default_core_%d", core[i]);
		CHECK(name, WIFSIGNALED(st) && WTERMSIG(st) == core[i]);
	}
	static const int ign[] = { SIGCHLD, SIGWINCH, SIGURG, SIGCONT };
	for (unsigned i = 0; i < sizeof(ign) / sizeof(ign[0]); i++) {
		child_raise(ign[i], &st);
		snprintf(name, sizeof(name), "default_ignored_%d", ign[i]);
		CHECK(name, WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}

	/* Stop and continue. SIGTSTP's default stop is dropped for a process in
	 * an orphaned process group (as the runner's group may be: init's),
	 * so the child gets a group of its own, under us in our session. */
	pid_t pid = t_fork();
	if (pid == 0) {
		setpgid(0, 0);
		sleeper();
	}
	setpgid(pid, pid);
	t_msleep(50);
	kill(pid, SIGTSTP);
	CHECK_EQ("sigtstp_stops", waitpid(pid, &st, WUNTRACED), pid);
	CHECK("sigtstp_stopped", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	kill(pid, SIGCONT);
	waitpid(pid, &st, WCONTINUED);
	CHECK("sigcont_continues", WIFCONTINUED(st));
	kill(pid, SIGKILL);
	st = t_wait(pid);
	CHECK("sigkill_kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* A handler cannot save a process from SIGKILL; SIGTERM blocked, it can't
	 * be delivered, but SIGKILL still works. */
	pid = t_fork();
	if (pid == 0) {
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		sleeper();
	}
	t_msleep(50);
	kill(pid, SIGTERM);
	kill(pid, SIGKILL);
	st = t_wait(pid);
	CHECK("sigkill_despite_blocked_mask", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	/* SIGCHLD to the parent with siginfo. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t b;
	sigemptyset(&b);
	sigaddset(&b, SIGCHLD);
	sigprocmask(SIG_BLOCK, &b, NULL);
	pid = t_fork();
	if (pid == 0)
		_exit(23);
	sigset_t none;
	sigemptyset(&none);
	sigsuspend(&none);
	CHECK_EQ("sigchld_on_child_exit", chld_hits, 1);
	CHECK_EQ("sigchld_si_code_exited", chld_info.si_code, CLD_EXITED);
	CHECK_EQ("sigchld_si_pid", chld_info.si_pid, pid);
	CHECK_EQ("sigchld_si_status", chld_info.si_status, 23);
	t_wait(pid);
	chld_hits = 0;
	pid = t_fork();
	if (pid == 0) {
		raise(SIGKILL);
		_exit(0);
	}
	sigsuspend(&none);
	CHECK_EQ("sigchld_si_code_killed", chld_info.si_code, CLD_KILLED);
	CHECK_EQ("sigchld_killed_status", chld_info.si_status, SIGKILL);
	t_wait(pid);
	sigprocmask(SIG_UNBLOCK, &b, NULL);

	/* SIGCHLD ignored: children are reaped by the kernel. */
	signal(SIGCHLD, SIG_IGN);
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	CHECK_ERR("sigchld_ign_autoreap_echild", waitpid(pid, &st, 0), ECHILD);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	CHECK_ERR("sa_nocldwait_autoreap_echild", waitpid(pid, &st, 0), ECHILD);
	signal(SIGCHLD, SIG_DFL);
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ("sigchld_default_leaves_zombie", waitpid(pid, &st, 0), pid);
	return t_done();
}
