/*
 * The scheduler: one run queue of runnable tasks under rq_lock, picked
 * round-robin. The running task is not on the queue. schedule() holds rq_lock
 * across the stack switch and the incoming task releases it
 * (sched_finish_switch), so no other CPU can pick a task whose registers are
 * still being saved.
 *
 * Lock order: rq_lock is innermost; it is taken with interrupts off.
 */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "core/panic.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "arch/trap.h"
/* mm_switch comes from mm/mm.h */
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "sched/sched.h"

static struct spinlock rq_lock = SPINLOCK_INIT("runqueue");
static LIST_HEAD(runqueue);       /* [rq_lock] */
static unsigned int nr_queued;    /* [rq_lock] */
static u64 nr_switches;           /* [rq_lock] */
static struct task *prev_task;    /* [rq_lock] the task being switched out (one CPU) */
static long next_tid = 1;
static struct task boot_task;     /* kmain becomes the first task, later idle */
static struct timer sched_timer;

void switch_stack(unsigned long *save_rsp, unsigned long new_rsp);
void kthread_trampoline(void);
void ret_from_fork(void);
void sched_finish_switch(void);

static void enqueue(struct task *t)
{
	if (!t->on_rq) {
		list_add_tail(&t->rq_link, &runqueue);
		t->on_rq = true;
		nr_queued++;
	}
}

static struct task *pick_next(void)
{
	struct task *t;

	if (list_empty(&runqueue))
		return this_cpu()->idle;
	t = list_first_entry(&runqueue, struct task, rq_link);
	list_del(&t->rq_link);
	t->on_rq = false;
	nr_queued--;
	return t;
}

static void free_task(struct task *t)
{
	if (t->fpu.area)
		fpu_state_free(&t->fpu);
	free_pages(virt_to_page(t->kstack), KSTACK_ORDER);
	kfree(t);
}

/* The user-visible machine state that is not on the kernel stack. */
static void switch_user_context(struct task *prev, struct task *next)
{
	if (prev->fpu.area) {
		fpu_save(&prev->fpu);
		prev->fs_base = rdmsr(MSR_FS_BASE);
	}
	if (next->fpu.area) {
		fpu_restore(&next->fpu);
		wrmsr(MSR_FS_BASE, next->fs_base);
	}
	if (prev->mm != next->mm && next != this_cpu()->idle)
		mm_switch(next->mm);
}

/* Runs on the incoming task's stack with rq_lock held; releases it. */
void sched_finish_switch(void)
{
	struct task *prev = prev_task;

	prev_task = NULL;
	if (prev)
		prev->on_cpu = false;
	spin_unlock(&rq_lock);
	irq_enable();
	if (prev && prev->state == TASK_DEAD && prev != &boot_task)
		free_task(prev);
}

void schedule(void)
{
	struct cpu_local *cpu = this_cpu();
	struct task *prev = cpu->current, *next;
	unsigned long flags = irq_save();
	u64 now = time_ns();

	spin_lock(&rq_lock);
	cpu->need_resched = false;
	if (prev->state == TASK_RUNNING && prev != cpu->idle)
		enqueue(prev);
	next = pick_next();
	if (next == prev) {
		spin_unlock(&rq_lock);
		irq_restore(flags);
		return;
	}
	prev->runtime_ns += now - prev->switched_in_ns;
	next->switched_in_ns = now;
	next->slice = SCHED_SLICE_TICKS;
	next->on_cpu = true;
	nr_switches++;
	prev_task = prev;
	cpu->current = next;
	cpu->kernel_rsp = (u64)next->kstack + KSTACK_SIZE;
	cpu->tss.rsp[0] = cpu->kernel_rsp;
	switch_user_context(prev, next);
	switch_stack(&prev->rsp, next->rsp);
	/* Back in prev, switched in by some later schedule(). */
	sched_finish_switch();
	irq_restore(flags);
}

void sched_yield(void)
{
	schedule();
}

bool wake_up_task(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&rq_lock);
	bool woke = false;

	if (t->state == TASK_INTERRUPTIBLE || t->state == TASK_UNINTERRUPTIBLE) {
		t->state = TASK_RUNNING;
		/* A task still on its CPU (between setting its state and
		 * schedule()) requeues itself there. */
		if (!t->on_cpu)
			enqueue(t);
		woke = true;
		if (this_cpu()->current == this_cpu()->idle)
			this_cpu()->need_resched = true;
	}
	spin_unlock_irqrestore(&rq_lock, flags);
	return woke;
}

static struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	struct page *stack;

	if (!t)
		return NULL;
	stack = alloc_pages(KSTACK_ORDER);
	if (!stack) {
		kfree(t);
		return NULL;
	}
	t->kstack = page_address(stack);
	t->tid = __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED);
	strlcpy(t->comm, name, sizeof(t->comm));
	return t;
}

/* The frame switch_stack pops: r15 r14 r13 r12 rbx rbp, then ret to entry. */
static void push_switch_frame(struct task *t, unsigned long *sp, void (*entry)(void),
			      unsigned long r12, unsigned long r13)
{
	*--sp = 0;                            /* alignment: entry sees rsp%16 == 8 */
	*--sp = (unsigned long)entry;
	*--sp = 0;                            /* rbp: ends backtraces */
	*--sp = 0;                            /* rbx */
	*--sp = r12;
	*--sp = r13;
	*--sp = 0;                            /* r14 */
	*--sp = 0;                            /* r15 */
	t->rsp = (unsigned long)sp;
}

void task_start(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&rq_lock);

	t->state = TASK_RUNNING;
	enqueue(t);
	spin_unlock_irqrestore(&rq_lock, flags);
}

struct task *kthread_create(const char *name, int (*fn)(void *), void *arg)
{
	struct task *t = task_alloc(name);

	if (!t)
		return ERR_PTR(-ENOMEM);
	/* The top of the stack stays free for a user trap frame: a kernel
	 * thread may become a process's first thread (init). */
	push_switch_frame(t, (unsigned long *)((char *)t->kstack + KSTACK_SIZE -
					       sizeof(struct trap_frame)),
			  kthread_trampoline, (unsigned long)fn, (unsigned long)arg);
	task_start(t);
	return t;
}

void task_exit_unstarted(struct task *t)
{
	free_task(t);
}

struct task *task_create_user(const char *name, const struct trap_frame *frame, u64 retval)
{
	struct task *t = task_alloc(name);
	struct trap_frame *tf;

	if (!t)
		return ERR_PTR(-ENOMEM);
	if (fpu_state_alloc(&t->fpu)) {
		free_task(t);
		return ERR_PTR(-ENOMEM);
	}
	tf = (struct trap_frame *)((char *)t->kstack + KSTACK_SIZE) - 1;
	*tf = *frame;
	tf->rax = retval;
	t->user_frame = tf;
	push_switch_frame(t, (unsigned long *)tf, ret_from_fork, (unsigned long)tf, 0);
	t->state = TASK_UNINTERRUPTIBLE; /* until task_start */
	return t;
}

__noreturn void task_exit(int code)
{
	struct task *t = current_task();

	t->exit_code = code;
	set_current_state(TASK_DEAD);
	schedule();
	panic("a dead task was scheduled");
}

static void sleep_timer_fn(struct timer *tm, void *arg)
{
	(void)tm;
	wake_up_task(arg);
}

void sched_sleep_ns(u64 ns)
{
	struct timer tm = { 0 };
	struct task *t = current_task();
	u64 deadline = time_ns() + ns;

	while (time_ns() < deadline) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		timer_add(&tm, deadline, 0, sleep_timer_fn, t);
		schedule();
		timer_cancel(&tm);
	}
	set_current_state(TASK_RUNNING);
}

void sched_tick(void)
{
	struct cpu_local *cpu = this_cpu();
	struct task *t = cpu->current;

	if (t == cpu->idle) {
		if (nr_queued)
			cpu->need_resched = true;
		return;
	}
	if (--t->slice <= 0 && nr_queued)
		cpu->need_resched = true;
}

static void sched_timer_fn(struct timer *tm, void *arg)
{
	(void)tm;
	(void)arg;
	sched_tick();
}

void sched_preempt_point(void)
{
	if (this_cpu()->need_resched)
		schedule();
}

u64 sched_context_switches(void)
{
	return nr_switches;
}

unsigned int sched_nr_running(void)
{
	return nr_queued + 1;
}

static int idle_loop(void *arg)
{
	(void)arg;
	for (;;) {
		irq_disable();
		if (nr_queued) {
			irq_enable();
			schedule();
			continue;
		}
		/* sti;hlt: no interrupt can slip in between the check and the halt. */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
	return 0;
}

int sched_init(void)
{
	struct cpu_local *cpu = this_cpu();
	struct task *idle;
	unsigned long flags;

	/* kmain goes on as a task of its own, on the boot stack. */
	boot_task.tid = 0;
	boot_task.state = TASK_RUNNING;
	boot_task.on_cpu = true;
	strlcpy(boot_task.comm, "kmain", sizeof(boot_task.comm));
	cpu->current = &boot_task;
	idle = kthread_create("idle", idle_loop, NULL);
	if (IS_ERR(idle))
		return (int)PTR_ERR(idle);
	/* The idle task runs only when the queue is empty, never from it. */
	flags = spin_lock_irqsave(&rq_lock);
	list_del(&idle->rq_link);
	idle->on_rq = false;
	nr_queued--;
	spin_unlock_irqrestore(&rq_lock, flags);
	cpu->idle = idle;
	timer_add(&sched_timer, time_ns() + NSEC_PER_SEC / timer_hz, NSEC_PER_SEC / timer_hz,
		  sched_timer_fn, NULL);
	return 0;
}

SUBSYSTEM(sched, DEPS("slab", "timer"), sched_init, true);
