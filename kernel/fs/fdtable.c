/*
 * File descriptor tables (see fs/fdtable.h). The slot array grows by
 * doubling up to the caller's limit. Files are released outside the table
 * lock: a release may sleep (pipes, devices).
 */
#include "fs/fdtable.h"
#include "fs/fs.h"
#include "lib/string.h"
#include "mm/slab.h"

#define FD_INITIAL 64
#define BITS_PER_LONG 64

struct fd_table *fd_table_create(void)
{
	struct fd_table *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->count = 1;
	t->lock = (struct spinlock)SPINLOCK_INIT("fd_table");
	t->files = kcalloc(FD_INITIAL, sizeof(*t->files));
	t->cloexec = kcalloc(FD_INITIAL / BITS_PER_LONG, sizeof(unsigned long));
	if (!t->files || !t->cloexec) {
		kfree(t->files);
		kfree(t->cloexec);
		kfree(t);
		return NULL;
	}
	t->capacity = FD_INITIAL;
	return t;
}

static bool cloexec_test(const struct fd_table *t, unsigned int fd)
{
	return t->cloexec[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static void cloexec_set(struct fd_table *t, unsigned int fd, bool on)
{
	if (on)
		t->cloexec[fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
	else
		t->cloexec[fd / BITS_PER_LONG] &= ~(1UL << (fd % BITS_PER_LONG));
}

/*
 * Makes room for fd (capacity > fd). Allocation happens with the lock
 * dropped, so the caller must look again afterwards. 0 or -ENOMEM; called
 * and returns with t->lock held.
 */
static int fd_table_grow(struct fd_table *t, unsigned int fd)
{
	unsigned int cap = t->capacity;
	struct file **files;
	unsigned long *bits;

	while (cap <= fd)
		cap *= 2;
	spin_unlock(&t->lock);
	files = kcalloc(cap, sizeof(*files));
	bits = kcalloc(cap / BITS_PER_LONG, sizeof(unsigned long));
	spin_lock(&t->lock);
	if (!files || !bits) {
		kfree(files);
		kfree(bits);
		return -ENOMEM;
	}
	if (cap <= t->capacity) {
		/* Someone else grew it meanwhile. */
		kfree(files);
		kfree(bits);
		return 0;
	}
	memcpy(files, t->files, t->capacity * sizeof(*files));
	memcpy(bits, t->cloexec, t->capacity / BITS_PER_LONG * sizeof(unsigned long));
	kfree(t->files);
	kfree(t->cloexec);
	t->files = files;
	t->cloexec = bits;
	t->capacity = cap;
	return 0;
}

struct fd_table *fd_table_clone(struct fd_table *src)
{
	struct fd_table *t = fd_table_create();

	if (!t)
		return NULL;
	spin_lock(&src->lock);
	while (t->capacity < src->capacity) {
		unsigned int want = src->capacity;

		spin_unlock(&src->lock);
		spin_lock(&t->lock);
		if (fd_table_grow(t, want - 1)) {
			spin_unlock(&t->lock);
			fd_table_put(t);
			return NULL;
		}
		spin_unlock(&t->lock);
		spin_lock(&src->lock);
	}
	for (unsigned int fd = 0; fd < src->capacity; fd++) {
		if (src->files[fd]) {
			t->files[fd] = file_get(src->files[fd]);
			cloexec_set(t, fd, cloexec_test(src, fd));
		}
	}
	t->next_hint = src->next_hint;
	spin_unlock(&src->lock);
	return t;
}

struct fd_table *fd_table_get(struct fd_table *t)
{
	__atomic_add_fetch(&t->count, 1, __ATOMIC_RELAXED);
	return t;
}

/* Closes the fds for which keep() is false. */
static void fd_table_close_matching(struct fd_table *t, bool only_cloexec)
{
	for (unsigned int fd = 0;; fd++) {
		struct file *f = NULL;

		spin_lock(&t->lock);
		if (fd >= t->capacity) {
			spin_unlock(&t->lock);
			return;
		}
		if (t->files[fd] && (!only_cloexec || cloexec_test(t, fd))) {
			f = t->files[fd];
			t->files[fd] = NULL;
			cloexec_set(t, fd, false);
			if (fd < t->next_hint)
				t->next_hint = fd;
		}
		spin_unlock(&t->lock);
		file_put(f);
	}
}

void fd_table_close_on_exec(struct fd_table *t)
{
	fd_table_close_matching(t, true);
}

void fd_table_close_all(struct fd_table *t)
{
	fd_table_close_matching(t, false);
}

void fd_table_put(struct fd_table *t)
{
	if (!t || __atomic_sub_fetch(&t->count, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	fd_table_close_all(t);
	kfree(t->files);
	kfree(t->cloexec);
	kfree(t);
}

/* The lowest free fd >= min_fd below limit, growing the table; t->lock
 * held. -EMFILE when none. */
static int find_free(struct fd_table *t, unsigned int min_fd, unsigned int limit)
{
	unsigned int fd = MAX(min_fd, t->next_hint);

	for (;;) {
		while (fd < t->capacity && fd < limit && t->files[fd])
			fd++;
		if (fd >= limit)
			return -EMFILE;
		if (fd < t->capacity)
			return (int)fd;
		if (fd_table_grow(t, fd))
			return -ENOMEM;
	}
}

static unsigned int clamp_limit(unsigned long nofile)
{
	return nofile > FD_NR_OPEN ? FD_NR_OPEN : (unsigned int)nofile;
}

int fd_alloc(struct fd_table *t, struct file *f, unsigned int min_fd, bool cloexec,
	     unsigned long nofile)
{
	unsigned int limit = clamp_limit(nofile);
	int fd;

	if (min_fd >= limit)
		return -EINVAL;
	spin_lock(&t->lock);
	fd = find_free(t, min_fd, limit);
	if (fd >= 0) {
		t->files[fd] = file_get(f);
		cloexec_set(t, (unsigned int)fd, cloexec);
		if (min_fd <= t->next_hint)
			t->next_hint = (unsigned int)fd + 1;
	}
	spin_unlock(&t->lock);
	return fd;
}

struct file *fd_get_file(struct fd_table *t, int fd)
{
	struct file *f = NULL;

	spin_lock(&t->lock);
	if (fd >= 0 && (unsigned int)fd < t->capacity && t->files[fd])
		f = file_get(t->files[fd]);
	spin_unlock(&t->lock);
	return f ? f : ERR_PTR(-EBADF);
}

/* Takes the file out of slot fd; NULL when it was free. t->lock held. */
static struct file *fd_take(struct fd_table *t, unsigned int fd)
{
	struct file *f;

	if (fd >= t->capacity || !t->files[fd])
		return NULL;
	f = t->files[fd];
	t->files[fd] = NULL;
	cloexec_set(t, fd, false);
	if (fd < t->next_hint)
		t->next_hint = fd;
	return f;
}

int fd_close(struct fd_table *t, int fd)
{
	struct file *f = NULL;

	spin_lock(&t->lock);
	if (fd >= 0)
		f = fd_take(t, (unsigned int)fd);
	spin_unlock(&t->lock);
	if (!f)
		return -EBADF;
	/* close(2): the descriptor is free even if the release fails. */
	file_put(f);
	return 0;
}

int fd_dup(struct fd_table *t, int oldfd, unsigned int min_fd, bool cloexec,
	   unsigned long nofile)
{
	struct file *f = fd_get_file(t, oldfd);
	int fd;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fd = fd_alloc(t, f, min_fd, cloexec, nofile);
	file_put(f);
	return fd;
}

/* Puts f at newfd, closing what was there (dup2/dup3). */
static int fd_replace(struct fd_table *t, struct file *f, int newfd, bool cloexec)
{
	struct file *old;
	int err = 0;

	spin_lock(&t->lock);
	if ((unsigned int)newfd >= t->capacity)
		err = fd_table_grow(t, (unsigned int)newfd);
	if (err) {
		spin_unlock(&t->lock);
		return err;
	}
	old = t->files[newfd];
	t->files[newfd] = file_get(f);
	cloexec_set(t, (unsigned int)newfd, cloexec);
	spin_unlock(&t->lock);
	file_put(old);
	return newfd;
}

/* dup2(2): EBADF for a bad oldfd or a newfd out of range; the same fd
 * is returned as is once oldfd is known valid. */
int fd_dup2(struct fd_table *t, int oldfd, int newfd, unsigned long nofile)
{
	struct file *f = fd_get_file(t, oldfd);
	int r;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	if (newfd < 0 || (unsigned long)newfd >= clamp_limit(nofile))
		r = -EBADF;
	else if (newfd == oldfd)
		r = newfd;
	else
		r = fd_replace(t, f, newfd, false);
	file_put(f);
	return r;
}

/* dup3(2): EINVAL for flags other than O_CLOEXEC and for oldfd == newfd. */
int fd_dup3(struct fd_table *t, int oldfd, int newfd, unsigned int flags,
	    unsigned long nofile)
{
	struct file *f;
	int r;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	f = fd_get_file(t, oldfd);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	if (newfd < 0 || (unsigned long)newfd >= clamp_limit(nofile))
		r = -EBADF;
	else
		r = fd_replace(t, f, newfd, flags & O_CLOEXEC);
	file_put(f);
	return r;
}

int fd_get_cloexec(struct fd_table *t, int fd)
{
	int r = -EBADF;

	spin_lock(&t->lock);
	if (fd >= 0 && (unsigned int)fd < t->capacity && t->files[fd])
		r = cloexec_test(t, (unsigned int)fd);
	spin_unlock(&t->lock);
	return r;
}

int fd_set_cloexec(struct fd_table *t, int fd, bool on)
{
	int r = -EBADF;

	spin_lock(&t->lock);
	if (fd >= 0 && (unsigned int)fd < t->capacity && t->files[fd]) {
		cloexec_set(t, (unsigned int)fd, on);
		r = 0;
	}
	spin_unlock(&t->lock);
	return r;
}

int fd_table_for_each(struct fd_table *t, int (*fn)(int fd, struct file *f, void *arg),
		      void *arg)
{
	for (unsigned int fd = 0;; fd++) {
		struct file *f = NULL;
		int r;

		spin_lock(&t->lock);
		if (fd >= t->capacity) {
			spin_unlock(&t->lock);
			return 0;
		}
		if (t->files[fd])
			f = file_get(t->files[fd]);
		spin_unlock(&t->lock);
		if (!f)
			continue;
		r = fn((int)fd, f, arg);
		file_put(f);
		if (r)
			return r;
	}
}
