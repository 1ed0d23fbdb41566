/* Read-only files over kernel buffers (see mm/memfile.h). */
#include "lib/string.h"
#include "mm/memfile.h"

static long memfile_read(struct file *f, void *buf, size_t len, u64 off)
{
	const struct memfile *m = (const struct memfile *)f;

	if (off >= m->size)
		return 0;
	len = MIN(len, m->size - off);
	memcpy(buf, (const char *)m->data + off, len);
	return (long)len;
}

static struct file *memfile_get(struct file *f)
{
	__atomic_add_fetch(&((struct memfile *)f)->refs, 1, __ATOMIC_RELAXED);
	return f;
}

static void memfile_put(struct file *f)
{
	__atomic_sub_fetch(&((struct memfile *)f)->refs, 1, __ATOMIC_RELAXED);
}

const struct mm_file_ops memfile_ops = {
	.read = memfile_read,
	.get = memfile_get,
	.put = memfile_put,
};
