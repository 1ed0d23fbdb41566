/* System calls about the system: uname, sysinfo, reboot. */
#include "arch/uaccess.h"
#include "core/power.h"
#include "core/printk.h"
#include "core/time.h"
#include "lib/string.h"
#include "linux.h"
#include "mm/pmm.h"
#include "proc/process.h"
#include "sched/sched.h"

/* uname(2): the release is one glibc accepts (it checks a minimum version). */
#define LINUX_UTS_SYSNAME "Linux"
#define LINUX_UTS_RELEASE "6.1.0-sable"
#define LINUX_UTS_VERSION "#1 SMP Sable 0.1.0"
#define LINUX_UTS_MACHINE "x86_64"

struct linux_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

char linux_hostname[65] = "sable";
char linux_domainname[65] = "(none)";

SYSCALL_DEFINE(uname)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, LINUX_UTS_SYSNAME, sizeof(u.sysname));
	strlcpy(u.nodename, linux_hostname, sizeof(u.nodename));
	strlcpy(u.release, LINUX_UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, LINUX_UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, LINUX_UTS_MACHINE, sizeof(u.machine));
	strlcpy(u.domainname, linux_domainname, sizeof(u.domainname));
	return copy_to_user(ARG(0, void __user *), &u, sizeof(u)) ? -EFAULT : 0;
}

static long set_name(char *dst, const struct syscall_args *args)
{
	size_t len = ARG(1, size_t);
	char buf[65];

	if (current_process()->cred.euid != 0)
		return -EPERM;
	if (len > 64)
		return -EINVAL;
	if (copy_from_user(buf, ARG(0, const void __user *), len))
		return -EFAULT;
	buf[len] = '\0';
	strlcpy(dst, buf, 65);
	return 0;
}

SYSCALL_DEFINE(sethostname)
{
	return set_name(linux_hostname, args);
}

SYSCALL_DEFINE(setdomainname)
{
	return set_name(linux_domainname, args);
}

struct linux_sysinfo {
	s64 uptime;
	u64 loads[3];
	u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	u16 procs;
	u16 pad;
	u32 pad2;
	u64 totalhigh, freehigh;
	u32 mem_unit;
	char f[4];
};

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
