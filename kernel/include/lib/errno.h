/* Native error numbers. Sable uses the same values as Linux so the compat
 * layer passes them through unchanged; negative values are errors. */
#ifndef SABLE_LIB_ERRNO_H
#define SABLE_LIB_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EPIPE 32
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define ENOTSUP 95
#define ETIMEDOUT 110

#define EXDEV 18
#define EMLINK 31
#define EDOM 33
#define EDEADLK 35
#define ENOLCK 37
#define ENODATA 61
#define EOVERFLOW 75
#define EBADFD 77
#define EOPNOTSUPP ENOTSUP
#define ENOTSOCK 88
#define EAFNOSUPPORT 97
#define EADDRINUSE 98
#define ECONNREFUSED 111
#define ESTALE 116

/* Kernel-internal: a system call interrupted by a signal, to be restarted
 * or turned into EINTR on the way out (never seen by programs). */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

/* ERR_PTR encoding: a pointer-returning function returns either a valid
 * pointer or a negative errno folded into the top page of the address space. */
#define MAX_ERRNO 4095
#define ERR_PTR(err) ((void *)(long)(err))
#define PTR_ERR(ptr) ((long)(ptr))
#define IS_ERR(ptr) ((unsigned long)(ptr) >= (unsigned long)-MAX_ERRNO)

#endif
