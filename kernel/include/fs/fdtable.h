/*
 * Per-process file descriptor tables. A table is shared by threads created
 * with CLONE_FILES (reference counted) and copied by fork. Descriptors are
 * allocated lowest-free and bounded by the caller's RLIMIT_NOFILE.
 */
#ifndef SABLE_FS_FDTABLE_H
#define SABLE_FS_FDTABLE_H

#include "core/spinlock.h"
#include "fs/file.h"
#include "lib/types.h"

/* The most descriptors any process may have (Linux's fs.nr_open default). */
#define FD_NR_OPEN 1048576

struct fd_table {
	long count;               /* atomic: processes sharing it */
	struct spinlock lock;
	unsigned int capacity;    /* [lock] slots allocated */
	struct file **files;      /* [lock] NULL: free */
	unsigned long *cloexec;   /* [lock] bitmap over capacity */
	unsigned int next_hint;   /* [lock] no free fd below it */
};

struct fd_table *fd_table_create(void);
/* fork(2): a new table with the same files (references taken) and
 * close-on-exec bits. */
struct fd_table *fd_table_clone(struct fd_table *t);
struct fd_table *fd_table_get(struct fd_table *t);
/* Dropping the last reference closes every descriptor (exit). */
void fd_table_put(struct fd_table *t);
/* execve(2): closes the descriptors marked close-on-exec. */
void fd_table_close_on_exec(struct fd_table *t);
void fd_table_close_all(struct fd_table *t);

/*
 * Installs f at the lowest free descriptor >= min_fd and below nofile
 * (RLIMIT_NOFILE). Takes its own reference to f. Returns the fd, or -EMFILE
 * (-EINVAL when min_fd >= nofile, as F_DUPFD says).
 */
int fd_alloc(struct fd_table *t, struct file *f, unsigned int min_fd, bool cloexec,
	     unsigned long nofile);
/* The file at fd with a reference (file_put it), or ERR_PTR(-EBADF). */
struct file *fd_get_file(struct fd_table *t, int fd);
/* close(2): 0 or -EBADF. The file is released outside the table lock. */
int fd_close(struct fd_table *t, int fd);
/* dup(2), fcntl(F_DUPFD[_CLOEXEC]) */
int fd_dup(struct fd_table *t, int oldfd, unsigned int min_fd, bool cloexec,
	   unsigned long nofile);
/* dup2(2): same fd returns it if valid; newfd >= nofile is -EBADF. */
int fd_dup2(struct fd_table *t, int oldfd, int newfd, unsigned long nofile);
/* dup3(2): flags only O_CLOEXEC (else -EINVAL); oldfd == newfd is -EINVAL. */
int fd_dup3(struct fd_table *t, int oldfd, int newfd, unsigned int flags,
	    unsigned long nofile);
/* F_GETFD/F_SETFD: the close-on-exec bit; -EBADF for a free fd. */
int fd_get_cloexec(struct fd_table *t, int fd);
int fd_set_cloexec(struct fd_table *t, int fd, bool on);
/* Calls fn for every open fd in order until it returns non-zero (/proc). */
int fd_table_for_each(struct fd_table *t, int (*fn)(int fd, struct file *f, void *arg),
		      void *arg);

#endif
