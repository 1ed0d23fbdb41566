#!/bin/sh
# mkiso.sh KERNEL INITRD CMDLINE OUT: a BIOS-bootable GRUB ISO that loads the
# kernel with Multiboot2 and, when INITRD is not empty, the initramfs as a module.
set -e
kernel=$1
initrd=$2
cmdline=$3
out=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/sable.elf"
{
	echo "set timeout=0"
	echo "set default=0"
	echo "serial --unit=0 --speed=115200"
	echo "terminal_input serial console"
	echo "terminal_output serial console"
	echo "menuentry \"Sable\" {"
	echo "	multiboot2 /boot/sable.elf $cmdline"
	if [ -n "$initrd" ]; then
		cp "$initrd" "$dir/boot/initrd.img"
		echo "	module2 /boot/initrd.img initrd"
	fi
	echo "	boot"
	echo "}"
} > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed; run tools/install-deps.sh" >&2
	grub-mkrescue -o "$out" "$dir"
	exit 1
}
