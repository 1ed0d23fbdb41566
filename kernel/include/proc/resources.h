/* What a process holds from other subsystems, and how it lets go of it. */
#ifndef SABLE_PROC_RESOURCES_H
#define SABLE_PROC_RESOURCES_H

struct process;
struct mm;

/* Closes every open file and drops the filesystem context. */
void proc_release_files(struct process *p);
/* Wakes a futex waiter at a user address (CLONE_CHILD_CLEARTID); futexes come later. */
void proc_futex_wake_hook(unsigned long uaddr);

void mm_switch(struct mm *mm);
void mm_put(struct mm *mm);

#endif
