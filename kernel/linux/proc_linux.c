/*
 * /proc/linux: the integration layer made visible. "stats" shows what
 * route_syscall counted since boot (or the last reset), "mode" which
 * categories are routed. Both are root-writable only (mode 0644: others
 * get EACCES at open, as for any root-owned file).
 */
#include "fs/procfs.h"
#include "lib/string.h"
#include "linux.h"

static int show_stats(struct proc_buf *b, void *arg)
{
	struct linux_stats st;
	unsigned int nr;

	linux_stats_snapshot(&st);
	proc_printf(b, "total %llu\nunimplemented %llu\ndenied %llu\nout_of_range %llu\n",
		    (unsigned long long)st.total, (unsigned long long)st.unimplemented,
		    (unsigned long long)st.denied, (unsigned long long)st.out_of_range);
	proc_puts(b, "\n[categories]\n");
	for (unsigned int i = 0; i < NR_CATEGORIES; i++)
		proc_printf(b, "%-10s %llu\n", linux_category_name(i),
			    (unsigned long long)st.per_category[i]);
	proc_puts(b, "\n[syscalls]\n");
	for (nr = 0; nr < nr_syscalls; nr++) {
		u64 n = linux_syscall_count(nr);

		if (n && syscall_table[nr].name)
			proc_printf(b, "%-22s %llu\n", syscall_table[nr].name, (unsigned long long)n);
	}
	proc_puts(b, "\n[unimplemented]\n");
	for (nr = 0; nr < nr_syscalls; nr++) {
		u64 n = linux_unimplemented_count(nr);

		if (n)
			proc_printf(b, "%-22s %3u %llu\n",
				    syscall_table[nr].name ? syscall_table[nr].name : "?", nr,
				    (unsigned long long)n);
	}
	proc_puts(b, "\n[denied]\n");
	for (nr = 0; nr < nr_syscalls; nr++) {
		u64 n = linux_denied_count(nr);

		if (n)
			proc_printf(b, "%-22s %3u %llu\n",
				    syscall_table[nr].name ? syscall_table[nr].name : "?", nr,
				    (unsigned long long)n);
	}
	return 0;
}

/* Strips the newline echo(1) adds. */
static size_t trim(const char *buf, size_t len)
{
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	return len;
}

static int write_stats(void *arg, const char *buf, size_t len)
{
	len = trim(buf, len);
	if (len != 5 || memcmp(buf, "reset", 5))
		return -EINVAL;
	linux_stats_reset();
	return 0;
}

static int show_mode(struct proc_buf *b, void *arg)
{
	char mode[256];
	bool first = true;

	linux_mode_describe(mode, sizeof(mode));
	proc_printf(b, "%s\ncategories:", mode);
	for (unsigned int i = 0; i < NR_CATEGORIES; i++) {
		const char *name = linux_category_name(i);

		if (is_category_enabled(name)) {
			proc_printf(b, "%s%s", first ? " " : ",", name);
			first = false;
		}
	}
	proc_puts(b, "\n");
	return 0;
}

static int write_mode(void *arg, const char *buf, size_t len)
{
	char spec[256];

	len = trim(buf, len);
	if (len == 0 || len >= sizeof(spec))
		return -EINVAL;
	memcpy(spec, buf, len);
	spec[len] = '\0';
	return linux_set_mode(spec);
}

int linux_proc_init(void)
{
	int err = procfs_create("linux/stats", 0644, show_stats, NULL, write_stats);

	if (!err)
		err = procfs_create("linux/mode", 0644, show_mode, NULL, write_mode);
	return err;
}
