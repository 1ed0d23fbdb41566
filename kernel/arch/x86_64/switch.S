/*
 * void switch_stack(unsigned long *save_rsp, unsigned long new_rsp)
 * Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *save_rsp, and resumes the task whose stack is new_rsp. The
 * caller-saved registers are the C caller's business.
 */
	.text
	.global switch_stack
switch_stack:
	push %rbp
	mov %rsp, %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

/* First code of a new kernel thread: %r12 = fn, %r13 = arg. */
	.global kthread_trampoline
kthread_trampoline:
	call sched_finish_switch
	mov %r13, %rdi
	call *%r12
	mov %eax, %edi
	call task_exit
	ud2
