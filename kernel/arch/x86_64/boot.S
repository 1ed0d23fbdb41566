/*
 * First instructions. Two ways in, both in 32-bit protected mode with paging off:
 *  - PVH (QEMU -kernel): the XEN_ELFNOTE_PHYS32_ENTRY note names pvh_entry;
 *    %ebx holds the physical address of struct hvm_start_info.
 *  - Multiboot2 (GRUB): mb2_entry, %eax = 0x36d76289, %ebx = the boot information.
 * Both build boot page tables (identity and direct map of the first 4 GiB, the
 * kernel image at -2 GiB), enter long mode and call kmain(protocol, info).
 */
#include "mm/layout.h"

#define BOOT_PVH 1
#define BOOT_MULTIBOOT2 2
#define MB2_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289

	.section .boot.header, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	.balign 8
	.short 0, 0			/* end tag */
	.long 8
mb2_header_end:

	.section .note.pvh, "a", @note
	.balign 4
	.long 4				/* namesz: "Xen" */
	.long 8				/* descsz */
	.long 18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad pvh_entry
	.balign 4

	.section .boot.text, "ax"
	.code32
	.global mb2_entry
mb2_entry:
	cli
	cmp $MB2_BOOT_MAGIC, %eax
	jne no_boot_magic
	movl $BOOT_MULTIBOOT2, boot_protocol
	movl %ebx, boot_info_phys
	jmp common32

	.global pvh_entry
pvh_entry:
	cli
	movl $BOOT_PVH, boot_protocol
	movl %ebx, boot_info_phys

common32:
	mov $boot32_stack_top, %esp
	cld

	/* Long mode (CPUID 0x80000001 EDX bit 29) is required. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz no_long_mode
	mov %edx, %ebp			/* keep: bit 20 is NX */

	/* Zero the boot page tables. */
	mov $boot_pml4, %edi
	xor %eax, %eax
	mov $(7 * 4096 / 4), %ecx
	rep stosl

	/* PML4: [0] identity, [256] direct map, [511] kernel image. */
	movl $(boot_pdpt_low + 3), boot_pml4
	movl $(boot_pdpt_low + 3), boot_pml4 + 256 * 8
	movl $(boot_pdpt_high + 3), boot_pml4 + 511 * 8

	/* PDPT low: four page directories, 4 GiB. PDPT high: the -2 GiB slot. */
	mov $boot_pd, %eax
	or $3, %eax
	xor %ecx, %ecx
1:	mov %eax, boot_pdpt_low(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jne 1b
	movl $(boot_pd + 3), boot_pdpt_high + 510 * 8
	movl $(boot_pd + 4096 + 3), boot_pdpt_high + 511 * 8

	/* 2048 PDEs of 2 MiB pages: present, writable, large. */
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, boot_pd(, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax			/* high dword: bits 32.. of the address */
	mov %eax, boot_pd + 4(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 1b

	/* PAE, then EFER.LME (and NXE when present), then paging. */
	mov %cr4, %eax
	or $(1 << 5), %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx
	rdmsr
	or $(1 << 8), %eax
	test $(1 << 20), %ebp
	jz 1f
	or $(1 << 11), %eax
1:	wrmsr
	mov %cr0, %eax
	or $0x80000001, %eax
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_low

no_boot_magic:
	mov $msg_magic, %esi
	jmp early_fail
no_long_mode:
	mov $msg_lm, %esi
early_fail:
	/* Say why on COM1 (polled), then stop. */
1:	lodsb
	test %al, %al
	jz 2f
	mov %al, %bl
	mov $0x3fd, %dx
3:	inb %dx, %al
	test $0x20, %al
	jz 3b
	mov $0x3f8, %dx
	mov %bl, %al
	outb %al, %dx
	jmp 1b
2:	cli
	hlt
	jmp 2b

	.code64
long_mode_low:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	movabs $long_mode_high, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
	.global boot_protocol, boot_info_phys
boot_protocol:
	.long 0
boot_info_phys:
	.long 0
msg_magic:
	.asciz "Sable: not started by a Multiboot2 or PVH loader\r\n"
msg_lm:
	.asciz "Sable: this CPU has no 64-bit long mode\r\n"

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.global boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	.skip 1024
boot32_stack_top:

	.text
	.code64
long_mode_high:
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp
	push $0				/* terminates the backtrace */
	mov boot_protocol, %edi
	mov boot_info_phys, %esi
	call kmain
1:	cli
	hlt
	jmp 1b

	.section .bss.boot_stack, "aw", @nobits
	.balign 16
	.global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 16384
boot_stack_top:
