#!/bin/sh
# Installs the Debian packages Sable's build, run and tests need. As root it
# runs apt-get; otherwise it prints the exact apt-get line to run.
set -e

# command-to-check:package
NEEDS="
gcc:gcc
make:make
ld:binutils
qemu-system-x86_64:qemu-system-x86
grub-mkrescue:grub-common
xorriso:xorriso
mformat:mtools
cpio:cpio
gzip:gzip
musl-gcc:musl-tools
python3:python3
"
# Files (not commands) that packages provide.
FILES="
/usr/lib/grub/i386-pc/modinfo.sh:grub-pc-bin
/usr/share/qemu/pvh.bin:qemu-system-x86
/bin/busybox:busybox-static
/usr/lib/x86_64-linux-gnu/libc.a:libc6-dev
/usr/lib/python3/dist-packages/pexpect/__init__.py:python3-pexpect
"

missing=""
for pair in $NEEDS; do
	cmd=${pair%%:*}
	pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
for pair in $FILES; do
	f=${pair%%:*}
	pkg=${pair#*:}
	[ -e "$f" ] || missing="$missing $pkg"
done
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')

if [ -z "$(echo $missing | tr -d ' ')" ]; then
	exit 0
fi
if [ "$(id -u)" = 0 ]; then
	echo "install-deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
else
	echo "install-deps: missing packages. Run:"
	echo "  sudo apt-get install -y$missing" | sed 's/  */ /g'
	exit 1
fi
