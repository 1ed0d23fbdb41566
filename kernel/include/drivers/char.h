/*
 * Character devices of kernel/drivers/char: the memory devices (/dev/null,
 * /dev/zero, /dev/full) and the random number generator behind
 * /dev/random, /dev/urandom and getrandom(2).
 */
#ifndef SABLE_DRIVERS_CHAR_H
#define SABLE_DRIVERS_CHAR_H

#include "lib/types.h"
#include "lib/uio.h"

#define MEM_MAJOR 1
#define NULL_MINOR 3
#define ZERO_MINOR 5
#define FULL_MINOR 7
#define RANDOM_MINOR 8
#define URANDOM_MINOR 9

/* getrandom(2) flags (Linux values). */
#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM 0x0002
#define GRND_INSECURE 0x0004

/* Random bytes from the ChaCha20 CSPRNG; seeds itself on first use. */
void get_random_bytes(void *buf, size_t len);
u64 get_random_u64(void);
/*
 * getrandom(2) into u: EINVAL for unknown flags or GRND_INSECURE with
 * GRND_RANDOM. The generator is seeded at boot, so it never blocks.
 * Returns the bytes written (at most 33554431), or -EFAULT.
 */
long random_getrandom(struct uio *u, unsigned int flags);
/* Mixes buf into the pool without crediting entropy (writes to
 * /dev/random, device and timing noise). */
void random_add_entropy(const void *buf, size_t len);

#endif
