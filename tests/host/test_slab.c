/*
 * mm/slab.c over the host page provider (host_pages.c): object placement,
 * slab reuse, kmalloc size classes and large blocks, bad-free detection,
 * and that every page comes back.
 */
#include <stdlib.h>

#include "test.h"

#include "lib/errno.h"
#include "mm/buddy.h"
#include "mm/page.h"
#include "mm/slab.h"

static void setup(void)
{
	host_pages_init();
	kmalloc_init();
}

struct cache_list {
	struct slab_cache *c[64];
	size_t n;
};

static void collect(struct slab_cache *c, void *arg)
{
	struct cache_list *l = arg;

	if (l->n < ARRAY_SIZE(l->c))
		l->c[l->n++] = c;
}

static struct slab_cache *find_cache(const char *name)
{
	struct cache_list l = { .n = 0 };
	size_t i;

	slab_for_each_cache(collect, &l);
	for (i = 0; i < l.n; i++) {
		if (!strcmp(l.c[i]->name, name))
			return l.c[i];
	}
	return NULL;
}

/* Return every cache's empty slabs, so free page counts can be compared. */
static void shrink_all(void)
{
	struct cache_list l = { .n = 0 };
	size_t i;

	slab_for_each_cache(collect, &l);
	for (i = 0; i < l.n; i++)
		slab_cache_shrink(l.c[i]);
}

static unsigned long baseline(void)
{
	setup();
	shrink_all();
	return host_pages_free();
}

#define CHECK_NO_PAGE_LEAK(base)                                    \
	do {                                                        \
		shrink_all();                                       \
		CHECK_EQ(host_pages_free(), base);                  \
		CHECK_EQ(host_pages_bad_frees(), 0);                \
	} while (0)

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return (x > y) - (x < y);
}

/* Objects sorted by address are at least size apart: none overlap. */
static size_t overlaps(void **objs, size_t n, size_t size)
{
	void **sorted = malloc(n * sizeof(*sorted));
	size_t i, bad = 0;

	memcpy(sorted, objs, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_ptr);
	for (i = 1; i < n; i++)
		bad += (uintptr_t)sorted[i] - (uintptr_t)sorted[i - 1] < size;
	free(sorted);
	return bad;
}

TEST(slab_cache_init_params)
{
	static struct slab_cache a, b, c, bad;

	setup();
	CHECK_EQ(slab_cache_init(&bad, "bad", 0, 8), -EINVAL);
	CHECK_EQ(slab_cache_init(&bad, "bad", 16, 3), -EINVAL);
	CHECK_EQ(slab_cache_init(&bad, "bad", 16, 2 * PAGE_SIZE), -EINVAL);
	CHECK_EQ(slab_cache_init(&bad, "bad", 1 << 20, 8), -EINVAL);
	CHECK_PTR_EQ(find_cache("bad"), NULL);

	CHECK_EQ(slab_cache_init(&a, "t-24", 24, 0), 0);
	CHECK_EQ(a.object_size, 24);
	CHECK_EQ(a.size, 24);
	CHECK_EQ(a.order, 0);
	/* 170 would fit alone; the 3-word bitmap costs one object. */
	CHECK_EQ(a.objects_per_slab, 169);

	/* Tiny objects still hold a freelist pointer. */
	CHECK_EQ(slab_cache_init(&b, "t-1", 1, 1), 0);
	CHECK_EQ(b.size, 8);

	CHECK_EQ(slab_cache_init(&c, "t-100a64", 100, 64), 0);
	CHECK_EQ(c.size, 128);
	CHECK_PTR_EQ(find_cache("t-100a64"), &c);
}

TEST(slab_many_objects_distinct)
{
	enum { N = 5000 };
	static struct slab_cache c;
	void **objs = calloc(N, sizeof(*objs));
	unsigned long long seed = 99;
	unsigned long base = baseline();
	size_t i, j, bad = 0, misaligned = 0, foreign = 0;

	CHECK_EQ(slab_cache_init(&c, "t-many", 24, 8), 0);
	for (i = 0; i < N; i++) {
		struct page *pg;

		objs[i] = slab_alloc(&c);
		if (!objs[i]) {
			bad++;
			break;
		}
		misaligned += (uintptr_t)objs[i] % 8 != 0;
		pg = virt_to_page(objs[i]);
		foreign += !pg || !(pg->flags & PG_SLAB) || pg->slab_cache != &c;
		memset(objs[i], (int)(i & 0xff), 24);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(misaligned, 0);
	CHECK_EQ(foreign, 0);
	CHECK_EQ(overlaps(objs, N, 24), 0);
	CHECK_EQ(c.active_objects, N);
	CHECK_EQ(c.nr_slabs, (N + c.objects_per_slab - 1) / c.objects_per_slab);
	/* Writing each object did not touch any other. */
	for (i = 0; i < N; i++) {
		for (j = 0; j < 24; j++)
			bad += ((unsigned char *)objs[i])[j] != (i & 0xff);
	}
	CHECK_EQ(bad, 0);

	for (i = N - 1; i > 0; i--) {
		size_t k = test_rand(&seed) % (i + 1);
		void *tmp = objs[i];

		objs[i] = objs[k];
		objs[k] = tmp;
	}
	for (i = 0; i < N; i++)
		bad += slab_free(&c, objs[i]) != 0;
	CHECK_EQ(bad, 0);
	CHECK_EQ(c.active_objects, 0);
	CHECK_EQ(c.bad_frees, 0);
	/* At most one empty slab is kept around. */
	CHECK(c.nr_slabs <= 1);
	i = c.nr_slabs;
	CHECK_EQ(slab_cache_shrink(&c), i);
	CHECK_EQ(c.nr_slabs, 0);
	CHECK_NO_PAGE_LEAK(base);
	free(objs);
}

TEST(slab_reuse)
{
	static struct slab_cache c;
	unsigned long base = baseline(), after_first;
	void *objs[400];
	size_t i, round;
	void *a, *b;

	CHECK_EQ(slab_cache_init(&c, "t-reuse", 48, 16), 0);
	a = slab_alloc(&c);
	CHECK_EQ(slab_free(&c, a), 0);
	b = slab_alloc(&c);
	CHECK_PTR_EQ(a, b); /* the freed object is the next one handed out */
	CHECK_EQ(slab_free(&c, b), 0);
	CHECK_EQ(c.nr_slabs, 1); /* the lone empty slab is kept */

	/* Filling and emptying repeatedly uses the same pages each time. */
	after_first = 0;
	for (round = 0; round < 5; round++) {
		for (i = 0; i < ARRAY_SIZE(objs); i++)
			objs[i] = slab_alloc(&c);
		if (round == 0)
			after_first = host_pages_free();
		CHECK_EQ(host_pages_free(), after_first);
		for (i = 0; i < ARRAY_SIZE(objs); i++)
			CHECK_EQ(slab_free(&c, objs[i]), 0);
	}
	CHECK_EQ(c.active_objects, 0);
	CHECK_NO_PAGE_LEAK(base);
}

TEST(slab_object_alignment)
{
	static struct slab_cache c;
	void *objs[100];
	size_t i, misaligned = 0;

	setup();
	CHECK_EQ(slab_cache_init(&c, "t-align", 100, 64), 0);
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = slab_alloc(&c);
		misaligned += (uintptr_t)objs[i] % 64 != 0;
	}
	CHECK_EQ(misaligned, 0);
	CHECK_EQ(overlaps(objs, ARRAY_SIZE(objs), 100), 0);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		CHECK_EQ(slab_free(&c, objs[i]), 0);
	slab_cache_shrink(&c);
}

/* Every size up to past the largest class, all live at once (about 3400 of
 * the arena's 4096 pages). */
TEST(kmalloc_every_size)
{
	enum { MAX = 4500 };
	void **objs = calloc(MAX + 1, sizeof(*objs));
	unsigned long base = baseline();
	size_t size, i, bad = 0, misaligned = 0, wrong_class = 0;

	for (size = 1; size <= MAX; size++) {
		struct page *pg;
		size_t align;

		objs[size] = kmalloc(size);
		if (!objs[size]) {
			bad++;
			continue;
		}
		/* Natural alignment for the class, at least 8; pages for large. */
		if (size > 2048)
			align = PAGE_SIZE;
		else if (size <= 8)
			align = 8;
		else
			align = size <= 16 ? 16 : size <= 32 ? 32 : size <= 64 ? 64 :
				size <= 96 ? 32 : size <= 128 ? 128 : size <= 192 ? 64 :
				size <= 256 ? 256 : size <= 512 ? 512 : size <= 1024 ? 1024 : 2048;
		misaligned += (uintptr_t)objs[size] % align != 0;
		pg = virt_to_page(objs[size]);
		if (size <= 2048)
			wrong_class += !pg || !(pg->flags & PG_SLAB) ||
				       pg->slab_cache->object_size < size ||
				       pg->slab_cache->object_size >= 2 * size + 64;
		else
			wrong_class += !pg || !(pg->flags & PG_HEAD) || (pg->flags & PG_SLAB);
		memset(objs[size], (int)(size & 0xff), size);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(misaligned, 0);
	CHECK_EQ(wrong_class, 0);
	for (size = 1; size <= MAX; size++) {
		for (i = 0; objs[size] && i < size; i++)
			bad += ((unsigned char *)objs[size])[i] != (size & 0xff);
	}
	CHECK_EQ(bad, 0);
	for (size = 1; size <= MAX; size++)
		bad += kfree(objs[size]) != 0;
	CHECK_EQ(bad, 0);
	CHECK_NO_PAGE_LEAK(base);
	free(objs);
}

TEST(kmalloc_size_classes)
{
	static const size_t sizes[][2] = {
		{ 1, 8 }, { 8, 8 }, { 9, 16 }, { 17, 32 }, { 33, 64 }, { 65, 96 },
		{ 96, 96 }, { 97, 128 }, { 129, 192 }, { 193, 256 }, { 257, 512 },
		{ 513, 1024 }, { 1025, 2048 }, { 2048, 2048 },
	};
	size_t i;

	setup();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = kmalloc(sizes[i][0]);
		struct page *pg = virt_to_page(p);

		CHECK(pg && (pg->flags & PG_SLAB));
		if (pg && (pg->flags & PG_SLAB))
			CHECK_MSG(pg->slab_cache->object_size == sizes[i][1],
				  "kmalloc(%zu) from %s", sizes[i][0], pg->slab_cache->name);
		CHECK_EQ(kfree(p), 0);
	}
}

TEST(kmalloc_large)
{
	static const struct {
		size_t size;
		unsigned int order;
	} cases[] = {
		{ 2049, 0 }, { 4096, 0 }, { 4097, 1 }, { 3 * 8192, 3 },
		{ 1 << 20, 8 }, { (size_t)4 << 20, MAX_ORDER },
	};
	unsigned long base = baseline();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *p = kmalloc(cases[i].size);
		struct page *pg = virt_to_page(p);

		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ((uintptr_t)p % PAGE_SIZE, 0);
		CHECK(pg->flags & PG_HEAD);
		CHECK(!(pg->flags & PG_SLAB));
		CHECK_EQ(pg->order, cases[i].order);
		CHECK_EQ(host_pages_free(), base - (1UL << cases[i].order));
		/* The whole block is usable (ASan poisons what is not handed out). */
		memset(p, 0x5a, cases[i].size);
		CHECK_EQ(kfree(p), 0);
		CHECK_EQ(host_pages_free(), base);
	}
	CHECK_PTR_EQ(kmalloc(((size_t)4 << 20) + 1), NULL);
	CHECK_PTR_EQ(kmalloc(SIZE_MAX), NULL);
	CHECK_PTR_EQ(kmalloc(SIZE_MAX / 2), NULL);
	CHECK_NO_PAGE_LEAK(base);
}

TEST(kmalloc_zero_and_kfree_null)
{
	unsigned int msgs;

	setup();
	msgs = host_printk_count();
	CHECK_PTR_EQ(kmalloc(0), NULL);
	CHECK_PTR_EQ(kzalloc(0), NULL);
	CHECK_EQ(kfree(NULL), 0);
	CHECK_EQ(host_printk_count(), msgs); /* none of that is an error */
}

TEST(kfree_double_free_slab)
{
	struct slab_cache *c;
	unsigned long base = baseline();
	u64 bad_before;
	unsigned int msgs;
	void *keep, *p, *q1, *q2;

	c = find_cache("kmalloc-32");
	CHECK(c != NULL);
	if (!c)
		return;
	/* keep holds the slab, so p's slab survives its first free. */
	keep = kmalloc(32);
	p = kmalloc(32);
	CHECK_EQ(kfree(p), 0);
	bad_before = c->bad_frees;
	msgs = host_printk_count();
	CHECK_EQ(kfree(p), -EINVAL);
	CHECK_EQ(c->bad_frees, bad_before + 1);
	CHECK_EQ(host_printk_count(), msgs + 1);
	CHECK(strstr(host_printk_last(), "double free") != NULL);
	CHECK(strstr(host_printk_last(), "kmalloc-32") != NULL);
	CHECK(!strncmp(host_printk_last(), "<3>", 3)); /* KERN_ERR */
	/* The refused free did not put p on the freelist twice. */
	q1 = kmalloc(32);
	q2 = kmalloc(32);
	CHECK(q1 != q2);
	CHECK(q1 == p || q2 == p);
	CHECK_EQ(c->active_objects, 3);
	CHECK_EQ(kfree(q1), 0);
	CHECK_EQ(kfree(q2), 0);
	CHECK_EQ(kfree(keep), 0);
	/* A double free after the slab itself went back is still caught. */
	CHECK_EQ(kfree(keep), -EINVAL);
	CHECK_NO_PAGE_LEAK(base);
}

TEST(kfree_bad_pointers)
{
	unsigned long base = baseline();
	struct slab_cache *c64 = find_cache("kmalloc-64");
	u64 foreign = kmalloc_bad_frees(), cache_bad;
	char *p, *big, *heap;
	struct page *pg;
	int on_stack;

	CHECK(c64 != NULL);
	if (!c64)
		return;
	cache_bad = c64->bad_frees;
	p = kmalloc(64);

	/* Not at an object boundary. */
	CHECK_EQ(kfree(p + 1), -EINVAL);
	CHECK(strstr(host_printk_last(), "not the start") != NULL);
	CHECK_EQ(kfree(p + 63), -EINVAL);
	CHECK_EQ(c64->bad_frees, cache_bad + 2);

	/* Memory the page provider does not manage. */
	CHECK_EQ(kfree(&on_stack), -EINVAL);
	heap = malloc(32);
	CHECK_EQ(kfree(heap), -EINVAL);
	free(heap);
	CHECK(strstr(host_printk_last(), "not in managed memory") != NULL);

	/* Managed pages kmalloc did not hand out: free, or from alloc_pages. */
	pg = alloc_pages(0);
	CHECK_EQ(kfree(page_address(pg)), -EINVAL);
	CHECK(strstr(host_printk_last(), "not allocated by kmalloc") != NULL);
	free_pages(pg, 0);
	CHECK_EQ(kfree(page_address(pg)), -EINVAL);

	/* Large blocks: interior pointers, then a double free. */
	big = kmalloc(3 * PAGE_SIZE);
	CHECK_EQ(kfree(big + 8), -EINVAL);
	CHECK(strstr(host_printk_last(), "not the start") != NULL);
	CHECK_EQ(kfree(big + PAGE_SIZE), -EINVAL);
	CHECK_EQ(kfree(big), 0);
	CHECK_EQ(kfree(big), -EINVAL);

	CHECK_EQ(kmalloc_bad_frees(), foreign + 7);
	/* Through all that, p is still live and frees normally once. */
	CHECK_EQ(kfree(p), 0);
	CHECK_EQ(c64->bad_frees, cache_bad + 2);
	CHECK_NO_PAGE_LEAK(base);
}

TEST(slab_free_wrong_cache)
{
	static struct slab_cache a, b;
	void *x, *y;

	setup();
	CHECK_EQ(slab_cache_init(&a, "t-a", 64, 0), 0);
	CHECK_EQ(slab_cache_init(&b, "t-b", 64, 0), 0);
	x = slab_alloc(&a);
	y = kmalloc(64);
	CHECK_EQ(slab_free(&b, x), -EINVAL);
	CHECK_EQ(b.bad_frees, 1);
	CHECK(strstr(host_printk_last(), "not an object of this cache") != NULL);
	CHECK_EQ(slab_free(&b, y), -EINVAL);
	CHECK_EQ(b.bad_frees, 2);
	CHECK_EQ(slab_free(&a, x), 0);
	CHECK_EQ(slab_free(&a, x), -EINVAL);
	CHECK_EQ(a.bad_frees, 1);
	CHECK_EQ(slab_free(&a, NULL), 0);
	/* kfree takes objects of any cache, as in Linux. */
	x = slab_alloc(&a);
	CHECK_EQ(kfree(x), 0);
	CHECK_EQ(a.active_objects, 0);
	CHECK_EQ(kfree(y), 0);
	slab_cache_shrink(&a);
	slab_cache_shrink(&b);
}

TEST(kcalloc_and_kzalloc)
{
	unsigned long base = baseline();
	unsigned char *p;
	size_t i, nonzero = 0;

	CHECK_PTR_EQ(kcalloc(SIZE_MAX / 2 + 1, 2), NULL);
	CHECK_PTR_EQ(kcalloc(SIZE_MAX, SIZE_MAX), NULL);
	CHECK_PTR_EQ(kcalloc((SIZE_MAX >> 3) + 1, 8), NULL);
	CHECK_PTR_EQ(kcalloc(0, 8), NULL);
	CHECK_PTR_EQ(kcalloc(8, 0), NULL);

	/* Dirty an object, free it: kcalloc gets it back, cleared. */
	p = kmalloc(128);
	memset(p, 0xff, 128);
	CHECK_EQ(kfree(p), 0);
	p = kcalloc(16, 8);
	CHECK(p != NULL);
	for (i = 0; i < 128; i++)
		nonzero += p[i] != 0;
	CHECK_EQ(nonzero, 0);
	CHECK_EQ(kfree(p), 0);

	p = kmalloc(3 * PAGE_SIZE);
	memset(p, 0xff, 3 * PAGE_SIZE);
	CHECK_EQ(kfree(p), 0);
	p = kzalloc(3 * PAGE_SIZE);
	CHECK(p != NULL);
	for (i = 0; i < 3 * PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	CHECK_EQ(nonzero, 0);
	CHECK_EQ(kfree(p), 0);
	CHECK_NO_PAGE_LEAK(base);
}

/* Objects starting in a later page of a multi-page slab find their slab. */
TEST(slab_multi_page_slabs)
{
	struct slab_cache *c = find_cache("kmalloc-1024");
	unsigned long base = baseline();
	void *objs[64];
	char *in_tail = NULL;
	size_t i, n;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(c->order > 0);
	n = MIN(ARRAY_SIZE(objs), (size_t)c->objects_per_slab * 2);
	for (i = 0; i < n; i++) {
		struct page *pg;

		objs[i] = kmalloc(1024);
		pg = virt_to_page(objs[i]);
		if (pg && (pg->flags & PG_TAIL) && !in_tail)
			in_tail = objs[i];
	}
	CHECK(in_tail != NULL);
	if (in_tail) {
		CHECK_EQ(kfree(in_tail + 8), -EINVAL);
		CHECK_EQ(kfree(in_tail), 0);
		CHECK_EQ(kfree(in_tail), -EINVAL);
		CHECK(strstr(host_printk_last(), "double free") != NULL);
		CHECK_PTR_EQ(kmalloc(1024), in_tail);
	}
	for (i = 0; i < n; i++)
		CHECK_EQ(kfree(objs[i]), 0);
	CHECK_NO_PAGE_LEAK(base);
}

/* A write into a freed object breaks the freelist; the bitmap repairs it. */
TEST(slab_freelist_corruption_recovered)
{
	static struct slab_cache c;
	void *a, *b, *x, *y, *z, *keep;
	unsigned int msgs;

	setup();
	CHECK_EQ(slab_cache_init(&c, "t-uaf", 32, 0), 0);
	keep = slab_alloc(&c);
	a = slab_alloc(&c);
	b = slab_alloc(&c);
	CHECK_EQ(slab_free(&c, b), 0);
	CHECK_EQ(slab_free(&c, a), 0); /* freelist: a -> b -> ... */
	msgs = host_printk_count();
	memset(a, 0x41, 32);           /* use after free */
	x = slab_alloc(&c);
	CHECK_EQ(host_printk_count(), msgs + 1);
	CHECK(strstr(host_printk_last(), "corrupted") != NULL);
	y = slab_alloc(&c);
	z = slab_alloc(&c);
	CHECK(x && y && z);
	CHECK(x != y && y != z && x != z);
	CHECK(x != keep && y != keep && z != keep);
	CHECK_EQ(c.active_objects, 4);
	CHECK_EQ(slab_free(&c, x), 0);
	CHECK_EQ(slab_free(&c, y), 0);
	CHECK_EQ(slab_free(&c, z), 0);
	CHECK_EQ(slab_free(&c, keep), 0);
	CHECK_EQ(c.bad_frees, 0);
	slab_cache_shrink(&c);
}

TEST(slab_cache_create_and_list)
{
	struct slab_cache *c, *k32 = NULL;
	struct cache_list l = { .n = 0 };
	size_t i, kmalloc_caches = 0;
	void *o;

	setup();
	c = slab_cache_create("t-created", 40, 0);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ(c->object_size, 40);
	o = slab_alloc(c);
	CHECK(o != NULL);
	CHECK_EQ(slab_free(c, o), 0);

	k32 = find_cache("kmalloc-96");
	CHECK(k32 != NULL);
	CHECK_PTR_EQ(slab_cache_create("t-bad", 40, 12), NULL);

	slab_for_each_cache(collect, &l);
	for (i = 0; i < l.n; i++)
		kmalloc_caches += !strncmp(l.c[i]->name, "kmalloc-", 8);
	CHECK_EQ(kmalloc_caches, 11);
	CHECK_PTR_EQ(find_cache("t-created"), c);
	CHECK_PTR_EQ(find_cache("t-bad"), NULL);
	slab_cache_shrink(c);
}

/* Run the page provider dry, then give everything back. */
TEST(kmalloc_exhaustion_and_recovery)
{
	enum { MAX = 20000 };
	void **objs = calloc(MAX, sizeof(*objs));
	unsigned long base = baseline();
	size_t n = 0, i, bad = 0;

	while (n < MAX && (objs[n] = kmalloc(2048)))
		n++;
	CHECK(n > 0 && n < MAX);
	CHECK_PTR_EQ(kmalloc(2048), NULL);
	/* kmalloc-2048 needs 8-page blocks; drain the smaller leftovers too. */
	while (n < MAX && (objs[n] = kmalloc(PAGE_SIZE)))
		n++;
	CHECK_PTR_EQ(kmalloc(PAGE_SIZE), NULL);
	CHECK_PTR_EQ(kmalloc(1), NULL);
	CHECK_EQ(host_pages_free(), 0);
	CHECK_EQ(overlaps(objs, n, 2048), 0);
	for (i = 0; i < n; i++)
		bad += kfree(objs[i]) != 0;
	CHECK_EQ(bad, 0);
	CHECK_NO_PAGE_LEAK(base);
	/* And the allocator works again. */
	objs[0] = kmalloc(2048);
	CHECK(objs[0] != NULL);
	CHECK_EQ(kfree(objs[0]), 0);
	CHECK_NO_PAGE_LEAK(base);
	free(objs);
}

/* Random kmalloc/kfree of random sizes; every block carries a pattern that
 * must be intact when it is freed. */
TEST(kmalloc_random_stress)
{
	enum { SLOTS = 1000 };
	static unsigned char *ptr[SLOTS];
	static size_t len[SLOTS];
	unsigned long long seed = 2024;
	unsigned long base = baseline();
	size_t round, i, corrupt = 0, failed = 0;

	for (round = 0; round < 50000; round++) {
		size_t s = test_rand(&seed) % SLOTS;

		if (ptr[s]) {
			for (i = 0; i < len[s]; i++)
				corrupt += ptr[s][i] != (unsigned char)(s + i);
			failed += kfree(ptr[s]) != 0;
			ptr[s] = NULL;
		} else {
			/* Mostly small, sometimes large. */
			len[s] = test_rand(&seed) % 8 ? 1 + test_rand(&seed) % 300 :
							 1 + test_rand(&seed) % 9000;
			ptr[s] = kmalloc(len[s]);
			if (!ptr[s]) {
				failed++;
				continue;
			}
			for (i = 0; i < len[s]; i++)
				ptr[s][i] = (unsigned char)(s + i);
		}
	}
	for (i = 0; i < SLOTS; i++) {
		if (ptr[i])
			failed += kfree(ptr[i]) != 0;
		ptr[i] = NULL;
	}
	CHECK_EQ(corrupt, 0);
	CHECK_EQ(failed, 0);
	CHECK_NO_PAGE_LEAK(base);
}
