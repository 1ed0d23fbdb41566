/*
 * The system's names (uname(2)'s fields): the host and domain names
 * (sethostname(2), /proc/sys/kernel/hostname) and the identity Sable
 * reports to programs. Native, so that procfs and the Linux layer share
 * one copy.
 */
#ifndef SABLE_CORE_UTS_H
#define SABLE_CORE_UTS_H

#include "lib/types.h"

#define UTS_LEN 64 /* __NEW_UTS_LEN: a name is at most 64 bytes */

/* What uname(2) reports: a release glibc accepts (it checks a minimum). */
#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-sable"
#define UTS_VERSION "#1 SMP Sable 0.1.0"
#define UTS_MACHINE "x86_64"

/* Copies the name (NUL-terminated) into buf of size bytes (>= UTS_LEN + 1). */
void uts_get_hostname(char *buf, size_t size);
void uts_get_domainname(char *buf, size_t size);
/* Sets the name from len bytes (not NUL-terminated); -EINVAL past UTS_LEN.
 * The caller checks the privilege. */
int uts_set_hostname(const char *name, size_t len);
int uts_set_domainname(const char *name, size_t len);

#endif
