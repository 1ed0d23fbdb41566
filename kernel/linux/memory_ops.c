/* Memory system calls: mmap, munmap, mprotect, brk, madvise. */
#include "arch/uaccess.h"
#include "fs/fdtable.h"
#include "fs/fs.h"
#include "linux.h"
#include "mm/mm.h"
#include "proc/process.h"

#define LINUX_PROT_READ 0x1
#define LINUX_PROT_WRITE 0x2
#define LINUX_PROT_EXEC 0x4
#define LINUX_PROT_GROWSDOWN 0x01000000
#define LINUX_PROT_GROWSUP 0x02000000

#define LINUX_MAP_SHARED 0x01
#define LINUX_MAP_PRIVATE 0x02
#define LINUX_MAP_SHARED_VALIDATE 0x03
#define LINUX_MAP_TYPE 0x0f
#define LINUX_MAP_FIXED 0x10
#define LINUX_MAP_ANONYMOUS 0x20
#define LINUX_MAP_32BIT 0x40
#define LINUX_MAP_GROWSDOWN 0x0100
#define LINUX_MAP_DENYWRITE 0x0800
#define LINUX_MAP_EXECUTABLE 0x1000
#define LINUX_MAP_LOCKED 0x2000
#define LINUX_MAP_NORESERVE 0x4000
#define LINUX_MAP_POPULATE 0x8000
#define LINUX_MAP_NONBLOCK 0x10000
#define LINUX_MAP_STACK 0x20000
#define LINUX_MAP_HUGETLB 0x40000
#define LINUX_MAP_SYNC 0x80000
#define LINUX_MAP_FIXED_NOREPLACE 0x100000

/* Flags that MAP_SHARED_VALIDATE accepts (mmap(2)). */
#define LINUX_MAP_KNOWN (LINUX_MAP_TYPE | LINUX_MAP_FIXED | LINUX_MAP_ANONYMOUS | \
			 LINUX_MAP_32BIT | LINUX_MAP_GROWSDOWN | LINUX_MAP_DENYWRITE | \
			 LINUX_MAP_EXECUTABLE | LINUX_MAP_LOCKED | LINUX_MAP_NORESERVE | \
			 LINUX_MAP_POPULATE | LINUX_MAP_NONBLOCK | LINUX_MAP_STACK | \
			 LINUX_MAP_FIXED_NOREPLACE)

static unsigned int prot_to_vm(unsigned long prot)
{
	return ((prot & LINUX_PROT_READ) ? VM_READ : 0) | ((prot & LINUX_PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & LINUX_PROT_EXEC) ? VM_EXEC : 0);
}

SYSCALL_DEFINE(mmap)
{
	unsigned long addr = ARG(0, unsigned long), len = ARG(1, unsigned long);
	unsigned long prot = ARG(2, unsigned long), lflags = ARG(3, unsigned long);
	int fd = ARG(4, int);
	u64 off = ARG(5, u64);
	unsigned int flags = 0, maxprot = VM_PROT_ALL;
	struct file *f = NULL;
	unsigned long result;
	long err;

	if (prot & ~(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC))
		return -EINVAL;
	switch (lflags & LINUX_MAP_TYPE) {
	case LINUX_MAP_SHARED:
		flags |= MMAP_SHARED;
		break;
	case LINUX_MAP_SHARED_VALIDATE:
		if (lflags & ~LINUX_MAP_KNOWN)
			return -EOPNOTSUPP;
		/* Anonymous memory takes only the plain types (mm/mmap.c in Linux). */
		if (lflags & LINUX_MAP_ANONYMOUS)
			return -EINVAL;
		flags |= MMAP_SHARED;
		break;
	case LINUX_MAP_PRIVATE:
		flags |= MMAP_PRIVATE;
		break;
	default:
		return -EINVAL;
	}
	if (lflags & LINUX_MAP_HUGETLB)
		return -EINVAL; /* no huge pages */
	if (lflags & LINUX_MAP_FIXED)
		flags |= MMAP_FIXED;
	if (lflags & LINUX_MAP_FIXED_NOREPLACE)
		flags |= MMAP_FIXED_NOREPLACE;
	if (lflags & LINUX_MAP_GROWSDOWN)
		flags |= MMAP_GROWSDOWN;
	if (lflags & LINUX_MAP_POPULATE)
		flags |= MMAP_POPULATE;
	if (lflags & LINUX_MAP_ANONYMOUS) {
		flags |= MMAP_ANONYMOUS;
	} else {
		unsigned int mode;

		f = fd_get_file(current_process()->files, fd);
		if (IS_ERR(f))
			return -EBADF;
		mode = f->f_mode;
		/* mmap(2): EACCES for a file not open for reading, or shared
		 * writable on a file not open for writing; ENODEV when the file
		 * cannot be mapped. */
		if (!(mode & FMODE_READ) || (mode & FMODE_PATH)) {
			file_put(f);
			return -EACCES;
		}
		if ((flags & MMAP_SHARED) && !(mode & FMODE_WRITE)) {
			if (prot & LINUX_PROT_WRITE) {
				file_put(f);
				return -EACCES;
			}
			maxprot &= ~VM_WRITE;
		}
		if (!S_ISREG(f->f_inode->i_mode) && !S_ISCHR(f->f_inode->i_mode)) {
			file_put(f);
			return -ENODEV;
		}
	}
	err = mm_mmap(current_process()->mm, addr, len, prot_to_vm(prot), flags, f, off, maxprot,
		      &result);
	if (f)
		file_put(f);
	return err ? err : (long)result;
}

SYSCALL_DEFINE(munmap)
{
	return mm_munmap(current_process()->mm, ARG(0, unsigned long), ARG(1, unsigned long));
}

SYSCALL_DEFINE(mprotect)
{
	unsigned long prot = ARG(2, unsigned long);

	if (prot & ~(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC |
		     LINUX_PROT_GROWSDOWN | LINUX_PROT_GROWSUP))
		return -EINVAL;
	if ((prot & LINUX_PROT_GROWSDOWN) && (prot & LINUX_PROT_GROWSUP))
		return -EINVAL;
	return mm_mprotect(current_process()->mm, ARG(0, unsigned long), ARG(1, unsigned long),
			   prot_to_vm(prot));
}

SYSCALL_DEFINE(brk)
{
	return (long)mm_brk(current_process()->mm, ARG(0, unsigned long));
}

/* msync(2): the MS_* values are the native MSYNC_* ones. */
SYSCALL_DEFINE(msync)
{
	return mm_msync(current_process()->mm, ARG(0, unsigned long), ARG(1, unsigned long),
			ARG(2, unsigned int));
}

#define LINUX_MADV_NORMAL 0
#define LINUX_MADV_RANDOM 1
#define LINUX_MADV_SEQUENTIAL 2
#define LINUX_MADV_WILLNEED 3
#define LINUX_MADV_DONTNEED 4
#define LINUX_MADV_FREE 8

SYSCALL_DEFINE(madvise)
{
	enum mm_advice adv;

	switch (ARG(2, int)) {
	case LINUX_MADV_NORMAL: adv = MM_ADV_NORMAL; break;
	case LINUX_MADV_RANDOM: adv = MM_ADV_RANDOM; break;
	case LINUX_MADV_SEQUENTIAL: adv = MM_ADV_SEQUENTIAL; break;
	case LINUX_MADV_WILLNEED: adv = MM_ADV_WILLNEED; break;
	case LINUX_MADV_DONTNEED: adv = MM_ADV_DONTNEED; break;
	case LINUX_MADV_FREE: adv = MM_ADV_FREE; break;
	default:
		return -EINVAL; /* advice Sable does not know */
	}
	return mm_madvise(current_process()->mm, ARG(0, unsigned long), ARG(1, unsigned long), adv);
}
