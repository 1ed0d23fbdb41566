/* The serial port as a terminal: receive interrupts feed the line discipline. */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "core/printk.h"
#include "core/subsystem.h"
#include "drivers/console.h"
#include "drivers/tty.h"

#define COM1 0x3f8
#define COM1_IRQ 4
#define REG_IER 1
#define IER_RX 0x01

struct tty serial_tty;

static void serial_tty_output(struct tty *tty, const char *s, size_t n)
{
	(void)tty;
	for (size_t i = 0; i < n; i++)
		serial_putc(s[i]);
}

static void serial_irq(struct trap_frame *tf, void *arg)
{
	int c;

	(void)tf;
	(void)arg;
	while ((c = serial_getc()) >= 0)
		tty_receive(&serial_tty, (u8)c);
}

static int serial_tty_init(void)
{
	int err;

	tty_init(&serial_tty, "ttyS0", serial_tty_output);
	err = irq_route_isa(COM1_IRQ, serial_irq, NULL);
	if (err)
		return err;
	outb(COM1 + REG_IER, IER_RX);
	/* Characters typed before the interrupt was on are in the FIFO. */
	serial_irq(NULL, NULL);
	return 0;
}

SUBSYSTEM(serial_tty, DEPS("ioapic", "process"), serial_tty_init, false);
