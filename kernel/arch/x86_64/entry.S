/*
 * Interrupt and exception entry. Every vector has a stub that pushes an error
 * code (a zero where the CPU pushes none) and the vector number, then the
 * common path saves the general registers as a struct trap_frame and calls
 * trap_dispatch(frame). Entries from user mode swap in the kernel GS base.
 */
#include "arch/frame.h"

	.altmacro
	.text

.macro VECTOR n
	.balign 16
vector_\n:
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	push $0
	.endif
	push $\n
	jmp trap_common
.endm

	.balign 16
trap_common:
	testb $3, 24(%rsp)		/* CS of the interrupted context */
	jz 1f
	swapgs
1:	PUSH_GPRS
	cld
	mov %rsp, %rdi
	/* Frame-pointer chain through the interrupted context for backtraces. */
	mov 8 * 17(%rsp), %rax		/* rip */
	push %rax
	push %rbp
	mov %rsp, %rbp
	call trap_dispatch
	add $16, %rsp
	.global trap_return
trap_return:
	POP_GPRS
	add $16, %rsp			/* vector and error code */
	testb $3, 8(%rsp)
	jz 1f
	swapgs
1:	iretq

	.set i, 0
	.rept 256
	VECTOR %i
	.set i, i + 1
	.endr

.macro VECTOR_ADDR n
	.quad vector_\n
.endm

	.section .rodata
	.balign 8
	.global trap_vectors
trap_vectors:
	.set i, 0
	.rept 256
	VECTOR_ADDR %i
	.set i, i + 1
	.endr
