#ifndef SABLE_LIB_PRINTF_H
#define SABLE_LIB_PRINTF_H

#include "lib/types.h"

/*
 * C99 vsnprintf subset: flags "-+ #0", width and precision (also '*'),
 * length modifiers hh h l ll z t j, conversions d i u x X o c s p %.
 * %p prints 0x followed by 16 hex digits. Returns the length the full
 * output would have, like C's snprintf; always NUL-terminates when size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
