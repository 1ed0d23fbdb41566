/* Self tests of the memory manager: frames, page tables, the heap, user copies. */
#include "arch/uaccess.h"
#include "core/ktest.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "mm/vmm.h"

/* A kernel address no one else maps: in the kernel virtual area. */
#define TEST_VA (KVA_BASE + KVA_SIZE - 0x10000UL)

KTEST(pmm_orders_and_zones)
{
	u64 before = pmm_free_pages();

	for (unsigned int order = 0; order <= MAX_ORDER; order++) {
		struct page *p = alloc_pages(order);
		phys_addr_t pa;

		if (!p)
			return KT_FAIL("order %u allocation failed", order);
		pa = page_to_phys(p);
		if (!IS_ALIGNED(pa, PAGE_SIZE << order))
			return KT_FAIL("order %u block at %#llx is not aligned", order,
				       (unsigned long long)pa);
		memset(page_address(p), 0xa5, PAGE_SIZE << order);
		free_pages(p, order);
	}
	for (unsigned int gfp = GFP_DMA; gfp <= GFP_DMA32; gfp++) {
		struct page *p = alloc_pages_gfp(2, gfp);
		u64 limit = gfp == GFP_DMA ? (16UL << 20) : (4UL << 30);

		if (!p)
			return KT_FAIL("gfp %u allocation failed", gfp);
		if (page_to_phys(p) + (4 * PAGE_SIZE) > limit)
			return KT_FAIL("gfp %u gave %#llx", gfp, (unsigned long long)page_to_phys(p));
		free_pages(p, 2);
	}
	if (pmm_free_pages() != before)
		return KT_FAIL("free pages %llu after, %llu before",
			       (unsigned long long)pmm_free_pages(), (unsigned long long)before);
	return NULL;
}

KTEST(pmm_kernel_reserved)
{
	/* Frames of the kernel image must never be free. */
	struct page *p = phys_to_page(virt_to_phys(__text_start));

	if (!(p->flags & PG_RESERVED) || (p->flags & PG_BUDDY))
		return KT_FAIL("kernel text frame flags %#x", p->flags);
	return NULL;
}

KTEST(vmm_map_unmap)
{
	phys_addr_t pa = pmm_alloc_zeroed_page(), got;
	volatile u64 *va = (volatile u64 *)TEST_VA;
	u64 v;

	if (!pa)
		return KT_FAIL("no frame");
	if (vmm_map_page(kernel_pml4, TEST_VA, pa, PAGE_KERNEL_RW))
		return KT_FAIL("map failed");
	*va = 0x5ab1e5ab1eULL;
	if (*(u64 *)phys_to_virt(pa) != 0x5ab1e5ab1eULL)
		return KT_FAIL("write through the mapping not seen in the direct map");
	if (vmm_translate(kernel_pml4, TEST_VA + 8) != pa + 8)
		return KT_FAIL("translate gave %#llx", (unsigned long long)vmm_translate(kernel_pml4, TEST_VA + 8));
	if (vmm_map_page(kernel_pml4, TEST_VA, pa, PAGE_KERNEL_RW) != -EEXIST)
		return KT_FAIL("double map not refused");
	if (vmm_unmap_page(kernel_pml4, TEST_VA, &got) || got != pa)
		return KT_FAIL("unmap failed");
	if (vmm_translate(kernel_pml4, TEST_VA) != (phys_addr_t)-1)
		return KT_FAIL("still translated after unmap");
	/* The TLB must have forgotten it too: a read now faults (and is fixed up). */
	if (copy_from_kernel_nofault(&v, (const void *)TEST_VA, sizeof(v)) != -EFAULT)
		return KT_FAIL("read after unmap did not fault");
	if (vmm_unmap_page(kernel_pml4, TEST_VA, NULL) != -ENOENT)
		return KT_FAIL("second unmap not refused");
	pmm_free_page(pa);
	return NULL;
}

KTEST(vmm_kernel_permissions)
{
	u64 *text = vmm_walk(kernel_pml4, (unsigned long)__text_start, false);
	u64 *ro = vmm_walk(kernel_pml4, (unsigned long)__rodata_start, false);
	u64 *data = vmm_walk(kernel_pml4, (unsigned long)__data_start, false);

	if (!text || !ro || !data)
		return KT_FAIL("image not mapped with 4 KiB pages");
	if ((*text & PTE_W) || (cpu_features.nx && (*text & PTE_NX)))
		return KT_FAIL("text is writable or not executable: %#llx", (unsigned long long)*text);
	if ((*ro & PTE_W) || (cpu_features.nx && !(*ro & PTE_NX)))
		return KT_FAIL("rodata is writable or executable");
	if (!(*data & PTE_W) || (cpu_features.nx && !(*data & PTE_NX)))
		return KT_FAIL("data is read-only or executable");
	if (!(read_cr0() & CR0_WP))
		return KT_FAIL("CR0.WP is off");
	if (cpu_features.smep && !(read_cr4() & CR4_SMEP))
		return KT_FAIL("SMEP reported by CPUID but off");
	if (cpu_features.smap && !(read_cr4() & CR4_SMAP))
		return KT_FAIL("SMAP reported by CPUID but off");
	if (vmm_translate(kernel_pml4, 0) != (phys_addr_t)-1)
		return KT_FAIL("page 0 is mapped");
	return NULL;
}

KTEST(slab_kmalloc)
{
	void *ptrs[64];
	u64 before = pmm_free_pages();

	for (unsigned int i = 0; i < ARRAY_SIZE(ptrs); i++) {
		size_t size = (size_t)1 << (i % 14); /* 1 B .. 8 KiB: slabs and pages */

		ptrs[i] = kmalloc(size);
		if (!ptrs[i])
			return KT_FAIL("kmalloc(%zu) failed", size);
		memset(ptrs[i], (int)i, size);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(ptrs); i++) {
		if (*(u8 *)ptrs[i] != (u8)i)
			return KT_FAIL("object %u overwritten", i);
		if (kfree(ptrs[i]))
			return KT_FAIL("kfree of a live object failed");
	}
	(void)before;
	return NULL;
}

KTEST(slab_bad_free_detected)
{
	void *p = kmalloc(64);
	u64 bad = kmalloc_bad_frees();

	if (!p)
		return KT_FAIL("kmalloc failed");
	kfree(p);
	if (kfree(p) != -EINVAL)
		return KT_FAIL("double free not detected");
	if (kfree((char *)__data_start) != -EINVAL)
		return KT_FAIL("free of a static object not detected");
	if (kmalloc_bad_frees() < bad + 1)
		return KT_FAIL("bad frees not counted");
	return NULL;
}

KTEST(uaccess_faults)
{
	char buf[16];

	if (copy_from_user(buf, (const void __user *)0x1000, 8) != -EFAULT)
		return KT_FAIL("unmapped user address did not give -EFAULT");
	if (copy_to_user((void __user *)0x1000, buf, 8) != -EFAULT)
		return KT_FAIL("unmapped user write did not give -EFAULT");
	if (copy_from_user(buf, (const void __user *)__data_start, 8) != -EFAULT)
		return KT_FAIL("kernel address accepted as a user pointer");
	if (copy_from_user(buf, (const void __user *)(USER_END - 4), 8) != -EFAULT)
		return KT_FAIL("range crossing the user limit accepted");
	if (copy_from_user(buf, (const void __user *)0x8000000000000000UL, 8) != -EFAULT)
		return KT_FAIL("non-canonical address accepted");
	if (strncpy_from_user(buf, (const char __user *)0x2000, sizeof(buf)) != -EFAULT)
		return KT_FAIL("strncpy_from_user of an unmapped address");
	return NULL;
}
