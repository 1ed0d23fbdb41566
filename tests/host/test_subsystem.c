/* The subsystem registry: dependency order, failure propagation, cycles. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

#include "core/subsystem.h"
#include "lib/errno.h"

/* What the registry needs from the rest of the kernel. */
#include "core/time.h"
u64 tsc_khz;

static jmp_buf panic_jmp;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	longjmp(panic_jmp, 1);
}

static char log_[256];

static void logf_(const char *name)
{
	strcat(log_, name);
	strcat(log_, " ");
}

static int init_a(void) { logf_("a"); return 0; }
static int init_b(void) { logf_("b"); return 0; }
static int init_c(void) { logf_("c"); return 0; }
static int init_fail(void) { logf_("fail"); return -ENODEV; }

static struct subsystem_status st[8];

static void reset(void)
{
	memset(st, 0, sizeof(st));
	log_[0] = '\0';
	panic_msg[0] = '\0';
}

TEST(subsystem_dependency_order)
{
	/* Declared in the wrong order: c needs b needs a. */
	struct subsystem t[] = {
		{ "c", DEPS("b"), init_c, false, &st[0] },
		{ "b", DEPS("a"), init_b, false, &st[1] },
		{ "a", NO_DEPS, init_a, false, &st[2] },
	};

	reset();
	subsystem_init_table(t, t + 3);
	CHECK_STR_EQ(log_, "a b c ");
	for (int i = 0; i < 3; i++)
		CHECK_EQ(st[i].state, SUBSYS_READY);
	CHECK_EQ(subsystem_state_of("b"), SUBSYS_READY);
	CHECK_EQ(subsystem_state_of("nope"), SUBSYS_UNINITIALIZED);
}

TEST(subsystem_failure_disables_dependents)
{
	struct subsystem t[] = {
		{ "net", NO_DEPS, init_fail, false, &st[0] },
		{ "tcp", DEPS("net"), init_a, false, &st[1] },
		{ "ssh", DEPS("tcp", "b"), init_c, false, &st[2] },
		{ "b", NO_DEPS, init_b, false, &st[3] },
	};

	reset();
	subsystem_init_table(t, t + 4);
	CHECK_STR_EQ(log_, "fail b ");
	CHECK_EQ(st[0].state, SUBSYS_FAILED);
	CHECK_EQ(st[0].error, -ENODEV);
	CHECK_EQ(st[1].state, SUBSYS_DISABLED);
	CHECK_EQ(st[2].state, SUBSYS_DISABLED);
	CHECK_EQ(st[3].state, SUBSYS_READY);
}

TEST(subsystem_unknown_dependency_and_cycle)
{
	struct subsystem t[] = {
		{ "x", DEPS("missing"), init_a, false, &st[0] },
		{ "p", DEPS("q"), init_b, false, &st[1] },
		{ "q", DEPS("p"), init_c, false, &st[2] },
	};

	reset();
	subsystem_init_table(t, t + 3);
	CHECK_STR_EQ(log_, "");
	CHECK_EQ(st[0].state, SUBSYS_DISABLED);
	CHECK_EQ(st[1].state, SUBSYS_FAILED);
	CHECK_EQ(st[2].state, SUBSYS_FAILED);
	CHECK_STR_EQ(st[1].reason, "dependency cycle");
}

TEST(subsystem_essential_failure_panics)
{
	struct subsystem t[] = {
		{ "mm", NO_DEPS, init_fail, true, &st[0] },
		{ "after", NO_DEPS, init_a, false, &st[1] },
	};

	reset();
	if (setjmp(panic_jmp) == 0) {
		subsystem_init_table(t, t + 2);
		CHECK_MSG(0, "no panic for a failed essential subsystem");
	}
	CHECK(strstr(panic_msg, "essential subsystem mm failed") != NULL);
}

TEST(subsystem_essential_disabled_panics)
{
	struct subsystem t[] = {
		{ "acpi", NO_DEPS, init_fail, false, &st[0] },
		{ "timer", DEPS("acpi"), init_a, true, &st[1] },
	};

	reset();
	if (setjmp(panic_jmp) == 0) {
		subsystem_init_table(t, t + 2);
		CHECK_MSG(0, "no panic for a disabled essential subsystem");
	}
	CHECK(strstr(panic_msg, "essential subsystem timer disabled") != NULL);
}
