/*
 * Page faults on user addresses: demand-zero anonymous pages, private file
 * pages copied on first touch, shared pages from the file's own pages or
 * from their object, copy-on-write after fork, and stack growth.
 *
 * Every present user PTE holds one reference on its page. A private page
 * whose count is above one is shared copy-on-write and mapped read-only;
 * a write fault copies it, unless the faulting mm is by then the last
 * owner, which writes in place.
 */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm_internal.h"

/* The page index of va in the VMA's file (or object). */
static u64 vma_index(const struct vm_area *vma, unsigned long va)
{
	return vma->pgoff + ((va - vma->start) >> PAGE_SHIFT);
}

/*
 * Copies the file's page at index to dst: from the file's own frame when it
 * has them (no read, so no i_mutex: this fault may come from a write(2) of
 * the same file), else through read. The bytes of file data copied, 0 or
 * -EIO past the end, -ENOMEM.
 */
static long copy_file_page(struct vm_area *vma, u64 index, void *dst)
{
	struct page *src;
	long n = -EOPNOTSUPP;

	if (vma->fops->get_page)
		n = vma->fops->get_page(vma->file, index, false, &src);
	if (n == -EOPNOTSUPP)
		return vma->fops->read(vma->file, dst, PAGE_SIZE, index << PAGE_SHIFT);
	if (n <= 0)
		return n;
	if (src) {
		memcpy(dst, page_address(src), n);
		user_page_put(src);
	} else {
		memset(dst, 0, n); /* a hole */
	}
	return n;
}

/*
 * A private page holding the file at va's offset: a copy from the start,
 * so writes never reach the file (and, unlike Linux, later writes to the
 * file don't show through pages not yet written). mmap(2): the rest of a
 * page past the end of the file reads as zeros; a page wholly past it is
 * SIGBUS.
 */
static int read_private_file_page(struct vm_area *vma, unsigned long va, struct page **out)
{
	struct page *p = user_page_alloc(false);
	long n;

	if (!p)
		return -ENOMEM;
	n = copy_file_page(vma, vma_index(vma, va), page_address(p));
	if (n <= 0) {
		user_page_put(p);
		return n == -ENOMEM ? -ENOMEM : -EIO;
	}
	if ((unsigned long)n < PAGE_SIZE)
		memset((char *)page_address(p) + n, 0, PAGE_SIZE - n);
	*out = p;
	return 0;
}

/* The file's own frame for a shared mapping: stores through the mapping
 * are the file's contents, and write(2) shows through. */
static int shared_file_page(struct vm_area *vma, unsigned long va, struct page **out)
{
	long n = vma->fops->get_page(vma->file, vma_index(vma, va), true, out);

	if (n > 0)
		return 0;
	return n == -ENOMEM ? -ENOMEM : -EIO;
}

/* The page for a not-present PTE, with a reference for the PTE. */
static int new_page(struct vm_area *vma, unsigned long va, struct page **out)
{
	if (vma->shared)
		return shared_page(vma->shared, vma_index(vma, va), out);
	if (vma->file && (vma->flags & VM_SHARED))
		return shared_file_page(vma, va, out);
	if (vma->file)
		return read_private_file_page(vma, va, out);
	*out = user_page_alloc(true);
	return *out ? 0 : -ENOMEM;
}

/* A write to a present read-only private page. */
static int break_cow(struct mm *mm, struct vm_area *vma, unsigned long va, u64 *pte,
		     struct page **out)
{
	struct page *old = pte_page(*pte), *copy;

	/* Everyone else let go: the page is ours to write. Nobody can take a
	 * new reference meanwhile, since only fork of this mm (under its
	 * lock) would. */
	if (user_page_count(old) == 1) {
		*pte = mk_user_pte(old, vma->prot, true);
		mm_flush_page(mm, va);
		*out = old;
		return 0;
	}
	copy = user_page_alloc(false);
	if (!copy)
		return -ENOMEM;
	memcpy(page_address(copy), page_address(old), PAGE_SIZE);
	*pte = mk_user_pte(copy, vma->prot, true);
	mm_flush_page(mm, va);
	user_page_put(old);
	*out = copy;
	return 0;
}

int fault_in_page(struct mm *mm, struct vm_area *vma, unsigned long va, bool write,
		  bool force, struct page **out)
{
	u64 *pte;

	va &= PAGE_MASK;
	if (write && (vma->flags & VM_SHARED) && !(vma->prot & VM_WRITE))
		return -EACCES; /* not even a forced write reaches a read-only shared object */
	pte = vmm_walk(mm->pml4, va, true);
	if (!pte)
		return -ENOMEM;
	if (!pte_mapped(*pte)) {
		int err = new_page(vma, va, out);

		if (err)
			return err;
		/* A shared page is writable as the VMA says; a fresh private one too. */
		*pte = mk_user_pte(*out, vma->prot, true);
		mm->resident_pages++;
		return 0;
	}
	*out = pte_page(*pte);
	if (!write || (*pte & PTE_W))
		return 0;
	if (vma->flags & VM_SHARED) {
		*pte = mk_user_pte(*out, vma->prot, true);
		mm_flush_page(mm, va);
		return 0;
	}
	if (!(vma->prot & VM_WRITE) && !force)
		return -EACCES;
	return break_cow(mm, vma, va, pte, out);
}

/*
 * Grows a stack VMA down to cover addr, as Linux's expand_downwards(): not
 * past the stack limit, and not within STACK_GUARD_GAP of the mapping below.
 */
static int expand_stack(struct mm *mm, struct vm_area *vma, unsigned long addr)
{
	unsigned long start = addr & PAGE_MASK;
	unsigned long grow = (vma->start - start) >> PAGE_SHIFT;
	struct vm_area *prev = vma_prev(mm, vma);

	if (start < MM_MIN_ADDR || vma->end - start > mm->stack_limit)
		return -ENOMEM;
	if (prev && !(prev->flags & VM_GROWSDOWN) && (prev->prot & VM_PROT_ALL) &&
	    start - prev->end < STACK_GUARD_GAP)
		return -ENOMEM;
	if (((mm->total_pages + grow) << PAGE_SHIFT) > mm->as_limit)
		return -ENOMEM;
	if (vma->file) {
		if (vma->pgoff < grow)
			return -ENOMEM;
		vma->pgoff -= grow;
	}
	vma->start = start;
	mm->total_pages += grow;
	return 0;
}

struct vm_area *vma_for_fault(struct mm *mm, unsigned long addr)
{
	struct vm_area *vma = vma_find(mm, addr);

	if (!vma)
		return NULL;
	if (vma->start <= addr)
		return vma;
	if (!(vma->flags & VM_GROWSDOWN) || expand_stack(mm, vma, addr))
		return NULL;
	return vma;
}

/* Whether vma allows the access; on x86 any access right implies reading. */
static bool access_allowed(const struct vm_area *vma, unsigned long error_code)
{
	if (error_code & PF_WRITE)
		return vma->prot & VM_WRITE;
	if (error_code & PF_INSTR)
		return vma->prot & VM_EXEC;
	return vma->prot & VM_PROT_ALL;
}

int mm_handle_fault(struct mm *mm, unsigned long addr, unsigned long error_code)
{
	struct vm_area *vma;
	struct page *page;
	int err;

	if (!mm || addr >= USER_TOP || (error_code & PF_RSVD))
		return -EFAULT;
	/* A fault from code that holds the lock (a bug) would deadlock. */
	if (mutex_is_held(&mm->lock))
		return -EFAULT;
	mutex_lock(&mm->lock);
	vma = vma_for_fault(mm, addr);
	if (!vma) {
		err = -EFAULT;
		goto out_unlock;
	}
	if (!access_allowed(vma, error_code)) {
		err = -EACCES;
		goto out_unlock;
	}
	err = fault_in_page(mm, vma, addr, error_code & PF_WRITE, false, &page);
out_unlock:
	mutex_unlock(&mm->lock);
	return err;
}
