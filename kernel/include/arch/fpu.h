/*
 * FPU/SSE/AVX state of user threads. The kernel itself never touches these
 * registers (-mgeneral-regs-only), so the state is saved when a user thread
 * is switched out and restored when it is switched in, and nothing else.
 */
#ifndef SABLE_ARCH_FPU_H
#define SABLE_ARCH_FPU_H

#include "lib/types.h"

struct fpu_state {
	u8 *area; /* 64-byte aligned, fpu_state_size bytes */
};

extern size_t fpu_state_size;
extern u64 fpu_xcr0; /* state components enabled (0 without XSAVE) */

void fpu_init_cpu(void);
int fpu_state_alloc(struct fpu_state *s);   /* initial (reset) state */
void fpu_state_free(struct fpu_state *s);
void fpu_state_copy(struct fpu_state *dst, const struct fpu_state *src);
void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);
/* Back to the reset state (execve). */
void fpu_state_reset(struct fpu_state *s);

#endif
