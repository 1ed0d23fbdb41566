/* Time keeping: the monotonic clock, wall-clock time at boot, timer callbacks. */
#ifndef SABLE_CORE_TIME_H
#define SABLE_CORE_TIME_H

#include "lib/list.h"
#include "lib/types.h"

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

/* Nanoseconds since boot from the calibrated TSC; 0 before calibration. */
u64 time_ns(void);
/* TSC frequency in kHz (0 before calibration). */
extern u64 tsc_khz;
/* TSC value at which the kernel was entered, for boot-time figures. */
extern u64 boot_tsc;
/* Busy-wait; works before and after calibration (falls back to the PIT). */
void udelay(u64 us);

/* Wall-clock time: seconds since the Unix epoch, read from the RTC at boot. */
u64 time_wall_boot_seconds(void);
u64 time_wall_now_ns(void);
/* Sets the wall clock (clock_settime(CLOCK_REALTIME)). */
void time_wall_set_ns(u64 ns);

/*
 * Timer callbacks, run from the timer interrupt (interrupts off, no sleeping).
 * A periodic timer re-arms itself with the given period.
 */
struct timer {
	u64 expires_ns;
	u64 period_ns; /* 0: one-shot */
	void (*fn)(struct timer *t, void *arg);
	void *arg;
	struct list_head link; /* [timer lock] */
	bool pending;          /* [timer lock] */
};

void timer_add(struct timer *t, u64 expires_ns, u64 period_ns,
	       void (*fn)(struct timer *, void *), void *arg);
bool timer_cancel(struct timer *t);
/* Called by the tick interrupt; runs expired timers. */
void timer_run_expired(u64 now_ns);
extern volatile u64 timer_ticks;
extern u32 timer_hz;

#endif
