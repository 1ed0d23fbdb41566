/* mmap/munmap: anonymous (zero-filled, private), private and shared file
 * mappings, MAP_FIXED replacing a mapping, MAP_FIXED_NOREPLACE (EEXIST),
 * address hints, partial munmap, mappings past EOF, and bad inputs
 * (EINVAL, EBADF, EACCES, ENOMEM). */
#include "t.h"
#include <sys/mman.h>

#define PG 4096L
/* The raw syscall: libc wrappers check some arguments themselves. */
#define raw_mmap(a, l, p, f, fd, o) ((void *)syscall(SYS_mmap, a, l, p, f, fd, o))

static void touch_read(void *p)
{
	(void)*(volatile char *)p;
}

static void test_anon(void)
{
	char *p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int zero = 1;

	CHECK("mmap_anon", p != MAP_FAILED);
	CHECK_EQ("mmap_page_aligned", (uintptr_t)p % PG, 0);
	for (long i = 0; i < 16 * PG; i++)
		if (p[i])
			zero = 0;
	CHECK("mmap_anon_zero_filled", zero);
	memset(p, 0x5a, 16 * PG);
	CHECK("mmap_anon_writable", p[16 * PG - 1] == 0x5a);
	CHECK_OK("munmap_middle", munmap(p + 4 * PG, 4 * PG));
	CHECK_EQ("munmap_hole_faults", t_catch(touch_read, p + 5 * PG), SIGSEGV);
	CHECK_EQ("munmap_hole_maperr", t_fault_info.si_code, SEGV_MAPERR);
	CHECK("munmap_hole_si_addr", t_fault_info.si_addr == p + 5 * PG);
	CHECK("munmap_keeps_rest", p[0] == 0x5a && p[8 * PG] == 0x5a);
	CHECK_OK("munmap_all_with_hole", munmap(p, 16 * PG));
	CHECK_OK("munmap_unmapped_ok", munmap(p, 16 * PG));
	CHECK_EQ("munmapped_faults", t_catch(touch_read, p), SIGSEGV);

	/* A big mapping is lazily allocated: touching a few pages works. */
	char *big = mmap(NULL, 64L << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap_64m", big != MAP_FAILED);
	if (big != MAP_FAILED) {
		big[0] = 1;
		big[(64L << 20) - 1] = 2;
		CHECK("mmap_64m_touch_ends", big[0] == 1 && big[(64L << 20) - 1] == 2);
		munmap(big, 64L << 20);
	}
	/* Length not a page multiple: rounded up. */
	char *q = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap_small_len", q != MAP_FAILED);
	q[PG - 1] = 1;
	CHECK_EQ("mmap_rounded_to_page", q[PG - 1], 1);
	munmap(q, 100);

	/* MAP_SHARED|MAP_ANONYMOUS works (shared across fork: see cow). */
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap_shared_anon", q != MAP_FAILED);
	munmap(q, PG);
}

static void test_fixed_hint(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 7, 8 * PG);
	char *q = mmap(p + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("map_fixed_at_address", q == p + 2 * PG);
	CHECK("map_fixed_replaces_with_zero", q[0] == 0 && q[2 * PG - 1] == 0);
	CHECK("map_fixed_keeps_neighbours", p[2 * PG - 1] == 7 && p[4 * PG] == 7);
	void *r = mmap(p + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	int e = errno;
	CHECK("map_fixed_noreplace_overlap_fails", r == MAP_FAILED);
	CHECK_EQ("map_fixed_noreplace_eexist", e, EEXIST);
	munmap(p + 6 * PG, 2 * PG);
	r = mmap(p + 6 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("map_fixed_noreplace_free_range", r == p + 6 * PG);
	CHECK("map_fixed_unaligned_einval",
	      mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED && errno == EINVAL);
	munmap(p, 8 * PG);

	/* A free, aligned hint is honoured (Linux does when the range is free). */
	void *hint = (void *)0x200000000000UL;
	r = mmap(hint, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap_hint_honoured", r == hint);
	/* An occupied hint gives another address, not a failure. */
	void *r2 = mmap(hint, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap_hint_taken_elsewhere", r2 != MAP_FAILED && r2 != hint);
	munmap(r2, PG);
	munmap(r, 4 * PG);
	/* An unaligned hint (without MAP_FIXED) is just a hint. */
	r = mmap((void *)0x200000000123UL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap_unaligned_hint_ok", r != MAP_FAILED && (uintptr_t)r % PG == 0);
	munmap(r, PG);
	/* A hint in the kernel half is ignored. */
	r = mmap(T_KPTR, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* (Below 2^47, or 2^56 with 5-level paging: QEMU's -cpu max has LA57.) */
	CHECK("mmap_kernel_hint_ignored", r != MAP_FAILED && (uintptr_t)r < (1UL << 56));
	munmap(r, PG);
	/* MAP_FIXED in the kernel half is refused. */
	CHECK("map_fixed_kernel_half_fails",
	      mmap(T_KPTR, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
		      (errno == ENOMEM || errno == EINVAL || errno == EPERM));
	CHECK_ERR("munmap_kernel_half_einval", munmap(T_KPTR, PG), EINVAL);
}

static void test_file(void)
{
	char data[3 * PG];
	int fd;

	for (int i = 0; i < (int)sizeof(data); i++)
		data[i] = 'a' + i % 26;
	t_write_file("mf", data, 2 * PG + 100);
	fd = open("mf", O_RDWR);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("mmap_private_file", p != MAP_FAILED);
	CHECK("mmap_private_file_content", memcmp(p, data, 2 * PG + 100) == 0);
	int zero = 1;
	for (long i = 2 * PG + 100; i < 3 * PG; i++)
		if (p[i])
			zero = 0;
	CHECK("mmap_past_eof_in_last_page_zero", zero);
	p[0] = 'Z';
	char c;
	pread(fd, &c, 1, 0);
	CHECK_EQ("mmap_private_write_not_in_file", c, 'a');
	munmap(p, 3 * PG);

	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK("mmap_file_offset", p != MAP_FAILED && p[0] == data[PG]);
	munmap(p, PG);
	CHECK("mmap_unaligned_offset_einval",
	      raw_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL);

	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("mmap_shared_file", p != MAP_FAILED);
	p[1] = 'Y';
	CHECK_OK("msync", msync(p, PG, MS_SYNC));
	pread(fd, &c, 1, 1);
	CHECK_EQ("mmap_shared_write_in_file", c, 'Y');
	pwrite(fd, "Q", 1, 2);
	CHECK_EQ("file_write_visible_in_shared_map", p[2], 'Q');
	munmap(p, PG);
	close(fd);

	fd = open("mf", O_RDONLY);
	CHECK("mmap_shared_write_on_rdonly_eacces",
	      mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("mmap_private_write_on_rdonly_ok", p != MAP_FAILED);
	munmap(p, PG);
	close(fd);
	fd = open("mf", O_WRONLY);
	CHECK("mmap_on_wronly_eacces", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EACCES);
	close(fd);
	CHECK("mmap_bad_fd_ebadf", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED && errno == EBADF);
	int pp[2];
	pipe(pp);
	CHECK("mmap_pipe_enodev", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pp[0], 0) == MAP_FAILED && errno == ENODEV);
	close(pp[0]);
	close(pp[1]);
}

static void test_bad(void)
{
	CHECK("mmap_zero_len_einval",
	      raw_mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK("mmap_no_type_einval", raw_mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK("mmap_both_types_einval",
	      raw_mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK("mmap_huge_len_enomem",
	      raw_mmap(NULL, 1UL << 60, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK("mmap_len_wraps_enomem",
	      raw_mmap(NULL, (size_t)-PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK_ERR("munmap_unaligned_einval", munmap((void *)0x10001, PG), EINVAL);
	CHECK_ERR("munmap_zero_len_einval", munmap((void *)0x10000, 0), EINVAL);
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	test_anon();
	test_fixed_hint();
	test_file();
	test_bad();
	return t_done();
}
