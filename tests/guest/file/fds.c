/* File descriptors: dup/dup2/dup3, fcntl (F_DUPFD, F_DUPFD_CLOEXEC,
 * F_GETFD/F_SETFD, F_GETFL/F_SETFL), shared file offsets, O_CLOEXEC and
 * FD_CLOEXEC across execve (the program re-executes itself), EMFILE under
 * RLIMIT_NOFILE. (Record locks are not tested.) */
#include "t.h"
#include <sys/resource.h>

/* Re-executed as: <self> --exec-child FD_KEPT FD_CLOEXEC FD_DUP3 FD_DUPFDCX FD_PIPE */
static int exec_child(int argc, char **argv)
{
	int kept = atoi(argv[2]);

	CHECK_OK("exec_plain_fd_survives", fcntl(kept, F_GETFD));
	CHECK_EQ("exec_plain_fd_flag_clear", fcntl(kept, F_GETFD), 0);
	char buf[8] = { 0 };
	CHECK_EQ("exec_plain_fd_offset_kept", lseek(kept, 0, SEEK_CUR), 3);
	CHECK_EQ("exec_plain_fd_reads", read(kept, buf, 3), 3);
	CHECK("exec_plain_fd_data", memcmp(buf, "def", 3) == 0);
	for (int i = 3; i < argc; i++) {
		char name[64];
		snprintf(name, sizeof(name), "exec_cloexec_fd_closed_%d", i - 2);
		CHECK_ERR(name, fcntl(atoi(argv[i]), F_GETFD), EBADF);
	}
	return t_done();
}

static void test_dup(void)
{
	int fd, d, r;
	char buf[8];

	t_write_file("f", "abcdef", 6);
	fd = open("f", O_RDONLY);
	d = dup(fd);
	CHECK("dup", d >= 0 && d != fd);
	read(fd, buf, 2);
	CHECK_EQ("dup_shares_offset", lseek(d, 0, SEEK_CUR), 2);
	CHECK_EQ("dup_clears_cloexec", fcntl(d, F_GETFD), 0);
	CHECK_ERR("dup_bad_fd_ebadf", dup(-1), EBADF);
	CHECK_ERR("dup_closed_fd_ebadf", dup(900), EBADF);

	CHECK_EQ("dup2_to_number", dup2(fd, 50), 50);
	CHECK_EQ("dup2_same_offset", lseek(50, 0, SEEK_CUR), 2);
	int other = open("f", O_RDONLY);
	CHECK_EQ("dup2_replaces_open_fd", dup2(other, 50), 50);
	CHECK_EQ("dup2_replaced_offset", lseek(50, 0, SEEK_CUR), 0);
	CHECK_EQ("dup2_same_fd_returns_fd", dup2(fd, fd), fd);
	CHECK_ERR("dup2_same_bad_fd_ebadf", dup2(777, 777), EBADF);
	CHECK_ERR("dup2_bad_old_ebadf", dup2(-1, 51), EBADF);
	CHECK_ERR("dup2_newfd_negative_ebadf", dup2(fd, -1), EBADF);
	CHECK_ERR("dup2_newfd_huge_ebadf", dup2(fd, 1 << 30), EBADF);

	CHECK_EQ("dup3_cloexec", dup3(fd, 52, O_CLOEXEC), 52);
	CHECK_EQ("dup3_sets_cloexec", fcntl(52, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("dup3_same_fd_einval", dup3(fd, fd, 0), EINVAL);
	CHECK_ERR("dup3_bad_flags_einval", syscall(SYS_dup3, fd, 53, 0x1234), EINVAL);

	r = fcntl(fd, F_DUPFD, 60);
	CHECK_EQ("f_dupfd_at_least_arg", r, 60);
	CHECK_EQ("f_dupfd_next", fcntl(fd, F_DUPFD, 60), 61);
	r = fcntl(fd, F_DUPFD_CLOEXEC, 70);
	CHECK_EQ("f_dupfd_cloexec", r, 70);
	CHECK_EQ("f_dupfd_cloexec_flag", fcntl(70, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("f_dupfd_negative_einval", fcntl(fd, F_DUPFD, -1), EINVAL);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK_ERR("f_dupfd_over_limit_einval", fcntl(fd, F_DUPFD, (int)rl.rlim_cur), EINVAL);
	CHECK_ERR("fcntl_bad_fd_ebadf", fcntl(-1, F_GETFD), EBADF);
	CHECK_ERR("fcntl_bad_cmd_einval", fcntl(fd, 9999), EINVAL);
	close(fd);
	close(d);
	close(other);
}

static void test_flags(void)
{
	int fd = open("f", O_RDWR | O_APPEND);
	int fl;

	CHECK_EQ("f_getfd_default", fcntl(fd, F_GETFD), 0);
	CHECK_OK("f_setfd", fcntl(fd, F_SETFD, FD_CLOEXEC));
	CHECK_EQ("f_getfd_after_set", fcntl(fd, F_GETFD), FD_CLOEXEC);
	fcntl(fd, F_SETFD, 0);
	fl = fcntl(fd, F_GETFL);
	CHECK_EQ("f_getfl_accmode", fl & O_ACCMODE, O_RDWR);
	CHECK("f_getfl_append", fl & O_APPEND);
	CHECK_OK("f_setfl_nonblock", fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	fl = fcntl(fd, F_GETFL);
	CHECK("f_getfl_nonblock", fl & O_NONBLOCK);
	CHECK_OK("f_setfl_clear_append", fcntl(fd, F_SETFL, O_NONBLOCK));
	fl = fcntl(fd, F_GETFL);
	CHECK("f_setfl_cleared_append", !(fl & O_APPEND));
	/* F_SETFL ignores the access mode and creation flags. */
	fcntl(fd, F_SETFL, O_RDONLY | O_CREAT | O_TRUNC);
	fl = fcntl(fd, F_GETFL);
	CHECK_EQ("f_setfl_keeps_accmode", fl & O_ACCMODE, O_RDWR);
	int d = dup(fd);
	fcntl(fd, F_SETFL, O_APPEND);
	CHECK("status_flags_shared_by_dup", fcntl(d, F_GETFL) & O_APPEND);
	fcntl(d, F_SETFD, FD_CLOEXEC);
	CHECK_EQ("fd_flags_not_shared_by_dup", fcntl(fd, F_GETFD), 0);
	close(d);
	close(fd);
	fd = open("f", O_RDONLY | O_CLOEXEC);
	CHECK_EQ("o_cloexec_sets_fd_flag", fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
}

static void test_exec_cloexec(const char *self)
{
	int kept, cx, d3, dcx, p[2];
	char a[5][16];

	t_write_file("e", "abcdef", 6);
	kept = open("e", O_RDONLY);
	lseek(kept, 3, SEEK_SET);
	cx = open("e", O_RDONLY | O_CLOEXEC);
	d3 = dup3(kept, 40, O_CLOEXEC);
	dcx = fcntl(kept, F_DUPFD_CLOEXEC, 41);
	CHECK_OK("pipe2_cloexec", pipe2(p, O_CLOEXEC));
	CHECK_EQ("pipe2_cloexec_flag", fcntl(p[0], F_GETFD), FD_CLOEXEC);
	int fdset = open("e", O_RDONLY);
	fcntl(fdset, F_SETFD, FD_CLOEXEC);
	snprintf(a[0], 16, "%d", kept);
	snprintf(a[1], 16, "%d", cx);
	snprintf(a[2], 16, "%d", d3);
	snprintf(a[3], 16, "%d", dcx);
	snprintf(a[4], 16, "%d", p[1]);
	char fdsetbuf[16];
	snprintf(fdsetbuf, 16, "%d", fdset);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)self, "--exec-child", a[0], a[1], a[2], a[3], a[4], fdsetbuf, NULL };
		execv(self, argv);
		t_fail("exec_self", "execv %s", self);
		_exit(1);
	}
	t_wait_ok("exec_child_checks", pid);
	close(kept);
	close(cx);
	close(d3);
	close(dcx);
	close(p[0]);
	close(p[1]);
	close(fdset);
}

static void test_emfile(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		struct rlimit rl = { 16, 16 };
		int last = -1, fd;
		CHECK_OK("setrlimit_nofile_16", setrlimit(RLIMIT_NOFILE, &rl));
		while ((fd = open("f", O_RDONLY)) >= 0)
			last = fd;
		int e = errno;
		CHECK_EQ("emfile_errno", e, EMFILE);
		CHECK_EQ("emfile_last_fd_15", last, 15);
		CHECK_ERR("dup_emfile", dup(0), EMFILE);
		int p[2];
		CHECK_ERR("pipe_emfile", pipe(p), EMFILE);
		CHECK_ERR("dup2_at_limit_ebadf", dup2(0, 16), EBADF);
		close(5);
		CHECK_EQ("free_slot_reused", open("f", O_RDONLY), 5);
		t_child_exit();
	}
	t_wait_ok("emfile_child", pid);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "--exec-child")) {
		t_init(argc, argv);
		return exec_child(argc, argv);
	}
	t_init(argc, argv);
	if (argv[0][0] != '/') {
		t_fail("argv0_absolute", "run me by an absolute path (argv[0] = %s)", argv[0]);
		return 1;
	}
	test_dup();
	test_flags();
	test_exec_cloexec(argv[0]);
	test_emfile();
	return t_done();
}
