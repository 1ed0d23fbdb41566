/* Terminal ioctls (tty_ioctl(4)): termios, window size, process groups. */
#include "arch/uaccess.h"
#include "drivers/tty.h"
#include "lib/string.h"
#include "linux.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "abi/termios.h"

#define LINUX_TCGETS 0x5401
#define LINUX_TCSETS 0x5402
#define LINUX_TCSETSW 0x5403
#define LINUX_TCSETSF 0x5404
#define LINUX_TCSBRK 0x5409
#define LINUX_TCXONC 0x540a
#define LINUX_TCFLSH 0x540b
#define LINUX_TIOCSCTTY 0x540e
#define LINUX_TIOCGPGRP 0x540f
#define LINUX_TIOCSPGRP 0x5410
#define LINUX_TIOCOUTQ 0x5411
#define LINUX_TIOCGWINSZ 0x5413
#define LINUX_TIOCSWINSZ 0x5414
#define LINUX_FIONREAD 0x541b
#define LINUX_TIOCNOTTY 0x5422
#define LINUX_TIOCGSID 0x5429
#define LINUX_TCGETS2 0x802c542a
#define LINUX_TCSETS2 0x402c542b
#define LINUX_TCSETSW2 0x402c542c
#define LINUX_TCSETSF2 0x402c542d
#define LINUX_TIOCGSERIAL 0x541e
#define LINUX_TIOCGPTN 0x80045430
#define LINUX_TIOCSPTLCK 0x40045431
#define LINUX_TIOCGPTLCK 0x80045439

static long get_termios(struct tty *tty, void __user *u, bool two)
{
	struct linux_termios2 t2;

	memset(&t2, 0, sizeof(t2));
	memcpy(&t2.t, &tty->termios, sizeof(t2.t));
	t2.c_ispeed = t2.c_ospeed = 38400;
	return copy_to_user(u, &t2, two ? sizeof(t2) : sizeof(t2.t)) ? -EFAULT : 0;
}

static long set_termios(struct tty *tty, const void __user *u, bool two, bool flush)
{
	struct linux_termios2 t2;
	struct termios_k k;

	if (copy_from_user(&t2, u, two ? sizeof(t2) : sizeof(t2.t)))
		return -EFAULT;
	memcpy(&k, &t2.t, sizeof(k));
	if (flush)
		tty_flush_input(tty);
	tty_set_termios(tty, &k);
	return 0;
}

/* struct serial_struct (linux/serial.h): 72 bytes on x86_64. */
struct linux_serial_struct {
	int type, line;
	u32 port;
	int irq, flags, xmit_fifo_size, custom_divisor, baud_base;
	u16 close_delay;
	char io_type, reserved_char;
	int hub6;
	u16 closing_wait, closing_wait2;
	u64 iomem_base;
	u16 iomem_reg_shift;
	u32 port_high;
	u64 iomap_base;
};

/* TIOCGSERIAL (ioctl_tty(2)): the COM1 UART. busybox cttyhack asks it to
 * name the console's real terminal (/dev/ttyS<line>) when it has no
 * controlling terminal yet. */
static long get_serial(struct tty *tty, void __user *u)
{
	struct linux_serial_struct ss;

	if (tty != &serial_tty)
		return -ENOTTY;
	memset(&ss, 0, sizeof(ss));
	ss.type = 4; /* PORT_16550A */
	ss.line = 0;
	ss.port = 0x3f8;
	ss.irq = 4;
	ss.xmit_fifo_size = 16;
	ss.baud_base = 115200;
	return copy_to_user(u, &ss, sizeof(ss)) ? -EFAULT : 0;
}

/* Not one of the master's own ioctls (a positive value no errno takes). */
#define NOT_PTY_IOCTL 1

/* The ioctls only a pty master answers (pty(7), unlockpt(3), ptsname(3)). */
static long pty_master_ioctl(struct tty *master, unsigned int cmd, unsigned long arg)
{
	void __user *u = (void __user *)arg;
	int v;

	switch (cmd) {
	case LINUX_TIOCGPTN:
		v = pty_number(master);
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	case LINUX_TIOCSPTLCK:
		if (copy_from_user(&v, u, sizeof(v)))
			return -EFAULT;
		pty_set_locked(master, v != 0);
		return 0;
	case LINUX_TIOCGPTLCK:
		v = pty_locked(master);
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	default:
		return NOT_PTY_IOCTL;
	}
}

/* Changing a terminal from a background group: SIGTTOU (tty_ioctl(4)). */
static bool changes_terminal(unsigned int cmd)
{
	switch (cmd) {
	case LINUX_TCSETS: case LINUX_TCSETSW: case LINUX_TCSETSF:
	case LINUX_TCSETS2: case LINUX_TCSETSW2: case LINUX_TCSETSF2:
	case LINUX_TCFLSH: case LINUX_TCXONC: case LINUX_TCSBRK:
		return true;
	default:
		return false;
	}
}

long linux_tty_ioctl(struct tty *tty, unsigned int cmd, unsigned long arg)
{
	void __user *u = (void __user *)arg;
	struct process *p = current_process();
	bool master = tty->pty_master;
	long err;
	int v;

	if (master) {
		err = pty_master_ioctl(tty, cmd, arg);
		if (err != NOT_PTY_IOCTL)
			return err;
		/* The rest act on the slave's terminal, as Linux's real_tty. */
		tty = tty->link;
	} else if (changes_terminal(cmd)) {
		err = tty_check_job(tty, SIGTTOU);
		if (err)
			return err;
	}

	switch (cmd) {
	case LINUX_TCGETS:
		return get_termios(tty, u, false);
	case LINUX_TCGETS2:
		return get_termios(tty, u, true);
	case LINUX_TCSETS:
	case LINUX_TCSETSW: /* output is written synchronously: nothing to drain */
		return set_termios(tty, u, false, false);
	case LINUX_TCSETSF:
		return set_termios(tty, u, false, true);
	case LINUX_TCSETS2:
	case LINUX_TCSETSW2:
		return set_termios(tty, u, true, false);
	case LINUX_TCSETSF2:
		return set_termios(tty, u, true, true);
	case LINUX_TIOCGWINSZ:
		return copy_to_user(u, &tty->winsize, sizeof(tty->winsize)) ? -EFAULT : 0;
	case LINUX_TIOCSWINSZ: {
		struct winsize_k ws;

		if (copy_from_user(&ws, u, sizeof(ws)))
			return -EFAULT;
		tty_set_winsize(tty, &ws);
		return 0;
	}
	case LINUX_FIONREAD:
		v = (int)tty_input_available(tty);
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	case LINUX_TIOCOUTQ:
		v = 0;
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	case LINUX_TCFLSH:
		if (arg > 2)
			return -EINVAL;
		if (arg != 1)
			tty_flush_input(tty);
		return 0;
	case LINUX_TCXONC:
		return arg > 3 ? -EINVAL : 0;
	case LINUX_TIOCGSERIAL:
		return get_serial(tty, u);
	case LINUX_TCSBRK:
		return 0;
	case LINUX_TIOCGPGRP:
		if (!master && p->tty != tty)
			return -ENOTTY;
		v = tty->pgrp;
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	case LINUX_TIOCSPGRP:
		if (p->tty != tty || tty->session != p->sid)
			return -ENOTTY;
		if (copy_from_user(&v, u, sizeof(v)))
			return -EFAULT;
		return tty_set_pgrp(tty, v);
	case LINUX_TIOCGSID:
		if ((!master && p->tty != tty) || !tty->session)
			return -ENOTTY;
		v = tty->session;
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	case LINUX_TIOCSCTTY:
		/* The caller must lead a session without a terminal. */
		return tty_set_ctty(tty, arg == 1);
	case LINUX_TIOCNOTTY:
		return tty_drop_ctty(tty);
	default:
		return -ENOTTY;
	}
}
