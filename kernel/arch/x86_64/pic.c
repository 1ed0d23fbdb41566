/*
 * The legacy 8259 interrupt controllers. Sable routes device interrupts
 * through the IOAPIC, but the 8259s are still there on PC-compatible boards
 * and come out of reset delivering IRQ 0-7 on vectors 8-15, on top of the CPU
 * exceptions. They are reprogrammed to 0x20-0x2f and fully masked; a masked
 * 8259 can still raise a spurious IRQ 7 or 15, which then lands on 0x27 or
 * 0x2f where traps.c drops it (no EOI: the 8259 did not set an in-service
 * bit for it).
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/trap.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

#define ICW1_INIT 0x10 /* start the initialisation sequence */
#define ICW1_ICW4 0x01 /* an ICW4 follows */
#define ICW4_8086 0x01 /* 8086 mode, normal EOI */
#define ICW3_MASTER_SLAVE_ON_IR2 0x04
#define ICW3_SLAVE_ID 0x02

void pic_disable(void)
{
	/* Mask first so nothing is delivered half-way through reprogramming. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);

	/* io_wait() between writes: old 8259s need time between ICWs. */
	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	io_wait();
	outb(PIC1_DATA, VEC_LEGACY_PIC);
	io_wait();
	outb(PIC2_DATA, VEC_LEGACY_PIC + 8);
	io_wait();
	outb(PIC1_DATA, ICW3_MASTER_SLAVE_ON_IR2);
	io_wait();
	outb(PIC2_DATA, ICW3_SLAVE_ID);
	io_wait();
	outb(PIC1_DATA, ICW4_8086);
	io_wait();
	outb(PIC2_DATA, ICW4_8086);
	io_wait();

	/* The init sequence leaves the mask register clear: mask again. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}
