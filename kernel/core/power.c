/*
 * Power off, reset, and QEMU's debug exit. Section numbers are from the ACPI
 * 6.5 specification.
 */
#include "arch/cpu.h"
#include "core/power.h"
#include "core/printk.h"
#include "core/time.h"
#include "drivers/acpi.h"
#include "mm/vmm.h"

#define DEBUG_EXIT_PORT 0xf4

/* PM1 control register bits (chapter 4, "PM1 Control Registers": the table
 * of fixed hardware feature control bits). */
#define ACPI_SCI_EN (1u << 0)
#define ACPI_GBL_RLS (1u << 2)
#define ACPI_SLP_TYP_SHIFT 10
#define ACPI_SLP_TYP_MASK (7u << ACPI_SLP_TYP_SHIFT)
#define ACPI_SLP_EN (1u << 13)

/* How long firmware gets to hand over to ACPI mode after ACPI_ENABLE. */
#define ACPI_ENABLE_TIMEOUT_MS 3000

/* Reset fallbacks for PC chipsets. */
#define RESET_CONTROL_PORT 0xcf9	/* PIIX/ICH Reset Control Register */
#define RST_CNT_SYS_RST 0x02		/* full reset, not just the CPU */
#define RST_CNT_RST_CPU 0x04		/* the 0->1 edge starts the reset */
#define KBC_STATUS_PORT 0x64
#define KBC_STATUS_IBF 0x02
#define KBC_CMD_PULSE_RESET 0xfe	/* pulse output port bit 0: CPU reset line */

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

void qemu_debug_exit(u8 value)
{
	outb(DEBUG_EXIT_PORT, value);
}

/*
 * Legacy (non-hardware-reduced) platforms boot in legacy mode with SCI_EN
 * clear; OSPM switches to ACPI mode by writing ACPI_ENABLE to SMI_CMD and
 * polling SCI_EN (chapter 4, "Legacy/ACPI Select and the SCI Interrupt", and
 * the FADT SMI_CMD field, 5.2.9). An
 * SMI_CMD of zero means the machine is always in ACPI mode.
 */
static void acpi_enter_acpi_mode(void)
{
	if (inw((u16)acpi.pm1a_cnt) & ACPI_SCI_EN)
		return;
	if (!acpi.smi_cmd || !acpi.acpi_enable) {
		pr_warn("ACPI: SCI_EN is clear and there is no SMI_CMD to set it\n");
		return;
	}
	outb((u16)acpi.smi_cmd, acpi.acpi_enable);
	for (int ms = 0; ms < ACPI_ENABLE_TIMEOUT_MS; ms++) {
		if (inw((u16)acpi.pm1a_cnt) & ACPI_SCI_EN)
			return;
		udelay(1000);
	}
	pr_warn("ACPI: firmware did not enter ACPI mode; trying S5 anyway\n");
}

/*
 * Write SLP_TYPx, then SLP_TYPx with SLP_EN, keeping the other bits (chapter
 * 16, "Transitioning from the Working to the Sleeping State"). GBL_RLS
 * is write-only and must not be echoed back; it raises an SMI.
 */
static void acpi_write_slp_typ(u32 port, u8 typ, bool enable)
{
	u16 v;

	if (!port)
		return;
	v = inw((u16)port);
	v &= (u16)~(ACPI_SLP_TYP_MASK | ACPI_SLP_EN | ACPI_GBL_RLS);
	v |= (u16)(((u32)typ << ACPI_SLP_TYP_SHIFT) & ACPI_SLP_TYP_MASK);
	if (enable)
		v |= ACPI_SLP_EN;
	outw((u16)port, v);
}

__noreturn void power_off(void)
{
	irq_disable();
	if (acpi.present && acpi.s5_valid && acpi.pm1a_cnt) {
		pr_notice("Powering off (ACPI S5)\n");
		acpi_enter_acpi_mode();
		acpi_write_slp_typ(acpi.pm1a_cnt, acpi.s5_typ_a, false);
		acpi_write_slp_typ(acpi.pm1b_cnt, acpi.s5_typ_b, false);
		acpi_write_slp_typ(acpi.pm1a_cnt, acpi.s5_typ_a, true);
		acpi_write_slp_typ(acpi.pm1b_cnt, acpi.s5_typ_b, true);
		/* The machine should be off by now; S5 takes effect at once. */
		udelay(100000);
		pr_emerg("ACPI S5 did not power the machine off\n");
	} else {
		pr_emerg("No ACPI S5 (%s)\n", !acpi.present ? "no ACPI" :
			 !acpi.pm1a_cnt ? "no PM1a control block" : "no \\_S5 object");
	}
	pr_emerg("Power off failed; halting\n");
	cpu_halt_forever();
}

/*
 * The FADT reset register (chapter 4, "Reset Register"): one byte, RESET_VALUE, written to an
 * address in I/O, memory or bus 0 PCI configuration space. For the last, the
 * address encodes device (bits 47:32), function (31:16) and offset (15:0)
 * (5.2.9, RESET_REG).
 */
static void acpi_reset(void)
{
	u64 a = acpi.reset_addr;

	switch (acpi.reset_space) {
	case 0: {
		volatile u8 *reg = ioremap(a, 1);

		if (reg)
			*reg = acpi.reset_value;
		break;
	}
	case 1:
		outb((u16)a, acpi.reset_value);
		break;
	case 2: {
		u32 dev = (a >> 32) & 0x1f, fn = (a >> 16) & 0x7, off = a & 0xff;

		outl(PCI_CONFIG_ADDRESS, 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc));
		outb((u16)(PCI_CONFIG_DATA + (off & 3)), acpi.reset_value);
		break;
	}
	default:
		break;
	}
}

__noreturn void power_reset(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed empty_idt = { 0, 0 };

	irq_disable();
	if (acpi.present && acpi.reset_supported) {
		pr_notice("Restarting system (ACPI reset register)\n");
		acpi_reset();
		udelay(50000);
	}
	pr_notice("Restarting system (reset control port 0xcf9)\n");
	outb(RESET_CONTROL_PORT, RST_CNT_SYS_RST);
	udelay(10);
	outb(RESET_CONTROL_PORT, RST_CNT_SYS_RST | RST_CNT_RST_CPU);
	udelay(50000);
	pr_notice("Restarting system (keyboard controller)\n");
	for (int i = 0; i < 100000 && (inb(KBC_STATUS_PORT) & KBC_STATUS_IBF); i++)
		cpu_relax();
	outb(KBC_STATUS_PORT, KBC_CMD_PULSE_RESET);
	udelay(50000);
	pr_notice("Restarting system (triple fault)\n");
	/* An IDT with no entries: the breakpoint faults, then double and
	 * triple faults, and the CPU resets. */
	__asm__ volatile("lidt %0; int3" :: "m"(empty_idt));
	cpu_halt_forever();
}
