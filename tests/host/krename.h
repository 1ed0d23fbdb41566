/*
 * Host builds link the kernel's string.c and printf.c next to the C library.
 * Under their own names they would replace libc's functions for the whole
 * process, sanitizer runtime included, so both are compiled with this header
 * forced in (-include) and their symbols become k_memcpy, k_snprintf, ...
 * A test that wants the kernel versions includes this header just before the
 * kernel header, then kunrename.h to get the libc names back.
 */
#define memset k_memset
#define memcpy k_memcpy
#define memmove k_memmove
#define memcmp k_memcmp
#define strlen k_strlen
#define strnlen k_strnlen
#define strcmp k_strcmp
#define strncmp k_strncmp
#define strchr k_strchr
#define strlcpy k_strlcpy
#define vsnprintf k_vsnprintf
#define snprintf k_snprintf
