#ifndef SABLE_CORE_PANIC_H
#define SABLE_CORE_PANIC_H

#include "lib/types.h"

struct trap_frame;

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/* Used by the trap handlers: prints the registers too. */
__noreturn void panic_frame(struct trap_frame *tf, const char *fmt, ...) __printf(2, 3);
/* Prints the call chain starting at frame pointer rbp. */
void backtrace_from(unsigned long rip, unsigned long rbp);
void backtrace(void);
/* "func+0x12/0x80" for addr; returns false if not in the symbol table. */
bool ksym_lookup(unsigned long addr, const char **name, unsigned long *offset,
		 unsigned long *size);

#define BUG_ON(cond)                                                   \
	do {                                                           \
		if (unlikely(cond))                                    \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#define WARN_ON(cond)                                                          \
	({                                                                     \
		bool __w = !!(cond);                                           \
		if (unlikely(__w))                                             \
			warn_slowpath(__FILE__, __LINE__, #cond);              \
		__w;                                                           \
	})
void warn_slowpath(const char *file, int line, const char *what);

#endif
