/*
 * Self tests for the clocks, the tick, timer callbacks, the RTC and the
 * IOAPIC, and for the allocators used from interrupt context.
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/trap.h"
#include "core/ktest.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/acpi.h"
#include "drivers/timer.h"
#include "lib/string.h"
#include "mm/page.h"
#include "mm/pmm.h"
#include "mm/slab.h"

/* Busy-waits ns on time_ns() with interrupts as they are. */
static void spin_ns(u64 ns)
{
	u64 start = time_ns();

	while (time_ns() - start < ns)
		cpu_relax();
}

/*
 * Busy-waits ns and returns the longest gap between two reads of time_ns(),
 * which the rate tests print: a long one means the host did not run this
 * vCPU for that long.
 *
 * Under QEMU's TCG on a busy host, periodic interrupts that come due while
 * the vCPU, or QEMU's own timer thread, is not running are merged or
 * skipped, so one window can come up short with a correct timer. The rate
 * tests therefore pass if any of RATE_ATTEMPTS windows is within bounds;
 * a timer programmed wrong is off in all of them.
 */
static u64 spin_ns_gap(u64 ns)
{
	u64 start = time_ns(), prev = start, gap = 0, now;

	do {
		now = time_ns();
		if (now - prev > gap)
			gap = now - prev;
		prev = now;
	} while (now - start < ns);
	return gap;
}

#define RATE_ATTEMPTS 5

static u64 abs_diff(u64 a, u64 b)
{
	return a > b ? a - b : b - a;
}

KTEST(time_ns_monotonic)
{
	u64 prev = time_ns(), first = prev;

	if (!prev)
		return KT_FAIL("time_ns() is 0: the TSC was not calibrated");
	for (int i = 0; i < 200000; i++) {
		u64 now = time_ns();

		if (now < prev)
			return KT_FAIL("went back from %llu to %llu ns at read %d",
				       (unsigned long long)prev, (unsigned long long)now, i);
		prev = now;
	}
	if (prev == first)
		return KT_FAIL("did not advance over 200000 reads");
	return NULL;
}

/* TSC-derived elapsed time against the PIT, ~200 ms in 4 windows of 50 ms. */
static const char *tsc_vs_pit(char *why, size_t why_len)
{
	const u16 ticks = (u16)(PIT_HZ / 20);
	u64 cycles = 0, ref_ns, tsc_ns;

	for (int i = 0; i < 4; i++) {
		u64 c = pit_measure_tsc(ticks);

		if (!c)
			return KT_FAIL("the PIT did not finish a window");
		cycles += c;
	}
	ref_ns = 4ULL * ticks * NSEC_PER_SEC / PIT_HZ;
	tsc_ns = cycles * 1000000 / tsc_khz;
	pr_info("  PIT %llu us, TSC %llu us\n", (unsigned long long)(ref_ns / 1000),
		(unsigned long long)(tsc_ns / 1000));
	if (abs_diff(tsc_ns, ref_ns) * 50 > ref_ns)
		return KT_FAIL("TSC says %llu us over %llu us of PIT time (over 2%% off)",
			       (unsigned long long)(tsc_ns / 1000),
			       (unsigned long long)(ref_ns / 1000));
	return NULL;
}

/* Both clocks at once, with no interrupt handler in between. */
static void hpet_and_tsc(u64 *h, u64 *t)
{
	unsigned long f = irq_save();

	*h = hpet_read_ns();
	*t = time_ns();
	irq_restore(f);
}

static const char *tsc_vs_hpet(char *why, size_t why_len)
{
	u64 h0, h1, t0, t1;

	hpet_and_tsc(&h0, &t0);
	do {
		cpu_relax();
		hpet_and_tsc(&h1, &t1);
	} while (h1 - h0 < 200 * NSEC_PER_MSEC);
	pr_info("  HPET %llu us, TSC %llu us\n", (unsigned long long)((h1 - h0) / 1000),
		(unsigned long long)((t1 - t0) / 1000));
	if (abs_diff(t1 - t0, h1 - h0) * 50 > h1 - h0)
		return KT_FAIL("TSC says %llu us over %llu us of HPET time (over 2%% off)",
			       (unsigned long long)((t1 - t0) / 1000),
			       (unsigned long long)((h1 - h0) / 1000));
	return NULL;
}

KTEST(tsc_accuracy)
{
	const char *err = NULL;

	if (!tsc_khz)
		return KT_FAIL("not calibrated");
	pr_info("  TSC %llu kHz, calibrated against the %s\n",
		(unsigned long long)tsc_khz, tsc_calibration_source());
	/* A host stall inside a window skews it; a few tries tell a stall
	 * from a wrong rate, which fails every time. */
	if (!pit_present())
		pr_info("  no PIT: not compared with it\n");
	for (int i = 0; i < 3; i++) {
		err = pit_present() ? tsc_vs_pit(why, why_len) : NULL;
		if (!err && hpet_present())
			err = tsc_vs_hpet(why, why_len);
		if (!err)
			break;
	}
	return err;
}

KTEST(udelay_accuracy)
{
	u64 t0 = time_ns(), took;

	udelay(20000);
	took = time_ns() - t0;
	/* Never short; long only by what an interrupt or the host adds. */
	if (took < 20 * NSEC_PER_MSEC || took > 30 * NSEC_PER_MSEC)
		return KT_FAIL("udelay(20000) took %llu us", (unsigned long long)(took / 1000));
	return NULL;
}

KTEST(tick_rate)
{
	u64 window = 300 * NSEC_PER_MSEC;
	u64 expect = window * timer_hz / NSEC_PER_SEC, ticks = 0, gap = 0;

	if (!irqs_enabled())
		return KT_FAIL("interrupts are off");
	for (int i = 0; i < RATE_ATTEMPTS; i++) {
		u64 k0 = timer_ticks;

		gap = spin_ns_gap(window);
		ticks = timer_ticks - k0;
		pr_info("  %llu ticks in 300 ms at %u Hz (expected %llu), longest stall %llu us\n",
			(unsigned long long)ticks, timer_hz, (unsigned long long)expect,
			(unsigned long long)(gap / 1000));
		if (abs_diff(ticks, expect) * 5 <= expect)
			return NULL;
	}
	return KT_FAIL("%llu ticks in 300 ms, expected %llu +-20%% (longest stall %llu us)",
		       (unsigned long long)ticks, (unsigned long long)expect,
		       (unsigned long long)(gap / 1000));
}

struct fire_count {
	volatile u32 n;
	volatile u64 last_ns;
};

static void count_fire(struct timer *t, void *arg)
{
	struct fire_count *fc = arg;

	fc->n++;
	fc->last_ns = time_ns();
}

KTEST(timer_callbacks)
{
	struct timer once = { 0 }, every = { 0 };
	struct fire_count n_once = { 0 }, n_every = { 0 };
	u64 now = time_ns(), period = 20 * NSEC_PER_MSEC;
	u32 got;

	timer_add(&once, now + 30 * NSEC_PER_MSEC, 0, count_fire, &n_once);
	timer_add(&every, now + period, period, count_fire, &n_every);
	spin_ns(205 * NSEC_PER_MSEC);
	got = n_every.n;
	if (!timer_cancel(&every)) {
		timer_cancel(&once);
		return KT_FAIL("the periodic timer was not pending any more");
	}
	if (timer_cancel(&once))
		return KT_FAIL("the one-shot had not fired after 205 ms");
	if (n_once.n != 1)
		return KT_FAIL("the one-shot fired %u times", n_once.n);
	if (n_once.last_ns < now + 30 * NSEC_PER_MSEC)
		return KT_FAIL("the one-shot fired early");
	/* 10 periods; a tick of 4 ms may push the 10th past the window. */
	if (got < 9 || got > 11)
		return KT_FAIL("the periodic timer fired %u times in 205 ms, expected 10", got);
	spin_ns(50 * NSEC_PER_MSEC);
	if (n_every.n != got)
		return KT_FAIL("the periodic timer fired after being cancelled");
	return NULL;
}

/* A callback that cancels itself on its third run. */
static void cancel_third(struct timer *t, void *arg)
{
	struct fire_count *fc = arg;

	if (++fc->n == 3)
		timer_cancel(t);
}

KTEST(timer_self_cancel)
{
	struct timer t = { 0 };
	struct fire_count fc = { 0 };

	timer_add(&t, time_ns(), 5 * NSEC_PER_MSEC, cancel_third, &fc);
	spin_ns(100 * NSEC_PER_MSEC);
	if (timer_cancel(&t))
		return KT_FAIL("still pending after cancelling itself");
	if (fc.n != 3)
		return KT_FAIL("ran %u times, expected 3", fc.n);
	return NULL;
}

KTEST(days_from_civil)
{
	static const struct {
		u32 y, m, d;
		u64 days;
	} cases[] = {
		{ 1970, 1, 1, 0 },
		{ 1972, 3, 1, 790 },
		{ 2000, 1, 1, 10957 },
		{ 2000, 3, 1, 11017 },
		{ 2024, 2, 29, 19782 },
		{ 2100, 3, 1, 47541 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 got = days_from_civil(cases[i].y, cases[i].m, cases[i].d);

		if (got != cases[i].days)
			return KT_FAIL("%u-%02u-%02u: %llu days, expected %llu", cases[i].y,
				       cases[i].m, cases[i].d, (unsigned long long)got,
				       (unsigned long long)cases[i].days);
	}
	return NULL;
}

KTEST(rtc_date)
{
	struct rtc_date d;
	u64 boot = time_wall_boot_seconds(), now_s;
	int err = rtc_read_date(&d);

	if (err)
		return KT_FAIL("reading the RTC failed: %d", err);
	pr_info("  %04u-%02u-%02u %02u:%02u:%02u UTC\n", d.year, d.month, d.day,
		d.hour, d.minute, d.second);
	if (d.year < 2024 || d.year > 2100)
		return KT_FAIL("implausible year %u", d.year);
	if (subsystem_state_of("rtc") != SUBSYS_READY)
		return KT_FAIL("the rtc subsystem is not ready");
	now_s = days_from_civil(d.year, d.month, d.day) * 86400 + d.hour * 3600u +
		d.minute * 60u + d.second;
	/* Wall time now: boot time plus uptime, and the RTC, agree to 2 s. */
	if (abs_diff(time_wall_now_ns() / NSEC_PER_SEC, now_s) > 2)
		return KT_FAIL("wall clock %llu s, RTC %llu s",
			       (unsigned long long)(time_wall_now_ns() / NSEC_PER_SEC),
			       (unsigned long long)now_s);
	if (boot > now_s)
		return KT_FAIL("booted after now");
	return NULL;
}

/* ---- allocators used from the tick and the main loop at once ---- */

#define STRESS_SLOTS 8

struct alloc_stress {
	void *obj[STRESS_SLOTS];
	size_t size[STRESS_SLOTS];
	struct page *pages;
	unsigned int order;
	u32 round;
	u32 failures; /* NULL returns or trampled patterns */
};

static const size_t stress_sizes[] = { 8, 24, 64, 100, 200, 512, 1000, 2048, 3000, 5000, 9000 };

static u8 pattern_of(const void *p)
{
	return (u8)(((unsigned long)p >> 4) ^ 0x5a);
}

static void fill(void *p, size_t n)
{
	memset(p, pattern_of(p), n);
}

static bool intact(const void *p, size_t n)
{
	const u8 *b = p;
	u8 want = pattern_of(p);

	for (size_t i = 0; i < n; i++) {
		if (b[i] != want)
			return false;
	}
	return true;
}

/* One round: replace one held object, a quick alloc/free, a page block. */
static void stress_round(struct alloc_stress *s)
{
	unsigned int slot = s->round % STRESS_SLOTS;
	size_t size = stress_sizes[s->round % ARRAY_SIZE(stress_sizes)];
	void *tmp;

	if (s->obj[slot]) {
		if (!intact(s->obj[slot], s->size[slot]))
			s->failures++;
		kfree(s->obj[slot]);
	}
	s->obj[slot] = kmalloc(size);
	s->size[slot] = size;
	if (s->obj[slot])
		fill(s->obj[slot], size);
	else
		s->failures++;

	tmp = kmalloc(stress_sizes[(s->round * 7) % ARRAY_SIZE(stress_sizes)]);
	if (tmp)
		kfree(tmp);
	else
		s->failures++;

	if (s->pages) {
		if (!intact(page_address(s->pages), PAGE_SIZE << s->order))
			s->failures++;
		free_pages(s->pages, s->order);
	}
	s->order = s->round % 3;
	s->pages = alloc_pages(s->order);
	if (s->pages)
		fill(page_address(s->pages), PAGE_SIZE << s->order);
	else
		s->failures++;
	s->round++;
}

static void stress_release(struct alloc_stress *s)
{
	for (int i = 0; i < STRESS_SLOTS; i++) {
		if (s->obj[i] && !intact(s->obj[i], s->size[i]))
			s->failures++;
		kfree(s->obj[i]);
		s->obj[i] = NULL;
	}
	if (s->pages) {
		if (!intact(page_address(s->pages), PAGE_SIZE << s->order))
			s->failures++;
		free_pages(s->pages, s->order);
		s->pages = NULL;
	}
}

static void stress_tick(struct timer *t, void *arg)
{
	stress_round(arg);
}

static void shrink_one(struct slab_cache *c, void *arg)
{
	u64 *bad = arg;
	unsigned long f;

	slab_cache_shrink(c);
	f = spin_lock_irqsave(&c->lock);
	*bad += c->bad_frees;
	spin_unlock_irqrestore(&c->lock, f);
}

/* Gives empty slabs back, so free page counts compare; sums bad frees. */
static u64 shrink_all_and_count_bad(void)
{
	u64 bad = kmalloc_bad_frees();

	slab_for_each_cache(shrink_one, &bad);
	return bad;
}

KTEST(alloc_under_interrupts)
{
	static struct alloc_stress in_irq, in_loop;
	struct timer t = { 0 };
	u64 bad0, bad1, free0, free1, start;

	memset(&in_irq, 0, sizeof(in_irq));
	memset(&in_loop, 0, sizeof(in_loop));
	bad0 = shrink_all_and_count_bad();
	free0 = pmm_free_pages();

	timer_add(&t, time_ns(), NSEC_PER_SEC / timer_hz, stress_tick, &in_irq);
	start = time_ns();
	while (time_ns() - start < 300 * NSEC_PER_MSEC)
		stress_round(&in_loop);
	timer_cancel(&t);
	stress_release(&in_loop);
	stress_release(&in_irq);

	bad1 = shrink_all_and_count_bad();
	free1 = pmm_free_pages();
	pr_info("  %u rounds in the tick, %u in the loop\n", in_irq.round, in_loop.round);
	/* 75 at 250 Hz; a busy host merges ticks, so only ask for some. */
	if (in_irq.round < 10)
		return KT_FAIL("the tick callback ran only %u times", in_irq.round);
	if (in_irq.failures || in_loop.failures)
		return KT_FAIL("%u failed or trampled allocations in the tick, %u in the loop",
			       in_irq.failures, in_loop.failures);
	if (bad1 != bad0)
		return KT_FAIL("%llu bad frees reported", (unsigned long long)(bad1 - bad0));
	if (free1 != free0)
		return KT_FAIL("free pages %llu before, %llu after",
			       (unsigned long long)free0, (unsigned long long)free1);
	return NULL;
}

/* ---- IOAPIC: the PIT's IRQ 0 through its MADT override ---- */

static void count_irq(struct trap_frame *tf, void *arg)
{
	(*(volatile u32 *)arg)++;
}

/*
 * Counts the PIT's IRQ 0 on gsi, already routed to count_irq, at 250 Hz: a
 * period as long as the tick's, as forgiving of a busy host.
 */
#define PIT_TEST_HZ 250
#define PIT_TEST_WINDOW_MS 200
#define PIT_TEST_EXPECT (PIT_TEST_HZ * PIT_TEST_WINDOW_MS / 1000)

static const char *pit_irq_rate(char *why, size_t why_len, u32 gsi, u16 flags,
				const volatile u32 *irqs, u32 *got)
{
	const char *err = NULL;

	for (int i = 0; i < RATE_ATTEMPTS; i++) {
		u32 n0 = *irqs;
		u64 gap = spin_ns_gap(PIT_TEST_WINDOW_MS * NSEC_PER_MSEC);

		*got = *irqs - n0;
		pr_info("  GSI %u (flags %#x): %u interrupts in %u ms at %u Hz, longest stall %llu us\n",
			gsi, flags, *got, PIT_TEST_WINDOW_MS, PIT_TEST_HZ,
			(unsigned long long)(gap / 1000));
		if (abs_diff(*got, PIT_TEST_EXPECT) * 5 <= PIT_TEST_EXPECT)
			return NULL;
		err = KT_FAIL("%u PIT interrupts on GSI %u in %u ms, expected %u +-20%% (longest stall %llu us)",
			      *got, gsi, PIT_TEST_WINDOW_MS, PIT_TEST_EXPECT,
			      (unsigned long long)(gap / 1000));
		if (!*got)
			break; /* not a slow host: nothing arrives on this line */
	}
	return err;
}

KTEST(ioapic_isa_irq)
{
	static volatile u32 irqs;
	const char *err;
	u16 flags;
	u32 gsi = acpi_isa_irq_to_gsi(0, &flags), got = 0;
	int ret;

	if (subsystem_state_of("ioapic") != SUBSYS_READY) {
		pr_info("  skipped: no IOAPIC routing (ioapic subsystem %s)\n",
			subsystem_state_name(subsystem_state_of("ioapic")));
		return NULL;
	}
	if (!pit_present()) {
		pr_info("  skipped: no PIT to raise IRQ 0\n");
		return NULL;
	}
	irqs = 0;
	ret = irq_route_isa(0, count_irq, (void *)&irqs);
	if (ret)
		return KT_FAIL("routing ISA IRQ 0 (GSI %u) failed: %d", gsi, ret);
	pit_ch0_periodic(PIT_TEST_HZ);
	err = pit_irq_rate(why, why_len, gsi, flags, &irqs, &got);
	irq_unroute_gsi(gsi);

	/*
	 * The PIT is on IOAPIC pin 2 on PCs and every QEMU machine, which the
	 * MADT says with an IRQ 0 -> GSI 2 override. QEMU's microvm tables
	 * leave it out: then check the routing itself on GSI 2, and say so.
	 */
	if (err && !got && gsi != 2) {
		ret = irq_route_gsi(2, 0x5 /* edge, active high */, count_irq, (void *)&irqs);
		if (!ret) {
			u32 got2 = 0;

			if (!pit_irq_rate(why, why_len, 2, 0x5, &irqs, &got2)) {
				pr_warn("  the MADT maps IRQ 0 to GSI %u, but the PIT is on GSI 2 (no override in the firmware tables)\n",
					gsi);
				err = NULL;
			}
			irq_unroute_gsi(2);
		}
	}
	pit_ch0_stop();
	return err;
}
