/*
 * Linux x86_64 signal ABI: struct sigaction as the kernel takes it
 * (rt_sigaction), siginfo_t (128 bytes), stack_t, struct sigcontext, the
 * kernel's struct ucontext and the rt_sigframe pushed for a handler.
 * Layouts follow asm/signal.h, asm-generic/siginfo.h, asm/sigcontext.h and
 * asm/ucontext.h of the Linux UAPI headers.
 */
#ifndef SABLE_LINUX_ABI_SIGNAL_H
#define SABLE_LINUX_ABI_SIGNAL_H

#include "lib/types.h"

struct linux_sigaction {
	u64 sa_handler;
	u64 sa_flags;
	u64 sa_restorer;
	u64 sa_mask; /* the kernel's sigset_t: 64 bits */
};

struct linux_stack_t {
	u64 ss_sp;
	s32 ss_flags;
	s32 pad;
	u64 ss_size;
};

/* siginfo_t: three ints, then a union padded to 128 bytes in all. */
struct linux_siginfo {
	s32 si_signo;
	s32 si_errno;
	s32 si_code;
	s32 pad0;
	union {
		struct {
			s32 pid;
			u32 uid;
		} kill;
		struct {
			s32 pid;
			u32 uid;
			s32 status;
			s32 pad;
			s64 utime;
			s64 stime;
		} sigchld;
		struct {
			u64 addr;
		} sigfault;
		struct {
			s32 pid;
			u32 uid;
			u64 value;
		} rt;
		u8 bytes[128 - 16];
	} u;
};

struct linux_sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	u64 eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate; /* user address of the FPU state */
	u64 reserved1[8];
};

#define LINUX_UC_FP_XSTATE 0x1
#define LINUX_UC_SIGCONTEXT_SS 0x2
#define LINUX_UC_STRICT_RESTORE_SS 0x4

struct linux_ucontext {
	u64 uc_flags;
	u64 uc_link;
	struct linux_stack_t uc_stack;
	struct linux_sigcontext uc_mcontext;
	u64 uc_sigmask;
};

struct linux_rt_sigframe {
	u64 pretcode; /* sa_restorer: the handler returns into it */
	struct linux_ucontext uc;
	struct linux_siginfo info;
	/* the FPU state follows, 64-byte aligned */
};

/* The software-reserved bytes 464..511 of the FXSAVE area (asm/sigcontext.h). */
#define LINUX_FP_XSTATE_MAGIC1 0x46505853U
#define LINUX_FP_XSTATE_MAGIC2 0x46505845U
struct linux_fpx_sw_bytes {
	u32 magic1;
	u32 extended_size;
	u64 xfeatures;
	u32 xstate_size;
	u32 padding[7];
};

#endif
