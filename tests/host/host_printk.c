/*
 * printk for host tests: formats with the kernel's vsnprintf and keeps the
 * last message so a test can check that a bad free was reported. Messages
 * are echoed to stderr only when SABLE_TEST_VERBOSE is set, since many tests
 * provoke errors on purpose.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

#include "krename.h"
#include "lib/printf.h"
#include "kunrename.h"
#include "core/printk.h"

static char last[1024];
static unsigned int count;

int vprintk(const char *fmt, va_list ap)
{
	int n = k_vsnprintf(last, sizeof(last), fmt, ap);

	count++;
	if (getenv("SABLE_TEST_VERBOSE"))
		fprintf(stderr, "printk: %s", last);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

const char *host_printk_last(void)
{
	return last;
}

unsigned int host_printk_count(void)
{
	return count;
}
