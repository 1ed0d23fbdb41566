/* lib/bitmap: single bits, ranges and searches, checked against a bool array. */
#include "test.h"

#include "lib/bitmap.h"

#define NBITS 200

static DECLARE_BITMAP(map, NBITS);
static bool ref[NBITS];

static void ref_fill(bool v)
{
	size_t i;

	for (i = 0; i < NBITS; i++)
		ref[i] = v;
	bitmap_zero(map, NBITS);
	if (v)
		bitmap_set_range(map, 0, NBITS);
}

static bool matches_ref(void)
{
	size_t i;

	for (i = 0; i < NBITS; i++) {
		if (bitmap_test(map, i) != ref[i])
			return false;
	}
	return true;
}

TEST(bitmap_single_bits)
{
	static const size_t bits[] = { 0, 1, 62, 63, 64, 65, 127, 128, 199 };
	size_t i;

	ref_fill(false);
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		bitmap_set(map, bits[i]);
		CHECK(bitmap_test(map, bits[i]));
		CHECK_EQ(bitmap_count(map, NBITS), i + 1);
	}
	CHECK_EQ(map[0], 0xC000000000000003UL);
	CHECK_EQ(map[1], 0x8000000000000003UL);
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		bitmap_clear(map, bits[i]);
		CHECK(!bitmap_test(map, bits[i]));
	}
	CHECK_EQ(bitmap_count(map, NBITS), 0);
	/* Setting twice or clearing a clear bit changes nothing. */
	bitmap_set(map, 70);
	bitmap_set(map, 70);
	bitmap_clear(map, 71);
	CHECK_EQ(bitmap_count(map, NBITS), 1);
}

/* Every (start, len) range, set on a clear map and cleared from a full one. */
TEST(bitmap_ranges_exhaustive)
{
	size_t start, len, i, bad = 0;

	for (start = 0; start <= NBITS; start++) {
		for (len = 0; start + len <= NBITS; len++) {
			ref_fill(false);
			bitmap_set_range(map, start, len);
			for (i = start; i < start + len; i++)
				ref[i] = true;
			if (!matches_ref() || bitmap_count(map, NBITS) != len)
				bad++;

			ref_fill(true);
			bitmap_clear_range(map, start, len);
			for (i = start; i < start + len; i++)
				ref[i] = false;
			if (!matches_ref() || bitmap_count(map, NBITS) != NBITS - len)
				bad++;
		}
	}
	CHECK_EQ(bad, 0);
}

TEST(bitmap_find_edges)
{
	unsigned long m[3];

	/* All set: no zero among nbits, even with clear bits past nbits. */
	m[0] = m[1] = ~0UL;
	m[2] = 0x3;
	CHECK_EQ(bitmap_find_first_zero(m, 130), 130);
	CHECK_EQ(bitmap_find_first_zero(m, 131), 130);
	CHECK_EQ(bitmap_find_first_zero(m, 128), 128);
	CHECK_EQ(bitmap_find_first_zero(m, 0), 0);

	/* Stray set bits past nbits are not reported. */
	m[0] = m[1] = 0;
	m[2] = ~0UL << 10;
	CHECK_EQ(bitmap_find_first_set(m, 138), 138);
	CHECK_EQ(bitmap_find_first_set(m, 139), 138);
	CHECK_EQ(bitmap_find_next_set(m, 192, 150), 150);
	CHECK_EQ(bitmap_find_next_set(m, 192, 192), 192);
	CHECK_EQ(bitmap_find_next_set(m, 192, 1000), 192);
	CHECK_EQ(bitmap_count(m, 138), 0);
	CHECK_EQ(bitmap_count(m, 140), 2);
	CHECK_EQ(bitmap_count(m, 192), 54);

	m[0] = 1UL << 63;
	m[1] = 1;
	CHECK_EQ(bitmap_find_first_set(m, 192), 63);
	CHECK_EQ(bitmap_find_next_set(m, 192, 63), 63);
	CHECK_EQ(bitmap_find_next_set(m, 192, 64), 64);
	CHECK_EQ(bitmap_find_next_set(m, 192, 65), 138);
	CHECK_EQ(bitmap_find_first_zero(m, 192), 0);
	CHECK_EQ(bitmap_find_next_zero(m, 192, 63), 65);
}

TEST(bitmap_find_random)
{
	unsigned long long seed = 0x1234;
	size_t round, bad = 0;

	for (round = 0; round < 2000; round++) {
		size_t nbits = 1 + test_rand(&seed) % NBITS, i, start;
		unsigned int density = test_rand(&seed) % 4;

		ref_fill(false);
		for (i = 0; i < nbits; i++) {
			/* Mostly-full and mostly-empty maps both matter. */
			bool v = density == 0 ? test_rand(&seed) % 50 == 0 :
				 density == 1 ? test_rand(&seed) % 50 != 0 :
						test_rand(&seed) % 2;
			ref[i] = v;
			if (v)
				bitmap_set(map, i);
		}
		for (start = 0; start <= nbits; start++) {
			size_t want_set = nbits, want_zero = nbits;

			for (i = nbits; i-- > start;) {
				if (ref[i])
					want_set = i;
				else
					want_zero = i;
			}
			if (bitmap_find_next_set(map, nbits, start) != want_set ||
			    bitmap_find_next_zero(map, nbits, start) != want_zero)
				bad++;
		}
		{
			size_t want = 0;

			for (i = 0; i < nbits; i++)
				want += ref[i];
			if (bitmap_count(map, nbits) != want)
				bad++;
		}
		if (bitmap_find_first_zero(map, nbits) != bitmap_find_next_zero(map, nbits, 0) ||
		    bitmap_find_first_set(map, nbits) != bitmap_find_next_set(map, nbits, 0))
			bad++;
	}
	CHECK_EQ(bad, 0);
}

TEST(bitmap_zero_covers_whole_words)
{
	unsigned long m[3] = { ~0UL, ~0UL, ~0UL };

	bitmap_zero(m, 65);
	CHECK_EQ(m[0], 0);
	CHECK_EQ(m[1], 0);
	CHECK_EQ(m[2], ~0UL);
	CHECK_EQ(BITS_TO_LONGS(0), 0);
	CHECK_EQ(BITS_TO_LONGS(64), 1);
	CHECK_EQ(BITS_TO_LONGS(65), 2);
}
