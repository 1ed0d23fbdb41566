/* File I/O: open/openat/creat/close, read/write, readv/writev,
 * pread64/pwrite64, lseek, O_APPEND/O_TRUNC/O_EXCL/O_DIRECTORY/O_NOFOLLOW,
 * truncate/ftruncate, fsync/fdatasync/sync, and their bad inputs (EBADF,
 * EFAULT, EINVAL, ESPIPE, EISDIR). Runs in a scratch directory. */
#include "t.h"
#include <sys/uio.h>

static void test_open_close(void)
{
	int fd, fd2;
	char buf[64];

	fd = open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK("open_creat_excl", fd >= 0);
	CHECK_EQ("write_returns_count", write(fd, "hello world", 11), 11);
	CHECK_ERR("read_on_wronly_ebadf", read(fd, buf, 1), EBADF);
	CHECK_OK("close", close(fd));
	CHECK_ERR("close_again_ebadf", close(fd), EBADF);
	CHECK_ERR("open_excl_existing_eexist", open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);

	fd = open("a.txt", O_RDONLY);
	CHECK("open_rdonly", fd >= 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("read_whole", read(fd, buf, sizeof(buf)), 11);
	CHECK("read_content", memcmp(buf, "hello world", 11) == 0);
	CHECK_EQ("read_at_eof_returns_0", read(fd, buf, sizeof(buf)), 0);
	CHECK_ERR("write_on_rdonly_ebadf", write(fd, "x", 1), EBADF);
	CHECK_EQ("read_zero_len", read(fd, buf, 0), 0);
	close(fd);

	/* The lowest free descriptor is returned. */
	fd = open("a.txt", O_RDONLY);
	fd2 = open("a.txt", O_RDONLY);
	close(fd);
	CHECK_EQ("lowest_free_fd", open("a.txt", O_RDONLY), fd);
	close(fd);
	close(fd2);

	/* openat relative to a directory fd and AT_FDCWD. */
	CHECK_OK("mkdir_sub", mkdir("sub", 0755));
	int dfd = open("sub", O_RDONLY | O_DIRECTORY);
	CHECK("open_directory", dfd >= 0);
	fd = openat(dfd, "b.txt", O_RDWR | O_CREAT, 0600);
	CHECK("openat_dirfd_creat", fd >= 0);
	close(fd);
	CHECK_OK("openat_created_in_dir", access("sub/b.txt", F_OK));
	fd = openat(AT_FDCWD, "sub/b.txt", O_RDONLY);
	CHECK("openat_at_fdcwd", fd >= 0);
	close(fd);
	CHECK_ERR("openat_file_as_dirfd_enotdir", openat(open("a.txt", O_RDONLY), "x", O_RDONLY), ENOTDIR);
	CHECK_ERR("openat_bad_dirfd_ebadf", openat(999, "x", O_RDONLY), EBADF);
	fd = openat(999, "/tmp", O_RDONLY | O_DIRECTORY);
	CHECK("openat_absolute_ignores_dirfd", fd >= 0);
	close(fd);
	close(dfd);

	CHECK_ERR("open_dir_for_write_eisdir", open("sub", O_WRONLY), EISDIR);
	CHECK_ERR("open_o_directory_on_file_enotdir", open("a.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR("open_missing_enoent", open("missing", O_RDONLY), ENOENT);
	CHECK_ERR("open_empty_path_enoent", open("", O_RDONLY), ENOENT);
	CHECK_ERR("open_null_path_efault", syscall(SYS_open, NULL, O_RDONLY), EFAULT);
	CHECK_ERR("open_kernel_path_efault", syscall(SYS_open, T_KPTR, O_RDONLY), EFAULT);
	CHECK_ERR("openat_null_path_efault", syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY), EFAULT);
	/* O_CREAT|O_DIRECTORY on a new name is EINVAL since Linux 6.4. Not
	 * tested: older kernels created a file. O_TMPFILE without O_DIRECTORY
	 * semantics is not tested either. */

	/* creat() = open(O_CREAT|O_WRONLY|O_TRUNC). */
	fd = creat("c.txt", 0644);
	CHECK("creat", fd >= 0);
	CHECK_ERR("creat_fd_is_wronly", read(fd, buf, 1), EBADF);
	close(fd);
}

static void test_rw_flags(void)
{
	int fd;
	char buf[64];
	struct stat st;

	t_write_file("t.txt", "0123456789", 10);
	fd = open("t.txt", O_WRONLY | O_TRUNC);
	CHECK("open_trunc", fd >= 0);
	fstat(fd, &st);
	CHECK_EQ("o_trunc_size_0", st.st_size, 0);
	close(fd);

	t_write_file("ap.txt", "abc", 3);
	fd = open("ap.txt", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	write(fd, "def", 3);
	close(fd);
	memset(buf, 0, sizeof(buf));
	t_read_file("ap.txt", buf, sizeof(buf));
	CHECK("o_append_writes_at_end", strcmp(buf, "abcdef") == 0);

	/* O_RDWR: write, seek back, read. */
	fd = open("rw.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "abcdef", 6);
	CHECK_EQ("lseek_set", lseek(fd, 2, SEEK_SET), 2);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("read_after_seek", read(fd, buf, 2), 2);
	CHECK("read_after_seek_data", memcmp(buf, "cd", 2) == 0);
	CHECK_EQ("lseek_cur", lseek(fd, -1, SEEK_CUR), 3);
	CHECK_EQ("lseek_end", lseek(fd, -2, SEEK_END), 4);
	CHECK_EQ("lseek_past_end", lseek(fd, 100, SEEK_END), 106);
	CHECK_EQ("write_past_end", write(fd, "Z", 1), 1);
	fstat(fd, &st);
	CHECK_EQ("hole_size", st.st_size, 107);
	lseek(fd, 50, SEEK_SET);
	buf[0] = 1;
	read(fd, buf, 1);
	CHECK_EQ("hole_reads_zero", buf[0], 0);
	CHECK_ERR("lseek_negative_einval", lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR("lseek_bad_whence_einval", lseek(fd, 0, 42), EINVAL);
	CHECK_ERR("lseek_bad_fd_ebadf", lseek(-1, 0, SEEK_SET), EBADF);
	close(fd);

	int p[2];
	pipe(p);
	CHECK_ERR("lseek_pipe_espipe", lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR("pread_pipe_espipe", pread(p[0], buf, 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);

	/* Bad buffers: EFAULT, and nothing written. */
	fd = open("rw.txt", O_RDWR);
	CHECK_ERR("read_null_buf_efault", syscall(SYS_read, fd, NULL, 10), EFAULT);
	CHECK_ERR("read_kernel_buf_efault", syscall(SYS_read, fd, T_KPTR, 10), EFAULT);
	CHECK_ERR("write_null_buf_efault", syscall(SYS_write, fd, NULL, 10), EFAULT);
	CHECK_ERR("write_kernel_buf_efault", syscall(SYS_write, fd, T_KPTR, 10), EFAULT);
	CHECK_ERR("write_noncanonical_buf_efault", syscall(SYS_write, fd, T_NONCANON, 10), EFAULT);
	fstat(fd, &st);
	CHECK_EQ("efault_wrote_nothing", st.st_size, 107);
	close(fd);
	CHECK_ERR("read_bad_fd_ebadf", read(-1, buf, 1), EBADF);
	CHECK_ERR("read_unused_fd_ebadf", read(1000, buf, 1), EBADF);
	CHECK_ERR("write_bad_fd_ebadf", write(12345, buf, 1), EBADF);
	CHECK_ERR("read_dir_eisdir", read(open(".", O_RDONLY), buf, 1), EISDIR);
}

static void test_vectors(void)
{
	int fd = open("v.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct iovec iov[3];
	char a[4], b[8], c[16];

	iov[0] = (struct iovec){ "abc", 3 };
	iov[1] = (struct iovec){ "", 0 };
	iov[2] = (struct iovec){ "defgh", 5 };
	CHECK_EQ("writev", writev(fd, iov, 3), 8);
	lseek(fd, 0, SEEK_SET);
	memset(a, 0, 4);
	memset(b, 0, 8);
	iov[0] = (struct iovec){ a, 2 };
	iov[1] = (struct iovec){ b, 8 };
	CHECK_EQ("readv", readv(fd, iov, 2), 8);
	CHECK("readv_scatter", memcmp(a, "ab", 2) == 0 && memcmp(b, "cdefgh", 6) == 0);
	CHECK_ERR("readv_negative_count_einval", syscall(SYS_readv, fd, iov, -1), EINVAL);
	CHECK_ERR("readv_huge_count_einval", syscall(SYS_readv, fd, iov, 1025), EINVAL);
	CHECK_ERR("writev_null_iov_efault", syscall(SYS_writev, fd, NULL, 2), EFAULT);
	iov[0] = (struct iovec){ T_KPTR, 4 };
	CHECK_ERR("writev_kernel_base_efault", writev(fd, iov, 1), EFAULT);
	CHECK_ERR("readv_bad_fd_ebadf", readv(-1, iov, 1), EBADF);

	/* pread/pwrite leave the offset alone. */
	lseek(fd, 1, SEEK_SET);
	memset(c, 0, sizeof(c));
	CHECK_EQ("pread", pread(fd, c, 3, 4), 3);
	CHECK("pread_data", memcmp(c, "efg", 3) == 0);
	CHECK_EQ("pread_keeps_offset", lseek(fd, 0, SEEK_CUR), 1);
	CHECK_EQ("pwrite", pwrite(fd, "XY", 2, 6), 2);
	CHECK_EQ("pwrite_keeps_offset", lseek(fd, 0, SEEK_CUR), 1);
	memset(c, 0, sizeof(c));
	pread(fd, c, 8, 0);
	CHECK("pwrite_data", memcmp(c, "abcdefXY", 8) == 0);
	CHECK_ERR("pread_negative_offset_einval", pread(fd, c, 1, -1), EINVAL);
	CHECK_EQ("pread_past_eof_0", pread(fd, c, 1, 1000), 0);
	CHECK_ERR("pread_null_efault", syscall(SYS_pread64, fd, NULL, 4, 0), EFAULT);
	close(fd);
}

static void test_truncate_sync(void)
{
	struct stat st;
	char buf[16];
	int fd;

	t_write_file("tr.txt", "0123456789", 10);
	CHECK_OK("truncate_shrink", truncate("tr.txt", 4));
	stat("tr.txt", &st);
	CHECK_EQ("truncate_size", st.st_size, 4);
	CHECK_OK("truncate_grow", truncate("tr.txt", 8));
	memset(buf, 1, sizeof(buf));
	CHECK_EQ("truncate_grow_read", t_read_file("tr.txt", buf, sizeof(buf)), 8);
	CHECK("truncate_grow_zero_fill", memcmp(buf, "0123\0\0\0\0", 8) == 0);
	CHECK_ERR("truncate_negative_einval", truncate("tr.txt", -1), EINVAL);
	CHECK_ERR("truncate_dir_eisdir", truncate(".", 0), EISDIR);
	CHECK_ERR("truncate_missing_enoent", truncate("nope", 0), ENOENT);
	CHECK_ERR("truncate_null_efault", syscall(SYS_truncate, NULL, 0), EFAULT);

	fd = open("tr.txt", O_RDWR);
	CHECK_OK("ftruncate", ftruncate(fd, 2));
	fstat(fd, &st);
	CHECK_EQ("ftruncate_size", st.st_size, 2);
	CHECK_OK("fsync", fsync(fd));
	CHECK_OK("fdatasync", fdatasync(fd));
	close(fd);
	fd = open("tr.txt", O_RDONLY);
	CHECK("ftruncate_rdonly_fails", ftruncate(fd, 0) == -1 && (errno == EINVAL || errno == EBADF));
	close(fd);
	CHECK_ERR("ftruncate_bad_fd", ftruncate(-1, 0), EBADF);
	CHECK_ERR("fsync_bad_fd", fsync(-1), EBADF);
	sync();
	t_pass("sync_returns");
	CHECK_OK("syncfs", syscall(SYS_syncfs, 0));
}

static void test_nofollow(void)
{
	t_write_file("target", "x", 1);
	symlink("target", "link");
	CHECK_ERR("o_nofollow_on_symlink_eloop", open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
	int fd = open("target", O_RDONLY | O_NOFOLLOW);
	CHECK("o_nofollow_on_file", fd >= 0);
	close(fd);
	fd = open("link", O_RDONLY);
	CHECK("open_follows_symlink", fd >= 0);
	close(fd);
	/* O_CREAT through a dangling symlink creates the target. */
	symlink("newtarget", "dangling");
	fd = open("dangling", O_WRONLY | O_CREAT, 0644);
	CHECK("creat_through_dangling_symlink", fd >= 0 && access("newtarget", F_OK) == 0);
	close(fd);
	CHECK_ERR("creat_excl_on_symlink_eexist", open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	umask(022);
	test_open_close();
	test_rw_flags();
	test_vectors();
	test_truncate_sync();
	test_nofollow();
	return t_done();
}
