/* mprotect and the faults it causes, caught with SA_SIGINFO handlers:
 * SIGSEGV with si_code SEGV_ACCERR (a mapped page without the access) vs
 * SEGV_MAPERR (nothing mapped), si_addr the faulting byte; PROT_NONE,
 * read-only, non-executable pages; mprotect's errors (EINVAL, ENOMEM,
 * EACCES). Also SIGBUS past the end of a file mapping. */
#include "t.h"
#include <sys/mman.h>

#define PG 4096L

static void do_read(void *p)
{
	(void)*(volatile char *)p;
}

static void do_write(void *p)
{
	*(volatile char *)p = 1;
}

static void do_exec(void *p)
{
	((void (*)(void))p)();
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 1, 4 * PG);

	CHECK_OK("mprotect_read_only", mprotect(p + PG, PG, PROT_READ));
	CHECK_EQ("read_only_read_ok", t_catch(do_read, p + PG), 0);
	CHECK_EQ("read_only_write_sigsegv", t_catch(do_write, p + PG + 123), SIGSEGV);
	CHECK_EQ("read_only_write_accerr", t_fault_info.si_code, SEGV_ACCERR);
	CHECK("read_only_write_si_addr", t_fault_info.si_addr == p + PG + 123);
	CHECK_EQ("read_only_si_signo", t_fault_info.si_signo, SIGSEGV);
	CHECK_EQ("neighbour_still_writable", t_catch(do_write, p + 2 * PG), 0);

	CHECK_OK("mprotect_none", mprotect(p + 2 * PG, PG, PROT_NONE));
	CHECK_EQ("prot_none_read_sigsegv", t_catch(do_read, p + 2 * PG + 8), SIGSEGV);
	CHECK_EQ("prot_none_accerr", t_fault_info.si_code, SEGV_ACCERR);
	CHECK("prot_none_si_addr", t_fault_info.si_addr == p + 2 * PG + 8);
	CHECK_OK("mprotect_back_rw", mprotect(p + 2 * PG, PG, PROT_READ | PROT_WRITE));
	CHECK("data_kept_across_prot_none", p[2 * PG] == 1);
	CHECK_EQ("rw_again_write_ok", t_catch(do_write, p + 2 * PG), 0);

	/* Execute: a page with "ret" is callable only with PROT_EXEC (NX). */
	unsigned char *code = (unsigned char *)p + 3 * PG;
	code[0] = 0xc3; /* ret */
	CHECK_EQ("exec_without_prot_exec_sigsegv", t_catch(do_exec, code), SIGSEGV);
	CHECK_EQ("exec_nx_accerr", t_fault_info.si_code, SEGV_ACCERR);
	CHECK("exec_nx_si_addr", t_fault_info.si_addr == code);
	CHECK_OK("mprotect_exec", mprotect(code, PG, PROT_READ | PROT_EXEC));
	CHECK_EQ("exec_with_prot_exec_ok", t_catch(do_exec, code), 0);

	/* Unmapped memory: SEGV_MAPERR. */
	munmap(p, PG);
	CHECK_EQ("unmapped_read_sigsegv", t_catch(do_read, p + 7), SIGSEGV);
	CHECK_EQ("unmapped_maperr", t_fault_info.si_code, SEGV_MAPERR);
	CHECK("unmapped_si_addr", t_fault_info.si_addr == p + 7);
	CHECK_EQ("null_read_sigsegv", t_catch(do_read, NULL), SIGSEGV);
	CHECK_EQ("null_maperr", t_fault_info.si_code, SEGV_MAPERR);
	CHECK("null_si_addr", t_fault_info.si_addr == NULL);
	CHECK_EQ("kernel_read_sigsegv", t_catch(do_read, T_KPTR), SIGSEGV);
	CHECK_EQ("kernel_write_sigsegv", t_catch(do_write, T_KTOP), SIGSEGV);
	/* Text is not writable. */
	CHECK_EQ("write_text_sigsegv", t_catch(do_write, (void *)main), SIGSEGV);
	CHECK_EQ("write_text_accerr", t_fault_info.si_code, SEGV_ACCERR);

	/* mprotect errors. */
	CHECK_ERR("mprotect_unaligned_einval", syscall(SYS_mprotect, p + PG + 1, PG, PROT_READ), EINVAL);
	CHECK_ERR("mprotect_unmapped_enomem", mprotect(p, PG, PROT_READ), ENOMEM);
	CHECK_ERR("mprotect_bad_prot_einval", mprotect(p + PG, PG, 0x100), EINVAL);
	CHECK_ERR("mprotect_kernel_enomem", mprotect(T_KPTR, PG, PROT_READ), ENOMEM);
	t_write_file("ro", "abc", 3);
	int fd = open("ro", O_RDONLY);
	char *f = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK_ERR("mprotect_write_shared_rdonly_file_eacces", mprotect(f, PG, PROT_READ | PROT_WRITE), EACCES);
	munmap(f, PG);

	/* Past the end of the file (beyond its last page): SIGBUS BUS_ADRERR. */
	f = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK_EQ("file_map_in_eof_page_ok", t_catch(do_read, f + 100), 0);
	CHECK_EQ("file_map_past_eof_sigbus", t_catch(do_read, f + 2 * PG), SIGBUS);
	CHECK_EQ("file_map_past_eof_adrerr", t_fault_info.si_code, BUS_ADRERR);
	CHECK("file_map_past_eof_si_addr", t_fault_info.si_addr == f + 2 * PG);
	munmap(f, 3 * PG);
	close(fd);

	/* A fault in a child without a handler kills it with SIGSEGV. */
	pid_t pid = t_fork();
	if (pid == 0) {
		*(volatile int *)(p + PG) = 5; /* read-only page */
		_exit(0);
	}
	int st = t_wait(pid);
	CHECK("unhandled_fault_kills_child", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	return t_done();
}
