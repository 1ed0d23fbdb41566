/* User and group ids: get/set{uid,gid,euid,egid}, setre[ug]id,
 * setres[ug]id/getres[ug]id, setgroups/getgroups, as root and as the
 * non-root user (EPERM), the saved set-user-ID letting a process switch
 * back, and ids inherited across fork and exec. Needs root to start. */
#include "t.h"

static void as_user(void)
{
	uid_t r, e, s;

	CHECK_EQ("user_getuid", getuid(), T_USER_UID);
	CHECK_EQ("user_geteuid", geteuid(), T_USER_UID);
	CHECK_EQ("user_getgid", getgid(), T_USER_GID);
	CHECK_EQ("user_getegid", getegid(), T_USER_GID);
	CHECK_ERR("user_setuid_0_eperm", setuid(0), EPERM);
	CHECK_ERR("user_setgid_0_eperm", setgid(0), EPERM);
	CHECK_ERR("user_seteuid_0_eperm", seteuid(0), EPERM);
	CHECK_ERR("user_setreuid_eperm", setreuid(0, 0), EPERM);
	CHECK_ERR("user_setresuid_eperm", setresuid(-1, 0, -1), EPERM);
	CHECK_ERR("user_setresgid_eperm", setresgid(0, -1, -1), EPERM);
	CHECK_ERR("user_setgroups_eperm", setgroups(0, NULL), EPERM);
	CHECK_ERR("user_setuid_other_eperm", setuid(1001), EPERM);
	CHECK_OK("user_setuid_self", setuid(T_USER_UID));
	CHECK_OK("user_setresuid_noop", setresuid(-1, -1, -1));
	getresuid(&r, &e, &s);
	CHECK("user_resuid", r == T_USER_UID && e == T_USER_UID && s == T_USER_UID);
	/* kill of a root process: EPERM. */
	CHECK_ERR("user_kill_root_eperm", kill(1, 0), EPERM);
	CHECK_OK("user_kill_own_process", kill(getpid(), 0));
}

int main(int argc, char **argv)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	t_init(argc, argv);
	if (getuid() != 0) {
		t_fail("root", "must start as root");
		return 1;
	}
	CHECK_EQ("root_geteuid", geteuid(), 0);
	CHECK_EQ("root_getgid", getgid(), 0);
	CHECK_OK("getresuid", getresuid(&r, &e, &s));
	CHECK("root_resuid_all_0", r == 0 && e == 0 && s == 0);
	CHECK_OK("getresgid", getresgid(&gr, &ge, &gs));
	CHECK("root_resgid_all_0", gr == 0 && ge == 0 && gs == 0);
	CHECK_ERR("getresuid_efault", syscall(SYS_getresuid, T_KPTR, &e, &s), EFAULT);

	gid_t groups[64];
	int n = getgroups(64, groups);
	CHECK("getgroups", n >= 0);
	CHECK_EQ("getgroups_size_0_counts", getgroups(0, NULL), n);
	gid_t set[3] = { 10, 20, 30 };
	pid_t pid = t_fork();
	if (pid == 0) {
		CHECK_OK("root_setgroups", setgroups(3, set));
		gid_t got[8];
		CHECK_EQ("getgroups_after_set", getgroups(8, got), 3);
		CHECK("getgroups_values", got[0] == 10 && got[1] == 20 && got[2] == 30);
		if (n > 0)
			CHECK_ERR("getgroups_small_einval", getgroups(1, got), EINVAL);
		CHECK_ERR("setgroups_efault", syscall(SYS_setgroups, 2, T_KPTR), EFAULT);
		CHECK_ERR("setgroups_too_many_einval", syscall(SYS_setgroups, 70000, got), EINVAL);
		t_child_exit();
	}
	t_wait_ok("setgroups_child", pid);

	/* Root sets its effective uid only, then switches back (saved uid 0). */
	pid = t_fork();
	if (pid == 0) {
		CHECK_OK("root_setresgid", setresgid(T_USER_GID, T_USER_GID, 0));
		CHECK_OK("root_seteuid_user", seteuid(T_USER_UID));
		getresuid(&r, &e, &s);
		CHECK("seteuid_keeps_real_saved", r == 0 && e == T_USER_UID && s == 0);
		CHECK_ERR("euid_user_cannot_setgroups", setgroups(0, NULL), EPERM);
		CHECK_OK("seteuid_back_to_root", seteuid(0));
		CHECK_EQ("euid_root_again", geteuid(), 0);
		CHECK_OK("setreuid_swap", setreuid(T_USER_UID, 0));
		getresuid(&r, &e, &s);
		CHECK("setreuid_result", r == T_USER_UID && e == 0);
		CHECK_OK("setresuid_all", setresuid(2000, 2001, 2002));
		getresuid(&r, &e, &s);
		CHECK("setresuid_result", r == 2000 && e == 2001 && s == 2002);
		CHECK_OK("unprivileged_switch_to_saved", setresuid(-1, 2002, -1));
		CHECK_OK("unprivileged_switch_to_real", seteuid(2000));
		CHECK_ERR("unprivileged_other_id_eperm", seteuid(2005), EPERM);
		t_child_exit();
	}
	t_wait_ok("seteuid_child", pid);

	/* setuid as root sets all three: no way back. */
	pid = t_fork();
	if (pid == 0) {
		setgroups(0, NULL);
		CHECK_OK("root_setgid_user", setgid(T_USER_GID));
		CHECK_OK("root_setuid_user", setuid(T_USER_UID));
		getresuid(&r, &e, &s);
		CHECK("root_setuid_sets_all", r == T_USER_UID && e == T_USER_UID && s == T_USER_UID);
		getresgid(&gr, &ge, &gs);
		CHECK("root_setgid_sets_all", gr == T_USER_GID && ge == T_USER_GID && gs == T_USER_GID);
		as_user();
		/* ids survive fork and exec. */
		pid_t c = t_fork();
		if (c == 0)
			_exit(getuid() == T_USER_UID && geteuid() == T_USER_UID ? 0 : 1);
		t_wait_ok("user_ids_inherited_by_fork", c);
		c = t_fork();
		if (c == 0) {
			execl("/bin/sh", "sh", "-c", "[ \"$(id -u)\" = 1000 ] && [ \"$(id -g)\" = 1000 ]", (char *)NULL);
			_exit(127);
		}
		t_wait_ok("user_ids_kept_across_exec", c);
		t_child_exit();
	}
	t_wait_ok("setuid_child", pid);
	return t_done();
}
