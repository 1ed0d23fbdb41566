/*
 * The VMA set of an address space: a list sorted by address for walking in
 * order, and the same VMAs in a sorted array for binary search (every fault
 * looks one up), with a one-entry cache in front (faults tend to hit the
 * VMA of the previous fault). The array is grown when a VMA is allocated,
 * so linking never fails. Everything runs under mm->lock.
 */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm_internal.h"

#define INDEX_MIN_CAP 16

/* Makes room in the index for one more VMA than it holds. */
static int index_reserve(struct mm *mm)
{
	struct vm_area **grown;
	unsigned int cap;

	if (mm->map_count < mm->index_cap)
		return 0;
	cap = mm->index_cap ? mm->index_cap * 2 : INDEX_MIN_CAP;
	grown = kcalloc(cap, sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	if (mm->map_count)
		memcpy(grown, mm->vma_index, mm->map_count * sizeof(*grown));
	kfree(mm->vma_index);
	mm->vma_index = grown;
	mm->index_cap = cap;
	return 0;
}

struct vm_area *vma_alloc(struct mm *mm)
{
	struct vm_area *vma;

	if (index_reserve(mm))
		return NULL;
	vma = kzalloc(sizeof(*vma));
	if (vma)
		list_init(&vma->link);
	return vma;
}

void vma_get_backing(struct vm_area *vma)
{
	if (vma->file)
		vma->fops->get(vma->file);
	if (vma->shared)
		shared_get(vma->shared);
}

void vma_free(struct vm_area *vma)
{
	if (vma->file)
		vma->fops->put(vma->file);
	if (vma->shared)
		shared_put(vma->shared);
	kfree(vma);
}

/* Index of the first VMA ending above addr (map_count if none). Sorted by
 * start and disjoint, the VMAs are sorted by end too. */
static unsigned int index_find(struct mm *mm, unsigned long addr)
{
	unsigned int lo = 0, hi = mm->map_count;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (mm->vma_index[mid]->end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vm_area *vma_find(struct mm *mm, unsigned long addr)
{
	struct vm_area *vma = mm->last_vma;
	unsigned int i;

	if (vma && vma->start <= addr && addr < vma->end)
		return vma;
	i = index_find(mm, addr);
	if (i == mm->map_count)
		return NULL;
	vma = mm->vma_index[i];
	if (vma->start <= addr)
		mm->last_vma = vma;
	return vma;
}

struct vm_area *vma_prev(struct mm *mm, struct vm_area *vma)
{
	if (vma->link.prev == &mm->vmas)
		return NULL;
	return list_entry(vma->link.prev, struct vm_area, link);
}

struct vm_area *vma_next(struct mm *mm, struct vm_area *vma)
{
	if (vma->link.next == &mm->vmas)
		return NULL;
	return list_entry(vma->link.next, struct vm_area, link);
}

struct vm_area *vma_find_overlap(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vm_area *vma = vma_find(mm, start);

	return vma && vma->start < end ? vma : NULL;
}

void vma_link(struct mm *mm, struct vm_area *vma)
{
	/* The first VMA ending above vma's start is the one it goes before. */
	unsigned int i = index_find(mm, vma->start);

	memmove(&mm->vma_index[i + 1], &mm->vma_index[i],
		(mm->map_count - i) * sizeof(*mm->vma_index));
	mm->vma_index[i] = vma;
	if (i < mm->map_count)
		list_add_tail(&vma->link, &mm->vma_index[i + 1]->link);
	else
		list_add_tail(&vma->link, &mm->vmas);
	mm->map_count++;
	mm->total_pages += vma_pages(vma);
}

void vma_unlink(struct mm *mm, struct vm_area *vma)
{
	unsigned int i = index_find(mm, vma->start);

	memmove(&mm->vma_index[i], &mm->vma_index[i + 1],
		(mm->map_count - i - 1) * sizeof(*mm->vma_index));
	list_del(&vma->link);
	mm->map_count--;
	mm->total_pages -= vma_pages(vma);
	if (mm->last_vma == vma)
		mm->last_vma = NULL;
}

struct vm_area *vma_split(struct mm *mm, struct vm_area *vma, unsigned long addr)
{
	struct vm_area *upper;

	if (mm->map_count >= MM_MAX_MAP_COUNT)
		return ERR_PTR(-ENOMEM);
	upper = vma_alloc(mm);
	if (!upper)
		return ERR_PTR(-ENOMEM);
	*upper = *vma;
	list_init(&upper->link);
	upper->start = addr;
	if (vma->file || vma->shared)
		upper->pgoff += (addr - vma->start) >> PAGE_SHIFT;
	vma_get_backing(upper);
	vma->end = addr;
	/* Same pages in total: link counts upper's, so take them off vma's. */
	mm->total_pages -= vma_pages(upper);
	vma_link(mm, upper);
	return upper;
}

/* Whether b can be folded into a, which ends where b starts. */
static bool vma_compatible(const struct vm_area *a, const struct vm_area *b)
{
	if (a->end != b->start || a->prot != b->prot || a->maxprot != b->maxprot ||
	    a->flags != b->flags || a->file != b->file || a->fops != b->fops ||
	    a->shared != b->shared)
		return false;
	if (a->file || a->shared)
		return a->pgoff + vma_pages(a) == b->pgoff;
	return true;
}

/* Folds next into vma (adjacent and compatible); next is freed. */
static void vma_absorb(struct mm *mm, struct vm_area *vma, struct vm_area *next)
{
	vma_unlink(mm, next);
	vma->end = next->end;
	mm->total_pages += vma_pages(next);
	vma_free(next);
}

struct vm_area *vma_merge_neighbours(struct mm *mm, struct vm_area *vma)
{
	struct vm_area *prev = vma_prev(mm, vma), *next = vma_next(mm, vma);

	if (next && vma_compatible(vma, next))
		vma_absorb(mm, vma, next);
	if (prev && vma_compatible(prev, vma)) {
		vma_absorb(mm, prev, vma);
		vma = prev;
	}
	return vma;
}
