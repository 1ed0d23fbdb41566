/*
 * Processes: a pid, a place in the process tree, credentials, an address
 * space, open files, a filesystem context, signal dispositions, and the
 * threads (struct task) that run it.
 *
 * Locks: proc_tree_lock (a spinlock, irqsave) guards the tree (parent,
 * children, sibling, pgid, sid, state, exit_status) and the pid table.
 * p->lock guards the thread list and credentials.
 */
#ifndef SABLE_PROC_PROCESS_H
#define SABLE_PROC_PROCESS_H

#include "core/spinlock.h"
#include "core/time.h"
#include "lib/list.h"
#include "lib/types.h"
#include "proc/cred.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "sched/wait.h"

#define PID_MAX 32768
#define PROC_COMM_LEN 16

enum rlimit_resource {
	RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS,
	RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS,
	RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME,
	RLIM_NLIMITS,
};
#define RLIM_INFINITY (~0UL)

struct rlimit_k {
	u64 cur, max;
};

enum proc_state { PROC_ALIVE, PROC_ZOMBIE };

struct mm;
struct fd_table;
struct fs_state;
struct fs_context;

struct process {
	int pid;
	struct spinlock lock;
	/* [proc_tree_lock] */
	struct process *parent;
	struct list_head children;
	struct list_head sibling;
	int pgid, sid;
	enum proc_state state;
	int exit_status;          /* wait status: (code << 8) or signal | core */
	bool stop_reported;       /* [proc_tree_lock] a stop not yet reported by wait */
	bool continue_reported;
	bool stopped;
	int stop_signal;

	struct cred cred;         /* [lock] */
	struct mm *mm;
	struct fd_table *files;
	struct fs_state *fs;
	struct signal_state *signals; /* dispositions and shared pending set */
	struct list_head threads; /* [lock] struct task.thread_link */
	unsigned int nr_threads;  /* [lock] */
	struct wait_queue child_wait; /* the parent's wait4/waitid sleep here */
	struct rlimit_k rlimits[RLIM_NLIMITS];
	char comm[PROC_COMM_LEN];
	char exe[256];
	u64 start_ns;
	u64 utime_ns, stime_ns;   /* of exited threads */
	u64 cutime_ns, cstime_ns; /* of waited-for children */
	void *tty;                /* controlling terminal, later */
	int refcount;             /* [proc_tree_lock] */
	struct list_head sibling_all; /* [proc_tree_lock] every process */
	bool group_exit;          /* [proc_tree_lock] exit_group or a fatal signal */
	bool exec_done;           /* has called execve (setpgid(2) EACCES) */
	struct task *vfork_parent; /* woken at exec or exit (CLONE_VFORK) */
	volatile bool vfork_done;
	struct task *exec_task;   /* the thread running execve while others die */
	int exit_signal;          /* sent to the parent at exit (SIGCHLD normally) */
	u64 maxrss_kb;            /* peak resident set, recorded at exit */
	struct timer itimer_real; /* ITIMER_REAL / alarm(2): SIGALRM when it fires */
	u64 itimer_real_interval; /* ns; 0: one-shot */
	u64 children_maxrss_kb;   /* largest maxrss of waited-for children */
};

extern struct spinlock proc_tree_lock;
extern struct process *init_process;

static inline struct process *current_process(void)
{
	return current_task()->proc;
}

int proc_init(void);
struct process *proc_find(int pid); /* caller holds proc_tree_lock */
int proc_alloc_pid(void);
void proc_free_pid(int pid);
/* Allocates an empty process (no mm/files/fs) with a pid; ERR_PTR on failure. */
struct process *proc_alloc(void);
void proc_free(struct process *p);
/* Attach t as a thread of p. */
void proc_add_thread(struct process *p, struct task *t);
/* Make child a child of parent (tree lock taken inside). */
void proc_link_child(struct process *parent, struct process *child);

/* The calling thread ends; the last thread makes the process a zombie. */
__noreturn void proc_exit_thread(int status);
/* exit_group: every thread of the process ends with this wait status. */
__noreturn void proc_exit_group(int wait_status);

/* Clone flags (the values are Linux's). */
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_CSIGNAL 0x000000ff

struct clone_args_k {
	u64 flags;
	int exit_signal;
	unsigned long stack;       /* new user stack pointer, 0: the caller's */
	unsigned long tls;
	unsigned long parent_tid;  /* user addresses */
	unsigned long child_tid;
};

/* fork/vfork/clone: returns the new pid or tid, or a negative errno. */
long proc_clone(const struct clone_args_k *ca, const struct trap_frame *tf);
/* execve in a multithreaded process: every other thread ends first. */
void exec_kill_other_threads(struct process *p);
/* execve with kernel copies of argv and envp (NULL-terminated, kmalloc'd;
 * freed here). On success tf starts the new program; returns 0 or -errno. */
long proc_execve(const char *path, char **argv, int argc, char **envp, int envc,
		 struct trap_frame *tf);
void exec_args_free(char **v);
/* kmain's last act: unpack the initramfs and start init (or halt saying why). */
void proc_boot_init(const char *init_path);
/* Starts pid 1 running path (argv and envp are copied). */
int proc_start_init(const char *path, char *const argv[], int argc, char *const envp[], int envc);
/* exec or exit of a vfork child: its parent may go on. */
void proc_vfork_release(struct process *p);
/* The filesystem context of the calling process. */
void proc_fs_context(struct fs_context *ctx);

/* wait4/waitid core. */
#define WAIT_NOHANG 1
#define WAIT_UNTRACED 2
#define WAIT_EXITED 4
#define WAIT_CONTINUED 8
#define WAIT_NOWAIT 0x01000000
#define WAIT_ALL 0x40000000   /* __WALL: every child */
#define WAIT_CLONE 0x80000000 /* __WCLONE: only children not signalling SIGCHLD */
#define WAIT_ANY_CHILD 0   /* idtype */
struct wait_result {
	int pid;
	int status;  /* wait status word */
	int code;    /* CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED */
	int si_status;
	uid_t uid;
	u64 utime_ns, stime_ns;
};
#define WHICH_ALL 0
#define WHICH_PID 1
#define WHICH_PGID 2
/* Returns the pid reaped/reported, 0 for WNOHANG with nothing, -ECHILD, -EINTR. */
int proc_wait(int which, int id, int options, struct wait_result *out);

/* Sends sig to every process of the group (the terminal's signal keys). */
int proc_signal_pgrp(int pgrp, int sig);
void proc_for_each(void (*fn)(struct process *p, void *arg), void *arg);
int proc_setpgid(int pid, int pgid);
int proc_getpgid(int pid);
int proc_setsid(void);
int proc_getsid(int pid);

#endif
