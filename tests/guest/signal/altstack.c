/* sigaltstack: setting and querying, a SA_ONSTACK handler running on the
 * alternate stack (its locals lie inside it, SS_ONSTACK reported there),
 * EPERM when changing it while on it, a stack overflow handled on the
 * alternate stack, SS_DISABLE, and errors (ENOMEM for a small size, EINVAL
 * for bad flags, EFAULT). */
#include "t.h"
#include <sys/mman.h>

static char *alt;
static size_t altsize = 65536;
static volatile int on_alt, ss_flags_in_handler, eperm_in_handler;

static void on_usr1(int sig)
{
	volatile char local;
	stack_t now, ns;

	on_alt = (char *)&local >= alt && (char *)&local < alt + altsize;
	sigaltstack(NULL, &now);
	ss_flags_in_handler = now.ss_flags;
	ns.ss_sp = alt;
	ns.ss_size = altsize;
	ns.ss_flags = 0;
	eperm_in_handler = sigaltstack(&ns, NULL) == -1 && errno == EPERM;
}

static void on_segv(int sig)
{
	volatile char local;
	/* Overflow handled: report and leave. */
	_exit((char *)&local >= alt && (char *)&local < alt + altsize ? 0 : 3);
}

static volatile int limit = 1 << 30;
static int depth(int n)
{
	volatile char pad[1024];
	pad[0] = (char)n;
	if (n > limit)
		return 0;
	return depth(n + 1) + pad[0];
}

int main(int argc, char **argv)
{
	stack_t ss, old;

	t_init(argc, argv);
	alt = mmap(NULL, altsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_OK("sigaltstack_query_initial", sigaltstack(NULL, &old));
	CHECK("initial_disabled", old.ss_flags & SS_DISABLE);
	ss.ss_sp = alt;
	ss.ss_size = altsize;
	ss.ss_flags = 0;
	CHECK_OK("sigaltstack_set", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	CHECK("sigaltstack_query", old.ss_sp == alt && old.ss_size == altsize && old.ss_flags == 0);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK("handler_ran_on_altstack", on_alt);
	CHECK("ss_onstack_in_handler", ss_flags_in_handler & SS_ONSTACK);
	CHECK("change_while_on_it_eperm", eperm_in_handler);
	sigaltstack(NULL, &old);
	CHECK("not_onstack_after", !(old.ss_flags & SS_ONSTACK));

	/* Without SA_ONSTACK, the normal stack. */
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK("no_sa_onstack_normal_stack", !on_alt);

	/* Stack overflow: SIGSEGV handled on the alternate stack. */
	pid_t pid = t_fork();
	if (pid == 0) {
		struct sigaction s2;
		memset(&s2, 0, sizeof(s2));
		s2.sa_handler = on_segv;
		s2.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &s2, NULL);
		depth(0);
		_exit(2);
	}
	t_wait_ok("stack_overflow_handled_on_altstack", pid);
	/* Without an alternate stack the overflow kills. */
	pid = t_fork();
	if (pid == 0) {
		stack_t d = { .ss_flags = SS_DISABLE };
		sigaltstack(&d, NULL);
		struct sigaction s2;
		memset(&s2, 0, sizeof(s2));
		s2.sa_handler = on_segv;
		s2.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &s2, NULL);
		depth(0);
		_exit(2);
	}
	int st = t_wait(pid);
	CHECK("stack_overflow_without_altstack_kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);

	ss.ss_size = 512;
	CHECK_ERR("sigaltstack_small_enomem", sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = altsize;
	ss.ss_flags = 0x1234;
	CHECK_ERR("sigaltstack_bad_flags_einval", sigaltstack(&ss, NULL), EINVAL);
	CHECK_ERR("sigaltstack_efault", syscall(SYS_sigaltstack, T_KPTR, NULL), EFAULT);
	CHECK_ERR("sigaltstack_old_efault", syscall(SYS_sigaltstack, NULL, T_KPTR), EFAULT);
	ss.ss_flags = SS_DISABLE;
	CHECK_OK("sigaltstack_disable", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	CHECK("disabled", old.ss_flags & SS_DISABLE);
	/* The alternate stack is inherited by fork. */
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	pid = t_fork();
	if (pid == 0) {
		stack_t c;
		sigaltstack(NULL, &c);
		_exit(c.ss_sp == alt && !(c.ss_flags & SS_DISABLE) ? 0 : 1);
	}
	t_wait_ok("altstack_inherited_by_fork", pid);
	return t_done();
}
