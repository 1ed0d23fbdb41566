/* Permissions as the non-root user (uid/gid 1000): EACCES and EPERM from
 * the file calls, the sticky bit of /tmp-like directories, and root's
 * overrides. Needs root to start (it sets up root-owned files, then forks
 * children that setuid(1000)). Runs in a scratch directory. */
#include "t.h"
#include <sys/sysmacros.h>

static void as_user_checks(void)
{
	struct stat st;
	char buf[8];
	int fd;

	CHECK_EQ("user_uid", getuid(), T_USER_UID);
	CHECK_ERR("user_open_0600_root_file_eacces", open("secret", O_RDONLY), EACCES);
	CHECK_ERR("user_open_0644_for_write_eacces", open("public", O_WRONLY), EACCES);
	fd = open("public", O_RDONLY);
	CHECK("user_open_0644_for_read", fd >= 0);
	CHECK_EQ("user_read_0644", read(fd, buf, 3), 3);
	close(fd);
	CHECK_ERR("user_creat_in_root_dir_eacces", open("rootdir/new", O_CREAT | O_WRONLY, 0644), EACCES);
	CHECK_ERR("user_mkdir_in_root_dir_eacces", mkdir("rootdir/nd", 0755), EACCES);
	CHECK_ERR("user_unlink_in_root_dir_eacces", unlink("rootdir/f"), EACCES);
	CHECK_ERR("user_rename_in_root_dir_eacces", rename("rootdir/f", "rootdir/g"), EACCES);
	CHECK_ERR("user_search_noexec_dir_eacces", stat("noexec/f", &st), EACCES);
	CHECK_ERR("user_list_noread_dir_eacces", open("noread", O_RDONLY | O_DIRECTORY), EACCES);
	CHECK_OK("user_search_noread_dir_ok", stat("noread/f", &st));
	CHECK_ERR("user_chdir_noexec_eacces", chdir("noexec"), EACCES);
	CHECK_ERR("user_access_w_eacces", access("public", W_OK), EACCES);
	CHECK_OK("user_access_r", access("public", R_OK));
	CHECK_ERR("user_access_x_eacces", access("public", X_OK), EACCES);
	CHECK_ERR("user_exec_noexec_eacces", execl("./public", "public", (char *)NULL), EACCES);
	CHECK_ERR("user_chmod_other_eperm", chmod("public", 0666), EPERM);
	CHECK_ERR("user_chown_eperm", chown("mine", 0, 0), EPERM);
	CHECK_ERR("user_chown_to_other_user_eperm", chown("mine", 1001, -1), EPERM);
	CHECK_ERR("user_chgrp_not_member_eperm", chown("mine", -1, 0), EPERM);
	CHECK_OK("user_chown_to_self", chown("mine", T_USER_UID, T_USER_GID));
	CHECK_OK("user_chmod_own", chmod("mine", 0600));
	CHECK_ERR("user_utimes_other_eperm", utimensat(AT_FDCWD, "public", (struct timespec[2]){ { 1, 0 }, { 1, 0 } }, 0), EPERM);
	CHECK_ERR("user_utime_now_other_eacces", utimensat(AT_FDCWD, "public", NULL, 0), EACCES);
	CHECK_ERR("user_truncate_other_eacces", truncate("public", 0), EACCES);

	/* In a user-owned directory everything works. */
	fd = open("userdir/mine2", O_CREAT | O_WRONLY, 0644);
	CHECK("user_creat_in_own_dir", fd >= 0);
	fstat(fd, &st);
	CHECK("user_new_file_owner", st.st_uid == T_USER_UID && st.st_gid == T_USER_GID);
	close(fd);
	CHECK_OK("user_mkdir_own_dir", mkdir("userdir/sub", 0755));

	/* Sticky directory (like /tmp): others' files cannot be removed. */
	CHECK_ERR("user_sticky_unlink_others_eperm", unlink("sticky/rootfile"), EPERM);
	CHECK_ERR("user_sticky_rename_others_eperm", rename("sticky/rootfile", "sticky/x"), EPERM);
	fd = open("sticky/userfile", O_CREAT | O_WRONLY, 0644);
	close(fd);
	CHECK_OK("user_sticky_unlink_own", unlink("sticky/userfile"));

	/* Group permission: a 0070 file of group 1000 is readable by the group. */
	fd = open("grpfile", O_RDONLY);
	CHECK("user_group_read", fd >= 0);
	close(fd);
	CHECK_ERR("user_owner_bits_deny_before_group", open("ownerdeny", O_RDONLY), EACCES);

	/* Privileged calls. */
	CHECK_ERR("user_mknod_eperm", mknod("userdir/null", S_IFCHR | 0666, makedev(1, 3)), EPERM);
	CHECK_ERR("user_chroot_eperm", chroot("userdir"), EPERM);
	CHECK_ERR("user_sethostname_eperm", sethostname("x", 1), EPERM);
	CHECK_ERR("user_setgroups_eperm", setgroups(0, NULL), EPERM);

	/* Writing a setuid file as non-owner clears set-user-ID. */
	fd = open("suidfile", O_WRONLY);
	CHECK("user_open_suid_writable", fd >= 0);
	write(fd, "x", 1);
	close(fd);
	stat("suidfile", &st);
	CHECK_EQ("user_write_clears_setuid", st.st_mode & 06000, 0);
}

static void mkfile(const char *path, mode_t mode, uid_t u, gid_t g)
{
	t_write_file(path, "abc", 3);
	chown(path, u, g);
	chmod(path, mode);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	if (geteuid() != 0) {
		t_fail("root", "must start as root");
		return 1;
	}
	umask(022);
	/* The scratch directory must be searchable by the user. */
	chmod(".", 0755);
	mkfile("secret", 0600, 0, 0);
	mkfile("public", 0644, 0, 0);
	mkfile("mine", 0644, T_USER_UID, T_USER_GID);
	mkfile("grpfile", 0070, 0, T_USER_GID);
	mkfile("ownerdeny", 0070, T_USER_UID, T_USER_GID);
	mkfile("suidfile", 04666, 0, 0);
	mkdir("rootdir", 0755);
	mkfile("rootdir/f", 0644, 0, 0);
	mkdir("noexec", 0744);
	mkfile("noexec/f", 0644, 0, 0);
	mkdir("noread", 0711);
	mkfile("noread/f", 0644, 0, 0);
	mkdir("userdir", 0755);
	chown("userdir", T_USER_UID, T_USER_GID);
	mkdir("sticky", 01777);
	chmod("sticky", 01777);
	mkfile("sticky/rootfile", 0666, 0, 0);

	t_as_user("user_checks_ran", as_user_checks);

	/* Root: DAC is overridden for read/write and search, not for exec. */
	int fd = open("ownerdeny", O_RDWR);
	CHECK("root_opens_mode_0070", fd >= 0);
	close(fd);
	struct stat st;
	chmod("noexec", 0);
	CHECK_OK("root_searches_mode_0_dir", stat("noexec/f", &st));
	CHECK_ERR("root_exec_without_x_eacces", execl("./public", "public", (char *)NULL), EACCES);
	chmod("noexec", 0755);
	return t_done();
}
