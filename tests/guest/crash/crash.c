/* Crashing programs, each in a child with no handler: the parent checks
 * each was killed by the right signal and that the system goes on (a
 * fresh fork and exec works after every crash). Segfaults (NULL, kernel
 * address, write to text, jump to NULL, execute the stack... NX), divide by
 * zero, ud2, int3, hlt, abort, stack overflow, a runaway loop stopped by
 * alarm() (SIGALRM's default action) and one killed by the parent (SIGKILL),
 * a runaway fork-and-spin stopped by killing its process group, a crash
 * while holding pipes and a big mapping, a crash inside a signal handler. */
#include "t.h"
#include <sys/mman.h>

static void segv_null(void) { *(volatile int *)0 = 1; }
static void segv_kernel(void) { (void)*(volatile long *)0xffff800000000000UL; }
static void segv_text(void) { *(volatile char *)(void *)segv_null = 0; }
static void segv_jump_null(void) { ((void (*)(void))0)(); }
static void segv_stack_exec(void)
{
	unsigned char code[16] = { 0xc3 };
	((void (*)(void))code)();
}
static void fpe_div0(void)
{
	volatile int a = 1, b = 0;
	a = a / b;
}
static void ill_ud2(void) { __asm__ volatile("ud2"); }
static void trap_int3(void) { __asm__ volatile("int3"); }
static void segv_hlt(void) { __asm__ volatile("hlt"); }
static void abrt(void) { abort(); }
static volatile int limit = 1 << 30;
static int rec(int n)
{
	volatile char pad[4096];
	pad[0] = (char)n;
	if (n > limit)
		return 0;
	return rec(n + 1) + pad[0];
}
static void stack_overflow(void) { rec(0); }
static void runaway_alarm(void)
{
	alarm(1);
	for (;;)
		__asm__ volatile("" ::: "memory");
}
static volatile int *volatile lowp = (volatile int *)8;
static void crash_holding_things(void)
{
	int p[2];
	for (int i = 0; i < 20; i++)
		pipe(p);
	char *m = mmap(NULL, 32 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (long i = 0; i < (32 << 20); i += 4096)
		m[i] = 1;
	*lowp = 1;
}
static void in_handler(int s) { *lowp = 2; }
static void crash_in_handler(void)
{
	signal(SIGUSR1, in_handler);
	raise(SIGUSR1);
}

static int system_ok(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl(t_helper("true"), "true", (char *)NULL);
		_exit(127);
	}
	int st = t_wait(pid);
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
		int sig;
	} crashes[] = {
		{ "segv_null", segv_null, SIGSEGV },
		{ "segv_kernel_address", segv_kernel, SIGSEGV },
		{ "segv_write_text", segv_text, SIGSEGV },
		{ "segv_jump_null", segv_jump_null, SIGSEGV },
		{ "segv_exec_stack_nx", segv_stack_exec, SIGSEGV },
		{ "fpe_divide_by_zero", fpe_div0, SIGFPE },
		{ "ill_ud2", ill_ud2, SIGILL },
		{ "trap_int3", trap_int3, SIGTRAP },
		{ "segv_hlt", segv_hlt, SIGSEGV },
		{ "abort_sigabrt", abrt, SIGABRT },
		{ "stack_overflow_sigsegv", stack_overflow, SIGSEGV },
		{ "runaway_killed_by_alarm", runaway_alarm, SIGALRM },
		{ "crash_holding_pipes_and_memory", crash_holding_things, SIGSEGV },
		{ "crash_in_signal_handler", crash_in_handler, SIGSEGV },
	};
	char name[96];

	t_init(argc, argv);
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++) {
			snprintf(name, sizeof(name), "%s%s", crashes[i].name, round ? "_again" : "");
			t_expect_signal(name, crashes[i].fn, crashes[i].sig);
			snprintf(name, sizeof(name), "system_ok_after_%s%s", crashes[i].name, round ? "_again" : "");
			CHECK(name, system_ok());
		}
	}

	/* A runaway killed by its parent. */
	pid_t pid = t_fork();
	if (pid == 0)
		for (;;)
			__asm__ volatile("" ::: "memory");
	t_msleep(200);
	kill(pid, SIGKILL);
	int st = t_wait(pid);
	CHECK("runaway_killed_by_parent", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* A runaway that keeps forking spinners, stopped by killing its group. */
	pid = t_fork();
	if (pid == 0) {
		setpgid(0, 0);
		for (int i = 0; i < 5; i++)
			if (fork() == 0)
				break;
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	setpgid(pid, pid);
	t_msleep(300);
	CHECK_OK("kill_runaway_group", kill(-pid, SIGKILL));
	st = t_wait(pid);
	CHECK("runaway_group_leader_killed", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* The spinners are orphans now: init reaps them. */
	for (int i = 0; i < 100 && kill(-pid, 0) == 0; i++)
		t_msleep(20);
	CHECK_ERR("runaway_group_all_gone", kill(-pid, 0), ESRCH);
	CHECK("system_ok_at_the_end", system_ok());
	return t_done();
}
