/* lib/string.c, linked as k_* (see krename.h), checked against libc. */
#include "test.h"

#include "krename.h"
#include "lib/string.h"
#include "kunrename.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

TEST(string_memset)
{
	unsigned char buf[64];
	size_t i, bad = 0;

	memset(buf, 0x11, sizeof(buf));
	CHECK_PTR_EQ(k_memset(buf + 3, 0x1AB, 10), buf + 3); /* only the low byte counts */
	for (i = 0; i < sizeof(buf); i++)
		bad += buf[i] != (i >= 3 && i < 13 ? 0xAB : 0x11);
	CHECK_EQ(bad, 0);
	CHECK_PTR_EQ(k_memset(buf, 0, 0), buf);
	CHECK_EQ(buf[0], 0x11);
}

TEST(string_memcpy)
{
	char src[100], dst[100];
	size_t i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7);
	memset(dst, 0, sizeof(dst));
	CHECK_PTR_EQ(k_memcpy(dst + 1, src, 50), dst + 1);
	CHECK(memcmp(dst + 1, src, 50) == 0);
	CHECK_EQ(dst[0], 0);
	CHECK_EQ(dst[51], 0);
	CHECK_PTR_EQ(k_memcpy(dst, src, 0), dst);
}

/* Every overlap of a 32-byte window, both directions, against a copy made
 * through a separate buffer. */
TEST(string_memmove_overlaps)
{
	char buf[64], want[64];
	size_t s, d, n, i, bad = 0;

	for (s = 0; s < 32; s++) {
		for (d = 0; d < 32; d++) {
			for (n = 0; n <= 32; n++) {
				char tmp[32];

				for (i = 0; i < sizeof(buf); i++)
					buf[i] = want[i] = (char)i;
				memcpy(tmp, want + s, n);
				memcpy(want + d, tmp, n);
				if (k_memmove(buf + d, buf + s, n) != buf + d ||
				    memcmp(buf, want, sizeof(buf)))
					bad++;
			}
		}
	}
	CHECK_EQ(bad, 0);
}

TEST(string_memcmp)
{
	static const struct {
		const char *a, *b;
		size_t n;
	} cases[] = {
		{ "abc", "abc", 3 }, { "abc", "abd", 3 }, { "abd", "abc", 3 },
		{ "abc", "abd", 2 }, { "\x80", "\x7f", 1 }, { "\x7f", "\x80", 1 },
		{ "\xff", "\x00", 1 }, { "", "", 0 }, { "a\0b", "a\0c", 3 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_MSG(sign(k_memcmp(cases[i].a, cases[i].b, cases[i].n)) ==
			  sign(memcmp(cases[i].a, cases[i].b, cases[i].n)),
			  "memcmp case %zu", i);
}

TEST(string_strlen_strnlen)
{
	static const char *const strs[] = { "", "a", "hello", "with\ttab", "\xff\x80" };
	size_t i, max;

	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		CHECK_EQ(k_strlen(strs[i]), strlen(strs[i]));
		for (max = 0; max < 8; max++)
			CHECK_EQ(k_strnlen(strs[i], max), strnlen(strs[i], max));
	}
	/* strnlen must not read past max: no terminator within reach here. */
	{
		char raw[4] = { 'a', 'b', 'c', 'd' };

		CHECK_EQ(k_strnlen(raw, 4), 4);
		CHECK_EQ(k_strnlen(raw, 2), 2);
	}
}

TEST(string_strcmp_strncmp)
{
	static const char *const strs[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "\x80", "\x7f", "\xff", "A",
	};
	size_t i, j, n;

	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		for (j = 0; j < ARRAY_SIZE(strs); j++) {
			CHECK_MSG(sign(k_strcmp(strs[i], strs[j])) ==
				  sign(strcmp(strs[i], strs[j])),
				  "strcmp(\"%s\", \"%s\")", strs[i], strs[j]);
			for (n = 0; n < 6; n++)
				CHECK_MSG(sign(k_strncmp(strs[i], strs[j], n)) ==
					  sign(strncmp(strs[i], strs[j], n)),
					  "strncmp(\"%s\", \"%s\", %zu)", strs[i], strs[j], n);
		}
	}
}

TEST(string_strchr)
{
	const char *s = "hello, w\xe9rld";

	CHECK_PTR_EQ(k_strchr(s, 'h'), s);
	CHECK_PTR_EQ(k_strchr(s, 'l'), s + 2);
	CHECK_PTR_EQ(k_strchr(s, 'z'), NULL);
	/* The terminator is part of the string. */
	CHECK_PTR_EQ(k_strchr(s, '\0'), s + strlen(s));
	/* c is converted to char: an int above 127 still finds the byte. */
	CHECK_PTR_EQ(k_strchr(s, 0xe9), strchr(s, 0xe9));
	CHECK_PTR_EQ(k_strchr(s, 0xe9), s + 8);
	CHECK_PTR_EQ(k_strchr("", 'a'), NULL);
}

TEST(string_strlcpy)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(k_strlcpy(buf, "abc", sizeof(buf)), 3);
	CHECK_STR_EQ(buf, "abc");

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(k_strlcpy(buf, "0123456789", sizeof(buf)), 10);
	CHECK_STR_EQ(buf, "0123456");

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(k_strlcpy(buf, "0123456", sizeof(buf)), 7); /* exact fit */
	CHECK_STR_EQ(buf, "0123456");

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(k_strlcpy(buf, "abc", 1), 3);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], 'x');

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(k_strlcpy(buf, "abc", 0), 3); /* size 0 writes nothing */
	CHECK_EQ(buf[0], 'x');

	CHECK_EQ(k_strlcpy(buf, "", sizeof(buf)), 0);
	CHECK_STR_EQ(buf, "");
}
