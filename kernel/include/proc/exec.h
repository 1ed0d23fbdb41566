/*
 * Program loading for execve: mapping an ELF executable (or its
 * interpreter) into a new address space, and building the initial stack
 * the System V x86-64 ABI prescribes (3.4.1: argc, argv, envp, auxv).
 *
 * execve does, on a fresh mm (mm_create, mm_set_layout):
 *	elf_load(mm, file, 0, &prog);
 *	if (prog.interp) elf_load(mm, interp_file, ELF_LOAD_ANYWHERE, &interp);
 *	mm_set_brk_base(mm, prog.brk);
 *	exec_setup_stack(mm, &params, &stack);   (auxv from prog and interp)
 * then switches to mm and enters user mode at interp.entry (or prog.entry)
 * with rsp = stack.sp.
 */
#ifndef SABLE_PROC_EXEC_H
#define SABLE_PROC_EXEC_H

#include "lib/types.h"

struct file;
struct mm;
struct mm_file_ops;

/* Where a position-independent program goes without a hint (Linux's
 * ELF_ET_DYN_BASE with randomisation off). */
#define ELF_ET_DYN_BASE 0x555555554000UL
/* load_bias_hint for an interpreter: wherever mmap would put it. */
#define ELF_LOAD_ANYWHERE (~0UL)

struct elf_load_info {
	unsigned long entry;      /* e_entry + load_bias (AT_ENTRY for a program) */
	unsigned long load_bias;  /* added to every p_vaddr; 0 for ET_EXEC */
	unsigned long load_addr;  /* the lowest mapped address: AT_BASE of an interpreter */
	unsigned long phdr;       /* AT_PHDR */
	unsigned int phent;       /* AT_PHENT */
	unsigned int phnum;       /* AT_PHNUM */
	unsigned long brk;        /* end of the highest segment, page-aligned */
	unsigned long start_code, end_code, start_data, end_data;
	bool exec_stack;          /* PT_GNU_STACK asks for an executable stack */
	char *interp;             /* PT_INTERP path (kmalloc'd; elf_load_info_release), or NULL */
};

/*
 * Maps the ELF executable f into mm: each PT_LOAD as a private file mapping
 * with its own protection, the tail of its last file page zeroed and bss as
 * anonymous memory. ET_EXEC goes at its addresses; ET_DYN at
 * load_bias_hint (0: ELF_ET_DYN_BASE; ELF_LOAD_ANYWHERE: top-down like
 * mmap), elsewhere if that is taken. Returns 0, -ENOEXEC (not a valid
 * x86-64 ELF executable), -ENOMEM, -EEXIST (ET_EXEC over existing
 * mappings), -EIO or -EFAULT (read failures). On failure, what was mapped
 * stays in mm (execve throws the mm away).
 */
int elf_load(struct mm *mm, struct file *f, unsigned long load_bias_hint,
	     struct elf_load_info *out);
/* elf_load reading through fops (tests and images in memory: mm/memfile.h). */
int elf_load_ops(struct mm *mm, struct file *f, const struct mm_file_ops *fops,
		 unsigned long load_bias_hint, struct elf_load_info *out);
/* Frees what elf_load allocated in info (the interpreter path). */
void elf_load_info_release(struct elf_load_info *info);

/* Auxiliary vector types (System V ABI, Linux's additions). */
#define AT_NULL 0
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_NOTELF 10
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_BASE_PLATFORM 24
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31
#define AT_SYSINFO_EHDR 33
#define AT_MINSIGSTKSZ 51

struct auxv_entry {
	u64 type;
	u64 val;
};

/* Linux's limits on exec arguments (fs/exec.c, include/uapi/linux/binfmts.h). */
#define MAX_ARG_STRLEN (32 * PAGE_SIZE) /* one string, NUL included */
#define ARG_MAX_MIN (32 * PAGE_SIZE)    /* the strings may always take this much */
#define EXEC_STACK_EXPAND (128UL << 10) /* room made below the arguments at exec */

struct exec_stack_params {
	unsigned long stack_top;   /* the stack's end (mm->stack_top) */
	u64 stack_limit;           /* RLIMIT_STACK */
	bool exec_stack;           /* map it executable (elf_load_info.exec_stack) */
	char *const *argv;         /* kernel copies of the strings */
	int argc;
	char *const *envp;
	int envc;
	const struct auxv_entry *auxv; /* without AT_NULL, AT_RANDOM, AT_EXECFN,
					* AT_PLATFORM: those are added here */
	int nauxv;
	const void *random16;      /* 16 random bytes for AT_RANDOM */
	const char *execfn;        /* AT_EXECFN (the path given to execve), or NULL */
	const char *platform;      /* AT_PLATFORM ("x86_64"), or NULL */
};

struct exec_stack_info {
	unsigned long sp;          /* rsp at entry: 16-byte aligned, points at argc */
	unsigned long argv, envp, auxv; /* the three arrays */
	unsigned long arg_start, arg_end, env_start, env_end; /* the strings */
	unsigned long execfn;      /* AT_EXECFN's string */
};

/*
 * Maps the stack (a grows-down VMA ending at stack_top) and lays out, from
 * the top: an end marker, execfn, the environment and argument strings,
 * platform, the AT_RANDOM bytes, then auxv, envp, argv and argc. Returns 0,
 * -E2BIG when the strings pass Linux's limits (one string over
 * MAX_ARG_STRLEN; all of them, with their pointers, over a quarter of the
 * stack limit but at least ARG_MAX_MIN), -ENOMEM, -EFAULT.
 */
int exec_setup_stack(struct mm *mm, const struct exec_stack_params *params,
		     struct exec_stack_info *out);

#endif
