/* stat and its family, statx, access, readlink. */
#include "file/common.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "abi/stat.h"

/* struct stat of x86_64 (asm/stat.h). */

/* The user-space dev_t encoding (new_encode_dev / huge_encode_dev). */
static u64 encode_dev(dev_t d)
{
	u64 major = MAJOR(d), minor = MINOR(d);

	return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffULL) << 12) |
	       ((major & ~0xfffULL) << 32);
}

static int put_stat(struct linux_stat __user *u, const struct kstat *k)
{
	struct linux_stat s;

	memset(&s, 0, sizeof(s));
	s.st_dev = encode_dev(k->dev);
	s.st_ino = k->ino;
	s.st_nlink = k->nlink;
	s.st_mode = k->mode;
	s.st_uid = k->uid;
	s.st_gid = k->gid;
	s.st_rdev = encode_dev(k->rdev);
	s.st_size = k->size;
	s.st_blksize = k->blksize;
	s.st_blocks = (s64)k->blocks;
	s.st_atime = (u64)k->atime.sec;
	s.st_atime_nsec = (u64)k->atime.nsec;
	s.st_mtime = (u64)k->mtime.sec;
	s.st_mtime_nsec = (u64)k->mtime.nsec;
	s.st_ctime = (u64)k->ctime.sec;
	s.st_ctime_nsec = (u64)k->ctime.nsec;
	return copy_to_user(u, &s, sizeof(s)) ? -EFAULT : 0;
}

static long stat_at(int dirfd, const char __user *upath, int at_flags, struct kstat *k)
{
	struct at_path ap;
	long err;

	if (at_flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH | LINUX_AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = at_path_get(&ap, dirfd, upath);
	if (err)
		return err;
	err = vfs_stat(&ap.ctx, ap.base, ap.path, at_lookup_flags(at_flags, true), k);
	at_path_put(&ap);
	return err;
}

SYSCALL_DEFINE(stat)
{
	struct kstat k;
	long err = stat_at(LINUX_AT_FDCWD, ARG(0, const char __user *), 0, &k);

	return err ? err : put_stat(ARG(1, struct linux_stat __user *), &k);
}

SYSCALL_DEFINE(lstat)
{
	struct kstat k;
	long err = stat_at(LINUX_AT_FDCWD, ARG(0, const char __user *),
			   LINUX_AT_SYMLINK_NOFOLLOW, &k);

	return err ? err : put_stat(ARG(1, struct linux_stat __user *), &k);
}

SYSCALL_DEFINE(newfstatat)
{
	struct kstat k;
	long err = stat_at(ARG(0, int), ARG(1, const char __user *), ARG(3, int), &k);

	return err ? err : put_stat(ARG(2, struct linux_stat __user *), &k);
}

SYSCALL_DEFINE(fstat)
{
	struct file *f = fget(ARG(0, int));
	struct kstat k;
	long err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	err = vfs_fstat(f, &k);
	file_put(f);
	return err ? err : put_stat(ARG(1, struct linux_stat __user *), &k);
}

#define LINUX_STATX_BASIC_STATS 0x7ffU
#define LINUX_STATX__RESERVED 0x80000000U
#define LINUX_AT_STATX_SYNC_TYPE 0x6000

static struct linux_statx_timestamp stx_time(struct fs_time t)
{
	return (struct linux_statx_timestamp){ .tv_sec = t.sec, .tv_nsec = (u32)t.nsec };
}

SYSCALL_DEFINE(statx)
{
	int at_flags = ARG(2, int);
	unsigned int mask = ARG(3, unsigned int);
	struct linux_statx x;
	struct kstat k;
	long err;

	if (mask & LINUX_STATX__RESERVED)
		return -EINVAL;
	if ((at_flags & LINUX_AT_STATX_SYNC_TYPE) == LINUX_AT_STATX_SYNC_TYPE)
		return -EINVAL;
	err = stat_at(ARG(0, int), ARG(1, const char __user *),
		      at_flags & ~LINUX_AT_STATX_SYNC_TYPE, &k);
	if (err)
		return err;
	memset(&x, 0, sizeof(x));
	x.stx_mask = LINUX_STATX_BASIC_STATS;
	x.stx_blksize = k.blksize;
	x.stx_nlink = k.nlink;
	x.stx_uid = k.uid;
	x.stx_gid = k.gid;
	x.stx_mode = (u16)k.mode;
	x.stx_ino = k.ino;
	x.stx_size = (u64)k.size;
	x.stx_blocks = k.blocks;
	x.stx_atime = stx_time(k.atime);
	x.stx_ctime = stx_time(k.ctime);
	x.stx_mtime = stx_time(k.mtime);
	x.stx_rdev_major = MAJOR(k.rdev);
	x.stx_rdev_minor = MINOR(k.rdev);
	x.stx_dev_major = MAJOR(k.dev);
	x.stx_dev_minor = MINOR(k.dev);
	return copy_to_user(ARG(4, void __user *), &x, sizeof(x)) ? -EFAULT : 0;
}

static long access_at(int dirfd, const char __user *upath, int mode, int flags)
{
	struct at_path ap;
	unsigned int lf;
	long err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(LINUX_AT_EACCESS | LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	err = at_path_get(&ap, dirfd, upath);
	if (err)
		return err;
	lf = at_lookup_flags(flags, true) | ((flags & LINUX_AT_EACCESS) ? 0 : LOOKUP_REAL_IDS);
	err = vfs_access(&ap.ctx, ap.base, ap.path, mode, lf);
	at_path_put(&ap);
	return err;
}

SYSCALL_DEFINE(access)
{
	return access_at(LINUX_AT_FDCWD, ARG(0, const char __user *), ARG(1, int), 0);
}

SYSCALL_DEFINE(faccessat)
{
	return access_at(ARG(0, int), ARG(1, const char __user *), ARG(2, int), 0);
}

SYSCALL_DEFINE(faccessat2)
{
	return access_at(ARG(0, int), ARG(1, const char __user *), ARG(2, int), ARG(3, int));
}

static long readlink_at(int dirfd, const char __user *upath, char __user *ubuf, int size)
{
	struct at_path ap;
	char *buf;
	long n;

	if (size <= 0)
		return -EINVAL;
	n = at_path_get(&ap, dirfd, upath);
	if (n)
		return n;
	buf = kmalloc(LINUX_PATH_MAX);
	if (!buf) {
		at_path_put(&ap);
		return -ENOMEM;
	}
	n = vfs_readlink(&ap.ctx, ap.base, ap.path, buf, MIN((size_t)size, (size_t)LINUX_PATH_MAX));
	at_path_put(&ap);
	if (n > 0 && copy_to_user(ubuf, buf, (size_t)n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

SYSCALL_DEFINE(readlink)
{
	return readlink_at(LINUX_AT_FDCWD, ARG(0, const char __user *), ARG(1, char __user *),
			   ARG(2, int));
}

SYSCALL_DEFINE(readlinkat)
{
	return readlink_at(ARG(0, int), ARG(1, const char __user *), ARG(2, char __user *),
			   ARG(3, int));
}
