/* Self tests of the VFS and tmpfs: files, directories, paths, permissions. */
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "ktest_util.h"
#include "lib/printf.h"
#include "mm/pmm.h"
#include "mm/slab.h"

static const struct cred user_cred = {
	.uid = 1000, .euid = 1000, .suid = 1000, .fsuid = 1000,
	.gid = 1000, .egid = 1000, .sgid = 1000, .fsgid = 1000,
};

static const struct cred other_cred = {
	.uid = 1001, .euid = 1001, .suid = 1001, .fsuid = 1001,
	.gid = 1001, .egid = 1001, .sgid = 1001, .fsgid = 1001,
};

KTEST(fs_file_read_write_seek)
{
	struct fs_context ctx;
	struct kstat st;
	struct file *f;
	char buf[32];

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_rw", 0755), 0);
	KT_EXPECT(kt_write_file(&ctx, "/kt_rw/f", "hello world", 11, 0644), 11);
	f = vfs_open(&ctx, NULL, "/kt_rw/f", O_RDWR, 0);
	if (IS_ERR(f))
		return KT_FAIL("open: %ld", PTR_ERR(f));
	KT_EXPECT(vfs_lseek(f, 6, SEEK_SET), 6);
	KT_EXPECT(kt_read(f, buf, 5), 5);
	if (memcmp(buf, "world", 5))
		return KT_FAIL("read back %.5s", buf);
	KT_EXPECT(kt_read(f, buf, 5), 0);              /* end of file */
	KT_EXPECT(vfs_lseek(f, -5, SEEK_END), 6);
	KT_EXPECT(vfs_lseek(f, -1, SEEK_CUR), 5);
	KT_EXPECT(vfs_lseek(f, -100, SEEK_CUR), -EINVAL);
	KT_EXPECT(vfs_lseek(f, 0, 42), -EINVAL);
	KT_EXPECT(vfs_lseek(f, 0, SEEK_END), 11);
	KT_EXPECT(kt_write(f, "!", 1), 1);
	/* A sparse write far out: the hole reads as zeros. */
	KT_EXPECT(vfs_lseek(f, 3 * 1024 * 1024 + 5, SEEK_SET), 3 * 1024 * 1024 + 5);
	KT_EXPECT(kt_write(f, "end", 3), 3);
	KT_EXPECT(vfs_fstat(f, &st), 0);
	if (st.size != 3 * 1024 * 1024 + 8 || st.blocks > 32)
		return KT_FAIL("sparse size %lld blocks %llu", (long long)st.size,
			       (unsigned long long)st.blocks);
	KT_EXPECT(vfs_lseek(f, 2 * 1024 * 1024, SEEK_SET), 2 * 1024 * 1024);
	memset(buf, 0x55, sizeof(buf));
	KT_EXPECT(kt_read(f, buf, sizeof(buf)), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++) {
		if (buf[i])
			return KT_FAIL("hole byte %zu is %d", i, buf[i]);
	}
	/* Truncate down then up: the cut part comes back as zeros. */
	KT_EXPECT(vfs_ftruncate(&ctx, f, 8), 0);
	KT_EXPECT(vfs_ftruncate(&ctx, f, 20), 0);
	{
		struct uio_seg seg;
		struct uio u;

		uio_init_one(&u, &seg, buf, 20, false);
		KT_EXPECT(vfs_pread(f, &u, 0), 20);
	}
	if (memcmp(buf, "hello wo\0\0\0\0", 12))
		return KT_FAIL("after truncate: %.12s", buf);
	KT_EXPECT(vfs_ftruncate(&ctx, f, -1), -EINVAL);
	file_put(f);

	/* O_APPEND writes at the end whatever the position. */
	f = vfs_open(&ctx, NULL, "/kt_rw/f", O_WRONLY | O_APPEND, 0);
	if (IS_ERR(f))
		return KT_FAIL("open append: %ld", PTR_ERR(f));
	KT_EXPECT(vfs_lseek(f, 0, SEEK_SET), 0);
	KT_EXPECT(kt_write(f, "XY", 2), 2);
	KT_EXPECT(vfs_fstat(f, &st), 0);
	KT_EXPECT(st.size, 22);
	KT_EXPECT(kt_read(f, buf, 1), -EBADF);         /* not open for reading */
	KT_EXPECT(vfs_ftruncate(&ctx, f, 0) == 0, 1);
	file_put(f);
	f = vfs_open(&ctx, NULL, "/kt_rw/f", O_RDONLY, 0);
	KT_EXPECT(kt_write(f, "x", 1), -EBADF);
	KT_EXPECT(vfs_ftruncate(&ctx, f, 0), -EINVAL); /* ftruncate(2) */
	file_put(f);

	/* O_TRUNC, and errors of truncate(2). */
	KT_EXPECT(kt_write_file(&ctx, "/kt_rw/f", "ab", 2, 0644), 2);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_rw/f", 0, &st), 0);
	KT_EXPECT(st.size, 2);
	KT_EXPECT(vfs_truncate(&ctx, NULL, "/kt_rw", 0), -EISDIR);
	KT_EXPECT(vfs_truncate(&ctx, NULL, "/kt_rw/f", -1), -EINVAL);
	KT_EXPECT(kt_read_file(&ctx, "/kt_rw", buf, 1), -EISDIR);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_rw", O_WRONLY, 0), -EISDIR);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_rw", O_RDONLY | O_CREAT, 0644), -EISDIR);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_rw/f", O_CREAT | O_EXCL | O_RDWR, 0644), -EEXIST);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_rw/f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_rw/new/", O_CREAT | O_RDWR, 0644), -EISDIR);
	kt_ctx_end(&ctx);
	return NULL;
}

KTEST(fs_file_large_multi_page)
{
	struct fs_context ctx;
	const size_t len = 200 * 1024 + 123;
	u8 *data, *back;
	const char *err = NULL;
	long r;

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	data = kmalloc(len);
	back = kmalloc(len);
	if (!data || !back) {
		err = KT_FAIL("no memory");
		goto out;
	}
	for (size_t i = 0; i < len; i++)
		data[i] = (u8)(i * 7 + i / 4096);
	r = kt_write_file(&ctx, "/kt_large", data, len, 0600);
	if (r != (long)len) {
		err = KT_FAIL("write %ld", r);
		goto out;
	}
	r = kt_read_file(&ctx, "/kt_large", back, len);
	if (r != (long)len || memcmp(data, back, len))
		err = KT_FAIL("read back %ld bytes differ", r);
	vfs_unlink(&ctx, NULL, "/kt_large");
out:
	kfree(data);
	kfree(back);
	kt_ctx_end(&ctx);
	return err;
}

struct names {
	struct dir_context dc;
	char list[256];
	size_t len;
	int count;
};

static bool collect(struct dir_context *dc, const char *name, size_t len, u64 ino,
		    unsigned int type)
{
	struct names *n = container_of(dc, struct names, dc);

	if (n->len + len + 2 > sizeof(n->list))
		return false;
	memcpy(n->list + n->len, name, len);
	n->len += len;
	n->list[n->len++] = type == DT_DIR ? '/' : type == DT_LNK ? '@' : ' ';
	n->list[n->len] = '\0';
	n->count++;
	return true;
}

KTEST(fs_directory_operations)
{
	struct fs_context ctx;
	struct names n = { .dc.actor = collect };
	struct kstat st;
	struct file *d;
	char buf[64];

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_dir", 0755), 0);
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_dir", 0755), -EEXIST);
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_dir/a/", 0755), 0);
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_dir/a/b", 0755), 0);
	KT_EXPECT(kt_write_file(&ctx, "/kt_dir/f", "x", 1, 0644), 1);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir", 0, &st), 0);
	KT_EXPECT(st.nlink, 3);                        /* ".", its entry, a/.. */
	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_dir/a"), -ENOTEMPTY);
	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_dir/f"), -ENOTDIR);
	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_dir/a/b/."), -EINVAL);
	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_dir/a/.."), -ENOTEMPTY);
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_dir/a"), -EISDIR);
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_dir/f/"), -ENOTDIR);
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_dir/nope"), -ENOENT);

	/* link(2), with link counts */
	KT_EXPECT(vfs_link(&ctx, NULL, "/kt_dir/f", NULL, "/kt_dir/g", 0), 0);
	KT_EXPECT(vfs_link(&ctx, NULL, "/kt_dir/f", NULL, "/kt_dir/g", 0), -EEXIST);
	KT_EXPECT(vfs_link(&ctx, NULL, "/kt_dir/a", NULL, "/kt_dir/h", 0), -EPERM);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/g", 0, &st), 0);
	KT_EXPECT(st.nlink, 2);
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_dir/f"), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/g", 0, &st), 0);
	KT_EXPECT(st.nlink, 1);
	KT_EXPECT(kt_read_file(&ctx, "/kt_dir/g", buf, sizeof(buf)), 1);

	/* symlink(2), readlink(2) */
	KT_EXPECT(vfs_symlink(&ctx, "a/b", NULL, "/kt_dir/s"), 0);
	KT_EXPECT(vfs_symlink(&ctx, "x", NULL, "/kt_dir/s"), -EEXIST);
	KT_EXPECT(vfs_symlink(&ctx, "", NULL, "/kt_dir/e"), -ENOENT);
	KT_EXPECT(vfs_readlink(&ctx, NULL, "/kt_dir/s", buf, sizeof(buf)), 3);
	if (memcmp(buf, "a/b", 3))
		return KT_FAIL("readlink gave %.3s", buf);
	KT_EXPECT(vfs_readlink(&ctx, NULL, "/kt_dir/s", buf, 2), 2);
	KT_EXPECT(vfs_readlink(&ctx, NULL, "/kt_dir/g", buf, sizeof(buf)), -EINVAL);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/s", LOOKUP_FOLLOW, &st), 0);
	if (!S_ISDIR(st.mode))
		return KT_FAIL("stat through symlink: mode %o", st.mode);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/s", 0, &st), 0);
	if (!S_ISLNK(st.mode) || st.size != 3)
		return KT_FAIL("lstat: mode %o size %lld", st.mode, (long long)st.size);

	/* rename(2) and its errors */
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/g", NULL, "/kt_dir/g2", 0), 0);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/g", NULL, "/kt_dir/g3", 0), -ENOENT);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/a", NULL, "/kt_dir/a/b/c", 0), -EINVAL);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/a", NULL, "/kt_dir/g2", 0), -ENOTDIR);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/g2", NULL, "/kt_dir/a", 0), -EISDIR);
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_dir/c", 0755), 0);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/c", NULL, "/kt_dir/a", 0), -ENOTEMPTY);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/a/b", NULL, "/kt_dir/a", 0), -ENOTEMPTY);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/a/b", NULL, "/kt_dir/c", 0), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/c", 0, &st), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/a/b", 0, &st), -ENOENT);
	KT_EXPECT(kt_write_file(&ctx, "/kt_dir/h", "hh", 2, 0644), 2);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/g2", NULL, "/kt_dir/h", RENAME_NOREPLACE),
		  -EEXIST);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/g2", NULL, "/kt_dir/h",
			     RENAME_NOREPLACE | RENAME_EXCHANGE), -EINVAL);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/g2", NULL, "/kt_dir/a", RENAME_EXCHANGE), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/g2", 0, &st), 0);
	if (!S_ISDIR(st.mode))
		return KT_FAIL("exchange: g2 is not the directory");
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/a", NULL, "/kt_dir/h", 0), 0);
	KT_EXPECT(kt_read_file(&ctx, "/kt_dir/h", buf, sizeof(buf)), 1);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/h", NULL, "/kt_dir/.", 0), -EBUSY);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_dir/h", NULL, "/kt_dir/h", 0), 0);

	/* getdents: ".", "..", then the entries in creation order */
	d = vfs_open(&ctx, NULL, "/kt_dir", O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(d))
		return KT_FAIL("open dir: %ld", PTR_ERR(d));
	KT_EXPECT(vfs_iterate_dir(d, &n.dc), 0);
	if (strcmp(n.list, "./../s@g2/c/h "))
		return KT_FAIL("listing \"%s\"", n.list);
	n.len = 0;
	n.list[0] = '\0';
	KT_EXPECT(vfs_iterate_dir(d, &n.dc), 0);
	KT_EXPECT(n.len, 0);                          /* at the end */
	KT_EXPECT(vfs_lseek(d, 0, SEEK_SET), 0);
	KT_EXPECT(kt_write(d, "x", 1), -EBADF);
	file_put(d);

	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_dir/c"), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_dir/c", 0, &st), -ENOENT);
	kt_ctx_end(&ctx);
	return NULL;
}

KTEST(fs_path_errors)
{
	struct fs_context ctx;
	struct kstat st, st2;
	char *long_path;
	char name[260];
	u64 file_ino;
	const char *err = NULL;

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_path", 0755), 0);
	KT_EXPECT(kt_write_file(&ctx, "/kt_path/file", "1", 1, 0644), 1);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/none", 0, &st), -ENOENT);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/none/x", 0, &st), -ENOENT);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/file/x", 0, &st), -ENOTDIR);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/file/", 0, &st), -ENOTDIR);
	KT_EXPECT(vfs_stat(&ctx, NULL, "", 0, &st), -ENOENT);
	KT_EXPECT(vfs_stat(&ctx, NULL, "", LOOKUP_EMPTY, &st), 0); /* the cwd */
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/", 0, &st), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "//kt_path//./file", 0, &st), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/../../kt_path/../kt_path/file", 0, &st2), 0);
	KT_EXPECT(st.ino == st2.ino, 1);
	file_ino = st.ino;

	memset(name, 'n', 256);
	name[256] = '\0';
	KT_EXPECT(vfs_mkdir(&ctx, NULL, name, 0755), -ENAMETOOLONG);
	name[255] = '\0';
	KT_EXPECT(vfs_stat(&ctx, NULL, name, 0, &st), -ENOENT);
	long_path = kmalloc(PATH_MAX + 2);
	if (!long_path)
		return KT_FAIL("no memory");
	for (int i = 0; i < PATH_MAX + 1; i++)
		long_path[i] = i % 2 ? '/' : 'a';
	long_path[PATH_MAX] = '\0';
	if (vfs_stat(&ctx, NULL, long_path, 0, &st) != -ENAMETOOLONG)
		err = KT_FAIL("4096-byte path not ENAMETOOLONG");
	kfree(long_path);
	if (err)
		return err;

	/* Symlinks: loops, O_NOFOLLOW, dangling, in the middle. */
	KT_EXPECT(vfs_symlink(&ctx, "loop", NULL, "/kt_path/loop"), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/loop", LOOKUP_FOLLOW, &st), -ELOOP);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/loop/x", 0, &st), -ELOOP);
	KT_EXPECT(vfs_symlink(&ctx, "file", NULL, "/kt_path/ln"), 0);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_path/ln", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_path/ln", O_PATH | O_NOFOLLOW, 0), 0);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_path/ln", O_RDONLY, 0), 0);
	KT_EXPECT(vfs_symlink(&ctx, "/kt_path", NULL, "/kt_path/abs"), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/abs/abs/abs/file", 0, &st2), 0);
	KT_EXPECT(st2.ino == file_ino, 1);
	KT_EXPECT(vfs_symlink(&ctx, "newfile", NULL, "/kt_path/dangling"), 0);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_path/dangling", O_CREAT | O_WRONLY, 0644), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/newfile", 0, &st), 0);
	KT_EXPECT(kt_open_err(&ctx, NULL, "/kt_path/dangling", O_CREAT | O_EXCL | O_WRONLY, 0644),
		  -EEXIST);
	/* 40 links are followed, the 41st is ELOOP. */
	for (int i = 0; i < 41; i++) {
		char lname[32], target[32];

		snprintf(lname, sizeof(lname), "/kt_path/c%d", i);
		snprintf(target, sizeof(target), i ? "c%d" : "file", i - 1);
		KT_EXPECT(vfs_symlink(&ctx, target, NULL, lname), 0);
	}
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/c39", LOOKUP_FOLLOW, &st), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path/c40", LOOKUP_FOLLOW, &st), -ELOOP);

	/* chroot: ".." at the new root stays there. */
	KT_EXPECT(vfs_chroot(&ctx, NULL, "/kt_path"), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/../../file", 0, &st), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_path", 0, &st), -ENOENT);
	KT_EXPECT(vfs_chroot(&ctx, NULL, "/file"), -ENOTDIR);
	kt_ctx_end(&ctx);
	return NULL;
}

KTEST(fs_permissions_non_root)
{
	struct fs_context root, user, other;
	struct fs_time t[2] = { { 1000, 0 }, { 2000, 0 } };
	struct kstat st;

	if (kt_ctx(&root, &root_cred) || kt_ctx(&user, &user_cred) || kt_ctx(&other, &other_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(vfs_mkdir(&root, NULL, "/kt_perm", 0755), 0);
	KT_EXPECT(vfs_mkdir(&root, NULL, "/kt_perm/priv", 0700), 0);
	KT_EXPECT(kt_write_file(&root, "/kt_perm/priv/f", "s", 1, 0644), 1);
	KT_EXPECT(kt_write_file(&root, "/kt_perm/ro", "r", 1, 0644), 1);
	/* Search permission on every directory walked. */
	KT_EXPECT(vfs_stat(&user, NULL, "/kt_perm/priv/f", 0, &st), -EACCES);
	KT_EXPECT(kt_open_err(&user, NULL, "/kt_perm/ro", O_RDONLY, 0), 0);
	KT_EXPECT(kt_open_err(&user, NULL, "/kt_perm/ro", O_WRONLY, 0), -EACCES);
	KT_EXPECT(kt_open_err(&user, NULL, "/kt_perm/ro", O_RDONLY | O_TRUNC, 0), -EACCES);
	KT_EXPECT(kt_open_err(&user, NULL, "/kt_perm/new", O_CREAT | O_WRONLY, 0644), -EACCES);
	KT_EXPECT(vfs_mkdir(&user, NULL, "/kt_perm/d", 0755), -EACCES);
	KT_EXPECT(vfs_unlink(&user, NULL, "/kt_perm/ro"), -EACCES);
	KT_EXPECT(vfs_chmod(&user, NULL, "/kt_perm/ro", 0777, 0), -EPERM);
	KT_EXPECT(vfs_chown(&user, NULL, "/kt_perm/ro", 1000, (gid_t)-1, 0), -EPERM);
	KT_EXPECT(vfs_access(&user, NULL, "/kt_perm/ro", R_OK, LOOKUP_REAL_IDS), 0);
	KT_EXPECT(vfs_access(&user, NULL, "/kt_perm/ro", W_OK, LOOKUP_REAL_IDS), -EACCES);
	KT_EXPECT(vfs_access(&user, NULL, "/kt_perm/ro", X_OK, 0), -EACCES);
	KT_EXPECT(vfs_access(&root, NULL, "/kt_perm/ro", W_OK, 0), 0);
	KT_EXPECT(vfs_access(&root, NULL, "/kt_perm/ro", X_OK, 0), -EACCES);
	KT_EXPECT(vfs_access(&root, NULL, "/kt_perm/ro", 8, 0), -EINVAL);
	KT_EXPECT(vfs_utimens(&user, NULL, "/kt_perm/ro", t, 0), -EPERM);
	KT_EXPECT(vfs_utimens(&user, NULL, "/kt_perm/ro", NULL, 0), -EACCES);

	/* The owner may chmod and change the group to its own groups only. */
	KT_EXPECT(vfs_chown(&root, NULL, "/kt_perm/ro", 1000, 1000, 0), 0);
	KT_EXPECT(vfs_chmod(&user, NULL, "/kt_perm/ro", 0600, 0), 0);
	KT_EXPECT(vfs_chown(&user, NULL, "/kt_perm/ro", (uid_t)-1, 0, 0), -EPERM);
	KT_EXPECT(vfs_chown(&user, NULL, "/kt_perm/ro", (uid_t)-1, 1000, 0), 0);
	KT_EXPECT(vfs_utimens(&user, NULL, "/kt_perm/ro", t, 0), 0);
	KT_EXPECT(vfs_stat(&user, NULL, "/kt_perm/ro", 0, &st), 0);
	if (st.atime.sec != 1000 || st.mtime.sec != 2000)
		return KT_FAIL("utimens: %lld %lld", (long long)st.atime.sec,
			       (long long)st.mtime.sec);
	/* setuid goes on chown; setgid goes on chmod by a non-member. */
	KT_EXPECT(vfs_chmod(&user, NULL, "/kt_perm/ro", 04755, 0), 0);
	KT_EXPECT(vfs_chown(&root, NULL, "/kt_perm/ro", 1000, 1000, 0), 0);
	KT_EXPECT(vfs_stat(&user, NULL, "/kt_perm/ro", 0, &st), 0);
	KT_EXPECT(st.mode & 07777, 0755);
	KT_EXPECT(vfs_chown(&root, NULL, "/kt_perm/ro", 1000, 0, 0), 0);
	KT_EXPECT(vfs_chmod(&user, NULL, "/kt_perm/ro", 02755, 0), 0);
	KT_EXPECT(vfs_stat(&user, NULL, "/kt_perm/ro", 0, &st), 0);
	KT_EXPECT(st.mode & 07777, 0755);

	/* Sticky directories: only the owner removes an entry. */
	KT_EXPECT(vfs_mkdir(&root, NULL, "/kt_perm/tmp", 01777), 0);
	KT_EXPECT(vfs_chmod(&root, NULL, "/kt_perm/tmp", 01777, 0), 0);
	KT_EXPECT(kt_write_file(&user, "/kt_perm/tmp/mine", "m", 1, 0644), 1);
	KT_EXPECT(vfs_stat(&user, NULL, "/kt_perm/tmp/mine", 0, &st), 0);
	KT_EXPECT(st.uid, 1000);
	KT_EXPECT(vfs_unlink(&other, NULL, "/kt_perm/tmp/mine"), -EPERM);
	KT_EXPECT(vfs_rename(&other, NULL, "/kt_perm/tmp/mine", NULL, "/kt_perm/tmp/x", 0), -EPERM);
	KT_EXPECT(vfs_unlink(&user, NULL, "/kt_perm/tmp/mine"), 0);
	/* A file of mode 0 can still be opened by the open that creates it. */
	KT_EXPECT(kt_open_err(&user, NULL, "/kt_perm/tmp/zero", O_CREAT | O_RDWR, 0), 0);
	KT_EXPECT(kt_open_err(&user, NULL, "/kt_perm/tmp/zero", O_RDONLY, 0), -EACCES);
	KT_EXPECT(kt_open_err(&root, NULL, "/kt_perm/tmp/zero", O_RDWR, 0), 0);
	/* execve(2)'s open: execute permission, regular files only. */
	KT_EXPECT(kt_write_file(&root, "/kt_perm/prog", "#!", 2, 0711), 2);
	{
		struct file *f = vfs_open_exec(&user, NULL, "/kt_perm/prog", 0);

		if (IS_ERR(f))
			return KT_FAIL("exec open: %ld", PTR_ERR(f));
		KT_EXPECT(kernel_read(f, &st, 2, 0), 2); /* no read permission needed */
		file_put(f);
	}
	KT_EXPECT(PTR_ERR(vfs_open_exec(&user, NULL, "/kt_perm/tmp/zero", 0)), -EACCES);
	KT_EXPECT(PTR_ERR(vfs_open_exec(&root, NULL, "/kt_perm/tmp/zero", 0)), -EACCES);
	KT_EXPECT(PTR_ERR(vfs_open_exec(&root, NULL, "/kt_perm", 0)), -EACCES);
	{
		struct kstatfs sfs;

		KT_EXPECT(vfs_statfs(&user, NULL, "/kt_perm", 0, &sfs), 0);
		KT_EXPECT(sfs.type, 0x01021994);
		KT_EXPECT(sfs.bsize, PAGE_SIZE);
	}
	/* umask applies to new files. */
	fs_umask(user.fs, 077);
	KT_EXPECT(kt_open_err(&user, NULL, "/kt_perm/tmp/um", O_CREAT | O_RDWR, 0666), 0);
	KT_EXPECT(vfs_stat(&user, NULL, "/kt_perm/tmp/um", 0, &st), 0);
	KT_EXPECT(st.mode & 0777, 0600);
	kt_ctx_end(&root);
	kt_ctx_end(&user);
	kt_ctx_end(&other);
	return NULL;
}

KTEST(fs_cwd_and_mounts)
{
	struct fs_context ctx;
	struct kstat st, st2;
	struct file *f;
	char buf[64];

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_cwd", 0755), 0);
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_cwd/sub", 0755), 0);
	KT_EXPECT(vfs_chdir(&ctx, NULL, "/kt_cwd/sub"), 0);
	KT_EXPECT(vfs_getcwd(&ctx, buf, sizeof(buf)), 12);
	if (strcmp(buf, "/kt_cwd/sub"))
		return KT_FAIL("getcwd \"%s\"", buf);
	KT_EXPECT(vfs_getcwd(&ctx, buf, 5), -ERANGE);
	KT_EXPECT(kt_write_file(&ctx, "rel", "r", 1, 0644), 1);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_cwd/sub/rel", 0, &st), 0);
	KT_EXPECT(vfs_chdir(&ctx, NULL, "rel"), -ENOTDIR);
	/* openat-style: relative to a directory file. */
	f = vfs_open(&ctx, NULL, "/kt_cwd", O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(f))
		return KT_FAIL("open dir %ld", PTR_ERR(f));
	KT_EXPECT(vfs_stat(&ctx, f, "sub/rel", 0, &st2), 0);
	KT_EXPECT(st.ino == st2.ino, 1);
	file_put(f);
	f = vfs_open(&ctx, NULL, "rel", O_RDONLY, 0);
	KT_EXPECT(vfs_stat(&ctx, f, "x", 0, &st2), -ENOTDIR);
	KT_EXPECT(vfs_stat(&ctx, f, "", LOOKUP_EMPTY, &st2), 0);
	file_put(f);
	/* A removed cwd: getcwd says ENOENT, creating in it ENOENT. */
	KT_EXPECT(vfs_unlink(&ctx, NULL, "rel"), 0);
	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_cwd/sub"), 0);
	KT_EXPECT(vfs_getcwd(&ctx, buf, sizeof(buf)), -ENOENT);
	KT_EXPECT(kt_write_file(&ctx, "new", "n", 1, 0644), -ENOENT);
	KT_EXPECT(vfs_chdir(&ctx, NULL, ".."), 0);
	KT_EXPECT(vfs_getcwd(&ctx, buf, sizeof(buf)), 8);

	/* Mounts: crossing, "..", EBUSY, EXDEV, umount. */
	KT_EXPECT(vfs_mkdir(&ctx, NULL, "/kt_cwd/mnt", 0755), 0);
	KT_EXPECT(vfs_mount(&ctx, "none", NULL, "/kt_cwd/mnt", "tmpfs", 0), 0);
	KT_EXPECT(vfs_mount(&ctx, "none", NULL, "/kt_cwd/mnt", "nosuchfs", 0), -ENODEV);
	KT_EXPECT(kt_write_file(&ctx, "/kt_cwd/mnt/inside", "i", 1, 0644), 1);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_cwd/mnt/inside", 0, &st), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_cwd", 0, &st2), 0);
	KT_EXPECT(st.dev != st2.dev, 1);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_cwd/mnt/..", 0, &st), 0);
	KT_EXPECT(st.ino == st2.ino && st.dev == st2.dev, 1);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_cwd/mnt", 0, &st), 0);
	KT_EXPECT(st.mode & 07777, 01777);
	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_cwd/mnt"), -EBUSY);
	KT_EXPECT(vfs_rename(&ctx, NULL, "/kt_cwd/mnt/inside", NULL, "/kt_cwd/out", 0), -EXDEV);
	KT_EXPECT(vfs_link(&ctx, NULL, "/kt_cwd/mnt/inside", NULL, "/kt_cwd/out", 0), -EXDEV);
	KT_EXPECT(vfs_chdir(&ctx, NULL, "/kt_cwd/mnt"), 0);
	KT_EXPECT(vfs_getcwd(&ctx, buf, sizeof(buf)), 12);
	KT_EXPECT(vfs_umount(&ctx, NULL, "/kt_cwd/mnt"), -EBUSY);  /* our cwd */
	KT_EXPECT(vfs_chdir(&ctx, NULL, "/"), 0);
	KT_EXPECT(vfs_umount(&ctx, NULL, "/kt_cwd"), -EINVAL);
	KT_EXPECT(vfs_umount(&ctx, NULL, "/kt_cwd/mnt"), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_cwd/mnt/inside", 0, &st), -ENOENT);
	KT_EXPECT(vfs_rmdir(&ctx, NULL, "/kt_cwd/mnt"), 0);
	/* /dev is devfs */
	KT_EXPECT(vfs_stat(&ctx, NULL, "/dev/null", 0, &st), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/dev", 0, &st2), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/", 0, &st), 0);
	KT_EXPECT(st.dev != st2.dev, 1);
	kt_ctx_end(&ctx);
	return NULL;
}

KTEST(fs_unlinked_file_stays_open)
{
	struct fs_context ctx;
	struct kstat st;
	struct file *f;
	char buf[8];
	u64 before;

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(kt_write_file(&ctx, "/kt_orphan", "orphan", 6, 0644), 6);
	f = vfs_open(&ctx, NULL, "/kt_orphan", O_RDWR, 0);
	if (IS_ERR(f))
		return KT_FAIL("open %ld", PTR_ERR(f));
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_orphan"), 0);
	KT_EXPECT(vfs_stat(&ctx, NULL, "/kt_orphan", 0, &st), -ENOENT);
	KT_EXPECT(vfs_fstat(f, &st), 0);
	KT_EXPECT(st.nlink, 0);
	KT_EXPECT(kt_read(f, buf, sizeof(buf)), 6);
	before = tmpfs_pages_used();
	file_put(f); /* the last reference frees the data page */
	KT_EXPECT(tmpfs_pages_used() < before, 1);
	kt_ctx_end(&ctx);
	return NULL;
}

/* tmpfs's pages are what shared mappings map: the same bytes as read and
 * write, and a truncated page lives on while someone holds it. */
KTEST(fs_tmpfs_get_page)
{
	struct fs_context ctx;
	struct page *pg = NULL, *hole;
	struct file *f, *ro;
	char buf[8];

	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(kt_write_file(&ctx, "/kt_pages", "0123456789", 10, 0644), 10);
	f = vfs_open(&ctx, NULL, "/kt_pages", O_RDWR, 0);
	if (IS_ERR(f))
		return KT_FAIL("open %ld", PTR_ERR(f));
	KT_EXPECT(file_has_pages(f), 1);
	KT_EXPECT(kernel_get_page(f, 0, true, &pg), 10);
	if (!pg || memcmp(page_address(pg), "0123456789", 10) || page_count(pg) != 2)
		return KT_FAIL("page 0 does not hold the file (refs %u)", pg ? page_count(pg) : 0);
	/* A store to the page is the file's contents, and a write is in the page. */
	memcpy(page_address(pg), "AB", 2);
	KT_EXPECT(kernel_read(f, buf, 4, 0), 4);
	if (memcmp(buf, "AB23", 4))
		return KT_FAIL("read after a store to the page: %.4s", buf);
	KT_EXPECT(vfs_lseek(f, 5, SEEK_SET), 5);
	KT_EXPECT(kt_write(f, "xyz", 3), 3);
	if (memcmp((char *)page_address(pg) + 5, "xyz", 3))
		return KT_FAIL("write not in the page");
	/* Past the end of the file: SIGBUS for a mapping. */
	KT_EXPECT(kernel_get_page(f, 1, true, &hole), -EIO);
	/* A truncate drops the file's reference, not ours; the bytes past the
	 * new end read as zeros when the file grows back. */
	KT_EXPECT(vfs_ftruncate(&ctx, f, 0), 0);
	KT_EXPECT(page_count(pg), 1);
	page_put(pg);
	KT_EXPECT(vfs_ftruncate(&ctx, f, 3 * PAGE_SIZE), 0);
	KT_EXPECT(kernel_get_page(f, 2, false, &hole), PAGE_SIZE);
	if (hole)
		return KT_FAIL("a hole came back as a page without create");
	KT_EXPECT(kernel_get_page(f, 0, true, &pg), PAGE_SIZE);
	if (((char *)page_address(pg))[0])
		return KT_FAIL("truncated bytes came back");
	page_put(pg);
	file_put(f);
	ro = vfs_open(&ctx, NULL, "/kt_pages", O_PATH, 0);
	if (IS_ERR(ro))
		return KT_FAIL("open O_PATH %ld", PTR_ERR(ro));
	KT_EXPECT(kernel_get_page(ro, 0, false, &pg), -EOPNOTSUPP);
	file_put(ro);
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_pages"), 0);
	kt_ctx_end(&ctx);
	return NULL;
}

/* write(2)'s limits, and the set-ID bits a privileged writer keeps. */
KTEST(fs_write_checks_and_privs)
{
	struct fs_context ctx;
	struct kstat st;
	struct file *f;
	u64 n;

	n = 100;
	KT_EXPECT(generic_write_checks(FS_MAX_FILE_SIZE - 10, &n), 0);
	KT_EXPECT(n, 10);
	KT_EXPECT(generic_write_checks(FS_MAX_FILE_SIZE, &n), -EFBIG);
	n = 0;
	KT_EXPECT(generic_write_checks(FS_MAX_FILE_SIZE, &n), 0); /* nothing to write */
	if (kt_ctx(&ctx, &root_cred))
		return KT_FAIL("no memory");
	KT_EXPECT(kt_write_file(&ctx, "/kt_suid", "x", 1, 06755), 1);
	KT_EXPECT(vfs_chmod(&ctx, NULL, "/kt_suid", 06755, 0), 0);
	f = vfs_open(&ctx, NULL, "/kt_suid", O_WRONLY, 0);
	if (IS_ERR(f))
		return KT_FAIL("open %ld", PTR_ERR(f));
	/* Kernel threads act as root (CAP_FSETID): the bits stay. */
	KT_EXPECT(kt_write(f, "yy", 2), 2);
	KT_EXPECT(vfs_fstat(f, &st), 0);
	KT_EXPECT(st.mode & 07777, 06755);
	file_put(f);
	KT_EXPECT(vfs_unlink(&ctx, NULL, "/kt_suid"), 0);
	kt_ctx_end(&ctx);
	return NULL;
}
