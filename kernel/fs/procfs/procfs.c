/*
 * procfs core: the file system type, the tree of registered entries, the
 * per-process directories and the generate-on-open files (proc(5)).
 *
 * Nothing here is stored: a directory's children are computed at lookup
 * and readdir (registered entries, "self", one directory per live
 * process), and a file's text is generated into a buffer when it is
 * opened. The dcache keeps positive dentries, so the dentries of exited
 * processes are pruned at each lookup in the root.
 */
#include "core/printk.h"
#include "fs/fdtable.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "core/subsystem.h"
#include "../internal.h"
#include "internal.h"

/* ---- proc_buf ---- */

void proc_write_bytes(struct proc_buf *b, const void *p, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

void proc_puts(struct proc_buf *b, const char *s)
{
	proc_write_bytes(b, s, strlen(s));
}

void proc_printf(struct proc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	/* vsnprintf needs room for its NUL too. */
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->overflow = true;
		return;
	}
	b->len += (size_t)n;
}

#define PROC_BUF_MIN 4096
#define PROC_BUF_MAX (4UL << 20)

/* Runs show until its text fits; the result is kmalloc'd in *out. */
static int proc_generate(struct proc_buf **out, int (*show)(struct proc_buf *, void *, void *),
			 void *a1, void *a2)
{
	struct proc_buf *b = kzalloc(sizeof(*b));
	size_t cap = PROC_BUF_MIN;
	int err;

	if (!b)
		return -ENOMEM;
	for (;;) {
		b->buf = kmalloc(cap);
		if (!b->buf) {
			kfree(b);
			return -ENOMEM;
		}
		b->cap = cap;
		b->len = 0;
		b->overflow = false;
		err = show(b, a1, a2);
		if (err || !b->overflow)
			break;
		kfree(b->buf);
		if (cap >= PROC_BUF_MAX) {
			kfree(b);
			return -EFBIG;
		}
		cap *= 2;
	}
	if (err) {
		kfree(b->buf);
		kfree(b);
		return err;
	}
	*out = b;
	return 0;
}

static void proc_buf_free(struct proc_buf *b)
{
	if (b) {
		kfree(b->buf);
		kfree(b);
	}
}

/* ---- registered entries ---- */

struct proc_entry {
	char name[32];
	u32 mode;                    /* S_IFDIR or S_IFREG with permissions */
	proc_show_fn show;
	proc_write_fn write;
	void *arg;
	struct list_head children;   /* [entries_lock] */
	struct list_head link;       /* [entries_lock] in the parent's children */
};

/* Entries are only ever added. Order: vfs_ns_lock, entries_lock. */
static struct mutex entries_lock = MUTEX_INIT(entries_lock, "procfs_entries");
static struct proc_entry root_entry = {
	.name = "/",
	.mode = S_IFDIR | 0555,
	.children = LIST_HEAD_INIT(root_entry.children),
};

static struct proc_entry *entry_child(struct proc_entry *dir, const char *name, size_t len)
{
	struct proc_entry *e;

	list_for_each_entry(e, &dir->children, link) {
		if (strlen(e->name) == len && !memcmp(e->name, name, len))
			return e;
	}
	return NULL;
}

static struct proc_entry *entry_new(struct proc_entry *dir, const char *name, size_t len,
				    u32 mode)
{
	struct proc_entry *e;

	if (len == 0 || len >= sizeof(e->name))
		return NULL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return NULL;
	memcpy(e->name, name, len);
	e->mode = mode;
	list_init(&e->children);
	list_add_tail(&e->link, &dir->children);
	return e;
}

int procfs_create(const char *path, u32 mode, proc_show_fn show, void *arg,
		  proc_write_fn write)
{
	struct proc_entry *dir = &root_entry, *e;
	int err = 0;

	mutex_lock(&entries_lock);
	for (;;) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);

		e = entry_child(dir, path, len);
		if (!slash) {
			if (e) {
				err = -EEXIST;
				break;
			}
			e = entry_new(dir, path, len, S_IFREG | (mode & 0777));
			if (!e) {
				err = -ENOMEM;
				break;
			}
			e->show = show;
			e->write = write;
			e->arg = arg;
			break;
		}
		if (!e)
			e = entry_new(dir, path, len, S_IFDIR | 0555);
		if (!e || !S_ISDIR(e->mode)) {
			err = e ? -ENOTDIR : -ENOMEM;
			break;
		}
		dir = e;
		path = slash + 1;
	}
	mutex_unlock(&entries_lock);
	return err;
}

/* ---- process snapshots ---- */

int proc_snap_get(int pid, struct proc_snap *s)
{
	struct process *p;
	unsigned long flags;

	memset(s, 0, sizeof(*s));
	flags = spin_lock_irqsave(&proc_tree_lock);
	p = proc_find(pid);
	if (!p) {
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		return -ESRCH;
	}
	s->pid = p->pid;
	s->ppid = p->parent && p->parent != p ? p->parent->pid : 0;
	s->pgid = p->pgid;
	s->sid = p->sid;
	if (p->state == PROC_ZOMBIE)
		s->state = 'Z';
	else if (p->stopped)
		s->state = 'T';
	else
		s->state = p == current_process() ? 'R' : 'S';
	memcpy(s->comm, p->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
	memcpy(s->exe, p->exe, sizeof(s->exe));
	s->exe[sizeof(s->exe) - 1] = '\0';
	s->start_ns = p->start_ns;
	s->utime_ns = p->utime_ns;
	{
		/* Live threads' CPU time too, not only that of exited ones. */
		struct task *t;

		list_for_each_entry(t, &p->threads, thread_link)
			s->utime_ns += t->runtime_ns;
	}
	s->stime_ns = p->stime_ns;
	s->cutime_ns = p->cutime_ns;
	s->cstime_ns = p->cstime_ns;
	s->cred = p->cred;
	s->nr_threads = p->nr_threads;
	s->exit_signal = p->exit_signal;
	memcpy(s->rlimits, p->rlimits, sizeof(s->rlimits));
	if (p->state != PROC_ZOMBIE) {
		if (p->mm)
			s->mm = mm_get(p->mm);
		if (p->files)
			s->files = fd_table_get(p->files);
		if (p->fs)
			s->fs = fs_state_get(p->fs);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return 0;
}

void proc_snap_put(struct proc_snap *s)
{
	if (s->mm)
		mm_put(s->mm);
	if (s->files)
		fd_table_put(s->files);
	if (s->fs)
		fs_state_put(s->fs);
	s->mm = NULL;
	s->files = NULL;
	s->fs = NULL;
}

static bool pid_alive(int pid)
{
	unsigned long flags = spin_lock_irqsave(&proc_tree_lock);
	bool alive = proc_find(pid) != NULL;

	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return alive;
}

/* ---- inodes ---- */

enum pnode_type {
	PN_ENTRY,      /* a registered directory or file */
	PN_SELF,       /* /proc/self */
	PN_PID,        /* /proc/[pid] */
	PN_PID_FILE,   /* /proc/[pid]/<pid_entries[i]> */
	PN_FD_DIR,     /* /proc/[pid]/fd */
	PN_FD,         /* /proc/[pid]/fd/N */
};

struct pnode {
	enum pnode_type type;
	struct proc_entry *entry;      /* PN_ENTRY */
	const struct pid_entry *pe;    /* PN_PID_FILE */
	int pid;
	int fd;
};

static struct pnode *PN(const struct inode *inode)
{
	return inode->i_private;
}

static const struct inode_operations proc_dir_iops;
static const struct inode_operations proc_link_iops;
static const struct inode_operations proc_file_iops;
static const struct file_operations proc_dir_fops;
static const struct file_operations proc_file_fops;

static struct inode *proc_inode(struct super_block *sb, u32 mode, const struct pnode *pn)
{
	struct inode *inode = inode_alloc(sb, mode);
	struct pnode *p;

	if (!inode)
		return NULL;
	p = kmalloc(sizeof(*p));
	if (!p) {
		iput(inode);
		return NULL;
	}
	*p = *pn;
	inode->i_private = p;
	if (S_ISDIR(mode)) {
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &proc_dir_fops;
		inode->i_nlink = 2;
	} else if (S_ISLNK(mode)) {
		inode->i_op = &proc_link_iops;
	} else {
		inode->i_op = &proc_file_iops;
		inode->i_fop = &proc_file_fops;
	}
	/* proc(5): a process's files belong to its effective ids. */
	if (pn->type != PN_ENTRY && pn->type != PN_SELF) {
		struct proc_snap s;

		if (!proc_snap_get(pn->pid, &s)) {
			inode->i_uid = s.cred.euid;
			inode->i_gid = s.cred.egid;
			proc_snap_put(&s);
		}
	}
	return inode;
}

static void proc_evict(struct inode *inode)
{
	kfree(inode->i_private);
}

/* Marks the cached dentries below d dead so that dput frees them. */
static void prune_tree(struct dentry *d)
{
	for (;;) {
		struct dentry *c = NULL;

		spin_lock(&dcache_lock);
		if (!list_empty(&d->d_children)) {
			c = list_first_entry(&d->d_children, struct dentry, d_child);
			c->d_count++;
		}
		spin_unlock(&dcache_lock);
		if (!c)
			return;
		prune_tree(c);
		d_delete(c);
		dput(c);
	}
}

#define PRUNE_BATCH 32

/*
 * The dcache never drops a positive dentry on its own, so /proc/[pid]
 * dentries would outlive their process: each lookup in the root drops
 * those of dead processes (a batch of unused ones; the rest next time,
 * as the live ones checked move to the back).
 * Called with vfs_ns_lock held (from lookup).
 */
static void prune_dead_pids(struct dentry *root)
{
	struct dentry *batch[PRUNE_BATCH], *c;
	unsigned int n = 0;

	spin_lock(&dcache_lock);
	list_for_each_entry(c, &root->d_children, d_child) {
		if (n == PRUNE_BATCH)
			break;
		if (c->d_inode && PN(c->d_inode)->type == PN_PID && c->d_count == 0) {
			c->d_count++;
			batch[n++] = c;
		}
	}
	spin_unlock(&dcache_lock);
	/* Liveness is checked outside dcache_lock (proc_tree_lock is an
	 * irqsave lock of its own). */
	for (unsigned int i = 0; i < n; i++) {
		if (!pid_alive(PN(batch[i]->d_inode)->pid)) {
			prune_tree(batch[i]);
			d_delete(batch[i]);
		} else {
			/* To the back, so that the next batch sees others.
			 * vfs_ns_lock keeps it in the list meanwhile. */
			spin_lock(&dcache_lock);
			list_del(&batch[i]->d_child);
			list_add_tail(&batch[i]->d_child, &root->d_children);
			spin_unlock(&dcache_lock);
		}
		dput(batch[i]);
	}
}

static int parse_num(const char *s, size_t len)
{
	int v = 0;

	if (len == 0 || len > 9 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int lookup_root(struct inode *dir, struct dentry *d)
{
	struct pnode pn = { 0 };
	struct inode *inode = NULL;
	int pid;

	prune_dead_pids(dir->i_sb->s_root);
	if (d->d_len == 4 && !memcmp(d->d_name, "self", 4)) {
		pn.type = PN_SELF;
		inode = proc_inode(dir->i_sb, S_IFLNK | 0777, &pn);
		goto out;
	}
	pid = parse_num(d->d_name, d->d_len);
	if (pid > 0 && pid_alive(pid)) {
		pn.type = PN_PID;
		pn.pid = pid;
		inode = proc_inode(dir->i_sb, S_IFDIR | 0555, &pn);
		goto out;
	}
	return 1; /* not ours: try the registered entries */
out:
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

static int proc_lookup(struct inode *dir, struct dentry *d)
{
	struct pnode *dp = PN(dir), pn = { 0 };
	struct inode *inode = NULL;

	switch (dp->type) {
	case PN_ENTRY: {
		struct proc_entry *e;
		int r;

		if (dp->entry == &root_entry) {
			r = lookup_root(dir, d);
			if (r <= 0)
				return r;
		}
		mutex_lock(&entries_lock);
		e = entry_child(dp->entry, d->d_name, d->d_len);
		mutex_unlock(&entries_lock);
		if (!e)
			return 0;
		pn.type = PN_ENTRY;
		pn.entry = e;
		inode = proc_inode(dir->i_sb, e->mode, &pn);
		break;
	}
	case PN_PID:
		if (!pid_alive(dp->pid))
			return 0;
		pn.pid = dp->pid;
		if (d->d_len == 2 && !memcmp(d->d_name, "fd", 2)) {
			pn.type = PN_FD_DIR;
			inode = proc_inode(dir->i_sb, S_IFDIR | 0500, &pn);
			break;
		}
		for (unsigned int i = 0; i < nr_pid_entries; i++) {
			const struct pid_entry *pe = &pid_entries[i];

			if (strlen(pe->name) == d->d_len && !memcmp(pe->name, d->d_name, d->d_len)) {
				pn.type = PN_PID_FILE;
				pn.pe = pe;
				inode = proc_inode(dir->i_sb, pe->mode, &pn);
				break;
			}
		}
		if (!inode && pn.type == PN_PID_FILE)
			return -ENOMEM;
		if (!pn.type)
			return 0;
		break;
	case PN_FD_DIR: {
		struct proc_snap s;
		struct file *f;
		int fd = parse_num(d->d_name, d->d_len);

		if (fd < 0 || proc_snap_get(dp->pid, &s))
			return 0;
		f = s.files ? fd_get_file(s.files, fd) : ERR_PTR(-EBADF);
		proc_snap_put(&s);
		if (IS_ERR(f))
			return 0;
		file_put(f);
		pn.type = PN_FD;
		pn.pid = dp->pid;
		pn.fd = fd;
		inode = proc_inode(dir->i_sb, S_IFLNK | 0700, &pn);
		break;
	}
	default:
		return -ENOTDIR;
	}
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

/* ---- directories ---- */

/* /proc/[pid]/fd lists the descriptors below this. */
#define FD_LIST_MAX 4096

/* Positions: 0 ".", 1 "..", then 2 + i for the i-th fixed child, then
 * DYN_BASE + n for the numbered children (pids, fds), in order. */
#define DYN_BASE 0x100000

static bool emit(struct dir_context *ctx, const char *name, u64 ino, unsigned int type)
{
	return ctx->actor(ctx, name, strlen(name), ino, type);
}

static bool emit_dots(struct file *f, struct dir_context *ctx)
{
	struct dentry *d = f->f_path.dentry;

	if (ctx->pos == 0) {
		if (!emit(ctx, ".", d->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!emit(ctx, "..", d->d_parent->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

/* Emits the numbers set in bits (nbits of them) from ctx->pos on. */
static void emit_numbers(struct dir_context *ctx, const u64 *bits, int nbits, unsigned int type,
			 u64 ino_base)
{
	int start = ctx->pos >= DYN_BASE ? (int)(ctx->pos - DYN_BASE) : 0;
	char name[16];

	for (int n = start; n < nbits; n++) {
		if (!(bits[n / 64] & (1ULL << (n % 64))))
			continue;
		snprintf(name, sizeof(name), "%d", n);
		ctx->pos = DYN_BASE + n;
		if (!emit(ctx, name, ino_base + (u64)n, type))
			return;
	}
	ctx->pos = DYN_BASE + nbits;
}

static void set_pid_bit(struct process *p, void *arg)
{
	u64 *bits = arg;

	if (p->pid > 0 && p->pid < PID_MAX)
		bits[p->pid / 64] |= 1ULL << (p->pid % 64);
}

static int set_fd_bit(int fd, struct file *f, void *arg)
{
	u64 *bits = arg;

	if (fd < FD_LIST_MAX)
		bits[fd / 64] |= 1ULL << (fd % 64);
	return 0;
}

static int iterate_entry_dir(struct file *f, struct dir_context *ctx, struct proc_entry *dir)
{
	struct proc_entry *e;
	s64 i = 2;
	bool more = true;

	mutex_lock(&entries_lock);
	list_for_each_entry(e, &dir->children, link) {
		if (i++ < ctx->pos)
			continue;
		if (!emit(ctx, e->name, 0x1000 + (u64)i, inode_dtype(e->mode))) {
			more = false;
			break;
		}
		ctx->pos = i;
	}
	mutex_unlock(&entries_lock);
	if (!more || dir != &root_entry)
		return 0;
	/* The root: "self", then one directory per process. */
	if (ctx->pos < DYN_BASE) {
		if (!emit(ctx, "self", 0x10, DT_LNK))
			return 0;
		ctx->pos = DYN_BASE;
	}
	{
		u64 *bits = kzalloc(PID_MAX / 8);
		unsigned long flags;

		if (!bits)
			return -ENOMEM;
		flags = spin_lock_irqsave(&proc_tree_lock);
		proc_for_each(set_pid_bit, bits);
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		emit_numbers(ctx, bits, PID_MAX, DT_DIR, 0x100000);
		kfree(bits);
	}
	return 0;
}

static int proc_iterate(struct file *f, struct dir_context *ctx)
{
	struct pnode *pn = PN(f->f_inode);

	if (!emit_dots(f, ctx))
		return 0;
	switch (pn->type) {
	case PN_ENTRY:
		return iterate_entry_dir(f, ctx, pn->entry);
	case PN_PID:
		if (!pid_alive(pn->pid))
			return 0;
		for (s64 i = ctx->pos - 2; i < (s64)nr_pid_entries + 1; i++) {
			const char *name = i < (s64)nr_pid_entries ? pid_entries[i].name : "fd";
			u32 mode = i < (s64)nr_pid_entries ? pid_entries[i].mode : S_IFDIR;

			if (!emit(ctx, name, 0x2000 + (u64)i, inode_dtype(mode)))
				return 0;
			ctx->pos = i + 3;
		}
		return 0;
	case PN_FD_DIR: {
		struct proc_snap s;
		u64 *bits;

		if (proc_snap_get(pn->pid, &s))
			return 0;
		bits = kzalloc(FD_LIST_MAX / 8);
		if (!bits) {
			proc_snap_put(&s);
			return -ENOMEM;
		}
		if (s.files)
			fd_table_for_each(s.files, set_fd_bit, bits);
		proc_snap_put(&s);
		emit_numbers(ctx, bits, FD_LIST_MAX, DT_LNK, 0x3000);
		kfree(bits);
		return 0;
	}
	default:
		return -ENOTDIR;
	}
}

/*
 * A cached /proc/[pid] dentry can outlive its process until pruned:
 * stat(2) of it, or of anything in it, says ENOENT once the process is
 * gone, as on Linux.
 */
static int proc_getattr(struct dentry *d, struct kstat *st)
{
	struct pnode *pn = PN(d->d_inode);

	if (pn->type == PN_ENTRY || pn->type == PN_SELF)
		return 0;
	return pid_alive(pn->pid) ? 0 : -ENOENT;
}

static const struct inode_operations proc_dir_iops = {
	.lookup = proc_lookup,
	.getattr = proc_getattr,
};

static const struct file_operations proc_dir_fops = {
	.iterate = proc_iterate,
};

/* ---- symlinks ---- */

/*
 * The path of p as the calling process sees it, for readlink, which runs
 * with vfs_ns_lock held (so vfs_path_name, which takes it, cannot be
 * used). Returns the length (no NUL) of the text put at the start of buf.
 */
long proc_path_name_locked(const struct path *p, char *buf, size_t size)
{
	struct fs_state *fs = current_process()->fs;
	struct mount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	struct path root;
	char *tmp = kmalloc(PATH_MAX);
	size_t pos = PATH_MAX;
	const char *suffix = (d->d_flags & DENTRY_DEAD) ? " (deleted)" : "";
	long len;

	if (!tmp)
		return -ENOMEM;
	spin_lock(&fs->lock);
	root = fs->root;
	spin_unlock(&fs->lock);
	while (!(d == root.dentry && mnt == root.mnt)) {
		if (d->d_parent == d && d != mnt->m_root) {
			/* In no directory (a pipe): its name is all it has. */
			pos = PATH_MAX - d->d_len;
			memcpy(tmp + pos, d->d_name, d->d_len);
			suffix = "";
			break;
		}
		if (d == mnt->m_root) {
			if (mnt->m_parent == mnt)
				break; /* outside the caller's root: shown from the top */
			d = mnt->m_mountpoint;
			mnt = mnt->m_parent;
			continue;
		}
		if (pos < d->d_len + 1) {
			kfree(tmp);
			return -ENAMETOOLONG;
		}
		pos -= d->d_len;
		memcpy(tmp + pos, d->d_name, d->d_len);
		tmp[--pos] = '/';
		d = d->d_parent;
	}
	if (pos == PATH_MAX)
		tmp[--pos] = '/';
	len = (long)(PATH_MAX - pos);
	memcpy(buf, tmp + pos, MIN((size_t)len, size));
	if ((size_t)len < size)
		strlcpy(buf + len, suffix, size - (size_t)len);
	len += (long)strlen(suffix);
	kfree(tmp);
	return len;
}

static long proc_readlink(struct dentry *d, char *buf, size_t size)
{
	struct pnode *pn = PN(d->d_inode);
	struct proc_snap s;
	char *tmp;
	long n;

	if (pn->type == PN_SELF) {
		char num[16];

		n = snprintf(num, sizeof(num), "%d", current_process()->pid);
		memcpy(buf, num, MIN((size_t)n, size));
		return n;
	}
	if (proc_snap_get(pn->pid, &s))
		return -ENOENT;
	tmp = kmalloc(PATH_MAX);
	if (!tmp) {
		proc_snap_put(&s);
		return -ENOMEM;
	}
	if (pn->type == PN_FD) {
		struct file *f = s.files ? fd_get_file(s.files, pn->fd) : ERR_PTR(-EBADF);

		if (IS_ERR(f)) {
			n = -ENOENT;
		} else {
			n = proc_path_name_locked(&f->f_path, tmp, PATH_MAX);
			file_put(f);
		}
	} else {
		n = pn->pe->link(&s, tmp, PATH_MAX);
	}
	proc_snap_put(&s);
	if (n > 0)
		memcpy(buf, tmp, MIN((size_t)n, size));
	kfree(tmp);
	return n;
}

static const struct inode_operations proc_link_iops = {
	.readlink = proc_readlink,
	.getattr = proc_getattr,
};

/* ---- files ---- */

static int show_entry(struct proc_buf *b, void *a1, void *a2)
{
	struct proc_entry *e = a1;

	return e->show ? e->show(b, e->arg) : 0;
}

static int show_pid_file(struct proc_buf *b, void *a1, void *a2)
{
	const struct pid_entry *pe = a1;
	struct proc_snap *s = a2;

	return pe->show(b, s);
}

static int proc_file_open(struct inode *inode, struct file *f)
{
	struct pnode *pn = PN(inode);
	struct proc_buf *b = NULL;
	int err = 0;

	if (!(f->f_mode & FMODE_READ))
		return 0;
	if (pn->type == PN_ENTRY) {
		err = proc_generate(&b, show_entry, pn->entry, NULL);
	} else {
		struct proc_snap s;

		if (proc_snap_get(pn->pid, &s))
			return -ESRCH;
		err = proc_generate(&b, show_pid_file, (void *)pn->pe, &s);
		proc_snap_put(&s);
	}
	if (err)
		return err;
	f->private_data = b;
	f->f_mode |= FMODE_LSEEK;
	return 0;
}

static void proc_file_release(struct inode *inode, struct file *f)
{
	proc_buf_free(f->private_data);
}

static long proc_file_read(struct file *f, struct uio *u, s64 *pos)
{
	struct proc_buf *b = f->private_data;
	long n;

	if (!b)
		return -EBADF;
	if (*pos < 0)
		return -EINVAL;
	if ((u64)*pos >= b->len)
		return 0;
	n = uio_copy_out(u, b->buf + *pos, MIN(b->len - (size_t)*pos, u->resid));
	if (n > 0)
		*pos += n;
	return n;
}

#define PROC_WRITE_MAX 4096

static long proc_file_write(struct file *f, struct uio *u, s64 *pos)
{
	struct pnode *pn = PN(f->f_inode);
	size_t len = MIN(u->resid, (size_t)PROC_WRITE_MAX - 1);
	char *kbuf;
	long n;
	int err;

	if (pn->type != PN_ENTRY || !pn->entry->write)
		return -EINVAL;
	kbuf = kmalloc(PROC_WRITE_MAX);
	if (!kbuf)
		return -ENOMEM;
	n = uio_copy_in(u, kbuf, len);
	if (n < 0) {
		kfree(kbuf);
		return n;
	}
	kbuf[n] = '\0';
	err = pn->entry->write(pn->entry->arg, kbuf, (size_t)n);
	kfree(kbuf);
	return err ? err : n;
}

static s64 proc_file_llseek(struct file *f, s64 off, int whence)
{
	struct proc_buf *b = f->private_data;

	return generic_llseek(f, off, whence, b ? (s64)b->len : 0);
}

static const struct inode_operations proc_file_iops = {
	.getattr = proc_getattr,
};

static const struct file_operations proc_file_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_file_write,
	.llseek = proc_file_llseek,
};

/* ---- the file system ---- */

static void proc_statfs(struct super_block *sb, struct kstatfs *st)
{
	st->bsize = PAGE_SIZE;
	st->namelen = NAME_MAX;
}

static const struct super_operations proc_sops = {
	.evict = proc_evict,
	.statfs = proc_statfs,
};

static struct super_block *proc_mount(const struct fs_type *t, const char *source,
				      unsigned long flags, const void *data)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct pnode pn = { .type = PN_ENTRY, .entry = &root_entry };
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_dev = fs_anon_dev();
	sb->s_magic = PROC_SUPER_MAGIC;
	sb->s_type = t;
	sb->s_op = &proc_sops;
	sb->s_blocksize = PAGE_SIZE;
	/* Inode numbers of the generated inodes start past the fixed ones
	 * that readdir reports. */
	sb->s_next_ino = 0x10000000;
	root = proc_inode(sb, S_IFDIR | 0555, &pn);
	if (!root)
		goto out_free;
	root->i_ino = 1;
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

static void proc_kill_sb(struct super_block *sb)
{
	prune_tree(sb->s_root);
	sb->s_root->d_flags |= DENTRY_DEAD;
	dput(sb->s_root);
	kfree(sb);
}

static struct fs_type proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
	.kill_sb = proc_kill_sb,
};

static int procfs_init(void)
{
	int err = fs_type_register(&proc_fs_type);

	if (err)
		return err;
	return procfs_register_generic();
}

SUBSYSTEM(procfs, DEPS("vfs", "process"), procfs_init, false);
