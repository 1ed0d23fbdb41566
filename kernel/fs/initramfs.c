/*
 * Unpacking the initramfs (a cpio newc archive, plain or gzip-compressed;
 * see
 * Documentation/driver-api/early-userspace/buffer-format.rst in Linux for
 * the format's rules) into the root file system through the ordinary VFS
 * calls, as root with umask 0.
 *
 * Hard links: newc stores every name of a multiply-linked file with the
 * same inode number; the data comes with the last one. The first name
 * creates the file, later names link to it, and whichever carries data
 * writes it. Directory mtimes are set at the end, since filling a
 * directory changes its mtime.
 */
#include "core/bootinfo.h"
#include "core/printk.h"
#include "fs/initramfs.h"
#include "internal.h"
#include "lib/cpio.h"
#include "lib/inflate.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/slab.h"

struct link_seen {
	u32 ino, major, minor;
	char *path;
};

struct dir_time {
	char *path;
	s64 mtime;
};

struct unpacker {
	struct fs_context ctx;
	struct link_seen *links;
	size_t nlinks, links_cap;
	struct dir_time *dirs;
	size_t ndirs, dirs_cap;
	long created;
};

/* Appends one element to a growing array; false when out of memory. */
static bool grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	void *bigger;

	if (n < *cap)
		return true;
	bigger = kcalloc(*cap ? *cap * 2 : 16, elem);
	if (!bigger)
		return false;
	if (*arr)
		memcpy(bigger, *arr, n * elem);
	kfree(*arr);
	*arr = bigger;
	*cap = *cap ? *cap * 2 : 16;
	return true;
}

static char *dup_name(const char *s, size_t len)
{
	char *p = kmalloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* mkdir -p for the parents of path. */
static void make_parents(struct unpacker *u, char *path)
{
	for (char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		vfs_mkdir(&u->ctx, NULL, path, 0755);
		*s = '/';
	}
}

/* The first name of a hard-linked file, or NULL (remembering this one). */
static const char *link_source(struct unpacker *u, const struct cpio_entry *e,
			       const char *path)
{
	for (size_t i = 0; i < u->nlinks; i++) {
		struct link_seen *l = &u->links[i];

		if (l->ino == e->ino && l->major == e->devmajor && l->minor == e->devminor)
			return l->path;
	}
	if (grow((void **)&u->links, &u->links_cap, u->nlinks, sizeof(*u->links))) {
		char *copy = dup_name(path, strlen(path));

		if (copy) {
			u->links[u->nlinks++] = (struct link_seen){ e->ino, e->devmajor,
								    e->devminor, copy };
		}
	}
	return NULL;
}

static void set_attrs(struct unpacker *u, const char *path, const struct cpio_entry *e)
{
	struct fs_time t[2] = { { e->mtime, 0 }, { e->mtime, 0 } };

	/* chown first: it clears set-user-ID, which chmod then restores. */
	vfs_chown(&u->ctx, NULL, path, e->uid, e->gid, 0);
	if (!S_ISLNK(e->mode))
		vfs_chmod(&u->ctx, NULL, path, e->mode & 07777, 0);
	if (S_ISDIR(e->mode)) {
		if (grow((void **)&u->dirs, &u->dirs_cap, u->ndirs, sizeof(*u->dirs))) {
			char *copy = dup_name(path, strlen(path));

			if (copy)
				u->dirs[u->ndirs++] = (struct dir_time){ copy, e->mtime };
		}
		return;
	}
	vfs_utimens(&u->ctx, NULL, path, t, 0);
}

/*
 * One entry being unpacked: made by entry_begin(), fed its data by
 * entry_data() (in pieces when the archive is streamed out of gzip),
 * finished by entry_end().
 */
struct entry {
	struct cpio_entry e;  /* e.data unused */
	char *path;
	struct file *file;    /* a regular file taking data */
	char *body;           /* a symlink's target, collected */
	size_t got;
	int err;
};

static int entry_begin(struct unpacker *u, struct entry *en)
{
	const struct cpio_entry *e = &en->e;
	u32 type = e->mode & S_IFMT;
	const char *src;

	make_parents(u, en->path);
	if (type == S_IFDIR) {
		int err = vfs_mkdir(&u->ctx, NULL, en->path, e->mode & 07777);

		return err == -EEXIST ? 0 : err;
	}
	/* A name that exists is replaced, as Linux's initramfs does. */
	vfs_unlink(&u->ctx, NULL, en->path);
	if (e->nlink > 1 && (src = link_source(u, e, en->path))) {
		int err = vfs_link(&u->ctx, NULL, src, NULL, en->path, 0);

		if (err || !e->size)
			return err;
		en->file = vfs_open(&u->ctx, NULL, en->path, O_WRONLY | O_TRUNC, 0);
	} else if (type == S_IFREG) {
		en->file = vfs_open(&u->ctx, NULL, en->path, O_WRONLY | O_CREAT | O_EXCL,
				    e->mode & 07777);
	} else if (type == S_IFLNK) {
		if (!e->size || e->size >= PATH_MAX)
			return -EINVAL;
		en->body = kzalloc(e->size + 1);
		return en->body ? 0 : -ENOMEM;
	} else if (type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK) {
		return vfs_mknod(&u->ctx, NULL, en->path, e->mode, MKDEV(e->rdevmajor, e->rdevminor));
	} else {
		return -EINVAL;
	}
	if (IS_ERR(en->file)) {
		int err = (int)PTR_ERR(en->file);

		en->file = NULL;
		return err;
	}
	return 0;
}

static void entry_data(struct entry *en, const void *buf, size_t len)
{
	if (en->err || !len)
		return;
	if (en->file) {
		struct uio_seg seg;
		struct uio io;
		long r;

		uio_init_one(&io, &seg, (void *)buf, len, false);
		r = vfs_write(en->file, &io);
		if (r < 0 || (size_t)r != len)
			en->err = r < 0 ? (int)r : -ENOSPC;
	} else if (en->body) {
		memcpy(en->body + en->got, buf, len);
	}
	en->got += len;
}

/* Finishes en; returns its error, if any, and frees what it held. */
static int entry_end(struct unpacker *u, struct entry *en)
{
	int err = en->err;

	if (en->file)
		file_put(en->file);
	if (en->body && !err)
		err = vfs_symlink(&u->ctx, en->body, NULL, en->path);
	kfree(en->body);
	if (!err)
		set_attrs(u, en->path, &en->e);
	if (err)
		pr_warn("initramfs: %s: error %d\n", en->path, err);
	else
		u->created++;
	kfree(en->path);
	memset(en, 0, sizeof(*en));
	return err;
}

/* Sets up en for the archive name (not NUL-terminated); false to skip it
 * ("." and the root). */
static bool entry_start(struct unpacker *u, struct entry *en, const char *name, size_t nlen)
{
	while (nlen && *name == '/') {
		name++;
		nlen--;
	}
	while (nlen >= 2 && name[0] == '.' && name[1] == '/') {
		name += 2;
		nlen -= 2;
	}
	if (!nlen || (nlen == 1 && name[0] == '.'))
		return false;
	en->path = kmalloc(nlen + 2);
	if (!en->path) {
		en->err = -ENOMEM;
		return true;
	}
	en->path[0] = '/';
	memcpy(en->path + 1, name, nlen);
	en->path[nlen + 1] = '\0';
	en->err = entry_begin(u, en);
	return true;
}

static void unpacker_finish(struct unpacker *u)
{
	/* Deepest directories last in the archive order get theirs set last;
	 * setting a time changes no parent, so any order is right. */
	for (size_t i = 0; i < u->ndirs; i++) {
		struct fs_time t[2] = { { u->dirs[i].mtime, 0 }, { u->dirs[i].mtime, 0 } };

		vfs_utimens(&u->ctx, NULL, u->dirs[i].path, t, 0);
		kfree(u->dirs[i].path);
	}
	for (size_t i = 0; i < u->nlinks; i++)
		kfree(u->links[i].path);
	kfree(u->dirs);
	kfree(u->links);
}

static long unpack_cpio(struct unpacker *u, const void *archive, size_t len)
{
	struct cpio_entry e;
	size_t off = 0;
	int r;

	for (;;) {
		struct entry en = { 0 };

		r = cpio_next(archive, len, &off, &e);
		if (r == 0 && off < len) {
			/* A trailer may be followed by another archive
			 * (concatenated initramfs images), after padding. */
			while (off < len && ((const char *)archive)[off] == '\0')
				off++;
			if (off < len)
				continue;
		}
		if (r <= 0)
			break;
		en.e = e;
		if (!entry_start(u, &en, e.name, e.name_len))
			continue;
		entry_data(&en, e.data, e.size);
		entry_end(u, &en);
	}
	return r < 0 ? r : 0;
}

/* ---- gzip-compressed archives, unpacked as they stream out ---- */

#define NEWC_HEADER_LEN 110

enum stream_state { ST_HEADER, ST_NAME, ST_DATA };

struct cpio_stream {
	struct unpacker *u;
	enum stream_state state;
	char hdr[NEWC_HEADER_LEN];
	size_t got;           /* bytes of hdr or name so far */
	char *name;
	size_t name_size;     /* with the NUL */
	size_t data_left;
	size_t skip;          /* padding to drop before the next state */
	u64 pos;              /* archive bytes seen, for the 4-byte padding */
	struct entry en;
	bool in_entry;
};

static int hex_field(const char *s, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = (u32)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (u32)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (u32)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* The newc header in cs->hdr, into cs->en.e and the sizes. */
static int stream_header(struct cpio_stream *cs)
{
	u32 f[13];
	struct cpio_entry *e = &cs->en.e;

	if (memcmp(cs->hdr, "070701", 6) && memcmp(cs->hdr, "070702", 6))
		return -EINVAL;
	for (int i = 0; i < 13; i++) {
		if (hex_field(cs->hdr + 6 + 8 * i, &f[i]))
			return -EINVAL;
	}
	if (f[11] == 0 || f[11] > PATH_MAX)
		return -EINVAL;
	memset(&cs->en, 0, sizeof(cs->en));
	e->ino = f[0];
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->nlink = f[4];
	e->mtime = f[5];
	e->size = f[6];
	e->devmajor = f[7];
	e->devminor = f[8];
	e->rdevmajor = f[9];
	e->rdevminor = f[10];
	cs->name_size = f[11];
	cs->name = kmalloc(f[11]);
	return cs->name ? 0 : -ENOMEM;
}

static size_t pad4(u64 pos)
{
	return (size_t)((4 - (pos & 3)) & 3);
}

static void stream_entry_done(struct cpio_stream *cs)
{
	if (cs->in_entry)
		entry_end(cs->u, &cs->en);
	cs->in_entry = false;
	kfree(cs->name);
	cs->name = NULL;
	cs->skip = pad4(cs->pos);
	cs->state = ST_HEADER;
	cs->got = 0;
}

/* The name is in: start the entry (or pass the trailer). */
static int stream_name_done(struct cpio_stream *cs)
{
	size_t nlen = cs->name_size - 1;

	if (cs->name[nlen] != '\0')
		return -EINVAL;
	cs->skip = pad4(cs->pos);
	cs->data_left = cs->en.e.size;
	cs->state = ST_DATA;
	if (nlen == 10 && !memcmp(cs->name, "TRAILER!!!", 10))
		cs->in_entry = false;
	else
		cs->in_entry = entry_start(cs->u, &cs->en, cs->name, nlen);
	if (!cs->data_left) {
		/* Nothing follows but padding, which the header state takes. */
		cs->skip = 0;
		stream_entry_done(cs);
	}
	return 0;
}

static int stream_write(void *arg, const u8 *buf, size_t len)
{
	struct cpio_stream *cs = arg;

	while (len) {
		size_t n;
		int err = 0;

		if (cs->skip) {
			n = MIN(cs->skip, len);
			cs->skip -= n;
		} else if (cs->state == ST_HEADER && !cs->got && !*buf) {
			n = 1; /* zero padding between archives */
		} else if (cs->state == ST_HEADER) {
			n = MIN(NEWC_HEADER_LEN - cs->got, len);
			memcpy(cs->hdr + cs->got, buf, n);
			cs->got += n;
			if (cs->got == NEWC_HEADER_LEN) {
				err = stream_header(cs);
				cs->state = ST_NAME;
				cs->got = 0;
			}
		} else if (cs->state == ST_NAME) {
			n = MIN(cs->name_size - cs->got, len);
			memcpy(cs->name + cs->got, buf, n);
			cs->got += n;
			cs->pos += n;
			buf += n;
			len -= n;
			if (cs->got == cs->name_size)
				err = stream_name_done(cs);
			if (err)
				return err;
			continue;
		} else {
			n = MIN(cs->data_left, len);
			if (cs->in_entry)
				entry_data(&cs->en, buf, n);
			cs->data_left -= n;
			cs->pos += n;
			buf += n;
			len -= n;
			if (!cs->data_left)
				stream_entry_done(cs);
			continue;
		}
		if (err)
			return err;
		cs->pos += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static long unpack_gzip(struct unpacker *u, const void *archive, size_t len)
{
	struct cpio_stream cs = { .u = u, .state = ST_HEADER };
	struct inflate_sink sink = { stream_write, &cs };
	u8 *window = kmalloc(INFLATE_WINDOW);
	long r;

	if (!window)
		return -ENOMEM;
	r = gunzip(archive, len, window, &sink);
	/* Whatever was cut off in the middle is an error. */
	if (r >= 0 && (cs.state != ST_HEADER || cs.got))
		r = -EINVAL;
	if (cs.in_entry)
		entry_end(u, &cs.en);
	kfree(cs.name);
	kfree(window);
	return r < 0 ? r : 0;
}

long initramfs_unpack(const void *archive, size_t len)
{
	struct unpacker u = { 0 };
	long r;

	u.ctx.fs = fs_state_create();
	u.ctx.cred = &root_cred;
	if (!u.ctx.fs)
		return -ENOMEM;
	fs_umask(u.ctx.fs, 0);
	if (gzip_detect(archive, len))
		r = unpack_gzip(&u, archive, len);
	else
		r = unpack_cpio(&u, archive, len);
	unpacker_finish(&u);
	fs_state_put(u.ctx.fs);
	return r < 0 ? r : u.created;
}

int initramfs_unpack_boot(void)
{
	const void *archive;
	long r;

	if (!boot_info.initrd_start)
		return 0;
	archive = phys_to_virt(boot_info.initrd_start);
	r = initramfs_unpack(archive, boot_info.initrd_size);
	if (r < 0) {
		pr_err("initramfs: the archive is malformed (%ld)\n", r);
		return (int)r;
	}
	pr_info("initramfs: %ld entries unpacked\n", r);
	return 0;
}
