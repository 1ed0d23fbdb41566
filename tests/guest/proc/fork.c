/* Process creation and exit: fork, vfork, clone with fork-like flags (raw
 * syscall), getpid/getppid, exit and exit_group statuses (0..255, the low 8
 * bits), _exit from a child, descriptors inherited across fork, many
 * children at once. */
#include "t.h"
#include <sched.h>

static void test_fork(void)
{
	pid_t me = getpid(), parent = getppid();
	int p[2];

	CHECK("getpid_positive", me > 0);
	CHECK("getppid_positive", parent >= 0);
	CHECK_EQ("getpid_syscall_matches", syscall(SYS_getpid), me);
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		pid_t info[2] = { getpid(), getppid() };
		write(p[1], info, sizeof(info));
		_exit(0);
	}
	CHECK("fork_returns_child_pid", pid > 0 && pid != me);
	pid_t info[2] = { 0, 0 };
	CHECK_EQ("child_wrote_info", read(p[0], info, sizeof(info)), sizeof(info));
	CHECK_EQ("child_getpid_is_fork_return", info[0], pid);
	CHECK_EQ("child_getppid_is_parent", info[1], me);
	int st;
	CHECK_EQ("waitpid_returns_pid", waitpid(pid, &st, 0), pid);
	CHECK("child_exited_0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
	close(p[1]);

	/* Exit statuses: the low 8 bits. */
	static const int codes[] = { 0, 1, 42, 127, 255, 256, 300, -1 };
	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char name[64];
		pid = t_fork();
		if (pid == 0)
			_exit(codes[i]);
		st = t_wait(pid);
		snprintf(name, sizeof(name), "exit_status_%d", codes[i]);
		CHECK(name, WIFEXITED(st) && WEXITSTATUS(st) == (codes[i] & 0xff));
	}
	pid = t_fork();
	if (pid == 0)
		syscall(SYS_exit_group, 77);
	st = t_wait(pid);
	CHECK("exit_group_status", WIFEXITED(st) && WEXITSTATUS(st) == 77);
	pid = t_fork();
	if (pid == 0)
		syscall(SYS_exit, 78);
	st = t_wait(pid);
	CHECK("exit_single_thread_status", WIFEXITED(st) && WEXITSTATUS(st) == 78);
	pid = t_fork();
	if (pid == 0) {
		/* exit() runs atexit handlers and flushes stdio; return from main-like. */
		exit(3);
	}
	st = t_wait(pid);
	CHECK("exit_libc_status", WIFEXITED(st) && WEXITSTATUS(st) == 3);
}

static void test_fds_inherited(void)
{
	int p[2];
	char buf[8] = { 0 };

	pipe(p);
	t_write_file("inh", "0123456789", 10);
	int fd = open("inh", O_RDONLY);
	pid_t pid = t_fork();
	if (pid == 0) {
		char c;
		read(fd, &c, 1);	/* moves the shared offset */
		write(p[1], "k", 1);
		_exit(c == '0' ? 0 : 1);
	}
	t_wait_ok("child_reads_inherited_fd", pid);
	read(p[0], buf, 1);
	CHECK_EQ("child_wrote_inherited_pipe", buf[0], 'k');
	CHECK_EQ("fork_shares_file_offset", lseek(fd, 0, SEEK_CUR), 1);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void test_vfork(void)
{
	volatile int x = 0;
	pid_t me = getpid();
	pid_t pid = vfork();

	if (pid == 0) {
		x = getppid() == me ? 1 : 2;
		_exit(9);
	}
	CHECK("vfork_pid", pid > 0);
	CHECK_EQ("vfork_child_ran_first_in_our_memory", x, 1);
	int st = t_wait(pid);
	CHECK("vfork_exit_status", WIFEXITED(st) && WEXITSTATUS(st) == 9);

	/* vfork + exec. */
	pid = vfork();
	if (pid == 0) {
		execl(t_helper("true"), "true", (char *)NULL);
		_exit(127);
	}
	st = t_wait(pid);
	CHECK("vfork_exec_true", WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* clone(CLONE_VM|CLONE_VFORK|SIGCHLD) on a new stack: the child sets *flag
 * and exits at once, in assembly (it must not return through C frames). */
static long clone_vm_vfork(void *stack_top, volatile int *flag)
{
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "movl $1, (%[flag])\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone), "D"((long)(CLONE_VM | CLONE_VFORK | SIGCHLD)), "S"(stack_top),
			   "d"(0L), "r"(r10), "r"(r8), [flag] "r"(flag)
			 : "rcx", "r11", "memory");
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

static void on_usr2(int s)
{
}

static void test_clone(void)
{
	/* clone(SIGCHLD, 0): like fork. The raw syscall's argument order on
	 * x86_64 is flags, stack, parent_tid, child_tid, tls. */
	pid_t pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0)
		syscall(SYS_exit_group, 5);
	CHECK("clone_sigchld_like_fork", pid > 0);
	int st = t_wait(pid);
	CHECK("clone_child_status", WIFEXITED(st) && WEXITSTATUS(st) == 5);

	/* CLONE_PARENT_SETTID stores the child's tid in the parent;
	 * CLONE_CHILD_SETTID in the child's memory. */
	volatile pid_t ptid = 0, ctid = 0;
	pid = syscall(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, 0, &ptid, &ctid, 0);
	if (pid == 0)
		syscall(SYS_exit_group, ctid == syscall(SYS_gettid) ? 0 : 1);
	CHECK_EQ("clone_parent_settid", ptid, pid);
	st = t_wait(pid);
	CHECK("clone_child_settid", WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* CLONE_VM|CLONE_VFORK with a stack: shares memory, parent waits. */
	static char stack[65536] __attribute__((aligned(16)));
	static volatile int shared_flag;
	shared_flag = 0;
	pid = clone_vm_vfork(stack + sizeof(stack), &shared_flag);
	CHECK_EQ("clone_vm_vfork_shared_write", shared_flag, 1);
	st = t_wait(pid);
	CHECK("clone_vm_vfork_reaped", st != -1 && WIFEXITED(st));

	/* Exit signal other than SIGCHLD: wait needs __WALL or __WCLONE. */
	signal(SIGUSR2, on_usr2); /* the exit signal comes to us */
	pid = syscall(SYS_clone, SIGUSR2, 0, NULL, NULL, 0);
	if (pid == 0)
		syscall(SYS_exit_group, 6);
	CHECK_EQ("clone_nonchld_needs_wclone", waitpid(pid, &st, WNOHANG), -1);
	CHECK_EQ("clone_nonchld_wall", waitpid(pid, &st, __WALL), pid);
	CHECK("clone_nonchld_status", WIFEXITED(st) && WEXITSTATUS(st) == 6);

	signal(SIGUSR2, SIG_DFL);
	CHECK_ERR("clone_bad_flags_einval", syscall(SYS_clone, CLONE_SIGHAND, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR("clone_thread_without_sighand_einval", syscall(SYS_clone, CLONE_THREAD, 0, NULL, NULL, 0), EINVAL);
}

static void test_many(void)
{
	enum { N = 50 };
	pid_t pids[N];
	int ok = 1;

	for (int i = 0; i < N; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0)
			_exit(i);
		if (pids[i] < 0)
			ok = 0;
	}
	for (int i = N - 1; i >= 0; i--) {
		int st = t_wait(pids[i]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != i)
			ok = 0;
	}
	CHECK("fifty_children_reaped_in_reverse", ok);
	int st;
	CHECK_ERR("no_children_echild", wait(&st), ECHILD);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_fork();
	test_fds_inherited();
	test_vfork();
	test_clone();
	test_many();
	return t_done();
}
