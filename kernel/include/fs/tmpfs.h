/* tmpfs: the memory file system behind / and /dev. */
#ifndef SABLE_FS_TMPFS_H
#define SABLE_FS_TMPFS_H

#include "fs/fs.h"

#define TMPFS_MAGIC 0x01021994 /* statfs(2) f_type */

extern struct fs_type tmpfs_type;
extern struct fs_type devtmpfs_type;

/* Pages of file data held by every tmpfs, for statistics. */
u64 tmpfs_pages_used(void);

#endif
