/*
 * Sleeping on many wait queues at once (poll, select). Each registration is
 * a waiter on one queue. A wake-up takes the waiter off its queue and wakes
 * the task; poll_set_sleep() notices a waiter taken off while the task was
 * still running (the wake-up could not wake it) and does not sleep then.
 */
#include "core/time.h"
#include "fs/poll.h"
#include "fs/vfs.h"
#include "mm/slab.h"

/* The hook the signal code overrides (see fs/vfs.h). */
__attribute__((weak)) bool fs_wait_interrupted(void)
{
	return false;
}

static void poll_set_queue(struct poll_table *pt, struct wait_queue *wq)
{
	struct poll_set *ps = container_of(pt, struct poll_set, pt);
	struct poll_chunk *c = ps->chunks;
	struct poll_entry *e;

	if (!c || c->used == POLL_SET_CHUNK) {
		c = kzalloc(sizeof(*c));
		if (!c) {
			ps->error = -ENOMEM;
			return;
		}
		c->next = ps->chunks;
		ps->chunks = c;
	}
	e = &c->e[c->used++];
	e->wq = wq;
	/* Queued without changing the task state: the caller is still
	 * polling; poll_set_sleep() decides whether to sleep. */
	prepare_to_wait(wq, &e->w, TASK_RUNNING);
}

void poll_set_init(struct poll_set *ps)
{
	ps->pt.queue = poll_set_queue;
	ps->chunks = NULL;
	ps->error = 0;
}

/* Puts back on its queue every waiter a wake-up took off; returns whether
 * there was one. */
static bool poll_set_rearm(struct poll_set *ps)
{
	bool woken = false;

	for (struct poll_chunk *c = ps->chunks; c; c = c->next) {
		for (unsigned int i = 0; i < c->used; i++) {
			struct poll_entry *e = &c->e[i];
			unsigned long fl = spin_lock_irqsave(&e->wq->lock);

			if (list_empty(&e->w.link)) {
				woken = true;
				list_add_tail(&e->w.link, &e->wq->waiters);
			}
			spin_unlock_irqrestore(&e->wq->lock, fl);
		}
	}
	return woken;
}

static void poll_timeout_fn(struct timer *t, void *arg)
{
	(void)t;
	wake_up_task(arg);
}

int poll_set_sleep(struct poll_set *ps, u64 deadline_ns)
{
	struct timer timer = { 0 };
	int err = 0;

	ps->pt.queue = NULL;
	if (deadline_ns && time_ns() >= deadline_ns)
		return -ETIMEDOUT;
	if (fs_wait_interrupted())
		return -EINTR;
	if (deadline_ns)
		timer_add(&timer, deadline_ns, 0, poll_timeout_fn, current_task());
	set_current_state(TASK_INTERRUPTIBLE);
	if (poll_set_rearm(ps))
		set_current_state(TASK_RUNNING); /* a wake-up came while polling */
	else
		schedule();
	set_current_state(TASK_RUNNING);
	if (deadline_ns)
		timer_cancel(&timer);
	poll_set_rearm(ps);
	if (fs_wait_interrupted())
		err = -EINTR;
	else if (deadline_ns && time_ns() >= deadline_ns)
		err = -ETIMEDOUT;
	return err;
}

void poll_set_destroy(struct poll_set *ps)
{
	while (ps->chunks) {
		struct poll_chunk *c = ps->chunks;

		for (unsigned int i = 0; i < c->used; i++)
			finish_wait(c->e[i].wq, &c->e[i].w);
		ps->chunks = c->next;
		kfree(c);
	}
	set_current_state(TASK_RUNNING);
}

unsigned int vfs_poll(struct file *f, struct poll_table *pt)
{
	if (f->f_mode & FMODE_PATH)
		return POLLNVAL;
	if (!f->f_op || !f->f_op->poll)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return f->f_op->poll(f, pt);
}
