/* poll, ppoll, select and pselect6 on pipes: readiness, POLLHUP, POLLNVAL,
 * timeouts (zero, finite, woken early by a writer), signal masks of
 * ppoll/pselect, EINTR, and bad inputs (EBADF, EINVAL, EFAULT). */
#include "t.h"
#include <poll.h>
#include <sys/select.h>
#include <sys/resource.h>

static volatile sig_atomic_t got_usr1;
static void on_usr1(int s)
{
	got_usr1++;
}

static long long ms_since(long long t0)
{
	return (t_now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
}

static void test_poll(void)
{
	int p[2];
	struct pollfd fds[3];
	long long t0;

	pipe(p);
	fds[0] = (struct pollfd){ p[0], POLLIN, 0 };
	fds[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	CHECK_EQ("poll_only_write_ready", poll(fds, 2, 0), 1);
	CHECK_EQ("poll_empty_pipe_revents", fds[0].revents, 0);
	CHECK("poll_write_end_pollout", fds[1].revents & POLLOUT);
	write(p[1], "x", 1);
	CHECK_EQ("poll_both_ready", poll(fds, 2, 0), 2);
	CHECK("poll_pollin", fds[0].revents & POLLIN);

	t0 = t_now_ns(CLOCK_MONOTONIC);
	char c;
	read(p[0], &c, 1);
	CHECK_EQ("poll_timeout_returns_0", poll(fds, 1, 150), 0);
	long long el = ms_since(t0);
	CHECK("poll_timeout_waited", el >= 140);
	CHECK("poll_timeout_not_too_long", el < 5000);

	/* Woken by a writer before the timeout. */
	pid_t pid = t_fork();
	if (pid == 0) {
		t_msleep(100);
		write(p[1], "y", 1);
		_exit(0);
	}
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_EQ("poll_woken_by_writer", poll(fds, 1, 10000), 1);
	CHECK("poll_woken_early", ms_since(t0) < 5000);
	t_wait(pid);
	read(p[0], &c, 1);

	/* Writer closed: POLLHUP on the read end; reader closed: POLLERR on the write end. */
	close(p[1]);
	CHECK_EQ("poll_hup_ready", poll(fds, 1, 1000), 1);
	CHECK("poll_pollhup", fds[0].revents & POLLHUP);
	close(p[0]);
	pipe(p);
	close(p[0]);
	fds[0] = (struct pollfd){ p[1], POLLOUT, 0 };
	poll(fds, 1, 0);
	CHECK("poll_pollerr_no_reader", fds[0].revents & POLLERR);
	close(p[1]);

	/* POLLNVAL for a closed fd; negative fds are ignored. */
	fds[0] = (struct pollfd){ 999, POLLIN, 0 };
	fds[1] = (struct pollfd){ -1, POLLIN, 0x55 };
	CHECK_EQ("poll_nval_counts", poll(fds, 2, 0), 1);
	CHECK("poll_pollnval", fds[0].revents & POLLNVAL);
	CHECK_EQ("poll_negative_fd_ignored", fds[1].revents, 0);
	CHECK_EQ("poll_zero_fds_timeout", poll(NULL, 0, 10), 0);
	CHECK_ERR("poll_null_fds_efault", poll(NULL, 1, 0), EFAULT);
	CHECK_ERR("poll_kernel_fds_efault", syscall(SYS_poll, T_KPTR, 1, 0), EFAULT);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK_ERR("poll_nfds_over_rlimit_einval", syscall(SYS_poll, fds, rl.rlim_cur + 1, 0), EINVAL);
}

static void test_ppoll(void)
{
	int p[2];
	struct pollfd fd;
	struct timespec ts = { 0, 100000000 };
	sigset_t block, empty;
	long long t0;

	pipe(p);
	fd = (struct pollfd){ p[0], POLLIN, 0 };
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_EQ("ppoll_timeout", ppoll(&fd, 1, &ts, NULL), 0);
	CHECK("ppoll_waited", ms_since(t0) >= 90);
	write(p[1], "x", 1);
	CHECK_EQ("ppoll_ready", ppoll(&fd, 1, NULL, NULL), 1);
	read(p[0], &ts, 1);

	/* SIGUSR1 blocked; ppoll's mask unblocks it: the signal interrupts. */
	struct sigaction sa = { 0 };
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	CHECK_EQ("signal_pending_while_blocked", got_usr1, 0);
	sigemptyset(&empty);
	ts = (struct timespec){ 5, 0 };
	CHECK_ERR("ppoll_mask_eintr", ppoll(&fd, 1, &ts, &empty), EINTR);
	CHECK_EQ("ppoll_handler_ran", got_usr1, 1);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK("ppoll_restores_mask", sigismember(&now, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	ts = (struct timespec){ 0, -1 };
	CHECK_ERR("ppoll_bad_timespec_einval", ppoll(&fd, 1, &ts, NULL), EINVAL);
	CHECK_ERR("ppoll_bad_sigsetsize_einval", syscall(SYS_ppoll, &fd, 1, NULL, &empty, 4), EINVAL);
	close(p[0]);
	close(p[1]);
}

static void test_select(void)
{
	int p[2];
	fd_set r, w;
	struct timeval tv;
	long long t0;

	pipe(p);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	tv = (struct timeval){ 0, 0 };
	CHECK_EQ("select_write_ready", select(p[1] + 1, &r, &w, NULL, &tv), 1);
	CHECK("select_read_cleared", !FD_ISSET(p[0], &r));
	CHECK("select_write_set", FD_ISSET(p[1], &w));
	write(p[1], "x", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 1, 0 };
	CHECK_EQ("select_read_ready", select(p[0] + 1, &r, NULL, NULL, &tv), 1);
	CHECK("select_read_set", FD_ISSET(p[0], &r));
	char c;
	read(p[0], &c, 1);

	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 150000 };
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_EQ("select_timeout", syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv), 0);
	CHECK("select_timeout_waited", ms_since(t0) >= 140);
	CHECK("select_timeout_updated_to_zero", tv.tv_sec == 0 && tv.tv_usec == 0);
	CHECK("select_timeout_clears_set", !FD_ISSET(p[0], &r));
	t0 = t_now_ns(CLOCK_MONOTONIC);
	tv = (struct timeval){ 0, 100000 };
	CHECK_EQ("select_no_fds_sleeps", select(0, NULL, NULL, NULL, &tv), 0);
	CHECK("select_no_fds_waited", ms_since(t0) >= 90);

	FD_ZERO(&r);
	FD_SET(p[0], &r);
	int closed = dup(p[0]);
	close(closed);
	FD_SET(closed, &r);
	tv = (struct timeval){ 0, 0 };
	CHECK_ERR("select_closed_fd_ebadf", select(closed + 1, &r, NULL, NULL, &tv), EBADF);
	CHECK_ERR("select_negative_nfds_einval", select(-1, NULL, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ 0, -5 };
	CHECK_ERR("select_bad_timeval_einval", syscall(SYS_select, 0, NULL, NULL, NULL, &tv), EINVAL);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_ERR("select_kernel_set_efault", syscall(SYS_select, p[0] + 1, T_KPTR, NULL, NULL, NULL), EFAULT);

	/* pselect6 with a mask: blocked SIGUSR1 interrupts it. */
	sigset_t block, empty;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);
	got_usr1 = 0;
	kill(getpid(), SIGUSR1);
	struct timespec ts = { 5, 0 };
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_ERR("pselect_mask_eintr", pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty), EINTR);
	CHECK_EQ("pselect_handler_ran", got_usr1, 1);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	ts = (struct timespec){ 0, 100000000 };
	t0 = t_now_ns(CLOCK_MONOTONIC);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ("pselect_timeout", pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL), 0);
	CHECK("pselect_waited", ms_since(t0) >= 90);
	write(p[1], "z", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ("pselect_ready", pselect(p[0] + 1, &r, NULL, NULL, NULL, NULL), 1);
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_poll();
	test_ppoll();
	test_select();
	return t_done();
}
