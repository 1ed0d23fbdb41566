/*
 * The calls that change the namespace or a file's attributes: mkdir, mknod,
 * rmdir, unlink, rename, link, symlink, chmod, chown, truncate, utimensat,
 * chdir, getcwd, umask, chroot, getdents64, and the sync family.
 */
#include "file/common.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "abi/file.h"
#include "abi/time.h"

/* One path, one call: the shape of most handlers here. */
#define AT_CALL(dirfd, upath, expr)                                  \
	({                                                            \
		struct at_path ap;                                    \
		long __err = at_path_get(&ap, (dirfd), (upath));      \
		if (!__err) {                                         \
			__err = (expr);                               \
			at_path_put(&ap);                             \
		}                                                     \
		__err;                                                \
	})

/* One open file, one call: the fd-taking forms (fchmod, fchown, ...). */
#define FD_CALL(fd, expr)                                            \
	({                                                            \
		struct file *f = fget(fd);                            \
		struct fs_context ctx;                                \
		long __err = PTR_ERR(f);                              \
		if (!IS_ERR(f)) {                                     \
			proc_fs_context(&ctx);                        \
			__err = (expr);                               \
			file_put(f);                                  \
		}                                                     \
		__err;                                                \
	})

SYSCALL_DEFINE(mkdir)
{
	return AT_CALL(LINUX_AT_FDCWD, ARG(0, const char __user *),
		       vfs_mkdir(&ap.ctx, ap.base, ap.path, ARG(1, u32) & 07777));
}

SYSCALL_DEFINE(mkdirat)
{
	return AT_CALL(ARG(0, int), ARG(1, const char __user *),
		       vfs_mkdir(&ap.ctx, ap.base, ap.path, ARG(2, u32) & 07777));
}

static long mknod_at(int dirfd, const char __user *upath, u32 mode, u64 udev)
{
	/* The user dev_t encoding: major in bits 8..19 (and 32..), minor around it. */
	u32 major = (u32)(((udev >> 8) & 0xfff) | ((udev >> 32) & ~0xfffULL));
	u32 minor = (u32)((udev & 0xff) | ((udev >> 12) & ~0xffULL));

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	return AT_CALL(dirfd, upath, vfs_mknod(&ap.ctx, ap.base, ap.path, mode,
					       MKDEV(major, minor)));
}

SYSCALL_DEFINE(mknod)
{
	return mknod_at(LINUX_AT_FDCWD, ARG(0, const char __user *), ARG(1, u32), ARG(2, u64));
}

SYSCALL_DEFINE(mknodat)
{
	return mknod_at(ARG(0, int), ARG(1, const char __user *), ARG(2, u32), ARG(3, u64));
}

SYSCALL_DEFINE(rmdir)
{
	return AT_CALL(LINUX_AT_FDCWD, ARG(0, const char __user *),
		       vfs_rmdir(&ap.ctx, ap.base, ap.path));
}

SYSCALL_DEFINE(unlink)
{
	return AT_CALL(LINUX_AT_FDCWD, ARG(0, const char __user *),
		       vfs_unlink(&ap.ctx, ap.base, ap.path));
}

SYSCALL_DEFINE(unlinkat)
{
	int flags = ARG(2, int);

	if (flags & ~LINUX_AT_REMOVEDIR)
		return -EINVAL;
	if (flags & LINUX_AT_REMOVEDIR)
		return AT_CALL(ARG(0, int), ARG(1, const char __user *),
			       vfs_rmdir(&ap.ctx, ap.base, ap.path));
	return AT_CALL(ARG(0, int), ARG(1, const char __user *),
		       vfs_unlink(&ap.ctx, ap.base, ap.path));
}

#define LINUX_RENAME_NOREPLACE 1
#define LINUX_RENAME_EXCHANGE 2
#define LINUX_RENAME_WHITEOUT 4

static long rename_at(int odfd, const char __user *oldp, int ndfd, const char __user *newp,
		      unsigned int flags)
{
	struct at_path o, n;
	long err;

	if (flags & ~(LINUX_RENAME_NOREPLACE | LINUX_RENAME_EXCHANGE | LINUX_RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & LINUX_RENAME_EXCHANGE) && (flags & (LINUX_RENAME_NOREPLACE | LINUX_RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & LINUX_RENAME_WHITEOUT)
		return -EINVAL; /* tmpfs on Sable has no whiteouts */
	err = at_path_get(&o, odfd, oldp);
	if (err)
		return err;
	err = at_path_get(&n, ndfd, newp);
	if (!err) {
		err = vfs_rename(&o.ctx, o.base, o.path, n.base, n.path, flags);
		at_path_put(&n);
	}
	at_path_put(&o);
	return err;
}

SYSCALL_DEFINE(rename)
{
	return rename_at(LINUX_AT_FDCWD, ARG(0, const char __user *), LINUX_AT_FDCWD,
			 ARG(1, const char __user *), 0);
}

SYSCALL_DEFINE(renameat)
{
	return rename_at(ARG(0, int), ARG(1, const char __user *), ARG(2, int),
			 ARG(3, const char __user *), 0);
}

SYSCALL_DEFINE(renameat2)
{
	return rename_at(ARG(0, int), ARG(1, const char __user *), ARG(2, int),
			 ARG(3, const char __user *), ARG(4, unsigned int));
}

static long link_at(int odfd, const char __user *oldp, int ndfd, const char __user *newp,
		    int flags)
{
	struct at_path o, n;
	long err;

	if (flags & ~(LINUX_AT_SYMLINK_FOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	err = at_path_get(&o, odfd, oldp);
	if (err)
		return err;
	err = at_path_get(&n, ndfd, newp);
	if (!err) {
		err = vfs_link(&o.ctx, o.base, o.path, n.base, n.path, at_lookup_flags(flags, false));
		at_path_put(&n);
	}
	at_path_put(&o);
	return err;
}

SYSCALL_DEFINE(link)
{
	return link_at(LINUX_AT_FDCWD, ARG(0, const char __user *), LINUX_AT_FDCWD,
		       ARG(1, const char __user *), 0);
}

SYSCALL_DEFINE(linkat)
{
	return link_at(ARG(0, int), ARG(1, const char __user *), ARG(2, int),
		       ARG(3, const char __user *), ARG(4, int));
}

static long symlink_at(const char __user *utarget, int dirfd, const char __user *upath)
{
	long err;
	char *target = path_from_user(utarget, &err);

	if (!target)
		return err;
	err = AT_CALL(dirfd, upath, vfs_symlink(&ap.ctx, target, ap.base, ap.path));
	path_free(target);
	return err;
}

SYSCALL_DEFINE(symlink)
{
	return symlink_at(ARG(0, const char __user *), LINUX_AT_FDCWD, ARG(1, const char __user *));
}

SYSCALL_DEFINE(symlinkat)
{
	return symlink_at(ARG(0, const char __user *), ARG(1, int), ARG(2, const char __user *));
}

SYSCALL_DEFINE(chmod)
{
	return AT_CALL(LINUX_AT_FDCWD, ARG(0, const char __user *),
		       vfs_chmod(&ap.ctx, ap.base, ap.path, ARG(1, u32) & 07777, LOOKUP_FOLLOW));
}

SYSCALL_DEFINE(fchmodat)
{
	/* The fchmodat system call has no flags argument (the C library's
	 * flags live in fchmodat2): the fourth register is not read. */
	return AT_CALL(ARG(0, int), ARG(1, const char __user *),
		       vfs_chmod(&ap.ctx, ap.base, ap.path, ARG(2, u32) & 07777, LOOKUP_FOLLOW));
}

SYSCALL_DEFINE(fchmod)
{
	return FD_CALL(ARG(0, int), vfs_fchmod(&ctx, f, ARG(1, u32) & 07777));
}

static long chown_at(int dirfd, const char __user *upath, u32 uid, u32 gid, int flags,
		     bool follow_default)
{
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	return AT_CALL(dirfd, upath, vfs_chown(&ap.ctx, ap.base, ap.path, uid, gid,
					       at_lookup_flags(flags, follow_default)));
}

SYSCALL_DEFINE(chown)
{
	return chown_at(LINUX_AT_FDCWD, ARG(0, const char __user *), ARG(1, u32), ARG(2, u32), 0, true);
}

SYSCALL_DEFINE(lchown)
{
	return chown_at(LINUX_AT_FDCWD, ARG(0, const char __user *), ARG(1, u32), ARG(2, u32),
			LINUX_AT_SYMLINK_NOFOLLOW, true);
}

SYSCALL_DEFINE(fchownat)
{
	return chown_at(ARG(0, int), ARG(1, const char __user *), ARG(2, u32), ARG(3, u32),
			ARG(4, int), true);
}

SYSCALL_DEFINE(fchown)
{
	return FD_CALL(ARG(0, int), vfs_fchown(&ctx, f, ARG(1, u32), ARG(2, u32)));
}

SYSCALL_DEFINE(truncate)
{
	return AT_CALL(LINUX_AT_FDCWD, ARG(0, const char __user *),
		       vfs_truncate(&ap.ctx, ap.base, ap.path, ARG(1, s64)));
}

SYSCALL_DEFINE(ftruncate)
{
	return FD_CALL(ARG(0, int), vfs_ftruncate(&ctx, f, ARG(1, s64)));
}

SYSCALL_DEFINE(utimensat)
{
	const struct linux_timespec __user *utimes = ARG(2, const struct linux_timespec __user *);
	int flags = ARG(3, int);
	struct fs_time times[2];
	struct linux_timespec ts[2];
	const char __user *upath = ARG(1, const char __user *);

	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(ts, utimes, sizeof(ts)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
			    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000))
				return -EINVAL;
			times[i].sec = ts[i].tv_sec;
			times[i].nsec = (long)ts[i].tv_nsec;
		}
	} else {
		times[0].nsec = times[1].nsec = UTIME_NOW;
		times[0].sec = times[1].sec = 0;
	}
	if (!upath) {
		/* utimensat(2): a NULL path means the file dirfd itself (futimens). */
		struct file *f = fget(ARG(0, int));
		struct fs_context ctx;
		long err;

		if (IS_ERR(f))
			return PTR_ERR(f);
		proc_fs_context(&ctx);
		err = vfs_utimens(&ctx, f, "", times, LOOKUP_EMPTY);
		file_put(f);
		return err;
	}
	return AT_CALL(ARG(0, int), upath,
		       vfs_utimens(&ap.ctx, ap.base, ap.path, times, at_lookup_flags(flags, true)));
}

SYSCALL_DEFINE(chdir)
{
	return AT_CALL(LINUX_AT_FDCWD, ARG(0, const char __user *),
		       vfs_chdir(&ap.ctx, ap.base, ap.path));
}

SYSCALL_DEFINE(fchdir)
{
	return FD_CALL(ARG(0, int), vfs_fchdir(&ctx, f));
}

SYSCALL_DEFINE(chroot)
{
	return AT_CALL(LINUX_AT_FDCWD, ARG(0, const char __user *),
		       vfs_chroot(&ap.ctx, ap.base, ap.path));
}

SYSCALL_DEFINE(getcwd)
{
	size_t size = ARG(1, size_t);
	struct fs_context ctx;
	char *buf;
	long n;

	buf = kmalloc(LINUX_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	proc_fs_context(&ctx);
	n = vfs_getcwd(&ctx, buf, MIN(size, (size_t)LINUX_PATH_MAX));
	if (n > 0 && copy_to_user(ARG(0, char __user *), buf, (size_t)n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

SYSCALL_DEFINE(umask)
{
	return fs_umask(current_process()->fs, ARG(0, u32) & 0777);
}

SYSCALL_DEFINE(fsync)
{
	struct file *f = fget(ARG(0, int));
	long err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	err = vfs_fsync(f);
	file_put(f);
	return err;
}

SYSCALL_DEFINE(fdatasync)
{
	return sys_fsync(args);
}

SYSCALL_DEFINE(syncfs)
{
	struct file *f = fget(ARG(0, int));

	if (IS_ERR(f))
		return PTR_ERR(f);
	file_put(f);
	return 0; /* memory file systems have nothing to write back */
}

SYSCALL_DEFINE(sync)
{
	return 0; /* nothing to write back: every file system is in memory */
}

/* getdents64(2): struct linux_dirent64 records, 8-byte aligned. */
struct getdents_ctx {
	struct dir_context dc;
	char __user *buf;
	size_t size, used;
	long error;
};

static bool filldir64(struct dir_context *dc, const char *name, size_t len, u64 ino,
		      unsigned int d_type)
{
	struct getdents_ctx *g = container_of(dc, struct getdents_ctx, dc);
	size_t reclen = ALIGN_UP(19 + len + 1, 8);
	struct linux_dirent64_head head = { ino, dc->pos + 1, (u16)reclen, (u8)d_type };
	char zero[8] = { 0 };

	if (g->used + reclen > g->size) {
		if (!g->used)
			g->error = -EINVAL; /* the buffer cannot hold one entry */
		return false;
	}
	if (copy_to_user(g->buf + g->used, &head, 19) ||
	    copy_to_user(g->buf + g->used + 19, name, len) ||
	    copy_to_user(g->buf + g->used + 19 + len, zero, reclen - 19 - len)) {
		g->error = -EFAULT;
		return false;
	}
	g->used += reclen;
	return true;
}

SYSCALL_DEFINE(getdents64)
{
	struct file *f = fget(ARG(0, int));
	struct getdents_ctx g = {
		.dc.actor = filldir64,
		.buf = ARG(1, char __user *),
		.size = MIN(ARG(2, size_t), (size_t)0x7ffff000),
	};
	long err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!access_ok(g.buf, g.size)) {
		file_put(f);
		return -EFAULT;
	}
	err = vfs_iterate_dir(f, &g.dc);
	file_put(f);
	if (g.used)
		return (long)g.used;
	return g.error ? g.error : err;
}
