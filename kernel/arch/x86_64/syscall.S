/*
 * The SYSCALL entry. The CPU leaves the user rip in %rcx and rflags in %r11
 * and masks IF/DF/TF/AC (see syscall_init_cpu). The stub builds the same
 * struct trap_frame as an interrupt (vector SYSCALL_VECTOR, the syscall
 * number kept in error_code as the "original rax" for restarts) and returns
 * through trap_return with iretq.
 */
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
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	mov 8 * 17(%rsp), %rax		/* user rip, for the backtrace chain */
	push %rax
	push %rbp
	mov %rsp, %rbp
	sti
	call syscall_dispatch
	cli
	add $16, %rsp
	jmp trap_return

/* A new thread's first return to user mode: %r12 holds its trap frame. */
	.global ret_from_fork
ret_from_fork:
	call sched_finish_switch
	cli
	mov %r12, %rsp
	jmp trap_return
