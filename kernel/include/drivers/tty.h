/*
 * Terminals: a line discipline over a character device (the serial port now;
 * the VGA console and pseudo-terminals later). termios fields and flag values
 * are Linux's, which Sable uses natively.
 */
#ifndef SABLE_DRIVERS_TTY_H
#define SABLE_DRIVERS_TTY_H

#include "core/spinlock.h"
#include "lib/types.h"
#include "lib/uio.h"
#include "sched/wait.h"

#define TTY_NCCS 19
/* c_cc indexes */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VWERASE 14
#define VLNEXT 15
/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define IXON 0002000
#define IUTF8 0040000
/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004
/* c_lflag */
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000
/* c_cflag */
#define B38400 0000017
#define CS8 0000060
#define CREAD 0000200
#define HUPCL 0002000
#define CLOCAL 0004000

struct termios_k {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[TTY_NCCS];
};

struct winsize_k {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TTY_BUF_SIZE 4096

/*
 * Lock order: a pty slave's lock before its master's (slave output lands in
 * the master's ring while the slave lock is held); proc_tree_lock is never
 * taken under a tty lock.
 */
struct tty {
	const char *name;
	struct spinlock lock;
	struct termios_k termios;     /* [lock] */
	struct winsize_k winsize;     /* [lock] */
	char buf[TTY_BUF_SIZE];       /* [lock] input ring */
	unsigned int head, tail;      /* [lock] */
	unsigned int line_start;      /* [lock] canonical: start of the line being edited */
	unsigned int lines;           /* [lock] canonical: complete lines (or EOF marks) */
	unsigned int column;          /* [lock] output column, for erase */
	struct wait_queue read_wait;
	struct wait_queue write_wait; /* writers waiting for room in the far ring */
	int pgrp;                     /* foreground process group, 0 if none */
	int session;                  /* session this is the controlling terminal of */
	void (*output)(struct tty *tty, const char *s, size_t n); /* the device */
	/* Pseudo-terminals (pty.c); NULL/false for a hardware terminal. */
	struct tty *link;             /* the other side of the pair */
	bool pty_master;
	bool hung_up;                 /* [lock] slave whose master is gone: read 0, write EIO */
	bool other_closed;            /* [lock] master whose slave closed: read EIO when empty */
};

void tty_init(struct tty *tty, const char *name,
	      void (*output)(struct tty *, const char *, size_t));
/* A character from the device (interrupt context). */
void tty_receive(struct tty *tty, u8 c);
/* Reads for a program; -EAGAIN (nonblocking), -ERESTARTSYS (signal) or bytes. */
long tty_read(struct tty *tty, struct uio *u, bool nonblock);
long tty_write(struct tty *tty, struct uio *u, bool nonblock);
/* Readiness for poll: TTY_READY_* bits. */
#define TTY_READY_IN 1
#define TTY_READY_OUT 2
#define TTY_READY_HUP 4
unsigned int tty_poll_ready(struct tty *tty);
unsigned int tty_input_available(struct tty *tty);
void tty_flush_input(struct tty *tty);
void tty_set_termios(struct tty *tty, const struct termios_k *t);
void tty_set_winsize(struct tty *tty, const struct winsize_k *ws);

/* Room for output in the far side's ring (ptys); ~0u when unbounded. */
unsigned int tty_write_room(struct tty *tty);
/* Puts raw bytes into tty's input ring (a pty master's, from its slave);
 * caller holds tty->lock. Returns how many fit. */
size_t tty_put_raw(struct tty *tty, const char *s, size_t n);

/*
 * Job control (termios(3), "Job control"): may the caller read (SIGTTIN) or
 * write/change (SIGTTOU) the terminal? 0 if so; -ERESTARTSYS after sending
 * sig to the caller's group; -EIO when the group is orphaned or, for
 * SIGTTIN, the signal is ignored or blocked.
 */
int tty_check_job(struct tty *tty, int sig);
/* Makes tty the caller's controlling terminal (TIOCSCTTY; steal as root). */
int tty_set_ctty(struct tty *tty, bool steal);
/* The caller's controlling terminal gives itself up (TIOCNOTTY). */
int tty_drop_ctty(struct tty *tty);
/* tcsetpgrp(3): -ENOTTY (not the caller's terminal), -EINVAL, -ESRCH,
 * -EPERM (group of another session), or a job-control error. */
int tty_set_pgrp(struct tty *tty, int pgrp);
/* Hangup (vhangup(2), a pty master's close): the session leader gets SIGHUP
 * and SIGCONT, the session loses the terminal, readers see end of file. */
void tty_hangup(struct tty *tty);

struct process;
/* A session leader exits (proc_exit_thread): its session loses the
 * controlling terminal, whose foreground group gets SIGHUP and SIGCONT. */
void tty_session_leader_exit(struct process *p);

struct file;
/* The terminal behind an open file, or NULL when it is not one. For a pty
 * master it is the master's struct tty (its link is the slave). */
struct tty *tty_from_file(struct file *f);
/* Called by tty file opens: a session leader without a controlling terminal
 * that opens one without O_NOCTTY acquires it (open(2)). */
void tty_open_ctty(struct tty *tty, unsigned int flags);

/* The caller's controlling terminal with a reference (put with tty_put), or NULL. */
struct tty *tty_get_ctty(void);
/* References keep a pty's pair alive; no-ops for other terminals. */
void tty_get(struct tty *tty);
void tty_put(struct tty *tty);

/* Pseudo-terminals (pty.c); master is a pty master's struct tty. */
int pty_number(struct tty *master);
void pty_set_locked(struct tty *master, bool locked);
bool pty_locked(struct tty *master);

/* The serial console, /dev/ttyS0 and /dev/console. */
extern struct tty serial_tty;

#endif
