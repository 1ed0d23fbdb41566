/*
 * The kernel's random number generator: a ChaCha20 key erased after every
 * request ("fast key erasure": the first block of each request becomes the
 * next key), seeded from RDSEED/RDRAND when the CPU has them and from TSC
 * timing jitter, and reseeded every RANDOM_RESEED_BYTES of output or
 * RANDOM_RESEED_NS of time.
 *
 * Input is absorbed by XOR-ing it into the key and replacing the key with
 * a ChaCha20 block of itself; with the block function's feed-forward this
 * makes the new key a one-way function of old key and input.
 */
#include "arch/cpu.h"
#include "arch/uaccess.h"
#include "core/printk.h"
#include "core/spinlock.h"
#include "core/subsystem.h"
#include "core/time.h"
#include "drivers/chacha20.h"
#include "drivers/char.h"
#include "fs/devfs.h"
#include "fs/poll.h"
#include "lib/string.h"

#define RANDOM_RESEED_BYTES (1ULL << 20)
#define RANDOM_RESEED_NS (300ULL * NSEC_PER_SEC)
#define RANDOM_CHUNK 256  /* bytes made per lock hold, then the key moves on */
#define GETRANDOM_MAX 33554431L

static struct spinlock rng_lock = SPINLOCK_INIT("random");
static u32 rng_key[CHACHA20_KEY_WORDS];   /* [rng_lock] */
static u64 rng_requests;                  /* [rng_lock] nonce of each block run */
static u64 rng_since_reseed;              /* [rng_lock] bytes */
static u64 rng_reseed_ns;                 /* [rng_lock] time of the last seed */
static bool rng_seeded;                   /* [rng_lock] */

/* Absorbs one 32-byte chunk into the key; rng_lock held. */
static void absorb_chunk(const u8 chunk[32])
{
	static const u32 domain[3] = { 0x6d697865, 0, 0 }; /* "exim": mixing, not output */
	u8 block[CHACHA20_BLOCK_SIZE];

	for (int i = 0; i < CHACHA20_KEY_WORDS; i++)
		rng_key[i] ^= chacha20_le32(chunk + 4 * i);
	chacha20_block(rng_key, 0xffffffffu, domain, block);
	for (int i = 0; i < CHACHA20_KEY_WORDS; i++)
		rng_key[i] = chacha20_le32(block + 4 * i);
	memset(block, 0, sizeof(block));
}

static void absorb(const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		u8 chunk[32] = { 0 };
		size_t n = MIN(len, sizeof(chunk));

		memcpy(chunk, p, n);
		absorb_chunk(chunk);
		p += n;
		len -= n;
	}
}

static bool rdseed64(u64 *v)
{
	u8 ok;

	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) :: "cc");
	return ok;
}

static bool rdrand64(u64 *v)
{
	u8 ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) :: "cc");
	return ok;
}

/* Hardware randomness, retrying as Intel's guidance says (10 tries). */
static bool hw_random(u64 *v)
{
	for (int i = 0; i < 10; i++) {
		if (cpu_features.rdseed && rdseed64(v))
			return true;
		if (cpu_features.rdrand && rdrand64(v))
			return true;
	}
	return false;
}

/*
 * Seed material: hardware words, then the low bits of TSC deltas across
 * short loops whose length depends on earlier deltas (cache, interrupt
 * and emulator timing noise). rng_lock held.
 */
static void reseed(void)
{
	u64 seed[16];
	u64 prev = rdtsc();

	for (int i = 0; i < 8; i++) {
		if (!hw_random(&seed[i]))
			seed[i] = 0;
	}
	for (int i = 8; i < 16; i++) {
		u64 acc = 0;

		for (int j = 0; j < 64; j++) {
			u64 now = rdtsc(), spin = (now ^ prev) & 0x3f;

			acc = (acc << 1 | acc >> 63) ^ (now - prev);
			prev = now;
			while (spin--)
				cpu_relax();
		}
		seed[i] = acc ^ time_ns();
	}
	absorb(seed, sizeof(seed));
	memset(seed, 0, sizeof(seed));
	rng_since_reseed = 0;
	rng_reseed_ns = time_ns();
	rng_seeded = true;
}

/* Fills out (at most RANDOM_CHUNK bytes) and moves the key on. */
static void generate(u8 *out, size_t len)
{
	u8 block[CHACHA20_BLOCK_SIZE];
	u32 nonce[3];
	unsigned long fl = spin_lock_irqsave(&rng_lock);

	if (!rng_seeded || rng_since_reseed >= RANDOM_RESEED_BYTES ||
	    time_ns() - rng_reseed_ns >= RANDOM_RESEED_NS)
		reseed();
	rng_requests++;
	nonce[0] = (u32)rng_requests;
	nonce[1] = (u32)(rng_requests >> 32);
	nonce[2] = 0;
	/* Block 0 is the next key; output starts at block 1. */
	for (u32 ctr = 1; len; ctr++) {
		size_t n = MIN(len, sizeof(block));

		chacha20_block(rng_key, ctr, nonce, block);
		memcpy(out, block, n);
		out += n;
		len -= n;
		rng_since_reseed += n;
	}
	chacha20_block(rng_key, 0, nonce, block);
	for (int i = 0; i < CHACHA20_KEY_WORDS; i++)
		rng_key[i] = chacha20_le32(block + 4 * i);
	spin_unlock_irqrestore(&rng_lock, fl);
	memset(block, 0, sizeof(block));
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		size_t n = MIN(len, (size_t)RANDOM_CHUNK);

		generate(p, n);
		p += n;
		len -= n;
	}
}

u64 get_random_u64(void)
{
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

void random_add_entropy(const void *buf, size_t len)
{
	unsigned long fl = spin_lock_irqsave(&rng_lock);

	absorb(buf, len);
	spin_unlock_irqrestore(&rng_lock, fl);
}

long random_getrandom(struct uio *u, unsigned int flags)
{
	u8 buf[RANDOM_CHUNK];
	long done = 0;

	/* getrandom(2): EINVAL for unknown flags and for GRND_INSECURE
	 * together with GRND_RANDOM. */
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	while (u->resid && done < GETRANDOM_MAX) {
		size_t n = MIN(MIN(u->resid, sizeof(buf)), (size_t)(GETRANDOM_MAX - done));
		long c;

		generate(buf, n);
		c = uio_copy_out(u, buf, n);
		if (c < 0) {
			if (!done)
				done = c;
			break;
		}
		done += c;
		if ((size_t)c < n)
			break;
	}
	memset(buf, 0, sizeof(buf));
	return done;
}

/* ---- /dev/random and /dev/urandom ---- */

static long random_read(struct file *f, struct uio *u, s64 *pos)
{
	return random_getrandom(u, 0);
}

/* random(4): writes mix data into the pool without crediting entropy. */
static long random_write(struct file *f, struct uio *u, s64 *pos)
{
	u8 buf[RANDOM_CHUNK];
	long done = 0;

	while (u->resid) {
		long c = uio_copy_in(u, buf, MIN(u->resid, sizeof(buf)));

		if (c <= 0) {
			if (!done)
				done = c ? c : -EFAULT;
			break;
		}
		random_add_entropy(buf, (size_t)c);
		done += c;
	}
	return done;
}

static unsigned int random_poll(struct file *f, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

#define RNDGETENTCNT 0x80045200u

static long random_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	int bits = 256; /* random(4): the pool counts as full once seeded */

	if (cmd != RNDGETENTCNT)
		return -EINVAL; /* random(4) answers unknown requests so */
	return copy_to_user((int __user *)arg, &bits, sizeof(bits));
}

static s64 random_llseek(struct file *f, s64 off, int whence)
{
	return 0; /* seeking a random device does nothing (Linux) */
}

static const struct file_operations random_fops = {
	.read = random_read,
	.write = random_write,
	.poll = random_poll,
	.ioctl = random_ioctl,
	.llseek = random_llseek,
};

static int random_init(void)
{
	unsigned long fl = spin_lock_irqsave(&rng_lock);
	int err;

	reseed();
	spin_unlock_irqrestore(&rng_lock, fl);
	pr_info("random: seeded from %s and TSC jitter\n",
		cpu_features.rdseed ? "RDSEED" : cpu_features.rdrand ? "RDRAND" : "nothing else");
	err = chrdev_register(MEM_MAJOR, RANDOM_MINOR, "random", 0666, &random_fops);
	if (!err)
		err = chrdev_register(MEM_MAJOR, URANDOM_MINOR, "urandom", 0666, &random_fops);
	return err;
}
SUBSYSTEM(random, DEPS("vfs"), random_init, false);
