/*
 * Readiness of open files for poll/select. A file's poll op reports a
 * POLL* mask and registers the wait queues whose wake-up may change it
 * through poll_wait(). A struct poll_set collects those registrations so
 * the caller can sleep on many files at once:
 *
 *	struct poll_set ps;
 *	poll_set_init(&ps);
 *	for (;;) {
 *		ready = 0;
 *		for each file: revents = vfs_poll(f, &ps.pt) & (events | POLLERR | POLLHUP);
 *		if (ready) break;
 *		err = poll_set_sleep(&ps, deadline_ns);   // 0, -ETIMEDOUT, -EINTR
 *		if (err) break;
 *	}
 *	poll_set_destroy(&ps);
 *
 * Registration happens on the first pass only; later passes just re-check.
 */
#ifndef SABLE_FS_POLL_H
#define SABLE_FS_POLL_H

#include "fs/fs.h"
#include "sched/wait.h"

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLRDHUP 0x2000

struct poll_table {
	/* NULL: do not register (a re-check). */
	void (*queue)(struct poll_table *pt, struct wait_queue *wq);
};

static inline void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	(void)f;
	if (pt && pt->queue)
		pt->queue(pt, wq);
}

#define POLL_SET_CHUNK 32

struct poll_entry {
	struct wait_queue *wq;
	struct waiter w;
};

struct poll_chunk {
	struct poll_chunk *next;
	unsigned int used;
	struct poll_entry e[POLL_SET_CHUNK];
};

struct poll_set {
	struct poll_table pt;
	struct poll_chunk *chunks;
	int error;       /* -ENOMEM when a registration was lost */
};

void poll_set_init(struct poll_set *ps);
/*
 * Sleeps until a registered queue is woken, deadline_ns (time_ns() clock,
 * 0 for none) passes, or fs_wait_interrupted(). Returns 0, -ETIMEDOUT or
 * -EINTR. Stops further registration.
 */
int poll_set_sleep(struct poll_set *ps, u64 deadline_ns);
void poll_set_destroy(struct poll_set *ps);

/* The file's readiness; files without a poll op are always ready for
 * reading and writing (regular files, like Linux). */
unsigned int vfs_poll(struct file *f, struct poll_table *pt);

#endif
