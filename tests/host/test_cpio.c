/* cpio newc parsing: entries, lookup, and malformed archives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#include "lib/cpio.h"
#include "lib/errno.h"

/* Appends one newc entry to buf at *len. */
static void add_entry(char *buf, size_t *len, const char *name, unsigned mode,
		      const char *data)
{
	size_t nlen = strlen(name) + 1, dlen = data ? strlen(data) : 0;

	*len += (size_t)sprintf(buf + *len,
				"070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
				1u, mode, 0u, 0u, 1u, 0u, dlen, 0u, 0u, 0u, 0u, nlen, 0u);
	memcpy(buf + *len, name, nlen);
	*len += nlen;
	while (*len % 4)
		buf[(*len)++] = 0;
	if (dlen)
		memcpy(buf + *len, data, dlen);
	*len += dlen;
	while (*len % 4)
		buf[(*len)++] = 0;
}

static size_t make_archive(char *buf)
{
	size_t len = 0;

	add_entry(buf, &len, ".", 040755, NULL);
	add_entry(buf, &len, "bin", 040755, NULL);
	add_entry(buf, &len, "bin/sh", 0100755, "#!/bin/sh\n");
	add_entry(buf, &len, "./init", 0100755, "hello, world");
	add_entry(buf, &len, "TRAILER!!!", 0, NULL);
	return len;
}

TEST(cpio_iterates_entries)
{
	static char buf[4096];
	size_t len = make_archive(buf), off = 0;
	struct cpio_entry e;
	int n = 0, r;

	while ((r = cpio_next(buf, len, &off, &e)) == 1)
		n++;
	CHECK_EQ(r, 0);
	CHECK_EQ(n, 4);
	CHECK_EQ(off, len);
}

TEST(cpio_find_strips_prefix)
{
	static char buf[4096];
	size_t len = make_archive(buf);
	struct cpio_entry e;

	CHECK_EQ(cpio_find(buf, len, "/init", &e), 1);
	CHECK_EQ(e.size, 12);
	CHECK(!memcmp(e.data, "hello, world", 12));
	CHECK_EQ(e.mode, 0100755);
	CHECK_EQ(cpio_find(buf, len, "bin/sh", &e), 1);
	CHECK_EQ(cpio_find(buf, len, "/sbin/init", &e), 0);
	CHECK_EQ(cpio_find(buf, len, "bin/s", &e), 0);
}

TEST(cpio_rejects_malformed)
{
	static char buf[4096];
	size_t len = make_archive(buf), off = 0;
	struct cpio_entry e;

	/* Bad magic. */
	buf[0] = 'x';
	CHECK_EQ(cpio_next(buf, len, &off, &e), -EINVAL);
	buf[0] = '0';
	/* A non-hex digit in a field. */
	buf[20] = 'g';
	CHECK_EQ(cpio_next(buf, len, &off, &e), -EINVAL);
	len = make_archive(buf);
	/* Truncated in the middle of the data of bin/sh: size runs past the end. */
	CHECK(cpio_find(buf, 400, "init", &e) < 0);
	/* Truncated inside a header. */
	off = 0;
	CHECK_EQ(cpio_next(buf, 50, &off, &e), -EINVAL);
	/* Zero padding after the last entry is the end, not an error. */
	{
		static char padded[64];

		off = 0;
		CHECK_EQ(cpio_next(padded, sizeof(padded), &off, &e), 0);
	}
	/* A name size of zero. */
	len = make_archive(buf);
	memcpy(buf + 6 + 11 * 8, "00000000", 8);
	off = 0;
	CHECK_EQ(cpio_next(buf, len, &off, &e), -EINVAL);
}

TEST(cpio_huge_size_fields)
{
	static char buf[4096];
	size_t len = make_archive(buf), off = 0;
	struct cpio_entry e;

	/* filesize 0xffffffff must not wrap the bounds check. */
	memcpy(buf + 6 + 6 * 8, "FFFFFFFF", 8);
	CHECK_EQ(cpio_next(buf, len, &off, &e), -EINVAL);
	len = make_archive(buf);
	memcpy(buf + 6 + 11 * 8, "FFFFFFFF", 8);
	off = 0;
	CHECK_EQ(cpio_next(buf, len, &off, &e), -EINVAL);
}
