/*
 * The only instructions that touch user memory. Each may fault; its entry in
 * the exception table sends the fault handler to the fixup, which returns what
 * is left, so the caller turns a fault into -EFAULT.
 */
	.text

/* size_t copy_user_generic(void *dst, const void *src, size_t n) */
	.global copy_user_generic
copy_user_generic:
	push %rbp
	mov %rsp, %rbp
	mov %rdx, %rcx
1:	rep movsb
2:	mov %rcx, %rax
	pop %rbp
	ret

/* long strncpy_user_generic(char *dst, const char *src, size_t n):
 * bytes copied including the NUL; 0 if no NUL in n bytes; -1 on a fault. */
	.global strncpy_user_generic
strncpy_user_generic:
	push %rbp
	mov %rsp, %rbp
	xor %eax, %eax
	test %rdx, %rdx
	jz 5f
3:	movb (%rsi, %rax), %cl
	movb %cl, (%rdi, %rax)
	inc %rax
	test %cl, %cl
	jz 5f
	cmp %rdx, %rax
	jb 3b
	xor %eax, %eax			/* no NUL within n */
5:	pop %rbp
	ret
6:	mov $-1, %rax
	pop %rbp
	ret

	.section .ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.quad 3b, 6b
