/*
 * The files of /proc/[pid] (proc(5)), in Linux's formats so that ps, top
 * and pidof parse them.
 */
#include "core/time.h"
#include "fs/fdtable.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "internal.h"

/* USER_HZ: proc(5) reports times in clock ticks of 1/100 s. */
#define USER_HZ 100
#define NS_PER_TICK (1000000000ULL / USER_HZ)

static unsigned long long ticks(u64 ns)
{
	return (unsigned long long)(ns / NS_PER_TICK);
}

struct mm_sizes {
	unsigned long vm_pages, rss_pages, text_pages, data_pages, stack_pages;
	unsigned long start_code, end_code, start_data, end_data;
};

static int add_vma(const struct vm_area *vma, void *arg)
{
	struct mm_sizes *sz = arg;
	unsigned long pages = (vma->end - vma->start) >> PAGE_SHIFT;

	sz->vm_pages += pages;
	if (vma->flags & VM_GROWSDOWN)
		sz->stack_pages += pages;
	else if ((vma->prot & VM_EXEC) && vma->file) {
		sz->text_pages += pages;
		if (!sz->start_code)
			sz->start_code = vma->start;
		sz->end_code = vma->end;
	} else if (vma->prot & VM_WRITE) {
		sz->data_pages += pages;
		if (vma->file && !sz->start_data)
			sz->start_data = vma->start;
		if (vma->file)
			sz->end_data = vma->end;
	}
	return 0;
}

static void mm_sizes(struct mm *mm, struct mm_sizes *sz)
{
	memset(sz, 0, sizeof(*sz));
	if (!mm)
		return;
	mm_walk_vmas(mm, add_vma, sz);
	mutex_lock(&mm->lock);
	sz->rss_pages = mm->resident_pages;
	mutex_unlock(&mm->lock);
}

/* proc(5) /proc/[pid]/stat: 52 fields on one line. */
static int show_stat(struct proc_buf *b, struct proc_snap *s)
{
	struct mm_sizes sz;
	struct mm *mm = s->mm;
	unsigned long start_brk = 0;

	mm_sizes(mm, &sz);
	if (mm) {
		mutex_lock(&mm->lock);
		start_brk = mm->start_brk;
		mutex_unlock(&mm->lock);
	}
	proc_printf(b, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %llu %llu %llu %llu 20 0 %u 0 %llu "
		    "%lu %lu %llu %lu %lu %lu 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 %lu %lu %lu %lu %lu "
		    "%lu %lu 0\n",
		    s->pid, s->comm, s->state, s->ppid, s->pgid, s->sid,
		    ticks(s->utime_ns), ticks(s->stime_ns), ticks(s->cutime_ns),
		    ticks(s->cstime_ns), s->nr_threads ? s->nr_threads : 1, ticks(s->start_ns),
		    sz.vm_pages << PAGE_SHIFT, sz.rss_pages,
		    (unsigned long long)s->rlimits[RLIMIT_RSS].cur, sz.start_code, sz.end_code,
		    mm ? mm->start_stack : 0, s->exit_signal, sz.start_data, sz.end_data,
		    start_brk, mm ? mm->arg_start : 0, mm ? mm->arg_end : 0,
		    mm ? mm->env_start : 0, mm ? mm->env_end : 0);
	return 0;
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "S (sleeping)";
	}
}

static int count_fd(int fd, struct file *f, void *arg)
{
	int *max = arg;

	if (fd + 1 > *max)
		*max = fd + 1;
	return 0;
}

static int show_status(struct proc_buf *b, struct proc_snap *s)
{
	struct mm_sizes sz;
	int fdsize = 0;

	mm_sizes(s->mm, &sz);
	if (s->files)
		fd_table_for_each(s->files, count_fd, &fdsize);
	proc_printf(b, "Name:\t%s\n", s->comm);
	proc_printf(b, "Umask:\t%04o\n", s->fs ? s->fs->umask : 022);
	proc_printf(b, "State:\t%s\n", state_name(s->state));
	proc_printf(b, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s->pid, s->pid,
		    s->ppid);
	proc_printf(b, "Uid:\t%u\t%u\t%u\t%u\n", s->cred.uid, s->cred.euid, s->cred.suid,
		    s->cred.fsuid);
	proc_printf(b, "Gid:\t%u\t%u\t%u\t%u\n", s->cred.gid, s->cred.egid, s->cred.sgid,
		    s->cred.fsgid);
	proc_printf(b, "FDSize:\t%d\nGroups:\t", fdsize < 64 ? 64 : fdsize);
	for (unsigned int i = 0; i < s->cred.ngroups && i < CRED_GROUPS_INLINE; i++)
		proc_printf(b, "%u ", s->cred.groups[i]);
	proc_puts(b, "\n");
	if (s->mm) {
		proc_printf(b, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n", sz.vm_pages * 4,
			    sz.vm_pages * 4);
		proc_printf(b, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", sz.rss_pages * 4,
			    sz.rss_pages * 4);
		proc_printf(b, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
			    sz.data_pages * 4, sz.stack_pages * 4, sz.text_pages * 4);
	}
	proc_printf(b, "Threads:\t%u\n", s->nr_threads ? s->nr_threads : 1);
	proc_puts(b, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n");
	return 0;
}

/* size resident shared text lib data dt, in pages (proc(5)). */
static int show_statm(struct proc_buf *b, struct proc_snap *s)
{
	struct mm_sizes sz;

	mm_sizes(s->mm, &sz);
	proc_printf(b, "%lu %lu 0 %lu 0 %lu 0\n", sz.vm_pages, sz.rss_pages, sz.text_pages,
		    sz.data_pages + sz.stack_pages);
	return 0;
}

/* Copies [start, end) of the process's memory: the argument or
 * environment strings exec placed on its stack. */
static int show_user_range(struct proc_buf *b, struct mm *mm, unsigned long start,
			   unsigned long end)
{
	char chunk[256];

	if (!mm || end <= start)
		return 0;
	while (start < end) {
		size_t n = MIN((size_t)(end - start), sizeof(chunk));

		if (mm_access(mm, start, chunk, n, MM_ACCESS_FORCE))
			break; /* unmapped since: what was read stands */
		proc_write_bytes(b, chunk, n);
		start += n;
	}
	return 0;
}

static int show_cmdline(struct proc_buf *b, struct proc_snap *s)
{
	return s->mm ? show_user_range(b, s->mm, s->mm->arg_start, s->mm->arg_end) : 0;
}

static int show_environ(struct proc_buf *b, struct proc_snap *s)
{
	return s->mm ? show_user_range(b, s->mm, s->mm->env_start, s->mm->env_end) : 0;
}

static int show_comm(struct proc_buf *b, struct proc_snap *s)
{
	proc_printf(b, "%s\n", s->comm);
	return 0;
}

/* maps: the VMAs are copied under mm->lock, then named without it (path
 * names take vfs_ns_lock, which must not nest inside mm->lock). */
struct vma_copy {
	unsigned long start, end;
	unsigned int prot, flags;
	u64 offset;
	struct file *file;
};

struct vma_list {
	struct vma_copy *v;
	unsigned int n, cap;
};

static int copy_vma(const struct vm_area *vma, void *arg)
{
	struct vma_list *l = arg;
	struct vma_copy *c;

	if (l->n == l->cap)
		return 1; /* the caller retries with more room */
	c = &l->v[l->n++];
	c->start = vma->start;
	c->end = vma->end;
	c->prot = vma->prot;
	c->flags = vma->flags;
	c->file = vma->file ? file_get(vma->file) : NULL;
	c->offset = vma->file ? mm_vma_file_offset(vma) : 0;
	return 0;
}

static void vma_list_free(struct vma_list *l)
{
	for (unsigned int i = 0; i < l->n; i++) {
		if (l->v[i].file)
			file_put(l->v[i].file);
	}
	kfree(l->v);
	l->v = NULL;
	l->n = 0;
}

static int show_maps(struct proc_buf *b, struct proc_snap *s)
{
	struct vma_list l = { 0 };
	unsigned long start_brk = 0, brk = 0;
	struct fs_context ctx;
	char *name;
	int r;

	if (!s->mm)
		return 0;
	for (l.cap = 64;; l.cap *= 4) {
		l.v = kmalloc(l.cap * sizeof(*l.v));
		if (!l.v)
			return -ENOMEM;
		r = mm_walk_vmas(s->mm, copy_vma, &l);
		if (!r)
			break;
		vma_list_free(&l);
	}
	mutex_lock(&s->mm->lock);
	start_brk = s->mm->start_brk;
	brk = s->mm->brk;
	mutex_unlock(&s->mm->lock);
	name = kmalloc(PATH_MAX);
	if (!name) {
		vma_list_free(&l);
		return -ENOMEM;
	}
	proc_fs_context(&ctx);
	for (unsigned int i = 0; i < l.n; i++) {
		struct vma_copy *v = &l.v[i];
		u64 ino = 0;
		u32 dev = 0;
		size_t before = b->len;
		const char *label = NULL;

		if (v->file) {
			ino = v->file->f_inode->i_ino;
			dev = v->file->f_inode->i_sb ? v->file->f_inode->i_sb->s_dev : 0;
			if (vfs_path_name(&ctx, &v->file->f_path, name, PATH_MAX) > 0)
				label = name;
		} else if (v->flags & VM_GROWSDOWN) {
			label = "[stack]";
		} else if (v->start < brk && v->end > start_brk) {
			label = "[heap]";
		}
		proc_printf(b, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %llu", v->start, v->end,
			    v->prot & VM_READ ? 'r' : '-', v->prot & VM_WRITE ? 'w' : '-',
			    v->prot & VM_EXEC ? 'x' : '-', v->flags & VM_SHARED ? 's' : 'p',
			    (unsigned long long)v->offset, MAJOR(dev), MINOR(dev),
			    (unsigned long long)ino);
		if (label) {
			/* Linux pads the name to column 74. */
			size_t col = b->overflow ? 0 : b->len - before;

			proc_printf(b, "%*s%s", col < 73 ? (int)(73 - col) : 1, "", label);
		}
		proc_puts(b, "\n");
	}
	kfree(name);
	vma_list_free(&l);
	return 0;
}

static const char *const limit_names[RLIM_NLIMITS][2] = {
	{ "Max cpu time", "seconds" },       { "Max file size", "bytes" },
	{ "Max data size", "bytes" },        { "Max stack size", "bytes" },
	{ "Max core file size", "bytes" },   { "Max resident set", "bytes" },
	{ "Max processes", "processes" },    { "Max open files", "files" },
	{ "Max locked memory", "bytes" },    { "Max address space", "bytes" },
	{ "Max file locks", "locks" },       { "Max pending signals", "signals" },
	{ "Max msgqueue size", "bytes" },    { "Max nice priority", "" },
	{ "Max realtime priority", "" },     { "Max realtime timeout", "us" },
};

static void limit_value(struct proc_buf *b, u64 v)
{
	if (v == RLIM_INFINITY)
		proc_printf(b, "%-20s ", "unlimited");
	else
		proc_printf(b, "%-20llu ", (unsigned long long)v);
}

static int show_limits(struct proc_buf *b, struct proc_snap *s)
{
	proc_printf(b, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		proc_printf(b, "%-25s ", limit_names[i][0]);
		limit_value(b, s->rlimits[i].cur);
		limit_value(b, s->rlimits[i].max);
		proc_printf(b, "%-10s\n", limit_names[i][1]);
	}
	return 0;
}

static int show_pid_mounts(struct proc_buf *b, struct proc_snap *s)
{
	return proc_show_mounts(b, NULL);
}

static long copy_link(const char *target, char *buf, size_t size)
{
	size_t n = strlen(target);

	if (n == 0)
		return -ENOENT;
	memcpy(buf, target, MIN(n, size));
	return (long)n;
}

static int find_exe(const struct vm_area *vma, void *arg)
{
	struct file **f = arg;

	if (!vma->file)
		return 0;
	*f = file_get(vma->file);
	return 1;
}

/*
 * The executable is the lowest file mapping (exec maps it first, below
 * everything else). The name exec was given would not do: busybox runs
 * itself again through "/proc/self/exe", which would then point at itself.
 */
static long link_exe(struct proc_snap *s, char *buf, size_t size)
{
	struct file *f = NULL;
	long n;

	if (s->mm)
		mm_walk_vmas(s->mm, find_exe, &f);
	if (!f)
		return copy_link(s->exe, buf, size);
	n = proc_path_name_locked(&f->f_path, buf, size);
	file_put(f);
	return n;
}

static long fs_link(struct proc_snap *s, char *buf, size_t size, bool cwd)
{
	struct path p;
	long n;

	if (!s->fs)
		return -ENOENT;
	spin_lock(&s->fs->lock);
	p = cwd ? s->fs->cwd : s->fs->root;
	path_get(&p);
	spin_unlock(&s->fs->lock);
	n = proc_path_name_locked(&p, buf, size);
	path_put(&p);
	return n;
}

static long link_cwd(struct proc_snap *s, char *buf, size_t size)
{
	return fs_link(s, buf, size, true);
}

static long link_root(struct proc_snap *s, char *buf, size_t size)
{
	return fs_link(s, buf, size, false);
}

const struct pid_entry pid_entries[] = {
	{ "cmdline", S_IFREG | 0444, show_cmdline, NULL },
	{ "comm", S_IFREG | 0444, show_comm, NULL },
	{ "cwd", S_IFLNK | 0777, NULL, link_cwd },
	{ "environ", S_IFREG | 0400, show_environ, NULL },
	{ "exe", S_IFLNK | 0777, NULL, link_exe },
	{ "limits", S_IFREG | 0444, show_limits, NULL },
	{ "maps", S_IFREG | 0444, show_maps, NULL },
	{ "mounts", S_IFREG | 0444, show_pid_mounts, NULL },
	{ "root", S_IFLNK | 0777, NULL, link_root },
	{ "stat", S_IFREG | 0444, show_stat, NULL },
	{ "statm", S_IFREG | 0444, show_statm, NULL },
	{ "status", S_IFREG | 0444, show_status, NULL },
};
const unsigned int nr_pid_entries = ARRAY_SIZE(pid_entries);
