/*
 * struct page: one per physical page frame, in the mem_map array.
 * The buddy allocator owns free pages; the slab allocator marks the pages
 * it carves into objects.
 */
#ifndef SABLE_MM_PAGE_H
#define SABLE_MM_PAGE_H

#include "lib/list.h"
#include "lib/types.h"

#define PG_RESERVED (1u << 0) /* never handed out (firmware, kernel, initrd) */
#define PG_BUDDY (1u << 1)    /* head of a free block in a buddy free list */
#define PG_SLAB (1u << 2)     /* belongs to a slab */
#define PG_HEAD (1u << 3)     /* first page of an allocated block */
#define PG_TAIL (1u << 4)     /* slab: a later page of a multi-page slab */

struct slab_cache;

struct page {
	u32 flags;
	u8 order;   /* order of the free block (PG_BUDDY) or allocation (PG_HEAD) */
	u8 zone;    /* index of the zone the frame belongs to */
	u16 inuse;  /* slab: objects in use */
	struct list_head lru;          /* free list or slab list */
	struct slab_cache *slab_cache; /* slab: owning cache */
	void *freelist;                /* slab: first free object */
	/*
	 * Pages from page_alloc_ref() (mm/pmm.h): user pages and file data.
	 * One reference per page-table entry mapping the page, one per
	 * shared-memory object or file holding it, and one per caller between
	 * a file's get_page and its mapping. Changed atomically: two address
	 * spaces sharing a copy-on-write page fault under different locks, and
	 * a file drops its pages under its own. The page is freed when the
	 * count drops to zero.
	 */
	u32 refcount;
};

/*
 * The page provider. The kernel implements these over its zones (mm/pmm.c);
 * host tests implement them over an arena. The slab allocator uses only these.
 */
struct page *alloc_pages(unsigned int order);
void free_pages(struct page *page, unsigned int order);
void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr); /* NULL if not a managed frame */

#endif
