/* Undo krename.h: the names mean libc's functions again. */
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strlcpy
#undef vsnprintf
#undef snprintf
