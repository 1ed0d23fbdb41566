/*
 * Shared memory objects: the pages behind MAP_SHARED mappings. Every VMA
 * mapping the object (in this mm, in forked children, after splits) holds a
 * reference, so a page faulted in through any of them is the page all of
 * them see. Pages are indexed by page offset in a three-level table of
 * 512-slot nodes (2^27 pages, 512 GiB), allocated as indices are touched.
 *
 * Shared mappings of files with pages of their own (tmpfs) map those and
 * have no object. For other files the object reads the file once and never
 * writes back: mappers of the same object share writes, but the file and
 * other mmap calls don't see them.
 */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm_internal.h"

#define SLOTS 512
#define SLOT_BITS 9
#define SHARED_MAX_PAGES (1UL << (3 * SLOT_BITS))

struct vm_shared {
	int refcount;              /* atomic */
	struct mutex lock;         /* guards root and the pages below it */
	void **root;               /* [lock] node: SLOTS pointers to nodes */
	unsigned long nr_pages;    /* indices 0..nr_pages-1 */
	struct file *file;         /* [ref] NULL for anonymous memory */
	const struct mm_file_ops *fops;
	u64 file_pgoff;            /* page offset of index 0 in file */
};

struct vm_shared *shared_create(unsigned long npages, struct file *file,
				const struct mm_file_ops *fops, u64 pgoff)
{
	struct vm_shared *s;

	if (npages > SHARED_MAX_PAGES)
		return ERR_PTR(-ENOMEM);
	s = kzalloc(sizeof(*s));
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->refcount = 1;
	mutex_init(&s->lock, "vm_shared");
	s->nr_pages = npages;
	if (file) {
		s->file = fops->get(file);
		s->fops = fops;
		s->file_pgoff = pgoff;
	}
	return s;
}

u64 mm_vma_file_offset(const struct vm_area *vma)
{
	u64 pgoff = vma->pgoff;

	if (!vma->file)
		return 0;
	if (vma->shared)
		pgoff += vma->shared->file_pgoff;
	return pgoff << PAGE_SHIFT;
}

void shared_get(struct vm_shared *s)
{
	__atomic_add_fetch(&s->refcount, 1, __ATOMIC_RELAXED);
}

static void free_node(void **node, int level)
{
	if (!node)
		return;
	for (int i = 0; i < SLOTS; i++) {
		if (!node[i])
			continue;
		if (level == 1)
			user_page_put(node[i]);
		else
			free_node(node[i], level - 1);
	}
	kfree(node);
}

void shared_put(struct vm_shared *s)
{
	if (__atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	free_node(s->root, 3);
	if (s->file)
		s->fops->put(s->file);
	kfree(s);
}

/* The leaf slot for index, making nodes on the way; NULL when out of memory. */
static void **slot_for(struct vm_shared *s, u64 index)
{
	void ***link = (void ***)&s->root;

	for (int level = 3; level >= 1; level--) {
		void **node = *link;

		if (!node) {
			node = kcalloc(SLOTS, sizeof(void *));
			if (!node)
				return NULL;
			*link = node;
		}
		if (level == 1)
			return &node[index & (SLOTS - 1)];
		link = (void ***)&node[(index >> (SLOT_BITS * (level - 1))) & (SLOTS - 1)];
	}
	return NULL;
}

/* A new page holding the object's contents at index. */
static int fill_page(struct vm_shared *s, u64 index, struct page **out)
{
	struct page *p = user_page_alloc(!s->file);

	if (!p)
		return -ENOMEM;
	if (s->file) {
		long n = s->fops->read(s->file, page_address(p), PAGE_SIZE,
				  (s->file_pgoff + index) << PAGE_SHIFT);
		/* mmap(2): a page wholly past the end of the file is SIGBUS. */
		if (n <= 0) {
			user_page_put(p);
			return -EIO;
		}
		memset((char *)page_address(p) + n, 0, PAGE_SIZE - n);
	}
	*out = p;
	return 0;
}

int shared_page(struct vm_shared *s, u64 index, struct page **out)
{
	void **slot;
	int err = 0;

	if (index >= s->nr_pages)
		return -EIO;
	mutex_lock(&s->lock);
	slot = slot_for(s, index);
	if (!slot) {
		err = -ENOMEM;
		goto out_unlock;
	}
	if (!*slot) {
		struct page *p;

		err = fill_page(s, index, &p);
		if (err)
			goto out_unlock;
		*slot = p; /* the object's reference */
	}
	user_page_get(*slot);
	*out = *slot;
out_unlock:
	mutex_unlock(&s->lock);
	return err;
}
