/*
 * ELF64 validation (see lib/elf.h). Everything comes from a file a user
 * chose, so every sum is checked for overflow before it is trusted.
 */
#include "lib/elf.h"
#include "lib/errno.h"

static const u8 elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

int elf_check_header(const struct elf64_ehdr *eh)
{
	u64 table;

	for (int i = 0; i < 4; i++) {
		if (eh->e_ident[i] != elf_magic[i])
			return -ENOEXEC;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return -ENOEXEC;
	if (eh->e_phnum < 1 || eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	table = (u64)eh->e_phnum * sizeof(struct elf64_phdr);
	if (eh->e_phoff > ~0ULL - table)
		return -ENOEXEC;
	return 0;
}

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

/* Checks one PT_LOAD; prev_end is where the previous one ended in memory. */
static int check_load(const struct elf64_phdr *p, u64 file_size, u64 prev_end)
{
	if (p->p_filesz > p->p_memsz)
		return -ENOEXEC;
	if (p->p_offset > ~0ULL - p->p_filesz || p->p_offset + p->p_filesz > file_size)
		return -ENOEXEC;
	if (p->p_vaddr > ELF_VADDR_LIMIT || p->p_memsz > ELF_VADDR_LIMIT - p->p_vaddr)
		return -ENOEXEC;
	if (p->p_align > 1 && !is_pow2(p->p_align))
		return -ENOEXEC;
	/* mmap maps whole pages: the file offset and the address must agree
	 * within a page. */
	if ((p->p_offset ^ p->p_vaddr) & (ELF_PAGE_SIZE - 1))
		return -ENOEXEC;
	/* gABI: PT_LOADs are sorted by p_vaddr; overlapping ones are nonsense. */
	if (p->p_vaddr < prev_end)
		return -ENOEXEC;
	return 0;
}

/* The address of the program-header table if a PT_LOAD maps it from the file. */
static u64 phdrs_in_load(const struct elf64_ehdr *eh, const struct elf64_phdr *ph)
{
	u64 size = (u64)eh->e_phnum * sizeof(struct elf64_phdr);

	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];

		if (p->p_type == PT_LOAD && p->p_offset <= eh->e_phoff &&
		    eh->e_phoff + size <= p->p_offset + p->p_filesz)
			return p->p_vaddr + (eh->e_phoff - p->p_offset);
	}
	return 0;
}

int elf_check_phdrs(const struct elf64_ehdr *eh, const struct elf64_phdr *ph,
		    u64 file_size, struct elf_info *info)
{
	u64 prev_end = 0;
	int phdr = -1;

	*info = (struct elf_info){
		.type = eh->e_type, .phnum = eh->e_phnum, .interp = -1,
		.max_align = ELF_PAGE_SIZE,
	};
	if (eh->e_phoff + (u64)eh->e_phnum * sizeof(struct elf64_phdr) > file_size)
		return -ENOEXEC;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];

		switch (p->p_type) {
		case PT_LOAD:
			if (check_load(p, file_size, prev_end))
				return -ENOEXEC;
			if (!info->nr_load++)
				info->load_lo = p->p_vaddr & ~(ELF_PAGE_SIZE - 1);
			prev_end = p->p_vaddr + p->p_memsz;
			if (p->p_align > info->max_align)
				info->max_align = p->p_align;
			break;
		case PT_INTERP:
			if (info->interp >= 0 || p->p_filesz < 2 || p->p_filesz > ELF_INTERP_MAX ||
			    p->p_offset > file_size || p->p_filesz > file_size - p->p_offset)
				return -ENOEXEC;
			info->interp = (int)i;
			break;
		case PT_PHDR:
			if (phdr >= 0)
				return -ENOEXEC;
			phdr = (int)i;
			break;
		case PT_GNU_STACK:
			info->exec_stack = p->p_flags & PF_X;
			break;
		default:
			break;
		}
	}
	if (!info->nr_load)
		return -ENOEXEC;
	/* prev_end <= ELF_VADDR_LIMIT, which is page-aligned: no overflow. */
	info->load_hi = (prev_end + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
	info->phdr_vaddr = phdr >= 0 ? ph[phdr].p_vaddr : phdrs_in_load(eh, ph);
	return 0;
}

int elf_check_interp(const char *path, u64 len)
{
	if (len < 2 || len > ELF_INTERP_MAX || path[len - 1] != '\0' || path[0] == '\0')
		return -ENOEXEC;
	return 0;
}

unsigned int elf_prot(u32 p_flags)
{
	return ((p_flags & PF_R) ? 0x1 : 0) | ((p_flags & PF_W) ? 0x2 : 0) |
	       ((p_flags & PF_X) ? 0x4 : 0);
}
