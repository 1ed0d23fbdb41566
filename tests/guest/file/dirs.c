/* Directories and names: getdents64, getcwd, chdir/fchdir, mkdir/mkdirat,
 * rmdir, unlink/unlinkat, rename/renameat/renameat2, link/linkat,
 * symlink/symlinkat, readlink/readlinkat. Runs in a scratch directory. */
#include "t.h"
#include <dirent.h>

/* Lists a directory with getdents64 into "name:type," pairs, sorted by the
 * order the kernel returns them in; returns the entry count or -1. */
static int list_dir(const char *path, char names[][64], unsigned char *types, int max, int bufsize)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0;
	long r;

	if (fd < 0)
		return -1;
	while ((r = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
		for (long off = 0; off < r;) {
			struct t_dirent64 *d = (struct t_dirent64 *)(buf + off);
			if (n < max) {
				snprintf(names[n], 64, "%s", d->d_name);
				types[n] = d->d_type;
			}
			n++;
			if (d->d_reclen == 0)
				return -1;
			off += d->d_reclen;
		}
	}
	close(fd);
	return r < 0 ? -1 : n;
}

static int find_name(char names[][64], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static void test_getdents(void)
{
	char names[64][64];
	unsigned char types[64];
	int n, i;
	char buf[4096];

	mkdir("gd", 0755);
	mkdir("gd/sub", 0755);
	t_write_file("gd/file", "x", 1);
	symlink("file", "gd/link");
	mkfifo("gd/fifo", 0644);
	n = list_dir("gd", names, types, 64, sizeof(buf));
	CHECK_EQ("getdents64_count", n, 6);
	CHECK("getdents64_dot", find_name(names, n, ".") >= 0 && find_name(names, n, "..") >= 0);
	i = find_name(names, n, "sub");
	CHECK("getdents64_dir_type", i >= 0 && types[i] == DT_DIR);
	i = find_name(names, n, "file");
	CHECK("getdents64_reg_type", i >= 0 && types[i] == DT_REG);
	i = find_name(names, n, "link");
	CHECK("getdents64_lnk_type", i >= 0 && types[i] == DT_LNK);
	i = find_name(names, n, "fifo");
	CHECK("getdents64_fifo_type", i >= 0 && types[i] == DT_FIFO);

	/* Many entries, read with a small buffer: every name exactly once. */
	mkdir("many", 0755);
	for (i = 0; i < 50; i++) {
		char p[64];
		snprintf(p, sizeof(p), "many/entry-with-a-long-name-%03d", i);
		t_write_file(p, "", 0);
	}
	n = list_dir("many", names, types, 64, 128);
	CHECK_EQ("getdents64_small_buffer_count", n, 52);
	int all = 1;
	for (i = 0; i < 50; i++) {
		char p[64];
		snprintf(p, sizeof(p), "entry-with-a-long-name-%03d", i);
		if (find_name(names, n < 64 ? n : 64, p) < 0)
			all = 0;
	}
	CHECK("getdents64_small_buffer_all_names", all);

	int fd = open("gd", O_RDONLY | O_DIRECTORY);
	CHECK_ERR("getdents64_tiny_buffer_einval", syscall(SYS_getdents64, fd, buf, 8), EINVAL);
	CHECK_ERR("getdents64_null_efault", syscall(SYS_getdents64, fd, NULL, 4096), EFAULT);
	CHECK_ERR("getdents64_kernel_efault", syscall(SYS_getdents64, fd, T_KPTR, 4096), EFAULT);
	close(fd);
	CHECK_ERR("getdents64_bad_fd_ebadf", syscall(SYS_getdents64, -1, buf, 4096), EBADF);
	fd = open("gd/file", O_RDONLY);
	CHECK_ERR("getdents64_on_file_enotdir", syscall(SYS_getdents64, fd, buf, 4096), ENOTDIR);
	close(fd);
	/* Rewinding with lseek lists again. */
	fd = open("gd", O_RDONLY | O_DIRECTORY);
	long a = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	long b = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	lseek(fd, 0, SEEK_SET);
	long c = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	CHECK("getdents64_eof_then_rewind", a > 0 && b == 0 && c == a);
	close(fd);
}

static void test_cwd(void)
{
	char start[4096], buf[4096], small[4];

	CHECK("getcwd", getcwd(start, sizeof(start)) != NULL);
	CHECK("getcwd_absolute", start[0] == '/');
	mkdir("cwd", 0755);
	mkdir("cwd/in", 0755);
	CHECK_OK("chdir", chdir("cwd/in"));
	getcwd(buf, sizeof(buf));
	char want[4200];
	snprintf(want, sizeof(want), "%s/cwd/in", start);
	CHECK("getcwd_after_chdir", strcmp(buf, want) == 0);
	CHECK_OK("chdir_dotdot", chdir(".."));
	getcwd(buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s/cwd", start);
	CHECK("getcwd_after_dotdot", strcmp(buf, want) == 0);
	int fd = open(start, O_RDONLY | O_DIRECTORY);
	CHECK_OK("fchdir", fchdir(fd));
	getcwd(buf, sizeof(buf));
	CHECK("getcwd_after_fchdir", strcmp(buf, start) == 0);
	close(fd);
	CHECK_ERR("getcwd_small_erange", syscall(SYS_getcwd, small, sizeof(small)), ERANGE);
	CHECK_ERR("getcwd_zero_size", syscall(SYS_getcwd, small, 0), ERANGE);
	CHECK_ERR("getcwd_null_efault", syscall(SYS_getcwd, NULL, 4096), EFAULT);
	CHECK_ERR("getcwd_kernel_efault", syscall(SYS_getcwd, T_KPTR, 4096), EFAULT);
	long r = syscall(SYS_getcwd, buf, sizeof(buf));
	CHECK_EQ("getcwd_raw_returns_length", r, (long)strlen(start) + 1);
	t_write_file("plain", "", 0);
	CHECK_ERR("chdir_file_enotdir", chdir("plain"), ENOTDIR);
	CHECK_ERR("chdir_missing_enoent", chdir("nope"), ENOENT);
	CHECK_ERR("chdir_null_efault", syscall(SYS_chdir, NULL), EFAULT);
	fd = open("plain", O_RDONLY);
	CHECK_ERR("fchdir_file_enotdir", fchdir(fd), ENOTDIR);
	close(fd);
	CHECK_ERR("fchdir_bad_fd_ebadf", fchdir(-1), EBADF);
	CHECK_OK("chdir_root", chdir("/"));
	getcwd(buf, sizeof(buf));
	CHECK("getcwd_root", strcmp(buf, "/") == 0);
	chdir(start);
}

static void test_mkdir_rmdir_unlink(void)
{
	struct stat st;

	CHECK_OK("mkdir", mkdir("md", 0700));
	stat("md", &st);
	CHECK("mkdir_mode", S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
	CHECK_ERR("mkdir_exists_eexist", mkdir("md", 0700), EEXIST);
	CHECK_ERR("mkdir_no_parent_enoent", mkdir("nope/x", 0700), ENOENT);
	int dfd = open("md", O_RDONLY | O_DIRECTORY);
	CHECK_OK("mkdirat", mkdirat(dfd, "in", 0755));
	CHECK_OK("mkdirat_made", stat("md/in", &st));
	struct stat parent;
	stat("md", &parent);
	CHECK_EQ("subdir_adds_parent_link", parent.st_nlink, 3);
	CHECK_ERR("rmdir_nonempty_enotempty", rmdir("md"), ENOTEMPTY);
	CHECK_ERR("rmdir_dot_einval", rmdir("md/in/."), EINVAL);
	CHECK_ERR("unlink_dir_eisdir", unlink("md/in"), EISDIR);
	CHECK_OK("unlinkat_removedir", unlinkat(dfd, "in", AT_REMOVEDIR));
	CHECK_ERR("rmdir_gone_enoent", rmdir("md/in"), ENOENT);
	t_write_file("md/f", "", 0);
	CHECK_ERR("rmdir_file_enotdir", rmdir("md/f"), ENOTDIR);
	CHECK_ERR("unlinkat_removedir_file_enotdir", unlinkat(dfd, "f", AT_REMOVEDIR), ENOTDIR);
	CHECK_ERR("unlinkat_bad_flag_einval", unlinkat(dfd, "f", 0x1), EINVAL);
	CHECK_OK("unlinkat_file", unlinkat(dfd, "f", 0));
	CHECK_ERR("unlink_missing_enoent", unlink("md/f"), ENOENT);
	close(dfd);
	CHECK_OK("rmdir", rmdir("md"));
	CHECK_ERR("rmdir_null_efault", syscall(SYS_rmdir, NULL), EFAULT);
	CHECK_ERR("mkdir_null_efault", syscall(SYS_mkdir, NULL, 0755), EFAULT);
	CHECK_ERR("unlink_null_efault", syscall(SYS_unlink, NULL), EFAULT);

	/* An unlinked open file stays readable until closed. */
	t_write_file("ghost", "boo", 3);
	int fd = open("ghost", O_RDONLY);
	unlink("ghost");
	char buf[4] = { 0 };
	CHECK_EQ("read_after_unlink", read(fd, buf, 3), 3);
	fstat(fd, &st);
	CHECK_EQ("unlinked_nlink_0", st.st_nlink, 0);
	close(fd);

	/* Removing the cwd: later lookups relative to it fail with ENOENT. */
	char start[4096];
	getcwd(start, sizeof(start));
	mkdir("gone", 0755);
	chdir("gone");
	CHECK_OK("rmdir_cwd", rmdir("../gone"));
	CHECK_ERR("create_in_removed_cwd_enoent", open("x", O_CREAT | O_WRONLY, 0644), ENOENT);
	chdir(start);
}

static void test_rename(void)
{
	char buf[16];
	struct stat st;

	t_write_file("r1", "one", 3);
	CHECK_OK("rename", rename("r1", "r2"));
	CHECK_ERR("rename_old_gone", access("r1", F_OK), ENOENT);
	memset(buf, 0, sizeof(buf));
	t_read_file("r2", buf, sizeof(buf));
	CHECK("rename_content", strcmp(buf, "one") == 0);
	t_write_file("r3", "three", 5);
	CHECK_OK("rename_replaces", rename("r3", "r2"));
	memset(buf, 0, sizeof(buf));
	t_read_file("r2", buf, sizeof(buf));
	CHECK("rename_replaced_content", strcmp(buf, "three") == 0);
	CHECK_OK("rename_same_file", rename("r2", "r2"));
	CHECK_ERR("rename_missing_enoent", rename("nope", "x"), ENOENT);

	mkdir("rd", 0755);
	mkdir("rd/sub", 0755);
	mkdir("empty", 0755);
	mkdir("full", 0755);
	t_write_file("full/x", "", 0);
	CHECK_ERR("rename_into_own_subdir_einval", rename("rd", "rd/sub/rd"), EINVAL);
	CHECK_ERR("rename_dir_over_file_enotdir", rename("rd", "r2"), ENOTDIR);
	CHECK_ERR("rename_file_over_dir_eisdir", rename("r2", "empty"), EISDIR);
	CHECK_ERR("rename_dir_over_nonempty", rename("rd", "full"), ENOTEMPTY);
	CHECK_OK("rename_dir_over_empty_dir", rename("rd", "empty"));
	CHECK_OK("rename_dir_moved", stat("empty/sub", &st));

	int dfd = open("full", O_RDONLY | O_DIRECTORY);
	CHECK_OK("renameat", renameat(AT_FDCWD, "r2", dfd, "r2"));
	CHECK_OK("renameat_moved", access("full/r2", F_OK));
	t_write_file("full/a", "A", 1);
	t_write_file("full/b", "B", 1);
	CHECK_ERR("renameat2_noreplace_eexist",
		  syscall(SYS_renameat2, dfd, "a", dfd, "b", RENAME_NOREPLACE), EEXIST);
	CHECK_OK("renameat2_noreplace_new", syscall(SYS_renameat2, dfd, "a", dfd, "c", RENAME_NOREPLACE));
	CHECK_OK("renameat2_exchange", syscall(SYS_renameat2, dfd, "b", dfd, "c", RENAME_EXCHANGE));
	memset(buf, 0, sizeof(buf));
	t_read_file("full/b", buf, sizeof(buf));
	CHECK("renameat2_exchanged", buf[0] == 'A');
	CHECK_ERR("renameat2_exchange_missing_enoent",
		  syscall(SYS_renameat2, dfd, "b", dfd, "zz", RENAME_EXCHANGE), ENOENT);
	CHECK_ERR("renameat2_both_flags_einval",
		  syscall(SYS_renameat2, dfd, "b", dfd, "c", RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
	CHECK_ERR("renameat2_bad_flags_einval", syscall(SYS_renameat2, dfd, "b", dfd, "c", 0x100), EINVAL);
	close(dfd);
	CHECK_ERR("rename_null_efault", syscall(SYS_rename, NULL, "x"), EFAULT);
	CHECK("rename_dot_ebusy_or_einval", rename("full/.", "moved") == -1 &&
		  (errno == EBUSY || errno == EINVAL));
}

static void test_links(void)
{
	struct stat st, st2;
	char buf[64];

	t_write_file("orig", "data", 4);
	CHECK_OK("link", link("orig", "hard"));
	stat("orig", &st);
	stat("hard", &st2);
	CHECK_EQ("link_nlink_2", st.st_nlink, 2);
	CHECK("link_same_inode", st.st_ino == st2.st_ino);
	CHECK_ERR("link_exists_eexist", link("orig", "hard"), EEXIST);
	CHECK_ERR("link_dir_eperm", link(".", "dirlink"), EPERM);
	CHECK_ERR("link_missing_enoent", link("nope", "x"), ENOENT);
	unlink("orig");
	stat("hard", &st2);
	CHECK_EQ("unlink_drops_nlink", st2.st_nlink, 1);
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_OK("linkat", linkat(dfd, "hard", dfd, "hard2", 0));
	symlink("hard", "soft");
	CHECK_OK("linkat_symlink_nofollow", linkat(dfd, "soft", dfd, "soft2", 0));
	lstat("soft2", &st);
	CHECK("linkat_links_the_symlink_itself", S_ISLNK(st.st_mode));
	CHECK_OK("linkat_follow", linkat(dfd, "soft", dfd, "hard3", AT_SYMLINK_FOLLOW));
	lstat("hard3", &st);
	CHECK("linkat_follow_links_target", S_ISREG(st.st_mode));
	CHECK_ERR("linkat_bad_flags_einval", linkat(dfd, "hard", dfd, "h4", 0x1), EINVAL);

	CHECK_OK("symlink", symlink("some/where", "sl"));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("readlink_len", readlink("sl", buf, sizeof(buf)), 10);
	CHECK("readlink_content", memcmp(buf, "some/where", 10) == 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("readlink_truncates", readlink("sl", buf, 4), 4);
	CHECK("readlink_truncated_content", memcmp(buf, "some", 4) == 0 && buf[4] == 0);
	CHECK_ERR("readlink_not_link_einval", readlink("hard", buf, sizeof(buf)), EINVAL);
	CHECK_ERR("readlink_zero_size_einval", syscall(SYS_readlink, "sl", buf, 0), EINVAL);
	CHECK_ERR("readlink_missing_enoent", readlink("nope", buf, sizeof(buf)), ENOENT);
	CHECK_ERR("readlink_null_buf_efault", syscall(SYS_readlink, "sl", NULL, 64), EFAULT);
	CHECK_ERR("symlink_exists_eexist", symlink("x", "sl"), EEXIST);
	CHECK_ERR("symlink_empty_target_enoent", symlink("", "sl2"), ENOENT);
	CHECK_OK("symlinkat", symlinkat("/abs/target", dfd, "sl3"));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("readlinkat", readlinkat(dfd, "sl3", buf, sizeof(buf)), 11);
	CHECK("readlinkat_content", strcmp(buf, "/abs/target") == 0);
	CHECK_ERR("readlinkat_bad_dirfd", readlinkat(-5, "sl3", buf, sizeof(buf)), EBADF);
	close(dfd);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	umask(022);
	test_getdents();
	test_cwd();
	test_mkdir_rmdir_unlink();
	test_rename();
	test_links();
	return t_done();
}
