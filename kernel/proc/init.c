/*
 * The first process. It starts as a kernel thread, becomes pid 1 with the
 * console on fds 0, 1 and 2, and execs the init program; from then on it is
 * an ordinary process.
 */
#include "arch/syscall.h"
#include "arch/trap.h"
#include "arch/cpu.h"
#include "core/bootinfo.h"
#include "core/panic.h"
#include "core/printk.h"
#include "fs/fdtable.h"
#include "fs/initramfs.h"
#include "fs/vfs.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "proc/process.h"

struct init_args {
	char path[256];
	char *argv[8];
	char *envp[8];
	int argc, envc;
};

static const struct rlimit_k default_rlimits[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK] = { 8UL << 20, RLIM_INFINITY },
	[RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NPROC] = { 4096, 4096 },
	[RLIMIT_NOFILE] = { 1024, 4096 },
	[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
	[RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_SIGPENDING] = { 4096, 4096 },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

static char **dup_vector(char *const *v, int n)
{
	char **out = kzalloc(sizeof(char *) * (size_t)(n + 1));

	if (!out)
		return NULL;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		out[i] = kmalloc(len);
		if (!out[i]) {
			exec_args_free(out);
			return NULL;
		}
		memcpy(out[i], v[i], len);
	}
	return out;
}

static void open_console(struct process *p)
{
	struct fs_context ctx = { p->fs, &p->cred };
	struct file *f = vfs_open(&ctx, NULL, "/dev/console", O_RDWR, 0);

	if (IS_ERR(f)) {
		pr_warn("init: cannot open /dev/console (%ld); no stdin, stdout, stderr\n", PTR_ERR(f));
		return;
	}
	/* fds 0, 1, 2: one open file description, as Linux's init gets. */
	for (int i = 0; i < 3; i++)
		fd_alloc(p->files, f, 0, false, 3);
	file_put(f);
}

static int init_thread(void *arg)
{
	struct init_args *ia = arg;
	struct task *t = current_task();
	struct process *p = init_process;
	struct trap_frame *tf = (struct trap_frame *)((char *)t->kstack + KSTACK_SIZE) - 1;
	char **argv, **envp;
	long err;

	if (fpu_state_alloc(&t->fpu))
		panic("init: no memory for the FPU state");
	t->sig = task_signals_alloc(NULL);
	if (!t->sig)
		panic("init: no memory");
	t->tid = p->pid;
	strlcpy(t->comm, "init", sizeof(t->comm));
	proc_add_thread(p, t);
	t->user_frame = tf;
	open_console(p);
	argv = dup_vector(ia->argv, ia->argc);
	envp = dup_vector(ia->envp, ia->envc);
	if (!argv || !envp)
		panic("init: no memory");
	memset(tf, 0, sizeof(*tf));
	err = proc_execve(ia->path, argv, ia->argc, envp, ia->envc, tf);
	if (err)
		panic("cannot run %s as init: error %ld", ia->path, err);
	pr_info("init: running %s as pid 1\n", ia->path);
	kfree(ia);
	return_to_user(tf);
}

int proc_start_init(const char *path, char *const argv[], int argc, char *const envp[], int envc)
{
	struct init_args *ia = kzalloc(sizeof(*ia));
	struct process *p;
	struct task *t;

	if (!ia || argc > 7 || envc > 7)
		return -ENOMEM;
	strlcpy(ia->path, path, sizeof(ia->path));
	for (int i = 0; i < argc; i++)
		ia->argv[i] = argv[i];
	for (int i = 0; i < envc; i++)
		ia->envp[i] = envp[i];
	ia->argc = argc;
	ia->envc = envc;

	p = proc_alloc();
	if (IS_ERR(p))
		return (int)PTR_ERR(p);
	if (p->pid != 1)
		panic("init got pid %d", p->pid);
	memset(&p->cred, 0, sizeof(p->cred));
	memcpy(p->rlimits, default_rlimits, sizeof(p->rlimits));
	p->files = fd_table_create();
	p->fs = fs_state_create();
	p->signals = signal_state_alloc();
	p->mm = NULL;
	p->sid = p->pgid = 1;
	p->exit_signal = SIGCHLD;
	strlcpy(p->comm, "init", sizeof(p->comm));
	if (!p->files || !p->fs || !p->signals)
		return -ENOMEM;
	init_process = p;
	proc_link_child(NULL, p);
	t = kthread_create("init", init_thread, ia);
	return IS_ERR(t) ? (int)PTR_ERR(t) : 0;
}

/*
 * From kmain: the initramfs becomes the root file system and its init
 * program (init= on the command line, else /init) becomes pid 1. Without
 * an initramfs or an init, the kernel says so and stops.
 */
void proc_boot_init(const char *init_path)
{
	static char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/sbin:/bin:/usr/sbin:/usr/bin" };
	struct fs_context ctx = { NULL, &root_cred };
	char *argv[2] = { (char *)init_path, NULL };
	struct kstat st;
	long err;

	if (!boot_info.initrd_start) {
		pr_emerg("No initramfs was given, so there is no %s to run.\n", init_path);
		pr_emerg("Boot Sable with an initramfs: QEMU -initrd FILE, or a GRUB module2 line.\n");
		goto halt;
	}
	err = initramfs_unpack_boot();
	if (err) {
		pr_emerg("The initramfs (%llu bytes) could not be unpacked: error %ld.\n",
			 (unsigned long long)boot_info.initrd_size, err);
		goto halt;
	}
	ctx.fs = fs_state_create();
	err = ctx.fs ? vfs_stat(&ctx, NULL, init_path, LOOKUP_FOLLOW, &st) : -ENOMEM;
	if (ctx.fs)
		fs_state_put(ctx.fs);
	if (err) {
		pr_emerg("The initramfs has no %s: nothing to run.\n", init_path);
		goto halt;
	}
	err = proc_start_init(init_path, argv, 1, envp, 3);
	if (err) {
		pr_emerg("Cannot start %s: error %ld.\n", init_path, err);
		goto halt;
	}
	return;
halt:
	pr_emerg("System halted.\n");
	cpu_halt_forever();
}
