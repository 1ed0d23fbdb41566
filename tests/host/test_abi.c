/*
 * The Linux compat layer's ABI against the Linux UAPI headers of
 * linux-libc-dev: the size and field offsets of every structure
 * the headers under kernel/linux/abi define, every syscall number of
 * kernel/linux/syscalls.def against __NR_<name> of asm/unistd_64.h, and every
 * errno of kernel/include/lib/errno.h against asm-generic/errno.h.
 *
 * Only kernel UAPI headers here (no <signal.h>, <sys/stat.h>, ...): glibc's
 * own definitions of the same structures would clash with them; that is also
 * why there is no <stdlib.h> (it brings struct timeval and sigset_t).
 */
#include "test.h"

#include <asm/posix_types.h>
#include <asm/signal.h>
#include <asm/sigcontext.h>
#include <asm/siginfo.h>
#include <asm/stat.h>
#include <asm/termbits.h>
#include <asm/ucontext.h>
#include <asm/unistd_64.h>
#include <asm-generic/errno.h>
#include <asm-generic/poll.h>
#include <linux/resource.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/times.h>
#include <linux/uio.h>
#include <linux/utsname.h>

#include "../../kernel/linux/abi/file.h"
#include "../../kernel/linux/abi/resource.h"
#include "../../kernel/linux/abi/signal.h"
#include "../../kernel/linux/abi/stat.h"
#include "../../kernel/linux/abi/system.h"
#include "../../kernel/linux/abi/termios.h"
#include "../../kernel/linux/abi/time.h"

/* lib/types.h defines __unused; struct stat has a field of that name. */
#undef __unused

/* sizeof both, then each field's offset and size: Sable's field s against
 * Linux's field l. */
#define SAME_SIZE(S, L) CHECK_EQ(sizeof(struct S), sizeof(L))
#define SAME_FIELD(S, s, L, l)                                                        \
	do {                                                                          \
		CHECK_EQ(offsetof(struct S, s), offsetof(L, l));                      \
		CHECK_EQ(sizeof(((struct S *)0)->s), sizeof(((L *)0)->l));            \
	} while (0)
#define SAME(S, L, f) SAME_FIELD(S, f, L, f)

TEST(abi_stat)
{
	SAME_SIZE(linux_stat, struct stat);
	SAME(linux_stat, struct stat, st_dev);
	SAME(linux_stat, struct stat, st_ino);
	SAME(linux_stat, struct stat, st_nlink);
	SAME(linux_stat, struct stat, st_mode);
	SAME(linux_stat, struct stat, st_uid);
	SAME(linux_stat, struct stat, st_gid);
	SAME_FIELD(linux_stat, pad0, struct stat, __pad0);
	SAME(linux_stat, struct stat, st_rdev);
	SAME(linux_stat, struct stat, st_size);
	SAME(linux_stat, struct stat, st_blksize);
	SAME(linux_stat, struct stat, st_blocks);
	SAME(linux_stat, struct stat, st_atime);
	SAME(linux_stat, struct stat, st_atime_nsec);
	SAME(linux_stat, struct stat, st_mtime);
	SAME(linux_stat, struct stat, st_mtime_nsec);
	SAME(linux_stat, struct stat, st_ctime);
	SAME(linux_stat, struct stat, st_ctime_nsec);
	SAME_FIELD(linux_stat, unused, struct stat, __unused);
}

TEST(abi_statx)
{
	SAME_SIZE(linux_statx_timestamp, struct statx_timestamp);
	SAME(linux_statx_timestamp, struct statx_timestamp, tv_sec);
	SAME(linux_statx_timestamp, struct statx_timestamp, tv_nsec);
	SAME_FIELD(linux_statx_timestamp, reserved, struct statx_timestamp, __reserved);

	SAME_SIZE(linux_statx, struct statx);
	SAME(linux_statx, struct statx, stx_mask);
	SAME(linux_statx, struct statx, stx_blksize);
	SAME(linux_statx, struct statx, stx_attributes);
	SAME(linux_statx, struct statx, stx_nlink);
	SAME(linux_statx, struct statx, stx_uid);
	SAME(linux_statx, struct statx, stx_gid);
	SAME(linux_statx, struct statx, stx_mode);
	SAME_FIELD(linux_statx, spare0, struct statx, __spare0);
	SAME(linux_statx, struct statx, stx_ino);
	SAME(linux_statx, struct statx, stx_size);
	SAME(linux_statx, struct statx, stx_blocks);
	SAME(linux_statx, struct statx, stx_attributes_mask);
	SAME(linux_statx, struct statx, stx_atime);
	SAME(linux_statx, struct statx, stx_btime);
	SAME(linux_statx, struct statx, stx_ctime);
	SAME(linux_statx, struct statx, stx_mtime);
	SAME(linux_statx, struct statx, stx_rdev_major);
	SAME(linux_statx, struct statx, stx_rdev_minor);
	SAME(linux_statx, struct statx, stx_dev_major);
	SAME(linux_statx, struct statx, stx_dev_minor);
	SAME(linux_statx, struct statx, stx_mnt_id);
	SAME(linux_statx, struct statx, stx_dio_mem_align);
	SAME(linux_statx, struct statx, stx_dio_offset_align);
	SAME_FIELD(linux_statx, spare3, struct statx, __spare3);
}

TEST(abi_time)
{
	SAME_SIZE(linux_timespec, struct __kernel_timespec);
	SAME(linux_timespec, struct __kernel_timespec, tv_sec);
	SAME(linux_timespec, struct __kernel_timespec, tv_nsec);

	SAME_SIZE(linux_timeval, struct __kernel_old_timeval);
	SAME(linux_timeval, struct __kernel_old_timeval, tv_sec);
	SAME(linux_timeval, struct __kernel_old_timeval, tv_usec);

	SAME_SIZE(linux_itimerval, struct itimerval);
	SAME(linux_itimerval, struct itimerval, it_interval);
	SAME(linux_itimerval, struct itimerval, it_value);

	SAME_SIZE(linux_tms, struct tms);
	SAME_FIELD(linux_tms, utime, struct tms, tms_utime);
	SAME_FIELD(linux_tms, stime, struct tms, tms_stime);
	SAME_FIELD(linux_tms, cutime, struct tms, tms_cutime);
	SAME_FIELD(linux_tms, cstime, struct tms, tms_cstime);
}

TEST(abi_resource)
{
	SAME_SIZE(linux_rlimit, struct rlimit64);
	SAME(linux_rlimit, struct rlimit64, rlim_cur);
	SAME(linux_rlimit, struct rlimit64, rlim_max);

	SAME_SIZE(linux_rusage, struct rusage);
	CHECK_EQ(offsetof(struct linux_rusage, utime_sec), offsetof(struct rusage, ru_utime.tv_sec));
	CHECK_EQ(offsetof(struct linux_rusage, utime_usec), offsetof(struct rusage, ru_utime.tv_usec));
	CHECK_EQ(offsetof(struct linux_rusage, stime_sec), offsetof(struct rusage, ru_stime.tv_sec));
	CHECK_EQ(offsetof(struct linux_rusage, stime_usec), offsetof(struct rusage, ru_stime.tv_usec));
	SAME_FIELD(linux_rusage, maxrss, struct rusage, ru_maxrss);
	SAME_FIELD(linux_rusage, ixrss, struct rusage, ru_ixrss);
	SAME_FIELD(linux_rusage, idrss, struct rusage, ru_idrss);
	SAME_FIELD(linux_rusage, isrss, struct rusage, ru_isrss);
	SAME_FIELD(linux_rusage, minflt, struct rusage, ru_minflt);
	SAME_FIELD(linux_rusage, majflt, struct rusage, ru_majflt);
	SAME_FIELD(linux_rusage, nswap, struct rusage, ru_nswap);
	SAME_FIELD(linux_rusage, inblock, struct rusage, ru_inblock);
	SAME_FIELD(linux_rusage, oublock, struct rusage, ru_oublock);
	SAME_FIELD(linux_rusage, msgsnd, struct rusage, ru_msgsnd);
	SAME_FIELD(linux_rusage, msgrcv, struct rusage, ru_msgrcv);
	SAME_FIELD(linux_rusage, nsignals, struct rusage, ru_nsignals);
	SAME_FIELD(linux_rusage, nvcsw, struct rusage, ru_nvcsw);
	SAME_FIELD(linux_rusage, nivcsw, struct rusage, ru_nivcsw);
}

TEST(abi_system)
{
	SAME_SIZE(linux_utsname, struct new_utsname);
	SAME(linux_utsname, struct new_utsname, sysname);
	SAME(linux_utsname, struct new_utsname, nodename);
	SAME(linux_utsname, struct new_utsname, release);
	SAME(linux_utsname, struct new_utsname, version);
	SAME(linux_utsname, struct new_utsname, machine);
	SAME(linux_utsname, struct new_utsname, domainname);

	SAME_SIZE(linux_sysinfo, struct sysinfo);
	SAME(linux_sysinfo, struct sysinfo, uptime);
	SAME(linux_sysinfo, struct sysinfo, loads);
	SAME(linux_sysinfo, struct sysinfo, totalram);
	SAME(linux_sysinfo, struct sysinfo, freeram);
	SAME(linux_sysinfo, struct sysinfo, sharedram);
	SAME(linux_sysinfo, struct sysinfo, bufferram);
	SAME(linux_sysinfo, struct sysinfo, totalswap);
	SAME(linux_sysinfo, struct sysinfo, freeswap);
	SAME(linux_sysinfo, struct sysinfo, procs);
	SAME(linux_sysinfo, struct sysinfo, pad);
	SAME(linux_sysinfo, struct sysinfo, totalhigh);
	SAME(linux_sysinfo, struct sysinfo, freehigh);
	SAME(linux_sysinfo, struct sysinfo, mem_unit);
	/* Linux's trailing _f[] is empty on 64-bit; Sable's f[4] fills the tail padding. */
	CHECK_EQ(offsetof(struct linux_sysinfo, f), offsetof(struct sysinfo, _f));
}

TEST(abi_file)
{
	SAME_SIZE(linux_pollfd, struct pollfd);
	SAME(linux_pollfd, struct pollfd, fd);
	SAME(linux_pollfd, struct pollfd, events);
	SAME(linux_pollfd, struct pollfd, revents);

	SAME_SIZE(linux_iovec, struct iovec);
	SAME(linux_iovec, struct iovec, iov_base);
	SAME(linux_iovec, struct iovec, iov_len);

	/* struct linux_dirent64 has no UAPI header: u64 d_ino, s64 d_off,
	 * unsigned short d_reclen, unsigned char d_type, char d_name[]. */
	CHECK_EQ(offsetof(struct linux_dirent64_head, d_ino), 0);
	CHECK_EQ(offsetof(struct linux_dirent64_head, d_off), 8);
	CHECK_EQ(offsetof(struct linux_dirent64_head, d_reclen), 16);
	CHECK_EQ(offsetof(struct linux_dirent64_head, d_type), 18);
	CHECK_EQ(sizeof(struct linux_dirent64_head), 19); /* d_name starts here */
}

TEST(abi_termios)
{
	SAME_SIZE(linux_termios, struct termios);
	SAME(linux_termios, struct termios, c_iflag);
	SAME(linux_termios, struct termios, c_oflag);
	SAME(linux_termios, struct termios, c_cflag);
	SAME(linux_termios, struct termios, c_lflag);
	SAME(linux_termios, struct termios, c_line);
	SAME(linux_termios, struct termios, c_cc);

	SAME_SIZE(linux_termios2, struct termios2);
	CHECK_EQ(offsetof(struct linux_termios2, t.c_cc), offsetof(struct termios2, c_cc));
	SAME(linux_termios2, struct termios2, c_ispeed);
	SAME(linux_termios2, struct termios2, c_ospeed);
}

TEST(abi_signal)
{
	SAME_SIZE(linux_sigaction, struct sigaction);
	SAME(linux_sigaction, struct sigaction, sa_handler);
	SAME(linux_sigaction, struct sigaction, sa_flags);
	SAME(linux_sigaction, struct sigaction, sa_restorer);
	SAME(linux_sigaction, struct sigaction, sa_mask);

	SAME_SIZE(linux_stack_t, stack_t);
	SAME(linux_stack_t, stack_t, ss_sp);
	SAME(linux_stack_t, stack_t, ss_flags);
	SAME(linux_stack_t, stack_t, ss_size);

	SAME_SIZE(linux_siginfo, siginfo_t);
	SAME(linux_siginfo, siginfo_t, si_signo);
	SAME(linux_siginfo, siginfo_t, si_errno);
	SAME(linux_siginfo, siginfo_t, si_code);
	SAME_FIELD(linux_siginfo, u.kill.pid, siginfo_t, si_pid);
	SAME_FIELD(linux_siginfo, u.kill.uid, siginfo_t, si_uid);
	SAME_FIELD(linux_siginfo, u.sigchld.pid, siginfo_t, si_pid);
	SAME_FIELD(linux_siginfo, u.sigchld.uid, siginfo_t, si_uid);
	SAME_FIELD(linux_siginfo, u.sigchld.status, siginfo_t, si_status);
	SAME_FIELD(linux_siginfo, u.sigchld.utime, siginfo_t, si_utime);
	SAME_FIELD(linux_siginfo, u.sigchld.stime, siginfo_t, si_stime);
	SAME_FIELD(linux_siginfo, u.sigfault.addr, siginfo_t, si_addr);
	SAME_FIELD(linux_siginfo, u.rt.pid, siginfo_t, si_pid);
	SAME_FIELD(linux_siginfo, u.rt.uid, siginfo_t, si_uid);
	SAME_FIELD(linux_siginfo, u.rt.value, siginfo_t, si_value);

	SAME_SIZE(linux_sigcontext, struct sigcontext);
	SAME(linux_sigcontext, struct sigcontext, r8);
	SAME(linux_sigcontext, struct sigcontext, r15);
	SAME(linux_sigcontext, struct sigcontext, rdi);
	SAME(linux_sigcontext, struct sigcontext, rsi);
	SAME(linux_sigcontext, struct sigcontext, rbp);
	SAME(linux_sigcontext, struct sigcontext, rbx);
	SAME(linux_sigcontext, struct sigcontext, rdx);
	SAME(linux_sigcontext, struct sigcontext, rax);
	SAME(linux_sigcontext, struct sigcontext, rcx);
	SAME(linux_sigcontext, struct sigcontext, rsp);
	SAME(linux_sigcontext, struct sigcontext, rip);
	SAME(linux_sigcontext, struct sigcontext, eflags);
	SAME(linux_sigcontext, struct sigcontext, cs);
	SAME(linux_sigcontext, struct sigcontext, gs);
	SAME(linux_sigcontext, struct sigcontext, fs);
	SAME(linux_sigcontext, struct sigcontext, ss);
	SAME(linux_sigcontext, struct sigcontext, err);
	SAME(linux_sigcontext, struct sigcontext, trapno);
	SAME(linux_sigcontext, struct sigcontext, oldmask);
	SAME(linux_sigcontext, struct sigcontext, cr2);
	SAME(linux_sigcontext, struct sigcontext, fpstate);
	SAME(linux_sigcontext, struct sigcontext, reserved1);

	SAME_SIZE(linux_ucontext, struct ucontext);
	SAME(linux_ucontext, struct ucontext, uc_flags);
	SAME(linux_ucontext, struct ucontext, uc_link);
	SAME(linux_ucontext, struct ucontext, uc_stack);
	SAME(linux_ucontext, struct ucontext, uc_mcontext);
	SAME(linux_ucontext, struct ucontext, uc_sigmask);
	CHECK_EQ(LINUX_UC_FP_XSTATE, UC_FP_XSTATE);
	CHECK_EQ(LINUX_UC_SIGCONTEXT_SS, UC_SIGCONTEXT_SS);
	CHECK_EQ(LINUX_UC_STRICT_RESTORE_SS, UC_STRICT_RESTORE_SS);

	SAME_SIZE(linux_fpx_sw_bytes, struct _fpx_sw_bytes);
	SAME(linux_fpx_sw_bytes, struct _fpx_sw_bytes, magic1);
	SAME(linux_fpx_sw_bytes, struct _fpx_sw_bytes, extended_size);
	SAME(linux_fpx_sw_bytes, struct _fpx_sw_bytes, xfeatures);
	SAME(linux_fpx_sw_bytes, struct _fpx_sw_bytes, xstate_size);
	SAME(linux_fpx_sw_bytes, struct _fpx_sw_bytes, padding);
	CHECK_EQ(LINUX_FP_XSTATE_MAGIC1, FP_XSTATE_MAGIC1);
	CHECK_EQ(LINUX_FP_XSTATE_MAGIC2, FP_XSTATE_MAGIC2);
}

/* Every row of the table: a name that asm/unistd_64.h lacks does not compile. */
static const struct {
	long nr, linux_nr;
	const char *name;
} syscalls[] = {
#define SYSCALL(nr, name, cat, status) { nr, __NR_##name, #name },
#include "../../kernel/linux/syscalls.def"
#undef SYSCALL
};

TEST(abi_syscall_numbers)
{
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		CHECK_MSG(syscalls[i].nr == syscalls[i].linux_nr, "syscalls.def: %s is %ld, __NR_%s is %ld",
			  syscalls[i].name, syscalls[i].nr, syscalls[i].name, syscalls[i].linux_nr);
	/* The table is in order, one row per number, and ends at __NR_syscalls - 1. */
	for (size_t i = 1; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		CHECK_MSG(syscalls[i].nr > syscalls[i - 1].nr, "syscalls.def: %s (%ld) after %s (%ld)",
			  syscalls[i].name, syscalls[i].nr, syscalls[i - 1].name, syscalls[i - 1].nr);
}

/* The Linux errno values, by name (asm-generic/errno-base.h and errno.h),
 * and the kernel-internal ones of Linux's include/linux/errno.h that never
 * reach programs. ENOTSUP is the libc name of EOPNOTSUPP. */
#define E(x) { #x, x }
static const struct {
	const char *name;
	long value;
} linux_errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
	E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK), E(EBUSY),
	E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE),
	E(ENOTTY), E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS), E(ENOTEMPTY),
	E(ELOOP), E(EWOULDBLOCK), E(ENOMSG), E(EIDRM), E(ECHRNG), E(EL2NSYNC), E(EL3HLT),
	E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL),
	E(ENOANO), E(EBADRQC), E(EBADSLT), E(EDEADLOCK), E(EBFONT), E(ENOSTR), E(ENODATA),
	E(ETIME), E(ENOSR), E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT),
	E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG), E(EOVERFLOW), E(ENOTUNIQ),
	E(EBADFD), E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC),
	E(EILSEQ), E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT),
	E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS),
	E(EISCONN), E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED),
	E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EUCLEAN),
	E(ENOTNAM), E(ENAVAIL), E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE),
	E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD),
	E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
	{ "ENOTSUP", EOPNOTSUPP },
	{ "ERESTARTSYS", 512 }, { "ERESTARTNOINTR", 513 }, { "ERESTARTNOHAND", 514 },
	{ "ENOIOCTLCMD", 515 }, { "ERESTART_RESTARTBLOCK", 516 }, { "EPROBE_DEFER", 517 },
	{ "EOPENSTALE", 518 }, { "ENOPARAM", 519 },
};
#undef E

static long linux_errno(const char *name)
{
	for (size_t i = 0; i < sizeof(linux_errnos) / sizeof(linux_errnos[0]); i++)
		if (!strcmp(linux_errnos[i].name, name))
			return linux_errnos[i].value;
	return -1;
}

/* Sable's errno.h, read as text ("#define EXXX value-or-name"): every name
 * it defines is checked, without a list here to keep up to date. */
#define ERRNO_H "kernel/include/lib/errno.h"
static struct {
	char name[48], value[48];
} sable_errnos[256];
static int n_sable_errnos;

static long decimal(const char *s)
{
	long v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return *s ? -1 : v;
}

static long sable_errno(const char *name, int depth)
{
	for (int i = 0; i < n_sable_errnos; i++) {
		if (strcmp(sable_errnos[i].name, name))
			continue;
		if (sable_errnos[i].value[0] >= '0' && sable_errnos[i].value[0] <= '9')
			return decimal(sable_errnos[i].value);
		return depth < 8 ? sable_errno(sable_errnos[i].value, depth + 1) : -1;
	}
	return -1;
}

TEST(abi_errno)
{
	FILE *f = fopen(ERRNO_H, "r");
	char line[256];

	if (!f)
		f = fopen("../../" ERRNO_H, "r");
	CHECK_MSG(f != NULL, "cannot open %s (run from the repository root)", ERRNO_H);
	if (!f)
		return;
	n_sable_errnos = 0;
	while (fgets(line, sizeof(line), f) && n_sable_errnos < 256) {
		char name[48], value[48];

		if (sscanf(line, "#define %47s %47s", name, value) != 2)
			continue;
		/* E followed by capitals: skip MAX_ERRNO and the ERR_PTR macros. */
		if (name[0] != 'E' || strchr(name, '(') || name[1] < 'A' || name[1] > 'Z')
			continue;
		strcpy(sable_errnos[n_sable_errnos].name, name);
		strcpy(sable_errnos[n_sable_errnos].value, value);
		n_sable_errnos++;
	}
	fclose(f);
	CHECK(n_sable_errnos > 30);
	for (int i = 0; i < n_sable_errnos; i++) {
		const char *name = sable_errnos[i].name;
		long s = sable_errno(name, 0), l = linux_errno(name);

		CHECK_MSG(l >= 0, "errno.h: %s is not a Linux errno name", name);
		CHECK_MSG(l < 0 || s == l, "errno.h: %s is %ld, Linux's is %ld", name, s, l);
	}
}
