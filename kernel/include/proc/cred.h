/* Credentials: who a process acts as (real, effective, saved, filesystem ids). */
#ifndef SABLE_PROC_CRED_H
#define SABLE_PROC_CRED_H

#include "lib/types.h"

#define NGROUPS_MAX 65536
#define CRED_GROUPS_INLINE 32

typedef u32 uid_t;
typedef u32 gid_t;

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	unsigned int ngroups;
	gid_t groups[CRED_GROUPS_INLINE]; /* supplementary groups */
};

static inline bool cred_is_root(const struct cred *c)
{
	return c->fsuid == 0;
}

static inline bool cred_in_group(const struct cred *c, gid_t g)
{
	if (c->fsgid == g)
		return true;
	for (unsigned int i = 0; i < c->ngroups; i++) {
		if (c->groups[i] == g)
			return true;
	}
	return false;
}

#endif
