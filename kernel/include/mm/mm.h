/*
 * User address spaces. A struct mm is one process's view of user memory: its
 * own root page table (user half private, kernel half shared with
 * kernel_pml4) and the set of virtual memory areas (VMAs) that say what may
 * live where. Pages arrive on demand through mm_handle_fault(); fork shares
 * private pages copy-on-write.
 *
 * Locking: mm->lock (a mutex) guards the VMA set, the page tables of the user
 * half and every [lock] field. It is taken by the page-fault handler, so code
 * holding it must never touch user memory (copy_*_user) — use mm_access().
 * Order: mm->lock, then a shared object's lock (mm/shared.c), then the page
 * allocator's zone locks.
 */
#ifndef SABLE_MM_MM_H
#define SABLE_MM_MM_H

#include "lib/list.h"
#include "lib/types.h"
#include "mm/layout.h"
#include "sched/mutex.h"

struct file;
struct page;
struct vm_shared;

/* Protection of a mapping; the values of PROT_READ, PROT_WRITE, PROT_EXEC. */
#define VM_READ 0x1
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define VM_PROT_ALL (VM_READ | VM_WRITE | VM_EXEC)

/* vm_area.flags */
#define VM_SHARED 0x1    /* writes are seen by every mapping of the object */
#define VM_GROWSDOWN 0x2 /* a stack: faults just below it extend it */

/* mm_mmap() flags (native; the compat layer translates MAP_*). */
#define MMAP_SHARED 0x1
#define MMAP_PRIVATE 0x2
#define MMAP_FIXED 0x4           /* exactly at addr, replacing what is there */
#define MMAP_FIXED_NOREPLACE 0x8 /* exactly at addr, -EEXIST if anything is there */
#define MMAP_ANONYMOUS 0x10
#define MMAP_GROWSDOWN 0x20
#define MMAP_POPULATE 0x40       /* fault every page in now */
#define MMAP_ALL_FLAGS 0x7f

/* mm_madvise() advice (native). */
enum mm_advice {
	MM_ADV_NORMAL,
	MM_ADV_RANDOM,
	MM_ADV_SEQUENTIAL,
	MM_ADV_WILLNEED,
	MM_ADV_DONTNEED, /* drop the pages: private ones read back as zeros (or the file) */
	MM_ADV_FREE,     /* like DONTNEED here: the pages may go at once */
};

/* mm_msync() flags: the values of MS_ASYNC, MS_INVALIDATE, MS_SYNC. */
#define MSYNC_ASYNC 0x1
#define MSYNC_INVALIDATE 0x2
#define MSYNC_SYNC 0x4

/* mm_access() flags */
#define MM_ACCESS_WRITE 0x1
#define MM_ACCESS_FORCE 0x2 /* ignore the protection, as ptrace and exec do */

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PROT 0x1   /* 0: page not present, 1: protection violation */
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_RSVD 0x8
#define PF_INSTR 0x10

/*
 * The user address-space layout. The top page below USER_END is never
 * mapped (as on Linux, whose TASK_SIZE stops a page short: a SYSRET to a
 * non-canonical address would fault in kernel mode).
 */
#define USER_TOP (USER_END - PAGE_SIZE)
#define MM_MIN_ADDR 0x10000UL               /* vm.mmap_min_addr */
#define STACK_GUARD_GAP (256UL << PAGE_SHIFT) /* Linux's stack_guard_gap */
#define MM_MAX_MAP_COUNT 65530              /* vm.max_map_count */
#define MM_DEFAULT_STACK_LIMIT (8UL << 20)  /* RLIMIT_STACK soft default */
#define MM_NO_LIMIT (~0ULL)

/*
 * How a file-backed mapping reads its file. The default uses the VFS
 * (kernel_read, file_get, file_put, file_has_pages, kernel_get_page); tests
 * use a reader over a memory buffer.
 */
struct mm_file_ops {
	long (*read)(struct file *f, void *buf, size_t len, u64 off);
	struct file *(*get)(struct file *f);
	void (*put)(struct file *f);
	/*
	 * Optional, for a file with page frames of its own (a page cache):
	 * whether f has them, and the frame at a page index with a reference
	 * for the caller, as file_operations.get_page (bytes of file data in
	 * it, -EIO past the end, *out NULL for a hole unless create,
	 * -EOPNOTSUPP when f has none). A shared mapping of such a file maps
	 * those frames, so it and the file see each other's writes; a shared
	 * mapping of another file reads it once into an object of its own.
	 * Private mappings copy from the frames rather than reading.
	 */
	bool (*has_pages)(struct file *f);
	long (*get_page)(struct file *f, u64 index, bool create, struct page **out);
};
extern const struct mm_file_ops mm_vfs_file_ops;

/* A virtual memory area: [start, end), page-aligned, one kind of memory.
 * Every field is guarded by the owning mm's lock. */
struct vm_area {
	unsigned long start, end;
	unsigned int prot;     /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned int maxprot;  /* what mprotect may grant (the file's open mode) */
	unsigned int flags;    /* VM_SHARED, VM_GROWSDOWN */
	struct file *file;     /* [ref] backing file, NULL for anonymous memory */
	const struct mm_file_ops *fops; /* how file is read; set iff file */
	/* Page offset of start: in shared when there is one, else in file;
	 * unused for private anonymous memory. */
	u64 pgoff;
	/* [ref] VM_SHARED: the pages all mappers see, unless the file has
	 * its own (mm_file_ops.has_pages), which the VMA then maps. */
	struct vm_shared *shared;
	struct list_head link;    /* [mm lock] in mm->vmas, sorted by start */
};

struct mm {
	u64 *pml4;               /* root table; entries 256..511 are kernel_pml4's */
	struct mutex lock;
	struct list_head vmas;   /* [lock] non-overlapping, sorted by start */
	struct vm_area **vma_index; /* [lock] the same VMAs in an array, for binary search */
	unsigned int index_cap;  /* [lock] slots in vma_index */
	struct vm_area *last_vma; /* [lock] lookup cache, NULL or a member of vmas */
	unsigned int map_count;  /* [lock] VMAs in vmas */
	unsigned long total_pages;    /* [lock] pages spanned by VMAs */
	unsigned long resident_pages; /* [lock] pages mapped by page tables */
	unsigned long start_brk, brk; /* [lock] the heap: brk never below start_brk */
	unsigned long stack_top;      /* [lock] top of the main stack */
	unsigned long mmap_base;      /* [lock] mmap allocates downwards from here */
	u64 stack_limit;              /* [lock] RLIMIT_STACK (bytes) */
	u64 as_limit;                 /* [lock] RLIMIT_AS (bytes), MM_NO_LIMIT */
	u64 data_limit;               /* [lock] RLIMIT_DATA (bytes), for brk */
	/* Set by exec, read by /proc: where the initial stack put things. */
	unsigned long start_stack, arg_start, arg_end, env_start, env_end;
	u64 active_cpus;  /* atomic: bit n set while CPU n runs on pml4 */
	int refcount;     /* atomic */
};

/* A new, empty address space; ERR_PTR(-ENOMEM). */
struct mm *mm_create(void);
struct mm *mm_get(struct mm *mm);
/* Drops a reference; the last one frees every user page and page table.
 * The mm must not be loaded on another CPU then (this CPU switches away). */
void mm_put(struct mm *mm);
/* A copy of old for fork: same VMAs, private pages shared copy-on-write,
 * shared mappings shared. ERR_PTR(-ENOMEM). */
struct mm *mm_fork(struct mm *old);
/* Loads mm's page tables on this CPU (NULL: the kernel's, for kernel threads). */
void mm_switch(struct mm *mm);
/* The address space loaded on this CPU, or NULL. */
struct mm *mm_current(void);

/* Places the stack top and the mmap area for a stack limit (RLIMIT_STACK),
 * as Linux's mmap_base() does; call before mapping anything. */
void mm_set_layout(struct mm *mm, unsigned long stack_top, u64 stack_limit);
/* The live resource limits (bytes, MM_NO_LIMIT for none): RLIMIT_STACK
 * bounds stack growth, RLIMIT_AS every mapping, RLIMIT_DATA the heap.
 * Call at exec and on setrlimit; fork copies them. */
void mm_set_limits(struct mm *mm, u64 stack_limit, u64 as_limit, u64 data_limit);
/* Starts the heap at brk (exec: the end of the program's highest segment). */
void mm_set_brk_base(struct mm *mm, unsigned long brk);

/* Records where exec put the initial stack and the strings (for /proc). */
void mm_set_exec_info(struct mm *mm, unsigned long start_stack, unsigned long arg_start,
		      unsigned long arg_end, unsigned long env_start, unsigned long env_end);

/*
 * mmap(2): map len bytes at addr (a hint unless MMAP_FIXED*) with prot;
 * file-backed when file is non-NULL (not with MMAP_ANONYMOUS), starting at
 * byte offset off. maxprot bounds prot now and in later mprotect calls
 * (-EACCES beyond it); the caller derives it from the file's open mode.
 * The address goes to *result. Errors as mmap(2): -EINVAL, -ENOMEM, -EEXIST,
 * -EACCES, -EPERM (fixed below MM_MIN_ADDR), -EOVERFLOW.
 */
int mm_mmap(struct mm *mm, unsigned long addr, unsigned long len, unsigned int prot,
	    unsigned int flags, struct file *file, u64 off, unsigned int maxprot,
	    unsigned long *result);
/* mm_mmap with another file reader (elf_load's tests). */
int mm_mmap_ops(struct mm *mm, unsigned long addr, unsigned long len, unsigned int prot,
		unsigned int flags, struct file *file, const struct mm_file_ops *fops,
		u64 off, unsigned int maxprot, unsigned long *result);
/* A free range of len bytes aligned to align (a power of two, at least a
 * page) where mm_mmap would put it: hint if free, else top-down from
 * mmap_base. 0 when there is none. */
unsigned long mm_get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len,
				   unsigned long align);
/* munmap(2): -EINVAL for an unaligned addr, len 0 or a range past USER_TOP. */
int mm_munmap(struct mm *mm, unsigned long addr, unsigned long len);
/* mprotect(2): -EINVAL, -ENOMEM (a hole in the range), -EACCES (maxprot). */
int mm_mprotect(struct mm *mm, unsigned long addr, unsigned long len, unsigned int prot);
/* brk(2): the new break, or the old one when it can't move there. */
unsigned long mm_brk(struct mm *mm, unsigned long brk);
/* madvise(2): -EINVAL, -ENOMEM (a hole in the range; the rest is done). */
int mm_madvise(struct mm *mm, unsigned long addr, unsigned long len, enum mm_advice advice);
/*
 * msync(2) with flags of MSYNC_*: -EINVAL for an unaligned addr, unknown
 * flags or MSYNC_ASYNC with MSYNC_SYNC, -ENOMEM when part of the range is
 * unmapped. Shared file mappings map the file's own pages or (files
 * without them) never write back, so there is nothing to flush.
 */
int mm_msync(struct mm *mm, unsigned long addr, unsigned long len, unsigned int flags);

/*
 * Resolves a page fault at addr (error code as pushed by the CPU). Returns 0
 * when the access can be retried, -EFAULT when nothing is mapped there
 * (SEGV_MAPERR), -EACCES when the mapping forbids the access (SEGV_ACCERR),
 * -EIO when the file has no page there or can't be read (SIGBUS), -ENOMEM
 * when memory ran out.
 */
int mm_handle_fault(struct mm *mm, unsigned long addr, unsigned long error_code);

/* Reads (or with MM_ACCESS_WRITE writes) another address space's memory,
 * faulting pages in. 0, or -EFAULT when some page can't be reached. */
int mm_access(struct mm *mm, unsigned long addr, void *buf, size_t len, unsigned int flags);

/* mm_access for a write from a const buffer (flags: MM_ACCESS_FORCE or 0). */
static inline int mm_write(struct mm *mm, unsigned long addr, const void *src, size_t len,
			   unsigned int flags)
{
	/* mm_access only reads buf when writing. */
	return mm_access(mm, addr, (void *)src, len, flags | MM_ACCESS_WRITE);
}

/* The byte offset in vma->file where vma starts (for /proc/pid/maps). */
u64 mm_vma_file_offset(const struct vm_area *vma);

/* Calls fn on each VMA in address order under mm->lock (for /proc/pid/maps);
 * stops at and returns fn's first non-zero value. */
/* Is addr in a MAP_SHARED mapping (futex keys)? */
bool mm_addr_is_shared(struct mm *mm, unsigned long addr);
int mm_walk_vmas(struct mm *mm, int (*fn)(const struct vm_area *vma, void *arg), void *arg);

#endif
