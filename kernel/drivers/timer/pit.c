/*
 * The 8254 PIT as a reference clock. Channel 2 is the one software can both
 * start and watch without an interrupt: its gate is port 0x61 bit 0 and its
 * output reads back in port 0x61 bit 5. Programmed in mode 0 (interrupt on
 * terminal count) with the gate low, it starts counting when the gate is
 * raised and its output goes high when the count runs out, so a window of a
 * known number of 1.193182 MHz clocks can be timed by polling. Channel 0
 * (IRQ 0) is not the tick (that is the LAPIC timer); the self tests use it
 * as a known interrupt source for the IOAPIC.
 */
#include "arch/cpu.h"
#include "core/spinlock.h"
#include "drivers/timer.h"

#define PIT_CH0_DATA 0x40
#define PIT_CH2_DATA 0x42
#define PIT_CMD 0x43
#define PIT_CMD_CH0 (0u << 6)
#define PIT_CMD_CH2 (2u << 6)
#define PIT_CMD_LOHI (3u << 4) /* low byte then high byte */
#define PIT_CMD_MODE0 (0u << 1)
#define PIT_CMD_MODE2 (2u << 1) /* rate generator */

#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20

/*
 * Enough polls of port 0x61 for the longest count (55 ms) even if a port
 * read took only 10 ns; a missing PIT ends the loop instead of hanging it.
 */
#define POLL_LIMIT 10000000u

/* The command port, channel 0, channel 2 and port 0x61. Held with interrupts off for the whole window,
 * so that an interrupt cannot stretch the measurement. */
static struct spinlock pit_lock = SPINLOCK_INIT("pit");

u64 pit_measure_tsc(u16 pit_ticks)
{
	unsigned long f;
	u64 t0, t1;
	u32 polls = 0;
	u8 b;

	if (!pit_ticks)
		return 0;
	f = spin_lock_irqsave(&pit_lock);
	/* Gate low and speaker off while the count is loaded. */
	b = inb(PORT_B) & ~(PORT_B_GATE2 | PORT_B_SPEAKER);
	outb(PORT_B, b);
	outb(PIT_CMD, PIT_CMD_CH2 | PIT_CMD_LOHI | PIT_CMD_MODE0);
	outb(PIT_CH2_DATA, pit_ticks & 0xff);
	outb(PIT_CH2_DATA, pit_ticks >> 8);

	outb(PORT_B, b | PORT_B_GATE2);
	t0 = rdtsc();
	while (!(inb(PORT_B) & PORT_B_OUT2)) {
		if (++polls == POLL_LIMIT)
			break;
	}
	t1 = rdtsc();
	outb(PORT_B, b);
	spin_unlock_irqrestore(&pit_lock, f);
	return polls == POLL_LIMIT ? 0 : t1 - t0;
}

void pit_wait_us(u64 us)
{
	/* Chunks of 50 ms stay below the 16-bit count limit (54.9 ms). */
	while (us) {
		u64 chunk = MIN(us, 50000u);
		u64 ticks = (chunk * PIT_HZ + 999999) / 1000000;

		pit_measure_tsc((u16)ticks);
		us -= chunk;
	}
}

void pit_ch0_periodic(u32 hz)
{
	u32 count = (PIT_HZ + hz / 2) / hz;
	unsigned long f;

	if (count < 2)
		count = 2; /* mode 2 does not work with 1 */
	if (count > 0xffff)
		count = 0; /* 0 means 65536 */
	f = spin_lock_irqsave(&pit_lock);
	outb(PIT_CMD, PIT_CMD_CH0 | PIT_CMD_LOHI | PIT_CMD_MODE2);
	outb(PIT_CH0_DATA, count & 0xff);
	outb(PIT_CH0_DATA, (count >> 8) & 0xff);
	spin_unlock_irqrestore(&pit_lock, f);
}

void pit_ch0_stop(void)
{
	unsigned long f = spin_lock_irqsave(&pit_lock);

	/* A mode 0 control word with no count after it: the output goes low
	 * and stays there until a count is written. */
	outb(PIT_CMD, PIT_CMD_CH0 | PIT_CMD_LOHI | PIT_CMD_MODE0);
	spin_unlock_irqrestore(&pit_lock, f);
}
