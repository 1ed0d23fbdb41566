/*
 * Boot protocols. PVH: struct hvm_start_info (Xen's arch-x86/hvm/start_info.h,
 * version 1 carries the memory map). Multiboot2: the tag list of the
 * Multiboot2 specification, section 3.6.
 */
#include "core/bootinfo.h"
#include "core/printk.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/layout.h"

struct boot_info boot_info;

#define PVH_MAGIC 0x336ec578

struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr; /* version >= 1 */
	u32 memmap_entries;
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
};

struct hvm_memmap_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
};

static void add_region(u64 base, u64 len, u32 type)
{
	struct boot_mem_region *r;

	if (boot_info.mem_count >= BOOT_MEM_MAX || len == 0)
		return;
	if (type < BOOT_MEM_USABLE || type > BOOT_MEM_BAD)
		type = BOOT_MEM_RESERVED;
	r = &boot_info.mem[boot_info.mem_count++];
	r->base = base;
	r->len = len;
	r->type = type;
}

static void copy_cmdline(const char *s)
{
	strlcpy(boot_info.cmdline, s, sizeof(boot_info.cmdline));
}

static int parse_pvh(u32 info_phys)
{
	const struct hvm_start_info *si = phys_to_virt(info_phys);

	if (si->magic != PVH_MAGIC)
		return -EINVAL;
	boot_info.loader = "PVH";
	if (si->cmdline_paddr)
		copy_cmdline(phys_to_virt(si->cmdline_paddr));
	if (si->nr_modules && si->modlist_paddr) {
		const struct hvm_modlist_entry *m = phys_to_virt(si->modlist_paddr);

		boot_info.initrd_start = m->paddr;
		boot_info.initrd_size = m->size;
	}
	boot_info.rsdp_phys = si->rsdp_paddr;
	if (si->version >= 1 && si->memmap_paddr) {
		const struct hvm_memmap_entry *e = phys_to_virt(si->memmap_paddr);

		for (u32 i = 0; i < si->memmap_entries; i++)
			add_region(e[i].addr, e[i].size, e[i].type);
	}
	return boot_info.mem_count ? 0 : -EINVAL;
}

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

struct mb2_tag {
	u32 type;
	u32 size;
};

static char mb2_loader_name[64];

static void mb2_tag(const struct mb2_tag *t)
{
	const u8 *body = (const u8 *)(t + 1);

	switch (t->type) {
	case MB2_TAG_CMDLINE:
		copy_cmdline((const char *)body);
		break;
	case MB2_TAG_LOADER:
		strlcpy(mb2_loader_name, (const char *)body, sizeof(mb2_loader_name));
		boot_info.loader = mb2_loader_name;
		break;
	case MB2_TAG_MODULE:
		if (!boot_info.initrd_start) { /* the first module is the initrd */
			const u32 *m = (const u32 *)body;

			boot_info.initrd_start = m[0];
			boot_info.initrd_size = m[1] - m[0];
		}
		break;
	case MB2_TAG_MMAP: {
		u32 esize = ((const u32 *)body)[0];
		const u8 *e = body + 8, *end = (const u8 *)t + t->size;

		for (; esize >= 20 && e + esize <= end; e += esize)
			add_region(*(const u64 *)e, *(const u64 *)(e + 8), *(const u32 *)(e + 16));
		break;
	}
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		/* Prefer the ACPI 2.0 copy when both are given. */
		if (t->type == MB2_TAG_ACPI_NEW || !boot_info.have_rsdp_copy) {
			size_t n = MIN(t->size - 8, sizeof(boot_info.rsdp_copy));

			memcpy(boot_info.rsdp_copy, body, n);
			boot_info.have_rsdp_copy = true;
		}
		break;
	}
}

static int parse_mb2(u32 info_phys)
{
	const u8 *info = phys_to_virt(info_phys);
	u32 total = *(const u32 *)info;
	const u8 *p = info + 8, *end = info + total;

	boot_info.loader = "Multiboot2";
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *t = (const struct mb2_tag *)p;

		if (t->type == MB2_TAG_END || t->size < 8)
			break;
		mb2_tag(t);
		p += ALIGN_UP(t->size, 8);
	}
	return boot_info.mem_count ? 0 : -EINVAL;
}

int bootinfo_parse(u32 protocol, u32 info_phys)
{
	boot_info.protocol = (int)protocol;
	if (protocol == BOOT_PVH)
		return parse_pvh(info_phys);
	if (protocol == BOOT_MULTIBOOT2)
		return parse_mb2(info_phys);
	return -EINVAL;
}

const char *boot_mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE: return "usable";
	case BOOT_MEM_ACPI: return "ACPI data";
	case BOOT_MEM_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "bad";
	default: return "reserved";
	}
}
