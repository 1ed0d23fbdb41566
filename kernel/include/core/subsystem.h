/*
 * The subsystem registry. Each subsystem declares its name, what it depends
 * on and its init function; boot initialises them in dependency order and
 * records the state and init time of each. A failed non-essential subsystem
 * disables its dependents; a failed essential one is a panic.
 */
#ifndef SABLE_CORE_SUBSYSTEM_H
#define SABLE_CORE_SUBSYSTEM_H

#include "lib/types.h"

enum subsystem_state {
	SUBSYS_UNINITIALIZED,
	SUBSYS_INITIALIZING,
	SUBSYS_READY,
	SUBSYS_FAILED,
	SUBSYS_DISABLED,
};

struct subsystem_status {
	enum subsystem_state state;
	int error;          /* negative errno from init, when failed */
	u64 init_cycles;    /* TSC cycles spent in init */
	const char *reason; /* why failed or disabled */
};

struct subsystem {
	const char *name;
	const char *const *deps; /* NULL-terminated */
	int (*init)(void);       /* 0 or a negative errno */
	bool essential;
	struct subsystem_status *status;
};

#define DEPS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_DEPS ((const char *const[]){ NULL })

#define SUBSYSTEM(id, deps_, init_, essential_)                           \
	static struct subsystem_status subsys_status_##id;                \
	static const struct subsystem subsys_##id                         \
		__attribute__((used, section(".subsystems"), aligned(8))) = { \
		.name = #id, .deps = deps_, .init = init_,                    \
		.essential = essential_, .status = &subsys_status_##id,       \
	}

void subsystem_init_all(void);
/* The same over any table (host tests). */
void subsystem_init_table(const struct subsystem *start, const struct subsystem *end);
void subsystem_print_table(void);
u64 subsystem_init_ns(const struct subsystem *s);
const char *subsystem_state_name(enum subsystem_state s);
/* State of a subsystem by name, SUBSYS_UNINITIALIZED if unknown. */
enum subsystem_state subsystem_state_of(const char *name);
/* For /proc/kernel/subsystems later: visit every subsystem in init order. */
void subsystem_for_each(void (*fn)(const struct subsystem *s, void *arg), void *arg);

#endif
