/*
 * IOAPICs: each serves a run of GSIs starting at its gsi_base, one
 * redirection entry per input pin. Entries start masked; a driver routes its
 * line with irq_route_isa() or irq_route_gsi(), which picks the vector
 * VEC_IRQ_BASE + gsi and sends it to the boot CPU.
 *
 * The IOAPICs and the ISA overrides come from the MADT. With ACPI up but no
 * IOAPIC in it, the architectural default is assumed: one IOAPIC at
 * 0xfec00000 serving GSIs from 0, ISA IRQs wired one to one.
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "arch/trap.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/subsystem.h"
#include "drivers/acpi.h"
#include "lib/errno.h"
#include "mm/vmm.h"

/* The register window: an index register and a data register. */
#define IOREGSEL 0x00
#define IOWIN 0x10

#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_RTE(pin) (0x10 + 2 * (pin)) /* low half; high half at +1 */

#define RTE_ACTIVE_LOW (1u << 13)
#define RTE_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)
#define RTE_DEST_SHIFT 24 /* in the high half: physical APIC id */

/* MPS INTI flag values (ACPI_POLARITY_MASK / ACPI_TRIGGER_MASK fields). */
#define INTI_POLARITY_HIGH 0x1
#define INTI_POLARITY_LOW 0x3
#define INTI_TRIGGER_EDGE 0x4
#define INTI_TRIGGER_LEVEL 0xc

#define ISA_IRQS 16

struct ioapic {
	volatile u32 *mmio;
	phys_addr_t phys;
	u32 gsi_base;
	u32 pins;
	u8 id;
};

/* Filled by ioapic_init() on the boot CPU before any routing; read-only
 * afterwards. */
static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int ioapic_count;

/* Serialises IOREGSEL/IOWIN pairs on every IOAPIC, and read-modify-writes
 * of redirection entries. Taken from interrupt handlers too: irqsave. */
static struct spinlock ioapic_lock = SPINLOCK_INIT("ioapic");

static u32 ioapic_read(struct ioapic *io, u32 reg)
{
	io->mmio[IOREGSEL / 4] = reg;
	return io->mmio[IOWIN / 4];
}

static void ioapic_write(struct ioapic *io, u32 reg, u32 v)
{
	io->mmio[IOREGSEL / 4] = reg;
	io->mmio[IOWIN / 4] = v;
}

static struct ioapic *ioapic_for_gsi(u32 gsi, u32 *pin)
{
	for (unsigned int i = 0; i < ioapic_count; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

/* The low half of a redirection entry for vector, from INTI flags, with
 * "conforms to the bus" resolved to the bus's convention. */
static u32 rte_low(u8 vector, u16 flags, bool bus_active_low, bool bus_level)
{
	u32 low = vector; /* fixed delivery, physical destination */
	bool active_low = bus_active_low, level = bus_level;

	if ((flags & ACPI_POLARITY_MASK) == INTI_POLARITY_HIGH)
		active_low = false;
	else if ((flags & ACPI_POLARITY_MASK) == INTI_POLARITY_LOW)
		active_low = true;
	if ((flags & ACPI_TRIGGER_MASK) == INTI_TRIGGER_EDGE)
		level = false;
	else if ((flags & ACPI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
		level = true;
	if (active_low)
		low |= RTE_ACTIVE_LOW;
	if (level)
		low |= RTE_LEVEL;
	return low;
}

static int route(u32 gsi, u16 flags, bool bus_active_low, bool bus_level,
		 irq_handler_fn fn, void *arg)
{
	struct ioapic *io;
	unsigned long f;
	u32 pin, low;
	u8 vector;
	int err;

	if (gsi >= VEC_IRQ_COUNT)
		return -ERANGE;
	io = ioapic_for_gsi(gsi, &pin);
	if (!io)
		return -ENODEV;
	vector = (u8)(VEC_IRQ_BASE + gsi);
	err = irq_set_handler(vector, fn, arg);
	if (err)
		return err;

	low = rte_low(vector, flags, bus_active_low, bus_level);
	f = spin_lock_irqsave(&ioapic_lock);
	/* Destination first, so the line is never live with a stale one. */
	ioapic_write(io, IOAPIC_REG_RTE(pin) + 1, cpu_boot.apic_id << RTE_DEST_SHIFT);
	ioapic_write(io, IOAPIC_REG_RTE(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, f);
	return 0;
}

int irq_route_isa(u8 isa_irq, irq_handler_fn fn, void *arg)
{
	u16 flags;
	u32 gsi;

	if (isa_irq >= ISA_IRQS)
		return -EINVAL;
	gsi = acpi_isa_irq_to_gsi(isa_irq, &flags);
	return route(gsi, flags, false, false, fn, arg);
}

int irq_route_gsi(u32 gsi, u16 flags, irq_handler_fn fn, void *arg)
{
	return route(gsi, flags, true, true, fn, arg);
}

void irq_mask_gsi(u32 gsi, bool masked)
{
	struct ioapic *io;
	unsigned long f;
	u32 pin, low;

	io = ioapic_for_gsi(gsi, &pin);
	if (!io)
		return;
	f = spin_lock_irqsave(&ioapic_lock);
	low = ioapic_read(io, IOAPIC_REG_RTE(pin));
	if (masked)
		low |= RTE_MASKED;
	else
		low &= ~RTE_MASKED;
	ioapic_write(io, IOAPIC_REG_RTE(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, f);
}

void irq_unroute_gsi(u32 gsi)
{
	struct ioapic *io;
	unsigned long f;
	u32 pin;

	io = ioapic_for_gsi(gsi, &pin);
	if (!io || gsi >= VEC_IRQ_COUNT)
		return;
	f = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(io, IOAPIC_REG_RTE(pin), RTE_MASKED);
	ioapic_write(io, IOAPIC_REG_RTE(pin) + 1, 0);
	spin_unlock_irqrestore(&ioapic_lock, f);
	irq_clear_handler((u8)(VEC_IRQ_BASE + gsi));
}

/* Maps one IOAPIC and masks all its pins; false if it cannot be used. */
static bool ioapic_add(phys_addr_t phys, u32 gsi_base)
{
	struct ioapic *io = &ioapics[ioapic_count];

	io->mmio = ioremap(phys, PAGE_SIZE);
	if (!io->mmio) {
		pr_err("ioapic: cannot map %#llx\n", (unsigned long long)phys);
		return false;
	}
	io->phys = phys;
	io->gsi_base = gsi_base;
	io->id = (u8)(ioapic_read(io, IOAPIC_REG_ID) >> 24);
	io->pins = ((ioapic_read(io, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
	for (u32 pin = 0; pin < io->pins; pin++) {
		ioapic_write(io, IOAPIC_REG_RTE(pin), RTE_MASKED);
		ioapic_write(io, IOAPIC_REG_RTE(pin) + 1, 0);
	}
	pr_info("ioapic: id %u at %#llx, GSIs %u-%u\n", io->id,
		(unsigned long long)phys, gsi_base, gsi_base + io->pins - 1);
	ioapic_count++;
	return true;
}

static int ioapic_init(void)
{
	if (acpi.present && acpi.ioapic_count) {
		for (u32 i = 0; i < acpi.ioapic_count && i < ACPI_MAX_IOAPICS; i++)
			ioapic_add(acpi.ioapics[i].phys, acpi.ioapics[i].gsi_base);
	} else {
		pr_info("ioapic: none in the MADT, assuming one IOAPIC at %#lx with ISA IRQs 1:1\n",
			IOAPIC_DEFAULT_PHYS);
		ioapic_add(IOAPIC_DEFAULT_PHYS, 0);
	}
	return ioapic_count ? 0 : -ENODEV;
}
/*
 * After "acpi": the MADT is the one reliable source for where the IOAPICs are
 * and how ISA IRQs are wired (IRQ 0 is on GSI 2 on nearly every board, so a
 * 1:1 guess would be wrong). So when ACPI fails (no RSDP, broken tables),
 * routing is disabled, and with it the drivers that depend on it, but not
 * the boot: the tick is the LAPIC's. The default path above serves an acpi
 * subsystem that succeeds with no tables (acpi.present false).
 */
SUBSYSTEM(ioapic, DEPS("apic", "acpi"), ioapic_init, false);
