/* Copy-on-write after fork: private memory (data, bss, heap, stack, private
 * anonymous mappings, a private file mapping) is copied, each side sees only
 * its own writes; MAP_SHARED memory is shared; vfork shares everything until
 * the child execs or exits. Many pages, several generations. */
#include "t.h"
#include <sys/mman.h>

#define PG 4096L
#define NPAGES 256 /* 1 MiB */

static int data_var = 11;
static int bss_var;

int main(int argc, char **argv)
{
	t_init(argc, argv);
	char *priv = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int *shared = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *heap = malloc(100000);
	volatile int stack_var = 5;

	for (long i = 0; i < NPAGES; i++)
		priv[i * PG] = 'P';
	memset(heap, 'H', 100000);
	bss_var = 22;
	shared[0] = 0;

	pid_t pid = t_fork();
	if (pid == 0) {
		/* The child sees the parent's values... */
		int ok = data_var == 11 && bss_var == 22 && stack_var == 5 && heap[99999] == 'H' &&
			 priv[(NPAGES - 1) * PG] == 'P';
		/* ...and writes its own. */
		data_var = 111;
		bss_var = 222;
		stack_var = 555;
		memset(heap, 'h', 100000);
		for (long i = 0; i < NPAGES; i++)
			priv[i * PG] = 'c';
		shared[0] = 42;
		shared[1] = ok;
		_exit(data_var == 111 && priv[PG] == 'c' ? 0 : 1);
	}
	t_wait_ok("child_wrote_its_copy", pid);
	CHECK_EQ("child_saw_parent_values", shared[1], 1);
	CHECK_EQ("data_not_changed_by_child", data_var, 11);
	CHECK_EQ("bss_not_changed_by_child", bss_var, 22);
	CHECK_EQ("stack_not_changed_by_child", stack_var, 5);
	CHECK("heap_not_changed_by_child", heap[0] == 'H' && heap[99999] == 'H');
	int all = 1;
	for (long i = 0; i < NPAGES; i++)
		if (priv[i * PG] != 'P')
			all = 0;
	CHECK("private_map_not_changed_by_child", all);
	CHECK_EQ("shared_map_changed_by_child", shared[0], 42);

	/* Parent writes after fork are not seen by the child. */
	shared[0] = 0;
	int pfd[2];
	pipe(pfd);
	pid = t_fork();
	if (pid == 0) {
		char c;
		close(pfd[1]);
		read(pfd[0], &c, 1); /* wait for the parent's write */
		shared[0] = (data_var == 11 && priv[0] == 'P') ? 1 : 2;
		_exit(0);
	}
	close(pfd[0]);
	data_var = 99;
	priv[0] = 'X';
	write(pfd[1], "g", 1);
	close(pfd[1]);
	t_wait(pid);
	CHECK_EQ("child_does_not_see_parent_writes", shared[0], 1);
	data_var = 11;
	priv[0] = 'P';

	/* Three generations, each writing: every level keeps its own copy. */
	pid = t_fork();
	if (pid == 0) {
		priv[0] = '1';
		pid_t g = t_fork();
		if (g == 0) {
			int ok = priv[0] == '1';
			priv[0] = '2';
			pid_t gg = t_fork();
			if (gg == 0) {
				int ok2 = priv[0] == '2';
				priv[0] = '3';
				_exit(ok2 ? 0 : 1);
			}
			int st = t_wait(gg);
			_exit(ok && WIFEXITED(st) && WEXITSTATUS(st) == 0 && priv[0] == '2' ? 0 : 1);
		}
		int st = t_wait(g);
		_exit(WIFEXITED(st) && WEXITSTATUS(st) == 0 && priv[0] == '1' ? 0 : 1);
	}
	t_wait_ok("cow_three_generations", pid);
	CHECK_EQ("cow_parent_after_generations", priv[0], 'P');

	/* A private file mapping is copied on write too. */
	t_write_file("cf", "filedata", 8);
	int fd = open("cf", O_RDWR);
	char *fm = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	pid = t_fork();
	if (pid == 0) {
		fm[0] = 'F';
		_exit(fm[0] == 'F' ? 0 : 1);
	}
	t_wait_ok("private_file_map_child_write", pid);
	CHECK_EQ("private_file_map_parent_unchanged", fm[0], 'f');
	char *fs = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pid = t_fork();
	if (pid == 0) {
		fs[1] = 'I';
		_exit(0);
	}
	t_wait(pid);
	CHECK_EQ("shared_file_map_child_write_seen", fs[1], 'I');
	munmap(fm, PG);
	munmap(fs, PG);
	close(fd);

	/* vfork: the child runs in the parent's memory; the parent waits. */
	volatile int vf = 0;
	pid = vfork();
	if (pid == 0) {
		vf = 7;
		_exit(0);
	}
	CHECK_EQ("vfork_child_wrote_parent_memory", vf, 7);
	CHECK("vfork_child_reaped", t_wait(pid) != -1);

	/* Write-protected pages stay protected in the child after fork. */
	mprotect(priv, PG, PROT_READ);
	pid = t_fork();
	if (pid == 0) {
		priv[0] = 1;
		_exit(0);
	}
	int st = t_wait(pid);
	CHECK("readonly_stays_readonly_in_child", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	CHECK_EQ("readonly_page_content", priv[0], 'P');
	return t_done();
}
