/* GDT and TSS: flat segments for kernel and user, a TSS with IST stacks so a
 * double fault or an NMI always has a good stack. */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "arch/trap.h"
#include "lib/string.h"

struct cpu_local cpu_boot;

struct gdt_ptr {
	u16 limit;
	u64 base;
} __packed;

static void set_tss_descriptor(u64 *gdt, struct tss *tss)
{
	u64 base = (u64)tss, limit = sizeof(*tss) - 1;

	gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

static void cpu_local_setup(struct cpu_local *c)
{
	c->self = c;
	c->gdt[0] = 0;
	c->gdt[SEL_KERNEL_CS / 8] = 0x00af9a000000ffffUL;
	c->gdt[SEL_KERNEL_DS / 8] = 0x00cf92000000ffffUL;
	c->gdt[SEL_USER_CS32 / 8] = 0x00cffa000000ffffUL;
	c->gdt[SEL_USER_DS / 8] = 0x00cff2000000ffffUL;
	c->gdt[SEL_USER_CS / 8] = 0x00affa000000ffffUL;
	memset(&c->tss, 0, sizeof(c->tss));
	c->tss.iomap_base = sizeof(c->tss); /* no I/O bitmap */
	for (int i = 0; i < 3; i++)
		c->tss.ist[i] = (u64)&c->ist_stacks[i][IST_STACK_SIZE];
	set_tss_descriptor(c->gdt, &c->tss);
}

void gdt_init(void)
{
	struct cpu_local *c = &cpu_boot;
	struct gdt_ptr p;

	cpu_local_setup(c);
	p.limit = sizeof(c->gdt) - 1;
	p.base = (u64)c->gdt;
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"mov %2, %%ds\n\t"
		"mov %2, %%es\n\t"
		"mov %2, %%ss\n\t"
		:: "m"(p), "i"(SEL_KERNEL_CS), "r"((u64)SEL_KERNEL_DS) : "rax", "memory");
	__asm__ volatile("ltr %w0" :: "r"(SEL_TSS));
	wrmsr(MSR_GS_BASE, (u64)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
