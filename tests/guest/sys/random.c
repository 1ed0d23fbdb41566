/* getrandom: flags 0, GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE; bytes vary
 * between calls; zero length; large requests (may be short, never over);
 * EINVAL for unknown flags and NONBLOCK|INSECURE... EFAULT for bad buffers. */
#include "t.h"
#include <sys/random.h>

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif

int main(int argc, char **argv)
{
	unsigned char a[64], b[64];
	static unsigned char big[1 << 20];

	t_init(argc, argv);
	CHECK_EQ("getrandom_64", getrandom(a, sizeof(a), 0), 64);
	CHECK_EQ("getrandom_64_again", getrandom(b, sizeof(b), 0), 64);
	CHECK("getrandom_differs", memcmp(a, b, sizeof(a)) != 0);
	int zeros = 0;
	for (int i = 0; i < 64; i++)
		zeros += a[i] == 0;
	CHECK("getrandom_not_all_zero", zeros < 16);
	CHECK_EQ("getrandom_nonblock", getrandom(a, 32, GRND_NONBLOCK), 32);
	long r = getrandom(a, 32, GRND_RANDOM);
	CHECK("getrandom_random", r > 0 && r <= 32);
	CHECK_EQ("getrandom_insecure", syscall(SYS_getrandom, a, 16, GRND_INSECURE), 16);
	CHECK_EQ("getrandom_zero_len", getrandom(a, 0, 0), 0);
	r = getrandom(big, sizeof(big), 0);
	CHECK("getrandom_1m_not_over", r > 0 && r <= (long)sizeof(big));
	t_note("getrandom(1 MiB) returned %ld", r);
	CHECK_ERR("getrandom_bad_flags_einval", syscall(SYS_getrandom, a, 16, 0x100), EINVAL);
	CHECK_ERR("getrandom_insecure_random_einval", syscall(SYS_getrandom, a, 16, GRND_INSECURE | GRND_RANDOM), EINVAL);
	CHECK_ERR("getrandom_null_efault", syscall(SYS_getrandom, NULL, 16, 0), EFAULT);
	CHECK_ERR("getrandom_kernel_efault", syscall(SYS_getrandom, T_KPTR, 16, 0), EFAULT);
	return t_done();
}
