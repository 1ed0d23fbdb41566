/*
 * The tick and timer callbacks.
 *
 * The boot CPU's LAPIC timer interrupts timer_hz times a second; each tick
 * counts timer_ticks and runs the callbacks whose time has come. Timers are
 * kept in one list sorted by expiry, so a tick looks only at the head.
 *
 * timer_hz is 250: a 4 ms tick is fine enough for sleeps and, later,
 * scheduler time slices, while costing a quarter of what 1000 Hz would; that
 * matters under QEMU's TCG, where every interrupt is expensive to emulate.
 * 100 Hz (10 ms) would make short sleeps and timeouts noticeably coarse.
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "arch/trap.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/timer.h"

u32 timer_hz = 250;
/* Ticks of the boot CPU since the timer started; written by its tick only. */
volatile u64 timer_ticks;

/*
 * Pending timers, sorted by expires_ns (equal ones in the order added), and
 * each timer's link and pending flag. Taken from the tick interrupt, so
 * always with irqsave. Callbacks run with it dropped, so they may add or
 * cancel timers, their own included.
 */
static struct spinlock timer_lock = SPINLOCK_INIT("timer");
static LIST_HEAD(timer_list);

/* Called with timer_lock held. */
static void insert_sorted(struct list_head *list, struct timer *t)
{
	struct list_head *pos;

	list_for_each(pos, list) {
		if (list_entry(pos, struct timer, link)->expires_ns > t->expires_ns)
			break;
	}
	list_add_tail(&t->link, pos); /* before pos: after all equal ones */
	t->pending = true;
}

/*
 * expires_ns is absolute, on the time_ns() clock. period_ns 0 makes a
 * one-shot. Adding a pending timer moves it.
 */
void timer_add(struct timer *t, u64 expires_ns, u64 period_ns,
	       void (*fn)(struct timer *, void *), void *arg)
{
	unsigned long f = spin_lock_irqsave(&timer_lock);

	if (t->pending)
		list_del(&t->link);
	t->expires_ns = expires_ns;
	t->period_ns = period_ns;
	t->fn = fn;
	t->arg = arg;
	insert_sorted(&timer_list, t);
	spin_unlock_irqrestore(&timer_lock, f);
}

/*
 * True if the timer was pending and now will not run. It does not wait for
 * a callback already running on another CPU: whoever frees a timer must know
 * its callback is not running (for now the tick runs on the boot CPU only).
 */
bool timer_cancel(struct timer *t)
{
	unsigned long f = spin_lock_irqsave(&timer_lock);
	bool was = t->pending;

	if (was) {
		list_del(&t->link);
		t->pending = false;
	}
	spin_unlock_irqrestore(&timer_lock, f);
	return was;
}

void timer_run_expired(u64 now_ns)
{
	LIST_HEAD(expired);
	unsigned long f;

	/*
	 * Take everything due now onto a private list first: a callback that
	 * re-adds itself already due runs on the next tick, not in a loop
	 * here. Timers stay "pending" on it, so timer_cancel() still works.
	 */
	f = spin_lock_irqsave(&timer_lock);
	while (!list_empty(&timer_list)) {
		struct timer *t = list_first_entry(&timer_list, struct timer, link);

		if (t->expires_ns > now_ns)
			break;
		list_del(&t->link);
		list_add_tail(&t->link, &expired);
	}

	while (!list_empty(&expired)) {
		struct timer *t = list_first_entry(&expired, struct timer, link);
		void (*fn)(struct timer *, void *) = t->fn;
		void *arg = t->arg;

		list_del(&t->link);
		t->pending = false;
		if (t->period_ns) {
			/* Re-arm before the callback so it can cancel itself.
			 * Keep the phase; skip periods missed entirely (a long
			 * stretch with interrupts off) rather than replay them. */
			t->expires_ns += t->period_ns;
			if (t->expires_ns <= now_ns)
				t->expires_ns += (now_ns - t->expires_ns) /
						 t->period_ns * t->period_ns + t->period_ns;
			insert_sorted(&timer_list, t);
		}
		spin_unlock_irqrestore(&timer_lock, f);
		fn(t, arg);
		f = spin_lock_irqsave(&timer_lock);
	}
	spin_unlock_irqrestore(&timer_lock, f);
}

static void tick(struct trap_frame *tf, void *arg)
{
	/* Other CPUs' ticks (once they have them) would not add to the count. */
	if (this_cpu()->id != 0)
		return;
	timer_ticks++;
	timer_run_expired(time_ns());
}

static int timer_init(void)
{
	int err;

	err = tsc_calibrate();
	if (err)
		return err;
	err = lapic_timer_calibrate();
	if (err) {
		pr_err("timer: LAPIC timer calibration failed (%d)\n", err);
		return err;
	}
	err = irq_set_handler(VEC_LAPIC_TIMER, tick, NULL);
	if (err)
		return err;
	lapic_timer_periodic(timer_hz);
	pr_info("timer: %u Hz tick from the LAPIC timer; interrupts on\n", timer_hz);
	irq_enable();
	return 0;
}
/*
 * After "apic" only (the LAPIC timer and EOI); calibration needs just the
 * PIT, or the HPET when it is up first. Essential: no tick, no time.
 */
SUBSYSTEM(timer, DEPS("apic"), timer_init, true);
