/* Bitmap searches and range operations; single-bit ops are inline in the header. */
#include "lib/bitmap.h"
#include "lib/string.h"

void bitmap_zero(unsigned long *map, size_t nbits)
{
	memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* Mask of the bits [start, start + n) of the word holding start; n stops
 * at the end of that word. */
static unsigned long range_mask(size_t start, size_t n)
{
	size_t off = start % BITS_PER_LONG;

	/* A shift by the full word width is undefined, so a whole word is special. */
	if (n >= BITS_PER_LONG)
		return ~0UL;
	return ((1UL << n) - 1) << off;
}

void bitmap_set_range(unsigned long *map, size_t start, size_t len)
{
	size_t end = start + len;

	while (start < end) {
		size_t n = MIN(BITS_PER_LONG - start % BITS_PER_LONG, end - start);

		map[start / BITS_PER_LONG] |= range_mask(start, n);
		start += n;
	}
}

void bitmap_clear_range(unsigned long *map, size_t start, size_t len)
{
	size_t end = start + len;

	while (start < end) {
		size_t n = MIN(BITS_PER_LONG - start % BITS_PER_LONG, end - start);

		map[start / BITS_PER_LONG] &= ~range_mask(start, n);
		start += n;
	}
}

/*
 * First bit at or after start that is set in (word ^ invert): invert is 0 to
 * look for set bits, ~0 for clear ones. Whole words are skipped at a time.
 */
static size_t find_bit(const unsigned long *map, size_t nbits, size_t start,
		       unsigned long invert)
{
	size_t i, last;
	unsigned long w;

	if (start >= nbits)
		return nbits;
	i = start / BITS_PER_LONG;
	last = BITS_TO_LONGS(nbits) - 1;
	w = (map[i] ^ invert) & (~0UL << (start % BITS_PER_LONG));
	for (;;) {
		if (w) {
			size_t bit = i * BITS_PER_LONG + (size_t)__builtin_ctzl(w);

			/* The last word may have stray bits past nbits. */
			return bit < nbits ? bit : nbits;
		}
		if (i == last)
			return nbits;
		w = map[++i] ^ invert;
	}
}

size_t bitmap_find_first_zero(const unsigned long *map, size_t nbits)
{
	return find_bit(map, nbits, 0, ~0UL);
}

size_t bitmap_find_next_zero(const unsigned long *map, size_t nbits, size_t start)
{
	return find_bit(map, nbits, start, ~0UL);
}

size_t bitmap_find_first_set(const unsigned long *map, size_t nbits)
{
	return find_bit(map, nbits, 0, 0);
}

size_t bitmap_find_next_set(const unsigned long *map, size_t nbits, size_t start)
{
	return find_bit(map, nbits, start, 0);
}

/* Open-coded rather than __builtin_popcountl, which becomes a libgcc call
 * (__popcountdi2) on CPUs without POPCNT and the kernel links no libgcc. */
static unsigned int popcount(unsigned long w)
{
	w = w - ((w >> 1) & 0x5555555555555555UL);
	w = (w & 0x3333333333333333UL) + ((w >> 2) & 0x3333333333333333UL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (unsigned int)((w * 0x0101010101010101UL) >> 56);
}

size_t bitmap_count(const unsigned long *map, size_t nbits)
{
	size_t full = nbits / BITS_PER_LONG, rem = nbits % BITS_PER_LONG;
	size_t i, count = 0;

	for (i = 0; i < full; i++)
		count += popcount(map[i]);
	if (rem)
		count += popcount(map[full] & ((1UL << rem) - 1));
	return count;
}
