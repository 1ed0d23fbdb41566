/* The memory devices of null(4), zero(4) and full(4). */
#include "core/subsystem.h"
#include "drivers/char.h"
#include "fs/devfs.h"

/* null(4): reads see end of file, writes succeed and go nowhere. */
static long null_read(struct file *f, struct uio *u, s64 *pos)
{
	return 0;
}

static long null_write(struct file *f, struct uio *u, s64 *pos)
{
	return (long)u->resid;
}

/* Seeking any of them succeeds and leaves the position at 0 (Linux). */
static s64 mem_llseek(struct file *f, s64 off, int whence)
{
	return 0;
}

/* zero(4) and full(4) read as endless zeros. */
static long zero_read(struct file *f, struct uio *u, s64 *pos)
{
	return u->resid ? uio_zero(u, u->resid) : 0;
}

/* full(4): every write fails with ENOSPC. */
static long full_write(struct file *f, struct uio *u, s64 *pos)
{
	return -ENOSPC;
}

static const struct file_operations null_fops = {
	.read = null_read,
	.write = null_write,
	.llseek = mem_llseek,
};

static const struct file_operations zero_fops = {
	.read = zero_read,
	.write = null_write,
	.llseek = mem_llseek,
};

static const struct file_operations full_fops = {
	.read = zero_read,
	.write = full_write,
	.llseek = mem_llseek,
};

static int mem_init(void)
{
	int err = chrdev_register(MEM_MAJOR, NULL_MINOR, "null", 0666, &null_fops);

	if (!err)
		err = chrdev_register(MEM_MAJOR, ZERO_MINOR, "zero", 0666, &zero_fops);
	if (!err)
		err = chrdev_register(MEM_MAJOR, FULL_MINOR, "full", 0666, &full_fops);
	return err;
}
SUBSYSTEM(mem_devices, DEPS("vfs"), mem_init, false);
