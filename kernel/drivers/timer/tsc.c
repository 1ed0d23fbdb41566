/*
 * The TSC clock: the source of time_ns() and udelay().
 *
 * Calibration times the TSC over several ~10 ms windows of a reference clock
 * and keeps the median, so one window stretched by an SMI, a host preemption
 * or a slow port read does not decide the result. The reference is the HPET
 * when present (its rate is stated exactly and a read is an atomic snapshot);
 * otherwise the PIT, whose channel 2 gives windows of an exact number of
 * 1.193182 MHz clocks. With both, each is measured and a disagreement
 * reported. The HPET subsystem may come up after this one (it waits for
 * ACPI); it then calls tsc_recalibrate_hpet() to switch over.
 *
 * time_ns() = clk_base_ns + (rdtsc() - clk_base_tsc) * clk_mult / 2^32,
 * where clk_mult is ns per cycle in 32.32 fixed point. mul_u64_shr32() does
 * the product without a 128-bit type and cannot overflow before the result
 * does (some 580 years). A change of rate moves the base to "now" first, so
 * time never steps backwards.
 */
#include "arch/cpu.h"
#include "core/printk.h"
#include "core/time.h"
#include "drivers/timer.h"
#include "lib/errno.h"

#define CAL_WINDOWS 5
#define CAL_WINDOW_NS (10 * NSEC_PER_MSEC)
#define PIT_WINDOW_TICKS ((u16)(PIT_HZ / 100)) /* 10 ms */
/* Far more HPET reads than a 10 ms window needs: a stopped counter ends
 * the loop instead of hanging the boot. */
#define HPET_POLL_LIMIT 10000000u
/* Beyond this the two references disagree enough to say so. */
#define CAL_DISAGREE_PPM 10000

u64 tsc_khz;

/*
 * Written by tsc_set_hz() on the boot CPU with interrupts off, before any
 * other CPU runs (calibration is part of boot), so readers never see a
 * half-updated set; read locklessly by time_ns() everywhere.
 */
static u64 clk_base_tsc, clk_base_ns, clk_mult;
static u64 tsc_hz;
static const char *tsc_source = "none";

u64 median_u64(u64 *v, int n)
{
	for (int i = 1; i < n; i++) {
		u64 x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return n ? v[n / 2] : 0;
}

u64 time_ns(void)
{
	u64 now = rdtsc();

	if (!clk_mult)
		return 0;
	/* Another CPU's TSC may trail this one's base slightly: clamp. */
	if ((s64)(now - clk_base_tsc) < 0)
		return clk_base_ns;
	return clk_base_ns + mul_u64_shr32(now - clk_base_tsc, clk_mult);
}

static void tsc_set_hz(u64 hz, const char *source)
{
	unsigned long f = irq_save();
	u64 now = rdtsc();

	/* First calibration: time counts from kernel entry. Later ones: from
	 * where the old rate had got to, so time_ns() stays monotonic. */
	if (clk_mult) {
		clk_base_ns += mul_u64_shr32(now - clk_base_tsc, clk_mult);
		clk_base_tsc = now;
	} else {
		clk_base_ns = 0;
		clk_base_tsc = boot_tsc;
	}
	clk_mult = (NSEC_PER_SEC << 32) / hz;
	tsc_hz = hz;
	tsc_khz = hz / 1000;
	tsc_source = source;
	irq_restore(f);
}

const char *tsc_calibration_source(void)
{
	return tsc_source;
}

static u64 calibrate_pit(void)
{
	u64 hz[CAL_WINDOWS];
	int n = 0;

	for (int i = 0; i < CAL_WINDOWS; i++) {
		u64 cycles = pit_measure_tsc(PIT_WINDOW_TICKS);

		if (cycles)
			hz[n++] = cycles * PIT_HZ / PIT_WINDOW_TICKS;
	}
	return median_u64(hz, n);
}

/* A (TSC, HPET) pair: the TSC at the midpoint of the HPET read. */
static void hpet_sample(u64 *tsc, u64 *ns)
{
	unsigned long f = irq_save();
	u64 a = rdtsc();

	*ns = hpet_read_ns();
	*tsc = a + (rdtsc() - a) / 2;
	irq_restore(f);
}

static u64 calibrate_hpet(void)
{
	u64 hz[CAL_WINDOWS];
	int n = 0;

	for (int i = 0; i < CAL_WINDOWS; i++) {
		u64 t0, t1, n0, n1;
		u32 polls = 0;

		hpet_sample(&t0, &n0);
		do {
			cpu_relax();
			hpet_sample(&t1, &n1);
		} while (n1 - n0 < CAL_WINDOW_NS && ++polls < HPET_POLL_LIMIT);
		if (n1 - n0 >= CAL_WINDOW_NS)
			hz[n++] = (t1 - t0) * NSEC_PER_SEC / (n1 - n0);
	}
	return median_u64(hz, n);
}

static void print_mhz(const char *what, u64 hz)
{
	pr_info("tsc: %s %llu.%03llu MHz\n", what, (unsigned long long)(hz / 1000000),
		(unsigned long long)(hz / 1000 % 1000));
}

/* Difference of a from b in parts per million of b. */
static u64 ppm_apart(u64 a, u64 b)
{
	return (a > b ? a - b : b - a) * 1000000 / b;
}

int tsc_calibrate(void)
{
	u64 pit = calibrate_pit();
	u64 hpet = hpet_present() ? calibrate_hpet() : 0;

	if (!pit && !hpet) {
		pr_err("tsc: no reference clock (no PIT output, no HPET)\n");
		return -ENODEV;
	}
	if (pit && hpet && ppm_apart(pit, hpet) > CAL_DISAGREE_PPM)
		pr_warn("tsc: PIT says %llu Hz, HPET says %llu Hz; trusting the HPET\n",
			(unsigned long long)pit, (unsigned long long)hpet);
	if (hpet)
		tsc_set_hz(hpet, "HPET");
	else
		tsc_set_hz(pit, "PIT");
	if (pit)
		print_mhz("against the PIT:", pit);
	if (hpet)
		print_mhz("against the HPET:", hpet);
	pr_info("tsc: %llu.%03llu MHz from the %s; %s\n",
		(unsigned long long)(tsc_hz / 1000000),
		(unsigned long long)(tsc_hz / 1000 % 1000), tsc_source,
		cpu_features.invariant_tsc ? "invariant (constant rate in all P/C-states)" :
		"not invariant: the rate may follow CPU frequency changes");
	return 0;
}

void tsc_recalibrate_hpet(void)
{
	u64 hz, old = tsc_hz;

	if (!hpet_present() || !old)
		return;
	hz = calibrate_hpet();
	if (!hz)
		return;
	if (ppm_apart(hz, old) > CAL_DISAGREE_PPM)
		pr_warn("tsc: %s said %llu Hz, HPET says %llu Hz; trusting the HPET\n",
			tsc_source, (unsigned long long)old, (unsigned long long)hz);
	tsc_set_hz(hz, "HPET");
	print_mhz("recalibrated against the HPET:", hz);
}

void udelay(u64 us)
{
	u64 start, cycles;

	if (!tsc_khz) {
		/* Before calibration: the PIT is the only clock that needs none. */
		pit_wait_us(us);
		return;
	}
	start = rdtsc();
	cycles = us * tsc_khz / 1000;
	while (rdtsc() - start < cycles)
		cpu_relax();
}
