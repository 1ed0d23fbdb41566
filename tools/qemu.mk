# QEMU command lines for make run, make debug and make iso (included by Makefile).
QEMU := qemu-system-x86_64
ifeq ($(KVM),1)
QEMU_ACCEL := -accel kvm -cpu host,-arch-capabilities
else
QEMU_ACCEL := -accel tcg -cpu max
endif
QEMU_COMMON := $(QEMU_ACCEL) -m $(MEM) -smp $(SMP) -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
# The busybox shell initramfs by default (make run INITRD= boots without one).
INITRD ?= $(BUILD)/initramfs.cpio
CMDLINE ?= console=ttyS0
QEMU_INITRD := $(if $(INITRD),-initrd $(INITRD))

run: deps kernel $(INITRD)
	@echo "Sable in QEMU (quit: Ctrl-A X, or poweroff)"
	$(QEMU) $(QEMU_COMMON) -kernel $(BUILD)/sable.elf $(QEMU_INITRD) \
		-append "$(CMDLINE)" -serial mon:stdio -display none

# Stops at the first instruction; in another terminal: gdb -x tools/gdbinit
debug: kernel
	@echo "gdb: gdb -x tools/gdbinit  (QEMU waits on :1234)"
	$(QEMU) $(QEMU_COMMON) -kernel $(BUILD)/sable.elf $(QEMU_INITRD) \
		-append "$(CMDLINE)" -serial mon:stdio -display none -s -S

# A GRUB (BIOS) ISO with the kernel and, when given, the initramfs as a module.
iso: $(BUILD)/sable.iso
$(BUILD)/sable.iso: $(BUILD)/sable.elf tools/mkiso.sh
	tools/mkiso.sh $(BUILD)/sable.elf "$(INITRD)" "$(CMDLINE)" $@

run-iso: iso
	$(QEMU) $(QEMU_COMMON) -cdrom $(BUILD)/sable.iso -serial mon:stdio -display none
