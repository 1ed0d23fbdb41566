/* What the file system-call handlers share: paths, dirfds and fds from user space. */
#ifndef SABLE_LINUX_FILE_COMMON_H
#define SABLE_LINUX_FILE_COMMON_H

#include "arch/uaccess.h"
#include "fs/fdtable.h"
#include "fs/fs.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "linux.h"
#include "proc/process.h"

#define LINUX_AT_FDCWD (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_REMOVEDIR 0x200
#define LINUX_AT_SYMLINK_FOLLOW 0x400
#define LINUX_AT_NO_AUTOMOUNT 0x800
#define LINUX_AT_EMPTY_PATH 0x1000
#define LINUX_AT_EACCESS 0x200
#define LINUX_PATH_MAX 4096

/* A path copied from user space into a kmalloc'd buffer (path_put_user frees it). */
char *path_from_user(const char __user *upath, long *err);
void path_free(char *path);

/* The directory for *at calls: NULL for AT_FDCWD, else the fd's file (referenced). */
struct file *dirfd_get(int dirfd, long *err);
void dirfd_put(struct file *f);

/*
 * A path argument of an *at call: the copied path, the directory it is
 * relative to (NULL: the cwd; an absolute path ignores dirfd, as openat(2)
 * says) and the caller's filesystem context.
 */
struct at_path {
	char *path;
	struct file *base;
	struct fs_context ctx;
};

long at_path_get(struct at_path *ap, int dirfd, const char __user *upath);
void at_path_put(struct at_path *ap);

/* The file behind fd (referenced), or ERR_PTR(-EBADF). */
struct file *fget(int fd);

static inline struct fd_table *cur_files(void)
{
	return current_process()->files;
}

static inline unsigned long nofile_limit(void)
{
	return current_process()->rlimits[RLIMIT_NOFILE].cur;
}

/* Lookup flags from AT_* flags: follow unless NOFOLLOW, empty path if asked. */
static inline unsigned int at_lookup_flags(int at_flags, bool follow_default)
{
	unsigned int lf = 0;

	if (follow_default ? !(at_flags & LINUX_AT_SYMLINK_NOFOLLOW) :
			     (at_flags & LINUX_AT_SYMLINK_FOLLOW))
		lf |= LOOKUP_FOLLOW;
	if (at_flags & LINUX_AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	return lf;
}

#endif
