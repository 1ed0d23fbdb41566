/* CPU identification: vendor, brand, and the feature bits the kernel uses. */
#include "arch/cpu.h"
#include "core/printk.h"
#include "lib/string.h"

struct cpu_features cpu_features;
bool cpu_has_smap;

void cpu_detect(void)
{
	struct cpu_features *f = &cpu_features;
	u32 a, b, c, d, max, maxext;

	cpuid(0, 0, &max, &b, &c, &d);
	memcpy(f->vendor, &b, 4);
	memcpy(f->vendor + 4, &d, 4);
	memcpy(f->vendor + 8, &c, 4);
	f->vendor[12] = '\0';

	cpuid(1, 0, &a, &b, &c, &d);
	f->stepping = a & 0xf;
	f->model = (a >> 4) & 0xf;
	f->family = (a >> 8) & 0xf;
	if (f->family == 0xf)
		f->family += (a >> 20) & 0xff;
	if (f->family >= 6)
		f->model |= ((a >> 16) & 0xf) << 4;
	f->apic = d & (1u << 9);
	f->x2apic = c & (1u << 21);
	f->tsc_deadline = c & (1u << 24);
	f->xsave = c & (1u << 26);
	f->rdrand = c & (1u << 30);
	f->hypervisor = c & (1u << 31);

	if (max >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		f->smep = b & (1u << 7);
		f->smap = b & (1u << 20);
		f->rdseed = b & (1u << 18);
	}

	cpuid(0x80000000, 0, &maxext, &b, &c, &d);
	if (maxext >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		f->nx = d & (1u << 20);
		f->pdpe1gb = d & (1u << 26);
	}
	if (maxext >= 0x80000004) {
		u32 *p = (u32 *)f->brand;

		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, p += 4)
			cpuid(leaf, 0, &p[0], &p[1], &p[2], &p[3]);
		f->brand[48] = '\0';
	}
	if (maxext >= 0x80000007) {
		cpuid(0x80000007, 0, &a, &b, &c, &d);
		f->invariant_tsc = d & (1u << 8);
	}
}
