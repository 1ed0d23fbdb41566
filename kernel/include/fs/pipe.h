/*
 * Pipes and FIFOs: a ring buffer with blocking reads and writes. Writes of
 * at most PIPE_BUF bytes are atomic; readers see end of file once every
 * writer is gone; writers get -EPIPE once every reader is gone (the caller
 * raises SIGPIPE).
 */
#ifndef SABLE_FS_PIPE_H
#define SABLE_FS_PIPE_H

#include "fs/fs.h"

#define PIPE_DEFAULT_SIZE (64 * 1024)
/* fcntl(F_SETPIPE_SZ) bounds (Linux: one page to /proc/sys/fs/pipe-max-size). */
#define PIPE_MIN_SIZE PAGE_SIZE
#define PIPE_MAX_SIZE (1024 * 1024)

/* Linux's FIONREAD ioctl number (the compat layer may pass it through). */
#define FIONREAD 0x541b

/* pipe2(2): files[0] reads, files[1] writes. flags: O_NONBLOCK (O_CLOEXEC
 * is the caller's; others -EINVAL). */
int vfs_pipe(struct file *files[2], unsigned int flags);
/* Bytes waiting in the pipe behind f (FIONREAD), or -EINVAL if f is no pipe. */
long pipe_nread(struct file *f);
/* F_GETPIPE_SZ / F_SETPIPE_SZ: returns the capacity, -EBUSY when the data
 * does not fit, -EINVAL if f is no pipe. */
long pipe_get_size(struct file *f);
long pipe_set_size(struct file *f, unsigned long size);

/* For tmpfs: the file operations of FIFO inodes. */
extern const struct file_operations fifo_fops;
/* Frees a FIFO inode's pipe state when the inode goes. */
void pipe_inode_evict(struct inode *inode);

#endif
