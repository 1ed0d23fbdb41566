/* fork, vfork, clone, execve. */
#include "arch/uaccess.h"
#include "lib/string.h"
#include "linux.h"
#include "mm/slab.h"
#include "proc/process.h"

#define LINUX_CLONE_SUPPORTED (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			       CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | \
			       CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
			       CLONE_DETACHED | CLONE_CHILD_SETTID | CLONE_CSIGNAL)

static long do_clone(u64 flags, unsigned long stack, unsigned long ptid, unsigned long ctid,
		     unsigned long tls, struct trap_frame *tf)
{
	struct clone_args_k ca = {
		.flags = flags & ~CLONE_CSIGNAL,
		.exit_signal = (int)(flags & CLONE_CSIGNAL),
		.stack = stack, .tls = tls, .parent_tid = ptid, .child_tid = ctid,
	};

	/* clone(2)'s rules on flag combinations. */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	if (ca.exit_signal > NSIG)
		return -EINVAL;
	if (flags & ~LINUX_CLONE_SUPPORTED)
		return -EINVAL; /* namespaces, ptrace, pidfds: not supported yet */
	if ((flags & CLONE_SETTLS) && tls >= USER_END)
		return -EPERM;
	return proc_clone(&ca, tf);
}

SYSCALL_DEFINE(fork)
{
	return do_clone(SIGCHLD, 0, 0, 0, 0, args->tf);
}

SYSCALL_DEFINE(vfork)
{
	return do_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, args->tf);
}

/* x86_64 argument order: flags, newsp, parent_tid, child_tid, tls. */
SYSCALL_DEFINE(clone)
{
	return do_clone(ARG(0, u64), ARG(1, unsigned long), ARG(2, unsigned long),
			ARG(3, unsigned long), ARG(4, unsigned long), args->tf);
}

#define MAX_ARG_STRLEN (32 * PAGE_SIZE)
#define MAX_ARG_STRINGS 0x7fffffff
#define ARG_TOTAL_MIN (32 * PAGE_SIZE)

/* Copies a NULL-terminated array of strings; E2BIG beyond the limits. */
static char **copy_strings(const char __user *const __user *uv, int *count, size_t *total,
			   size_t limit, char *s, long *err)
{
	char **v = NULL;
	int n = 0, cap = 0;

	*err = 0;
	for (;;) {
		u64 up;
		long len;

		if (!uv)
			break; /* Linux treats a NULL argv or envp as empty */
		if (copy_from_user(&up, &uv[n], sizeof(up))) {
			*err = -EFAULT;
			goto fail;
		}
		if (!up)
			break;
		if (n >= MAX_ARG_STRINGS - 1) {
			*err = -E2BIG;
			goto fail;
		}
		if (n + 1 >= cap) {
			char **nv;

			cap = cap ? cap * 2 : 16;
			nv = kzalloc(sizeof(char *) * (size_t)cap);
			if (!nv) {
				*err = -ENOMEM;
				goto fail;
			}
			if (v) {
				memcpy(nv, v, sizeof(char *) * (size_t)n);
				kfree(v);
			}
			v = nv;
		}
		len = strncpy_from_user(s, (const char __user *)up, MAX_ARG_STRLEN);
		if (len < 0) {
			*err = len == -ENAMETOOLONG ? -E2BIG : len;
			goto fail;
		}
		*total += (size_t)len + 1 + sizeof(void *);
		if (*total > limit) {
			*err = -E2BIG;
			goto fail;
		}
		/* Keep only what the string needs. */
		v[n] = kmalloc((size_t)len + 1);
		if (!v[n]) {
			*err = -ENOMEM;
			goto fail;
		}
		memcpy(v[n], s, (size_t)len + 1);
		n++;
		v[n] = NULL;
	}
	if (!v) {
		v = kzalloc(sizeof(char *));
		if (!v) {
			*err = -ENOMEM;
			return NULL;
		}
	}
	*count = n;
	return v;
fail:
	exec_args_free(v);
	return NULL;
}

SYSCALL_DEFINE(execve)
{
	struct process *p = current_process();
	size_t total = 0, limit;
	int argc = 0, envc = 0;
	char *path, **argv, **envp, *scratch;
	long err, len;

	/* execve(2): argument and environment space is a quarter of the stack limit. */
	limit = MAX((size_t)(p->rlimits[RLIMIT_STACK].cur / 4), (size_t)ARG_TOTAL_MIN);
	limit = MIN(limit, (size_t)(6UL << 20));
	path = kmalloc(4096);
	if (!path)
		return -ENOMEM;
	len = strncpy_from_user(path, ARG(0, const char __user *), 4096);
	if (len < 0) {
		kfree(path);
		return len;
	}
	if (len == 0) {
		kfree(path);
		return -ENOENT;
	}
	scratch = kmalloc(MAX_ARG_STRLEN);
	if (!scratch) {
		kfree(path);
		return -ENOMEM;
	}
	argv = copy_strings(ARG(1, const char __user *const __user *), &argc, &total, limit,
			    scratch, &err);
	envp = argv ? copy_strings(ARG(2, const char __user *const __user *), &envc, &total,
				   limit, scratch, &err) : NULL;
	kfree(scratch);
	if (!argv || !envp) {
		exec_args_free(argv);
		kfree(path);
		return err;
	}
	err = proc_execve(path, argv, argc, envp, envc, args->tf);
	kfree(path);
	return err;
}
