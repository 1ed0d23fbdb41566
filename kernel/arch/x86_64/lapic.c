/*
 * The local APIC in xAPIC mode, reached through its 4 KiB MMIO window.
 *
 * The window's address is taken from IA32_APIC_BASE: that is the address the
 * CPU actually decodes, and it is there before any table is parsed. The MADT
 * reports the same address on every sane system; when ACPI is already up a
 * disagreement is reported. This is what lets the apic subsystem depend only
 * on "vmm" (see the note at SUBSYSTEM below).
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "arch/trap.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/acpi.h"
#include "drivers/timer.h"
#include "lib/errno.h"
#include "mm/vmm.h"

#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_ESR 0x280
#define LAPIC_LVT_CMCI 0x2f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF 0x340
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_DELIVERY_NMI (4u << 8)
#define SVR_ENABLE (1u << 8)
#define TIMER_DIVIDE_16 0x3

#define APIC_BASE_BSP (1UL << 8)
#define APIC_BASE_X2APIC (1UL << 10)
#define APIC_BASE_ENABLE (1UL << 11)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000UL

/* Calibration: several short windows, the median wins. */
#define CAL_WINDOWS 5
#define CAL_WINDOW_NS (5 * NSEC_PER_MSEC)

/* Set once by apic_init() on the boot CPU; read-only afterwards. The same
 * physical window reaches each CPU's own LAPIC. */
static volatile u32 *lapic_mmio;
static phys_addr_t lapic_phys;

/* Set by lapic_timer_calibrate() on the boot CPU before any CPU starts its
 * timer; read-only afterwards. */
u32 lapic_timer_hz;

static inline u32 lapic_read(u32 reg)
{
	return lapic_mmio[reg / 4];
}

static inline void lapic_write(u32 reg, u32 v)
{
	lapic_mmio[reg / 4] = v;
}

u32 lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void apic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void lapic_error(struct trap_frame *tf, void *arg)
{
	u32 esr;

	/* ESR latches errors only when written: write, then read. */
	lapic_write(LAPIC_ESR, 0);
	esr = lapic_read(LAPIC_ESR);
	pr_warn("apic: error interrupt on APIC %u, ESR %#x\n", lapic_id(), esr);
}

void lapic_init_cpu(void)
{
	u32 max_lvt = ((lapic_read(LAPIC_VERSION) >> 16) & 0xff) + 1;

	/*
	 * Software-enable first: while disabled, the LVT mask bits are forced
	 * on and writes clearing them are ignored.
	 */
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	/* LINT0 is the 8259's virtual-wire input; the 8259s are masked. */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	/* LINT1 carries the board's NMI, which only the boot CPU should take. */
	if (rdmsr(MSR_APIC_BASE) & APIC_BASE_BSP)
		lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI);
	else
		lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	if (max_lvt >= 5)
		lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	if (max_lvt >= 6)
		lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	if (max_lvt >= 7)
		lapic_write(LAPIC_LVT_CMCI, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);

	/* Back-to-back writes clear errors left over from before. */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	this_cpu()->apic_id = lapic_id();
}

/* One (time, current count) pair; the time is the midpoint of two reads
 * around the count so a slow MMIO read does not skew it. */
static void timer_sample(u64 *ns, u32 *count)
{
	unsigned long f = irq_save();
	u64 a = time_ns();

	*count = lapic_read(LAPIC_TIMER_CURRENT);
	*ns = a + (time_ns() - a) / 2;
	irq_restore(f);
}

int lapic_timer_calibrate(void)
{
	u64 rates[CAL_WINDOWS], rate;
	int n = 0;

	if (!time_ns())
		return -EAGAIN; /* needs the calibrated TSC */
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	/* Masked one-shot: counts down from the initial value, never fires. */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	for (int i = 0; i < CAL_WINDOWS; i++) {
		u64 t0, t1;
		u32 c0, c1;

		lapic_write(LAPIC_TIMER_INITIAL, 0xffffffffu);
		timer_sample(&t0, &c0);
		do {
			cpu_relax();
			timer_sample(&t1, &c1);
		} while (t1 - t0 < CAL_WINDOW_NS && c1);
		if (!c1 || c1 >= c0 || t1 == t0)
			continue; /* ran out or did not move: no usable window */
		rates[n++] = (u64)(c0 - c1) * NSEC_PER_SEC / (t1 - t0);
	}
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	if (!n)
		return -EIO;

	/* The median ignores a window the host stretched. */
	rate = median_u64(rates, n);
	if (!rate || rate > 0xffffffffu)
		return -ERANGE;
	lapic_timer_hz = (u32)rate;
	pr_info("apic: timer %u.%03u MHz (bus clock / 16)\n",
		lapic_timer_hz / 1000000, lapic_timer_hz / 1000 % 1000);
	return 0;
}

void lapic_timer_periodic(u32 hz)
{
	u32 count = (lapic_timer_hz + hz / 2) / hz;

	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	/* LVT before the count: writing the count is what starts the timer. */
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, count ? count : 1);
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}

static int apic_init(void)
{
	u64 base;
	int err;

	if (!cpu_features.apic) {
		pr_err("apic: this CPU has no local APIC\n");
		return -ENODEV;
	}
	pic_disable();

	base = rdmsr(MSR_APIC_BASE);
	lapic_phys = base & APIC_BASE_ADDR_MASK;
	if (!lapic_phys)
		lapic_phys = LAPIC_DEFAULT_PHYS;
	if (subsystem_state_of("acpi") == SUBSYS_READY && acpi.present &&
	    acpi.lapic_phys && acpi.lapic_phys != lapic_phys)
		pr_warn("apic: MADT says the LAPIC is at %#llx, the CPU says %#llx; using the CPU's\n",
			(unsigned long long)acpi.lapic_phys,
			(unsigned long long)lapic_phys);
	if (base & APIC_BASE_X2APIC) {
		/* Leaving x2APIC mode has to go through the disabled state. */
		base &= ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE);
		wrmsr(MSR_APIC_BASE, base);
	}
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);

	lapic_mmio = ioremap(lapic_phys, PAGE_SIZE);
	if (!lapic_mmio)
		return -ENOMEM;
	err = irq_set_handler(VEC_LAPIC_ERROR, lapic_error, NULL);
	if (err)
		return err;
	lapic_init_cpu();
	irq_eoi = apic_eoi;
	pr_info("apic: local APIC %u at %#llx, version %#x; 8259s masked\n",
		lapic_id(), (unsigned long long)lapic_phys,
		lapic_read(LAPIC_VERSION) & 0xff);
	return 0;
}
/*
 * Depends on "vmm" (for ioremap) and not on "acpi": the LAPIC address comes
 * from the MSR, and the essential timer depends on this subsystem, so a
 * failed or absent ACPI must not take the clock (and the boot) down with it.
 * Essential: without a LAPIC there is no tick and no EOI.
 */
SUBSYSTEM(apic, DEPS("vmm"), apic_init, true);
