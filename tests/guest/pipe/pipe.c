/* Pipes: pipe/pipe2, data order, blocking reads woken by a writer, EOF when
 * the writers are gone, EPIPE and SIGPIPE when the readers are gone,
 * O_NONBLOCK (EAGAIN on an empty read and a full write), capacity, PIPE_BUF
 * atomicity with several concurrent writers, FIONREAD, bad inputs. */
#include "t.h"
#include <limits.h>
#include <sys/ioctl.h>

static void test_basic(void)
{
	int p[2];
	char buf[64];

	CHECK_OK("pipe", pipe(p));
	CHECK("pipe_fds_distinct", p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	CHECK_EQ("pipe_write", write(p[1], "hello", 5), 5);
	CHECK_EQ("pipe_write2", write(p[1], " world", 6), 6);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pipe_read_all_available", read(p[0], buf, sizeof(buf)), 11);
	CHECK("pipe_fifo_order", strcmp(buf, "hello world") == 0);
	CHECK_ERR("pipe_read_end_not_writable", write(p[0], "x", 1), EBADF);
	CHECK_ERR("pipe_write_end_not_readable", read(p[1], buf, 1), EBADF);
	CHECK_EQ("pipe_read_end_rdonly", fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ("pipe_write_end_wronly", fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	struct stat st;
	fstat(p[0], &st);
	CHECK("pipe_is_fifo", S_ISFIFO(st.st_mode));
	/* Partial reads keep the rest. */
	write(p[1], "abcdef", 6);
	CHECK_EQ("pipe_partial_read", read(p[0], buf, 2), 2);
	int n = -1;
	CHECK_OK("fionread", ioctl(p[0], FIONREAD, &n));
	CHECK_EQ("fionread_count", n, 4);
	CHECK_EQ("pipe_rest", read(p[0], buf, 10), 4);
	CHECK_EQ("zero_write", write(p[1], buf, 0), 0);
	close(p[1]);
	CHECK_EQ("eof_after_writer_closed", read(p[0], buf, 10), 0);
	close(p[0]);

	CHECK_OK("pipe2_nonblock", pipe2(p, O_NONBLOCK));
	CHECK("pipe2_nonblock_flag", (fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK));
	CHECK_ERR("nonblock_empty_read_eagain", read(p[0], buf, 1), EAGAIN);
	/* Fill it: at least PIPE_BUF (Linux: 64 KiB by default). */
	long total = 0, w;
	static char big[65536];
	while ((w = write(p[1], big, sizeof(big))) > 0)
		total += w;
	int e = errno;
	CHECK_EQ("nonblock_full_write_eagain", e, EAGAIN);
	CHECK("pipe_capacity_at_least_pipe_buf", total >= PIPE_BUF);
	t_note("pipe capacity %ld bytes", total);
	CHECK("capacity_at_least_64k_like_linux", total >= 65536);
	/* A write of <= PIPE_BUF into a nearly full pipe is all or nothing. */
	read(p[0], big, 100);
	CHECK_ERR("nonblock_small_write_no_partial", write(p[1], big, 200), EAGAIN);
	close(p[0]);
	close(p[1]);

	CHECK_ERR("pipe2_bad_flags_einval", pipe2(p, 0x1234), EINVAL);
	CHECK_ERR("pipe_null_efault", syscall(SYS_pipe, NULL), EFAULT);
	CHECK_ERR("pipe_kernel_efault", syscall(SYS_pipe2, T_KPTR, 0), EFAULT);
	CHECK_ERR("fionread_bad_fd_ebadf", ioctl(-1, FIONREAD, &n), EBADF);
}

static void test_blocking(void)
{
	int p[2];
	char buf[16] = { 0 };
	long long t0;

	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		close(p[0]);
		t_msleep(200);
		write(p[1], "late", 4);
		_exit(0);
	}
	close(p[1]);
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_EQ("blocking_read_waits_for_data", read(p[0], buf, sizeof(buf)), 4);
	CHECK("blocking_read_slept", t_now_ns(CLOCK_MONOTONIC) - t0 > 100000000LL);
	CHECK_EQ("blocking_read_eof_when_child_exits", read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
	t_wait(pid);

	/* A writer blocked on a full pipe continues when the reader drains it. */
	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		static char big[200000];
		close(p[0]);
		memset(big, 'q', sizeof(big));
		ssize_t off = 0, w;
		while (off < (ssize_t)sizeof(big) && (w = write(p[1], big + off, sizeof(big) - off)) > 0)
			off += w;
		_exit(off == sizeof(big) ? 0 : 1);
	}
	close(p[1]);
	t_msleep(100);
	long total = 0, r;
	static char in[8192];
	int good = 1;
	while ((r = read(p[0], in, sizeof(in))) > 0) {
		for (long i = 0; i < r; i++)
			if (in[i] != 'q')
				good = 0;
		total += r;
	}
	CHECK_EQ("blocked_writer_all_data", total, 200000);
	CHECK("blocked_writer_data_intact", good);
	t_wait_ok("blocked_writer_exit", pid);
	close(p[0]);
}

static void sigpipe_child(void)
{
	int p[2];

	pipe(p);
	close(p[0]);
	write(p[1], "x", 1);
}

static volatile sig_atomic_t got_sigpipe;
static void on_sigpipe(int s)
{
	got_sigpipe = 1;
}

static void test_epipe(void)
{
	int p[2];

	t_expect_signal("write_no_reader_sigpipe_kills", sigpipe_child, SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	pipe(p);
	close(p[0]);
	CHECK_ERR("write_no_reader_epipe", write(p[1], "x", 1), EPIPE);
	close(p[1]);
	signal(SIGPIPE, on_sigpipe);
	pipe(p);
	close(p[0]);
	CHECK_ERR("write_no_reader_epipe_handled", write(p[1], "x", 1), EPIPE);
	CHECK("sigpipe_handler_ran", got_sigpipe);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

/* Several writers, each writing records of exactly PIPE_BUF bytes filled
 * with its own letter: every record read back must be one letter. */
static void test_atomic(void)
{
	enum { WRITERS = 4, RECORDS = 200 };
	int p[2];
	pid_t pids[WRITERS];
	static char rec[PIPE_BUF];

	pipe(p);
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = t_fork();
		if (pids[w] == 0) {
			close(p[0]);
			memset(rec, 'A' + w, sizeof(rec));
			for (int i = 0; i < RECORDS; i++)
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	int counts[WRITERS] = { 0 }, torn = 0, records = 0;
	for (;;) {
		size_t got = 0;
		ssize_t r = 0;
		while (got < sizeof(rec) && (r = read(p[0], rec + got, sizeof(rec) - got)) > 0)
			got += r;
		if (got == 0)
			break;
		if (got != sizeof(rec)) {
			torn++;
			break;
		}
		records++;
		char c = rec[0];
		for (size_t i = 1; i < sizeof(rec); i++)
			if (rec[i] != c) {
				torn++;
				break;
			}
		if (c >= 'A' && c < 'A' + WRITERS)
			counts[c - 'A']++;
	}
	close(p[0]);
	int ok = 1;
	for (int w = 0; w < WRITERS; w++) {
		int st = t_wait(pids[w]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || counts[w] != RECORDS)
			ok = 0;
	}
	CHECK_EQ("pipe_buf_records_read", records, WRITERS * RECORDS);
	CHECK_EQ("pipe_buf_writes_atomic", torn, 0);
	CHECK("pipe_buf_every_writer_complete", ok);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_basic();
	test_blocking();
	test_epipe();
	test_atomic();
	return t_done();
}
