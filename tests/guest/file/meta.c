/* File metadata: stat/fstat/lstat/newfstatat/statx, access/faccessat,
 * chmod/fchmod/fchmodat, chown/fchown/lchown/fchownat, umask, utimensat and
 * futimens, with their bad inputs. Runs as root in a scratch directory. */
#include "t.h"
#include <sys/time.h>

static void test_stat(void)
{
	struct stat st, st2;
	int fd;

	t_write_file("f", "12345", 5);
	CHECK_OK("stat", stat("f", &st));
	CHECK("stat_is_reg", S_ISREG(st.st_mode));
	CHECK_EQ("stat_size", st.st_size, 5);
	CHECK_EQ("stat_nlink", st.st_nlink, 1);
	CHECK_EQ("stat_uid_root", st.st_uid, 0);
	CHECK("stat_ino_nonzero", st.st_ino != 0);
	CHECK("stat_blksize", st.st_blksize > 0);
	CHECK("stat_mtime_recent", st.st_mtime > 1000000000);

	fd = open("f", O_RDONLY);
	CHECK_OK("fstat", fstat(fd, &st2));
	CHECK("fstat_same_inode", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	CHECK_OK("fstatat_empty_path", fstatat(fd, "", &st2, AT_EMPTY_PATH));
	CHECK("fstatat_empty_path_same", st.st_ino == st2.st_ino);
	CHECK_ERR("fstatat_empty_path_without_flag_enoent", fstatat(fd, "", &st2, 0), ENOENT);
	close(fd);
	CHECK_ERR("fstat_bad_fd_ebadf", fstat(-1, &st), EBADF);
	CHECK_ERR("fstat_null_buf_efault", syscall(SYS_fstat, 0, NULL), EFAULT);
	CHECK_ERR("fstat_kernel_buf_efault", syscall(SYS_fstat, 0, T_KPTR), EFAULT);
	CHECK_ERR("stat_null_buf_efault", syscall(SYS_stat, "f", NULL), EFAULT);
	CHECK_ERR("stat_null_path_efault", syscall(SYS_stat, NULL, &st), EFAULT);
	CHECK_ERR("stat_missing_enoent", stat("nope", &st), ENOENT);

	CHECK_OK("stat_dir", stat(".", &st));
	CHECK("stat_dir_is_dir", S_ISDIR(st.st_mode));
	CHECK("stat_dir_nlink_ge_2", st.st_nlink >= 2);

	symlink("f", "l");
	CHECK_OK("lstat", lstat("l", &st));
	CHECK("lstat_is_link", S_ISLNK(st.st_mode));
	CHECK_EQ("lstat_link_size_is_target_len", st.st_size, 1);
	CHECK_OK("stat_follows", stat("l", &st));
	CHECK("stat_follows_is_reg", S_ISREG(st.st_mode) && st.st_size == 5);

	/* newfstatat: relative to a directory fd, with AT_SYMLINK_NOFOLLOW. */
	mkdir("d", 0755);
	t_write_file("d/g", "abc", 3);
	symlink("g", "d/lg");
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	CHECK_OK("newfstatat_dirfd", syscall(SYS_newfstatat, dfd, "g", &st, 0));
	CHECK_EQ("newfstatat_size", st.st_size, 3);
	CHECK_OK("newfstatat_nofollow", syscall(SYS_newfstatat, dfd, "lg", &st, AT_SYMLINK_NOFOLLOW));
	CHECK("newfstatat_nofollow_is_link", S_ISLNK(st.st_mode));
	CHECK_ERR("newfstatat_bad_flags_einval", syscall(SYS_newfstatat, dfd, "g", &st, 0x80000000), EINVAL);
	CHECK_ERR("newfstatat_bad_dirfd_ebadf", syscall(SYS_newfstatat, 555, "g", &st, 0), EBADF);
	close(dfd);

	/* statx through the raw syscall (musl 1.2.3 has no wrapper). */
	struct t_statx sx;
	memset(&sx, 0xff, sizeof(sx));
	CHECK_OK("statx", syscall(SYS_statx, AT_FDCWD, "f", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &sx));
	CHECK("statx_mask_basic", (sx.stx_mask & (STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_INO)) ==
					  (STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_INO));
	CHECK_EQ("statx_size", sx.stx_size, 5);
	CHECK("statx_mode_reg", S_ISREG(sx.stx_mode));
	stat("f", &st);
	CHECK_EQ("statx_ino_matches_stat", sx.stx_ino, st.st_ino);
	CHECK_EQ("statx_mtime_matches_stat", sx.stx_mtime.tv_sec, st.st_mtime);
	CHECK_OK("statx_nofollow", syscall(SYS_statx, AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
	CHECK("statx_nofollow_link", S_ISLNK(sx.stx_mode));
	CHECK_ERR("statx_reserved_mask_einval", syscall(SYS_statx, AT_FDCWD, "f", 0, 0x80000000U, &sx), EINVAL);
	CHECK_ERR("statx_bad_flags_einval", syscall(SYS_statx, AT_FDCWD, "f", 0x40000000, STATX_BASIC_STATS, &sx), EINVAL);
	CHECK_ERR("statx_null_buf_efault", syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, NULL), EFAULT);
	CHECK_ERR("statx_missing_enoent", syscall(SYS_statx, AT_FDCWD, "nope", 0, STATX_BASIC_STATS, &sx), ENOENT);
}

static void test_access(void)
{
	t_write_file("ax", "", 0);
	chmod("ax", 0755);
	t_write_file("an", "", 0);
	chmod("an", 0644);
	t_write_file("none", "", 0);
	chmod("none", 0);
	CHECK_OK("access_f_ok", access("ax", F_OK));
	CHECK_OK("access_x_ok", access("ax", X_OK));
	CHECK_OK("access_rw_ok_root", access("none", R_OK | W_OK));
	CHECK_ERR("access_x_no_x_bit_root_eacces", access("an", X_OK), EACCES);
	CHECK_ERR("access_missing_enoent", access("nope", F_OK), ENOENT);
	CHECK_ERR("access_bad_mode_einval", access("ax", 0x100), EINVAL);
	CHECK_ERR("access_null_efault", syscall(SYS_access, NULL, F_OK), EFAULT);
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_OK("faccessat", faccessat(dfd, "ax", X_OK, 0));
	CHECK_OK("faccessat_eaccess", faccessat(dfd, "ax", R_OK, AT_EACCESS));
	CHECK_ERR("faccessat_raw_enoent", syscall(SYS_faccessat, dfd, "nope", F_OK), ENOENT);
	CHECK_ERR("faccessat_bad_dirfd_ebadf", syscall(SYS_faccessat, 777, "ax", F_OK), EBADF);
	close(dfd);
}

static void test_chmod_chown(void)
{
	struct stat st;
	int fd;

	t_write_file("m", "", 0);
	CHECK_OK("chmod", chmod("m", 0600));
	stat("m", &st);
	CHECK_EQ("chmod_mode", st.st_mode & 07777, 0600);
	CHECK_OK("chmod_setuid_bits", chmod("m", 04755));
	stat("m", &st);
	CHECK_EQ("chmod_setuid_mode", st.st_mode & 07777, 04755);
	fd = open("m", O_RDONLY);
	CHECK_OK("fchmod", fchmod(fd, 0640));
	fstat(fd, &st);
	CHECK_EQ("fchmod_mode", st.st_mode & 07777, 0640);
	CHECK_ERR("fchmod_bad_fd_ebadf", fchmod(-1, 0644), EBADF);
	CHECK_OK("fchmodat", fchmodat(AT_FDCWD, "m", 0604, 0));
	stat("m", &st);
	CHECK_EQ("fchmodat_mode", st.st_mode & 07777, 0604);
	CHECK_ERR("chmod_missing_enoent", chmod("nope", 0644), ENOENT);
	CHECK_ERR("chmod_null_efault", syscall(SYS_chmod, NULL, 0644), EFAULT);

	CHECK_OK("chown", chown("m", 1000, 1000));
	fstat(fd, &st);
	CHECK("chown_owner", st.st_uid == 1000 && st.st_gid == 1000);
	CHECK_OK("fchown_minus1_keeps", fchown(fd, -1, 0));
	fstat(fd, &st);
	CHECK("fchown_minus1_owner", st.st_uid == 1000 && st.st_gid == 0);
	CHECK_OK("fchownat", fchownat(AT_FDCWD, "m", 0, 0, 0));
	fstat(fd, &st);
	CHECK("fchownat_owner", st.st_uid == 0 && st.st_gid == 0);
	/* chown of an executable clears its set-user-ID bit. */
	chmod("m", 04755);
	chown("m", 1000, -1);
	stat("m", &st);
	CHECK_EQ("chown_clears_setuid", st.st_mode & 07777, 0755);
	close(fd);
	chown("m", 0, 0);
	symlink("m", "ml");
	CHECK_OK("lchown", lchown("ml", 1000, 1000));
	lstat("ml", &st);
	CHECK("lchown_changes_link", st.st_uid == 1000);
	stat("m", &st);
	CHECK_EQ("lchown_keeps_target", st.st_uid, 0);
	CHECK_OK("fchownat_nofollow", fchownat(AT_FDCWD, "ml", 0, 0, AT_SYMLINK_NOFOLLOW));
	lstat("ml", &st);
	CHECK_EQ("fchownat_nofollow_link_uid", st.st_uid, 0);
	CHECK_ERR("fchown_bad_fd_ebadf", fchown(-1, 0, 0), EBADF);
	CHECK_ERR("chown_missing_enoent", chown("nope", 0, 0), ENOENT);
}

static void test_umask(void)
{
	struct stat st;
	mode_t old = umask(027);

	CHECK_EQ("umask_returns_old", umask(027), 027);
	close(open("um", O_CREAT | O_WRONLY, 0666));
	stat("um", &st);
	CHECK_EQ("umask_applies_to_open", st.st_mode & 0777, 0640);
	mkdir("umd", 0777);
	stat("umd", &st);
	CHECK_EQ("umask_applies_to_mkdir", st.st_mode & 0777, 0750);
	CHECK_EQ("umask_masks_to_0777", umask(0177777) & 0777, 027);
	CHECK_EQ("umask_stored_0777", umask(old), 0777);
}

static void test_times(void)
{
	struct stat st;
	struct timespec ts[2];
	int fd;

	t_write_file("tm", "x", 1);
	ts[0] = (struct timespec){ 1000000000, 500 };
	ts[1] = (struct timespec){ 1100000000, 700 };
	CHECK_OK("utimensat", utimensat(AT_FDCWD, "tm", ts, 0));
	stat("tm", &st);
	CHECK_EQ("utimensat_atime", st.st_atim.tv_sec, 1000000000);
	CHECK_EQ("utimensat_mtime", st.st_mtim.tv_sec, 1100000000);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	CHECK_OK("utimensat_omit_now", utimensat(AT_FDCWD, "tm", ts, 0));
	stat("tm", &st);
	CHECK_EQ("utime_omit_keeps_atime", st.st_atim.tv_sec, 1000000000);
	CHECK("utime_now_sets_mtime", st.st_mtime >= time(NULL) - 5);
	CHECK_OK("utimensat_null_is_now", utimensat(AT_FDCWD, "tm", NULL, 0));
	stat("tm", &st);
	CHECK("utime_null_atime_now", st.st_atime >= time(NULL) - 5);
	ts[0] = (struct timespec){ 0, 1000000000 };
	ts[1] = (struct timespec){ 0, 0 };
	CHECK_ERR("utimensat_bad_nsec_einval", utimensat(AT_FDCWD, "tm", ts, 0), EINVAL);
	CHECK_ERR("utimensat_bad_flags_einval", utimensat(AT_FDCWD, "tm", NULL, 0x8000), EINVAL);
	CHECK_ERR("utimensat_missing_enoent", utimensat(AT_FDCWD, "nope", NULL, 0), ENOENT);
	CHECK_ERR("utimensat_times_efault", syscall(SYS_utimensat, AT_FDCWD, "tm", T_KPTR, 0), EFAULT);
	fd = open("tm", O_RDONLY);
	ts[0] = (struct timespec){ 5, 0 };
	ts[1] = (struct timespec){ 6, 0 };
	CHECK_OK("futimens", futimens(fd, ts));
	fstat(fd, &st);
	CHECK_EQ("futimens_mtime", st.st_mtime, 6);
	close(fd);
	/* Writing updates mtime and ctime. */
	long before = st.st_ctime;
	fd = open("tm", O_WRONLY);
	write(fd, "y", 1);
	fstat(fd, &st);
	CHECK("write_updates_mtime", st.st_mtime > 6);
	CHECK("ctime_not_older", st.st_ctime >= before);
	close(fd);
	struct timeval tv[2] = { { 7, 0 }, { 8, 0 } };
	CHECK_OK("utimes", utimes("tm", tv));
	stat("tm", &st);
	CHECK_EQ("utimes_mtime", st.st_mtime, 8);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	umask(022);
	test_stat();
	test_access();
	test_chmod_chown();
	test_umask();
	test_times();
	return t_done();
}
