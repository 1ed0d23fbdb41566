#ifndef SABLE_DRIVERS_CONSOLE_H
#define SABLE_DRIVERS_CONSOLE_H

#include "lib/types.h"

/* COM1, polled output; registered as the "ttyS0" console. */
void serial_early_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
bool serial_has_input(void);
int serial_getc(void); /* -1 when nothing is waiting */

/* VGA text mode, 80x25 at 0xb8000; registered as the "tty0" console. */
void vga_early_init(void);
void vga_write(const char *s, size_t n);

#endif
