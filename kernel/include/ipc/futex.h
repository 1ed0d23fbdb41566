/*
 * Futexes: sleep on a 32-bit word in user memory until someone wakes that
 * word. Private futexes are keyed by (address space, address); shared ones by
 * the physical address of the word, so that processes sharing the page meet.
 */
#ifndef SABLE_IPC_FUTEX_H
#define SABLE_IPC_FUTEX_H

#include "lib/types.h"

#define FUTEX_BITSET_ANY 0xffffffffu

/* Sleeps while *uaddr == val, until woken, the deadline (time_ns clock, 0:
 * none) or a signal. 0, -EAGAIN (value differed), -ETIMEDOUT, -EINTR,
 * -EFAULT, -EINVAL (misaligned). */
int futex_wait(u32 __user *uaddr, u32 val, u64 deadline, u32 bitset, bool shared);
/* Wakes up to n waiters on uaddr whose bitset intersects; returns how many. */
int futex_wake(u32 __user *uaddr, int n, u32 bitset, bool shared);
/* Wakes up to n waiters and moves up to n2 others to uaddr2 (when *uaddr is
 * cmpval, if check). Returns woken + moved, or -EAGAIN / -EFAULT / -EINVAL. */
int futex_requeue(u32 __user *uaddr, int n, u32 __user *uaddr2, int n2, bool check,
		  u32 cmpval, bool shared);

#endif
