/* mm/buddy.c: splitting, merging, zone bounds, alignment and bad frees. */
#include <stdlib.h>

#include "test.h"

#include "lib/errno.h"
#include "mm/buddy.h"

struct tzone {
	struct buddy_zone z;
	struct page *map;
};

static void tzone_init(struct tzone *t, u64 start, u64 end)
{
	t->map = calloc(end - start ? end - start : 1, sizeof(struct page));
	buddy_zone_init(&t->z, "test", 3, start, end, t->map);
}

static void tzone_fini(struct tzone *t)
{
	free(t->map);
}

/*
 * Walk the free lists and check every invariant: heads flagged PG_BUDDY with
 * the list's order, aligned in pfn space, inside the zone, not overlapping,
 * counts matching; and every other frame is not PG_BUDDY.
 */
static bool zone_consistent(struct buddy_zone *z, const char **why)
{
	u64 n = z->end_pfn - z->start_pfn, total = 0, i;
	unsigned char *seen = calloc(n ? n : 1, 1);
	unsigned int o;
	bool ok = false;

	*why = "ok";
	for (o = 0; o <= MAX_ORDER; o++) {
		struct page *p;
		u64 count = 0;

		list_for_each_entry(p, &z->free_list[o], lru) {
			u64 pfn = buddy_page_to_pfn(z, p);

			count++;
			if (!(p->flags & PG_BUDDY) || p->order != o) {
				*why = "free list entry not PG_BUDDY of its order";
				goto out;
			}
			if (pfn & ((1ULL << o) - 1)) {
				*why = "free block misaligned";
				goto out;
			}
			if (pfn < z->start_pfn || pfn + (1ULL << o) > z->end_pfn) {
				*why = "free block outside zone";
				goto out;
			}
			for (i = pfn; i < pfn + (1ULL << o); i++) {
				if (seen[i - z->start_pfn]++) {
					*why = "free blocks overlap";
					goto out;
				}
				if (i != pfn && (buddy_pfn_to_page(z, i)->flags & PG_BUDDY)) {
					*why = "PG_BUDDY inside a free block";
					goto out;
				}
				if (buddy_pfn_to_page(z, i)->flags & PG_RESERVED) {
					*why = "reserved frame on a free list";
					goto out;
				}
			}
			total += 1ULL << o;
		}
		if (count != z->nr_free[o]) {
			*why = "nr_free wrong";
			goto out;
		}
	}
	if (total != z->free_pages) {
		*why = "free_pages wrong";
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((z->map[i].flags & PG_BUDDY) && !seen[i]) {
			*why = "PG_BUDDY frame not on a free list";
			goto out;
		}
		if (z->map[i].zone != z->index) {
			*why = "page->zone wrong";
			goto out;
		}
	}
	ok = true;
out:
	free(seen);
	return ok;
}

#define CHECK_ZONE(z)                                                       \
	do {                                                                \
		const char *why_;                                           \
		CHECK_MSG(zone_consistent(z, &why_), "zone: %s", why_);     \
	} while (0)

static void snapshot(const struct buddy_zone *z, u64 *nr_free)
{
	memcpy(nr_free, z->nr_free, sizeof(z->nr_free));
}

TEST(buddy_init_all_reserved)
{
	struct tzone t;
	u64 i;

	tzone_init(&t, 100, 300);
	CHECK_EQ(t.z.free_pages, 0);
	CHECK_EQ(t.z.managed_pages, 0);
	for (i = 0; i < 200; i++) {
		CHECK(t.map[i].flags == PG_RESERVED);
		CHECK_EQ(t.map[i].zone, 3);
	}
	CHECK_PTR_EQ(buddy_alloc(&t.z, 0), NULL);
	CHECK_EQ(buddy_free(&t.z, &t.map[5], 0), -EINVAL);
	CHECK_ZONE(&t.z);
	tzone_fini(&t);

	/* An empty zone is fine too. */
	tzone_init(&t, 50, 50);
	buddy_add_range(&t.z, 0, 1000);
	CHECK_EQ(t.z.free_pages, 0);
	CHECK_PTR_EQ(buddy_alloc(&t.z, 0), NULL);
	tzone_fini(&t);
}

TEST(buddy_split_and_merge)
{
	struct tzone t;
	struct page *p;
	unsigned int o;

	tzone_init(&t, 0, 2048);
	buddy_add_range(&t.z, 0, 2048);
	CHECK_EQ(t.z.free_pages, 2048);
	CHECK_EQ(t.z.managed_pages, 2048);
	CHECK_EQ(t.z.nr_free[MAX_ORDER], 2);
	CHECK_ZONE(&t.z);

	/* One page splits a max-order block into one block of each order. */
	p = buddy_alloc(&t.z, 0);
	CHECK(p != NULL);
	CHECK(p->flags == PG_HEAD);
	CHECK_EQ(p->order, 0);
	CHECK_EQ(t.z.free_pages, 2047);
	for (o = 0; o < MAX_ORDER; o++)
		CHECK_EQ(t.z.nr_free[o], 1);
	CHECK_EQ(t.z.nr_free[MAX_ORDER], 1);
	CHECK_ZONE(&t.z);

	/* Freeing merges all the way back. */
	CHECK_EQ(buddy_free(&t.z, p, 0), 0);
	for (o = 0; o < MAX_ORDER; o++)
		CHECK_EQ(t.z.nr_free[o], 0);
	CHECK_EQ(t.z.nr_free[MAX_ORDER], 2);
	CHECK_EQ(t.z.free_pages, 2048);
	CHECK_ZONE(&t.z);

	/* A max-order allocation takes a whole block. */
	p = buddy_alloc(&t.z, MAX_ORDER);
	CHECK(p != NULL);
	CHECK_EQ(buddy_page_to_pfn(&t.z, p) % (1u << MAX_ORDER), 0);
	CHECK_EQ(t.z.nr_free[MAX_ORDER], 1);
	CHECK_EQ(buddy_free(&t.z, p, MAX_ORDER), 0);
	CHECK_EQ(t.z.nr_free[MAX_ORDER], 2);

	/* Too large an order is refused. */
	CHECK_PTR_EQ(buddy_alloc(&t.z, MAX_ORDER + 1), NULL);
	CHECK_EQ(t.z.free_pages, 2048);
	tzone_fini(&t);
}

/* Take every page one at a time, give them back in a scrambled order: the
 * zone must merge back to nothing but max-order blocks. */
TEST(buddy_all_pages_merge_back)
{
	enum { N = 4096 };
	struct page **pages = calloc(N, sizeof(*pages));
	unsigned long long seed = 42;
	unsigned char *owned = calloc(N, 1);
	struct tzone t;
	size_t i, bad = 0;

	tzone_init(&t, 0, N);
	buddy_add_range(&t.z, 0, N);
	for (i = 0; i < N; i++) {
		u64 pfn;

		pages[i] = buddy_alloc(&t.z, 0);
		if (!pages[i]) {
			bad++;
			break;
		}
		pfn = buddy_page_to_pfn(&t.z, pages[i]);
		if (owned[pfn]++)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(t.z.free_pages, 0);
	CHECK_PTR_EQ(buddy_alloc(&t.z, 0), NULL);
	CHECK_ZONE(&t.z);

	for (i = N - 1; i > 0; i--) {
		size_t j = test_rand(&seed) % (i + 1);
		struct page *tmp = pages[i];

		pages[i] = pages[j];
		pages[j] = tmp;
	}
	for (i = 0; i < N; i++)
		bad += buddy_free(&t.z, pages[i], 0) != 0;
	CHECK_EQ(bad, 0);
	CHECK_EQ(t.z.free_pages, N);
	CHECK_EQ(t.z.nr_free[MAX_ORDER], N >> MAX_ORDER);
	for (i = 0; i < MAX_ORDER; i++)
		CHECK_EQ(t.z.nr_free[i], 0);
	CHECK_ZONE(&t.z);
	tzone_fini(&t);
	free(pages);
	free(owned);
}

/*
 * A zone with odd bounds: blocks are aligned to pfn 0, not to the zone
 * start, never cross the zone edge, and exhausting then freeing everything
 * restores the exact initial layout.
 */
TEST(buddy_odd_zone_exhaust_and_recover)
{
	static const u64 bounds[][2] = { { 3, 1037 }, { 1023, 3077 }, { 5, 6 }, { 1025, 2047 } };
	size_t b;

	for (b = 0; b < ARRAY_SIZE(bounds); b++) {
		u64 start = bounds[b][0], end = bounds[b][1], initial[MAX_ORDER + 1];
		struct page **held = calloc(end - start, sizeof(*held));
		unsigned int *orders = calloc(end - start, sizeof(*orders));
		size_t nheld = 0, i, misaligned = 0, outside = 0;
		struct tzone t;
		int o;

		tzone_init(&t, start, end);
		buddy_add_range(&t.z, start, end);
		CHECK_EQ(t.z.free_pages, end - start);
		CHECK_ZONE(&t.z);
		snapshot(&t.z, initial);

		/* Largest orders first, then smaller ones into what remains. */
		for (o = MAX_ORDER; o >= 0; o--) {
			struct page *p;

			while ((p = buddy_alloc(&t.z, (unsigned int)o))) {
				u64 pfn = buddy_page_to_pfn(&t.z, p);

				misaligned += pfn % (1ULL << o) != 0;
				outside += pfn < start || pfn + (1ULL << o) > end;
				held[nheld] = p;
				orders[nheld++] = (unsigned int)o;
			}
		}
		CHECK_EQ(misaligned, 0);
		CHECK_EQ(outside, 0);
		CHECK_EQ(t.z.free_pages, 0);
		CHECK_ZONE(&t.z);

		for (i = 0; i < nheld; i++)
			CHECK_EQ(buddy_free(&t.z, held[i], orders[i]), 0);
		CHECK_EQ(t.z.free_pages, end - start);
		CHECK(!memcmp(initial, t.z.nr_free, sizeof(initial)));
		CHECK_ZONE(&t.z);
		tzone_fini(&t);
		free(held);
		free(orders);
	}
}

/* The block layout of [3, 1037): 3 (order 0), 4..7 (2), 8..15 (3), ...,
 * 512..1023 (9), 1024..1031 (3), 1032..1035 (2), 1036 (0). */
TEST(buddy_odd_zone_layout)
{
	struct tzone t;

	tzone_init(&t, 3, 1037);
	buddy_add_range(&t.z, 3, 1037);
	CHECK_EQ(t.z.nr_free[0], 2);
	CHECK_EQ(t.z.nr_free[1], 0);
	CHECK_EQ(t.z.nr_free[2], 2);
	CHECK_EQ(t.z.nr_free[3], 2);
	CHECK_EQ(t.z.nr_free[4], 1);
	CHECK_EQ(t.z.nr_free[9], 1);
	CHECK_EQ(t.z.nr_free[10], 0);
	CHECK(t.map[0].flags == PG_BUDDY);      /* pfn 3 */
	CHECK(t.map[1].flags == PG_BUDDY);      /* pfn 4 */
	CHECK_EQ(t.map[1].order, 2);
	CHECK(t.map[2].flags == 0);             /* pfn 5, inside 4..7 */
	CHECK(t.map[1033].flags == PG_BUDDY);   /* pfn 1036 */
	CHECK_ZONE(&t.z);
	tzone_fini(&t);
}

TEST(buddy_add_range_clips_merges_and_skips)
{
	u64 whole[MAX_ORDER + 1];
	struct tzone a, b;

	/* Added in pieces, the blocks merge as if added at once. */
	tzone_init(&a, 0, 3000);
	buddy_add_range(&a.z, 0, 3000);
	snapshot(&a.z, whole);
	tzone_init(&b, 0, 3000);
	buddy_add_range(&b.z, 1500, 1501);
	buddy_add_range(&b.z, 0, 100);
	buddy_add_range(&b.z, 2000, 5000); /* clipped to the zone end */
	buddy_add_range(&b.z, 100, 1500);
	buddy_add_range(&b.z, 1501, 2000);
	CHECK(!memcmp(whole, b.z.nr_free, sizeof(whole)));
	CHECK_EQ(b.z.free_pages, 3000);
	CHECK_EQ(b.z.managed_pages, 3000);
	CHECK_ZONE(&b.z);

	/* Adding frames again counts nothing twice, even while allocated. */
	{
		struct page *p = buddy_alloc(&b.z, 4);

		buddy_add_range(&b.z, 0, 3000);
		CHECK_EQ(b.z.managed_pages, 3000);
		CHECK_EQ(b.z.free_pages, 3000 - 16);
		CHECK(p->flags == PG_HEAD);
		CHECK_EQ(buddy_free(&b.z, p, 4), 0);
		CHECK(!memcmp(whole, b.z.nr_free, sizeof(whole)));
	}
	CHECK_ZONE(&b.z);
	tzone_fini(&a);
	tzone_fini(&b);

	/* A range entirely outside the zone does nothing. */
	tzone_init(&a, 100, 200);
	buddy_add_range(&a.z, 0, 100);
	buddy_add_range(&a.z, 200, 300);
	buddy_add_range(&a.z, 150, 120);
	CHECK_EQ(a.z.free_pages, 0);
	buddy_add_range(&a.z, 0, 1000);
	CHECK_EQ(a.z.free_pages, 100);
	CHECK_ZONE(&a.z);
	tzone_fini(&a);
}

TEST(buddy_reserved_holes)
{
	struct tzone t;
	struct page *p;
	size_t got = 0, in_hole = 0;

	tzone_init(&t, 0, 512);
	buddy_add_range(&t.z, 0, 100);
	buddy_add_range(&t.z, 110, 512);
	CHECK_EQ(t.z.free_pages, 502);
	CHECK_ZONE(&t.z);
	while ((p = buddy_alloc(&t.z, 0))) {
		u64 pfn = buddy_page_to_pfn(&t.z, p);

		got++;
		in_hole += pfn >= 100 && pfn < 110;
	}
	CHECK_EQ(got, 502);
	CHECK_EQ(in_hole, 0);
	/* A reserved frame cannot be freed into the zone. */
	CHECK_EQ(buddy_free(&t.z, &t.map[105], 0), -EINVAL);
	CHECK(t.map[105].flags == PG_RESERVED);
	CHECK_EQ(t.z.free_pages, 0);
	tzone_fini(&t);
}

TEST(buddy_exhaustion_then_recovery)
{
	struct page *held[512];
	u64 initial[MAX_ORDER + 1];
	struct tzone t;
	size_t n = 0, i;
	struct page *p;

	tzone_init(&t, 0, 1024);
	buddy_add_range(&t.z, 0, 1024);
	snapshot(&t.z, initial);
	while (n < ARRAY_SIZE(held) && (p = buddy_alloc(&t.z, 3)))
		held[n++] = p;
	CHECK_EQ(n, 128);
	CHECK_PTR_EQ(buddy_alloc(&t.z, 0), NULL);
	CHECK_PTR_EQ(buddy_alloc(&t.z, 3), NULL);
	CHECK_EQ(t.z.free_pages, 0);

	/* One freed block serves smaller orders but not larger ones. */
	CHECK_EQ(buddy_free(&t.z, held[7], 3), 0);
	CHECK_PTR_EQ(buddy_alloc(&t.z, 4), NULL);
	p = buddy_alloc(&t.z, 2);
	CHECK(p != NULL);
	CHECK_PTR_EQ(p, held[7]);
	CHECK_EQ(buddy_free(&t.z, p, 2), 0);
	CHECK_EQ(t.z.free_pages, 8);
	held[7] = buddy_alloc(&t.z, 3);
	CHECK(held[7] != NULL);

	for (i = 0; i < n; i++)
		CHECK_EQ(buddy_free(&t.z, held[i], 3), 0);
	CHECK(!memcmp(initial, t.z.nr_free, sizeof(initial)));
	CHECK_EQ(t.z.free_pages, 1024);
	CHECK_ZONE(&t.z);
	tzone_fini(&t);
}

/* Every refused free must leave the zone exactly as it was. */
#define CHECK_REFUSED(expr, z)                                              \
	do {                                                                \
		u64 before_[MAX_ORDER + 1], free_before_ = (z)->free_pages;  \
		snapshot(z, before_);                                       \
		CHECK_EQ(expr, -EINVAL);                                    \
		CHECK(!memcmp(before_, (z)->nr_free, sizeof(before_)));     \
		CHECK_EQ((z)->free_pages, free_before_);                    \
	} while (0)

TEST(buddy_bad_frees)
{
	struct tzone t, other;
	struct page *a, *b, *c;

	tzone_init(&t, 0, 64);
	tzone_init(&other, 0, 64);
	buddy_add_range(&t.z, 0, 64);
	buddy_add_range(&other.z, 0, 64);

	a = buddy_alloc(&t.z, 0);  /* pfn 0 */
	b = buddy_alloc(&t.z, 0);  /* pfn 1 */
	c = buddy_alloc(&t.z, 2);  /* pfn 4 */
	CHECK_EQ(buddy_page_to_pfn(&t.z, a), 0);
	CHECK_EQ(buddy_page_to_pfn(&t.z, b), 1);
	CHECK_EQ(buddy_page_to_pfn(&t.z, c), 4);

	/* Double free of a block that is a free block's head. */
	CHECK_EQ(buddy_free(&t.z, b, 0), 0);
	CHECK_REFUSED(buddy_free(&t.z, b, 0), &t.z);
	/* Double free of a block merged into a bigger one (now a tail). */
	CHECK_EQ(buddy_free(&t.z, a, 0), 0);
	CHECK(!(b->flags & PG_BUDDY));
	CHECK_REFUSED(buddy_free(&t.z, b, 0), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, a, 0), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, a, 1), &t.z);

	/* Wrong order, both ways, and beyond MAX_ORDER. */
	CHECK_REFUSED(buddy_free(&t.z, c, 1), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, c, 3), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, c, MAX_ORDER + 1), &t.z);
	/* A frame inside an allocated block. */
	CHECK_REFUSED(buddy_free(&t.z, c + 1, 0), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, c + 2, 1), &t.z);

	/* Pages that are not this zone's. */
	CHECK_REFUSED(buddy_free(&t.z, NULL, 0), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, t.map + 64, 0), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, (struct page *)((uintptr_t)t.map - sizeof(struct page)), 0), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, &other.map[4], 0), &t.z);
	CHECK_REFUSED(buddy_free(&t.z, (struct page *)((char *)c + 1), 2), &t.z);

	/* None of that hurt the block: it frees normally and all merges. */
	CHECK(c->flags == PG_HEAD);
	CHECK_EQ(buddy_free(&t.z, c, 2), 0);
	CHECK_EQ(t.z.free_pages, 64);
	CHECK_EQ(t.z.nr_free[6], 1);
	CHECK_ZONE(&t.z);
	CHECK_EQ(other.z.free_pages, 64);
	tzone_fini(&t);
	tzone_fini(&other);
}

/* Random mix of orders, checked against a shadow map of owned frames. */
TEST(buddy_random_stress)
{
	enum { N = 3000, START = 77, SLOTS = 400 };
	struct page *held[SLOTS] = { 0 };
	unsigned int orders[SLOTS] = { 0 };
	unsigned char owned[N] = { 0 };
	unsigned long long seed = 7;
	u64 initial[MAX_ORDER + 1];
	size_t round, i, overlap = 0, misaligned = 0;
	struct tzone t;

	tzone_init(&t, START, START + N);
	buddy_add_range(&t.z, START, START + N);
	snapshot(&t.z, initial);
	for (round = 0; round < 20000; round++) {
		size_t s = test_rand(&seed) % SLOTS;

		if (held[s]) {
			u64 pfn = buddy_page_to_pfn(&t.z, held[s]);

			for (i = 0; i < (1u << orders[s]); i++)
				owned[pfn - START + i] = 0;
			CHECK_EQ(buddy_free(&t.z, held[s], orders[s]), 0);
			held[s] = NULL;
		} else {
			unsigned int o = (unsigned int)(test_rand(&seed) % 6);
			struct page *p = buddy_alloc(&t.z, o);
			u64 pfn;

			if (!p)
				continue;
			pfn = buddy_page_to_pfn(&t.z, p);
			misaligned += pfn % (1u << o) != 0;
			for (i = 0; i < (1u << o); i++)
				overlap += owned[pfn - START + i]++ != 0;
			held[s] = p;
			orders[s] = o;
		}
		if (round % 1000 == 0)
			CHECK_ZONE(&t.z);
	}
	CHECK_EQ(overlap, 0);
	CHECK_EQ(misaligned, 0);
	for (i = 0; i < SLOTS; i++) {
		if (held[i])
			CHECK_EQ(buddy_free(&t.z, held[i], orders[i]), 0);
	}
	CHECK(!memcmp(initial, t.z.nr_free, sizeof(initial)));
	CHECK_EQ(t.z.free_pages, N);
	CHECK_ZONE(&t.z);
	tzone_fini(&t);
}
