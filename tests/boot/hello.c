/* The smallest init: says hello through the console and powers off. */
#include <stdio.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello from %s as pid %d\n", argc > 0 ? argv[0] : "?", getpid());
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 1;
}
