/* What the boot loader told us, copied out of its structures at entry. */
#ifndef SABLE_CORE_BOOTINFO_H
#define SABLE_CORE_BOOTINFO_H

#include "lib/types.h"

#define BOOT_PVH 1
#define BOOT_MULTIBOOT2 2

/* Memory region types, as in the E820 map. */
#define BOOT_MEM_USABLE 1
#define BOOT_MEM_RESERVED 2
#define BOOT_MEM_ACPI 3
#define BOOT_MEM_NVS 4
#define BOOT_MEM_BAD 5

#define BOOT_MEM_MAX 128
#define BOOT_CMDLINE_MAX 1024

struct boot_mem_region {
	u64 base;
	u64 len;
	u32 type;
};

struct boot_info {
	int protocol;
	const char *loader;
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_mem_region mem[BOOT_MEM_MAX];
	unsigned int mem_count;
	phys_addr_t initrd_start; /* 0: none */
	u64 initrd_size;
	phys_addr_t rsdp_phys;    /* 0: unknown, search for it */
	u8 rsdp_copy[36];         /* Multiboot2 hands a copy of the RSDP */
	bool have_rsdp_copy;
};

extern struct boot_info boot_info;
/* Returns 0, or -EINVAL when the protocol or its structures are not recognised. */
int bootinfo_parse(u32 protocol, u32 info_phys);
const char *boot_mem_type_name(u32 type);

#endif
