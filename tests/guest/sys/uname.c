/* uname (sysname "Linux", machine "x86_64", a release, NUL-terminated
 * fields), sethostname/gethostname and setdomainname as root (the runner
 * runs in its own UTS namespace on a host) and as the user (EPERM),
 * sysinfo (sane fields), and EFAULT/EINVAL. */
#include "t.h"
#include <sys/sysinfo.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
	struct utsname u;

	t_init(argc, argv);
	memset(&u, 0x7f, sizeof(u));
	CHECK_OK("uname", uname(&u));
	CHECK("sysname_linux", strcmp(u.sysname, "Linux") == 0);
	CHECK("machine_x86_64", strcmp(u.machine, "x86_64") == 0);
	CHECK("release_nonempty", u.release[0] != 0 && memchr(u.release, 0, sizeof(u.release)));
	CHECK("release_starts_with_digit", u.release[0] >= '0' && u.release[0] <= '9');
	CHECK("version_terminated", memchr(u.version, 0, sizeof(u.version)) != NULL);
	CHECK("nodename_terminated", memchr(u.nodename, 0, sizeof(u.nodename)) != NULL);
	t_note("uname: %s %s %s %s %s", u.sysname, u.nodename, u.release, u.version, u.machine);
	CHECK_ERR("uname_null_efault", syscall(SYS_uname, NULL), EFAULT);
	CHECK_ERR("uname_kernel_efault", syscall(SYS_uname, T_KPTR), EFAULT);

	char old[65], buf[65];
	gethostname(old, sizeof(old));
	CHECK_OK("sethostname", sethostname("guest-test", 10));
	uname(&u);
	CHECK("uname_sees_hostname", strcmp(u.nodename, "guest-test") == 0);
	CHECK_OK("gethostname", gethostname(buf, sizeof(buf)));
	CHECK("gethostname_value", strcmp(buf, "guest-test") == 0);
	CHECK_ERR("sethostname_too_long_einval", sethostname("x", 65), EINVAL);
	CHECK_ERR("sethostname_efault", syscall(SYS_sethostname, T_KPTR, 4), EFAULT);
	CHECK_OK("setdomainname", setdomainname("example", 7));
	uname(&u);
	CHECK("uname_sees_domainname", strcmp(u.domainname, "example") == 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		t_become_user();
		CHECK_ERR("user_sethostname_eperm", sethostname("x", 1), EPERM);
		CHECK_ERR("user_setdomainname_eperm", setdomainname("x", 1), EPERM);
		t_child_exit();
	}
	t_wait_ok("user_child", pid);
	sethostname(old, strlen(old));

	struct sysinfo si;
	memset(&si, 0, sizeof(si));
	CHECK_OK("sysinfo", sysinfo(&si));
	CHECK("sysinfo_totalram", si.totalram > 0);
	CHECK("sysinfo_mem_unit", si.mem_unit >= 1);
	CHECK("sysinfo_freeram_le_total", si.freeram <= si.totalram);
	CHECK("sysinfo_freeram_positive", si.freeram > 0);
	CHECK("sysinfo_total_at_least_16m", (unsigned long long)si.totalram * si.mem_unit >= (16ULL << 20));
	CHECK("sysinfo_procs", si.procs >= 1);
	CHECK("sysinfo_uptime", (long)si.uptime >= 0);
	t_note("sysinfo: total %llu MiB, free %llu MiB, procs %u, uptime %ld s",
	       (unsigned long long)si.totalram * si.mem_unit >> 20, (unsigned long long)si.freeram * si.mem_unit >> 20,
	       si.procs, si.uptime);
	struct timespec bt;
	clock_gettime(CLOCK_BOOTTIME, &bt);
	CHECK("sysinfo_uptime_matches_boottime", (long)si.uptime <= bt.tv_sec + 1 && (long)si.uptime >= bt.tv_sec - 2);
	CHECK_ERR("sysinfo_efault", syscall(SYS_sysinfo, NULL), EFAULT);
	return t_done();
}
