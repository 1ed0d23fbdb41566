/* 16550 UART on COM1 (I/O port 0x3f8): 115200 8N1, FIFOs on, polled output. */
#include "arch/cpu.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "drivers/console.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static bool serial_present;

void serial_early_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x80); /* DLAB: divisor follows */
	outb(COM1 + REG_DATA, 1);   /* 115200 baud */
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x03); /* 8N1 */
	outb(COM1 + REG_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + REG_MCR, 0x0b); /* DTR, RTS, OUT2 */
	/* A missing UART reads back 0xff from the line status register. */
	serial_present = inb(COM1 + REG_LSR) != 0xff;
}

void serial_putc(char c)
{
	unsigned int spins = 0;

	if (!serial_present)
		return;
	while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY) && spins++ < 100000)
		cpu_relax();
	outb(COM1 + REG_DATA, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

bool serial_has_input(void)
{
	return serial_present && (inb(COM1 + REG_LSR) & LSR_DATA_READY);
}

int serial_getc(void)
{
	if (!serial_has_input())
		return -1;
	return inb(COM1 + REG_DATA);
}
