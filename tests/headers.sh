#!/bin/bash
# headers.sh VIGIL SOURCE_DIR — the public headers compile on their own, strictly, as C99 and
# as C++11 (libgit2's headertest): vigil/plugin.h is all a plugin author includes, and a
# plugin defined with its macros builds warning-free in both languages. Also pins the ABI
# block's layout.
set -u
src=${2:?source dir}
inc=$src/engine/include
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-cc}
cxx=${CXX:-c++}
fail=0

compile() { # compile LANG-FLAGS... -- FILE
	if ! "$@" -I"$inc" -Wall -Wextra -pedantic -Werror -c -o "$work/out.o" 2>"$work/err"; then
		echo "FAIL: $*"
		cat "$work/err"
		fail=1
	fi
}

for h in "vigil/plugin.h" "vigil/vigil.h" "vigil/plugin.h vigil/vigil.h" "vigil/vigil.h vigil/plugin.h"; do
	{ for x in $h; do echo "#include <$x>"; done; echo "int vigil_headertest_anchor;"; } >"$work/inc.c"
	cp "$work/inc.c" "$work/inc.cc"
	compile "$cc" -std=c99 "$work/inc.c"
	compile "$cc" -std=c11 "$work/inc.c"
	compile "$cxx" -std=c++11 "$work/inc.cc"
done

# A plugin using every macro, in both languages.
cat >"$work/plugin.c" <<'C'
#include <vigil/plugin.h>

static int run(vigil_check_ctx *ctx, const vigil_host *host)
{
	if (VIGIL_HOST_HAS(host, check_name))
		host->log(ctx, VIGIL_PLUGIN_INFO, "running %s", host->check_name(ctx));
	host->set_status(ctx, VIGIL_CHECK_PASSED, NULL);
	return 0;
}
static int init(const vigil_host *host) { return host->abi_minor > 1000; }
static void fini(const vigil_host *host) { (void)host; }
static int thread_init(const vigil_host *host) { (void)host; return 0; }
static void thread_fini(const vigil_host *host) { (void)host; }

static const vigil_check_def checks[] = {
	{ "headertest", "runs", NULL, run, NULL, { 0 } },
	{ "headertest.two", "runs after", "headertest", run, NULL, { 0 } },
};
VIGIL_PLUGIN_DEFINE(headertest, "1.0.0", "header test", VIGIL_PLUGIN_CHECK, 3, checks,
                    VIGIL_COUNT_OF(checks), init, fini)
VIGIL_PLUGIN_DEFINE_EX(headertest_ex, "1.0.0", "header test", VIGIL_PLUGIN_CHECK, 3, checks,
                       VIGIL_COUNT_OF(checks), init, fini, thread_init, thread_fini, NULL)
#if !VIGIL_PLUGIN_ABI_AT_LEAST(1, 0) || VIGIL_PLUGIN_ABI_AT_LEAST(2, 0)
#error "VIGIL_PLUGIN_ABI_AT_LEAST is wrong"
#endif
C
cp "$work/plugin.c" "$work/plugin.cc"
compile "$cc" -std=c99 -fvisibility=hidden "$work/plugin.c"
compile "$cxx" -std=c++11 -fvisibility=hidden "$work/plugin.cc"
if command -v clang >/dev/null; then
	compile clang -std=c99 "$work/plugin.c"
	compile clang++ -std=c++11 "$work/plugin.cc"
fi

# The ABI block: 16 bytes at offset 0, no padding; check definitions are 8 pointers.
cat >"$work/layout.c" <<'C'
#include <stddef.h>
#include <vigil/plugin.h>
_Static_assert(sizeof(vigil_plugin_abi) == 16, "ABI block is 16 bytes");
_Static_assert(offsetof(vigil_plugin_desc, abi) == 0, "ABI block first");
_Static_assert(offsetof(vigil_plugin_abi, desc_size) == 8, "no padding");
_Static_assert(sizeof(vigil_check_def) == 8 * sizeof(void *), "check_def size is fixed");
_Static_assert(offsetof(vigil_host, size) == 0, "host size first");
int vigil_layout_anchor;
C
compile "$cc" -std=c11 "$work/layout.c"

[ $fail = 0 ] && echo "headers: ok"
exit $fail
