/*
 * Per-CPU state, reached through the GS base. Only the boot CPU exists until
 * SMP bring-up, but nothing may assume there is one CPU.
 */
#ifndef SABLE_ARCH_PERCPU_H
#define SABLE_ARCH_PERCPU_H

#define MAX_CPUS 64
#define GDT_ENTRIES 9

/* Selectors; the user ones are laid out for SYSRET (STAR). */
#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_USER_CS32 0x18
#define SEL_USER_DS 0x20
#define SEL_USER_CS 0x28
#define SEL_TSS 0x30

#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP 16
#define PERCPU_CURRENT 24

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE 8192

struct task;

struct cpu_local {
	struct cpu_local *self; /* %gs:0 */
	u64 kernel_rsp;         /* %gs:8: top of the running task's kernel stack */
	u64 user_rsp;           /* %gs:16: scratch for the syscall entry */
	struct task *current;   /* %gs:24: the running task */
	u32 id;                 /* logical CPU number */
	u32 apic_id;
	struct task *idle;      /* runs when nothing else can */
	volatile bool need_resched; /* set by the tick, checked on the way to user mode */
	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct tss tss __aligned(16);
	u8 ist_stacks[3][IST_STACK_SIZE] __aligned(16);
};

extern struct cpu_local cpu_boot;

static inline struct cpu_local *this_cpu(void)
{
	struct cpu_local *c;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}
#endif /* __ASSEMBLER__ */

#endif
