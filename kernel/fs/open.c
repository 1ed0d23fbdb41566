/*
 * Open file descriptions: open(2), their lifetime, and the I/O calls on them
 * (read, write, lseek, ioctl, fsync, getdents, fcntl's status flags).
 */
#include "internal.h"
#include "lib/string.h"
#include "mm/slab.h"

/* Flags that only matter while opening; F_GETFL does not report them. */
#define OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)

struct file *file_alloc(const struct path *p, unsigned int flags, unsigned int fmode)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_count = 1;
	f->f_path = *p;
	path_get(&f->f_path);
	f->f_inode = p->dentry->d_inode;
	f->f_op = f->f_inode->i_fop;
	f->f_flags = flags & ~OPEN_ONLY_FLAGS;
	f->f_mode = fmode;
	f->f_lock = (struct spinlock)SPINLOCK_INIT("file");
	mutex_init(&f->f_pos_lock, "f_pos");
	return f;
}

/* Frees a file whose open op never ran or failed (no release). */
static void file_free(struct file *f)
{
	path_put(&f->f_path);
	kfree(f);
}

struct file *file_get(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

void file_put(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (!(f->f_mode & FMODE_PATH) && f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
	file_free(f);
}

static unsigned int open_fmode(unsigned int flags)
{
	if (flags & O_PATH)
		return FMODE_PATH;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return FMODE_READ | FMODE_LSEEK;
	case O_WRONLY:
		return FMODE_WRITE | FMODE_LSEEK;
	case O_RDWR:
		return FMODE_READ | FMODE_WRITE | FMODE_LSEEK;
	default:
		/* open(2): 3 asks for neither, only ioctls (needs both rights). */
		return FMODE_LSEEK;
	}
}

/* O_CREAT on a negative dentry: a new regular file. */
static int open_create(struct fs_context *ctx, struct nameidata *nd, struct path *res,
		       u32 mode)
{
	struct inode *dir = nd->path.dentry->d_inode;
	struct inode_attr a;
	int err;

	/* open(2): "foo/" with O_CREAT names a directory that cannot be made. */
	if (nd->trailing_slash)
		return -EISDIR;
	err = may_create(ctx->cred, nd->path.dentry);
	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->create)
		return -EACCES;
	vfs_new_attr(ctx->cred, dir, S_IFREG | (mode & S_IALLUGO & ~ctx->fs->umask), &a);
	return dir->i_op->create(dir, res->dentry, &a);
}

/* The checks open(2) makes on the object it found. */
static int may_open(struct fs_context *ctx, struct nameidata *nd, const struct path *res,
		    unsigned int flags, bool created)
{
	struct inode *inode = res->dentry->d_inode;
	u32 mode = inode->i_mode;
	int mask = 0;

	if (S_ISLNK(mode))
		return (flags & O_PATH) ? 0 : -ELOOP; /* O_NOFOLLOW */
	if ((nd->trailing_slash || (flags & O_DIRECTORY)) && !S_ISDIR(mode))
		return -ENOTDIR;
	if (flags & O_PATH)
		return 0;
	if (S_ISDIR(mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (S_ISSOCK(mode))
		return -ENXIO; /* no socket file systems: open(2) ENXIO */
	if (created)
		return 0; /* open(2): the new file's own mode does not apply */
	if ((flags & O_ACCMODE) != O_WRONLY)
		mask |= MAY_READ;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	return inode_permission(ctx->cred, inode, mask);
}

/* Walks to the object open names, creating it for O_CREAT. */
static int open_walk(struct fs_context *ctx, struct nameidata *nd, unsigned int flags,
		     u32 mode, struct path *res, bool *created)
{
	bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	int err = walk_parent(nd);

	while (!err) {
		struct inode *inode;

		if ((flags & O_CREAT) && nd->last_type != LAST_NORM)
			return -EISDIR;
		err = lookup_last(nd, res);
		if (err)
			return err;
		inode = res->dentry->d_inode;
		if (!inode && (flags & O_CREAT)) {
			err = open_create(ctx, nd, res, mode);
			*created = !err;
		} else if (!inode) {
			err = -ENOENT;
		} else if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
			err = -EEXIST;
		} else if (S_ISLNK(inode->i_mode) && (follow || nd->trailing_slash)) {
			err = nd_push_link(nd, res);
			path_put(res);
			if (!err)
				err = walk_parent(nd);
			continue;
		}
		if (!err)
			err = may_open(ctx, nd, res, flags, *created);
		if (!err)
			return 0;
		path_put(res);
	}
	return err;
}

static int open_truncate(struct file *f)
{
	struct iattr ia = { .valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME, .size = 0 };

	ia.mtime = ia.ctime = fs_time_now();
	return notify_change(f->f_path.dentry, &ia);
}

struct file *vfs_open(struct fs_context *ctx, struct file *base, const char *path,
		      unsigned int flags, u32 mode)
{
	struct nameidata nd;
	struct path res;
	struct file *f;
	bool created = false;
	int err;

	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	/* open(2): O_TMPFILE is not supported here; O_CREAT|O_DIRECTORY is
	 * EINVAL since Linux 6.4. */
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return ERR_PTR(-EOPNOTSUPP);
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return ERR_PTR(-EINVAL);

	mutex_lock(&vfs_ns_lock);
	err = nd_init(&nd, ctx, base, path, 0);
	if (!err)
		err = open_walk(ctx, &nd, flags, mode, &res, &created);
	nd_release(&nd);
	mutex_unlock(&vfs_ns_lock);
	if (err)
		return ERR_PTR(err);

	f = file_alloc(&res, flags, open_fmode(flags));
	path_put(&res);
	if (IS_ERR(f))
		return f;
	if (f->f_mode & FMODE_PATH)
		return f;
	if ((flags & O_TRUNC) && S_ISREG(f->f_inode->i_mode) && !created) {
		err = open_truncate(f);
		if (err)
			goto out_free;
	}
	if (f->f_op && f->f_op->open) {
		/* The driver sees O_NOCTTY (a terminal decides on becoming the
		 * controlling one); it is not a status flag afterwards. */
		f->f_flags |= flags & O_NOCTTY;
		err = f->f_op->open(f->f_inode, f);
		f->f_flags &= ~O_NOCTTY;
		if (err)
			goto out_free;
	}
	return f;
out_free:
	file_free(f);
	return ERR_PTR(err);
}

struct file *vfs_open_exec(struct fs_context *ctx, struct file *base, const char *path,
			   unsigned int lookup_flags)
{
	unsigned int lf = (lookup_flags & LOOKUP_EMPTY) |
			  ((lookup_flags & LOOKUP_NOFOLLOW_EXEC) ? 0 : LOOKUP_FOLLOW);
	struct inode *inode;
	struct file *f;
	struct path p;
	int err = path_lookup(ctx, base, path, lf, &p);

	if (err)
		return ERR_PTR(err);
	inode = p.dentry->d_inode;
	/* execve(2): ELOOP for a final symlink with AT_SYMLINK_NOFOLLOW,
	 * EACCES for anything but a regular file or without execute
	 * permission. */
	if (S_ISLNK(inode->i_mode))
		err = -ELOOP;
	else if (!S_ISREG(inode->i_mode))
		err = -EACCES;
	else
		err = inode_permission(ctx->cred, inode, MAY_EXEC);
	if (err) {
		path_put(&p);
		return ERR_PTR(err);
	}
	f = file_alloc(&p, O_RDONLY, FMODE_READ | FMODE_LSEEK);
	path_put(&p);
	if (!IS_ERR(f) && f->f_op && f->f_op->open) {
		err = f->f_op->open(f->f_inode, f);
		if (err) {
			file_free(f);
			return ERR_PTR(err);
		}
	}
	return f;
}

/* ---- I/O ---- */

static long rw_check(struct file *f, unsigned int need)
{
	if ((f->f_mode & FMODE_PATH) || !(f->f_mode & need))
		return -EBADF;
	if (S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (!f->f_op || !(need == FMODE_READ ? f->f_op->read : f->f_op->write))
		return -EINVAL;
	return 0;
}

/* Positions live in f_pos only for seekable files; streams ignore them. */
static long rw_at_pos(struct file *f, struct uio *u, bool write)
{
	long (*op)(struct file *, struct uio *, s64 *) = write ? f->f_op->write : f->f_op->read;
	long r;
	s64 pos;

	mutex_lock(&f->f_pos_lock);
	pos = f->f_pos;
	r = op(f, u, &pos);
	if (r >= 0)
		f->f_pos = pos;
	mutex_unlock(&f->f_pos_lock);
	return r;
}

long vfs_read(struct file *f, struct uio *u)
{
	long err = rw_check(f, FMODE_READ);

	if (err)
		return err;
	return rw_at_pos(f, u, false);
}

/* What every write does first: write(2) on a regular file drops the
 * set-user-ID bits (file_remove_privs), but a write of nothing does not. */
static long write_prepare(struct file *f, struct uio *u)
{
	long err = rw_check(f, FMODE_WRITE);

	if (err)
		return err;
	if (u->resid && S_ISREG(f->f_inode->i_mode))
		return file_remove_privs(f);
	return 0;
}

long vfs_write(struct file *f, struct uio *u)
{
	long err = write_prepare(f, u);

	if (err)
		return err;
	return rw_at_pos(f, u, true);
}

/* pread(2)/pwrite(2): ESPIPE on pipes and FIFOs, EINVAL for off < 0. */
static long rw_at(struct file *f, struct uio *u, s64 off, bool write)
{
	long err = write ? write_prepare(f, u) : rw_check(f, FMODE_READ);

	if (err)
		return err;
	if (S_ISFIFO(f->f_inode->i_mode) || S_ISSOCK(f->f_inode->i_mode))
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	return write ? f->f_op->write(f, u, &off) : f->f_op->read(f, u, &off);
}

long vfs_pread(struct file *f, struct uio *u, s64 off)
{
	return rw_at(f, u, off, false);
}

long vfs_pwrite(struct file *f, struct uio *u, s64 off)
{
	return rw_at(f, u, off, true);
}

long kernel_read(struct file *f, void *buf, size_t len, u64 off)
{
	struct uio_seg seg;
	struct uio u;
	s64 pos = (s64)off;

	if (!f->f_op || !f->f_op->read || S_ISDIR(f->f_inode->i_mode))
		return -EINVAL;
	uio_init_one(&u, &seg, buf, len, false);
	return f->f_op->read(f, &u, &pos);
}

bool file_has_pages(struct file *f)
{
	return !(f->f_mode & FMODE_PATH) && f->f_op && f->f_op->get_page;
}

long kernel_get_page(struct file *f, u64 index, bool create, struct page **out)
{
	if (!file_has_pages(f))
		return -EOPNOTSUPP;
	return f->f_op->get_page(f, index, create, out);
}

int generic_write_checks(s64 pos, u64 *count)
{
	u64 limit = fs_file_size_limit();

	if (!*count)
		return 0;
	/* RLIMIT_FSIZE first: setrlimit(2) says the write fails with EFBIG
	 * (and SIGXFSZ) only when not one byte fits. An unlimited limit is
	 * ~0, past every offset, so it needs no case of its own. */
	if ((u64)pos >= limit)
		return -EFBIG;
	*count = MIN(*count, limit - (u64)pos);
	if (pos >= FS_MAX_FILE_SIZE)
		return -EFBIG;
	*count = MIN(*count, (u64)(FS_MAX_FILE_SIZE - pos));
	return 0;
}

s64 generic_llseek(struct file *f, s64 off, int whence, s64 size)
{
	s64 pos = 0;
	int err = 0;

	mutex_lock(&f->f_pos_lock);
	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(f->f_pos, off, &pos))
			err = -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, off, &pos))
			err = -EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		/* lseek(2): without hole tracking all of the file is data,
		 * with one hole at its end; ENXIO at or past the end. */
		if (off < 0 || off >= size)
			err = -ENXIO;
		pos = whence == SEEK_DATA ? off : size;
		break;
	default:
		err = -EINVAL;
	}
	/* lseek(2): EINVAL when the result would be negative. */
	if (!err && pos < 0)
		err = -EINVAL;
	if (!err)
		f->f_pos = pos;
	mutex_unlock(&f->f_pos_lock);
	return err ? err : pos;
}

s64 vfs_lseek(struct file *f, s64 off, int whence)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	if (S_ISFIFO(f->f_inode->i_mode) || S_ISSOCK(f->f_inode->i_mode))
		return -ESPIPE;
	if (f->f_op && f->f_op->llseek)
		return f->f_op->llseek(f, off, whence);
	return generic_llseek(f, off, whence, f->f_inode->i_size);
}

long vfs_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	if (!f->f_op || !f->f_op->ioctl)
		return -ENOTTY;
	return f->f_op->ioctl(f, cmd, arg);
}

int vfs_fsync(struct file *f)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	if (!f->f_op || !f->f_op->fsync)
		return 0; /* memory file systems have nothing to write back */
	return f->f_op->fsync(f);
}

unsigned int vfs_get_flags(struct file *f)
{
	unsigned int fl;

	spin_lock(&f->f_lock);
	fl = f->f_flags;
	spin_unlock(&f->f_lock);
	return fl;
}

/* fcntl(2) F_SETFL: only O_APPEND, O_NONBLOCK, O_NOATIME, O_DIRECT change. */
int vfs_set_flags(struct file *f, unsigned int flags)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	spin_lock(&f->f_lock);
	f->f_flags = (f->f_flags & ~FILE_SETFL_MASK) | (flags & FILE_SETFL_MASK);
	spin_unlock(&f->f_lock);
	return 0;
}

int vfs_iterate_dir(struct file *f, struct dir_context *ctx)
{
	int err;

	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	if (!S_ISDIR(f->f_inode->i_mode) || !f->f_op || !f->f_op->iterate)
		return -ENOTDIR;
	mutex_lock(&f->f_pos_lock);
	ctx->pos = f->f_pos;
	/* Entries can come and go meanwhile: iterate under the namespace
	 * lock so the file system walks a stable list. */
	mutex_lock(&vfs_ns_lock);
	if (f->f_path.dentry->d_flags & DENTRY_DEAD)
		err = -ENOENT; /* getdents(2) on a removed directory */
	else
		err = f->f_op->iterate(f, ctx);
	mutex_unlock(&vfs_ns_lock);
	f->f_pos = ctx->pos;
	mutex_unlock(&f->f_pos_lock);
	if (!err)
		inode_touch(f->f_inode, true, false, false);
	return err;
}
