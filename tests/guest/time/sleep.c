/* Sleeping: nanosleep (at least the time asked, not much more), zero
 * sleep, clock_nanosleep relative and TIMER_ABSTIME on REALTIME/MONOTONIC/
 * BOOTTIME (an absolute time in the past returns at once), the error
 * numbers clock_nanosleep returns (not -1/errno), EINVAL for bad timespecs
 * (nsec >= 1e9, negative) and clocks, EFAULT; timer accuracy of many short
 * sleeps. */
#include "t.h"

static long long el_ms(long long t0)
{
	return (t_now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
}

int main(int argc, char **argv)
{
	struct timespec ts, rem;
	long long t0, el;

	t_init(argc, argv);
	ts = (struct timespec){ 0, 200000000 };
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_OK("nanosleep", nanosleep(&ts, NULL));
	el = el_ms(t0);
	CHECK("nanosleep_at_least", el >= 200);
	CHECK("nanosleep_not_much_more", el < 1500);
	t_note("nanosleep(200 ms) took %lld ms", el);
	ts = (struct timespec){ 1, 0 };
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_OK("nanosleep_1s", nanosleep(&ts, &rem));
	el = el_ms(t0);
	CHECK("nanosleep_1s_at_least", el >= 1000 && el < 3000);
	ts = (struct timespec){ 0, 0 };
	CHECK_OK("nanosleep_zero", nanosleep(&ts, NULL));

	ts = (struct timespec){ 0, 1000000000 };
	CHECK_ERR("nanosleep_nsec_1e9_einval", nanosleep(&ts, NULL), EINVAL);
	ts = (struct timespec){ 0, -1 };
	CHECK_ERR("nanosleep_negative_nsec_einval", nanosleep(&ts, NULL), EINVAL);
	ts = (struct timespec){ -1, 0 };
	CHECK_ERR("nanosleep_negative_sec_einval", nanosleep(&ts, NULL), EINVAL);
	CHECK_ERR("nanosleep_null_efault", syscall(SYS_nanosleep, NULL, NULL), EFAULT);
	CHECK_ERR("nanosleep_kernel_efault", syscall(SYS_nanosleep, T_KPTR, NULL), EFAULT);

	/* clock_nanosleep, relative. */
	ts = (struct timespec){ 0, 100000000 };
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_RC("clock_nanosleep_monotonic_rel", clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL), 0);
	CHECK("clock_nanosleep_rel_waited", el_ms(t0) >= 100);
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_RC("clock_nanosleep_realtime_rel", clock_nanosleep(CLOCK_REALTIME, 0, &ts, NULL), 0);
	CHECK("clock_nanosleep_realtime_waited", el_ms(t0) >= 100);

	/* TIMER_ABSTIME. */
	const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };
	const char *names[] = { "monotonic", "realtime", "boottime" };
	for (int i = 0; i < 3; i++) {
		char n[64];
		clock_gettime(clocks[i], &ts);
		ts.tv_nsec += 150000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		t0 = t_now_ns(CLOCK_MONOTONIC);
		snprintf(n, sizeof(n), "clock_nanosleep_abstime_%s", names[i]);
		CHECK_RC(n, clock_nanosleep(clocks[i], TIMER_ABSTIME, &ts, NULL), 0);
		struct timespec now;
		clock_gettime(clocks[i], &now);
		snprintf(n, sizeof(n), "clock_nanosleep_abstime_%s_reached", names[i]);
		CHECK(n, now.tv_sec > ts.tv_sec || (now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec));
		snprintf(n, sizeof(n), "clock_nanosleep_abstime_%s_waited", names[i]);
		CHECK(n, el_ms(t0) >= 100 && el_ms(t0) < 2000);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec -= 1;
	t0 = t_now_ns(CLOCK_MONOTONIC);
	CHECK_RC("clock_nanosleep_abstime_past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL), 0);
	CHECK("clock_nanosleep_past_returns_at_once", el_ms(t0) < 100);

	ts = (struct timespec){ 0, 2000000000 };
	CHECK_RC("clock_nanosleep_bad_nsec_einval", clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL), EINVAL);
	ts = (struct timespec){ 0, 1000 };
	CHECK_RC("clock_nanosleep_bad_clock_einval", clock_nanosleep(42, 0, &ts, NULL), EINVAL);
	CHECK_ERR("clock_nanosleep_raw_bad_clock", syscall(SYS_clock_nanosleep, 42, 0, &ts, NULL), EINVAL);
	/* Linux says EOPNOTSUPP (the man page says EINVAL): either is fine. */
	CHECK("clock_nanosleep_thread_cputime_refused",
	      syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL) == -1 &&
		      (errno == EOPNOTSUPP || errno == EINVAL));
	CHECK_ERR("clock_nanosleep_efault", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, NULL, NULL), EFAULT);

	/* Many short sleeps: each at least its length. */
	int short_ok = 1;
	t0 = t_now_ns(CLOCK_MONOTONIC);
	for (int i = 0; i < 50; i++) {
		long long s0 = t_now_ns(CLOCK_MONOTONIC);
		ts = (struct timespec){ 0, 2000000 };
		nanosleep(&ts, NULL);
		if (t_now_ns(CLOCK_MONOTONIC) - s0 < 2000000)
			short_ok = 0;
	}
	el = el_ms(t0);
	CHECK("short_sleeps_at_least_2ms", short_ok);
	CHECK("50_short_sleeps_under_5s", el < 5000);
	t_note("50 sleeps of 2 ms took %lld ms", el);
	return t_done();
}
