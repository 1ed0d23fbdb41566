/* poll, ppoll, select, pselect6. */
#include "core/time.h"
#include "file/common.h"
#include "fs/poll.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "abi/file.h"
#include "abi/time.h"

/* The core of poll and ppoll: revents filled in; returns the ready count. */
static long do_poll(struct linux_pollfd *pfds, unsigned int n, u64 deadline, bool has_deadline)
{
	struct poll_set ps;
	long ready, err = 0;

	poll_set_init(&ps);
	for (;;) {
		ready = 0;
		for (unsigned int i = 0; i < n; i++) {
			struct file *f;
			unsigned int mask;

			pfds[i].revents = 0;
			if (pfds[i].fd < 0)
				continue;
			f = fget(pfds[i].fd);
			if (IS_ERR(f)) {
				pfds[i].revents = POLLNVAL;
				ready++;
				continue;
			}
			mask = vfs_poll(f, &ps.pt);
			file_put(f);
			pfds[i].revents = (s16)(mask & ((u16)pfds[i].events | POLLERR | POLLHUP | POLLNVAL));
			if (pfds[i].revents)
				ready++;
		}
		if (ready || (has_deadline && deadline <= time_ns()))
			break;
		err = poll_set_sleep(&ps, has_deadline ? deadline : 0);
		if (err == -ETIMEDOUT) {
			err = 0;
			has_deadline = true;
			deadline = 0; /* one last look, then 0 ready */
		} else if (err) {
			break;
		}
	}
	poll_set_destroy(&ps);
	return err ? err : ready;
}

static long poll_common(struct linux_pollfd __user *ufds, unsigned long n, u64 deadline,
			bool has_deadline, int restart_err)
{
	struct linux_pollfd *pfds;
	long ret;

	if (n > nofile_limit() && n > 1024)
		return -EINVAL;
	pfds = kmalloc(MAX(n, 1UL) * sizeof(*pfds));
	if (!pfds)
		return -ENOMEM;
	if (n && copy_from_user(pfds, ufds, n * sizeof(*pfds))) {
		kfree(pfds);
		return -EFAULT;
	}
	ret = do_poll(pfds, (unsigned int)n, deadline, has_deadline);
	if (ret == -EINTR)
		ret = restart_err;
	if (ret >= 0) {
		for (unsigned long i = 0; i < n; i++) {
			if (copy_to_user(&ufds[i].revents, &pfds[i].revents, sizeof(s16))) {
				ret = -EFAULT;
				break;
			}
		}
	}
	kfree(pfds);
	return ret;
}

SYSCALL_DEFINE(poll)
{
	int timeout = ARG(2, int);
	u64 deadline = timeout > 0 ? time_ns() + (u64)timeout * NSEC_PER_MSEC : time_ns();

	return poll_common(ARG(0, struct linux_pollfd __user *), ARG(1, unsigned long), deadline,
			   timeout >= 0, -ERESTARTNOHAND);
}

static long timeout_from_user(const struct linux_timespec __user *uts, u64 *deadline, bool *has)
{
	struct linux_timespec ts;

	*has = false;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*has = true;
	*deadline = time_ns() + MIN((u64)ts.tv_sec, 1ULL << 32) * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

/* ppoll/pselect: the temporary signal mask, restored after a handler runs. */
static long set_temp_mask(const u64 __user *umask, size_t size)
{
	struct task *t = current_task();
	u64 mask;

	if (!umask)
		return 0;
	if (size != 8)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	t->sig->saved_mask = t->sig->blocked;
	t->sig->restore_saved_mask = true;
	signal_set_blocked(mask);
	return 0;
}

static void end_temp_mask(long ret)
{
	struct task *t = current_task();

	/* Without a signal to deliver, the old mask comes back now. */
	if (t->sig->restore_saved_mask && ret != -EINTR) {
		t->sig->restore_saved_mask = false;
		signal_set_blocked(t->sig->saved_mask);
	}
}

SYSCALL_DEFINE(ppoll)
{
	u64 deadline = 0;
	bool has;
	long ret = timeout_from_user(ARG(2, const struct linux_timespec __user *), &deadline, &has);

	if (ret)
		return ret;
	ret = set_temp_mask(ARG(3, const u64 __user *), ARG(4, size_t));
	if (ret)
		return ret;
	ret = poll_common(ARG(0, struct linux_pollfd __user *), ARG(1, unsigned long), deadline,
			  has, -EINTR);
	end_temp_mask(ret);
	return ret;
}

#define FDS_BITS 1024

/* select: three fd sets over poll's machinery. */
static long do_select(int nfds, u64 __user *uin, u64 __user *uout, u64 __user *uex,
		      u64 deadline, bool has_deadline)
{
	u64 in[FDS_BITS / 64] = { 0 }, out[FDS_BITS / 64] = { 0 }, ex[FDS_BITS / 64] = { 0 };
	size_t words;
	struct linux_pollfd *pfds;
	unsigned int n = 0;
	long ret;

	if (nfds < 0)
		return -EINVAL;
	if (nfds > FDS_BITS)
		nfds = FDS_BITS;
	words = ((size_t)nfds + 63) / 64;
	if ((uin && copy_from_user(in, uin, words * 8)) ||
	    (uout && copy_from_user(out, uout, words * 8)) ||
	    (uex && copy_from_user(ex, uex, words * 8)))
		return -EFAULT;
	pfds = kmalloc(MAX((size_t)nfds, 1UL) * sizeof(*pfds));
	if (!pfds)
		return -ENOMEM;
	for (int fd = 0; fd < nfds; fd++) {
		u64 bit = 1ULL << (fd % 64);
		s16 ev = 0;

		if (in[fd / 64] & bit)
			ev |= POLLIN;
		if (out[fd / 64] & bit)
			ev |= POLLOUT;
		if (ex[fd / 64] & bit)
			ev |= POLLPRI;
		if (ev) {
			pfds[n].fd = fd;
			pfds[n].events = ev;
			n++;
		}
	}
	ret = do_poll(pfds, n, deadline, has_deadline);
	if (ret >= 0) {
		long count = 0;

		for (unsigned int i = 0; i < n; i++) {
			if (pfds[i].revents & POLLNVAL) {
				ret = -EBADF;
				break;
			}
		}
		memset(in, 0, sizeof(in));
		memset(out, 0, sizeof(out));
		memset(ex, 0, sizeof(ex));
		for (unsigned int i = 0; ret >= 0 && i < n; i++) {
			int fd = pfds[i].fd;
			u64 bit = 1ULL << (fd % 64);
			s16 r = pfds[i].revents;

			if ((pfds[i].events & POLLIN) && (r & (POLLIN | POLLHUP | POLLERR))) {
				in[fd / 64] |= bit;
				count++;
			}
			if ((pfds[i].events & POLLOUT) && (r & (POLLOUT | POLLERR))) {
				out[fd / 64] |= bit;
				count++;
			}
			if ((pfds[i].events & POLLPRI) && (r & POLLPRI)) {
				ex[fd / 64] |= bit;
				count++;
			}
		}
		if (ret >= 0) {
			ret = count;
			if ((uin && copy_to_user(uin, in, words * 8)) ||
			    (uout && copy_to_user(uout, out, words * 8)) ||
			    (uex && copy_to_user(uex, ex, words * 8)))
				ret = -EFAULT;
		}
	}
	kfree(pfds);
	return ret;
}

SYSCALL_DEFINE(select)
{
	const struct linux_timeval __user *utv = ARG(4, const struct linux_timeval __user *);
	struct linux_timeval tv;
	u64 deadline = 0;
	bool has = false;
	long ret;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		has = true;
		deadline = time_ns() + MIN((u64)tv.tv_sec, 1ULL << 32) * NSEC_PER_SEC +
			   MIN((u64)tv.tv_usec, 1ULL << 32) * 1000;
	}
	ret = do_select(ARG(0, int), ARG(1, u64 __user *), ARG(2, u64 __user *),
			ARG(3, u64 __user *), deadline, has);
	if (ret == -EINTR)
		ret = -ERESTARTNOHAND;
	if (utv && ret >= 0) {
		/* Linux writes back the time left. */
		u64 now = time_ns(), left = deadline > now ? deadline - now : 0;

		tv.tv_sec = (s64)(left / NSEC_PER_SEC);
		tv.tv_usec = (s64)(left % NSEC_PER_SEC / 1000);
		(void)copy_to_user((void __user *)utv, &tv, sizeof(tv));
	}
	return ret;
}

SYSCALL_DEFINE(pselect6)
{
	struct {
		u64 ss;
		u64 ss_len;
	} sig = { 0, 0 };
	const void __user *usig = ARG(5, const void __user *);
	u64 deadline = 0;
	bool has;
	long ret = timeout_from_user(ARG(4, const struct linux_timespec __user *), &deadline, &has);

	if (ret)
		return ret;
	if (usig && copy_from_user(&sig, usig, sizeof(sig)))
		return -EFAULT;
	ret = set_temp_mask((const u64 __user *)sig.ss, sig.ss_len);
	if (ret)
		return ret;
	ret = do_select(ARG(0, int), ARG(1, u64 __user *), ARG(2, u64 __user *),
			ARG(3, u64 __user *), deadline, has);
	end_temp_mask(ret);
	return ret;
}
