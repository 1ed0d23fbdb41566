/* Time system calls: clocks, sleeps, times. */
#include "arch/uaccess.h"
#include "core/time.h"
#include "lib/string.h"
#include "linux.h"
#include "proc/process.h"
#include "abi/time.h"

#define LINUX_CLOCK_REALTIME 0
#define LINUX_CLOCK_MONOTONIC 1
#define LINUX_CLOCK_PROCESS_CPUTIME_ID 2
#define LINUX_CLOCK_THREAD_CPUTIME_ID 3
#define LINUX_CLOCK_MONOTONIC_RAW 4
#define LINUX_CLOCK_REALTIME_COARSE 5
#define LINUX_CLOCK_MONOTONIC_COARSE 6
#define LINUX_CLOCK_BOOTTIME 7
#define LINUX_TIMER_ABSTIME 1
#define USER_HZ 100

static u64 thread_cpu_ns(struct task *t)
{
	return t->runtime_ns + (time_ns() - t->switched_in_ns);
}

static u64 process_cpu_ns(struct process *p)
{
	struct task *t;
	u64 ns = p->utime_ns + p->stime_ns;

	list_for_each_entry(t, &p->threads, thread_link)
		ns += t == current_task() ? thread_cpu_ns(t) : t->runtime_ns;
	return ns;
}

/* 0 and the time, or -EINVAL for a clock Sable does not have. */
static int clock_read(int clock, u64 *ns)
{
	switch (clock) {
	case LINUX_CLOCK_REALTIME:
	case LINUX_CLOCK_REALTIME_COARSE:
		*ns = time_wall_now_ns();
		return 0;
	case LINUX_CLOCK_MONOTONIC:
	case LINUX_CLOCK_MONOTONIC_RAW:
	case LINUX_CLOCK_MONOTONIC_COARSE:
	case LINUX_CLOCK_BOOTTIME: /* no suspend: boot time is monotonic time */
		*ns = time_ns();
		return 0;
	case LINUX_CLOCK_PROCESS_CPUTIME_ID:
		*ns = process_cpu_ns(current_process());
		return 0;
	case LINUX_CLOCK_THREAD_CPUTIME_ID:
		*ns = thread_cpu_ns(current_task());
		return 0;
	default:
		return -EINVAL;
	}
}

static int put_timespec(struct linux_timespec __user *u, u64 ns)
{
	struct linux_timespec ts = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };

	return copy_to_user(u, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* A user timespec as nanoseconds; -EINVAL outside [0, 1e9) nanoseconds or negative. */
static int get_timespec(const struct linux_timespec __user *u, u64 *ns)
{
	struct linux_timespec ts;

	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec > (~0ULL - (u64)ts.tv_nsec) / NSEC_PER_SEC)
		*ns = ~0ULL; /* far future */
	else
		*ns = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

SYSCALL_DEFINE(clock_gettime)
{
	u64 ns;
	int err = clock_read(ARG(0, int), &ns);

	return err ? err : put_timespec(ARG(1, struct linux_timespec __user *), ns);
}

SYSCALL_DEFINE(clock_getres)
{
	u64 ns;
	int err = clock_read(ARG(0, int), &ns);
	struct linux_timespec __user *u = ARG(1, struct linux_timespec __user *);

	if (err)
		return err;
	return u ? put_timespec(u, 1) : 0;
}

SYSCALL_DEFINE(gettimeofday)
{
	struct linux_timeval __user *utv = ARG(0, struct linux_timeval __user *);
	u64 ns = time_wall_now_ns();
	struct linux_timeval tv = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC / 1000) };

	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (ARG(1, void __user *)) {
		u32 tz[2] = { 0, 0 }; /* struct timezone: UTC */

		if (copy_to_user(ARG(1, void __user *), tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(time)
{
	s64 t = (s64)(time_wall_now_ns() / NSEC_PER_SEC);
	s64 __user *u = ARG(0, s64 __user *);

	if (u && copy_to_user(u, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

static long sleep_until(u64 deadline, struct linux_timespec __user *rem)
{
	if (!signal_sleep_until(deadline))
		return 0;
	/* nanosleep(2): the rest of the time goes to rem; EINTR once a handler ran. */
	if (rem && put_timespec(rem, deadline - MIN(deadline, time_ns())))
		return -EFAULT;
	return -EINTR;
}

SYSCALL_DEFINE(nanosleep)
{
	u64 ns;
	int err = get_timespec(ARG(0, const struct linux_timespec __user *), &ns);

	if (err)
		return err;
	return sleep_until(time_ns() + MIN(ns, ~0ULL - time_ns()),
			   ARG(1, struct linux_timespec __user *));
}

SYSCALL_DEFINE(clock_nanosleep)
{
	int clock = ARG(0, int), flags = ARG(1, int);
	u64 ns, now;
	int err;

	if (clock == LINUX_CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	err = clock_read(clock, &now);
	if (err)
		return err;
	if (clock == LINUX_CLOCK_PROCESS_CPUTIME_ID)
		return -ENOTSUP; /* sleeping on CPU time is not supported yet */
	err = get_timespec(ARG(2, const struct linux_timespec __user *), &ns);
	if (err)
		return err;
	if (flags & LINUX_TIMER_ABSTIME) {
		/* Convert the absolute time on this clock into a monotonic deadline. */
		u64 mono = time_ns();

		if (ns <= now)
			return 0;
		return sleep_until(mono + (ns - now), NULL);
	}
	return sleep_until(time_ns() + MIN(ns, ~0ULL - time_ns()),
			   ARG(3, struct linux_timespec __user *));
}

SYSCALL_DEFINE(clock_settime)
{
	u64 ns;
	int err;

	switch (ARG(0, int)) {
	case LINUX_CLOCK_REALTIME:
		break;
	default:
		return -EINVAL; /* only the wall clock can be set */
	}
	err = get_timespec(ARG(1, const struct linux_timespec __user *), &ns);
	if (err)
		return err;
	if (current_process()->cred.euid != 0)
		return -EPERM;
	time_wall_set_ns(ns);
	return 0;
}

SYSCALL_DEFINE(settimeofday)
{
	const struct linux_timeval __user *utv = ARG(0, const struct linux_timeval __user *);
	struct linux_timeval tv;

	if (!utv)
		return 0; /* only a timezone: Sable keeps none */
	if (copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EINVAL;
	if (current_process()->cred.euid != 0)
		return -EPERM;
	time_wall_set_ns((u64)tv.tv_sec * NSEC_PER_SEC + (u64)tv.tv_usec * 1000);
	return 0;
}

/* ITIMER_REAL: SIGALRM to the process when the timer runs out. */
static void itimer_real_fire(struct timer *t, void *arg)
{
	struct process *p = arg;
	struct ksiginfo info = { .signo = SIGALRM, .code = SI_KERNEL };

	(void)t;
	send_signal_process(p, SIGALRM, &info);
}

#define LINUX_ITIMER_REAL 0
#define LINUX_ITIMER_VIRTUAL 1
#define LINUX_ITIMER_PROF 2

static u64 tv_to_ns(const struct linux_timeval *tv)
{
	return (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * 1000;
}

static struct linux_timeval ns_to_tv(u64 ns)
{
	return (struct linux_timeval){ (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC / 1000) };
}

/* The real timer now: time left (0: disarmed) and the interval. */
static void itimer_real_get(struct process *p, u64 *left, u64 *interval)
{
	u64 now = time_ns();

	*left = p->itimer_real.pending && p->itimer_real.expires_ns > now ?
		p->itimer_real.expires_ns - now : 0;
	/* A timer due but not yet run still counts as a sliver left. */
	if (p->itimer_real.pending && !*left)
		*left = 1000;
	*interval = p->itimer_real_interval;
}

static void itimer_real_set(struct process *p, u64 value, u64 interval)
{
	timer_cancel(&p->itimer_real);
	p->itimer_real_interval = interval;
	if (value)
		timer_add(&p->itimer_real, time_ns() + value, interval, itimer_real_fire, p);
}

SYSCALL_DEFINE(getitimer)
{
	struct process *p = current_process();
	struct linux_itimerval v = { 0 };
	u64 left, interval;

	switch (ARG(0, int)) {
	case LINUX_ITIMER_REAL:
		itimer_real_get(p, &left, &interval);
		v.it_value = ns_to_tv(left);
		v.it_interval = ns_to_tv(interval);
		break;
	case LINUX_ITIMER_VIRTUAL:
	case LINUX_ITIMER_PROF:
		break; /* CPU-time timers are never armed (setitimer refuses them) */
	default:
		return -EINVAL;
	}
	return copy_to_user(ARG(1, void __user *), &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(setitimer)
{
	struct process *p = current_process();
	const struct linux_itimerval __user *unew = ARG(1, const struct linux_itimerval __user *);
	struct linux_itimerval __user *uold = ARG(2, struct linux_itimerval __user *);
	struct linux_itimerval nv = { 0 }, ov = { 0 };
	u64 left, interval;

	if (ARG(0, int) != LINUX_ITIMER_REAL)
		return ARG(0, int) == LINUX_ITIMER_VIRTUAL || ARG(0, int) == LINUX_ITIMER_PROF ?
		       -ENOTSUP : -EINVAL; /* CPU-time timers are not implemented yet */
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (nv.it_value.tv_sec < 0 || nv.it_value.tv_usec < 0 || nv.it_value.tv_usec >= 1000000 ||
	    nv.it_interval.tv_sec < 0 || nv.it_interval.tv_usec < 0 ||
	    nv.it_interval.tv_usec >= 1000000)
		return -EINVAL;
	itimer_real_get(p, &left, &interval);
	ov.it_value = ns_to_tv(left);
	ov.it_interval = ns_to_tv(interval);
	itimer_real_set(p, tv_to_ns(&nv.it_value), tv_to_ns(&nv.it_interval));
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(alarm)
{
	struct process *p = current_process();
	unsigned int secs = ARG(0, unsigned int);
	u64 left, interval;

	itimer_real_get(p, &left, &interval);
	itimer_real_set(p, (u64)secs * NSEC_PER_SEC, 0);
	/* alarm(2): seconds left of the old alarm, rounded; 0 if none. */
	return (long)((left + NSEC_PER_SEC / 2) / NSEC_PER_SEC) ?: (left ? 1 : 0);
}

SYSCALL_DEFINE(times)
{
	struct process *p = current_process();
	struct linux_tms __user *u = ARG(0, struct linux_tms __user *);
	u64 tick = NSEC_PER_SEC / USER_HZ;
	struct linux_tms tms = {
		.utime = (s64)(process_cpu_ns(p) / tick),
		.stime = 0,
		.cutime = (s64)(p->cutime_ns / tick),
		.cstime = (s64)(p->cstime_ns / tick),
	};

	if (u && copy_to_user(u, &tms, sizeof(tms)))
		return -EFAULT;
	return (long)(time_ns() / tick);
}
