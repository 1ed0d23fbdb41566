/*
 * Access to user memory. Every user pointer is checked to lie below USER_END
 * (no wrap-around) and then touched only by copy routines whose faults are
 * fixed up through the exception table: a bad pointer from a program gets
 * -EFAULT, never a kernel fault. SMAP is lifted (stac/clac) just for the copy.
 */
#ifndef SABLE_ARCH_UACCESS_H
#define SABLE_ARCH_UACCESS_H

#include "arch/cpu.h"
#include "lib/errno.h"
#include "lib/types.h"
#include "mm/layout.h"

/* Copies n bytes; returns the number NOT copied (0 on success). */
size_t copy_user_generic(void *dst, const void *src, size_t n);
/* Copies up to n bytes stopping after a NUL; returns bytes copied including
 * the NUL, or -1 on a fault, through *copied; 0 when all n bytes had no NUL. */
long strncpy_user_generic(char *dst, const char *src, size_t n);

static inline bool access_ok(const void __user *p, size_t n)
{
	unsigned long a = (unsigned long)p;

	return a <= USER_END && n <= USER_END - a;
}

static inline int copy_from_user(void *dst, const void __user *src, size_t n)
{
	size_t left;

	if (!access_ok(src, n))
		return -EFAULT;
	stac();
	left = copy_user_generic(dst, (const void *)src, n);
	clac();
	return left ? -EFAULT : 0;
}

static inline int copy_to_user(void __user *dst, const void *src, size_t n)
{
	size_t left;

	if (!access_ok(dst, n))
		return -EFAULT;
	stac();
	left = copy_user_generic((void *)dst, src, n);
	clac();
	return left ? -EFAULT : 0;
}

/*
 * Copies a NUL-terminated string of at most n bytes (including the NUL).
 * Returns its length without the NUL, -EFAULT for a bad pointer, or
 * -ENAMETOOLONG when no NUL is found within n bytes.
 */
static inline long strncpy_from_user(char *dst, const char __user *src, size_t n)
{
	unsigned long a = (unsigned long)src;
	size_t max;
	long r;

	if (a >= USER_END || n == 0)
		return -EFAULT;
	max = MIN(n, USER_END - a);
	stac();
	r = strncpy_user_generic(dst, (const char *)src, max);
	clac();
	if (r < 0)
		return -EFAULT;
	if (r == 0) /* no NUL within max */
		return max < n ? -EFAULT : -ENAMETOOLONG;
	return r - 1;
}

/* Reads kernel memory that may not be mapped; -EFAULT if it is not. */
static inline int copy_from_kernel_nofault(void *dst, const void *src, size_t n)
{
	return copy_user_generic(dst, src, n) ? -EFAULT : 0;
}

#endif
