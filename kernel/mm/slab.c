/*
 * Slab allocator and kmalloc, built only on the page provider of mm/page.h.
 *
 * A slab is a block of 2^order pages carved into objects of one cache:
 *
 *   | obj 0 | obj 1 | ... | obj n-1 | pad | free bitmap (BITS_TO_LONGS(n) words) |
 *
 * The bitmap, at the end of the slab, has a bit set for each free object. It
 * is the authority on which objects are free: a free of an object whose bit
 * is already set is a double free, found in O(1). Free objects are also
 * chained through their first word (head page's freelist) so allocation is
 * O(1); the chain is checked against the bitmap as it is used and rebuilt
 * from it if a stray write (use after free) broke it.
 *
 * struct page of the slab's first page (the head): PG_SLAB, slab_cache,
 * freelist, inuse, and lru linking it on its cache's partial or full list.
 * Later pages: PG_SLAB | PG_TAIL, slab_cache, and freelist pointing back at
 * the head, so kfree() of any object finds its slab through virt_to_page().
 *
 * Locking: each cache's lock covers its lists, counters and the bitmaps and
 * freelists of its slabs. Pages are got and given back with no cache lock
 * held, so the page allocator's locks never nest inside a cache's.
 */
#include "mm/slab.h"
#include "core/printk.h"
#include "lib/bitmap.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/buddy.h" /* MAX_ORDER: the largest block alloc_pages() hands out */
#include "mm/page.h"

#define SLAB_MAX_ORDER 3     /* slabs are at most 32 KiB */
#define SLAB_MIN_OBJECTS 8   /* grow the slab until this many objects fit */

static LIST_HEAD(cache_list);
static struct spinlock cache_list_lock = SPINLOCK_INIT("slab_caches");

static size_t free_map_offset(const struct slab_cache *c)
{
	return ALIGN_UP(c->objects_per_slab * c->size, sizeof(unsigned long));
}

static unsigned long *free_map(const struct slab_cache *c, struct page *head)
{
	return (unsigned long *)((char *)page_address(head) + free_map_offset(c));
}

/* How many objects of the given stride fit in a slab of 2^order pages next
 * to their bitmap. */
static unsigned int objects_fit(size_t stride, unsigned int order)
{
	size_t bytes = PAGE_SIZE << order;
	size_t n = bytes / stride;

	while (n && ALIGN_UP(n * stride, sizeof(unsigned long)) +
			    BITS_TO_LONGS(n) * sizeof(unsigned long) > bytes)
		n--;
	return (unsigned int)n;
}

int slab_cache_init(struct slab_cache *c, const char *name, size_t size, size_t align)
{
	unsigned long flags;
	unsigned int order, n = 0;
	size_t stride;

	if (!align)
		align = sizeof(void *);
	if (!size || (align & (align - 1)) || align > PAGE_SIZE ||
	    size > PAGE_SIZE << SLAB_MAX_ORDER)
		return -EINVAL;
	/* Free objects hold a pointer, so they need room and alignment for one. */
	align = MAX(align, sizeof(void *));
	stride = ALIGN_UP(MAX(size, sizeof(void *)), align);

	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		n = objects_fit(stride, order);
		if (n >= SLAB_MIN_OBJECTS)
			break;
	}
	if (order > SLAB_MAX_ORDER)
		order = SLAB_MAX_ORDER;
	if (!n)
		return -EINVAL;

	c->name = name;
	c->object_size = size;
	c->size = stride;
	c->order = order;
	c->objects_per_slab = n;
	c->lock = (struct spinlock)SPINLOCK_INIT(name);
	list_init(&c->partial);
	list_init(&c->full);
	c->nr_slabs = 0;
	c->active_objects = 0;
	c->bad_frees = 0;

	flags = spin_lock_irqsave(&cache_list_lock);
	list_add_tail(&c->link, &cache_list);
	spin_unlock_irqrestore(&cache_list_lock, flags);
	return 0;
}

struct slab_cache *slab_cache_create(const char *name, size_t size, size_t align)
{
	struct slab_cache *c = kmalloc(sizeof(*c));

	if (!c)
		return NULL;
	if (slab_cache_init(c, name, size, align) < 0)
		goto free_cache;
	return c;

free_cache:
	kfree(c);
	return NULL;
}

/* Index of obj in the slab, or -1 when obj is not the start of one of its objects. */
static long obj_index(const struct slab_cache *c, struct page *head, const void *obj)
{
	uintptr_t base = (uintptr_t)page_address(head), p = (uintptr_t)obj;

	if (p < base || p - base >= (uintptr_t)c->objects_per_slab * c->size)
		return -1;
	if ((p - base) % c->size)
		return -1;
	return (long)((p - base) / c->size);
}

static void *obj_at(const struct slab_cache *c, struct page *head, size_t i)
{
	return (char *)page_address(head) + i * c->size;
}

/* Chain the free objects (per the bitmap) in address order. */
static void rebuild_freelist(struct slab_cache *c, struct page *head)
{
	unsigned long *map = free_map(c, head);
	size_t n = c->objects_per_slab;
	void **link = &head->freelist;
	size_t i;

	for (i = bitmap_find_first_set(map, n); i < n;
	     i = bitmap_find_next_set(map, n, i + 1)) {
		void *obj = obj_at(c, head, i);

		*link = obj;
		link = (void **)obj;
	}
	*link = NULL;
}

/* A freelist entry is trusted only if it names a free object of this slab. */
static bool link_ok(struct slab_cache *c, struct page *head, const void *p)
{
	long i = obj_index(c, head, p);

	return i >= 0 && bitmap_test(free_map(c, head), (size_t)i);
}

/* Take a free object from a slab with inuse < objects_per_slab; NULL only
 * if its bitmap was overwritten to say it has none. */
static void *take_object(struct slab_cache *c, struct page *head)
{
	void *obj = head->freelist, *next;

	if (!obj || !link_ok(c, head, obj))
		goto rebuild;
	next = *(void **)obj;
	if (next && (next == obj || !link_ok(c, head, next)))
		goto rebuild;
take:
	bitmap_clear(free_map(c, head), (size_t)obj_index(c, head, obj));
	head->freelist = next;
	head->inuse++;
	return obj;

rebuild:
	pr_err("slab %s: freelist of slab %p corrupted (use after free?), rebuilt\n",
	       c->name, page_address(head));
	rebuild_freelist(c, head);
	obj = head->freelist;
	if (!obj)
		return NULL;
	next = *(void **)obj;
	goto take;
}

/* Get pages for a new slab and set it up, all objects free; not on a list yet. */
static struct page *slab_grow(struct slab_cache *c)
{
	struct page *head = alloc_pages(c->order);
	unsigned long *map;
	char *base;
	unsigned int i;

	if (!head)
		return NULL;
	base = page_address(head);
	head->flags |= PG_SLAB;
	head->slab_cache = c;
	head->inuse = 0;
	for (i = 1; i < 1u << c->order; i++) {
		struct page *tail = virt_to_page(base + i * PAGE_SIZE);

		tail->flags |= PG_SLAB | PG_TAIL;
		tail->slab_cache = c;
		tail->freelist = head;
	}
	map = free_map(c, head);
	bitmap_zero(map, c->objects_per_slab);
	bitmap_set_range(map, 0, c->objects_per_slab);
	rebuild_freelist(c, head);
	return head;
}

/* Give an empty slab, already off the cache's lists, back to the page allocator. */
static void slab_release(struct slab_cache *c, struct page *head)
{
	char *base = page_address(head);
	unsigned int i;

	for (i = 1; i < 1u << c->order; i++) {
		struct page *tail = virt_to_page(base + i * PAGE_SIZE);

		tail->flags &= ~(PG_SLAB | PG_TAIL);
		tail->slab_cache = NULL;
		tail->freelist = NULL;
	}
	head->flags &= ~PG_SLAB;
	head->slab_cache = NULL;
	head->freelist = NULL;
	head->inuse = 0;
	free_pages(head, c->order);
}

void *slab_alloc(struct slab_cache *c)
{
	unsigned long flags;
	struct page *head;
	void *obj;

	flags = spin_lock_irqsave(&c->lock);
again:
	if (list_empty(&c->partial)) {
		spin_unlock_irqrestore(&c->lock, flags);
		head = slab_grow(c);
		if (!head)
			return NULL;
		flags = spin_lock_irqsave(&c->lock);
		list_add(&head->lru, &c->partial);
		c->nr_slabs++;
	}
	head = list_first_entry(&c->partial, struct page, lru);
	obj = take_object(c, head);
	if (!obj) {
		/* Its bitmap is lost; park the slab on the full list, never to
		 * be allocated from again, rather than hand out live objects. */
		pr_err("slab %s: free bitmap of slab %p corrupted, slab retired\n",
		       c->name, page_address(head));
		head->inuse = (u16)c->objects_per_slab;
		list_del(&head->lru);
		list_add(&head->lru, &c->full);
		goto again;
	}
	if (head->inuse == c->objects_per_slab) {
		list_del(&head->lru);
		list_add(&head->lru, &c->full);
	}
	c->active_objects++;
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

/* The head page of the slab holding addr, or NULL if addr is in no slab. */
static struct page *slab_head(const void *addr)
{
	struct page *p = virt_to_page(addr);

	if (!p || !(p->flags & PG_SLAB))
		return NULL;
	if (p->flags & PG_TAIL)
		p = p->freelist;
	return p;
}

static int bad_free(struct slab_cache *c, const void *obj, const char *why)
{
	c->bad_frees++;
	pr_err("slab %s: bad free of %p: %s\n", c->name, obj, why);
	return -EINVAL;
}

/*
 * Free obj into its slab, under c->lock. A slab left empty is taken off the
 * lists and returned in *release for the caller to free outside the lock,
 * except when it is the only slab with free objects: keeping that one saves
 * a page round trip when a single object is allocated and freed repeatedly.
 */
static int free_locked(struct slab_cache *c, struct page *head, void *obj,
		       struct page **release)
{
	long i;

	if (!head || !(head->flags & PG_SLAB) || head->slab_cache != c)
		return bad_free(c, obj, "not an object of this cache");
	i = obj_index(c, head, obj);
	if (i < 0)
		return bad_free(c, obj, "not the start of an object");
	if (bitmap_test(free_map(c, head), (size_t)i))
		return bad_free(c, obj, "double free");

	bitmap_set(free_map(c, head), (size_t)i);
	*(void **)obj = head->freelist;
	head->freelist = obj;
	if (head->inuse-- == c->objects_per_slab) {
		list_del(&head->lru);
		list_add(&head->lru, &c->partial);
	}
	c->active_objects--;
	if (head->inuse == 0 && c->partial.next != c->partial.prev) {
		list_del(&head->lru);
		c->nr_slabs--;
		*release = head;
	}
	return 0;
}

int slab_free(struct slab_cache *c, void *obj)
{
	struct page *head, *release = NULL;
	unsigned long flags;
	int ret;

	if (!obj)
		return 0;
	head = slab_head(obj);
	flags = spin_lock_irqsave(&c->lock);
	ret = free_locked(c, head, obj, &release);
	spin_unlock_irqrestore(&c->lock, flags);
	if (release)
		slab_release(c, release);
	return ret;
}

unsigned int slab_cache_shrink(struct slab_cache *c)
{
	struct list_head *pos, *tmp;
	unsigned long flags;
	unsigned int n = 0;
	LIST_HEAD(empty);

	flags = spin_lock_irqsave(&c->lock);
	list_for_each_safe(pos, tmp, &c->partial) {
		struct page *head = list_entry(pos, struct page, lru);

		if (head->inuse)
			continue;
		list_del(&head->lru);
		list_add(&head->lru, &empty);
		c->nr_slabs--;
	}
	spin_unlock_irqrestore(&c->lock, flags);

	list_for_each_safe(pos, tmp, &empty) {
		struct page *head = list_entry(pos, struct page, lru);

		list_del(&head->lru);
		slab_release(c, head);
		n++;
	}
	return n;
}

void slab_for_each_cache(void (*fn)(struct slab_cache *, void *), void *arg)
{
	struct slab_cache *c;
	unsigned long flags;

	flags = spin_lock_irqsave(&cache_list_lock);
	list_for_each_entry(c, &cache_list, link)
		fn(c, arg);
	spin_unlock_irqrestore(&cache_list_lock, flags);
}

/* kmalloc size classes; 96 and 192 halve the waste between 64..128..256. */
static const struct {
	size_t size;
	const char *name;
} kmalloc_classes[] = {
	{ 8, "kmalloc-8" },
	{ 16, "kmalloc-16" },
	{ 32, "kmalloc-32" },
	{ 64, "kmalloc-64" },
	{ 96, "kmalloc-96" },
	{ 128, "kmalloc-128" },
	{ 192, "kmalloc-192" },
	{ 256, "kmalloc-256" },
	{ 512, "kmalloc-512" },
	{ 1024, "kmalloc-1024" },
	{ 2048, "kmalloc-2048" },
};

static struct slab_cache kmalloc_caches[ARRAY_SIZE(kmalloc_classes)];
static bool kmalloc_ready;
static u64 kmalloc_foreign_frees;

/*
 * Marks the head page of a block kmalloc() took straight from the page
 * allocator, so kfree() can tell it from pages someone else allocated.
 * Only its address matters.
 */
static char kmalloc_large_tag;

void kmalloc_init(void)
{
	size_t i;

	if (kmalloc_ready)
		return;
	for (i = 0; i < ARRAY_SIZE(kmalloc_classes); i++) {
		size_t size = kmalloc_classes[i].size;

		/* Each object is aligned to the largest power of two dividing its
		 * size: natural alignment for the power-of-two classes. */
		if (slab_cache_init(&kmalloc_caches[i], kmalloc_classes[i].name,
				    size, size & -size) < 0)
			pr_err("kmalloc: cannot set up %s\n", kmalloc_classes[i].name);
	}
	kmalloc_ready = true;
}

static void *kmalloc_large(size_t size)
{
	unsigned int order = 0;
	struct page *page;

	while ((PAGE_SIZE << order) < size) {
		if (++order > MAX_ORDER)
			return NULL;
	}
	page = alloc_pages(order);
	if (!page)
		return NULL;
	page->flags |= PG_HEAD;
	page->order = (u8)order;
	page->slab_cache = NULL;
	page->freelist = &kmalloc_large_tag;
	return page_address(page);
}

void *kmalloc(size_t size)
{
	size_t i;

	if (!size)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(kmalloc_classes); i++) {
		if (size <= kmalloc_classes[i].size) {
			if (unlikely(!kmalloc_ready)) {
				pr_err("kmalloc(%zu) before kmalloc_init()\n", size);
				return NULL;
			}
			return slab_alloc(&kmalloc_caches[i]);
		}
	}
	return kmalloc_large(size);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kzalloc(bytes);
}

static int foreign_free(const void *ptr, const char *why)
{
	__atomic_fetch_add(&kmalloc_foreign_frees, 1, __ATOMIC_RELAXED);
	pr_err("kfree: bad free of %p: %s\n", ptr, why);
	return -EINVAL;
}

int kfree(void *ptr)
{
	struct page *page;

	if (!ptr)
		return 0;
	page = virt_to_page(ptr);
	if (!page)
		return foreign_free(ptr, "not in managed memory");
	if (page->flags & PG_SLAB) {
		struct page *head = slab_head(ptr);

		/* Objects of any cache may be given to kfree, as in Linux. */
		return slab_free(head->slab_cache, ptr);
	}
	if (!(page->flags & PG_HEAD) || page->freelist != &kmalloc_large_tag)
		return foreign_free(ptr, "not allocated by kmalloc (double free?)");
	if (ptr != page_address(page))
		return foreign_free(ptr, "not the start of a kmalloc block");
	page->freelist = NULL;
	free_pages(page, page->order);
	return 0;
}

u64 kmalloc_bad_frees(void)
{
	return __atomic_load_n(&kmalloc_foreign_frees, __ATOMIC_RELAXED);
}
