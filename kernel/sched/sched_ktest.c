/* Self tests of the scheduler: threads run, wait queues wake, sleep sleeps. */
#include "core/ktest.h"
#include "core/time.h"
#include "lib/errno.h"
#include "mm/pmm.h"
#include "sched/sched.h"
#include "sched/wait.h"

struct pingpong {
	struct wait_queue wq;
	volatile int turn;   /* 0: main, 1: thread */
	volatile int rounds;
	volatile bool done;
};

static int pong_thread(void *arg)
{
	struct pingpong *pp = arg;

	while (pp->rounds < 100) {
		wait_event(pp->wq, pp->turn == 1);
		pp->rounds++;
		pp->turn = 0;
		wake_up_all(&pp->wq);
	}
	pp->done = true;
	wake_up_all(&pp->wq);
	return 0;
}

KTEST(sched_waitqueue_pingpong)
{
	static struct pingpong pp;
	u64 switches = sched_context_switches();
	struct task *t;

	wait_queue_init(&pp.wq);
	pp.turn = 0;
	pp.rounds = 0;
	pp.done = false;
	t = kthread_create("pong", pong_thread, &pp);
	if (IS_ERR(t))
		return KT_FAIL("kthread_create: %ld", PTR_ERR(t));
	while (!pp.done) {
		pp.turn = 1;
		wake_up_all(&pp.wq);
		wait_event(pp.wq, pp.turn == 0 || pp.done);
	}
	if (pp.rounds != 100)
		return KT_FAIL("%d rounds", pp.rounds);
	if (sched_context_switches() - switches < 100)
		return KT_FAIL("only %llu context switches",
			       (unsigned long long)(sched_context_switches() - switches));
	return NULL;
}

static volatile int finished;

static int short_thread(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
	return 0;
}

KTEST(sched_threads_exit_and_free)
{
	u64 before;
	int n = 200;

	/* Let earlier tests' dead threads be reaped first. */
	sched_sleep_ns(10 * NSEC_PER_MSEC);
	before = pmm_free_pages();
	finished = 0;
	for (int i = 0; i < n; i++) {
		if (IS_ERR(kthread_create("short", short_thread, NULL)))
			return KT_FAIL("kthread_create %d failed", i);
		if (i % 16 == 0)
			sched_yield();
	}
	for (int spins = 0; finished < n && spins < 1000; spins++)
		sched_sleep_ns(NSEC_PER_MSEC);
	if (finished != n)
		return KT_FAIL("%d of %d threads ran", finished, n);
	sched_yield(); /* the last dead one is freed by whoever runs after it */
	if (pmm_free_pages() + 8 < before)
		return KT_FAIL("%llu pages not given back",
			       (unsigned long long)(before - pmm_free_pages()));
	return NULL;
}

KTEST(sched_sleep)
{
	u64 t0 = time_ns(), slept;

	sched_sleep_ns(50 * NSEC_PER_MSEC);
	slept = time_ns() - t0;
	if (slept < 50 * NSEC_PER_MSEC)
		return KT_FAIL("woke early after %llu ns", (unsigned long long)slept);
	if (slept > 200 * NSEC_PER_MSEC)
		return KT_FAIL("slept %llu ms for 50", (unsigned long long)(slept / NSEC_PER_MSEC));
	return NULL;
}
