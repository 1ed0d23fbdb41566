/* Terminals as files: /dev/console, /dev/ttyS0 and /dev/tty. */
#include "core/subsystem.h"
#include "fs/devfs.h"
#include "lib/errno.h"
#include "proc/process.h"
#include "tty_internal.h"

#define TTY_MAJOR 4
#define TTYAUX_MAJOR 5

static const struct file_operations tty_fops;

/* /dev/console and /dev/ttyS0 are the serial terminal. Opening /dev/ttyS0
 * may make it the controlling terminal; /dev/console never does (Linux's
 * tty_open: "noctty" for the console). */
static int tty_open(struct inode *inode, struct file *f)
{
	f->private_data = &serial_tty;
	if (MAJOR(inode->i_rdev) == TTY_MAJOR)
		tty_open_ctty(&serial_tty, f->f_flags);
	return 0;
}

/* /dev/tty: the caller's controlling terminal, ENXIO without one (tty(4)). */
static int devtty_open(struct inode *inode, struct file *f)
{
	struct tty *tty = tty_get_ctty();

	(void)inode;
	if (!tty)
		return -ENXIO;
	if (tty->link)
		return pts_open_ref(tty, f);
	f->f_op = &tty_fops;
	f->private_data = tty;
	return 0;
}

long tty_file_read(struct file *f, struct uio *u, s64 *pos)
{
	(void)pos;
	return tty_read(f->private_data, u, f->f_flags & O_NONBLOCK);
}

long tty_file_write(struct file *f, struct uio *u, s64 *pos)
{
	(void)pos;
	return tty_write(f->private_data, u, f->f_flags & O_NONBLOCK);
}

unsigned int tty_file_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = f->private_data;
	unsigned int r;

	poll_wait(f, &tty->read_wait, pt);
	poll_wait(f, &tty->write_wait, pt);
	r = tty_poll_ready(tty);
	return ((r & TTY_READY_IN) ? POLLIN | POLLRDNORM : 0) |
	       ((r & TTY_READY_OUT) ? POLLOUT | POLLWRNORM : 0) |
	       ((r & TTY_READY_HUP) ? POLLHUP : 0);
}

/* The terminal ioctls are ABI and live in the Linux layer; natively a
 * terminal answers none. */
long tty_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	(void)f;
	(void)cmd;
	(void)arg;
	return -ENOTTY;
}

static const struct file_operations tty_fops = {
	.open = tty_open,
	.read = tty_file_read,
	.write = tty_file_write,
	.poll = tty_file_poll,
	.ioctl = tty_file_ioctl,
};

static const struct file_operations devtty_fops = {
	.open = devtty_open,
};

struct tty *tty_from_file(struct file *f)
{
	if (f->f_op == &tty_fops || f->f_op == &ptmx_fops || f->f_op == &pts_fops)
		return f->private_data;
	return NULL;
}

static int tty_devices_init(void)
{
	int err;

	err = chrdev_register(TTYAUX_MAJOR, 1, "console", 0600, &tty_fops);
	if (!err)
		err = chrdev_register(TTYAUX_MAJOR, 0, "tty", 0666, &devtty_fops);
	if (!err)
		err = chrdev_register(TTY_MAJOR, 64, "ttyS0", 0660, &tty_fops);
	return err;
}

SUBSYSTEM(tty_devices, DEPS("vfs", "serial_tty"), tty_devices_init, false);
