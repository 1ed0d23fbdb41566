/* Path resolution and its errors, across the path-taking calls: ENOENT,
 * ENOTDIR, EEXIST, ENAMETOOLONG (a component over NAME_MAX, a path over
 * PATH_MAX), ELOOP (symlink loops, too many links), EFAULT for bad path
 * pointers; "." and "..", "//", trailing slashes, ".." at the root. */
#include "t.h"
#include <sys/mman.h>

static char longname[300], longpath[5000];

static void test_enoent_enotdir(void)
{
	struct stat st;

	t_write_file("file", "x", 1);
	mkdir("dir", 0755);
	CHECK_ERR("open_missing_enoent", open("missing", O_RDONLY), ENOENT);
	CHECK_ERR("open_missing_parent_enoent", open("missing/x", O_RDONLY), ENOENT);
	CHECK_ERR("stat_missing_parent_enoent", stat("missing/x", &st), ENOENT);
	CHECK_ERR("open_file_as_dir_enotdir", open("file/x", O_RDONLY), ENOTDIR);
	CHECK_ERR("stat_file_as_dir_enotdir", stat("file/x", &st), ENOTDIR);
	CHECK_ERR("mkdir_under_file_enotdir", mkdir("file/x", 0755), ENOTDIR);
	CHECK_ERR("creat_under_file_enotdir", open("file/x", O_CREAT | O_WRONLY, 0644), ENOTDIR);
	CHECK_ERR("file_trailing_slash_enotdir", open("file/", O_RDONLY), ENOTDIR);
	CHECK_ERR("stat_file_trailing_slash_enotdir", stat("file/", &st), ENOTDIR);
	CHECK_OK("dir_trailing_slash", stat("dir/", &st));
	CHECK_ERR("creat_trailing_slash_eisdir", open("newfile/", O_CREAT | O_WRONLY, 0644), EISDIR);
	CHECK_OK("mkdir_trailing_slash", mkdir("newdir/", 0755));
	CHECK_ERR("unlink_missing_enoent", unlink("missing"), ENOENT);
	CHECK_ERR("rmdir_missing_enoent", rmdir("missing"), ENOENT);
	CHECK_ERR("link_to_missing_dir_enoent", link("file", "missing/x"), ENOENT);
	CHECK_ERR("symlink_in_missing_dir_enoent", symlink("file", "missing/x"), ENOENT);
	CHECK_ERR("rename_to_missing_dir_enoent", rename("file", "missing/x"), ENOENT);
	CHECK_ERR("chmod_file_as_dir_enotdir", chmod("file/x", 0644), ENOTDIR);
	symlink("file", "tofile");
	CHECK_ERR("symlink_to_file_as_dir_enotdir", open("tofile/x", O_RDONLY), ENOTDIR);
	symlink("nowhere", "dangling");
	CHECK_ERR("dangling_symlink_enoent", open("dangling", O_RDONLY), ENOENT);
	CHECK_OK("lstat_dangling_ok", lstat("dangling", &st));
}

static void test_eexist(void)
{
	CHECK_ERR("mkdir_on_file_eexist", mkdir("file", 0755), EEXIST);
	CHECK_ERR("mkdir_on_dir_eexist", mkdir("dir", 0755), EEXIST);
	CHECK_ERR("mkdir_on_symlink_eexist", mkdir("dangling", 0755), EEXIST);
	CHECK_ERR("symlink_on_file_eexist", symlink("x", "file"), EEXIST);
	CHECK_ERR("link_on_dir_eexist", link("file", "dir"), EEXIST);
	CHECK_ERR("mkfifo_on_file_eexist", mkfifo("file", 0644), EEXIST);
	CHECK_ERR("mknod_on_file_eexist", mknod("file", S_IFREG | 0644, 0), EEXIST);
	CHECK_ERR("open_excl_dir_eexist", open("dir", O_CREAT | O_EXCL | O_RDONLY, 0644), EEXIST);
}

static void test_nametoolong(void)
{
	struct stat st;

	memset(longname, 'n', 256);
	longname[256] = 0;
	CHECK_ERR("open_component_256_enametoolong", open(longname, O_RDONLY), ENAMETOOLONG);
	CHECK_ERR("creat_component_256_enametoolong", open(longname, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	CHECK_ERR("mkdir_component_256_enametoolong", mkdir(longname, 0755), ENAMETOOLONG);
	CHECK_ERR("stat_component_256_enametoolong", stat(longname, &st), ENAMETOOLONG);
	CHECK_ERR("symlink_name_256_enametoolong", symlink("x", longname), ENAMETOOLONG);
	longname[255] = 0;
	int fd = open(longname, O_CREAT | O_WRONLY, 0644);
	CHECK("creat_component_255_ok", fd >= 0);
	close(fd);
	CHECK_OK("unlink_component_255", unlink(longname));

	/* A path longer than PATH_MAX (4096 with its NUL): ENAMETOOLONG before
	 * any lookup. */
	for (int i = 0; i < 4500; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[4500] = 0;
	CHECK_ERR("path_over_path_max_enametoolong", open(longpath, O_RDONLY), ENAMETOOLONG);
	CHECK_ERR("stat_path_over_path_max", stat(longpath, &st), ENAMETOOLONG);
	CHECK_ERR("chdir_path_over_path_max", chdir(longpath), ENAMETOOLONG);
	/* Exactly 4095 characters is allowed (it resolves to "."). */
	memset(longpath, 0, sizeof(longpath));
	for (int i = 0; i < 4094; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[4094] = '.';
	longpath[4095] = 0;
	CHECK_OK("path_4095_chars_ok", stat(longpath, &st));
	/* A symlink target longer than PATH_MAX-1 cannot be made. */
	memset(longpath, 'a', 4096);
	longpath[4096] = 0;
	CHECK_ERR("symlink_target_4096_enametoolong", symlink(longpath, "longtarget"), ENAMETOOLONG);
}

static void test_eloop(void)
{
	struct stat st;
	char name[32], target[32];

	symlink("loop2", "loop1");
	symlink("loop1", "loop2");
	CHECK_ERR("open_loop_eloop", open("loop1", O_RDONLY), ELOOP);
	CHECK_ERR("stat_loop_eloop", stat("loop1", &st), ELOOP);
	CHECK_ERR("stat_loop_in_path_eloop", stat("loop1/x", &st), ELOOP);
	CHECK_OK("lstat_loop_ok", lstat("loop1", &st));
	symlink("self", "self");
	CHECK_ERR("self_link_eloop", open("self", O_RDONLY), ELOOP);
	CHECK_ERR("creat_through_loop_eloop", open("self", O_CREAT | O_WRONLY, 0644), ELOOP);

	/* A chain of 41 links is more than Linux follows (40). */
	t_write_file("end", "x", 1);
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "chain%d", i);
		if (i == 0)
			snprintf(target, sizeof(target), "end");
		else
			snprintf(target, sizeof(target), "chain%d", i - 1);
		symlink(target, name);
	}
	CHECK_OK("chain_of_40_links_ok", stat("chain39", &st));
	CHECK_ERR("chain_of_41_links_eloop", stat("chain40", &st), ELOOP);
}

static void test_dots(void)
{
	struct stat a, b;
	char cwd[4096], buf[8300];

	getcwd(cwd, sizeof(cwd));
	stat(".", &a);
	stat("dir/..", &b);
	CHECK("dir_dotdot_is_cwd", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	stat("./dir/./", &b);
	CHECK("dot_components", S_ISDIR(b.st_mode));
	stat("/", &a);
	stat("/..", &b);
	CHECK("root_dotdot_is_root", a.st_ino == b.st_ino);
	stat("/../../..", &b);
	CHECK("many_dotdots_stay_at_root", a.st_ino == b.st_ino);
	snprintf(buf, sizeof(buf), "//%s///dir//", cwd);
	CHECK_OK("double_slashes", stat(buf, &b));
	CHECK_ERR("dotdot_through_file_enotdir", stat("file/..", &b), ENOTDIR);
	chdir("/");
	getcwd(buf, sizeof(buf));
	CHECK("chdir_root_cwd", strcmp(buf, "/") == 0);
	chdir("..");
	getcwd(buf, sizeof(buf));
	CHECK("chdir_dotdot_at_root", strcmp(buf, "/") == 0);
	chdir(cwd);
}

static void test_bad_paths(void)
{
	struct stat st;
	char *unterminated;

	CHECK_ERR("stat_kernel_path_efault", syscall(SYS_stat, T_KPTR, &st), EFAULT);
	CHECK_ERR("mkdir_kernel_path_efault", syscall(SYS_mkdir, T_KPTR, 0755), EFAULT);
	CHECK_ERR("chdir_kernel_path_efault", syscall(SYS_chdir, T_KPTR), EFAULT);
	CHECK_ERR("unlink_noncanon_path_efault", syscall(SYS_unlink, T_NONCANON), EFAULT);
	CHECK_ERR("symlink_null_target_efault", syscall(SYS_symlink, NULL, "x"), EFAULT);
	CHECK_ERR("link_null_newpath_efault", syscall(SYS_link, "file", NULL), EFAULT);
	CHECK_ERR("readlink_null_path_efault", syscall(SYS_readlink, NULL, longname, 10), EFAULT);
	/* A path that runs off the end of a mapping into unmapped memory. */
	unterminated = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(unterminated + 4096, 4096);
	memset(unterminated, 'a', 4096);
	CHECK_ERR("path_into_unmapped_efault", syscall(SYS_open, unterminated + 100, O_RDONLY), EFAULT);
	CHECK_ERR("path_unterminated_stat_efault", syscall(SYS_stat, unterminated + 4000, &st), EFAULT);
	munmap(unterminated, 4096);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	umask(022);
	test_enoent_enotdir();
	test_eexist();
	test_nametoolong();
	test_eloop();
	test_dots();
	test_bad_paths();
	return t_done();
}
