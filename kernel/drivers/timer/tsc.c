/*
 * The TSC clock: the source of time_ns() and udelay().
 *
 * Calibration times the TSC over several ~10 ms windows of a reference clock
 * and keeps the median, so one window stretched by an SMI, a host preemption
 * or a slow port read does not decide the result. The reference is the HPET
 * when present (its rate is stated exactly and a read is an atomic snapshot);
 * otherwise the PIT, counting 1.193182 MHz clocks. With both, each is
 * measured and a disagreement reported. With neither (QEMU microvm with
 * pit=off), the frequency the CPU or hypervisor states through CPUID is
 * taken, and failing that the RTC's 1024 Hz periodic flag is the ruler.
 * The HPET subsystem may come up after this one (it waits for ACPI); it
 * then calls tsc_recalibrate_hpet() to switch over.
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
/* Results outside this are a broken reference, not a CPU. */
#define TSC_MIN_HZ 1000000ULL
#define TSC_MAX_HZ 100000000000ULL

#define SAMPLE_TRIES 3
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

/* 32 periods of 1024 Hz (31.25 ms) per window, three windows. */
static u64 calibrate_rtc(void)
{
	u64 hz[3];
	int n = 0;

	for (int i = 0; i < 3; i++) {
		u64 cycles = rtc_measure_tsc(32);

		if (cycles)
			hz[n++] = cycles * RTC_PERIODIC_HZ / 32;
	}
	return median_u64(hz, n);
}

static bool plausible(u64 hz)
{
	return hz >= TSC_MIN_HZ && hz <= TSC_MAX_HZ;
}

/*
 * The TSC rate as stated rather than measured: the hypervisor timing leaf
 * (0x40000010, EAX in kHz, from VMware's convention that KVM and QEMU
 * follow when asked), else leaf 0x15 (crystal clock times the TSC/crystal
 * ratio). 0 when neither says.
 */
static u64 cpuid_tsc_hz(void)
{
	u32 a, b, c, d, max;

	if (cpu_features.hypervisor) {
		cpuid(0x40000000, 0, &max, &b, &c, &d);
		if (max >= 0x40000010 && max < 0x40010000) {
			cpuid(0x40000010, 0, &a, &b, &c, &d);
			if (a)
				return (u64)a * 1000;
		}
	}
	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c)
			return (u64)c * b / a;
	}
	return 0;
}

/*
 * A (TSC, HPET) pair: the TSC at the midpoint of the HPET read. The read is
 * an emulator exit under virtualisation, which a busy host can hold up;
 * of a few tries, the one with the shortest TSC span is kept.
 */
static void hpet_sample(u64 *tsc, u64 *ns)
{
	u64 best = ~0ULL;

	for (int i = 0; i < SAMPLE_TRIES; i++) {
		unsigned long f = irq_save();
		u64 a = rdtsc();
		u64 h = hpet_read_ns();
		u64 b = rdtsc();

		irq_restore(f);
		if (b - a < best) {
			best = b - a;
			*tsc = a + (b - a) / 2;
			*ns = h;
		}
	}
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

/*
 * HPET calibration that agrees with an earlier figure, if it can: on a busy
 * host one run can be skewed, and a second or third is not. If they keep
 * disagreeing, the HPET is believed (its rate is stated, the PIT's is
 * measured through slow port reads).
 */
static u64 calibrate_hpet_against(u64 other, const char *other_name)
{
	u64 hz = 0;

	for (int i = 0; i < 3; i++) {
		hz = calibrate_hpet();
		if (!plausible(hz) || !other || ppm_apart(hz, other) <= CAL_DISAGREE_PPM)
			return hz;
	}
	pr_warn("tsc: %s says %llu Hz, HPET says %llu Hz; trusting the HPET\n", other_name,
		(unsigned long long)other, (unsigned long long)hz);
	return hz;
}

int tsc_calibrate(void)
{
	u64 pit = calibrate_pit(), hpet = 0;

	if (pit && !plausible(pit)) {
		pr_warn("tsc: PIT measurement of %llu Hz is not believable; ignoring it\n",
			(unsigned long long)pit);
		pit = 0;
	}
	if (hpet_present())
		hpet = calibrate_hpet_against(pit, "PIT");
	if (hpet && !plausible(hpet)) {
		pr_warn("tsc: HPET measurement of %llu Hz is not believable; ignoring it\n",
			(unsigned long long)hpet);
		hpet = 0;
	}
	if (hpet) {
		tsc_set_hz(hpet, "HPET");
	} else if (pit) {
		tsc_set_hz(pit, "PIT");
	} else {
		u64 stated = cpuid_tsc_hz();

		if (plausible(stated)) {
			tsc_set_hz(stated, "CPUID");
		} else {
			u64 rtc = calibrate_rtc();

			if (!plausible(rtc)) {
				pr_err("tsc: no reference clock: no PIT, no HPET, no TSC rate in CPUID, no RTC\n");
				return -ENODEV;
			}
			tsc_set_hz(rtc, "RTC");
		}
	}
	/* Printed once time_ns() runs, so the lines carry real timestamps. */
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
	u64 hz;

	if (!hpet_present() || !tsc_hz)
		return;
	hz = calibrate_hpet_against(tsc_hz, tsc_source);
	if (!plausible(hz))
		return;
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
