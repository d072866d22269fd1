#!/bin/bash
# exports.sh VIGIL SOURCE_DIR — what crosses the boundary: each plugin .so exports exactly its
# entry function vigil_plugin_<name>_get_desc, and libvigil exports only vigil_* symbols.
set -u
build=$(cd "$(dirname "${1:?vigil binary}")/.." && pwd)
fail=0
# Symbols every ELF object may define; not part of anyone's API.
linker='^(_init|_fini|_edata|_end|__bss_start)$'

count=0
while IFS= read -r so; do
	base=$(basename "$so" .so)
	name=${base#vigil_}
	# The nosym test plugin exists to export the wrong entry function.
	[ "$name" = nosym ] && continue
	got=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -Ev "$linker" | sort | tr '\n' ' ')
	if [ "$got" != "vigil_plugin_${name}_get_desc " ]; then
		echo "FAIL: $so exports: $got(expected vigil_plugin_${name}_get_desc only)"
		fail=1
	fi
	count=$((count + 1))
done < <(find "$build/plugins" "$build/tests/plugins" -name 'vigil_*.so' 2>/dev/null)
if [ "$count" -lt 5 ]; then
	echo "FAIL: found only $count plugins under $build"
	fail=1
fi

lib=$(find "$build/engine" -maxdepth 1 -name 'libvigil.so.*.*' | head -1)
if [ -z "$lib" ]; then
	echo "FAIL: no libvigil.so under $build/engine"
	fail=1
else
	# Sanitizer builds add their runtime's hooks (__asan_*, __ubsan_*, __odr_asan*...).
	bad=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -Ev "$linker" | grep -v '^vigil_' |
		grep -Ev '^(__asan|__ubsan|__sanitizer|__odr_asan|__lsan)')
	if [ -n "$bad" ]; then
		echo "FAIL: libvigil exports symbols outside vigil_*:"
		echo "$bad" | head -20
		fail=1
	fi
fi
[ $fail = 0 ] && echo "exports: ok ($count plugins, libvigil)"
exit $fail
