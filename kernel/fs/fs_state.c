/*
 * Per-process file system state (root, cwd, umask) and the calls on it:
 * chdir(2), fchdir(2), chroot(2), getcwd(2), umask(2).
 */
#include "internal.h"
#include "lib/string.h"
#include "mm/slab.h"

const struct cred root_cred = { 0 };

struct fs_state *fs_state_create(void)
{
	struct fs_state *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->count = 1;
	fs->lock = (struct spinlock)SPINLOCK_INIT("fs_state");
	fs->umask = 022;
	mutex_lock(&vfs_ns_lock);
	fs->root.mnt = root_mount;
	fs->root.dentry = root_mount->m_root;
	path_get(&fs->root);
	fs->cwd = fs->root;
	path_get(&fs->cwd);
	mutex_unlock(&vfs_ns_lock);
	return fs;
}

struct fs_state *fs_state_clone(struct fs_state *src)
{
	struct fs_state *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->count = 1;
	fs->lock = (struct spinlock)SPINLOCK_INIT("fs_state");
	spin_lock(&src->lock);
	fs->root = src->root;
	fs->cwd = src->cwd;
	fs->umask = src->umask;
	path_get(&fs->root);
	path_get(&fs->cwd);
	spin_unlock(&src->lock);
	return fs;
}

struct fs_state *fs_state_get(struct fs_state *fs)
{
	__atomic_add_fetch(&fs->count, 1, __ATOMIC_RELAXED);
	return fs;
}

void fs_state_put(struct fs_state *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->count, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	kfree(fs);
}

u32 fs_umask(struct fs_state *fs, u32 mask)
{
	u32 old;

	spin_lock(&fs->lock);
	old = fs->umask;
	fs->umask = mask & 0777;
	spin_unlock(&fs->lock);
	return old;
}

/* Replaces *slot with p (whose reference moves in). */
static void fs_set_path(struct fs_state *fs, struct path *slot, const struct path *p)
{
	struct path old;

	spin_lock(&fs->lock);
	old = *slot;
	*slot = *p;
	spin_unlock(&fs->lock);
	path_put(&old);
}

/* chdir(2): ENOTDIR, and EACCES without search permission on the target. */
static int set_cwd(struct fs_context *ctx, struct path *p)
{
	int err;

	if (!S_ISDIR(p->dentry->d_inode->i_mode))
		err = -ENOTDIR;
	else
		err = inode_permission(ctx->cred, p->dentry->d_inode, MAY_EXEC);
	if (err) {
		path_put(p);
		return err;
	}
	fs_set_path(ctx->fs, &ctx->fs->cwd, p);
	return 0;
}

int vfs_chdir(struct fs_context *ctx, struct file *base, const char *path)
{
	struct path p;
	int err = path_lookup(ctx, base, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	return set_cwd(ctx, &p);
}

int vfs_fchdir(struct fs_context *ctx, struct file *f)
{
	struct path p = f->f_path;

	path_get(&p);
	return set_cwd(ctx, &p);
}

int vfs_chroot(struct fs_context *ctx, struct file *base, const char *path)
{
	struct path p;
	int err = path_lookup(ctx, base, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = inode_permission(ctx->cred, p.dentry->d_inode, MAY_EXEC);
	/* chroot(2): EPERM without CAP_SYS_CHROOT. */
	if (!err && !cred_is_root(ctx->cred))
		err = -EPERM;
	if (err) {
		path_put(&p);
		return err;
	}
	fs_set_path(ctx->fs, &ctx->fs->root, &p);
	return 0;
}

/* Prepends s to the string that starts at *pos in buf; false when full. */
static bool prepend(char *buf, size_t *pos, const char *s, size_t len)
{
	if (len > *pos)
		return false;
	*pos -= len;
	memcpy(buf + *pos, s, len);
	return true;
}

/*
 * Builds the path of p as seen from root into the end of tmp (PATH_MAX).
 * Returns the start offset, or -ENAMETOOLONG. *reachable says whether root
 * was met on the way up. Called with vfs_ns_lock held.
 */
static long build_path(const struct path *root, const struct path *p, char *tmp,
		       bool *reachable, bool *anon)
{
	struct mount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	size_t pos = PATH_MAX - 1;

	tmp[pos] = '\0';
	*reachable = true;
	*anon = false;
	while (!(d == root->dentry && mnt == root->mnt)) {
		if (d->d_parent == d && d != mnt->m_root) {
			/* In no directory (a pipe): the name is all there is. */
			*anon = true;
			pos = PATH_MAX - 1;
			if (!prepend(tmp, &pos, d->d_name, d->d_len))
				return -ENAMETOOLONG;
			return (long)pos;
		}
		if (d == mnt->m_root) {
			if (mnt->m_parent == mnt) {
				*reachable = false;
				break;
			}
			d = mnt->m_mountpoint;
			mnt = mnt->m_parent;
			continue;
		}
		if (!prepend(tmp, &pos, d->d_name, d->d_len) || !prepend(tmp, &pos, "/", 1))
			return -ENAMETOOLONG;
		d = d->d_parent;
	}
	if (pos == PATH_MAX - 1 && !prepend(tmp, &pos, "/", 1))
		return -ENAMETOOLONG;
	return (long)pos;
}

static long path_name(struct fs_context *ctx, const struct path *p, char *buf, size_t size,
		      bool is_cwd)
{
	struct path root;
	char *tmp = kmalloc(PATH_MAX);
	bool reachable, dead, anon;
	long pos, len;
	size_t prefix = 0;
	const char *suffix = "";

	if (!tmp)
		return -ENOMEM;
	spin_lock(&ctx->fs->lock);
	root = ctx->fs->root;
	path_get(&root);
	spin_unlock(&ctx->fs->lock);

	mutex_lock(&vfs_ns_lock);
	dead = (p->dentry->d_flags & DENTRY_DEAD) != 0;
	pos = build_path(&root, p, tmp, &reachable, &anon);
	mutex_unlock(&vfs_ns_lock);
	path_put(&root);

	if (pos < 0) {
		len = pos;
		goto out_free;
	}
	/* getcwd(2): ENOENT when the cwd was unlinked; a cwd outside the
	 * root reads "(unreachable)/..." as Linux writes it. */
	if (dead && is_cwd) {
		len = -ENOENT;
		goto out_free;
	}
	if (dead && !anon)
		suffix = " (deleted)";
	if (!reachable)
		prefix = 13;
	len = (long)(PATH_MAX - 1 - (size_t)pos + prefix + strlen(suffix) + 1);
	if ((size_t)len > size) {
		len = -ERANGE;
		goto out_free;
	}
	memcpy(buf, "(unreachable)", prefix);
	memcpy(buf + prefix, tmp + pos, PATH_MAX - 1 - (size_t)pos);
	strlcpy(buf + len - 1 - strlen(suffix), suffix, strlen(suffix) + 1);
	buf[len - 1] = '\0';
out_free:
	kfree(tmp);
	return len;
}

long vfs_getcwd(struct fs_context *ctx, char *buf, size_t size)
{
	struct path cwd;
	long r;

	spin_lock(&ctx->fs->lock);
	cwd = ctx->fs->cwd;
	path_get(&cwd);
	spin_unlock(&ctx->fs->lock);
	r = path_name(ctx, &cwd, buf, size, true);
	path_put(&cwd);
	return r;
}

long vfs_path_name(struct fs_context *ctx, const struct path *p, char *buf, size_t size)
{
	return path_name(ctx, p, buf, size, false);
}
