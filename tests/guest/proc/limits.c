/* Resource limits and per-process odds and ends: getrlimit/setrlimit/
 * prlimit64 (on self and a child; lowering, raising as root and as the
 * user (EPERM), soft > hard (EINVAL), bad resource (EINVAL), EFAULT),
 * limits inherited across fork, RLIMIT_NOFILE and RLIMIT_FSIZE (SIGXFSZ /
 * EFBIG) enforced; gettid, set_tid_address, arch_prctl(ARCH_GET_FS/SET_FS). */
#include "t.h"
#include <sys/resource.h>

#define CAP_SYS_RESOURCE 24

/* Whether this process has a capability (capget, version 3). A kernel
 * without capget is taken to give root everything. */
static int have_cap(int cap)
{
	struct {
		uint32_t version;
		int pid;
	} hdr = { 0x20080522, 0 };
	struct {
		uint32_t effective, permitted, inheritable;
	} data[2];

	if (syscall(SYS_capget, &hdr, data) != 0)
		return geteuid() == 0;
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}

static void test_rlimit(void)
{
	struct rlimit rl, old;

	CHECK_OK("getrlimit_nofile", getrlimit(RLIMIT_NOFILE, &old));
	CHECK("nofile_sane", old.rlim_cur >= 64 && old.rlim_cur <= old.rlim_max);
	CHECK_OK("getrlimit_stack", getrlimit(RLIMIT_STACK, &rl));
	CHECK_OK("getrlimit_as", getrlimit(RLIMIT_AS, &rl));
	CHECK_OK("getrlimit_core", getrlimit(RLIMIT_CORE, &rl));
	CHECK_OK("getrlimit_nproc", getrlimit(RLIMIT_NPROC, &rl));
	CHECK_ERR("getrlimit_bad_resource_einval", syscall(SYS_getrlimit, 99, &rl), EINVAL);
	CHECK_ERR("getrlimit_efault", syscall(SYS_getrlimit, RLIMIT_NOFILE, NULL), EFAULT);
	CHECK_ERR("getrlimit_kernel_efault", syscall(SYS_getrlimit, RLIMIT_NOFILE, T_KPTR), EFAULT);

	pid_t pid = t_fork();
	if (pid == 0) {
		struct rlimit r2 = { 100, 200 };
		CHECK_OK("setrlimit", setrlimit(RLIMIT_NOFILE, &r2));
		getrlimit(RLIMIT_NOFILE, &rl);
		CHECK("setrlimit_reads_back", rl.rlim_cur == 100 && rl.rlim_max == 200);
		r2 = (struct rlimit){ 300, 200 };
		CHECK_ERR("setrlimit_soft_over_hard_einval", setrlimit(RLIMIT_NOFILE, &r2), EINVAL);
		CHECK_ERR("setrlimit_bad_resource_einval", syscall(SYS_setrlimit, 99, &r2), EINVAL);
		CHECK_ERR("setrlimit_efault", syscall(SYS_setrlimit, RLIMIT_NOFILE, T_KPTR), EFAULT);
		r2 = (struct rlimit){ 1UL << 40, 1UL << 40 };
		CHECK_ERR("nofile_over_nr_open_eperm", setrlimit(RLIMIT_NOFILE, &r2), EPERM);
		if (have_cap(CAP_SYS_RESOURCE)) {
			pid_t c = t_fork();
			if (c == 0) {
				struct rlimit r3 = { 100, 1000 };
				CHECK_OK("root_raises_hard_limit", setrlimit(RLIMIT_NOFILE, &r3));
				t_child_exit();
			}
			t_wait_ok("root_raise_child", c);
		} else {
			t_note("no CAP_SYS_RESOURCE here (a container?): root_raises_hard_limit not run");
		}

		/* Inherited by a child. */
		pid_t c = t_fork();
		if (c == 0) {
			getrlimit(RLIMIT_NOFILE, &rl);
			_exit(rl.rlim_cur == 100 && rl.rlim_max == 200 ? 0 : 1);
		}
		t_wait_ok("rlimit_inherited_by_fork", c);

		/* prlimit64 on self: set and get old at once. */
		struct rlimit nw = { 50, 150 }, prev;
		CHECK_OK("prlimit64_self", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &nw, &prev));
		CHECK("prlimit64_old_value", prev.rlim_cur == 100 && prev.rlim_max == 200);
		getrlimit(RLIMIT_NOFILE, &rl);
		CHECK("prlimit64_new_value", rl.rlim_cur == 50 && rl.rlim_max == 150);
		CHECK_OK("prlimit64_get_only", syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, NULL, &prev));
		CHECK_EQ("prlimit64_get_only_value", prev.rlim_cur, 50);
		CHECK_ERR("prlimit64_missing_pid_esrch", syscall(SYS_prlimit64, 0x3ffffff0, RLIMIT_NOFILE, NULL, &prev), ESRCH);

		/* prlimit64 on another process (a child). */
		int p[2];
		pipe(p);
		c = t_fork();
		if (c == 0) {
			char ch;
			close(p[1]);
			read(p[0], &ch, 1);
			getrlimit(RLIMIT_CORE, &rl);
			_exit(rl.rlim_cur == 4096 ? 0 : 1);
		}
		close(p[0]);
		nw = (struct rlimit){ 4096, 8192 };
		CHECK_OK("prlimit64_other", syscall(SYS_prlimit64, c, RLIMIT_CORE, &nw, NULL));
		write(p[1], "g", 1);
		close(p[1]);
		t_wait_ok("prlimit64_other_applied", c);

		/* The user cannot raise a hard limit. */
		c = t_fork();
		if (c == 0) {
			t_become_user();
			struct rlimit r3 = { 50, 151 };
			CHECK_ERR("user_raise_hard_eperm", setrlimit(RLIMIT_NOFILE, &r3), EPERM);
			r3 = (struct rlimit){ 40, 120 };
			CHECK_OK("user_lower_hard", setrlimit(RLIMIT_NOFILE, &r3));
			r3 = (struct rlimit){ 40, 130 };
			CHECK_ERR("user_cannot_raise_back", setrlimit(RLIMIT_NOFILE, &r3), EPERM);
			CHECK_ERR("user_prlimit_root_process_eperm", syscall(SYS_prlimit64, 1, RLIMIT_NOFILE, &r3, NULL), EPERM);
			t_child_exit();
		}
		t_wait_ok("user_rlimit_child", c);
		t_child_exit();
	}
	t_wait_ok("rlimit_child", pid);

	/* RLIMIT_FSIZE: SIGXFSZ kills by default; ignored, write fails EFBIG. */
	pid = t_fork();
	if (pid == 0) {
		struct rlimit f = { 1000, 1000 };
		setrlimit(RLIMIT_FSIZE, &f);
		int fd = open("big", O_CREAT | O_WRONLY | O_TRUNC, 0644);
		static char buf[2000];
		signal(SIGXFSZ, SIG_IGN);
		CHECK_EQ("fsize_partial_write", write(fd, buf, 2000), 1000);
		CHECK_ERR("fsize_over_efbig", write(fd, buf, 1), EFBIG);
		signal(SIGXFSZ, SIG_DFL);
		write(fd, buf, 1);
		_exit(0);
	}
	int st = t_wait(pid);
	CHECK("fsize_sigxfsz_kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ);
}

static void test_ids_tls(void)
{
	pid_t tid = syscall(SYS_gettid);

	CHECK_EQ("gettid_is_pid_single_thread", tid, getpid());
	int dummy;
	CHECK_EQ("set_tid_address_returns_tid", syscall(SYS_set_tid_address, &dummy), tid);

	/* ARCH_GET_FS: the thread pointer; in both musl and glibc the TCB starts
	 * with a pointer to itself, so %fs:0 == the FS base. */
	unsigned long fs = 0, self;
	CHECK_OK("arch_prctl_get_fs", syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	__asm__ volatile("mov %%fs:0, %0" : "=r"(self));
	CHECK("arch_prctl_fs_is_tcb", fs != 0 && fs == self);
	CHECK_ERR("arch_prctl_bad_code_einval", syscall(SYS_arch_prctl, 0x9999, &fs), EINVAL);
	CHECK_ERR("arch_prctl_get_fs_efault", syscall(SYS_arch_prctl, ARCH_GET_FS, T_KPTR), EFAULT);

	/* ARCH_SET_FS in a child that then only uses raw syscalls. */
	pid_t pid = t_fork();
	if (pid == 0) {
		static unsigned long fake_tcb[16];
		unsigned long got = 0, via_fs, canary;
		/* Keep the stack protector's canary (%fs:0x28) valid. */
		__asm__ volatile("mov %%fs:0x28, %0" : "=r"(canary));
		fake_tcb[0] = (unsigned long)fake_tcb;
		fake_tcb[1] = 0x1234;
		fake_tcb[5] = canary;
		if (syscall(SYS_arch_prctl, ARCH_SET_FS, fake_tcb) != 0)
			syscall(SYS_exit_group, 1);
		__asm__ volatile("mov %%fs:8, %0" : "=r"(via_fs));
		syscall(SYS_arch_prctl, ARCH_GET_FS, &got);
		syscall(SYS_exit_group, got == (unsigned long)fake_tcb && via_fs == 0x1234 ? 0 : 2);
	}
	t_wait_ok("arch_prctl_set_fs", pid);
	CHECK_ERR("arch_prctl_set_fs_kernel_eperm", syscall(SYS_arch_prctl, ARCH_SET_FS, T_KPTR), EPERM);
}

/* RLIMIT_NPROC: a non-root user at the limit gets EAGAIN from fork. */
static void test_nproc(void)
{
	pid_t c = t_fork();

	if (c == 0) {
		struct rlimit rl = { 4, 4 };
		pid_t kids[16];
		int n = 0, err = 0;

		if (t_become_user() || setrlimit(RLIMIT_NPROC, &rl))
			_exit(2);
		for (int i = 0; i < 16; i++) {
			pid_t k = fork();

			if (k == 0) {
				pause();
				_exit(0);
			}
			if (k < 0) {
				err = errno;
				break;
			}
			kids[n++] = k;
		}
		for (int i = 0; i < n; i++) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
		CHECK("nproc_fork_eagain", err == EAGAIN && n < 4);
		t_child_exit();
	}
	t_wait_ok("nproc_child_ok", c);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_rlimit();
	if (geteuid() == 0)
		test_nproc();
	test_ids_tls();
	return t_done();
}
