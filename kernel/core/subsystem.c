/*
 * The subsystem registry: runs each declared subsystem's init once all its
 * dependencies are ready, in declaration (link) order among those that can go.
 * A dependency that failed, is disabled or does not exist disables the
 * dependent; a failed essential subsystem is a panic.
 */
#include "arch/cpu.h"
#include "core/panic.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "lib/printf.h"
#include "lib/string.h"

/* The table being initialised: the .subsystems section in the kernel, an
 * array in the host tests. */
static const struct subsystem *table_start, *table_end;

/* Init order, filled as subsystems are initialised (or given up on). */
static const struct subsystem *order[64];
static unsigned int order_count;

#define for_each_subsystem(s) \
	for (const struct subsystem *s = table_start; s < table_end; s++)

static const struct subsystem *find(const char *name)
{
	for_each_subsystem(s) {
		if (!strcmp(s->name, name))
			return s;
	}
	return NULL;
}

const char *subsystem_state_name(enum subsystem_state st)
{
	switch (st) {
	case SUBSYS_UNINITIALIZED: return "uninitialized";
	case SUBSYS_INITIALIZING: return "initializing";
	case SUBSYS_READY: return "ready";
	case SUBSYS_FAILED: return "failed";
	case SUBSYS_DISABLED: return "disabled";
	}
	return "?";
}

enum subsystem_state subsystem_state_of(const char *name)
{
	const struct subsystem *s = find(name);

	return s ? s->status->state : SUBSYS_UNINITIALIZED;
}

/* 1: all deps ready; 0: some still pending; -1: one can never be ready. */
static int deps_state(const struct subsystem *s, const char **bad)
{
	int ret = 1;

	for (const char *const *d = s->deps; *d; d++) {
		const struct subsystem *dep = find(*d);

		if (!dep || dep->status->state == SUBSYS_FAILED ||
		    dep->status->state == SUBSYS_DISABLED) {
			*bad = *d;
			return -1;
		}
		if (dep->status->state != SUBSYS_READY)
			ret = 0;
	}
	return ret;
}

static void record(const struct subsystem *s)
{
	if (order_count < ARRAY_SIZE(order))
		order[order_count++] = s;
}

static void give_up(const struct subsystem *s, enum subsystem_state st, const char *why)
{
	s->status->state = st;
	s->status->reason = why;
	record(s);
	if (s->essential)
		panic("essential subsystem %s %s: %s", s->name, subsystem_state_name(st), why);
	pr_warn("subsystem %s %s: %s\n", s->name, subsystem_state_name(st), why);
}

static void run_init(const struct subsystem *s)
{
	u64 t0 = rdtsc();
	int err;

	s->status->state = SUBSYS_INITIALIZING;
	err = s->init ? s->init() : 0;
	s->status->init_cycles = rdtsc() - t0;
	if (err) {
		s->status->error = err;
		give_up(s, SUBSYS_FAILED, "init returned an error");
		return;
	}
	s->status->state = SUBSYS_READY;
	record(s);
}

void subsystem_init_table(const struct subsystem *start, const struct subsystem *end)
{
	bool progress = true;

	table_start = start;
	table_end = end;
	order_count = 0;
	while (progress) {
		progress = false;
		for_each_subsystem(s) {
			const char *bad = NULL;
			int ds;

			if (s->status->state != SUBSYS_UNINITIALIZED)
				continue;
			ds = deps_state(s, &bad);
			if (ds < 0) {
				give_up(s, SUBSYS_DISABLED, find(bad) ?
					"a dependency is not available" :
					"depends on an unknown subsystem");
				progress = true;
			} else if (ds > 0) {
				run_init(s);
				progress = true;
				break; /* restart: keep declaration order among the runnable */
			}
		}
	}
	for_each_subsystem(s) {
		if (s->status->state == SUBSYS_UNINITIALIZED)
			give_up(s, SUBSYS_FAILED, "dependency cycle");
	}
}

u64 subsystem_init_ns(const struct subsystem *s)
{
	/* Cycles are converted late: the TSC is calibrated by one of the subsystems. */
	return tsc_khz ? s->status->init_cycles * 1000000 / tsc_khz : 0;
}

#ifndef SABLE_HOST
extern const struct subsystem __subsystems_start[], __subsystems_end[];

void subsystem_init_all(void)
{
	subsystem_init_table(__subsystems_start, __subsystems_end);
}
#endif

void subsystem_for_each(void (*fn)(const struct subsystem *s, void *arg), void *arg)
{
	for (unsigned int i = 0; i < order_count; i++)
		fn(order[i], arg);
}

static void print_row(const struct subsystem *s, void *arg)
{
	char deps[64] = "-";
	size_t n = 0;
	u64 ns = subsystem_init_ns(s);

	(void)arg;
	for (const char *const *d = s->deps; *d; d++) {
		n += (size_t)snprintf(deps + n, n < sizeof(deps) ? sizeof(deps) - n : 0,
				      "%s%s", n ? "," : "", *d);
	}
	pr_info("  %-14s %-13s %8llu.%03llu ms  %s%s\n", s->name,
		subsystem_state_name(s->status->state),
		(unsigned long long)(ns / 1000000),
		(unsigned long long)(ns / 1000 % 1000), deps,
		s->essential ? " (essential)" : "");
}

void subsystem_print_table(void)
{
	pr_info("Subsystems (in init order):\n");
	pr_info("  %-14s %-13s %12s  %s\n", "name", "state", "init time", "depends on");
	subsystem_for_each(print_row, NULL);
}
