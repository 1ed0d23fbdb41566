/*
 * Kernel command line parsing. Pure functions over the line as the boot
 * loader passed it: words separated by blanks, each "key=value" or a bare
 * flag "key". Double quotes group blanks into a word and are removed
 * (init="/bin/sh -x" gives init the value "/bin/sh -x"). A bare "--" ends
 * the kernel's words; what follows it belongs to init.
 */
#ifndef SABLE_LIB_CMDLINE_H
#define SABLE_LIB_CMDLINE_H

#include "lib/types.h"

/*
 * Copy the value of the last "key=" word into value (quotes removed).
 * Returns the value's length, -ENOENT when no word sets key (value is then
 * ""), or -ENAMETOOLONG when it needs more than size bytes (value is then
 * truncated and, if size > 0, terminated).
 */
int cmdline_get(const char *line, const char *key, char *value, size_t size);

/* True when key appears as a flag or as "key=...". */
bool cmdline_has(const char *line, const char *key);

/*
 * Parse the value of key as a long: optional sign, then decimal or 0x/0X hex.
 * Returns 0, -ENOENT when key has no value, -EINVAL when the value is not a
 * number, -ERANGE when it does not fit in a long (*out is then untouched).
 */
int cmdline_get_int(const char *line, const char *key, long *out);

/*
 * Iterate over the kernel's words: start with p = line, call again with the
 * returned pointer until NULL (end of line or a bare "--"). key gets the word's
 * name, val its value (or "" for a flag); both are truncated to fit and
 * terminated when their size is non-zero. val and has_value may be NULL.
 */
const char *cmdline_next(const char *p, char *key, size_t ksz, char *val,
			 size_t vsz, bool *has_value);

/* The arguments for init after a bare "--" (leading blanks skipped; "" when
 * nothing follows), or NULL when the line has no "--". */
const char *cmdline_init_args(const char *line);

#endif
