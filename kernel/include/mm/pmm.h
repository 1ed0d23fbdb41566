/*
 * Physical memory: the zones (DMA below 16 MiB, DMA32 below 4 GiB, Normal)
 * built from the boot memory map, each a buddy allocator under its own lock.
 */
#ifndef SABLE_MM_PMM_H
#define SABLE_MM_PMM_H

#include "lib/types.h"
#include "mm/buddy.h"
#include "mm/page.h"

enum zone_id { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, NR_ZONES };

/* Allocation limits: from this zone or a lower one only. */
#define GFP_DMA 0x1
#define GFP_DMA32 0x2
#define GFP_ZERO 0x4

extern struct page *mem_map; /* one struct page per frame, 0..max_pfn-1 */
extern u64 max_pfn;

int pmm_init(void);
struct page *alloc_pages_gfp(unsigned int order, unsigned int gfp);
/* One zeroed page; its physical address, or 0 when memory is exhausted. */
phys_addr_t pmm_alloc_zeroed_page(void);
void pmm_free_page(phys_addr_t pa);

static inline phys_addr_t page_to_phys(const struct page *p)
{
	return (phys_addr_t)(p - mem_map) << PAGE_SHIFT;
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return &mem_map[pa >> PAGE_SHIFT];
}

/*
 * Pages with a reference count, for frames whose owners come and go
 * independently: the page-table entries mapping a user page, the shared
 * memory object or the file (tmpfs) holding it. page_alloc_ref() gives one
 * reference (gfp: GFP_ZERO and the zone limits); the last page_put() frees
 * the frame.
 */
struct page *page_alloc_ref(unsigned int gfp);
void page_put(struct page *p);

static inline void page_get(struct page *p)
{
	__atomic_add_fetch(&p->refcount, 1, __ATOMIC_RELAXED);
}

static inline u32 page_count(struct page *p)
{
	return __atomic_load_n(&p->refcount, __ATOMIC_ACQUIRE);
}

u64 pmm_free_pages(void);            /* all zones */
u64 pmm_total_pages(void);           /* managed by all zones */
u64 pmm_zone_free_pages(enum zone_id z);
const struct buddy_zone *pmm_zone(enum zone_id z);
void pmm_print_zones(void);

#endif
