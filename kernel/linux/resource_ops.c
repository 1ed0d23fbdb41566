/* Resource limits and usage. */
#include "arch/uaccess.h"
#include "core/time.h"
#include "linux.h"
#include "mm/mm.h"
#include "proc/process.h"
#include "abi/resource.h"

/* prlimit64(2) core: read and/or set one limit of a process. */
static long do_prlimit(struct process *p, unsigned int res, const struct linux_rlimit *new,
		       struct linux_rlimit *old)
{
	struct rlimit_k *r;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	r = &p->rlimits[res];
	if (old) {
		old->rlim_cur = r->cur;
		old->rlim_max = r->max;
	}
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		/* Raising the hard limit needs privilege. */
		if (new->rlim_max > r->max && current_process()->cred.euid != 0)
			return -EPERM;
		if (res == RLIMIT_NOFILE && new->rlim_max > 1048576)
			return -EPERM; /* fs.nr_open */
		r->cur = new->rlim_cur;
		r->max = new->rlim_max;
		/* The address space enforces the memory limits itself. */
		if (p->mm && (res == RLIMIT_STACK || res == RLIMIT_AS || res == RLIMIT_DATA))
			mm_set_limits(p->mm, p->rlimits[RLIMIT_STACK].cur, p->rlimits[RLIMIT_AS].cur,
				      p->rlimits[RLIMIT_DATA].cur);
	}
	return 0;
}

SYSCALL_DEFINE(getrlimit)
{
	struct linux_rlimit old;
	long err = do_prlimit(current_process(), ARG(0, unsigned int), NULL, &old);

	if (err)
		return err;
	return copy_to_user(ARG(1, void __user *), &old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(setrlimit)
{
	struct linux_rlimit new;

	if (copy_from_user(&new, ARG(1, const void __user *), sizeof(new)))
		return -EFAULT;
	return do_prlimit(current_process(), ARG(0, unsigned int), &new, NULL);
}

SYSCALL_DEFINE(prlimit64)
{
	int pid = ARG(0, int);
	const struct linux_rlimit __user *unew = ARG(2, const struct linux_rlimit __user *);
	struct linux_rlimit __user *uold = ARG(3, struct linux_rlimit __user *);
	struct linux_rlimit new, old;
	struct process *p;
	unsigned long f;
	long err;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	f = spin_lock_irqsave(&proc_tree_lock);
	p = pid ? proc_find(pid) : current_process();
	if (!p || p->state != PROC_ALIVE) {
		spin_unlock_irqrestore(&proc_tree_lock, f);
		return -ESRCH;
	}
	if (p != current_process() && current_process()->cred.euid != 0 &&
	    current_process()->cred.uid != p->cred.uid) {
		spin_unlock_irqrestore(&proc_tree_lock, f);
		return -EPERM;
	}
	err = do_prlimit(p, ARG(1, unsigned int), unew ? &new : NULL, &old);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	if (err)
		return err;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

#define LINUX_RUSAGE_SELF 0
#define LINUX_RUSAGE_CHILDREN (-1)
#define LINUX_RUSAGE_THREAD 1

SYSCALL_DEFINE(getrusage)
{
	struct process *p = current_process();
	struct linux_rusage ru = { 0 };
	u64 ns;

	switch (ARG(0, int)) {
	case LINUX_RUSAGE_SELF: {
		struct task *t;

		ns = p->utime_ns + p->stime_ns;
		list_for_each_entry(t, &p->threads, thread_link)
			ns += t->runtime_ns + (t == current_task() ? time_ns() - t->switched_in_ns : 0);
		break;
	}
	case LINUX_RUSAGE_CHILDREN:
		ns = p->cutime_ns + p->cstime_ns;
		break;
	case LINUX_RUSAGE_THREAD:
		ns = current_task()->runtime_ns;
		break;
	default:
		return -EINVAL;
	}
	/* CPU time is not yet split into user and system: all of it counts as user. */
	if (ARG(0, int) != LINUX_RUSAGE_CHILDREN && p->mm)
		ru.maxrss = (s64)(p->mm->resident_pages * (PAGE_SIZE / 1024));
	else
		ru.maxrss = (s64)(p->children_maxrss_kb);
	ru.utime_sec = (s64)(ns / NSEC_PER_SEC);
	ru.utime_usec = (s64)(ns % NSEC_PER_SEC / 1000);
	return copy_to_user(ARG(1, void __user *), &ru, sizeof(ru)) ? -EFAULT : 0;
}
