/* Interrupted system calls: a blocking pipe read with a SA_RESTART handler
 * is restarted (returns the data written later); without SA_RESTART it
 * fails with EINTR; nanosleep fails with EINTR and the time remaining;
 * pause() returns EINTR; wait in a parent interrupted; SIGALRM via alarm(). */
#include "t.h"

static volatile sig_atomic_t hits;
static void on_sig(int s)
{
	hits++;
}

static void handler(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

/* A child that signals us after ms, then (if data) writes to fd after 2*ms. */
static pid_t poke(int sig, int ms, int fd)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		t_msleep(ms);
		kill(getppid(), sig);
		if (fd >= 0) {
			t_msleep(ms);
			write(fd, "data", 4);
		}
		_exit(0);
	}
	return pid;
}

int main(int argc, char **argv)
{
	int p[2];
	char buf[8];

	t_init(argc, argv);
	pipe(p);
	handler(SIGUSR1, SA_RESTART);
	hits = 0;
	pid_t pid = poke(SIGUSR1, 100, p[1]);
	CHECK_EQ("sa_restart_read_restarted", read(p[0], buf, sizeof(buf)), 4);
	CHECK_EQ("sa_restart_handler_ran", hits, 1);
	t_wait(pid);

	handler(SIGUSR1, 0);
	hits = 0;
	pid = poke(SIGUSR1, 100, -1);
	CHECK_ERR("no_restart_read_eintr", read(p[0], buf, sizeof(buf)), EINTR);
	CHECK_EQ("no_restart_handler_ran", hits, 1);
	t_wait(pid);

	/* nanosleep: EINTR with the remaining time, even with SA_RESTART. */
	handler(SIGUSR1, SA_RESTART);
	pid = poke(SIGUSR1, 100, -1);
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	long long t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_ERR("nanosleep_eintr", nanosleep(&req, &rem), EINTR);
	long long el = t_now_ns(CLOCK_MONOTONIC) - t0;
	CHECK("nanosleep_interrupted_early", el < 4000000000LL);
	CHECK("nanosleep_rem_set", rem.tv_sec >= 3 && rem.tv_sec <= 5);
	t_wait(pid);

	/* pause. */
	handler(SIGUSR2, 0);
	pid = poke(SIGUSR2, 100, -1);
	CHECK_ERR("pause_eintr", pause(), EINTR);
	t_wait(pid);

	/* alarm: SIGALRM after a second; a second alarm() returns the rest. */
	handler(SIGALRM, 0);
	hits = 0;
	CHECK_EQ("alarm_first_returns_0", alarm(1), 0);
	unsigned left = alarm(1);
	CHECK("alarm_returns_remaining", left == 1 || left == 0);
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_ERR("alarm_interrupts_read", read(p[0], buf, sizeof(buf)), EINTR);
	el = t_now_ns(CLOCK_MONOTONIC) - t0;
	CHECK_EQ("alarm_handler_ran", hits, 1);
	CHECK("alarm_after_about_1s", el > 500000000LL && el < 3000000000LL);
	CHECK_EQ("alarm_cancel_none_left", alarm(0), 0);

	/* wait4 is restarted with SA_RESTART, EINTR without. */
	handler(SIGUSR1, 0);
	pid_t c = t_fork();
	if (c == 0) {
		t_msleep(400);
		_exit(0);
	}
	pid = poke(SIGUSR1, 100, -1);
	int st;
	pid_t r;
	int got_eintr = 0;
	while ((r = waitpid(c, &st, 0)) == -1 && errno == EINTR)
		got_eintr = 1;
	CHECK("waitpid_eintr_without_restart", got_eintr && r == c);
	t_wait(pid);
	handler(SIGUSR1, SA_RESTART);
	c = t_fork();
	if (c == 0) {
		t_msleep(400);
		_exit(0);
	}
	pid = poke(SIGUSR1, 100, -1);
	CHECK_EQ("waitpid_restarted_with_sa_restart", waitpid(c, &st, 0), c);
	t_wait(pid);
	return t_done();
}
