/*
 * The process tree: pids, parents and children, process groups and
 * sessions, exit, zombies, wait, and reparenting of orphans to init.
 */
#include "arch/cpu.h"
#include "arch/uaccess.h"
#include "core/panic.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/tty.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "proc/process.h"
#include "proc/resources.h"

struct spinlock proc_tree_lock = SPINLOCK_INIT("process tree");
struct process *init_process;

static u64 pid_bitmap[PID_MAX / 64];          /* [proc_tree_lock] */
static int last_pid;                          /* [proc_tree_lock] */

static LIST_HEAD(all_processes); /* [proc_tree_lock] */

int proc_alloc_pid(void)
{
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);
	int pid = -EAGAIN;

	/* Linux hands out pids in increasing order and wraps (pid 1 is init). */
	for (int i = 1; i < PID_MAX; i++) {
		int cand = (last_pid + i) % PID_MAX;

		if (cand == 0)
			continue;
		if (!(pid_bitmap[cand / 64] & (1ULL << (cand % 64)))) {
			pid_bitmap[cand / 64] |= 1ULL << (cand % 64);
			last_pid = cand;
			pid = cand;
			break;
		}
	}
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return pid;
}

/* Caller holds proc_tree_lock. */
static void free_pid_locked(int pid)
{
	pid_bitmap[pid / 64] &= ~(1ULL << (pid % 64));
}

void proc_free_pid(int pid)
{
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);

	free_pid_locked(pid);
	spin_unlock_irqrestore(&proc_tree_lock, f);
}

struct process *proc_find(int pid)
{
	struct process *p;

	if (pid <= 0 || pid >= PID_MAX)
		return NULL;
	list_for_each_entry(p, &all_processes, sibling_all) {
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

struct process *proc_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p));
	int pid;

	if (!p)
		return ERR_PTR(-ENOMEM);
	pid = proc_alloc_pid();
	if (pid < 0) {
		kfree(p);
		return ERR_PTR(pid);
	}
	p->pid = pid;
	p->lock = (struct spinlock)SPINLOCK_INIT("process");
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->threads);
	list_init(&p->sibling_all);
	wait_queue_init(&p->child_wait);
	p->start_ns = time_ns();
	p->refcount = 1;
	return p;
}

void proc_free(struct process *p)
{
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);

	list_del(&p->sibling_all);
	free_pid_locked(p->pid);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	signal_state_put(p->signals);
	kfree(p);
}

void proc_add_thread(struct process *p, struct task *t)
{
	unsigned long f = spin_lock_irqsave(&p->lock);

	t->proc = p;
	list_add_tail(&t->thread_link, &p->threads);
	p->nr_threads++;
	spin_unlock_irqrestore(&p->lock, f);
}

void proc_link_child(struct process *parent, struct process *child)
{
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);

	child->parent = parent;
	if (parent) {
		list_add_tail(&child->sibling, &parent->children);
		child->pgid = parent->pgid;
		child->sid = parent->sid;
	}
	list_add_tail(&child->sibling_all, &all_processes);
	spin_unlock_irqrestore(&proc_tree_lock, f);
}

/* Children of a dying process go to init, which reaps them (caller holds the tree lock). */
static bool reparent_children(struct process *p)
{
	struct list_head *pos, *tmp;
	bool zombies = false;

	list_for_each_safe(pos, tmp, &p->children) {
		struct process *c = list_entry(pos, struct process, sibling);

		list_del(&c->sibling);
		c->parent = init_process;
		list_add_tail(&c->sibling, &init_process->children);
		zombies |= c->state == PROC_ZOMBIE;
	}
	return zombies;
}

static void notify_parent_exit(struct process *p)
{
	struct process *parent = p->parent;
	int st = p->exit_status;
	struct ksiginfo info = {
		.signo = SIGCHLD, .pid = p->pid, .uid = p->cred.uid,
		.code = (st & 0x7f) ? ((st & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED,
		.status = (st & 0x7f) ? (st & 0x7f) : ((st >> 8) & 0xff),
	};

	if (p->exit_signal) {
		info.signo = p->exit_signal;
		send_signal_process(parent, p->exit_signal, &info);
	}
	wake_up_all(&parent->child_wait);
}

/* A parent that ignores SIGCHLD or set SA_NOCLDWAIT leaves no zombies (wait(2)). */
static bool parent_autoreaps(struct process *p)
{
	const struct sigaction_k *a = &p->parent->signals->action[SIGCHLD - 1];

	return p->parent != init_process &&
	       (a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT));
}

static void release_process_resources(struct process *p)
{
	struct task *t = current_task();

	/* The address space goes first: nothing of the program runs again. */
	if (p->mm) {
		struct mm *mm = p->mm;
		unsigned long f = spin_lock_irqsave(&proc_tree_lock);

		/* /proc takes references under the tree lock. */
		p->mm = NULL;
		spin_unlock_irqrestore(&proc_tree_lock, f);
		t->mm = NULL;
		mm_switch(NULL);
		mm_put(mm);
	}
	proc_release_files(p);
}

__noreturn void proc_exit_thread(int wait_status)
{
	struct task *t = current_task();
	struct process *p = t->proc;
	unsigned long f;
	bool last, autoreap = false, wake_init = false;

	if (!p)
		task_exit(wait_status);
	if (t->clear_child_tid) {
		u32 zero = 0;

		/* set_tid_address(2): zero the tid word and wake a futex waiter. */
		copy_to_user((void __user *)t->clear_child_tid, &zero, sizeof(zero));
		proc_futex_wake_hook(t->clear_child_tid);
	}
	f = spin_lock_irqsave(&p->lock);
	list_del(&t->thread_link);
	last = --p->nr_threads == 0;
	/* CPU time is not split into user and system yet: all of it is user. */
	p->utime_ns += t->runtime_ns + (time_ns() - t->switched_in_ns);
	spin_unlock_irqrestore(&p->lock, f);
	if (!last) {
		task_signals_release(t);
		t->proc = NULL;
		t->mm = NULL;
		task_exit(wait_status);
	}
	if (p == init_process)
		panic("init exited with status %#x", p->group_exit ? p->exit_status : wait_status);

	timer_cancel(&p->itimer_real);
	if (p->mm)
		p->maxrss_kb = p->mm->resident_pages * (PAGE_SIZE / 1024);
	tty_session_leader_exit(p);
	release_process_resources(p);
	f = spin_lock_irqsave(&proc_tree_lock);
	if (!p->group_exit)
		p->exit_status = wait_status;
	wake_init = reparent_children(p);
	p->state = PROC_ZOMBIE;
	autoreap = parent_autoreaps(p);
	if (autoreap)
		list_del(&p->sibling);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	proc_vfork_release(p);
	if (wake_init)
		wake_up_all(&init_process->child_wait);
	if (autoreap) {
		wake_up_all(&p->parent->child_wait);
		t->proc = NULL;
		proc_free(p);
	} else {
		notify_parent_exit(p);
	}
	task_signals_release(t);
	task_exit(wait_status);
}

__noreturn void proc_exit_group(int wait_status)
{
	struct task *t = current_task(), *o;
	struct process *p = t->proc;
	struct ksiginfo kill = { .signo = SIGKILL, .code = SI_KERNEL };
	unsigned long f;

	f = spin_lock_irqsave(&proc_tree_lock);
	if (!p->group_exit) {
		p->group_exit = true;
		p->exit_status = wait_status;
	}
	spin_unlock_irqrestore(&proc_tree_lock, f);
	f = spin_lock_irqsave(&p->lock);
	list_for_each_entry(o, &p->threads, thread_link) {
		if (o != t)
			send_signal_thread(o, SIGKILL, &kill);
	}
	spin_unlock_irqrestore(&p->lock, f);
	proc_exit_thread(p->exit_status);
}

static bool wait_matches(struct process *c, int which, int id, int options)
{
	/* wait(2): a "clone child" (one that signals its parent with something
	 * other than SIGCHLD) is seen only with __WCLONE or __WALL. */
	bool clone_child = c->exit_signal != SIGCHLD;

	if (!(options & WAIT_ALL) && clone_child != !!(options & (int)WAIT_CLONE))
		return false;
	switch (which) {
	case WHICH_PID:
		return c->pid == id;
	case WHICH_PGID:
		return c->pgid == id;
	default:
		return true;
	}
}

/* Caller holds proc_tree_lock. 1: reported into out; 0: nothing to report. */
static int wait_check(struct process *c, int options, struct wait_result *out)
{
	int st = c->exit_status;

	out->pid = c->pid;
	out->uid = c->cred.uid;
	if (c->state == PROC_ZOMBIE && (options & WAIT_EXITED)) {
		out->status = st;
		if (st & 0x7f) {
			out->code = (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
			out->si_status = st & 0x7f;
		} else {
			out->code = CLD_EXITED;
			out->si_status = (st >> 8) & 0xff;
		}
		out->utime_ns = c->utime_ns + c->cutime_ns;
		out->stime_ns = c->stime_ns + c->cstime_ns;
		return 1;
	}
	if (c->state == PROC_ALIVE && c->stopped && !c->stop_reported && (options & WAIT_UNTRACED)) {
		out->status = (c->stop_signal << 8) | 0x7f;
		out->code = CLD_STOPPED;
		out->si_status = c->stop_signal;
		if (!(options & WAIT_NOWAIT))
			c->stop_reported = true;
		return 2;
	}
	if (c->state == PROC_ALIVE && !c->stopped && !c->continue_reported &&
	    c->stop_signal && (options & WAIT_CONTINUED)) {
		out->status = 0xffff;
		out->code = CLD_CONTINUED;
		out->si_status = SIGCONT;
		if (!(options & WAIT_NOWAIT))
			c->continue_reported = true;
		return 2;
	}
	return 0;
}

int proc_wait(int which, int id, int options, struct wait_result *out)
{
	struct process *self = current_process(), *c, *reap;
	struct waiter w = { 0 };
	int ret;

	for (;;) {
		unsigned long f;
		bool any = false;

		prepare_to_wait(&self->child_wait, &w, TASK_INTERRUPTIBLE);
		reap = NULL;
		ret = 0;
		f = spin_lock_irqsave(&proc_tree_lock);
		list_for_each_entry(c, &self->children, sibling) {
			int r;

			if (!wait_matches(c, which, id, options))
				continue;
			any = true;
			r = wait_check(c, options, out);
			if (r == 1 && !(options & WAIT_NOWAIT)) {
				list_del(&c->sibling);
				self->cutime_ns += out->utime_ns;
				self->cstime_ns += out->stime_ns;
				self->children_maxrss_kb = MAX(self->children_maxrss_kb,
							       MAX(c->maxrss_kb, c->children_maxrss_kb));
				reap = c;
			}
			if (r) {
				ret = c->pid;
				break;
			}
		}
		spin_unlock_irqrestore(&proc_tree_lock, f);
		if (!any && !ret) {
			ret = -ECHILD; /* wait(2): no child to wait for, even with WNOHANG */
			break;
		}
		if (ret || (options & WAIT_NOHANG))
			break;
		if (signal_pending(current_task())) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&self->child_wait, &w);
	if (reap)
		proc_free(reap);
	return ret;
}

int proc_getpgid(int pid)
{
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);
	struct process *p = pid ? proc_find(pid) : current_process();
	int ret = p ? p->pgid : -ESRCH;

	spin_unlock_irqrestore(&proc_tree_lock, f);
	return ret;
}

int proc_getsid(int pid)
{
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);
	struct process *p = pid ? proc_find(pid) : current_process();
	int ret = p ? p->sid : -ESRCH;

	spin_unlock_irqrestore(&proc_tree_lock, f);
	return ret;
}

/* setpgid(2): the rules on who may move whom where. */
int proc_setpgid(int pid, int pgid)
{
	struct process *self = current_process(), *p, *q;
	unsigned long f;
	int ret = 0;

	if (pgid < 0)
		return -EINVAL;
	f = spin_lock_irqsave(&proc_tree_lock);
	p = pid ? proc_find(pid) : self;
	if (!p || (p != self && p->parent != self)) {
		ret = -ESRCH;
		goto out_unlock;
	}
	if (!pgid)
		pgid = p->pid;
	if (p->sid == p->pid) {
		ret = -EPERM; /* a session leader */
		goto out_unlock;
	}
	if (p != self && p->sid != self->sid) {
		ret = -EPERM;
		goto out_unlock;
	}
	if (p != self && p->exec_done) {
		ret = -EACCES; /* the child has already called execve */
		goto out_unlock;
	}
	if (pgid != p->pid) {
		bool found = false;

		list_for_each_entry(q, &all_processes, sibling_all) {
			if (q->pgid == pgid && q->sid == p->sid && q->state == PROC_ALIVE) {
				found = true;
				break;
			}
		}
		if (!found) {
			ret = -EPERM;
			goto out_unlock;
		}
	}
	p->pgid = pgid;
out_unlock:
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return ret;
}

int proc_setsid(void)
{
	struct process *self = current_process(), *q;
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);
	int ret;

	/* setsid(2): EPERM if the caller already leads a process group. */
	list_for_each_entry(q, &all_processes, sibling_all) {
		if (q->pgid == self->pid && q->state == PROC_ALIVE) {
			ret = -EPERM;
			goto out_unlock;
		}
	}
	self->sid = self->pid;
	self->pgid = self->pid;
	self->tty = NULL;
	ret = self->sid;
out_unlock:
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return ret;
}

void exec_kill_other_threads(struct process *p)
{
	struct ksiginfo kill = { .signo = SIGKILL, .code = SI_KERNEL };
	struct task *self = current_task(), *o;
	unsigned long f;

	if (p->nr_threads == 1)
		return;
	p->exec_task = self;
	f = spin_lock_irqsave(&p->lock);
	list_for_each_entry(o, &p->threads, thread_link) {
		if (o != self)
			send_signal_thread(o, SIGKILL, &kill);
	}
	spin_unlock_irqrestore(&p->lock, f);
	while (__atomic_load_n(&p->nr_threads, __ATOMIC_ACQUIRE) > 1)
		sched_sleep_ns(NSEC_PER_MSEC);
	p->exec_task = NULL;
}

struct pgrp_signal {
	int pgrp, sig;
};

static void signal_if_in_group(struct process *p, void *arg)
{
	struct pgrp_signal *ps = arg;
	struct ksiginfo info = { .signo = ps->sig, .code = SI_KERNEL };

	if (p->pgid == ps->pgrp && p->state == PROC_ALIVE)
		send_signal_process(p, ps->sig, &info);
}

int proc_signal_pgrp(int pgrp, int sig)
{
	struct pgrp_signal ps = { pgrp, sig };
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);

	proc_for_each(signal_if_in_group, &ps);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return 0;
}

/* Visits every live process (proc_tree_lock held by the caller). */
void proc_for_each(void (*fn)(struct process *p, void *arg), void *arg)
{
	struct process *p;

	list_for_each_entry(p, &all_processes, sibling_all)
		fn(p, arg);
}

int proc_init(void)
{
	return 0;
}

SUBSYSTEM(process, DEPS("sched", "signals"), proc_init, true);
