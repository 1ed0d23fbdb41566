/* cpio "newc" archives (the initramfs format): pure parsing, no allocation. */
#ifndef SABLE_LIB_CPIO_H
#define SABLE_LIB_CPIO_H

#include "lib/types.h"

struct cpio_entry {
	const char *name;  /* not NUL-terminated in the archive: use name_len */
	size_t name_len;   /* without the terminating NUL */
	const void *data;
	size_t size;
	u32 mode, uid, gid, nlink, mtime, ino, devmajor, devminor, rdevmajor, rdevminor;
};

/*
 * Reads the entry at *offset and advances *offset past it.
 * Returns 1 for an entry, 0 at the TRAILER!!! record or the end of the
 * archive, -EINVAL for a malformed header or an entry running past len.
 */
int cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_entry *e);
/* Finds path (without a leading "/"); 1 found, 0 absent, -EINVAL malformed. */
int cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *e);

#endif
