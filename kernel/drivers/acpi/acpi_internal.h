/* Shared between the ACPI table code, the AML scanner and their self tests. */
#ifndef SABLE_DRIVERS_ACPI_INTERNAL_H
#define SABLE_DRIVERS_ACPI_INTERNAL_H

#include "drivers/acpi.h"
#include "lib/types.h"

/* Byte sum of len bytes; a valid table sums to zero (ACPI 6.5, 5.2.6). */
u8 acpi_checksum(const void *p, size_t len);

/*
 * Finds `Name (\_S5, Package () { SLP_TYPa, SLP_TYPb, ... })` in an AML byte
 * stream (a DSDT or SSDT body, without the table header). Returns 0 and the two
 * sleep type values, or -ENOENT when there is no such object, or -EINVAL when
 * one was found but it is not a package of at least two integers.
 */
int acpi_aml_find_s5(const u8 *aml, size_t len, u8 *typ_a, u8 *typ_b);

/* Whether p holds a valid RSDP (signature and checksums, ACPI 6.5 5.2.5.3),
 * given avail readable bytes. */
bool acpi_rsdp_valid(const void *p, size_t avail);

/* Searches the EBDA and the BIOS area for a valid RSDP (ACPI 6.5, 5.2.5.1);
 * returns its address and says where in *where, or 0. */
phys_addr_t acpi_scan_for_rsdp(const char **where);

/* The tables the root table (and the FADT, for the DSDT) points at. */
unsigned int acpi_table_count(void);
const struct acpi_sdt_header *acpi_table_at(unsigned int i, phys_addr_t *phys);

#endif
