/*
 * Linux x86_64 terminal ABI: struct termios and struct termios2 of the kernel
 * (asm-generic/termbits.h: no speeds in termios; termios2 adds them).
 */
#ifndef SABLE_LINUX_ABI_TERMIOS_H
#define SABLE_LINUX_ABI_TERMIOS_H

#include "lib/types.h"

/* struct termios of the kernel ABI (asm-generic/termbits.h): no speeds. */
struct linux_termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[19];
};

struct linux_termios2 {
	struct linux_termios t;
	u32 c_ispeed, c_ospeed;
};

#endif
