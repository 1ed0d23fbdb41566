# Benchmarks against Linux and the syscall coverage report (included by the Makefile).
#
#   make syscalls-md        regenerate docs/SYSCALLS.md from kernel/linux/syscalls.def
#                           and kernel/linux/partial-notes.txt
#   make check-syscalls-md  fail when the committed docs/SYSCALLS.md is stale
#   make bench              build the benchmark initramfs (busybox + tests/bench),
#                           boot it on Sable and on Debian's Linux kernel in the same
#                           QEMU configuration, write bench/results.md (tools/bench.sh)
#
# Knobs for make bench: BENCH_MEM (256M), BENCH_SMP (1), KVM=1 (use KVM if it
# works), BENCH_BOOT_RUNS (boot-time samples, 3), BENCH_MINMEM=0 (skip the
# minimum-memory search), BENCH_SCALE (iteration multiplier, 1).

BENCH_MEM ?= 256M
BENCH_SMP ?= 1
BENCH_BOOT_RUNS ?= 3
BENCH_MINMEM ?= 1
BENCH_SCALE ?= 1

.PHONY: syscalls-md check-syscalls-md bench

syscalls-md:
	@echo "  GEN     docs/SYSCALLS.md"
	@mkdir -p $(BUILD)
	@tools/gen-syscalls-md.sh > $(BUILD)/SYSCALLS.md.new
	@mv $(BUILD)/SYSCALLS.md.new docs/SYSCALLS.md

check-syscalls-md:
	@mkdir -p $(BUILD)
	@tools/gen-syscalls-md.sh > $(BUILD)/SYSCALLS.md.check
	@if cmp -s $(BUILD)/SYSCALLS.md.check docs/SYSCALLS.md; then \
		echo "  OK      docs/SYSCALLS.md is current"; \
	else \
		echo "docs/SYSCALLS.md is stale: run 'make syscalls-md' and commit it" >&2; \
		diff -u docs/SYSCALLS.md $(BUILD)/SYSCALLS.md.check | head -20 >&2; exit 1; \
	fi

bench: kernel
	@BUILD=$(BUILD) KVM=$(KVM) MEM=$(BENCH_MEM) SMP=$(BENCH_SMP) BOOT_RUNS=$(BENCH_BOOT_RUNS) \
		MINMEM=$(BENCH_MINMEM) SCALE=$(BENCH_SCALE) tools/bench.sh
