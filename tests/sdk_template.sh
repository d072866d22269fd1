#!/bin/bash
# sdk_template.sh VIGIL SOURCE_DIR — the plugin SDK as an author meets it: install vigil into
# a prefix, build plugins/template out of tree against it (CMake package, and pkg-config),
# and see the template's check run in `vigil validate` and listed by `vigil plugins`.
set -u
vigil=${1:?vigil binary}
src=${2:?source dir}
build=$(cd "$(dirname "$vigil")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
say_fail() { echo "FAIL: $*"; fail=1; }

prefix=$work/prefix
if ! cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
	cat "$work/install.log"
	echo "FAIL: cmake --install"
	exit 1
fi
for f in include/vigil/plugin.h include/vigil/vigil.h; do
	[ -f "$prefix/$f" ] || say_fail "not installed: $f"
done
libdir=$(dirname "$(find "$prefix" -name 'libvigil.so' | head -1)")
[ -f "$libdir/cmake/vigil/vigilConfig.cmake" ] || say_fail "no vigilConfig.cmake in $libdir/cmake/vigil"
[ -f "$libdir/pkgconfig/vigil.pc" ] || say_fail "no vigil.pc in $libdir/pkgconfig"

# CMake: find_package(vigil) from the installed prefix; the template's own CMakeLists.txt.
if ! { cmake -S "$src/plugins/template" -B "$work/tb" -DCMAKE_PREFIX_PATH="$prefix" &&
	cmake --build "$work/tb"; } >"$work/build.log" 2>&1; then
	cat "$work/build.log"
	say_fail "the template does not build out of tree"
fi
[ -f "$work/tb/vigil_my_check.so" ] || say_fail "no vigil_my_check.so"

# pkg-config: the header is all a plugin needs.
mkdir -p "$work/pc"
if ! PKG_CONFIG_PATH="$libdir/pkgconfig" cc -shared -fPIC -fvisibility=hidden -Wall -Wextra -Werror \
	$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags vigil) \
	"$src/plugins/template/my_check.c" -o "$work/pc/vigil_my_check.so" 2>"$work/pc.log"; then
	cat "$work/pc.log"
	say_fail "the template does not build with pkg-config"
fi
plugindir=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --variable=plugindir vigil)
[ "$plugindir" -ef "$libdir/vigil/plugins" ] || say_fail "pkg-config plugindir is $plugindir"

cat >"$work/bp.yaml" <<'YAML'
schema_version: "1.0.0"
system:
  name: sdk_test
  components:
    - name: store
      type: Store
      config: {database: bounded, table: items}
  databases:
    bounded:
      type: sqlite
      url: sqlite:///tmp/vigil_sdk_bounded.db
      pool: {max: 8}
      schema:
        tables:
          - name: items
            columns:
              - {name: id, type: integer, primary_key: true}
    unbounded:
      type: sqlite
      url: sqlite:///tmp/vigil_sdk_unbounded.db
      schema:
        tables:
          - name: items
            columns:
              - {name: id, type: integer, primary_key: true}
YAML

installed_vigil=$prefix/bin/vigil
for dir in "$work/tb" "$work/pc"; do
	LD_LIBRARY_PATH=$libdir "$installed_vigil" validate "$work/bp.yaml" --keep-going --format json \
		--plugin-dir "$dir" --plugin my_check >"$work/out.json" 2>"$work/err.txt"
	rc=$?
	python3 - "$work/out.json" <<'PY' || say_fail "the template's check did not run as expected ($dir, exit $rc): $(cat "$work/err.txt")"
import json, sys
r = json.load(open(sys.argv[1]))
l3 = [l for l in r["levels"] if l["level"] == 3][0]
runs = {c.get("database"): c["status"] for c in l3["checks"] if c["name"] == "my_check.pool"}
found = [(f["code"], f.get("database")) for f in r["findings"] if f["code"] == "MYCHK001"]
ok = runs == {"bounded": "passed", "unbounded": "passed"} and found == [("MYCHK001", "unbounded")]
if not ok:
    print("checks:", runs, "findings:", found)
sys.exit(0 if ok else 1)
PY
done

LD_LIBRARY_PATH=$libdir "$installed_vigil" plugins --plugin-dir "$work/tb" >"$work/list.txt" 2>&1 ||
	say_fail "vigil plugins: exit $?"
abi_minor=$(sed -n 's/^#define VIGIL_PLUGIN_ABI_MINOR \([0-9][0-9]*\).*/\1/p' "$src/engine/include/vigil/plugin.h")
grep -qxF "my_check 1.0.0 (check, ABI 1.$abi_minor, level 3)" "$work/list.txt" ||
	say_fail "vigil plugins does not list the template: $(cat "$work/list.txt")"

[ $fail = 0 ] && echo "sdk_template: ok"
exit $fail
