/*
 * The SYSCALL entry. The CPU leaves the user rip in %rcx and rflags in %r11
 * and masks IF/DF/TF/AC (see syscall_init_cpu). The stub builds the same
 * struct trap_frame as an interrupt (vector SYSCALL_VECTOR, the syscall
 * number kept in error_code as the "original rax" for restarts) and returns
 * with SYSRET, or through trap_return with IRET when the frame was changed.
 */
#include "arch/frame.h"
#include "arch/percpu.h"

#define SYSCALL_VECTOR 0x100

	.text
	.global syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:PERCPU_USER_RSP
	mov %gs:PERCPU_KERNEL_RSP, %rsp
	push $(SEL_USER_DS | 3)
	push %gs:PERCPU_USER_RSP
	push %r11
	push $(SEL_USER_CS | 3)
	push %rcx
	push %rax			/* error_code: the original rax */
	push $SYSCALL_VECTOR
	PUSH_GPRS
	mov %rsp, %rdi
	mov 8 * 17(%rsp), %rax		/* user rip, for the backtrace chain */
	push %rax
	push %rbp
	mov %rsp, %rbp
	sti
	call syscall_dispatch
	cli
	add $16, %rsp

	/*
	 * SYSRET when the frame still is what SYSCALL made: rcx == rip,
	 * r11 == rflags, user selectors, no TF or RF, and a canonical rip below
	 * the last user page (SYSRET to a non-canonical rip faults in ring 0 on
	 * Intel CPUs). Anything else (a signal frame, execve, sigreturn) leaves
	 * through IRET.
	 */
	mov 8 * 12(%rsp), %rcx
	cmp 8 * 17(%rsp), %rcx
	jne trap_return
	mov 8 * 4(%rsp), %r11
	cmp 8 * 19(%rsp), %r11
	jne trap_return
	cmpq $(SEL_USER_CS | 3), 8 * 18(%rsp)
	jne trap_return
	cmpq $(SEL_USER_DS | 3), 8 * 21(%rsp)
	jne trap_return
	test $0x10100, %r11		/* RF, TF */
	jnz trap_return
	movabs $0x00007ffffffff000, %rax
	cmp %rax, %rcx
	jae trap_return
	POP_GPRS
	mov 8 * 5(%rsp), %rsp		/* past vector, error, rip, cs, rflags: the user rsp */
	swapgs
	sysretq

/* A new thread's first return to user mode: %r12 holds its trap frame. */
	.global ret_from_fork
ret_from_fork:
	call sched_finish_switch
	cli
	mov %r12, %rsp
	jmp trap_return
