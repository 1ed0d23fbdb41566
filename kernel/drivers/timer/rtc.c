/*
 * The MC146818-compatible CMOS real-time clock, read once at boot for the
 * wall-clock time; from then on wall time is that reading plus time_ns().
 *
 * The RTC updates its registers once a second, and a read racing the update
 * can mix old and new fields (23:59:59 becoming 00:59:59). So: wait for the
 * update-in-progress flag to clear, read everything, and repeat until two
 * reads in a row agree. Fields are BCD or binary and hours 12h or 24h as
 * status register B says. The RTC is assumed to keep UTC, as on QEMU and on
 * systems set up by anything but Windows.
 */
#include "arch/cpu.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/acpi.h"
#include "drivers/timer.h"
#include "lib/errno.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_STATUS_C 0x0c

#define RTC_A_UIP 0x80      /* update in progress */
#define RTC_A_RATE_MASK 0x0f
#define RTC_A_RATE_1024HZ 0x06 /* 32768 Hz >> (6 - 1) */
#define RTC_B_24H 0x02
#define RTC_B_BINARY 0x04
#define RTC_B_PIE 0x40      /* periodic interrupt enable */
#define RTC_C_PF 0x40       /* periodic flag; reading C clears it */
#define RTC_HOUR_PM 0x80    /* 12h mode */

/* An update takes under 2 ms; give up well after that. */
#define UIP_TIMEOUT_NS (20 * NSEC_PER_MSEC)
#define UIP_POLL_LIMIT 1000000u
/* Far more register C reads than a 1024 Hz flag needs for a short window. */
#define RTC_POLL_LIMIT 20000000u
#define READ_TRIES 10

/* The CMOS index/data port pair; irqsave as anyone may read CMOS. */
static struct spinlock cmos_lock = SPINLOCK_INIT("cmos");

/* Set once by rtc_init() on the boot CPU; read-only afterwards. Wall time
 * in ns since the epoch at time_ns() == 0; 0 when the RTC was not read. */
static u64 wall_boot_ns;

struct rtc_raw {
	u8 sec, min, hour, day, month, year, century;
};

/* With cmos_lock held. Bit 7 of the index would mask NMIs: keep it clear. */
static u8 cmos_read_locked(u8 reg)
{
	outb(CMOS_INDEX, reg & 0x7f);
	return inb(CMOS_DATA);
}

static void cmos_write_locked(u8 reg, u8 v)
{
	outb(CMOS_INDEX, reg & 0x7f);
	outb(CMOS_DATA, v);
}

static u8 cmos_read(u8 reg)
{
	unsigned long f = spin_lock_irqsave(&cmos_lock);
	u8 v = cmos_read_locked(reg);

	spin_unlock_irqrestore(&cmos_lock, f);
	return v;
}

/*
 * The last-resort reference for TSC calibration, when there is neither PIT
 * nor HPET (QEMU microvm with pit=off): the periodic flag, set 1024 times a
 * second, polled in register C. The periodic interrupt has to be enabled
 * for the flag to run on some implementations (QEMU's among them); IRQ 8
 * stays masked at the IOAPIC and the 8259s, so it goes nowhere.
 */
u64 rtc_measure_tsc(unsigned int periods)
{
	unsigned long f;
	u64 t0 = 0, cycles = 0;
	unsigned int seen = 0;
	u32 polls = 0;
	u8 a, b;

	f = spin_lock_irqsave(&cmos_lock);
	a = cmos_read_locked(RTC_STATUS_A);
	b = cmos_read_locked(RTC_STATUS_B);
	cmos_write_locked(RTC_STATUS_A, (u8)((a & ~RTC_A_RATE_MASK) | RTC_A_RATE_1024HZ));
	cmos_write_locked(RTC_STATUS_B, b | RTC_B_PIE);
	cmos_read_locked(RTC_STATUS_C); /* drop a flag already set */
	/* The first flag seen starts the window, so its phase does not matter. */
	while (seen <= periods && ++polls < RTC_POLL_LIMIT) {
		if (!(cmos_read_locked(RTC_STATUS_C) & RTC_C_PF))
			continue;
		if (!seen++)
			t0 = rdtsc();
		else if (seen > periods)
			cycles = rdtsc() - t0;
	}
	cmos_write_locked(RTC_STATUS_B, b);
	cmos_write_locked(RTC_STATUS_A, a);
	cmos_read_locked(RTC_STATUS_C);
	spin_unlock_irqrestore(&cmos_lock, f);
	return cycles;
}

static bool wait_not_updating(void)
{
	u64 start = time_ns();
	u32 polls = 0;

	while (cmos_read(RTC_STATUS_A) & RTC_A_UIP) {
		/* The poll count bounds the wait before calibration too, when
		 * time_ns() stands still at 0. */
		if (time_ns() - start > UIP_TIMEOUT_NS || ++polls > UIP_POLL_LIMIT)
			return false;
		cpu_relax();
	}
	return true;
}

static void read_raw(struct rtc_raw *r, u8 century_reg)
{
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->day = cmos_read(RTC_DAY);
	r->month = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = century_reg ? cmos_read(century_reg) : 0;
}

static bool raw_equal(const struct rtc_raw *a, const struct rtc_raw *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->day == b->day && a->month == b->month && a->year == b->year &&
	       a->century == b->century;
}

static u8 bcd(u8 v)
{
	return (u8)((v >> 4) * 10 + (v & 0xf));
}

static u8 century_register(void)
{
	/*
	 * The FADT names the CMOS byte holding the century. When ACPI has not
	 * run (or has none) the year is taken as 20xx, which is right until
	 * 2100.
	 */
	if (subsystem_state_of("acpi") == SUBSYS_READY && acpi.present &&
	    acpi.century >= 0x0e && acpi.century < 0x80)
		return acpi.century;
	return 0;
}

int rtc_read_date(struct rtc_date *d)
{
	u8 century_reg = century_register();
	struct rtc_raw a, b;
	bool pm;
	u8 st;
	int i;

	for (i = 0; i < READ_TRIES; i++) {
		if (!wait_not_updating())
			return -ETIMEDOUT;
		read_raw(&a, century_reg);
		if (!wait_not_updating())
			return -ETIMEDOUT;
		read_raw(&b, century_reg);
		if (raw_equal(&a, &b))
			break;
	}
	if (i == READ_TRIES)
		return -EIO;

	st = cmos_read(RTC_STATUS_B);
	pm = !(st & RTC_B_24H) && (b.hour & RTC_HOUR_PM);
	b.hour &= (u8)~RTC_HOUR_PM;
	if (!(st & RTC_B_BINARY)) {
		b.sec = bcd(b.sec);
		b.min = bcd(b.min);
		b.hour = bcd(b.hour);
		b.day = bcd(b.day);
		b.month = bcd(b.month);
		b.year = bcd(b.year);
		b.century = bcd(b.century);
	}
	if (!(st & RTC_B_24H)) {
		/* 12 AM is 00, 12 PM is 12. */
		b.hour %= 12;
		if (pm)
			b.hour += 12;
	}

	d->year = b.year;
	if (b.century >= 19 && b.century <= 99)
		d->year += b.century * 100u;
	else
		d->year += 2000;
	d->month = b.month;
	d->day = b.day;
	d->hour = b.hour;
	d->minute = b.min;
	d->second = b.sec;
	if (d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31 ||
	    d->hour > 23 || d->minute > 59 || d->second > 59 || b.year > 99)
		return -EIO;
	return 0;
}

static bool is_leap(u32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in 1..y: every 4th, less the centuries, plus every 400th. */
static u64 leap_years_through(u32 y)
{
	return y / 4 - y / 100 + y / 400;
}

u64 days_from_civil(u32 year, u32 month, u32 day)
{
	static const u16 days_before_month[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
	};
	u64 days;

	if (year < 1970 || month < 1 || month > 12 || day < 1)
		return 0;
	days = (u64)(year - 1970) * 365 + leap_years_through(year - 1) -
	       leap_years_through(1969);
	days += days_before_month[month - 1];
	if (month > 2 && is_leap(year))
		days++;
	return days + day - 1;
}

u64 time_wall_boot_seconds(void)
{
	return wall_boot_ns / NSEC_PER_SEC;
}

u64 time_wall_now_ns(void)
{
	return wall_boot_ns + time_ns();
}

void time_wall_set_ns(u64 ns)
{
	/* The monotonic clock goes on; only the wall clock's offset moves. */
	wall_boot_ns = ns - time_ns();
}

static int rtc_init(void)
{
	struct rtc_date d;
	u64 now_ns, secs;
	int err;

	err = rtc_read_date(&d);
	now_ns = time_ns();
	if (err) {
		pr_warn("rtc: cannot read the clock (%d); wall time starts at 1970\n", err);
		return err;
	}
	secs = days_from_civil(d.year, d.month, d.day) * 86400 +
	       d.hour * 3600u + d.minute * 60u + d.second;
	/* The RTC has whole seconds only; the boot instant is as good. */
	if (secs * NSEC_PER_SEC > now_ns)
		wall_boot_ns = secs * NSEC_PER_SEC - now_ns;
	pr_info("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n", d.year, d.month, d.day,
		d.hour, d.minute, d.second);
	return 0;
}
/*
 * After "timer": the boot instant is the reading less time_ns(), and the
 * update-in-progress wait needs a clock to time out by. Not on "acpi": the
 * century byte is the only thing ACPI adds and 20xx is right without it.
 */
SUBSYSTEM(rtc, DEPS("timer"), rtc_init, false);
