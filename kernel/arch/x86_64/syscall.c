/* SYSCALL/SYSRET setup and the C side of the entry. */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "arch/syscall.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "sched/sched.h"

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_AC (1UL << 18)

long (*syscall_route)(struct trap_frame *tf);
void (*exit_to_user_signals)(struct trap_frame *tf);

void syscall_entry(void);
void trap_return(void);

void syscall_init_cpu(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSRET loads CS from STAR[63:48]+16 and SS from +8: user code and data. */
	wrmsr(MSR_STAR, ((u64)SEL_USER_CS32 << 48) | ((u64)SEL_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
}

void exit_to_user(struct trap_frame *tf)
{
	for (int i = 0; i < 1000; i++) {
		sched_preempt_point();
		if (exit_to_user_signals)
			exit_to_user_signals(tf);
		if (!this_cpu()->need_resched)
			break;
	}
}

void syscall_dispatch(struct trap_frame *tf);
void syscall_dispatch(struct trap_frame *tf)
{
	tf->rax = (u64)(syscall_route ? syscall_route(tf) : -ENOSYS);
	exit_to_user(tf);
}

__noreturn void enter_user(unsigned long rip, unsigned long rsp)
{
	struct trap_frame *tf = (struct trap_frame *)(this_cpu()->kernel_rsp - sizeof(*tf));

	memset(tf, 0, sizeof(*tf));
	tf->rip = rip;
	tf->rsp = rsp;
	tf->cs = SEL_USER_CS | 3;
	tf->ss = SEL_USER_DS | 3;
	tf->rflags = RFLAGS_IF | 0x2;
	__asm__ volatile("cli; mov %0, %%rsp; jmp trap_return" :: "r"(tf) : "memory");
	__builtin_unreachable();
}

__noreturn void return_to_user(struct trap_frame *tf)
{
	__asm__ volatile("cli; mov %0, %%rsp; jmp trap_return" :: "r"(tf) : "memory");
	__builtin_unreachable();
}
