/*
 * Self tests of program loading: small ELF images built in memory and read
 * through a memfile, loaded into a fresh mm and inspected with mm_access;
 * and the initial stack exec_setup_stack lays out.
 */
#include "arch/uaccess.h"
#include "core/ktest.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/memfile.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "proc/exec.h"

#define IMAGE_SIZE (4 * PAGE_SIZE)
#define CODE_OFF 0x1000UL
#define DATA_OFF 0x2010UL  /* file offset of the data segment */
#define DATA_FILESZ 0x100UL
#define DATA_MEMSZ 0x3000UL

static u8 image[IMAGE_SIZE];
static const char test_interp[] = "/lib/ld-test.so.1";

/*
 * A static program: text (headers + code) read-execute at base, data
 * read-write at base + 0x3010 with bss after it. The file bytes after the
 * data are 0xee, which the loader must not let show through the bss.
 */
static void build_image(u16 type, unsigned long base, bool with_interp)
{
	struct elf64_ehdr *eh = (struct elf64_ehdr *)image;
	struct elf64_phdr *ph = (struct elf64_phdr *)(image + sizeof(*eh));
	unsigned int n = 0;

	memset(image, 0xee, sizeof(image));
	memset(image, 0, CODE_OFF);
	memcpy(eh->e_ident, "\x7f" "ELF", 4);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = base + CODE_OFF;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	if (with_interp) {
		ph[n++] = (struct elf64_phdr){ .p_type = PT_INTERP, .p_flags = PF_R,
			.p_offset = 0x800, .p_vaddr = base + 0x800,
			.p_filesz = sizeof(test_interp), .p_memsz = sizeof(test_interp), .p_align = 1 };
		memcpy(image + 0x800, test_interp, sizeof(test_interp));
	}
	ph[n++] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = 0, .p_vaddr = base, .p_filesz = CODE_OFF + 0x100,
		.p_memsz = CODE_OFF + 0x100, .p_align = PAGE_SIZE };
	ph[n++] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = DATA_OFF, .p_vaddr = base + 0x1000 + DATA_OFF,
		.p_filesz = DATA_FILESZ, .p_memsz = DATA_MEMSZ, .p_align = PAGE_SIZE };
	ph[n++] = (struct elf64_phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W,
		.p_align = 16 };
	eh->e_phnum = (u16)n;
	memset(image + CODE_OFF, 0x90, 0x100); /* nops */
	memset(image + DATA_OFF, 0x5a, DATA_FILESZ);
}

static bool all_bytes(struct mm *mm, unsigned long addr, size_t len, u8 v)
{
	u8 buf[128];

	while (len) {
		size_t n = MIN(len, sizeof(buf));

		if (mm_access(mm, addr, buf, n, 0))
			return false;
		for (size_t i = 0; i < n; i++) {
			if (buf[i] != v)
				return false;
		}
		addr += n;
		len -= n;
	}
	return true;
}

static int load(struct mm *mm, struct memfile *mf, unsigned long hint, struct elf_load_info *info)
{
	return elf_load_ops(mm, memfile_file(mf), &memfile_ops, hint, info);
}

KTEST(elf_load_static_exec)
{
	struct memfile mf = { .data = image, .size = sizeof(image) };
	u64 free_before = pmm_free_pages();
	const unsigned long base = 0x400000, data = base + 0x1000 + DATA_OFF;
	struct elf_load_info info;
	struct mm *mm;
	int err;

	build_image(ET_EXEC, base, false);
	mm = mm_create();
	if (IS_ERR(mm))
		return KT_FAIL("mm_create failed");
	err = load(mm, &mf, 0, &info);
	if (err)
		return KT_FAIL("elf_load: %d", err);
	if (info.entry != base + CODE_OFF || info.load_bias || info.phdr != base + 64 ||
	    info.phnum != 3 || info.phent != 56 || info.interp || info.exec_stack)
		return KT_FAIL("info: entry %#lx bias %#lx phdr %#lx phnum %u", info.entry,
			       info.load_bias, info.phdr, info.phnum);
	if (info.brk != ALIGN_UP(data + DATA_MEMSZ, PAGE_SIZE))
		return KT_FAIL("brk %#lx", info.brk);
	if (!all_bytes(mm, base + CODE_OFF, 0x100, 0x90))
		return KT_FAIL("code not loaded");
	if (!all_bytes(mm, data, DATA_FILESZ, 0x5a))
		return KT_FAIL("data not loaded");
	if (!all_bytes(mm, data + DATA_FILESZ, DATA_MEMSZ - DATA_FILESZ, 0))
		return KT_FAIL("bss (or the tail of the last data page) not zero");
	if (mm_write(mm, base + CODE_OFF, "x", 1, 0) != -EFAULT)
		return KT_FAIL("text is writable");
	if (mm_write(mm, data, "x", 1, 0))
		return KT_FAIL("data is not writable");
	if (image[DATA_OFF] != 0x5a)
		return KT_FAIL("a write to the data segment reached the file");
	/* Another ET_EXEC at the same place cannot go in. */
	if (load(mm, &mf, 0, &info) != -EEXIST)
		return KT_FAIL("overlapping ET_EXEC load not -EEXIST");
	mm_put(mm);
	if (mf.refs)
		return KT_FAIL("%d file references left", mf.refs);
	if (pmm_free_pages() != free_before)
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(elf_load_pie_and_interp)
{
	struct memfile mf = { .data = image, .size = sizeof(image) };
	u64 free_before = pmm_free_pages();
	struct elf_load_info prog, interp;
	struct mm *mm;
	int err;

	build_image(ET_DYN, 0, true);
	mm = mm_create();
	if (IS_ERR(mm))
		return KT_FAIL("mm_create failed");
	err = load(mm, &mf, 0, &prog);
	if (err)
		return KT_FAIL("elf_load: %d", err);
	if (prog.load_bias != ELF_ET_DYN_BASE || prog.entry != ELF_ET_DYN_BASE + CODE_OFF ||
	    prog.phdr != ELF_ET_DYN_BASE + 64 || prog.phnum != 4)
		return KT_FAIL("PIE at bias %#lx entry %#lx", prog.load_bias, prog.entry);
	if (!prog.interp || strcmp(prog.interp, test_interp))
		return KT_FAIL("interpreter path %s", prog.interp ? prog.interp : "(none)");
	/* The interpreter goes wherever mmap puts things: below mmap_base. */
	err = load(mm, &mf, ELF_LOAD_ANYWHERE, &interp);
	if (err)
		return KT_FAIL("elf_load of the interpreter: %d", err);
	if (interp.load_addr >= mm->mmap_base || interp.load_addr < ELF_ET_DYN_BASE ||
	    interp.load_addr != interp.load_bias)
		return KT_FAIL("interpreter at %#lx (mmap_base %#lx)", interp.load_addr,
			       mm->mmap_base);
	if (!all_bytes(mm, interp.entry, 0x100, 0x90) || !all_bytes(mm, prog.entry, 0x100, 0x90))
		return KT_FAIL("code not where the entry points");
	elf_load_info_release(&prog);
	elf_load_info_release(&interp);
	mm_put(mm);
	if (pmm_free_pages() != free_before)
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(elf_load_rejects_bad_files)
{
	struct memfile mf = { .data = image, .size = sizeof(image) };
	struct elf64_ehdr *eh = (struct elf64_ehdr *)image;
	struct elf64_phdr *ph = (struct elf64_phdr *)(image + sizeof(*eh));
	struct elf_load_info info;
	struct mm *mm = mm_create();
	int err;

	if (IS_ERR(mm))
		return KT_FAIL("mm_create failed");
	build_image(ET_EXEC, 0x400000, false);
	mf.size = 10;
	err = load(mm, &mf, 0, &info);
	if (err != -ENOEXEC)
		return KT_FAIL("10-byte file: %d", err);
	mf.size = sizeof(image);
	image[1] = 'e';
	err = load(mm, &mf, 0, &info);
	if (err != -ENOEXEC)
		return KT_FAIL("bad magic: %d", err);
	build_image(ET_EXEC, 0x400000, false);
	eh->e_phoff = sizeof(image) - 8;
	err = load(mm, &mf, 0, &info);
	if (err != -EIO)
		return KT_FAIL("headers past the end of the file: %d", err);
	build_image(ET_EXEC, 0x400000, false);
	ph[1].p_filesz = ph[1].p_memsz + 1;
	err = load(mm, &mf, 0, &info);
	if (err != -ENOEXEC)
		return KT_FAIL("filesz > memsz: %d", err);
	build_image(ET_DYN, 0, true);
	image[0x800 + sizeof(test_interp) - 1] = 'x';
	err = load(mm, &mf, 0, &info);
	if (err != -ENOEXEC)
		return KT_FAIL("unterminated interpreter path: %d", err);
	if (mm->map_count)
		return KT_FAIL("a rejected file left %u mappings", mm->map_count);
	mm_put(mm);
	return NULL;
}

/* Reads a u64 of the new stack. */
static u64 peek(struct mm *mm, unsigned long addr)
{
	u64 v = ~0ULL;

	mm_access(mm, addr, &v, sizeof(v), 0);
	return v;
}

static bool string_at(struct mm *mm, unsigned long addr, const char *s)
{
	char buf[64];
	size_t len = strlen(s) + 1;

	return len <= sizeof(buf) && !mm_access(mm, addr, buf, len, 0) && !memcmp(buf, s, len);
}

KTEST(exec_initial_stack)
{
	static char *const argv[] = { "prog", "-x", "arg two" };
	static char *const envp[] = { "HOME=/", "TERM=vt100" };
	static const struct auxv_entry auxv[] = {
		{ AT_PAGESZ, PAGE_SIZE }, { AT_ENTRY, 0x401000 }, { AT_RANDOM, 1 },
	};
	static const u8 random[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct exec_stack_params p = {
		.stack_top = USER_TOP, .stack_limit = MM_DEFAULT_STACK_LIMIT,
		.argv = argv, .argc = 3, .envp = envp, .envc = 2,
		.auxv = auxv, .nauxv = 3, .random16 = random,
		.execfn = "/bin/prog", .platform = "x86_64",
	};
	u64 free_before = pmm_free_pages();
	struct exec_stack_info st;
	bool seen_pagesz = false, seen_random = false, seen_execfn = false, seen_platform = false;
	unsigned long a;
	struct mm *mm = mm_create();
	u8 rnd[16];
	int err;

	if (IS_ERR(mm))
		return KT_FAIL("mm_create failed");
	err = exec_setup_stack(mm, &p, &st);
	if (err)
		return KT_FAIL("exec_setup_stack: %d", err);
	if (st.sp & 15)
		return KT_FAIL("sp %#lx not 16-byte aligned", st.sp);
	if (peek(mm, st.sp) != 3 || st.argv != st.sp + 8)
		return KT_FAIL("argc %llu", (unsigned long long)peek(mm, st.sp));
	for (int i = 0; i < 3; i++) {
		if (!string_at(mm, peek(mm, st.argv + 8 * i), argv[i]))
			return KT_FAIL("argv[%d] wrong", i);
	}
	if (peek(mm, st.argv + 24) != 0 || st.envp != st.argv + 32)
		return KT_FAIL("argv not NULL-terminated");
	for (int i = 0; i < 2; i++) {
		if (!string_at(mm, peek(mm, st.envp + 8 * i), envp[i]))
			return KT_FAIL("envp[%d] wrong", i);
	}
	if (peek(mm, st.envp + 16) != 0 || st.auxv != st.envp + 24)
		return KT_FAIL("envp not NULL-terminated");
	for (a = st.auxv; peek(mm, a) != AT_NULL; a += 16) {
		u64 type = peek(mm, a), val = peek(mm, a + 8);

		if (a > st.auxv + 16 * 16)
			return KT_FAIL("auxv without AT_NULL");
		if (type == AT_PAGESZ)
			seen_pagesz = val == PAGE_SIZE;
		if (type == AT_RANDOM) {
			seen_random = !mm_access(mm, val, rnd, 16, 0) && !memcmp(rnd, random, 16);
			if (val == 1)
				return KT_FAIL("the caller's AT_RANDOM was passed through");
		}
		if (type == AT_EXECFN)
			seen_execfn = string_at(mm, val, "/bin/prog");
		if (type == AT_PLATFORM)
			seen_platform = string_at(mm, val, "x86_64");
	}
	if (!seen_pagesz || !seen_random || !seen_execfn || !seen_platform)
		return KT_FAIL("auxv: pagesz %d random %d execfn %d platform %d", seen_pagesz,
			       seen_random, seen_execfn, seen_platform);
	if (!string_at(mm, st.arg_start, "prog") || !string_at(mm, st.env_start, "HOME=/") ||
	    st.arg_end != st.env_start || mm->arg_start != st.arg_start || mm->start_stack != st.sp)
		return KT_FAIL("string areas wrong");
	/* The stack grows on demand below what exec mapped. */
	mm_switch(mm);
	err = copy_to_user((void __user *)(st.sp - 512 * 1024), &a, sizeof(a));
	mm_switch(NULL);
	if (err)
		return KT_FAIL("stack did not grow 512 KiB below sp");
	mm_put(mm);
	if (pmm_free_pages() != free_before)
		return KT_FAIL("pages leaked");
	return NULL;
}

KTEST(exec_stack_e2big)
{
	char *big = kmalloc(MAX_ARG_STRLEN + 1), *half = kmalloc(100 * 1024);
	char *argv[3] = { "prog", big, NULL };
	struct exec_stack_params p = {
		.stack_top = USER_TOP, .stack_limit = MM_DEFAULT_STACK_LIMIT,
		.argv = argv, .argc = 2, .random16 = "0123456789abcdef",
	};
	struct exec_stack_info st;
	struct mm *mm = mm_create();
	const char *fail = NULL;
	int err;

	if (IS_ERR(mm) || !big || !half) {
		fail = KT_FAIL("out of memory");
		goto out_free;
	}
	memset(big, 'a', MAX_ARG_STRLEN);
	big[MAX_ARG_STRLEN] = 0;
	err = exec_setup_stack(mm, &p, &st);
	if (err != -E2BIG) {
		fail = KT_FAIL("a string over MAX_ARG_STRLEN: %d", err);
		goto out_free;
	}
	/* 512 KiB of stack: the strings get 128 KiB. */
	memset(half, 'b', 100 * 1024 - 1);
	half[100 * 1024 - 1] = 0;
	argv[1] = half;
	argv[2] = half;
	p.argc = 3;
	p.stack_limit = 512 * 1024;
	err = exec_setup_stack(mm, &p, &st);
	if (err != -E2BIG) {
		fail = KT_FAIL("200 KiB of strings with a 512 KiB stack: %d", err);
		goto out_free;
	}
	p.argc = 2;
	err = exec_setup_stack(mm, &p, &st);
	if (err)
		fail = KT_FAIL("100 KiB of strings with a 512 KiB stack: %d", err);
out_free:
	if (!IS_ERR(mm))
		mm_put(mm);
	kfree(big);
	kfree(half);
	return fail;
}
