/*
 * The Linux integration layer: the one route every system call takes.
 * route_syscall: range check → mode check (is the category enabled?) →
 * statistics → the handler from the table, or -ENOSYS counted as
 * unimplemented. The return value goes to the program's rax here and nowhere
 * else.
 */
#include "arch/syscall.h"
#include "core/bootinfo.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/subsystem.h"
#include "lib/cmdline.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "linux.h"
#include "proc/process.h"

#define ENTRY_IMPL(name) sys_##name
#define ENTRY_PARTIAL(name) sys_##name
#define ENTRY_NONE(name) NULL
#define SYSCALL(nr, name_, cat, status_) \
	[nr] = { .name = #name_, .category = CAT_##cat, .status = STATUS_##status_, \
		 .handler = ENTRY_##status_(name_) },

const struct syscall_entry syscall_table[] = {
#include "syscalls.def"
};
#undef SYSCALL

const unsigned int nr_syscalls = ARRAY_SIZE(syscall_table);

static const char *const category_names[NR_CATEGORIES] = {
	"file", "process", "memory", "network", "ipc", "time",
	"signal", "thread", "tty", "resource", "system",
};

#define MINIMAL_MASK ((1u << CAT_FILE) | (1u << CAT_PROCESS) | (1u << CAT_MEMORY) | \
		      (1u << CAT_TIME) | (1u << CAT_SIGNAL))
#define FULL_MASK ((1u << NR_CATEGORIES) - 1)

static enum linux_mode mode = LINUX_MODE_FULL;
/* linux.trace on the command line: every call and its result in the log. */
static bool trace_syscalls;
static u32 enabled_mask = FULL_MASK;  /* read on every call; written under mode_lock */
static struct spinlock mode_lock = SPINLOCK_INIT("linux mode");

/* Counters: relaxed atomic increments; a snapshot may be a little torn. */
static u64 count_total, count_unimplemented, count_denied, count_out_of_range;
static u64 count_category[NR_CATEGORIES];
static u64 count_call[ARRAY_SIZE(syscall_table)];
static u64 count_unimpl_call[ARRAY_SIZE(syscall_table)];
static u64 count_denied_call[ARRAY_SIZE(syscall_table)];

static inline void bump(u64 *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

long route_syscall(struct trap_frame *tf)
{
	u64 nr = tf->rax;
	const struct syscall_entry *e;
	struct syscall_args args;

	bump(&count_total);
	if (nr >= nr_syscalls || !syscall_table[nr].name) {
		bump(&count_out_of_range);
		return -ENOSYS;
	}
	e = &syscall_table[nr];
	if (!(__atomic_load_n(&enabled_mask, __ATOMIC_RELAXED) & (1u << e->category))) {
		bump(&count_denied);
		bump(&count_denied_call[nr]);
		return -ENOSYS;
	}
	bump(&count_category[e->category]);
	bump(&count_call[nr]);
	if (!e->handler) {
		bump(&count_unimplemented);
		bump(&count_unimpl_call[nr]);
		return -ENOSYS;
	}
	args.a[0] = tf->rdi;
	args.a[1] = tf->rsi;
	args.a[2] = tf->rdx;
	args.a[3] = tf->r10;
	args.a[4] = tf->r8;
	args.a[5] = tf->r9;
	args.tf = tf;
	if (unlikely(trace_syscalls)) {
		long ret = e->handler(&args);

		printk(KERN_DEBUG "trace: [%d] %s(%#llx, %#llx, %#llx, %#llx) = %ld\n",
		       current_process() ? current_process()->pid : 0, e->name,
		       (unsigned long long)args.a[0], (unsigned long long)args.a[1],
		       (unsigned long long)args.a[2], (unsigned long long)args.a[3], ret);
		return ret;
	}
	return e->handler(&args);
}

const char *linux_category_name(unsigned int cat)
{
	return cat < NR_CATEGORIES ? category_names[cat] : "?";
}

static int category_index(const char *name, size_t len)
{
	for (int i = 0; i < NR_CATEGORIES; i++) {
		if (strlen(category_names[i]) == len && !strncmp(category_names[i], name, len))
			return i;
	}
	return -1;
}

bool is_category_enabled(const char *name)
{
	int i = category_index(name, strlen(name));

	return i >= 0 && (enabled_mask & (1u << i));
}

int linux_set_mode(const char *spec)
{
	enum linux_mode m;
	u32 mask = 0;
	unsigned long f;

	if (!strcmp(spec, "full")) {
		m = LINUX_MODE_FULL;
		mask = FULL_MASK;
	} else if (!strcmp(spec, "minimal")) {
		m = LINUX_MODE_MINIMAL;
		mask = MINIMAL_MASK;
	} else if (!strncmp(spec, "custom:", 7)) {
		const char *p = spec + 7;

		m = LINUX_MODE_CUSTOM;
		while (*p) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			int i = category_index(p, len);

			if (i < 0)
				return -EINVAL;
			mask |= 1u << i;
			p += len;
			if (*p == ',')
				p++;
		}
	} else {
		return -EINVAL;
	}
	f = spin_lock_irqsave(&mode_lock);
	mode = m;
	__atomic_store_n(&enabled_mask, mask, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&mode_lock, f);
	return 0;
}

int linux_mode_describe(char *buf, size_t len)
{
	size_t n;

	if (mode == LINUX_MODE_FULL)
		return snprintf(buf, len, "full");
	if (mode == LINUX_MODE_MINIMAL)
		return snprintf(buf, len, "minimal");
	n = (size_t)snprintf(buf, len, "custom:");
	for (int i = 0, first = 1; i < NR_CATEGORIES; i++) {
		if (!(enabled_mask & (1u << i)))
			continue;
		n += (size_t)snprintf(buf + MIN(n, len), n < len ? len - n : 0, "%s%s",
				      first ? "" : ",", category_names[i]);
		first = 0;
	}
	return (int)n;
}

void linux_stats_snapshot(struct linux_stats *out)
{
	out->total = count_total;
	out->unimplemented = count_unimplemented;
	out->denied = count_denied;
	out->out_of_range = count_out_of_range;
	for (int i = 0; i < NR_CATEGORIES; i++)
		out->per_category[i] = count_category[i];
}

u64 linux_syscall_count(unsigned int nr)
{
	return nr < nr_syscalls ? count_call[nr] : 0;
}

u64 linux_unimplemented_count(unsigned int nr)
{
	return nr < nr_syscalls ? count_unimpl_call[nr] : 0;
}

u64 linux_denied_count(unsigned int nr)
{
	return nr < nr_syscalls ? count_denied_call[nr] : 0;
}

void linux_stats_reset(void)
{
	count_total = count_unimplemented = count_denied = count_out_of_range = 0;
	memset(count_category, 0, sizeof(count_category));
	memset(count_call, 0, sizeof(count_call));
	memset(count_unimpl_call, 0, sizeof(count_unimpl_call));
	memset(count_denied_call, 0, sizeof(count_denied_call));
}

static int linux_integration_init(void)
{
	char spec[128];
	unsigned int impl = 0, partial = 0;

	if (cmdline_get(boot_info.cmdline, "linux.mode", spec, sizeof(spec)) > 0 &&
	    linux_set_mode(spec)) {
		pr_warn("linux: unknown linux.mode=%s; staying in full mode\n", spec);
	}
	for (unsigned int i = 0; i < nr_syscalls; i++) {
		impl += syscall_table[i].status == STATUS_IMPL;
		partial += syscall_table[i].status == STATUS_PARTIAL;
	}
	trace_syscalls = cmdline_has(boot_info.cmdline, "linux.trace");
	linux_mode_describe(spec, sizeof(spec));
	pr_info("linux: %u syscall numbers, %u implemented, %u partly; mode %s\n",
		nr_syscalls, impl, partial, spec);
	syscall_route = route_syscall;
	return 0;
}

SUBSYSTEM(linux_integration, DEPS("linux_compat"), linux_integration_init, false);
