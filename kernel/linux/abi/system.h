/*
 * Linux x86_64 system-information ABI: struct new_utsname (linux/utsname.h)
 * and struct sysinfo (linux/sysinfo.h).
 */
#ifndef SABLE_LINUX_ABI_SYSTEM_H
#define SABLE_LINUX_ABI_SYSTEM_H

#include "lib/types.h"

struct linux_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct linux_sysinfo {
	s64 uptime;
	u64 loads[3];
	u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	u16 procs;
	u16 pad;
	u32 pad2;
	u64 totalhigh, freehigh;
	u32 mem_unit;
	char f[4];
};

#endif
