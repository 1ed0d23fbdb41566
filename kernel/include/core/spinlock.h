/*
 * Spinlocks. Every piece of shared state has one from the first line, since
 * Sable assumes several CPUs. A lock that an interrupt handler also takes is
 * held with spin_lock_irqsave(), which keeps interrupts off while it is held.
 */
#ifndef SABLE_CORE_SPINLOCK_H
#define SABLE_CORE_SPINLOCK_H

#include "lib/types.h"

struct spinlock {
	volatile u32 locked;
	const char *name;
};

#define SPINLOCK_INIT(n) { 0, n }

#ifdef SABLE_HOST
/* Host unit tests are single-threaded: the lock only records its state. */
static inline void spin_lock(struct spinlock *l) { l->locked = 1; }
static inline void spin_unlock(struct spinlock *l) { l->locked = 0; }
static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
	l->locked = 1;
	return 0;
}
static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long f)
{
	(void)f;
	l->locked = 0;
}
#else
#include "arch/cpu.h"

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	spin_unlock(l);
	irq_restore(flags);
}
#endif

static inline bool spin_is_locked(struct spinlock *l)
{
	return l->locked != 0;
}

#endif
