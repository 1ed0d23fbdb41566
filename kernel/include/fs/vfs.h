/*
 * The native file operations the Linux compat layer calls. Paths are kernel
 * strings (the caller copied them in). Every call that takes a path takes a
 * base: the directory a relative path starts from, as an open file (openat's
 * dirfd), or NULL for the working directory. Each returns 0, a result, or a
 * negative errno with the value Linux returns in that case.
 */
#ifndef SABLE_FS_VFS_H
#define SABLE_FS_VFS_H

#include "fs/fs.h"

/*
 * Per-process file system state: root (chroot), working directory, umask.
 * Threads that share it (CLONE_FS) share one; fork copies it.
 */
struct fs_state {
	long count;          /* atomic */
	struct spinlock lock;
	struct path root;    /* [lock] */
	struct path cwd;     /* [lock] */
	u32 umask;           /* [lock] */
};

/* Who is asking, for one call: the process's fs state and the calling
 * thread's credentials (built on the stack by the caller). */
struct fs_context {
	struct fs_state *fs;
	const struct cred *cred;
};

/* A new fs state at the global root with umask 022. */
struct fs_state *fs_state_create(void);
/* A copy for fork (without CLONE_FS). */
struct fs_state *fs_state_clone(struct fs_state *src);
struct fs_state *fs_state_get(struct fs_state *fs);
void fs_state_put(struct fs_state *fs);
/* Sets the umask (& 0777) and returns the old one (umask(2)). */
u32 fs_umask(struct fs_state *fs, u32 mask);

/* The root credentials, for kernel callers. */
extern const struct cred root_cred;

/* Lookup flags for the calls below. */
#define LOOKUP_FOLLOW 0x1     /* follow a symlink in the last component */
#define LOOKUP_EMPTY 0x2      /* an empty path means the base itself (AT_EMPTY_PATH) */
#define LOOKUP_DIRECTORY 0x4  /* the result must be a directory */
#define LOOKUP_REAL_IDS 0x8   /* vfs_access: real ids, not effective (no AT_EACCESS) */

struct kstat {
	dev_t dev;
	u64 ino;
	u32 mode;
	u32 nlink;
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	s64 size;
	u32 blksize;
	u64 blocks;      /* 512-byte units */
	struct fs_time atime, mtime, ctime;
};

struct kstatfs {
	u64 type;        /* file system magic (TMPFS_MAGIC ...) */
	u64 bsize;
	u64 blocks, bfree, bavail;
	u64 files, ffree;
	u64 fsid;
	u64 namelen;
	u64 frsize;
	u64 flags;
};

/* utimensat(2) special nanosecond values. */
#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)

/* access(2) modes */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* open(2). flags are O_*; mode is used with O_CREAT (after the umask).
 * O_CLOEXEC is the caller's (fd table). Returns a file or an ERR_PTR. */
struct file *vfs_open(struct fs_context *ctx, struct file *base, const char *path,
		      unsigned int flags, u32 mode);
/* Resolves path to a place (with references), for callers that need one. */
int vfs_lookup(struct fs_context *ctx, struct file *base, const char *path,
	       unsigned int lookup_flags, struct path *out);

/* read(2)/write(2) at the file position; pread/pwrite at off. */
long vfs_read(struct file *f, struct uio *u);
long vfs_write(struct file *f, struct uio *u);
long vfs_pread(struct file *f, struct uio *u, s64 off);
long vfs_pwrite(struct file *f, struct uio *u, s64 off);
s64 vfs_lseek(struct file *f, s64 off, int whence);
long vfs_ioctl(struct file *f, unsigned int cmd, unsigned long arg);
int vfs_fsync(struct file *f);
/* fcntl(F_GETFL)/(F_SETFL): status flags and access mode. */
unsigned int vfs_get_flags(struct file *f);
int vfs_set_flags(struct file *f, unsigned int flags);

/* getdents: entries from the file position on (see struct dir_context). */
int vfs_iterate_dir(struct file *f, struct dir_context *ctx);

int vfs_stat(struct fs_context *ctx, struct file *base, const char *path,
	     unsigned int lookup_flags, struct kstat *st);
int vfs_fstat(struct file *f, struct kstat *st);
/* statfs(2)/fstatfs(2) */
int vfs_statfs(struct fs_context *ctx, struct file *base, const char *path,
	       unsigned int lookup_flags, struct kstatfs *st);
int vfs_fstatfs(struct file *f, struct kstatfs *st);

/*
 * execve(2)'s open: a regular file (else EACCES) that ctx may execute
 * (EACCES), opened for reading without needing read permission, as Linux
 * does. lookup_flags: LOOKUP_EMPTY for execveat(AT_EMPTY_PATH); the last
 * symlink is followed unless LOOKUP_NOFOLLOW_EXEC (AT_SYMLINK_NOFOLLOW,
 * which gives ELOOP).
 */
#define LOOKUP_NOFOLLOW_EXEC 0x10
struct file *vfs_open_exec(struct fs_context *ctx, struct file *base, const char *path,
			   unsigned int lookup_flags);

int vfs_mkdir(struct fs_context *ctx, struct file *base, const char *path, u32 mode);
/* mknod(2): S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK (0 means S_IFREG). */
int vfs_mknod(struct fs_context *ctx, struct file *base, const char *path, u32 mode,
	      dev_t dev);
int vfs_rmdir(struct fs_context *ctx, struct file *base, const char *path);
int vfs_unlink(struct fs_context *ctx, struct file *base, const char *path);
int vfs_rename(struct fs_context *ctx, struct file *obase, const char *opath,
	       struct file *nbase, const char *npath, unsigned int flags);
/* link(2)/linkat(2): lookup_flags LOOKUP_FOLLOW (AT_SYMLINK_FOLLOW) and
 * LOOKUP_EMPTY apply to the old path. */
int vfs_link(struct fs_context *ctx, struct file *obase, const char *opath,
	     struct file *nbase, const char *npath, unsigned int lookup_flags);
int vfs_symlink(struct fs_context *ctx, const char *target, struct file *base,
		const char *path);
/* readlink(2): copies at most size bytes (no NUL) into buf; returns the
 * count. An empty path reads the symlink base itself (an O_PATH fd). */
long vfs_readlink(struct fs_context *ctx, struct file *base, const char *path, char *buf,
		  size_t size);

int vfs_chmod(struct fs_context *ctx, struct file *base, const char *path, u32 mode,
	      unsigned int lookup_flags);
int vfs_fchmod(struct fs_context *ctx, struct file *f, u32 mode);
/* (uid_t)-1 / (gid_t)-1 leave that id alone. */
int vfs_chown(struct fs_context *ctx, struct file *base, const char *path, uid_t uid,
	      gid_t gid, unsigned int lookup_flags);
int vfs_fchown(struct fs_context *ctx, struct file *f, uid_t uid, gid_t gid);
int vfs_truncate(struct fs_context *ctx, struct file *base, const char *path, s64 len);
int vfs_ftruncate(struct fs_context *ctx, struct file *f, s64 len);
/* utimensat(2): times NULL means both now; nsec may be UTIME_NOW/UTIME_OMIT.
 * A NULL path with base set is futimens. */
int vfs_utimens(struct fs_context *ctx, struct file *base, const char *path,
		const struct fs_time *times, unsigned int lookup_flags);
/* access(2)/faccessat(2): mode of R_OK|W_OK|X_OK or F_OK; LOOKUP_REAL_IDS
 * checks with the real ids as access(2) does. */
int vfs_access(struct fs_context *ctx, struct file *base, const char *path, int mode,
	       unsigned int lookup_flags);

int vfs_chdir(struct fs_context *ctx, struct file *base, const char *path);
int vfs_fchdir(struct fs_context *ctx, struct file *f);
int vfs_chroot(struct fs_context *ctx, struct file *base, const char *path);
/* getcwd(2): writes the path with its NUL; returns the length with the NUL,
 * -ERANGE when size is too small, -ENOENT when the cwd was removed. */
long vfs_getcwd(struct fs_context *ctx, char *buf, size_t size);
/* The path of p seen from ctx's root ("/proc/self/fd" style), same rules. */
long vfs_path_name(struct fs_context *ctx, const struct path *p, char *buf, size_t size);

/* mount(2)/umount2(2) for file system types by name (root only). */
int vfs_mount(struct fs_context *ctx, const char *source, struct file *base,
	      const char *target, const char *fstype, unsigned long flags);
int vfs_umount(struct fs_context *ctx, struct file *base, const char *target);

/* Blocking FS calls (pipes, FIFOs) check this before and after each sleep
 * and return -ERESTARTSYS when it says true (a pipe read or write that
 * moved some bytes returns the count instead); poll_set_sleep() returns
 * -EINTR. A weak default says false; the signal code overrides it with
 * signal_pending(current). */
bool fs_wait_interrupted(void);

/*
 * What the file layer asks of the calling process; the process layer
 * defines these (kernel threads get no limit and every privilege).
 */
#define FS_NO_SIZE_LIMIT (~0ULL)
/* RLIMIT_FSIZE in bytes: writes stop there (generic_write_checks). */
u64 fs_file_size_limit(void);
/* Whether the caller may write to a set-user-ID or set-group-ID file and
 * keep the bits (CAP_FSETID: root's fsuid here); see file_remove_privs. */
bool fs_capable_fsetid(void);

#endif
