/*
 * tmpfs: files in memory. The dentry tree is the directory structure (each
 * linked dentry is pinned); file data sits in page frames indexed by a
 * radix tree of 512-way nodes, so sparse files cost only what is written
 * and holes read as zeros.
 *
 * The data frames are the file's page cache: MAP_SHARED mappings map them
 * (get_page), so stores through a mapping are the file's contents and
 * write(2) shows through every mapping. Each frame is reference counted:
 * the file holds one, every page-table entry mapping it another, so a
 * truncate that drops a frame from the file leaves it to the mappings,
 * which free it when they unmap. (They keep seeing the old bytes rather
 * than SIGBUS: nothing finds the mappings of a file to zap them.)
 *
 * Locking: i_mutex serialises reads, writes and size changes; pages_lock
 * guards only the tree, so that a page fault (under its mm's lock) can
 * look pages up while a read or write holding i_mutex copies to or from
 * user memory and faults. Order: i_mutex, mm->lock, pages_lock. Pages
 * leave the tree only with both held (truncate), so a page found under
 * i_mutex stays put while it is copied without pages_lock.
 */
#include "core/panic.h"
#include "fs/devfs.h"
#include "internal.h"
#include "fs/pipe.h"
#include "fs/tmpfs.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/slab.h"

#define RADIX_SHIFT 9
#define RADIX_SLOTS (1u << RADIX_SHIFT)
#define RADIX_MAX_HEIGHT 6   /* 2^54 pages: past the largest file offset */
/* Linux's tmpfs counts each directory entry as this many bytes of i_size. */
#define BOGO_DIRENT_SIZE 20

struct tmpfs_inode {
	struct mutex pages_lock;
	void **root;        /* [pages_lock] radix tree of data pages */
	unsigned int height; /* [pages_lock] */
	u64 nr_pages;       /* [pages_lock] */
	char *link;         /* symlink body (immutable) */
	u64 next_offset;    /* directories: [vfs_ns_lock] next d_offset */
};

static u64 pages_used; /* atomic: data and radix pages of every tmpfs */

u64 tmpfs_pages_used(void)
{
	return __atomic_load_n(&pages_used, __ATOMIC_RELAXED);
}

static struct tmpfs_inode *TI(const struct inode *inode)
{
	return inode->i_private;
}

/* ---- the page radix tree ---- */

/* A tree node: only the tree points at it. */
static void *node_new(void)
{
	phys_addr_t pa = pmm_alloc_zeroed_page();

	if (!pa)
		return NULL;
	__atomic_add_fetch(&pages_used, 1, __ATOMIC_RELAXED);
	return phys_to_virt(pa);
}

static void node_free(void *p)
{
	__atomic_sub_fetch(&pages_used, 1, __ATOMIC_RELAXED);
	pmm_free_page(virt_to_phys(p));
}

/* A data page, with the file's reference. */
static void *data_new(void)
{
	struct page *p = page_alloc_ref(GFP_ZERO);

	if (!p)
		return NULL;
	__atomic_add_fetch(&pages_used, 1, __ATOMIC_RELAXED);
	return page_address(p);
}

/* Drops the file's reference: a mapping may hold the frame a while yet. */
static void data_drop(void *p)
{
	__atomic_sub_fetch(&pages_used, 1, __ATOMIC_RELAXED);
	page_put(virt_to_page(p));
}

static u64 radix_capacity(unsigned int height)
{
	return height ? 1ULL << (RADIX_SHIFT * height) : 0;
}

/* The data page at index: NULL for a hole (create false) or when memory
 * ran out (create true). pages_lock held. */
static void *radix_lookup(struct tmpfs_inode *ti, u64 index, bool create)
{
	void **node;

	while (index >= radix_capacity(ti->height)) {
		void **top;

		if (!create || ti->height == RADIX_MAX_HEIGHT)
			return NULL;
		top = node_new();
		if (!top)
			return NULL;
		top[0] = ti->root;
		ti->root = top;
		ti->height++;
	}
	node = ti->root;
	for (unsigned int level = ti->height; level > 0; level--) {
		unsigned int slot = (index >> (RADIX_SHIFT * (level - 1))) & (RADIX_SLOTS - 1);

		if (!node[slot]) {
			if (!create)
				return NULL;
			node[slot] = level == 1 ? data_new() : node_new();
			if (!node[slot])
				return NULL;
			if (level == 1)
				ti->nr_pages++;
		}
		node = node[slot];
	}
	return node;
}

/* Frees the pages at and past index first below node; true if node is
 * left empty. */
static bool radix_free_from(struct tmpfs_inode *ti, void **node, unsigned int level,
			    u64 base, u64 first)
{
	u64 span = 1ULL << (RADIX_SHIFT * (level - 1));
	bool empty = true;

	for (unsigned int i = 0; i < RADIX_SLOTS; i++) {
		u64 slot_base = base + i * span;

		if (!node[i])
			continue;
		if (slot_base + span <= first) {
			empty = false;
			continue;
		}
		if (level == 1) {
			data_drop(node[i]);
			ti->nr_pages--;
			node[i] = NULL;
		} else if (radix_free_from(ti, node[i], level - 1, slot_base, first)) {
			node_free(node[i]);
			node[i] = NULL;
		} else {
			empty = false;
		}
	}
	return empty;
}

/* pages_lock held (or the inode unreachable). */
static void radix_truncate(struct tmpfs_inode *ti, u64 first)
{
	if (!ti->root)
		return;
	if (radix_free_from(ti, ti->root, ti->height, 0, first)) {
		node_free(ti->root);
		ti->root = NULL;
		ti->height = 0;
	}
}

/* radix_lookup under pages_lock, for a read or write under i_mutex. */
static char *data_page(struct inode *inode, u64 index, bool create)
{
	struct tmpfs_inode *ti = TI(inode);
	char *page;

	mutex_lock(&ti->pages_lock);
	page = radix_lookup(ti, index, create);
	mutex_unlock(&ti->pages_lock);
	return page;
}

/* i_blocks from the pages held; pages_lock held. get_page sets it without
 * i_mutex, a word store that stat may see either side of. */
static void update_blocks(struct inode *inode)
{
	inode->i_blocks = TI(inode)->nr_pages * (PAGE_SIZE / 512);
}

/*
 * Sets the size of a regular file; i_mutex held. The size and the pages
 * change together under pages_lock, so get_page never hands out (or
 * makes) a page past the end.
 */
static int tmpfs_resize(struct inode *inode, s64 size)
{
	struct tmpfs_inode *ti = TI(inode);

	mutex_lock(&ti->pages_lock);
	if (size < inode->i_size) {
		u64 keep = ((u64)size + PAGE_SIZE - 1) >> PAGE_SHIFT;
		size_t tail = (size_t)size & (PAGE_SIZE - 1);

		radix_truncate(ti, keep);
		/* Bytes past the new end in the last page must read as zeros
		 * if the file grows again. */
		if (tail) {
			char *page = radix_lookup(ti, (u64)size >> PAGE_SHIFT, false);

			if (page)
				memset(page + tail, 0, PAGE_SIZE - tail);
		}
	}
	inode->i_size = size;
	update_blocks(inode);
	mutex_unlock(&ti->pages_lock);
	return 0;
}

/* ---- regular files ---- */

static long tmpfs_read(struct file *f, struct uio *u, s64 *pos)
{
	struct inode *inode = f->f_inode;
	long done = 0, err = 0;
	s64 p = *pos;
	u64 n;

	mutex_lock(&inode->i_mutex);
	if (p >= inode->i_size || !u->resid)
		goto out_unlock;
	n = MIN((u64)u->resid, (u64)(inode->i_size - p));
	while ((u64)done < n) {
		size_t off = (size_t)p & (PAGE_SIZE - 1);
		size_t chunk = MIN(PAGE_SIZE - off, (size_t)(n - (u64)done));
		char *page = data_page(inode, (u64)p >> PAGE_SHIFT, false);
		long r = page ? uio_copy_out(u, page + off, chunk) : uio_zero(u, chunk);

		if (r < 0) {
			err = r;
			break;
		}
		done += r;
		p += r;
		if ((size_t)r < chunk)
			break;
	}
	if (!(f->f_flags & O_NOATIME))
		inode_touch(inode, true, false, false);
out_unlock:
	mutex_unlock(&inode->i_mutex);
	*pos = p;
	return done ? done : err;
}

static long tmpfs_write(struct file *f, struct uio *u, s64 *pos)
{
	struct inode *inode = f->f_inode;
	long done = 0, err = 0;
	s64 p;
	u64 n;

	mutex_lock(&inode->i_mutex);
	p = (f->f_flags & O_APPEND) ? inode->i_size : *pos;
	n = u->resid;
	/* write(2): EFBIG at RLIMIT_FSIZE or the largest offset; a write
	 * that crosses one is cut short. */
	err = generic_write_checks(p, &n);
	if (err || !n)
		goto out_unlock;
	while ((u64)done < n) {
		size_t off = (size_t)p & (PAGE_SIZE - 1);
		size_t chunk = MIN(PAGE_SIZE - off, (size_t)(n - (u64)done));
		char *page = data_page(inode, (u64)p >> PAGE_SHIFT, true);
		long r;

		if (!page) {
			err = -ENOSPC;
			break;
		}
		r = uio_copy_in(u, page + off, chunk);
		if (r < 0) {
			err = r;
			break;
		}
		done += r;
		p += r;
		if ((size_t)r < chunk)
			break;
	}
	mutex_lock(&TI(inode)->pages_lock);
	if (p > inode->i_size)
		inode->i_size = p;
	update_blocks(inode);
	mutex_unlock(&TI(inode)->pages_lock);
	if (done)
		inode_touch(inode, false, true, true);
out_unlock:
	mutex_unlock(&inode->i_mutex);
	*pos = p;
	return done ? done : err;
}

static long tmpfs_get_page(struct file *f, u64 index, bool create, struct page **out)
{
	struct inode *inode = f->f_inode;
	struct tmpfs_inode *ti = TI(inode);
	u64 size, start = index << PAGE_SHIFT;
	long ret;
	void *page;

	mutex_lock(&ti->pages_lock);
	size = (u64)inode->i_size;
	/* mmap(2): a page wholly past the end of the file is SIGBUS. */
	if (index > (u64)FS_MAX_FILE_SIZE >> PAGE_SHIFT || start >= size) {
		ret = -EIO;
		goto out_unlock;
	}
	page = radix_lookup(ti, index, create);
	if (!page && create) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	*out = page ? virt_to_page(page) : NULL;
	if (page)
		page_get(*out); /* the caller's */
	update_blocks(inode);
	ret = (long)MIN((u64)PAGE_SIZE, size - start);
out_unlock:
	mutex_unlock(&ti->pages_lock);
	return ret;
}

static const struct file_operations tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.get_page = tmpfs_get_page,
};

/* ---- directories ---- */

static int tmpfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->f_path.dentry, *d;

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, dir->d_parent->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	/* Children are in increasing d_offset order; vfs_ns_lock keeps the
	 * list still, and the actor must not sleep on the dcache lock. */
	list_for_each_entry(d, &dir->d_children, d_child) {
		struct inode *inode = d->d_inode;

		if (!inode || (d->d_flags & DENTRY_DEAD) || (s64)d->d_offset < ctx->pos)
			continue;
		if (!ctx->actor(ctx, d->d_name, d->d_len, inode->i_ino, inode_dtype(inode->i_mode)))
			return 0;
		ctx->pos = (s64)d->d_offset + 1;
	}
	return 0;
}

static s64 tmpfs_dir_llseek(struct file *f, s64 off, int whence)
{
	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	return generic_llseek(f, off, whence, 0);
}

static const struct file_operations tmpfs_dir_fops = {
	.iterate = tmpfs_iterate,
	.llseek = tmpfs_dir_llseek,
};

static int blkdev_open(struct inode *inode, struct file *f)
{
	return -ENXIO; /* open(2): no block device drivers */
}

static const struct file_operations tmpfs_blkdev_fops = {
	.open = blkdev_open,
};

static const struct inode_operations tmpfs_dir_iops;
static const struct inode_operations tmpfs_file_iops;
static const struct inode_operations tmpfs_symlink_iops;

static struct inode *tmpfs_new_inode(struct super_block *sb, const struct inode_attr *a)
{
	struct inode *inode = inode_alloc(sb, a->mode);
	struct tmpfs_inode *ti = kzalloc(sizeof(*ti));

	if (!inode || !ti) {
		kfree(ti);
		kfree(inode);
		return NULL;
	}
	inode->i_private = ti;
	mutex_init(&ti->pages_lock, "tmpfs pages");
	inode->i_uid = a->uid;
	inode->i_gid = a->gid;
	ti->next_offset = 2;
	switch (a->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &tmpfs_dir_iops;
		inode->i_fop = &tmpfs_dir_fops;
		inode->i_nlink = 2;
		inode->i_size = 2 * BOGO_DIRENT_SIZE;
		break;
	case S_IFREG:
		inode->i_op = &tmpfs_file_iops;
		inode->i_fop = &tmpfs_file_fops;
		break;
	case S_IFLNK:
		inode->i_op = &tmpfs_symlink_iops;
		break;
	case S_IFCHR:
		inode->i_op = &tmpfs_file_iops;
		inode->i_fop = &chrdev_fops;
		inode->i_rdev = a->rdev;
		break;
	case S_IFBLK:
		inode->i_op = &tmpfs_file_iops;
		inode->i_fop = &tmpfs_blkdev_fops;
		inode->i_rdev = a->rdev;
		break;
	case S_IFIFO:
		inode->i_op = &tmpfs_file_iops;
		inode->i_fop = &fifo_fops;
		break;
	default: /* sockets: nothing to open */
		inode->i_op = &tmpfs_file_iops;
		break;
	}
	return inode;
}

/* Links the new inode at d and pins d: the dentry is the directory entry. */
static void tmpfs_link_dentry(struct inode *dir, struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	dget(d);
	d->d_flags |= DENTRY_PINNED;
	d->d_offset = TI(dir)->next_offset++;
	dir->i_size += BOGO_DIRENT_SIZE;
	inode_touch(dir, false, true, true);
}

static int tmpfs_mknod(struct inode *dir, struct dentry *d, const struct inode_attr *a)
{
	struct inode *inode = tmpfs_new_inode(dir->i_sb, a);

	if (!inode)
		return -ENOSPC;
	if (S_ISDIR(a->mode))
		dir->i_nlink++;
	tmpfs_link_dentry(dir, d, inode);
	return 0;
}

static int tmpfs_symlink(struct inode *dir, struct dentry *d, const char *target,
			 const struct inode_attr *a)
{
	size_t len = strlen(target);
	struct inode *inode;
	char *body = kmalloc(len + 1);

	if (!body)
		return -ENOSPC;
	memcpy(body, target, len + 1);
	inode = tmpfs_new_inode(dir->i_sb, a);
	if (!inode) {
		kfree(body);
		return -ENOSPC;
	}
	TI(inode)->link = body;
	inode->i_size = (s64)len;
	tmpfs_link_dentry(dir, d, inode);
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->d_inode;

	inode->i_nlink++;
	inode_touch(inode, false, false, true);
	tmpfs_link_dentry(dir, d, iget(inode));
	return 0;
}

/* Drops d's directory entry: the pin goes, the VFS marks d dead. */
static void tmpfs_unpin(struct inode *dir, struct dentry *d)
{
	d->d_flags &= ~DENTRY_PINNED;
	dir->i_size -= BOGO_DIRENT_SIZE;
	inode_touch(dir, false, true, true);
	dput(d);
}

static int tmpfs_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->d_inode;

	inode->i_nlink--;
	inode_touch(inode, false, false, true);
	tmpfs_unpin(dir, d);
	return 0;
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *d)
{
	d->d_inode->i_nlink = 0;
	dir->i_nlink--;
	tmpfs_unpin(dir, d);
	return 0;
}

static int tmpfs_rename(struct inode *odir, struct dentry *od, struct inode *ndir,
			struct dentry *nd, unsigned int flags)
{
	bool odir_is_dir = S_ISDIR(od->d_inode->i_mode);
	int err;

	if (flags & RENAME_EXCHANGE) {
		bool nd_is_dir = S_ISDIR(nd->d_inode->i_mode);

		if (odir != ndir && odir_is_dir != nd_is_dir) {
			/* The directory's ".." moves to the other parent. */
			if (odir_is_dir) {
				odir->i_nlink--;
				ndir->i_nlink++;
			} else {
				ndir->i_nlink--;
				odir->i_nlink++;
			}
		}
		d_exchange(od, nd);
		inode_touch(od->d_inode, false, false, true);
		inode_touch(nd->d_inode, false, false, true);
		inode_touch(odir, false, true, true);
		inode_touch(ndir, false, true, true);
		return 0;
	}
	err = d_move(od, nd->d_parent, nd->d_name, nd->d_len);
	if (err)
		return err;
	od->d_offset = TI(ndir)->next_offset++;
	odir->i_size -= BOGO_DIRENT_SIZE;
	ndir->i_size += BOGO_DIRENT_SIZE;
	if (nd->d_inode) {
		if (S_ISDIR(nd->d_inode->i_mode))
			tmpfs_rmdir(ndir, nd);
		else
			tmpfs_unlink(ndir, nd);
		d_delete(nd);
	}
	if (odir_is_dir && odir != ndir) {
		odir->i_nlink--;
		ndir->i_nlink++;
	}
	inode_touch(od->d_inode, false, false, true);
	inode_touch(odir, false, true, true);
	inode_touch(ndir, false, true, true);
	return 0;
}

static long tmpfs_readlink(struct dentry *d, char *buf, size_t size)
{
	struct inode *inode = d->d_inode;
	size_t len = (size_t)inode->i_size;

	memcpy(buf, TI(inode)->link, MIN(len, size));
	return (long)len;
}

static int tmpfs_setattr(struct dentry *d, const struct iattr *ia)
{
	struct inode *inode = d->d_inode;

	if (ia->valid & ATTR_SIZE) {
		int err = tmpfs_resize(inode, ia->size);

		if (err)
			return err;
	}
	if (ia->valid & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (ia->mode & S_IALLUGO);
	if (ia->valid & ATTR_UID)
		inode->i_uid = ia->uid;
	if (ia->valid & ATTR_GID)
		inode->i_gid = ia->gid;
	if (ia->valid & ATTR_ATIME)
		inode->i_atime = ia->atime;
	if (ia->valid & ATTR_MTIME)
		inode->i_mtime = ia->mtime;
	if (ia->valid & ATTR_CTIME)
		inode->i_ctime = ia->ctime;
	return 0;
}

static const struct inode_operations tmpfs_dir_iops = {
	.create = tmpfs_mknod,
	.mkdir = tmpfs_mknod,
	.mknod = tmpfs_mknod,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
};

static const struct inode_operations tmpfs_file_iops = {
	.setattr = tmpfs_setattr,
};

static const struct inode_operations tmpfs_symlink_iops = {
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
};

/* ---- super blocks ---- */

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_inode *ti = TI(inode);

	if (S_ISFIFO(inode->i_mode))
		pipe_inode_evict(inode);
	if (ti) {
		radix_truncate(ti, 0);
		kfree(ti->link);
		kfree(ti);
	}
}

/* statfs(2) of a tmpfs: no size limit of its own, so free memory is its
 * free space. */
static void tmpfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	u64 used = tmpfs_pages_used(), avail = pmm_free_pages();

	st->blocks = used + avail;
	st->bfree = st->bavail = avail;
	st->files = st->blocks;
	st->ffree = avail;
}

static const struct super_operations tmpfs_sops = {
	.evict = tmpfs_evict,
	.statfs = tmpfs_statfs,
};

static struct super_block *tmpfs_mount(const struct fs_type *t, const char *source,
				       unsigned long flags, const void *data)
{
	/* tmpfs(5): the root of a new tmpfs is 1777; rootfs and devtmpfs
	 * are 0755. */
	bool is_root = t == &devtmpfs_type || (source && !strcmp(source, "rootfs"));
	struct inode_attr a = { .mode = S_IFDIR | (is_root ? 0755 : 01777) };
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_dev = fs_anon_dev();
	sb->s_magic = TMPFS_MAGIC;
	sb->s_type = t;
	sb->s_op = &tmpfs_sops;
	sb->s_blocksize = PAGE_SIZE;
	root = tmpfs_new_inode(sb, &a);
	if (!root)
		goto out_free_sb;
	sb->s_root = d_alloc_root(sb, root);
	if (!sb->s_root)
		goto out_put_root;
	return sb;
out_put_root:
	iput(root);
out_free_sb:
	kfree(sb);
	return ERR_PTR(-ENOMEM);
}

/* Unpins every dentry below d so the tree frees itself. */
static void tmpfs_drop_tree(struct dentry *d)
{
	while (!list_empty(&d->d_children)) {
		struct dentry *c = list_first_entry(&d->d_children, struct dentry, d_child);

		dget(c);
		tmpfs_drop_tree(c);
		d_delete(c);
		if (c->d_flags & DENTRY_PINNED) {
			c->d_flags &= ~DENTRY_PINNED;
			dput(c);
		}
		dput(c);
	}
}

static void tmpfs_kill_sb(struct super_block *sb)
{
	tmpfs_drop_tree(sb->s_root);
	sb->s_root->d_flags |= DENTRY_DEAD;
	dput(sb->s_root);
	kfree(sb);
}

struct fs_type tmpfs_type = {
	.name = "tmpfs",
	.mount = tmpfs_mount,
	.kill_sb = tmpfs_kill_sb,
};

struct fs_type devtmpfs_type = {
	.name = "devtmpfs",
	.mount = tmpfs_mount,
	.kill_sb = tmpfs_kill_sb,
};
