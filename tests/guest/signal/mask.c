/* rt_sigprocmask, rt_sigpending, rt_sigsuspend, sigtimedwait: blocking
 * makes signals pending; unblocking delivers them before sigprocmask
 * returns; standard signals coalesce, real-time ones queue; SIGKILL and
 * SIGSTOP cannot be blocked; sigsuspend
 * returns EINTR with the old mask back; the mask is inherited by fork;
 * errors (EINVAL, EFAULT). */
#include "t.h"

static volatile int hits[70];
static volatile int order[16], norder;

static void on_sig(int sig)
{
	hits[sig]++;
	if (norder < 16)
		order[norder++] = sig;
}

static void catch_sig(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
	sigset_t b, old, p;

	t_init(argc, argv);
	catch_sig(SIGUSR1);
	catch_sig(SIGUSR2);
	catch_sig(SIGRTMIN);
	catch_sig(SIGRTMIN + 2);

	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	CHECK_OK("sigprocmask_block", sigprocmask(SIG_BLOCK, &b, &old));
	CHECK("old_mask_empty_of_usr1", !sigismember(&old, SIGUSR1));
	raise(SIGUSR1);
	raise(SIGUSR1);
	CHECK_EQ("blocked_not_delivered", hits[SIGUSR1], 0);
	CHECK_OK("sigpending", sigpending(&p));
	CHECK("sigpending_shows_usr1", sigismember(&p, SIGUSR1));
	CHECK("sigpending_not_usr2", !sigismember(&p, SIGUSR2));
	CHECK_OK("sigprocmask_unblock", sigprocmask(SIG_UNBLOCK, &b, NULL));
	CHECK_EQ("unblock_delivers_once_coalesced", hits[SIGUSR1], 1);
	sigpending(&p);
	CHECK("nothing_pending_after", !sigismember(&p, SIGUSR1));

	/* SIG_SETMASK, and SIGKILL/SIGSTOP silently stay unblocked. */
	sigfillset(&b);
	CHECK_OK("sigprocmask_setmask_all", sigprocmask(SIG_SETMASK, &b, &old));
	sigprocmask(SIG_SETMASK, NULL, &p);
	CHECK("sigkill_never_blocked", !sigismember(&p, SIGKILL) && !sigismember(&p, SIGSTOP));
	CHECK("others_blocked", sigismember(&p, SIGUSR1) && sigismember(&p, SIGTERM));
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* Real-time signals queue (each one delivered), standard ones coalesce. */
	sigemptyset(&b);
	sigaddset(&b, SIGRTMIN);
	sigaddset(&b, SIGRTMIN + 2);
	sigaddset(&b, SIGUSR2);
	sigprocmask(SIG_BLOCK, &b, NULL);
	raise(SIGRTMIN + 2);
	raise(SIGRTMIN);
	raise(SIGRTMIN);
	raise(SIGRTMIN);
	raise(SIGUSR2);
	norder = 0;
	sigprocmask(SIG_UNBLOCK, &b, NULL);
	CHECK_EQ("rt_signals_queue", hits[SIGRTMIN], 3);
	CHECK_EQ("rt_signal_other", hits[SIGRTMIN + 2], 1);
	CHECK_EQ("std_signal_with_rt", hits[SIGUSR2], 1);
	CHECK_EQ("delivery_count", norder, 5);
	t_note("order %d %d %d %d %d", order[0], order[1], order[2], order[3], order[4]);
	/* The order the handlers run in is not checked: Linux sets up all the
	 * frames it can at once (lowest signal first), so they run nested, the
	 * last set up first (here 37 35 35 35 12). */

	/* sigsuspend: waits with a temporary mask, returns EINTR. */
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	sigprocmask(SIG_BLOCK, &b, NULL);
	pid_t pid = t_fork();
	if (pid == 0) {
		t_msleep(100);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	hits[SIGUSR1] = 0;
	sigset_t waitmask;
	sigemptyset(&waitmask);
	CHECK_ERR("sigsuspend_eintr", sigsuspend(&waitmask), EINTR);
	CHECK_EQ("sigsuspend_handler_ran", hits[SIGUSR1], 1);
	sigprocmask(SIG_BLOCK, NULL, &p);
	CHECK("sigsuspend_restores_mask", sigismember(&p, SIGUSR1));
	t_wait(pid);
	/* Already pending: sigsuspend returns at once. */
	raise(SIGUSR1);
	CHECK_ERR("sigsuspend_pending_returns", sigsuspend(&waitmask), EINTR);
	CHECK_EQ("sigsuspend_pending_handled", hits[SIGUSR1], 2);

	/* sigtimedwait takes a blocked signal without running the handler. */
	raise(SIGUSR1);
	siginfo_t si;
	struct timespec ts = { 1, 0 };
	CHECK_EQ("sigtimedwait_takes", sigtimedwait(&b, &si, &ts), SIGUSR1);
	CHECK_EQ("sigtimedwait_no_handler", hits[SIGUSR1], 2);
	CHECK_EQ("sigtimedwait_si_code", si.si_code, SI_TKILL);
	ts = (struct timespec){ 0, 100000000 };
	CHECK_ERR("sigtimedwait_timeout_eagain", sigtimedwait(&b, &si, &ts), EAGAIN);
	sigprocmask(SIG_UNBLOCK, &b, NULL);

	/* The mask is inherited by fork; pending signals are not. */
	sigprocmask(SIG_BLOCK, &b, NULL);
	raise(SIGUSR1);
	pid = t_fork();
	if (pid == 0) {
		sigset_t cm, cp;
		sigprocmask(SIG_BLOCK, NULL, &cm);
		sigpending(&cp);
		_exit(sigismember(&cm, SIGUSR1) && !sigismember(&cp, SIGUSR1) ? 0 : 1);
	}
	t_wait_ok("fork_inherits_mask_not_pending", pid);
	sigprocmask(SIG_UNBLOCK, &b, NULL);

	CHECK_ERR("sigprocmask_bad_how_einval", syscall(SYS_rt_sigprocmask, 99, &b, NULL, 8), EINVAL);
	CHECK_ERR("sigprocmask_bad_size_einval", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &b, NULL, 4), EINVAL);
	CHECK_ERR("sigprocmask_set_efault", syscall(SYS_rt_sigprocmask, SIG_BLOCK, T_KPTR, NULL, 8), EFAULT);
	CHECK_ERR("sigprocmask_old_efault", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, T_KPTR, 8), EFAULT);
	CHECK_ERR("sigpending_efault", syscall(SYS_rt_sigpending, T_KPTR, 8), EFAULT);
	CHECK_ERR("sigsuspend_efault", syscall(SYS_rt_sigsuspend, T_KPTR, 8), EFAULT);
	CHECK_ERR("sigsuspend_bad_size_einval", syscall(SYS_rt_sigsuspend, &waitmask, 4), EINVAL);
	return t_done();
}
