/*
 * Shared by the user address-space code (mm.c, vma.c, pgtable.c, fault.c,
 * mmap.c, shared.c); nothing outside kernel/mm includes it.
 */
#ifndef SABLE_MM_INTERNAL_H
#define SABLE_MM_INTERNAL_H

#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

/*
 * A PTE of a PROT_NONE page: not present to the CPU, but the frame stays
 * mapped (bits the CPU ignores when P is clear) so mprotect can restore it.
 */
#define PTE_PROTNONE (1UL << 10)

static inline bool pte_mapped(u64 e)
{
	return e & (PTE_P | PTE_PROTNONE);
}

static inline struct page *pte_page(u64 e)
{
	return phys_to_page(e & PTE_ADDR_MASK);
}

/* ---- user pages (pgtable.c) ---- */

/* A page with one reference, zeroed if zero; NULL when memory is out. */
static inline struct page *user_page_alloc(bool zero)
{
	return page_alloc_ref(zero ? GFP_ZERO : 0);
}

static inline void user_page_get(struct page *p)
{
	page_get(p);
}

static inline u32 user_page_count(struct page *p)
{
	return page_count(p);
}

static inline void user_page_put(struct page *p)
{
	page_put(p);
}

/* The PTE for a page mapped with prot; writable only if write is also set. */
u64 mk_user_pte(struct page *p, unsigned int prot, bool write);

/*
 * Calls fn on each mapped PTE (pte_mapped) for [start, end), skipping absent
 * tables. With free_empty, tables left without entries are freed. Stops at
 * and returns fn's first non-zero value.
 */
int pt_for_each(u64 *pml4, unsigned long start, unsigned long end, bool free_empty,
		int (*fn)(u64 *pte, unsigned long va, void *arg), void *arg);
/* Unmaps [start, end): drops page references, frees emptied tables, flushes. */
void pt_zap_range(struct mm *mm, unsigned long start, unsigned long end);

/* TLB: mm's entries for va / all of mm's entries, on this CPU if loaded here.
 * (Other CPUs need shootdowns once SMP brings up a second CPU.) */
void mm_flush_page(struct mm *mm, unsigned long va);
void mm_flush_all(struct mm *mm);

/* ---- the VMA set (vma.c); all under mm->lock ---- */

/* A zeroed VMA, with room made in mm's index for linking it. */
struct vm_area *vma_alloc(struct mm *mm);
/* Drops the VMA's file and shared-object references and frees it. */
void vma_free(struct vm_area *vma);
/* The first VMA ending above addr (it may start above addr), or NULL. */
struct vm_area *vma_find(struct mm *mm, unsigned long addr);
struct vm_area *vma_prev(struct mm *mm, struct vm_area *vma);
struct vm_area *vma_next(struct mm *mm, struct vm_area *vma);
/* The first VMA overlapping [start, end), or NULL. */
struct vm_area *vma_find_overlap(struct mm *mm, unsigned long start, unsigned long end);
/* Inserts vma (allocated by vma_alloc(mm), so it cannot fail). */
void vma_link(struct mm *mm, struct vm_area *vma);
void vma_unlink(struct mm *mm, struct vm_area *vma);
/* Splits vma at addr (strictly inside it): vma keeps [start, addr), the
 * returned new VMA gets [addr, end). ERR_PTR(-ENOMEM). */
struct vm_area *vma_split(struct mm *mm, struct vm_area *vma, unsigned long addr);
/* Merges vma with compatible neighbours; returns the VMA now covering it. */
struct vm_area *vma_merge_neighbours(struct mm *mm, struct vm_area *vma);
/* Takes references on file/shared for a copy of a VMA (split, fork). */
void vma_get_backing(struct vm_area *vma);

/* Where a VMA's lowest address may be approached by another mapping. */
static inline unsigned long vma_start_gap(const struct vm_area *vma)
{
	if (!(vma->flags & VM_GROWSDOWN))
		return vma->start;
	return vma->start > STACK_GUARD_GAP ? vma->start - STACK_GUARD_GAP : 0;
}

static inline unsigned long vma_pages(const struct vm_area *vma)
{
	return (vma->end - vma->start) >> PAGE_SHIFT;
}

/* ---- faults (fault.c) ---- */

/*
 * Makes the page at va (inside vma) present, writable-in-place for write
 * (copying a shared copy-on-write page), and returns it through *out (no
 * extra reference: valid while mm->lock is held). force allows writes that
 * vma->prot forbids on private mappings (the copy stays read-only to the
 * program). Errors as mm_handle_fault.
 */
int fault_in_page(struct mm *mm, struct vm_area *vma, unsigned long va, bool write,
		  bool force, struct page **out);
/* The VMA for a fault at addr, growing a stack down to it if needed. */
struct vm_area *vma_for_fault(struct mm *mm, unsigned long addr);

/* ---- shared memory objects (shared.c) ---- */

/* An object of npages pages, anonymous or (file non-NULL) read from file at
 * page offset pgoff. ERR_PTR(-ENOMEM). */
struct vm_shared *shared_create(unsigned long npages, struct file *file,
				const struct mm_file_ops *fops, u64 pgoff);
void shared_get(struct vm_shared *s);
void shared_put(struct vm_shared *s);
/* The page at index, made if absent, with a reference for the caller.
 * -EIO past the object or the file's end, -ENOMEM. */
int shared_page(struct vm_shared *s, u64 index, struct page **out);

/* ---- mmap.c ---- */

/* Unmaps [start, end) (page-aligned) from the VMA set and the page tables.
 * -ENOMEM when a split would pass MM_MAX_MAP_COUNT. */
int do_munmap(struct mm *mm, unsigned long start, unsigned long end);
/* A free range of len bytes aligned to align, preferring hint. 0 if none. */
unsigned long get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len,
				unsigned long align);

#endif
