/*
 * The 8254 PIT as a reference clock, counting 1.193182 MHz input clocks.
 *
 * A window is timed by reading the count back (latch command) between two
 * TSC reads at its start and at its end. Each sample is a (TSC, count) pair
 * taken within a few port accesses, so a vCPU stall or an SMI while waiting
 * does not stretch the window, as it would when polling for the output to
 * go high: only the pairing must be tight, and the tightest of a few tries
 * is kept.
 *
 * Channel 2 is the one meant for this: its gate is port 0x61 bit 0, so it
 * counts only when told to and has no interrupt line. It is run as a gated
 * one-shot (mode 0; the count keeps decrementing past zero, which the
 * modular arithmetic below allows). A machine without port 0x61 (QEMU's
 * microvm) leaves channel 2's gate low and it never counts; there channel 0,
 * whose gate is tied high, serves instead. Its IRQ 0 stays masked at the
 * IOAPIC unless a self test routes it.
 */
#include "arch/cpu.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "drivers/timer.h"

#define PIT_CH0_DATA 0x40
#define PIT_CH2_DATA 0x42
#define PIT_CMD 0x43
#define PIT_CMD_CH(ch) ((u8)((ch) << 6))
#define PIT_CMD_LATCH (0u << 4)
#define PIT_CMD_LOHI (3u << 4) /* low byte then high byte */
#define PIT_CMD_MODE0 (0u << 1)
#define PIT_CMD_MODE2 (2u << 1) /* rate generator */

#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02

#define NO_PIT (-1)
#define UNPROBED (-2)

/* Samples per window end; the one with the shortest TSC span is kept. */
#define SAMPLE_TRIES 3
/*
 * Far more samples than the longest window (55 ms) needs even at 10 ns a
 * port access; a counter that stops ends the loop instead of hanging it.
 */
#define POLL_LIMIT 10000000u

/*
 * The command port, both channels' counters and port 0x61; and pit_channel,
 * found on first use. Held with interrupts off for a whole window so that a
 * handler cannot reprogram the PIT in the middle of it.
 */
static struct spinlock pit_lock = SPINLOCK_INIT("pit");
static int pit_channel = UNPROBED;

static u16 data_port(int ch)
{
	return (u16)(PIT_CH0_DATA + ch);
}

/* Mode 0 from 0xffff: counts down from now on (channel 2: once gated). */
static void start_count(int ch)
{
	if (ch == 2) {
		u8 b = inb(PORT_B) & ~(PORT_B_GATE2 | PORT_B_SPEAKER);

		outb(PORT_B, b); /* gate low while the count is loaded */
		outb(PIT_CMD, PIT_CMD_CH(2) | PIT_CMD_LOHI | PIT_CMD_MODE0);
		outb(PIT_CH2_DATA, 0xff);
		outb(PIT_CH2_DATA, 0xff);
		outb(PORT_B, b | PORT_B_GATE2);
		return;
	}
	outb(PIT_CMD, PIT_CMD_CH(ch) | PIT_CMD_LOHI | PIT_CMD_MODE0);
	outb(data_port(ch), 0xff);
	outb(data_port(ch), 0xff);
}

static void stop_count(int ch)
{
	if (ch == 2)
		outb(PORT_B, inb(PORT_B) & ~(PORT_B_GATE2 | PORT_B_SPEAKER));
}

static u16 read_count(int ch)
{
	u8 lo, hi;

	outb(PIT_CMD, PIT_CMD_CH(ch) | PIT_CMD_LATCH);
	lo = inb(data_port(ch));
	hi = inb(data_port(ch));
	return (u16)(lo | hi << 8);
}

/* A (TSC, count) pair: the TSC at the midpoint of the count's readback. */
static void sample(int ch, u64 *tsc, u16 *count)
{
	u64 best = ~0ULL;

	for (int i = 0; i < SAMPLE_TRIES; i++) {
		u64 a = rdtsc();
		u16 c = read_count(ch);
		u64 b = rdtsc();

		if (b - a < best) {
			best = b - a;
			*tsc = a + (b - a) / 2;
			*count = c;
		}
	}
}

/* Whether channel ch counts once started; called with pit_lock held. */
static bool channel_counts(int ch)
{
	u16 a, b;
	bool moved;

	start_count(ch);
	io_wait();
	io_wait();
	a = read_count(ch);
	/* Port 0x80 writes take about a microsecond: over a PIT clock. */
	for (int i = 0; i < 200; i++)
		io_wait();
	b = read_count(ch);
	moved = a != b;
	stop_count(ch);
	return moved;
}

static int probe_channel(void)
{
	/* No port 0x61: reads of an unclaimed port return all ones. */
	if (inb(PORT_B) != 0xff && channel_counts(2))
		return 2;
	if (channel_counts(0)) {
		pr_info("pit: channel 2 cannot be gated (no port 0x61); timing with channel 0\n");
		return 0;
	}
	pr_warn("pit: no counting 8254 found\n");
	return NO_PIT;
}

bool pit_present(void)
{
	unsigned long f = spin_lock_irqsave(&pit_lock);
	bool present;

	if (pit_channel == UNPROBED)
		pit_channel = probe_channel();
	present = pit_channel != NO_PIT;
	spin_unlock_irqrestore(&pit_lock, f);
	return present;
}

u64 pit_measure_tsc(u16 pit_ticks)
{
	u64 t0, t1, cycles = 0;
	u32 elapsed = 0, polls = 0;
	unsigned long f;
	u16 c0, c1, prev;
	int ch;

	if (!pit_ticks)
		return 0;
	f = spin_lock_irqsave(&pit_lock);
	if (pit_channel == UNPROBED)
		pit_channel = probe_channel();
	ch = pit_channel;
	if (ch == NO_PIT)
		goto unlock;

	start_count(ch);
	/* The count is loaded on the next input clock: let that pass. */
	io_wait();
	io_wait();
	sample(ch, &t0, &c0);
	prev = c0;
	do {
		sample(ch, &t1, &c1);
		/* Down-counting, mod 2^16: right while samples are < 55 ms apart. */
		elapsed += (u16)(prev - c1);
		prev = c1;
	} while (elapsed < pit_ticks && ++polls < POLL_LIMIT);
	stop_count(ch);
	if (elapsed >= pit_ticks)
		cycles = (t1 - t0) * pit_ticks / elapsed; /* scaled to exactly pit_ticks */
unlock:
	spin_unlock_irqrestore(&pit_lock, f);
	return cycles;
}

void pit_wait_us(u64 us)
{
	if (!pit_present()) {
		/* No PIT: port 0x80 writes take about a microsecond each. */
		while (us--)
			io_wait();
		return;
	}
	/* Chunks of 50 ms stay below the 16-bit count limit (54.9 ms). */
	while (us) {
		u64 chunk = us > 50000 ? 50000 : us;

		pit_measure_tsc((u16)((chunk * PIT_HZ + 999999) / 1000000));
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
	outb(PIT_CMD, PIT_CMD_CH(0) | PIT_CMD_LOHI | PIT_CMD_MODE2);
	outb(PIT_CH0_DATA, count & 0xff);
	outb(PIT_CH0_DATA, (count >> 8) & 0xff);
	spin_unlock_irqrestore(&pit_lock, f);
}

void pit_ch0_stop(void)
{
	unsigned long f = spin_lock_irqsave(&pit_lock);

	/* A mode 0 control word with no count after it: the output goes low
	 * and stays there until a count is written. */
	outb(PIT_CMD, PIT_CMD_CH(0) | PIT_CMD_LOHI | PIT_CMD_MODE0);
	spin_unlock_irqrestore(&pit_lock, f);
}
