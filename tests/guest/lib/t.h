/* Sable guest tests: the tiny shared harness.
 *
 * Every check prints one line on stdout, in one write(2):
 *     PASS <prog>.<name>
 *     FAIL <prog>.<name>: <why> (errno N ENAME)
 * <prog> is the program's file name (e.g. "fileio.musl"), so the musl and the
 * glibc builds of one source report under different names.
 *
 * A program's exit status is 0 when every check in that process passed and 1
 * otherwise. Children started with t_fork() report their own lines; their
 * exit status tells the parent whether they failed (t_wait_ok()).
 *
 * Everything here is plain C with the libc (musl or glibc) and raw syscalls:
 * constants that musl's headers lack are defined below from the Linux ABI
 * (the values are the x86_64 ABI's, as documented in the man pages). */
#ifndef SABLE_GUEST_T_H
#define SABLE_GUEST_T_H

#pragma GCC diagnostic ignored "-Wunused-function"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- ABI constants musl 1.2.3 does not define ---- */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef ARCH_SET_FS
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#endif
#ifndef AT_STATX_SYNC_AS_STAT
#define AT_STATX_SYNC_AS_STAT 0
#endif
#ifndef STATX_BASIC_STATS
#define STATX_TYPE 0x1U
#define STATX_MODE 0x2U
#define STATX_NLINK 0x4U
#define STATX_UID 0x8U
#define STATX_GID 0x10U
#define STATX_ATIME 0x20U
#define STATX_MTIME 0x40U
#define STATX_CTIME 0x80U
#define STATX_INO 0x100U
#define STATX_SIZE 0x200U
#define STATX_BLOCKS 0x400U
#define STATX_BASIC_STATS 0x7ffU
#endif

/* statx(2)'s structure (256 bytes), as the man page documents it. */
struct t_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct t_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t pad1;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct t_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};

/* getdents64(2)'s record. */
struct t_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Addresses no user access may reach: NULL, the start of the kernel half of
 * the address space, the top of it, and an address that is non-canonical
 * with 4-level and 5-level paging alike. */
#define T_NULLP ((void *)0)
#define T_KPTR ((void *)0xffff800000000000UL)
#define T_KTOP ((void *)0xfffffffffffff000UL)
#define T_NONCANON ((void *)0x8000000000000000UL)

#define T_USER_UID 1000
#define T_USER_GID 1000
#define T_CHILD_ALARM 30 /* seconds a t_fork() child may live */

/* ---- output ---- */
static char t_prog[64] = "test";
static int t_npass, t_nfail;

static const char *t_errname(int e)
{
	static const struct {
		int e;
		const char *n;
	} names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ETXTBSY, "ETXTBSY" },
		{ EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" },
		{ EROFS, "EROFS" }, { EMLINK, "EMLINK" }, { EPIPE, "EPIPE" },
		{ EDOM, "EDOM" }, { ERANGE, "ERANGE" }, { EDEADLK, "EDEADLK" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" }, { ENOTSUP, "EOPNOTSUPP" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EOVERFLOW, "EOVERFLOW" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	return "E?";
}

/* One line, one write(2): lines of several processes never interleave. */
static void t_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void t_line(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(1, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += w;
	}
}

static void t_pass(const char *name)
{
	int e = errno;
	t_npass++;
	t_line("PASS %s.%s", t_prog, name);
	errno = e;
}

/* FAIL with a reason; the errno at the time of the call is appended. */
static void t_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void t_fail(const char *name, const char *fmt, ...)
{
	int e = errno;
	char why[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	t_nfail++;
	t_line("FAIL %s.%s: %s (errno %d %s)", t_prog, name, why, e, t_errname(e));
	errno = e;
}

/* A note for the log (not a check): "# prog: text". */
static void t_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void t_note(const char *fmt, ...)
{
	char buf[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t_line("# %s: %s", t_prog, buf);
}

/* CHECK(name, cond): passes when cond is true. */
#define CHECK(name, cond)                                                 \
	do {                                                              \
		errno = 0;                                                \
		if (cond)                                                 \
			t_pass(name);                                     \
		else                                                      \
			t_fail(name, "%s:%d: %s is false", __FILE__, __LINE__, #cond); \
	} while (0)

/* CHECK_OK(name, call): passes when the call returns >= 0 (not -1). */
#define CHECK_OK(name, call)                                              \
	do {                                                              \
		errno = 0;                                                \
		long t_r_ = (long)(call);                                 \
		if (t_r_ >= 0)                                            \
			t_pass(name);                                     \
		else                                                      \
			t_fail(name, "%s:%d: %s returned %ld", __FILE__, __LINE__, #call, t_r_); \
	} while (0)

/* CHECK_ERR(name, call, E): passes when the call returns -1 with errno E. */
#define CHECK_ERR(name, call, E)                                          \
	do {                                                              \
		errno = 0;                                                \
		long t_r_ = (long)(call);                                 \
		if (t_r_ == -1 && errno == (E))                           \
			t_pass(name);                                     \
		else                                                      \
			t_fail(name, "%s:%d: %s returned %ld, want -1 with %s", \
			       __FILE__, __LINE__, #call, t_r_, t_errname(E)); \
	} while (0)

/* CHECK_EQ(name, got, want): integer comparison, both values printed. */
#define CHECK_EQ(name, got, want)                                         \
	do {                                                              \
		errno = 0;                                                \
		long long t_g_ = (long long)(got), t_w_ = (long long)(want); \
		if (t_g_ == t_w_)                                         \
			t_pass(name);                                     \
		else                                                      \
			t_fail(name, "%s:%d: %s is %lld (%#llx), want %lld (%#llx)", \
			       __FILE__, __LINE__, #got, t_g_, t_g_, t_w_, t_w_); \
	} while (0)

/* CHECK_RC(name, call, want): the call returns exactly want (e.g. an error
 * number from clock_nanosleep or a pthread call). */
#define CHECK_RC(name, call, want) CHECK_EQ(name, call, want)

/* ---- start and end ---- */
static void t_init(int argc, char **argv)
{
	const char *p = argc > 0 && argv[0] ? argv[0] : "test";
	const char *s = strrchr(p, '/');

	snprintf(t_prog, sizeof(t_prog), "%s", s ? s + 1 : p);
	setvbuf(stdout, NULL, _IONBF, 0);
}

/* Returns the exit status for main(). */
static int t_done(void)
{
	if (t_npass + t_nfail == 0) {
		errno = 0;
		t_fail("nothing", "no check ran");
	}
	return t_nfail ? 1 : 0;
}

/* A child's exit: 0 when it reported no failure. */
static __attribute__((noreturn)) void t_child_exit(void)
{
	_exit(t_nfail ? 1 : 0);
}

/* ---- processes ---- */

/* fork() with a safety net: the child dies of SIGALRM after T_CHILD_ALARM
 * seconds, so a kernel bug that blocks it forever cannot hang the run. */
static pid_t t_fork(void)
{
	pid_t p = fork();
	if (p == 0) {
		alarm(T_CHILD_ALARM);
		t_npass = t_nfail = 0; /* the child's exit status is its own */
	}
	return p;
}

/* waitpid() that retries EINTR; returns the status, or -1 on error. */
static int t_wait(pid_t pid)
{
	int st;
	pid_t r;

	do {
		r = waitpid(pid, &st, 0);
	} while (r < 0 && errno == EINTR);
	return r == pid ? st : -1;
}

static void t_status_str(int st, char *buf, size_t len)
{
	if (st == -1)
		snprintf(buf, len, "waitpid failed");
	else if (WIFEXITED(st))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, len, "status %#x", st);
}

/* Waits for a child and checks it exited 0 (its own lines tell the rest). */
static int t_wait_ok(const char *name, pid_t pid)
{
	int st = t_wait(pid);
	char s[64];

	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		t_pass(name);
		return 1;
	}
	t_status_str(st, s, sizeof(s));
	errno = 0;
	t_fail(name, "child: %s", s);
	return 0;
}

/* Drops root for good: groups, gid then uid (the non-root user). */
static int t_become_user(void)
{
	gid_t g = T_USER_GID;

	if (setgroups(1, &g) || setgid(T_USER_GID) || setuid(T_USER_UID))
		return -1;
	return 0;
}

/* Runs fn in a child as the non-root user; its checks print their own lines.
 * The parent reports "<name>" PASS when the child ran to the end. */
static void t_as_user(const char *name, void (*fn)(void))
{
	pid_t p = t_fork();

	if (p < 0) {
		t_fail(name, "fork");
		return;
	}
	if (p == 0) {
		if (t_become_user()) {
			t_fail(name, "cannot become uid %d", T_USER_UID);
			_exit(1);
		}
		fn();
		t_child_exit();
	}
	t_wait_ok(name, p);
}

/* Runs fn in a child and expects it to be killed by signal sig. */
static void t_expect_signal(const char *name, void (*fn)(void), int sig)
{
	pid_t p = t_fork();
	int st;
	char s[64];

	if (p < 0) {
		t_fail(name, "fork");
		return;
	}
	if (p == 0) {
		fn();
		_exit(99);
	}
	st = t_wait(p);
	if (st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig) {
		t_pass(name);
		return;
	}
	t_status_str(st, s, sizeof(s));
	errno = 0;
	t_fail(name, "%s, want killed by signal %d", s, sig);
}

/* ---- catching faults in this process ---- */
static sigjmp_buf t_fault_jmp;
static siginfo_t t_fault_info;
static volatile sig_atomic_t t_fault_armed;

static void t_fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	(void)sig;
	if (!t_fault_armed) {
		signal(si->si_signo, SIG_DFL);
		raise(si->si_signo);
		return;
	}
	t_fault_info = *si;
	t_fault_armed = 0;
	siglongjmp(t_fault_jmp, 1);
}

/* Runs fn(arg); returns 0 when it returned normally, or the signal number of
 * the fault it took (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP), with the
 * siginfo in t_fault_info. */
static int t_catch(void (*fn)(void *), void *arg)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
	struct sigaction sa, old[5];
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = t_fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 5; i++)
		sigaction(sigs[i], &sa, &old[i]);
	memset(&t_fault_info, 0, sizeof(t_fault_info));
	if (sigsetjmp(t_fault_jmp, 1) == 0) {
		t_fault_armed = 1;
		fn(arg);
		t_fault_armed = 0;
		r = 0;
	} else {
		r = t_fault_info.si_signo;
	}
	for (int i = 0; i < 5; i++)
		sigaction(sigs[i], &old[i], NULL);
	return r;
}

/* ---- misc ---- */
static long long t_now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void t_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Writes a whole buffer to a new file (mode 0644); returns 0 on success. */
static int t_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Reads up to len bytes of a file; returns the count or -1. */
static ssize_t t_read_file(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < len && (n = read(fd, (char *)buf + total, len - total)) > 0)
		total += n;
	close(fd);
	return total;
}

/* The path of a helper program (tests/guest/helpers), under $T_GUEST_DIR
 * (the runner sets it; default /tests). */
static const char *t_helper(const char *name)
{
	static char path[4][512];
	static int slot;
	const char *d = getenv("T_GUEST_DIR");
	char *p = path[slot++ % 4];

	snprintf(p, 512, "%s/helpers/%s", d && *d ? d : "/tests", name);
	return p;
}

/* Environment knob with a default, e.g. t_env_long("T_FORKEXEC_N", 10000). */
static long t_env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

#endif
