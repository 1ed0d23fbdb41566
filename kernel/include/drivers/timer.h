/*
 * The clock hardware behind core/time.h: the 8254 PIT and the HPET as
 * reference clocks, TSC calibration, and the CMOS real-time clock.
 */
#ifndef SABLE_DRIVERS_TIMER_H
#define SABLE_DRIVERS_TIMER_H

#include "lib/types.h"

/*
 * (a * b) >> 32 without a 128-bit type, exact as long as the result fits in
 * 64 bits. The clocks keep their rates as 32.32 fixed-point multipliers, so
 * a conversion is one call and cannot overflow for any realistic uptime.
 */
static inline u64 mul_u64_shr32(u64 a, u64 b)
{
	u64 a_hi = a >> 32, a_lo = a & 0xffffffffu;
	u64 b_hi = b >> 32, b_lo = b & 0xffffffffu;

	/* Each partial sum is at most the final result, so none can overflow
	 * unless the result itself does. */
	return ((a_hi * b_hi) << 32) + a_hi * b_lo + a_lo * b_hi +
	       ((a_lo * b_lo) >> 32);
}

/* Sorts v (n small) and returns its median; the calibration loops use it
 * so one window stretched by an interrupt or the host cannot skew them. */
u64 median_u64(u64 *v, int n);

/* 8254 PIT: its input clock, fixed on every PC. */
#define PIT_HZ 1193182u

/* Whether a counting 8254 was found (probed on first use). */
bool pit_present(void);
/* Busy-waits on channel 2, with interrupts off in chunks of up to 50 ms:
 * for before the TSC is calibrated (udelay() uses it then). */
void pit_wait_us(u64 us);
/*
 * Runs channel 2 as a gated one-shot of pit_ticks input clocks and returns
 * the TSC cycles it took, or 0 when the PIT never finished (no 8254).
 */
u64 pit_measure_tsc(u16 pit_ticks);
/* Channel 0 (ISA IRQ 0) as a rate generator, and silenced again; only a
 * test interrupt source, the tick is the LAPIC timer. */
void pit_ch0_periodic(u32 hz);
void pit_ch0_stop(void);

/* HPET: present once the hpet subsystem found and enabled one. */
bool hpet_present(void);
/*
 * Nanoseconds since the hpet subsystem enabled the counter. A 32-bit counter
 * wraps (after about 43 s at 100 MHz), so only differences over shorter
 * spans are meaningful there; 64-bit counters never wrap in practice.
 */
u64 hpet_read_ns(void);

/* TSC: calibrate against the HPET when present, else the PIT. */
int tsc_calibrate(void);
/* Re-measure against a newly enabled HPET and adopt it (time_ns() stays
 * monotonic across the change). Boot CPU only, before other CPUs run. */
void tsc_recalibrate_hpet(void);
/* Which reference the current calibration came from: "PIT", "HPET", "CPUID",
 * "RTC". */
const char *tsc_calibration_source(void);

/* CMOS RTC */
struct rtc_date {
	u32 year;
	u8 month, day, hour, minute, second;
};

/* Days from 1970-01-01 to the given proleptic Gregorian date. */
u64 days_from_civil(u32 year, u32 month, u32 day);
/* TSC cycles over periods / 1024 s of the RTC's periodic flag; 0 if it
 * never ran. The reference of last resort. */
#define RTC_PERIODIC_HZ 1024
u64 rtc_measure_tsc(unsigned int periods);
/* Reads the RTC now (it keeps UTC); 0 or a negative errno. */
int rtc_read_date(struct rtc_date *d);

#endif
