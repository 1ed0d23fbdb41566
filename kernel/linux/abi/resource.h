/*
 * Linux x86_64 resource ABI: struct rlimit64 (prlimit64, getrlimit,
 * setrlimit) and struct rusage of linux/resource.h.
 */
#ifndef SABLE_LINUX_ABI_RESOURCE_H
#define SABLE_LINUX_ABI_RESOURCE_H

#include "lib/types.h"

struct linux_rlimit {
	u64 rlim_cur, rlim_max;
};

struct linux_rusage {
	s64 utime_sec, utime_usec, stime_sec, stime_usec;
	s64 maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	s64 msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

#endif
