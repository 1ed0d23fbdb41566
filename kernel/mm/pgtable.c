/*
 * User pages and the user half of a page-table tree: walking the present
 * parts of a range, unmapping, freeing emptied tables, TLB flushes.
 * Callers hold mm->lock.
 */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "mm_internal.h"

u64 mk_user_pte(struct page *p, unsigned int prot, bool write)
{
	u64 e = page_to_phys(p) | PTE_U;

	if (!(prot & VM_PROT_ALL))
		return e | PTE_PROTNONE;
	e |= PTE_P;
	if (write && (prot & VM_WRITE))
		e |= PTE_W;
	if (!(prot & VM_EXEC) && cpu_features.nx)
		e |= PTE_NX;
	return e;
}

static inline u64 *table_of(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

static bool table_empty(const u64 *t)
{
	for (int i = 0; i < 512; i++) {
		if (t[i])
			return false;
	}
	return true;
}

struct walk {
	int (*fn)(u64 *pte, unsigned long va, void *arg);
	void *arg;
	bool free_empty;
};

/* Visits table (at `level`, 1 = PT) for [start, end), all inside its span. */
static int walk_table(u64 *table, int level, unsigned long start, unsigned long end,
		      struct walk *w)
{
	unsigned int shift = 12 + 9 * (level - 1);
	unsigned long span = 1UL << shift;
	unsigned long va = start;
	int ret = 0;

	while (va < end && !ret) {
		u64 *e = &table[(va >> shift) & 0x1ff];
		unsigned long next = (va & ~(span - 1)) + span;
		unsigned long stop = MIN(end, next);

		if (level == 1) {
			if (pte_mapped(*e))
				ret = w->fn(e, va, w->arg);
		} else if (*e & PTE_P) {
			u64 *child = table_of(*e);

			ret = walk_table(child, level - 1, va, stop, w);
			if (w->free_empty && table_empty(child)) {
				*e = 0;
				pmm_free_page(virt_to_phys(child));
			}
		}
		va = next;
	}
	return ret;
}

int pt_for_each(u64 *pml4, unsigned long start, unsigned long end, bool free_empty,
		int (*fn)(u64 *pte, unsigned long va, void *arg), void *arg)
{
	struct walk w = { .fn = fn, .arg = arg, .free_empty = free_empty };

	if (end > USER_END)
		end = USER_END; /* the kernel half is never walked here */
	if (start >= end)
		return 0;
	return walk_table(pml4, 4, start, end, &w);
}

struct zap {
	unsigned long pages;
};

static int zap_pte(u64 *pte, unsigned long va, void *arg)
{
	struct zap *z = arg;
	struct page *p = pte_page(*pte);

	*pte = 0;
	user_page_put(p);
	z->pages++;
	return 0;
}

/* Flushing page by page beats reloading CR3 only for small ranges. */
#define FLUSH_ALL_THRESHOLD 32

void pt_zap_range(struct mm *mm, unsigned long start, unsigned long end)
{
	struct zap z = { 0 };

	pt_for_each(mm->pml4, start, end, true, zap_pte, &z);
	mm->resident_pages -= z.pages;
	/* invlpg also drops every cached upper-level entry, so freed tables
	 * are forgotten along with the pages (SDM vol. 3, 4.10.4.1): even with
	 * no page unmapped, one invlpg covers tables freed empty. */
	if (!z.pages) {
		mm_flush_page(mm, start);
	} else if ((end - start) >> PAGE_SHIFT <= FLUSH_ALL_THRESHOLD) {
		for (unsigned long va = start; va < end; va += PAGE_SIZE)
			mm_flush_page(mm, va);
	} else {
		mm_flush_all(mm);
	}
}

static bool loaded_here(struct mm *mm)
{
	return __atomic_load_n(&mm->active_cpus, __ATOMIC_ACQUIRE) & (1ULL << this_cpu()->id);
}

void mm_flush_page(struct mm *mm, unsigned long va)
{
	if (loaded_here(mm))
		invlpg(va);
}

void mm_flush_all(struct mm *mm)
{
	if (loaded_here(mm))
		write_cr3(read_cr3());
}
