/*
 * ELF64 executables for x86-64: the file structures (System V gABI, x86-64
 * psABI) and pure validation of an ELF header and its program headers, done
 * before anything is mapped. No I/O, no allocation: host-tested.
 */
#ifndef SABLE_LIB_ELF_H
#define SABLE_LIB_ELF_H

#include "lib/types.h"

#define EI_NIDENT 16
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62

#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_EH_FRAME 0x6474e550
#define PT_GNU_STACK 0x6474e551
#define PT_GNU_RELRO 0x6474e552
#define PT_GNU_PROPERTY 0x6474e553

#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

#define ELF_PAGE_SIZE 4096UL
/* Linux reads at most 64 KiB of program headers. */
#define ELF_MAX_PHDR_BYTES 65536UL
#define ELF_MAX_PHNUM (ELF_MAX_PHDR_BYTES / sizeof(struct elf64_phdr))
/* The interpreter path, NUL included, fits PATH_MAX. */
#define ELF_INTERP_MAX 4096UL
/* Segments must fit below the top of x86-64 user space. */
#define ELF_VADDR_LIMIT 0x00007ffffffff000UL
/* For elf_check_phdrs when the file's size is not known. */
#define ELF_SIZE_UNKNOWN (~0ULL)

/* What elf_check_phdrs learnt; addresses are as in the file (no load bias). */
struct elf_info {
	u16 type;           /* ET_EXEC or ET_DYN */
	u16 phnum;
	unsigned int nr_load;
	u64 load_lo;        /* lowest PT_LOAD address, page-aligned down */
	u64 load_hi;        /* end of the highest PT_LOAD, page-aligned up */
	u64 max_align;      /* largest PT_LOAD p_align, at least a page */
	int interp;         /* index of PT_INTERP, or -1 */
	u64 phdr_vaddr;     /* the program headers in memory (PT_PHDR, or the
			     * PT_LOAD holding e_phoff) */
	bool exec_stack;    /* PT_GNU_STACK asks for an executable stack */
};

/*
 * Checks the ELF header: magic, 64-bit little-endian x86-64, ET_EXEC or
 * ET_DYN, program-header entry size, count (1..ELF_MAX_PHNUM) and table
 * bounds. 0 or -ENOEXEC.
 */
int elf_check_header(const struct elf64_ehdr *eh);

/*
 * Checks the program headers (eh->e_phnum of them, already read) against a
 * file of file_size bytes (ELF_SIZE_UNKNOWN if not known) and fills *info.
 * PT_LOADs: p_filesz <= p_memsz, file and memory ranges without overflow,
 * p_align 0/1 or a power of two, p_offset and p_vaddr equal modulo the page
 * size, ascending by address without overlap, all below ELF_VADDR_LIMIT; at
 * least one. At most one PT_INTERP (2..ELF_INTERP_MAX bytes) and one
 * PT_PHDR. 0 or -ENOEXEC.
 */
int elf_check_phdrs(const struct elf64_ehdr *eh, const struct elf64_phdr *ph,
		    u64 file_size, struct elf_info *info);

/* Checks the bytes of PT_INTERP: a non-empty path ending in its NUL. */
int elf_check_interp(const char *path, u64 len);

/* mmap protection (VM_READ 1, VM_WRITE 2, VM_EXEC 4) for p_flags. */
unsigned int elf_prot(u32 p_flags);

#endif
