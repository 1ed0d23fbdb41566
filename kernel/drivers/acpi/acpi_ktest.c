/*
 * ACPI self tests. The machine-specific expectations are those of QEMU's
 * firmware tables (the `pc` and `q35` machines), which the test VM uses.
 */
#include "arch/cpu.h"
#include "core/bootinfo.h"
#include "core/ktest.h"
#include "drivers/acpi.h"
#include "drivers/pci.h"
#include "lib/errno.h"

#include "acpi_internal.h"

KTEST(acpi_tables)
{
	unsigned int n = acpi_table_count();

	if (!acpi.present)
		return KT_FAIL("ACPI not found");
	if (!acpi_find_table("FACP", 0) || !acpi_find_table("APIC", 0) ||
	    !acpi_find_table("DSDT", 0))
		return KT_FAIL("FADT, MADT or DSDT missing (%u tables)", n);
	for (unsigned int i = 0; i < n; i++) {
		const struct acpi_sdt_header *h = acpi_table_at(i, NULL);

		if (acpi_checksum(h, h->length))
			return KT_FAIL("%.4s checksum is not zero", h->signature);
	}
	if (acpi_find_table("FACP", 1) || acpi_find_table("XXXX", 0) ||
	    acpi_find_table("FACP", -1))
		return KT_FAIL("acpi_find_table found a table that is not there");
	return NULL;
}

/* Builds an RSDP in a buffer: revision 0 (20 bytes) or 2 (36 bytes). */
static void make_rsdp(u8 *buf, u8 revision)
{
	static const char head[15] = "RSD PTR \0SABLE ";

	for (int i = 0; i < 36; i++)
		buf[i] = 0;
	for (int i = 0; i < 15; i++)
		buf[i] = (u8)head[i];
	buf[15] = revision;
	buf[16] = 0x34;		/* RSDT address */
	buf[8] = (u8)-acpi_checksum(buf, 20);
	if (revision < 2)
		return;
	buf[20] = 36;		/* length */
	buf[24] = 0x78;		/* XSDT address */
	buf[32] = (u8)-acpi_checksum(buf, 36);
}

KTEST(acpi_rsdp_checksums)
{
	u8 buf[36];

	make_rsdp(buf, 0);
	if (!acpi_rsdp_valid(buf, 20))
		return KT_FAIL("good ACPI 1.0 RSDP rejected");
	buf[16] ^= 1;
	if (acpi_rsdp_valid(buf, 20))
		return KT_FAIL("ACPI 1.0 RSDP with a bad checksum accepted");
	make_rsdp(buf, 2);
	if (!acpi_rsdp_valid(buf, 36))
		return KT_FAIL("good ACPI 2.0 RSDP rejected");
	if (acpi_rsdp_valid(buf, 20))
		return KT_FAIL("ACPI 2.0 RSDP accepted with only 20 bytes readable");
	buf[24] ^= 1;	/* outside the first 20 bytes: only the extended sum sees it */
	if (acpi_rsdp_valid(buf, 36))
		return KT_FAIL("ACPI 2.0 RSDP with a bad extended checksum accepted");
	make_rsdp(buf, 2);
	buf[0] = 'r';
	if (acpi_rsdp_valid(buf, 36))
		return KT_FAIL("bad signature accepted");
	return NULL;
}

/* The fallback search must find the same RSDP the boot loader pointed at. */
KTEST(acpi_rsdp_scan)
{
	const char *where = NULL;
	phys_addr_t pa = acpi_scan_for_rsdp(&where);

	if (!pa)
		return KT_FAIL("no RSDP in the EBDA or the BIOS area");
	if (boot_info.rsdp_phys && pa != boot_info.rsdp_phys)
		return KT_FAIL("scan found %#llx in the %s, boot loader said %#llx",
			       (unsigned long long)pa, where,
			       (unsigned long long)boot_info.rsdp_phys);
	return NULL;
}

KTEST(acpi_madt)
{
	u16 flags = 0xffff;

	if (acpi.cpu_count < 1 || acpi.ioapic_count < 1)
		return KT_FAIL("%u CPUs, %u IOAPICs", acpi.cpu_count, acpi.ioapic_count);
	if (!acpi.lapic_phys || !acpi.ioapics[0].phys)
		return KT_FAIL("local APIC %#llx, IOAPIC %#llx",
			       (unsigned long long)acpi.lapic_phys,
			       (unsigned long long)acpi.ioapics[0].phys);
	/* QEMU routes the PIT's IRQ 0 to IOAPIC pin 2 and leaves IRQ 1 alone. */
	if (acpi_isa_irq_to_gsi(0, NULL) != 2)
		return KT_FAIL("IRQ 0 maps to GSI %u, expected 2", acpi_isa_irq_to_gsi(0, NULL));
	if (acpi_isa_irq_to_gsi(1, &flags) != 1 || flags != 0)
		return KT_FAIL("IRQ 1 maps to GSI %u flags %#x, expected 1 and 0",
			       acpi_isa_irq_to_gsi(1, NULL), flags);
	return NULL;
}

KTEST(acpi_fadt)
{
	if (!acpi.pm1a_cnt || !acpi.pm_timer || !acpi.sci_irq)
		return KT_FAIL("PM1a_CNT %#x, PM timer %#x, SCI %u", acpi.pm1a_cnt,
			       acpi.pm_timer, acpi.sci_irq);
	if (inw((u16)acpi.pm1a_cnt) == 0xffff)
		return KT_FAIL("nothing answers at PM1a_CNT %#x", acpi.pm1a_cnt);
	return NULL;
}

KTEST(acpi_s5)
{
	if (!acpi.s5_valid)
		return KT_FAIL("no \\_S5 in the DSDT or SSDTs");
	return NULL;
}

KTEST(acpi_hpet_mcfg)
{
	bool q35 = pci_find(0x8086, 0x29c0, NULL) != NULL;

	if (acpi.hpet_phys & 0x3ff)
		return KT_FAIL("HPET at %#llx is not 1 KiB aligned",
			       (unsigned long long)acpi.hpet_phys);
	if (q35 && !acpi.mcfg_count)
		return KT_FAIL("q35 machine but no MCFG allocation");
	for (u32 i = 0; i < acpi.mcfg_count; i++) {
		/* Each bus takes 1 MiB of ECAM space (PCIe Base 4.0, 7.2.2). */
		if (acpi.mcfg[i].base & ((1u << 20) - 1))
			return KT_FAIL("MCFG base %#llx not 1 MiB aligned",
				       (unsigned long long)acpi.mcfg[i].base);
	}
	return NULL;
}

/* The \_S5 finder on hand-made AML, one encoding variant each. */
struct aml_case {
	const char *what;
	u8 aml[20];
	size_t len;
	int ret;
	u8 a, b;
};

static const struct aml_case aml_cases[] = {
	{ "zero ops", { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0 }, 12, 0, 0, 0 },
	{ "root prefix, byte prefix",
	  { 0x10, 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x07, 0, 0 },
	  16, 0, 5, 7 },
	{ "two-byte PkgLength, word prefix, one op",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x49, 0x00, 0x04, 0x0b, 0x03, 0x00, 0x01, 0, 0 },
	  15, 0, 3, 1 },
	{ "parent prefixes", { 0x08, 0x5e, 0x5e, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01 },
	  12, 0, 1, 1 },
	{ "not after NameOp", { 'x', '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0, 0 }, 10, -ENOENT, 0, 0 },
	{ "truncated package", { 0x08, '_', 'S', '5', '_', 0x12, 0x10, 0x02, 0, 0 }, 10, -EINVAL, 0, 0 },
	{ "value past 3 bits", { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x09, 0 },
	  11, -EINVAL, 0, 0 },
	{ "name reference element",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x02, 'A', 'B', 'C', 'D', 0 }, 13, -EINVAL, 0, 0 },
	{ "one element", { 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x00 }, 9, -EINVAL, 0, 0 },
};

KTEST(acpi_aml_s5)
{
	for (size_t i = 0; i < ARRAY_SIZE(aml_cases); i++) {
		const struct aml_case *c = &aml_cases[i];
		u8 a = 0xee, b = 0xee;
		int ret = acpi_aml_find_s5(c->aml, c->len, &a, &b);

		if (ret != c->ret)
			return KT_FAIL("%s: returned %d, expected %d", c->what, ret, c->ret);
		if (!ret && (a != c->a || b != c->b))
			return KT_FAIL("%s: got %u/%u, expected %u/%u", c->what, a, b, c->a, c->b);
	}
	return NULL;
}
