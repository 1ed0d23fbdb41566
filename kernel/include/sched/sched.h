/*
 * Tasks and the scheduler. A task is a thread of execution with its own
 * kernel stack; processes (later) own one or more tasks. One run queue under
 * one lock for now; tasks are picked round-robin with a time slice of a few
 * ticks. Preemption happens on the way back to user mode and in the idle
 * loop: kernel code runs until it blocks or yields (spinlocks do not count
 * preemption, so preempting kernel code could spin a CPU on a lock held by
 * the task it preempted).
 */
#ifndef SABLE_SCHED_SCHED_H
#define SABLE_SCHED_SCHED_H

#include "arch/fpu.h"
#include "arch/percpu.h"
#include "lib/list.h"
#include "lib/types.h"

enum task_state {
	TASK_RUNNING,         /* running or on the run queue */
	TASK_INTERRUPTIBLE,   /* sleeping; a signal wakes it */
	TASK_UNINTERRUPTIBLE, /* sleeping; only its event wakes it */
	TASK_DEAD,            /* finished; its stack is freed by the reaper */
};

#define KSTACK_ORDER 2
#define KSTACK_SIZE (PAGE_SIZE << KSTACK_ORDER)
#define TASK_COMM_LEN 16
#define SCHED_SLICE_TICKS 3

struct task {
	unsigned long rsp;            /* saved kernel rsp while switched out */
	void *kstack;                 /* base of the kernel stack */
	long tid;
	volatile enum task_state state; /* [rq lock] for transitions to RUNNING */
	bool on_rq;                   /* [rq lock] queued to run */
	bool on_cpu;                  /* [rq lock] running on some CPU */
	int slice;                    /* ticks left in its time slice */
	u64 runtime_ns;               /* CPU time consumed */
	u64 switched_in_ns;
	struct list_head rq_link;     /* [rq lock] */
	struct list_head all_link;    /* [tasks lock] */
	int exit_code;
	char comm[TASK_COMM_LEN];

	/* User context; unused by kernel threads. */
	struct process *proc;         /* owning process, NULL for kernel threads */
	struct mm *mm;                /* address space, NULL: kernel_pml4 */
	struct fpu_state fpu;         /* saved while switched out */
	u64 fs_base;                  /* saved while switched out */
	struct trap_frame *user_frame; /* registers of the interrupted user code */
	struct list_head thread_link; /* [process lock] in proc->threads */
	struct task_signals *sig;     /* per-thread signal state */
	unsigned long set_child_tid, clear_child_tid; /* user addresses */
	unsigned long robust_list;
	size_t robust_list_len;
	u64 utime_ns, stime_ns;
};

static inline struct task *current_task(void)
{
	struct task *t;

	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(t) : "i"(PERCPU_CURRENT));
	return t;
}

struct process;
struct mm;
struct task_signals;
struct trap_frame;

int sched_init(void);
/*
 * A user thread: its kernel stack gets a copy of frame (with rax set to
 * retval) and it starts by returning to user mode through it. Queued to run.
 */
struct task *task_create_user(const char *name, const struct trap_frame *frame, u64 retval);
/* Frees a task made by task_create_user that never ran. */
void task_exit_unstarted(struct task *t);
/* Makes a task runnable (after the caller finished setting it up). */
void task_start(struct task *t);
/* A kernel thread running fn(arg); it is queued to run. ERR_PTR on failure. */
struct task *kthread_create(const char *name, int (*fn)(void *), void *arg);
/* Ends the calling task. */
__noreturn void task_exit(int code);
/* Gives up the CPU; the caller stays runnable unless it set another state. */
void schedule(void);
void sched_yield(void);
/* Makes a sleeping task runnable; returns whether it was asleep. */
bool wake_up_task(struct task *t);
/* Sleeps for ns nanoseconds (uninterruptible for now). */
void sched_sleep_ns(u64 ns);
/* Called on each timer tick (interrupts off). */
void sched_tick(void);
/* Called before returning to user mode and from the idle loop. */
void sched_preempt_point(void);
u64 sched_context_switches(void);
unsigned int sched_nr_running(void);

static inline void set_current_state(enum task_state s)
{
	__atomic_store_n(&current_task()->state, s, __ATOMIC_SEQ_CST);
}

#endif
