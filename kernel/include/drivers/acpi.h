/* ACPI: the tables Sable reads (RSDP, RSDT/XSDT, MADT, FADT, HPET, MCFG, DSDT). */
#ifndef SABLE_DRIVERS_ACPI_H
#define SABLE_DRIVERS_ACPI_H

#include "lib/types.h"

struct acpi_sdt_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_MCFG 4

/* Interrupt source override flags (MPS INTI flags) */
#define ACPI_POLARITY_MASK 0x3
#define ACPI_POLARITY_LOW 0x3
#define ACPI_TRIGGER_MASK 0xc
#define ACPI_TRIGGER_LEVEL 0xc

struct acpi_ioapic {
	u8 id;
	phys_addr_t phys;
	u32 gsi_base;
};

struct acpi_override {
	u8 source_irq; /* ISA IRQ */
	u32 gsi;
	u16 flags;
};

struct acpi_mcfg {
	phys_addr_t base;
	u16 segment;
	u8 bus_start, bus_end;
};

struct acpi_info {
	bool present;
	u8 revision;               /* RSDP revision: 0 = ACPI 1.0, 2 = 2.0+ */
	char oem_id[7];
	/* MADT */
	phys_addr_t lapic_phys;
	u32 cpu_count;
	u8 cpu_apic_ids[ACPI_MAX_CPUS];
	u32 ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	u32 override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	bool has_8259;             /* PCAT_COMPAT */
	/* FADT */
	u32 pm1a_cnt, pm1b_cnt;    /* I/O ports, 0 if absent */
	u32 pm_timer;              /* PM timer I/O port, 0 if absent */
	u16 sci_irq;
	u32 smi_cmd;
	u8 acpi_enable;
	u8 century;                /* RTC CMOS index of the century, 0 if none */
	u16 iapc_boot_arch;
	bool reset_supported;
	u8 reset_space;            /* 0 memory, 1 I/O, 2 PCI config */
	u64 reset_addr;
	u8 reset_value;
	/* \_S5 sleep type values for PM1a/PM1b control, from the DSDT */
	bool s5_valid;
	u8 s5_typ_a, s5_typ_b;
	/* HPET */
	phys_addr_t hpet_phys;     /* 0 if absent */
	/* MCFG (PCI Express ECAM) */
	u32 mcfg_count;
	struct acpi_mcfg mcfg[ACPI_MAX_MCFG];
};

extern struct acpi_info acpi;

/* Find the index-th table with this signature; NULL if none. */
const struct acpi_sdt_header *acpi_find_table(const char sig[4], int index);
/* ISA IRQ -> GSI and flags after the MADT overrides. */
u32 acpi_isa_irq_to_gsi(u8 irq, u16 *flags);

#endif
