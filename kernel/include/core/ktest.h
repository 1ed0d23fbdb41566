/*
 * In-kernel self tests, run when the command line has `ktest`. Each prints
 * `PASS name` or `FAIL name: why`; the run ends with `N passed, N failed` and
 * QEMU exits through isa-debug-exit.
 */
#ifndef SABLE_CORE_KTEST_H
#define SABLE_CORE_KTEST_H

#include "lib/types.h"

struct ktest {
	const char *name;
	/* Returns NULL on success, or a message saying what went wrong. */
	const char *(*fn)(char *why, size_t why_len);
};

#define KTEST(id)                                                         \
	static const char *ktest_fn_##id(char *why, size_t why_len);      \
	static const struct ktest ktest_##id                              \
		__attribute__((used, section(".ktests"), aligned(8))) = {     \
		.name = #id, .fn = ktest_fn_##id,                             \
	};                                                                \
	static const char *ktest_fn_##id(char *why __unused, size_t why_len __unused)

/* Formats a failure message into why and returns it. */
const char *ktest_fail(char *why, size_t why_len, const char *fmt, ...) __printf(3, 4);
#define KT_FAIL(...) ktest_fail(why, why_len, __VA_ARGS__)

/* Runs every test; returns the number that failed. */
int ktest_run_all(void);

#endif
