/* Clocks: clock_gettime for REALTIME, MONOTONIC, BOOTTIME, MONOTONIC_RAW,
 * the COARSE clocks, PROCESS_CPUTIME_ID and THREAD_CPUTIME_ID, both through
 * libc (which may use the vDSO) and the raw syscall; monotonic never goes
 * back; the CPU clocks advance with work; clock_getres; gettimeofday and
 * time agree with CLOCK_REALTIME; times() and getrusage(); errors (EINVAL
 * for bad clocks and "who", EFAULT). Built with musl and glibc. */
#include "t.h"
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>

static void burn(long ms)
{
	long long end = t_now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	volatile unsigned long x = 0;
	while (t_now_ns(CLOCK_MONOTONIC) < end)
		for (int i = 0; i < 10000; i++)
			x += i;
}

static void check_clock(const char *name, clockid_t c)
{
	struct timespec a, b, r;
	char n[64];

	snprintf(n, sizeof(n), "%s_gettime", name);
	CHECK_OK(n, clock_gettime(c, &a));
	snprintf(n, sizeof(n), "%s_nsec_in_range", name);
	CHECK(n, a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
	snprintf(n, sizeof(n), "%s_raw_syscall", name);
	CHECK_OK(n, syscall(SYS_clock_gettime, c, &b));
	snprintf(n, sizeof(n), "%s_raw_not_before_libc", name);
	CHECK(n, b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec) ||
			 c == CLOCK_REALTIME_COARSE || c == CLOCK_MONOTONIC_COARSE);
	snprintf(n, sizeof(n), "%s_getres", name);
	CHECK_OK(n, clock_getres(c, &r));
	snprintf(n, sizeof(n), "%s_res_sane", name);
	CHECK(n, r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 10000000);
}

int main(int argc, char **argv)
{
	struct timespec a, b;

	t_init(argc, argv);
	check_clock("realtime", CLOCK_REALTIME);
	check_clock("monotonic", CLOCK_MONOTONIC);
	check_clock("boottime", CLOCK_BOOTTIME);
	check_clock("monotonic_raw", CLOCK_MONOTONIC_RAW);
	check_clock("realtime_coarse", CLOCK_REALTIME_COARSE);
	check_clock("monotonic_coarse", CLOCK_MONOTONIC_COARSE);
	check_clock("process_cputime", CLOCK_PROCESS_CPUTIME_ID);
	check_clock("thread_cputime", CLOCK_THREAD_CPUTIME_ID);

	clock_gettime(CLOCK_REALTIME, &a);
	CHECK("realtime_after_2020", a.tv_sec > 1577836800);
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_BOOTTIME, &b);
	CHECK("boottime_ge_monotonic", b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));

	/* Monotonic never goes back, over many reads. */
	long long prev = t_now_ns(CLOCK_MONOTONIC), now;
	int back = 0;
	for (int i = 0; i < 100000; i++) {
		now = t_now_ns(CLOCK_MONOTONIC);
		if (now < prev)
			back = 1;
		prev = now;
	}
	CHECK("monotonic_never_back", !back);
	/* And it advances: 50 ms of sleep is at least 50 ms. */
	long long t0 = t_now_ns(CLOCK_MONOTONIC);
	t_msleep(50);
	CHECK("monotonic_advances_with_sleep", t_now_ns(CLOCK_MONOTONIC) - t0 >= 50000000LL);
	long long r0 = t_now_ns(CLOCK_REALTIME);
	t0 = t_now_ns(CLOCK_MONOTONIC);
	burn(100);
	long long dm = t_now_ns(CLOCK_MONOTONIC) - t0, dr = t_now_ns(CLOCK_REALTIME) - r0;
	CHECK("realtime_rate_matches_monotonic", dr > dm - 20000000LL && dr < dm + 20000000LL);

	/* CPU clocks advance with work, not with sleep. */
	long long c0 = t_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	burn(200);
	long long c1 = t_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK("process_cputime_advances", c1 - c0 >= 50000000LL);
	t_msleep(200);
	long long c2 = t_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK("process_cputime_not_in_sleep", c2 - c1 < 100000000LL);
	long long th = t_now_ns(CLOCK_THREAD_CPUTIME_ID);
	long long c3 = t_now_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK("thread_cputime_le_process", th <= c3);

	/* gettimeofday and time agree with CLOCK_REALTIME. */
	struct timeval tv;
	CHECK_OK("gettimeofday", gettimeofday(&tv, NULL));
	clock_gettime(CLOCK_REALTIME, &a);
	CHECK("gettimeofday_usec_range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK("gettimeofday_matches_realtime", a.tv_sec - tv.tv_sec <= 1 && a.tv_sec >= tv.tv_sec);
	CHECK_OK("gettimeofday_raw", syscall(SYS_gettimeofday, &tv, NULL));
	CHECK_OK("gettimeofday_null_ok", syscall(SYS_gettimeofday, NULL, NULL));
	time_t t1, t2 = 0;
	t1 = time(&t2);
	CHECK("time_returns_and_stores", t1 == t2 && t1 >= a.tv_sec - 1 && t1 <= a.tv_sec + 1);
	CHECK("time_raw", syscall(SYS_time, NULL) >= a.tv_sec - 1);

	/* times(): clock ticks, and the children's times after wait. */
	struct tms tm0, tm1;
	clock_t k0 = times(&tm0);
	pid_t pid = t_fork();
	if (pid == 0) {
		burn(200);
		_exit(0);
	}
	t_wait(pid);
	clock_t k1 = times(&tm1);
	CHECK("times_elapsed_advances", k1 > k0);
	CHECK("times_children_cpu", tm1.tms_cutime + tm1.tms_cstime > tm0.tms_cutime + tm0.tms_cstime);
	CHECK("times_self_cpu", tm1.tms_utime + tm1.tms_stime > 0);
	CHECK_OK("times_null_ok", syscall(SYS_times, NULL));
	CHECK_EQ("clk_tck_100", sysconf(_SC_CLK_TCK), 100);

	struct rusage ru;
	CHECK_OK("getrusage_self", getrusage(RUSAGE_SELF, &ru));
	CHECK("getrusage_self_cpu", ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
	CHECK("getrusage_maxrss", ru.ru_maxrss > 0);
	CHECK_OK("getrusage_children", getrusage(RUSAGE_CHILDREN, &ru));
	CHECK("getrusage_children_cpu", ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 10000 || ru.ru_stime.tv_usec > 10000);
	CHECK_OK("getrusage_thread", getrusage(1 /* RUSAGE_THREAD */, &ru));
	CHECK_ERR("getrusage_bad_who_einval", getrusage(42, &ru), EINVAL);
	CHECK_ERR("getrusage_efault", syscall(SYS_getrusage, RUSAGE_SELF, T_KPTR), EFAULT);

	CHECK_ERR("clock_gettime_bad_clock_einval", syscall(SYS_clock_gettime, 42, &a), EINVAL);
	CHECK_ERR("clock_gettime_negative_clock_einval", syscall(SYS_clock_gettime, -12345, &a), EINVAL);
	CHECK_ERR("clock_gettime_null_efault", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL), EFAULT);
	CHECK_ERR("clock_gettime_kernel_efault", syscall(SYS_clock_gettime, CLOCK_REALTIME, T_KPTR), EFAULT);
	CHECK_ERR("clock_getres_bad_clock_einval", syscall(SYS_clock_getres, 42, &a), EINVAL);
	CHECK_OK("clock_getres_null_ok", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
	CHECK_ERR("gettimeofday_efault", syscall(SYS_gettimeofday, T_KPTR, NULL), EFAULT);
	CHECK_ERR("time_efault", syscall(SYS_time, T_KPTR), EFAULT);
	CHECK_ERR("times_efault", syscall(SYS_times, T_KPTR), EFAULT);
	CHECK_ERR("clock_settime_monotonic_einval", syscall(SYS_clock_settime, CLOCK_MONOTONIC, &a), EINVAL);
	return t_done();
}
