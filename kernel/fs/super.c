/*
 * File system types and the mount table. Mounts form a tree: each has a
 * parent mount and a dentry in it that it covers; path walks cross into a
 * mount when they reach that dentry, and ".." at a mount's root goes back
 * to the parent (namei.c).
 */
#include "core/printk.h"
#include "internal.h"
#include "lib/string.h"
#include "mm/slab.h"

static struct spinlock fs_types_lock = SPINLOCK_INIT("fs_types");
static LIST_HEAD(fs_types);       /* [fs_types_lock] */

struct mount *root_mount;         /* set once at boot */
LIST_HEAD(mount_list);            /* [vfs_ns_lock] */

int fs_type_register(struct fs_type *t)
{
	struct fs_type *it;
	int err = 0;

	spin_lock(&fs_types_lock);
	list_for_each_entry(it, &fs_types, link) {
		if (!strcmp(it->name, t->name)) {
			err = -EEXIST;
			break;
		}
	}
	if (!err)
		list_add_tail(&t->link, &fs_types);
	spin_unlock(&fs_types_lock);
	return err;
}

const struct fs_type *fs_type_find(const char *name)
{
	struct fs_type *it, *found = NULL;

	spin_lock(&fs_types_lock);
	list_for_each_entry(it, &fs_types, link) {
		if (!strcmp(it->name, name)) {
			found = it;
			break;
		}
	}
	spin_unlock(&fs_types_lock);
	return found;
}

dev_t fs_anon_dev(void)
{
	static u32 next_minor;

	return MKDEV(0, __atomic_add_fetch(&next_minor, 1, __ATOMIC_RELAXED));
}

static struct mount *mount_new(const struct fs_type *t, const char *source)
{
	struct super_block *sb = t->mount(t, source, 0, NULL);
	struct mount *m;

	if (IS_ERR(sb))
		return (struct mount *)sb;
	m = kzalloc(sizeof(*m));
	if (!m) {
		if (t->kill_sb)
			t->kill_sb(sb);
		return ERR_PTR(-ENOMEM);
	}
	m->m_sb = sb;
	m->m_root = dget(sb->s_root);
	m->m_parent = m;
	m->m_count = 1;
	list_init(&m->m_link);
	return m;
}

struct mount *vfs_kern_mount(const struct fs_type *t, const char *source)
{
	return mount_new(t, source);
}

int vfs_mount_root(const char *fstype)
{
	const struct fs_type *t = fs_type_find(fstype);
	struct mount *m;

	if (!t)
		return -ENODEV;
	m = mount_new(t, "rootfs");
	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	mutex_lock(&vfs_ns_lock);
	list_add_tail(&m->m_link, &mount_list);
	root_mount = m;
	mutex_unlock(&vfs_ns_lock);
	return 0;
}

/* Mounts a new instance of t on mp. Called with vfs_ns_lock held. */
static int do_mount(const struct path *mp, const struct fs_type *t, const char *source)
{
	struct mount *m;

	if (!S_ISDIR(mp->dentry->d_inode->i_mode))
		return -ENOTDIR;
	if (mp->dentry->d_flags & DENTRY_DEAD)
		return -ENOENT;
	m = mount_new(t, source);
	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	m->m_parent = mnt_get(mp->mnt);
	m->m_mountpoint = dget(mp->dentry);
	mp->dentry->d_mounted++;
	list_add_tail(&m->m_link, &mount_list);
	return 0;
}

int vfs_mount_at(const char *path, const char *fstype, const char *source)
{
	struct fs_state *fs = fs_state_create();
	struct fs_context ctx = { fs, &root_cred };
	struct file *none = NULL;
	int err;

	if (!fs)
		return -ENOMEM;
	err = vfs_mount(&ctx, source, none, path, fstype, 0);
	fs_state_put(fs);
	return err;
}

int vfs_mount(struct fs_context *ctx, const char *source, struct file *base,
	      const char *target, const char *fstype, unsigned long flags)
{
	const struct fs_type *t;
	struct nameidata nd;
	struct path mp;
	int err;

	/* mount(2): EPERM without CAP_SYS_ADMIN. */
	if (!cred_is_root(ctx->cred) || ctx->cred->euid != 0)
		return -EPERM;
	t = fs_type_find(fstype ? fstype : "");
	if (!t)
		return -ENODEV;
	mutex_lock(&vfs_ns_lock);
	err = nd_init(&nd, ctx, base, target, LOOKUP_FOLLOW);
	if (!err)
		err = path_lookup_locked(&nd, &mp);
	if (!err) {
		err = do_mount(&mp, t, source);
		path_put(&mp);
	}
	nd_release(&nd);
	mutex_unlock(&vfs_ns_lock);
	return err;
}

static bool has_children(const struct mount *m)
{
	struct mount *it;

	list_for_each_entry(it, &mount_list, m_link) {
		if (it->m_parent == m && it != m)
			return true;
	}
	return false;
}

int vfs_umount(struct fs_context *ctx, struct file *base, const char *target)
{
	struct nameidata nd;
	struct path p;
	struct mount *m;
	int err;

	if (!cred_is_root(ctx->cred) || ctx->cred->euid != 0)
		return -EPERM;
	mutex_lock(&vfs_ns_lock);
	err = nd_init(&nd, ctx, base, target, LOOKUP_FOLLOW);
	if (!err)
		err = path_lookup_locked(&nd, &p);
	nd_release(&nd);
	if (err)
		goto out_unlock;
	m = p.mnt;
	/* umount(2): EINVAL when target is not a mount point; EBUSY while
	 * it is in use (open files, cwds, mounts below it). */
	if (p.dentry != m->m_root) {
		err = -EINVAL;
	} else if (m == root_mount || has_children(m) ||
		   __atomic_load_n(&m->m_count, __ATOMIC_RELAXED) > 2) {
		err = -EBUSY;
	}
	path_put(&p);
	if (err)
		goto out_unlock;
	list_del(&m->m_link);
	m->m_mountpoint->d_mounted--;
	dput(m->m_mountpoint);
	mnt_put(m->m_parent);
	dput(m->m_root);
	if (m->m_sb->s_type->kill_sb)
		m->m_sb->s_type->kill_sb(m->m_sb);
	kfree(m);
out_unlock:
	mutex_unlock(&vfs_ns_lock);
	return err;
}
