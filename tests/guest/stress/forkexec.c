/* T_FORKEXEC_N (default 10000) rounds of fork + execve of a tiny static
 * program + wait, each checked; free memory (sysinfo freeram, or MemFree
 * from /proc/meminfo if sysinfo has none) before and after must not drop more
 * than T_LEAK_TOLERANCE_KB (default 8192 KiB: under one page per round at
 * the default count) -- a leak check: the rounds run in 10 batches and the
 * median batch's drop counts (noise on a shared host hits one batch; a leak
 * hits all), and a failing measurement is retried up to twice. A warm-up of
 * 100 rounds comes first. Prints the rate. */
#include "t.h"
#include <sys/sysinfo.h>

static long long freeram_kb(void)
{
	struct sysinfo si;
	if (sysinfo(&si))
		return -1;
	return (long long)si.freeram * si.mem_unit / 1024;
}

static long long memfree_kb(void)
{
	char buf[4096];
	ssize_t n = t_read_file("/proc/meminfo", buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "MemFree:");
	return p ? atoll(p + 8) : -1;
}

static int rounds(const char *path, long n)
{
	int bad = 0;
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			char *argv[] = { "true", NULL };
			char *envp[] = { NULL };
			execve(path, argv, envp);
			_exit(127);
		}
		if (pid < 0) {
			bad++;
			continue;
		}
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	return bad;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* One measured run: BATCHES batches of n/BATCHES rounds; the free memory
 * drop of each batch is recorded and the median times BATCHES is the
 * estimated leak (a leak shows in every batch; another process's
 * allocation on a shared host shows in one). */
#define BATCHES 10
static long long measure(const char *path, long n, int *bad, long long *ms, long long (*probe)(void),
			 long long *first, long long *last)
{
	long long drops[BATCHES], before = probe(), t0 = t_now_ns(CLOCK_MONOTONIC);
	*first = before;
	for (int b = 0; b < BATCHES; b++) {
		*bad += rounds(path, n / BATCHES + (b < n % BATCHES));
		long long now = probe();
		drops[b] = before - now;
		before = now;
		/* Progress (the runner shows it even if the program is killed). */
		t_note("batch %d/%d done, %lld ms, free %lld KiB", b + 1, BATCHES,
		       (t_now_ns(CLOCK_MONOTONIC) - t0) / 1000000, now);
	}
	*last = before;
	*ms = (t_now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
	qsort(drops, BATCHES, sizeof(drops[0]), cmp_ll);
	return (drops[BATCHES / 2 - 1] + drops[BATCHES / 2]) / 2 * BATCHES;
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	long n = t_env_long("T_FORKEXEC_N", 10000);
	long tol = t_env_long("T_LEAK_TOLERANCE_KB", 8192);
	const char *path = t_helper("true");
	int bad = 0;
	long long ms, leak = 0, f0, f1;

	CHECK_EQ("warmup_rounds_ok", rounds(path, 100), 0);
	long long (*probe)(void) = freeram_kb;
	if (freeram_kb() <= 0) {
		t_note("sysinfo gives no freeram: using /proc/meminfo MemFree");
		probe = memfree_kb;
	}
	CHECK("free_memory_readable", probe() > 0);
	/* Up to three measured runs: a real leak fails all three. */
	for (int attempt = 1; attempt <= 3; attempt++) {
		leak = measure(path, n, &bad, &ms, probe, &f0, &f1);
		t_note("run %d: %ld fork+exec+wait in %lld ms (%lld us each); freeram %lld -> %lld KiB, "
		       "estimated leak %lld KiB", attempt, n, ms, n ? ms * 1000 / n : 0, f0, f1, leak);
		if (leak <= tol || bad)
			break;
	}
	CHECK_EQ("all_rounds_ok", bad, 0);
	if (leak > tol)
		t_fail("no_leak_freeram", "free memory fell by about %lld KiB per %ld rounds (tolerance %ld KiB)", leak, n, tol);
	else
		t_pass("no_leak_freeram");
	CHECK_ERR("no_child_left", wait(NULL), ECHILD);
	return t_done();
}
