/* Hardware faults become signals with the right siginfo, caught by
 * SA_SIGINFO handlers: SIGSEGV (NULL and kernel addresses, SEGV_MAPERR),
 * SIGFPE for an integer divide by zero (FPE_INTDIV, si_addr = the div
 * instruction), SIGILL for ud2 (ILL_ILLOPN, si_addr = the ud2), SIGTRAP for
 * int3, SIGSEGV for privileged instructions (hlt, cli, in). The program
 * goes on after each (the handler siglongjmps out). Built with musl and
 * glibc. */
#include "t.h"

static void null_read(void *a)
{
	(void)*(volatile int *)0;
}

static void kernel_write(void *a)
{
	*(volatile int *)0xffffffff81000000UL = 1;
}

extern char div_insn[], ud2_insn[], int3_after[];

static void divide(void *a)
{
	__asm__ volatile("xor %%edx, %%edx\n\t"
			 "mov $1, %%eax\n\t"
			 "xor %%ecx, %%ecx\n\t"
			 ".globl div_insn\n"
			 "div_insn: divl %%ecx\n\t" ::: "eax", "ecx", "edx");
}

static void ud2(void *a)
{
	__asm__ volatile(".globl ud2_insn\nud2_insn: ud2");
}

static void int3(void *a)
{
	__asm__ volatile("int3\n.globl int3_after\nint3_after: nop");
}

static void hlt(void *a)
{
	__asm__ volatile("hlt");
}

static void cli(void *a)
{
	__asm__ volatile("cli");
}

static void inb(void *a)
{
	__asm__ volatile("inb $0x80, %%al" ::: "eax");
}

static void jump_kernel(void *a)
{
	((void (*)(void))0xffffffff81000000UL)();
}

static void idiv_overflow(void *a)
{
	/* INT_MIN / -1 also raises #DE: SIGFPE. */
	__asm__ volatile("mov $0x80000000, %%eax\n\t"
			 "cdq\n\t"
			 "mov $-1, %%ecx\n\t"
			 "idivl %%ecx" ::: "eax", "ecx", "edx");
}

int main(int argc, char **argv)
{
	t_init(argc, argv);
	CHECK_EQ("null_read_sigsegv", t_catch(null_read, NULL), SIGSEGV);
	CHECK_EQ("null_read_maperr", t_fault_info.si_code, SEGV_MAPERR);
	CHECK("null_read_si_addr", t_fault_info.si_addr == NULL);
	CHECK_EQ("kernel_write_sigsegv", t_catch(kernel_write, NULL), SIGSEGV);
	CHECK_EQ("jump_to_kernel_sigsegv", t_catch(jump_kernel, NULL), SIGSEGV);

	CHECK_EQ("divide_by_zero_sigfpe", t_catch(divide, NULL), SIGFPE);
	CHECK_EQ("divide_by_zero_fpe_intdiv", t_fault_info.si_code, FPE_INTDIV);
	CHECK("divide_by_zero_si_addr", t_fault_info.si_addr == (void *)div_insn);
	CHECK_EQ("idiv_overflow_sigfpe", t_catch(idiv_overflow, NULL), SIGFPE);

	CHECK_EQ("ud2_sigill", t_catch(ud2, NULL), SIGILL);
	CHECK_EQ("ud2_ill_illopn", t_fault_info.si_code, ILL_ILLOPN);
	CHECK("ud2_si_addr", t_fault_info.si_addr == (void *)ud2_insn);

	CHECK_EQ("int3_sigtrap", t_catch(int3, NULL), SIGTRAP);
	CHECK_EQ("int3_si_code_kernel", t_fault_info.si_code, SI_KERNEL);

	CHECK_EQ("hlt_sigsegv", t_catch(hlt, NULL), SIGSEGV);
	CHECK_EQ("hlt_si_code_kernel", t_fault_info.si_code, SI_KERNEL);
	CHECK_EQ("cli_sigsegv", t_catch(cli, NULL), SIGSEGV);
	CHECK_EQ("inb_sigsegv", t_catch(inb, NULL), SIGSEGV);
	/* After all that, the process is fine. */
	CHECK_EQ("still_alive", t_catch(null_read, NULL), SIGSEGV);
	return t_done();
}
