/* futex(2) and the robust-list calls. */
#include "arch/uaccess.h"
#include "core/time.h"
#include "ipc/futex.h"
#include "linux.h"
#include "proc/process.h"

#define LINUX_FUTEX_WAIT 0
#define LINUX_FUTEX_WAKE 1
#define LINUX_FUTEX_REQUEUE 3
#define LINUX_FUTEX_CMP_REQUEUE 4
#define LINUX_FUTEX_WAIT_BITSET 9
#define LINUX_FUTEX_WAKE_BITSET 10
#define LINUX_FUTEX_PRIVATE_FLAG 128
#define LINUX_FUTEX_CLOCK_REALTIME 256
#define LINUX_FUTEX_CMD_MASK (~(LINUX_FUTEX_PRIVATE_FLAG | LINUX_FUTEX_CLOCK_REALTIME))

struct linux_timespec_fx {
	s64 tv_sec, tv_nsec;
};

/* The wait deadline on the time_ns clock: relative for FUTEX_WAIT, absolute
 * (monotonic, or realtime with FUTEX_CLOCK_REALTIME) for FUTEX_WAIT_BITSET. */
static long futex_deadline(const struct linux_timespec_fx __user *uts, bool absolute,
			   bool realtime, u64 *deadline)
{
	struct linux_timespec_fx ts;
	u64 ns, now;

	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	ns = MIN((u64)ts.tv_sec, 1ULL << 32) * NSEC_PER_SEC + (u64)ts.tv_nsec;
	now = time_ns();
	if (!absolute) {
		*deadline = now + ns;
	} else if (realtime) {
		u64 wall = time_wall_now_ns();

		*deadline = ns > wall ? now + (ns - wall) : now;
	} else {
		*deadline = ns;
	}
	if (!*deadline)
		*deadline = 1;
	return 0;
}

SYSCALL_DEFINE(futex)
{
	u32 __user *uaddr = ARG(0, u32 __user *);
	int op = ARG(1, int), cmd = op & LINUX_FUTEX_CMD_MASK;
	u32 val = ARG(2, u32), val3 = ARG(5, u32);
	bool shared = !(op & LINUX_FUTEX_PRIVATE_FLAG), realtime = op & LINUX_FUTEX_CLOCK_REALTIME;
	u64 deadline;
	long err;

	if (realtime && cmd != LINUX_FUTEX_WAIT && cmd != LINUX_FUTEX_WAIT_BITSET)
		return -ENOSYS; /* futex(2): CLOCK_REALTIME only for waits */
	switch (cmd) {
	case LINUX_FUTEX_WAIT:
	case LINUX_FUTEX_WAIT_BITSET:
		err = futex_deadline(ARG(3, const struct linux_timespec_fx __user *),
				     cmd == LINUX_FUTEX_WAIT_BITSET, realtime, &deadline);
		if (err)
			return err;
		err = futex_wait(uaddr, val, deadline,
				 cmd == LINUX_FUTEX_WAIT ? FUTEX_BITSET_ANY : val3, shared);
		/* A signal restarts the wait when its handler allows (futex(2)). */
		return err == -EINTR ? -ERESTARTSYS : err;
	case LINUX_FUTEX_WAKE:
	case LINUX_FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, (int)MIN(val, (u32)INT32_MAX),
				  cmd == LINUX_FUTEX_WAKE ? FUTEX_BITSET_ANY : val3, shared);
	case LINUX_FUTEX_REQUEUE:
	case LINUX_FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, (int)MIN(val, (u32)INT32_MAX), ARG(4, u32 __user *),
				     (int)MIN(ARG(3, u64), (u64)INT32_MAX),
				     cmd == LINUX_FUTEX_CMP_REQUEUE, val3, shared);
	default:
		/* WAKE_OP, the priority-inheritance and requeue-PI operations: not yet. */
		return -ENOSYS;
	}
}

/* struct robust_list_head is three words on x86_64. */
#define LINUX_ROBUST_LIST_HEAD_SIZE 24

SYSCALL_DEFINE(set_robust_list)
{
	struct task *t = current_task();

	if (ARG(1, size_t) != LINUX_ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	/* Kept for get_robust_list; walking it at thread exit comes later. */
	t->robust_list = ARG(0, unsigned long);
	t->robust_list_len = ARG(1, size_t);
	return 0;
}

SYSCALL_DEFINE(get_robust_list)
{
	int pid = ARG(0, int);
	struct task *t = current_task();
	u64 head;
	u64 len = LINUX_ROBUST_LIST_HEAD_SIZE;

	if (pid != 0 && pid != (int)t->tid && !(t->proc && pid == t->proc->pid))
		return -ESRCH; /* other threads' lists are not reachable yet */
	head = t->robust_list;
	if (copy_to_user(ARG(1, void __user *), &head, sizeof(head)) ||
	    copy_to_user(ARG(2, void __user *), &len, sizeof(len)))
		return -EFAULT;
	return 0;
}
