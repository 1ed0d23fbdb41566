/*
 * Self tests of user address spaces. Each test makes an mm, loads it, and
 * touches user memory the way syscalls do, through copy_to_user and
 * copy_from_user: their faults go through mm_handle_fault, and an
 * unresolved one comes back as -EFAULT. Every test ends by checking that all
 * the pages it used went back to the page allocator.
 */
#include "arch/uaccess.h"
#include "core/ktest.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/memfile.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define RW (VM_READ | VM_WRITE)
#define ANON_PRIVATE (MMAP_PRIVATE | MMAP_ANONYMOUS)

struct umm {
	struct mm *mm;
	u64 free_before;
};

static bool umm_begin(struct umm *t)
{
	t->free_before = pmm_free_pages();
	t->mm = mm_create();
	if (IS_ERR(t->mm))
		return false;
	mm_switch(t->mm);
	return true;
}

/* Unloads and frees the mm; the pages it had must all be free again. */
static bool umm_end(struct umm *t)
{
	mm_switch(NULL);
	mm_put(t->mm);
	return pmm_free_pages() == t->free_before;
}

static unsigned long map(struct mm *mm, unsigned long addr, unsigned long len,
			 unsigned int prot, unsigned int flags)
{
	unsigned long at = 0;

	if (mm_mmap(mm, addr, len, prot, flags, NULL, 0, 0, &at))
		return 0;
	return at;
}

static int put_u64(unsigned long addr, u64 v)
{
	return copy_to_user((void __user *)addr, &v, sizeof(v));
}

static int get_u64(unsigned long addr, u64 *v)
{
	return copy_from_user(v, (const void __user *)addr, sizeof(*v));
}

static u32 page_refs(struct mm *mm, unsigned long va)
{
	phys_addr_t pa = vmm_translate(mm->pml4, va);

	return pa == (phys_addr_t)-1 ? 0 : phys_to_page(pa)->refcount;
}

KTEST(mm_anon_demand_zero)
{
	struct umm t;
	unsigned long a;
	u8 buf[64];
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	a = map(t.mm, 0, 8 * PAGE_SIZE, RW, ANON_PRIVATE);
	if (!a || !IS_ALIGNED(a, PAGE_SIZE) || a >= t.mm->mmap_base)
		return KT_FAIL("mmap gave %#lx (mmap_base %#lx)", a, t.mm->mmap_base);
	if (t.mm->resident_pages != 0 || t.mm->total_pages != 8)
		return KT_FAIL("resident %lu total %lu before touching",
			       t.mm->resident_pages, t.mm->total_pages);
	if (copy_from_user(buf, (const void __user *)(a + 3 * PAGE_SIZE + 100), sizeof(buf)))
		return KT_FAIL("read of a fresh page faulted");
	for (size_t i = 0; i < sizeof(buf); i++) {
		if (buf[i])
			return KT_FAIL("fresh page not zero at %zu", i);
	}
	if (put_u64(a + 5 * PAGE_SIZE - 4, 0x1122334455667788ULL))
		return KT_FAIL("write across a page boundary faulted");
	if (get_u64(a + 5 * PAGE_SIZE - 4, &v) || v != 0x1122334455667788ULL)
		return KT_FAIL("read back %#llx", (unsigned long long)v);
	if (t.mm->resident_pages != 3)
		return KT_FAIL("resident %lu, expected 3", t.mm->resident_pages);
	if (get_u64(a + 8 * PAGE_SIZE, &v) != -EFAULT)
		return KT_FAIL("read past the mapping did not fault");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_munmap_then_fault)
{
	struct umm t;
	unsigned long a;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	a = map(t.mm, 0, 3 * PAGE_SIZE, RW, ANON_PRIVATE);
	for (int i = 0; i < 3; i++) {
		if (put_u64(a + i * PAGE_SIZE, 100 + i))
			return KT_FAIL("write to page %d faulted", i);
	}
	if (mm_munmap(t.mm, a + PAGE_SIZE, PAGE_SIZE))
		return KT_FAIL("munmap of the middle page failed");
	if (t.mm->map_count != 2 || t.mm->resident_pages != 2 || t.mm->total_pages != 2)
		return KT_FAIL("after munmap: %u VMAs, %lu resident, %lu total",
			       t.mm->map_count, t.mm->resident_pages, t.mm->total_pages);
	if (get_u64(a + PAGE_SIZE, &v) != -EFAULT)
		return KT_FAIL("read of the unmapped page did not fault");
	if (get_u64(a, &v) || v != 100 || get_u64(a + 2 * PAGE_SIZE, &v) || v != 102)
		return KT_FAIL("the pages around the hole lost their data");
	if (mm_munmap(t.mm, a + 1, PAGE_SIZE) != -EINVAL || mm_munmap(t.mm, a, 0) != -EINVAL ||
	    mm_munmap(t.mm, USER_TOP, PAGE_SIZE) != -EINVAL)
		return KT_FAIL("bad munmap arguments accepted");
	if (mm_munmap(t.mm, a - 16 * PAGE_SIZE, 64 * PAGE_SIZE))
		return KT_FAIL("munmap over the whole area (and holes) failed");
	if (t.mm->map_count || t.mm->resident_pages || t.mm->total_pages)
		return KT_FAIL("something left after unmapping everything");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_mprotect)
{
	struct umm t;
	unsigned long a;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	a = map(t.mm, 0, 4 * PAGE_SIZE, RW, ANON_PRIVATE);
	for (int i = 0; i < 4; i++)
		put_u64(a + i * PAGE_SIZE, 7 + i);
	if (mm_mprotect(t.mm, a + PAGE_SIZE, 2 * PAGE_SIZE, VM_READ))
		return KT_FAIL("mprotect read-only failed");
	if (t.mm->map_count != 3)
		return KT_FAIL("%u VMAs after mprotect of the middle, expected 3", t.mm->map_count);
	if (put_u64(a + PAGE_SIZE, 1) != -EFAULT || put_u64(a + 2 * PAGE_SIZE + 8, 1) != -EFAULT)
		return KT_FAIL("write to a read-only page did not fault");
	if (get_u64(a + PAGE_SIZE, &v) || v != 8)
		return KT_FAIL("read-only page reads %llu", (unsigned long long)v);
	if (put_u64(a, 1) || put_u64(a + 3 * PAGE_SIZE, 1))
		return KT_FAIL("writes around the read-only part faulted");
	if (mm_mprotect(t.mm, a + 2 * PAGE_SIZE, PAGE_SIZE, 0))
		return KT_FAIL("mprotect PROT_NONE failed");
	if (get_u64(a + 2 * PAGE_SIZE, &v) != -EFAULT)
		return KT_FAIL("read of a PROT_NONE page did not fault");
	if (mm_mprotect(t.mm, a, 4 * PAGE_SIZE, RW))
		return KT_FAIL("mprotect back to read-write failed");
	if (t.mm->map_count != 1)
		return KT_FAIL("%u VMAs after restoring, expected 1 (merged)", t.mm->map_count);
	if (get_u64(a + 2 * PAGE_SIZE, &v) || v != 9 || put_u64(a + 2 * PAGE_SIZE, 3))
		return KT_FAIL("PROT_NONE page lost its data (%llu)", (unsigned long long)v);
	if (mm_mprotect(t.mm, a, 5 * PAGE_SIZE, VM_READ) != -ENOMEM)
		return KT_FAIL("mprotect over a hole not -ENOMEM");
	if (mm_mprotect(t.mm, a + 1, PAGE_SIZE, VM_READ) != -EINVAL ||
	    mm_mprotect(t.mm, a, PAGE_SIZE, 0x10) != -EINVAL)
		return KT_FAIL("bad mprotect arguments accepted");
	if (mm_mprotect(t.mm, a, 0, VM_READ))
		return KT_FAIL("mprotect of nothing failed");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_mmap_errors_and_hints)
{
	struct umm t;
	unsigned long a, b, at = 0;
	const unsigned long hint = 0x200000000UL;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	if (mm_mmap(t.mm, 0, 0, RW, ANON_PRIVATE, NULL, 0, 0, &at) != -EINVAL)
		return KT_FAIL("len 0 accepted");
	if (mm_mmap(t.mm, 0, PAGE_SIZE, RW, MMAP_ANONYMOUS, NULL, 0, 0, &at) != -EINVAL ||
	    mm_mmap(t.mm, 0, PAGE_SIZE, RW, ANON_PRIVATE | MMAP_SHARED, NULL, 0, 0, &at) != -EINVAL)
		return KT_FAIL("neither or both of shared and private accepted");
	if (mm_mmap(t.mm, 0, PAGE_SIZE, RW, ANON_PRIVATE, NULL, 100, 0, &at) != -EINVAL)
		return KT_FAIL("unaligned offset accepted");
	if (mm_mmap(t.mm, hint + 8, PAGE_SIZE, RW, ANON_PRIVATE | MMAP_FIXED, NULL, 0, 0, &at) != -EINVAL)
		return KT_FAIL("unaligned fixed address accepted");
	if (mm_mmap(t.mm, 0x1000, PAGE_SIZE, RW, ANON_PRIVATE | MMAP_FIXED, NULL, 0, 0, &at) != -EPERM)
		return KT_FAIL("fixed mapping below mmap_min_addr accepted");
	if (mm_mmap(t.mm, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON_PRIVATE | MMAP_FIXED,
		    NULL, 0, 0, &at) != -ENOMEM)
		return KT_FAIL("fixed mapping past the top accepted");
	if (mm_mmap(t.mm, 0, ~0UL - 100, RW, ANON_PRIVATE, NULL, 0, 0, &at) != -ENOMEM)
		return KT_FAIL("huge length accepted");
	a = map(t.mm, hint, 2 * PAGE_SIZE, RW, ANON_PRIVATE);
	if (a != hint)
		return KT_FAIL("free hint not honoured: %#lx", a);
	b = map(t.mm, hint, PAGE_SIZE, RW, ANON_PRIVATE);
	if (!b || b == hint)
		return KT_FAIL("busy hint handed out again: %#lx", b);
	if (mm_mmap(t.mm, hint + PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIVATE | MMAP_FIXED_NOREPLACE,
		    NULL, 0, 0, &at) != -EEXIST)
		return KT_FAIL("FIXED_NOREPLACE over a mapping not -EEXIST");
	if (put_u64(hint + PAGE_SIZE, 42))
		return KT_FAIL("write faulted");
	at = map(t.mm, hint + PAGE_SIZE, PAGE_SIZE, VM_READ, ANON_PRIVATE | MMAP_FIXED);
	if (at != hint + PAGE_SIZE)
		return KT_FAIL("MAP_FIXED replacement gave %#lx", at);
	if (get_u64(hint + PAGE_SIZE, &at) || at != 0 || put_u64(hint + PAGE_SIZE, 1) != -EFAULT)
		return KT_FAIL("replaced page is not a fresh read-only zero page");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_fork_copy_on_write)
{
	struct umm t;
	struct mm *child;
	unsigned long priv, shared;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	priv = map(t.mm, 0, 2 * PAGE_SIZE, RW, ANON_PRIVATE);
	shared = map(t.mm, 0, 2 * PAGE_SIZE, RW, MMAP_SHARED | MMAP_ANONYMOUS);
	if (!priv || !shared)
		return KT_FAIL("mmap failed");
	put_u64(priv, 1111);
	put_u64(shared, 2222);
	child = mm_fork(t.mm);
	if (IS_ERR(child))
		return KT_FAIL("mm_fork: %ld", PTR_ERR(child));
	if (page_refs(t.mm, priv) != 2 || page_refs(child, priv) != 2)
		return KT_FAIL("private page refs %u after fork, expected 2", page_refs(t.mm, priv));
	if (vmm_translate(t.mm->pml4, priv) != vmm_translate(child->pml4, priv))
		return KT_FAIL("child does not share the page before writing");

	mm_switch(child);
	if (get_u64(priv, &v) || v != 1111)
		return KT_FAIL("child reads %llu from the private page", (unsigned long long)v);
	if (put_u64(priv, 3333) || put_u64(shared, 4444) || put_u64(shared + PAGE_SIZE, 5555))
		return KT_FAIL("child writes faulted");
	if (page_refs(child, priv) != 1 || page_refs(t.mm, priv) != 1)
		return KT_FAIL("refs %u/%u after the copy, expected 1/1",
			       page_refs(child, priv), page_refs(t.mm, priv));
	mm_switch(t.mm);
	if (get_u64(priv, &v) || v != 1111)
		return KT_FAIL("parent's private page changed to %llu", (unsigned long long)v);
	if (get_u64(shared, &v) || v != 4444)
		return KT_FAIL("parent does not see the child's shared write (%llu)",
			       (unsigned long long)v);
	/* A shared page neither had touched before fork is still one page. */
	if (get_u64(shared + PAGE_SIZE, &v) || v != 5555)
		return KT_FAIL("shared page made after fork differs (%llu)", (unsigned long long)v);
	/* The parent is the last owner now: it writes in place, no copy. */
	{
		phys_addr_t before = vmm_translate(t.mm->pml4, priv);

		if (put_u64(priv, 6666) || vmm_translate(t.mm->pml4, priv) != before)
			return KT_FAIL("last owner's write copied the page");
	}
	mm_put(child);
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_fork_then_parent_writes)
{
	struct umm t;
	struct mm *child;
	unsigned long a;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	a = map(t.mm, 0, 16 * PAGE_SIZE, RW, ANON_PRIVATE | MMAP_POPULATE);
	if (t.mm->resident_pages != 16)
		return KT_FAIL("populate left %lu pages resident", t.mm->resident_pages);
	put_u64(a, 1);
	child = mm_fork(t.mm);
	if (IS_ERR(child))
		return KT_FAIL("mm_fork: %ld", PTR_ERR(child));
	/* The parent's TLB must not keep its writable entry. */
	if (put_u64(a, 2))
		return KT_FAIL("parent write faulted");
	mm_switch(child);
	if (get_u64(a, &v) || v != 1)
		return KT_FAIL("child sees the parent's write after fork (%llu)", (unsigned long long)v);
	mm_switch(t.mm);
	/* Freeing the parent first: the child keeps its pages. */
	mm_switch(child);
	{
		struct mm *parent = t.mm;

		t.mm = child;
		mm_put(parent);
	}
	if (get_u64(a, &v) || v != 1)
		return KT_FAIL("child lost its page when the parent went");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_brk)
{
	struct umm t;
	const unsigned long base = 0x600000;
	unsigned long b;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	mm_set_brk_base(t.mm, base - 100);
	if (mm_brk(t.mm, 0) != base)
		return KT_FAIL("brk(0) gave %#lx", mm_brk(t.mm, 0));
	b = mm_brk(t.mm, base + 3 * PAGE_SIZE + 10);
	if (b != base + 3 * PAGE_SIZE + 10)
		return KT_FAIL("growing brk gave %#lx", b);
	if (put_u64(base, 5) || put_u64(base + 3 * PAGE_SIZE + 8, 6))
		return KT_FAIL("write to the heap faulted");
	if (put_u64(base + 4 * PAGE_SIZE, 1) != -EFAULT)
		return KT_FAIL("write past the heap's last page did not fault");
	if (mm_brk(t.mm, base + PAGE_SIZE) != base + PAGE_SIZE)
		return KT_FAIL("shrinking brk failed");
	if (put_u64(base + 2 * PAGE_SIZE, 1) != -EFAULT || get_u64(base, &v) || v != 5)
		return KT_FAIL("shrunk heap wrong");
	if (mm_brk(t.mm, base - PAGE_SIZE) != base + PAGE_SIZE)
		return KT_FAIL("brk below its start not refused");
	/* A mapping above the heap stops it one page short. */
	if (!map(t.mm, base + 8 * PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIVATE | MMAP_FIXED))
		return KT_FAIL("mmap above the heap failed");
	if (mm_brk(t.mm, base + 8 * PAGE_SIZE) != base + PAGE_SIZE)
		return KT_FAIL("brk into a mapping not refused");
	if (mm_brk(t.mm, base + 7 * PAGE_SIZE) != base + 7 * PAGE_SIZE)
		return KT_FAIL("brk up to a page below a mapping refused");
	if (t.mm->map_count != 2)
		return KT_FAIL("%u VMAs: heap growths were not merged", t.mm->map_count);
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_stack_growth_and_guard_gap)
{
	struct umm t;
	const unsigned long top = 0x7f0000000000UL;
	unsigned long stack, below;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	mm_set_layout(t.mm, top, 64 * PAGE_SIZE);
	stack = map(t.mm, top - PAGE_SIZE, PAGE_SIZE, RW,
		    ANON_PRIVATE | MMAP_FIXED | MMAP_GROWSDOWN);
	if (stack != top - PAGE_SIZE)
		return KT_FAIL("stack mmap gave %#lx", stack);
	if (put_u64(top - 10 * PAGE_SIZE, 77) || get_u64(top - 10 * PAGE_SIZE, &v) || v != 77)
		return KT_FAIL("stack did not grow to 10 pages");
	if (t.mm->total_pages != 10)
		return KT_FAIL("stack spans %lu pages, expected 10", t.mm->total_pages);
	if (put_u64(top - 65 * PAGE_SIZE, 1) != -EFAULT)
		return KT_FAIL("stack grew past its limit");
	if (put_u64(top - 64 * PAGE_SIZE, 1))
		return KT_FAIL("stack did not grow to its limit");

	/* Another stack with a mapping 300 pages below: the gap stops it 256
	 * pages above that mapping. */
	mm_set_layout(t.mm, top, 1024 * PAGE_SIZE);
	stack = map(t.mm, top - 512 * PAGE_SIZE, PAGE_SIZE, RW,
		    ANON_PRIVATE | MMAP_FIXED | MMAP_GROWSDOWN);
	below = map(t.mm, stack - 301 * PAGE_SIZE, PAGE_SIZE, VM_READ, ANON_PRIVATE | MMAP_FIXED);
	if (!stack || !below)
		return KT_FAIL("mmap failed");
	if (put_u64(stack - 44 * PAGE_SIZE, 1))
		return KT_FAIL("growth to 256 pages above the mapping below refused");
	if (put_u64(stack - 45 * PAGE_SIZE, 1) != -EFAULT)
		return KT_FAIL("stack grew into the guard gap");
	/* And no mmap without a fixed address lands in the gap. */
	{
		unsigned long in_gap = stack - 100 * PAGE_SIZE, got;

		got = map(t.mm, in_gap, PAGE_SIZE, RW, ANON_PRIVATE);
		if (got == in_gap)
			return KT_FAIL("a hint inside the stack guard gap was honoured");
	}
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_madvise_dontneed)
{
	struct umm t;
	unsigned long a;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	a = map(t.mm, 0, 4 * PAGE_SIZE, RW, ANON_PRIVATE);
	for (int i = 0; i < 4; i++)
		put_u64(a + i * PAGE_SIZE, 9);
	if (mm_madvise(t.mm, a + PAGE_SIZE, 2 * PAGE_SIZE, MM_ADV_DONTNEED))
		return KT_FAIL("madvise failed");
	if (t.mm->resident_pages != 2)
		return KT_FAIL("%lu pages resident after DONTNEED, expected 2", t.mm->resident_pages);
	if (get_u64(a + PAGE_SIZE, &v) || v != 0 || get_u64(a, &v) || v != 9)
		return KT_FAIL("DONTNEED did not zero just its range");
	if (mm_madvise(t.mm, a + 3 * PAGE_SIZE, 4 * PAGE_SIZE, MM_ADV_DONTNEED) != -ENOMEM)
		return KT_FAIL("madvise over a hole not -ENOMEM");
	if (get_u64(a + 3 * PAGE_SIZE, &v) || v != 0)
		return KT_FAIL("madvise did not act on the part before the hole");
	if (mm_madvise(t.mm, a + 1, PAGE_SIZE, MM_ADV_DONTNEED) != -EINVAL)
		return KT_FAIL("unaligned madvise accepted");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_private_file_mapping)
{
	static char data[PAGE_SIZE + 100];
	struct memfile mf = { .data = data, .size = sizeof(data) };
	struct umm t;
	unsigned long a = 0;
	u64 v;
	int err;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + 1);
	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	err = mm_mmap_ops(t.mm, 0, 3 * PAGE_SIZE, RW, MMAP_PRIVATE, memfile_file(&mf),
			  &memfile_ops, 0, VM_READ, &a);
	if (err)
		return KT_FAIL("mmap of the file: %d", err);
	if (mm_mmap_ops(t.mm, 0, PAGE_SIZE, RW, MMAP_SHARED, memfile_file(&mf), &memfile_ops, 0,
			VM_READ, &v) != -EACCES)
		return KT_FAIL("shared writable mapping beyond maxprot accepted");
	if (get_u64(a + 16, &v) || memcmp(&v, data + 16, 8))
		return KT_FAIL("first page does not hold the file");
	if (get_u64(a + PAGE_SIZE + 96, &v) || memcmp(&v, data + PAGE_SIZE + 96, 4) ||
	    (v >> 32) != 0)
		return KT_FAIL("page at the end of file not zero-filled past it");
	if (get_u64(a + 2 * PAGE_SIZE, &v) != -EFAULT)
		return KT_FAIL("page wholly past the end of file readable (SIGBUS expected)");
	if (mm_handle_fault(t.mm, a + 2 * PAGE_SIZE, 0) != -EIO)
		return KT_FAIL("fault past the end of file not -EIO (SIGBUS)");
	if (put_u64(a + 8, 0) || data[8] != (char)(8 * 7 + 1))
		return KT_FAIL("write to a private mapping reached the file");
	if (mf.refs != 1)
		return KT_FAIL("file refs %d while mapped, expected 1", mf.refs);
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	if (mf.refs != 0)
		return KT_FAIL("file refs %d after the mm went", mf.refs);
	return NULL;
}

KTEST(mm_access_remote)
{
	struct mm *mm = mm_create();
	u64 free_before;
	unsigned long a;
	char buf[16];

	if (IS_ERR(mm))
		return KT_FAIL("mm_create failed");
	free_before = pmm_free_pages();
	a = map(mm, 0, 2 * PAGE_SIZE, VM_READ, ANON_PRIVATE);
	/* Not loaded, read-only: only a forced write gets in. */
	if (mm_access(mm, a + PAGE_SIZE - 5, "0123456789", 10, MM_ACCESS_WRITE) != -EFAULT)
		return KT_FAIL("unforced write to read-only memory allowed");
	if (mm_access(mm, a + PAGE_SIZE - 5, "0123456789", 10, MM_ACCESS_WRITE | MM_ACCESS_FORCE))
		return KT_FAIL("forced write failed");
	if (mm_access(mm, a + PAGE_SIZE - 5, buf, 10, 0) || memcmp(buf, "0123456789", 10))
		return KT_FAIL("read back differs");
	if (mm_access(mm, a + 2 * PAGE_SIZE - 4, buf, 8, 0) != -EFAULT)
		return KT_FAIL("read past the mapping allowed");
	mm_put(mm);
	/* mm_create's own pages were taken before free_before, and come back. */
	if (pmm_free_pages() < free_before)
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_topdown_layout_and_limits)
{
	struct umm t;
	unsigned long a, b, at;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	/* Linux's layout for an 8 MiB stack: mmap_base 128 MiB below the top. */
	if (t.mm->mmap_base != USER_TOP - (128UL << 20))
		return KT_FAIL("mmap_base %#lx", t.mm->mmap_base);
	a = map(t.mm, 0, 2 * PAGE_SIZE, RW, ANON_PRIVATE);
	b = map(t.mm, 0, 3 * PAGE_SIZE, VM_READ, ANON_PRIVATE);
	if (a != t.mm->mmap_base - 2 * PAGE_SIZE || b != a - 3 * PAGE_SIZE)
		return KT_FAIL("top-down placement gave %#lx then %#lx", a, b);
	at = map(t.mm, 0, 4 * PAGE_SIZE, VM_READ, ANON_PRIVATE);
	if (at != b - 4 * PAGE_SIZE || t.mm->map_count != 2)
		return KT_FAIL("compatible neighbour not merged (%u VMAs)", t.mm->map_count);
	mm_set_limits(t.mm, MM_DEFAULT_STACK_LIMIT, (t.mm->total_pages + 4) * PAGE_SIZE,
		      MM_NO_LIMIT);
	if (mm_mmap(t.mm, 0, 5 * PAGE_SIZE, RW, ANON_PRIVATE, NULL, 0, 0, &at) != -ENOMEM)
		return KT_FAIL("mapping past RLIMIT_AS accepted");
	if (mm_mmap(t.mm, 0, 4 * PAGE_SIZE, RW, ANON_PRIVATE, NULL, 0, 0, &at))
		return KT_FAIL("mapping up to RLIMIT_AS refused");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_munmap_frees_page_tables)
{
	struct umm t;
	const unsigned long far = 0x300000000000UL; /* another PML4 slot */
	unsigned long a, b;
	u64 baseline;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	a = map(t.mm, 0, PAGE_SIZE, RW, ANON_PRIVATE);
	if (!a || put_u64(a, 1))
		return KT_FAIL("first mapping failed");
	baseline = pmm_free_pages();
	b = map(t.mm, far, 2 * PAGE_SIZE, RW, ANON_PRIVATE | MMAP_FIXED);
	if (b != far || put_u64(b, 1) || put_u64(b + PAGE_SIZE, 2))
		return KT_FAIL("far mapping failed");
	/* Two pages and a PDPT, a PD and a PT for them. */
	if (baseline - pmm_free_pages() != 5)
		return KT_FAIL("%llu pages for two far pages, expected 5",
			       (unsigned long long)(baseline - pmm_free_pages()));
	if (mm_munmap(t.mm, b, 2 * PAGE_SIZE))
		return KT_FAIL("munmap failed");
	if (pmm_free_pages() != baseline)
		return KT_FAIL("%lld pages not given back by munmap",
			       (long long)(baseline - pmm_free_pages()));
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(mm_shared_file_mapping)
{
	static char data[PAGE_SIZE + 10];
	struct memfile mf = { .data = data, .size = sizeof(data) };
	struct umm t;
	struct mm *child;
	unsigned long a = 0;
	u64 v;
	int err;

	memset(data, 0x3c, sizeof(data));
	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	err = mm_mmap_ops(t.mm, 0, 3 * PAGE_SIZE, VM_READ, MMAP_SHARED, memfile_file(&mf),
			  &memfile_ops, 0, VM_READ, &a);
	if (err)
		return KT_FAIL("shared mmap of the file: %d", err);
	if (mm_mprotect(t.mm, a, PAGE_SIZE, RW) != -EACCES)
		return KT_FAIL("mprotect past maxprot not -EACCES");
	child = mm_fork(t.mm);
	if (IS_ERR(child))
		return KT_FAIL("fork failed");
	if (get_u64(a + PAGE_SIZE + 8, &v) || v != 0x3c3c || put_u64(a, 1) != -EFAULT)
		return KT_FAIL("shared file page wrong (%#llx)", (unsigned long long)v);
	if (get_u64(a + 2 * PAGE_SIZE, &v) != -EFAULT)
		return KT_FAIL("page wholly past the end of file readable");
	/* The child faults the same page in: the object's, not a new copy. */
	mm_switch(child);
	if (get_u64(a + PAGE_SIZE, &v) ||
	    vmm_translate(child->pml4, a + PAGE_SIZE) != vmm_translate(t.mm->pml4, a + PAGE_SIZE))
		return KT_FAIL("child got another page for the shared mapping");
	mm_switch(t.mm);
	mm_put(child);
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	if (mf.refs)
		return KT_FAIL("%d file references left", mf.refs);
	return NULL;
}

/*
 * A file with page frames of its own, as tmpfs has: shared mappings must map
 * these frames, so stores reach the file and the file's writes show.
 */
#define PAGED_FILE_PAGES 3

struct paged_file {
	struct page *pages[PAGED_FILE_PAGES]; /* NULL: a hole */
	u64 size;
	int refs;
};

static long paged_read(struct file *f, void *buf, size_t len, u64 off)
{
	(void)f, (void)buf, (void)len, (void)off;
	return -EIO; /* the mm must use the frames, never read */
}

static struct file *paged_get(struct file *f)
{
	((struct paged_file *)f)->refs++;
	return f;
}

static void paged_put(struct file *f)
{
	((struct paged_file *)f)->refs--;
}

static bool paged_has_pages(struct file *f)
{
	(void)f;
	return true;
}

static long paged_get_page(struct file *f, u64 index, bool create, struct page **out)
{
	struct paged_file *pf = (struct paged_file *)f;

	if (index >= PAGED_FILE_PAGES || index * PAGE_SIZE >= pf->size)
		return -EIO;
	if (!pf->pages[index] && create) {
		pf->pages[index] = page_alloc_ref(GFP_ZERO);
		if (!pf->pages[index])
			return -ENOMEM;
	}
	*out = pf->pages[index];
	if (*out)
		page_get(*out);
	return (long)MIN((u64)PAGE_SIZE, pf->size - index * PAGE_SIZE);
}

static const struct mm_file_ops paged_ops = {
	.read = paged_read,
	.get = paged_get,
	.put = paged_put,
	.has_pages = paged_has_pages,
	.get_page = paged_get_page,
};

static void paged_drop(struct paged_file *pf)
{
	for (int i = 0; i < PAGED_FILE_PAGES; i++) {
		if (pf->pages[i])
			page_put(pf->pages[i]);
		pf->pages[i] = NULL;
	}
}

KTEST(mm_shared_mapping_maps_file_pages)
{
	struct paged_file pf = { .size = PAGE_SIZE + 100 };
	struct file *f = (struct file *)&pf;
	struct page *first;
	struct umm t;
	struct mm *child;
	unsigned long a = 0, b = 0;
	u64 v;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	pf.pages[0] = page_alloc_ref(GFP_ZERO);
	if (!pf.pages[0])
		return KT_FAIL("no memory");
	first = pf.pages[0];
	if (mm_mmap_ops(t.mm, 0, 3 * PAGE_SIZE, RW, MMAP_SHARED, f, &paged_ops, 0, RW, &a))
		return KT_FAIL("shared mmap failed");
	/* A store through the mapping is in the file's frame... */
	if (put_u64(a + 8, 0xfeedULL) || *(u64 *)((char *)page_address(first) + 8) != 0xfeedULL)
		return KT_FAIL("store did not reach the file's page");
	if (vmm_translate(t.mm->pml4, a) != page_to_phys(first) || page_count(first) != 2)
		return KT_FAIL("mapped another frame, or refs %u not file + PTE", page_count(first));
	/* ...and a write to the file shows through: a hole the fault filled. */
	if (get_u64(a + PAGE_SIZE, &v) || v != 0 || !pf.pages[1])
		return KT_FAIL("hole not filled in the file");
	*(u64 *)page_address(pf.pages[1]) = 0xbeefULL;
	if (get_u64(a + PAGE_SIZE, &v) || v != 0xbeefULL)
		return KT_FAIL("file write not seen through the mapping");
	if (mm_handle_fault(t.mm, a + 2 * PAGE_SIZE, PF_USER) != -EIO)
		return KT_FAIL("page wholly past the end of file not SIGBUS");
	/* The child of a fork maps the same frame. */
	child = mm_fork(t.mm);
	if (IS_ERR(child))
		return KT_FAIL("fork failed");
	if (mm_access(child, a + 8, &v, sizeof(v), 0) || v != 0xfeedULL ||
	    vmm_translate(child->pml4, a) != page_to_phys(first))
		return KT_FAIL("child does not share the file's frame");
	mm_put(child);
	/* A private mapping copies, and its stores stay private. */
	if (mm_mmap_ops(t.mm, 0, PAGE_SIZE, RW, MMAP_PRIVATE, f, &paged_ops, 0, VM_READ, &b))
		return KT_FAIL("private mmap failed");
	if (get_u64(b + 8, &v) || v != 0xfeedULL || put_u64(b + 8, 1) ||
	    *(u64 *)((char *)page_address(first) + 8) != 0xfeedULL)
		return KT_FAIL("private mapping not a copy of the file");
	/* Truncation drops the file's reference; the mapping keeps the frame
	 * alive until it goes. */
	pf.pages[0] = NULL;
	pf.size = 0;
	page_put(first);
	if (page_count(first) != 1 || get_u64(a + 8, &v) || v != 0xfeedULL)
		return KT_FAIL("truncated frame freed while mapped (refs %u)", page_count(first));
	if (pf.refs != 2)
		return KT_FAIL("file refs %d while mapped twice", pf.refs);
	paged_drop(&pf);
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	if (pf.refs)
		return KT_FAIL("%d file references left", pf.refs);
	return NULL;
}

/*
 * A write(2) from a mapping of the file being written: the copy faults
 * while the file's i_mutex is held, and the fault must get the file's page
 * without it (tmpfs's get_page). Likewise a read(2) into such a mapping.
 */
KTEST(mm_file_io_through_own_mapping)
{
	static char data[2 * PAGE_SIZE];
	const u64 aaaa = 0x6161616161616161ULL, bbbb = 0x6262626262626262ULL;
	const u64 cccc = 0x6363636363636363ULL;
	struct fs_context ctx = { fs_state_create(), &root_cred };
	struct uio_seg seg;
	struct uio u;
	struct umm t;
	struct file *f;
	unsigned long a = 0, b = 0;
	u64 v = 0;

	if (!ctx.fs || !umm_begin(&t))
		return KT_FAIL("no memory");
	memset(data, 'a', PAGE_SIZE);
	memset(data + PAGE_SIZE, 'b', PAGE_SIZE);
	f = vfs_open(&ctx, NULL, "/kt_mm_self", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (IS_ERR(f))
		return KT_FAIL("open %ld", PTR_ERR(f));
	uio_init_one(&u, &seg, data, sizeof(data), false);
	if (vfs_pwrite(f, &u, 0) != (long)sizeof(data))
		return KT_FAIL("filling the file failed");
	if (mm_mmap(t.mm, 0, 2 * PAGE_SIZE, RW, MMAP_SHARED, f, 0, RW, &a) ||
	    mm_mmap(t.mm, 0, 2 * PAGE_SIZE, RW, MMAP_PRIVATE, f, 0, RW, &b))
		return KT_FAIL("mmap failed");
	/* From a shared page not yet faulted in to the file's first bytes. */
	uio_init_one(&u, &seg, (void *)(a + PAGE_SIZE), 8, true);
	if (vfs_pwrite(f, &u, 0) != 8 || get_u64(a, &v) || v != bbbb)
		return KT_FAIL("write from the shared mapping: %#llx", (unsigned long long)v);
	/* From a private copy (a store makes it) to the file. */
	if (put_u64(b + PAGE_SIZE + 8, cccc))
		return KT_FAIL("store to the private mapping failed");
	uio_init_one(&u, &seg, (void *)(b + PAGE_SIZE + 8), 8, true);
	if (vfs_pwrite(f, &u, 8) != 8 || get_u64(a + 8, &v) || v != cccc)
		return KT_FAIL("write from the private mapping: %#llx", (unsigned long long)v);
	/* A read into a shared page not yet faulted in lands in the file. */
	mm_munmap(t.mm, a, 2 * PAGE_SIZE);
	if (mm_mmap(t.mm, 0, 2 * PAGE_SIZE, RW, MMAP_SHARED, f, 0, RW, &a))
		return KT_FAIL("mmap again failed");
	uio_init_one(&u, &seg, (void *)(a + PAGE_SIZE + 16), 8, true);
	if (vfs_pread(f, &u, 256) != 8 || kernel_read(f, &v, 8, PAGE_SIZE + 16) != 8 ||
	    v != aaaa)
		return KT_FAIL("read into the shared mapping: %#llx", (unsigned long long)v);
	mm_switch(NULL);
	mm_put(t.mm);
	vfs_ftruncate(&ctx, f, 0);
	file_put(f);
	vfs_unlink(&ctx, NULL, "/kt_mm_self");
	fs_state_put(ctx.fs);
	return NULL;
}

KTEST(mm_msync)
{
	struct umm t;
	unsigned long a;

	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	a = map(t.mm, 0, 4 * PAGE_SIZE, RW, MMAP_SHARED | MMAP_ANONYMOUS);
	if (!a)
		return KT_FAIL("mmap failed");
	if (mm_msync(t.mm, a, 4 * PAGE_SIZE, MSYNC_SYNC) || mm_msync(t.mm, a, 1, MSYNC_ASYNC) ||
	    mm_msync(t.mm, a, 0, 0) || mm_msync(t.mm, a + PAGE_SIZE, PAGE_SIZE, MSYNC_INVALIDATE))
		return KT_FAIL("msync of a mapped range failed");
	if (mm_msync(t.mm, a + 1, PAGE_SIZE, MSYNC_SYNC) != -EINVAL ||
	    mm_msync(t.mm, a, PAGE_SIZE, 0x8) != -EINVAL ||
	    mm_msync(t.mm, a, PAGE_SIZE, MSYNC_ASYNC | MSYNC_SYNC) != -EINVAL)
		return KT_FAIL("bad msync arguments accepted");
	if (mm_msync(t.mm, a, 5 * PAGE_SIZE, MSYNC_SYNC) != -ENOMEM ||
	    mm_msync(t.mm, a - PAGE_SIZE, 2 * PAGE_SIZE, MSYNC_ASYNC) != -ENOMEM ||
	    mm_msync(t.mm, USER_TOP, PAGE_SIZE, MSYNC_SYNC) != -ENOMEM)
		return KT_FAIL("msync over unmapped memory not -ENOMEM");
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}

/*
 * Random mmap/munmap/mprotect/madvise/fork sequences over a small region,
 * checked against a model of what each page should hold, and the VMA set
 * checked for consistency after every step.
 */
#define MODEL_PAGES 48
#define MODEL_BASE 0x100000000UL

struct model_page {
	bool mapped;
	unsigned int prot;
	u64 value; /* the first word of the page */
};

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state % n);
}

static const char *check_vmas(struct mm *mm, char *why, size_t why_len)
{
	unsigned long prev_end = 0, pages = 0;
	unsigned int n = 0;
	struct vm_area *vma;

	list_for_each_entry(vma, &mm->vmas, link) {
		if (vma->start >= vma->end || vma->start < prev_end ||
		    !IS_ALIGNED(vma->start | vma->end, PAGE_SIZE))
			return KT_FAIL("VMA %#lx-%#lx out of order", vma->start, vma->end);
		if (n >= mm->map_count || mm->vma_index[n] != vma)
			return KT_FAIL("index differs from the list at %u", n);
		pages += (vma->end - vma->start) >> PAGE_SHIFT;
		prev_end = vma->end;
		n++;
	}
	if (n != mm->map_count || pages != mm->total_pages)
		return KT_FAIL("%u VMAs, %lu pages; counted %u, %lu", mm->map_count,
			       mm->total_pages, n, pages);
	return NULL;
}

static const char *check_model(struct mm *mm, const struct model_page *m, char *why,
			       size_t why_len)
{
	for (int i = 0; i < MODEL_PAGES; i++) {
		u64 v;
		int err = get_u64(MODEL_BASE + i * PAGE_SIZE, &v);
		bool readable = m[i].mapped && m[i].prot;

		if (readable != !err || (readable && v != m[i].value))
			return KT_FAIL("page %d: read %d value %llu, model %d/%u/%llu", i, err,
				       (unsigned long long)v, m[i].mapped, m[i].prot,
				       (unsigned long long)m[i].value);
	}
	return check_vmas(mm, why, why_len);
}

static const char *model_step(struct mm *mm, struct model_page *m, char *why, size_t why_len)
{
	unsigned int i = rnd(MODEL_PAGES), n = 1 + rnd(MIN(8u, MODEL_PAGES - i));
	unsigned long addr = MODEL_BASE + i * PAGE_SIZE, len = n * PAGE_SIZE;
	unsigned int prot = (unsigned int[]){ 0, VM_READ, RW, RW }[rnd(4)];
	bool all_mapped = true;
	int err, want;

	for (unsigned int k = i; k < i + n; k++)
		all_mapped &= m[k].mapped;
	switch (rnd(6)) {
	case 0:
		if (!map(mm, addr, len, prot, ANON_PRIVATE | MMAP_FIXED))
			return KT_FAIL("mmap fixed at page %u failed", i);
		for (unsigned int k = i; k < i + n; k++)
			m[k] = (struct model_page){ .mapped = true, .prot = prot };
		break;
	case 1:
		if (mm_munmap(mm, addr, len))
			return KT_FAIL("munmap failed");
		for (unsigned int k = i; k < i + n; k++)
			m[k].mapped = false;
		break;
	case 2:
		err = mm_mprotect(mm, addr, len, prot);
		if (err != (all_mapped ? 0 : -ENOMEM))
			return KT_FAIL("mprotect at page %u: %d", i, err);
		for (unsigned int k = i; all_mapped && k < i + n; k++)
			m[k].prot = prot;
		break;
	case 3:
		err = mm_madvise(mm, addr, len, MM_ADV_DONTNEED);
		if (err != (all_mapped ? 0 : -ENOMEM))
			return KT_FAIL("madvise at page %u: %d", i, err);
		for (unsigned int k = i; k < i + n; k++)
			m[k].value = 0;
		break;
	default: {
		u64 v = rng_state;

		want = m[i].mapped && (m[i].prot & VM_WRITE) ? 0 : -EFAULT;
		if (put_u64(addr, v) != want)
			return KT_FAIL("write to page %u: expected %d", i, want);
		if (!want)
			m[i].value = v;
		break;
	}
	}
	return NULL;
}

KTEST(mm_random_operations_match_model)
{
	static struct model_page model[MODEL_PAGES];
	struct umm t;
	const char *fail;

	memset(model, 0, sizeof(model));
	if (!umm_begin(&t))
		return KT_FAIL("mm_create failed");
	for (int step = 0; step < 300; step++) {
		fail = model_step(t.mm, model, why, why_len);
		if (!fail)
			fail = check_model(t.mm, model, why, why_len);
		if (!fail && step % 50 == 49) {
			/* A child writes everywhere it can; the parent must not see it. */
			struct mm *child = mm_fork(t.mm);

			if (IS_ERR(child))
				return KT_FAIL("fork failed");
			fail = check_vmas(child, why, why_len);
			mm_switch(child);
			for (int k = 0; !fail && k < MODEL_PAGES; k++)
				put_u64(MODEL_BASE + k * PAGE_SIZE, 0xdead);
			mm_switch(t.mm);
			mm_put(child);
			if (!fail)
				fail = check_model(t.mm, model, why, why_len);
		}
		if (fail)
			return fail;
	}
	if (!umm_end(&t))
		return KT_FAIL("pages leaked");
	return NULL;
}
