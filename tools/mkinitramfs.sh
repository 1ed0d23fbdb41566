#!/usr/bin/env bash
# Builds Sable's busybox initramfs: a cpio "newc" archive written by a small
# generator below (no fakeroot, no host owners leak in): every entry's mode,
# owner, inode and mtime is set here, entries are sorted, so the same inputs
# give the same bytes.
#
#   tools/mkinitramfs.sh [options] OUT
#     -z, --gzip          gzip the archive (gzip -n -9); default: uncompressed
#     --init FILE         /init (default: tests/guest/rootfs/init, the shell init)
#     --tests DIR         copy DIR's tree to /tests (root-owned, modes kept)
#     --file DEST=SRC     add one more file (mode 0644, or 0755 if SRC is executable)
#     --busybox PATH      the static busybox (default: /bin/busybox of busybox-static)
#     --mtime N           the mtime of every entry (default: $SOURCE_DATE_EPOCH or 1704067200)
#     --list              print the entry list instead of building
#
# Contents: /bin/busybox and a symlink for each applet (busybox --list-full),
# /init, /etc (passwd and group with root and user 1000, hostname, inittab,
# profile), /dev with the basic device nodes (console, null, zero, full,
# random, urandom, tty, ttyS0, ptmx), /dev/pts /proc /sys /tmp (1777) /root
# (0700) /home/user (owned by 1000:1000) /mnt, and the tests under /tests.
set -euo pipefail
cd "$(dirname "$0")/.."

GZIP=0
INIT=tests/guest/rootfs/init
TESTS=
BUSYBOX=/bin/busybox
MTIME=${SOURCE_DATE_EPOCH:-1704067200}
LIST=0
EXTRA=()
OUT=

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	-z | --gzip) GZIP=1 ;;
	--init) INIT=$2; shift ;;
	--tests) TESTS=$2; shift ;;
	--file) EXTRA+=("$2"); shift ;;
	--busybox) BUSYBOX=$2; shift ;;
	--mtime) MTIME=$2; shift ;;
	--list) LIST=1 ;;
	-h | --help) usage ;;
	-*) echo "mkinitramfs: unknown option $1" >&2; usage ;;
	*) OUT=$1 ;;
	esac
	shift
done
[ -n "$OUT" ] || [ "$LIST" = 1 ] || usage

if [ ! -x "$BUSYBOX" ]; then
	echo "mkinitramfs: no $BUSYBOX (install the Debian package busybox-static)" >&2
	exit 1
fi
if readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'Requesting program interpreter'; then
	echo "mkinitramfs: $BUSYBOX is dynamically linked (want busybox-static's)" >&2
	exit 1
fi
[ -f "$INIT" ] || { echo "mkinitramfs: no init $INIT" >&2; exit 1; }
ROOTFS=tests/guest/rootfs

# The entry list, one per line (the format of Linux's gen_init_cpio):
#   dir PATH MODE UID GID
#   file PATH SRC MODE UID GID
#   slink PATH TARGET MODE UID GID
#   nod PATH MODE UID GID c|b MAJOR MINOR
spec() {
	local d
	for d in /bin /sbin /usr /usr/bin /usr/sbin /etc /lib /mnt /home /dev /dev/pts /var /var/log; do
		echo "dir $d 0755 0 0"
	done
	echo "dir /proc 0555 0 0"
	echo "dir /sys 0555 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /root 0700 0 0"
	echo "dir /home/user 0755 1000 1000"
	echo "file /bin/busybox $BUSYBOX 0755 0 0"
	"$BUSYBOX" --list-full | sort | while read -r app; do
		case $app in
		bin/busybox | linuxrc | "") ;;
		*) echo "slink /$app /bin/busybox 0777 0 0" ;;
		esac
	done
	echo "file /init $INIT 0755 0 0"
	for f in passwd group hostname inittab profile; do
		echo "file /etc/$f $ROOTFS/etc/$f 0644 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "nod /dev/zero 0666 0 0 c 1 5"
	echo "nod /dev/full 0666 0 0 c 1 7"
	echo "nod /dev/random 0666 0 0 c 1 8"
	echo "nod /dev/urandom 0666 0 0 c 1 9"
	echo "nod /dev/tty 0666 0 0 c 5 0"
	echo "nod /dev/ptmx 0666 0 0 c 5 2"
	echo "nod /dev/ttyS0 0660 0 0 c 4 64"
	if [ -n "$TESTS" ]; then
		echo "dir /tests 0755 0 0"
		(cd "$TESTS" && find . -mindepth 1 | LC_ALL=C sort) | while read -r p; do
			p=${p#./}
			local src=$TESTS/$p
			if [ -L "$src" ]; then
				echo "slink /tests/$p $(readlink "$src") 0777 0 0"
			elif [ -d "$src" ]; then
				echo "dir /tests/$p 0755 0 0"
			elif [ -x "$src" ]; then
				echo "file /tests/$p $src 0755 0 0"
			else
				echo "file /tests/$p $src 0644 0 0"
			fi
		done
	fi
	local e
	for e in ${EXTRA[@]+"${EXTRA[@]}"}; do
		local dest=${e%%=*} src=${e#*=}
		if [ -x "$src" ]; then
			echo "file $dest $src 0755 0 0"
		else
			echo "file $dest $src 0644 0 0"
		fi
	done
}

if [ "$LIST" = 1 ]; then
	spec
	exit 0
fi

mkdir -p "$(dirname "$OUT")"
tmp=$OUT.tmp.$$
trap 'rm -f "$tmp" "$tmp.gz"' EXIT
spec | python3 -c '
import os, stat, sys

mtime = int(sys.argv[1])
entries = {}
for line in sys.stdin:
    f = line.split()
    if not f:
        continue
    kind, path = f[0], "/" + f[1].strip("/")
    entries[path] = f   # a later entry for the same path wins

def key(p):
    return p.strip("/").split("/")

out = bytearray()
def put(name, mode, uid, gid, nlink, data=b"", rmaj=0, rmin=0):
    global ino
    ino += 1
    n = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, uid, gid, nlink, mtime, len(data), 0, 0, rmaj, rmin, len(n), 0))
    out.extend(hdr.encode() + n)
    out.extend(b"\0" * (-len(out) % 4))
    out.extend(data)
    out.extend(b"\0" * (-len(out) % 4))

ino = 0
for path in sorted(entries, key=key):
    f = entries[path]
    kind, name = f[0], path.lstrip("/")
    if kind == "dir":
        put(name, stat.S_IFDIR | int(f[2], 8), int(f[3]), int(f[4]), 2)
    elif kind == "file":
        with open(f[2], "rb") as fh:
            data = fh.read()
        put(name, stat.S_IFREG | int(f[3], 8), int(f[4]), int(f[5]), 1, data)
    elif kind == "slink":
        put(name, stat.S_IFLNK | int(f[3], 8), int(f[4]), int(f[5]), 1, f[2].encode())
    elif kind == "nod":
        t = stat.S_IFCHR if f[5] == "c" else stat.S_IFBLK
        put(name, t | int(f[2], 8), int(f[3]), int(f[4]), 1, b"", int(f[6]), int(f[7]))
    else:
        sys.exit("mkinitramfs: bad entry: " + " ".join(f))
ino = -1   # the trailer has inode 0
put("TRAILER!!!", 0, 0, 0, 1)
out.extend(b"\0" * (-len(out) % 512))
sys.stdout.buffer.write(out)
' "$MTIME" > "$tmp"

if [ "$GZIP" = 1 ]; then
	gzip -n -9 -c "$tmp" > "$tmp.gz"
	mv "$tmp.gz" "$tmp"
fi
# An identical archive is left alone (its mtime too).
if cmp -s "$tmp" "$OUT"; then
	rm -f "$tmp"
else
	mv "$tmp" "$OUT"
fi
trap - EXIT
