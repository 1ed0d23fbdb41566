/*
 * Test runner: runs every registered test (or those whose name contains one
 * of the command-line arguments) and prints one line per test, then
 * "N passed, N failed". Exit status is 1 when any test failed.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

static struct test *tests, **tests_tail = &tests;
static const struct test *current;
static int failures;

void test_register(struct test *t)
{
	/* Constructors run in file order; append to keep that order. */
	t->next = NULL;
	*tests_tail = t;
	tests_tail = &t->next;
}

int test_failures(void)
{
	return failures;
}

/* The first failure completes the "FAIL name: why" line; later ones are
 * listed under it. */
void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (failures++ == 0)
		printf("FAIL %s: ", current->name);
	else if (failures <= 20)
		printf("    also ");
	else
		return;
	va_start(ap, fmt);
	printf("%s:%d: ", file, line);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (failures == 20)
		printf("    (further failures not shown)\n");
	fflush(stdout);
}

static int selected(const struct test *t, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++) {
		if (strstr(t->name, argv[i]))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	struct test *t;

	for (t = tests; t; t = t->next) {
		if (!selected(t, argc, argv))
			continue;
		current = t;
		failures = 0;
		t->fn();
		if (failures) {
			failed++;
		} else {
			passed++;
			printf("PASS %s\n", t->name);
		}
		/* A sanitizer abort in the next test must not lose this line. */
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
