/*
 * Path resolution (path_resolution(7)): absolute and relative paths, ".",
 * "..", symlinks, mount points, search permission on every directory
 * walked, and a root that ".." cannot climb out of.
 */
#include "internal.h"
#include "lib/string.h"
#include "mm/slab.h"

static const char *skip_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

int nd_init(struct nameidata *nd, struct fs_context *ctx, struct file *base,
	    const char *path, unsigned int flags)
{
	struct fs_state *fs = ctx->fs;
	bool empty = path == NULL || *path == '\0';

	memset(nd, 0, sizeof(*nd));
	nd->cred = ctx->cred;
	nd->flags = flags;
	if (empty && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	if (!empty && strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;

	spin_lock(&fs->lock);
	nd->root = fs->root;
	path_get(&nd->root);
	if (!empty && path[0] == '/') {
		nd->path = fs->root;
		path_get(&nd->path);
	} else if (base) {
		nd->path = base->f_path;
		path_get(&nd->path);
	} else {
		nd->path = fs->cwd;
		path_get(&nd->path);
	}
	spin_unlock(&fs->lock);

	nd->stack[0].p = empty ? "" : path;
	nd->depth = 1;
	/* openat(2): a relative path needs a directory to start from. */
	if (!empty && path[0] != '/' && !S_ISDIR(nd->path.dentry->d_inode->i_mode))
		return -ENOTDIR;
	return 0;
}

void nd_release(struct nameidata *nd)
{
	while (nd->depth > 1)
		kfree(nd->stack[--nd->depth].buf);
	nd->depth = 0;
	if (nd->path.dentry)
		path_put(&nd->path);
	if (nd->root.dentry)
		path_put(&nd->root);
}

struct mount *mount_lookup(struct mount *parent, struct dentry *d)
{
	struct mount *m, *found = NULL;

	if (!d->d_mounted)
		return NULL;
	list_for_each_entry(m, &mount_list, m_link) {
		if (m->m_parent == parent && m->m_mountpoint == d && m != parent)
			found = m; /* the last one mounted hides the others */
	}
	return found;
}

void follow_mounts(struct path *p)
{
	struct mount *m;

	while ((m = mount_lookup(p->mnt, p->dentry))) {
		struct path next = { mnt_get(m), dget(m->m_root) };

		path_put(p);
		*p = next;
	}
}

/* "..": up one directory, across mount roots, never above nd->root. */
static void follow_dotdot(struct nameidata *nd, struct path *p)
{
	for (;;) {
		struct path next;

		if (p->dentry == nd->root.dentry && p->mnt == nd->root.mnt)
			return;
		if (p->dentry != p->mnt->m_root) {
			next.mnt = mnt_get(p->mnt);
			spin_lock(&dcache_lock);
			next.dentry = p->dentry->d_parent;
			next.dentry->d_count++;
			spin_unlock(&dcache_lock);
			path_put(p);
			*p = next;
			return;
		}
		if (p->mnt->m_parent == p->mnt)
			return;
		next.mnt = mnt_get(p->mnt->m_parent);
		next.dentry = dget(p->mnt->m_mountpoint);
		path_put(p);
		*p = next;
	}
}

/* The child name of the directory dir, possibly negative, mounts crossed. */
static int lookup_child(const struct path *dir, const char *name, size_t len,
			struct path *out, bool cross)
{
	struct inode *dinode = dir->dentry->d_inode;
	struct dentry *d;

	/* A removed directory has no entries, whatever the cache holds. */
	if (dir->dentry->d_flags & DENTRY_DEAD)
		return -ENOENT;
	d = d_lookup(dir->dentry, name, len);
	if (!d) {
		d = d_alloc(dir->dentry, name, len);
		if (!d)
			return -ENOMEM;
		if (dinode->i_op && dinode->i_op->lookup) {
			int err = dinode->i_op->lookup(dinode, d);

			if (err) {
				dput(d);
				return err;
			}
		}
	}
	out->mnt = mnt_get(dir->mnt);
	out->dentry = d;
	if (d->d_inode && cross)
		follow_mounts(out);
	return 0;
}

int nd_push_link(struct nameidata *nd, const struct path *link)
{
	struct inode *inode = link->dentry->d_inode;
	char *buf;
	long n;

	if (++nd->nlinks > MAXSYMLINKS)
		return -ELOOP;
	if (!inode->i_op || !inode->i_op->readlink)
		return -EINVAL;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	n = inode->i_op->readlink(link->dentry, buf, PATH_MAX - 1);
	if (n < 0 || n == 0) {
		kfree(buf);
		return n < 0 ? (int)n : -ENOENT; /* an empty symlink names nothing */
	}
	buf[MIN((size_t)n, PATH_MAX - 1)] = '\0';
	nd->stack[nd->depth].p = buf;
	nd->stack[nd->depth].buf = buf;
	nd->depth++;
	if (buf[0] == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
	}
	return 0;
}

/* Does any frame still hold a component? */
static bool components_left(const struct nameidata *nd)
{
	for (int i = 0; i < nd->depth; i++) {
		if (*skip_slashes(nd->stack[i].p))
			return true;
	}
	return false;
}

static bool slash_left(const struct nameidata *nd)
{
	for (int i = 0; i < nd->depth; i++) {
		if (*nd->stack[i].p == '/')
			return true;
	}
	return false;
}

/* Steps into one intermediate component. */
static int walk_one(struct nameidata *nd, const char *name, size_t len)
{
	struct path child;
	int err;

	err = inode_permission(nd->cred, nd->path.dentry->d_inode, MAY_EXEC);
	if (err)
		return err;
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		follow_dotdot(nd, &nd->path);
		return 0;
	}
	err = lookup_child(&nd->path, name, len, &child, true);
	if (err)
		return err;
	if (!child.dentry->d_inode) {
		err = -ENOENT;
	} else if (S_ISLNK(child.dentry->d_inode->i_mode)) {
		/* Symlinks in the middle are always followed, relative to
		 * the directory that holds them: stay here. */
		err = nd_push_link(nd, &child);
	} else if (!S_ISDIR(child.dentry->d_inode->i_mode)) {
		err = -ENOTDIR;
	} else {
		path_put(&nd->path);
		nd->path = child;
		return 0;
	}
	path_put(&child);
	return err;
}

int walk_parent(struct nameidata *nd)
{
	for (;;) {
		struct walk_frame *fr = &nd->stack[nd->depth - 1];
		const char *p = skip_slashes(fr->p), *name = p;
		size_t len;
		int err;

		if (!*p) {
			if (nd->depth == 1) {
				/* Nothing but slashes (or nothing) from the start. */
				fr->p = p;
				nd->last = p;
				nd->last_len = 0;
				nd->last_type = LAST_ROOT;
				nd->trailing_slash = false;
				return 0;
			}
			kfree(fr->buf);
			nd->depth--;
			continue;
		}
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - name);
		fr->p = p;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (!components_left(nd)) {
			nd->last = name;
			nd->last_len = len;
			nd->trailing_slash = slash_left(nd);
			if (len == 1 && name[0] == '.')
				nd->last_type = LAST_DOT;
			else if (len == 2 && name[0] == '.' && name[1] == '.')
				nd->last_type = LAST_DOTDOT;
			else
				nd->last_type = LAST_NORM;
			return 0;
		}
		err = walk_one(nd, name, len);
		if (err)
			return err;
	}
}

int lookup_last(struct nameidata *nd, struct path *out)
{
	int err;

	if (nd->last_type == LAST_ROOT) {
		*out = nd->path;
		path_get(out);
		return 0;
	}
	err = inode_permission(nd->cred, nd->path.dentry->d_inode, MAY_EXEC);
	if (err)
		return err;
	*out = nd->path;
	path_get(out);
	if (nd->last_type == LAST_DOT)
		return 0;
	if (nd->last_type == LAST_DOTDOT) {
		follow_dotdot(nd, out);
		return 0;
	}
	path_put(out);
	return lookup_child(&nd->path, nd->last, nd->last_len, out,
			    !(nd->flags & LOOKUP_NOCROSS));
}

int path_lookup_locked(struct nameidata *nd, struct path *out)
{
	int err = walk_parent(nd);

	while (!err) {
		struct inode *inode;

		err = lookup_last(nd, out);
		if (err)
			break;
		inode = out->dentry->d_inode;
		if (!inode) {
			err = -ENOENT;
		} else if (S_ISLNK(inode->i_mode) &&
			   ((nd->flags & LOOKUP_FOLLOW) || nd->trailing_slash)) {
			err = nd_push_link(nd, out);
			path_put(out);
			if (!err)
				err = walk_parent(nd);
			continue;
		} else if ((nd->trailing_slash || (nd->flags & LOOKUP_DIRECTORY)) &&
			   !S_ISDIR(inode->i_mode)) {
			err = -ENOTDIR;
		} else {
			return 0;
		}
		path_put(out);
	}
	return err;
}

int path_lookup(struct fs_context *ctx, struct file *base, const char *path,
		unsigned int flags, struct path *out)
{
	struct nameidata nd;
	int err;

	mutex_lock(&vfs_ns_lock);
	err = nd_init(&nd, ctx, base, path, flags);
	if (!err)
		err = path_lookup_locked(&nd, out);
	nd_release(&nd);
	mutex_unlock(&vfs_ns_lock);
	return err;
}

int vfs_lookup(struct fs_context *ctx, struct file *base, const char *path,
	       unsigned int lookup_flags, struct path *out)
{
	return path_lookup(ctx, base, path, lookup_flags, out);
}

void vfs_new_attr(const struct cred *c, const struct inode *dir, u32 mode,
		  struct inode_attr *a)
{
	a->uid = c->fsuid;
	a->rdev = 0;
	if (dir->i_mode & S_ISGID) {
		/* A setgid directory hands its group down, and its setgid
		 * bit to subdirectories (inode(7), "The set-group-ID bit"). */
		a->gid = dir->i_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & S_ISGID) && (mode & S_IXGRP) && !cred_in_group(c, dir->i_gid) &&
			 !cred_is_root(c))
			mode &= ~(u32)S_ISGID;
	} else {
		a->gid = c->fsgid;
	}
	a->mode = mode;
}

int may_create(const struct cred *c, const struct dentry *dir)
{
	if (dir->d_flags & DENTRY_DEAD)
		return -ENOENT;
	return inode_permission(c, dir->d_inode, MAY_WRITE | MAY_EXEC);
}

int may_delete(const struct cred *c, const struct dentry *dir, const struct dentry *victim)
{
	const struct inode *di = dir->d_inode, *vi = victim->d_inode;
	int err = inode_permission(c, di, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	/* inode(7): in a sticky directory only the owner of the entry, the
	 * owner of the directory or root may remove or rename it. */
	if ((di->i_mode & S_ISVTX) && c->fsuid != vi->i_uid && c->fsuid != di->i_uid &&
	    !cred_is_root(c))
		return -EPERM;
	return 0;
}
