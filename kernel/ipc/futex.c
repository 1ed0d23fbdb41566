/*
 * Futexes (futex(2)). A waiter is queued in its hash bucket before it reads
 * the futex word, so a wake that comes between the read and the sleep finds
 * it: no lost wake-ups. Buckets are spinlocks taken with interrupts off;
 * nothing that can fault or sleep happens under them.
 */
#include "arch/uaccess.h"
#include "core/spinlock.h"
#include "core/time.h"
#include "ipc/futex.h"
#include "lib/errno.h"
#include "lib/list.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define FUTEX_BUCKETS 64

struct futex_key {
	const void *space;   /* the mm for private futexes, NULL for shared */
	unsigned long addr;  /* user address (private) or physical address (shared) */
};

struct futex_waiter {
	struct list_head link;    /* [bucket lock] */
	struct futex_key key;     /* [bucket lock] requeue moves it */
	struct task *task;
	u32 bitset;
	bool woken;               /* [bucket lock] */
};

struct futex_bucket {
	struct spinlock lock;
	struct list_head waiters;
};

static struct futex_bucket buckets[FUTEX_BUCKETS];
static bool buckets_ready;

static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	u64 h = (k->addr >> 2) ^ ((unsigned long)k->space >> 4);

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return &buckets[(h >> 32) % FUTEX_BUCKETS];
}

static void init_buckets(void)
{
	if (__atomic_load_n(&buckets_ready, __ATOMIC_ACQUIRE))
		return;
	for (int i = 0; i < FUTEX_BUCKETS; i++) {
		buckets[i].lock = (struct spinlock)SPINLOCK_INIT("futex");
		list_init(&buckets[i].waiters);
	}
	__atomic_store_n(&buckets_ready, true, __ATOMIC_RELEASE);
}

static int get_key(u32 __user *uaddr, bool shared, struct futex_key *k)
{
	unsigned long a = (unsigned long)uaddr;
	struct mm *mm = current_process()->mm;
	u32 v;

	if (a & 3)
		return -EINVAL;
	/* Touch the word: it faults in here if needed, and a bad address is EFAULT. */
	if (copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	/* futex(2): a "shared" futex in private memory is still that process's
	 * own word; only truly shared pages are keyed by their frame. */
	if (!shared || !mm_addr_is_shared(mm, a)) {
		k->space = mm;
		k->addr = a;
		return 0;
	}
	k->space = NULL;
	k->addr = vmm_translate(mm->pml4, a);
	return k->addr == (unsigned long)-1 ? -EFAULT : 0;
}

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr;
}

static void wake_timer(struct timer *t, void *arg)
{
	(void)t;
	wake_up_task(arg);
}

int futex_wait(u32 __user *uaddr, u32 val, u64 deadline, u32 bitset, bool shared)
{
	struct futex_waiter w = { .task = current_task(), .bitset = bitset };
	struct futex_bucket *b;
	struct timer tm = { 0 };
	unsigned long f;
	u32 cur;
	int err;

	if (!bitset)
		return -EINVAL;
	init_buckets();
	err = get_key(uaddr, shared, &w.key);
	if (err)
		return err;
	b = bucket_of(&w.key);
	f = spin_lock_irqsave(&b->lock);
	list_add_tail(&w.link, &b->waiters);
	spin_unlock_irqrestore(&b->lock, f);

	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		err = -EFAULT;
	else if (cur != val)
		err = -EAGAIN;
	while (!err) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE))
			break;
		if (signal_pending(w.task)) {
			err = -EINTR;
			break;
		}
		if (deadline && time_ns() >= deadline) {
			err = -ETIMEDOUT;
			break;
		}
		if (deadline)
			timer_add(&tm, deadline, 0, wake_timer, w.task);
		schedule();
		timer_cancel(&tm);
	}
	set_current_state(TASK_RUNNING);
	/* Requeue may have moved us to another bucket: find ours under its lock. */
	for (;;) {
		b = bucket_of(&w.key);
		f = spin_lock_irqsave(&b->lock);
		if (b == bucket_of(&w.key))
			break;
		spin_unlock_irqrestore(&b->lock, f);
	}
	if (!w.woken)
		list_del(&w.link);
	else if (err)
		err = 0; /* woken after all: the wake counts */
	spin_unlock_irqrestore(&b->lock, f);
	return err;
}

int futex_wake(u32 __user *uaddr, int n, u32 bitset, bool shared)
{
	struct futex_key k;
	struct futex_bucket *b;
	struct list_head *pos, *tmp;
	unsigned long f;
	int woken = 0, err;

	if (!bitset)
		return -EINVAL;
	init_buckets();
	err = get_key(uaddr, shared, &k);
	if (err)
		return err;
	b = bucket_of(&k);
	f = spin_lock_irqsave(&b->lock);
	list_for_each_safe(pos, tmp, &b->waiters) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, link);

		if (woken >= n)
			break;
		if (!key_eq(&w->key, &k) || !(w->bitset & bitset))
			continue;
		list_del(&w->link);
		__atomic_store_n(&w->woken, true, __ATOMIC_RELEASE);
		wake_up_task(w->task);
		woken++;
	}
	spin_unlock_irqrestore(&b->lock, f);
	return woken;
}

int futex_requeue(u32 __user *uaddr, int n, u32 __user *uaddr2, int n2, bool check,
		  u32 cmpval, bool shared)
{
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	struct list_head *pos, *tmp;
	unsigned long f;
	int done = 0, moved = 0, err;
	u32 cur;

	if (n < 0 || n2 < 0)
		return -EINVAL;
	init_buckets();
	err = get_key(uaddr, shared, &k1);
	if (!err)
		err = get_key(uaddr2, shared, &k2);
	if (err)
		return err;
	if (check) {
		if (copy_from_user(&cur, uaddr, sizeof(cur)))
			return -EFAULT;
		if (cur != cmpval)
			return -EAGAIN;
	}
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	/* Both buckets, lower address first. */
	f = irq_save();
	spin_lock(b1 < b2 ? &b1->lock : &b2->lock);
	if (b1 != b2)
		spin_lock(b1 < b2 ? &b2->lock : &b1->lock);
	list_for_each_safe(pos, tmp, &b1->waiters) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, link);

		if (!key_eq(&w->key, &k1))
			continue;
		if (done < n) {
			list_del(&w->link);
			__atomic_store_n(&w->woken, true, __ATOMIC_RELEASE);
			wake_up_task(w->task);
			done++;
		} else if (moved < n2) {
			list_del(&w->link);
			w->key = k2;
			list_add_tail(&w->link, &b2->waiters);
			moved++;
		}
	}
	if (b1 != b2)
		spin_unlock(b1 < b2 ? &b2->lock : &b1->lock);
	spin_unlock(b1 < b2 ? &b1->lock : &b2->lock);
	irq_restore(f);
	return done + moved;
}
