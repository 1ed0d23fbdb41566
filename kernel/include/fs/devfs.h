/*
 * Character devices and /dev. A driver registers its file operations under
 * a device number; opening any inode with that number (mknod'ed anywhere,
 * or the node devfs makes under /dev) gets those operations. Registration
 * works before and after devfs is mounted.
 */
#ifndef SABLE_FS_DEVFS_H
#define SABLE_FS_DEVFS_H

#include "fs/fs.h"

/*
 * Registers major:minor. name is the node under /dev ("null", "ttyS0",
 * "pts/0"; directories are made as needed); NULL for no node. mode is the
 * node's permission bits. 0, -EEXIST when the number is taken, -ENOMEM.
 */
int chrdev_register(u32 major, u32 minor, const char *name, u32 mode,
		    const struct file_operations *fops);
void chrdev_unregister(u32 major, u32 minor);
/* The operations registered for dev, or NULL. */
const struct file_operations *chrdev_lookup(dev_t dev);

/* Opens device nodes: looks the number up, -ENXIO when nothing is there. */
extern const struct file_operations chrdev_fops;

/* Mounts devfs at /dev (called by the VFS at boot). */
int devfs_mount_at_dev(void);

#endif
