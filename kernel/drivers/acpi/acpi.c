/*
 * ACPI tables: find the RSDP, walk the XSDT (or RSDT), and pull out what the
 * rest of the kernel needs from the MADT, FADT, HPET and MCFG tables, plus the
 * \_S5 sleep type from the DSDT/SSDTs. Section numbers are from the ACPI 6.5
 * specification unless said otherwise.
 *
 * Tables are reached through ioremap(): it is a no-op for memory the direct
 * map already covers (RAM, ACPI regions) and maps the rest (the BIOS area at
 * 0xe0000 is usually absent from the memory map).
 */
#include "core/bootinfo.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "drivers/acpi.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/vmm.h"

#include "acpi_internal.h"

struct acpi_info acpi;

/* Root System Description Pointer (5.2.5.3). */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* of the first 20 bytes */
	char oem_id[6];
	u8 revision;		/* 0: ACPI 1.0 (20 bytes); 2: ACPI 2.0+ */
	u32 rsdt_address;
	/* Revision 2 and later: */
	u32 length;
	u64 xsdt_address;
	u8 extended_checksum;	/* of the whole structure */
	u8 reserved[3];
} __packed;

#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36
_Static_assert(sizeof(struct acpi_rsdp) == ACPI_RSDP_V2_LEN, "RSDP layout");

/* Generic Address Structure (5.2.3.2). */
struct acpi_gas {
	u8 space_id;
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __packed;

#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO 1
#define ACPI_SPACE_PCI_CONFIG 2

/* Fixed ACPI Description Table (5.2.9, table 5.9), up to ACPI 6.5. */
struct acpi_fadt {
	struct acpi_sdt_header header;
	u32 firmware_ctrl;
	u32 dsdt;
	u8 reserved0;		/* INT_MODEL in ACPI 1.0 */
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 acpi_enable;
	u8 acpi_disable;
	u8 s4bios_req;
	u8 pstate_cnt;
	u32 pm1a_evt_blk;
	u32 pm1b_evt_blk;
	u32 pm1a_cnt_blk;
	u32 pm1b_cnt_blk;
	u32 pm2_cnt_blk;
	u32 pm_tmr_blk;
	u32 gpe0_blk;
	u32 gpe1_blk;
	u8 pm1_evt_len;
	u8 pm1_cnt_len;
	u8 pm2_cnt_len;
	u8 pm_tmr_len;
	u8 gpe0_blk_len;
	u8 gpe1_blk_len;
	u8 gpe1_base;
	u8 cst_cnt;
	u16 p_lvl2_lat;
	u16 p_lvl3_lat;
	u16 flush_size;
	u16 flush_stride;
	u8 duty_offset;
	u8 duty_width;
	u8 day_alrm;
	u8 mon_alrm;
	u8 century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;
	struct acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	u64 hypervisor_vendor_id;
} __packed;

_Static_assert(offsetof(struct acpi_fadt, century) == 108, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT layout");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT layout");

/* FADT fixed feature flags (5.2.9, table 5.10). */
#define FADT_RESET_REG_SUP (1u << 10)
#define FADT_HW_REDUCED_ACPI (1u << 20)

/* A FADT field is only there when the table is long enough to hold it:
 * older revisions are shorter (5.2.9). */
#define FADT_HAS(f, field) \
	((f)->header.length >= offsetof(struct acpi_fadt, field) + sizeof((f)->field))

/* Multiple APIC Description Table (5.2.12). */
struct acpi_madt {
	struct acpi_sdt_header header;
	u32 lapic_address;
	u32 flags;
} __packed;

#define MADT_PCAT_COMPAT (1u << 0)

struct acpi_madt_entry {
	u8 type;
	u8 length;
} __packed;

#define MADT_LOCAL_APIC 0
#define MADT_IOAPIC 1
#define MADT_INT_OVERRIDE 2
#define MADT_LAPIC_NMI 4
#define MADT_LAPIC_OVERRIDE 5
#define MADT_LOCAL_X2APIC 9

/* 5.2.12.2 */
struct acpi_madt_lapic {
	struct acpi_madt_entry h;
	u8 processor_uid;
	u8 apic_id;
	u32 flags;
} __packed;

#define MADT_LAPIC_ENABLED (1u << 0)
#define MADT_LAPIC_ONLINE_CAPABLE (1u << 1)

/* 5.2.12.3 */
struct acpi_madt_ioapic {
	struct acpi_madt_entry h;
	u8 id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;

/* 5.2.12.5 */
struct acpi_madt_override {
	struct acpi_madt_entry h;
	u8 bus;			/* 0: ISA */
	u8 source;
	u32 gsi;
	u16 flags;
} __packed;

/* 5.2.12.7 */
struct acpi_madt_lapic_nmi {
	struct acpi_madt_entry h;
	u8 processor_uid;	/* 0xff: all processors */
	u16 flags;
	u8 lint;
} __packed;

/* 5.2.12.8 */
struct acpi_madt_lapic_override {
	struct acpi_madt_entry h;
	u16 reserved;
	u64 address;
} __packed;

/* 5.2.12.12 */
struct acpi_madt_x2apic {
	struct acpi_madt_entry h;
	u16 reserved;
	u32 x2apic_id;
	u32 flags;
	u32 processor_uid;
} __packed;

/* IA-PC HPET Specification 1.0a, 3.2.4 "The ACPI 2.0 HPET Description Table". */
struct acpi_hpet {
	struct acpi_sdt_header header;
	u32 event_timer_block_id;
	struct acpi_gas base;
	u8 hpet_number;
	u16 min_tick;
	u8 page_protection;
} __packed;

/* PCI Firmware Specification 3.0, 4.1.2 "MCFG Table Description". */
struct acpi_mcfg_table {
	struct acpi_sdt_header header;
	u8 reserved[8];
} __packed;

struct acpi_mcfg_entry {
	u64 base;
	u16 segment;
	u8 bus_start;
	u8 bus_end;
	u32 reserved;
} __packed;

/* A sanity limit: large DSDTs are a few hundred KiB. */
#define ACPI_MAX_TABLE_LEN (16u << 20)
#define ACPI_MAX_TABLES 64

/* The BIOS areas to search for the RSDP on IA-PC systems (5.2.5.1). */
#define BDA_EBDA_SEGMENT 0x40e
#define EBDA_SEARCH_LEN 1024
#define BIOS_ROM_START 0xe0000
#define BIOS_ROM_END 0x100000
#define RSDP_ALIGN 16

struct acpi_table_ref {
	phys_addr_t phys;
	const struct acpi_sdt_header *hdr;
};

static struct acpi_table_ref tables[ACPI_MAX_TABLES];
static unsigned int table_count;
static struct acpi_rsdp rsdp;		/* a copy: Multiboot2 hands us only that */
static phys_addr_t rsdp_phys;		/* 0 when we only have the copy */
static const char *rsdp_source;
static phys_addr_t root_phys;
static bool root_is_xsdt;
static unsigned int lapic_nmi_count, cpus_disabled, cpus_dropped;

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

unsigned int acpi_table_count(void)
{
	return table_count;
}

const struct acpi_sdt_header *acpi_table_at(unsigned int i, phys_addr_t *phys)
{
	if (i >= table_count)
		return NULL;
	if (phys)
		*phys = tables[i].phys;
	return tables[i].hdr;
}

const struct acpi_sdt_header *acpi_find_table(const char sig[4], int index)
{
	for (unsigned int i = 0; i < table_count && index >= 0; i++) {
		if (memcmp(tables[i].hdr->signature, sig, 4))
			continue;
		if (index-- == 0)
			return tables[i].hdr;
	}
	return NULL;
}

/*
 * An RSDP at p with avail bytes readable: the signature and the 20-byte
 * checksum always, the length and the extended checksum from revision 2
 * (5.2.5.3).
 */
bool acpi_rsdp_valid(const void *p, size_t avail)
{
	const struct acpi_rsdp *r = p;

	if (avail < ACPI_RSDP_V1_LEN || memcmp(r->signature, "RSD PTR ", 8))
		return false;
	if (acpi_checksum(r, ACPI_RSDP_V1_LEN))
		return false;
	if (r->revision < 2)
		return true;
	if (avail < ACPI_RSDP_V2_LEN || r->length < ACPI_RSDP_V2_LEN || r->length > avail)
		return false;
	return acpi_checksum(r, r->length) == 0;
}

static void rsdp_take(const struct acpi_rsdp *r, phys_addr_t phys, const char *source)
{
	memset(&rsdp, 0, sizeof(rsdp));
	memcpy(&rsdp, r, r->revision >= 2 ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN);
	rsdp_phys = phys;
	rsdp_source = source;
}

/* Search [start, start + len) on 16-byte boundaries (5.2.5.1); 0 if absent. */
static phys_addr_t rsdp_scan(phys_addr_t start, size_t len)
{
	const u8 *p = ioremap(start, len);

	if (!p)
		return 0;
	for (size_t off = 0; off + ACPI_RSDP_V1_LEN <= len; off += RSDP_ALIGN) {
		if (acpi_rsdp_valid(p + off, len - off))
			return start + off;
	}
	return 0;
}

phys_addr_t acpi_scan_for_rsdp(const char **where)
{
	const u16 *bda_ebda;
	phys_addr_t ebda;

	/* The first KiB of the EBDA, whose segment is at 40:0Eh in the BDA. */
	bda_ebda = ioremap(BDA_EBDA_SEGMENT, sizeof(*bda_ebda));
	ebda = bda_ebda ? (phys_addr_t)*bda_ebda << 4 : 0;
	if (ebda >= 0x400 && ebda + EBDA_SEARCH_LEN <= BIOS_ROM_START) {
		phys_addr_t found = rsdp_scan(ebda, EBDA_SEARCH_LEN);

		if (found) {
			*where = "EBDA";
			return found;
		}
	}
	*where = "BIOS area";
	return rsdp_scan(BIOS_ROM_START, BIOS_ROM_END - BIOS_ROM_START);
}

static int acpi_find_rsdp(void)
{
	const char *where;
	phys_addr_t pa;

	/* PVH start info carries the address (Xen PVH ABI, rsdp_paddr). */
	if (boot_info.rsdp_phys) {
		const void *p = ioremap(boot_info.rsdp_phys, ACPI_RSDP_V2_LEN);

		if (p && acpi_rsdp_valid(p, ACPI_RSDP_V2_LEN)) {
			rsdp_take(p, boot_info.rsdp_phys, "PVH");
			return 0;
		}
		pr_warn("ACPI: the RSDP the boot loader gave (%#llx) is not valid; searching\n",
			(unsigned long long)boot_info.rsdp_phys);
	}
	/* Multiboot2 copies the RSDP into its information (tags 14 and 15). */
	if (boot_info.have_rsdp_copy) {
		const void *copy = boot_info.rsdp_copy;

		if (acpi_rsdp_valid(copy, sizeof(boot_info.rsdp_copy))) {
			rsdp_take(copy, 0, "Multiboot2");
			return 0;
		}
		pr_warn("ACPI: the RSDP copy from Multiboot2 is not valid; searching\n");
	}
	pa = acpi_scan_for_rsdp(&where);
	if (!pa)
		return -ENODEV;
	rsdp_take(phys_to_virt(pa), pa, where);
	return 0;
}

/*
 * Maps a whole table and checks its length and checksum (5.2.6). expect, if
 * not NULL, is the signature it must have. NULL if it is unusable.
 */
static const struct acpi_sdt_header *acpi_map_table(phys_addr_t pa, const char *expect)
{
	const struct acpi_sdt_header *h;

	if (!pa)
		return NULL;
	h = ioremap(pa, sizeof(*h));
	if (!h) {
		pr_warn("ACPI: cannot map the table at %#llx\n", (unsigned long long)pa);
		return NULL;
	}
	if (expect && memcmp(h->signature, expect, 4)) {
		pr_warn("ACPI: table at %#llx is %.4s, expected %.4s; ignored\n",
			(unsigned long long)pa, h->signature, expect);
		return NULL;
	}
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_LEN) {
		pr_warn("ACPI: %.4s at %#llx has a bad length (%u); ignored\n",
			h->signature, (unsigned long long)pa, h->length);
		return NULL;
	}
	if (!ioremap(pa, h->length)) {
		pr_warn("ACPI: cannot map %.4s at %#llx\n", h->signature, (unsigned long long)pa);
		return NULL;
	}
	if (acpi_checksum(h, h->length)) {
		pr_warn("ACPI: %.4s at %#llx fails its checksum; ignored\n",
			h->signature, (unsigned long long)pa);
		return NULL;
	}
	return h;
}

static void acpi_add_table(phys_addr_t pa, const char *expect)
{
	const struct acpi_sdt_header *h;

	for (unsigned int i = 0; i < table_count; i++) {
		if (tables[i].phys == pa)
			return; /* listed twice by the firmware */
	}
	if (table_count == ACPI_MAX_TABLES) {
		pr_warn("ACPI: more than %u tables; the one at %#llx is ignored\n",
			ACPI_MAX_TABLES, (unsigned long long)pa);
		return;
	}
	h = acpi_map_table(pa, expect);
	if (!h)
		return;
	tables[table_count].phys = pa;
	tables[table_count].hdr = h;
	table_count++;
}

/*
 * The XSDT (5.2.8) has 64-bit entries and is used whenever the RSDP is
 * revision 2 or later and points at one; the RSDT (5.2.7) has 32-bit entries.
 */
static int acpi_load_root_table(void)
{
	const struct acpi_sdt_header *root = NULL;
	size_t entry_size, n;
	const u8 *entries;

	if (rsdp.revision >= 2 && rsdp.xsdt_address) {
		root = acpi_map_table(rsdp.xsdt_address, "XSDT");
		if (root) {
			root_phys = rsdp.xsdt_address;
			root_is_xsdt = true;
		}
	}
	if (!root && rsdp.rsdt_address) {
		root = acpi_map_table(rsdp.rsdt_address, "RSDT");
		root_phys = rsdp.rsdt_address;
	}
	if (!root)
		return -ENODEV;
	entry_size = root_is_xsdt ? 8 : 4;
	entries = (const u8 *)root + sizeof(*root);
	n = (root->length - sizeof(*root)) / entry_size;
	for (size_t i = 0; i < n; i++) {
		u64 pa = 0;

		/* XSDT entries are only 4-byte aligned. */
		memcpy(&pa, entries + i * entry_size, entry_size);
		acpi_add_table(pa, NULL);
	}
	return 0;
}

/* A legacy I/O block address, or the X_ one when it is set and in I/O space:
 * the X_ field takes precedence when non-zero (5.2.9). */
static u32 fadt_io_block(u32 legacy, const struct acpi_gas *x, bool have_x)
{
	if (have_x && x->address && x->space_id == ACPI_SPACE_IO && x->address <= 0xffff)
		return (u32)x->address;
	return legacy;
}

static void acpi_parse_fadt(void)
{
	const struct acpi_fadt *f = (const void *)acpi_find_table("FACP", 0);
	phys_addr_t dsdt = 0;

	if (!f) {
		pr_warn("ACPI: no FADT; power off through ACPI will not work\n");
		return;
	}
	acpi.sci_irq = f->sci_int;
	acpi.smi_cmd = f->smi_cmd;
	acpi.acpi_enable = f->acpi_enable;
	acpi.pm1a_cnt = fadt_io_block(f->pm1a_cnt_blk, &f->x_pm1a_cnt_blk,
				      FADT_HAS(f, x_pm1a_cnt_blk));
	acpi.pm1b_cnt = fadt_io_block(f->pm1b_cnt_blk, &f->x_pm1b_cnt_blk,
				      FADT_HAS(f, x_pm1b_cnt_blk));
	acpi.pm_timer = fadt_io_block(f->pm_tmr_blk, &f->x_pm_tmr_blk,
				      FADT_HAS(f, x_pm_tmr_blk));
	acpi.century = f->century;
	/* Reserved (zero) in ACPI 1.0 FADTs, which is the right default. */
	acpi.iapc_boot_arch = f->iapc_boot_arch;

	/* RESET_REG and RESET_VALUE exist from FADT revision 2, and are only
	 * meaningful with RESET_REG_SUP set (5.2.9, and chapter 4 "Reset Register"). */
	if (FADT_HAS(f, reset_value) && (f->flags & FADT_RESET_REG_SUP) &&
	    f->reset_reg.address && f->reset_reg.space_id <= ACPI_SPACE_PCI_CONFIG) {
		acpi.reset_supported = true;
		acpi.reset_space = f->reset_reg.space_id;
		acpi.reset_addr = f->reset_reg.address;
		acpi.reset_value = f->reset_value;
	}
	if (f->flags & FADT_HW_REDUCED_ACPI)
		pr_warn("ACPI: hardware-reduced ACPI: no PM1 blocks, S5 through them will not work\n");

	if (FADT_HAS(f, x_dsdt) && f->x_dsdt)
		dsdt = f->x_dsdt;
	else
		dsdt = f->dsdt;
	if (dsdt)
		acpi_add_table(dsdt, "DSDT");
	if (!acpi_find_table("DSDT", 0))
		pr_warn("ACPI: no usable DSDT; \\_S5 cannot be found\n");
}

static void madt_add_cpu(u32 apic_id, u32 flags)
{
	/* An enabled processor is usable now; one that is only online-capable
	 * could be hot-added later, which Sable does not support. */
	if (!(flags & MADT_LAPIC_ENABLED)) {
		cpus_disabled++;
		return;
	}
	if (acpi.cpu_count == ACPI_MAX_CPUS || apic_id > 0xff) {
		cpus_dropped++;
		return;
	}
	for (u32 i = 0; i < acpi.cpu_count; i++) {
		if (acpi.cpu_apic_ids[i] == apic_id)
			return; /* listed both as a local APIC and as an x2APIC */
	}
	acpi.cpu_apic_ids[acpi.cpu_count++] = (u8)apic_id;
}

static void madt_entry(const struct acpi_madt_entry *e)
{
	switch (e->type) {
	case MADT_LOCAL_APIC: {
		const struct acpi_madt_lapic *l = (const void *)e;

		if (e->length >= sizeof(*l))
			madt_add_cpu(l->apic_id, l->flags);
		break;
	}
	case MADT_LOCAL_X2APIC: {
		const struct acpi_madt_x2apic *x = (const void *)e;

		if (e->length >= sizeof(*x))
			madt_add_cpu(x->x2apic_id, x->flags);
		break;
	}
	case MADT_IOAPIC: {
		const struct acpi_madt_ioapic *io = (const void *)e;
		struct acpi_ioapic *dst;

		if (e->length < sizeof(*io))
			break;
		if (acpi.ioapic_count == ACPI_MAX_IOAPICS) {
			pr_warn("ACPI: more than %u IOAPICs; id %u ignored\n",
				ACPI_MAX_IOAPICS, io->id);
			break;
		}
		dst = &acpi.ioapics[acpi.ioapic_count++];
		dst->id = io->id;
		dst->phys = io->address;
		dst->gsi_base = io->gsi_base;
		break;
	}
	case MADT_INT_OVERRIDE: {
		const struct acpi_madt_override *o = (const void *)e;
		struct acpi_override *dst;

		/* Bus 0 is ISA, the only bus the spec defines here (5.2.12.5). */
		if (e->length < sizeof(*o) || o->bus != 0)
			break;
		if (acpi.override_count == ACPI_MAX_OVERRIDES) {
			pr_warn("ACPI: more than %u interrupt overrides; IRQ %u ignored\n",
				ACPI_MAX_OVERRIDES, o->source);
			break;
		}
		dst = &acpi.overrides[acpi.override_count++];
		dst->source_irq = o->source;
		dst->gsi = o->gsi;
		dst->flags = o->flags;
		break;
	}
	case MADT_LAPIC_NMI:
		/* Which LINT pin carries NMI; the APIC code can read the MADT
		 * again for it. Counted here for the summary. */
		if (e->length >= sizeof(struct acpi_madt_lapic_nmi))
			lapic_nmi_count++;
		break;
	case MADT_LAPIC_OVERRIDE: {
		const struct acpi_madt_lapic_override *lo = (const void *)e;

		if (e->length >= sizeof(*lo))
			acpi.lapic_phys = lo->address;
		break;
	}
	default:
		break;
	}
}

static void acpi_parse_madt(void)
{
	const struct acpi_madt *m = (const void *)acpi_find_table("APIC", 0);
	const u8 *p, *end;

	if (!m || m->header.length < sizeof(*m)) {
		pr_warn("ACPI: no MADT; only the boot CPU and no IOAPIC are known\n");
		return;
	}
	acpi.lapic_phys = m->lapic_address;
	acpi.has_8259 = m->flags & MADT_PCAT_COMPAT;
	p = (const u8 *)m + sizeof(*m);
	end = (const u8 *)m + m->header.length;
	while (p + sizeof(struct acpi_madt_entry) <= end) {
		const struct acpi_madt_entry *e = (const void *)p;

		if (e->length < sizeof(*e) || p + e->length > end) {
			pr_warn("ACPI: MADT entry at offset %zu has a bad length; rest ignored\n",
				(size_t)(p - (const u8 *)m));
			break;
		}
		madt_entry(e);
		p += e->length;
	}
	if (cpus_dropped)
		pr_warn("ACPI: %u CPUs ignored (more than %u, or APIC ID above 255)\n",
			cpus_dropped, ACPI_MAX_CPUS);
}

static void acpi_parse_hpet(void)
{
	const struct acpi_hpet *h = (const void *)acpi_find_table("HPET", 0);

	if (!h || h->header.length < sizeof(*h))
		return;
	if (h->base.space_id != ACPI_SPACE_MEMORY) {
		pr_warn("ACPI: HPET is not in memory space; ignored\n");
		return;
	}
	acpi.hpet_phys = h->base.address;
}

static void acpi_parse_mcfg(void)
{
	const struct acpi_mcfg_table *t = (const void *)acpi_find_table("MCFG", 0);
	const struct acpi_mcfg_entry *e;
	size_t n;

	if (!t || t->header.length < sizeof(*t))
		return;
	e = (const void *)((const u8 *)t + sizeof(*t));
	n = (t->header.length - sizeof(*t)) / sizeof(*e);
	for (size_t i = 0; i < n; i++) {
		struct acpi_mcfg *dst;

		if (!e[i].base || e[i].bus_end < e[i].bus_start)
			continue;
		if (acpi.mcfg_count == ACPI_MAX_MCFG) {
			pr_warn("ACPI: more than %u MCFG allocations; segment %u ignored\n",
				ACPI_MAX_MCFG, e[i].segment);
			break;
		}
		dst = &acpi.mcfg[acpi.mcfg_count++];
		dst->base = e[i].base;
		dst->segment = e[i].segment;
		dst->bus_start = e[i].bus_start;
		dst->bus_end = e[i].bus_end;
	}
}

/* \_S5 lives in the DSDT on every machine seen so far, but SSDTs may add
 * objects to the root scope too (5.2.11.2). */
static void acpi_find_s5(void)
{
	const struct acpi_sdt_header *h = acpi_find_table("DSDT", 0);

	for (int i = 0; h; h = acpi_find_table("SSDT", i++)) {
		const u8 *aml = (const u8 *)h + sizeof(*h);

		if (!acpi_aml_find_s5(aml, h->length - sizeof(*h), &acpi.s5_typ_a,
				      &acpi.s5_typ_b)) {
			acpi.s5_valid = true;
			return;
		}
	}
}

static const char *irq_flags_name(u16 flags)
{
	static const char *const names[4][4] = {
		/* [trigger][polarity]; 0 conforms to the bus (ISA: edge, high) */
		{ "", ",high", ",?", ",low" },
		{ ",edge", ",edge,high", ",edge,?", ",edge,low" },
		{ ",?", ",?", ",?", ",?" },
		{ ",level", ",level,high", ",level,?", ",level,low" },
	};

	return names[(flags & ACPI_TRIGGER_MASK) >> 2][flags & ACPI_POLARITY_MASK];
}

static void acpi_print_summary(void)
{
	char buf[160];
	size_t n = 0;

	char where[32];

	if (rsdp_phys)
		snprintf(where, sizeof(where), "%#010llx", (unsigned long long)rsdp_phys);
	else
		strlcpy(where, "copy", sizeof(where));
	pr_info("ACPI: RSDP %s (from %s) revision %u, OEM '%s', %s %#010llx\n", where,
		rsdp_source, rsdp.revision, acpi.oem_id, root_is_xsdt ? "XSDT" : "RSDT",
		(unsigned long long)root_phys);
	for (unsigned int i = 0; i < table_count; i++) {
		const struct acpi_sdt_header *h = tables[i].hdr;

		pr_info("ACPI:   %.4s %#010llx %6u bytes v%u %.6s %.8s\n", h->signature,
			(unsigned long long)tables[i].phys, h->length, h->revision,
			h->oem_id, h->oem_table_id);
	}

	for (u32 i = 0; i < acpi.cpu_count && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%u", i ? "," : "",
				      acpi.cpu_apic_ids[i]);
	pr_info("ACPI: %u CPU%s (APIC IDs %s)%s, local APIC at %#llx, %u LAPIC NMI entr%s%s\n",
		acpi.cpu_count, acpi.cpu_count == 1 ? "" : "s", n ? buf : "-",
		cpus_disabled ? " plus disabled ones" : "",
		(unsigned long long)acpi.lapic_phys, lapic_nmi_count,
		lapic_nmi_count == 1 ? "y" : "ies", acpi.has_8259 ? ", dual 8259 present" : "");
	for (u32 i = 0; i < acpi.ioapic_count; i++)
		pr_info("ACPI: IOAPIC id %u at %#llx, GSI base %u\n", acpi.ioapics[i].id,
			(unsigned long long)acpi.ioapics[i].phys, acpi.ioapics[i].gsi_base);
	n = 0;
	buf[0] = '\0';
	for (u32 i = 0; i < acpi.override_count && n < sizeof(buf); i++) {
		const struct acpi_override *o = &acpi.overrides[i];

		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %u->%u%s", o->source_irq,
				      o->gsi, irq_flags_name(o->flags));
	}
	pr_info("ACPI: ISA IRQ overrides:%s\n", acpi.override_count ? buf : " none");

	pr_info("ACPI: PM1a_CNT %#x, PM1b_CNT %#x, PM timer %#x, SCI %u, SMI_CMD %#x "
		"(enable %#x), century %#x, boot arch %#x\n",
		acpi.pm1a_cnt, acpi.pm1b_cnt, acpi.pm_timer, acpi.sci_irq, acpi.smi_cmd,
		acpi.acpi_enable, acpi.century, acpi.iapc_boot_arch);
	if (acpi.reset_supported)
		pr_info("ACPI: reset register %s %#llx value %#x\n",
			acpi.reset_space == ACPI_SPACE_IO ? "I/O" :
			acpi.reset_space == ACPI_SPACE_MEMORY ? "memory" : "PCI config",
			(unsigned long long)acpi.reset_addr, acpi.reset_value);
	else
		pr_info("ACPI: no reset register\n");
	if (acpi.hpet_phys)
		pr_info("ACPI: HPET at %#llx\n", (unsigned long long)acpi.hpet_phys);
	for (u32 i = 0; i < acpi.mcfg_count; i++)
		pr_info("ACPI: MCFG segment %u buses %02x-%02x ECAM at %#llx\n",
			acpi.mcfg[i].segment, acpi.mcfg[i].bus_start, acpi.mcfg[i].bus_end,
			(unsigned long long)acpi.mcfg[i].base);
	if (acpi.s5_valid)
		pr_info("ACPI: \\_S5 SLP_TYPa %u SLP_TYPb %u\n", acpi.s5_typ_a, acpi.s5_typ_b);
	else
		pr_warn("ACPI: no \\_S5 object; power off through ACPI will not work\n");
}

static int acpi_init(void)
{
	if (acpi_find_rsdp()) {
		pr_err("ACPI: no RSDP (not from the boot loader, not in the EBDA or "
		       "the BIOS area 0xe0000-0xfffff); running without ACPI\n");
		return -ENODEV;
	}
	memcpy(acpi.oem_id, rsdp.oem_id, sizeof(rsdp.oem_id));
	acpi.oem_id[sizeof(rsdp.oem_id)] = '\0';
	acpi.revision = rsdp.revision;
	if (acpi_load_root_table()) {
		pr_err("ACPI: RSDP found (%s) but neither its XSDT (%#llx) nor its RSDT "
		       "(%#x) is valid; running without ACPI\n", rsdp_source,
		       (unsigned long long)rsdp.xsdt_address, rsdp.rsdt_address);
		memset(&acpi, 0, sizeof(acpi));
		return -ENODEV;
	}
	acpi_parse_fadt();
	acpi_parse_madt();
	acpi_parse_hpet();
	acpi_parse_mcfg();
	acpi_find_s5();
	acpi.present = true;
	acpi_print_summary();
	return 0;
}
SUBSYSTEM(acpi, DEPS("vmm"), acpi_init, false);

/* ISA IRQs are identity-mapped to GSIs unless an override says otherwise
 * (5.2.12.5); flags 0 means "conforms to the bus": edge, active high. */
u32 acpi_isa_irq_to_gsi(u8 irq, u16 *flags)
{
	for (u32 i = 0; i < acpi.override_count; i++) {
		if (acpi.overrides[i].source_irq == irq) {
			if (flags)
				*flags = acpi.overrides[i].flags;
			return acpi.overrides[i].gsi;
		}
	}
	if (flags)
		*flags = 0;
	return irq;
}
