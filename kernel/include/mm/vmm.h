/*
 * Page tables (4-level) and the kernel address space. The helpers take the
 * root table so later per-process address spaces use the same code.
 */
#ifndef SABLE_MM_VMM_H
#define SABLE_MM_VMM_H

#include "lib/types.h"

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_A (1UL << 5)
#define PTE_D (1UL << 6)
#define PTE_PS (1UL << 7)
#define PTE_G (1UL << 8)
#define PTE_NX (1UL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000UL

/* Kernel mapping kinds */
#define PAGE_KERNEL_RW (PTE_P | PTE_W | PTE_NX | PTE_G)
#define PAGE_KERNEL_RO (PTE_P | PTE_NX | PTE_G)
#define PAGE_KERNEL_RX (PTE_P | PTE_G)
#define PAGE_KERNEL_MMIO (PTE_P | PTE_W | PTE_NX | PTE_G | PTE_PCD | PTE_PWT)

extern u64 *kernel_pml4; /* virtual address of the kernel's root table */

/* Build the kernel page tables (direct map, image with W^X), switch to them,
 * turn on NX/WP/SMEP/SMAP. Returns 0 or a negative errno. */
int vmm_init(void);

/* Map one 4 KiB page; -EEXIST if mapped, -ENOMEM if a table can't be allocated. */
int vmm_map_page(u64 *pml4, unsigned long va, phys_addr_t pa, u64 flags);
/* Unmap one 4 KiB page; returns the frame through pa_out. -ENOENT if unmapped. */
int vmm_unmap_page(u64 *pml4, unsigned long va, phys_addr_t *pa_out);
/* Physical address va maps to, or -1 (also follows 2 MiB and 1 GiB pages). */
phys_addr_t vmm_translate(u64 *pml4, unsigned long va);
/* The 4 KiB PTE for va, creating tables if create; NULL if absent or a large page. */
u64 *vmm_walk(u64 *pml4, unsigned long va, bool create);

/* Map device memory uncached; the result is phys_to_virt(pa) plus offset. */
void *ioremap(phys_addr_t pa, size_t size);

#endif
