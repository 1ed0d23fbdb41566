/*
 * Bitmaps stored in arrays of unsigned long; bit n lives in word n / BITS_PER_LONG.
 * No locking: callers serialise access to a bitmap.
 */
#ifndef SABLE_LIB_BITMAP_H
#define SABLE_LIB_BITMAP_H

#include "lib/types.h"

#define BITS_PER_LONG (__SIZEOF_LONG__ * 8)
#define BITS_TO_LONGS(nbits) (((nbits) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, nbits) unsigned long name[BITS_TO_LONGS(nbits)]

static inline void bitmap_set(unsigned long *map, size_t bit)
{
	map[bit / BITS_PER_LONG] |= 1UL << (bit % BITS_PER_LONG);
}

static inline void bitmap_clear(unsigned long *map, size_t bit)
{
	map[bit / BITS_PER_LONG] &= ~(1UL << (bit % BITS_PER_LONG));
}

static inline bool bitmap_test(const unsigned long *map, size_t bit)
{
	return (map[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG)) & 1;
}

/* Clear every word that holds one of the first nbits bits. */
void bitmap_zero(unsigned long *map, size_t nbits);
/* Set or clear bits [start, start + len). */
void bitmap_set_range(unsigned long *map, size_t start, size_t len);
void bitmap_clear_range(unsigned long *map, size_t start, size_t len);

/*
 * The searches look at bits [start, nbits) only (bits past nbits in the last
 * word may hold anything) and return nbits when there is no match.
 */
size_t bitmap_find_first_zero(const unsigned long *map, size_t nbits);
size_t bitmap_find_next_zero(const unsigned long *map, size_t nbits, size_t start);
size_t bitmap_find_first_set(const unsigned long *map, size_t nbits);
size_t bitmap_find_next_set(const unsigned long *map, size_t nbits, size_t start);

/* Number of set bits among the first nbits. */
size_t bitmap_count(const unsigned long *map, size_t nbits);

#endif
