/* x86_64 CPU primitives: port I/O, MSRs, control registers, interrupts. */
#ifndef SABLE_ARCH_CPU_H
#define SABLE_ARCH_CPU_H

#include "lib/types.h"

#define RFLAGS_IF (1UL << 9)

#define MSR_EFER 0xc0000080
#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_NXE (1UL << 11)
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_APIC_BASE 0x1b

#define CR0_WP (1UL << 16)
#define CR4_PGE (1UL << 7)
#define CR4_OSFXSR (1UL << 9)
#define CR4_SMEP (1UL << 20)
#define CR4_SMAP (1UL << 21)

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void cpu_halt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

static inline unsigned long read_rflags(void)
{
	unsigned long f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f) :: "memory");
	return f;
}

static inline unsigned long irq_save(void)
{
	unsigned long f = read_rflags();

	irq_disable();
	return f;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		irq_enable();
}

static inline bool irqs_enabled(void) { return read_rflags() & RFLAGS_IF; }

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void io_wait(void) { outb(0x80, 0); }

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

#define DEFINE_CR(n)                                                         \
	static inline unsigned long read_cr##n(void)                         \
	{                                                                    \
		unsigned long v;                                             \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v) :: "memory"); \
		return v;                                                    \
	}                                                                    \
	static inline void write_cr##n(unsigned long v)                      \
	{                                                                    \
		__asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory");    \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(unsigned long va)
{
	__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}

/* SMAP: user-memory access windows (no-ops when SMAP is off, since the
 * instructions fault without the feature they are patched out at runtime by
 * checking cpu_has_smap). */
extern bool cpu_has_smap;
static inline void stac(void) { if (cpu_has_smap) __asm__ volatile("stac" ::: "memory", "cc"); }
static inline void clac(void) { if (cpu_has_smap) __asm__ volatile("clac" ::: "memory", "cc"); }

struct cpu_features {
	char vendor[13];
	char brand[49];
	u32 family, model, stepping;
	bool nx, smep, smap, pdpe1gb, invariant_tsc, rdrand, rdseed, apic, x2apic,
		xsave, tsc_deadline, hypervisor;
};
extern struct cpu_features cpu_features;
void cpu_detect(void);

__noreturn void cpu_halt_forever(void);

#endif
