/* Descriptor calls: dup family, fcntl, pipe, ioctl. */
#include "file/common.h"
#include "drivers/tty.h"
#include "fs/pipe.h"

long linux_tty_ioctl(struct tty *tty, unsigned int cmd, unsigned long arg);

SYSCALL_DEFINE(dup)
{
	return fd_dup(cur_files(), ARG(0, int), 0, false, nofile_limit());
}

SYSCALL_DEFINE(dup2)
{
	return fd_dup2(cur_files(), ARG(0, int), ARG(1, int), nofile_limit());
}

SYSCALL_DEFINE(dup3)
{
	return fd_dup3(cur_files(), ARG(0, int), ARG(1, int), ARG(2, unsigned int), nofile_limit());
}

#define LINUX_F_DUPFD 0
#define LINUX_F_GETFD 1
#define LINUX_F_SETFD 2
#define LINUX_F_GETFL 3
#define LINUX_F_SETFL 4
#define LINUX_F_GETLK 5
#define LINUX_F_SETLK 6
#define LINUX_F_SETLKW 7
#define LINUX_F_SETOWN 8
#define LINUX_F_GETOWN 9
#define LINUX_F_OFD_GETLK 36
#define LINUX_F_OFD_SETLK 37
#define LINUX_F_OFD_SETLKW 38
#define LINUX_F_DUPFD_CLOEXEC 1030
#define LINUX_F_SETPIPE_SZ 1031
#define LINUX_F_GETPIPE_SZ 1032
#define LINUX_FD_CLOEXEC 1

/* F_SETFL changes only these (fcntl(2)); the access mode and creation flags stay. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | 020000 /* O_ASYNC */)

SYSCALL_DEFINE(fcntl)
{
	int fd = ARG(0, int), cmd = ARG(1, int);
	unsigned long arg = ARG(2, unsigned long);
	struct file *f;
	long ret;

	switch (cmd) {
	case LINUX_F_DUPFD:
	case LINUX_F_DUPFD_CLOEXEC:
		if (arg >= nofile_limit())
			return -EINVAL;
		return fd_dup(cur_files(), fd, (unsigned int)arg, cmd == LINUX_F_DUPFD_CLOEXEC,
			      nofile_limit());
	case LINUX_F_GETFD:
		ret = fd_get_cloexec(cur_files(), fd);
		return ret < 0 ? ret : (ret ? LINUX_FD_CLOEXEC : 0);
	case LINUX_F_SETFD:
		return fd_set_cloexec(cur_files(), fd, arg & LINUX_FD_CLOEXEC);
	}
	f = fget(fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	switch (cmd) {
	case LINUX_F_GETFL:
		ret = vfs_get_flags(f);
		break;
	case LINUX_F_SETFL:
		ret = vfs_set_flags(f, (vfs_get_flags(f) & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK));
		break;
	case LINUX_F_GETPIPE_SZ:
		ret = pipe_get_size(f);
		break;
	case LINUX_F_SETPIPE_SZ:
		ret = pipe_set_size(f, arg);
		break;
	case LINUX_F_GETLK:
	case LINUX_F_SETLK:
	case LINUX_F_SETLKW:
	case LINUX_F_OFD_GETLK:
	case LINUX_F_OFD_SETLK:
	case LINUX_F_OFD_SETLKW:
		ret = -EINVAL; /* record locks are not implemented yet */
		break;
	case LINUX_F_GETOWN:
		ret = 0;
		break;
	case LINUX_F_SETOWN:
		ret = -EINVAL; /* SIGIO ownership is not implemented yet */
		break;
	default:
		ret = -EINVAL;
	}
	file_put(f);
	return ret;
}

static long do_pipe2(int __user *ufds, unsigned int flags)
{
	struct file *files[2];
	int fds[2];
	long err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (!access_ok(ufds, sizeof(fds)))
		return -EFAULT;
	err = vfs_pipe(files, flags & (O_NONBLOCK | O_DIRECT));
	if (err)
		return err;
	/* The table takes its own references; ours go either way. */
	fds[0] = fd_alloc(cur_files(), files[0], 0, flags & O_CLOEXEC, nofile_limit());
	file_put(files[0]);
	if (fds[0] < 0) {
		file_put(files[1]);
		return fds[0];
	}
	fds[1] = fd_alloc(cur_files(), files[1], 0, flags & O_CLOEXEC, nofile_limit());
	file_put(files[1]);
	if (fds[1] < 0) {
		fd_close(cur_files(), fds[0]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(cur_files(), fds[0]);
		fd_close(cur_files(), fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(pipe)
{
	return do_pipe2(ARG(0, int __user *), 0);
}

SYSCALL_DEFINE(pipe2)
{
	return do_pipe2(ARG(0, int __user *), ARG(1, unsigned int));
}

#define LINUX_FIONCLEX 0x5450
#define LINUX_FIOCLEX 0x5451
#define LINUX_FIONBIO 0x5421
#define LINUX_FIONREAD 0x541b

SYSCALL_DEFINE(ioctl)
{
	int fd = ARG(0, int);
	unsigned int cmd = ARG(1, unsigned int);
	unsigned long arg = ARG(2, unsigned long);
	struct file *f;
	long ret;

	f = fget(fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	switch (cmd) {
	case LINUX_FIOCLEX:
	case LINUX_FIONCLEX:
		ret = fd_set_cloexec(cur_files(), fd, cmd == LINUX_FIOCLEX);
		break;
	case LINUX_FIONBIO: {
		int on;

		if (copy_from_user(&on, (const void __user *)arg, sizeof(on))) {
			ret = -EFAULT;
			break;
		}
		ret = vfs_set_flags(f, on ? vfs_get_flags(f) | O_NONBLOCK :
					    vfs_get_flags(f) & ~O_NONBLOCK);
		break;
	}
	default:
		if (tty_from_file(f)) {
			ret = linux_tty_ioctl(tty_from_file(f), cmd, arg);
			break;
		}
		/* The file's own ioctls: pipes (FIONREAD), devices. */
		ret = vfs_ioctl(f, cmd, arg);
	}
	file_put(f);
	return ret;
}
