/* Signals (native). */
#ifndef SABLE_PROC_SIGNAL_H
#define SABLE_PROC_SIGNAL_H

#include "lib/list.h"
#include "lib/types.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define NSIG 64

/* si_code values for faults */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define FPE_INTDIV 1
#define ILL_ILLOPN 2

/* si_code values */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* Dispositions and flags: the values are Linux's, which keeps the compat
 * layer's translation the identity. */
#define SIG_DFL 0UL
#define SIG_IGN 1UL
#define SA_NOCLDSTOP 0x00000001UL
#define SA_NOCLDWAIT 0x00000002UL
#define SA_SIGINFO 0x00000004UL
#define SA_RESTORER 0x04000000UL
#define SA_ONSTACK 0x08000000UL
#define SA_RESTART 0x10000000UL
#define SA_NODEFER 0x40000000UL
#define SA_RESETHAND 0x80000000UL

#define SS_ONSTACK 1
#define SS_DISABLE 2

typedef u64 sigset_k; /* bit n-1 for signal n */

#define sigbit(sig) (1ULL << ((sig) - 1))
#define SIG_UNBLOCKABLE (sigbit(SIGKILL) | sigbit(SIGSTOP))

struct sigaction_k {
	unsigned long handler; /* user address, SIG_DFL or SIG_IGN */
	unsigned long flags;
	unsigned long restorer;
	sigset_k mask;
};

struct ksiginfo {
	int signo;
	int code;
	int pid;         /* sender, or the child for SIGCHLD */
	u32 uid;
	int status;      /* SIGCHLD: exit code or signal */
	unsigned long addr; /* faults */
	u64 value;       /* sigqueue */
	u64 utime, stime; /* SIGCHLD, in clock ticks */
};

#define SIGRTMIN_K 32  /* from here on signals queue: each sending is delivered */
#define RT_QUEUE_MAX 1024 /* queued real-time signals per process (RLIMIT_SIGPENDING-like) */

struct sigqueue_entry {
	struct list_head link;
	struct ksiginfo info;
};

/* Per process: dispositions and the signals sent to the whole process. */
struct signal_state {
	struct spinlock lock;
	int refcount;                  /* [lock] shared by CLONE_SIGHAND threads */
	struct sigaction_k action[NSIG]; /* [lock] index signo-1 */
	sigset_k shared_pending;       /* [lock] */
	struct ksiginfo shared_info[NSIG]; /* [lock] one queued instance per signal */
	struct list_head shared_rt;    /* [lock] queued real-time signals */
	unsigned int rt_queued;        /* [lock] entries on every queue of the process */
};

/* Per thread. */
struct task_signals {
	sigset_k blocked;
	sigset_k pending;              /* [signal_state lock] sent to this thread */
	struct ksiginfo info[NSIG];    /* [signal_state lock] */
	struct list_head rt;           /* [signal_state lock] queued real-time signals */
	sigset_k saved_mask;           /* restored after a handler (sigsuspend) */
	bool restore_saved_mask;
	unsigned long altstack_sp;
	size_t altstack_size;
	int altstack_flags;
};

struct task;
struct process;
struct trap_frame;

struct signal_state *signal_state_alloc(void);
struct signal_state *signal_state_copy(const struct signal_state *src);
void signal_state_put(struct signal_state *s);
struct task_signals *task_signals_alloc(const struct task_signals *copy_from);
/* A thread ends: its pending signals go with it. */
void task_signals_release(struct task *t);
/* sigtimedwait: take a pending signal of set, waiting until deadline (0: none,
 * ~0: forever). Returns the signal, -EAGAIN on timeout, -EINTR. */
int signal_wait_for(sigset_k set, u64 deadline, struct ksiginfo *info);

/* Sends sig to a process (any thread that does not block it takes it). */
int send_signal_process(struct process *p, int sig, const struct ksiginfo *info);
/* Sends sig to one thread. */
int send_signal_thread(struct task *t, int sig, const struct ksiginfo *info);
/* A signal the thread must act on is pending (also SIGKILL). */
bool signal_pending(struct task *t);
/* Reset handled dispositions to SIG_DFL (execve keeps SIG_IGN). */
void signal_reset_on_exec(struct signal_state *s);
/* Change a disposition; -EINVAL for SIGKILL/SIGSTOP or a bad number. */
int signal_set_action(int sig, const struct sigaction_k *act, struct sigaction_k *old);
/* Set the blocked mask (SIGKILL and SIGSTOP are never blocked). */
void signal_set_blocked(sigset_k mask);
sigset_k signal_pending_set(struct task *t);

/* Sleeps until the monotonic deadline; 0, or -EINTR when a signal came first. */
int signal_sleep_until(u64 deadline);

/*
 * Frame building is ABI: the Linux layer installs it. It writes the frame on
 * the user stack and points tf at the handler; returns 0, or -EFAULT when the
 * stack is unusable (the process then dies with SIGSEGV).
 */
extern int (*signal_setup_frame)(struct trap_frame *tf, const struct ksiginfo *info,
				 const struct sigaction_k *act, sigset_k old_blocked);

/*
 * A synchronous fault in user mode: queue signo for the current thread with
 * the fault address; it is delivered on the way back to user mode. A
 * blocked or ignored fault signal kills the process, as on Linux.
 */
void force_sig_fault(int signo, int si_code, unsigned long addr);

#endif
