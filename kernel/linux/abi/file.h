/*
 * Linux x86_64 file ABI: struct pollfd (asm-generic/poll.h), struct iovec
 * (linux/uio.h) and the fixed head of struct linux_dirent64 (getdents64:
 * d_ino, d_off, d_reclen, d_type, then the name at byte 19).
 */
#ifndef SABLE_LINUX_ABI_FILE_H
#define SABLE_LINUX_ABI_FILE_H

#include "lib/types.h"

struct linux_pollfd {
	s32 fd;
	s16 events;
	s16 revents;
};

struct linux_iovec {
	u64 iov_base;
	u64 iov_len;
};

struct linux_dirent64_head {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
} __packed;

#endif
