/* rt_sigaction and sending: installing and querying handlers, SA_SIGINFO
 * siginfo fields for kill (SI_USER), tgkill/tkill (SI_TKILL), sigqueue
 * (SI_QUEUE with si_value), SA_RESETHAND, SA_NODEFER, sa_mask during the
 * handler, the handler's ucontext; kill/tgkill/tkill errors (ESRCH,
 * EINVAL, EPERM as the user); rt_sigaction errors (SIGKILL/SIGSTOP,
 * bad numbers, bad sigsetsize, EFAULT). */
#include "t.h"
#include <ucontext.h>

static volatile sig_atomic_t hits;
static siginfo_t last;
static volatile int mask_had_usr2, nested;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	hits++;
	last = *si;
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	mask_had_usr2 = sigismember(&m, SIGUSR2) * 2 + sigismember(&m, sig);
	(void)uc;
}

static void on_plain(int sig)
{
	hits++;
}

static void on_nodefer(int sig)
{
	hits++;
	if (hits == 1) {
		raise(sig); /* delivered at once: SA_NODEFER */
		nested = hits;
	}
}

static void test_install(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_plain;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CHECK_OK("sigaction_install", sigaction(SIGUSR1, &sa, NULL));
	memset(&old, 0, sizeof(old));
	CHECK_OK("sigaction_query", sigaction(SIGUSR1, NULL, &old));
	CHECK("sigaction_query_handler", old.sa_handler == on_plain);
	CHECK("sigaction_query_flags", old.sa_flags & SA_RESTART);
	CHECK("sigaction_query_mask", sigismember(&old.sa_mask, SIGUSR2));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, &old);
	CHECK("sigaction_returns_old", old.sa_handler == on_plain);

	CHECK_ERR("sigaction_sigkill_einval", sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR("sigaction_sigstop_einval", sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK_OK("sigaction_query_sigkill_ok", sigaction(SIGKILL, NULL, &old));
	CHECK_ERR("sigaction_signal_0_einval", syscall(SYS_rt_sigaction, 0, NULL, &old, 8), EINVAL);
	CHECK_ERR("sigaction_signal_65_einval", syscall(SYS_rt_sigaction, 65, NULL, &old, 8), EINVAL);
	CHECK_ERR("rt_sigaction_bad_sigsetsize_einval", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4), EINVAL);
	CHECK_ERR("rt_sigaction_act_efault", syscall(SYS_rt_sigaction, SIGUSR1, T_KPTR, NULL, 8), EFAULT);
	CHECK_ERR("rt_sigaction_oldact_efault", syscall(SYS_rt_sigaction, SIGUSR1, NULL, T_KPTR, 8), EFAULT);
	CHECK_OK("sigaction_rt_signal", sigaction(SIGRTMIN + 1, &sa, NULL));
	CHECK_OK("sigaction_sigrtmax", sigaction(SIGRTMAX, &sa, NULL));
}

static void test_siginfo(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);

	hits = 0;
	CHECK_OK("kill_self", kill(getpid(), SIGUSR1));
	CHECK_EQ("kill_self_delivered_before_return", hits, 1);
	CHECK_EQ("si_signo", last.si_signo, SIGUSR1);
	CHECK_EQ("si_code_si_user", last.si_code, SI_USER);
	CHECK_EQ("si_pid", last.si_pid, getpid());
	CHECK_EQ("si_uid", last.si_uid, getuid());
	CHECK_EQ("handler_mask_has_sa_mask_and_signal", mask_had_usr2, 3);
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	CHECK("mask_restored_after_handler", !sigismember(&m, SIGUSR1) && !sigismember(&m, SIGUSR2));

	hits = 0;
	CHECK_OK("tgkill_self", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1));
	CHECK_EQ("tgkill_delivered", hits, 1);
	CHECK_EQ("tgkill_si_code_tkill", last.si_code, SI_TKILL);
	CHECK_EQ("tgkill_si_pid", last.si_pid, getpid());
	hits = 0;
	CHECK_OK("tkill_self", syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1));
	CHECK_EQ("tkill_delivered", hits, 1);
	CHECK_EQ("tkill_si_code", last.si_code, SI_TKILL);
	hits = 0;
	CHECK_OK("raise", raise(SIGUSR1));
	CHECK_EQ("raise_delivered", hits, 1);

	hits = 0;
	union sigval v = { .sival_int = 4242 };
	CHECK_OK("sigqueue", sigqueue(getpid(), SIGUSR1, v));
	CHECK_EQ("sigqueue_delivered", hits, 1);
	CHECK_EQ("sigqueue_si_code", last.si_code, SI_QUEUE);
	CHECK_EQ("sigqueue_si_value", last.si_value.sival_int, 4242);

	/* From a child: si_pid is the child's. */
	hits = 0;
	sigset_t b;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	sigprocmask(SIG_BLOCK, &b, NULL);
	pid_t pid = t_fork();
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	t_wait(pid);
	sigprocmask(SIG_UNBLOCK, &b, NULL);
	CHECK_EQ("child_signal_delivered_on_unblock", hits, 1);
	CHECK_EQ("child_signal_si_pid", last.si_pid, pid);

	/* Signal 0 checks only. */
	CHECK_OK("kill_sig0_self", kill(getpid(), 0));
	CHECK_ERR("kill_missing_pid_esrch", kill(0x3ffffff0, SIGUSR1), ESRCH);
	CHECK_ERR("kill_bad_signal_einval", kill(getpid(), 65), EINVAL);
	CHECK_ERR("kill_negative_signal_einval", kill(getpid(), -1), EINVAL);
	CHECK_ERR("tgkill_wrong_tgid_esrch", syscall(SYS_tgkill, 0x3ffffff0, syscall(SYS_gettid), SIGUSR1), ESRCH);
	CHECK_ERR("tgkill_bad_tid_einval", syscall(SYS_tgkill, getpid(), 0, SIGUSR1), EINVAL);
	CHECK_ERR("tgkill_bad_signal_einval", syscall(SYS_tgkill, getpid(), getpid(), 100), EINVAL);
	CHECK_ERR("tkill_missing_esrch", syscall(SYS_tkill, 0x3ffffff0, SIGUSR1), ESRCH);
	CHECK_ERR("rt_sigqueueinfo_efault", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, T_KPTR), EFAULT);
	signal(SIGUSR1, SIG_DFL);

	/* The user may not signal root's processes, but may its own. */
	pid = t_fork();
	if (pid == 0) {
		t_become_user();
		CHECK_ERR("user_kill_root_eperm", kill(getppid(), SIGUSR1), EPERM);
		CHECK_ERR("user_kill_root_sig0_eperm", kill(getppid(), 0), EPERM);
		CHECK_OK("user_kill_self_sig0", kill(getpid(), 0));
		t_child_exit();
	}
	t_wait_ok("user_kill_child", pid);
}

static void test_flags(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_plain;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	hits = 0;
	raise(SIGUSR2);
	CHECK_EQ("resethand_first_caught", hits, 1);
	struct sigaction now;
	sigaction(SIGUSR2, NULL, &now);
	CHECK("resethand_reset_to_default", now.sa_handler == SIG_DFL);
	pid_t pid = t_fork();
	if (pid == 0) {
		sigaction(SIGUSR2, &sa, NULL);
		raise(SIGUSR2);
		raise(SIGUSR2); /* default now: terminates */
		_exit(0);
	}
	int st = t_wait(pid);
	CHECK("resethand_second_kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR2);

	sa.sa_handler = on_nodefer;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	hits = 0;
	nested = 0;
	raise(SIGUSR2);
	CHECK_EQ("nodefer_nested_delivery", nested, 2);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	hits = 0;
	nested = 0;
	raise(SIGUSR2);
	CHECK_EQ("deferred_after_handler", nested, 1);
	CHECK_EQ("deferred_delivered_after", hits, 2);
	signal(SIGUSR2, SIG_DFL);

	/* SIG_IGN discards, even pending ones. */
	signal(SIGUSR1, SIG_IGN);
	CHECK_OK("ignored_signal_discarded", raise(SIGUSR1));
	sigset_t b, p;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	sigprocmask(SIG_BLOCK, &b, NULL);
	signal(SIGUSR1, on_plain);
	raise(SIGUSR1);
	sigpending(&p);
	CHECK("caught_blocked_pending", sigismember(&p, SIGUSR1));
	signal(SIGUSR1, SIG_IGN); /* setting SIG_IGN discards the pending one */
	sigpending(&p);
	CHECK("sig_ign_discards_pending", !sigismember(&p, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &b, NULL);
	signal(SIGUSR1, SIG_DFL);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_install();
	test_siginfo();
	test_flags();
	return t_done();
}
