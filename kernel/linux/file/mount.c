/*
 * mount(2), umount2(2), statfs(2), fstatfs(2) over the native VFS. Only
 * new mounts of a file system type by name are supported: what init needs
 * for "mount -t proc proc /proc". Flags that would change how a mount
 * behaves (read-only, nosuid, bind, remount, propagation...) are not
 * enforced by the VFS, so they fail with EINVAL rather than being ignored.
 */
#include "arch/uaccess.h"
#include "file/common.h"
#include "lib/string.h"
#include "mm/slab.h"

/* mount(2) flags (linux/mount.h). */
#define LINUX_MS_SILENT 0x8000        /* only quiets the kernel's log */
#define LINUX_MS_MGC_MSK 0xffff0000UL /* old magic number in the top half */
#define LINUX_MS_MGC_VAL 0xc0ed0000UL

/* umount2(2) flags */
#define LINUX_UMOUNT_NOFOLLOW 0x8

#define FSTYPE_MAX 64

/* Copies a short string (a type name) from user space: -EFAULT, or
 * -ENODEV when it is longer than any type name. */
static long copy_fstype(char *buf, const char __user *u)
{
	long n = strncpy_from_user(buf, u, FSTYPE_MAX);

	if (n < 0)
		return n;
	if (n >= FSTYPE_MAX)
		return -ENODEV;
	return 0;
}

SYSCALL_DEFINE(mount)
{
	const char __user *usource = ARG(0, const char __user *);
	const char __user *utype = ARG(2, const char __user *);
	unsigned long flags = ARG(3, unsigned long);
	const char __user *udata = ARG(4, const char __user *);
	char fstype[FSTYPE_MAX], *source = NULL;
	struct at_path ap;
	long err;

	if (current_process()->cred.euid != 0)
		return -EPERM;
	if ((flags & LINUX_MS_MGC_MSK) == LINUX_MS_MGC_VAL)
		flags &= ~LINUX_MS_MGC_MSK;
	if (flags & ~(unsigned long)LINUX_MS_SILENT)
		return -EINVAL;
	if (!utype)
		return -EINVAL;
	err = copy_fstype(fstype, utype);
	if (err)
		return err;
	/* Mount options are not parsed by any Sable file system yet. */
	if (udata) {
		char c;

		if (copy_from_user(&c, udata, 1))
			return -EFAULT;
		if (c != '\0')
			return -EINVAL;
	}
	/*
	 * devtmpfs is one instance shared by every mount on Linux; here a new
	 * mount would be a new, empty tmpfs hiding the device nodes on /dev.
	 * Until devfs can hand out its instance, say the type is unavailable.
	 */
	if (!strcmp(fstype, "devtmpfs"))
		return -ENODEV;
	if (usource) {
		source = path_from_user(usource, &err);
		if (!source)
			return err;
	}
	err = at_path_get(&ap, LINUX_AT_FDCWD, ARG(1, const char __user *));
	if (!err) {
		err = vfs_mount(&ap.ctx, source ? source : "none", ap.base, ap.path, fstype, 0);
		at_path_put(&ap);
	}
	if (source)
		path_free(source);
	return err;
}

SYSCALL_DEFINE(umount2)
{
	int flags = ARG(1, int);
	struct at_path ap;
	long err;

	if (current_process()->cred.euid != 0)
		return -EPERM;
	/* MNT_FORCE, MNT_DETACH and MNT_EXPIRE are not supported. */
	if (flags & ~LINUX_UMOUNT_NOFOLLOW)
		return -EINVAL;
	err = at_path_get(&ap, LINUX_AT_FDCWD, ARG(0, const char __user *));
	if (err)
		return err;
	err = vfs_umount(&ap.ctx, ap.base, ap.path);
	at_path_put(&ap);
	return err;
}

/* struct statfs of x86_64 (asm-generic/statfs.h with 64-bit longs). */
struct linux_statfs {
	s64 f_type, f_bsize;
	u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	s32 f_fsid[2];
	s64 f_namelen, f_frsize, f_flags;
	s64 f_spare[4];
};

static long put_statfs(void __user *u, const struct kstatfs *k)
{
	struct linux_statfs s;

	memset(&s, 0, sizeof(s));
	s.f_type = (s64)k->type;
	s.f_bsize = (s64)k->bsize;
	s.f_blocks = k->blocks;
	s.f_bfree = k->bfree;
	s.f_bavail = k->bavail;
	s.f_files = k->files;
	s.f_ffree = k->ffree;
	s.f_fsid[0] = (s32)(u32)k->fsid;
	s.f_fsid[1] = (s32)(u32)(k->fsid >> 32);
	s.f_namelen = (s64)k->namelen;
	s.f_frsize = (s64)k->frsize;
	s.f_flags = (s64)k->flags;
	return copy_to_user(u, &s, sizeof(s)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(statfs)
{
	struct kstatfs st;
	struct at_path ap;
	long err;

	err = at_path_get(&ap, LINUX_AT_FDCWD, ARG(0, const char __user *));
	if (err)
		return err;
	memset(&st, 0, sizeof(st));
	err = vfs_statfs(&ap.ctx, ap.base, ap.path, LOOKUP_FOLLOW, &st);
	at_path_put(&ap);
	return err ? err : put_statfs(ARG(1, void __user *), &st);
}

SYSCALL_DEFINE(fstatfs)
{
	struct file *f = fget(ARG(0, int));
	struct kstatfs st;
	long err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	memset(&st, 0, sizeof(st));
	err = vfs_fstatfs(f, &st);
	file_put(f);
	return err ? err : put_statfs(ARG(1, void __user *), &st);
}
