/*
 * Inode attributes: stat(2), chmod(2), chown(2), truncate(2),
 * utimensat(2), access(2). The permission rules follow the Linux man pages
 * cited at each function; root stands for the capabilities they name.
 */
#include "internal.h"
#include "lib/string.h"

int notify_change(struct dentry *d, struct iattr *ia)
{
	struct inode *inode = d->d_inode;
	int err;

	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	mutex_lock(&inode->i_mutex);
	err = inode->i_op->setattr(d, ia);
	mutex_unlock(&inode->i_mutex);
	return err;
}

static void fill_kstat(const struct dentry *d, struct kstat *st)
{
	struct inode *inode = d->d_inode;

	mutex_lock(&inode->i_mutex);
	st->dev = inode->i_sb->s_dev;
	st->ino = inode->i_ino;
	st->mode = inode->i_mode;
	st->nlink = inode->i_nlink;
	st->uid = inode->i_uid;
	st->gid = inode->i_gid;
	st->rdev = inode->i_rdev;
	st->size = inode->i_size;
	st->blksize = inode->i_sb->s_blocksize ? inode->i_sb->s_blocksize : PAGE_SIZE;
	st->blocks = inode->i_blocks;
	st->atime = inode->i_atime;
	st->mtime = inode->i_mtime;
	st->ctime = inode->i_ctime;
	mutex_unlock(&inode->i_mutex);
}

static int path_stat(struct path *p, struct kstat *st)
{
	struct inode *inode = p->dentry->d_inode;

	fill_kstat(p->dentry, st);
	if (inode->i_op && inode->i_op->getattr)
		return inode->i_op->getattr(p->dentry, st);
	return 0;
}

int vfs_stat(struct fs_context *ctx, struct file *base, const char *path,
	     unsigned int lookup_flags, struct kstat *st)
{
	struct path p;
	int err = path_lookup(ctx, base, path, lookup_flags, &p);

	if (err)
		return err;
	err = path_stat(&p, st);
	path_put(&p);
	return err;
}

int vfs_fstat(struct file *f, struct kstat *st)
{
	return path_stat(&f->f_path, st);
}

/* ---- chmod ---- */

/* chmod(2): EPERM unless owner or root; a non-root caller outside the
 * file's group loses S_ISGID silently (CAP_FSETID). */
static int do_chmod(struct fs_context *ctx, struct dentry *d, u32 mode)
{
	struct inode *inode = d->d_inode;
	struct iattr ia = { .valid = ATTR_MODE | ATTR_CTIME };

	if (!is_owner_or_root(ctx->cred, inode))
		return -EPERM;
	mode &= S_IALLUGO;
	if (!cred_is_root(ctx->cred) && !S_ISDIR(inode->i_mode) &&
	    !cred_in_group(ctx->cred, inode->i_gid))
		mode &= ~(u32)S_ISGID;
	ia.mode = mode;
	ia.ctime = fs_time_now();
	return notify_change(d, &ia);
}

int vfs_chmod(struct fs_context *ctx, struct file *base, const char *path, u32 mode,
	      unsigned int lookup_flags)
{
	struct path p;
	int err = path_lookup(ctx, base, path, lookup_flags, &p);

	if (err)
		return err;
	/* fchmodat(2): changing a symlink's mode is not supported. */
	if (S_ISLNK(p.dentry->d_inode->i_mode))
		err = -EOPNOTSUPP;
	else
		err = do_chmod(ctx, p.dentry, mode);
	path_put(&p);
	return err;
}

int vfs_fchmod(struct fs_context *ctx, struct file *f, u32 mode)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	return do_chmod(ctx, f->f_path.dentry, mode);
}

/* ---- chown ---- */

/*
 * chown(2): only root changes the owner; the owner may change the group
 * to one of its groups. Changing either on a non-directory clears the
 * set-user-ID bit and the set-group-ID bit when group execute is set
 * (not a mandatory-locking marker), root included, even for chown(f, -1, -1)
 * as Linux does.
 */
static int do_chown(struct fs_context *ctx, struct dentry *d, uid_t uid, gid_t gid)
{
	const struct cred *c = ctx->cred;
	struct inode *inode = d->d_inode;
	struct iattr ia = { .valid = ATTR_CTIME };
	bool root = cred_is_root(c);
	u32 mode = inode->i_mode;

	if (uid != (uid_t)-1 && !root && !(c->fsuid == inode->i_uid && uid == inode->i_uid))
		return -EPERM;
	if (gid != (gid_t)-1 && !root &&
	    !(c->fsuid == inode->i_uid && (cred_in_group(c, gid) || gid == inode->i_gid)))
		return -EPERM;
	if (uid != (uid_t)-1) {
		ia.valid |= ATTR_UID;
		ia.uid = uid;
	}
	if (gid != (gid_t)-1) {
		ia.valid |= ATTR_GID;
		ia.gid = gid;
	}
	if (!S_ISDIR(mode)) {
		u32 kill = S_ISUID;

		if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			kill |= S_ISGID;
		if (mode & kill) {
			ia.valid |= ATTR_MODE;
			ia.mode = mode & ~kill;
		}
	}
	ia.ctime = fs_time_now();
	return notify_change(d, &ia);
}

int vfs_chown(struct fs_context *ctx, struct file *base, const char *path, uid_t uid,
	      gid_t gid, unsigned int lookup_flags)
{
	struct path p;
	int err = path_lookup(ctx, base, path, lookup_flags, &p);

	if (err)
		return err;
	err = do_chown(ctx, p.dentry, uid, gid);
	path_put(&p);
	return err;
}

int vfs_fchown(struct fs_context *ctx, struct file *f, uid_t uid, gid_t gid)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	return do_chown(ctx, f->f_path.dentry, uid, gid);
}

/* ---- write ---- */

/* The set-ID bits a write or truncate by an unprivileged caller removes:
 * S_ISGID without group execute marks mandatory locking and stays. */
static u32 privs_to_kill(u32 mode)
{
	u32 kill = mode & S_ISUID;

	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		kill |= S_ISGID;
	return kill;
}

int file_remove_privs(struct file *f)
{
	struct inode *inode = f->f_inode;
	struct iattr ia = { .valid = ATTR_MODE | ATTR_CTIME };
	int err = 0;

	/* The common case without the lock: the mode is one word. */
	if (!S_ISREG(inode->i_mode) || !privs_to_kill(inode->i_mode) || fs_capable_fsetid())
		return 0;
	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	/* Again under i_mutex, so a chmod meanwhile is not undone. */
	mutex_lock(&inode->i_mutex);
	if (privs_to_kill(inode->i_mode)) {
		ia.mode = inode->i_mode & ~privs_to_kill(inode->i_mode);
		ia.ctime = fs_time_now();
		err = inode->i_op->setattr(f->f_path.dentry, &ia);
	}
	mutex_unlock(&inode->i_mutex);
	return err;
}

/* ---- truncate ---- */

/* truncate(2): EINVAL for a negative length or a non-regular file, EISDIR
 * for a directory, EFBIG past the largest size or when growing the file
 * past RLIMIT_FSIZE (SIGXFSZ is the syscall layer's to send). Non-root writers
 * lose the set-user-ID bit (and set-group-ID with group execute). */
static int do_truncate(struct fs_context *ctx, struct dentry *d, s64 len)
{
	struct inode *inode = d->d_inode;
	struct iattr ia = { .valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME, .size = len };
	u32 mode = inode->i_mode;

	if (len < 0)
		return -EINVAL;
	if (S_ISDIR(mode))
		return -EISDIR;
	if (!S_ISREG(mode))
		return -EINVAL;
	if (len > FS_MAX_FILE_SIZE)
		return -EFBIG;
	if (len > inode->i_size && (u64)len > fs_file_size_limit())
		return -EFBIG;
	if (!cred_is_root(ctx->cred) && privs_to_kill(mode)) {
		ia.valid |= ATTR_MODE;
		ia.mode = mode & ~privs_to_kill(mode);
	}
	ia.mtime = ia.ctime = fs_time_now();
	return notify_change(d, &ia);
}

int vfs_truncate(struct fs_context *ctx, struct file *base, const char *path, s64 len)
{
	struct path p;
	int err;

	if (len < 0)
		return -EINVAL;
	err = path_lookup(ctx, base, path, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	if (S_ISDIR(p.dentry->d_inode->i_mode))
		err = -EISDIR;
	else
		err = inode_permission(ctx->cred, p.dentry->d_inode, MAY_WRITE);
	if (!err)
		err = do_truncate(ctx, p.dentry, len);
	path_put(&p);
	return err;
}

/* ftruncate(2): EINVAL (not EBADF) when the file is not open for writing. */
int vfs_ftruncate(struct fs_context *ctx, struct file *f, s64 len)
{
	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	if (!(f->f_mode & FMODE_WRITE) || !S_ISREG(f->f_inode->i_mode))
		return -EINVAL;
	return do_truncate(ctx, f->f_path.dentry, len);
}

/* ---- utimensat ---- */

static bool valid_nsec(long nsec)
{
	return (nsec >= 0 && nsec < 1000000000L) || nsec == UTIME_NOW || nsec == UTIME_OMIT;
}

/*
 * utimensat(2): setting both times to now needs ownership, write
 * permission or root; any other value needs ownership or root (EPERM),
 * except that write permission alone gives EACCES rather than EPERM when
 * even "now" is not allowed.
 */
static int do_utimens(struct fs_context *ctx, struct dentry *d, const struct fs_time *times)
{
	struct inode *inode = d->d_inode;
	struct iattr ia = { .valid = ATTR_CTIME };
	struct fs_time now = fs_time_now();
	bool only_now;

	if (times && (!valid_nsec(times[0].nsec) || !valid_nsec(times[1].nsec)))
		return -EINVAL;
	if (times && times[0].nsec == UTIME_OMIT && times[1].nsec == UTIME_OMIT)
		return 0;
	only_now = !times || ((times[0].nsec == UTIME_NOW || times[0].nsec == UTIME_OMIT) &&
			      (times[1].nsec == UTIME_NOW || times[1].nsec == UTIME_OMIT));
	if (!is_owner_or_root(ctx->cred, inode)) {
		if (!only_now)
			return -EPERM;
		if (inode_permission(ctx->cred, inode, MAY_WRITE))
			return -EACCES;
	}
	if (!times || times[0].nsec != UTIME_OMIT) {
		ia.valid |= ATTR_ATIME;
		ia.atime = (!times || times[0].nsec == UTIME_NOW) ? now : times[0];
	}
	if (!times || times[1].nsec != UTIME_OMIT) {
		ia.valid |= ATTR_MTIME;
		ia.mtime = (!times || times[1].nsec == UTIME_NOW) ? now : times[1];
	}
	ia.ctime = now;
	return notify_change(d, &ia);
}

int vfs_utimens(struct fs_context *ctx, struct file *base, const char *path,
		const struct fs_time *times, unsigned int lookup_flags)
{
	struct path p;
	int err;

	if (!path) {
		if (!base)
			return -EFAULT;
		return do_utimens(ctx, base->f_path.dentry, times);
	}
	err = path_lookup(ctx, base, path, lookup_flags, &p);
	if (err)
		return err;
	err = do_utimens(ctx, p.dentry, times);
	path_put(&p);
	return err;
}

/* ---- access ---- */

/* access(2): the real ids unless LOOKUP_REAL_IDS is clear (AT_EACCESS);
 * the walk itself is checked with the same ids. */
int vfs_access(struct fs_context *ctx, struct file *base, const char *path, int mode,
	       unsigned int lookup_flags)
{
	struct fs_context real = *ctx;
	struct cred c = *ctx->cred;
	struct path p;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (lookup_flags & LOOKUP_REAL_IDS) {
		c.fsuid = c.uid;
		c.fsgid = c.gid;
		real.cred = &c;
	}
	err = path_lookup(&real, base, path, lookup_flags & ~LOOKUP_REAL_IDS, &p);
	if (err)
		return err;
	if (mode)
		err = inode_permission(real.cred, p.dentry->d_inode, mode);
	path_put(&p);
	return err;
}

/* ---- statfs ---- */

static int do_statfs(const struct path *p, struct kstatfs *st)
{
	struct super_block *sb = p->dentry->d_sb;

	memset(st, 0, sizeof(*st));
	st->type = sb->s_magic;
	st->bsize = st->frsize = sb->s_blocksize ? sb->s_blocksize : PAGE_SIZE;
	st->namelen = NAME_MAX;
	st->fsid = sb->s_dev;
	if (sb->s_op && sb->s_op->statfs)
		sb->s_op->statfs(sb, st);
	return 0;
}

int vfs_statfs(struct fs_context *ctx, struct file *base, const char *path,
	       unsigned int lookup_flags, struct kstatfs *st)
{
	struct path p;
	int err = path_lookup(ctx, base, path, lookup_flags, &p);

	if (err)
		return err;
	err = do_statfs(&p, st);
	path_put(&p);
	return err;
}

int vfs_fstatfs(struct file *f, struct kstatfs *st)
{
	return do_statfs(&f->f_path, st);
}
