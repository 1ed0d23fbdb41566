/* 200 processes (T_FORKMANY_N) forked at once, all alive together (each
 * waits on a pipe until the parent releases them all), then reaped with
 * their exit statuses checked; no child left behind. */
#include "t.h"

int main(int argc, char **argv)
{
	t_init(argc, argv);
	int n = (int)t_env_long("T_FORKMANY_N", 200);
	pid_t *pids = calloc(n, sizeof(pid_t));
	int go[2], ready[2];

	pipe(go);
	pipe(ready);
	int forked = 0;
	for (int i = 0; i < n; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			char c;
			close(go[1]);
			write(ready[1], "r", 1);
			read(go[0], &c, 1); /* EOF when the parent closes go[1] */
			_exit(i % 256);
		}
		if (pids[i] < 0)
			break;
		forked++;
	}
	CHECK_EQ("forked_all", forked, n);
	close(ready[1]);
	int readies = 0;
	char c;
	while (readies < forked && read(ready[0], &c, 1) == 1)
		readies++;
	CHECK_EQ("all_alive_at_once", readies, forked);
	close(go[1]);
	int ok = 0;
	for (int i = 0; i < forked; i++) {
		int st = t_wait(pids[i]);
		if (WIFEXITED(st) && WEXITSTATUS(st) == i % 256)
			ok++;
	}
	CHECK_EQ("all_reaped_with_status", ok, forked);
	CHECK_ERR("no_child_left", wait(NULL), ECHILD);
	t_note("%d processes", n);
	return t_done();
}
