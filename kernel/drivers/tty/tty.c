/*
 * The line discipline: input editing in canonical mode (erase, kill, word
 * erase, EOF), raw mode with VMIN, echo, input and output translations, and
 * the signal characters (termios(3)).
 *
 * Locks: tty->lock (irqsave: the device delivers input from interrupts)
 * guards the input ring, the line state and termios.
 */
#include "arch/uaccess.h"
#include "drivers/tty.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "proc/process.h"
#include "proc/signal.h"

static const struct termios_k default_termios = {
	.c_iflag = ICRNL | IXON | IUTF8,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {
		[VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21, [VEOF] = 4,
		[VTIME] = 0, [VMIN] = 1, [VSTART] = 17, [VSTOP] = 19, [VSUSP] = 26,
		[VREPRINT] = 18, [VWERASE] = 23, [VLNEXT] = 22,
	},
};

void tty_init(struct tty *tty, const char *name,
	      void (*output)(struct tty *, const char *, size_t))
{
	memset(tty, 0, sizeof(*tty));
	tty->name = name;
	tty->lock = (struct spinlock)SPINLOCK_INIT("tty");
	tty->termios = default_termios;
	tty->winsize = (struct winsize_k){ .ws_row = 24, .ws_col = 80 };
	wait_queue_init(&tty->read_wait);
	wait_queue_init(&tty->write_wait);
	tty->output = output;
}

static unsigned int ring_count(const struct tty *tty)
{
	return (tty->head - tty->tail) % TTY_BUF_SIZE;
}

/* Output with OPOST processing; caller may hold the lock. */
static void out_chars(struct tty *tty, const char *s, size_t n)
{
	const struct termios_k *t = &tty->termios;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((t->c_oflag & OPOST) && (t->c_oflag & ONLCR) && c == '\n') {
			tty->output(tty, "\r\n", 2);
			tty->column = 0;
			continue;
		}
		tty->output(tty, &c, 1);
		if (c == '\r')
			tty->column = 0;
		else if (c == '\b')
			tty->column = tty->column ? tty->column - 1 : 0;
		else if ((u8)c >= 32)
			tty->column++;
	}
}

static void echo_char(struct tty *tty, u8 c)
{
	const struct termios_k *t = &tty->termios;

	if (!(t->c_lflag & ECHO)) {
		if (c == '\n' && (t->c_lflag & ECHONL) && (t->c_lflag & ICANON))
			out_chars(tty, "\n", 1);
		return;
	}
	if ((t->c_lflag & ECHOCTL) && c < 32 && c != '\n' && c != '\t') {
		char s[2] = { '^', (char)(c + 64) };

		out_chars(tty, s, 2);
	} else if (c == 127 && (t->c_lflag & ECHOCTL)) {
		out_chars(tty, "^?", 2);
	} else {
		out_chars(tty, (const char *)&c, 1);
	}
}

/* Erase the last character of the line being edited; false if there is none. */
static bool erase_one(struct tty *tty)
{
	u8 c;

	if (tty->head == tty->line_start)
		return false;
	tty->head = (tty->head + TTY_BUF_SIZE - 1) % TTY_BUF_SIZE;
	c = (u8)tty->buf[tty->head];
	if ((tty->termios.c_lflag & ECHO) && (tty->termios.c_lflag & ECHOE)) {
		int width = (c < 32 || c == 127) && (tty->termios.c_lflag & ECHOCTL) ? 2 : 1;

		for (int i = 0; i < width; i++)
			out_chars(tty, "\b \b", 3);
	}
	return true;
}

static void put_input(struct tty *tty, u8 c)
{
	if (ring_count(tty) >= TTY_BUF_SIZE - 1)
		return; /* full: drop, as a UART overrun would */
	tty->buf[tty->head] = (char)c;
	tty->head = (tty->head + 1) % TTY_BUF_SIZE;
}

size_t tty_put_raw(struct tty *tty, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && ring_count(tty) < TTY_BUF_SIZE - 1; i++)
		put_input(tty, (u8)s[i]);
	tty->line_start = tty->head;
	return i;
}

static void signal_fg(struct tty *tty, int sig)
{
	if (!(tty->termios.c_lflag & NOFLSH)) {
		tty->head = tty->tail = tty->line_start;
		tty->lines = 0;
	}
	if (tty->pgrp > 0)
		proc_signal_pgrp(tty->pgrp, sig);
}

void tty_receive(struct tty *tty, u8 c)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	const struct termios_k *t = &tty->termios;
	bool wake = false;

	if (c == '\r' && (t->c_iflag & IGNCR))
		goto out_unlock;
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	else if (c == '\n' && (t->c_iflag & INLCR))
		c = '\r';

	if (t->c_lflag & ISIG) {
		int sig = c == t->c_cc[VINTR] ? SIGINT : c == t->c_cc[VQUIT] ? SIGQUIT :
			  c == t->c_cc[VSUSP] ? SIGTSTP : 0;

		if (sig && c) {
			echo_char(tty, c);
			if (t->c_lflag & ECHO)
				out_chars(tty, "\n", 1);
			signal_fg(tty, sig);
			wake = true;
			goto out_unlock;
		}
	}

	if (t->c_lflag & ICANON) {
		if (c == t->c_cc[VERASE] || c == '\b') {
			erase_one(tty);
			goto out_unlock;
		}
		if (c == t->c_cc[VKILL]) {
			while (erase_one(tty))
				;
			goto out_unlock;
		}
		if (c == t->c_cc[VWERASE] && (t->c_lflag & IEXTEN)) {
			/* Spaces before the word, then the word. */
			while (tty->head != tty->line_start &&
			       tty->buf[(tty->head + TTY_BUF_SIZE - 1) % TTY_BUF_SIZE] == ' ')
				erase_one(tty);
			while (tty->head != tty->line_start &&
			       tty->buf[(tty->head + TTY_BUF_SIZE - 1) % TTY_BUF_SIZE] != ' ')
				erase_one(tty);
			goto out_unlock;
		}
		if (c == t->c_cc[VEOF]) {
			/* EOF ends the line without a character: a 0-byte read if empty. */
			put_input(tty, 0);
			tty->lines++;
			tty->line_start = tty->head;
			wake = true;
			goto out_unlock;
		}
		put_input(tty, c);
		echo_char(tty, c);
		if (c == '\n' || (c == t->c_cc[VEOL] && c)) {
			tty->lines++;
			tty->line_start = tty->head;
			wake = true;
		}
		goto out_unlock;
	}
	put_input(tty, c);
	tty->line_start = tty->head;
	echo_char(tty, c);
	wake = true;
out_unlock:
	spin_unlock_irqrestore(&tty->lock, f);
	if (wake)
		wake_up_all(&tty->read_wait);
}

/* Readable now? Canonical: a whole line (or EOF); raw: VMIN bytes (at least 1). */
static bool can_read(struct tty *tty)
{
	if (tty->termios.c_lflag & ICANON)
		return tty->lines > 0;
	return ring_count(tty) >= MAX(1u, (unsigned)tty->termios.c_cc[VMIN]) ||
	       (tty->termios.c_cc[VMIN] == 0);
}

long tty_read(struct tty *tty, struct uio *u, bool nonblock)
{
	struct waiter w = { 0 };
	unsigned long f;
	long done = 0;
	int err = tty_check_job(tty, SIGTTIN);

	if (err)
		return err;
	for (;;) {
		prepare_to_wait(&tty->read_wait, &w, TASK_INTERRUPTIBLE);
		f = spin_lock_irqsave(&tty->lock);
		if (can_read(tty) && ring_count(tty))
			break;
		/* Hangup: the slave reads end of file, the master EIO once its
		 * slave has gone and the slave's last output is read (pty(7)). */
		if (tty->hung_up || tty->other_closed) {
			err = tty->hung_up ? 0 : -EIO;
			spin_unlock_irqrestore(&tty->lock, f);
			finish_wait(&tty->read_wait, &w);
			return err;
		}
		if (can_read(tty))
			break; /* VMIN 0 and nothing there */
		spin_unlock_irqrestore(&tty->lock, f);
		if (nonblock) {
			finish_wait(&tty->read_wait, &w);
			return -EAGAIN;
		}
		if (signal_pending(current_task())) {
			finish_wait(&tty->read_wait, &w);
			return -ERESTARTSYS;
		}
		schedule();
	}
	finish_wait(&tty->read_wait, &w);
	/* Copy under the lock into a bounce buffer, then out to the reader. */
	{
		char tmp[256];
		size_t n = 0;
		bool canon = tty->termios.c_lflag & ICANON;

		while (n < sizeof(tmp) && n < u->resid && tty->tail != tty->line_start) {
			char c = tty->buf[tty->tail];

			tty->tail = (tty->tail + 1) % TTY_BUF_SIZE;
			if (canon && c == 0 && tty->lines) {
				/* The EOF mark: ends this read, counted as a line. */
				tty->lines--;
				break;
			}
			tmp[n++] = c;
			if (canon && c == '\n') {
				tty->lines--;
				break;
			}
		}
		spin_unlock_irqrestore(&tty->lock, f);
		done = n ? uio_copy_out(u, tmp, n) : 0;
	}
	/* A pty's writers on the far side wait for this room. */
	if (tty->link)
		wake_up_all(&tty->link->write_wait);
	return done;
}

/* Sleeps until the far side of a pty has room for n bytes of output. */
static long wait_write_room(struct tty *tty, size_t n, bool nonblock)
{
	struct waiter w = { 0 };
	long err = 0;

	for (;;) {
		prepare_to_wait(&tty->write_wait, &w, TASK_INTERRUPTIBLE);
		if (tty->hung_up) {
			err = -EIO;
			break;
		}
		if (tty_write_room(tty) >= n)
			break;
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current_task())) {
			err = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&tty->write_wait, &w);
	return err;
}

unsigned int tty_write_room(struct tty *tty)
{
	struct tty *far = tty->link;
	unsigned long f;
	unsigned int room;

	if (!far)
		return ~0u;
	f = spin_lock_irqsave(&far->lock);
	room = TTY_BUF_SIZE - 1 - ring_count(far);
	/* A canonical reader with no whole line can drain nothing: input past
	 * a full ring is dropped instead (as n_tty does), not waited for. */
	if (tty->pty_master && (far->termios.c_lflag & ICANON) && !far->lines)
		room = ~0u;
	spin_unlock_irqrestore(&far->lock, f);
	return room;
}

long tty_write(struct tty *tty, struct uio *u, bool nonblock)
{
	char tmp[256];
	long total = 0;
	long err;

	/* tostop: a background job's output stops it (termios(3)). */
	if (tty->termios.c_lflag & TOSTOP) {
		err = tty_check_job(tty, SIGTTOU);
		if (err)
			return err;
	}
	while (u->resid) {
		size_t want = MIN(sizeof(tmp), u->resid);
		unsigned long f;
		long n;

		if (tty->link) {
			/* Worst case ONLCR doubles every byte. */
			err = wait_write_room(tty, tty->pty_master ? want : 2 * want, nonblock);
			if (err)
				return total ? total : err;
		}
		n = uio_copy_in(u, tmp, want);
		if (n <= 0)
			return total ? total : n;
		if (tty->pty_master) {
			/* A pty master types into its slave. */
			for (long i = 0; i < n; i++)
				tty_receive(tty->link, (u8)tmp[i]);
			total += n;
			continue;
		}
		f = spin_lock_irqsave(&tty->lock);
		out_chars(tty, tmp, (size_t)n);
		spin_unlock_irqrestore(&tty->lock, f);
		total += n;
	}
	return total;
}

unsigned int tty_input_available(struct tty *tty)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	unsigned int n = (tty->termios.c_lflag & ICANON) && !tty->lines ? 0 :
			 ((tty->line_start - tty->tail) % TTY_BUF_SIZE);

	spin_unlock_irqrestore(&tty->lock, f);
	return n;
}

unsigned int tty_poll_ready(struct tty *tty)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	unsigned int r = can_read(tty) && ring_count(tty) ? TTY_READY_IN : 0;

	if (tty->hung_up || tty->other_closed)
		r |= TTY_READY_IN | TTY_READY_HUP;
	spin_unlock_irqrestore(&tty->lock, f);
	/* Room for a whole chunk, so that a writer told "ready" makes progress. */
	if (tty->hung_up || tty_write_room(tty) >= 512)
		r |= TTY_READY_OUT;
	return r;
}

void tty_flush_input(struct tty *tty)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);

	tty->head = tty->tail = tty->line_start = 0;
	tty->lines = 0;
	spin_unlock_irqrestore(&tty->lock, f);
}

void tty_set_termios(struct tty *tty, const struct termios_k *t)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	bool was_canon = tty->termios.c_lflag & ICANON;

	tty->termios = *t;
	/* Leaving canonical mode makes the partial line readable at once. */
	if (was_canon && !(t->c_lflag & ICANON))
		tty->line_start = tty->head;
	spin_unlock_irqrestore(&tty->lock, f);
	wake_up_all(&tty->read_wait);
}

void tty_set_winsize(struct tty *tty, const struct winsize_k *ws)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	bool changed = memcmp(&tty->winsize, ws, sizeof(*ws)) != 0;

	tty->winsize = *ws;
	spin_unlock_irqrestore(&tty->lock, f);
	if (changed && tty->pgrp > 0)
		proc_signal_pgrp(tty->pgrp, SIGWINCH);
}
