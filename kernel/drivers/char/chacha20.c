/* ChaCha20 block function, written from RFC 8439 section 2.1-2.3. */
#include "drivers/chacha20.h"

static inline u32 rotl32(u32 v, int n)
{
	return (v << n) | (v >> (32 - n));
}

/* RFC 8439 2.1: the quarter round on four words of the state. */
static inline void quarter_round(u32 *s, int a, int b, int c, int d)
{
	s[a] += s[b]; s[d] ^= s[a]; s[d] = rotl32(s[d], 16);
	s[c] += s[d]; s[b] ^= s[c]; s[b] = rotl32(s[b], 12);
	s[a] += s[b]; s[d] ^= s[a]; s[d] = rotl32(s[d], 8);
	s[c] += s[d]; s[b] ^= s[c]; s[b] = rotl32(s[b], 7);
}

void chacha20_block(const u32 key[CHACHA20_KEY_WORDS], u32 counter,
		    const u32 nonce[CHACHA20_NONCE_WORDS], u8 out[CHACHA20_BLOCK_SIZE])
{
	/* "expand 32-byte k" */
	u32 init[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	u32 s[16];

	for (int i = 0; i < 8; i++)
		init[4 + i] = key[i];
	init[12] = counter;
	init[13] = nonce[0];
	init[14] = nonce[1];
	init[15] = nonce[2];
	for (int i = 0; i < 16; i++)
		s[i] = init[i];
	/* 20 rounds: ten column-then-diagonal double rounds (RFC 8439 2.3). */
	for (int i = 0; i < 10; i++) {
		quarter_round(s, 0, 4, 8, 12);
		quarter_round(s, 1, 5, 9, 13);
		quarter_round(s, 2, 6, 10, 14);
		quarter_round(s, 3, 7, 11, 15);
		quarter_round(s, 0, 5, 10, 15);
		quarter_round(s, 1, 6, 11, 12);
		quarter_round(s, 2, 7, 8, 13);
		quarter_round(s, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++) {
		u32 v = s[i] + init[i];

		out[4 * i] = (u8)v;
		out[4 * i + 1] = (u8)(v >> 8);
		out[4 * i + 2] = (u8)(v >> 16);
		out[4 * i + 3] = (u8)(v >> 24);
	}
}
