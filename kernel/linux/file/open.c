/* open, openat, creat, close, close_range. */
#include "file/common.h"

/* Flags open(2) knows; others are ignored by Linux, not refused. */
#define LINUX_O_VALID (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
		       O_NONBLOCK | O_DSYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | \
		       O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | O_TMPFILE | 020000)

static long do_openat(int dirfd, const char __user *upath, unsigned int flags, u32 mode)
{
	struct at_path ap;
	struct file *f;
	long err, fd;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP; /* no O_TMPFILE support in tmpfs yet */
	err = at_path_get(&ap, dirfd, upath);
	if (err)
		return err;
	f = vfs_open(&ap.ctx, ap.base, ap.path, flags & LINUX_O_VALID & ~O_CLOEXEC, mode & 07777);
	at_path_put(&ap);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_alloc(cur_files(), f, 0, flags & O_CLOEXEC, nofile_limit());
	file_put(f); /* the table holds its own reference */
	return fd;
}

SYSCALL_DEFINE(open)
{
	return do_openat(LINUX_AT_FDCWD, ARG(0, const char __user *), ARG(1, unsigned int),
			 ARG(2, u32));
}

SYSCALL_DEFINE(openat)
{
	return do_openat(ARG(0, int), ARG(1, const char __user *), ARG(2, unsigned int),
			 ARG(3, u32));
}

SYSCALL_DEFINE(creat)
{
	return do_openat(LINUX_AT_FDCWD, ARG(0, const char __user *),
			 O_CREAT | O_WRONLY | O_TRUNC, ARG(1, u32));
}

/* close(2): the fd is released even when the file's release fails. */
SYSCALL_DEFINE(close)
{
	return fd_close(cur_files(), ARG(0, int));
}

#define LINUX_CLOSE_RANGE_UNSHARE 2
#define LINUX_CLOSE_RANGE_CLOEXEC 4

SYSCALL_DEFINE(close_range)
{
	unsigned int first = ARG(0, unsigned int), last = ARG(1, unsigned int);
	unsigned int flags = ARG(2, unsigned int);

	if (flags & ~(LINUX_CLOSE_RANGE_UNSHARE | LINUX_CLOSE_RANGE_CLOEXEC) || first > last)
		return -EINVAL;
	if (flags & LINUX_CLOSE_RANGE_UNSHARE)
		return -EINVAL; /* the table is not unshared yet */
	last = MIN(last, (unsigned int)nofile_limit());
	for (unsigned int fd = first; fd <= last && fd < FD_NR_OPEN; fd++) {
		if (flags & LINUX_CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(cur_files(), (int)fd, true);
		else
			fd_close(cur_files(), (int)fd);
		if (fd == ~0u)
			break;
	}
	return 0;
}
