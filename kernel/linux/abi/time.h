/*
 * Linux x86_64 time ABI: struct timespec (linux/time_types.h
 * __kernel_timespec), struct timeval, struct itimerval (linux/time.h) and
 * struct tms (linux/times.h).
 */
#ifndef SABLE_LINUX_ABI_TIME_H
#define SABLE_LINUX_ABI_TIME_H

#include "lib/types.h"

struct linux_timespec {
	s64 tv_sec;
	s64 tv_nsec;
};

struct linux_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

struct linux_itimerval {
	struct linux_timeval it_interval, it_value;
};

struct linux_tms {
	s64 utime, stime, cutime, cstime;
};

#endif
