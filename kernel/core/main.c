/*
 * kmain: from the boot stub to a running kernel. The console and CPU tables
 * first, so that anything after can say what went wrong; then every subsystem
 * through the registry, in dependency order; then the self tests or init.
 */
#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/syscall.h"
#include "arch/trap.h"
#include "core/bootinfo.h"
#include "core/ktest.h"
#include "core/panic.h"
#include "core/power.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/console.h"
#include "lib/cmdline.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/vmm.h"
#include "proc/process.h"
#include "sched/sched.h"

#define SABLE_VERSION "0.1.0"

u64 boot_tsc;
extern int panic_action;

static struct console serial_console = { .name = "ttyS0", .write = serial_write };
static struct console vga_console = { .name = "tty0", .write = vga_write };
static bool want_serial = true, want_vga = true;

static void parse_console_args(const char *line)
{
	char key[32], val[64];
	bool has_value, any = false;
	const char *p = line;

	while ((p = cmdline_next(p, key, sizeof(key), val, sizeof(val), &has_value))) {
		if (strcmp(key, "console") || !has_value)
			continue;
		if (!any)
			want_serial = want_vga = false;
		any = true;
		if (!strncmp(val, "ttyS0", 5))
			want_serial = true;
		else if (!strncmp(val, "tty0", 4) || !strncmp(val, "tty1", 4))
			want_vga = true;
	}
}

static void parse_cmdline(void)
{
	const char *line = boot_info.cmdline;
	char val[16];
	long level;

	if (cmdline_get_int(line, "loglevel", &level) == 0)
		printk_set_console_level((int)level + 1);
	if (cmdline_has(line, "quiet"))
		printk_set_console_level(5);
	if (cmdline_get(line, "panic", val, sizeof(val)) >= 0) {
		if (!strcmp(val, "exit"))
			panic_action = 1;
		else if (!strcmp(val, "reboot"))
			panic_action = 2;
	}
	parse_console_args(line);
}

static void print_memory_map(void)
{
	pr_info("Memory map from %s:\n", boot_info.loader);
	for (unsigned int i = 0; i < boot_info.mem_count; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		pr_info("  [0x%012llx-0x%012llx] %s\n", (unsigned long long)r->base,
			(unsigned long long)(r->base + r->len - 1), boot_mem_type_name(r->type));
	}
}

static int vga_console_init(void)
{
	if (!want_vga)
		return 0;
	if (!ioremap(0xb8000, 80 * 25 * 2))
		return -1;
	vga_early_init();
	console_register(&vga_console);
	return 0;
}
SUBSYSTEM(vga_console, DEPS("vmm"), vga_console_init, false);

/* Boot-test hooks: `test.fault` takes a kernel page fault (to check the panic
 * report), `test.power=off|reset` leaves through ACPI. */
static __attribute__((noinline)) void test_fault(void)
{
	*(volatile u32 *)0xdead0000UL = 1;
}

static void run_test_hooks(void)
{
	char val[16];

	if (cmdline_has(boot_info.cmdline, "test.fault"))
		test_fault();
	if (cmdline_get(boot_info.cmdline, "test.power", val, sizeof(val)) > 0) {
		if (!strcmp(val, "off"))
			power_off();
		if (!strcmp(val, "reset"))
			power_reset();
	}
}

static void print_boot_time(void)
{
	u64 cycles = rdtsc() - boot_tsc;

	if (tsc_khz)
		pr_info("Kernel initialised in %llu.%03llu ms (TSC %llu.%03llu MHz)\n",
			(unsigned long long)(cycles / tsc_khz),
			(unsigned long long)(cycles * 1000 / tsc_khz % 1000),
			(unsigned long long)(tsc_khz / 1000),
			(unsigned long long)(tsc_khz % 1000));
}

void kmain(u32 protocol, u32 info_phys);
void kmain(u32 protocol, u32 info_phys)
{
	u64 entry_tsc = rdtsc();
	int err;

	memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
	boot_tsc = entry_tsc;
	serial_early_init();
	cpu_detect();
	gdt_init();
	idt_init();
	fpu_init_cpu();
	syscall_init_cpu();
	err = bootinfo_parse(protocol, info_phys);
	parse_cmdline();
	if (want_serial)
		console_register(&serial_console);

	pr_notice("Sable %s (x86_64) — a kernel that runs Linux programs\n", SABLE_VERSION);
	if (err)
		panic("boot loader information not understood (protocol %u)", protocol);
	pr_info("Command line: %s\n", boot_info.cmdline);
	pr_info("CPU: %s %s (family %u model %u stepping %u)%s\n", cpu_features.vendor,
		cpu_features.brand, cpu_features.family, cpu_features.model,
		cpu_features.stepping, cpu_features.hypervisor ? " under a hypervisor" : "");
	print_memory_map();
	if (boot_info.initrd_start)
		pr_info("initramfs at %#llx, %llu bytes\n",
			(unsigned long long)boot_info.initrd_start,
			(unsigned long long)boot_info.initrd_size);

	subsystem_init_all();
	subsystem_print_table();
	print_boot_time();
	run_test_hooks();

	if (cmdline_has(boot_info.cmdline, "ktest")) {
		int failed = ktest_run_all();

		qemu_debug_exit(failed ? 1 : 0);
		panic("ktest finished but isa-debug-exit is not present");
	}
	{
		char init_path[128] = "/init";

		if (cmdline_get(boot_info.cmdline, "init", init_path, sizeof(init_path)) <= 0)
			strlcpy(init_path, "/init", sizeof(init_path));
		proc_boot_init(init_path);
	}
	/* kmain's work is done; the scheduler runs init and everything after it. */
	task_exit(0);
}
