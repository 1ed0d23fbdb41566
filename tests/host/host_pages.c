/*
 * Page provider of mm/page.h for host tests: one buddy zone over a 16 MiB
 * arena aligned to its size, with pfn = address >> PAGE_SHIFT so buddy
 * alignment in pfn space is alignment in the address space, as in the kernel's
 * direct map. Under ASan, pages are poisoned while they are not allocated,
 * so touching a freed page (a slab released too early, a use after kfree of
 * a large block) stops the test.
 */
#include <stdlib.h>

#include "test.h"

#include "mm/buddy.h"
#include "mm/page.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#define poison(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define poison(p, n) ((void)(p), (void)(n))
#define unpoison(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_PAGES 4096UL
#define ARENA_SIZE (ARENA_PAGES * PAGE_SIZE)

static char *arena;
static struct page *map;
static struct buddy_zone zone;
static unsigned long bad_frees;

void host_pages_init(void)
{
	u64 start;

	if (arena)
		return;
	arena = aligned_alloc(ARENA_SIZE, ARENA_SIZE);
	map = calloc(ARENA_PAGES, sizeof(*map));
	if (!arena || !map) {
		fprintf(stderr, "host_pages: out of memory\n");
		exit(2);
	}
	poison(arena, ARENA_SIZE);
	start = (uintptr_t)arena >> PAGE_SHIFT;
	buddy_zone_init(&zone, "host", 0, start, start + ARENA_PAGES, map);
	buddy_add_range(&zone, start, start + ARENA_PAGES);
}

struct buddy_zone *host_pages_zone(void)
{
	return &zone;
}

unsigned long host_pages_free(void)
{
	return zone.free_pages;
}

unsigned long host_pages_bad_frees(void)
{
	return bad_frees;
}

void *page_address(const struct page *page)
{
	return (void *)(uintptr_t)(buddy_page_to_pfn(&zone, page) << PAGE_SHIFT);
}

struct page *virt_to_page(const void *addr)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)arena;

	if (!arena || a < base || a - base >= ARENA_SIZE)
		return NULL;
	return &map[(a - base) >> PAGE_SHIFT];
}

struct page *alloc_pages(unsigned int order)
{
	struct page *page = buddy_alloc(&zone, order);

	if (page)
		unpoison(page_address(page), PAGE_SIZE << order);
	return page;
}

void free_pages(struct page *page, unsigned int order)
{
	if (buddy_free(&zone, page, order) < 0) {
		bad_frees++;
		return;
	}
	poison(page_address(page), PAGE_SIZE << order);
}
