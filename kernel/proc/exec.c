/*
 * execve: replace the calling process's program. Everything that can fail is
 * done on the side (the new address space is built complete) before the
 * point of no return, so a failed exec leaves the caller as it was.
 */
#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/percpu.h"
#include "arch/trap.h"
#include "core/printk.h"
#include "drivers/char.h"
#include "fs/fdtable.h"
#include "fs/fs.h"
#include "fs/vfs.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "proc/exec.h"
#include "proc/process.h"

#define BINPRM_BUF 256
#define MAX_INTERP_DEPTH 4

struct exec_args {
	char **argv;   /* kernel copies, NULL-terminated */
	int argc;
	char **envp;
	int envc;
};

static struct file *open_exec(const char *path, long *err)
{
	struct fs_context ctx;
	struct file *f;
	struct kstat st;

	proc_fs_context(&ctx);
	/* execve(2): search permission on the path, execute permission on a
	 * regular file (read permission is not needed). */
	f = vfs_open_exec(&ctx, NULL, path, LOOKUP_FOLLOW);
	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	if (vfs_fstat(f, &st) || !S_ISREG(st.mode) || !(st.mode & 0111)) {
		file_put(f);
		*err = -EACCES;
		return NULL;
	}
	*err = 0;
	return f;
}

/*
 * "#!interpreter [one argument]": the new argument list is the interpreter,
 * its argument if any, the script's path, then the old argv[1..].
 */
static long script_args(const char *buf, size_t n, const char *path, struct exec_args *a,
			char **interp_out)
{
	char line[BINPRM_BUF];
	char *p, *interp, *arg = NULL, **argv;
	size_t len = 0;
	int extra, i;

	while (len < n - 2 && len < sizeof(line) - 1 && buf[len + 2] != '\n' && buf[len + 2])
		len++;
	memcpy(line, buf + 2, len);
	line[len] = '\0';
	p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p) {
			char *end = p + strlen(p);

			while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
				*--end = '\0';
			arg = p;
		}
	}
	extra = arg ? 3 : 2;
	argv = kzalloc(sizeof(char *) * (size_t)(a->argc + extra + 1));
	if (!argv)
		return -ENOMEM;
	argv[0] = kmalloc(strlen(interp) + 1);
	if (argv[0])
		strlcpy(argv[0], interp, strlen(interp) + 1);
	i = 1;
	if (arg) {
		argv[i] = kmalloc(strlen(arg) + 1);
		if (argv[i])
			strlcpy(argv[i], arg, strlen(arg) + 1);
		i++;
	}
	argv[i] = kmalloc(strlen(path) + 1);
	if (argv[i])
		strlcpy(argv[i], path, strlen(path) + 1);
	for (int j = 1; j < a->argc; j++)
		argv[i + j] = a->argv[j];
	for (int j = 0; j < extra; j++) {
		if (!argv[j]) {
			for (int k = 0; k < extra; k++)
				kfree(argv[k]);
			kfree(argv);
			return -ENOMEM;
		}
	}
	/* The old argv[0] is dropped; the rest moved into the new array. */
	kfree(a->argv[0]);
	kfree(a->argv);
	a->argv = argv;
	a->argc += extra - 1;
	*interp_out = argv[0];
	return 0;
}

void exec_args_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		kfree(*p);
	kfree(v);
}

static const char *basename(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++) {
		if (*p == '/' && p[1])
			b = p + 1;
	}
	return b;
}

/* Build the new image: address space, program, interpreter, stack. */
static long build_image(struct file *f, const char *path, struct exec_args *a,
			struct mm **mm_out, unsigned long *entry, unsigned long *sp, bool *secure,
			struct kstat *st)
{
	struct process *p = current_process();
	struct elf_load_info info = { 0 }, interp_info = { 0 };
	struct exec_stack_params sp_params;
	struct exec_stack_info sp_info;
	struct file *interp = NULL;
	struct auxv_entry auxv[24];
	u8 random[16];
	struct mm *mm;
	int n = 0;
	long err;
	u32 ca, cb, cc, cd;

	mm = mm_create();
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	mm_set_layout(mm, USER_TOP & ~(PAGE_SIZE - 1), p->rlimits[RLIMIT_STACK].cur);
	mm_set_limits(mm, p->rlimits[RLIMIT_STACK].cur, p->rlimits[RLIMIT_AS].cur,
		      p->rlimits[RLIMIT_DATA].cur);
	err = elf_load(mm, f, 0, &info);
	if (err)
		goto out_put;
	*entry = info.entry;
	if (info.interp) {
		long ierr;

		interp = open_exec(info.interp, &ierr);
		if (!interp) {
			err = ierr;
			goto out_put;
		}
		err = elf_load(mm, interp, ELF_LOAD_ANYWHERE, &interp_info);
		file_put(interp);
		if (err)
			goto out_put;
		*entry = interp_info.entry;
	}
	mm_set_brk_base(mm, info.brk);

	*secure = (st->mode & 04000 && st->uid != p->cred.uid) ||
		  (st->mode & 02000 && st->gid != p->cred.gid);
	get_random_bytes(random, sizeof(random));
	cpuid(1, 0, &ca, &cb, &cc, &cd);
#define AUX(t, v) (auxv[n].type = (t), auxv[n].val = (u64)(v), n++)
	AUX(AT_PHDR, info.phdr);
	AUX(AT_PHENT, info.phent);
	AUX(AT_PHNUM, info.phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, info.interp ? interp_info.load_addr : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info.entry);
	AUX(AT_UID, p->cred.uid);
	AUX(AT_EUID, (st->mode & 04000) ? st->uid : p->cred.euid);
	AUX(AT_GID, p->cred.gid);
	AUX(AT_EGID, (st->mode & 02000) ? st->gid : p->cred.egid);
	AUX(AT_HWCAP, cd);
	AUX(AT_HWCAP2, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, *secure);
	AUX(AT_MINSIGSTKSZ, 2048 + fpu_state_size);
#undef AUX
	sp_params = (struct exec_stack_params){
		.stack_top = mm->stack_top,
		.stack_limit = p->rlimits[RLIMIT_STACK].cur,
		.exec_stack = info.exec_stack,
		.argv = a->argv, .argc = a->argc,
		.envp = a->envp, .envc = a->envc,
		.auxv = auxv, .nauxv = n,
		.random16 = random, .execfn = path, .platform = "x86_64",
	};
	err = exec_setup_stack(mm, &sp_params, &sp_info);
	if (err)
		goto out_put;
	*sp = sp_info.sp;
	mm_set_exec_info(mm, sp_info.sp, sp_info.arg_start, sp_info.arg_end, sp_info.env_start,
			 sp_info.env_end);
	*mm_out = mm;
	elf_load_info_release(&info);
	elf_load_info_release(&interp_info);
	return 0;
out_put:
	elf_load_info_release(&info);
	elf_load_info_release(&interp_info);
	mm_put(mm);
	return err;
}

/* Past the point of no return: the process now runs the new program. */
static void commit_image(struct mm *mm, const char *path, const struct kstat *st, bool secure,
			 unsigned long entry, unsigned long sp, struct trap_frame *tf)
{
	struct process *p = current_process();
	struct task *t = current_task();
	struct mm *old = p->mm;

	exec_kill_other_threads(p);
	/* /proc takes references to p->mm under the tree lock: swap it there. */
	{
		unsigned long f = spin_lock_irqsave(&proc_tree_lock);

		p->mm = mm;
		spin_unlock_irqrestore(&proc_tree_lock, f);
	}
	t->mm = mm;
	mm_switch(mm);
	if (old)
		mm_put(old);
	if (st->mode & 04000)
		p->cred.euid = p->cred.suid = p->cred.fsuid = st->uid;
	if (st->mode & 02000)
		p->cred.egid = p->cred.sgid = p->cred.fsgid = st->gid;
	if (!secure) {
		p->cred.suid = p->cred.euid;
		p->cred.sgid = p->cred.egid;
	}
	fd_table_close_on_exec(p->files);
	signal_reset_on_exec(p->signals);
	t->sig->altstack_sp = 0;
	t->sig->altstack_size = 0;
	t->sig->altstack_flags = SS_DISABLE;
	strlcpy(p->comm, basename(path), sizeof(p->comm));
	strlcpy(t->comm, p->comm, sizeof(t->comm));
	strlcpy(p->exe, path, sizeof(p->exe));
	p->exec_done = true;
	t->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	fpu_state_reset(&t->fpu);
	fpu_restore(&t->fpu);
	t->clear_child_tid = 0;
	memset(tf, 0, sizeof(*tf));
	tf->rip = entry;
	tf->rsp = sp;
	tf->cs = SEL_USER_CS | 3;
	tf->ss = SEL_USER_DS | 3;
	tf->rflags = RFLAGS_IF | 0x2;
	tf->vector = 0; /* not a restartable system call */
	proc_vfork_release(p);
}

long proc_execve(const char *path, char **argv, int argc, char **envp, int envc,
		 struct trap_frame *tf)
{
	struct exec_args a = { argv, argc, envp, envc };
	char buf[BINPRM_BUF], *cur_path = (char *)path;
	unsigned long entry = 0, sp = 0;
	struct file *f = NULL;
	struct mm *mm = NULL;
	struct kstat st;
	bool secure = false;
	long err, n;

	for (int depth = 0;; depth++) {
		if (depth > MAX_INTERP_DEPTH) {
			err = -ELOOP;
			goto out;
		}
		f = open_exec(cur_path, &err);
		if (!f)
			goto out;
		n = kernel_read(f, buf, sizeof(buf), 0);
		if (n < 0) {
			err = n;
			goto out_put;
		}
		if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
			char *interp;

			err = script_args(buf, (size_t)n, cur_path, &a, &interp);
			if (err)
				goto out_put;
			file_put(f);
			f = NULL;
			cur_path = interp;
			continue;
		}
		break;
	}
	err = vfs_fstat(f, &st);
	if (!err)
		err = build_image(f, path, &a, &mm, &entry, &sp, &secure, &st);
	if (err)
		goto out_put;
	file_put(f);
	commit_image(mm, path, &st, secure, entry, sp, tf);
	exec_args_free(a.argv);
	exec_args_free(a.envp);
	return 0;
out_put:
	file_put(f);
out:
	exec_args_free(a.argv);
	exec_args_free(a.envp);
	return err;
}
