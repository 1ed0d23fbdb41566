/* Bad input sweep: every pointer argument of a list of common syscalls is
 * given NULL, the start of the kernel half (0xffff800000000000), the top
 * page and a non-canonical address: each must fail with EFAULT (the kernel
 * must neither crash nor touch the memory), and the process goes on. Then
 * fd arguments given -1 and a closed fd: EBADF. Raw syscalls throughout. */
#include "t.h"
#include <poll.h>
#include <sys/uio.h>

static void *const bad[] = { T_NULLP, T_KPTR, T_KTOP, T_NONCANON };
static const char *const badname[] = { "null", "kernel", "ktop", "noncanon" };

struct call {
	const char *name;
	long nr;
	int badarg; /* which argument gets the bad pointer */
	long a[6];
	int null_ok; /* NULL is a valid value here: skip it */
};

int main(int argc, char **argv)
{
	static char buf[256];
	static struct iovec iov[1];
	int p[2], fd;

	t_init(argc, argv);
	pipe(p);
	t_write_file("f", "hello", 5);
	fd = open("f", O_RDWR);
	iov[0].iov_base = buf;
	iov[0].iov_len = 4;
	struct pollfd pfd = { p[0], POLLIN, 0 };
	sigset_t ss;
	sigemptyset(&ss);

	const struct call calls[] = {
		{ "read", SYS_read, 1, { fd, 0, 4 } },
		{ "write", SYS_write, 1, { p[1], 0, 4 } },
		{ "pread64", SYS_pread64, 1, { fd, 0, 4, 0 } },
		{ "pwrite64", SYS_pwrite64, 1, { fd, 0, 4, 0 } },
		{ "readv_iov", SYS_readv, 1, { fd, 0, 1 } },
		{ "writev_iov", SYS_writev, 1, { p[1], 0, 1 } },
		{ "open", SYS_open, 0, { 0, O_RDONLY } },
		{ "openat", SYS_openat, 1, { AT_FDCWD, 0, O_RDONLY } },
		{ "stat_path", SYS_stat, 0, { 0, (long)buf } },
		{ "stat_buf", SYS_stat, 1, { (long)"f", 0 } },
		{ "fstat", SYS_fstat, 1, { fd, 0 } },
		{ "lstat", SYS_lstat, 1, { (long)"f", 0 } },
		{ "newfstatat", SYS_newfstatat, 2, { AT_FDCWD, (long)"f", 0, 0 } },
		{ "statx", SYS_statx, 4, { AT_FDCWD, (long)"f", 0, 0x7ff, 0 } },
		{ "access", SYS_access, 0, { 0, F_OK } },
		{ "faccessat", SYS_faccessat, 1, { AT_FDCWD, 0, F_OK } },
		{ "getdents64", SYS_getdents64, 1, { -1, 0, 256 } },
		{ "getcwd", SYS_getcwd, 0, { 0, 256 } },
		{ "chdir", SYS_chdir, 0, { 0 } },
		{ "mkdir", SYS_mkdir, 0, { 0, 0755 } },
		{ "rmdir", SYS_rmdir, 0, { 0 } },
		{ "unlink", SYS_unlink, 0, { 0 } },
		{ "rename_old", SYS_rename, 0, { 0, (long)"x" } },
		{ "rename_new", SYS_rename, 1, { (long)"nothere", 0 } },
		{ "link", SYS_link, 0, { 0, (long)"x" } },
		{ "symlink", SYS_symlink, 0, { 0, (long)"x" } },
		{ "readlink_path", SYS_readlink, 0, { 0, (long)buf, 10 } },
		{ "chmod", SYS_chmod, 0, { 0, 0644 } },
		{ "chown", SYS_chown, 0, { 0, 0, 0 } },
		{ "truncate", SYS_truncate, 0, { 0, 0 } },
		{ "utimensat_times", SYS_utimensat, 2, { AT_FDCWD, (long)"f", 0, 0 }, 1 },
		{ "pipe", SYS_pipe, 0, { 0 } },
		{ "pipe2", SYS_pipe2, 0, { 0, 0 } },
		{ "poll", SYS_poll, 0, { 0, 1, 0 } },
		{ "ppoll_ts", SYS_ppoll, 2, { (long)&pfd, 1, 0, 0, 8 }, 1 },
		{ "select_readfds", SYS_select, 1, { p[0] + 1, 0, 0, 0, 0 }, 1 },
		{ "rt_sigaction_act", SYS_rt_sigaction, 1, { SIGUSR1, 0, 0, 8 }, 1 },
		{ "rt_sigprocmask_set", SYS_rt_sigprocmask, 1, { SIG_BLOCK, 0, 0, 8 }, 1 },
		{ "rt_sigpending", SYS_rt_sigpending, 0, { 0, 8 } },
		{ "sigaltstack", SYS_sigaltstack, 0, { 0, (long)buf }, 1 },
		{ "nanosleep", SYS_nanosleep, 0, { 0, 0 } },
		{ "clock_gettime", SYS_clock_gettime, 1, { CLOCK_MONOTONIC, 0 } },
		{ "clock_getres", SYS_clock_getres, 1, { CLOCK_MONOTONIC, 0 }, 1 },
		{ "gettimeofday", SYS_gettimeofday, 0, { 0, 0 }, 1 },
		{ "uname", SYS_uname, 0, { 0 } },
		{ "sysinfo", SYS_sysinfo, 0, { 0 } },
		{ "getrlimit", SYS_getrlimit, 1, { 7, 0 } },
		{ "setrlimit", SYS_setrlimit, 1, { 7, 0 } },
		{ "getrusage", SYS_getrusage, 1, { 0, 0 } },
		{ "times", SYS_times, 0, { 0 }, 1 },
		{ "getrandom", SYS_getrandom, 0, { 0, 8, 0 } },
		{ "execve_path", SYS_execve, 0, { 0, 0, 0 } },
		{ "getresuid", SYS_getresuid, 0, { 0, (long)buf, (long)(buf + 8) } },
		{ "arch_prctl_get_fs", SYS_arch_prctl, 1, { ARCH_GET_FS, 0 } },
		{ "ioctl_fionread", SYS_ioctl, 2, { p[0], 0x541B /* FIONREAD */, 0 } },
	};

	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		for (unsigned k = 0; k < 4; k++) {
			char name[96];
			long a[6];
			if (k == 0 && calls[i].null_ok)
				continue;
			memcpy(a, calls[i].a, sizeof(a));
			a[calls[i].badarg] = (long)bad[k];
			if (calls[i].nr == SYS_getdents64)
				a[0] = open(".", O_RDONLY | O_DIRECTORY);
			snprintf(name, sizeof(name), "%s_%s_efault", calls[i].name, badname[k]);
			CHECK_ERR(name, syscall(calls[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]), EFAULT);
			if (calls[i].nr == SYS_getdents64)
				close(a[0]);
		}
	}
	/* Pointers inside arrays. */
	iov[0].iov_base = T_KPTR;
	CHECK_ERR("writev_iov_base_kernel_efault", syscall(SYS_writev, p[1], iov, 1), EFAULT);
	CHECK_ERR("readv_iov_base_kernel_efault", syscall(SYS_readv, fd, iov, 1), EFAULT);
	char *argvbad[] = { "x", T_KPTR, NULL };
	CHECK_ERR("execve_argv_element_efault", syscall(SYS_execve, "/bin/true", argvbad, NULL), EFAULT);

	/* Bad descriptors. */
	static const struct {
		const char *name;
		long nr;
	} fdcalls[] = {
		{ "read", SYS_read }, { "write", SYS_write }, { "close", SYS_close }, { "fstat", SYS_fstat },
		{ "lseek", SYS_lseek }, { "fsync", SYS_fsync }, { "fchdir", SYS_fchdir }, { "fchmod", SYS_fchmod },
		{ "fchown", SYS_fchown }, { "ftruncate", SYS_ftruncate }, { "dup", SYS_dup }, { "fcntl", SYS_fcntl },
		{ "ioctl", SYS_ioctl }, { "getdents64", SYS_getdents64 }, { "pread64", SYS_pread64 },
		{ "readv", SYS_readv }, { "writev", SYS_writev },
	};
	const long badfds[] = { -1, 1000, 0x7fffffff };
	for (unsigned i = 0; i < sizeof(fdcalls) / sizeof(fdcalls[0]); i++) {
		for (unsigned k = 0; k < 3; k++) {
			char name[96];
			snprintf(name, sizeof(name), "%s_fd_%ld_ebadf", fdcalls[i].name, badfds[k]);
			long a1 = (long)buf, a2 = 4;
			if (fdcalls[i].nr == SYS_fcntl) {
				a1 = F_GETFL;
			} else if (fdcalls[i].nr == SYS_ioctl) {
				a1 = 0x541B;
			} else if (fdcalls[i].nr == SYS_lseek || fdcalls[i].nr == SYS_ftruncate || fdcalls[i].nr == SYS_fchmod) {
				a1 = 0;
			} else if (fdcalls[i].nr == SYS_readv || fdcalls[i].nr == SYS_writev) {
				iov[0].iov_base = buf;
				a1 = (long)iov;
				a2 = 1;
			}
			CHECK_ERR(name, syscall(fdcalls[i].nr, badfds[k], a1, a2, 0, 0, 0), EBADF);
		}
	}
	/* A write-only fd read, a read-only fd written. */
	CHECK_ERR("read_on_write_end_ebadf", syscall(SYS_read, p[1], buf, 1), EBADF);
	CHECK_ERR("write_on_read_end_ebadf", syscall(SYS_write, p[0], buf, 1), EBADF);
	CHECK_EQ("process_still_fine", getpid(), syscall(SYS_getpid));
	/* Unknown syscall numbers: ENOSYS. */
	CHECK_ERR("unknown_syscall_enosys", syscall(999), ENOSYS);
	CHECK_ERR("negative_syscall_enosys", syscall(-1L), ENOSYS);
	CHECK_ERR("huge_syscall_enosys", syscall(0x40000000L + 5000), ENOSYS);
	return t_done();
}
