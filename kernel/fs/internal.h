/* Shared by the files of kernel/fs: path walking and mount lookups. */
#ifndef SABLE_FS_INTERNAL_H
#define SABLE_FS_INTERNAL_H

#include "fs/vfs.h"

/* Internal lookup flag: do not cross a mount on the last component
 * (rmdir, unlink and rename act on the mount point itself). */
#define LOOKUP_NOCROSS 0x100

/* What the last component of a walked path is. */
enum last_type {
	LAST_NORM,   /* a name */
	LAST_DOT,    /* "." */
	LAST_DOTDOT, /* ".." */
	LAST_ROOT,   /* none: the path was "/" (or empty with LOOKUP_EMPTY) */
};

/* One string being walked: the path itself or a symlink body. */
struct walk_frame {
	const char *p;  /* what is left of it */
	char *buf;      /* kmalloc'd body to free, NULL for the path */
};

/*
 * A path walk, done under vfs_ns_lock. walk_parent() stops in front of the
 * last component, leaving it in last/last_len; symlinks met on the way are
 * pushed on the stack and walked in place, so nothing recurses.
 */
struct nameidata {
	struct path path;             /* the directory reached */
	struct path root;             /* ".." stops here */
	const struct cred *cred;
	unsigned int flags;           /* LOOKUP_* */
	int nlinks;                   /* symlinks followed so far */
	int depth;                    /* frames in use */
	struct walk_frame stack[MAXSYMLINKS + 1];
	const char *last;
	size_t last_len;
	enum last_type last_type;
	bool trailing_slash;          /* a '/' follows the last component */
};

/* Starts a walk of path from base (NULL: cwd) or the root. */
int nd_init(struct nameidata *nd, struct fs_context *ctx, struct file *base,
	    const char *path, unsigned int flags);
void nd_release(struct nameidata *nd);
/* Walks every component but the last. */
int walk_parent(struct nameidata *nd);
/* Looks the last component up in nd->path (search permission checked);
 * out may be negative for LAST_NORM. Mounts on the result are crossed. */
int lookup_last(struct nameidata *nd, struct path *out);
/* Pushes the body of the symlink at link so that walk_parent() goes on
 * through it (-ELOOP past MAXSYMLINKS). */
int nd_push_link(struct nameidata *nd, const struct path *link);
/* The whole walk: the object path names, following a final symlink when
 * LOOKUP_FOLLOW (or a trailing slash) says so. Positive only. */
int path_lookup_locked(struct nameidata *nd, struct path *out);
/* Same, taking vfs_ns_lock around it. */
int path_lookup(struct fs_context *ctx, struct file *base, const char *path,
		unsigned int flags, struct path *out);

/* The mount most recently mounted on (parent, d), or NULL. */
struct mount *mount_lookup(struct mount *parent, struct dentry *d);
/* Crosses mounts stacked on p. */
void follow_mounts(struct path *p);
/* The global root mount, and every mount [vfs_ns_lock]. */
extern struct mount *root_mount;
extern struct list_head mount_list;

/* The owner, group and mode a new inode in dir gets (inode_init_owner). */
void vfs_new_attr(const struct cred *c, const struct inode *dir, u32 mode,
		  struct inode_attr *a);
/* May c create or remove entries in dir? (write and search, not deleted) */
int may_create(const struct cred *c, const struct dentry *dir);
/* Removing victim from dir: write+search, the sticky-bit rule. */
int may_delete(const struct cred *c, const struct dentry *dir, const struct dentry *victim);
/* Is the calling cred the owner of inode, or root? */
static inline bool is_owner_or_root(const struct cred *c, const struct inode *inode)
{
	return c->fsuid == inode->i_uid || cred_is_root(c);
}
/* Applies ia to d under i_mutex through the file system. */
int notify_change(struct dentry *d, struct iattr *ia);
/* Before a write to f: clears S_ISUID, and S_ISGID with group execute, as
 * Linux's file_remove_privs() does, unless the caller has CAP_FSETID. */
int file_remove_privs(struct file *f);

/* Mounts: the root file system at boot, and kernel mounts by path. */
int vfs_mount_root(const char *fstype);
int vfs_mount_at(const char *path, const char *fstype, const char *source);
/* The internal pipefs mount (pipe.c). */
int pipe_init(void);

#endif
