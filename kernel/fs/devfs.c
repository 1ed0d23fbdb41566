/*
 * The character device registry and devfs (a devtmpfs at /dev). Device
 * nodes are plain tmpfs inodes carrying a number; opening one looks the
 * number up here and switches the file to the driver's operations.
 */
#include "core/printk.h"
#include "fs/devfs.h"
#include "internal.h"
#include "fs/tmpfs.h"
#include "lib/string.h"
#include "mm/slab.h"

struct chrdev {
	dev_t dev;
	const struct file_operations *fops;
	char name[32];
	u32 mode;
	struct list_head link;     /* [chrdev_lock] */
};

static struct mutex chrdev_lock = MUTEX_INIT(chrdev_lock, "chrdev");
static LIST_HEAD(chrdevs);         /* [chrdev_lock] */
static struct mount *devfs_mnt;   /* [chrdev_lock] NULL until mounted */

static struct chrdev *find_locked(dev_t dev)
{
	struct chrdev *c;

	list_for_each_entry(c, &chrdevs, link) {
		if (c->dev == dev)
			return c;
	}
	return NULL;
}

const struct file_operations *chrdev_lookup(dev_t dev)
{
	const struct file_operations *fops = NULL;
	struct chrdev *c;

	mutex_lock(&chrdev_lock);
	c = find_locked(dev);
	if (c)
		fops = c->fops;
	mutex_unlock(&chrdev_lock);
	return fops;
}

/* A kernel context whose root and cwd are the devfs root. */
static struct fs_state *devfs_state(void)
{
	struct fs_state *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->count = 1;
	fs->lock = (struct spinlock)SPINLOCK_INIT("fs_state");
	fs->root.mnt = mnt_get(devfs_mnt);
	fs->root.dentry = dget(devfs_mnt->m_root);
	fs->cwd = fs->root;
	path_get(&fs->cwd);
	return fs;
}

/* Creates the node for c in devfs, with parent directories. chrdev_lock held. */
static void devfs_make_node(const struct chrdev *c)
{
	struct fs_state *fs;
	struct fs_context ctx;
	char path[sizeof(c->name)];
	int err;

	if (!devfs_mnt || !c->name[0])
		return;
	fs = devfs_state();
	if (!fs)
		return;
	fs->umask = 0;
	ctx.fs = fs;
	ctx.cred = &root_cred;
	strlcpy(path, c->name, sizeof(path));
	for (char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		vfs_mkdir(&ctx, NULL, path, 0755);
		*s = '/';
	}
	err = vfs_mknod(&ctx, NULL, path, S_IFCHR | (c->mode & 07777), c->dev);
	if (err && err != -EEXIST)
		pr_warn("devfs: cannot create /dev/%s: %d\n", c->name, err);
	fs_state_put(fs);
}

int chrdev_register(u32 major, u32 minor, const char *name, u32 mode,
		    const struct file_operations *fops)
{
	struct chrdev *c = kzalloc(sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->dev = MKDEV(major, minor);
	c->fops = fops;
	c->mode = mode;
	if (name)
		strlcpy(c->name, name, sizeof(c->name));
	mutex_lock(&chrdev_lock);
	if (find_locked(c->dev)) {
		mutex_unlock(&chrdev_lock);
		kfree(c);
		return -EEXIST;
	}
	list_add_tail(&c->link, &chrdevs);
	devfs_make_node(c);
	mutex_unlock(&chrdev_lock);
	return 0;
}

void chrdev_unregister(u32 major, u32 minor)
{
	struct chrdev *c;

	mutex_lock(&chrdev_lock);
	c = find_locked(MKDEV(major, minor));
	if (c)
		list_del(&c->link);
	mutex_unlock(&chrdev_lock);
	kfree(c);
}

/* open(2) of a character device node: ENXIO when no driver has the
 * number (Linux says ENXIO for an absent minor, ENODEV past that; both
 * mean "no such device" to programs). */
static int chrdev_open(struct inode *inode, struct file *f)
{
	const struct file_operations *fops = chrdev_lookup(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	f->f_op = fops;
	if (fops->open)
		return fops->open(inode, f);
	return 0;
}

const struct file_operations chrdev_fops = {
	.open = chrdev_open,
};

int devfs_mount_at_dev(void)
{
	struct chrdev *c;
	struct path p;
	struct fs_state *fs = fs_state_create();
	struct fs_context ctx = { fs, &root_cred };
	int err;

	if (!fs)
		return -ENOMEM;
	err = vfs_mkdir(&ctx, NULL, "/dev", 0755);
	if (err && err != -EEXIST)
		goto out_put;
	err = vfs_mount_at("/dev", devtmpfs_type.name, "devtmpfs");
	if (err)
		goto out_put;
	err = path_lookup(&ctx, NULL, "/dev", LOOKUP_FOLLOW, &p);
	if (err)
		goto out_put;
	mutex_lock(&chrdev_lock);
	devfs_mnt = mnt_get(p.mnt);
	list_for_each_entry(c, &chrdevs, link)
		devfs_make_node(c);
	mutex_unlock(&chrdev_lock);
	path_put(&p);
out_put:
	fs_state_put(fs);
	return err;
}
