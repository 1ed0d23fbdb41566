/* Prints its argc, then each argument, then the environment, one per line:
 * "argc=N", "argv[i]=...", "env=...". Used by proc/exec to see what execve
 * and #! scripts pass. With the environment variable ARGV_EXIT=N it exits N. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env=%s\n", *e);
	fflush(stdout);
	const char *x = getenv("ARGV_EXIT");
	return x ? atoi(x) : 0;
}
