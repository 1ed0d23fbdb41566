/*
 * Minimal host test framework.
 *
 *	TEST(name) { CHECK(x == 1); CHECK_EQ(f(), 3); }
 *
 * TEST registers the test from a constructor, so a test file needs no table.
 * Failed checks are recorded with file:line and the test goes on; the runner
 * prints "PASS name" or "FAIL name: why" per test and "N passed, N failed" last.
 */
#ifndef SABLE_TEST_H
#define SABLE_TEST_H

#include <stdio.h>
#include <string.h>

struct test {
	const char *name;
	void (*fn)(void);
	struct test *next;
};

void test_register(struct test *t);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Failures recorded so far in the running test. */
int test_failures(void);

#define TEST(name)                                                          \
	static void test_fn_##name(void);                                   \
	static struct test test_##name = { #name, test_fn_##name, NULL };   \
	__attribute__((constructor)) static void test_reg_##name(void)      \
	{                                                                   \
		test_register(&test_##name);                                \
	}                                                                   \
	static void test_fn_##name(void)

#define CHECK(cond)                                                         \
	do {                                                                \
		if (!(cond))                                                \
			test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);  \
	} while (0)

#define CHECK_MSG(cond, ...)                                                \
	do {                                                                \
		if (!(cond))                                                \
			test_fail(__FILE__, __LINE__, __VA_ARGS__);         \
	} while (0)

/* Integers of any type; both sides are compared as long long. */
#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		long long a_ = (long long)(a), b_ = (long long)(b);         \
		if (a_ != b_)                                               \
			test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
				  #a, #b, a_, b_);                          \
	} while (0)

#define CHECK_PTR_EQ(a, b)                                                  \
	do {                                                                \
		const void *a_ = (a), *b_ = (b);                            \
		if (a_ != b_)                                               \
			test_fail(__FILE__, __LINE__, "%s == %s: %p != %p", \
				  #a, #b, a_, b_);                          \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                  \
	do {                                                                \
		const char *a_ = (a), *b_ = (b);                            \
		if (!a_ || !b_ || strcmp(a_, b_))                           \
			test_fail(__FILE__, __LINE__,                       \
				  "%s == %s: \"%s\" != \"%s\"", #a, #b,     \
				  a_ ? a_ : "(null)", b_ ? b_ : "(null)");  \
	} while (0)

/* Host printk stub (host_printk.c): the last message and how many so far. */
const char *host_printk_last(void);
unsigned int host_printk_count(void);

/* Host page provider (host_pages.c): a buddy zone over a private arena. */
struct buddy_zone;
void host_pages_init(void);
struct buddy_zone *host_pages_zone(void);
unsigned long host_pages_free(void);
/* free_pages() calls the buddy allocator refused. */
unsigned long host_pages_bad_frees(void);

/* Deterministic PRNG for randomised tests (xorshift64*). */
static inline unsigned long long test_rand(unsigned long long *state)
{
	unsigned long long x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

#endif
