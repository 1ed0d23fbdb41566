/*
 * The HPET, used as a reference clock only: its main counter runs at a rate
 * the hardware states exactly (the period in femtoseconds, in the
 * capabilities register), which makes it a better ruler for the TSC than the
 * PIT. Its comparators are left disabled and legacy replacement off, so the
 * PIT and RTC keep their usual IRQs.
 */
#include "core/printk.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/acpi.h"
#include "drivers/timer.h"
#include "lib/errno.h"
#include "mm/vmm.h"

#define HPET_CAP 0x000
#define HPET_CONFIG 0x010
#define HPET_COUNTER 0x0f0
#define HPET_TIMER_CONFIG(n) (0x100 + 0x20 * (n))

#define HPET_CAP_COUNT_64 (1UL << 13)
#define HPET_CAP_TIMERS(c) ((unsigned int)(((c) >> 8) & 0x1f) + 1)
#define HPET_CAP_PERIOD_FS(c) ((c) >> 32)
#define HPET_MAX_PERIOD_FS 100000000UL /* the spec's limit: 100 ns */
#define HPET_CFG_ENABLE (1UL << 0)
#define HPET_CFG_LEGACY (1UL << 1)
#define HPET_TN_INT_ENABLE (1UL << 2)

#define FS_PER_NS 1000000UL

/* Set once by hpet_init() on the boot CPU; read-only afterwards. */
static volatile u64 *hpet_mmio;
static bool hpet_64bit;
static u64 hpet_mult;  /* ns per counter tick, 32.32 fixed point */
static u64 hpet_start; /* counter value when enabled: hpet_read_ns() origin */

static inline u64 hpet_reg(u32 off)
{
	return hpet_mmio[off / 8];
}

static inline void hpet_set_reg(u32 off, u64 v)
{
	hpet_mmio[off / 8] = v;
}

bool hpet_present(void)
{
	return hpet_mmio != NULL;
}

static u64 hpet_counter(void)
{
	if (hpet_64bit)
		return hpet_reg(HPET_COUNTER);
	/* A 32-bit counter: read only the low half, the high one is not
	 * guaranteed to be zero. */
	return *(volatile u32 *)&hpet_mmio[HPET_COUNTER / 8];
}

u64 hpet_read_ns(void)
{
	u64 ticks;

	if (!hpet_mmio)
		return 0;
	ticks = hpet_counter() - hpet_start;
	if (!hpet_64bit)
		ticks &= 0xffffffffu;
	return mul_u64_shr32(ticks, hpet_mult);
}

static int hpet_init(void)
{
	volatile u64 *mmio;
	u64 cap, period, cfg, hz;

	if (!acpi.present || !acpi.hpet_phys) {
		pr_info("hpet: none\n");
		return 0; /* not an error: the PIT serves instead */
	}
	mmio = ioremap(acpi.hpet_phys, PAGE_SIZE);
	if (!mmio)
		return -ENOMEM;
	cap = mmio[HPET_CAP / 8];
	period = HPET_CAP_PERIOD_FS(cap);
	if (!period || period > HPET_MAX_PERIOD_FS) {
		pr_warn("hpet: bad counter period %llu fs, not using it\n",
			(unsigned long long)period);
		return -EIO;
	}

	/* Comparators off: nothing here wants HPET interrupts. */
	for (unsigned int n = 0; n < HPET_CAP_TIMERS(cap); n++)
		mmio[HPET_TIMER_CONFIG(n) / 8] &= ~HPET_TN_INT_ENABLE;
	cfg = mmio[HPET_CONFIG / 8];
	cfg &= ~HPET_CFG_LEGACY;
	mmio[HPET_CONFIG / 8] = cfg | HPET_CFG_ENABLE;

	hpet_64bit = cap & HPET_CAP_COUNT_64;
	hpet_mult = (period << 32) / FS_PER_NS;
	hpet_mmio = mmio;
	hpet_start = hpet_counter();
	hz = 1000000000000000ULL / period;
	pr_info("hpet: at %#llx, %llu.%06llu MHz, %u-bit counter, %u comparators\n",
		(unsigned long long)acpi.hpet_phys,
		(unsigned long long)(hz / 1000000), (unsigned long long)(hz % 1000000),
		hpet_64bit ? 64 : 32, HPET_CAP_TIMERS(cap));

	/* The timer subsystem may have calibrated the TSC against the PIT
	 * before this ran: re-measure against the better clock. */
	if (tsc_khz)
		tsc_recalibrate_hpet();
	return 0;
}
/*
 * After "acpi", the only place the HPET's address comes from. Not essential,
 * and nothing depends on it: the clock calibrates against the PIT without it.
 */
SUBSYSTEM(hpet, DEPS("acpi", "vmm"), hpet_init, false);
