/* Shared by the files of kernel/fs/procfs. */
#ifndef SABLE_FS_PROCFS_INTERNAL_H
#define SABLE_FS_PROCFS_INTERNAL_H

#include "fs/procfs.h"
#include "fs/vfs.h"
#include "proc/process.h"

/*
 * What a /proc/[pid] file reads of its process, copied under
 * proc_tree_lock, with references on the objects behind pointers so that
 * the show functions can sleep (mm_access, path names).
 */
struct proc_snap {
	int pid, ppid, pgid, sid;
	char state;                 /* proc(5) stat field 3 */
	char comm[PROC_COMM_LEN];
	char exe[256];
	u64 start_ns;
	u64 utime_ns, stime_ns, cutime_ns, cstime_ns;
	struct cred cred;
	unsigned int nr_threads;
	int exit_signal;
	struct rlimit_k rlimits[RLIM_NLIMITS];
	struct mm *mm;              /* [ref] or NULL (zombie, kernel) */
	struct fd_table *files;     /* [ref] or NULL */
	struct fs_state *fs;        /* [ref] or NULL */
};

/* 0, or -ESRCH when pid is gone. proc_snap_put() releases. */
int proc_snap_get(int pid, struct proc_snap *s);
void proc_snap_put(struct proc_snap *s);

/* The per-process files, and the system-wide ones (registered at init). */
struct pid_entry {
	const char *name;
	u32 mode;                   /* S_IFREG or S_IFLNK with permissions */
	/* Files: the text. */
	int (*show)(struct proc_buf *b, struct proc_snap *s);
	/* Symlinks: the target into buf; its length or a negative errno. */
	long (*link)(struct proc_snap *s, char *buf, size_t size);
};
extern const struct pid_entry pid_entries[];
extern const unsigned int nr_pid_entries;

/* The path of p seen from the caller's root, for readlink (vfs_ns_lock
 * held); its length without a NUL. */
long proc_path_name_locked(const struct path *p, char *buf, size_t size);

/* /proc/mounts and /proc/[pid]/mounts */
int proc_show_mounts(struct proc_buf *b, void *arg);
/* Registers /proc/{meminfo,...}, /proc/sys/..., /proc/kernel/... */
int procfs_register_generic(void);

#endif
