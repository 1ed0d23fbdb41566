/*
 * A read-only "file" over a kernel buffer, for mappings and exec without the
 * VFS: tests, and images built into the kernel. Pass memfile_file() where a
 * struct file is expected together with memfile_ops (mm_mmap_ops,
 * elf_load_ops). The buffer must outlive every mapping of it; refs counts
 * the mappings holding it.
 */
#ifndef SABLE_MM_MEMFILE_H
#define SABLE_MM_MEMFILE_H

#include "mm/mm.h"

struct memfile {
	const void *data;
	size_t size;
	int refs; /* atomic: references taken through memfile_ops.get */
};

extern const struct mm_file_ops memfile_ops;

static inline struct file *memfile_file(struct memfile *m)
{
	return (struct file *)m;
}

#endif
