/*
 * Pseudo-terminals (pty(7)): opening /dev/ptmx makes a master and a slave,
 * the slave appearing as /dev/pts/N (devfs, major 136). The slave is an
 * ordinary terminal whose device is the master: what the master writes is
 * the slave's typed input (through the slave's line discipline), what the
 * slave writes (after OPOST) is what the master reads. Termios, window size
 * and process groups live in the slave's struct tty; the master's struct
 * tty only holds the ring of the slave's output, in raw mode.
 *
 * Locks: pty_lock guards the table and each pair's counts below; it nests
 * inside proc_tree_lock (tty_get on a controlling terminal) and is never
 * held while taking a tty lock.
 */
#include "arch/uaccess.h"
#include "core/subsystem.h"
#include "fs/devfs.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "proc/process.h"
#include "tty_internal.h"

#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTS_MAJOR 136
#define PTY_MAX 64

struct pty {
	struct tty master, slave;
	int index;
	int refs;         /* [pty_lock] the master file, slave files, ctty lookups */
	int slave_opens;  /* [pty_lock] */
	bool locked;      /* [pty_lock] TIOCSPTLCK: the slave cannot be opened */
	char name[16];    /* "pts/N", the slave's tty->name */
};

static struct spinlock pty_lock = SPINLOCK_INIT("pty");
static struct pty *ptys[PTY_MAX]; /* [pty_lock] until the master closes */

static struct pty *pty_of(struct tty *tty)
{
	return tty->pty_master ? container_of(tty, struct pty, master) :
				 container_of(tty, struct pty, slave);
}

void tty_get(struct tty *tty)
{
	unsigned long f;

	if (!tty->link)
		return;
	f = spin_lock_irqsave(&pty_lock);
	pty_of(tty)->refs++;
	spin_unlock_irqrestore(&pty_lock, f);
}

void tty_put(struct tty *tty)
{
	struct pty *pty;
	unsigned long f;
	bool last;

	if (!tty->link)
		return;
	pty = pty_of(tty);
	f = spin_lock_irqsave(&pty_lock);
	last = --pty->refs == 0;
	spin_unlock_irqrestore(&pty_lock, f);
	if (last)
		kfree(pty);
}

int pty_number(struct tty *master)
{
	return pty_of(master)->index;
}

void pty_set_locked(struct tty *master, bool locked)
{
	unsigned long f = spin_lock_irqsave(&pty_lock);

	pty_of(master)->locked = locked;
	spin_unlock_irqrestore(&pty_lock, f);
}

bool pty_locked(struct tty *master)
{
	return pty_of(master)->locked;
}

/* The master is never written through its line discipline. */
static void ptm_output(struct tty *tty, const char *s, size_t n)
{
	(void)tty;
	(void)s;
	(void)n;
}

/* Slave output (slave lock held): into the master's ring. Bytes that do not
 * fit are echoes (writers wait for room first) and are dropped. */
static void pts_output(struct tty *tty, const char *s, size_t n)
{
	struct tty *m = tty->link;
	unsigned long f = spin_lock_irqsave(&m->lock);

	tty_put_raw(m, s, n);
	spin_unlock_irqrestore(&m->lock, f);
	wake_up_all(&m->read_wait);
}

static struct pty *pty_alloc(void)
{
	struct pty *pty = kzalloc(sizeof(*pty));
	unsigned long f;
	int i;

	if (!pty)
		return NULL;
	f = spin_lock_irqsave(&pty_lock);
	for (i = 0; i < PTY_MAX && ptys[i]; i++)
		;
	if (i < PTY_MAX)
		ptys[i] = pty;
	spin_unlock_irqrestore(&pty_lock, f);
	if (i == PTY_MAX) {
		kfree(pty);
		return NULL;
	}
	pty->index = i;
	pty->refs = 1;
	/* pty(7): the slave starts locked; unlockpt(3) unlocks it. */
	pty->locked = true;
	snprintf(pty->name, sizeof(pty->name), "pts/%d", i);
	tty_init(&pty->master, "ptm", ptm_output);
	tty_init(&pty->slave, pty->name, pts_output);
	pty->master.pty_master = true;
	pty->master.link = &pty->slave;
	pty->slave.link = &pty->master;
	/* The master passes the slave's output through untouched. */
	pty->master.termios.c_iflag = 0;
	pty->master.termios.c_oflag = 0;
	pty->master.termios.c_lflag = 0;
	pty->master.termios.c_cc[VMIN] = 1;
	return pty;
}

static int ptmx_open(struct inode *inode, struct file *f)
{
	struct pty *pty = pty_alloc();
	unsigned long fl;
	int err;

	(void)inode;
	if (!pty)
		return -ENOSPC; /* posix_openpt(3): no pty available */
	err = chrdev_register(PTS_MAJOR, (u32)pty->index, pty->name, 0620, &pts_fops);
	if (err) {
		fl = spin_lock_irqsave(&pty_lock);
		ptys[pty->index] = NULL;
		spin_unlock_irqrestore(&pty_lock, fl);
		kfree(pty);
		return err;
	}
	f->private_data = &pty->master;
	return 0;
}

static void ptmx_release(struct inode *inode, struct file *f)
{
	struct tty *m = f->private_data;
	struct pty *pty;
	unsigned long fl;

	(void)inode;
	if (!m)
		return;
	pty = pty_of(m);
	fl = spin_lock_irqsave(&pty_lock);
	ptys[pty->index] = NULL;
	spin_unlock_irqrestore(&pty_lock, fl);
	/* Linux's devpts drops the slave's node with the master; here the node
	 * stays and opens of it fail until the number is used again. */
	chrdev_unregister(PTS_MAJOR, (u32)pty->index);
	tty_hangup(&pty->slave);
	tty_put(m);
}

static int pts_attach(struct pty *pty, struct file *f)
{
	unsigned long fl;

	fl = spin_lock_irqsave(&pty_lock);
	pty->slave_opens++;
	spin_unlock_irqrestore(&pty_lock, fl);
	fl = spin_lock_irqsave(&pty->master.lock);
	pty->master.other_closed = false;
	spin_unlock_irqrestore(&pty->master.lock, fl);
	f->f_op = &pts_fops;
	f->private_data = &pty->slave;
	return 0;
}

int pts_open_ref(struct tty *slave, struct file *f)
{
	return pts_attach(pty_of(slave), f);
}

static int pts_open(struct inode *inode, struct file *f)
{
	u32 idx = MINOR(inode->i_rdev);
	struct pty *pty = NULL;
	unsigned long fl;
	int err = 0;

	fl = spin_lock_irqsave(&pty_lock);
	if (idx < PTY_MAX)
		pty = ptys[idx];
	if (!pty)
		err = -ENXIO;
	else if (pty->locked)
		err = -EIO; /* unlockpt(3) not called yet */
	else
		pty->refs++;
	spin_unlock_irqrestore(&pty_lock, fl);
	if (err)
		return err;
	pts_attach(pty, f);
	tty_open_ctty(&pty->slave, f->f_flags);
	return 0;
}

static void pts_release(struct inode *inode, struct file *f)
{
	struct tty *s = f->private_data;
	struct pty *pty;
	unsigned long fl;
	bool last;

	(void)inode;
	if (!s)
		return;
	pty = pty_of(s);
	fl = spin_lock_irqsave(&pty_lock);
	last = --pty->slave_opens == 0;
	spin_unlock_irqrestore(&pty_lock, fl);
	if (last) {
		/* pty(7): with no slave open, the master reads EIO (after what
		 * the slave wrote) and polls POLLHUP. */
		fl = spin_lock_irqsave(&pty->master.lock);
		pty->master.other_closed = true;
		spin_unlock_irqrestore(&pty->master.lock, fl);
		wake_up_all(&pty->master.read_wait);
		wake_up_all(&pty->master.write_wait);
	}
	tty_put(s);
}

const struct file_operations ptmx_fops = {
	.open = ptmx_open,
	.release = ptmx_release,
	.read = tty_file_read,
	.write = tty_file_write,
	.poll = tty_file_poll,
	.ioctl = tty_file_ioctl,
};

const struct file_operations pts_fops = {
	.open = pts_open,
	.release = pts_release,
	.read = tty_file_read,
	.write = tty_file_write,
	.poll = tty_file_poll,
	.ioctl = tty_file_ioctl,
};

static int pty_init(void)
{
	return chrdev_register(PTMX_MAJOR, PTMX_MINOR, "ptmx", 0666, &ptmx_fops);
}

SUBSYSTEM(pty, DEPS("vfs"), pty_init, false);
