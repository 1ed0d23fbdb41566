/* The tiny static program bench's fork+execve test runs: exits at once. */
#include <unistd.h>

int main(void)
{
	_exit(0);
}
