/* Boot: the file system types, tmpfs at /, pipefs, devfs at /dev. */
#include "core/printk.h"
#include "core/subsystem.h"
#include "fs/devfs.h"
#include "internal.h"
#include "fs/tmpfs.h"

static int vfs_init(void)
{
	int err;

	err = fs_type_register(&tmpfs_type);
	if (!err)
		err = fs_type_register(&devtmpfs_type);
	if (!err)
		err = vfs_mount_root("tmpfs");
	if (!err)
		err = pipe_init();
	if (!err)
		err = devfs_mount_at_dev();
	if (err)
		pr_err("vfs: init failed: %d\n", err);
	else
		pr_info("vfs: tmpfs at /, devtmpfs at /dev\n");
	return err;
}
SUBSYSTEM(vfs, DEPS("slab", "sched"), vfs_init, true);
