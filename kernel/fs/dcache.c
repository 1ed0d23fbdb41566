/*
 * Inodes, dentries and the references that keep them alive.
 *
 * A dentry holds a reference to its parent and (when positive) to its
 * inode. Positive dentries stay cached while the file system pins them
 * (tmpfs pins every linked dentry: its directories are the dentry tree).
 * A dentry that is negative or unlinked is freed by the dput() that drops
 * its last reference.
 */
#include "core/panic.h"
#include "core/time.h"
#include "fs/fs.h"
#include "lib/string.h"
#include "mm/slab.h"

struct mutex vfs_ns_lock = MUTEX_INIT(vfs_ns_lock, "vfs_ns");
struct spinlock dcache_lock = SPINLOCK_INIT("dcache");

struct fs_time fs_time_now(void)
{
	u64 ns = time_wall_now_ns();

	return (struct fs_time){ .sec = (s64)(ns / NSEC_PER_SEC), .nsec = (long)(ns % NSEC_PER_SEC) };
}

/* ---- inodes ---- */

struct inode *inode_alloc(struct super_block *sb, u32 mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_ino = __atomic_add_fetch(&sb->s_next_ino, 1, __ATOMIC_RELAXED);
	inode->i_mode = mode;
	inode->i_nlink = 1;
	inode->i_count = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = fs_time_now();
	mutex_init(&inode->i_mutex, "inode");
	return inode;
}

struct inode *iget(struct inode *inode)
{
	__atomic_add_fetch(&inode->i_count, 1, __ATOMIC_RELAXED);
	return inode;
}

void iput(struct inode *inode)
{
	long n;

	if (!inode)
		return;
	n = __atomic_sub_fetch(&inode->i_count, 1, __ATOMIC_ACQ_REL);
	if (n > 0)
		return;
	if (n < 0)
		panic("iput: inode %llu count %ld", (unsigned long long)inode->i_ino, n);
	if (inode->i_sb && inode->i_sb->s_op && inode->i_sb->s_op->evict)
		inode->i_sb->s_op->evict(inode);
	kfree(inode);
}

void inode_touch(struct inode *inode, bool atime, bool mtime, bool ctime)
{
	struct fs_time now = fs_time_now();

	if (atime)
		inode->i_atime = now;
	if (mtime)
		inode->i_mtime = now;
	if (ctime)
		inode->i_ctime = now;
}

/* ---- dentries ---- */

static int d_set_name(struct dentry *d, const char *name, size_t len)
{
	char *buf = d->d_iname;

	if (len >= DENTRY_INLINE_NAME) {
		buf = kmalloc(len + 1);
		if (!buf)
			return -ENOMEM;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	d->d_name = buf;
	d->d_len = len;
	return 0;
}

static void d_free_name(const char *name, const struct dentry *d)
{
	if (name != d->d_iname)
		kfree((void *)name);
}

static struct dentry *d_new(struct super_block *sb, const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	if (d_set_name(d, name, len)) {
		kfree(d);
		return NULL;
	}
	d->d_count = 1;
	d->d_sb = sb;
	list_init(&d->d_children);
	list_init(&d->d_child);
	return d;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = d_new(parent->d_sb, name, len);

	if (!d)
		return NULL;
	spin_lock(&dcache_lock);
	parent->d_count++;
	d->d_parent = parent;
	list_add_tail(&d->d_child, &parent->d_children);
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *d_alloc_root(struct super_block *sb, struct inode *root)
{
	return d_alloc_anon(sb, root, "/");
}

struct dentry *d_alloc_anon(struct super_block *sb, struct inode *inode, const char *name)
{
	struct dentry *d = d_new(sb, name, strlen(name));

	if (!d)
		return NULL;
	d->d_parent = d;
	d->d_inode = inode;
	return d;
}

struct dentry *dget(struct dentry *d)
{
	spin_lock(&dcache_lock);
	d->d_count++;
	spin_unlock(&dcache_lock);
	return d;
}

void dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent;

		spin_lock(&dcache_lock);
		if (d->d_count <= 0)
			panic("dput: dentry %s count %ld", d->d_name, d->d_count);
		if (--d->d_count > 0 || (d->d_inode && !(d->d_flags & DENTRY_DEAD))) {
			/* Still used, or a live positive dentry that stays cached. */
			spin_unlock(&dcache_lock);
			return;
		}
		parent = d->d_parent;
		list_del(&d->d_child);
		spin_unlock(&dcache_lock);

		iput(d->d_inode);
		d_free_name(d->d_name, d);
		kfree(d);
		d = parent == d ? NULL : parent;
	}
}

struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d, *found = NULL;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, &parent->d_children, d_child) {
		if (d->d_len == len && !memcmp(d->d_name, name, len) &&
		    !(d->d_flags & DENTRY_DEAD)) {
			d->d_count++;
			found = d;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	d->d_inode = inode;
}

void d_delete(struct dentry *d)
{
	spin_lock(&dcache_lock);
	d->d_flags |= DENTRY_DEAD;
	list_del(&d->d_child);
	spin_unlock(&dcache_lock);
}

int d_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len)
{
	struct dentry tmp = { 0 }, *old_parent;
	const char *old_name;

	if (d_set_name(&tmp, name, len))
		return -ENOMEM;
	spin_lock(&dcache_lock);
	old_name = d->d_name;
	old_parent = d->d_parent;
	list_del(&d->d_child);
	if (tmp.d_name == tmp.d_iname) {
		memcpy(d->d_iname, tmp.d_iname, len + 1);
		d->d_name = d->d_iname;
	} else {
		d->d_name = tmp.d_name;
	}
	d->d_len = len;
	new_parent->d_count++;
	d->d_parent = new_parent;
	list_add_tail(&d->d_child, &new_parent->d_children);
	spin_unlock(&dcache_lock);
	/* The inline buffer was reused in place; only a kmalloc'd old name
	 * needs freeing. */
	if (old_name != d->d_iname)
		kfree((void *)old_name);
	dput(old_parent);
	return 0;
}

/* Swaps two names, each of which may live inline or on the heap. */
static void d_swap_names(struct dentry *a, struct dentry *b)
{
	char tmp[DENTRY_INLINE_NAME];
	bool a_in = a->d_name == a->d_iname, b_in = b->d_name == b->d_iname;
	const char *an = a->d_name, *bn = b->d_name;
	size_t al = a->d_len;

	memcpy(tmp, a->d_iname, sizeof(tmp));
	memcpy(a->d_iname, b->d_iname, sizeof(tmp));
	memcpy(b->d_iname, tmp, sizeof(tmp));
	a->d_name = b_in ? a->d_iname : bn;
	b->d_name = a_in ? b->d_iname : an;
	a->d_len = b->d_len;
	b->d_len = al;
}

/* x takes y's place in its list and y takes x's (list_swap). */
static void list_swap_entries(struct list_head *x, struct list_head *y)
{
	struct list_head *pos = y->prev;

	list_del(y);
	/* y replaces x */
	y->next = x->next;
	y->next->prev = y;
	y->prev = x->prev;
	y->prev->next = y;
	if (pos == x)
		pos = y;
	__list_add(x, pos, pos->next);
}

void d_exchange(struct dentry *a, struct dentry *b)
{
	struct dentry *pa;
	u64 off;

	spin_lock(&dcache_lock);
	pa = a->d_parent;
	d_swap_names(a, b);
	/* Each takes the other's place in its directory, position included,
	 * so directory iteration still sees increasing offsets. */
	list_swap_entries(&a->d_child, &b->d_child);
	a->d_parent = b->d_parent;
	b->d_parent = pa;
	off = a->d_offset;
	a->d_offset = b->d_offset;
	b->d_offset = off;
	spin_unlock(&dcache_lock);
}

/* ---- mounts and paths ---- */

struct mount *mnt_get(struct mount *m)
{
	__atomic_add_fetch(&m->m_count, 1, __ATOMIC_RELAXED);
	return m;
}

void mnt_put(struct mount *m)
{
	if (m && __atomic_sub_fetch(&m->m_count, 1, __ATOMIC_ACQ_REL) < 0)
		panic("mnt_put: mount count below zero");
}

void path_get(const struct path *p)
{
	mnt_get(p->mnt);
	dget(p->dentry);
}

void path_put(struct path *p)
{
	dput(p->dentry);
	mnt_put(p->mnt);
	p->dentry = NULL;
	p->mnt = NULL;
}

/* ---- permissions ---- */

/*
 * path_resolution(7) and the DAC rules: the owner class applies to the
 * owner even when the group or others have more; root (CAP_DAC_OVERRIDE)
 * may read and write anything and execute anything that has an x bit or
 * is a directory.
 */
int inode_permission(const struct cred *c, const struct inode *inode, int mask)
{
	u32 mode = inode->i_mode, perm;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (c->fsuid == inode->i_uid)
		perm = mode >> 6;
	else if (cred_in_group(c, inode->i_gid))
		perm = mode >> 3;
	else
		perm = mode;
	if ((mask & ~perm & 7) == 0)
		return 0;
	if (cred_is_root(c) && (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111)))
		return 0;
	return -EACCES;
}
