/* inflate/gunzip against the output of the system's gzip (Debian's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#include "lib/errno.h"
#include "lib/inflate.h"

struct collect {
	unsigned char *buf;
	size_t len, cap;
};

static int collect_write(void *arg, const u8 *buf, size_t len)
{
	struct collect *c = arg;

	if (c->len + len > c->cap) {
		c->cap = (c->len + len) * 2;
		c->buf = realloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, buf, len);
	c->len += len;
	return 0;
}

/* Runs gzip with args over data; returns its output (malloc'd). */
static unsigned char *run_gzip(const char *args, const void *data, size_t len, size_t *out_len)
{
	char path[] = "/tmp/sable-inflate-XXXXXX", cmd[256];
	unsigned char *out = NULL;
	size_t cap = 0, n = 0;
	FILE *f, *p;
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gzip %s -c < %s", args, path);
	p = popen(cmd, "r");
	if (!p) {
		remove(path);
		return NULL;
	}
	for (;;) {
		size_t r;

		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			out = realloc(out, cap);
		}
		r = fread(out + n, 1, cap - n, p);
		if (!r)
			break;
		n += r;
	}
	pclose(p);
	remove(path);
	*out_len = n;
	return out;
}

/* Text-like runs, binary noise and long repeats: every block type. */
static unsigned char *make_data(size_t len)
{
	unsigned char *d = malloc(len);
	unsigned int x = 12345;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		if ((i / 50000) % 3 == 0)
			d[i] = "the quick brown fox jumps over the lazy dog\n"[i % 44];
		else if ((i / 50000) % 3 == 1)
			d[i] = (unsigned char)(x >> 16);
		else
			d[i] = (unsigned char)(i % 7 == 0 ? x >> 24 : 'a');
	}
	return d;
}

static void check_roundtrip(const char *args, size_t len)
{
	static u8 window[INFLATE_WINDOW];
	struct collect c = { 0 };
	struct inflate_sink sink = { collect_write, &c };
	unsigned char *data = make_data(len), *gz;
	size_t gz_len = 0;
	long r;

	gz = run_gzip(args, data, len, &gz_len);
	CHECK_MSG(gz && gz_len > 18, "gzip %s produced nothing", args);
	if (!gz)
		return;
	CHECK(gzip_detect(gz, gz_len));
	r = gunzip(gz, gz_len, window, &sink);
	CHECK_EQ(r, (long)len);
	CHECK_EQ(c.len, len);
	CHECK(c.len == len && (len == 0 || memcmp(c.buf, data, len) == 0));
	/* A damaged trailer CRC is caught. */
	gz[gz_len - 6] ^= 0x55;
	c.len = 0;
	CHECK_EQ(gunzip(gz, gz_len, window, &sink), -EINVAL);
	/* Truncated input is an error, not a crash. */
	gz[gz_len - 6] ^= 0x55;
	c.len = 0;
	CHECK_EQ(gunzip(gz, gz_len / 2, window, &sink), -EINVAL);
	free(gz);
	free(data);
	free(c.buf);
}

TEST(fs_inflate_gzip_levels)
{
	check_roundtrip("-9 -n", 400000);
	check_roundtrip("-1", 300000);
	check_roundtrip("-6", 1);
	check_roundtrip("-6", 0);
}

TEST(fs_inflate_concatenated_members)
{
	static u8 window[INFLATE_WINDOW];
	struct collect c = { 0 };
	struct inflate_sink sink = { collect_write, &c };
	size_t a_len = 0, b_len = 0;
	unsigned char *a = run_gzip("-9", "hello ", 6, &a_len);
	unsigned char *b = run_gzip("-1", "world", 5, &b_len);
	unsigned char *both = malloc(a_len + b_len + 8);

	memcpy(both, a, a_len);
	memcpy(both + a_len, b, b_len);
	memset(both + a_len + b_len, 0, 8); /* padding after the last member */
	CHECK_EQ(gunzip(both, a_len + b_len + 8, window, &sink), 11);
	CHECK(c.len == 11 && memcmp(c.buf, "hello world", 11) == 0);
	CHECK_EQ(gunzip("not gzip at all, really", 23, window, &sink), -EINVAL);
	free(a);
	free(b);
	free(both);
	free(c.buf);
}

TEST(fs_inflate_crc32)
{
	/* The CRC-32 check value of "123456789". */
	CHECK_EQ(crc32_update(0, "123456789", 9), 0xcbf43926u);
	CHECK_EQ(crc32_update(crc32_update(0, "1234", 4), "56789", 5), 0xcbf43926u);
}
