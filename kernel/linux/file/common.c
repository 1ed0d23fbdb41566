/* Shared helpers of the file system calls. */
#include "file/common.h"
#include "mm/slab.h"

char *path_from_user(const char __user *upath, long *err)
{
	char *buf = kmalloc(LINUX_PATH_MAX);
	long n;

	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(buf, upath, LINUX_PATH_MAX);
	if (n < 0) {
		kfree(buf);
		*err = n;
		return NULL;
	}
	*err = 0;
	return buf;
}

void path_free(char *path)
{
	kfree(path);
}

struct file *dirfd_get(int dirfd, long *err)
{
	struct file *f;

	*err = 0;
	if (dirfd == LINUX_AT_FDCWD)
		return NULL;
	f = fd_get_file(cur_files(), dirfd);
	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	return f;
}

void dirfd_put(struct file *f)
{
	if (f)
		file_put(f);
}

struct file *fget(int fd)
{
	return fd_get_file(cur_files(), fd);
}

long at_path_get(struct at_path *ap, int dirfd, const char __user *upath)
{
	long err;

	ap->base = NULL;
	ap->path = path_from_user(upath, &err);
	if (!ap->path)
		return err;
	if (ap->path[0] != '/') {
		ap->base = dirfd_get(dirfd, &err);
		if (err) {
			path_free(ap->path);
			return err;
		}
	}
	proc_fs_context(&ap->ctx);
	return 0;
}

void at_path_put(struct at_path *ap)
{
	dirfd_put(ap->base);
	path_free(ap->path);
}
