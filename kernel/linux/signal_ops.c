/*
 * Signal system calls and the x86_64 signal frame. The native signal code
 * decides what to deliver; this file copies Linux structures in and out and
 * lays out the rt_sigframe exactly as Linux does, since glibc, musl and
 * debuggers read it.
 */
#include "abi/signal.h"
#include "arch/fpu.h"
#include "arch/percpu.h"
#include "arch/uaccess.h"
#include "core/time.h"
#include "lib/string.h"
#include "linux.h"
#include "proc/process.h"
#include "proc/signal.h"

#define RFLAGS_USER_CHANGEABLE 0x40dd5UL /* AC OF DF TF SF ZF AF PF CF */
#define LINUX_SIGSET_SIZE 8
#define MINSIGSTKSZ 2048

static bool on_altstack(const struct task_signals *s, unsigned long sp)
{
	return s->altstack_size && sp > s->altstack_sp && sp - s->altstack_sp <= s->altstack_size;
}

static void fill_siginfo(struct linux_siginfo *si, const struct ksiginfo *k)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = k->signo;
	si->si_code = k->code;
	switch (k->signo) {
	case SIGCHLD:
		si->u.sigchld.pid = k->pid;
		si->u.sigchld.uid = k->uid;
		si->u.sigchld.status = k->status;
		si->u.sigchld.utime = (s64)k->utime;
		si->u.sigchld.stime = (s64)k->stime;
		return;
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
		if (k->code > 0 && k->code < SI_KERNEL) {
			si->u.sigfault.addr = k->addr;
			return;
		}
		break;
	}
	si->u.rt.pid = k->pid;
	si->u.rt.uid = k->uid;
	si->u.rt.value = k->value;
}

/* Write the FPU state as Linux does: XSAVE image with the software bytes. */
static int save_fpu_to_user(struct task *t, unsigned long addr)
{
	struct linux_fpx_sw_bytes sw = {
		.magic1 = LINUX_FP_XSTATE_MAGIC1,
		.extended_size = (u32)fpu_state_size + 4,
		.xfeatures = fpu_xcr0,
		.xstate_size = (u32)fpu_state_size,
	};
	u32 magic2 = LINUX_FP_XSTATE_MAGIC2;

	fpu_save(&t->fpu);
	if (copy_to_user((void __user *)addr, t->fpu.area, fpu_state_size))
		return -EFAULT;
	if (!fpu_xcr0)
		return 0;
	if (copy_to_user((void __user *)(addr + 464), &sw, sizeof(sw)) ||
	    copy_to_user((void __user *)(addr + fpu_state_size), &magic2, sizeof(magic2)))
		return -EFAULT;
	return 0;
}

/* Read a user-supplied FPU image, made safe for XRSTOR/FXRSTOR. */
static int restore_fpu_from_user(struct task *t, unsigned long addr)
{
	u8 *a = t->fpu.area;

	if (!addr) {
		fpu_state_reset(&t->fpu);
	} else if (copy_from_user(a, (const void __user *)addr, fpu_state_size)) {
		return -EFAULT;
	}
	/* MXCSR reserved bits and a bad XSAVE header would fault in the kernel. */
	*(u32 *)(a + 24) &= 0xffff;
	memset(a + 464, 0, 48);
	if (fpu_xcr0) {
		*(u64 *)(a + 512) &= fpu_xcr0; /* XSTATE_BV */
		memset(a + 520, 0, 56);        /* XCOMP_BV and reserved */
	}
	fpu_restore(&t->fpu);
	return 0;
}

static int setup_rt_frame(struct trap_frame *tf, const struct ksiginfo *info,
			  const struct sigaction_k *act, sigset_k old)
{
	struct task *t = current_task();
	struct task_signals *s = t->sig;
	struct linux_rt_sigframe f;
	unsigned long sp = tf->rsp, fp, frame;

	if (!(act->flags & SA_RESTORER))
		return -EFAULT; /* x86_64 has no kernel-provided return trampoline */
	if ((act->flags & SA_ONSTACK) && s->altstack_size && !on_altstack(s, sp) &&
	    !(s->altstack_flags & SS_DISABLE))
		sp = s->altstack_sp + s->altstack_size;
	else
		sp -= 128; /* the red zone of the interrupted code */
	fp = ALIGN_DOWN(sp - (fpu_state_size + 4), 64);
	frame = ALIGN_DOWN(fp - sizeof(f), 16) - 8;

	memset(&f, 0, sizeof(f));
	f.pretcode = act->restorer;
	f.uc.uc_flags = (fpu_xcr0 ? LINUX_UC_FP_XSTATE : 0) | LINUX_UC_SIGCONTEXT_SS |
			LINUX_UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = s->altstack_sp;
	f.uc.uc_stack.ss_size = s->altstack_size;
	f.uc.uc_stack.ss_flags = !s->altstack_size ? SS_DISABLE :
				 on_altstack(s, tf->rsp) ? SS_ONSTACK : 0;
	f.uc.uc_mcontext = (struct linux_sigcontext){
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11,
		.r12 = tf->r12, .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15,
		.rdi = tf->rdi, .rsi = tf->rsi, .rbp = tf->rbp, .rbx = tf->rbx,
		.rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx, .rsp = tf->rsp,
		.rip = tf->rip, .eflags = tf->rflags, .cs = (u16)tf->cs, .ss = (u16)tf->ss,
		.oldmask = old, .fpstate = fp,
	};
	if (tf->vector < 32) {
		f.uc.uc_mcontext.trapno = tf->vector;
		f.uc.uc_mcontext.err = tf->error_code;
		f.uc.uc_mcontext.cr2 = info->addr;
	}
	f.uc.uc_sigmask = old;
	fill_siginfo(&f.info, info);

	if (save_fpu_to_user(t, fp) || copy_to_user((void __user *)frame, &f, sizeof(f)))
		return -EFAULT;

	tf->rdi = (u64)info->signo;
	tf->rsi = frame + offsetof(struct linux_rt_sigframe, info);
	tf->rdx = frame + offsetof(struct linux_rt_sigframe, uc);
	tf->rax = 0;
	tf->rip = act->handler;
	tf->rsp = frame;
	tf->rflags &= ~(RFLAGS_USER_CHANGEABLE & ((1UL << 8) | (1UL << 10))); /* TF, DF */
	tf->cs = SEL_USER_CS | 3;
	tf->ss = SEL_USER_DS | 3;
	/* The handler starts with a clean FPU (as on Linux). */
	fpu_state_reset(&t->fpu);
	fpu_restore(&t->fpu);
	return 0;
}

SYSCALL_DEFINE(rt_sigreturn)
{
	struct trap_frame *tf = args->tf;
	struct task *t = current_task();
	unsigned long frame = tf->rsp - 8; /* the handler's ret popped pretcode */
	struct linux_rt_sigframe f;
	const struct linux_sigcontext *m = &f.uc.uc_mcontext;

	if (copy_from_user(&f, (const void __user *)frame, sizeof(f)))
		goto bad;
	tf->r8 = m->r8; tf->r9 = m->r9; tf->r10 = m->r10; tf->r11 = m->r11;
	tf->r12 = m->r12; tf->r13 = m->r13; tf->r14 = m->r14; tf->r15 = m->r15;
	tf->rdi = m->rdi; tf->rsi = m->rsi; tf->rbp = m->rbp; tf->rbx = m->rbx;
	tf->rdx = m->rdx; tf->rcx = m->rcx; tf->rsp = m->rsp; tf->rip = m->rip;
	tf->rflags = (tf->rflags & ~RFLAGS_USER_CHANGEABLE) | (m->eflags & RFLAGS_USER_CHANGEABLE);
	tf->cs = SEL_USER_CS | 3;
	tf->ss = SEL_USER_DS | 3;
	tf->error_code = (u64)-1; /* not a restartable system call any more */
	signal_set_blocked(f.uc.uc_sigmask);
	if (restore_fpu_from_user(t, m->fpstate))
		goto bad;
	if (!(f.uc.uc_stack.ss_flags & SS_ONSTACK)) {
		/* restore_altstack: the handler may have changed it with sigaltstack. */
		t->sig->altstack_sp = f.uc.uc_stack.ss_sp;
		t->sig->altstack_size = f.uc.uc_stack.ss_size;
		t->sig->altstack_flags = f.uc.uc_stack.ss_flags & SS_DISABLE;
		if (t->sig->altstack_flags & SS_DISABLE)
			t->sig->altstack_size = 0;
	}
	return (long)m->rax;
bad:
	force_sig_fault(SIGSEGV, SI_KERNEL, 0);
	return 0;
}

SYSCALL_DEFINE(rt_sigaction)
{
	int sig = ARG(0, int);
	const struct linux_sigaction __user *uact = ARG(1, const struct linux_sigaction __user *);
	struct linux_sigaction __user *uold = ARG(2, struct linux_sigaction __user *);
	struct linux_sigaction la;
	struct sigaction_k act, old;
	int err;

	if (ARG(3, size_t) != LINUX_SIGSET_SIZE)
		return -EINVAL;
	if (uact) {
		if (copy_from_user(&la, uact, sizeof(la)))
			return -EFAULT;
		act.handler = la.sa_handler;
		act.flags = la.sa_flags;
		act.restorer = la.sa_restorer;
		act.mask = la.sa_mask;
	}
	err = signal_set_action(sig, uact ? &act : NULL, &old);
	if (err)
		return err;
	if (uold) {
		la.sa_handler = old.handler;
		la.sa_flags = old.flags;
		la.sa_restorer = old.restorer;
		la.sa_mask = old.mask;
		if (copy_to_user(uold, &la, sizeof(la)))
			return -EFAULT;
	}
	return 0;
}

#define LINUX_SIG_BLOCK 0
#define LINUX_SIG_UNBLOCK 1
#define LINUX_SIG_SETMASK 2

SYSCALL_DEFINE(rt_sigprocmask)
{
	int how = ARG(0, int);
	const u64 __user *uset = ARG(1, const u64 __user *);
	u64 __user *uold = ARG(2, u64 __user *);
	struct task *t = current_task();
	sigset_k set, old = t->sig->blocked;

	if (ARG(3, size_t) != LINUX_SIGSET_SIZE)
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case LINUX_SIG_BLOCK:
			set |= old;
			break;
		case LINUX_SIG_UNBLOCK:
			set = old & ~set;
			break;
		case LINUX_SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		signal_set_blocked(set);
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(rt_sigpending)
{
	struct task *t = current_task();
	sigset_k set = signal_pending_set(t) & t->sig->blocked;

	if (ARG(1, size_t) > LINUX_SIGSET_SIZE)
		return -EINVAL;
	if (copy_to_user(ARG(0, void __user *), &set, ARG(1, size_t)))
		return -EFAULT;
	return 0;
}

/* Sleeps until a signal arrives; -ERESTARTNOHAND becomes EINTR once a handler ran. */
static long sleep_until_signal(void)
{
	struct task *t = current_task();

	while (!signal_pending(t)) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(t))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE(rt_sigsuspend)
{
	struct task *t = current_task();
	sigset_k set;

	if (ARG(1, size_t) != LINUX_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, ARG(0, const void __user *), sizeof(set)))
		return -EFAULT;
	t->sig->saved_mask = t->sig->blocked;
	t->sig->restore_saved_mask = true;
	signal_set_blocked(set);
	sleep_until_signal();
	/* sigsuspend(2) always fails with EINTR, after the handler ran. */
	return -EINTR;
}

SYSCALL_DEFINE(pause)
{
	sleep_until_signal();
	return -EINTR;
}

SYSCALL_DEFINE(sigaltstack)
{
	const struct linux_stack_t __user *uss = ARG(0, const struct linux_stack_t __user *);
	struct linux_stack_t __user *uoss = ARG(1, struct linux_stack_t __user *);
	struct task *t = current_task();
	struct task_signals *s = t->sig;
	struct linux_stack_t ss, oss = {
		.ss_sp = s->altstack_sp,
		.ss_size = s->altstack_size,
		.ss_flags = !s->altstack_size ? SS_DISABLE :
			    on_altstack(s, args->tf->rsp) ? SS_ONSTACK : 0,
	};

	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on_altstack(s, args->tf->rsp))
			return -EPERM; /* cannot change the stack one runs on */
		if (ss.ss_flags & ~(SS_DISABLE | (1 << 31) /* SS_AUTODISARM */))
			return -EINVAL;
		if (ss.ss_flags & SS_DISABLE) {
			s->altstack_sp = 0;
			s->altstack_size = 0;
			s->altstack_flags = SS_DISABLE;
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			s->altstack_sp = ss.ss_sp;
			s->altstack_size = ss.ss_size;
			s->altstack_flags = 0;
		}
	}
	if (uoss && copy_to_user(uoss, &oss, sizeof(oss)))
		return -EFAULT;
	return 0;
}

static bool may_signal(const struct process *target)
{
	const struct cred *c = &current_process()->cred;

	/* kill(2): root, or a real or effective uid matching the target's real or saved uid. */
	return c->euid == 0 || c->uid == target->cred.uid || c->uid == target->cred.suid ||
	       c->euid == target->cred.uid || c->euid == target->cred.suid;
}

struct kill_ctx {
	int sig, pgid, sent, denied;
	bool all;
	struct ksiginfo info;
};

static void kill_one(struct process *p, void *arg)
{
	struct kill_ctx *k = arg;

	if (p->state != PROC_ALIVE || p == init_process)
		return;
	if (!k->all && p->pgid != k->pgid)
		return;
	if (k->all && p == current_process())
		return;
	if (!may_signal(p)) {
		k->denied++;
		return;
	}
	k->sent++;
	if (k->sig)
		send_signal_process(p, k->sig, &k->info);
}

SYSCALL_DEFINE(kill)
{
	int pid = ARG(0, int), sig = ARG(1, int);
	struct process *self = current_process(), *p;
	struct kill_ctx k = { .sig = sig };
	unsigned long f;
	int ret = 0;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	k.info = (struct ksiginfo){ .signo = sig, .code = SI_USER, .pid = self->pid,
				    .uid = self->cred.uid };
	f = spin_lock_irqsave(&proc_tree_lock);
	if (pid > 0) {
		p = proc_find(pid);
		/* A zombie still exists for kill(2); nothing is delivered to it. */
		if (!p)
			ret = -ESRCH;
		else if (!may_signal(p))
			ret = -EPERM;
		else if (sig && p->state == PROC_ALIVE)
			ret = send_signal_process(p, sig, &k.info);
	} else {
		if (pid == -1 && pid != INT32_MIN)
			k.all = true;
		else
			k.pgid = pid == 0 ? self->pgid : -pid;
		if (pid == INT32_MIN) {
			ret = -ESRCH;
		} else {
			/* kill(2) to a group also reaches the caller when it belongs to it. */
			if (!k.all && self->pgid == k.pgid && sig)
				k.sent++;
			proc_for_each(kill_one, &k);
			if (!k.all && self->pgid == k.pgid && sig) {
				send_signal_process(self, sig, &k.info);
			}
			ret = k.sent ? 0 : k.denied ? -EPERM : -ESRCH;
		}
	}
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return ret;
}

static long do_tkill(int tgid, int tid, int sig)
{
	struct process *self = current_process(), *p;
	struct ksiginfo info = { .signo = sig, .code = SI_TKILL, .pid = self->pid,
				 .uid = self->cred.uid };
	struct task *t, *found = NULL;
	unsigned long f;
	long ret;

	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	f = spin_lock_irqsave(&proc_tree_lock);
	/* Thread ids are pids of the main thread or tids of the others. */
	p = NULL;
	{
		struct process *cand = proc_find(tgid > 0 ? tgid : tid);

		if (cand && cand->state == PROC_ALIVE) {
			list_for_each_entry(t, &cand->threads, thread_link) {
				if (t->tid == tid || (t == list_first_entry(&cand->threads, struct task, thread_link) && cand->pid == tid)) {
					found = t;
					p = cand;
					break;
				}
			}
		}
	}
	if (!found || (tgid > 0 && p->pid != tgid))
		ret = -ESRCH;
	else if (!may_signal(p))
		ret = -EPERM;
	else
		ret = sig ? send_signal_thread(found, sig, &info) : 0;
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return ret;
}

SYSCALL_DEFINE(tgkill)
{
	if (ARG(0, int) <= 0)
		return -EINVAL;
	return do_tkill(ARG(0, int), ARG(1, int), ARG(2, int));
}

SYSCALL_DEFINE(tkill)
{
	return do_tkill(0, ARG(0, int), ARG(1, int));
}

void linux_signal_init(void)
{
	signal_setup_frame = setup_rt_frame;
}

/* rt_sigqueueinfo(2): the sender's siginfo, but a process may not pose as
 * the kernel (si_code >= 0) or tkill when signalling another process. */
static long queue_info_from_user(int target_pid, int sig, const struct linux_siginfo __user *uinfo,
				 struct ksiginfo *k)
{
	struct linux_siginfo si;

	if (copy_from_user(&si, uinfo, sizeof(si)))
		return -EFAULT;
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) && target_pid != current_process()->pid)
		return -EPERM;
	*k = (struct ksiginfo){
		.signo = sig, .code = si.si_code, .pid = si.u.rt.pid, .uid = si.u.rt.uid,
		.value = si.u.rt.value,
	};
	return 0;
}

SYSCALL_DEFINE(rt_sigqueueinfo)
{
	int pid = ARG(0, int), sig = ARG(1, int);
	struct ksiginfo k;
	struct process *p;
	unsigned long f;
	long err;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	err = queue_info_from_user(pid, sig, ARG(2, const struct linux_siginfo __user *), &k);
	if (err)
		return err;
	f = spin_lock_irqsave(&proc_tree_lock);
	p = proc_find(pid);
	if (!p || p->state != PROC_ALIVE)
		err = -ESRCH;
	else if (!may_signal(p))
		err = -EPERM;
	else if (sig)
		err = send_signal_process(p, sig, &k);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return err;
}

SYSCALL_DEFINE(rt_tgsigqueueinfo)
{
	int tgid = ARG(0, int), tid = ARG(1, int), sig = ARG(2, int);
	struct ksiginfo k;
	struct process *p;
	struct task *t, *found = NULL;
	unsigned long f;
	long err;

	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	err = queue_info_from_user(tgid, sig, ARG(3, const struct linux_siginfo __user *), &k);
	if (err)
		return err;
	f = spin_lock_irqsave(&proc_tree_lock);
	p = proc_find(tgid);
	if (p && p->state == PROC_ALIVE) {
		list_for_each_entry(t, &p->threads, thread_link) {
			if (t->tid == tid) {
				found = t;
				break;
			}
		}
	}
	if (!found)
		err = -ESRCH;
	else if (!may_signal(p))
		err = -EPERM;
	else if (sig)
		err = send_signal_thread(found, sig, &k);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return err;
}

struct linux_timespec_sig {
	s64 tv_sec, tv_nsec;
};

SYSCALL_DEFINE(rt_sigtimedwait)
{
	const u64 __user *uset = ARG(0, const u64 __user *);
	struct linux_siginfo __user *uinfo = ARG(1, struct linux_siginfo __user *);
	const struct linux_timespec_sig __user *uts = ARG(2, const struct linux_timespec_sig __user *);
	struct linux_timespec_sig ts;
	struct linux_siginfo si;
	struct ksiginfo k;
	u64 set, deadline = ~0ULL;
	int sig;

	if (ARG(3, size_t) != LINUX_SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = time_ns() + MIN((u64)ts.tv_sec, 1ULL << 32) * NSEC_PER_SEC + (u64)ts.tv_nsec;
		if (!deadline)
			deadline = 1;
	}
	sig = signal_wait_for(set, deadline, &k);
	if (sig < 0)
		return sig;
	if (uinfo) {
		fill_siginfo(&si, &k);
		if (copy_to_user(uinfo, &si, sizeof(si)))
			return -EFAULT;
	}
	return sig;
}
