/*
 * lib/printf.c (linked as k_snprintf, see krename.h) against the host libc's
 * snprintf, which implements C99 exactly, for every feature the kernel's
 * formatter claims: flags, width, precision, '*', length modifiers,
 * truncation and the return value. %p differs on purpose (always 0x plus
 * 16 digits) and is checked on its own.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "test.h"

#include "krename.h"
#include "lib/printf.h"
#include "kunrename.h"

/* Truncated output and empty formats are exactly what is being tested. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-zero-length"

#define BUF 512

static unsigned int mismatches;

/* Compare two results; only the first few mismatches are described. */
static void compare(const char *file, int line, const char *what,
		    const char *got, int got_n, const char *want, int want_n)
{
	if (got_n == want_n && !memcmp(got, want, (size_t)(want_n < BUF ? want_n : BUF - 1) + 1))
		return;
	if (mismatches++ < 10)
		test_fail(file, line, "%s: got \"%s\" (%d), want \"%s\" (%d)",
			  what, got, got_n, want, want_n);
}

/* Same literal format and arguments through both formatters. */
#define T(...)                                                                  \
	do {                                                                    \
		char k_[BUF], l_[BUF];                                          \
		int kn_ = k_snprintf(k_, sizeof(k_), __VA_ARGS__);              \
		int ln_ = snprintf(l_, sizeof(l_), __VA_ARGS__);                \
		compare(__FILE__, __LINE__, #__VA_ARGS__, k_, kn_, l_, ln_);    \
	} while (0)

TEST(printf_table)
{
	mismatches = 0;
	/* Plain text and the escape. */
	T("hello");
	T("");
	T("100%%");
	T("%%d %%");
	T("%d%%%d", 1, 2);

	/* Integers. */
	T("%d", 0);
	T("%d", 42);
	T("%d", -42);
	T("%i", -7);
	T("%d", INT_MAX);
	T("%d", INT_MIN);
	T("%u", 0u);
	T("%u", UINT_MAX);
	T("%x", 0xdeadbeefu);
	T("%X", 0xdeadbeefu);
	T("%o", 0u);
	T("%o", 8u);
	T("%o", 0777u);

	/* Flags. */
	T("%+d", 5);
	T("%+d", -5);
	T("%+d", 0);
	T("% d", 5);
	T("% d", -5);
	T("%-5d|", 42);
	T("%05d", 42);
	T("%05d", -42);
	T("%+05d", 42);
	T("% 05d", 42);
	T("%#x", 255u);
	T("%#X", 255u);
	T("%#x", 0u);
	T("%#o", 8u);
	T("%#o", 0u);
	T("%#08x", 255u);
	T("%#-8x|", 255u);
	T("%#8o", 8u);
	T("%#08o", 8u);
	T("%-#8o|", 8u);

	/* Width and precision. */
	T("%8d", 123);
	T("%1d", 12345);
	T("%.5d", 42);
	T("%.5d", -42);
	T("%8.5d", -42);
	T("%-8.5d|", -42);
	T("%.0d", 0);
	T("%5.0d|", 0);
	T("%+.0d", 0);
	T("%.0x", 0u);
	T("%#.0x", 0u);
	T("%#.0o", 0u);
	T("%#.0o", 8u);
	T("%#.3o", 8u);
	T("%#.2o", 8u);
	T("%#5.0o|", 0u);
	T("%#.3x", 0u);
	T("%#.3x", 1u);
	T("%.10u", 12345u);
	T("%.1d", 0);

	/* '*' width and precision, negative ones included. */
	T("%*d", 6, 42);
	T("%*d|", -6, 42);
	T("%-*d|", 6, 42);
	T("%.*d", 4, 7);
	T("%.*d", -1, 7);
	T("%.*d", 0, 0);
	T("%*.*d", 8, 4, -7);
	T("%*.*s|", -8, 2, "abcdef");
	T("%0*d", 5, -3);

	/* Length modifiers. */
	T("%hhd", 300);
	T("%hhd", -129);
	T("%hhu", 511);
	T("%hhx", 0x1ff);
	T("%hd", 70000);
	T("%hd", -32769);
	T("%hu", 70000);
	T("%hx", 0x12345);
	T("%ld", LONG_MAX);
	T("%ld", LONG_MIN);
	T("%lu", ULONG_MAX);
	T("%lx", ULONG_MAX);
	T("%lo", ULONG_MAX);
	T("%lld", LLONG_MAX);
	T("%lld", LLONG_MIN);
	T("%llu", ULLONG_MAX);
	T("%llX", ULLONG_MAX);
	T("%llo", ULLONG_MAX);
	T("%lli", -1LL);
	T("%zu", SIZE_MAX);
	T("%zx", (size_t)0x1234);
	T("%zd", (ssize_t)-5);
	T("%zd", (ssize_t)SSIZE_MAX);
	T("%td", (ptrdiff_t)-99);
	T("%tu", (size_t)99);
	T("%jd", INTMAX_MIN);
	T("%jd", INTMAX_MAX);
	T("%ju", UINTMAX_MAX);
	T("%jx", UINTMAX_MAX);
	T("%lld", (long long)INT64_MIN);
	T("%ld", (long)INT64_MIN);
	T("%+lld", (long long)INT64_MIN);
	T("%25lld|", (long long)INT64_MIN);
	T("%-25lld|", (long long)INT64_MIN);
	T("%025lld", (long long)INT64_MIN);
	T("%.22lld", (long long)INT64_MIN);
	T("%#llo", ULLONG_MAX);
	T("%#llx", ULLONG_MAX);

	/* Characters and strings. */
	T("%c", 'A');
	T("%5c|", 'A');
	T("%-5c|", 'A');
	T("%c%c%c", 'a', 'b', 'c');
	T("%s", "hello");
	T("%s", "");
	T("%10s|", "hello");
	T("%-10s|", "hello");
	T("%.3s", "hello");
	T("%.0s|", "hello");
	T("%.10s", "hi");
	T("%10.3s|", "hello");
	T("%-10.3s|", "hello");
	T("%.*s", 2, "hello");
	T("%.*s", -1, "hello");
	T("%*s|", 3, "hello");
	T("[%s] [%d] [%x] [%c]", "mix", -1, 0xabu, 'z');

	/* Output wider than the buffer: truncated, full length returned. */
	T("%600d", 1);
	T("%-600s|", "x");
	T("%.600d", 1);
	CHECK_EQ(mismatches, 0);
}

/*
 * Formats that are valid C but that gcc's -Wformat flags as suspicious
 * (redundant or ignored flags); the formatter must still get them right.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
TEST(printf_redundant_flags)
{
	mismatches = 0;
	T("%-05d|", 42);
	T("%0-5d|", 42);
	T("%+ d", 42);
	T("% +d", 42);
	T("%--5d|", 42);
	T("%++d", 42);
	T("%-0*d|", 6, 42);
	T("%05.3d", 42);
	T("%08.5d", 42); /* precision disables the 0 flag */
	T("%0*.*d|", 8, 3, -5);
	T("%+u", 5u);
	T("% x", 5u);
	T("%+x", 5u);
	T("% o", 5u);
	T("%+05u", 5u);
	CHECK_EQ(mismatches, 0);
}
#pragma GCC diagnostic pop

/* Every combination of flags, width and precision for each integer
 * conversion and a spread of values; formats are built at run time. */
static const char *const flag_sets[] = {
	"", "-", "+", " ", "#", "0", "-+", "- ", "-#", "-0", "+ ", "+#", "+0",
	" #", " 0", "#0", "-+ ", "-+#", "-+0", "- #", "- 0", "-#0", "+ #",
	"+ 0", "+#0", " #0", "-+ #", "-+ 0", "-+#0", "- #0", "+ #0", "-+ #0",
};
static const char *const widths[] = { "", "0", "1", "5", "12", "25" };
static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".10", ".25" };

TEST(printf_combinations)
{
	static const long long svals[] = {
		0, 1, -1, 7, -7, 42, -42, 12345, INT_MAX, INT_MIN,
		LLONG_MAX, LLONG_MIN,
	};
	static const unsigned long long uvals[] = {
		0, 1, 7, 8, 15, 16, 255, 0xdeadbeef, UINT_MAX, ULLONG_MAX,
		0x8000000000000000ULL,
	};
	static const char conv[] = "diuxXo";
	char fmt[32], k[BUF], l[BUF];
	unsigned long total = 0;
	size_t f, w, p, c, v;

	mismatches = 0;
	for (c = 0; c < sizeof(conv) - 1; c++) {
		bool is_signed = conv[c] == 'd' || conv[c] == 'i';

		for (f = 0; f < ARRAY_SIZE(flag_sets); f++) {
			/* '#' with d or i is undefined in C. */
			if (is_signed && strchr(flag_sets[f], '#'))
				continue;
			for (w = 0; w < ARRAY_SIZE(widths); w++) {
				for (p = 0; p < ARRAY_SIZE(precs); p++) {
					size_t nv = is_signed ? ARRAY_SIZE(svals) : ARRAY_SIZE(uvals);

					snprintf(fmt, sizeof(fmt), "%%%s%s%sll%c", flag_sets[f],
						 widths[w], precs[p], conv[c]);
					for (v = 0; v < nv; v++) {
						int kn, ln;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
						if (is_signed) {
							kn = k_snprintf(k, sizeof(k), fmt, svals[v]);
							ln = snprintf(l, sizeof(l), fmt, svals[v]);
						} else {
							kn = k_snprintf(k, sizeof(k), fmt, uvals[v]);
							ln = snprintf(l, sizeof(l), fmt, uvals[v]);
						}
#pragma GCC diagnostic pop
						compare(__FILE__, __LINE__, fmt, k, kn, l, ln);
						total++;
					}
				}
			}
		}
	}
	CHECK_EQ(mismatches, 0);
	CHECK(total > 50000);
}

/* Every buffer size from 0 to past the output: same return value, same
 * prefix, always terminated, never a byte past size written. */
TEST(printf_truncation)
{
	static const char *const inputs[] = { "", "a", "hello, world" };
	char k[64];
	size_t i, size;

	for (i = 0; i < ARRAY_SIZE(inputs); i++) {
		int len = (int)strlen(inputs[i]) + 4; /* "-007" */

		for (size = 0; size < 30; size++) {
			char l[64];
			int kn, ln;

			memset(k, '#', sizeof(k));
			memset(l, '#', sizeof(l));
			kn = k_snprintf(k, size, "%s-%03d", inputs[i], 7);
			ln = snprintf(l, size, "%s-%03d", inputs[i], 7);
			CHECK_EQ(kn, len);
			CHECK_EQ(kn, ln);
			CHECK_MSG(!memcmp(k, l, sizeof(k)),
				  "size %zu input \"%s\": \"%.*s\" vs \"%.*s\"",
				  size, inputs[i], (int)sizeof(k), k, (int)sizeof(l), l);
			CHECK_MSG(size == 0 || memchr(k, '\0', size), "size %zu not terminated", size);
			CHECK_MSG(k[size] == '#', "wrote past size %zu", size);
		}
	}
	/* Size 0 with a NULL buffer only measures. */
	CHECK_EQ(k_snprintf(NULL, 0, "%d-%s", -123, "abc"), 8);
	CHECK_EQ(k_snprintf(NULL, 0, ""), 0);
	CHECK_EQ(k_snprintf(k, 1, "abc"), 3);
	CHECK_EQ(k[0], '\0');
}

TEST(printf_pointer)
{
	char buf[64];
	int n;

	n = k_snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	CHECK_STR_EQ(buf, "0x0000000000001234");
	CHECK_EQ(n, 18);
	k_snprintf(buf, sizeof(buf), "%p", (void *)0);
	CHECK_STR_EQ(buf, "0x0000000000000000");
	k_snprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX);
	CHECK_STR_EQ(buf, "0xffffffffffffffff");
	k_snprintf(buf, sizeof(buf), "[%p|%d]", (void *)0xffff800000001000UL, 5);
	CHECK_STR_EQ(buf, "[0xffff800000001000|5]");
	n = k_snprintf(buf, 6, "%p", (void *)0xabc);
	CHECK_EQ(n, 18);
	CHECK_STR_EQ(buf, "0x000");
}

TEST(printf_null_string_and_odd_specs)
{
	const char *volatile null = NULL;
	char buf[64];

	k_snprintf(buf, sizeof(buf), "%s", null);
	CHECK_STR_EQ(buf, "(null)");
	k_snprintf(buf, sizeof(buf), "%8s|", null);
	CHECK_STR_EQ(buf, "  (null)|");

	/* A NUL from %c is output and counted like any character. */
	CHECK_EQ(k_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
	CHECK(!memcmp(buf, "a\0b", 4));

	/* A negative '*' width left-justifies, even when clipped by size. */
	CHECK_EQ(k_snprintf(buf, 8, "%*d", -9, 1), 9);
	CHECK_STR_EQ(buf, "1      ");

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	/* Unknown conversions are printed as written; a lone '%' at the end
	 * prints nothing. */
	k_snprintf(buf, sizeof(buf), "a%qb", 1);
	CHECK_STR_EQ(buf, "a%qb");
	k_snprintf(buf, sizeof(buf), "end%");
	CHECK_STR_EQ(buf, "end");
#pragma GCC diagnostic pop
}

/* vsnprintf consumes a copy of the va_list, so the caller's one is reusable. */
static int twice(char *a, char *b, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int twice(char *a, char *b, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r1, r2;

	va_start(ap, fmt);
	r1 = k_vsnprintf(a, n, fmt, ap);
	r2 = k_vsnprintf(b, n, fmt, ap);
	va_end(ap);
	return r1 == r2 ? r1 : -1;
}

TEST(printf_vsnprintf_va_copy)
{
	char a[32], b[32];

	CHECK_EQ(twice(a, b, sizeof(a), "%d %s %llx", 7, "x", 0xffULL), 6);
	CHECK_STR_EQ(a, "7 x ff");
	CHECK_STR_EQ(b, "7 x ff");
}
