/*
 * Interrupt controllers: the legacy 8259 pair (remapped and masked), the
 * local APIC of each CPU (xAPIC, memory-mapped) and the IOAPICs that route
 * device interrupt lines (GSIs) to vectors.
 */
#ifndef SABLE_ARCH_APIC_H
#define SABLE_ARCH_APIC_H

#include "arch/trap.h"
#include "lib/types.h"

/* Where the firmware puts them when no table says otherwise. */
#define LAPIC_DEFAULT_PHYS 0xfee00000UL
#define IOAPIC_DEFAULT_PHYS 0xfec00000UL

/* 8259: remap to VEC_LEGACY_PIC and mask every line. */
void pic_disable(void);

/* Local APIC of the calling CPU. */
u32 lapic_id(void);
/* Acknowledges the interrupt in service; installed as irq_eoi. */
void apic_eoi(void);
/* Per-CPU setup (enable, LVTs, task priority); the boot CPU's runs from the
 * apic subsystem, other CPUs call it as they come up. */
void lapic_init_cpu(void);

/*
 * The LAPIC timer, always run with divide-by-16. lapic_timer_hz is the rate
 * its counter decrements at (bus clock / 16), measured once on the boot CPU
 * by lapic_timer_calibrate() against the calibrated TSC; every CPU shares
 * the bus clock, so APs reuse it.
 */
extern u32 lapic_timer_hz;
int lapic_timer_calibrate(void);
/* Periodic interrupts on VEC_LAPIC_TIMER at hz on this CPU; the handler is
 * the caller's to install. */
void lapic_timer_periodic(u32 hz);
void lapic_timer_stop(void);

/*
 * IOAPIC routing. GSI n arrives on vector VEC_IRQ_BASE + n at the boot CPU,
 * so only GSIs below VEC_IRQ_COUNT can be routed (-ERANGE otherwise).
 *
 * flags are the ACPI MPS INTI flags (ACPI_POLARITY_*, ACPI_TRIGGER_*). For
 * irq_route_isa() they come from the MADT overrides (acpi_isa_irq_to_gsi()
 * gives the GSI an ISA IRQ ends up on), and "conforms to the
 * bus" means ISA: edge, active high. For irq_route_gsi(), meant for PCI,
 * "conforms" means PCI: level, active low.
 *
 * Both install fn with irq_set_handler() (-EBUSY if the vector is taken)
 * and unmask the line; -ENODEV when no IOAPIC serves the GSI.
 */
int irq_route_isa(u8 isa_irq, irq_handler_fn fn, void *arg);
int irq_route_gsi(u32 gsi, u16 flags, irq_handler_fn fn, void *arg);
/* Masks the line and removes its handler. */
void irq_unroute_gsi(u32 gsi);
void irq_mask_gsi(u32 gsi, bool masked);

#endif
