/*
 * The system-wide files of /proc (proc(5)): memory, CPU, time, mounts,
 * devices, /proc/sys/kernel and the subsystem registry. Formats are
 * Linux's, so free, uptime, top, mount and df parse them.
 */
#include "arch/cpu.h"
#include "arch/trap.h"
#include "core/bootinfo.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "core/uts.h"
#include "fs/devfs.h"
#include "fs/tmpfs.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "../internal.h"
#include "internal.h"

#define USER_HZ 100
#define KB_PER_PAGE (PAGE_SIZE / 1024)

static void meminfo_line(struct proc_buf *b, const char *name, u64 kb)
{
	/* Linux: the label padded to 16 columns, the value to 8. */
	proc_printf(b, "%-16s%8llu kB\n", name, (unsigned long long)kb);
}

static int show_meminfo(struct proc_buf *b, void *arg)
{
	u64 total = pmm_total_pages() * KB_PER_PAGE;
	u64 free = pmm_free_pages() * KB_PER_PAGE;
	u64 shmem = tmpfs_pages_used() * KB_PER_PAGE;

	meminfo_line(b, "MemTotal:", total);
	meminfo_line(b, "MemFree:", free);
	meminfo_line(b, "MemAvailable:", free);
	meminfo_line(b, "Buffers:", 0);
	/* tmpfs pages are page cache that cannot be dropped (Shmem). */
	meminfo_line(b, "Cached:", shmem);
	meminfo_line(b, "SwapCached:", 0);
	meminfo_line(b, "Active:", 0);
	meminfo_line(b, "Inactive:", 0);
	meminfo_line(b, "SwapTotal:", 0);
	meminfo_line(b, "SwapFree:", 0);
	meminfo_line(b, "Dirty:", 0);
	meminfo_line(b, "Shmem:", shmem);
	meminfo_line(b, "Slab:", 0);
	meminfo_line(b, "SReclaimable:", 0);
	return 0;
}

static int show_cpuinfo(struct proc_buf *b, void *arg)
{
	struct cpu_features *c = &cpu_features;

	proc_printf(b, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n",
		    c->vendor, c->family, c->model);
	proc_printf(b, "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %llu.%03llu\n", c->brand,
		    c->stepping, (unsigned long long)(tsc_khz / 1000),
		    (unsigned long long)(tsc_khz % 1000));
	proc_puts(b, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n");
	proc_puts(b, "apicid\t\t: 0\nfpu\t\t: yes\nwp\t\t: yes\nflags\t\t: fpu tsc");
	if (c->apic)
		proc_puts(b, " apic");
	if (c->nx)
		proc_puts(b, " nx");
	if (c->pdpe1gb)
		proc_puts(b, " pdpe1gb");
	if (c->x2apic)
		proc_puts(b, " x2apic");
	if (c->tsc_deadline)
		proc_puts(b, " tsc_deadline_timer");
	if (c->xsave)
		proc_puts(b, " xsave");
	if (c->rdrand)
		proc_puts(b, " rdrand");
	if (c->hypervisor)
		proc_puts(b, " hypervisor");
	if (c->smep)
		proc_puts(b, " smep");
	if (c->rdseed)
		proc_puts(b, " rdseed");
	if (c->smap)
		proc_puts(b, " smap");
	proc_printf(b, "\nbogomips\t: %llu.%02llu\nclflush size\t: 64\ncache_alignment\t: 64\n"
		    "address sizes\t: 48 bits physical, 48 bits virtual\n\n",
		    (unsigned long long)(tsc_khz / 500), (unsigned long long)(tsc_khz / 5 % 100));
	return 0;
}

struct proc_totals {
	u64 utime_ns, stime_ns;
	unsigned int nr, running;
	int last_pid;
};

static void add_totals(struct process *p, void *arg)
{
	struct proc_totals *t = arg;

	t->utime_ns += p->utime_ns;
	t->stime_ns += p->stime_ns;
	t->nr++;
	if (p->state == PROC_ALIVE && !p->stopped && p == current_process())
		t->running++;
	if (p->pid > t->last_pid)
		t->last_pid = p->pid;
}

static void totals(struct proc_totals *t)
{
	unsigned long flags;

	memset(t, 0, sizeof(*t));
	flags = spin_lock_irqsave(&proc_tree_lock);
	proc_for_each(add_totals, t);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

/* proc(5) /proc/stat. Sable keeps no per-CPU time accounting yet: user
 * and system are the live processes' times, idle the rest of the uptime. */
static int show_stat(struct proc_buf *b, void *arg)
{
	struct proc_totals t;
	u64 up = time_ns() / (1000000000ULL / USER_HZ);
	u64 user, sys, idle, intr = 0;

	totals(&t);
	user = t.utime_ns / (1000000000ULL / USER_HZ);
	sys = t.stime_ns / (1000000000ULL / USER_HZ);
	idle = up > user + sys ? up - user - sys : 0;
	for (int i = 0; i < 3; i++) {
		proc_printf(b, i == 0 ? "cpu  " : "cpu0 ");
		proc_printf(b, "%llu 0 %llu %llu 0 0 0 0 0 0\n", (unsigned long long)user,
			    (unsigned long long)sys, (unsigned long long)idle);
		if (i == 1)
			break;
	}
	for (int i = 0; i < 256; i++)
		intr += irq_counts[i];
	proc_printf(b, "intr %llu\nctxt 0\nbtime %llu\nprocesses %d\nprocs_running %u\n"
		    "procs_blocked 0\n",
		    (unsigned long long)intr, (unsigned long long)time_wall_boot_seconds(),
		    t.last_pid, t.running ? t.running : 1);
	return 0;
}

static int show_uptime(struct proc_buf *b, void *arg)
{
	u64 cs = time_ns() / 10000000ULL; /* hundredths of a second */
	struct proc_totals t;
	u64 busy, idle;

	totals(&t);
	busy = (t.utime_ns + t.stime_ns) / 10000000ULL;
	idle = cs > busy ? cs - busy : 0;
	proc_printf(b, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(cs / 100),
		    (unsigned long long)(cs % 100), (unsigned long long)(idle / 100),
		    (unsigned long long)(idle % 100));
	return 0;
}

/* No load average is computed yet: 0.00, with the true task counts. */
static int show_loadavg(struct proc_buf *b, void *arg)
{
	struct proc_totals t;

	totals(&t);
	proc_printf(b, "0.00 0.00 0.00 %u/%u %d\n", t.running ? t.running : 1, t.nr, t.last_pid);
	return 0;
}

static int show_version(struct proc_buf *b, void *arg)
{
	proc_printf(b, "%s version %s (sable@sable) (gcc) %s\n", UTS_SYSNAME, UTS_RELEASE,
		    UTS_VERSION);
	return 0;
}

/* Mounts are copied under vfs_ns_lock, then named without it
 * (vfs_path_name takes it). */
struct mount_copy {
	struct path mp;
	const char *type;
	bool root;
};

int proc_show_mounts(struct proc_buf *b, void *arg)
{
	struct mount_copy *v;
	struct mount *m;
	struct fs_context ctx;
	unsigned int n = 0, cap = 0;
	char *name;

	mutex_lock(&vfs_ns_lock);
	list_for_each_entry(m, &mount_list, m_link)
		cap++;
	v = kzalloc((cap + 1) * sizeof(*v));
	if (!v) {
		mutex_unlock(&vfs_ns_lock);
		return -ENOMEM;
	}
	list_for_each_entry(m, &mount_list, m_link) {
		if (n == cap)
			break;
		v[n].root = m->m_parent == m;
		v[n].type = m->m_sb->s_type->name;
		if (!v[n].root) {
			v[n].mp.mnt = mnt_get(m->m_parent);
			v[n].mp.dentry = dget(m->m_mountpoint);
		}
		n++;
	}
	mutex_unlock(&vfs_ns_lock);
	name = kmalloc(PATH_MAX);
	proc_fs_context(&ctx);
	for (unsigned int i = 0; i < n; i++) {
		const char *dir = "/";

		if (!v[i].root) {
			dir = "?";
			if (name && vfs_path_name(&ctx, &v[i].mp, name, PATH_MAX) > 0)
				dir = name;
			path_put(&v[i].mp);
		}
		/* fstab(5): source, directory, type, options, dump, pass. */
		proc_printf(b, "%s %s %s rw 0 0\n", v[i].root ? "rootfs" : v[i].type, dir,
			    v[i].root ? "rootfs" : v[i].type);
	}
	kfree(name);
	kfree(v);
	return 0;
}

static int show_filesystems(struct proc_buf *b, void *arg)
{
	/* The registry has no iterator: ask for the types Sable has. */
	static const char *const names[] = { "tmpfs", "devtmpfs", "proc", "pipefs", "ramfs" };

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		if (fs_type_find(names[i]))
			proc_printf(b, "nodev\t%s\n", names[i]);
	}
	return 0;
}

static int show_cmdline(struct proc_buf *b, void *arg)
{
	proc_printf(b, "%s\n", boot_info.cmdline);
	return 0;
}

static int show_interrupts(struct proc_buf *b, void *arg)
{
	proc_puts(b, "           CPU0\n");
	for (int i = 0; i < 256; i++) {
		if (irq_counts[i])
			proc_printf(b, "%3d: %10llu\n", i, (unsigned long long)irq_counts[i]);
	}
	return 0;
}

static int show_devices(struct proc_buf *b, void *arg)
{
	/* The character device majors with a driver registered. */
	static const struct { u32 major, minor; const char *name; } majors[] = {
		{ 1, 3, "mem" }, { 4, 64, "ttyS" }, { 5, 0, "/dev/tty" }, { 5, 1, "/dev/console" },
	};

	proc_puts(b, "Character devices:\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(majors); i++) {
		if (chrdev_lookup(MKDEV(majors[i].major, majors[i].minor)))
			proc_printf(b, "%3u %s\n", majors[i].major, majors[i].name);
	}
	proc_puts(b, "\nBlock devices:\n");
	return 0;
}

static int show_swaps(struct proc_buf *b, void *arg)
{
	proc_puts(b, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}

/* /proc/sys/kernel: one value per file, a newline after it. */
static int show_string(struct proc_buf *b, void *arg)
{
	proc_printf(b, "%s\n", (const char *)arg);
	return 0;
}

static int show_hostname(struct proc_buf *b, void *arg)
{
	char name[UTS_LEN + 1];

	if (arg)
		uts_get_domainname(name, sizeof(name));
	else
		uts_get_hostname(name, sizeof(name));
	proc_printf(b, "%s\n", name);
	return 0;
}

/* Writing the file sets the name, without its trailing newline (the
 * open already required root: the file is 0644). */
static int write_hostname(void *arg, const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	return arg ? uts_set_domainname(buf, len) : uts_set_hostname(buf, len);
}

static int show_pid_max(struct proc_buf *b, void *arg)
{
	proc_printf(b, "%d\n", PID_MAX);
	return 0;
}

static void show_one_subsystem(const struct subsystem *s, void *arg)
{
	struct proc_buf *b = arg;
	u64 ns = subsystem_init_ns(s);

	proc_printf(b, "%-16s %-13s %8llu.%03llu  ", s->name,
		    subsystem_state_name(s->status->state), (unsigned long long)(ns / 1000),
		    (unsigned long long)(ns % 1000));
	if (!s->deps || !s->deps[0])
		proc_puts(b, "-");
	for (int i = 0; s->deps && s->deps[i]; i++)
		proc_printf(b, "%s%s", i ? "," : "", s->deps[i]);
	proc_puts(b, "\n");
}

/* The registry: name, state, time spent in init (microseconds), deps. */
static int show_subsystems(struct proc_buf *b, void *arg)
{
	proc_printf(b, "%-16s %-13s %12s  %s\n", "name", "state", "init_us", "deps");
	subsystem_for_each(show_one_subsystem, b);
	return 0;
}

int procfs_register_generic(void)
{
	static const struct {
		const char *path;
		u32 mode;
		proc_show_fn show;
		void *arg;
		proc_write_fn write;
	} files[] = {
		{ "meminfo", 0444, show_meminfo, NULL, NULL },
		{ "cpuinfo", 0444, show_cpuinfo, NULL, NULL },
		{ "stat", 0444, show_stat, NULL, NULL },
		{ "uptime", 0444, show_uptime, NULL, NULL },
		{ "loadavg", 0444, show_loadavg, NULL, NULL },
		{ "version", 0444, show_version, NULL, NULL },
		{ "mounts", 0444, proc_show_mounts, NULL, NULL },
		{ "filesystems", 0444, show_filesystems, NULL, NULL },
		{ "cmdline", 0444, show_cmdline, NULL, NULL },
		{ "interrupts", 0444, show_interrupts, NULL, NULL },
		{ "devices", 0444, show_devices, NULL, NULL },
		{ "swaps", 0444, show_swaps, NULL, NULL },
		{ "sys/kernel/hostname", 0644, show_hostname, NULL, write_hostname },
		{ "sys/kernel/domainname", 0644, show_hostname, (void *)1, write_hostname },
		{ "sys/kernel/ostype", 0444, show_string, UTS_SYSNAME, NULL },
		{ "sys/kernel/osrelease", 0444, show_string, UTS_RELEASE, NULL },
		{ "sys/kernel/version", 0444, show_string, UTS_VERSION, NULL },
		{ "sys/kernel/pid_max", 0444, show_pid_max, NULL, NULL },
		{ "kernel/subsystems", 0444, show_subsystems, NULL, NULL },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(files); i++) {
		int err = procfs_create(files[i].path, files[i].mode, files[i].show,
					files[i].arg, files[i].write);

		if (err)
			return err;
	}
	return 0;
}
