/*
 * The VFS objects: inodes, dentries, super blocks, mounts, open files and
 * the operation tables a file system fills in. The operations callers use
 * (vfs_open, vfs_mkdir, ...) are in fs/vfs.h.
 *
 * Locking, outermost first:
 *   vfs_ns_lock (mutex)   the namespace: every path walk and every change to
 *                         the directory tree or the mount table holds it, so
 *                         directory operations are serialised.
 *   inode->i_mutex        an inode's data and attributes (size, times, mode,
 *                         owner, file contents). Permission checks read mode
 *                         and owner without it (single words).
 *   pipe->lock (mutex)    a pipe's ring and counters.
 *   dcache_lock (spin)    dentry reference counts and children lists, so that
 *                         dput() works without vfs_ns_lock.
 */
#ifndef SABLE_FS_FS_H
#define SABLE_FS_FS_H

#include "core/spinlock.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/types.h"
#include "lib/uio.h"
#include "proc/cred.h"
#include "sched/mutex.h"

/* Errors the VFS returns that lib/errno.h does not list yet (Linux values). */
#ifndef ENOTBLK
#define ENOTBLK 15
#endif
#ifndef EXDEV
#define EXDEV 18
#endif
#ifndef ETXTBSY
#define ETXTBSY 26
#endif
#ifndef EMLINK
#define EMLINK 31
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif
#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif

#define PATH_MAX 4096 /* including the NUL */
#define NAME_MAX 255
#define MAXSYMLINKS 40
#define PIPE_BUF 4096
/* MAX_LFS_FILESIZE: the largest file offset. */
#define FS_MAX_FILE_SIZE ((s64)0x7fffffffffffffffLL)

/* Device numbers: 12 bits of major, 20 of minor (the compat layer encodes
 * them for Linux's st_dev/st_rdev). */
typedef u32 dev_t;
#define MINORBITS 20
#define MKDEV(ma, mi) (((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define MAJOR(d) ((u32)((d) >> MINORBITS))
#define MINOR(d) ((u32)((d) & ((1u << MINORBITS) - 1)))

/* File types and permission bits (same values as Linux). */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_IRWXU 00700
#define S_IRWXG 00070
#define S_IXGRP 00010
#define S_IRWXO 00007
#define S_IALLUGO 07777
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

/* Open flags. Native, but with Linux's x86_64 values so the compat layer
 * passes them through unchanged. */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_DSYNC 00010000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define O_SYNC 04010000
#define O_PATH 010000000
#define O_TMPFILE 020200000
/* Flags that fcntl(F_SETFL) may change. */
#define FILE_SETFL_MASK (O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT)

/* Access modes of an open file (f_mode). */
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_PATH 0x4   /* O_PATH: no I/O at all */
#define FMODE_LSEEK 0x8  /* the position means something */

/* Permission masks. */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

/* Directory entry types (d_type). */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

struct inode;
struct dentry;
struct super_block;
struct mount;
struct poll_table;
struct pipe;
struct kstat;
struct page;

struct fs_time {
	s64 sec;
	long nsec;
};

/* The current wall-clock time, for inode times. */
struct fs_time fs_time_now(void);

/* What a new inode starts as, decided by the VFS (owner from the cred and
 * the setgid directory rule, mode after the umask). */
struct inode_attr {
	u32 mode;     /* type and permission bits */
	uid_t uid;
	gid_t gid;
	dev_t rdev;   /* device nodes */
};

/* setattr: which fields of struct iattr are valid. */
#define ATTR_MODE 0x01
#define ATTR_UID 0x02
#define ATTR_GID 0x04
#define ATTR_SIZE 0x08
#define ATTR_ATIME 0x10
#define ATTR_MTIME 0x20
#define ATTR_CTIME 0x40

struct iattr {
	unsigned int valid;
	u32 mode;
	uid_t uid;
	gid_t gid;
	s64 size;
	struct fs_time atime, mtime, ctime;
};

/* rename flags (renameat2(2)). */
#define RENAME_NOREPLACE 0x1
#define RENAME_EXCHANGE 0x2
#define RENAME_WHITEOUT 0x4

struct inode_operations {
	/* Fills the negative dentry d when dir has that name; leaves it
	 * negative otherwise. 0 or a negative errno. */
	int (*lookup)(struct inode *dir, struct dentry *d);
	int (*create)(struct inode *dir, struct dentry *d, const struct inode_attr *a);
	int (*mkdir)(struct inode *dir, struct dentry *d, const struct inode_attr *a);
	int (*mknod)(struct inode *dir, struct dentry *d, const struct inode_attr *a);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target,
		       const struct inode_attr *a);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	/* The VFS has done every check; nd may be positive (replace, or swap
	 * with RENAME_EXCHANGE). The file system moves the dentries. */
	int (*rename)(struct inode *odir, struct dentry *od, struct inode *ndir,
		      struct dentry *nd, unsigned int flags);
	/* Copies the link body (no NUL) into buf; returns its full length. */
	long (*readlink)(struct dentry *d, char *buf, size_t size);
	/* Applies checked changes; called with i_mutex held. */
	int (*setattr)(struct dentry *d, const struct iattr *ia);
	/* Optional: adjusts a kstat the VFS filled from the inode. */
	int (*getattr)(struct dentry *d, struct kstat *st);
};

/*
 * Directory iteration: the file system calls actor once per entry from
 * ctx->pos on. actor returns false when it has no room for the entry; the
 * file system then stops and leaves ctx->pos at that entry so the next call
 * returns it again.
 */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, size_t len, u64 ino,
		      unsigned int d_type);
	s64 pos;
};

struct file_operations {
	/* Called by open after the permission checks; may replace f->f_op
	 * (device nodes) and may sleep (FIFOs). */
	int (*open)(struct inode *inode, struct file *f);
	/* The last reference to the open file is gone. */
	void (*release)(struct inode *inode, struct file *f);
	/* *pos is the position to use and to advance (unused by streams). */
	long (*read)(struct file *f, struct uio *u, s64 *pos);
	long (*write)(struct file *f, struct uio *u, s64 *pos);
	/* NULL: generic_llseek over i_size. */
	s64 (*llseek)(struct file *f, s64 off, int whence);
	int (*iterate)(struct file *f, struct dir_context *ctx);
	/* arg may be a user pointer; -ENOTTY when cmd is unknown. */
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* Readiness (POLL* from fs/poll.h); registers wait queues through pt. */
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	int (*fsync)(struct file *f);
	/*
	 * For mmap: the page frame holding the file at page index (a page
	 * cache), with a reference for the caller (page_put), so that a
	 * truncate cannot free a frame that is still mapped. A hole gets a
	 * zeroed frame when create is set, else *out = NULL. Returns the bytes
	 * of file data in the page (1..PAGE_SIZE), -EIO when the page is
	 * wholly past the end of the file (SIGBUS), or -ENOMEM.
	 * Page faults call it, and they may come from this file's own read or
	 * write copying to user memory: it must not take i_mutex.
	 * NULL: a MAP_SHARED mapping reads the file once into memory of its
	 * own, and the file and the mapping don't see each other's writes.
	 */
	long (*get_page)(struct file *f, u64 index, bool create, struct page **out);
};

struct inode {
	u64 i_ino;
	u32 i_mode;                 /* [i_mutex] */
	uid_t i_uid;                /* [i_mutex] */
	gid_t i_gid;                /* [i_mutex] */
	u32 i_nlink;                /* [vfs_ns_lock] */
	s64 i_size;                 /* [i_mutex] */
	dev_t i_rdev;
	struct fs_time i_atime, i_mtime, i_ctime; /* [i_mutex] */
	u64 i_blocks;               /* [i_mutex] in 512-byte units */
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct super_block *i_sb;
	long i_count;               /* atomic: positive dentries and iget() users */
	struct mutex i_mutex;
	struct pipe *i_pipe;        /* FIFOs: [fifo lock in pipe.c] */
	void *i_private;            /* the file system's own data */
};

#define DENTRY_INLINE_NAME 40

/* Dentry flags */
#define DENTRY_PINNED 0x1 /* the file system holds a reference (tmpfs: the
			   * dentry tree is the directory) */
#define DENTRY_DEAD 0x2   /* unlinked: no longer in its parent */

struct dentry {
	long d_count;                /* [dcache_lock] */
	unsigned int d_flags;        /* [vfs_ns_lock] */
	struct dentry *d_parent;     /* [vfs_ns_lock + dcache_lock] itself at a root */
	struct inode *d_inode;       /* NULL while negative; never changes once set */
	const char *d_name;          /* [vfs_ns_lock + dcache_lock] NUL-terminated */
	size_t d_len;
	char d_iname[DENTRY_INLINE_NAME];
	struct list_head d_children; /* [dcache_lock] */
	struct list_head d_child;    /* [dcache_lock] in d_parent->d_children */
	struct super_block *d_sb;
	unsigned int d_mounted;      /* [vfs_ns_lock] mounts on this dentry */
	u64 d_offset;                /* [vfs_ns_lock] position in its directory */
};

struct kstatfs;

struct super_operations {
	/* The last reference to inode is gone: free what the fs attached. */
	void (*evict)(struct inode *inode);
	/* Optional: fills sizes and counts (the VFS fills the rest). */
	void (*statfs)(struct super_block *sb, struct kstatfs *st);
};

struct super_block {
	dev_t s_dev;
	u64 s_magic;      /* statfs(2) f_type */
	const struct fs_type *s_type;
	const struct super_operations *s_op;
	struct dentry *s_root;
	u64 s_next_ino;   /* atomic */
	u32 s_blocksize;
	void *s_fs_info;
};

struct fs_type {
	const char *name;
	/* A new super block with s_root set, or an ERR_PTR. */
	struct super_block *(*mount)(const struct fs_type *t, const char *source,
				     unsigned long flags, const void *data);
	/* Optional: frees everything of an unmounted super block. */
	void (*kill_sb)(struct super_block *sb);
	struct list_head link;       /* [fs type lock] */
};

struct mount {
	struct mount *m_parent;      /* itself for the root mount */
	struct dentry *m_mountpoint; /* in m_parent */
	struct dentry *m_root;
	struct super_block *m_sb;
	struct list_head m_link;     /* [vfs_ns_lock] all mounts */
	long m_count;                /* atomic: paths that point into it */
};

/* A place in the namespace: a dentry in a mount. Both hold references. */
struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/* The open file description shared by fork and dup. */
struct file {
	long f_count;                       /* atomic */
	const struct file_operations *f_op;
	struct path f_path;
	struct inode *f_inode;              /* f_path.dentry->d_inode */
	unsigned int f_flags;               /* [f_lock] O_* status flags */
	unsigned int f_mode;                /* FMODE_*, fixed at open */
	struct spinlock f_lock;
	struct mutex f_pos_lock;
	s64 f_pos;                          /* [f_pos_lock] */
	u64 f_version;                      /* for the file's ops (FIFO counters) */
	void *private_data;
};

extern struct mutex vfs_ns_lock;
extern struct spinlock dcache_lock;

/* File systems and mounts */
int fs_type_register(struct fs_type *t);
const struct fs_type *fs_type_find(const char *name);
/* An anonymous device number for a super block (major 0). */
dev_t fs_anon_dev(void);

/* Inodes */
struct inode *inode_alloc(struct super_block *sb, u32 mode);
struct inode *iget(struct inode *inode);
void iput(struct inode *inode);
static inline unsigned int inode_dtype(u32 mode)
{
	return (mode & S_IFMT) >> 12;
}
void inode_touch(struct inode *inode, bool atime, bool mtime, bool ctime);

/* Dentries */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
struct dentry *d_alloc_root(struct super_block *sb, struct inode *root);
/* A dentry in no directory (pipes): its name is its whole path. */
struct dentry *d_alloc_anon(struct super_block *sb, struct inode *inode, const char *name);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* The live child of parent called name, with a reference, or NULL. */
struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len);
void d_instantiate(struct dentry *d, struct inode *inode);
/* Marks d unlinked and takes it out of its parent. */
void d_delete(struct dentry *d);
/* Moves d under new_parent as name (rename). 0 or -ENOMEM. */
int d_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len);
/* Swaps the names and parents of a and b (RENAME_EXCHANGE). */
void d_exchange(struct dentry *a, struct dentry *b);
static inline bool d_is_negative(const struct dentry *d)
{
	return d->d_inode == NULL;
}

/* Paths */
void path_get(const struct path *p);
void path_put(struct path *p);
struct mount *mnt_get(struct mount *m);
void mnt_put(struct mount *m);

/* Permission for cred on inode; mask of MAY_*. 0 or -EACCES. */
int inode_permission(const struct cred *c, const struct inode *inode, int mask);

/* Open files */
/* A new file on path (references taken) with no open call; f_op from the
 * inode. For anonymous files (pipes) and the VFS's own open. */
struct file *file_alloc(const struct path *p, unsigned int flags, unsigned int fmode);
s64 generic_llseek(struct file *f, s64 off, int whence, s64 size);
/*
 * write(2)'s limits on a regular file at pos, as Linux's
 * generic_write_checks(): *count is cut so the write stops at RLIMIT_FSIZE
 * (fs_file_size_limit) and at the largest offset; -EFBIG when pos is
 * already at or past either (the syscall layer sends SIGXFSZ). A write of
 * nothing passes.
 */
int generic_write_checks(s64 pos, u64 *count);

/* A mount not in the tree, for anonymous inodes (pipes). */
struct mount *vfs_kern_mount(const struct fs_type *t, const char *source);

#endif
