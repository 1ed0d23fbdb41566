/*
 * The mapping calls: mmap, munmap, mprotect, brk, madvise, msync, with the
 * semantics and errors of their Linux man pages. The compat layer converts
 * flags and checks the file's open mode (maxprot); everything else is here.
 */
#include "fs/file.h"
#include "lib/errno.h"
#include "mm_internal.h"

static long vfs_read(struct file *f, void *buf, size_t len, u64 off)
{
	return kernel_read(f, buf, len, off);
}

static struct file *vfs_get(struct file *f)
{
	return file_get(f);
}

static void vfs_put(struct file *f)
{
	file_put(f);
}

const struct mm_file_ops mm_vfs_file_ops = {
	.read = vfs_read,
	.get = vfs_get,
	.put = vfs_put,
	.has_pages = file_has_pages,
	.get_page = kernel_get_page,
};

/* Whether [addr, addr + len) is free, keeping clear of stack guard gaps. */
static bool area_free(struct mm *mm, unsigned long addr, unsigned long len)
{
	struct vm_area *next = vma_find(mm, addr);

	return !next || addr + len <= vma_start_gap(next);
}

/* The highest aligned start for len in the gap [lo, hi), or 0. */
static unsigned long fit_top(unsigned long lo, unsigned long hi, unsigned long len,
			     unsigned long align)
{
	unsigned long addr;

	lo = MAX(lo, MM_MIN_ADDR);
	if (hi < lo || hi - lo < len)
		return 0;
	addr = ALIGN_DOWN(hi - len, align);
	return addr >= lo ? addr : 0;
}

/* The lowest aligned start for len in the gap [lo, hi), or 0. */
static unsigned long fit_bottom(unsigned long lo, unsigned long hi, unsigned long len,
				unsigned long align)
{
	unsigned long addr = ALIGN_UP(MAX(lo, MM_MIN_ADDR), align);

	return addr < hi && hi - addr >= len ? addr : 0;
}

/*
 * Linux's legacy-free layout: search top-down from mmap_base, then, should
 * that part be full, bottom-up above it. Gaps are the spaces between one
 * VMA's end and the next one's start (less a stack's guard gap).
 */
unsigned long get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len,
				unsigned long align)
{
	unsigned long hi = USER_TOP, addr;
	struct list_head *pos;

	if (len > USER_TOP - MM_MIN_ADDR)
		return 0;
	if (hint) {
		hint = ALIGN_UP(hint, align);
		if (hint >= MM_MIN_ADDR && hint <= USER_TOP - len && area_free(mm, hint, len))
			return hint;
	}
	for (pos = mm->vmas.prev; ; pos = pos->prev) {
		struct vm_area *vma = pos == &mm->vmas ? NULL :
			list_entry(pos, struct vm_area, link);
		unsigned long lo = vma ? vma->end : 0;

		addr = fit_top(lo, MIN(hi, mm->mmap_base), len, align);
		if (addr)
			return addr;
		if (!vma || lo < MM_MIN_ADDR)
			break;
		hi = vma_start_gap(vma);
	}
	for (pos = mm->vmas.next; ; pos = pos->next) {
		struct vm_area *vma = pos == &mm->vmas ? NULL :
			list_entry(pos, struct vm_area, link);
		unsigned long lo = pos->prev == &mm->vmas ? 0 :
			list_entry(pos->prev, struct vm_area, link)->end;

		hi = vma ? vma_start_gap(vma) : USER_TOP;
		addr = fit_bottom(MAX(lo, mm->mmap_base), hi, len, align);
		if (addr)
			return addr;
		if (!vma)
			break;
	}
	return 0;
}

unsigned long mm_get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len,
				   unsigned long align)
{
	unsigned long addr;

	if (!len || !IS_ALIGNED(len, PAGE_SIZE) || align < PAGE_SIZE || (align & (align - 1)))
		return 0;
	mutex_lock(&mm->lock);
	addr = get_unmapped_area(mm, hint, len, align);
	mutex_unlock(&mm->lock);
	return addr;
}

/* Faults in every page of [start, end) for MMAP_POPULATE; errors are left
 * for the program to meet on access, as mmap(2) does. */
static void populate(struct mm *mm, unsigned long start, unsigned long end)
{
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		struct vm_area *vma = vma_find(mm, va);
		struct page *page;

		if (!vma || vma->start > va || !(vma->prot & VM_PROT_ALL))
			continue;
		if (fault_in_page(mm, vma, va, (vma->prot & VM_WRITE) != 0, false, &page))
			break;
	}
}

int do_munmap(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vm_area *vma = vma_find(mm, start), *last, *next;

	if (!vma || vma->start >= end)
		return 0;
	if (vma->start < start) {
		/* Cutting a hole in one VMA leaves two: refuse at the limit. */
		if (vma->end > end && mm->map_count >= MM_MAX_MAP_COUNT)
			return -ENOMEM;
		vma = vma_split(mm, vma, start);
		if (IS_ERR(vma))
			return PTR_ERR(vma);
	}
	last = vma_find(mm, end - 1);
	if (last && last->start < end && last->end > end) {
		next = vma_split(mm, last, end);
		if (IS_ERR(next))
			return PTR_ERR(next);
	}
	while (vma && vma->start < end) {
		next = vma_next(mm, vma);
		vma_unlink(mm, vma);
		vma_free(vma);
		vma = next;
	}
	pt_zap_range(mm, start, end);
	return 0;
}

/* Pages of [start, end) already mapped (a fixed mapping replaces them). */
static unsigned long mapped_pages(struct mm *mm, unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (struct vm_area *vma = vma_find(mm, start); vma && vma->start < end;
	     vma = vma_next(mm, vma))
		n += (MIN(end, vma->end) - MAX(start, vma->start)) >> PAGE_SHIFT;
	return n;
}

struct map_request {
	unsigned long addr, len;
	unsigned int prot, maxprot, vm_flags;
	struct file *file;
	const struct mm_file_ops *fops;
	u64 pgoff;
};

/* Whether a shared mapping of req's file maps the file's own pages. */
static bool maps_file_pages(const struct map_request *req)
{
	return req->file && req->fops->has_pages && req->fops->has_pages(req->file);
}

/* Makes and links the VMA for a free, validated range. */
static int map_region(struct mm *mm, const struct map_request *req)
{
	struct vm_area *vma = vma_alloc(mm);

	if (!vma)
		return -ENOMEM;
	vma->start = req->addr;
	vma->end = req->addr + req->len;
	vma->prot = req->prot;
	vma->maxprot = req->maxprot;
	vma->flags = req->vm_flags;
	if ((req->vm_flags & VM_SHARED) && !maps_file_pages(req)) {
		vma->shared = shared_create(req->len >> PAGE_SHIFT, req->file, req->fops, req->pgoff);
		if (IS_ERR(vma->shared)) {
			int err = PTR_ERR(vma->shared);

			vma->shared = NULL;
			vma_free(vma);
			return err;
		}
	} else {
		vma->pgoff = req->pgoff;
	}
	if (req->file) {
		/* With an object, the object reads the file; the VMA keeps
		 * it only to say what is mapped (/proc/pid/maps). */
		vma->file = req->fops->get(req->file);
		vma->fops = req->fops;
	}
	vma_link(mm, vma);
	vma_merge_neighbours(mm, vma);
	return 0;
}

static int check_mmap_args(unsigned long addr, unsigned long *len, unsigned int prot,
			   unsigned int flags, bool has_file, u64 off)
{
	unsigned int type = flags & (MMAP_SHARED | MMAP_PRIVATE);

	if (!*len || (prot & ~VM_PROT_ALL) || (flags & ~MMAP_ALL_FLAGS) ||
	    (type != MMAP_SHARED && type != MMAP_PRIVATE) || !IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if ((flags & MMAP_GROWSDOWN) && type == MMAP_SHARED)
		return -EINVAL;
	if (*len > USER_TOP)
		return -ENOMEM;
	*len = ALIGN_UP(*len, PAGE_SIZE);
	if (has_file && (off >> PAGE_SHIFT) + (*len >> PAGE_SHIFT) < (off >> PAGE_SHIFT))
		return -EOVERFLOW;
	if (flags & (MMAP_FIXED | MMAP_FIXED_NOREPLACE)) {
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (addr > USER_TOP - *len)
			return -ENOMEM;
		if (addr < MM_MIN_ADDR)
			return -EPERM;
	}
	return 0;
}

int mm_mmap_ops(struct mm *mm, unsigned long addr, unsigned long len, unsigned int prot,
		unsigned int flags, struct file *file, const struct mm_file_ops *fops,
		u64 off, unsigned int maxprot, unsigned long *result)
{
	bool fixed = flags & (MMAP_FIXED | MMAP_FIXED_NOREPLACE);
	struct map_request req;
	int err;

	if (flags & MMAP_ANONYMOUS)
		file = NULL; /* mmap(2): the fd is ignored with MAP_ANONYMOUS */
	err = check_mmap_args(addr, &len, prot, flags, file != NULL, off);
	if (err)
		return err;
	if (!file)
		maxprot = VM_PROT_ALL;
	else if (flags & MMAP_PRIVATE)
		maxprot |= VM_WRITE; /* writes to a private copy never reach the file */
	if (prot & ~maxprot)
		return -EACCES;
	req = (struct map_request){
		.len = len, .prot = prot, .maxprot = maxprot, .file = file,
		.fops = file ? fops : NULL,
		.pgoff = file ? off >> PAGE_SHIFT : 0,
		.vm_flags = ((flags & MMAP_SHARED) ? VM_SHARED : 0) |
			    ((flags & MMAP_GROWSDOWN) ? VM_GROWSDOWN : 0),
	};

	mutex_lock(&mm->lock);
	err = -ENOMEM;
	if (mm->map_count >= MM_MAX_MAP_COUNT)
		goto out_unlock;
	if (fixed) {
		unsigned long replaced = mapped_pages(mm, addr, addr + len);

		err = -EEXIST;
		if ((flags & MMAP_FIXED_NOREPLACE) && replaced)
			goto out_unlock;
		err = -ENOMEM;
		if (((mm->total_pages - replaced + (len >> PAGE_SHIFT)) << PAGE_SHIFT) > mm->as_limit)
			goto out_unlock;
		err = do_munmap(mm, addr, addr + len);
		if (err)
			goto out_unlock;
	} else {
		if (((mm->total_pages + (len >> PAGE_SHIFT)) << PAGE_SHIFT) > mm->as_limit)
			goto out_unlock;
		addr = get_unmapped_area(mm, addr, len, PAGE_SIZE);
		if (!addr)
			goto out_unlock;
	}
	req.addr = addr;
	err = map_region(mm, &req);
	if (err)
		goto out_unlock;
	if (flags & MMAP_POPULATE)
		populate(mm, addr, addr + len);
	*result = addr;
out_unlock:
	mutex_unlock(&mm->lock);
	return err;
}

int mm_mmap(struct mm *mm, unsigned long addr, unsigned long len, unsigned int prot,
	    unsigned int flags, struct file *file, u64 off, unsigned int maxprot,
	    unsigned long *result)
{
	return mm_mmap_ops(mm, addr, len, prot, flags, file, &mm_vfs_file_ops, off, maxprot,
			   result);
}

int mm_munmap(struct mm *mm, unsigned long addr, unsigned long len)
{
	int err;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || addr > USER_TOP || len > USER_TOP - addr || !len)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	mutex_lock(&mm->lock);
	err = do_munmap(mm, addr, addr + len);
	mutex_unlock(&mm->lock);
	return err;
}

/*
 * Whether [start, end) is covered by VMAs without a hole; with prot, also
 * that each allows it (-EACCES). -ENOMEM for a hole, as mprotect(2) says.
 */
static int check_covered(struct mm *mm, unsigned long start, unsigned long end,
			 const unsigned int *prot)
{
	unsigned long at = start;

	for (struct vm_area *vma = vma_find(mm, start); at < end; vma = vma_next(mm, vma)) {
		if (!vma || vma->start > at)
			return -ENOMEM;
		if (prot && (*prot & ~vma->maxprot))
			return -EACCES;
		at = vma->end;
	}
	return 0;
}

struct reprotect {
	struct mm *mm;
};

/* Applies the (already updated) protection of the page's VMA to its PTE. */
static int reprotect_pte(u64 *pte, unsigned long va, void *arg)
{
	struct reprotect *r = arg;
	struct vm_area *vma = vma_find(r->mm, va);
	struct page *p = pte_page(*pte);
	/* A private page shared copy-on-write stays read-only until written. */
	bool write = (vma->flags & VM_SHARED) || user_page_count(p) == 1;

	*pte = mk_user_pte(p, vma->prot, write);
	return 0;
}

int mm_mprotect(struct mm *mm, unsigned long addr, unsigned long len, unsigned int prot)
{
	struct reprotect r = { .mm = mm };
	struct vm_area *vma, *last;
	unsigned long end;
	int err;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || (prot & ~VM_PROT_ALL))
		return -EINVAL;
	if (!len)
		return 0;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (len > USER_TOP || end <= addr || end > USER_TOP)
		return -ENOMEM;
	mutex_lock(&mm->lock);
	err = check_covered(mm, addr, end, &prot);
	if (err)
		goto out_unlock;
	err = -ENOMEM;
	if (mm->map_count + 2 > MM_MAX_MAP_COUNT)
		goto out_unlock;
	vma = vma_find(mm, addr);
	if (vma->start < addr) {
		vma = vma_split(mm, vma, addr);
		if (IS_ERR(vma))
			goto out_unlock;
	}
	last = vma_find(mm, end - 1);
	if (last->end > end && IS_ERR(vma_split(mm, last, end)))
		goto out_unlock;
	for (struct vm_area *v = vma; v && v->start < end; v = vma_next(mm, v))
		v->prot = prot;
	pt_for_each(mm->pml4, addr, end, false, reprotect_pte, &r);
	mm_flush_all(mm);
	/* Put back together what the splits cut, now that it agrees again. */
	while (vma) {
		vma = vma_merge_neighbours(mm, vma);
		vma = vma->end < end ? vma_next(mm, vma) : NULL;
	}
	err = 0;
out_unlock:
	mutex_unlock(&mm->lock);
	return err;
}

unsigned long mm_brk(struct mm *mm, unsigned long brk)
{
	struct map_request req = { .prot = VM_READ | VM_WRITE, .maxprot = VM_PROT_ALL };
	unsigned long old_end, new_end, ret;
	struct vm_area *next;

	mutex_lock(&mm->lock);
	ret = mm->brk;
	/* brk(2) as Linux: never below the start, within RLIMIT_DATA; and no
	 * heap at all before exec has placed it. */
	if (mm->start_brk < MM_MIN_ADDR || brk < mm->start_brk || brk > USER_TOP ||
	    brk - mm->start_brk > mm->data_limit)
		goto out_unlock;
	old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	new_end = ALIGN_UP(brk, PAGE_SIZE);
	if (new_end < old_end) {
		if (do_munmap(mm, new_end, old_end))
			goto out_unlock;
	} else if (new_end > old_end) {
		/* Keep a page (and a stack's guard gap) clear above the heap. */
		next = vma_find(mm, old_end);
		if (next && new_end + PAGE_SIZE > vma_start_gap(next))
			goto out_unlock;
		if (((mm->total_pages << PAGE_SHIFT) + (new_end - old_end)) > mm->as_limit)
			goto out_unlock;
		req.addr = old_end;
		req.len = new_end - old_end;
		if (map_region(mm, &req))
			goto out_unlock;
	}
	mm->brk = brk;
	ret = brk;
out_unlock:
	mutex_unlock(&mm->lock);
	return ret;
}

int mm_madvise(struct mm *mm, unsigned long addr, unsigned long len, enum mm_advice advice)
{
	unsigned long end;
	int err;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || advice > MM_ADV_FREE)
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if ((len && end == addr) || end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;
	mutex_lock(&mm->lock);
	err = check_covered(mm, addr, end, NULL);
	if (advice == MM_ADV_DONTNEED || advice == MM_ADV_FREE) {
		/* Private pages go (reads then see zeros, or the file again);
		 * shared ones stay in their object and come back on access. */
		for (struct vm_area *vma = vma_find(mm, addr); vma && vma->start < end;
		     vma = vma_next(mm, vma))
			pt_zap_range(mm, MAX(addr, vma->start), MIN(end, vma->end));
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_msync(struct mm *mm, unsigned long addr, unsigned long len, unsigned int flags)
{
	unsigned long end;
	int err;

	/* msync(2): EINVAL for unknown flags, an unaligned addr, or both
	 * MS_ASYNC and MS_SYNC; ENOMEM when part of the range is unmapped. */
	if ((flags & ~(MSYNC_ASYNC | MSYNC_INVALIDATE | MSYNC_SYNC)) ||
	    !IS_ALIGNED(addr, PAGE_SIZE) || ((flags & MSYNC_ASYNC) && (flags & MSYNC_SYNC)))
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end < addr)
		return -ENOMEM;
	if (end == addr)
		return 0;
	mutex_lock(&mm->lock);
	err = check_covered(mm, addr, end, NULL);
	mutex_unlock(&mm->lock);
	/* Stores through a shared mapping are already in the file's pages
	 * (or, for files without pages, never reach it): nothing to write
	 * back, nothing to invalidate. */
	return err;
}

bool mm_addr_is_shared(struct mm *mm, unsigned long addr)
{
	struct vm_area *vma;
	bool shared;

	mutex_lock(&mm->lock);
	vma = vma_find(mm, addr);
	shared = vma && (vma->flags & VM_SHARED);
	mutex_unlock(&mm->lock);
	return shared;
}
