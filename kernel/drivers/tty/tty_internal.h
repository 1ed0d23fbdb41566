/* Shared by the terminal files of tty_file.c and pty.c. */
#ifndef SABLE_DRIVERS_TTY_INTERNAL_H
#define SABLE_DRIVERS_TTY_INTERNAL_H

#include "drivers/tty.h"
#include "fs/fs.h"
#include "fs/poll.h"

long tty_file_read(struct file *f, struct uio *u, s64 *pos);
long tty_file_write(struct file *f, struct uio *u, s64 *pos);
unsigned int tty_file_poll(struct file *f, struct poll_table *pt);
long tty_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg);

/* /dev/ptmx (pty masters) and /dev/pts/N (slaves). */
extern const struct file_operations ptmx_fops;
extern const struct file_operations pts_fops;
/* /dev/tty naming a pty slave: a slave open that takes over the
 * caller's reference on it. */
int pts_open_ref(struct tty *slave, struct file *f);

#endif
