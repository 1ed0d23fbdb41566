/* The basic character devices, as every Linux program expects them:
 * /dev/null (reads EOF, swallows writes), /dev/zero (reads zeros, maps as
 * zeros), /dev/full (writes fail ENOSPC, reads zeros), /dev/urandom and
 * /dev/random (varying bytes); their types and numbers (1,3 1,5 1,7 1,9
 * 1,8); lseek on them; /dev/tty and /dev/console exist. */
#include "t.h"
#include <sys/mman.h>
#include <sys/sysmacros.h>

static void check_node(const char *path, unsigned maj, unsigned min)
{
	struct stat st;
	char n[64];

	snprintf(n, sizeof(n), "%s_is_chardev", path + 5);
	CHECK(n, stat(path, &st) == 0 && S_ISCHR(st.st_mode));
	snprintf(n, sizeof(n), "%s_rdev", path + 5);
	CHECK(n, major(st.st_rdev) == maj && minor(st.st_rdev) == min);
}

int main(int argc, char **argv)
{
	char buf[4096];
	int fd;

	t_init(argc, argv);
	check_node("/dev/null", 1, 3);
	check_node("/dev/zero", 1, 5);
	check_node("/dev/full", 1, 7);
	check_node("/dev/random", 1, 8);
	check_node("/dev/urandom", 1, 9);
	check_node("/dev/tty", 5, 0);
	check_node("/dev/console", 5, 1);

	fd = open("/dev/null", O_RDWR);
	CHECK("null_open", fd >= 0);
	CHECK_EQ("null_read_eof", read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ("null_write_all", write(fd, buf, sizeof(buf)), sizeof(buf));
	CHECK_OK("null_lseek", lseek(fd, 100, SEEK_SET));
	close(fd);

	fd = open("/dev/zero", O_RDWR);
	memset(buf, 1, sizeof(buf));
	CHECK_EQ("zero_read", read(fd, buf, sizeof(buf)), sizeof(buf));
	int nz = 0;
	for (unsigned i = 0; i < sizeof(buf); i++)
		nz += buf[i] != 0;
	CHECK_EQ("zero_reads_zeros", nz, 0);
	CHECK_EQ("zero_write", write(fd, buf, 10), 10);
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("zero_mmap", m != MAP_FAILED && m[0] == 0 && m[8191] == 0);
	if (m != MAP_FAILED) {
		m[5] = 3;
		munmap(m, 8192);
	}
	close(fd);

	fd = open("/dev/full", O_RDWR);
	CHECK_ERR("full_write_enospc", write(fd, "x", 1), ENOSPC);
	memset(buf, 1, 16);
	CHECK_EQ("full_read", read(fd, buf, 16), 16);
	CHECK("full_reads_zeros", buf[0] == 0 && buf[15] == 0);
	close(fd);

	unsigned char a[32], b[32];
	fd = open("/dev/urandom", O_RDONLY);
	CHECK_EQ("urandom_read", read(fd, a, sizeof(a)), sizeof(a));
	read(fd, b, sizeof(b));
	CHECK("urandom_varies", memcmp(a, b, sizeof(a)) != 0);
	CHECK_EQ("urandom_write_accepted", write(open("/dev/urandom", O_WRONLY), "seed", 4), 4);
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	CHECK_EQ("random_read", read(fd, a, sizeof(a)), sizeof(a));
	close(fd);
	return t_done();
}
