/*
 * Process system calls: identity, credentials, groups and sessions, exit and
 * wait. Thin: copy in, check, call the process subsystem, copy out.
 */
#include "arch/cpu.h"
#include "arch/uaccess.h"
#include "core/time.h"
#include "lib/string.h"
#include "linux.h"
#include "proc/process.h"

SYSCALL_DEFINE(getpid)
{
	return current_process()->pid;
}

SYSCALL_DEFINE(gettid)
{
	struct task *t = current_task();

	/* The main thread's tid is the pid. */
	return t == list_first_entry(&t->proc->threads, struct task, thread_link) ?
	       t->proc->pid : t->tid;
}

SYSCALL_DEFINE(getppid)
{
	struct process *p = current_process();

	return p->parent ? p->parent->pid : 0;
}

SYSCALL_DEFINE(getuid) { return current_process()->cred.uid; }
SYSCALL_DEFINE(geteuid) { return current_process()->cred.euid; }
SYSCALL_DEFINE(getgid) { return current_process()->cred.gid; }
SYSCALL_DEFINE(getegid) { return current_process()->cred.egid; }

static long put_three(u32 a, u32 b, u32 c, const struct syscall_args *args)
{
	if (copy_to_user(ARG(0, u32 __user *), &a, 4) || copy_to_user(ARG(1, u32 __user *), &b, 4) ||
	    copy_to_user(ARG(2, u32 __user *), &c, 4))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(getresuid)
{
	struct cred *c = &current_process()->cred;

	return put_three(c->uid, c->euid, c->suid, args);
}

SYSCALL_DEFINE(getresgid)
{
	struct cred *c = &current_process()->cred;

	return put_three(c->gid, c->egid, c->sgid, args);
}

#define KEEP ((u32)-1)

/*
 * setresuid(2) semantics are the core of every set*uid call: an unprivileged
 * caller may set each id only to one of its current real, effective or saved
 * ids. The filesystem id follows the effective id.
 */
static long set_res_ids(u32 *r, u32 *e, u32 *s, u32 *fs, u32 nr, u32 ne, u32 ns, bool priv)
{
	if (!priv) {
		u32 cur[3] = { *r, *e, *s };
		u32 want[3] = { nr, ne, ns };

		for (int i = 0; i < 3; i++) {
			if (want[i] != KEEP && want[i] != cur[0] && want[i] != cur[1] && want[i] != cur[2])
				return -EPERM;
		}
	}
	if (nr != KEEP)
		*r = nr;
	if (ne != KEEP)
		*e = ne;
	if (ns != KEEP)
		*s = ns;
	*fs = *e;
	return 0;
}

static bool cap_setuid(void)
{
	return current_process()->cred.euid == 0;
}

SYSCALL_DEFINE(setresuid)
{
	struct cred *c = &current_process()->cred;

	return set_res_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, ARG(0, u32), ARG(1, u32),
			   ARG(2, u32), cap_setuid());
}

SYSCALL_DEFINE(setresgid)
{
	struct cred *c = &current_process()->cred;

	return set_res_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, ARG(0, u32), ARG(1, u32),
			   ARG(2, u32), cap_setuid());
}

SYSCALL_DEFINE(setuid)
{
	struct cred *c = &current_process()->cred;
	u32 uid = ARG(0, u32);

	if (uid == KEEP)
		return -EINVAL;
	/* setuid(2): privileged callers set all three ids. */
	if (cap_setuid())
		return set_res_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, uid, uid, uid, true);
	if (uid != c->uid && uid != c->suid)
		return -EPERM;
	return set_res_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, KEEP, uid, KEEP, true);
}

SYSCALL_DEFINE(setgid)
{
	struct cred *c = &current_process()->cred;
	u32 gid = ARG(0, u32);

	if (gid == KEEP)
		return -EINVAL;
	if (cap_setuid())
		return set_res_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, gid, gid, gid, true);
	if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	return set_res_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, KEEP, gid, KEEP, true);
}

/* setreuid(2): the saved id becomes the new effective id when the real id is
 * set or the effective id changes to something other than the old real id. */
static long set_re_ids(u32 *r, u32 *e, u32 *s, u32 *fs, u32 nr, u32 ne)
{
	bool priv = cap_setuid();
	u32 old_r = *r, ns = KEEP;

	if (!priv) {
		if (nr != KEEP && nr != *r && nr != *e)
			return -EPERM;
		if (ne != KEEP && ne != *r && ne != *e && ne != *s)
			return -EPERM;
	}
	if (nr != KEEP || (ne != KEEP && ne != old_r))
		ns = ne != KEEP ? ne : *e;
	return set_res_ids(r, e, s, fs, nr, ne, ns, true);
}

SYSCALL_DEFINE(setreuid)
{
	struct cred *c = &current_process()->cred;

	return set_re_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, ARG(0, u32), ARG(1, u32));
}

SYSCALL_DEFINE(setregid)
{
	struct cred *c = &current_process()->cred;

	return set_re_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, ARG(0, u32), ARG(1, u32));
}

/* setfsuid(2) returns the previous value and changes it only when allowed. */
SYSCALL_DEFINE(setfsuid)
{
	struct cred *c = &current_process()->cred;
	u32 old = c->fsuid, id = ARG(0, u32);

	if (cap_setuid() || id == c->uid || id == c->euid || id == c->suid || id == c->fsuid)
		c->fsuid = id;
	return old;
}

SYSCALL_DEFINE(setfsgid)
{
	struct cred *c = &current_process()->cred;
	u32 old = c->fsgid, id = ARG(0, u32);

	if (cap_setuid() || id == c->gid || id == c->egid || id == c->sgid || id == c->fsgid)
		c->fsgid = id;
	return old;
}

SYSCALL_DEFINE(getgroups)
{
	struct cred *c = &current_process()->cred;
	int size = ARG(0, int);

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((unsigned int)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(ARG(1, u32 __user *), c->groups, c->ngroups * sizeof(u32)))
		return -EFAULT;
	return c->ngroups;
}

SYSCALL_DEFINE(setgroups)
{
	struct cred *c = &current_process()->cred;
	size_t n = ARG(0, size_t);
	u32 groups[CRED_GROUPS_INLINE];

	if (!cap_setuid())
		return -EPERM;
	if (n > NGROUPS_MAX)
		return -EINVAL;
	if (n > CRED_GROUPS_INLINE)
		return -ENOMEM; /* more groups than Sable keeps per process */
	if (n && copy_from_user(groups, ARG(1, const u32 __user *), n * sizeof(u32)))
		return -EFAULT;
	memcpy(c->groups, groups, n * sizeof(u32));
	c->ngroups = (unsigned int)n;
	return 0;
}

SYSCALL_DEFINE(getpgid) { return proc_getpgid(ARG(0, int)); }
SYSCALL_DEFINE(getpgrp) { return proc_getpgid(0); }
SYSCALL_DEFINE(setpgid) { return proc_setpgid(ARG(0, int), ARG(1, int)); }
SYSCALL_DEFINE(getsid) { return proc_getsid(ARG(0, int)); }
SYSCALL_DEFINE(setsid) { return proc_setsid(); }

SYSCALL_DEFINE(exit)
{
	proc_exit_thread((ARG(0, int) & 0xff) << 8);
}

SYSCALL_DEFINE(exit_group)
{
	proc_exit_group((ARG(0, int) & 0xff) << 8);
}

SYSCALL_DEFINE(set_tid_address)
{
	struct task *t = current_task();

	t->clear_child_tid = ARG(0, unsigned long);
	return sys_gettid(args);
}

struct linux_rusage {
	s64 ru_utime_sec, ru_utime_usec, ru_stime_sec, ru_stime_usec;
	s64 rest[14];
};

static void ns_to_timeval(u64 ns, s64 *sec, s64 *usec)
{
	*sec = (s64)(ns / NSEC_PER_SEC);
	*usec = (s64)(ns % NSEC_PER_SEC / 1000);
}

#define LINUX_WNOHANG 1
#define LINUX_WUNTRACED 2
#define LINUX_WSTOPPED 2
#define LINUX_WEXITED 4
#define LINUX_WCONTINUED 8
#define LINUX_WNOWAIT 0x01000000
#define LINUX_WALL 0x40000000
#define LINUX_WCLONE 0x80000000
#define LINUX_WNOTHREAD 0x20000000

SYSCALL_DEFINE(wait4)
{
	int pid = ARG(0, int), options = ARG(2, int);
	int __user *ustatus = ARG(1, int __user *);
	struct linux_rusage __user *uru = ARG(3, struct linux_rusage __user *);
	struct wait_result r = { 0 };
	int which, id, ret;

	if (options & ~(LINUX_WNOHANG | LINUX_WUNTRACED | LINUX_WCONTINUED | LINUX_WALL |
			LINUX_WCLONE | LINUX_WNOTHREAD))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0) {
		which = WHICH_PID;
		id = pid;
	} else if (pid == -1) {
		which = WHICH_ALL;
		id = 0;
	} else {
		which = WHICH_PGID;
		id = pid == 0 ? current_process()->pgid : -pid;
	}
	ret = proc_wait(which, id, WAIT_EXITED | (options & (LINUX_WNOHANG | LINUX_WUNTRACED |
							    LINUX_WCONTINUED | LINUX_WALL |
							    (int)LINUX_WCLONE)), &r);
	if (ret <= 0)
		return ret;
	if (ustatus && copy_to_user(ustatus, &r.status, sizeof(int)))
		return -EFAULT;
	if (uru) {
		struct linux_rusage ru = { 0 };

		ns_to_timeval(r.utime_ns, &ru.ru_utime_sec, &ru.ru_utime_usec);
		ns_to_timeval(r.stime_ns, &ru.ru_stime_sec, &ru.ru_stime_usec);
		if (copy_to_user(uru, &ru, sizeof(ru)))
			return -EFAULT;
	}
	return ret;
}

#define LINUX_P_ALL 0
#define LINUX_P_PID 1
#define LINUX_P_PGID 2

SYSCALL_DEFINE(waitid)
{
	int idtype = ARG(0, int), id = ARG(1, int), options = ARG(3, int);
	void __user *uinfo = ARG(2, void __user *);
	struct wait_result r = { 0 };
	int which, ret;

	if (options & ~(LINUX_WNOHANG | LINUX_WSTOPPED | LINUX_WEXITED | LINUX_WCONTINUED |
			LINUX_WNOWAIT | LINUX_WALL | LINUX_WCLONE | LINUX_WNOTHREAD))
		return -EINVAL;
	if (!(options & (LINUX_WSTOPPED | LINUX_WEXITED | LINUX_WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case LINUX_P_ALL:
		which = WHICH_ALL;
		break;
	case LINUX_P_PID:
		if (id <= 0)
			return -EINVAL;
		which = WHICH_PID;
		break;
	case LINUX_P_PGID:
		if (id < 0)
			return -EINVAL;
		which = WHICH_PGID;
		if (!id)
			id = current_process()->pgid;
		break;
	default:
		return -EINVAL;
	}
	ret = proc_wait(which, id, options & (LINUX_WNOHANG | LINUX_WSTOPPED | LINUX_WEXITED |
					      LINUX_WCONTINUED | LINUX_WNOWAIT | LINUX_WALL |
					      (int)LINUX_WCLONE), &r);
	if (ret < 0)
		return ret;
	if (uinfo) {
		/* siginfo_t for waitid(2): zeroed when WNOHANG found nothing. */
		s32 si[32] = { 0 };

		if (ret > 0) {
			si[0] = SIGCHLD;
			si[2] = r.code;
			si[4] = r.pid;
			si[5] = (s32)r.uid;
			si[6] = r.si_status;
		}
		if (copy_to_user(uinfo, si, sizeof(si)))
			return -EFAULT;
	}
	return 0;
}

#define LINUX_ARCH_SET_GS 0x1001
#define LINUX_ARCH_SET_FS 0x1002
#define LINUX_ARCH_GET_FS 0x1003
#define LINUX_ARCH_GET_GS 0x1004

static bool canonical_user(unsigned long a)
{
	return a < USER_END;
}

SYSCALL_DEFINE(arch_prctl)
{
	int code = ARG(0, int);
	unsigned long addr = ARG(1, unsigned long);
	struct task *t = current_task();

	switch (code) {
	case LINUX_ARCH_SET_FS:
		if (!canonical_user(addr))
			return -EPERM;
		t->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case LINUX_ARCH_GET_FS:
		t->fs_base = rdmsr(MSR_FS_BASE);
		return copy_to_user((void __user *)addr, &t->fs_base, sizeof(u64)) ? -EFAULT : 0;
	case LINUX_ARCH_SET_GS:
	case LINUX_ARCH_GET_GS:
		/* The user GS base is not kept yet. */
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE(sched_yield)
{
	sched_yield();
	return 0;
}
