/*
 * Binary buddy allocator.
 *
 * Page states, as seen in struct page of a zone's frames:
 *   PG_RESERVED  never given to the zone (or not yet): untouchable.
 *   PG_BUDDY     first frame of a free block of 2^order frames, on
 *                free_list[order].
 *   PG_HEAD      first frame of an allocated block of 2^order frames.
 *   no flag      any other frame of a free or allocated block.
 * A block of order k always starts at a pfn that is a multiple of 2^k (counted
 * from pfn 0, not from the zone start, so blocks stay aligned in physical
 * memory whatever the zone bounds), and lies entirely inside the zone.
 * No locking here: callers hold the zone's lock.
 */
#include "mm/buddy.h"
#include "lib/errno.h"

static bool pfn_in_zone(const struct buddy_zone *z, u64 pfn)
{
	return pfn >= z->start_pfn && pfn < z->end_pfn;
}

static void push_free(struct buddy_zone *z, struct page *p, unsigned int order)
{
	p->flags = PG_BUDDY;
	p->order = (u8)order;
	list_add(&p->lru, &z->free_list[order]);
	z->nr_free[order]++;
}

static void pop_free(struct buddy_zone *z, struct page *p)
{
	list_del(&p->lru);
	p->flags &= ~PG_BUDDY;
	z->nr_free[p->order]--;
}

/* Return the free block at pfn to the lists, merging it with its buddy for
 * as long as the buddy is a whole free block of the same order. */
static void insert_and_merge(struct buddy_zone *z, u64 pfn, unsigned int order)
{
	while (order < MAX_ORDER) {
		u64 buddy = pfn ^ (1ULL << order);
		struct page *bp;

		/* A buddy head inside the zone with PG_BUDDY at this order is a
		 * complete free block, so the merged block stays inside too. */
		if (!pfn_in_zone(z, buddy))
			break;
		bp = buddy_pfn_to_page(z, buddy);
		if (!(bp->flags & PG_BUDDY) || bp->order != order)
			break;
		pop_free(z, bp);
		pfn &= ~(1ULL << order);
		order++;
	}
	push_free(z, buddy_pfn_to_page(z, pfn), order);
}

void buddy_zone_init(struct buddy_zone *z, const char *name, u8 index,
		     u64 start_pfn, u64 end_pfn, struct page *map)
{
	u64 i, n;

	if (end_pfn < start_pfn)
		end_pfn = start_pfn;
	z->name = name;
	z->index = index;
	z->start_pfn = start_pfn;
	z->end_pfn = end_pfn;
	z->map = map;
	for (i = 0; i <= MAX_ORDER; i++) {
		list_init(&z->free_list[i]);
		z->nr_free[i] = 0;
	}
	z->free_pages = 0;
	z->managed_pages = 0;

	n = end_pfn - start_pfn;
	for (i = 0; i < n; i++) {
		struct page *p = &map[i];

		p->flags = PG_RESERVED;
		p->order = 0;
		p->zone = index;
		p->inuse = 0;
		list_init(&p->lru);
		p->slab_cache = NULL;
		p->freelist = NULL;
	}
}

/* Largest order for a block at pfn that fits before end. */
static unsigned int fit_order(u64 pfn, u64 end)
{
	unsigned int order = 0;

	while (order < MAX_ORDER) {
		u64 next = 1ULL << (order + 1);

		if ((pfn & (next - 1)) || pfn + next > end)
			break;
		order++;
	}
	return order;
}

void buddy_add_range(struct buddy_zone *z, u64 start_pfn, u64 end_pfn)
{
	u64 pfn;

	start_pfn = MAX(start_pfn, z->start_pfn);
	end_pfn = MIN(end_pfn, z->end_pfn);

	pfn = start_pfn;
	while (pfn < end_pfn) {
		u64 run_end = pfn, i;

		/* Only reserved frames are new; frames already handed over
		 * (free or allocated) must not be counted or freed twice. */
		while (run_end < end_pfn &&
		       (buddy_pfn_to_page(z, run_end)->flags & PG_RESERVED))
			run_end++;
		while (pfn < run_end) {
			unsigned int order = fit_order(pfn, run_end);
			u64 n = 1ULL << order;

			for (i = pfn; i < pfn + n; i++)
				buddy_pfn_to_page(z, i)->flags = 0;
			z->managed_pages += n;
			z->free_pages += n;
			insert_and_merge(z, pfn, order);
			pfn += n;
		}
		/* Skip the frame that ended the run (already managed). */
		if (pfn < end_pfn)
			pfn++;
	}
}

struct page *buddy_alloc(struct buddy_zone *z, unsigned int order)
{
	unsigned int o;
	struct page *p;
	u64 pfn;

	if (order > MAX_ORDER)
		return NULL;
	for (o = order; o <= MAX_ORDER; o++) {
		if (!list_empty(&z->free_list[o]))
			break;
	}
	if (o > MAX_ORDER)
		return NULL;

	p = list_first_entry(&z->free_list[o], struct page, lru);
	pop_free(z, p);
	pfn = buddy_page_to_pfn(z, p);
	/* Split: keep the lower half, give the upper half back each time. */
	while (o > order) {
		o--;
		push_free(z, buddy_pfn_to_page(z, pfn + (1ULL << o)), o);
	}
	z->free_pages -= 1ULL << order;

	p->flags = PG_HEAD;
	p->order = (u8)order;
	p->inuse = 0;
	p->slab_cache = NULL;
	p->freelist = NULL;
	return p;
}

/* True when page points at an element of the zone's map. Compared as
 * integers: relational operators on unrelated pointers are undefined. */
static bool page_in_zone(const struct buddy_zone *z, const struct page *page)
{
	uintptr_t base = (uintptr_t)z->map, addr = (uintptr_t)page;
	u64 n = z->end_pfn - z->start_pfn;

	if (!page || !z->map || addr < base)
		return false;
	if ((addr - base) % sizeof(struct page))
		return false;
	return (addr - base) / sizeof(struct page) < n;
}

int buddy_free(struct buddy_zone *z, struct page *page, unsigned int order)
{
	u64 pfn, n;

	if (order > MAX_ORDER || !page_in_zone(z, page))
		return -EINVAL;
	/*
	 * Only the head of an allocated block carries PG_HEAD; a freed block
	 * lost it (double free), and reserved frames, free block heads (PG_BUDDY)
	 * and frames inside a block never had it.
	 */
	if ((page->flags & (PG_RESERVED | PG_BUDDY)) || !(page->flags & PG_HEAD))
		return -EINVAL;
	if (page->order != order)
		return -EINVAL;
	pfn = buddy_page_to_pfn(z, page);
	n = 1ULL << order;
	/* Cannot happen for a block buddy_alloc handed out; refuse to corrupt
	 * the lists if page flags were scribbled over. */
	if ((pfn & (n - 1)) || pfn + n > z->end_pfn)
		return -EINVAL;

	page->flags = 0;
	page->slab_cache = NULL;
	page->freelist = NULL;
	page->inuse = 0;
	z->free_pages += n;
	insert_and_merge(z, pfn, order);
	return 0;
}
