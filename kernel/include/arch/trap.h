/* Traps and interrupts: the saved register frame and vector handlers. */
#ifndef SABLE_ARCH_TRAP_H
#define SABLE_ARCH_TRAP_H

#include "lib/types.h"

/* Pushed by the entry stubs (kernel/arch/x86_64/entry.S); order matters. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;
	u64 error_code;
	/* pushed by the CPU */
	u64 rip, cs, rflags, rsp, ss;
};

/* Exceptions */
#define VEC_DE 0
#define VEC_DB 1
#define VEC_NMI 2
#define VEC_BP 3
#define VEC_UD 6
#define VEC_NM 7
#define VEC_DF 8
#define VEC_GP 13
#define VEC_PF 14

/* Device interrupts */
#define VEC_LEGACY_PIC 0x20   /* 0x20..0x2f: the masked 8259s, spurious only */
#define VEC_IRQ_BASE 0x30     /* IOAPIC: GSI n arrives on VEC_IRQ_BASE + n */
#define VEC_IRQ_COUNT 64
#define VEC_LAPIC_TIMER 0xec
#define VEC_LAPIC_ERROR 0xfe
#define VEC_SPURIOUS 0xff

typedef void (*irq_handler_fn)(struct trap_frame *tf, void *arg);

/* Installs fn for vector; -EBUSY if taken, -EINVAL for exception vectors. */
int irq_set_handler(u8 vector, irq_handler_fn fn, void *arg);
void irq_clear_handler(u8 vector);
/* Set by the interrupt controller driver: acknowledges the current interrupt. */
extern void (*irq_eoi)(void);
/* An exception in user mode (other than a page fault): the process
 * subsystem turns it into a signal. */
extern void (*user_trap_hook)(struct trap_frame *tf);
/* Interrupts taken per vector since boot (for /proc/interrupts later). */
extern u64 irq_counts[256];

/* Exception-table fixups: an instruction allowed to fault and where to go. */
struct ex_entry {
	unsigned long insn;
	unsigned long fixup;
};

void gdt_init(void);
void idt_init(void);
void trap_dump_frame(const struct trap_frame *tf);

#endif
