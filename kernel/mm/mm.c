/*
 * Address spaces: creation, reference counting, fork, switching, and access
 * to another address space's memory (exec writes the new stack this way).
 */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm_internal.h"

/*
 * The address space each CPU has loaded (NULL: kernel_pml4). Written only by
 * its own CPU with interrupts off, so a fault on that CPU reads it safely.
 */
static struct mm *cpu_mm[MAX_CPUS];

/* Linux's mmap_base(): the stack gets at least 128 MiB below its top. */
#define MMAP_GAP_MIN (128UL << 20)
#define MMAP_GAP_MAX (USER_TOP / 6 * 5)

void mm_set_layout(struct mm *mm, unsigned long stack_top, u64 stack_limit)
{
	u64 gap = stack_limit;

	if (gap + STACK_GUARD_GAP > gap)
		gap += STACK_GUARD_GAP;
	gap = MAX(gap, MMAP_GAP_MIN);
	gap = MIN(gap, MMAP_GAP_MAX);
	mutex_lock(&mm->lock);
	mm->stack_top = stack_top & PAGE_MASK;
	mm->stack_limit = stack_limit;
	mm->mmap_base = mm->stack_top > gap + MM_MIN_ADDR ?
		ALIGN_DOWN(mm->stack_top - gap, PAGE_SIZE) : MM_MIN_ADDR;
	mutex_unlock(&mm->lock);
}

void mm_set_limits(struct mm *mm, u64 stack_limit, u64 as_limit, u64 data_limit)
{
	mutex_lock(&mm->lock);
	mm->stack_limit = stack_limit;
	mm->as_limit = as_limit;
	mm->data_limit = data_limit;
	mutex_unlock(&mm->lock);
}

void mm_set_brk_base(struct mm *mm, unsigned long brk)
{
	mutex_lock(&mm->lock);
	mm->start_brk = mm->brk = ALIGN_UP(brk, PAGE_SIZE);
	mutex_unlock(&mm->lock);
}

void mm_set_exec_info(struct mm *mm, unsigned long start_stack, unsigned long arg_start,
		      unsigned long arg_end, unsigned long env_start, unsigned long env_end)
{
	mutex_lock(&mm->lock);
	mm->start_stack = start_stack;
	mm->arg_start = arg_start;
	mm->arg_end = arg_end;
	mm->env_start = env_start;
	mm->env_end = env_end;
	mutex_unlock(&mm->lock);
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	phys_addr_t root;

	if (!mm)
		return ERR_PTR(-ENOMEM);
	root = pmm_alloc_zeroed_page();
	if (!root) {
		kfree(mm);
		return ERR_PTR(-ENOMEM);
	}
	mm->pml4 = phys_to_virt(root);
	/* Kernel-half entries never change after boot (vmm_init made them
	 * all), so copying them shares every kernel mapping for good. */
	memcpy(&mm->pml4[256], &kernel_pml4[256], 256 * sizeof(u64));
	mutex_init(&mm->lock, "mm");
	list_init(&mm->vmas);
	mm->refcount = 1;
	mm->as_limit = MM_NO_LIMIT;
	mm->data_limit = MM_NO_LIMIT;
	mm_set_layout(mm, USER_TOP, MM_DEFAULT_STACK_LIMIT);
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	__atomic_add_fetch(&mm->refcount, 1, __ATOMIC_RELAXED);
	return mm;
}

static int put_pte(u64 *pte, unsigned long va, void *arg)
{
	user_page_put(pte_page(*pte));
	*pte = 0;
	return 0;
}

void mm_put(struct mm *mm)
{
	if (!mm || __atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (mm_current() == mm)
		mm_switch(NULL);
	/* The last reference: nobody else can reach mm, no lock needed. */
	while (!list_empty(&mm->vmas)) {
		struct vm_area *vma = list_first_entry(&mm->vmas, struct vm_area, link);
		vma_unlink(mm, vma);
		vma_free(vma);
	}
	kfree(mm->vma_index);
	pt_for_each(mm->pml4, 0, USER_END, true, put_pte, NULL);
	pmm_free_page(virt_to_phys(mm->pml4));
	kfree(mm);
}

struct fork_copy {
	struct mm *dst;
	const struct vm_area *vma;
	bool write_protected; /* some parent PTE lost its write bit */
};

/* Shares one page with the child; private writable pages become copy-on-write. */
static int copy_pte(u64 *pte, unsigned long va, void *arg)
{
	struct fork_copy *fc = arg;
	u64 *dst = vmm_walk(fc->dst->pml4, va, true);

	if (!dst)
		return -ENOMEM;
	if (!(fc->vma->flags & VM_SHARED) && (*pte & PTE_W)) {
		*pte &= ~PTE_W;
		fc->write_protected = true;
	}
	user_page_get(pte_page(*pte));
	*dst = *pte & ~(PTE_A | PTE_D);
	fc->dst->resident_pages++;
	return 0;
}

static int fork_vmas(struct mm *old, struct mm *new, bool *write_protected)
{
	struct fork_copy fc = { .dst = new };
	struct vm_area *vma, *copy;
	int err = 0;

	list_for_each_entry(vma, &old->vmas, link) {
		copy = vma_alloc(new);
		if (!copy) {
			err = -ENOMEM;
			break;
		}
		*copy = *vma;
		list_init(&copy->link);
		vma_get_backing(copy);
		vma_link(new, copy);
		fc.vma = vma;
		err = pt_for_each(old->pml4, vma->start, vma->end, false, copy_pte, &fc);
		if (err)
			break;
	}
	*write_protected = fc.write_protected;
	return err;
}

struct mm *mm_fork(struct mm *old)
{
	struct mm *new = mm_create();
	bool write_protected;
	int err;

	if (IS_ERR(new))
		return new;
	mutex_lock(&old->lock);
	new->start_brk = old->start_brk;
	new->brk = old->brk;
	new->stack_top = old->stack_top;
	new->mmap_base = old->mmap_base;
	new->stack_limit = old->stack_limit;
	new->as_limit = old->as_limit;
	new->data_limit = old->data_limit;
	new->start_stack = old->start_stack;
	new->arg_start = old->arg_start;
	new->arg_end = old->arg_end;
	new->env_start = old->env_start;
	new->env_end = old->env_end;
	err = fork_vmas(old, new, &write_protected);
	/* The parent must stop writing through cached writable entries
	 * before it lets go of the lock: the child sees those pages now. */
	if (write_protected)
		mm_flush_all(old);
	mutex_unlock(&old->lock);
	if (err) {
		mm_put(new);
		return ERR_PTR(err);
	}
	return new;
}

void mm_switch(struct mm *mm)
{
	unsigned long flags = irq_save();
	u32 cpu = this_cpu()->id;
	struct mm *prev = cpu_mm[cpu];
	phys_addr_t root = virt_to_phys(mm ? mm->pml4 : kernel_pml4);

	if (mm)
		__atomic_or_fetch(&mm->active_cpus, 1ULL << cpu, __ATOMIC_ACQ_REL);
	cpu_mm[cpu] = mm;
	if ((read_cr3() & PTE_ADDR_MASK) != root)
		write_cr3(root);
	if (prev && prev != mm)
		__atomic_and_fetch(&prev->active_cpus, ~(1ULL << cpu), __ATOMIC_ACQ_REL);
	irq_restore(flags);
}

struct mm *mm_current(void)
{
	unsigned long flags = irq_save();
	struct mm *mm = cpu_mm[this_cpu()->id];

	irq_restore(flags);
	return mm;
}

int mm_access(struct mm *mm, unsigned long addr, void *buf, size_t len, unsigned int flags)
{
	bool write = flags & MM_ACCESS_WRITE, force = flags & MM_ACCESS_FORCE;
	char *p = buf;
	int err = 0;

	if (addr >= USER_TOP || len > USER_TOP - addr)
		return -EFAULT;
	mutex_lock(&mm->lock);
	while (len) {
		struct vm_area *vma = vma_find(mm, addr);
		unsigned long off = addr & ~PAGE_MASK, n = MIN(len, PAGE_SIZE - off);
		struct page *page;
		char *kva;

		if (!vma || vma->start > addr ||
		    (!force && !(vma->prot & (write ? VM_WRITE : VM_PROT_ALL)))) {
			err = -EFAULT;
			break;
		}
		if (fault_in_page(mm, vma, addr, write, force, &page)) {
			err = -EFAULT;
			break;
		}
		kva = (char *)page_address(page) + off;
		if (write)
			memcpy(kva, p, n);
		else
			memcpy(p, kva, n);
		addr += n;
		p += n;
		len -= n;
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_walk_vmas(struct mm *mm, int (*fn)(const struct vm_area *vma, void *arg), void *arg)
{
	struct vm_area *vma;
	int ret = 0;

	mutex_lock(&mm->lock);
	list_for_each_entry(vma, &mm->vmas, link) {
		ret = fn(vma, arg);
		if (ret)
			break;
	}
	mutex_unlock(&mm->lock);
	return ret;
}
