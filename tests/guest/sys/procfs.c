/* procfs (proc(5)): /proc/self/{stat,cmdline,fd,maps}, /proc/meminfo and
 * /proc/uptime checked against what the test knows of itself; on Sable
 * also /proc/linux/{mode,stats}: a non-root write to mode is EACCES, and
 * minimal mode makes socket() ENOSYS while files work and the denied
 * counter moves. */
#include "t.h"
#include <dirent.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/socket.h>

/* Reads a whole (small) file into buf, NUL-terminated; bytes or -1. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static long meminfo_kb(const char *key)
{
	static char buf[8192];
	char *p;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static double uptime(void)
{
	char buf[128];

	if (read_file("/proc/uptime", buf, sizeof(buf)) <= 0)
		return -1;
	return strtod(buf, NULL);
}

static long stats_value(const char *key)
{
	static char buf[65536];
	char *p;
	size_t klen = strlen(key);

	if (read_file("/proc/linux/stats", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtol(p + klen, NULL, 10);
	}
	return -1;
}

static void stat_fields(void)
{
	char buf[1024], *rp;
	int pid = 0, ppid = 0;
	char state = 0;

	CHECK("stat_read", read_file("/proc/self/stat", buf, sizeof(buf)) > 0);
	rp = strrchr(buf, ')');
	CHECK("stat_comm_parens", rp != NULL && strchr(buf, '(') != NULL);
	if (!rp)
		return;
	pid = atoi(buf);
	CHECK("stat_fields_parse", sscanf(rp + 2, "%c %d", &state, &ppid) == 2);
	CHECK_EQ("stat_pid", pid, getpid());
	CHECK_EQ("stat_ppid", ppid, getppid());
	CHECK("stat_state_running", state == 'R');
	/* 52 fields in all (proc(5) since Linux 3.5). */
	int fields = 2;
	for (char *s = rp + 1; *s; s++)
		if (*s == ' ')
			fields++;
	CHECK("stat_field_count", fields >= 52);

	char link[64], want[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK("self_link", n > 0 && (link[n] = 0, strcmp(link, want) == 0));
	CHECK("status_pid", read_file("/proc/self/status", buf, sizeof(buf)) > 0 &&
				    strstr(buf, "\nPid:\t") &&
				    atoi(strstr(buf, "\nPid:\t") + 6) == getpid());
}

static void cmdline(int argc, char **argv)
{
	char buf[4096], *p = buf;
	ssize_t n = read_file("/proc/self/cmdline", buf, sizeof(buf));
	int ok = n > 0;

	for (int i = 0; ok && i < argc; i++) {
		ok = p < buf + n && strcmp(p, argv[i]) == 0;
		p += strlen(p) + 1;
	}
	CHECK("cmdline_is_argv", ok && p == buf + n);
	CHECK("comm", read_file("/proc/self/comm", buf, sizeof(buf)) > 0 && strchr(buf, '\n'));
}

static void fds(void)
{
	int fd = open("/proc/self/cmdline", O_RDONLY);
	int fd2 = open("/dev/null", O_RDONLY);
	bool seen = false, seen2 = false, seen_closed = false;
	DIR *d;
	struct dirent *e;
	char path[64], link[256];
	ssize_t n;

	CHECK("fd_open", fd >= 0 && fd2 >= 0);
	close(fd2);
	d = opendir("/proc/self/fd");
	CHECK("fd_dir_opens", d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (atoi(e->d_name) == fd && e->d_name[0] != '.')
			seen = true;
		if (atoi(e->d_name) == 0 && e->d_name[0] == '0')
			seen2 = true;
		if (atoi(e->d_name) == fd2 && fd2 != dirfd(d) && e->d_name[0] != '.')
			seen_closed = true;
	}
	closedir(d);
	CHECK("fd_lists_open", seen);
	CHECK("fd_lists_stdin", seen2);
	CHECK("fd_omits_closed", !seen_closed);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK("fd_link_names_file", n > 0 && (link[n] = 0, strcmp(link, "/proc/self/cmdline") == 0 ||
						   strstr(link, "/cmdline") != NULL));
	close(fd);
}

static void maps(void)
{
	static char buf[65536];
	size_t len = 3 * 4096;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char want[64];
	bool found = false;

	CHECK("maps_mmap", m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	m[0] = 1;
	CHECK("maps_read", read_file("/proc/self/maps", buf, sizeof(buf)) > 0);
	snprintf(want, sizeof(want), "%08lx-", (unsigned long)m);
	for (char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		unsigned long s, e;
		char perms[8];

		if (sscanf(p, "%lx-%lx %7s", &s, &e, perms) == 3 && s <= (unsigned long)m &&
		    e >= (unsigned long)m + len && perms[0] == 'r' && perms[1] == 'w')
			found = true;
	}
	CHECK("maps_shows_mmap", found);
	CHECK("maps_shows_stack", strstr(buf, "[stack]") != NULL);
	munmap(m, len);
}

/* A reaped child's directory goes away, whether or not it was looked up. */
static void dead_pid(void)
{
	char path[64];
	struct stat st;
	pid_t p = fork();

	if (p == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p);
	CHECK_OK("child_dir_exists", stat(path, &st));
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	CHECK_ERR("reaped_child_gone", stat(path, &st), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d", (int)p);
	CHECK_ERR("reaped_child_dir_gone", stat(path, &st), ENOENT);
}

static void meminfo(void)
{
	long before, after = -1;
	bool dropped = false;

	CHECK("meminfo_total", meminfo_kb("MemTotal:") > 0);
	/* A host's free memory moves with everything else: a few tries. */
	for (int i = 0; i < 3 && !dropped; i++) {
		size_t len = 8 << 20;
		char *m;

		before = meminfo_kb("MemFree:");
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			break;
		for (size_t off = 0; off < len; off += 4096)
			m[off] = 1;
		after = meminfo_kb("MemFree:");
		dropped = before > 0 && after > 0 && before - after >= 6 * 1024;
		munmap(m, len);
	}
	t_note("MemFree after touching 8 MiB: %ld kB", after);
	/* A host's MemFree is shared with everything else running (and may
	 * be a container's view): only Sable's is judged. */
	if (!dropped && access("/proc/linux", F_OK) != 0) {
		t_note("host MemFree did not drop by 6 MiB: not judged off Sable");
		return;
	}
	CHECK("meminfo_free_drops", dropped);
}

static void uptime_moves(void)
{
	double a = uptime(), b;

	usleep(50000);
	b = uptime();
	CHECK("uptime_positive", a > 0);
	CHECK("uptime_increases", b > a);
}

static void user_writes_mode(void)
{
	int fd = open("/proc/linux/mode", O_WRONLY);
	bool eacces = fd < 0 && errno == EACCES; /* CHECK resets errno */

	CHECK("mode_user_write_eacces", eacces);
	if (fd >= 0)
		close(fd);
	fd = open("/proc/linux/stats", O_WRONLY);
	eacces = fd < 0 && errno == EACCES;
	CHECK("stats_user_reset_eacces", eacces);
	if (fd >= 0)
		close(fd);
}

static void linux_layer(void)
{
	char buf[512];
	long denied;

	if (access("/proc/linux", F_OK) != 0) {
		t_note("no /proc/linux (not Sable): integration checks skipped");
		return;
	}
	CHECK("mode_reads_full", read_file("/proc/linux/mode", buf, sizeof(buf)) > 0 &&
				       strncmp(buf, "full\n", 5) == 0);
	CHECK("stats_total", stats_value("total") > 0);
	t_as_user("mode_user", user_writes_mode);
	CHECK_ERR("mode_bad_text_einval", write_file("/proc/linux/mode", "bogus\n"), EINVAL);

	denied = stats_value("denied");
	CHECK_OK("mode_set_minimal", write_file("/proc/linux/mode", "minimal\n"));
	errno = 0;
	long r = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	int e = errno;
	int fd = open("/proc/self/stat", O_RDONLY);
	CHECK("minimal_open_works", fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK("minimal_socket_enosys", r == -1 && e == ENOSYS);
	CHECK("minimal_mode_reads", read_file("/proc/linux/mode", buf, sizeof(buf)) > 0 &&
					    strncmp(buf, "minimal\n", 8) == 0);
	CHECK("stats_denied_moves", stats_value("denied") > denied);
	CHECK_OK("mode_restore_full", write_file("/proc/linux/mode", "full\n"));
	CHECK("full_mode_reads", read_file("/proc/linux/mode", buf, sizeof(buf)) > 0 &&
					 strncmp(buf, "full\n", 5) == 0);
	CHECK("stats_lists_socket", read_file("/proc/linux/stats", buf, sizeof(buf)) > 0);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	if (access("/proc/self/stat", R_OK) != 0) {
		t_fail("proc_mounted", "no /proc/self/stat");
		return t_done();
	}
	stat_fields();
	cmdline(argc, argv);
	fds();
	maps();
	dead_pid();
	meminfo();
	uptime_moves();
	linux_layer();
	return t_done();
}
