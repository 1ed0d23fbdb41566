/*
 * Kernel page tables. vmm_init() replaces the boot tables with: a direct map
 * of every region in the memory map at DIRECT_MAP_BASE (2 MiB pages where the
 * alignment allows, never executable), and the kernel image at KERNEL_VMA with
 * text read-only and executable, rodata read-only, data and bss writable and
 * not executable. The low identity map of the boot tables is gone after it.
 */
#include "arch/cpu.h"
#include "core/bootinfo.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define LARGE_PAGE_SIZE (2UL << 20)

u64 *kernel_pml4;
static u64 nx_mask;                /* PTE_NX if the CPU has NX, else 0 */
static struct spinlock kernel_pt_lock = SPINLOCK_INIT("kernel page tables");

static inline unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 0x1ff;
}

static inline u64 *table_of(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* The entry at `level` (4 = PML4 .. 1 = PT) for va; tables made on the way if create. */
static u64 *walk_to(u64 *pml4, unsigned long va, int level, bool create)
{
	u64 *table = pml4;

	for (int l = 4; l > level; l--) {
		u64 *e = &table[pt_index(va, l)];

		if (!(*e & PTE_P)) {
			phys_addr_t pa;

			if (!create)
				return NULL;
			pa = pmm_alloc_zeroed_page();
			if (!pa)
				return NULL;
			/* Upper levels are permissive; the leaf entry decides. */
			*e = pa | PTE_P | PTE_W | (va < USER_END ? PTE_U : 0);
		} else if (*e & PTE_PS) {
			return NULL; /* inside a large page */
		}
		table = table_of(*e);
	}
	return &table[pt_index(va, level)];
}

u64 *vmm_walk(u64 *pml4, unsigned long va, bool create)
{
	return walk_to(pml4, va, 1, create);
}

int vmm_map_page(u64 *pml4, unsigned long va, phys_addr_t pa, u64 flags)
{
	u64 *pte = vmm_walk(pml4, va, true);

	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_P)
		return -EEXIST;
	*pte = (pa & PTE_ADDR_MASK) | (flags & ~PTE_NX) | (flags & nx_mask) | PTE_P;
	invlpg(va);
	return 0;
}

int vmm_unmap_page(u64 *pml4, unsigned long va, phys_addr_t *pa_out)
{
	u64 *pte = vmm_walk(pml4, va, false);

	if (!pte || !(*pte & PTE_P))
		return -ENOENT;
	if (pa_out)
		*pa_out = *pte & PTE_ADDR_MASK;
	*pte = 0;
	invlpg(va);
	return 0;
}

phys_addr_t vmm_translate(u64 *pml4, unsigned long va)
{
	u64 *table = pml4;

	for (int l = 4; l >= 1; l--) {
		u64 e = table[pt_index(va, l)];

		if (!(e & PTE_P))
			return (phys_addr_t)-1;
		if (l == 1 || (e & PTE_PS)) {
			u64 span = 1UL << (12 + 9 * (l - 1));

			return ((e & PTE_ADDR_MASK) & ~(span - 1)) | (va & (span - 1));
		}
		table = table_of(e);
	}
	return (phys_addr_t)-1;
}

static int map_large(u64 *pml4, unsigned long va, phys_addr_t pa, u64 flags)
{
	u64 *pde = walk_to(pml4, va, 2, true);

	if (!pde)
		return -ENOMEM;
	if (*pde & PTE_PS)
		return 0;
	if (*pde & PTE_P)
		return -EEXIST; /* split into 4 KiB pages already: the caller maps those */
	*pde = pa | flags | PTE_PS;
	return 0;
}

/* Direct-map [start, end): 2 MiB pages in the aligned middle, 4 KiB at the edges. */
static int direct_map_range(u64 *pml4, u64 start, u64 end)
{
	u64 flags = PAGE_KERNEL_RW & (~PTE_NX | nx_mask);
	int err;

	for (u64 pa = ALIGN_DOWN(start, PAGE_SIZE); pa < end;) {
		unsigned long va = DIRECT_MAP_BASE + pa;

		if (IS_ALIGNED(pa, LARGE_PAGE_SIZE) && pa + LARGE_PAGE_SIZE <= end &&
		    map_large(pml4, va, pa, flags) == 0) {
			pa += LARGE_PAGE_SIZE;
			continue;
		} else {
			u64 *pde = walk_to(pml4, va, 2, false);

			if (pde && (*pde & PTE_PS)) { /* already covered by a large page */
				pa = ALIGN_UP(pa + 1, LARGE_PAGE_SIZE);
				continue;
			}
			err = vmm_map_page(pml4, va, pa, flags);
			if (err == -EEXIST)
				err = 0;
			pa += PAGE_SIZE;
		}
		if (err)
			return err;
	}
	return 0;
}

static int map_image_range(u64 *pml4, const char *start, const char *end, u64 flags)
{
	for (unsigned long va = (unsigned long)start; va < (unsigned long)end; va += PAGE_SIZE) {
		int err = vmm_map_page(pml4, va, virt_to_phys((void *)va), flags);

		if (err)
			return err;
	}
	return 0;
}

static int build_kernel_tables(u64 *pml4)
{
	int err = 0;

	for (unsigned int i = 0; i < boot_info.mem_count && !err; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		/* RAM and ACPI tables always; other reserved ranges (firmware,
		 * holes) only below 4 GiB, where tables and devices live. */
		if (r->type == BOOT_MEM_BAD ||
		    (r->type == BOOT_MEM_RESERVED && r->base >= (4UL << 30)))
			continue;
		err = direct_map_range(pml4, r->base, r->base + r->len);
	}
	if (err)
		return err;
	/* The pages of the image itself, for the allocator's page_address(). */
	err = direct_map_range(pml4, (u64)__kernel_phys_start, virt_to_phys(__kernel_end));
	if (!err)
		err = map_image_range(pml4, __text_start, __text_end, PAGE_KERNEL_RX);
	if (!err)
		err = map_image_range(pml4, __rodata_start, __rodata_end, PAGE_KERNEL_RO);
	if (!err)
		err = map_image_range(pml4, __data_start, __kernel_end, PAGE_KERNEL_RW);
	return err;
}

int vmm_init(void)
{
	phys_addr_t root = pmm_alloc_zeroed_page();
	u64 *pml4;
	int err;

	if (!root)
		return -ENOMEM;
	nx_mask = cpu_features.nx ? PTE_NX : 0;
	pml4 = phys_to_virt(root);
	err = build_kernel_tables(pml4);
	if (err)
		return err;
	/* Every kernel-half PML4 entry that will ever be used exists from now
	 * on, so an address space made later can share the kernel half by
	 * copying these entries (see mm_create). */
	for (unsigned long va = KVA_BASE; va < KVA_BASE + KVA_SIZE; va += 1UL << 39) {
		if (!walk_to(pml4, va, 3, true))
			return -ENOMEM;
	}
	write_cr3(root);
	kernel_pml4 = pml4;

	write_cr0(read_cr0() | CR0_WP);
	write_cr4(read_cr4() | CR4_PGE);
	if (cpu_features.smep)
		write_cr4(read_cr4() | CR4_SMEP);
	if (cpu_features.smap) {
		write_cr4(read_cr4() | CR4_SMAP);
		cpu_has_smap = true;
	}
	pr_info("vmm: kernel page tables at %#llx, direct map at %#lx, NX %s, SMEP %s, SMAP %s\n", (unsigned long long)root, DIRECT_MAP_BASE,
		nx_mask ? "on" : "off", cpu_features.smep ? "on" : "off",
		cpu_features.smap ? "on" : "off");
	return 0;
}

void *ioremap(phys_addr_t pa, size_t size)
{
	unsigned long f = spin_lock_irqsave(&kernel_pt_lock);
	u64 start = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + size, PAGE_SIZE);
	void *ret = phys_to_virt(pa);

	for (u64 p = start; p < end; p += PAGE_SIZE) {
		unsigned long va = DIRECT_MAP_BASE + p;
		u64 *pde = walk_to(kernel_pml4, va, 2, false);
		int err;

		if (pde && (*pde & PTE_PS))
			continue; /* already in the direct map */
		err = vmm_map_page(kernel_pml4, va, p, PAGE_KERNEL_MMIO);
		if (err && err != -EEXIST) {
			ret = NULL;
			break;
		}
	}
	spin_unlock_irqrestore(&kernel_pt_lock, f);
	return ret;
}
