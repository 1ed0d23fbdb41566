/* struct uio: scatter/gather buffers in user space or the kernel. */
#include "arch/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/uio.h"

void uio_init_one(struct uio *u, struct uio_seg *seg, void *base, size_t len, bool user)
{
	seg->base = base;
	seg->len = len;
	u->segs = seg;
	u->nsegs = 1;
	u->seg = 0;
	u->seg_off = 0;
	u->resid = len;
	u->user = user;
}

enum uio_dir { UIO_OUT, UIO_IN, UIO_ZERO };

static long uio_move(struct uio *u, void *kbuf, size_t n, enum uio_dir dir)
{
	static const char zeros[256];
	size_t done = 0;

	while (done < n && u->seg < u->nsegs) {
		struct uio_seg *s = &u->segs[u->seg];
		size_t chunk = MIN(n - done, s->len - u->seg_off);
		char *p = (char *)s->base + u->seg_off;
		int err = 0;

		if (dir == UIO_ZERO)
			chunk = MIN(chunk, sizeof(zeros));
		if (chunk) {
			const void *from = dir == UIO_ZERO ? zeros : (char *)kbuf + done;

			if (dir == UIO_IN) {
				if (u->user)
					err = copy_from_user((char *)kbuf + done, (const void __user *)p, chunk);
				else
					memcpy((char *)kbuf + done, p, chunk);
			} else if (u->user) {
				err = copy_to_user((void __user *)p, from, chunk);
			} else {
				memcpy(p, from, chunk);
			}
		}
		if (err)
			return done ? (long)done : -EFAULT;
		done += chunk;
		u->seg_off += chunk;
		u->resid -= chunk;
		if (u->seg_off == s->len) {
			u->seg++;
			u->seg_off = 0;
		}
	}
	return (long)done;
}

long uio_copy_out(struct uio *u, const void *src, size_t n)
{
	return uio_move(u, (void *)src, n, UIO_OUT);
}

long uio_copy_in(struct uio *u, void *dst, size_t n)
{
	return uio_move(u, dst, n, UIO_IN);
}

long uio_zero(struct uio *u, size_t n)
{
	return uio_move(u, NULL, n, UIO_ZERO);
}
