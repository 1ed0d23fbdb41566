/* The kernel's virtual memory map (see docs/ARCHITECTURE.md, "Memory map"). */
#ifndef SABLE_MM_LAYOUT_H
#define SABLE_MM_LAYOUT_H

#define USER_END 0x0000800000000000UL      /* user space: [0, USER_END) */
#define DIRECT_MAP_BASE 0xffff800000000000UL /* all physical memory, 1:1 */
#define DIRECT_MAP_SIZE (64UL << 40)         /* room for 64 TiB */
#define KVA_BASE 0xffffc00000000000UL        /* kernel virtual area: 512 GiB */
#define KVA_SIZE (512UL << 30)
#define KERNEL_VMA 0xffffffff80000000UL      /* kernel image, top 2 GiB */

#ifndef __ASSEMBLER__
#include "lib/types.h"

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

/* Works for direct-map and kernel-image addresses. */
static inline phys_addr_t virt_to_phys(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - DIRECT_MAP_BASE;
}

/* Linker-script symbols. */
extern char __kernel_phys_start[], __boot_end[];
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __bss_start[], __bss_end[];
extern char __kernel_end[];
#endif

#endif
