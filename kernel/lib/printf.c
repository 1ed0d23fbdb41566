/* vsnprintf: the one formatter behind printk, snprintf and /proc files. */
#include "lib/printf.h"
#include "lib/string.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* bytes the full output has so far */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

#define F_LEFT 1
#define F_PLUS 2
#define F_SPACE 4
#define F_ALT 8
#define F_ZERO 16
#define F_UPPER 32

struct spec {
	unsigned flags;
	int width;
	int prec; /* -1: none */
};

static void put_number(struct out *o, u64 v, bool negative, unsigned base,
		       const struct spec *sp)
{
	const char *digits = (sp->flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, pad;
	const char *prefix = "";
	int plen;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (negative)
		prefix = "-";
	else if (sp->flags & F_PLUS)
		prefix = "+";
	else if (sp->flags & F_SPACE)
		prefix = " ";
	/* C: precision 0 with value 0 prints no digits. */
	zeros = sp->prec >= 0 ? sp->prec - n : 0;
	if (sp->prec < 0 && n == 0)
		zeros = 1;
	if (zeros < 0)
		zeros = 0;
	if (sp->flags & F_ALT) {
		if (base == 16 && n)
			prefix = (sp->flags & F_UPPER) ? "0X" : "0x";
		/* '#' with 'o' only makes sure the first digit is a 0, which
		 * includes printing "0" for %#.0o of zero. */
		else if (base == 8 && zeros == 0)
			prefix = "0";
	}
	plen = (int)strlen(prefix);
	pad = sp->width - plen - zeros - n;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	while (*prefix)
		put(o, *prefix++);
	put_repeat(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

static void put_string(struct out *o, const char *s, const struct spec *sp)
{
	size_t n;
	int pad;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	pad = sp->width - (int)n;
	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	while (n--)
		put(o, *s++);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

enum length { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE };

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->flags |= F_LEFT;
		else if (*f == '+')
			sp->flags |= F_PLUS;
		else if (*f == ' ')
			sp->flags |= F_SPACE;
		else if (*f == '#')
			sp->flags |= F_ALT;
		else if (*f == '0')
			sp->flags |= F_ZERO;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_LEFT;
			/* -INT_MIN overflows; no real output is that wide anyway. */
			sp->width = sp->width == -__INT_MAX__ - 1 ? __INT_MAX__ : -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	return f;
}

static const char *parse_length(const char *f, enum length *len)
{
	*len = L_INT;
	if (*f == 'h') {
		f++;
		*len = L_SHORT;
		if (*f == 'h') {
			f++;
			*len = L_CHAR;
		}
	} else if (*f == 'l') {
		f++;
		*len = L_LONG;
		if (*f == 'l') {
			f++;
			*len = L_LLONG;
		}
	} else if (*f == 'z' || *f == 't' || *f == 'j') {
		f++;
		*len = L_SIZE;
	}
	return f;
}

static s64 arg_signed(enum length len, va_list *ap)
{
	switch (len) {
	case L_CHAR: return (signed char)va_arg(*ap, int);
	case L_SHORT: return (short)va_arg(*ap, int);
	case L_LONG: return va_arg(*ap, long);
	case L_LLONG: return va_arg(*ap, long long);
	case L_SIZE: return va_arg(*ap, long);
	default: return va_arg(*ap, int);
	}
}

static u64 arg_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case L_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case L_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case L_LONG: return va_arg(*ap, unsigned long);
	case L_LLONG: return va_arg(*ap, unsigned long long);
	case L_SIZE: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	enum length len;
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &ap);
		fmt = parse_length(fmt, &len);
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 v = arg_signed(len, &ap);
			u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

			put_number(&o, mag, v < 0, 10, &sp);
			break;
		}
		case 'u':
			sp.flags &= ~(F_PLUS | F_SPACE);
			put_number(&o, arg_unsigned(len, &ap), false, 10, &sp);
			break;
		case 'X':
			sp.flags |= F_UPPER;
			/* fall through */
		case 'x':
			sp.flags &= ~(F_PLUS | F_SPACE);
			put_number(&o, arg_unsigned(len, &ap), false, 16, &sp);
			break;
		case 'o':
			sp.flags &= ~(F_PLUS | F_SPACE);
			put_number(&o, arg_unsigned(len, &ap), false, 8, &sp);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			sp.flags = 0;
			sp.width = 0;
			sp.prec = 16;
			put_number(&o, (u64)(uintptr_t)va_arg(ap, void *), false, 16, &sp);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!(sp.flags & F_LEFT))
				put_repeat(&o, ' ', sp.width - 1);
			put(&o, c);
			if (sp.flags & F_LEFT)
				put_repeat(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			put_string(&o, va_arg(ap, const char *), &sp);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end: print nothing more */
			break;
		default: /* unknown conversion: print it as written */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
		fmt++;
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
