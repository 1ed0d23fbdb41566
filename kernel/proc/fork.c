/*
 * fork, vfork and clone: a new process (or a new thread of this one) that
 * starts by returning from the same system call with 0.
 */
#include "arch/trap.h"
#include "arch/uaccess.h"
#include "core/printk.h"
#include "fs/fdtable.h"
#include "ipc/futex.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "proc/process.h"

/* Copies or shares each resource by the clone flags. */
static int copy_resources(struct process *child, struct process *parent, u64 flags)
{
	child->cred = parent->cred;
	memcpy(child->rlimits, parent->rlimits, sizeof(child->rlimits));
	strlcpy(child->comm, parent->comm, sizeof(child->comm));
	strlcpy(child->exe, parent->exe, sizeof(child->exe));
	child->tty = parent->tty;
	child->mm = (flags & CLONE_VM) ? mm_get(parent->mm) : mm_fork(parent->mm);
	if (!child->mm || IS_ERR(child->mm))
		return -ENOMEM;
	child->files = (flags & CLONE_FILES) ? fd_table_get(parent->files) :
					       fd_table_clone(parent->files);
	if (!child->files || IS_ERR(child->files))
		return -ENOMEM;
	child->fs = (flags & CLONE_FS) ? fs_state_get(parent->fs) : fs_state_clone(parent->fs);
	if (!child->fs || IS_ERR(child->fs))
		return -ENOMEM;
	if (flags & CLONE_SIGHAND) {
		unsigned long f = spin_lock_irqsave(&parent->signals->lock);

		parent->signals->refcount++;
		spin_unlock_irqrestore(&parent->signals->lock, f);
		child->signals = parent->signals;
	} else {
		child->signals = signal_state_copy(parent->signals);
	}
	return child->signals ? 0 : -ENOMEM;
}

static void drop_resources(struct process *p)
{
	if (p->mm && !IS_ERR(p->mm))
		mm_put(p->mm);
	if (p->files && !IS_ERR(p->files))
		fd_table_put(p->files);
	if (p->fs && !IS_ERR(p->fs))
		fs_state_put(p->fs);
	p->mm = NULL;
	p->files = NULL;
	p->fs = NULL;
}

static struct task *new_thread(struct process *p, const struct clone_args_k *ca,
			       const struct trap_frame *tf)
{
	struct task *self = current_task();
	struct task *t = task_create_user(p->comm, tf, 0);

	if (IS_ERR(t))
		return t;
	t->sig = task_signals_alloc(self->sig);
	if (!t->sig) {
		task_exit_unstarted(t);
		return ERR_PTR(-ENOMEM);
	}
	/* The child starts with the parent's FPU registers and TLS. */
	fpu_save(&self->fpu);
	fpu_state_copy(&t->fpu, &self->fpu);
	t->fs_base = (ca->flags & CLONE_SETTLS) ? ca->tls : rdmsr(MSR_FS_BASE);
	t->mm = p->mm;
	if (ca->stack)
		t->user_frame->rsp = ca->stack;
	if (ca->flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ca->child_tid;
	return t;
}

struct nproc_count {
	u32 uid;
	u64 n;
};

static void count_user(struct process *p, void *arg)
{
	struct nproc_count *c = arg;

	if (p->state == PROC_ALIVE && p->cred.uid == c->uid)
		c->n++;
}

/* fork(2): EAGAIN when the real user already has RLIMIT_NPROC processes
 * (root is exempt, as with CAP_SYS_RESOURCE). */
static bool over_nproc_limit(struct process *parent)
{
	struct nproc_count c = { .uid = parent->cred.uid };
	unsigned long f;

	if (parent->cred.euid == 0 || parent->cred.uid == 0 ||
	    parent->rlimits[RLIMIT_NPROC].cur == RLIM_INFINITY)
		return false;
	f = spin_lock_irqsave(&proc_tree_lock);
	proc_for_each(count_user, &c);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	return c.n >= parent->rlimits[RLIMIT_NPROC].cur;
}

long proc_clone(const struct clone_args_k *ca, const struct trap_frame *tf)
{
	struct process *parent = current_process(), *p;
	u64 flags = ca->flags;
	struct task *t;
	long ret;
	int tid;

	if (flags & CLONE_THREAD) {
		p = parent;
		t = new_thread(p, ca, tf);
		if (IS_ERR(t))
			return PTR_ERR(t);
		tid = proc_alloc_pid();
		if (tid < 0) {
			task_exit_unstarted(t);
			return tid;
		}
		t->tid = tid;
	} else {
		if (over_nproc_limit(parent))
			return -EAGAIN;
		p = proc_alloc();
		if (IS_ERR(p))
			return PTR_ERR(p);
		ret = copy_resources(p, parent, flags);
		if (ret)
			goto out_free;
		p->exit_signal = ca->exit_signal;
		t = new_thread(p, ca, tf);
		if (IS_ERR(t)) {
			ret = PTR_ERR(t);
			goto out_free;
		}
		t->tid = p->pid;
		proc_link_child((flags & CLONE_PARENT) && parent->parent ? parent->parent : parent, p);
	}
	tid = (int)t->tid;
	/* A bad parent_tid address is ignored, as on Linux. */
	if (flags & CLONE_PARENT_SETTID)
		(void)copy_to_user((void __user *)ca->parent_tid, &tid, sizeof(tid));
	if (flags & CLONE_CHILD_SETTID) {
		/* Written in the child's address space (the same one for CLONE_VM). */
		mm_access(p->mm, ca->child_tid, &tid, sizeof(tid), MM_ACCESS_WRITE);
	}
	proc_add_thread(p, t);
	if (flags & CLONE_VFORK) {
		p->vfork_parent = current_task();
		p->vfork_done = false;
	}
	task_start(t);
	if (flags & CLONE_VFORK) {
		/* vfork(2): the parent sleeps until the child execs or exits. */
		while (!__atomic_load_n(&p->vfork_done, __ATOMIC_ACQUIRE)) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			if (__atomic_load_n(&p->vfork_done, __ATOMIC_ACQUIRE))
				break;
			schedule();
		}
		set_current_state(TASK_RUNNING);
	}
	return tid;

out_free:
	drop_resources(p);
	proc_free(p);
	return ret;
}

/* Called at exec and at exit: a vfork parent may run again. */
void proc_vfork_release(struct process *p)
{
	struct task *parent = p->vfork_parent;

	if (!parent)
		return;
	p->vfork_parent = NULL;
	__atomic_store_n(&p->vfork_done, true, __ATOMIC_RELEASE);
	wake_up_task(parent);
}

void proc_fs_context(struct fs_context *ctx)
{
	struct process *p = current_process();

	ctx->fs = p->fs;
	ctx->cred = &p->cred;
}

void proc_release_files(struct process *p)
{
	struct fd_table *files;
	struct fs_state *fs;
	unsigned long f = spin_lock_irqsave(&proc_tree_lock);

	/* /proc takes references under the tree lock: detach there, drop outside. */
	files = p->files;
	fs = p->fs;
	p->files = NULL;
	p->fs = NULL;
	spin_unlock_irqrestore(&proc_tree_lock, f);
	if (files)
		fd_table_put(files);
	if (fs)
		fs_state_put(fs);
}

void proc_futex_wake_hook(unsigned long uaddr)
{
	/* CLONE_CHILD_CLEARTID: pthread_join sleeps on this word. */
	futex_wake((u32 __user *)uaddr, 1, FUTEX_BITSET_ANY, true);
}
