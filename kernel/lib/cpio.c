/* cpio newc: a 110-byte ASCII header ("070701", 13 hex fields), the name,
 * padding to 4 bytes, the data, padding to 4 bytes. */
#include "lib/cpio.h"
#include "lib/errno.h"
#include "lib/string.h"

#define NEWC_HEADER_LEN 110

static int hex8(const char *s, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (u32)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (u32)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (u32)(c - 'A' + 10);
		else
			return -EINVAL;
	}
	*out = v;
	return 0;
}

int cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_entry *e)
{
	const char *base = archive, *h;
	u32 f[13];
	size_t off = *offset, name_off, data_off, end;

	if (off >= len)
		return 0;
	h = base + off;
	/* Archives may be padded with zeros (past the trailer, or when several
	 * are concatenated); anything else short of a header is truncation. */
	if (h[0] == '\0') {
		for (size_t i = off; i < len; i++) {
			if (base[i])
				return -EINVAL;
		}
		return 0;
	}
	if (len - off < NEWC_HEADER_LEN)
		return -EINVAL;
	if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
		return -EINVAL;
	for (int i = 0; i < 13; i++) {
		if (hex8(h + 6 + 8 * i, &f[i]))
			return -EINVAL;
	}
	/* f: ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check */
	if (f[11] == 0 || f[11] > len)
		return -EINVAL;
	name_off = off + NEWC_HEADER_LEN;
	if (name_off + f[11] > len || base[name_off + f[11] - 1] != '\0')
		return -EINVAL;
	data_off = ALIGN_UP(name_off + f[11], (size_t)4);
	if (data_off > len || f[6] > len - data_off)
		return -EINVAL;
	end = ALIGN_UP(data_off + f[6], (size_t)4);

	e->name = base + name_off;
	e->name_len = f[11] - 1;
	e->data = base + data_off;
	e->size = f[6];
	e->ino = f[0];
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->nlink = f[4];
	e->mtime = f[5];
	e->devmajor = f[7];
	e->devminor = f[8];
	e->rdevmajor = f[9];
	e->rdevminor = f[10];
	*offset = MIN(end, len);
	if (e->name_len == 10 && !memcmp(e->name, "TRAILER!!!", 10))
		return 0;
	return 1;
}

/* Archive names may carry a leading "./" or "/": compare without it. */
static void strip_prefix(const char **name, size_t *len)
{
	while (*len && **name == '/') {
		(*name)++;
		(*len)--;
	}
	while (*len >= 2 && (*name)[0] == '.' && (*name)[1] == '/') {
		*name += 2;
		*len -= 2;
	}
}

int cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *e)
{
	size_t off = 0, plen;
	int r;

	while (*path == '/')
		path++;
	plen = strlen(path);
	while ((r = cpio_next(archive, len, &off, e)) == 1) {
		const char *n = e->name;
		size_t nl = e->name_len;

		strip_prefix(&n, &nl);
		if (nl == plen && !memcmp(n, path, plen))
			return 1;
	}
	return r;
}
