/*
 * Directory operations: mkdir(2), mknod(2), rmdir(2), unlink(2),
 * rename(2), link(2), symlink(2), readlink(2). Each walks to the parent
 * under vfs_ns_lock, makes the checks Linux makes in the order it makes
 * them (so the same errno wins), and calls the file system.
 */
#include "internal.h"
#include "lib/string.h"

/*
 * Finds the place to create the last component of path: nd->path is the
 * directory, *res the negative dentry. EEXIST when something is there;
 * a trailing slash is only allowed for directories (ENOENT otherwise).
 */
static int create_lookup(struct fs_context *ctx, struct file *base, const char *path,
			 struct nameidata *nd, struct path *res, bool is_dir)
{
	int err = nd_init(nd, ctx, base, path, LOOKUP_NOCROSS);

	if (!err)
		err = walk_parent(nd);
	if (err)
		return err;
	if (nd->last_type != LAST_NORM)
		return -EEXIST;
	err = lookup_last(nd, res);
	if (err)
		return err;
	if (res->dentry->d_inode)
		err = -EEXIST;
	else if (nd->trailing_slash && !is_dir)
		err = -ENOENT;
	else
		err = may_create(ctx->cred, nd->path.dentry);
	if (err)
		path_put(res);
	return err;
}

static int do_mknod(struct fs_context *ctx, struct file *base, const char *path, u32 mode,
		    dev_t dev)
{
	struct nameidata nd;
	struct path res;
	struct inode *dir;
	struct inode_attr a;
	int err;

	mutex_lock(&vfs_ns_lock);
	err = create_lookup(ctx, base, path, &nd, &res, S_ISDIR(mode));
	if (err)
		goto out_unlock;
	dir = nd.path.dentry->d_inode;
	vfs_new_attr(ctx->cred, dir, mode, &a);
	a.rdev = dev;
	if (S_ISDIR(mode))
		err = dir->i_op->mkdir ? dir->i_op->mkdir(dir, res.dentry, &a) : -EPERM;
	else if (S_ISREG(mode))
		err = dir->i_op->create ? dir->i_op->create(dir, res.dentry, &a) : -EPERM;
	else
		err = dir->i_op->mknod ? dir->i_op->mknod(dir, res.dentry, &a) : -EPERM;
	path_put(&res);
out_unlock:
	nd_release(&nd);
	mutex_unlock(&vfs_ns_lock);
	return err;
}

int vfs_mkdir(struct fs_context *ctx, struct file *base, const char *path, u32 mode)
{
	/* mkdir(2): mode & ~umask & 01777 */
	return do_mknod(ctx, base, path,
			S_IFDIR | (mode & (S_IRWXU | S_IRWXG | S_IRWXO | S_ISVTX) & ~ctx->fs->umask), 0);
}

/* mknod(2): EPERM for device nodes without CAP_MKNOD and for directories,
 * EINVAL for an unknown type. */
int vfs_mknod(struct fs_context *ctx, struct file *base, const char *path, u32 mode,
	      dev_t dev)
{
	u32 type = mode & S_IFMT;

	switch (type) {
	case 0:
		type = S_IFREG;
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!cred_is_root(ctx->cred))
			return -EPERM;
		break;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	if (type != S_IFCHR && type != S_IFBLK)
		dev = 0;
	return do_mknod(ctx, base, path, type | (mode & S_IALLUGO & ~ctx->fs->umask), dev);
}

int vfs_symlink(struct fs_context *ctx, const char *target, struct file *base,
		const char *path)
{
	struct nameidata nd;
	struct path res;
	struct inode *dir;
	struct inode_attr a;
	size_t len = target ? strnlen(target, PATH_MAX) : 0;
	int err;

	/* symlink(2): ENOENT for an empty target. */
	if (len == 0)
		return -ENOENT;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	mutex_lock(&vfs_ns_lock);
	err = create_lookup(ctx, base, path, &nd, &res, false);
	if (err)
		goto out_unlock;
	dir = nd.path.dentry->d_inode;
	vfs_new_attr(ctx->cred, dir, S_IFLNK | 0777, &a);
	err = dir->i_op->symlink ? dir->i_op->symlink(dir, res.dentry, target, &a) : -EPERM;
	path_put(&res);
out_unlock:
	nd_release(&nd);
	mutex_unlock(&vfs_ns_lock);
	return err;
}

int vfs_link(struct fs_context *ctx, struct file *obase, const char *opath,
	     struct file *nbase, const char *npath, unsigned int lookup_flags)
{
	struct nameidata ond, nnd;
	struct path old, res;
	struct inode *dir;
	int err;

	mutex_lock(&vfs_ns_lock);
	err = nd_init(&ond, ctx, obase, opath, lookup_flags & (LOOKUP_FOLLOW | LOOKUP_EMPTY));
	if (!err)
		err = path_lookup_locked(&ond, &old);
	nd_release(&ond);
	if (err)
		goto out_unlock;
	/* link(2): EPERM for a directory. */
	if (S_ISDIR(old.dentry->d_inode->i_mode)) {
		err = -EPERM;
		goto out_put_old;
	}
	err = create_lookup(ctx, nbase, npath, &nnd, &res, false);
	if (err)
		goto out_release_new;
	dir = nnd.path.dentry->d_inode;
	if (nnd.path.mnt != old.mnt)
		err = -EXDEV;
	else if (old.dentry->d_flags & DENTRY_DEAD)
		err = -ENOENT; /* linkat(2): the file was unlinked */
	else if (old.dentry->d_inode->i_nlink >= 0xffffffffu)
		err = -EMLINK;
	else
		err = dir->i_op->link ? dir->i_op->link(old.dentry, dir, res.dentry) : -EPERM;
	path_put(&res);
out_release_new:
	nd_release(&nnd);
out_put_old:
	path_put(&old);
out_unlock:
	mutex_unlock(&vfs_ns_lock);
	return err;
}

long vfs_readlink(struct fs_context *ctx, struct file *base, const char *path, char *buf,
		  size_t size)
{
	struct path p;
	struct inode *inode;
	long r;

	if (size == 0)
		return -EINVAL;
	/* readlinkat(2): an empty path names dirfd itself, never the cwd. */
	if ((!path || !*path) && !base)
		return -ENOENT;
	r = path_lookup(ctx, base, path, LOOKUP_EMPTY, &p);
	if (r)
		return r;
	inode = p.dentry->d_inode;
	/* readlink(2): EINVAL when the file is not a symlink. */
	if (!S_ISLNK(inode->i_mode) || !inode->i_op || !inode->i_op->readlink) {
		r = -EINVAL;
	} else {
		mutex_lock(&vfs_ns_lock);
		r = inode->i_op->readlink(p.dentry, buf, size);
		mutex_unlock(&vfs_ns_lock);
		if (r > (long)size)
			r = (long)size;
		if (r >= 0)
			inode_touch(inode, true, false, false);
	}
	path_put(&p);
	return r;
}

/* Does dir have entries other than "." and ".."? */
static bool dir_has_entries(struct dentry *dir)
{
	struct dentry *c;
	bool any = false;

	spin_lock(&dcache_lock);
	list_for_each_entry(c, &dir->d_children, d_child) {
		if (c->d_inode && !(c->d_flags & DENTRY_DEAD)) {
			any = true;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return any;
}

/* Walks to the last component of path for removing it (mounts not crossed). */
static int remove_lookup(struct fs_context *ctx, struct file *base, const char *path,
			 struct nameidata *nd)
{
	int err = nd_init(nd, ctx, base, path, LOOKUP_NOCROSS);

	if (!err)
		err = walk_parent(nd);
	return err;
}

int vfs_rmdir(struct fs_context *ctx, struct file *base, const char *path)
{
	struct nameidata nd;
	struct path res;
	struct inode *dir, *inode;
	int err;

	mutex_lock(&vfs_ns_lock);
	err = remove_lookup(ctx, base, path, &nd);
	if (err)
		goto out_release;
	/* rmdir(2): EINVAL for ".", ENOTEMPTY for "..", EBUSY for a root. */
	if (nd.last_type != LAST_NORM) {
		err = nd.last_type == LAST_DOT ? -EINVAL :
		      nd.last_type == LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
		goto out_release;
	}
	err = lookup_last(&nd, &res);
	if (err)
		goto out_release;
	inode = res.dentry->d_inode;
	dir = nd.path.dentry->d_inode;
	if (!inode)
		err = -ENOENT;
	else if (!S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else if (!(err = may_delete(ctx->cred, nd.path.dentry, res.dentry))) {
		if (res.dentry->d_mounted || res.dentry == ctx->fs->root.dentry)
			err = -EBUSY;
		else if (dir_has_entries(res.dentry))
			err = -ENOTEMPTY;
		else if (!dir->i_op->rmdir)
			err = -EPERM;
		else
			err = dir->i_op->rmdir(dir, res.dentry);
		if (!err)
			d_delete(res.dentry);
	}
	path_put(&res);
out_release:
	nd_release(&nd);
	mutex_unlock(&vfs_ns_lock);
	return err;
}

int vfs_unlink(struct fs_context *ctx, struct file *base, const char *path)
{
	struct nameidata nd;
	struct path res;
	struct inode *dir, *inode;
	int err;

	mutex_lock(&vfs_ns_lock);
	err = remove_lookup(ctx, base, path, &nd);
	if (err)
		goto out_release;
	if (nd.last_type != LAST_NORM) {
		err = -EISDIR;
		goto out_release;
	}
	err = lookup_last(&nd, &res);
	if (err)
		goto out_release;
	inode = res.dentry->d_inode;
	dir = nd.path.dentry->d_inode;
	/* unlink(2): EISDIR for a directory (Linux, not POSIX's EPERM);
	 * ENOTDIR when "file/" names a non-directory. */
	if (!inode)
		err = -ENOENT;
	else if (S_ISDIR(inode->i_mode))
		err = -EISDIR;
	else if (nd.trailing_slash)
		err = -ENOTDIR;
	else if (!(err = may_delete(ctx->cred, nd.path.dentry, res.dentry))) {
		if (res.dentry->d_mounted)
			err = -EBUSY;
		else if (!dir->i_op->unlink)
			err = -EPERM;
		else
			err = dir->i_op->unlink(dir, res.dentry);
		if (!err)
			d_delete(res.dentry);
	}
	path_put(&res);
out_release:
	nd_release(&nd);
	mutex_unlock(&vfs_ns_lock);
	return err;
}

/* Is a the dentry d or one of its ancestors? */
static bool is_ancestor(const struct dentry *a, const struct dentry *d)
{
	for (;;) {
		if (d == a)
			return true;
		if (d->d_parent == d)
			return false;
		d = d->d_parent;
	}
}

/* The checks of rename(2) once both ends are looked up. */
static int rename_checks(struct fs_context *ctx, struct nameidata *ond, struct path *old,
			 struct nameidata *nnd, struct path *new, unsigned int flags)
{
	struct dentry *od = old->dentry, *nd = new->dentry;
	struct inode *oi = od->d_inode, *ni = nd->d_inode;
	bool exchange = flags & RENAME_EXCHANGE;
	int err;

	if (!oi)
		return -ENOENT;
	if (exchange && !ni)
		return -ENOENT;
	if (!S_ISDIR(oi->i_mode)) {
		if (ond->trailing_slash || (!exchange && nnd->trailing_slash))
			return -ENOTDIR;
	}
	if (exchange && !S_ISDIR(ni->i_mode) && nnd->trailing_slash)
		return -ENOTDIR;
	if ((flags & RENAME_NOREPLACE) && ni)
		return -EEXIST;
	/* rename(2): EINVAL for moving a directory below itself; the target
	 * being an ancestor of the source means it is not empty. */
	if (is_ancestor(od, nnd->path.dentry))
		return -EINVAL;
	if (ni && is_ancestor(nd, ond->path.dentry))
		return exchange ? -EINVAL : -ENOTEMPTY;
	if (oi == ni)
		return 1; /* two links to one file: nothing to do */
	err = may_delete(ctx->cred, ond->path.dentry, od);
	if (err)
		return err;
	err = ni ? may_delete(ctx->cred, nnd->path.dentry, nd) :
		   may_create(ctx->cred, nnd->path.dentry);
	if (err)
		return err;
	if (ni && !exchange) {
		if (S_ISDIR(oi->i_mode) && !S_ISDIR(ni->i_mode))
			return -ENOTDIR;
		if (!S_ISDIR(oi->i_mode) && S_ISDIR(ni->i_mode))
			return -EISDIR;
		if (S_ISDIR(ni->i_mode) && dir_has_entries(nd))
			return -ENOTEMPTY;
	}
	if (od->d_mounted || (ni && nd->d_mounted))
		return -EBUSY;
	/* A directory that changes parent has its ".." rewritten: that needs
	 * write permission on the directory itself. */
	if (ond->path.dentry != nnd->path.dentry) {
		if (S_ISDIR(oi->i_mode) && (err = inode_permission(ctx->cred, oi, MAY_WRITE)))
			return err;
		if (exchange && S_ISDIR(ni->i_mode) &&
		    (err = inode_permission(ctx->cred, ni, MAY_WRITE)))
			return err;
	}
	return 0;
}

int vfs_rename(struct fs_context *ctx, struct file *obase, const char *opath,
	       struct file *nbase, const char *npath, unsigned int flags)
{
	struct nameidata ond, nnd;
	struct path old = { 0 }, new = { 0 };
	struct inode *odir;
	int err;

	/* renameat2(2): EINVAL for unknown flags, NOREPLACE with EXCHANGE,
	 * and WHITEOUT (not supported here). */
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;

	mutex_lock(&vfs_ns_lock);
	err = nd_init(&ond, ctx, obase, opath, LOOKUP_NOCROSS);
	if (!err)
		err = walk_parent(&ond);
	if (err)
		goto out_release_old;
	err = nd_init(&nnd, ctx, nbase, npath, LOOKUP_NOCROSS);
	if (!err)
		err = walk_parent(&nnd);
	if (err)
		goto out_release;
	if (ond.last_type != LAST_NORM) {
		err = -EBUSY;
		goto out_release;
	}
	if (nnd.last_type != LAST_NORM) {
		err = (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
		goto out_release;
	}
	if (ond.path.mnt != nnd.path.mnt) {
		err = -EXDEV;
		goto out_release;
	}
	err = lookup_last(&ond, &old);
	if (err)
		goto out_release;
	err = lookup_last(&nnd, &new);
	if (err)
		goto out_put_old;
	err = rename_checks(ctx, &ond, &old, &nnd, &new, flags);
	if (err == 1) {
		err = 0;
	} else if (!err) {
		odir = ond.path.dentry->d_inode;
		err = odir->i_op->rename ?
			odir->i_op->rename(odir, old.dentry, nnd.path.dentry->d_inode, new.dentry,
					   flags) : -EPERM;
	}
	path_put(&new);
out_put_old:
	path_put(&old);
out_release:
	nd_release(&nnd);
out_release_old:
	nd_release(&ond);
	mutex_unlock(&vfs_ns_lock);
	return err;
}
