/* The initramfs: a cpio newc archive (optionally gzip-compressed) unpacked
 * into the root file system at boot. */
#ifndef SABLE_FS_INITRAMFS_H
#define SABLE_FS_INITRAMFS_H

#include "lib/types.h"

/*
 * Unpacks the archive into the namespace seen from root, keeping modes,
 * owners, mtimes, symlinks, hard links and device nodes; missing parent
 * directories are made. Returns the number of entries created, or a
 * negative errno for a malformed archive (entries before the bad one stay).
 */
long initramfs_unpack(const void *archive, size_t len);
/* Unpacks boot_info's initrd, if any (called from kmain). 0 or -errno. */
int initramfs_unpack_boot(void);

#endif
