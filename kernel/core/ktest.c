/* The in-kernel self-test runner (see core/ktest.h). */
#include "core/ktest.h"
#include "core/printk.h"
#include "lib/printf.h"

extern const struct ktest __ktests_start[], __ktests_end[];

const char *ktest_fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return why;
}

int ktest_run_all(void)
{
	int passed = 0, failed = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		char why[160] = "";
		const char *err = t->fn(why, sizeof(why));

		if (err) {
			printk(KERN_ERR "FAIL %s: %s\n", t->name, err);
			failed++;
		} else {
			printk(KERN_INFO "PASS %s\n", t->name);
			passed++;
		}
	}
	printk(KERN_INFO "%d passed, %d failed\n", passed, failed);
	return failed;
}
