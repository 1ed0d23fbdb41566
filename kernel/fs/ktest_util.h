/* Helpers shared by the VFS self tests (the *_ktest.c files here). */
#ifndef SABLE_FS_KTEST_UTIL_H
#define SABLE_FS_KTEST_UTIL_H

#include "core/ktest.h"
#include "fs/vfs.h"
#include "lib/string.h"

/* A context for a test: its own fs state (cwd at /) and the given cred. */
static inline int kt_ctx(struct fs_context *ctx, const struct cred *c)
{
	ctx->fs = fs_state_create();
	ctx->cred = c;
	return ctx->fs ? 0 : -ENOMEM;
}

static inline void kt_ctx_end(struct fs_context *ctx)
{
	fs_state_put(ctx->fs);
}

/* Writes len bytes of data to path (created or truncated); bytes or -errno. */
static inline long kt_write_file(struct fs_context *ctx, const char *path, const void *data,
				 size_t len, u32 mode)
{
	struct file *f = vfs_open(ctx, NULL, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	struct uio_seg seg;
	struct uio u;
	long r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	uio_init_one(&u, &seg, (void *)data, len, false);
	r = vfs_write(f, &u);
	file_put(f);
	return r;
}

static inline long kt_read(struct file *f, void *buf, size_t len)
{
	struct uio_seg seg;
	struct uio u;

	uio_init_one(&u, &seg, buf, len, false);
	return vfs_read(f, &u);
}

static inline long kt_write(struct file *f, const void *buf, size_t len)
{
	struct uio_seg seg;
	struct uio u;

	uio_init_one(&u, &seg, (void *)buf, len, false);
	return vfs_write(f, &u);
}

/* Reads up to len bytes of path from offset 0; bytes or -errno. */
static inline long kt_read_file(struct fs_context *ctx, const char *path, void *buf, size_t len)
{
	struct file *f = vfs_open(ctx, NULL, path, O_RDONLY, 0);
	long r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	r = kt_read(f, buf, len);
	file_put(f);
	return r;
}

/* Fails the test when expr (an errno result) is not want. */
#define KT_EXPECT(expr, want)                                                       \
	do {                                                                        \
		long r_ = (long)(expr);                                             \
		if (r_ != (long)(want))                                             \
			return KT_FAIL("%s:%d: %s = %ld, want %ld", __FILE__, __LINE__, \
				       #expr, r_, (long)(want));                    \
	} while (0)

/* The errno of an ERR_PTR result, or 0 for a pointer (dropped). */
static inline long kt_open_err(struct fs_context *ctx, struct file *base, const char *path,
			       unsigned int flags, u32 mode)
{
	struct file *f = vfs_open(ctx, base, path, flags, mode);

	if (IS_ERR(f))
		return PTR_ERR(f);
	file_put(f);
	return 0;
}

#endif
