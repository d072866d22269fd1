#!/bin/bash
# plugin_abi.sh VIGIL SOURCE_DIR — the plugin host end to end through the CLI, with the
# deliberately broken plugins of tests/plugins: each refusal and each crash/hang/exit/no-status/
# stdout-garbage check yields its exact error in the JSON report, every other result is
# there, the run keeps the deadline (+1 s), and no process vigil started (workers, or what a
# check forked) outlives vigil.
set -u
vigil=${1:?vigil binary}
build=$(cd "$(dirname "$vigil")/.." && pwd)
plugins=$build/tests/plugins
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
say_fail() { echo "FAIL: $*"; fail=1; }
src=${2:?source dir}
# The host's ABI minor, from the header the plugins are built against.
minor=$(sed -n 's/^#define VIGIL_PLUGIN_ABI_MINOR \([0-9][0-9]*\).*/\1/p' "$src/engine/include/vigil/plugin.h")
[ -n "$minor" ] || { echo "FAIL: cannot read VIGIL_PLUGIN_ABI_MINOR"; exit 1; }
export VIGIL_TEST_ABI_MINOR=$minor

cat >"$work/bp.yaml" <<'YAML'
schema_version: "1.0.0"
system:
  name: plugin_host_test
  components:
    - name: task_store
      type: Store
      config: {database: main, table: tasks}
  databases:
    main:
      type: sqlite
      url: sqlite:///tmp/vigil_plugin_test_main.db
      pool: {max: 4}
      schema:
        tables:
          - name: tasks
            columns:
              - {name: id, type: integer, primary_key: true}
    audit:
      type: sqlite
      url: sqlite:///tmp/vigil_plugin_test_audit.db
      schema:
        tables:
          - name: events
            columns:
              - {name: id, type: integer, primary_key: true}
YAML

# Every process vigil starts inherits this marker; none may be left once vigil has exited.
marker="VIGIL_PLUGIN_TEST_MARKER=$$-$RANDOM"
leftovers() {
	grep -l -a -s "$marker" /proc/[0-9]*/environ 2>/dev/null | grep -v "/proc/$$/" | wc -l
}

start=$(date +%s%N)
env "$marker" "$vigil" validate "$work/bp.yaml" --keep-going --format json \
	--plugin-dir "$plugins" --check-timeout 1000 --jobs 2 >"$work/out.json" 2>"$work/err.txt"
rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "isolated run with the broken plugins: exit $rc in $elapsed ms (deadline 1000 ms)"
[ "$rc" = 3 ] || say_fail "exit code $rc, expected 3 (plugins could not be loaded)"
[ "$elapsed" -lt 2500 ] || say_fail "took $elapsed ms, more than the deadline + 1 s (+ slack)"
sleep 0.2
[ "$(leftovers)" = 0 ] || say_fail "worker processes outlived vigil"

python3 - "$work/out.json" "$plugins" <<'PY' || fail=1
import json, sys
report = json.load(open(sys.argv[1]))
d = sys.argv[2]
problems = []
level3 = [l for l in report["levels"] if l["level"] == 3][0]
checks = {(c["name"], c.get("database")): c for c in level3["checks"]}

def expect(name, db, status, reason=None, findings=None):
    c = checks.get((name, db))
    if not c:
        problems.append(f"no check {name} on {db}")
        return
    if c["status"] != status:
        problems.append(f"{name} on {db}: status {c['status']}, expected {status} ({c.get('reason')})")
    if reason is not None and c.get("reason") != reason:
        problems.append(f"{name} on {db}: reason {c.get('reason')!r}, expected {reason!r}")
    if findings is not None and c["findings"] != findings:
        problems.append(f"{name} on {db}: {c['findings']} findings, expected {findings}")

import os
minor = int(os.environ["VIGIL_TEST_ABI_MINOR"])
refusals = {
    "badmagic": "not a vigil plugin descriptor (magic 0xdeadbeef, expected 0x4c474956)",
    "major": "ABI major 2, this vigil supports 1 (rebuild the plugin against this vigil's SDK)",
    "minor": f"ABI 1.{minor + 1} is newer than this vigil's 1.{minor} (upgrade vigil, or build the plugin against an older SDK)",
    "nosym": "no entry function vigil_plugin_nosym_get_desc() (define the plugin with VIGIL_PLUGIN_DEFINE(nosym, ...))",
    "noname": "the descriptor's name is empty",
    "structure": "duplicate plugin name 'structure': a built-in validator is called so",
    "initfail": "init failed (returned -7)",
}
for name, why in refusals.items():
    expect("plugin:" + name, None, "error", f"{d}/vigil_{name}.so: {why}")
c = checks.get(("plugin:short", None))
if not c or not c.get("reason", "").startswith(f"{d}/vigil_short.so: descriptor of 24 bytes, ABI 1.{minor} needs at least "):
    problems.append(f"plugin:short: {c}")

for db in ("main", "audit"):
    expect("good.first", db, "passed", None, 1)
    expect("good.second", db, "failed", None, 1)
    expect("garbage", db, "passed", None, 1)
    expect("nostatus", db, "error", "the check did not report a status", 2)
    expect("segv", db, "error", "the check crashed: SIGSEGV (segmentation fault)", 1)
    expect("segv.after", db, "skipped", "depends on 'segv', which ended in an error", 0)
    expect("abort", db, "error", "the check crashed: SIGABRT (aborted)", 1)
    expect("exits", db, "error", "the check crashed: its worker exited with status 0 before the "
           "check reported (the check called exit(), or a sanitizer stopped it)", 1)
    expect("hang", db, "error", "the check did not finish within 1000 ms; its worker was killed", 1)
    expect("forks", db, "passed", None, 0)

codes = sorted((f["code"], f.get("database")) for f in report["findings"] if f["level"] == 3 and f["code"].startswith("TEST"))
want = sorted([(c, db) for db in ("main", "audit") for c in ("TEST100", "TEST101", "TEST800", "TEST900")])
if codes != want:
    problems.append(f"plugin findings {codes}, expected {want}")
for f in report["findings"]:
    if f["code"] == "TEST100" and f.get("database") == "main":
        if f.get("message") != "the pool could be larger" or f.get("check") != "good.first":
            problems.append(f"TEST100: {f}")
if report["exit_code"] != 3 or report.get("reason") != "could_not_check":
    problems.append(f"report exit_code {report['exit_code']} reason {report.get('reason')}")
# A finding behind every failure: the host's own code, the check's name and database.
host = {(f["code"], f["check"], f.get("database")) for f in report["findings"] if f["code"].startswith("VG6")}
for db in ("main", "audit"):
    for code, check in (("VG600", "segv"), ("VG600", "abort"), ("VG600", "exits"),
                        ("VG601", "hang"), ("VG602", "nostatus")):
        if (code, check, db) not in host:
            problems.append(f"no {code} finding for {check} on {db}")
for name in refusals:
    if ("VG604", "plugin:" + name, None) not in host:
        problems.append(f"no VG604 finding for plugin:{name}")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY

# A required plugin that cannot load: said on stderr, in the report, exit code 3.
"$vigil" validate "$work/bp.yaml" --keep-going --format json --plugin-dir "$plugins/second" \
	--plugin major --plugin-dir "$plugins" --check-timeout 300 >"$work/req.json" 2>"$work/req.err"
rc=$?
[ "$rc" = 3 ] || say_fail "--plugin major: exit $rc, expected 3"
grep -q "plugin 'major' could not be loaded: $plugins/vigil_major.so: ABI major 2, this vigil supports 1" "$work/req.err" ||
	say_fail "--plugin major: stderr was: $(cat "$work/req.err")"
"$vigil" validate "$work/bp.yaml" --format json --plugin "../tests/plugins/good" \
	--plugin-dir "$plugins/second" >"$work/path.json" 2>"$work/path.err"
rc=$?
[ "$rc" = 3 ] || say_fail "--plugin with a path: exit $rc, expected 3"
grep -q "plugins load by name from plugin directories only (no '/' or '..')" "$work/path.err" ||
	say_fail "--plugin with a path: stderr was: $(cat "$work/path.err")"

# In-process, the good plugin (second/ holds a copy) beside the build's own: same results; exit 3
# (could not check), since the in-tree preflight finds no SQLite file at these URLs.
"$vigil" validate "$work/bp.yaml" --keep-going --format json --plugin-dir "$plugins/second" \
	--no-isolate >"$work/inproc.json" 2>"$work/inproc.err"
rc=$?
[ "$rc" = 3 ] || say_fail "--no-isolate: exit $rc, expected 3: $(cat "$work/inproc.err")"
python3 - "$work/inproc.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
l3 = [l for l in r["levels"] if l["level"] == 3][0]
got = sorted((c["name"], c.get("database"), c["status"]) for c in l3["checks"] if c["name"].startswith("good"))
want = sorted([("good.first", db, "passed") for db in ("main", "audit")] + [("good.second", db, "failed") for db in ("main", "audit")])
if got != want:
    print("FAIL: --no-isolate checks", got)
    sys.exit(1)
PY

# Offline, level 3 records its database checks as skipped per database, with the reason, and
# runs no plugin check.
"$vigil" validate "$work/bp.yaml" --keep-going --format json --offline \
	--plugin-dir "$plugins" >"$work/none.json" 2>/dev/null
python3 - "$work/none.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
l3 = [l for l in r["levels"] if l["level"] == 3][0]
dc = [c for c in l3["checks"] if c["name"] == "database-checks"]
if len(dc) != 2 or any(c["status"] != "skipped" or c.get("reason") != "offline run (--offline): no database was contacted" for c in dc):
    print("FAIL: offline:", dc)
    sys.exit(1)
if any(c["name"].startswith("good") for c in l3["checks"]):
    print("FAIL: offline, plugin checks still ran")
    sys.exit(1)
PY

# vigil plugins: lists what loads, with its checks, and why the others did not; exit 3.
"$vigil" plugins --plugin-dir "$plugins" >"$work/list.txt" 2>/dev/null
rc=$?
[ "$rc" = 3 ] || say_fail "vigil plugins: exit $rc, expected 3"
for line in "good 2.1.0 (check, ABI 1.$minor, level 3)" "  file: $plugins/vigil_good.so" \
	"  - good.second: an error finding; needs good.first (after good.first)" \
	"major: could not be loaded" "  $plugins/vigil_major.so: ABI major 2, this vigil supports 1 (rebuild the plugin against this vigil's SDK)" \
	"  $plugins/vigil_initfail.so: init failed (returned -7)" "  $plugins"; do
	grep -qxF -- "$line" "$work/list.txt" || say_fail "vigil plugins lacks the line: $line"
done
"$vigil" plugins --plugin-dir "$plugins/second" >/dev/null 2>&1
rc=$?
[ "$rc" = 0 ] || say_fail "vigil plugins (good only): exit $rc, expected 0"

[ $fail = 0 ] && echo "plugin_abi: ok"
exit $fail
