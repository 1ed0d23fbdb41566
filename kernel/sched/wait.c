/* Wait queues (see sched/wait.h). */
#include "sched/wait.h"

void wait_queue_init(struct wait_queue *wq)
{
	wq->lock = (struct spinlock)SPINLOCK_INIT("waitq");
	list_init(&wq->waiters);
}

void prepare_to_wait(struct wait_queue *wq, struct waiter *w, enum task_state state)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);

	w->task = current_task();
	if (w->link.next == NULL || list_empty(&w->link))
		list_add_tail(&w->link, &wq->waiters);
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, f);
}

void finish_wait(struct wait_queue *wq, struct waiter *w)
{
	unsigned long f;

	set_current_state(TASK_RUNNING);
	f = spin_lock_irqsave(&wq->lock);
	if (w->link.next && !list_empty(&w->link))
		list_del(&w->link);
	spin_unlock_irqrestore(&wq->lock, f);
}

static int wake(struct wait_queue *wq, bool all)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);
	struct list_head *pos, *tmp;
	int n = 0;

	list_for_each_safe(pos, tmp, &wq->waiters) {
		struct waiter *w = list_entry(pos, struct waiter, link);

		list_del(&w->link);
		if (wake_up_task(w->task))
			n++;
		if (!all && n)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, f);
	return n;
}

int wake_up_all(struct wait_queue *wq)
{
	return wake(wq, true);
}

int wake_up_one(struct wait_queue *wq)
{
	return wake(wq, false);
}
