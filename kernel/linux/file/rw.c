/* read, write and their vector and positioned forms; lseek; sendfile. */
#include "file/common.h"
#include "mm/slab.h"
#include "abi/file.h"

#define LINUX_IOV_MAX 1024
#define MAX_RW_COUNT (0x7ffff000UL) /* Linux caps one transfer at INT_MAX & PAGE_MASK */

/*
 * write(2) to a pipe with no reader: EPIPE and SIGPIPE to the caller. A
 * write at or past RLIMIT_FSIZE: EFBIG and SIGXFSZ (setrlimit(2)); the
 * file layer gives EFBIG at the largest offset too, which has no signal.
 */
static long pipe_signal(long ret)
{
	int sig = 0;

	if (ret == -EPIPE)
		sig = SIGPIPE;
	else if (ret == -EFBIG && fs_file_size_limit() != FS_NO_SIZE_LIMIT)
		sig = SIGXFSZ;
	if (sig) {
		struct ksiginfo info = { .signo = sig, .code = SI_USER,
					 .pid = current_process()->pid,
					 .uid = current_process()->cred.uid };

		send_signal_thread(current_task(), sig, &info);
	}
	return ret;
}

enum rw_kind { RW_READ, RW_WRITE };

static long do_rw(int fd, struct uio *u, enum rw_kind kind, bool positioned, s64 pos)
{
	struct file *f = fget(fd);
	long ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (kind == RW_READ)
		ret = positioned ? vfs_pread(f, u, pos) : vfs_read(f, u);
	else
		ret = pipe_signal(positioned ? vfs_pwrite(f, u, pos) : vfs_write(f, u));
	file_put(f);
	return ret;
}

static long rw_one(const struct syscall_args *args, enum rw_kind kind, bool positioned)
{
	struct uio_seg seg;
	struct uio u;
	size_t len = ARG(2, size_t);

	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!access_ok(ARG(1, void __user *), len))
		return -EFAULT;
	uio_init_one(&u, &seg, ARG(1, void *), len, true);
	return do_rw(ARG(0, int), &u, kind, positioned, ARG(3, s64));
}

SYSCALL_DEFINE(read) { return rw_one(args, RW_READ, false); }
SYSCALL_DEFINE(write) { return rw_one(args, RW_WRITE, false); }

SYSCALL_DEFINE(pread64)
{
	if (ARG(3, s64) < 0)
		return -EINVAL;
	return rw_one(args, RW_READ, true);
}

SYSCALL_DEFINE(pwrite64)
{
	if (ARG(3, s64) < 0)
		return -EINVAL;
	return rw_one(args, RW_WRITE, true);
}

/* Copies and checks an iovec array: EINVAL for too many or a total over ssize_t. */
static long iov_import(const struct linux_iovec __user *uiov, unsigned long cnt,
		       struct uio *u, struct uio_seg **segs_out)
{
	struct linux_iovec *iov;
	struct uio_seg *segs;
	size_t total = 0;

	if (cnt > LINUX_IOV_MAX)
		return -EINVAL;
	iov = kmalloc(MAX(cnt, 1UL) * sizeof(*iov));
	segs = kmalloc(MAX(cnt, 1UL) * sizeof(*segs));
	if (!iov || !segs) {
		kfree(iov);
		kfree(segs);
		return -ENOMEM;
	}
	if (cnt && copy_from_user(iov, uiov, cnt * sizeof(*iov))) {
		kfree(iov);
		kfree(segs);
		return -EFAULT;
	}
	for (unsigned long i = 0; i < cnt; i++) {
		if ((s64)iov[i].iov_len < 0 || iov[i].iov_len > (u64)0x7fffffffffffffff - total) {
			kfree(iov);
			kfree(segs);
			return -EINVAL;
		}
		size_t len = MIN(iov[i].iov_len, MAX_RW_COUNT - MIN(total, MAX_RW_COUNT));

		if (len && !access_ok((void __user *)iov[i].iov_base, len)) {
			kfree(iov);
			kfree(segs);
			return -EFAULT;
		}
		segs[i].base = (void *)iov[i].iov_base;
		segs[i].len = len;
		total += len;
	}
	kfree(iov);
	u->segs = segs;
	u->nsegs = (unsigned int)cnt;
	u->seg = 0;
	u->seg_off = 0;
	u->resid = total;
	u->user = true;
	*segs_out = segs;
	return 0;
}

static long rw_vec(const struct syscall_args *args, enum rw_kind kind, bool positioned)
{
	struct uio_seg *segs;
	struct uio u;
	long ret;

	struct file *f = fget(ARG(0, int));

	/* readv(2): a bad fd is EBADF before anything about the vector. */
	if (IS_ERR(f))
		return PTR_ERR(f);
	file_put(f);
	if (positioned && ARG(3, s64) < 0)
		return -EINVAL;
	ret = iov_import(ARG(1, const struct linux_iovec __user *), ARG(2, unsigned long), &u, &segs);
	if (ret)
		return ret;
	ret = do_rw(ARG(0, int), &u, kind, positioned, ARG(3, s64));
	kfree(segs);
	return ret;
}

SYSCALL_DEFINE(readv) { return rw_vec(args, RW_READ, false); }
SYSCALL_DEFINE(writev) { return rw_vec(args, RW_WRITE, false); }
SYSCALL_DEFINE(preadv) { return rw_vec(args, RW_READ, true); }
SYSCALL_DEFINE(pwritev) { return rw_vec(args, RW_WRITE, true); }

SYSCALL_DEFINE(lseek)
{
	struct file *f = fget(ARG(0, int));
	s64 ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = vfs_lseek(f, ARG(1, s64), ARG(2, int));
	file_put(f);
	return ret;
}

/* sendfile(2) through a kernel buffer: correct for every kind of file. */
SYSCALL_DEFINE(sendfile)
{
	int out_fd = ARG(0, int), in_fd = ARG(1, int);
	s64 __user *uoff = ARG(2, s64 __user *);
	size_t count = MIN(ARG(3, size_t), MAX_RW_COUNT);
	struct file *in, *out;
	struct uio_seg seg;
	struct uio u;
	s64 off = 0;
	long total = 0, ret = 0;
	char *buf;

	in = fget(in_fd);
	if (IS_ERR(in))
		return PTR_ERR(in);
	out = fget(out_fd);
	if (IS_ERR(out)) {
		file_put(in);
		return PTR_ERR(out);
	}
	if (uoff && copy_from_user(&off, uoff, sizeof(off))) {
		ret = -EFAULT;
		goto out_put;
	}
	if (off < 0) {
		ret = -EINVAL;
		goto out_put;
	}
	buf = kmalloc(PAGE_SIZE);
	if (!buf) {
		ret = -ENOMEM;
		goto out_put;
	}
	while ((size_t)total < count) {
		size_t chunk = MIN(PAGE_SIZE, count - (size_t)total);
		long n, w;

		uio_init_one(&u, &seg, buf, chunk, false);
		n = uoff ? vfs_pread(in, &u, off) : vfs_read(in, &u);
		if (n <= 0) {
			ret = n;
			break;
		}
		uio_init_one(&u, &seg, buf, (size_t)n, false);
		w = pipe_signal(vfs_write(out, &u));
		if (w < 0) {
			ret = w;
			break;
		}
		total += w;
		off += w;
		if (w < n)
			break;
	}
	kfree(buf);
	if (uoff && total && copy_to_user(uoff, &off, sizeof(off)))
		ret = -EFAULT;
out_put:
	file_put(in);
	file_put(out);
	return total ? total : ret;
}
