/* Sleeping mutexes (see sched/mutex.h). */
#include "core/panic.h"
#include "sched/mutex.h"

void mutex_init(struct mutex *m, const char *name)
{
	m->lock = (struct spinlock)SPINLOCK_INIT(name);
	m->owner = NULL;
	wait_queue_init(&m->waiters);
	m->name = name;
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long f = spin_lock_irqsave(&m->lock);
	bool got = m->owner == NULL;

	if (got)
		m->owner = current_task();
	spin_unlock_irqrestore(&m->lock, f);
	return got;
}

void mutex_lock(struct mutex *m)
{
	if (m->owner == current_task())
		panic("mutex %s: recursive lock", m->name);
	wait_event(m->waiters, mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
{
	unsigned long f = spin_lock_irqsave(&m->lock);

	if (m->owner != current_task()) {
		spin_unlock_irqrestore(&m->lock, f);
		panic("mutex %s: unlocked by a task that does not hold it", m->name);
	}
	m->owner = NULL;
	spin_unlock_irqrestore(&m->lock, f);
	wake_up_one(&m->waiters);
}

bool mutex_is_held(struct mutex *m)
{
	return m->owner == current_task();
}
