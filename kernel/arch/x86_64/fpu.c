/*
 * FPU state: XSAVE/XRSTOR with every user state component the CPU offers
 * among x87, SSE and AVX (enough for what glibc and musl use), or
 * FXSAVE/FXRSTOR on CPUs without XSAVE. An all-zero XSAVE header restores the
 * reset state, which is how a fresh thread starts.
 */
#include "arch/cpu.h"
#include "arch/fpu.h"
#include "core/printk.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/slab.h"

#define CR0_MP (1UL << 1)
#define CR0_EM (1UL << 2)
#define CR0_TS (1UL << 3)
#define CR0_NE (1UL << 5)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_OSXSAVE (1UL << 18)
#define XSTATE_X87 (1UL << 0)
#define XSTATE_SSE (1UL << 1)
#define XSTATE_AVX (1UL << 2)

size_t fpu_state_size = 512;
u64 fpu_xcr0;
static bool use_xsave;

static inline void xsetbv(u32 reg, u64 v)
{
	__asm__ volatile("xsetbv" :: "c"(reg), "a"((u32)v), "d"((u32)(v >> 32)));
}

void fpu_init_cpu(void)
{
	u32 a, b, c, d;

	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	if (cpu_features.xsave) {
		cpuid(0xd, 0, &a, &b, &c, &d);
		fpu_xcr0 = XSTATE_X87 | XSTATE_SSE | (a & XSTATE_AVX);
		write_cr4(read_cr4() | CR4_OSXSAVE);
		xsetbv(0, fpu_xcr0);
		/* With XCR0 set, EBX of leaf 0xd gives the size for those components. */
		cpuid(0xd, 0, &a, &b, &c, &d);
		fpu_state_size = b;
		use_xsave = true;
	}
	__asm__ volatile("fninit");
}

int fpu_state_alloc(struct fpu_state *s)
{
	/* kmalloc's power-of-two classes are naturally aligned, so 64 holds. */
	s->area = kmalloc(MAX(fpu_state_size, 64));
	if (!s->area)
		return -ENOMEM;
	if ((unsigned long)s->area & 63) { /* XSAVE faults on a misaligned area */
		kfree(s->area);
		s->area = NULL;
		return -EINVAL;
	}
	fpu_state_reset(s);
	return 0;
}

void fpu_state_free(struct fpu_state *s)
{
	kfree(s->area);
	s->area = NULL;
}

void fpu_state_copy(struct fpu_state *dst, const struct fpu_state *src)
{
	memcpy(dst->area, src->area, fpu_state_size);
}

void fpu_state_reset(struct fpu_state *s)
{
	memset(s->area, 0, fpu_state_size);
	if (!use_xsave) {
		*(u16 *)(s->area + 0) = 0x37f;    /* FCW: all exceptions masked */
		*(u32 *)(s->area + 24) = 0x1f80;  /* MXCSR */
	}
}

void fpu_save(struct fpu_state *s)
{
	if (use_xsave)
		__asm__ volatile("xsave64 (%0)" :: "r"(s->area), "a"((u32)fpu_xcr0),
				 "d"((u32)(fpu_xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" :: "r"(s->area) : "memory");
}

void fpu_restore(const struct fpu_state *s)
{
	if (use_xsave)
		__asm__ volatile("xrstor64 (%0)" :: "r"(s->area), "a"((u32)fpu_xcr0),
				 "d"((u32)(fpu_xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" :: "r"(s->area) : "memory");
}
