/* Terminals as files: /dev/console, /dev/ttyS0 and /dev/tty. */
#include "core/subsystem.h"
#include "drivers/tty.h"
#include "fs/devfs.h"
#include "fs/fs.h"
#include "fs/poll.h"
#include "lib/errno.h"
#include "proc/process.h"

#define TTY_MAJOR 4
#define TTYAUX_MAJOR 5

/* Every terminal node is the serial terminal for now; /dev/tty is the
 * caller's controlling terminal, and that is the only terminal there is. */
static int tty_open(struct inode *inode, struct file *f)
{
	(void)inode;
	f->private_data = &serial_tty;
	return 0;
}

static long tty_file_read(struct file *f, struct uio *u, s64 *pos)
{
	(void)pos;
	return tty_read(f->private_data, u, f->f_flags & O_NONBLOCK);
}

static long tty_file_write(struct file *f, struct uio *u, s64 *pos)
{
	(void)pos;
	return tty_write(f->private_data, u);
}

static unsigned int tty_file_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = f->private_data;
	unsigned int r;

	poll_wait(f, &tty->read_wait, pt);
	r = tty_poll_ready(tty);
	return ((r & 1) ? POLLIN | POLLRDNORM : 0) | ((r & 2) ? POLLOUT | POLLWRNORM : 0);
}

/* The terminal ioctls are ABI and live in the Linux layer; natively a
 * terminal answers none. */
static long tty_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
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

struct tty *tty_from_file(struct file *f)
{
	return f->f_op == &tty_fops ? f->private_data : NULL;
}

static int tty_devices_init(void)
{
	int err;

	err = chrdev_register(TTYAUX_MAJOR, 1, "console", 0600, &tty_fops);
	if (!err)
		err = chrdev_register(TTYAUX_MAJOR, 0, "tty", 0666, &tty_fops);
	if (!err)
		err = chrdev_register(TTY_MAJOR, 64, "ttyS0", 0660, &tty_fops);
	return err;
}

SUBSYSTEM(tty_devices, DEPS("vfs", "serial_tty"), tty_devices_init, false);
