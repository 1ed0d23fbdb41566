/*
 * PCI: configuration space access and the device list.
 *
 * Configuration space is reached through ECAM when the ACPI MCFG table
 * describes it (PCI Express Base 4.0, 7.2.2; PCI Firmware 3.0, 4.1.2), which
 * also gives the extended space past offset 0xff, and otherwise through
 * configuration mechanism 1, the 0xcf8/0xcfc port pair (PCI Local Bus 3.0,
 * 3.2.2.3.2). Enumeration starts at bus 0 and follows PCI-PCI bridges to their
 * secondary buses, as the firmware numbered them; Sable does not renumber
 * buses or move BARs.
 *
 * The device list is built once by pci_init() and not changed afterwards, so
 * readers need no lock.
 */
#include "arch/cpu.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/subsystem.h"
#include "drivers/acpi.h"
#include "drivers/pci.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm/vmm.h"

#include "pci_internal.h"

/* Configuration header (PCI Local Bus 3.0, 6.1). */
#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYSTEM_VENDOR 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_STATUS_CAP_LIST (1u << 4)

#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_MULTIFUNCTION 0x80
#define PCI_HEADER_NORMAL 0
#define PCI_HEADER_BRIDGE 1
#define PCI_HEADER_CARDBUS 2

/* Type 1 header (PCI-to-PCI Bridge Architecture 1.2, 3.2). */
#define PCI_PRIMARY_BUS 0x18
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1a
/* Type 2 header (PC Card Standard 8.0, CardBus bridge): subsystem IDs move. */
#define PCI_CB_SUBSYSTEM_VENDOR 0x40
#define PCI_CB_SUBSYSTEM_ID 0x42
/* Bridges carry their subsystem IDs in a capability (PCI-PCI Bridge 1.2, 3.2.5.13). */
#define PCI_CAP_ID_SSVID 0x0d

/* BAR low bits (PCI Local Bus 3.0, 6.2.5.1). */
#define PCI_BAR_IO 0x1
#define PCI_BAR_MEM_TYPE_MASK 0x6
#define PCI_BAR_MEM_TYPE_64 0x4
#define PCI_BAR_IO_ADDR_MASK (~0x3u)
#define PCI_BAR_MEM_ADDR_MASK (~0xfu)

#define PCI_CLASS_BRIDGE 0x06
#define PCI_SUBCLASS_HOST 0x00

/* Mechanism 1 (PCI Local Bus 3.0, 3.2.2.3.2). */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE 0x80000000u

#define PCI_MAX_BUS 256
#define PCI_MAX_DEV 32
#define PCI_MAX_FN 8
#define PCI_CFG_SIZE 4096
#define ECAM_BUS_SIZE (1UL << 20)

LIST_HEAD(pci_devices);
static unsigned int device_count, bus_count;

/* Mechanism 1 is an address/data pair, and the ECAM windows are mapped on
 * first use: both need one accessor at a time. */
static struct spinlock pci_cfg_lock = SPINLOCK_INIT("pci config");
static bool use_ecam;						/* [set once in init] */
static volatile u8 *ecam_bus[ACPI_MAX_MCFG][PCI_MAX_BUS];	/* [pci_cfg_lock] */

static u8 bus_seen[PCI_MAX_BUS / 8];

bool pci_using_ecam(void)
{
	return use_ecam;
}

static u32 mech1_address(u8 bus, u8 dev, u8 fn, u16 off)
{
	return PCI_CONFIG_ENABLE | (u32)bus << 16 | (u32)dev << 11 | (u32)fn << 8 | (off & 0xfc);
}

/*
 * The address of a register through ECAM, mapping the bus's 1 MiB window on
 * first use; NULL when no MCFG allocation covers the bus. The MCFG base is the
 * address of bus 0 of the segment, even when the allocation starts at a later
 * bus (PCI Firmware 3.0, 4.1.2). Called with pci_cfg_lock held.
 */
static volatile u8 *ecam_address(u16 seg, u8 bus, u8 dev, u8 fn, u16 off)
{
	for (u32 i = 0; i < acpi.mcfg_count && i < ACPI_MAX_MCFG; i++) {
		const struct acpi_mcfg *m = &acpi.mcfg[i];

		if (m->segment != seg || bus < m->bus_start || bus > m->bus_end)
			continue;
		if (!ecam_bus[i][bus]) {
			ecam_bus[i][bus] = ioremap(m->base + ((u64)bus << 20), ECAM_BUS_SIZE);
			if (!ecam_bus[i][bus])
				return NULL;
		}
		return ecam_bus[i][bus] + ((u32)dev << 15 | (u32)fn << 12 | off);
	}
	return NULL;
}

/* A register access the hardware can do: naturally aligned, in range. */
static bool cfg_args_ok(u8 dev, u8 fn, u16 off, unsigned int width)
{
	return dev < PCI_MAX_DEV && fn < PCI_MAX_FN && off + width <= PCI_CFG_SIZE &&
	       !(off & (width - 1));
}

/* Reads of absent devices and unreachable registers return all ones, as the
 * bus does for a master abort (PCI Local Bus 3.0, 6.1). */
static u32 pci_cfg_read(u16 seg, u8 bus, u8 dev, u8 fn, u16 off, unsigned int width)
{
	u32 v = width == 4 ? ~0u : (1u << (8 * width)) - 1;
	volatile u8 *ecam = NULL;
	unsigned long flags;

	if (!cfg_args_ok(dev, fn, off, width))
		return v;
	flags = spin_lock_irqsave(&pci_cfg_lock);
	if (use_ecam)
		ecam = ecam_address(seg, bus, dev, fn, off);
	if (ecam) {
		if (width == 1)
			v = *ecam;
		else if (width == 2)
			v = *(volatile u16 *)ecam;
		else
			v = *(volatile u32 *)ecam;
	} else if (seg == 0 && off < 256) {
		u16 port = PCI_CONFIG_DATA + (off & 3);

		outl(PCI_CONFIG_ADDRESS, mech1_address(bus, dev, fn, off));
		if (width == 1)
			v = inb(port);
		else if (width == 2)
			v = inw(port);
		else
			v = inl(port);
	}
	spin_unlock_irqrestore(&pci_cfg_lock, flags);
	return v;
}

static void pci_cfg_write(u16 seg, u8 bus, u8 dev, u8 fn, u16 off, unsigned int width, u32 v)
{
	volatile u8 *ecam = NULL;
	unsigned long flags;

	if (!cfg_args_ok(dev, fn, off, width))
		return;
	flags = spin_lock_irqsave(&pci_cfg_lock);
	if (use_ecam)
		ecam = ecam_address(seg, bus, dev, fn, off);
	if (ecam) {
		if (width == 1)
			*ecam = (u8)v;
		else if (width == 2)
			*(volatile u16 *)ecam = (u16)v;
		else
			*(volatile u32 *)ecam = v;
	} else if (seg == 0 && off < 256) {
		u16 port = PCI_CONFIG_DATA + (off & 3);

		outl(PCI_CONFIG_ADDRESS, mech1_address(bus, dev, fn, off));
		if (width == 1)
			outb(port, (u8)v);
		else if (width == 2)
			outw(port, (u16)v);
		else
			outl(port, v);
	}
	spin_unlock_irqrestore(&pci_cfg_lock, flags);
}

u32 pci_read32(u16 seg, u8 bus, u8 dev, u8 fn, u16 off)
{
	return pci_cfg_read(seg, bus, dev, fn, off, 4);
}

u16 pci_read16(u16 seg, u8 bus, u8 dev, u8 fn, u16 off)
{
	return (u16)pci_cfg_read(seg, bus, dev, fn, off, 2);
}

u8 pci_read8(u16 seg, u8 bus, u8 dev, u8 fn, u16 off)
{
	return (u8)pci_cfg_read(seg, bus, dev, fn, off, 1);
}

void pci_write32(u16 seg, u8 bus, u8 dev, u8 fn, u16 off, u32 v)
{
	pci_cfg_write(seg, bus, dev, fn, off, 4, v);
}

void pci_write16(u16 seg, u8 bus, u8 dev, u8 fn, u16 off, u16 v)
{
	pci_cfg_write(seg, bus, dev, fn, off, 2, v);
}

u32 pci_mech1_read32(u8 bus, u8 dev, u8 fn, u16 off)
{
	unsigned long flags;
	u32 v = ~0u;

	if (!cfg_args_ok(dev, fn, off, 4) || off >= 256)
		return v;
	flags = spin_lock_irqsave(&pci_cfg_lock);
	outl(PCI_CONFIG_ADDRESS, mech1_address(bus, dev, fn, off));
	v = inl(PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_cfg_lock, flags);
	return v;
}

/*
 * Whether anything answers mechanism 1: the address register of a host bridge
 * that implements it reads back what was written (PCI Local Bus 3.0,
 * 3.2.2.3.2: CONFIG_ADDRESS is a read/write register).
 */
static bool pci_mech1_present(void)
{
	unsigned long flags = spin_lock_irqsave(&pci_cfg_lock);
	u32 saved = inl(PCI_CONFIG_ADDRESS);
	bool ok;

	outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE);
	ok = inl(PCI_CONFIG_ADDRESS) == PCI_CONFIG_ENABLE;
	outl(PCI_CONFIG_ADDRESS, saved);
	spin_unlock_irqrestore(&pci_cfg_lock, flags);
	return ok;
}

static u16 dev_read16(const struct pci_device *d, u16 off)
{
	return pci_read16(d->segment, d->bus, d->dev, d->fn, off);
}

static u32 dev_read32(const struct pci_device *d, u16 off)
{
	return pci_read32(d->segment, d->bus, d->dev, d->fn, off);
}

static u8 dev_read8(const struct pci_device *d, u16 off)
{
	return pci_read8(d->segment, d->bus, d->dev, d->fn, off);
}

static void dev_write16(const struct pci_device *d, u16 off, u16 v)
{
	pci_write16(d->segment, d->bus, d->dev, d->fn, off, v);
}

static void dev_write32(const struct pci_device *d, u16 off, u32 v)
{
	pci_write32(d->segment, d->bus, d->dev, d->fn, off, v);
}

/* Offset of the first capability with this ID, 0 if none (PCI Local Bus 3.0, 6.7). */
static u8 pci_find_capability(const struct pci_device *d, u8 id)
{
	u8 pos;

	if (!(dev_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = dev_read8(d, PCI_CAPABILITY_LIST) & ~3;
	/* 48 is the most capabilities that fit in the 192 bytes past the
	 * header: it bounds the walk should the list loop. */
	for (int n = 0; n < 48 && pos >= 0x40; n++) {
		u16 hdr = dev_read16(d, pos);

		if ((hdr & 0xff) == id)
			return pos;
		pos = (hdr >> 8) & ~3;
	}
	return 0;
}

/*
 * Size one BAR the way PCI Local Bus 3.0, 6.2.5.1 describes: write all ones,
 * read back the mask of writable address bits, restore. Returns how many BAR
 * registers it used (2 for a 64-bit memory BAR).
 */
static unsigned int pci_size_bar(struct pci_device *d, unsigned int i, unsigned int nbars,
				 u16 cmd, bool keep_decoding)
{
	u16 reg = PCI_BAR0 + 4 * i;
	u32 lo = dev_read32(d, reg), lo_mask, hi = 0, hi_mask = 0;
	bool io = lo & PCI_BAR_IO;
	bool is64 = !io && (lo & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64 && i + 1 < nbars;
	u16 decode = io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	bool toggle = !keep_decoding && (cmd & decode);
	unsigned long flags;
	u64 mask, base;

	/*
	 * While the BAR holds all ones the device would claim a range it does
	 * not own, so its decoding is off meanwhile, and interrupts too, so no
	 * handler touches the device in that window.
	 */
	flags = irq_save();
	if (toggle)
		dev_write16(d, PCI_COMMAND, cmd & ~decode);
	dev_write32(d, reg, ~0u);
	lo_mask = dev_read32(d, reg);
	dev_write32(d, reg, lo);
	if (is64) {
		hi = dev_read32(d, reg + 4);
		dev_write32(d, reg + 4, ~0u);
		hi_mask = dev_read32(d, reg + 4);
		dev_write32(d, reg + 4, hi);
	}
	if (toggle)
		dev_write16(d, PCI_COMMAND, cmd);
	irq_restore(flags);

	if (io) {
		/* The upper 16 bits may be hardwired to zero; the lowest
		 * writable bit gives the size either way. */
		mask = lo_mask & PCI_BAR_IO_ADDR_MASK;
		base = lo & PCI_BAR_IO_ADDR_MASK;
	} else {
		mask = (u64)hi_mask << 32 | (lo_mask & PCI_BAR_MEM_ADDR_MASK);
		base = (u64)hi << 32 | (lo & PCI_BAR_MEM_ADDR_MASK);
	}
	if (mask && lo_mask != ~0u) {
		d->bar[i] = base;
		d->bar_size[i] = mask & (~mask + 1);
		d->bar_is_io[i] = io;
	}
	return is64 ? 2 : 1;
}

static void pci_read_bars(struct pci_device *d)
{
	unsigned int nbars;
	u16 cmd;

	switch (d->header_type) {
	case PCI_HEADER_NORMAL:
		nbars = 6;
		break;
	case PCI_HEADER_BRIDGE:
		nbars = 2;
		break;
	default:
		/* A CardBus bridge's one BAR is its socket register block. */
		nbars = 1;
		break;
	}
	cmd = dev_read16(d, PCI_COMMAND);
	for (unsigned int i = 0; i < nbars;) {
		/* Host bridges keep decoding: on some, turning it off cuts the
		 * CPU off from memory. */
		i += pci_size_bar(d, i, nbars, cmd,
				  d->class_code == PCI_CLASS_BRIDGE &&
				  d->subclass == PCI_SUBCLASS_HOST);
	}
}

/* A new pci_device for the function, NULL if absent, ERR_PTR on no memory. */
static struct pci_device *pci_probe_function(u16 seg, u8 bus, u8 dev, u8 fn)
{
	u32 id = pci_read32(seg, bus, dev, fn, PCI_VENDOR_ID);
	struct pci_device *d;
	u32 class;

	/* 0xffff is the master-abort value; 0 is never a valid vendor either. */
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return NULL;
	d = kzalloc(sizeof(*d));
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->segment = seg;
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	d->vendor_id = (u16)id;
	d->device_id = (u16)(id >> 16);
	class = dev_read32(d, PCI_CLASS_REVISION);
	d->revision = (u8)class;
	d->prog_if = (u8)(class >> 8);
	d->subclass = (u8)(class >> 16);
	d->class_code = (u8)(class >> 24);
	d->header_type = dev_read8(d, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	d->irq_line = dev_read8(d, PCI_INTERRUPT_LINE);
	d->irq_pin = dev_read8(d, PCI_INTERRUPT_PIN);
	if (d->header_type == PCI_HEADER_NORMAL) {
		d->subsys_vendor = dev_read16(d, PCI_SUBSYSTEM_VENDOR);
		d->subsys_id = dev_read16(d, PCI_SUBSYSTEM_ID);
	} else if (d->header_type == PCI_HEADER_CARDBUS) {
		d->subsys_vendor = dev_read16(d, PCI_CB_SUBSYSTEM_VENDOR);
		d->subsys_id = dev_read16(d, PCI_CB_SUBSYSTEM_ID);
	} else {
		u8 cap = pci_find_capability(d, PCI_CAP_ID_SSVID);

		if (cap) {
			d->subsys_vendor = dev_read16(d, cap + 4);
			d->subsys_id = dev_read16(d, cap + 6);
		}
	}
	pci_read_bars(d);
	return d;
}

static u64 pci_sort_key(const struct pci_device *d)
{
	return (u64)d->segment << 16 | (u32)d->bus << 8 | (u32)d->dev << 3 | d->fn;
}

/* Keep the list in segment/bus/device/function order, whatever the scan order. */
static void pci_add_device(struct pci_device *d)
{
	struct list_head *pos;

	list_for_each(pos, &pci_devices) {
		if (pci_sort_key(list_entry(pos, struct pci_device, link)) > pci_sort_key(d))
			break;
	}
	list_add_tail(&d->link, pos);
	device_count++;
}

static int pci_scan_bus(u16 seg, u8 bus);

/* Follow a bridge to the bus the firmware numbered behind it. */
static int pci_scan_bridge(const struct pci_device *d)
{
	u8 secondary = dev_read8(d, PCI_SECONDARY_BUS);

	/* A secondary bus at or below the bridge's own bus is unconfigured
	 * (zero after reset) or bogus, and would loop. */
	if (secondary <= d->bus) {
		pr_warn("pci %04x:%02x:%02x.%u: bridge has no bus number; devices behind it "
			"are not enumerated\n", d->segment, d->bus, d->dev, d->fn);
		return 0;
	}
	return pci_scan_bus(d->segment, secondary);
}

static int pci_scan_bus(u16 seg, u8 bus)
{
	if (bus_seen[bus / 8] & (1u << (bus % 8)))
		return 0;
	bus_seen[bus / 8] |= 1u << (bus % 8);
	bus_count++;
	for (u8 dev = 0; dev < PCI_MAX_DEV; dev++) {
		u8 nfn = 1;

		for (u8 fn = 0; fn < nfn; fn++) {
			struct pci_device *d = pci_probe_function(seg, bus, dev, fn);

			if (IS_ERR(d))
				return (int)PTR_ERR(d);
			/* Function 0 must exist for the others to (PCI Local Bus 3.0, 6.2.1). */
			if (!d)
				continue;
			if (fn == 0 && (dev_read8(d, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNCTION))
				nfn = PCI_MAX_FN;
			pci_add_device(d);
			if (d->header_type == PCI_HEADER_BRIDGE || d->header_type == PCI_HEADER_CARDBUS) {
				int err = pci_scan_bridge(d);

				if (err)
					return err;
			}
		}
	}
	return 0;
}

/*
 * A segment from its first bus. When 00:00.0 is a multi-function host bridge,
 * each further host bridge function N is the root of bus N: machines with
 * several host controllers are laid out that way.
 */
static int pci_scan_segment(u16 seg, u8 first_bus)
{
	int err;

	memset(bus_seen, 0, sizeof(bus_seen));
	err = pci_scan_bus(seg, first_bus);
	if (err)
		return err;
	if (!(pci_read8(seg, first_bus, 0, 0, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNCTION))
		return 0;
	for (u8 fn = 1; fn < PCI_MAX_FN && !err; fn++) {
		u32 class = pci_read32(seg, first_bus, 0, fn, PCI_CLASS_REVISION);

		if (pci_read16(seg, first_bus, 0, fn, PCI_VENDOR_ID) == 0xffff ||
		    class >> 16 != (PCI_CLASS_BRIDGE << 8 | PCI_SUBCLASS_HOST))
			continue;
		err = pci_scan_bus(seg, (u8)(first_bus + fn));
	}
	return err;
}

struct pci_device *pci_find(u16 vendor, u16 device, struct pci_device *from)
{
	struct list_head *pos = from ? &from->link : &pci_devices;

	for (pos = pos->next; pos != &pci_devices; pos = pos->next) {
		struct pci_device *d = list_entry(pos, struct pci_device, link);

		if ((vendor == 0xffff || d->vendor_id == vendor) &&
		    (device == 0xffff || d->device_id == device))
			return d;
	}
	return NULL;
}

/* subclass 0xff matches any subclass of the class. */
struct pci_device *pci_find_class(u8 class_code, u8 subclass, struct pci_device *from)
{
	struct list_head *pos = from ? &from->link : &pci_devices;

	for (pos = pos->next; pos != &pci_devices; pos = pos->next) {
		struct pci_device *d = list_entry(pos, struct pci_device, link);

		if (d->class_code == class_code && (subclass == 0xff || d->subclass == subclass))
			return d;
	}
	return NULL;
}

unsigned int pci_device_count(void)
{
	return device_count;
}

/* Names from the PCI Code and ID Assignment Specification 1.11, chapter 1. */
struct pci_class_desc {
	u8 class_code, subclass;
	const char *name;
};

static const struct pci_class_desc class_names[] = {
	{ 0x00, 0x01, "VGA compatible unclassified device" },
	{ 0x01, 0x00, "SCSI storage controller" },
	{ 0x01, 0x01, "IDE interface" },
	{ 0x01, 0x05, "ATA controller" },
	{ 0x01, 0x06, "SATA controller" },
	{ 0x01, 0x07, "Serial Attached SCSI controller" },
	{ 0x01, 0x08, "Non-Volatile memory controller" },
	{ 0x02, 0x00, "Ethernet controller" },
	{ 0x03, 0x00, "VGA compatible controller" },
	{ 0x03, 0x02, "3D controller" },
	{ 0x04, 0x00, "Multimedia video controller" },
	{ 0x04, 0x01, "Multimedia audio controller" },
	{ 0x04, 0x03, "Audio device" },
	{ 0x05, 0x00, "RAM memory" },
	{ 0x06, 0x00, "Host bridge" },
	{ 0x06, 0x01, "ISA bridge" },
	{ 0x06, 0x04, "PCI bridge" },
	{ 0x06, 0x07, "CardBus bridge" },
	{ 0x07, 0x00, "Serial controller" },
	{ 0x07, 0x01, "Parallel controller" },
	{ 0x08, 0x00, "PIC" },
	{ 0x08, 0x02, "Timer" },
	{ 0x08, 0x03, "RTC" },
	{ 0x08, 0x05, "SD Host controller" },
	{ 0x08, 0x06, "IOMMU" },
	{ 0x09, 0x00, "Keyboard controller" },
	{ 0x0c, 0x03, "USB controller" },
	{ 0x0c, 0x05, "SMBus" },
};

/* When the subclass is not listed: the class's own name. */
static const char *const class_fallback[] = {
	[0x00] = "Unclassified device",
	[0x01] = "Mass storage controller",
	[0x02] = "Network controller",
	[0x03] = "Display controller",
	[0x04] = "Multimedia controller",
	[0x05] = "Memory controller",
	[0x06] = "Bridge",
	[0x07] = "Communication controller",
	[0x08] = "Generic system peripheral",
	[0x09] = "Input device controller",
	[0x0a] = "Docking station",
	[0x0b] = "Processor",
	[0x0c] = "Serial bus controller",
	[0x0d] = "Wireless controller",
	[0x0e] = "Intelligent controller",
	[0x0f] = "Satellite communications controller",
	[0x10] = "Encryption controller",
	[0x11] = "Signal processing controller",
	[0x12] = "Processing accelerator",
	[0x13] = "Non-Essential Instrumentation",
};

const char *pci_class_name(u8 class_code, u8 subclass)
{
	for (size_t i = 0; i < ARRAY_SIZE(class_names); i++) {
		if (class_names[i].class_code == class_code && class_names[i].subclass == subclass)
			return class_names[i].name;
	}
	if (class_code < ARRAY_SIZE(class_fallback) && class_fallback[class_code])
		return class_fallback[class_code];
	if (class_code == 0xff)
		return "Unassigned class";
	return "Unknown class";
}

static void pci_print_device(const struct pci_device *d)
{
	char extra[48] = "";

	if (d->header_type == PCI_HEADER_BRIDGE)
		snprintf(extra, sizeof(extra), ", buses %02x-%02x",
			 dev_read8(d, PCI_SECONDARY_BUS), dev_read8(d, PCI_SUBORDINATE_BUS));
	else if (d->irq_pin >= 1 && d->irq_pin <= 4)
		snprintf(extra, sizeof(extra), ", INT%c IRQ %u", 'A' + d->irq_pin - 1, d->irq_line);
	pr_info("pci %04x:%02x:%02x.%u %04x:%04x %s%s\n", d->segment, d->bus, d->dev, d->fn,
		d->vendor_id, d->device_id, pci_class_name(d->class_code, d->subclass), extra);
	for (int i = 0; i < 6; i++) {
		if (!d->bar_size[i])
			continue;
		pr_debug("pci %04x:%02x:%02x.%u   BAR%d %s %#llx size %#llx\n", d->segment,
			 d->bus, d->dev, d->fn, i, d->bar_is_io[i] ? "io " : "mem",
			 (unsigned long long)d->bar[i], (unsigned long long)d->bar_size[i]);
	}
}

/*
 * Uses ECAM when ACPI found an MCFG and ECAM agrees with mechanism 1 about
 * 00:00.0; a mismatch means the table is wrong and mechanism 1 is safer.
 */
static void pci_choose_access(bool mech1)
{
	enum subsystem_state acpi_state = subsystem_state_of("acpi");
	u32 via_ecam;

	/* acpi is linked, and so initialised, before pci; if it has not run
	 * yet the init order changed and ECAM would be missed silently. */
	if (acpi_state == SUBSYS_UNINITIALIZED)
		pr_warn("pci: initialised before acpi; not looking for ECAM\n");
	if (acpi_state != SUBSYS_READY || !acpi.mcfg_count)
		return;
	use_ecam = true;
	via_ecam = pci_read32(0, 0, 0, 0, PCI_VENDOR_ID);
	if (mech1 && via_ecam != pci_mech1_read32(0, 0, 0, PCI_VENDOR_ID)) {
		pr_warn("pci: ECAM at %#llx disagrees with mechanism 1 about 00:00.0; "
			"not using it\n", (unsigned long long)acpi.mcfg[0].base);
		use_ecam = false;
	}
}

static int pci_init(void)
{
	bool mech1 = pci_mech1_present();
	struct pci_device *d;
	int err;

	pci_choose_access(mech1);
	if (!use_ecam && !mech1) {
		pr_err("pci: no ECAM from ACPI and configuration mechanism 1 does not "
		       "respond; no PCI\n");
		return -ENODEV;
	}
	err = pci_scan_segment(0, 0);
	for (u32 i = 0; i < acpi.mcfg_count && use_ecam && !err; i++) {
		bool seen = acpi.mcfg[i].segment == 0;

		for (u32 j = 0; j < i; j++)
			seen |= acpi.mcfg[j].segment == acpi.mcfg[i].segment;
		if (!seen)
			err = pci_scan_segment(acpi.mcfg[i].segment, acpi.mcfg[i].bus_start);
	}
	if (err) {
		pr_err("pci: enumeration stopped: out of memory after %u devices\n", device_count);
		goto free_devices;
	}
	if (!device_count) {
		pr_err("pci: no devices answer, not even a host bridge; no PCI\n");
		return -ENODEV;
	}
	list_for_each_entry(d, &pci_devices, link)
		pci_print_device(d);
	if (use_ecam)
		pr_info("pci: %u devices on %u bus%s, configuration through ECAM at %#llx\n",
			device_count, bus_count, bus_count == 1 ? "" : "es",
			(unsigned long long)acpi.mcfg[0].base);
	else
		pr_info("pci: %u devices on %u bus%s, configuration through ports 0xcf8/0xcfc\n",
			device_count, bus_count, bus_count == 1 ? "" : "es");
	return 0;

free_devices:
	while (!list_empty(&pci_devices)) {
		d = list_first_entry(&pci_devices, struct pci_device, link);
		list_del(&d->link);
		kfree(d);
	}
	device_count = 0;
	return err;
}
SUBSYSTEM(pci, DEPS("slab"), pci_init, false);
