#ifndef SABLE_CORE_PRINTK_H
#define SABLE_CORE_PRINTK_H

#include "lib/types.h"

/* Log levels, as a "<n>" prefix on the message (0 = emergency .. 7 = debug). */
#define KERN_EMERG "<0>"
#define KERN_ALERT "<1>"
#define KERN_CRIT "<2>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"

#define LOGLEVEL_DEFAULT 6

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

/* Console loglevel: messages at or below it reach the consoles. */
void printk_set_console_level(int level);
/* Copy the ring buffer (oldest first) into buf; returns bytes copied. */
size_t printk_read_ring(char *buf, size_t len);

struct console {
	const char *name;
	void (*write)(const char *s, size_t n);
	struct console *next;
};
void console_register(struct console *con);

#endif
