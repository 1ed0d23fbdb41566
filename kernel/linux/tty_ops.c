/* Terminal ioctls (tty_ioctl(4)): termios, window size, process groups. */
#include "arch/uaccess.h"
#include "drivers/tty.h"
#include "lib/string.h"
#include "linux.h"
#include "proc/process.h"

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

/* struct termios of the kernel ABI (asm-generic/termbits.h): no speeds. */
struct linux_termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[19];
};

struct linux_termios2 {
	struct linux_termios t;
	u32 c_ispeed, c_ospeed;
};

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

long linux_tty_ioctl(struct tty *tty, unsigned int cmd, unsigned long arg)
{
	void __user *u = (void __user *)arg;
	struct process *p = current_process();
	int v;

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
	case LINUX_TCSBRK:
		return 0;
	case LINUX_TIOCGPGRP:
		if (p->tty != tty)
			return -ENOTTY;
		v = tty->pgrp;
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	case LINUX_TIOCSPGRP:
		if (p->tty != tty || tty->session != p->sid)
			return -ENOTTY;
		if (copy_from_user(&v, u, sizeof(v)))
			return -EFAULT;
		if (v < 0)
			return -EINVAL;
		tty->pgrp = v;
		return 0;
	case LINUX_TIOCGSID:
		if (p->tty != tty)
			return -ENOTTY;
		v = tty->session;
		return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
	case LINUX_TIOCSCTTY:
		/* The caller must lead a session without a terminal. */
		if (p->sid != p->pid || p->tty)
			return p->tty == tty ? 0 : -EPERM;
		if (tty->session && tty->session != p->sid && !(arg == 1 && p->cred.euid == 0))
			return -EPERM;
		p->tty = tty;
		tty->session = p->sid;
		tty->pgrp = p->pgid;
		return 0;
	case LINUX_TIOCNOTTY:
		if (p->tty != tty)
			return -ENOTTY;
		p->tty = NULL;
		return 0;
	default:
		return -ENOTTY;
	}
}
