/*
 * Loading ELF executables and building the initial process stack (see
 * proc/exec.h). The headers are validated by lib/elf.c before anything is
 * mapped; the segments are ordinary private file mappings, so their pages
 * arrive on first touch through the page-fault handler.
 */
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "proc/exec.h"

/* ET_DYN alignments past this are ignored rather than honoured. */
#define ELF_MAX_BIAS_ALIGN (1UL << 30)

struct elf_source {
	struct file *file;
	const struct mm_file_ops *fops;
};

/* Reads exactly len bytes at off: -EIO when the file is shorter. */
static int read_exact(const struct elf_source *src, void *buf, size_t len, u64 off)
{
	char *p = buf;

	while (len) {
		long n = src->fops->read(src->file, p, len, off);

		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EIO;
		p += n;
		off += (u64)n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_headers(const struct elf_source *src, struct elf64_ehdr *eh,
			struct elf64_phdr **phdrs, struct elf_info *info)
{
	size_t size;
	int err = read_exact(src, eh, sizeof(*eh), 0);

	if (err == -EIO)
		return -ENOEXEC; /* too short to be an ELF file */
	if (!err)
		err = elf_check_header(eh);
	if (err)
		return err;
	size = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	*phdrs = kmalloc(size);
	if (!*phdrs)
		return -ENOMEM;
	err = read_exact(src, *phdrs, size, eh->e_phoff);
	if (!err)
		err = elf_check_phdrs(eh, *phdrs, ELF_SIZE_UNKNOWN, info);
	if (err) {
		kfree(*phdrs);
		*phdrs = NULL;
	}
	return err;
}

static int read_interp(const struct elf_source *src, const struct elf64_phdr *p, char **out)
{
	char *path = kmalloc(p->p_filesz);
	int err;

	if (!path)
		return -ENOMEM;
	err = read_exact(src, path, p->p_filesz, p->p_offset);
	if (!err)
		err = elf_check_interp(path, p->p_filesz);
	if (err) {
		kfree(path);
		return err;
	}
	*out = path;
	return 0;
}

/*
 * The load bias: 0 for ET_EXEC; for ET_DYN the hint (or ELF_ET_DYN_BASE)
 * when that range is free, else a free range, aligned to the segments'
 * largest p_align so huge-page-aligned programs stay so.
 */
static int choose_bias(struct mm *mm, const struct elf_info *info, unsigned long hint,
		       unsigned long *bias)
{
	unsigned long span = info->load_hi - info->load_lo, align = info->max_align, base;

	if (info->type == ET_EXEC) {
		*bias = 0;
		return 0;
	}
	if (align > ELF_MAX_BIAS_ALIGN)
		align = PAGE_SIZE;
	if (hint == ELF_LOAD_ANYWHERE)
		hint = 0;
	else if (!hint)
		hint = ELF_ET_DYN_BASE;
	base = mm_get_unmapped_area(mm, hint, span, align);
	if (!base)
		return -ENOMEM;
	*bias = base - info->load_lo;
	return 0;
}

/* mm_mmap's -EINVAL can only mean the file asked for something impossible. */
static int map_err(int err)
{
	return err == -EINVAL ? -ENOEXEC : err;
}

/*
 * Maps one PT_LOAD: whole file pages from ALIGN_DOWN(p_offset), the rest of
 * the last one zeroed when bss follows (it holds the next bytes of the
 * file), and anonymous pages for the bss beyond.
 */
static int map_segment(struct mm *mm, const struct elf_source *src,
		       const struct elf64_phdr *p, unsigned long bias)
{
	static const char zeros[256];
	unsigned int prot = elf_prot(p->p_flags);
	unsigned long start = bias + ALIGN_DOWN(p->p_vaddr, PAGE_SIZE);
	unsigned long file_end = bias + p->p_vaddr + p->p_filesz;
	unsigned long mem_end = bias + p->p_vaddr + p->p_memsz;
	unsigned long map_end = start, at;
	int err;

	if (p->p_filesz) {
		map_end = ALIGN_UP(file_end, PAGE_SIZE);
		err = mm_mmap_ops(mm, start, map_end - start, prot, MMAP_PRIVATE | MMAP_FIXED,
				  src->file, src->fops, ALIGN_DOWN(p->p_offset, PAGE_SIZE),
				  VM_PROT_ALL, &at);
		if (err)
			return map_err(err);
	}
	if (p->p_memsz <= p->p_filesz)
		return 0;
	/* A forced write: a read-only segment with bss gets its copy too. */
	for (unsigned long a = file_end; a < map_end; a += MIN(sizeof(zeros), map_end - a)) {
		if (mm_write(mm, a, zeros, MIN(sizeof(zeros), map_end - a), MM_ACCESS_FORCE))
			return -EFAULT;
	}
	if (ALIGN_UP(mem_end, PAGE_SIZE) > map_end) {
		err = mm_mmap(mm, map_end, ALIGN_UP(mem_end, PAGE_SIZE) - map_end, prot,
			      MMAP_PRIVATE | MMAP_ANONYMOUS | MMAP_FIXED, NULL, 0, 0, &at);
		if (err)
			return map_err(err);
	}
	return 0;
}

/* The code and data ranges /proc reports (Linux's start_code etc.). */
static void note_ranges(struct elf_load_info *out, const struct elf64_phdr *p,
			unsigned long bias)
{
	unsigned long start = bias + p->p_vaddr, end = start + p->p_filesz;

	if (p->p_flags & PF_X) {
		if (!out->start_code || start < out->start_code)
			out->start_code = start;
		out->end_code = MAX(out->end_code, end);
	} else {
		if (!out->start_data || start < out->start_data)
			out->start_data = start;
		out->end_data = MAX(out->end_data, end);
	}
}

static int map_image(struct mm *mm, const struct elf_source *src, const struct elf64_ehdr *eh,
		     const struct elf64_phdr *ph, const struct elf_info *info,
		     unsigned long bias, struct elf_load_info *out)
{
	const struct elf64_phdr *first = NULL;
	unsigned long at;
	int err;

	/* Claim the whole span first: an ET_EXEC over existing mappings fails
	 * here (-EEXIST, as Linux's MAP_FIXED_NOREPLACE), and the holes
	 * between segments stay reserved, inaccessible. */
	err = mm_mmap(mm, bias + info->load_lo, info->load_hi - info->load_lo, 0,
		      MMAP_PRIVATE | MMAP_ANONYMOUS | MMAP_FIXED_NOREPLACE, NULL, 0, 0, &at);
	if (err)
		return map_err(err);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];

		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		if (!first)
			first = p;
		err = map_segment(mm, src, p, bias);
		if (err)
			return err;
		note_ranges(out, p, bias);
	}
	if (info->phdr_vaddr)
		out->phdr = bias + info->phdr_vaddr;
	else if (first) /* as Linux: where e_phoff would be if the file were mapped whole */
		out->phdr = bias + first->p_vaddr - first->p_offset + eh->e_phoff;
	return 0;
}

int elf_load_ops(struct mm *mm, struct file *f, const struct mm_file_ops *fops,
		 unsigned long load_bias_hint, struct elf_load_info *out)
{
	struct elf_source src = { .file = f, .fops = fops };
	struct elf64_phdr *ph = NULL;
	struct elf64_ehdr eh;
	struct elf_info info;
	unsigned long bias;
	int err;

	*out = (struct elf_load_info){ 0 };
	err = read_headers(&src, &eh, &ph, &info);
	if (err)
		return err;
	if (info.interp >= 0) {
		err = read_interp(&src, &ph[info.interp], &out->interp);
		if (err)
			goto out_free;
	}
	err = choose_bias(mm, &info, load_bias_hint, &bias);
	if (err)
		goto out_free;
	err = map_image(mm, &src, &eh, ph, &info, bias, out);
	if (err)
		goto out_free;
	out->entry = eh.e_entry + bias;
	out->load_bias = bias;
	out->load_addr = bias + info.load_lo;
	out->phent = sizeof(struct elf64_phdr);
	out->phnum = eh.e_phnum;
	out->brk = bias + info.load_hi;
	out->exec_stack = info.exec_stack;
out_free:
	kfree(ph);
	if (err)
		elf_load_info_release(out);
	return err;
}

int elf_load(struct mm *mm, struct file *f, unsigned long load_bias_hint,
	     struct elf_load_info *out)
{
	return elf_load_ops(mm, f, &mm_vfs_file_ops, load_bias_hint, out);
}

void elf_load_info_release(struct elf_load_info *info)
{
	kfree(info->interp);
	info->interp = NULL;
}

/* ---- the initial stack ---- */

/* Linux: the strings may take a quarter of the stack limit, at most 3/4 of
 * the default 8 MiB limit, and always ARG_MAX_MIN. */
#define ARG_LIMIT_MAX (6UL << 20)

static int strings_size(char *const *v, int n, unsigned long *total)
{
	for (int i = 0; i < n; i++) {
		size_t len = strnlen(v[i], MAX_ARG_STRLEN) + 1;

		if (len > MAX_ARG_STRLEN)
			return -E2BIG;
		*total += len;
	}
	return 0;
}

static int check_arg_limits(const struct exec_stack_params *p, unsigned long *arg_bytes,
			    unsigned long *env_bytes)
{
	unsigned long limit = MIN(ARG_LIMIT_MAX, p->stack_limit / 4), ptrs;
	int err;

	if (p->argc < 0 || p->envc < 0)
		return -EINVAL;
	limit = MAX(limit, ARG_MAX_MIN);
	ptrs = ((unsigned long)MAX(p->argc, 1) + (unsigned long)p->envc) * sizeof(void *);
	if (limit <= ptrs)
		return -E2BIG;
	*arg_bytes = *env_bytes = 0;
	err = strings_size(p->argv, p->argc, arg_bytes);
	if (!err)
		err = strings_size(p->envp, p->envc, env_bytes);
	if (!err && *arg_bytes + *env_bytes > limit - ptrs)
		err = -E2BIG;
	return err;
}

/* Words written upwards from a start address, in batches. */
struct word_writer {
	struct mm *mm;
	unsigned long addr; /* where buf[0] goes */
	unsigned int n;
	u64 buf[64];
	int err;
};

static void ww_flush(struct word_writer *w)
{
	if (w->n && !w->err)
		w->err = mm_access(w->mm, w->addr, w->buf, w->n * sizeof(u64), MM_ACCESS_WRITE);
	w->addr += w->n * sizeof(u64);
	w->n = 0;
}

static void ww_put(struct word_writer *w, u64 v)
{
	if (w->n == ARRAY_SIZE(w->buf))
		ww_flush(w);
	w->buf[w->n++] = v;
}

/* Copies n strings to addr upwards, their addresses into the word writer. */
static int put_strings(struct mm *mm, unsigned long addr, char *const *v, int n,
		       struct word_writer *w)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		if (mm_write(mm, addr, v[i], len, 0))
			return -EFAULT;
		ww_put(w, addr);
		addr += len;
	}
	ww_put(w, 0);
	return 0;
}

static bool aux_is_ours(u64 type)
{
	return type == AT_NULL || type == AT_RANDOM || type == AT_EXECFN || type == AT_PLATFORM;
}

/* Maps the stack VMA: the arguments plus EXEC_STACK_EXPAND, within the limit. */
static int map_stack(struct mm *mm, const struct exec_stack_params *p, unsigned long used)
{
	unsigned long size = ALIGN_UP(used, PAGE_SIZE) + EXEC_STACK_EXPAND, at;
	unsigned long top = ALIGN_DOWN(p->stack_top, PAGE_SIZE);
	unsigned int prot = VM_READ | VM_WRITE | (p->exec_stack ? VM_EXEC : 0);

	if (size > p->stack_limit)
		size = MAX(ALIGN_UP(used, PAGE_SIZE), ALIGN_DOWN(p->stack_limit, PAGE_SIZE));
	if (top < MM_MIN_ADDR || size > top - MM_MIN_ADDR)
		return -ENOMEM;
	return mm_mmap(mm, top - size, size, prot,
		       MMAP_PRIVATE | MMAP_ANONYMOUS | MMAP_FIXED_NOREPLACE | MMAP_GROWSDOWN,
		       NULL, 0, 0, &at);
}

int exec_setup_stack(struct mm *mm, const struct exec_stack_params *p,
		     struct exec_stack_info *out)
{
	size_t execfn_len = p->execfn ? strlen(p->execfn) + 1 : 0;
	size_t platform_len = p->platform ? strlen(p->platform) + 1 : 0;
	unsigned long arg_bytes, env_bytes, top = ALIGN_DOWN(p->stack_top, PAGE_SIZE);
	unsigned long pos, random_at, platform_at = 0, words;
	struct word_writer *w;
	int nauxv, err;

	err = check_arg_limits(p, &arg_bytes, &env_bytes);
	if (err)
		return err;
	if (execfn_len > MAX_ARG_STRLEN || platform_len > MAX_ARG_STRLEN)
		return -E2BIG;
	*out = (struct exec_stack_info){ 0 };
	/* From the top down: end marker, execfn, env strings, arg strings. */
	pos = top - sizeof(u64);
	if (p->execfn)
		out->execfn = pos -= execfn_len;
	out->env_end = pos;
	out->env_start = pos -= env_bytes;
	out->arg_end = pos;
	out->arg_start = pos -= arg_bytes;
	pos = ALIGN_DOWN(pos, 16);
	if (p->platform)
		platform_at = pos -= platform_len;
	random_at = pos = ALIGN_DOWN(pos - 16, 16);
	nauxv = 2 + !!p->execfn + !!p->platform; /* AT_RANDOM, AT_NULL and those */
	for (int i = 0; i < p->nauxv; i++)
		nauxv += !aux_is_ours(p->auxv[i].type);
	/* argc, argv[] and NULL, envp[] and NULL, auxv pairs with AT_NULL. */
	words = 1 + (unsigned long)p->argc + 1 + (unsigned long)p->envc + 1 + 2UL * nauxv;
	out->sp = ALIGN_DOWN(pos - words * sizeof(u64), 16);
	out->argv = out->sp + sizeof(u64);
	out->envp = out->argv + ((unsigned long)p->argc + 1) * sizeof(u64);
	out->auxv = out->envp + ((unsigned long)p->envc + 1) * sizeof(u64);

	err = map_stack(mm, p, top - out->sp);
	if (err)
		return err;
	w = kzalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->mm = mm;
	w->addr = out->sp;
	ww_put(w, (u64)p->argc);
	err = put_strings(mm, out->arg_start, p->argv, p->argc, w);
	if (!err)
		err = put_strings(mm, out->env_start, p->envp, p->envc, w);
	for (int i = 0; !err && i < p->nauxv; i++) {
		if (!aux_is_ours(p->auxv[i].type)) {
			ww_put(w, p->auxv[i].type);
			ww_put(w, p->auxv[i].val);
		}
	}
	ww_put(w, AT_RANDOM);
	ww_put(w, random_at);
	if (p->execfn) {
		ww_put(w, AT_EXECFN);
		ww_put(w, out->execfn);
	}
	if (p->platform) {
		ww_put(w, AT_PLATFORM);
		ww_put(w, platform_at);
	}
	ww_put(w, AT_NULL);
	ww_put(w, 0);
	ww_flush(w);
	if (!err)
		err = w->err;
	kfree(w);
	if (!err && p->execfn)
		err = mm_write(mm, out->execfn, p->execfn, execfn_len, 0);
	if (!err && p->platform)
		err = mm_write(mm, platform_at, p->platform, platform_len, 0);
	if (!err)
		err = mm_write(mm, random_at, p->random16, 16, 0);
	if (err)
		return err;
	mm_set_exec_info(mm, out->sp, out->arg_start, out->arg_end, out->env_start,
			 out->env_end);
	return 0;
}
