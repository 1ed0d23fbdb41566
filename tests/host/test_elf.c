/* ELF64 validation: well-formed executables, then hostile headers. */
#include <string.h>

#include "test.h"

#include "lib/elf.h"
#include "lib/errno.h"

#define FILE_SIZE 0x10000ULL

struct image {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[8];
};

static void set_phdr(struct elf64_phdr *p, u32 type, u32 flags, u64 off, u64 vaddr,
		     u64 filesz, u64 memsz, u64 align)
{
	*p = (struct elf64_phdr){
		.p_type = type, .p_flags = flags, .p_offset = off, .p_vaddr = vaddr,
		.p_paddr = vaddr, .p_filesz = filesz, .p_memsz = memsz, .p_align = align,
	};
}

/* A static ET_EXEC like busybox: PT_LOAD text (holding the headers) and data,
 * PT_GNU_STACK without execute. */
static void make_exec(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, "\x7f" "ELF", 4);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = 0x401000;
	im->eh.e_phoff = sizeof(struct elf64_ehdr);
	im->eh.e_ehsize = sizeof(struct elf64_ehdr);
	im->eh.e_phentsize = sizeof(struct elf64_phdr);
	im->eh.e_phnum = 3;
	set_phdr(&im->ph[0], PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x2000, 0x2000, 0x1000);
	set_phdr(&im->ph[1], PT_LOAD, PF_R | PF_W, 0x2f00, 0x403f00, 0x200, 0x1300, 0x1000);
	set_phdr(&im->ph[2], PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
}

static int check(struct image *im, struct elf_info *info)
{
	int err = elf_check_header(&im->eh);

	return err ? err : elf_check_phdrs(&im->eh, im->ph, FILE_SIZE, info);
}

TEST(elf_valid_static_exec)
{
	struct image im;
	struct elf_info info;

	make_exec(&im);
	CHECK_EQ(check(&im, &info), 0);
	CHECK_EQ(info.type, ET_EXEC);
	CHECK_EQ(info.nr_load, 2);
	CHECK_EQ(info.load_lo, 0x400000);
	CHECK_EQ(info.load_hi, 0x406000);
	CHECK_EQ(info.interp, -1);
	CHECK_EQ(info.exec_stack, false);
	CHECK_EQ(info.phdr_vaddr, 0x400040); /* inside the first PT_LOAD */
	CHECK_EQ(elf_prot(PF_R | PF_X), 0x5);
	CHECK_EQ(elf_prot(PF_R | PF_W), 0x3);
}

TEST(elf_valid_pie_with_interp_and_phdr)
{
	struct image im;
	struct elf_info info;
	static const char interp[] = "/lib64/ld-linux-x86-64.so.2";

	make_exec(&im);
	im.eh.e_type = ET_DYN;
	im.eh.e_phnum = 5;
	set_phdr(&im.ph[0], PT_PHDR, PF_R, 64, 64, 5 * 56, 5 * 56, 8);
	set_phdr(&im.ph[1], PT_INTERP, PF_R, 0x200, 0x200, sizeof(interp), sizeof(interp), 1);
	set_phdr(&im.ph[2], PT_LOAD, PF_R | PF_X, 0, 0, 0x1800, 0x1800, 0x200000);
	set_phdr(&im.ph[3], PT_LOAD, PF_R | PF_W, 0x1800, 0x201800, 0x100, 0x5000, 0x200000);
	set_phdr(&im.ph[4], PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16);
	CHECK_EQ(check(&im, &info), 0);
	CHECK_EQ(info.interp, 1);
	CHECK_EQ(info.phdr_vaddr, 64);
	CHECK_EQ(info.exec_stack, true);
	CHECK_EQ(info.load_lo, 0);
	CHECK_EQ(info.load_hi, 0x207000);
	CHECK_EQ(info.max_align, 0x200000);
	CHECK_EQ(elf_check_interp(interp, sizeof(interp)), 0);
}

TEST(elf_bad_identity)
{
	struct image im;
	struct elf_info info;

	make_exec(&im);
	im.eh.e_ident[0] = 0x7e;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_ident[EI_CLASS] = 1; /* 32-bit */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_ident[EI_DATA] = 2; /* big-endian */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_machine = 3; /* i386 */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_type = 1; /* ET_REL */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_type = 4; /* ET_CORE */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
}

TEST(elf_bad_phdr_table)
{
	struct image im;
	struct elf_info info;

	make_exec(&im);
	im.eh.e_phnum = 0;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_phnum = 0xffff; /* PN_XNUM and past Linux's 64 KiB */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_phnum = ELF_MAX_PHNUM + 1;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_phentsize = 32;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_phoff = ~0ULL - 10; /* table wraps around */
	CHECK_EQ(elf_check_header(&im.eh), -ENOEXEC);
	make_exec(&im);
	im.eh.e_phoff = FILE_SIZE - 56; /* table runs past the end of file */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.eh.e_phnum = 1;
	set_phdr(&im.ph[0], PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	CHECK_EQ(check(&im, &info), -ENOEXEC); /* nothing to load */
}

TEST(elf_bad_load_segments)
{
	struct image im;
	struct elf_info info;

	make_exec(&im);
	im.ph[1].p_filesz = im.ph[1].p_memsz + 1;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_offset = ~0ULL - 0xff; /* offset + filesz overflows */
	im.ph[1].p_vaddr = 0x403000 + (im.ph[1].p_offset & 0xfff);
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_offset = FILE_SIZE - 0x100; /* past the end of file */
	im.ph[1].p_vaddr = 0x403f00;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_memsz = ~0ULL - 0x1000; /* vaddr + memsz overflows */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_vaddr = 0x7ffffffff000ULL; /* into the kernel half */
	im.ph[1].p_offset = 0x3000;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_vaddr = 0x404000; /* offset 0x2f00 vs address 0x...000 */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_align = 0x3000; /* not a power of two */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_vaddr = 0x301f00; /* below the first: not sorted */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_vaddr = 0x401f00; /* overlaps the first */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	make_exec(&im);
	im.ph[1].p_align = 0; /* 0 and 1 mean no alignment */
	CHECK_EQ(check(&im, &info), 0);
}

TEST(elf_bad_interp)
{
	struct image im;
	struct elf_info info;

	make_exec(&im);
	im.eh.e_phnum = 4;
	set_phdr(&im.ph[3], PT_INTERP, PF_R, 0x200, 0, 28, 28, 1);
	CHECK_EQ(check(&im, &info), 0);
	CHECK_EQ(info.interp, 3);
	im.ph[3].p_filesz = ELF_INTERP_MAX + 1;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	im.ph[3].p_filesz = 1; /* just a NUL */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	im.ph[3].p_filesz = 28;
	im.ph[3].p_offset = ~0ULL - 4;
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	im.ph[3].p_offset = 0x200;
	im.eh.e_phnum = 5;
	im.ph[4] = im.ph[3]; /* two interpreters */
	CHECK_EQ(check(&im, &info), -ENOEXEC);
	im.ph[4].p_type = PT_PHDR; /* and two PT_PHDR are refused too */
	im.ph[3].p_type = PT_PHDR;
	CHECK_EQ(check(&im, &info), -ENOEXEC);

	CHECK_EQ(elf_check_interp("/lib/ld.so", 11), 0);
	CHECK_EQ(elf_check_interp("/lib/ld.so!", 11), -ENOEXEC); /* no NUL at the end */
	CHECK_EQ(elf_check_interp("\0abc", 5), -ENOEXEC);      /* empty path */
	CHECK_EQ(elf_check_interp("a", 1), -ENOEXEC);
}

TEST(elf_phdr_address_fallback)
{
	struct image im;
	struct elf_info info;

	/* Headers outside every PT_LOAD and no PT_PHDR: nowhere in memory. */
	make_exec(&im);
	im.eh.e_phoff = 0x8000;
	CHECK_EQ(check(&im, &info), 0);
	CHECK_EQ(info.phdr_vaddr, 0);
	/* Inside the second segment's file part. */
	make_exec(&im);
	im.eh.e_phoff = 0x2f00;
	im.ph[1].p_filesz = 0x400;
	CHECK_EQ(check(&im, &info), 0);
	CHECK_EQ(info.phdr_vaddr, 0x403f00);
}
