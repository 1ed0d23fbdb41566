/* FIFOs (named pipes): mkfifo/mknod S_IFIFO, open blocking until the other
 * end opens, O_NONBLOCK opens (reader succeeds, writer without reader
 * ENXIO), data through the FIFO between processes, EOF, O_RDWR open. */
#include "t.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
	struct stat st;
	char buf[32];
	int fd, fd2;

	t_init(argc, argv);
	umask(022);
	CHECK_OK("mkfifo", mkfifo("ff", 0644));
	CHECK_OK("stat_fifo", stat("ff", &st));
	CHECK("fifo_type", S_ISFIFO(st.st_mode));
	CHECK_EQ("fifo_mode", st.st_mode & 0777, 0644);
	CHECK_ERR("mkfifo_exists_eexist", mkfifo("ff", 0644), EEXIST);
	CHECK_OK("mknod_fifo", mknod("ff2", S_IFIFO | 0600, 0));
	stat("ff2", &st);
	CHECK("mknod_fifo_type", S_ISFIFO(st.st_mode));

	/* Non-blocking opens. */
	fd = open("ff", O_RDONLY | O_NONBLOCK);
	CHECK("fifo_nonblock_reader_opens", fd >= 0);
	CHECK_EQ("fifo_nonblock_read_no_writer_eof", read(fd, buf, 1), 0);
	fd2 = open("ff", O_WRONLY | O_NONBLOCK);
	CHECK("fifo_nonblock_writer_with_reader", fd2 >= 0);
	CHECK_ERR("fifo_nonblock_read_empty_eagain", read(fd, buf, 1), EAGAIN);
	write(fd2, "ab", 2);
	CHECK_EQ("fifo_nonblock_data", read(fd, buf, sizeof(buf)), 2);
	close(fd2);
	close(fd);
	CHECK_ERR("fifo_nonblock_writer_no_reader_enxio", open("ff", O_WRONLY | O_NONBLOCK), ENXIO);

	/* A blocking reader open waits for a writer. */
	volatile long long *opened_at = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		int r = open("ff", O_RDONLY);
		*opened_at = t_now_ns(CLOCK_MONOTONIC);
		char b[32] = { 0 };
		ssize_t n = 0, k;
		while ((k = read(r, b + n, sizeof(b) - 1 - n)) > 0)
			n += k;
		_exit(strcmp(b, "through the fifo") == 0 ? 0 : 1);
	}
	t_msleep(200);
	long long before = t_now_ns(CLOCK_MONOTONIC);
	CHECK_EQ("fifo_reader_still_blocked", *opened_at, 0);
	fd = open("ff", O_WRONLY);
	CHECK("fifo_blocking_writer_open", fd >= 0);
	CHECK_EQ("fifo_write", write(fd, "through the fifo", 16), 16);
	close(fd);
	t_wait_ok("fifo_reader_got_data_and_eof", pid);
	CHECK("fifo_reader_opened_after_writer", *opened_at >= before);

	/* A blocking writer open waits for a reader. */
	*opened_at = 0;
	pid = t_fork();
	if (pid == 0) {
		int w = open("ff", O_WRONLY);
		*opened_at = t_now_ns(CLOCK_MONOTONIC);
		write(w, "x", 1);
		_exit(0);
	}
	t_msleep(200);
	CHECK_EQ("fifo_writer_still_blocked", *opened_at, 0);
	fd = open("ff", O_RDONLY);
	CHECK_EQ("fifo_read_from_writer", read(fd, buf, 1), 1);
	t_wait_ok("fifo_writer_exit", pid);
	close(fd);

	/* O_RDWR never blocks (Linux). */
	fd = open("ff", O_RDWR);
	CHECK("fifo_rdwr_open", fd >= 0);
	write(fd, "z", 1);
	CHECK_EQ("fifo_rdwr_loopback", read(fd, buf, 1), 1);
	close(fd);
	CHECK_OK("unlink_fifo", unlink("ff"));
	return t_done();
}
