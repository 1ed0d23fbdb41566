/*
 * What the file layer needs to know about the calling process (fs/vfs.h):
 * its file size limit and whether it may keep set-user-ID bits on write.
 * The VFS knows no processes, so it asks through these.
 */
#include "fs/vfs.h"
#include "proc/process.h"

u64 fs_file_size_limit(void)
{
	struct process *p = current_task()->proc;

	/* A single word, set by setrlimit(2) of this or another thread; a
	 * write racing with it may see either value, as on Linux. */
	if (!p)
		return FS_NO_SIZE_LIMIT;
	return __atomic_load_n(&p->rlimits[RLIMIT_FSIZE].cur, __ATOMIC_RELAXED);
}

bool fs_capable_fsetid(void)
{
	struct process *p = current_task()->proc;

	/* Linux checks CAP_FSETID, which follows the fsuid: fsuid 0 has it. */
	if (!p)
		return true;
	return __atomic_load_n(&p->cred.fsuid, __ATOMIC_RELAXED) == 0;
}
