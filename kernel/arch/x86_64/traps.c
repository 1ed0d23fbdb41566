/*
 * The IDT and trap dispatch. Exceptions in the kernel are fatal unless the
 * faulting instruction has an exception-table fixup (user-memory copies);
 * device interrupts go to the handler installed for their vector.
 */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "arch/syscall.h"
#include "arch/trap.h"
#include "core/panic.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "lib/errno.h"
#include "mm/mm.h"
#include "proc/signal.h"

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;

static struct idt_gate idt[256] __aligned(16);
extern const u64 trap_vectors[256];

struct irq_slot {
	irq_handler_fn fn;
	void *arg;
};
static struct irq_slot irq_slots[256]; /* [irq_lock] */
static struct spinlock irq_lock = SPINLOCK_INIT("irq");
u64 irq_counts[256];
void (*irq_eoi)(void);
void (*user_trap_hook)(struct trap_frame *tf);

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization exception",
	"control protection exception", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security exception", "reserved",
};

static void set_gate(int vec, u64 handler, u8 ist, u8 dpl)
{
	struct idt_gate *g = &idt[vec];

	g->offset_lo = handler & 0xffff;
	g->selector = SEL_KERNEL_CS;
	g->ist = ist;
	g->type_attr = 0x8e | (u8)(dpl << 5); /* present, interrupt gate */
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_hi = (u32)(handler >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed p = { sizeof(idt) - 1, (u64)idt };

	for (int v = 0; v < 256; v++)
		set_gate(v, trap_vectors[v], 0, 0);
	set_gate(VEC_DF, trap_vectors[VEC_DF], IST_DOUBLE_FAULT, 0);
	set_gate(VEC_NMI, trap_vectors[VEC_NMI], IST_NMI, 0);
	set_gate(18, trap_vectors[18], IST_MACHINE_CHECK, 0);
	set_gate(VEC_BP, trap_vectors[VEC_BP], 0, 3);
	__asm__ volatile("lidt %0" :: "m"(p));
}

int irq_set_handler(u8 vector, irq_handler_fn fn, void *arg)
{
	unsigned long f;
	int ret = 0;

	if (vector < 32)
		return -EINVAL;
	f = spin_lock_irqsave(&irq_lock);
	if (irq_slots[vector].fn) {
		ret = -EBUSY;
	} else {
		irq_slots[vector].arg = arg;
		irq_slots[vector].fn = fn;
	}
	spin_unlock_irqrestore(&irq_lock, f);
	return ret;
}

void irq_clear_handler(u8 vector)
{
	unsigned long f = spin_lock_irqsave(&irq_lock);

	irq_slots[vector].fn = NULL;
	irq_slots[vector].arg = NULL;
	spin_unlock_irqrestore(&irq_lock, f);
}

static const struct ex_entry *ex_table_find(unsigned long rip)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == rip)
			return e;
	}
	return NULL;
}

void trap_dump_frame(const struct trap_frame *tf)
{
	printk(KERN_EMERG "RIP: %04llx:%016llx RFLAGS: %08llx\n",
	       (unsigned long long)tf->cs, (unsigned long long)tf->rip,
	       (unsigned long long)tf->rflags);
	printk(KERN_EMERG "RSP: %04llx:%016llx ERR: %llx\n",
	       (unsigned long long)tf->ss, (unsigned long long)tf->rsp,
	       (unsigned long long)tf->error_code);
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)tf->rax, (unsigned long long)tf->rbx,
	       (unsigned long long)tf->rcx);
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)tf->rdx, (unsigned long long)tf->rsi,
	       (unsigned long long)tf->rdi);
	printk(KERN_EMERG "RBP: %016llx R8:  %016llx R9:  %016llx\n",
	       (unsigned long long)tf->rbp, (unsigned long long)tf->r8,
	       (unsigned long long)tf->r9);
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)tf->r10, (unsigned long long)tf->r11,
	       (unsigned long long)tf->r12);
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)tf->r13, (unsigned long long)tf->r14,
	       (unsigned long long)tf->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* The signal for a user fault mm_handle_fault could not resolve. */
static void user_fault_signal(int err, unsigned long addr)
{
	switch (err) {
	case -EACCES:
		force_sig_fault(SIGSEGV, SEGV_ACCERR, addr);
		break;
	case -EIO:
		force_sig_fault(SIGBUS, BUS_ADRERR, addr);
		break;
	case -ENOMEM:
		/* Linux would pick a victim with the OOM killer; the faulting
		 * process is the one we can name here. */
		force_sig_fault(SIGKILL, 0, addr);
		break;
	default:
		force_sig_fault(SIGSEGV, SEGV_MAPERR, addr);
		break;
	}
}

static void page_fault(struct trap_frame *tf)
{
	unsigned long addr = read_cr2();
	unsigned long err = tf->error_code;
	bool user = err & PF_USER;
	const struct ex_entry *fix = user ? NULL : ex_table_find(tf->rip);
	int ret = -EFAULT;

	/*
	 * A user address touched by the program, or by a user copy in the
	 * kernel (never a kernel instruction fetch from user memory: SMEP),
	 * is the address space's business. It may sleep (reading a file), so
	 * interrupts come back on if the faulting code had them.
	 */
	if (addr < USER_END && (user || (fix && !(err & PF_INSTR)))) {
		struct mm *mm = mm_current();

		if (mm) {
			if (tf->rflags & RFLAGS_IF)
				irq_enable();
			ret = mm_handle_fault(mm, addr, err);
			irq_disable();
			if (ret == 0)
				return;
		}
	}
	if (fix) {
		/* A user-memory copy faulted: resume at its fixup, which returns -EFAULT. */
		tf->rip = fix->fixup;
		return;
	}
	if (user) {
		user_fault_signal(ret, addr);
		return;
	}
	panic_frame(tf, "page fault at %016lx: %s %s in kernel mode%s", addr,
		    (err & PF_PROT) ? "protection violation" : "page not present",
		    (err & PF_INSTR) ? "(instruction fetch)" :
		    (err & PF_WRITE) ? "(write)" : "(read)",
		    (err & PF_RSVD) ? " (reserved bit set)" : "");
}

static void exception(struct trap_frame *tf)
{
	const struct ex_entry *fix;

	if (tf->vector == VEC_PF) {
		page_fault(tf);
		return;
	}
	if (tf->vector == VEC_GP && (fix = ex_table_find(tf->rip))) {
		/* A non-canonical user pointer faults with #GP rather than #PF. */
		tf->rip = fix->fixup;
		return;
	}
	if (tf->vector == VEC_NMI) {
		pr_warn("NMI received at %016llx\n", (unsigned long long)tf->rip);
		return;
	}
	if ((tf->cs & 3) && user_trap_hook) {
		/* A program's fault is the program's problem: it gets a signal. */
		user_trap_hook(tf);
		return;
	}
	panic_frame(tf, "%s (vector %llu)", exception_names[tf->vector],
		    (unsigned long long)tf->vector);
}

void trap_dispatch(struct trap_frame *tf);
void trap_dispatch(struct trap_frame *tf)
{
	u64 v = tf->vector;
	struct irq_slot *s;

	irq_counts[v]++;
	if (v < 32) {
		exception(tf);
		goto out;
	}
	if (v >= VEC_LEGACY_PIC && v < VEC_LEGACY_PIC + 16)
		return; /* spurious IRQ from a masked 8259: no EOI */
	if (v == VEC_SPURIOUS)
		return;
	s = &irq_slots[v];
	if (s->fn)
		s->fn(tf, s->arg);
	else
		pr_warn("unexpected interrupt on vector %llu\n", (unsigned long long)v);
	if (irq_eoi)
		irq_eoi();
out:
	/* Back to a program: reschedule and deliver signals first, with
	 * interrupts on (exit_to_user may sleep). */
	if (tf->cs & 3) {
		irq_enable();
		exit_to_user(tf);
		irq_disable();
	}
}
