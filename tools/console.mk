# Console tests (issue 4): a pexpect script types at the serial console of
# Sable booted with the busybox initramfs, as a person would
# (tests/console/console_test.py). Included by the Makefile.
CONSOLE_TIMEOUT ?= 30
# Debian's python3 sees python3-pexpect, which tools/install-deps.sh installs.
CONSOLE_PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

test-console: kernel $(BUILD)/initramfs.cpio
	$(CONSOLE_PYTHON) tests/console/console_test.py --kernel $(BUILD)/sable.elf \
		--initrd $(BUILD)/initramfs.cpio --timeout $(CONSOLE_TIMEOUT) \
		--log $(BUILD)/console-test.log

.PHONY: test-console
