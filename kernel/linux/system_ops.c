/* System calls about the system: uname, sysinfo, reboot. */
#include "arch/uaccess.h"
#include "core/power.h"
#include "core/printk.h"
#include "core/time.h"
#include "core/uts.h"
#include "lib/string.h"
#include "linux.h"
#include "mm/pmm.h"
#include "proc/process.h"
#include "sched/sched.h"
#include "abi/system.h"

SYSCALL_DEFINE(uname)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
	uts_get_hostname(u.nodename, sizeof(u.nodename));
	strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, UTS_MACHINE, sizeof(u.machine));
	uts_get_domainname(u.domainname, sizeof(u.domainname));
	return copy_to_user(ARG(0, void __user *), &u, sizeof(u)) ? -EFAULT : 0;
}

static long set_name(int (*set)(const char *, size_t), const struct syscall_args *args)
{
	size_t len = ARG(1, size_t);
	char buf[UTS_LEN + 1];

	if (current_process()->cred.euid != 0)
		return -EPERM;
	if (len > UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, ARG(0, const void __user *), len))
		return -EFAULT;
	return set(buf, len);
}

SYSCALL_DEFINE(sethostname)
{
	return set_name(uts_set_hostname, args);
}

SYSCALL_DEFINE(setdomainname)
{
	return set_name(uts_set_domainname, args);
}

static void count_proc(struct process *p, void *arg)
{
	(void)p;
	(*(unsigned int *)arg)++;
}

SYSCALL_DEFINE(sysinfo)
{
	struct linux_sysinfo si;
	unsigned int procs = 0;
	unsigned long f;

	memset(&si, 0, sizeof(si));
	si.uptime = (s64)(time_ns() / NSEC_PER_SEC);
	si.totalram = pmm_total_pages() * PAGE_SIZE;
	si.freeram = pmm_free_pages() * PAGE_SIZE;
	f = spin_lock_irqsave(&proc_tree_lock);
	proc_for_each(count_proc, &procs);
	spin_unlock_irqrestore(&proc_tree_lock, f);
	si.procs = (u16)procs;
	si.mem_unit = 1;
	return copy_to_user(ARG(0, void __user *), &si, sizeof(si)) ? -EFAULT : 0;
}

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_MAGIC2A 85072278
#define LINUX_REBOOT_MAGIC2B 369367448
#define LINUX_REBOOT_MAGIC2C 537993216
#define LINUX_REBOOT_CMD_RESTART 0x01234567
#define LINUX_REBOOT_CMD_HALT 0xcdef0123
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

SYSCALL_DEFINE(reboot)
{
	u32 m1 = ARG(0, u32), m2 = ARG(1, u32), cmd = ARG(2, u32);

	if (current_process()->cred.euid != 0)
		return -EPERM;
	if (m1 != LINUX_REBOOT_MAGIC1 ||
	    (m2 != LINUX_REBOOT_MAGIC2 && m2 != LINUX_REBOOT_MAGIC2A &&
	     m2 != LINUX_REBOOT_MAGIC2B && m2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		power_reset();
	case LINUX_REBOOT_CMD_POWER_OFF:
		power_off();
	case LINUX_REBOOT_CMD_HALT:
		pr_emerg("System halted.\n");
		cpu_halt_forever();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0; /* Ctrl-Alt-Del is not wired to anything; both settings hold */
	default:
		return -EINVAL;
	}
}
