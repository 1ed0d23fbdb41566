/*
 * Pipes and FIFOs (pipe(7), fifo(7)). Both are a struct pipe: a ring buffer
 * with counts of open read and write ends. Anonymous pipes live on an
 * internal pipefs mount; a FIFO is a tmpfs inode whose pipe exists while
 * some end is open (its data goes when the last end closes).
 *
 * Locks: fifo_lock (mutex) guards inode->i_pipe and the life of a pipe
 * (readers + writers reaching zero); pipe->lock guards everything else in
 * it. fifo_lock is taken before pipe->lock.
 */
#include "internal.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "arch/uaccess.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/slab.h"

struct pipe {
	struct mutex lock;
	char *buf;
	u32 size;                 /* [lock] capacity */
	u32 head;                 /* [lock] next byte to read */
	u32 count;                /* [lock] bytes in the ring */
	u32 readers, writers;     /* [lock] + [fifo_lock] to reach zero */
	u32 r_counter, w_counter; /* [lock] opens of each end so far */
	struct wait_queue rd_wait; /* readers waiting for data or a writer */
	struct wait_queue wr_wait; /* writers waiting for room or a reader */
	bool fifo;
};

static struct mutex fifo_lock = MUTEX_INIT(fifo_lock, "fifo");
static struct mount *pipe_mnt;
static const struct file_operations pipe_fops;

static struct pipe *pipe_alloc(bool fifo)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->buf = kmalloc(PIPE_DEFAULT_SIZE);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	p->size = PIPE_DEFAULT_SIZE;
	p->fifo = fifo;
	mutex_init(&p->lock, "pipe");
	wait_queue_init(&p->rd_wait);
	wait_queue_init(&p->wr_wait);
	return p;
}

static void pipe_free(struct pipe *p)
{
	kfree(p->buf);
	kfree(p);
}

/*
 * Sleeps on wq with p->lock dropped; returns with it held again.
 * -ERESTARTSYS when fs_wait_interrupted() says so (the signal code makes
 * it EINTR or restarts the call), checked before sleeping too so a signal
 * that is already pending is not slept through.
 */
static int pipe_wait(struct pipe *p, struct wait_queue *wq)
{
	struct waiter w = { 0 };

	prepare_to_wait(wq, &w, TASK_INTERRUPTIBLE);
	if (fs_wait_interrupted()) {
		finish_wait(wq, &w);
		return -ERESTARTSYS;
	}
	mutex_unlock(&p->lock);
	schedule();
	finish_wait(wq, &w);
	mutex_lock(&p->lock);
	return fs_wait_interrupted() ? -ERESTARTSYS : 0;
}

static bool nonblocking(struct file *f)
{
	return vfs_get_flags(f) & O_NONBLOCK;
}

/* ---- I/O ---- */

static long pipe_read(struct file *f, struct uio *u, s64 *pos)
{
	struct pipe *p = f->private_data;
	long r = 0;

	if (!u->resid)
		return 0;
	mutex_lock(&p->lock);
	while (!p->count) {
		/* pipe(7): end of file once no writer is left. */
		if (!p->writers)
			goto out_unlock;
		if (nonblocking(f)) {
			r = -EAGAIN;
			goto out_unlock;
		}
		r = pipe_wait(p, &p->rd_wait);
		if (r)
			goto out_unlock;
	}
	while (p->count && u->resid) {
		size_t chunk = MIN((size_t)p->count, (size_t)(p->size - p->head));
		long n = uio_copy_out(u, p->buf + p->head, MIN(chunk, u->resid));

		if (n <= 0) {
			if (!r)
				r = n ? n : -EFAULT;
			break;
		}
		p->head = (p->head + (u32)n) % p->size;
		p->count -= (u32)n;
		r += n;
		if ((size_t)n < MIN(chunk, u->resid))
			break;
	}
	if (!p->count)
		p->head = 0;
	wake_up_all(&p->wr_wait);
	inode_touch(f->f_inode, true, false, false);
out_unlock:
	mutex_unlock(&p->lock);
	return r;
}

/* Copies up to n bytes from u into the ring; returns the count or -EFAULT. */
static long pipe_fill(struct pipe *p, struct uio *u, size_t n)
{
	long done = 0;

	while ((size_t)done < n) {
		u32 tail = (p->head + p->count) % p->size;
		size_t chunk = MIN(n - (size_t)done, (size_t)(p->size - tail));
		long c = uio_copy_in(u, p->buf + tail, chunk);

		if (c <= 0)
			return done ? done : (c ? c : -EFAULT);
		p->count += (u32)c;
		done += c;
		if ((size_t)c < chunk)
			break;
	}
	return done;
}

/*
 * pipe(7): a write of at most PIPE_BUF bytes goes in whole or waits; a
 * larger one may be split. -EPIPE with no reader (the caller raises
 * SIGPIPE), -EAGAIN when O_NONBLOCK would block with nothing written.
 */
static long pipe_write(struct file *f, struct uio *u, s64 *pos)
{
	struct pipe *p = f->private_data;
	size_t total = u->resid;
	bool atomic = total <= PIPE_BUF;
	long written = 0, err = 0;

	if (!total)
		return 0;
	mutex_lock(&p->lock);
	while (u->resid) {
		size_t room = p->size - p->count;

		if (!p->readers) {
			err = -EPIPE;
			break;
		}
		if (room && (!atomic || room >= total)) {
			long n = pipe_fill(p, u, MIN(room, u->resid));

			if (n < 0) {
				err = n;
				break;
			}
			written += n;
			wake_up_all(&p->rd_wait);
			if (!u->resid || (size_t)n < MIN(room, total))
				break;
			continue;
		}
		if (nonblocking(f)) {
			err = -EAGAIN;
			break;
		}
		err = pipe_wait(p, &p->wr_wait);
		if (err)
			break;
	}
	if (written)
		inode_touch(f->f_inode, false, true, true);
	mutex_unlock(&p->lock);
	return written ? written : err;
}

static unsigned int pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private_data;
	unsigned int mask = 0;

	poll_wait(f, &p->rd_wait, pt);
	poll_wait(f, &p->wr_wait, pt);
	mutex_lock(&p->lock);
	if (f->f_mode & FMODE_READ) {
		if (p->count)
			mask |= POLLIN | POLLRDNORM;
		/* fifo(7)/poll(2): hang-up once every writer has gone, but a
		 * FIFO reader that never saw a writer is not hung up. */
		if (!p->writers && (!p->fifo || f->f_version != p->w_counter))
			mask |= POLLHUP;
	}
	if (f->f_mode & FMODE_WRITE) {
		if (p->size - p->count >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	mutex_unlock(&p->lock);
	return mask;
}

long pipe_nread(struct file *f)
{
	struct pipe *p;
	long n;

	if (f->f_op != &pipe_fops)
		return -EINVAL;
	p = f->private_data;
	mutex_lock(&p->lock);
	n = p->count;
	mutex_unlock(&p->lock);
	return n;
}

long pipe_get_size(struct file *f)
{
	if (f->f_op != &pipe_fops)
		return -EINVAL;
	return ((struct pipe *)f->private_data)->size;
}

/* fcntl(2) F_SETPIPE_SZ: rounded up to a power of two pages; EBUSY when
 * the data in the pipe would not fit. */
long pipe_set_size(struct file *f, unsigned long size)
{
	struct pipe *p;
	unsigned long want = PIPE_MIN_SIZE;
	char *buf;
	long r;

	if (f->f_op != &pipe_fops)
		return -EINVAL;
	if (size > PIPE_MAX_SIZE)
		return -EPERM;
	while (want < size)
		want <<= 1;
	p = f->private_data;
	buf = kmalloc(want);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&p->lock);
	if (p->count > want) {
		r = -EBUSY;
		kfree(buf);
	} else {
		for (u32 i = 0; i < p->count; i++)
			buf[i] = p->buf[(p->head + i) % p->size];
		kfree(p->buf);
		p->buf = buf;
		p->head = 0;
		p->size = (u32)want;
		r = (long)want;
		wake_up_all(&p->wr_wait);
	}
	mutex_unlock(&p->lock);
	return r;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	n = (int)pipe_nread(f);
	return copy_to_user((int __user *)arg, &n, sizeof(n));
}

/* Drops one open end; frees the pipe with the last. */
static void pipe_release(struct inode *inode, struct file *f)
{
	struct pipe *p = f->private_data;
	bool last;

	mutex_lock(&fifo_lock);
	mutex_lock(&p->lock);
	if (f->f_mode & FMODE_READ)
		p->readers--;
	if (f->f_mode & FMODE_WRITE)
		p->writers--;
	last = !p->readers && !p->writers;
	wake_up_all(&p->rd_wait);
	wake_up_all(&p->wr_wait);
	mutex_unlock(&p->lock);
	if (last && p->fifo)
		inode->i_pipe = NULL;
	mutex_unlock(&fifo_lock);
	if (last)
		pipe_free(p);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* ---- FIFOs ---- */

/* Frees a FIFO's pipe that a failed open left with no end open. */
static void fifo_put_if_unused(struct inode *inode, struct pipe *p)
{
	bool unused;

	mutex_lock(&fifo_lock);
	mutex_lock(&p->lock);
	unused = !p->readers && !p->writers;
	mutex_unlock(&p->lock);
	if (unused)
		inode->i_pipe = NULL;
	mutex_unlock(&fifo_lock);
	if (unused)
		pipe_free(p);
}

/* Waits until the counter of the other end moves (an open of it). */
static int wait_for_partner(struct pipe *p, struct wait_queue *wq, const u32 *counter)
{
	u32 seen = *counter;
	int err = 0;

	while (*counter == seen && !err)
		err = pipe_wait(p, wq);
	return err;
}

/*
 * fifo(7): opening for reading blocks until a writer opens, and for
 * writing until a reader does; O_NONBLOCK read opens succeed at once,
 * O_NONBLOCK write opens fail with ENXIO while no reader is there.
 * O_RDWR never blocks (Linux).
 */
static int fifo_open(struct inode *inode, struct file *f)
{
	bool nonblock = f->f_flags & O_NONBLOCK;
	struct pipe *p;
	int err = 0;

	mutex_lock(&fifo_lock);
	p = inode->i_pipe;
	if (!p) {
		p = pipe_alloc(true);
		if (!p) {
			mutex_unlock(&fifo_lock);
			return -ENOMEM;
		}
		inode->i_pipe = p;
	}
	mutex_lock(&p->lock);
	mutex_unlock(&fifo_lock);
	f->private_data = p;
	f->f_op = &pipe_fops;
	f->f_mode &= ~FMODE_LSEEK;

	switch (f->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		p->readers++;
		p->r_counter++;
		wake_up_all(&p->wr_wait);
		if (!p->writers && !nonblock)
			err = wait_for_partner(p, &p->rd_wait, &p->w_counter);
		break;
	case FMODE_WRITE:
		if (!p->readers && nonblock) {
			err = -ENXIO;
			break;
		}
		p->writers++;
		p->w_counter++;
		wake_up_all(&p->rd_wait);
		if (!p->readers)
			err = wait_for_partner(p, &p->wr_wait, &p->r_counter);
		break;
	case FMODE_READ | FMODE_WRITE:
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		wake_up_all(&p->rd_wait);
		wake_up_all(&p->wr_wait);
		break;
	default:
		err = -EINVAL;
	}
	/* The writer count a reader opened with, for POLLHUP. */
	f->f_version = p->w_counter;
	mutex_unlock(&p->lock);
	if (err) {
		/* Undo this end; the failed open gets no release call. */
		if (err != -ENXIO && err != -EINVAL)
			pipe_release(inode, f);
		else
			fifo_put_if_unused(inode, p);
	}
	return err;
}

const struct file_operations fifo_fops = {
	.open = fifo_open,
};

void pipe_inode_evict(struct inode *inode)
{
	/* An open end holds a reference to the inode through its dentry, so
	 * a FIFO inode only goes once its pipe is gone. */
	if (inode->i_pipe)
		pipe_free(inode->i_pipe);
	inode->i_pipe = NULL;
}

/* ---- anonymous pipes ---- */

static struct super_block *pipefs_mount(const struct fs_type *t, const char *source,
					unsigned long flags, const void *data)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_dev = fs_anon_dev();
	sb->s_magic = 0x50495045; /* PIPEFS_MAGIC */
	sb->s_type = t;
	sb->s_blocksize = PAGE_SIZE;
	root = inode_alloc(sb, S_IFDIR | 0500);
	if (!root)
		goto out_free;
	sb->s_root = d_alloc_root(sb, root);
	if (!sb->s_root) {
		iput(root);
		goto out_free;
	}
	return sb;
out_free:
	kfree(sb);
	return ERR_PTR(-ENOMEM);
}

static struct fs_type pipefs_type = {
	.name = "pipefs",
	.mount = pipefs_mount,
};

int pipe_init(void)
{
	struct mount *m = vfs_kern_mount(&pipefs_type, "pipe:");

	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	pipe_mnt = m;
	return 0;
}

/* An inode and dentry on pipefs for a new pipe. */
static int pipe_path(struct path *out)
{
	struct super_block *sb = pipe_mnt->m_sb;
	struct inode *inode = inode_alloc(sb, S_IFIFO | 0600);
	struct dentry *d;
	char name[32];

	if (!inode)
		return -ENFILE;
	inode->i_fop = &pipe_fops;
	/* What readlink of /proc/self/fd/N shows, as on Linux. */
	snprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)inode->i_ino);
	d = d_alloc_anon(sb, inode, name);
	if (!d) {
		iput(inode);
		return -ENFILE;
	}
	/* Not in any directory: freed with its last reference. */
	d->d_flags |= DENTRY_DEAD;
	out->mnt = mnt_get(pipe_mnt);
	out->dentry = d;
	return 0;
}

int vfs_pipe(struct file *files[2], unsigned int flags)
{
	struct path path;
	struct pipe *p;
	struct file *r, *w;
	int err;

	/* pipe2(2): EINVAL for flags other than O_NONBLOCK, O_CLOEXEC,
	 * O_DIRECT (packet mode is not supported: EINVAL). */
	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	p = pipe_alloc(false);
	if (!p)
		return -ENFILE;
	err = pipe_path(&path);
	if (err)
		goto out_free_pipe;
	r = file_alloc(&path, O_RDONLY | (flags & O_NONBLOCK), FMODE_READ);
	if (IS_ERR(r)) {
		err = (int)PTR_ERR(r);
		goto out_put_path;
	}
	w = file_alloc(&path, O_WRONLY | (flags & O_NONBLOCK), FMODE_WRITE);
	if (IS_ERR(w)) {
		err = (int)PTR_ERR(w);
		goto out_put_r;
	}
	path_put(&path);
	p->readers = p->writers = 1;
	r->private_data = w->private_data = p;
	r->f_op = w->f_op = &pipe_fops;
	files[0] = r;
	files[1] = w;
	return 0;
out_put_r:
	r->f_op = NULL; /* no release: the pipe is freed below */
	file_put(r);
out_put_path:
	path_put(&path);
out_free_pipe:
	pipe_free(p);
	return err;
}
