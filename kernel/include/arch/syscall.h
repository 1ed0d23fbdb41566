/* The system-call entry (native side). */
#ifndef SABLE_ARCH_SYSCALL_H
#define SABLE_ARCH_SYSCALL_H

#include "arch/trap.h"

#define SYSCALL_VECTOR 0x100

/*
 * The handler every system call goes to; the Linux integration layer installs
 * its route here. Without one, every call returns -ENOSYS.
 */
extern long (*syscall_route)(struct trap_frame *tf);

void syscall_init_cpu(void);
/* Work before returning to user mode: rescheduling, signals. Interrupts on. */
void exit_to_user(struct trap_frame *tf);
/* Hook for signal delivery, set by the process subsystem. */
extern void (*exit_to_user_signals)(struct trap_frame *tf);

/* Return to user mode through a trap frame on the kernel stack. */
__noreturn void return_to_user(struct trap_frame *tf);
/* Start running user code: never returns. */
__noreturn void enter_user(unsigned long rip, unsigned long rsp);

#endif
