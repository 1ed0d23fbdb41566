/*
 * Sable's micro-benchmarks, in the spirit of lmbench (written from scratch):
 * each figure is the median of RUNS timed runs, each run sized so it lasts
 * about TARGET_MS. Output, one line per figure (tools/bench.sh reads these):
 *	BENCH name value unit
 * where value is a number or n/a (the kernel lacks what the test needs).
 * Latencies are in ns per operation, bandwidths in MB/s (10^6 bytes/s).
 *
 *	bench [-t TARGET_MS] [-r RUNS] [only-these-names...]
 *
 * Built static with musl-gcc; /bin/bench-nop (nop.c) is the program the
 * fork+execve test runs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define MAP_BYTES (1 << 20)

static long target_ns = 100 * 1000000L;
static int runs = 5;
static char buf[CHUNK];
static char *const nop_argv[] = { "/bin/bench-nop", NULL };
static char *const sh_argv[] = { "/bin/sh", "-c", "true", NULL };
static char *const no_env[] = { "PATH=/bin:/sbin", NULL };

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void die(const char *what)
{
	printf("bench: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	_exit(1);
}

static void full_read(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0)
			die("read");
		p = (char *)p + r;
		n -= r;
	}
}

static void full_write(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t r = write(fd, p, n);
		if (r <= 0)
			die("write");
		p = (const char *)p + r;
		n -= r;
	}
}

static void reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
}

/* Each test runs n operations and returns the nanoseconds they took, or -1
 * when the kernel cannot do what the test needs (n/a). */

static long t_null(long n)
{
	long t = now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return now_ns() - t;
}

static long t_rw1(long n, const char *path, int wr)
{
	int fd = open(path, wr ? O_WRONLY : O_RDONLY);
	char c = 0;

	if (fd < 0)
		die(path);
	long t = now_ns();
	for (long i = 0; i < n; i++)
		if ((wr ? write(fd, &c, 1) : read(fd, &c, 1)) != 1)
			die(path);
	t = now_ns() - t;
	close(fd);
	return t;
}
static long t_read(long n) { return t_rw1(n, "/dev/zero", 0); }
static long t_write(long n) { return t_rw1(n, "/dev/null", 1); }

static long t_openclose(long n)
{
	long t = now_ns();
	for (long i = 0; i < n; i++) {
		int fd = open("/etc/passwd", O_RDONLY);
		if (fd < 0)
			die("open");
		close(fd);
	}
	return now_ns() - t;
}

static long t_stat(long n)
{
	struct stat st;
	long t = now_ns();
	for (long i = 0; i < n; i++)
		if (stat("/etc/passwd", &st))
			die("stat");
	return now_ns() - t;
}

static long t_spawn(long n, int how)
{
	long t = now_ns();
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			if (how == 1)
				execve(nop_argv[0], nop_argv, no_env);
			else if (how == 2)
				execve(sh_argv[0], sh_argv, no_env);
			_exit(how ? 127 : 0);
		}
		reap(pid);
	}
	return now_ns() - t;
}
static long t_fork(long n) { return t_spawn(n, 0); }
static long t_exec(long n) { return t_spawn(n, 1); }
static long t_sh(long n) { return t_spawn(n, 2); }

/* Ping-pong of a small token between two processes over a pair of file
 * descriptor pairs (pipes or sockets): n round trips. */
static long pingpong(long n, int a[2], int b[2], size_t sz)
{
	pid_t pid;
	long t;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (long i = 0; i <= n; i++) {
			full_read(a[0], buf, sz);
			full_write(b[1], buf, sz);
		}
		_exit(0);
	}
	/* The first round trip is the warm-up: the child is running then. */
	full_write(a[1], buf, sz);
	full_read(b[0], buf, sz);
	t = now_ns();
	for (long i = 0; i < n; i++) {
		full_write(a[1], buf, sz);
		full_read(b[0], buf, sz);
	}
	t = now_ns() - t;
	reap(pid);
	return t;
}

static long pipe_pingpong(long n, size_t sz)
{
	int a[2], b[2];
	long t;

	if (pipe(a) || pipe(b))
		die("pipe");
	t = pingpong(n, a, b, sz);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	return t;
}
static long t_pipelat(long n) { return pipe_pingpong(n, 1); }
static long t_ctxsw(long n) { return pipe_pingpong(n, 4); }

static long t_pagefault(long n)
{
	long t = now_ns();
	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		for (long off = 0; off < MAP_BYTES; off += 4096)
			p[off] = 1;
		munmap(p, MAP_BYTES);
	}
	return now_ns() - t;
}

/* n chunks of 64 KiB from a child to this process over fds (w, r). */
static long stream(long n, int r, int w, int close_in_child)
{
	pid_t pid = fork();
	long t;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(close_in_child);
		for (long i = 0; i < n; i++)
			full_write(w, buf, CHUNK);
		_exit(0);
	}
	/* Start the clock at the first byte: the fork is not part of it. */
	full_read(r, buf, 1);
	t = now_ns();
	full_read(r, buf, CHUNK - 1);
	for (long i = 1; i < n; i++)
		full_read(r, buf, CHUNK);
	t = now_ns() - t;
	reap(pid);
	return t;
}

static long t_pipebw(long n)
{
	int p[2];
	long t;

	if (pipe(p))
		die("pipe");
	t = stream(n, p[0], p[1], p[0]);
	close(p[0]), close(p[1]);
	return t;
}

static const char *tmpfile_path = "/tmp/bench.dat";

static long t_filewrite(long n)
{
	int fd = open(tmpfile_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long t;

	if (fd < 0)
		die("open /tmp");
	t = now_ns();
	for (long i = 0; i < n; i++)
		full_write(fd, buf, CHUNK);
	t = now_ns() - t;
	close(fd);
	unlink(tmpfile_path);
	return t;
}

static long t_fileread(long n)
{
	int fd = open(tmpfile_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	long t;

	if (fd < 0)
		die("open /tmp");
	for (long i = 0; i < n; i++)
		full_write(fd, buf, CHUNK);
	lseek(fd, 0, SEEK_SET);
	t = now_ns();
	for (long i = 0; i < n; i++)
		full_read(fd, buf, CHUNK);
	t = now_ns() - t;
	close(fd);
	unlink(tmpfile_path);
	return t;
}

static volatile sig_atomic_t hits;
static void handler(int sig) { (void)sig; hits++; }

static long t_siginstall(long n)
{
	struct sigaction sa = { .sa_handler = handler };
	long t = now_ns();
	for (long i = 0; i < n; i++)
		if (sigaction(SIGUSR1, &sa, NULL))
			die("sigaction");
	return now_ns() - t;
}

static long t_sigdeliver(long n)
{
	struct sigaction sa = { .sa_handler = handler };
	pid_t me = getpid();

	sigaction(SIGUSR1, &sa, NULL);
	hits = 0;
	long t = now_ns();
	for (long i = 0; i < n; i++)
		kill(me, SIGUSR1);
	t = now_ns() - t;
	if (hits != n) {
		printf("bench: %ld signals sent, %ld handled\n", n, (long)hits);
		return -1;
	}
	return t;
}

/* Sockets: a connected stream pair, or -1 (n/a) when the kernel has none. */
static int unix_pair(int sv[2]) { return socketpair(AF_UNIX, SOCK_STREAM, 0, sv); }

static int tcp_pair(int sv[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l, one = 1;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		return -1;
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		goto fail;
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (sv[0] < 0)
		goto fail;
	if (connect(sv[0], (struct sockaddr *)&a, sizeof(a)))
		goto fail0;
	sv[1] = accept(l, NULL, NULL);
	if (sv[1] < 0)
		goto fail0;
	setsockopt(sv[0], IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	setsockopt(sv[1], IPPROTO_TCP, 1, &one, sizeof(one));
	close(l);
	return 0;
fail0:
	close(sv[0]);
fail:
	close(l);
	return -1;
}

static long sock_lat(long n, int (*mk)(int sv[2]))
{
	int sv[2], a[2], b[2];
	long t;

	if (mk(sv))
		return -1;
	/* Parent writes sv[0] and reads sv[0]; the child the other end. */
	a[0] = sv[1], a[1] = sv[0], b[0] = sv[0], b[1] = sv[1];
	t = pingpong(n, a, b, 1);
	close(sv[0]), close(sv[1]);
	return t;
}

static long sock_bw(long n, int (*mk)(int sv[2]))
{
	int sv[2];
	long t;

	if (mk(sv))
		return -1;
	t = stream(n, sv[0], sv[1], sv[0]);
	close(sv[0]), close(sv[1]);
	return t;
}
static long t_unixlat(long n) { return sock_lat(n, unix_pair); }
static long t_unixbw(long n) { return sock_bw(n, unix_pair); }
static long t_tcplat(long n) { return sock_lat(n, tcp_pair); }
static long t_tcpbw(long n) { return sock_bw(n, tcp_pair); }

struct test {
	const char *name;
	long (*fn)(long n);
	double per;  /* latency: divide ns/op by this; bandwidth: bytes per op */
	int bw;      /* 1: report MB/s */
	long max_ops;
};

static const struct test tests[] = {
	{ "null_syscall", t_null, 1, 0, 1L << 30 },
	{ "read_devzero_1B", t_read, 1, 0, 1L << 30 },
	{ "write_devnull_1B", t_write, 1, 0, 1L << 30 },
	{ "open_close", t_openclose, 1, 0, 1L << 30 },
	{ "stat", t_stat, 1, 0, 1L << 30 },
	{ "fork_exit_wait", t_fork, 1, 0, 1L << 20 },
	{ "fork_execve_wait", t_exec, 1, 0, 1L << 20 },
	{ "sh_c_true", t_sh, 1, 0, 1L << 20 },
	{ "pipe_latency", t_pipelat, 1, 0, 1L << 30 },
	{ "context_switch", t_ctxsw, 2, 0, 1L << 30 },
	{ "page_fault", t_pagefault, MAP_BYTES / 4096, 0, 1L << 20 },
	{ "pipe_bw_64k", t_pipebw, CHUNK, 1, 1L << 20 },
	{ "tmpfs_write_bw", t_filewrite, CHUNK, 1, 512 },
	{ "tmpfs_read_bw", t_fileread, CHUNK, 1, 512 },
	{ "sig_install", t_siginstall, 1, 0, 1L << 30 },
	{ "sig_deliver", t_sigdeliver, 1, 0, 1L << 30 },
	{ "unix_latency", t_unixlat, 1, 0, 1L << 30 },
	{ "unix_bw_64k", t_unixbw, CHUNK, 1, 1L << 20 },
	{ "tcp_latency", t_tcplat, 1, 0, 1L << 30 },
	{ "tcp_bw_64k", t_tcpbw, CHUNK, 1, 1L << 20 },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void run_test(const struct test *T)
{
	double per_op[64];
	long n = 1, t;

	/* Grow n until a run lasts an eighth of the target, then size it. */
	for (;;) {
		t = T->fn(n);
		if (t < 0)
			goto na;
		if (t >= target_ns / 8 || n >= T->max_ops)
			break;
		n = t > 0 && t < target_ns / 64 ? n * 8 : n * 2;
	}
	if (t > 0)
		n = (long)((double)n * target_ns / t);
	if (n < 1)
		n = 1;
	if (n > T->max_ops)
		n = T->max_ops;
	for (int r = 0; r < runs; r++) {
		t = T->fn(n);
		if (t < 0)
			goto na;
		per_op[r] = (double)t / n;
	}
	qsort(per_op, runs, sizeof(per_op[0]), cmp_double);
	double med = runs % 2 ? per_op[runs / 2] : (per_op[runs / 2 - 1] + per_op[runs / 2]) / 2;
	if (T->bw)
		printf("BENCH %s %.1f MB/s\n", T->name, med > 0 ? T->per * 1e3 / med : 0.0);
	else
		printf("BENCH %s %.1f ns\n", T->name, med / T->per);
	fflush(stdout);
	return;
na:
	printf("BENCH %s n/a %s\n", T->name, T->bw ? "MB/s" : "ns");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			target_ns = atol(argv[++i]) * 1000000L;
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			runs = atoi(argv[++i]);
	}
	if (runs < 1)
		runs = 1;
	if (runs > 64)
		runs = 64;
	signal(SIGPIPE, SIG_IGN);
	memset(buf, 'x', sizeof(buf));
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t k = 0; k < sizeof(tests) / sizeof(tests[0]); k++) {
		int want = i >= argc;
		for (int j = i; j < argc; j++)
			want |= !strcmp(argv[j], tests[k].name);
		if (want)
			run_test(&tests[k]);
	}
	printf("BENCH-DONE\n");
	return 0;
}
