/* PCI: configuration space access (mechanism 1, or ECAM from MCFG) and the device list. */
#ifndef SABLE_DRIVERS_PCI_H
#define SABLE_DRIVERS_PCI_H

#include "lib/list.h"
#include "lib/types.h"

struct pci_device {
	u16 segment;
	u8 bus, dev, fn;
	u16 vendor_id, device_id;
	u8 class_code, subclass, prog_if, revision;
	u8 header_type;
	u8 irq_line, irq_pin;
	u16 subsys_vendor, subsys_id;
	u64 bar[6];      /* decoded base addresses (I/O or memory) */
	u64 bar_size[6];
	bool bar_is_io[6];
	struct list_head link;
};

u32 pci_read32(u16 seg, u8 bus, u8 dev, u8 fn, u16 off);
void pci_write32(u16 seg, u8 bus, u8 dev, u8 fn, u16 off, u32 v);
u16 pci_read16(u16 seg, u8 bus, u8 dev, u8 fn, u16 off);
u8 pci_read8(u16 seg, u8 bus, u8 dev, u8 fn, u16 off);
void pci_write16(u16 seg, u8 bus, u8 dev, u8 fn, u16 off, u16 v);

/* Devices matching vendor/device (0xffff matches any), in bus order. */
struct pci_device *pci_find(u16 vendor, u16 device, struct pci_device *from);
struct pci_device *pci_find_class(u8 class_code, u8 subclass, struct pci_device *from);
unsigned int pci_device_count(void);
extern struct list_head pci_devices;
const char *pci_class_name(u8 class_code, u8 subclass);

#endif
