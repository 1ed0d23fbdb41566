/*
 * The Linux compatibility layer as a subsystem, and the handlers too small
 * for a file of their own.
 */
#include "arch/uaccess.h"
#include "core/subsystem.h"
#include "drivers/char.h"
#include "linux.h"

void linux_signal_init(void);
int linux_proc_init(void);

#define LINUX_GRND_MAX 33554431 /* getrandom(2) returns at most 32 MiB - 1 */

SYSCALL_DEFINE(getrandom)
{
	struct uio_seg seg;
	struct uio u;
	size_t len = MIN(ARG(1, size_t), (size_t)LINUX_GRND_MAX);

	if (!access_ok(ARG(0, void __user *), len))
		return -EFAULT;
	uio_init_one(&u, &seg, ARG(0, void *), len, true);
	return random_getrandom(&u, ARG(2, unsigned int));
}

static int linux_compat_init(void)
{
	linux_signal_init();
	/* /proc/linux/{stats,mode}: procfs shows them once it is mounted. */
	return linux_proc_init();
}

SUBSYSTEM(linux_compat, DEPS("vfs", "process", "signals"), linux_compat_init, false);
