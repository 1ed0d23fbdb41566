/* Terminal ioctls: TCGETS/TCSETS (and tcgetattr/tcsetattr), TIOCGWINSZ/
 * TIOCSWINSZ, TIOCGPGRP/TIOCSPGRP and TIOCSCTTY in a new session, FIONREAD,
 * ENOTTY on a regular file and a pipe, EBADF, EFAULT. The terminal is a
 * pseudo-terminal pair from /dev/ptmx when there is one (then master/slave
 * I/O is tested too); otherwise the console (stdin if it is a tty, then
 * /dev/ttyS0, then /dev/console): the run also reports "ptmx_opens" FAIL. */
#include "t.h"
#include <sys/ioctl.h>
#include <termios.h>

static int master = -1;
static char slave_name[64];

static int open_tty(void)
{
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master >= 0) {
		t_pass("ptmx_opens");
		if (grantpt(master) == 0 && unlockpt(master) == 0 && ptsname_r(master, slave_name, sizeof(slave_name)) == 0) {
			int s = open(slave_name, O_RDWR | O_NOCTTY);
			if (s >= 0)
				return s;
		}
		t_fail("pty_slave_opens", "cannot open the slave %s", slave_name);
		close(master);
		master = -1;
	} else {
		t_fail("ptmx_opens", "posix_openpt");
	}
	if (isatty(0))
		return dup(0);
	int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd >= 0 && isatty(fd))
		return fd;
	return open("/dev/console", O_RDWR | O_NOCTTY | O_NONBLOCK);
}

static void test_termios(int fd)
{
	struct termios t, t2, orig;

	CHECK_OK("tcgets", ioctl(fd, TCGETS, &t));
	CHECK_OK("tcgetattr", tcgetattr(fd, &orig));
	CHECK("isatty", isatty(fd));
	t = orig;
	t.c_lflag ^= ECHO;
	t.c_cc[VMIN] = 3;
	CHECK_OK("tcsets", ioctl(fd, TCSETS, &t));
	CHECK_OK("tcgets_after_set", ioctl(fd, TCGETS, &t2));
	CHECK("tcsets_echo_changed", (t2.c_lflag & ECHO) == (t.c_lflag & ECHO));
	CHECK_EQ("tcsets_vmin", t2.c_cc[VMIN], 3);
	CHECK_OK("tcsetattr_restore", tcsetattr(fd, TCSANOW, &orig));
	tcgetattr(fd, &t2);
	CHECK("tcsetattr_restored", (t2.c_lflag & ECHO) == (orig.c_lflag & ECHO));
	CHECK_OK("tcsetsw", ioctl(fd, TCSETSW, &orig));
	CHECK_ERR("tcgets_null_efault", ioctl(fd, TCGETS, NULL), EFAULT);
	CHECK_ERR("tcgets_kernel_efault", ioctl(fd, TCGETS, T_KPTR), EFAULT);
	CHECK_ERR("tcsets_null_efault", ioctl(fd, TCSETS, NULL), EFAULT);

	struct winsize ws = { 0 };
	CHECK_OK("tiocgwinsz", ioctl(fd, TIOCGWINSZ, &ws));
	CHECK_ERR("tiocgwinsz_null_efault", ioctl(fd, TIOCGWINSZ, NULL), EFAULT);
	if (master >= 0) {
		struct winsize set = { 33, 101, 0, 0 };
		CHECK_OK("tiocswinsz", ioctl(master, TIOCSWINSZ, &set));
		ioctl(fd, TIOCGWINSZ, &ws);
		CHECK("tiocgwinsz_reads_back", ws.ws_row == 33 && ws.ws_col == 101);
	}
}

static void test_ctty(void)
{
	/* A new session leader opening the tty without O_NOCTTY gets it as its
	 * controlling terminal; then TIOCGPGRP is its process group. */
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK("setsid_in_child", setsid() == getpid());
		int fd = open(slave_name, O_RDWR);
		CHECK("open_ctty", fd >= 0);
		if (ioctl(fd, TIOCSCTTY, 0) < 0 && errno != EPERM)
			t_fail("tiocsctty", "ioctl");
		pid_t pg = -1;
		CHECK_OK("tiocgpgrp", ioctl(fd, TIOCGPGRP, &pg));
		CHECK_EQ("tiocgpgrp_is_own_group", pg, getpgrp());
		CHECK_EQ("tcgetpgrp", tcgetpgrp(fd), getpgrp());
		CHECK_EQ("tcgetsid", tcgetsid(fd), getpid());
		int tfd = open("/dev/tty", O_RDWR);
		CHECK("dev_tty_is_ctty", tfd >= 0);
		close(tfd);
		pid_t bad = 0x7ffffff0;
		CHECK("tiocspgrp_bad_pgrp_esrch_or_eperm",
		      ioctl(fd, TIOCSPGRP, &bad) == -1 && (errno == ESRCH || errno == EPERM));
		pid_t neg = -5;
		CHECK_ERR("tiocspgrp_negative_einval", ioctl(fd, TIOCSPGRP, &neg), EINVAL);
		/* A child in another group of the session: make it the foreground. */
		pid_t c = t_fork();
		if (c == 0) {
			setpgid(0, 0);
			t_msleep(300);
			_exit(0);
		}
		setpgid(c, c);
		CHECK_OK("tiocspgrp", tcsetpgrp(fd, c));
		CHECK_EQ("tiocspgrp_reads_back", tcgetpgrp(fd), c);
		t_wait(c);
		t_child_exit();
	}
	t_wait_ok("ctty_child", pid);

	/* Without a controlling terminal /dev/tty is ENXIO. */
	pid = t_fork();
	if (pid == 0) {
		setsid();
		CHECK_ERR("dev_tty_no_ctty_enxio", open("/dev/tty", O_RDWR), ENXIO);
		int fd = open(slave_name, O_RDWR | O_NOCTTY);
		pid_t pg;
		CHECK_ERR("tiocgpgrp_not_ctty_enotty", ioctl(fd, TIOCGPGRP, &pg), ENOTTY);
		t_child_exit();
	}
	t_wait_ok("no_ctty_child", pid);
}

static void test_pty_io(int slave)
{
	char buf[64] = { 0 };
	struct termios t;

	tcgetattr(slave, &t);
	t.c_lflag |= ICANON;
	t.c_lflag &= ~ECHO;
	t.c_oflag |= OPOST | ONLCR;
	tcsetattr(slave, TCSANOW, &t);
	CHECK_EQ("master_write", write(master, "hello\n", 6), 6);
	CHECK_EQ("slave_reads_line", read(slave, buf, sizeof(buf)), 6);
	CHECK("slave_line_data", memcmp(buf, "hello\n", 6) == 0);
	CHECK_EQ("slave_write", write(slave, "out\n", 4), 4);
	memset(buf, 0, sizeof(buf));
	ssize_t n = read(master, buf, sizeof(buf));
	CHECK_EQ("master_reads_onlcr", n, 5);
	CHECK("master_onlcr_data", memcmp(buf, "out\r\n", 5) == 0);
	/* Canonical mode: a partial line is not readable; FIONREAD counts it
	 * only once the line is complete. */
	write(master, "ab", 2);
	int avail = -1;
	t_msleep(50);
	ioctl(slave, FIONREAD, &avail);
	CHECK_EQ("fionread_partial_line_0", avail, 0);
	write(master, "c\n", 2);
	t_msleep(50);
	ioctl(slave, FIONREAD, &avail);
	CHECK_EQ("fionread_line", avail, 4);
	read(slave, buf, sizeof(buf));
}

int main(int argc, char **argv)
{
	int fd, p[2];
	struct termios t;
	struct winsize ws;

	t_init(argc, argv);
	fd = open_tty();
	if (fd < 0) {
		t_fail("find_a_tty", "no pty, no console tty");
	} else {
		test_termios(fd);
		if (master >= 0) {
			test_ctty();
			test_pty_io(fd);
		}
		close(fd);
	}

	int f = open("plain", O_CREAT | O_RDWR, 0644);
	CHECK_ERR("tcgets_regular_file_enotty", ioctl(f, TCGETS, &t), ENOTTY);
	CHECK_ERR("tiocgwinsz_regular_file_enotty", ioctl(f, TIOCGWINSZ, &ws), ENOTTY);
	errno = 0;
	CHECK("isatty_regular_file_false", !isatty(f));
	pid_t pg;
	CHECK_ERR("tiocgpgrp_regular_file_enotty", ioctl(f, TIOCGPGRP, &pg), ENOTTY);
	close(f);
	pipe(p);
	CHECK_ERR("tcgets_pipe_enotty", ioctl(p[0], TCGETS, &t), ENOTTY);
	write(p[1], "abc", 3);
	int n = -1;
	CHECK_OK("fionread_pipe", ioctl(p[0], FIONREAD, &n));
	CHECK_EQ("fionread_pipe_count", n, 3);
	CHECK_ERR("fionread_pipe_null_efault", ioctl(p[0], FIONREAD, NULL), EFAULT);
	CHECK_ERR("tcgets_bad_fd_ebadf", ioctl(-1, TCGETS, &t), EBADF);
	int dn = open("/dev/null", O_RDWR);
	CHECK_ERR("tcgets_dev_null_enotty", ioctl(dn, TCGETS, &t), ENOTTY);
	close(dn);
	return t_done();
}
