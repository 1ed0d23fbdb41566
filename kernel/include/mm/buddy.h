/*
 * Binary buddy allocator over one zone of physical page frames.
 * Pure logic: no locking (callers hold the zone lock), no address space —
 * frames are numbers (pfn) and their struct page lives in a caller-provided array.
 */
#ifndef SABLE_MM_BUDDY_H
#define SABLE_MM_BUDDY_H

#include "lib/list.h"
#include "lib/types.h"
#include "mm/page.h"

#define MAX_ORDER 10 /* largest block: 2^10 pages = 4 MiB */

struct buddy_zone {
	const char *name;
	u8 index;            /* stored in page->zone */
	u64 start_pfn;       /* first frame the zone spans */
	u64 end_pfn;         /* one past the last frame */
	struct page *map;    /* struct page for start_pfn..end_pfn-1 */
	struct list_head free_list[MAX_ORDER + 1];
	u64 nr_free[MAX_ORDER + 1]; /* blocks per order */
	u64 free_pages;      /* pages free now */
	u64 managed_pages;   /* pages ever given to the zone */
};

/* Set up an empty zone spanning [start_pfn, end_pfn); every frame starts reserved. */
void buddy_zone_init(struct buddy_zone *z, const char *name, u8 index,
		     u64 start_pfn, u64 end_pfn, struct page *map);
/* Hand frames [start, end) to the zone as free memory (clipped to the zone). */
void buddy_add_range(struct buddy_zone *z, u64 start_pfn, u64 end_pfn);
/* Allocate 2^order contiguous, naturally aligned frames; NULL when none. */
struct page *buddy_alloc(struct buddy_zone *z, unsigned int order);
/* Free a block; returns 0, or -EINVAL for a double free, a page outside the
 * zone, a reserved page, or a wrong order (the block is left alone). */
int buddy_free(struct buddy_zone *z, struct page *page, unsigned int order);

static inline u64 buddy_page_to_pfn(const struct buddy_zone *z, const struct page *p)
{
	return z->start_pfn + (u64)(p - z->map);
}

static inline struct page *buddy_pfn_to_page(const struct buddy_zone *z, u64 pfn)
{
	return &z->map[pfn - z->start_pfn];
}

#endif
