/*
 * panic(): the last words. Interrupts off, the registers (for traps), a
 * symbolized backtrace, then what the command line asked for: `panic=exit`
 * leaves QEMU through isa-debug-exit (tests), `panic=reboot` resets, the
 * default halts so the message stays on screen.
 */
#include "arch/cpu.h"
#include "arch/trap.h"
#include "core/panic.h"
#include "core/power.h"
#include "core/printk.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/layout.h"

/* The symbol table made at link time (tools/gen-ksyms.sh). */
extern const u64 ksym_count;
extern const u64 ksym_addrs[];
extern const u32 ksym_name_offsets[];
extern const char ksym_names[];

void printk_panic_unlock(void);

int panic_action; /* 0 halt, 1 exit QEMU, 2 reboot; set from panic= */
static volatile int panicking;

bool ksym_lookup(unsigned long addr, const char **name, unsigned long *offset,
		 unsigned long *size)
{
	u64 lo = 0, hi = ksym_count;

	if (!ksym_count || addr < ksym_addrs[0] || addr >= (unsigned long)__text_end)
		return false;
	/* Last symbol whose address is <= addr. */
	while (hi - lo > 1) {
		u64 mid = (lo + hi) / 2;

		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*name = ksym_names + ksym_name_offsets[lo];
	*offset = addr - ksym_addrs[lo];
	*size = (lo + 1 < ksym_count ? ksym_addrs[lo + 1] : (u64)__text_end) - ksym_addrs[lo];
	return true;
}

static void print_address(unsigned long addr)
{
	const char *name;
	unsigned long off, size;

	if (ksym_lookup(addr, &name, &off, &size))
		printk(KERN_EMERG "  [<%016lx>] %s+0x%lx/0x%lx\n", addr, name, off, size);
	else
		printk(KERN_EMERG "  [<%016lx>] ?\n", addr);
}

static bool kernel_stack_address(unsigned long a)
{
	return a >= KERNEL_VMA || (a >= DIRECT_MAP_BASE && a < DIRECT_MAP_BASE + DIRECT_MAP_SIZE);
}

static void walk_frames(unsigned long rbp)
{
	for (int depth = 0; depth < 32 && rbp; depth++) {
		const unsigned long *frame = (const unsigned long *)rbp;

		if (!kernel_stack_address(rbp) || (rbp & 7))
			break;
		if (!frame[1])
			break;
		/* The return address points after the call; -1 names the caller's line. */
		print_address(frame[1] - 1);
		if (frame[0] <= rbp)
			break; /* stacks grow down: a frame above must be at a higher address */
		rbp = frame[0];
	}
}

void backtrace_from(unsigned long rip, unsigned long rbp)
{
	printk(KERN_EMERG "Call trace:\n");
	if (rip)
		print_address(rip);
	walk_frames(rbp);
}

/*
 * A trap can land in a function that has no frame: gcc gives leaf functions
 * none, and a function's first instructions run before its frame exists. The
 * return address is then on the stack at the trap's rsp, not behind rbp.
 */
static void backtrace_trap(const struct trap_frame *tf)
{
	const char *name;
	unsigned long off, size;
	const u8 *start;

	printk(KERN_EMERG "Call trace:\n");
	print_address(tf->rip);
	if (ksym_lookup(tf->rip, &name, &off, &size) && kernel_stack_address(tf->rsp)) {
		start = (const u8 *)(tf->rip - off);
		if (start[0] != 0x55 /* push %rbp */ || off == 0)
			print_address(*(const unsigned long *)tf->rsp - 1);
		else if (off == 1)
			print_address(*(const unsigned long *)(tf->rsp + 8) - 1);
	}
	walk_frames(tf->rbp);
}

void backtrace(void)
{
	backtrace_from(0, (unsigned long)__builtin_frame_address(0));
}

static __noreturn void panic_finish(void)
{
	if (panic_action == 1)
		qemu_debug_exit(0x7f);
	if (panic_action == 2)
		power_reset();
	printk(KERN_EMERG "System halted.\n");
	cpu_halt_forever();
}

static void panic_begin(void)
{
	irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) {
		/* A panic inside panic: stop here. */
		cpu_halt_forever();
	}
	printk_panic_unlock();
}

__noreturn void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	panic_begin();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic: %s\n", msg);
	backtrace();
	panic_finish();
}

__noreturn void panic_frame(struct trap_frame *tf, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	panic_begin();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic: %s\n", msg);
	trap_dump_frame(tf);
	backtrace_trap(tf);
	panic_finish();
}

void warn_slowpath(const char *file, int line, const char *what)
{
	printk(KERN_WARNING "WARNING at %s:%d: %s\n", file, line, what);
	backtrace();
}

__noreturn void cpu_halt_forever(void)
{
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}
