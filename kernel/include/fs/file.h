/*
 * Open file descriptions. A struct file is what open() returns and what fork
 * and dup share: one position, one set of status flags, one reference count.
 * The full definition is filled in by the VFS; other subsystems (exec, mmap)
 * need only the calls below.
 */
#ifndef SABLE_FS_FILE_H
#define SABLE_FS_FILE_H

#include "lib/types.h"

struct file;
struct page;

/* Takes a reference; returns f. */
struct file *file_get(struct file *f);
/* Drops a reference; the last one calls the file's release. */
void file_put(struct file *f);
/*
 * Reads up to len bytes at off into the kernel buffer buf without moving the
 * file position (mmap faults, exec). Returns bytes read (0 at end of file) or
 * a negative errno.
 */
long kernel_read(struct file *f, void *buf, size_t len, u64 off);
/*
 * Whether f has page frames of its own that mmap can map (tmpfs files), and
 * the frame at page index with a reference (file_operations.get_page has
 * the rules); kernel_get_page is -EOPNOTSUPP for a file without them.
 */
bool file_has_pages(struct file *f);
long kernel_get_page(struct file *f, u64 index, bool create, struct page **out);

#endif
