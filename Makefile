# Sable build. `make` builds build/sable.elf; see README.md for the rest.

BUILD := build
CC := gcc
LD := ld
OBJCOPY := objcopy
NM := nm
LINUX_COMPAT ?= 1
KVM ?= 0
MEM ?= 128M
SMP ?= 1

KERNEL_DIRS := kernel/arch kernel/core kernel/mm kernel/sched kernel/drivers kernel/lib \
	kernel/fs kernel/proc kernel/ipc
ifeq ($(LINUX_COMPAT),1)
KERNEL_DIRS += kernel/linux
endif

KSRC := $(sort $(shell find $(KERNEL_DIRS) -name '*.c' -o -name '*.S'))
KOBJ := $(patsubst %,$(BUILD)/%.o,$(KSRC))
KDEPS := $(KOBJ:.o=.d)

KCFLAGS := -std=gnu11 -ffreestanding -nostdlib -fno-builtin-printf \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx -mgeneral-regs-only \
	-mcmodel=kernel -fno-pie -fno-pic -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Ikernel/include -DLINUX_COMPAT=$(LINUX_COMPAT)
KCFLAGS_LINUX := -Ikernel/linux
KASFLAGS := -Ikernel/include -D__ASSEMBLER__ -g
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T kernel/arch/x86_64/linker.ld

.PHONY: all kernel clean run debug iso test test-host test-boot initrd-noinit \
	compile_commands.json deps
all: kernel compile_commands.json

kernel: $(BUILD)/sable.elf

# V=1 shows the full commands.
V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif

# Objects depend on the flags: a changed flag rebuilds everything.
FLAGS_FILE := $(BUILD)/.kcflags
$(shell mkdir -p $(BUILD); echo '$(KCFLAGS) $(KASFLAGS)' | cmp -s - $(FLAGS_FILE) || \
	echo '$(KCFLAGS) $(KASFLAGS)' > $(FLAGS_FILE))

# Only the Linux layer sees its own headers (kernel/linux/): the rule between the layers.
$(BUILD)/kernel/linux/%.c.o: kernel/linux/%.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) $(KCFLAGS_LINUX) -MMD -MP -c $< -o $@

$(BUILD)/%.c.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.S.o: %.S $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KCFLAGS) $(KASFLAGS) -MMD -MP -c $< -o $@

# Backtraces need symbols in the image: link once, list the text symbols,
# assemble them into a table, link again. The table sits at the end of
# .rodata, so the second link moves no code (checked below).
$(BUILD)/ksyms0.S:
	@mkdir -p $(BUILD)
	$(Q)tools/gen-ksyms.sh /dev/null > $@

$(BUILD)/sable.pass1.elf: $(KOBJ) $(BUILD)/ksyms0.S.o kernel/arch/x86_64/linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(BUILD)/ksyms0.S.o

$(BUILD)/ksyms.S: $(BUILD)/sable.pass1.elf tools/gen-ksyms.sh
	$(Q)$(NM) -n $< | tools/gen-ksyms.sh - > $@

$(BUILD)/%.S.o: $(BUILD)/%.S
	$(Q)$(CC) $(KCFLAGS) $(KASFLAGS) -c $< -o $@

$(BUILD)/sable.elf: $(BUILD)/sable.pass1.elf $(BUILD)/ksyms.S.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(BUILD)/ksyms.S.o
	@$(NM) -n $(BUILD)/sable.pass1.elf | grep -i ' t ' > $(BUILD)/syms1.txt
	@$(NM) -n $@ | grep -i ' t ' > $(BUILD)/syms2.txt
	@cmp -s $(BUILD)/syms1.txt $(BUILD)/syms2.txt || \
		{ echo "ksyms: second link moved code"; rm -f $@; exit 1; }
	@size $@ | tail -1 | awk '{ printf "  sable.elf: text %d, data %d, bss %d bytes\n", $$1, $$2, $$3 }'

-include $(KDEPS)

# clangd: one entry per kernel source, with the flags above.
compile_commands.json: Makefile
	@{ echo "["; sep=""; for f in $(KSRC); do \
		case $$f in *.S) extra="$(KASFLAGS)";; *) extra="";; esac; \
		printf '%s{"directory":"%s","file":"%s","command":"%s %s %s -c %s"}' \
			"$$sep" "$(CURDIR)" "$$f" "$(CC)" "$(KCFLAGS)" "$$extra" "$$f"; sep=",\n"; \
	done; echo; echo "]"; } > $@

# ---- running ----
include tools/qemu.mk
include tools/guest.mk
include tools/console.mk
include tools/bench.mk

# ---- tests ----
test-host:
	@$(MAKE) --no-print-directory -C tests/host run

test-boot: kernel
	tools/boot-test.sh

# Everything: host unit tests, the kernel and its boot tests, the build
# without the Linux layer booted through its self tests (proof that nothing
# native depends on it), then the guest suite (Linux programs and busybox
# inside Sable).
test: deps
	$(MAKE) test-host
	$(MAKE) test-boot
	$(MAKE) BUILD=$(BUILD)/nocompat LINUX_COMPAT=0 kernel
	BUILD=$(BUILD)/nocompat BOOT_ONLY=ktest-pvh tools/boot-test.sh
	$(MAKE) check-syscalls-md
	$(MAKE) test-console
	$(MAKE) test-guest

deps:
	tools/install-deps.sh

clean:
	rm -rf $(BUILD) compile_commands.json
