/*
 * Wait queues: a task waits for a condition; whoever makes it true wakes the
 * queue. The waiter sets its state before checking the condition, so a wake
 * that lands between the check and schedule() is not lost:
 *
 *	wait_event(wq, cond);
 */
#ifndef SABLE_SCHED_WAIT_H
#define SABLE_SCHED_WAIT_H

#include "core/spinlock.h"
#include "lib/list.h"
#include "sched/sched.h"

struct wait_queue {
	struct spinlock lock;
	struct list_head waiters; /* [lock] struct waiter */
};

struct waiter {
	struct task *task;
	struct list_head link; /* [wait_queue lock] */
};

#define WAIT_QUEUE_INIT(name) { SPINLOCK_INIT("waitq"), LIST_HEAD_INIT((name).waiters) }

void wait_queue_init(struct wait_queue *wq);
void prepare_to_wait(struct wait_queue *wq, struct waiter *w, enum task_state state);
void finish_wait(struct wait_queue *wq, struct waiter *w);
/* Wakes every waiter; returns how many were asleep. */
int wake_up_all(struct wait_queue *wq);
int wake_up_one(struct wait_queue *wq);

#define wait_event(wq, cond)                                               \
	do {                                                               \
		struct waiter __w = { 0 };                                       \
		for (;;) {                                                 \
			prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE); \
			if (cond)                                          \
				break;                                     \
			schedule();                                        \
		}                                                          \
		finish_wait(&(wq), &__w);                                  \
	} while (0)

#endif
