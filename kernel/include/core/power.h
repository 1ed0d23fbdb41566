/* Leaving the machine: QEMU's isa-debug-exit for tests, ACPI S5 and reset. */
#ifndef SABLE_CORE_POWER_H
#define SABLE_CORE_POWER_H

#include "lib/types.h"

/*
 * QEMU `-device isa-debug-exit,iobase=0xf4,iosize=0x04`: writing v makes QEMU
 * exit with status (v << 1) | 1. Returns if the device is absent.
 */
void qemu_debug_exit(u8 value);
/* Power off through ACPI S5 (FADT PM1 control and the \_S5 object); falls
 * back to halting. */
__noreturn void power_off(void);
/* Reset through the ACPI reset register, the 0xcf9 port, the keyboard
 * controller, and finally a triple fault. */
__noreturn void power_reset(void);

#endif
