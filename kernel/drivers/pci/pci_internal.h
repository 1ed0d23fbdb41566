/* Shared between the PCI core and its self tests. */
#ifndef SABLE_DRIVERS_PCI_INTERNAL_H
#define SABLE_DRIVERS_PCI_INTERNAL_H

#include "lib/types.h"

/* True when configuration space goes through ECAM (memory) rather than
 * mechanism 1 (ports 0xcf8/0xcfc). */
bool pci_using_ecam(void);
/* A mechanism 1 read, bypassing ECAM: lets the tests compare the two. */
u32 pci_mech1_read32(u8 bus, u8 dev, u8 fn, u16 off);

#endif
