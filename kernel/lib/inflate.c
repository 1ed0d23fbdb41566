/*
 * DEFLATE decoding, written from RFC 1951. Huffman codes are canonical, so
 * a code table is just how many codes each length has and the symbols in
 * code order; decoding reads one bit at a time and checks whether the code
 * so far falls in the range of the current length (RFC 1951 3.2.2 explains
 * why the codes of one length are consecutive numbers).
 */
#include "lib/errno.h"
#include "lib/inflate.h"
#include "lib/string.h"

#define MAX_BITS 15
#define MAX_LITLEN 288
#define MAX_DIST 32
#define WINDOW_MASK (INFLATE_WINDOW - 1)

struct huffman {
	u16 count[MAX_BITS + 1];  /* codes of each length; count[0] unused */
	u16 symbol[MAX_LITLEN];   /* symbols ordered by code */
};

struct inflate_state {
	const u8 *in;
	size_t len, pos;
	u32 bits;        /* bits not used yet, lowest first */
	unsigned int nbits;
	int err;         /* first error; decoding stops once set */
	u8 *win;
	size_t win_pos;  /* next byte of the window to fill */
	u64 out;         /* bytes produced so far */
	u32 crc;
	const struct inflate_sink *sink;
	struct huffman lit, dist;
};

/* ---- CRC-32 ---- */

static u32 crc_table[256];
static bool crc_ready;

static void crc_init(void)
{
	for (u32 n = 0; n < 256; n++) {
		u32 c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
	crc_ready = true;
}

u32 crc32_update(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (!crc_ready)
		crc_init();
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---- input bits ---- */

static u32 getbits(struct inflate_state *s, unsigned int n)
{
	u32 v;

	while (s->nbits < n) {
		if (s->pos >= s->len) {
			s->err = -EINVAL; /* ran out of input */
			return 0;
		}
		s->bits |= (u32)s->in[s->pos++] << s->nbits;
		s->nbits += 8;
	}
	v = s->bits & ((1u << n) - 1);
	s->bits >>= n;
	s->nbits -= n;
	return v;
}

/* ---- output through the window ---- */

static void flush(struct inflate_state *s)
{
	int r;

	if (!s->win_pos || s->err)
		return;
	s->crc = crc32_update(s->crc, s->win, s->win_pos);
	r = s->sink->write(s->sink->arg, s->win, s->win_pos);
	if (r)
		s->err = r;
}

static void put_byte(struct inflate_state *s, u8 b)
{
	s->win[s->win_pos++] = b;
	s->out++;
	if (s->win_pos == INFLATE_WINDOW) {
		flush(s);
		s->win_pos = 0;
	}
}

/* Copies len bytes from dist back (RFC 1951 3.2.3: may overlap itself). */
static void copy_back(struct inflate_state *s, unsigned int dist, unsigned int len)
{
	if (dist > s->out || dist > INFLATE_WINDOW) {
		s->err = -EINVAL;
		return;
	}
	while (len-- && !s->err)
		put_byte(s, s->win[(s->win_pos - dist) & WINDOW_MASK]);
}

/* ---- Huffman tables ---- */

/*
 * Builds h from a code length per symbol. Returns 0, or -EINVAL for a set
 * of lengths that asks for more codes than exist. Incomplete sets are
 * allowed (a distance table with one code is one).
 */
static int huffman_build(struct huffman *h, const u8 *lengths, unsigned int n)
{
	u16 offs[MAX_BITS + 2];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int i = 0; i < n; i++)
		h->count[lengths[i]]++;
	for (int len = 1; len <= MAX_BITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -EINVAL;
	}
	offs[1] = 0;
	for (int len = 1; len <= MAX_BITS; len++)
		offs[len + 1] = (u16)(offs[len] + h->count[len]);
	for (unsigned int i = 0; i < n; i++) {
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = (u16)i;
	}
	return 0;
}

static int decode(struct inflate_state *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;

	for (int len = 1; len <= MAX_BITS; len++) {
		int count = h->count[len];

		code |= (int)getbits(s, 1);
		if (s->err)
			return -1;
		if (code - first < count)
			return h->symbol[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	s->err = -EINVAL; /* no such code */
	return -1;
}

/* ---- blocks ---- */

static const u16 len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
				  35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const u8 len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
				  3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const u16 dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
				   193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
				   6145, 8193, 12289, 16385, 24577 };
static const u8 dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
				   7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* RFC 1951 3.2.4: a stored block. */
static void stored_block(struct inflate_state *s)
{
	u32 len, nlen;

	s->bits = 0;
	s->nbits = 0; /* skip to the byte boundary */
	if (s->len - s->pos < 4) {
		s->err = -EINVAL;
		return;
	}
	len = s->in[s->pos] | (u32)s->in[s->pos + 1] << 8;
	nlen = s->in[s->pos + 2] | (u32)s->in[s->pos + 3] << 8;
	s->pos += 4;
	if (len != (~nlen & 0xffff) || s->len - s->pos < len) {
		s->err = -EINVAL;
		return;
	}
	while (len-- && !s->err)
		put_byte(s, s->in[s->pos++]);
}

/* The literal/length and distance codes of one compressed block. */
static void codes(struct inflate_state *s)
{
	for (;;) {
		int sym = decode(s, &s->lit);
		unsigned int len, dist;

		if (s->err)
			return;
		if (sym < 256) {
			put_byte(s, (u8)sym);
			continue;
		}
		if (sym == 256)
			return; /* end of block */
		sym -= 257;
		if (sym >= 29) {
			s->err = -EINVAL;
			return;
		}
		len = len_base[sym] + getbits(s, len_extra[sym]);
		sym = decode(s, &s->dist);
		if (s->err)
			return;
		if (sym >= 30) {
			s->err = -EINVAL;
			return;
		}
		dist = dist_base[sym] + getbits(s, dist_extra[sym]);
		if (!s->err)
			copy_back(s, dist, len);
		if (s->err)
			return;
	}
}

/* RFC 1951 3.2.6: the fixed codes. */
static void fixed_block(struct inflate_state *s)
{
	u8 lengths[MAX_LITLEN];
	int i;

	for (i = 0; i < 144; i++)
		lengths[i] = 8;
	for (; i < 256; i++)
		lengths[i] = 9;
	for (; i < 280; i++)
		lengths[i] = 7;
	for (; i < MAX_LITLEN; i++)
		lengths[i] = 8;
	huffman_build(&s->lit, lengths, MAX_LITLEN);
	for (i = 0; i < 30; i++)
		lengths[i] = 5;
	huffman_build(&s->dist, lengths, 30);
	codes(s);
}

/* RFC 1951 3.2.7: codes sent with the block, themselves Huffman-coded. */
static void dynamic_block(struct inflate_state *s)
{
	static const u8 order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
				      14, 1, 15 };
	u8 lengths[MAX_LITLEN + MAX_DIST];
	unsigned int nlen, ndist, ncode, i = 0;
	struct huffman clen;

	nlen = getbits(s, 5) + 257;
	ndist = getbits(s, 5) + 1;
	ncode = getbits(s, 4) + 4;
	if (s->err || nlen > 286 || ndist > 30) {
		s->err = s->err ? s->err : -EINVAL;
		return;
	}
	memset(lengths, 0, sizeof(lengths));
	for (unsigned int j = 0; j < ncode; j++)
		lengths[order[j]] = (u8)getbits(s, 3);
	if (s->err || huffman_build(&clen, lengths, 19)) {
		s->err = -EINVAL;
		return;
	}
	while (i < nlen + ndist && !s->err) {
		int sym = decode(s, &clen);
		unsigned int rep;
		u8 val = 0;

		if (sym < 0)
			return;
		if (sym < 16) {
			lengths[i++] = (u8)sym;
			continue;
		}
		if (sym == 16) {
			if (!i) {
				s->err = -EINVAL; /* nothing to repeat */
				return;
			}
			val = lengths[i - 1];
			rep = 3 + getbits(s, 2);
		} else if (sym == 17) {
			rep = 3 + getbits(s, 3);
		} else {
			rep = 11 + getbits(s, 7);
		}
		if (i + rep > nlen + ndist) {
			s->err = -EINVAL;
			return;
		}
		while (rep--)
			lengths[i++] = val;
	}
	if (s->err)
		return;
	/* A block without an end-of-block code could never end. */
	if (!lengths[256] || huffman_build(&s->lit, lengths, nlen) ||
	    huffman_build(&s->dist, lengths + nlen, ndist)) {
		s->err = -EINVAL;
		return;
	}
	codes(s);
}

long inflate_raw(const void *in, size_t len, size_t *consumed, u8 *window,
		 const struct inflate_sink *sink, u32 *crc)
{
	struct inflate_state st, *s = &st; /* about 1.3 KiB */
	bool last = false;

	memset(s, 0, sizeof(*s));
	s->in = in;
	s->len = len;
	s->win = window;
	s->sink = sink;
	while (!last && !s->err) {
		last = getbits(s, 1);
		switch (getbits(s, 2)) {
		case 0:
			stored_block(s);
			break;
		case 1:
			fixed_block(s);
			break;
		case 2:
			dynamic_block(s);
			break;
		default:
			s->err = -EINVAL;
		}
	}
	flush(s);
	*consumed = s->pos;
	*crc = s->crc;
	return s->err ? s->err : (long)s->out;
}

/* ---- gzip ---- */

#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10

bool gzip_detect(const void *buf, size_t len)
{
	const u8 *p = buf;

	return len >= 18 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

/* Skips a NUL-terminated header field; false if it runs off the end. */
static bool skip_string(const u8 *p, size_t len, size_t *pos)
{
	while (*pos < len && p[*pos])
		(*pos)++;
	if (*pos >= len)
		return false;
	(*pos)++;
	return true;
}

/* RFC 1952 2.3: the member header; returns the offset of the data or -EINVAL. */
static long gzip_header(const u8 *p, size_t len)
{
	size_t pos = 10;
	u8 flags;

	if (!gzip_detect(p, len))
		return -EINVAL;
	flags = p[3];
	if (flags & 0xe0)
		return -EINVAL; /* reserved bits */
	if (flags & GZ_FEXTRA) {
		if (len - pos < 2)
			return -EINVAL;
		pos += 2 + (p[pos] | (size_t)p[pos + 1] << 8);
	}
	if ((flags & GZ_FNAME) && !skip_string(p, len, &pos))
		return -EINVAL;
	if ((flags & GZ_FCOMMENT) && !skip_string(p, len, &pos))
		return -EINVAL;
	if (flags & GZ_FHCRC)
		pos += 2;
	return pos < len ? (long)pos : -EINVAL;
}

static u32 le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

long gunzip(const void *in, size_t len, u8 *window, const struct inflate_sink *sink)
{
	const u8 *p = in;
	size_t pos = 0;
	long total = 0;

	do {
		long hdr = gzip_header(p + pos, len - pos), r;
		size_t used;
		u32 crc;

		if (hdr < 0)
			return hdr;
		pos += (size_t)hdr;
		r = inflate_raw(p + pos, len - pos, &used, window, sink, &crc);
		if (r < 0)
			return r;
		pos += used;
		/* RFC 1952 2.3.1: CRC-32 and size mod 2^32 of the output. */
		if (len - pos < 8 || le32(p + pos) != crc || le32(p + pos + 4) != (u32)r)
			return -EINVAL;
		pos += 8;
		total += r;
		while (pos < len && !p[pos])
			pos++; /* padding after a member */
	} while (pos < len);
	return total;
}
