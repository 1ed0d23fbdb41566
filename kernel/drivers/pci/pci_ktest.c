/*
 * PCI self tests, against the devices QEMU's `pc` (i440FX + PIIX3) and `q35`
 * (Q35 MCH + ICH9) machines always have. The test VM's isa-debug-exit device
 * sits on the ISA bus behind the ISA bridge and has no PCI function to find.
 */
#include "core/ktest.h"
#include "drivers/acpi.h"
#include "drivers/pci.h"

#include "pci_internal.h"

#define PCI_BAR0 0x10
#define PCI_VENDOR_ID 0x00

static struct pci_device *find_at(u8 bus, u8 dev, u8 fn)
{
	struct pci_device *d;

	list_for_each_entry(d, &pci_devices, link) {
		if (d->segment == 0 && d->bus == bus && d->dev == dev && d->fn == fn)
			return d;
	}
	return NULL;
}

static bool is_q35(void)
{
	return pci_find(0x8086, 0x29c0, NULL) != NULL;
}

KTEST(pci_host_bridge)
{
	struct pci_device *d = find_at(0, 0, 0);

	if (!pci_device_count() || !d)
		return KT_FAIL("nothing at 00:00.0 (%u devices)", pci_device_count());
	if (d->vendor_id != 0x8086 || (d->device_id != 0x1237 && d->device_id != 0x29c0))
		return KT_FAIL("00:00.0 is %04x:%04x, not an i440FX or Q35 host bridge",
			       d->vendor_id, d->device_id);
	if (d->class_code != 0x06 || d->subclass != 0x00)
		return KT_FAIL("00:00.0 class %02x%02x, expected 0600", d->class_code, d->subclass);
	return NULL;
}

KTEST(pci_isa_bridge)
{
	struct pci_device *d = pci_find(0x8086, is_q35() ? 0x2918 : 0x7000, NULL);

	if (!d)
		return KT_FAIL("no PIIX3 (8086:7000) or ICH9 LPC (8086:2918) ISA bridge");
	if (d->class_code != 0x06 || d->subclass != 0x01)
		return KT_FAIL("ISA bridge has class %02x%02x", d->class_code, d->subclass);
	if (pci_find_class(0x06, 0x01, NULL) != d)
		return KT_FAIL("pci_find_class(06, 01) does not find it");
	return NULL;
}

/* A slot with nothing in it must read as all ones (master abort). */
KTEST(pci_absent_device)
{
	u8 dev;

	for (dev = 1; dev < 32 && find_at(0, dev, 0); dev++)
		;
	if (dev == 32)
		return KT_FAIL("no empty slot on bus 0 to test");
	if (pci_read16(0, 0, dev, 0, PCI_VENDOR_ID) != 0xffff)
		return KT_FAIL("00:%02x.0 vendor reads %#x, expected 0xffff", dev,
			       pci_read16(0, 0, dev, 0, PCI_VENDOR_ID));
	if (pci_read32(0, 0, dev, 0, PCI_VENDOR_ID) != 0xffffffff)
		return KT_FAIL("00:%02x.0 reads %#x as a dword", dev,
			       pci_read32(0, 0, dev, 0, PCI_VENDOR_ID));
	if (pci_read8(0, 0, 32, 0, 0) != 0xff || pci_read16(0, 0, 0, 0, 1) != 0xffff)
		return KT_FAIL("bad device number or unaligned offset did not read all ones");
	if (pci_find(0xdead, 0xffff, NULL))
		return KT_FAIL("pci_find matched a vendor that is not there");
	return NULL;
}

/* q35 has MCFG, and then ECAM must be used and agree with mechanism 1. */
KTEST(pci_ecam)
{
	struct pci_device *d;

	if (!is_q35()) {
		if (acpi.mcfg_count == 0 && pci_using_ecam())
			return KT_FAIL("ECAM in use without an MCFG");
		return NULL;
	}
	if (!acpi.mcfg_count || !pci_using_ecam())
		return KT_FAIL("q35 but ECAM not in use (%u MCFG allocations)", acpi.mcfg_count);
	list_for_each_entry(d, &pci_devices, link) {
		u32 ecam = pci_read32(d->segment, d->bus, d->dev, d->fn, PCI_VENDOR_ID);
		u32 mech1 = pci_mech1_read32(d->bus, d->dev, d->fn, PCI_VENDOR_ID);

		if (d->segment == 0 && ecam != mech1)
			return KT_FAIL("%02x:%02x.%u reads %#x by ECAM, %#x by mechanism 1",
				       d->bus, d->dev, d->fn, ecam, mech1);
	}
	return NULL;
}

/* Sizing put every BAR back, and sizes are powers of two the base is aligned to. */
KTEST(pci_bars)
{
	struct pci_device *d;

	list_for_each_entry(d, &pci_devices, link) {
		for (int i = 0; i < 6; i++) {
			u64 size = d->bar_size[i];
			u32 reg;

			if (!size)
				continue;
			reg = pci_read32(d->segment, d->bus, d->dev, d->fn, PCI_BAR0 + 4 * i);
			reg &= d->bar_is_io[i] ? ~0x3u : ~0xfu;
			if (reg != (u32)d->bar[i])
				return KT_FAIL("%02x:%02x.%u BAR%d reads %#x after sizing, was %#llx",
					       d->bus, d->dev, d->fn, i, reg,
					       (unsigned long long)d->bar[i]);
			if (size & (size - 1))
				return KT_FAIL("%02x:%02x.%u BAR%d size %#llx", d->bus, d->dev,
					       d->fn, i, (unsigned long long)size);
		}
	}
	/* QEMU's standard VGA: 16 MiB framebuffer in BAR0, 4 KiB of registers in BAR2. */
	d = pci_find(0x1234, 0x1111, NULL);
	if (d && (d->bar_is_io[0] || d->bar_size[0] != 16u << 20 || d->bar_size[2] != 4096))
		return KT_FAIL("VGA BAR0 size %#llx, BAR2 size %#llx",
			       (unsigned long long)d->bar_size[0],
			       (unsigned long long)d->bar_size[2]);
	return NULL;
}

KTEST(pci_list)
{
	unsigned int n = 0;
	u64 prev = 0;
	struct pci_device *d;

	list_for_each_entry(d, &pci_devices, link) {
		u64 key = (u64)d->segment << 16 | (u32)d->bus << 8 | (u32)d->dev << 3 | d->fn;

		if (n && key <= prev)
			return KT_FAIL("list out of order at %02x:%02x.%u", d->bus, d->dev, d->fn);
		prev = key;
		n++;
	}
	if (n != pci_device_count())
		return KT_FAIL("%u on the list, pci_device_count() says %u", n, pci_device_count());
	return NULL;
}
