/*
 * The Linux integration layer (route_syscall, the table, modes, statistics)
 * and what every compat handler needs. Only files under kernel/linux/
 * include this.
 */
#ifndef SABLE_LINUX_LINUX_H
#define SABLE_LINUX_LINUX_H

#include "arch/trap.h"
#include "lib/errno.h"
#include "lib/types.h"

enum linux_category {
	CAT_FILE,
	CAT_PROCESS,
	CAT_MEMORY,
	CAT_NETWORK,
	CAT_IPC,
	CAT_TIME,
	CAT_SIGNAL,
	CAT_THREAD,
	CAT_TTY,
	CAT_RESOURCE,
	CAT_SYSTEM,
	NR_CATEGORIES,
};

enum syscall_status { STATUS_NONE, STATUS_PARTIAL, STATUS_IMPL };

struct syscall_args {
	u64 a[6];               /* rdi, rsi, rdx, r10, r8, r9 */
	struct trap_frame *tf;  /* for the calls that change the user context */
};

typedef long (*syscall_fn)(const struct syscall_args *args);

struct syscall_entry {
	const char *name;
	u8 category;
	u8 status;
	syscall_fn handler;
};

/* A handler: SYSCALL_DEFINE(read) { int fd = ARG(0, int); ... } */
#define SYSCALL_DEFINE(name) long sys_##name(const struct syscall_args *args)
#define ARG(i, type) ((type)args->a[i])

#define PROTO_IMPL(name) SYSCALL_DEFINE(name);
#define PROTO_PARTIAL(name) SYSCALL_DEFINE(name);
#define PROTO_NONE(name)
#define SYSCALL(nr, name, cat, status) PROTO_##status(name)
#include "syscalls.def"
#undef SYSCALL

extern const struct syscall_entry syscall_table[];
extern const unsigned int nr_syscalls;

/* Modes: which categories are routed. */
enum linux_mode { LINUX_MODE_FULL, LINUX_MODE_MINIMAL, LINUX_MODE_CUSTOM };

const char *linux_category_name(unsigned int cat);
bool is_category_enabled(const char *name);
/* Parses "full", "minimal" or "custom:file,process,..."; 0 or -EINVAL. */
int linux_set_mode(const char *spec);
/* Writes the mode as text ("custom:file,process"); returns the length. */
int linux_mode_describe(char *buf, size_t len);

struct linux_stats {
	u64 total;
	u64 per_category[NR_CATEGORIES];
	u64 unimplemented;
	u64 denied;
	u64 out_of_range;
};
void linux_stats_snapshot(struct linux_stats *out);
u64 linux_syscall_count(unsigned int nr);
u64 linux_unimplemented_count(unsigned int nr);
u64 linux_denied_count(unsigned int nr);
void linux_stats_reset(void);

long route_syscall(struct trap_frame *tf);

#endif
