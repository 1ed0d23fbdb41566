#!/bin/sh
# Turns `nm -n` output (file argument, or - for stdin) into an assembly table
# of text symbols for backtraces: ksym_count, ksym_addrs[] (sorted) and
# ksym_names (offsets into one string blob).
set -e
src=${1:--}
awk '
BEGIN { n = 0 }
$2 ~ /^[tTwW]$/ && $1 ~ /^ffffffff8/ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "\t.global ksym_count, ksym_addrs, ksym_name_offsets, ksym_names"
	print "ksym_count:\n\t.quad " n
	print "ksym_addrs:"
	for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
	print "ksym_name_offsets:"
	off = 0
	for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "ksym_names:"
	for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
}' "$src"
