/*
 * Kernel command line parser. Words are scanned in place and never copied
 * whole, so there is no limit on the length of a key or value.
 */
#include "lib/cmdline.h"
#include "lib/errno.h"
#include "lib/string.h"

/* One word of the line as written, quotes included. */
struct word {
	const char *start, *end;
	const char *key_end;         /* key is [start, key_end) */
	const char *val, *val_end;   /* after the first '='; val is NULL for a flag */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/*
 * Scan the word at or after p. A quote toggles quoting and is not part of
 * the text; blanks inside quotes do not end the word. Like Linux, the first
 * '=' splits key from value even when it is quoted.
 */
static bool scan_word(const char *p, struct word *w)
{
	bool quoted = false;

	p = skip_blanks(p);
	if (!*p)
		return false;
	w->start = p;
	w->val = NULL;
	for (; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && is_blank(*p))
			break;
		else if (*p == '=' && !w->val)
			w->val = p + 1;
	}
	w->end = p;
	if (w->val) {
		w->key_end = w->val - 1;
		w->val_end = p;
	} else {
		w->key_end = p;
	}
	return true;
}

/* The bare "--" that hands the rest of the line to init. */
static bool is_separator(const struct word *w)
{
	return w->end - w->start == 2 && w->start[0] == '-' && w->start[1] == '-';
}

/* Scan the next kernel word; false at the end of the line or at "--". */
static bool next_kernel_word(const char *p, struct word *w)
{
	return p && scan_word(p, w) && !is_separator(w);
}

/* Copy [s, e) without its quotes; returns the unquoted length, which may
 * exceed what fitted. */
static size_t copy_unquoted(const char *s, const char *e, char *buf, size_t size)
{
	size_t len = 0;

	for (; s < e; s++) {
		if (*s == '"')
			continue;
		if (len + 1 < size)
			buf[len] = *s;
		len++;
	}
	if (size)
		buf[len < size ? len : size - 1] = '\0';
	return len;
}

static bool equal_unquoted(const char *s, const char *e, const char *str)
{
	for (; s < e; s++) {
		if (*s == '"')
			continue;
		if (*s != *str++)
			return false;
	}
	return *str == '\0';
}

int cmdline_get(const char *line, const char *key, char *value, size_t size)
{
	const struct word *found = NULL;
	struct word w, last;
	size_t len;

	while (next_kernel_word(line, &w)) {
		if (w.val && equal_unquoted(w.start, w.key_end, key)) {
			last = w;
			found = &last;
		}
		line = w.end;
	}
	if (!found) {
		if (size)
			value[0] = '\0';
		return -ENOENT;
	}
	len = copy_unquoted(found->val, found->val_end, value, size);
	if (len >= size)
		return -ENAMETOOLONG;
	return (int)len;
}

bool cmdline_has(const char *line, const char *key)
{
	struct word w;

	while (next_kernel_word(line, &w)) {
		if (equal_unquoted(w.start, w.key_end, key))
			return true;
		line = w.end;
	}
	return false;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static int parse_long(const char *s, long *out)
{
	unsigned long mag = 0, limit = __LONG_MAX__;
	unsigned int base = 10;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	/* The magnitude of LONG_MIN is one more than LONG_MAX. */
	if (neg)
		limit++;
	for (; *s; s++) {
		unsigned int d = (unsigned int)digit_value(*s);

		if (d >= base)
			return -EINVAL;
		if (mag > (limit - d) / base)
			return -ERANGE;
		mag = mag * base + d;
	}
	/* Wraps to LONG_MIN for the largest magnitude (gcc defines the conversion). */
	*out = neg ? (long)(0UL - mag) : (long)mag;
	return 0;
}

int cmdline_get_int(const char *line, const char *key, long *out)
{
	/* Room for any long written sensibly ("-0x" + 16 digits, or 20 decimal). */
	char buf[32];
	int ret;

	ret = cmdline_get(line, key, buf, sizeof(buf));
	if (ret == -ENAMETOOLONG)
		return -EINVAL;
	if (ret < 0)
		return ret;
	return parse_long(buf, out);
}

const char *cmdline_next(const char *p, char *key, size_t ksz, char *val,
			 size_t vsz, bool *has_value)
{
	struct word w;

	if (!next_kernel_word(p, &w))
		return NULL;
	copy_unquoted(w.start, w.key_end, key, ksz);
	if (val) {
		if (w.val)
			copy_unquoted(w.val, w.val_end, val, vsz);
		else if (vsz)
			val[0] = '\0';
	}
	if (has_value)
		*has_value = w.val != NULL;
	return w.end;
}

const char *cmdline_init_args(const char *line)
{
	struct word w;

	if (!line)
		return NULL;
	while (scan_word(line, &w)) {
		if (is_separator(&w))
			return skip_blanks(w.end);
		line = w.end;
	}
	return NULL;
}
