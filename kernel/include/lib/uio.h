/*
 * A buffer for I/O that is either in user space or in the kernel. File
 * operations read and write through it, so that a pipe or a tmpfs file copies
 * straight to a program's memory and the same code serves kernel callers.
 */
#ifndef SABLE_LIB_UIO_H
#define SABLE_LIB_UIO_H

#include "lib/types.h"

struct uio_seg {
	void *base;
	size_t len;
};

#define UIO_MAX_SEGS 1024 /* IOV_MAX */

struct uio {
	struct uio_seg *segs;
	unsigned int nsegs;
	unsigned int seg;   /* current segment */
	size_t seg_off;     /* offset in it */
	size_t resid;       /* bytes left over all segments */
	bool user;          /* segments are user addresses */
};

/* A uio over one buffer. */
void uio_init_one(struct uio *u, struct uio_seg *seg, void *base, size_t len, bool user);
/* Copy n bytes from src into the uio (a read); returns bytes copied or -EFAULT
 * if nothing could be copied; a short copy stops at the first fault. */
long uio_copy_out(struct uio *u, const void *src, size_t n);
/* Copy n bytes from the uio into dst (a write); same convention. */
long uio_copy_in(struct uio *u, void *dst, size_t n);
/* Zero-fill n bytes of the uio (reads of holes, /dev/zero). */
long uio_zero(struct uio *u, size_t n);

#endif
