# Guest tests and the busybox initramfs (included by the Makefile).
#
#   make guest-programs    build the test programs (tests/guest/Makefile) and
#                          stage them in $(BUILD)/guest/tests
#   make initramfs         $(BUILD)/initramfs.cpio (+ .cpio.gz): busybox, a
#                          shell on the console (make run INITRD=...)
#   make test-initramfs    $(BUILD)/test-initramfs.cpio (+ .cpio.gz): the same
#                          plus /tests, with /init running them all
#   make test-guest        boot $(KERNEL) with it in QEMU and judge the log
#                          (tools/guest-test.sh)
#   make test-guest-host   run the same initramfs on this host's Linux
#                          (chroot, PID/mount/UTS namespaces): proves the tests
#
# Knobs (baked into /etc/guest-test.conf of the test initramfs):
#   GUEST_ONLY="file proc/exec.musl shell"   run only these families/tests
#   GUEST_SKIP="stress"                      leave these out
#   GUEST_TIMEOUT=60  GUEST_STRESS_TIMEOUT=600   per-test timeouts (s)
#   GUEST_FORKEXEC=10000  GUEST_FORKMANY=200       stress sizes
# and for the QEMU run: GUEST_MEM (256M), GUEST_TOTAL_TIMEOUT (s, 1800),
# GUEST_INITRD (default the uncompressed archive), GUEST_APPEND (extra
# kernel command line words, e.g. guest.only=file,pipe).

GUEST_OUT := $(BUILD)/guest
GUEST_KERNEL ?= $(if $(KERNEL),$(KERNEL),$(BUILD)/sable.elf)
GUEST_ONLY ?=
GUEST_SKIP ?=
GUEST_TIMEOUT ?= 60
GUEST_STRESS_TIMEOUT ?= 600
GUEST_FORKEXEC ?= 10000
GUEST_FORKMANY ?= 200
GUEST_MEM ?= 256M
GUEST_TOTAL_TIMEOUT ?= 1800
GUEST_INITRD ?= $(BUILD)/test-initramfs.cpio
GUEST_APPEND ?=

.PHONY: guest-programs initramfs test-initramfs test-guest test-guest-host FORCE

guest-programs:
	@$(MAKE) --no-print-directory -f tests/guest/Makefile BUILD=$(BUILD) GUEST_OUT=$(GUEST_OUT) stage

ROOTFS_FILES := $(wildcard tests/guest/rootfs/init tests/guest/rootfs/etc/*)

initramfs: $(BUILD)/initramfs.cpio $(BUILD)/initramfs.cpio.gz

$(BUILD)/initramfs.cpio: tools/mkinitramfs.sh $(ROOTFS_FILES)
	@echo "  CPIO    $@"
	@tools/mkinitramfs.sh $@

%.cpio.gz: %.cpio
	@echo "  GZIP    $@"
	@gzip -n -9 -c $< > $@

# The settings file: rewritten only when a knob changes.
GUEST_CONF := $(GUEST_OUT)/guest-test.conf
GUEST_CONF_TEXT := GUEST_ONLY="$(GUEST_ONLY)"\nGUEST_SKIP="$(GUEST_SKIP)"\nGUEST_TIMEOUT=$(GUEST_TIMEOUT)\nGUEST_STRESS_TIMEOUT=$(GUEST_STRESS_TIMEOUT)\nT_FORKEXEC_N=$(GUEST_FORKEXEC)\nT_FORKMANY_N=$(GUEST_FORKMANY)\n
$(GUEST_CONF): FORCE
	@mkdir -p $(dir $@)
	@printf '$(GUEST_CONF_TEXT)' | cmp -s - $@ || printf '$(GUEST_CONF_TEXT)' > $@

# Always regenerated (about a second); the files change only when their
# bytes do (mkinitramfs.sh leaves an identical archive untouched).
test-initramfs: guest-programs $(GUEST_CONF)
	@echo "  CPIO    $(BUILD)/test-initramfs.cpio"
	@tools/mkinitramfs.sh --init tests/guest/init-test.sh --tests $(GUEST_OUT)/tests \
		--file /etc/guest-test.conf=$(GUEST_CONF) $(BUILD)/test-initramfs.cpio
	@tools/mkinitramfs.sh --gzip --init tests/guest/init-test.sh --tests $(GUEST_OUT)/tests \
		--file /etc/guest-test.conf=$(GUEST_CONF) $(BUILD)/test-initramfs.cpio.gz

test-guest: kernel test-initramfs
	@BUILD=$(BUILD) KERNEL=$(GUEST_KERNEL) KVM=$(KVM) SMP=$(SMP) MEM=$(GUEST_MEM) \
		tools/guest-test.sh --initrd $(GUEST_INITRD) --timeout $(GUEST_TOTAL_TIMEOUT) \
		$(if $(GUEST_APPEND),--append "$(GUEST_APPEND)")

test-guest-host: test-initramfs
	@BUILD=$(BUILD) tools/guest-test.sh --host --initrd $(GUEST_INITRD) --timeout $(GUEST_TOTAL_TIMEOUT)

FORCE:
