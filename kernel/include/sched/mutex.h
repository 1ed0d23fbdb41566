/*
 * Sleeping mutexes: for state held across operations that may block (file
 * systems, address spaces). Never taken in interrupt context.
 */
#ifndef SABLE_SCHED_MUTEX_H
#define SABLE_SCHED_MUTEX_H

#include "sched/wait.h"

struct mutex {
	struct spinlock lock;   /* guards owner */
	struct task *owner;     /* [lock] NULL when free */
	struct wait_queue waiters;
	const char *name;
};

#define MUTEX_INIT(m, n) { SPINLOCK_INIT(n), NULL, WAIT_QUEUE_INIT((m).waiters), n }

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_held(struct mutex *m); /* by the caller */

#endif
