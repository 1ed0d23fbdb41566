/* The ChaCha20 block function (RFC 8439, section 2.3): pure, host-tested. */
#ifndef SABLE_DRIVERS_CHACHA20_H
#define SABLE_DRIVERS_CHACHA20_H

#include "lib/types.h"

#define CHACHA20_BLOCK_SIZE 64
#define CHACHA20_KEY_WORDS 8
#define CHACHA20_NONCE_WORDS 3

/* One 64-byte keystream block for key, block counter and nonce (words as
 * the RFC reads them: little-endian from the byte strings). */
void chacha20_block(const u32 key[CHACHA20_KEY_WORDS], u32 counter,
		    const u32 nonce[CHACHA20_NONCE_WORDS], u8 out[CHACHA20_BLOCK_SIZE]);
/* Little-endian word from 4 bytes. */
static inline u32 chacha20_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

#endif
