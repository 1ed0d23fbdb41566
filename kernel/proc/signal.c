/*
 * Signals: sending, the pending sets, default actions, and delivery on the way
 * back to user mode. Building the handler's stack frame is ABI and belongs to
 * the Linux layer (signal_setup_frame); everything else is decided here.
 *
 * Locks: each process's signal_state lock guards its dispositions, its shared
 * pending set and the pending sets of its threads. Taken with irqsave, since
 * faults and (later) terminal interrupts send signals.
 */
#include "arch/syscall.h"
#include "arch/trap.h"
#include "core/panic.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "proc/process.h"
#include "proc/signal.h"

int (*signal_setup_frame)(struct trap_frame *tf, const struct ksiginfo *info,
			  const struct sigaction_k *act, sigset_k old_blocked);

#define SIG_DEFAULT_IGNORE (sigbit(SIGCHLD) | sigbit(SIGCONT) | sigbit(SIGURG) | sigbit(SIGWINCH))
#define SIG_DEFAULT_STOP (sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU))
#define SIG_SYNCHRONOUS (sigbit(SIGSEGV) | sigbit(SIGBUS) | sigbit(SIGILL) | sigbit(SIGFPE) | \
			 sigbit(SIGTRAP))

static inline bool valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

struct signal_state *signal_state_alloc(void)
{
	struct signal_state *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->lock = (struct spinlock)SPINLOCK_INIT("signals");
	s->refcount = 1;
	list_init(&s->shared_rt);
	return s;
}

struct signal_state *signal_state_copy(const struct signal_state *src)
{
	struct signal_state *s = signal_state_alloc();

	if (s)
		memcpy(s->action, src->action, sizeof(s->action));
	return s;
}

void signal_state_put(struct signal_state *s)
{
	unsigned long f;
	bool last;

	if (!s)
		return;
	f = spin_lock_irqsave(&s->lock);
	last = --s->refcount == 0;
	spin_unlock_irqrestore(&s->lock, f);
	if (last) {
		struct list_head *pos, *tmp;

		list_for_each_safe(pos, tmp, &s->shared_rt)
			kfree(list_entry(pos, struct sigqueue_entry, link));
		kfree(s);
	}
}

struct task_signals *task_signals_alloc(const struct task_signals *copy_from)
{
	struct task_signals *ts = kzalloc(sizeof(*ts));

	if (ts)
		list_init(&ts->rt);
	if (ts && copy_from) {
		/* fork/clone: the mask and the alternate stack are inherited,
		 * pending signals are not (signal(7)). */
		ts->blocked = copy_from->blocked;
		ts->altstack_sp = copy_from->altstack_sp;
		ts->altstack_size = copy_from->altstack_size;
		ts->altstack_flags = copy_from->altstack_flags;
	}
	return ts;
}

void signal_reset_on_exec(struct signal_state *s)
{
	unsigned long f = spin_lock_irqsave(&s->lock);

	/* execve(2): handled signals go back to the default; ignored stay ignored. */
	for (int i = 0; i < NSIG; i++) {
		if (s->action[i].handler != SIG_IGN)
			s->action[i].handler = SIG_DFL;
		s->action[i].flags = 0;
		s->action[i].mask = 0;
		s->action[i].restorer = 0;
	}
	spin_unlock_irqrestore(&s->lock, f);
}

bool signal_pending(struct task *t)
{
	struct process *p = t->proc;

	if (!p || !t->sig)
		return false;
	return ((t->sig->pending | p->signals->shared_pending) & ~t->sig->blocked) != 0;
}

sigset_k signal_pending_set(struct task *t)
{
	struct process *p = t->proc;

	return p ? (t->sig->pending | p->signals->shared_pending) : 0;
}

/* Wakes t if it sleeps interruptibly (or is stopped, for SIGKILL/SIGCONT). */
static void signal_wake(struct task *t, bool fatal)
{
	if (t->state == TASK_INTERRUPTIBLE || (fatal && t->state == TASK_UNINTERRUPTIBLE &&
					       t->proc && t->proc->stopped))
		wake_up_task(t);
}

/* Called with the signal_state lock held: side effects of SIGCONT/stop signals. */
static void prepare_signal(struct process *p, int sig)
{
	struct task *t;

	if (sig == SIGCONT || sig == SIGKILL) {
		p->signals->shared_pending &= ~SIG_DEFAULT_STOP;
		list_for_each_entry(t, &p->threads, thread_link)
			t->sig->pending &= ~SIG_DEFAULT_STOP;
		if (p->stopped) {
			p->stopped = false;
			p->continue_reported = false;
			list_for_each_entry(t, &p->threads, thread_link)
				wake_up_task(t);
		}
	} else if (sigbit(sig) & SIG_DEFAULT_STOP) {
		p->signals->shared_pending &= ~sigbit(SIGCONT);
		list_for_each_entry(t, &p->threads, thread_link)
			t->sig->pending &= ~sigbit(SIGCONT);
	}
}

static bool ignored(struct process *p, int sig)
{
	const struct sigaction_k *a = &p->signals->action[sig - 1];

	if (a->handler == SIG_IGN)
		return true;
	return a->handler == SIG_DFL && (sigbit(sig) & SIG_DEFAULT_IGNORE) && sig != SIGCONT;
}

/* Queue one instance of a real-time signal (caller holds the lock). */
static void rt_enqueue(struct signal_state *s, struct list_head *q, const struct ksiginfo *info)
{
	struct sigqueue_entry *e;

	if (s->rt_queued >= RT_QUEUE_MAX)
		return; /* sigqueue(3): EAGAIN territory; the pending bit still says one came */
	e = kmalloc(sizeof(*e));
	if (!e)
		return;
	e->info = *info;
	list_add_tail(&e->link, q);
	s->rt_queued++;
}

/* Take the first queued instance of sig; true if more of it remain. */
static bool rt_dequeue(struct signal_state *s, struct list_head *q, int sig,
		       struct ksiginfo *info)
{
	struct sigqueue_entry *e, *found = NULL;
	bool more = false;

	list_for_each_entry(e, q, link) {
		if (e->info.signo != sig)
			continue;
		if (found) {
			more = true;
			break;
		}
		found = e;
	}
	if (found) {
		*info = found->info;
		list_del(&found->link);
		kfree(found);
		s->rt_queued--;
	}
	return more;
}

static void rt_discard(struct signal_state *s, struct list_head *q, int sig)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, q) {
		struct sigqueue_entry *e = list_entry(pos, struct sigqueue_entry, link);

		if (e->info.signo == sig) {
			list_del(&e->link);
			kfree(e);
			s->rt_queued--;
		}
	}
}

void task_signals_release(struct task *t)
{
	struct task_signals *ts = t->sig;
	struct signal_state *s = t->proc ? t->proc->signals : NULL;
	struct list_head *pos, *tmp;
	unsigned long f = 0;

	if (!ts)
		return;
	if (s)
		f = spin_lock_irqsave(&s->lock);
	t->sig = NULL;
	list_for_each_safe(pos, tmp, &ts->rt) {
		kfree(list_entry(pos, struct sigqueue_entry, link));
		if (s)
			s->rt_queued--;
	}
	if (s)
		spin_unlock_irqrestore(&s->lock, f);
	kfree(ts);
}

static int queue_signal(struct process *p, struct task *target, int sig,
			const struct ksiginfo *info)
{
	struct signal_state *s = p->signals;
	unsigned long f;
	struct task *t;

	if (!valid_signal(sig))
		return -EINVAL;
	f = spin_lock_irqsave(&s->lock);
	prepare_signal(p, sig);
	/* An ignored signal is dropped at once (but SIGCONT still continued). */
	if (ignored(p, sig) && !(target && (sigbit(sig) & SIG_SYNCHRONOUS))) {
		spin_unlock_irqrestore(&s->lock, f);
		return 0;
	}
	if (target) {
		if (!target->sig) /* the thread is on its way out */
			goto out_unlock;
		if (sig >= SIGRTMIN_K)
			rt_enqueue(s, &target->sig->rt, info);
		else if (!(target->sig->pending & sigbit(sig)))
			target->sig->info[sig - 1] = *info;
		target->sig->pending |= sigbit(sig);
		signal_wake(target, sig == SIGKILL);
	} else {
		if (sig >= SIGRTMIN_K)
			rt_enqueue(s, &s->shared_rt, info);
		else if (!(s->shared_pending & sigbit(sig)))
			s->shared_info[sig - 1] = *info;
		s->shared_pending |= sigbit(sig);
		/* Wake a thread that can take it; all of them for SIGKILL. */
		list_for_each_entry(t, &p->threads, thread_link) {
			if (sig == SIGKILL || !(t->sig->blocked & sigbit(sig))) {
				signal_wake(t, sig == SIGKILL);
				if (sig != SIGKILL)
					break;
			}
		}
	}
out_unlock:
	spin_unlock_irqrestore(&s->lock, f);
	return 0;
}

int send_signal_process(struct process *p, int sig, const struct ksiginfo *info)
{
	if (p->state != PROC_ALIVE)
		return 0;
	return queue_signal(p, NULL, sig, info);
}

int send_signal_thread(struct task *t, int sig, const struct ksiginfo *info)
{
	if (!t->proc || t->state == TASK_DEAD)
		return -ESRCH;
	return queue_signal(t->proc, t, sig, info);
}

void force_sig_fault(int signo, int si_code, unsigned long addr)
{
	struct task *t = current_task();
	struct process *p = t->proc;
	struct ksiginfo info = { .signo = signo, .code = si_code, .addr = addr };
	unsigned long f;

	if (!p)
		panic("fault signal %d in a kernel thread", signo);
	/* A fault signal that is blocked or ignored cannot be taken: the
	 * process dies of it (as Linux's force_sig_fault does). */
	f = spin_lock_irqsave(&p->signals->lock);
	if ((t->sig->blocked & sigbit(signo)) || p->signals->action[signo - 1].handler == SIG_IGN) {
		t->sig->blocked &= ~sigbit(signo);
		p->signals->action[signo - 1].handler = SIG_DFL;
	}
	spin_unlock_irqrestore(&p->signals->lock, f);
	send_signal_thread(t, signo, &info);
}

int signal_set_action(int sig, const struct sigaction_k *act, struct sigaction_k *old)
{
	struct process *p = current_process();
	struct signal_state *s = p->signals;
	unsigned long f;
	struct task *t;

	if (!valid_signal(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	f = spin_lock_irqsave(&s->lock);
	if (old)
		*old = s->action[sig - 1];
	if (act) {
		s->action[sig - 1] = *act;
		s->action[sig - 1].mask &= ~SIG_UNBLOCKABLE;
		/* POSIX: setting a pending signal to ignored discards it. */
		if (ignored(p, sig)) {
			s->shared_pending &= ~sigbit(sig);
			rt_discard(s, &s->shared_rt, sig);
			list_for_each_entry(t, &p->threads, thread_link) {
				t->sig->pending &= ~sigbit(sig);
				rt_discard(s, &t->sig->rt, sig);
			}
		}
	}
	spin_unlock_irqrestore(&s->lock, f);
	return 0;
}

void signal_set_blocked(sigset_k mask)
{
	struct task *t = current_task();
	unsigned long f = spin_lock_irqsave(&t->proc->signals->lock);

	t->sig->blocked = mask & ~SIG_UNBLOCKABLE;
	spin_unlock_irqrestore(&t->proc->signals->lock, f);
}

/* Takes the lowest signal of allowed, thread-directed first, synchronous
 * faults before all. Caller holds the signal_state lock. */
static int take_signal(struct task *t, sigset_k allowed, struct ksiginfo *info)
{
	struct signal_state *s = t->proc->signals;
	sigset_k mine = t->sig->pending & allowed;
	sigset_k shared = s->shared_pending & allowed;
	sigset_k pick;
	int sig = 0;

	pick = mine & SIG_SYNCHRONOUS ? mine & SIG_SYNCHRONOUS : mine;
	*info = (struct ksiginfo){ .code = SI_USER };
	if (pick) {
		sig = __builtin_ctzll(pick) + 1;
		info->signo = sig;
		if (sig < SIGRTMIN_K || !rt_dequeue(s, &t->sig->rt, sig, info))
			t->sig->pending &= ~sigbit(sig);
		if (sig < SIGRTMIN_K)
			*info = t->sig->info[sig - 1];
	} else if (shared) {
		sig = __builtin_ctzll(shared) + 1;
		info->signo = sig;
		if (sig < SIGRTMIN_K || !rt_dequeue(s, &s->shared_rt, sig, info))
			s->shared_pending &= ~sigbit(sig);
		if (sig < SIGRTMIN_K)
			*info = s->shared_info[sig - 1];
	}
	return sig;
}

/* Takes the lowest deliverable signal, synchronous faults first. */
static int dequeue_signal(struct task *t, struct ksiginfo *info, struct sigaction_k *act)
{
	struct process *p = t->proc;
	struct signal_state *s = p->signals;
	unsigned long f = spin_lock_irqsave(&s->lock);
	int sig = take_signal(t, ~t->sig->blocked, info);

	if (sig) {
		*act = s->action[sig - 1];
		if (act->handler > SIG_IGN && (act->flags & SA_RESETHAND)) {
			s->action[sig - 1].handler = SIG_DFL;
			s->action[sig - 1].flags &= ~SA_SIGINFO;
		}
	}
	spin_unlock_irqrestore(&s->lock, f);
	return sig;
}

/* The parent learns of a stop or continue through SIGCHLD unless SA_NOCLDSTOP. */
static void notify_parent_stop(struct process *p, int why, int sig)
{
	struct process *parent = p->parent;
	struct ksiginfo info = { .signo = SIGCHLD, .code = why, .pid = p->pid,
				 .uid = p->cred.uid, .status = sig };

	if (!parent)
		return;
	if (!(parent->signals->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		send_signal_process(parent, SIGCHLD, &info);
	wake_up_all(&parent->child_wait);
}

static void do_stop(struct task *t, int sig)
{
	struct process *p = t->proc;
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);

	p->stopped = true;
	p->stop_signal = sig;
	p->stop_reported = false;
	spin_unlock_irqrestore(&proc_tree_lock, f);
	notify_parent_stop(p, CLD_STOPPED, sig);
	while (p->stopped && !(signal_pending_set(t) & sigbit(SIGKILL))) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (!p->stopped)
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	if (!p->stopped)
		notify_parent_stop(p, CLD_CONTINUED, SIGCONT);
}

/* What a system call interrupted by a signal returns, or restarts. */
static void syscall_restart(struct trap_frame *tf, const struct sigaction_k *act)
{
	long ret = (long)tf->rax;

	if (tf->vector != SYSCALL_VECTOR)
		return;
	switch (ret) {
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		if (act) {
			tf->rax = (u64)-EINTR;
			return;
		}
		break;
	case -ERESTARTSYS:
		if (act && !(act->flags & SA_RESTART)) {
			tf->rax = (u64)-EINTR;
			return;
		}
		break;
	case -ERESTARTNOINTR:
		break;
	default:
		return;
	}
	tf->rax = tf->error_code; /* the original syscall number */
	tf->rip -= 2;             /* back over the syscall instruction */
}

static bool default_is_core(int sig)
{
	return sigbit(sig) & (sigbit(SIGQUIT) | sigbit(SIGILL) | sigbit(SIGTRAP) | sigbit(SIGABRT) |
			      sigbit(SIGBUS) | sigbit(SIGFPE) | sigbit(SIGSEGV) | sigbit(SIGXCPU) |
			      sigbit(SIGXFSZ) | sigbit(SIGSYS));
}

static void deliver_signals(struct trap_frame *tf)
{
	struct task *t = current_task();
	struct ksiginfo info;
	struct sigaction_k act;
	sigset_k old;
	int sig;

	if (!t->proc || !t->sig)
		return;
	while ((sig = dequeue_signal(t, &info, &act))) {
		if (act.handler == SIG_IGN)
			continue;
		if (act.handler == SIG_DFL) {
			if (sigbit(sig) & SIG_DEFAULT_IGNORE)
				continue;
			if (sigbit(sig) & SIG_DEFAULT_STOP) {
				/* POSIX: orphaned process groups ignore terminal stops;
				 * that check arrives with job control. */
				do_stop(t, sig);
				continue;
			}
			/* Terminate. Core files are not written, so the core flag
			 * stays clear, as on Linux with RLIMIT_CORE 0. */
			(void)default_is_core;
			if (t->proc->exec_task && t->proc->exec_task != t)
				proc_exit_thread(sig); /* execve is taking the process over */
			proc_exit_group(sig);
		}
		syscall_restart(tf, &act);
		old = t->sig->restore_saved_mask ? t->sig->saved_mask : t->sig->blocked;
		t->sig->restore_saved_mask = false;
		if (!signal_setup_frame || signal_setup_frame(tf, &info, &act, old)) {
			/* No usable stack for the frame: die of SIGSEGV (signal(7)). */
			proc_exit_group(SIGSEGV);
		}
		{
			sigset_k block = act.mask | ((act.flags & SA_NODEFER) ? 0 : sigbit(sig));

			signal_set_blocked(t->sig->blocked | block);
		}
		return;
	}
	syscall_restart(tf, NULL);
	if (t->sig->restore_saved_mask) {
		t->sig->restore_saved_mask = false;
		signal_set_blocked(t->sig->saved_mask);
	}
}

/* The file layer's waits (pipes, poll, terminals) end early for a signal. */
bool fs_wait_interrupted(void)
{
	struct task *t = current_task();

	return t->proc && signal_pending(t);
}

static void sleep_timer_wake(struct timer *tm, void *arg);

int signal_wait_for(sigset_k set, u64 deadline, struct ksiginfo *info)
{
	struct task *t = current_task();
	struct signal_state *s = t->proc->signals;
	sigset_k old = t->sig->blocked;
	struct timer tm = { 0 };
	unsigned long f;
	int sig;

	set &= ~SIG_UNBLOCKABLE;
	/* The awaited signals are unblocked while waiting so that their
	 * arrival wakes us (sigtimedwait(2)); they are taken here, not delivered. */
	f = spin_lock_irqsave(&s->lock);
	sig = take_signal(t, set, info);
	t->sig->blocked &= ~set;
	spin_unlock_irqrestore(&s->lock, f);
	while (!sig) {
		if (deadline && time_ns() >= deadline) {
			sig = -EAGAIN;
			break;
		}
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(t)) {
			set_current_state(TASK_RUNNING);
			f = spin_lock_irqsave(&s->lock);
			sig = take_signal(t, set, info);
			spin_unlock_irqrestore(&s->lock, f);
			if (!sig)
				sig = -EINTR; /* another signal: its handler runs on the way out */
			break;
		}
		if (deadline && deadline != ~0ULL)
			timer_add(&tm, deadline, 0, sleep_timer_wake, t);
		schedule();
		timer_cancel(&tm);
	}
	set_current_state(TASK_RUNNING);
	signal_set_blocked(old);
	return sig;
}

static void sleep_timer_wake(struct timer *tm, void *arg)
{
	(void)tm;
	wake_up_task(arg);
}

int signal_sleep_until(u64 deadline)
{
	struct task *t = current_task();
	struct timer tm = { 0 };
	int ret = 0;

	while (time_ns() < deadline) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(t)) {
			ret = -EINTR;
			break;
		}
		timer_add(&tm, deadline, 0, sleep_timer_wake, t);
		schedule();
		timer_cancel(&tm);
	}
	set_current_state(TASK_RUNNING);
	return ret;
}

#define FPE_FLTINV 7
#define TRAP_BRKPT 1
#define BUS_ADRALN 1

/* CPU exceptions from user mode, as signals (the mapping Linux uses). */
static void user_trap(struct trap_frame *tf)
{
	switch (tf->vector) {
	case VEC_DE:
		force_sig_fault(SIGFPE, FPE_INTDIV, tf->rip);
		break;
	case VEC_DB:
		force_sig_fault(SIGTRAP, TRAP_BRKPT, tf->rip);
		break;
	case VEC_BP:
		/* int3: Linux reports SI_KERNEL, not TRAP_BRKPT. */
		force_sig_fault(SIGTRAP, SI_KERNEL, 0);
		break;
	case VEC_UD:
		force_sig_fault(SIGILL, ILL_ILLOPN, tf->rip);
		break;
	case 16: /* x87 floating-point error */
	case 19: /* SIMD floating-point exception */
		force_sig_fault(SIGFPE, FPE_FLTINV, tf->rip);
		break;
	case 17: /* alignment check */
		force_sig_fault(SIGBUS, BUS_ADRALN, tf->rip);
		break;
	case 11: /* segment not present */
	case 12: /* stack segment */
		force_sig_fault(SIGBUS, SI_KERNEL, 0);
		break;
	default: /* #GP and the rest: SIGSEGV with SI_KERNEL, as Linux sends */
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
	}
}

static int signals_init(void)
{
	exit_to_user_signals = deliver_signals;
	user_trap_hook = user_trap;
	return 0;
}

SUBSYSTEM(signals, DEPS("sched"), signals_init, true);
