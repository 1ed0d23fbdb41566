/* brk (raw syscall: the current break, growing, shrinking, refusals),
 * madvise(MADV_DONTNEED) on anonymous and private file mappings, and the
 * stack growing downwards on demand (several MiB of recursion). */
#include "t.h"
#include <sys/mman.h>
#include <sys/resource.h>

#define PG 4096L

static void touch(void *p)
{
	*(volatile char *)p = 1;
}

static void test_brk(void)
{
	char *b0 = (char *)syscall(SYS_brk, 0);

	CHECK("brk_query", b0 != NULL && (long)b0 > 0);
	CHECK_EQ("brk_query_stable", syscall(SYS_brk, 0), (long)b0);
	char *want = b0 + 64 * PG;
	CHECK_EQ("brk_grow", syscall(SYS_brk, want), (long)want);
	/* The new area is zeroed and writable up to the break. */
	int zero = 1;
	for (char *q = b0; q < want; q += 512)
		if (*q)
			zero = 0;
	CHECK("brk_grown_zero", zero);
	memset(b0, 0x33, 64 * PG);
	CHECK("brk_grown_writable", want[-1] == 0x33);
	/* Unaligned break: the page containing it is usable. */
	CHECK_EQ("brk_unaligned", syscall(SYS_brk, want + 10), (long)(want + 10));
	want[10] = 1;
	CHECK_EQ("brk_shrink", syscall(SYS_brk, b0 + PG), (long)(b0 + PG));
	CHECK_EQ("brk_shrunk_unmapped", t_catch(touch, b0 + 8 * PG), SIGSEGV);
	/* Growing again gives zeroed memory (not the old contents). */
	syscall(SYS_brk, b0 + 16 * PG);
	CHECK_EQ("brk_regrown_zero", b0[8 * PG], 0);
	/* Refusals return the old break, not an error. */
	long cur = syscall(SYS_brk, 0);
	CHECK_EQ("brk_below_start_refused", syscall(SYS_brk, b0 - (64L << 20)), cur);
	CHECK_EQ("brk_kernel_refused", syscall(SYS_brk, T_KPTR), cur);
	/* Growing into an existing mapping is refused. */
	char *blocker = mmap(b0 + 32 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (blocker == b0 + 32 * PG) {
		CHECK_EQ("brk_into_mapping_refused", syscall(SYS_brk, b0 + 40 * PG), cur);
		munmap(blocker, PG);
	} else {
		t_fail("brk_into_mapping_refused", "could not map after the break");
	}
	syscall(SYS_brk, b0);
	/* sbrk/malloc still work (musl and glibc use brk or mmap). */
	void *m = malloc(1 << 20);
	CHECK("malloc_1m", m != NULL);
	memset(m, 1, 1 << 20);
	free(m);
}

static void test_madvise(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(p, 0x44, 8 * PG);
	CHECK_OK("madvise_dontneed", madvise(p + 2 * PG, 2 * PG, MADV_DONTNEED));
	CHECK("madvise_dontneed_anon_zero", p[2 * PG] == 0 && p[4 * PG - 1] == 0);
	CHECK("madvise_dontneed_keeps_others", p[PG] == 0x44 && p[4 * PG] == 0x44);
	CHECK_OK("madvise_willneed", madvise(p, 8 * PG, MADV_WILLNEED));
	CHECK_OK("madvise_normal", madvise(p, 8 * PG, MADV_NORMAL));
	CHECK_ERR("madvise_unaligned_einval", madvise(p + 1, PG, MADV_DONTNEED), EINVAL);
	CHECK_ERR("madvise_bad_advice_einval", madvise(p, PG, 12345), EINVAL);
	munmap(p, 8 * PG);
	CHECK_ERR("madvise_unmapped_enomem", madvise(p, PG, MADV_DONTNEED), ENOMEM);

	char data[2 * PG];
	memset(data, 'f', sizeof(data));
	t_write_file("madv", data, sizeof(data));
	int fd = open("madv", O_RDONLY);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[0] = 'x';
	madvise(p, 2 * PG, MADV_DONTNEED);
	CHECK_EQ("madvise_dontneed_private_file_reverts", p[0], 'f');
	munmap(p, 2 * PG);
	close(fd);
}

static long depth_reached;

static __attribute__((noinline)) long recurse(int n, volatile char *prev)
{
	volatile char frame[8192];

	frame[0] = (char)n;
	frame[8191] = (char)n;
	depth_reached = n;
	if (n == 0)
		return (long)(prev - frame);
	return recurse(n - 1, frame) + frame[0] - (char)n;
}

static void test_stack(void)
{
	struct rlimit rl;

	getrlimit(RLIMIT_STACK, &rl);
	t_note("RLIMIT_STACK soft %ld", (long)rl.rlim_cur);
	CHECK("stack_rlimit_at_least_4m", rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (4UL << 20));
	/* About 3 MiB of stack, one 8 KiB frame at a time. */
	pid_t pid = t_fork();
	if (pid == 0) {
		recurse(384, NULL);
		_exit(depth_reached == 0 ? 0 : 1);
	}
	int st = t_wait(pid);
	CHECK("stack_grows_3m", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* One big frame: 1 MiB at once below the stack pointer. */
	pid = t_fork();
	if (pid == 0) {
		volatile char *big = alloca(1 << 20);
		big[0] = 1;
		big[(1 << 20) - 1] = 2;
		_exit(big[0] + big[(1 << 20) - 1] == 3 ? 0 : 1);
	}
	st = t_wait(pid);
	CHECK("stack_big_frame", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Past RLIMIT_STACK: SIGSEGV. */
	pid = t_fork();
	if (pid == 0) {
		struct rlimit small = { 1 << 20, 1 << 20 };
		setrlimit(RLIMIT_STACK, &small);
		recurse(1000, NULL); /* 8 MiB */
		_exit(0);
	}
	st = t_wait(pid);
	CHECK("stack_past_rlimit_sigsegv", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_brk();
	test_madvise();
	test_stack();
	return t_done();
}
