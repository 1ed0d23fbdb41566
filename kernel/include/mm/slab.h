/*
 * Slab caches for fixed-size objects, and kmalloc/kfree for general sizes
 * (sizes past the largest cache go straight to the page allocator).
 */
#ifndef SABLE_MM_SLAB_H
#define SABLE_MM_SLAB_H

#include "core/spinlock.h"
#include "lib/list.h"
#include "lib/types.h"

struct slab_cache {
	const char *name;
	size_t object_size;  /* as asked for */
	size_t size;         /* per-object stride, aligned */
	unsigned int order;  /* each slab is 2^order pages */
	unsigned int objects_per_slab;
	struct spinlock lock;
	struct list_head partial; /* [lock] slabs with free objects */
	struct list_head full;    /* [lock] slabs with none */
	u64 nr_slabs;             /* [lock] */
	u64 active_objects;       /* [lock] */
	u64 bad_frees;            /* [lock] double or foreign frees detected */
	struct list_head link;    /* in the list of all caches */
};

int slab_cache_init(struct slab_cache *c, const char *name, size_t size, size_t align);
struct slab_cache *slab_cache_create(const char *name, size_t size, size_t align);
void *slab_alloc(struct slab_cache *c);
/* Returns 0, or -EINVAL when obj is not a live object of c (reported). */
int slab_free(struct slab_cache *c, void *obj);

void kmalloc_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* Frees what kmalloc returned; NULL is ignored; a double free or a pointer
 * kmalloc never returned is reported and ignored. Returns 0 or -EINVAL. */
int kfree(void *ptr);
/* kzalloc(n * size), or NULL when the product overflows. */
void *kcalloc(size_t n, size_t size);

/* Give the empty slabs of c back to the page allocator; returns how many. */
unsigned int slab_cache_shrink(struct slab_cache *c);
/*
 * Call fn on every cache (for /proc/slabinfo). fn runs with the cache list
 * lock held: it may take the cache's own lock but must not create caches.
 */
void slab_for_each_cache(void (*fn)(struct slab_cache *, void *), void *arg);
/* Bad kfree() calls that no cache could be blamed for (foreign pointers,
 * large blocks freed twice); per-cache ones are in slab_cache.bad_frees. */
u64 kmalloc_bad_frees(void);

#endif
