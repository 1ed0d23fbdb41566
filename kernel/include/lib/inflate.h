/*
 * DEFLATE (RFC 1951) and gzip (RFC 1952) decompression, streaming: the
 * output goes to a sink in pieces of at most INFLATE_WINDOW bytes, so an
 * archive of any size unpacks with a fixed 32 KiB of state. Pure code,
 * host-tested against gzip's output.
 */
#ifndef SABLE_LIB_INFLATE_H
#define SABLE_LIB_INFLATE_H

#include "lib/types.h"

#define INFLATE_WINDOW 32768

struct inflate_sink {
	/* Takes len bytes of output in order; non-zero (a negative errno)
	 * stops decompression and is returned. */
	int (*write)(void *arg, const u8 *buf, size_t len);
	void *arg;
};

/* Whether buf starts like a gzip member. */
bool gzip_detect(const void *buf, size_t len);
/*
 * Decompresses the gzip members in in (several may follow each other;
 * zero padding after the last is allowed). window is INFLATE_WINDOW bytes
 * of scratch. Returns the output size, -EINVAL for malformed data or a
 * CRC or size mismatch, or the sink's error.
 */
long gunzip(const void *in, size_t len, u8 *window, const struct inflate_sink *sink);
/* Raw DEFLATE data; *consumed says how much of in it used, *crc is the
 * CRC-32 of the output. Same returns as gunzip(). */
long inflate_raw(const void *in, size_t len, size_t *consumed, u8 *window,
		 const struct inflate_sink *sink, u32 *crc);
/* CRC-32 (IEEE 802.3, as gzip uses) of buf, continuing from crc (0 to start). */
u32 crc32_update(u32 crc, const void *buf, size_t len);

#endif
