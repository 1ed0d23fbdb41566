/*
 * The physical memory manager. At boot, the usable regions of the memory map
 * minus the reserved ranges (the first MiB, the kernel image, the initrd, and
 * mem_map itself) are handed to the buddy zones; everything else stays
 * PG_RESERVED and is never handed out.
 */
#include "core/bootinfo.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"

#define ZONE_DMA_END_PFN ((16UL << 20) >> PAGE_SHIFT)
#define ZONE_DMA32_END_PFN ((4UL << 30) >> PAGE_SHIFT)
#define BOOT_MAPPED_END (4UL << 30) /* the boot page tables map 4 GiB */

struct page *mem_map;
u64 max_pfn;

static struct buddy_zone zones[NR_ZONES];
static struct spinlock zone_locks[NR_ZONES] = {
	SPINLOCK_INIT("zone DMA"), SPINLOCK_INIT("zone DMA32"), SPINLOCK_INIT("zone Normal"),
};
static const char *const zone_names[NR_ZONES] = { "DMA", "DMA32", "Normal" };

struct range {
	u64 start, end; /* physical, [start, end) */
};

/* Reserved ranges, sorted before use. */
static struct range reserved[8];
static unsigned int reserved_count;

static void reserve(u64 start, u64 end)
{
	if (end > start && reserved_count < ARRAY_SIZE(reserved)) {
		reserved[reserved_count].start = ALIGN_DOWN(start, PAGE_SIZE);
		reserved[reserved_count].end = ALIGN_UP(end, PAGE_SIZE);
		reserved_count++;
	}
}

/* First usable, page-aligned, unreserved stretch of len bytes below limit. */
static u64 find_free_stretch(u64 len, u64 limit)
{
	for (unsigned int i = 0; i < boot_info.mem_count; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		u64 start, end;

		if (r->type != BOOT_MEM_USABLE)
			continue;
		start = ALIGN_UP(r->base, PAGE_SIZE);
		end = MIN(ALIGN_DOWN(r->base + r->len, PAGE_SIZE), limit);
		while (start + len <= end) {
			bool clash = false;

			for (unsigned int j = 0; j < reserved_count; j++) {
				if (start < reserved[j].end && reserved[j].start < start + len) {
					start = reserved[j].end;
					clash = true;
				}
			}
			if (!clash)
				return start;
		}
	}
	return 0;
}

/* Give [start, end) to the zones it falls in, minus the reserved ranges. */
static void add_free(u64 start_pfn, u64 end_pfn)
{
	for (u64 pfn = start_pfn; pfn < end_pfn;) {
		u64 next = end_pfn;
		bool skip = false;

		for (unsigned int j = 0; j < reserved_count; j++) {
			u64 rs = reserved[j].start >> PAGE_SHIFT, re = reserved[j].end >> PAGE_SHIFT;

			if (pfn >= rs && pfn < re) {
				next = re;
				skip = true;
				break;
			}
			if (rs > pfn && rs < next)
				next = rs;
		}
		next = MIN(next, end_pfn);
		if (!skip) {
			for (int z = 0; z < NR_ZONES; z++)
				buddy_add_range(&zones[z], pfn, next);
		}
		pfn = next;
	}
}

int pmm_init(void)
{
	u64 map_bytes, map_phys, kstart, kend;

	for (unsigned int i = 0; i < boot_info.mem_count; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE)
			max_pfn = MAX(max_pfn, (r->base + r->len) >> PAGE_SHIFT);
	}
	if (!max_pfn)
		return -ENOMEM;

	kstart = (u64)__kernel_phys_start;
	kend = virt_to_phys(__kernel_end);
	reserve(0, 1UL << 20); /* real-mode IVT, BDA, EBDA, BIOS */
	reserve(kstart, kend);
	if (boot_info.initrd_start)
		reserve(boot_info.initrd_start, boot_info.initrd_start + boot_info.initrd_size);

	map_bytes = ALIGN_UP(max_pfn * sizeof(struct page), PAGE_SIZE);
	map_phys = find_free_stretch(map_bytes, BOOT_MAPPED_END);
	if (!map_phys)
		return -ENOMEM;
	reserve(map_phys, map_phys + map_bytes);
	mem_map = phys_to_virt(map_phys);
	memset(mem_map, 0, map_bytes);

	buddy_zone_init(&zones[ZONE_DMA], zone_names[ZONE_DMA], ZONE_DMA, 0,
			MIN(max_pfn, ZONE_DMA_END_PFN), mem_map);
	buddy_zone_init(&zones[ZONE_DMA32], zone_names[ZONE_DMA32], ZONE_DMA32,
			MIN(max_pfn, ZONE_DMA_END_PFN), MIN(max_pfn, ZONE_DMA32_END_PFN),
			mem_map + MIN(max_pfn, ZONE_DMA_END_PFN));
	buddy_zone_init(&zones[ZONE_NORMAL], zone_names[ZONE_NORMAL], ZONE_NORMAL,
			MIN(max_pfn, ZONE_DMA32_END_PFN), max_pfn,
			mem_map + MIN(max_pfn, ZONE_DMA32_END_PFN));

	for (unsigned int i = 0; i < boot_info.mem_count; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type != BOOT_MEM_USABLE)
			continue;
		add_free(ALIGN_UP(r->base, PAGE_SIZE) >> PAGE_SHIFT,
			 MIN(ALIGN_DOWN(r->base + r->len, PAGE_SIZE) >> PAGE_SHIFT, max_pfn));
	}
	pmm_print_zones();
	return pmm_total_pages() ? 0 : -ENOMEM;
}

static struct page *zone_alloc(enum zone_id z, unsigned int order)
{
	unsigned long f = spin_lock_irqsave(&zone_locks[z]);
	struct page *p = buddy_alloc(&zones[z], order);

	spin_unlock_irqrestore(&zone_locks[z], f);
	return p;
}

struct page *alloc_pages_gfp(unsigned int order, unsigned int gfp)
{
	int top = (gfp & GFP_DMA) ? ZONE_DMA : (gfp & GFP_DMA32) ? ZONE_DMA32 : ZONE_NORMAL;
	struct page *p = NULL;

	if (order > MAX_ORDER)
		return NULL;
	/* Prefer the highest allowed zone: keep DMA memory for those who need it. */
	for (int z = top; z >= 0 && !p; z--)
		p = zone_alloc((enum zone_id)z, order);
	if (p && (gfp & GFP_ZERO))
		memset(page_address(p), 0, PAGE_SIZE << order);
	return p;
}

struct page *alloc_pages(unsigned int order)
{
	return alloc_pages_gfp(order, 0);
}

void free_pages(struct page *page, unsigned int order)
{
	enum zone_id z;
	unsigned long f;
	int err;

	if (!page)
		return;
	z = (enum zone_id)page->zone;
	if (page < mem_map || page >= mem_map + max_pfn || z >= NR_ZONES) {
		pr_err("free_pages: %p is not a page frame\n", (void *)page);
		return;
	}
	f = spin_lock_irqsave(&zone_locks[z]);
	err = buddy_free(&zones[z], page, order);
	spin_unlock_irqrestore(&zone_locks[z], f);
	if (err)
		pr_err("free_pages: bad free of frame %#llx order %u\n",
		       (unsigned long long)page_to_phys(page), order);
}

void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

struct page *virt_to_page(const void *addr)
{
	unsigned long a = (unsigned long)addr;
	u64 pfn;

	if (a < DIRECT_MAP_BASE || a >= DIRECT_MAP_BASE + DIRECT_MAP_SIZE)
		return NULL;
	pfn = (a - DIRECT_MAP_BASE) >> PAGE_SHIFT;
	return pfn < max_pfn ? &mem_map[pfn] : NULL;
}

phys_addr_t pmm_alloc_zeroed_page(void)
{
	struct page *p = alloc_pages_gfp(0, GFP_ZERO);

	return p ? page_to_phys(p) : 0;
}

void pmm_free_page(phys_addr_t pa)
{
	free_pages(phys_to_page(pa), 0);
}

struct page *page_alloc_ref(unsigned int gfp)
{
	struct page *p = alloc_pages_gfp(0, gfp);

	if (p)
		__atomic_store_n(&p->refcount, 1, __ATOMIC_RELAXED);
	return p;
}

void page_put(struct page *p)
{
	if (__atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		free_pages(p, 0);
}

u64 pmm_zone_free_pages(enum zone_id z)
{
	return zones[z].free_pages;
}

const struct buddy_zone *pmm_zone(enum zone_id z)
{
	return &zones[z];
}

u64 pmm_free_pages(void)
{
	u64 n = 0;

	for (int z = 0; z < NR_ZONES; z++)
		n += zones[z].free_pages;
	return n;
}

u64 pmm_total_pages(void)
{
	u64 n = 0;

	for (int z = 0; z < NR_ZONES; z++)
		n += zones[z].managed_pages;
	return n;
}

void pmm_print_zones(void)
{
	for (int z = 0; z < NR_ZONES; z++) {
		const struct buddy_zone *bz = &zones[z];

		if (bz->end_pfn <= bz->start_pfn)
			continue;
		pr_info("zone %-6s [%#011llx-%#011llx) %6llu KiB managed, %6llu KiB free\n",
			bz->name, (unsigned long long)(bz->start_pfn << PAGE_SHIFT),
			(unsigned long long)(bz->end_pfn << PAGE_SHIFT),
			(unsigned long long)bz->managed_pages * 4,
			(unsigned long long)bz->free_pages * 4);
	}
}
