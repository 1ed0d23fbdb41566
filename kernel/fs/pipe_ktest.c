/* Self tests of pipes, FIFOs and poll sets, with kernel threads. */
#include "core/time.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "ktest_util.h"
#include "mm/slab.h"
#include "sched/sched.h"

#define REC_SIZE 4000 /* <= PIPE_BUF, and does not divide the ring size */
#define RECS_PER_WRITER 40

struct writer_arg {
	struct file *w;
	u8 id;
	long err;
	volatile bool done;
};

static int writer_thread(void *p)
{
	struct writer_arg *a = p;
	u8 *rec = kmalloc(REC_SIZE);

	if (!rec) {
		a->err = -ENOMEM;
	} else {
		memset(rec, a->id, REC_SIZE);
		for (int i = 0; i < RECS_PER_WRITER && !a->err; i++) {
			long r = kt_write(a->w, rec, REC_SIZE);

			if (r != REC_SIZE)
				a->err = r < 0 ? r : -EIO;
		}
	}
	kfree(rec);
	file_put(a->w);
	a->done = true;
	return 0;
}

/* Two writers share one pipe; every record must arrive whole. */
KTEST(fs_pipe_blocking_atomic_writes)
{
	static struct writer_arg args[2];
	struct file *pf[2];
	u8 *rec = kmalloc(REC_SIZE);
	size_t have = 0, total = 0;
	int counts[2] = { 0, 0 };
	const char *err = NULL;

	if (!rec)
		return KT_FAIL("no memory");
	KT_EXPECT(vfs_pipe(pf, 0), 0);
	for (int i = 0; i < 2; i++) {
		args[i] = (struct writer_arg){ .w = file_get(pf[1]), .id = (u8)(0xa0 + i) };
		if (IS_ERR(kthread_create("kt_pipe_w", writer_thread, &args[i])))
			return KT_FAIL("kthread_create");
	}
	file_put(pf[1]); /* the threads hold the write end now */
	for (;;) {
		long r = kt_read(pf[0], rec + have, REC_SIZE - have);

		if (r < 0) {
			err = KT_FAIL("read: %ld", r);
			break;
		}
		if (r == 0)
			break; /* both writers closed */
		have += (size_t)r;
		total += (size_t)r;
		if (have < REC_SIZE)
			continue;
		have = 0;
		for (size_t i = 1; i < REC_SIZE; i++) {
			if (rec[i] != rec[0]) {
				err = KT_FAIL("record torn at byte %zu (%#x vs %#x)", i, rec[i], rec[0]);
				break;
			}
		}
		if (err)
			break;
		if (rec[0] == 0xa0 || rec[0] == 0xa1)
			counts[rec[0] - 0xa0]++;
	}
	/* Without a reader a stuck writer gets EPIPE and finishes too. */
	file_put(pf[0]);
	while (!args[0].done || !args[1].done)
		sched_yield();
	if (!err && (args[0].err || args[1].err))
		err = KT_FAIL("writer errors %ld %ld", args[0].err, args[1].err);
	if (!err && (counts[0] != RECS_PER_WRITER || counts[1] != RECS_PER_WRITER || have))
		err = KT_FAIL("records %d+%d, %zu bytes left over, %zu total", counts[0],
			      counts[1], have, total);
	kfree(rec);
	return err;
}

struct reader_arg {
	struct file *r;
	char buf[16];
	long got;
	volatile bool done;
};

static int reader_thread(void *p)
{
	struct reader_arg *a = p;

	a->got = kt_read(a->r, a->buf, sizeof(a->buf));
	a->done = true;
	return 0;
}

KTEST(fs_pipe_semantics)
{
	static struct reader_arg ra;
	struct file *pf[2];
	char buf[8];
	u8 *big;
	long r;

	/* A reader blocks until data comes. */
	KT_EXPECT(vfs_pipe(pf, 0), 0);
	ra = (struct reader_arg){ .r = pf[0] };
	if (IS_ERR(kthread_create("kt_pipe_r", reader_thread, &ra)))
		return KT_FAIL("kthread_create");
	for (int i = 0; i < 5; i++)
		sched_yield();
	if (ra.done)
		return KT_FAIL("read of an empty pipe did not block");
	KT_EXPECT(vfs_poll(pf[0], NULL) & POLLIN, 0);
	KT_EXPECT(vfs_poll(pf[1], NULL) & POLLOUT, POLLOUT);
	KT_EXPECT(kt_write(pf[1], "ping", 4), 4);
	while (!ra.done)
		sched_yield();
	KT_EXPECT(ra.got, 4);
	if (memcmp(ra.buf, "ping", 4))
		return KT_FAIL("reader got %.4s", ra.buf);

	KT_EXPECT(kt_write(pf[1], "abc", 3), 3);
	KT_EXPECT(pipe_nread(pf[0]), 3);
	KT_EXPECT(vfs_poll(pf[0], NULL) & POLLIN, POLLIN);
	KT_EXPECT(vfs_lseek(pf[0], 0, SEEK_SET), -ESPIPE);
	KT_EXPECT(kt_read(pf[1], buf, 1), -EBADF);
	KT_EXPECT(kt_write(pf[0], "x", 1), -EBADF);
	/* EOF after the data once the writer is gone; POLLHUP. */
	file_put(pf[1]);
	KT_EXPECT(kt_read(pf[0], buf, sizeof(buf)), 3);
	KT_EXPECT(kt_read(pf[0], buf, sizeof(buf)), 0);
	KT_EXPECT(vfs_poll(pf[0], NULL) & POLLHUP, POLLHUP);
	file_put(pf[0]);

	/* EPIPE with no reader; POLLERR. */
	KT_EXPECT(vfs_pipe(pf, O_NONBLOCK), 0);
	KT_EXPECT(vfs_pipe(pf, 0x1), -EINVAL);
	KT_EXPECT(kt_read(pf[0], buf, 1), -EAGAIN);
	/* Non-blocking: fill the pipe; a big write is partial, then EAGAIN. */
	big = kzalloc(PIPE_DEFAULT_SIZE + 100);
	if (!big)
		return KT_FAIL("no memory");
	KT_EXPECT(kt_write(pf[1], big, 10), 10);
	r = kt_write(pf[1], big, PIPE_DEFAULT_SIZE + 100);
	kfree(big);
	KT_EXPECT(r, PIPE_DEFAULT_SIZE - 10);
	KT_EXPECT(kt_write(pf[1], "x", 1), -EAGAIN);
	KT_EXPECT(vfs_poll(pf[1], NULL) & POLLOUT, 0);
	KT_EXPECT(kt_read(pf[0], buf, 8), 8);
	/* Exactly 8 bytes of room: an 8-byte write fits whole. */
	KT_EXPECT(kt_write(pf[1], buf, 8), 8);
	KT_EXPECT(pipe_get_size(pf[0]), PIPE_DEFAULT_SIZE);
	KT_EXPECT(pipe_set_size(pf[0], 4096), -EBUSY);
	file_put(pf[0]);
	KT_EXPECT(kt_write(pf[1], "x", 1), -EPIPE);
	KT_EXPECT(vfs_poll(pf[1], NULL) & POLLERR, POLLERR);
	file_put(pf[1]);
	return NULL;
}

struct fifo_arg {
	struct fs_context *ctx;
	long err;
	volatile bool done;
};

static int fifo_writer(void *p)
{
	struct fifo_arg *a = p;
	struct file *f = vfs_open(a->ctx, NULL, "/kt_fifo", O_WRONLY, 0);

	if (IS_ERR(f)) {
		a->err = PTR_ERR(f);
	} else {
		a->err = kt_write(f, "xyz", 3) == 3 ? 0 : -EIO;
		file_put(f);
	}
	a->done = true;
	return 0;
}

KTEST(fs_fifo_open_semantics)
{
	static struct fifo_arg fa;
	struct fs_context ctx;
	struct file *r, *w;
	struct kstat st;
	char buf[8];

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(vfs_mknod(&ctx, NULL, "/kt_fifo", S_IFIFO | 0666, 0), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_fifo", 0, &st), 0);
	KT_EXPECT(S_ISFIFO(st.mode), 1);
	/* fifo(7): no reader, O_NONBLOCK write open: ENXIO. */
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_fifo", O_WRONLY | O_NONBLOCK, 0), -ENXIO);
	r = vfs_open(&ctx, NULL, "/kt_fifo", O_RDONLY | O_NONBLOCK, 0);
	if (IS_ERR(r))
		return KT_FAIL("nonblocking read open: %ld", PTR_ERR(r));
	KT_EXPECT(vfs_poll(r, NULL) & POLLHUP, 0); /* never had a writer */
	w = vfs_open(&ctx, NULL, "/kt_fifo", O_WRONLY | O_NONBLOCK, 0);
	if (IS_ERR(w))
		return KT_FAIL("write open with a reader: %ld", PTR_ERR(w));
	KT_EXPECT(kt_write(w, "abc", 3), 3);
	KT_EXPECT(kt_read(r, buf, sizeof(buf)), 3);
	KT_EXPECT(vfs_lseek(w, 0, SEEK_CUR), -ESPIPE);
	file_put(w);
	KT_EXPECT(vfs_poll(r, NULL) & POLLHUP, POLLHUP);
	KT_EXPECT(kt_read(r, buf, sizeof(buf)), 0);
	file_put(r);

	/* Blocking opens meet: the writer thread waits for this reader. */
	fa = (struct fifo_arg){ .ctx = &ctx };
	if (IS_ERR(kthread_create("kt_fifo_w", fifo_writer, &fa)))
		return KT_FAIL("kthread_create");
	for (int i = 0; i < 5; i++)
		sched_yield();
	if (fa.done)
		return KT_FAIL("write open without a reader did not block (%ld)", fa.err);
	r = vfs_open(&ctx, NULL, "/kt_fifo", O_RDONLY, 0);
	if (IS_ERR(r))
		return KT_FAIL("blocking read open: %ld", PTR_ERR(r));
	KT_EXPECT(kt_read(r, buf, sizeof(buf)), 3);
	while (!fa.done)
		sched_yield();
	KT_EXPECT(fa.err, 0);
	KT_EXPECT(kt_read(r, buf, sizeof(buf)), 0);
	file_put(r);
	/* O_RDWR never blocks. */
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_fifo", O_RDWR, 0), 0);
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_fifo"), 0);
	kt_ctx_end(&ctx);
	return NULL;
}

struct late_writer {
	struct file *w;
	volatile bool done;
};

static int late_writer_thread(void *p)
{
	struct late_writer *a = p;

	sched_sleep_ns(3 * NSEC_PER_MSEC);
	kt_write(a->w, "!", 1);
	a->done = true;
	return 0;
}

KTEST(fs_poll_set_sleeps_and_times_out)
{
	static struct late_writer lw;
	struct poll_set ps;
	struct file *pf[2];
	unsigned int ev = 0;
	int err = 0;

	KT_EXPECT(vfs_pipe(pf, 0), 0);
	poll_set_init(&ps);
	KT_EXPECT(vfs_poll(pf[0], &ps.pt) & POLLIN, 0);
	KT_EXPECT(poll_set_sleep(&ps, time_ns() + 2 * NSEC_PER_MSEC), -ETIMEDOUT);
	lw = (struct late_writer){ .w = pf[1] };
	if (IS_ERR(kthread_create("kt_poll_w", late_writer_thread, &lw)))
		return KT_FAIL("kthread_create");
	for (int i = 0; i < 100 && !(ev & POLLIN) && !err; i++) {
		ev = vfs_poll(pf[0], &ps.pt);
		if (!(ev & POLLIN))
			err = poll_set_sleep(&ps, time_ns() + NSEC_PER_SEC);
	}
	poll_set_destroy(&ps);
	KT_EXPECT(err, 0);
	KT_EXPECT(ev & POLLIN, POLLIN);
	while (!lw.done)
		sched_yield();
	file_put(pf[0]);
	file_put(pf[1]);
	return NULL;
}
