/* Pseudo-terminals (pty(7)): /dev/ptmx, TIOCGPTN, TIOCSPTLCK/unlockpt,
 * master-to-slave input through the line discipline in canonical and raw
 * modes, slave-to-master output with ONLCR, poll on both sides, hangup
 * (master close: slave reads 0, writes EIO, session leader gets SIGHUP) and
 * the master's EIO once the slave is closed; SIGWINCH; job control on a
 * pty slave as controlling terminal (SIGTTIN, SIGTTOU with TOSTOP, EIO when
 * SIGTTIN is ignored, tcsetpgrp from the background). */
#include "t.h"
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <termios.h>

static int open_master(char *name, size_t len)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0)
		return -1;
	if (grantpt(m) || unlockpt(m) || ptsname_r(m, name, len)) {
		close(m);
		return -1;
	}
	return m;
}

/* Reads what is there within ms (the far side may write in pieces). */
static ssize_t read_some(int fd, char *buf, size_t len, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t got = 0;

	while (got < len && poll(&p, 1, ms) == 1 && (p.revents & POLLIN)) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		ms = 50;
	}
	return (ssize_t)got;
}

static void set_mode(int s, bool canon, bool echo)
{
	struct termios t;

	tcgetattr(s, &t);
	if (canon)
		t.c_lflag |= ICANON;
	else
		t.c_lflag &= ~ICANON;
	if (echo)
		t.c_lflag |= ECHO | ECHOE;
	else
		t.c_lflag &= ~ECHO;
	t.c_oflag |= OPOST | ONLCR;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(s, TCSANOW, &t);
}

static void test_lock_and_number(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), n = -1, lk = -1;
	char want[64], *name;

	CHECK("ptmx_open", m >= 0);
	if (m < 0)
		return;
	CHECK_OK("tiocgptn", ioctl(m, TIOCGPTN, &n));
	CHECK("tiocgptn_nonneg", n >= 0);
	CHECK_ERR("tiocgptn_efault", ioctl(m, TIOCGPTN, T_KPTR), EFAULT);
	snprintf(want, sizeof(want), "/dev/pts/%d", n);
	name = ptsname(m);
	CHECK("ptsname_matches", name && strcmp(name, want) == 0);
	CHECK_OK("tiocgptlck", ioctl(m, TIOCGPTLCK, &lk));
	CHECK_EQ("starts_locked", lk, 1);
	CHECK_ERR("locked_slave_eio", open(want, O_RDWR | O_NOCTTY), EIO);
	CHECK_OK("grantpt", grantpt(m));
	CHECK_OK("unlockpt", unlockpt(m));
	ioctl(m, TIOCGPTLCK, &lk);
	CHECK_EQ("unlocked", lk, 0);
	int s = open(want, O_RDWR | O_NOCTTY);
	CHECK("slave_opens_after_unlock", s >= 0);
	CHECK_ERR("slave_tiocgptn_enotty", ioctl(s, TIOCGPTN, &n), ENOTTY);
	CHECK("slave_isatty", isatty(s));
	CHECK("master_isatty", isatty(m));
	/* A second pair gets another number. */
	int m2 = posix_openpt(O_RDWR | O_NOCTTY), n2 = -1;
	ioctl(m2, TIOCGPTN, &n2);
	CHECK("second_pair_new_number", m2 >= 0 && n2 != n);
	close(m2);
	close(s);
	close(m);
}

static void test_io(void)
{
	char name[64], buf[128];
	int m = open_master(name, sizeof(name)), s;
	ssize_t n;

	CHECK("pair_opens", m >= 0);
	if (m < 0)
		return;
	s = open(name, O_RDWR | O_NOCTTY);
	CHECK("slave_opens", s >= 0);

	/* Canonical, no echo: erase and kill edit the line. */
	set_mode(s, true, false);
	write(m, "ab\x7f" "c\n", 5);
	n = read(s, buf, sizeof(buf));
	CHECK("canon_erase", n == 3 && memcmp(buf, "ac\n", 3) == 0);
	write(m, "xyz\x15ok\n", 7);
	n = read(s, buf, sizeof(buf));
	CHECK("canon_kill", n == 3 && memcmp(buf, "ok\n", 3) == 0);
	/* Two lines: one read returns one line. */
	write(m, "l1\nl2\n", 6);
	n = read(s, buf, sizeof(buf));
	CHECK("canon_one_line_per_read", n == 3 && memcmp(buf, "l1\n", 3) == 0);
	n = read(s, buf, sizeof(buf));
	CHECK("canon_second_line", n == 3 && memcmp(buf, "l2\n", 3) == 0);
	/* ^D on an empty line: a 0-byte read. */
	write(m, "\x04", 1);
	CHECK_EQ("canon_eof_empty_read", read(s, buf, sizeof(buf)), 0);

	/* Echo: what the master types comes back, erase as "\b \b", the
	 * newline as "\r\n" (ONLCR). */
	set_mode(s, true, true);
	write(m, "ab\x7f" "c\n", 5);
	n = read_some(m, buf, sizeof(buf), 1000);
	CHECK("echo_erase_onlcr", n == 8 && memcmp(buf, "ab\b \bc\r\n", 8) == 0);
	n = read(s, buf, sizeof(buf));
	CHECK("echo_line_read", n == 3 && memcmp(buf, "ac\n", 3) == 0);

	/* Slave output: ONLCR on, then off (OPOST cleared). */
	set_mode(s, true, false);
	write(s, "out\n", 4);
	n = read_some(m, buf, sizeof(buf), 1000);
	CHECK("slave_out_onlcr", n == 5 && memcmp(buf, "out\r\n", 5) == 0);
	struct termios t;
	tcgetattr(s, &t);
	cfmakeraw(&t);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	CHECK_OK("raw_tcsetattr", tcsetattr(s, TCSANOW, &t));
	write(s, "a\n", 2);
	n = read_some(m, buf, sizeof(buf), 1000);
	CHECK("raw_out_untranslated", n == 2 && memcmp(buf, "a\n", 2) == 0);
	/* Raw input: a byte is readable at once, no line needed. */
	write(m, "q", 1);
	n = read(s, buf, sizeof(buf));
	CHECK("raw_in_one_byte", n == 1 && buf[0] == 'q');
	write(m, "\x03", 1);
	n = read(s, buf, sizeof(buf));
	CHECK("raw_ctrl_c_is_data", n == 1 && buf[0] == 3);
	/* VMIN 0, VTIME 0: a poll read. */
	t.c_cc[VMIN] = 0;
	tcsetattr(s, TCSANOW, &t);
	CHECK_EQ("raw_vmin0_empty", read(s, buf, sizeof(buf)), 0);

	/* Termios through the master is the slave's. */
	struct termios tm;
	CHECK_OK("master_tcgets", tcgetattr(m, &tm));
	CHECK("master_sees_slave_termios", !(tm.c_lflag & ICANON) && tm.c_cc[VMIN] == 0);

	/* poll: nothing to read on either side; then data on the slave. */
	struct pollfd p[2] = { { s, POLLIN | POLLOUT, 0 }, { m, POLLIN | POLLOUT, 0 } };
	CHECK("poll_both_writable", poll(p, 2, 0) == 2 &&
	      (p[0].revents & POLLOUT) && (p[1].revents & POLLOUT) &&
	      !(p[0].revents & POLLIN) && !(p[1].revents & POLLIN));
	write(m, "z", 1);
	p[0].events = POLLIN;
	CHECK("poll_slave_readable", poll(p, 1, 1000) == 1 && (p[0].revents & POLLIN));
	read(s, buf, sizeof(buf));
	write(s, "y", 1);
	p[1].events = POLLIN;
	CHECK("poll_master_readable", poll(&p[1], 1, 1000) == 1 && (p[1].revents & POLLIN));
	read(m, buf, sizeof(buf));

	/* A blocked reader is woken by the other side. */
	pid_t c = t_fork();
	if (c == 0) {
		t_msleep(100);
		write(m, "w", 1);
		_exit(0);
	}
	t.c_cc[VMIN] = 1;
	tcsetattr(s, TCSANOW, &t);
	n = read(s, buf, sizeof(buf));
	CHECK("blocked_read_woken", n == 1 && buf[0] == 'w');
	t_wait(c);

	/* The slave closes: the master reads what was written, then EIO. */
	write(s, "bye", 3);
	close(s);
	n = read_some(m, buf, sizeof(buf), 1000);
	CHECK("master_reads_after_slave_close", n == 3 && memcmp(buf, "bye", 3) == 0);
	CHECK_ERR("master_eio_after_slave_close", read(m, buf, sizeof(buf)), EIO);
	p[1].events = POLLIN;
	CHECK("master_pollhup", poll(&p[1], 1, 0) == 1 && (p[1].revents & POLLHUP));
	close(m);
}

static void test_master_close(void)
{
	char name[64], buf[16];
	int m = open_master(name, sizeof(name)), s;

	if (m < 0)
		return;
	s = open(name, O_RDWR | O_NOCTTY);
	close(m);
	CHECK_EQ("slave_read_eof_after_hangup", read(s, buf, sizeof(buf)), 0);
	CHECK_ERR("slave_write_eio_after_hangup", write(s, "x", 1), EIO);
	struct pollfd p = { s, POLLIN, 0 };
	CHECK("slave_pollhup", poll(&p, 1, 0) == 1 && (p.revents & POLLHUP));
	close(s);
}

static volatile sig_atomic_t got_hup, got_winch;
static void on_sig(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGWINCH)
		got_winch = 1;
}

/* A session leader whose controlling terminal is the slave gets SIGWINCH on
 * a resize and SIGHUP when the master closes. */
static void test_hup_winch(void)
{
	char name[64];
	int m = open_master(name, sizeof(name)), sync_p[2], back[2];

	if (m < 0)
		return;
	pipe(sync_p);
	pipe(back);
	pid_t c = t_fork();
	if (c == 0) {
		char b;
		close(m);
		signal(SIGHUP, on_sig);
		signal(SIGWINCH, on_sig);
		setsid();
		int s = open(name, O_RDWR); /* no O_NOCTTY: becomes the ctty */
		CHECK("child_slave_open", s >= 0);
		/* Reported by the parent: the child's status stays its own. */
		b = tcgetsid(s) == getpid() ? 'r' : 'n';
		ioctl(s, TIOCSCTTY, 0);
		CHECK_EQ("child_ctty_sid", tcgetsid(s), getpid());
		write(back[1], &b, 1);
		for (int i = 0; i < 200 && !got_winch; i++)
			t_msleep(10);
		CHECK("sigwinch_on_resize", got_winch);
		write(back[1], "w", 1);
		read(sync_p[0], &b, 1);
		for (int i = 0; i < 200 && !got_hup; i++)
			t_msleep(10);
		CHECK("sighup_on_master_close", got_hup);
		CHECK_ERR("no_ctty_after_hangup", open("/dev/tty", O_RDWR), ENXIO);
		t_child_exit();
	}
	char b = 0;
	read(back[0], &b, 1);
	errno = 0;
	CHECK("open_acquires_ctty", b == 'r');
	struct winsize ws = { 40, 120, 0, 0 };
	CHECK_OK("master_tiocswinsz", ioctl(m, TIOCSWINSZ, &ws));
	read(back[0], &b, 1);
	close(m);
	write(sync_p[1], "x", 1);
	t_wait_ok("hup_child", c);
	close(sync_p[0]);
	close(sync_p[1]);
	close(back[0]);
	close(back[1]);
}

/* The child of a session leader in its own (background) group does fn on
 * the slave; returns its wait status (WUNTRACED). */
static int in_background(const char *name, int (*fn)(int s), int *leader_out)
{
	int st = -1, rp[2];

	pipe(rp);
	pid_t leader = t_fork();
	if (leader == 0) {
		setsid();
		int s = open(name, O_RDWR);
		ioctl(s, TIOCSCTTY, 0);
		pid_t bg = fork();
		if (bg == 0) {
			setpgid(0, 0);
			_exit(fn(s));
		}
		setpgid(bg, bg);
		int r;
		do {
			r = waitpid(bg, &st, WUNTRACED);
		} while (r < 0 && errno == EINTR);
		if (WIFSTOPPED(st))
			kill(bg, SIGKILL);
		waitpid(bg, NULL, 0);
		write(rp[1], &st, sizeof(st));
		_exit(0);
	}
	close(rp[1]);
	if (read(rp[0], &st, sizeof(st)) != sizeof(st))
		st = -1;
	close(rp[0]);
	*leader_out = t_wait(leader);
	return st;
}

static int bg_read(int s)
{
	char b;
	return read(s, &b, 1) < 0 ? 10 + errno : 0;
}

static int bg_read_ignored(int s)
{
	char b;
	signal(SIGTTIN, SIG_IGN);
	return read(s, &b, 1) < 0 && errno == EIO ? 0 : 1;
}

static int bg_write_tostop(int s)
{
	struct termios t;
	tcgetattr(s, &t);
	t.c_lflag |= TOSTOP;
	signal(SIGTTOU, SIG_IGN);
	tcsetattr(s, TCSANOW, &t); /* allowed: SIGTTOU ignored */
	signal(SIGTTOU, SIG_DFL);
	write(s, "x", 1);
	return 2;
}

static int bg_write_no_tostop(int s)
{
	return write(s, "x", 1) == 1 ? 0 : 1;
}

static int bg_tcsetpgrp(int s)
{
	tcsetpgrp(s, getpgrp());
	return 3;
}

static int bg_tcsetpgrp_ignored(int s)
{
	signal(SIGTTOU, SIG_IGN);
	return tcsetpgrp(s, getpgrp()) == 0 && tcgetpgrp(s) == getpgrp() ? 0 : 1;
}

static void test_job_control(void)
{
	char name[64];
	int m = open_master(name, sizeof(name)), st, lst;

	if (m < 0)
		return;
	st = in_background(name, bg_read, &lst);
	CHECK("bg_read_sigttin", st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	st = in_background(name, bg_read_ignored, &lst);
	CHECK("bg_read_ignored_eio", st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_background(name, bg_write_no_tostop, &lst);
	CHECK("bg_write_allowed", st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_background(name, bg_write_tostop, &lst);
	CHECK("bg_write_tostop_sigttou", st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	st = in_background(name, bg_tcsetpgrp, &lst);
	CHECK("bg_tcsetpgrp_sigttou", st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	st = in_background(name, bg_tcsetpgrp_ignored, &lst);
	CHECK("bg_tcsetpgrp_ignored_ok", st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(m);
}

static void test_bad_input(void)
{
	int p[2], n;
	char name[64];
	int m = open_master(name, sizeof(name));

	pipe(p);
	CHECK_ERR("pipe_tiocgptn_enotty", ioctl(p[0], TIOCGPTN, &n), ENOTTY);
	CHECK_ERR("pipe_tiocsptlck_enotty", ioctl(p[0], TIOCSPTLCK, &n), ENOTTY);
	if (m >= 0) {
		CHECK_ERR("tiocsptlck_efault", ioctl(m, TIOCSPTLCK, T_KPTR), EFAULT);
		CHECK_ERR("tiocswinsz_efault", ioctl(m, TIOCSWINSZ, T_NULLP), EFAULT);
		CHECK_ERR("tcsets_efault", ioctl(m, TCSETS, T_KPTR), EFAULT);
		close(m);
	}
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_lock_and_number();
	test_io();
	test_master_close();
	test_hup_winch();
	test_job_control();
	test_bad_input();
	return t_done();
}
