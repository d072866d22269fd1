#!/bin/bash
# verdict.sh VIGIL SOURCE_DIR — the verdict never lies, over every failure fixture the project has:
# blueprints/invalid, blueprints/rules/*_fail, each deliberately broken plugin of tests/plugins
# (one at a time), stopped servers (PostgreSQL and MariaDB URLs at a port nothing listens on, a
# missing SQLite file) and an installation without check plugins. For each report:
#   verdict "fail"  <=>  at least one error finding  <=>  exit code != 0 (and the process's too);
#   every check that failed or ended in error has an error finding of its own (name, database);
#   a check skipped unasked leaves the run failed; every level-3 finding about a database has a
#   blueprint line; reason matches the exit code.
# The passing fixtures (examples offline, rules/*_pass) must pass with no error finding.
set -u
vigil=${1:?vigil binary}
src=${2:?source dir}
case $vigil in /*) ;; *) vigil=$PWD/$vigil ;; esac
build=$(cd "$(dirname "$vigil")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1
n=0
failed=0
# run EXPECT NAME ARGS...: a report in $work/N.json with its exit code and what was expected.
run() {
	local expect=$1 name=$2
	shift 2
	n=$((n + 1))
	local rc=0
	"$vigil" validate "$@" --format json >"$work/$n.json" 2>"$work/$n.err" || rc=$?
	printf '%s\t%s\t%s\t%s\n' "$n" "$rc" "$expect" "$name" >>"$work/index"
}

# The corpus's ${VAR}s, as tests/invalid_corpus.sh sets them.
export ORDERS_DB_PASSWORD=corpus-dummy BLOG_DB_PASSWORD=corpus-dummy
unset ORDERS_DB_PASWORD ORDER_CURRENCY
# A fixture whose defect is a warning says "exit 0": it passes, and the invariant still holds.
for f in "$src"/blueprints/invalid/*; do
	case $f in *.expect) continue ;; esac
	expect=fail
	head -c 300 "$f" 2>/dev/null | grep -aq '^# expect: .* exit 0' && expect=pass
	run "$expect" "invalid/${f##*/}" "$f" --offline --keep-going
done
for f in "$src"/blueprints/rules/*_fail.yaml; do
	(cd "$src/blueprints/rules" && run any "rules/${f##*/}" "${f##*/}" --offline --keep-going)
	n=$(wc -l <"$work/index")
done
# Offline a URL's unset ${VAR} is only an info (VG140); online it is an error (VG118).
run fail "online unset URL variable" "$src/blueprints/invalid/087_offline_unset_url_env.yaml"
grep -q '"code": "VG118"' "$work/$n.json" || { echo "FAIL: 087 online: no VG118"; failed=1; }
export SHOP_DB_PASSWORD=unused BLOG_DB_PASSWORD=unused # offline: never sent anywhere
for f in "$src"/blueprints/rules/*_pass.yaml "$src"/blueprints/examples/*.yaml; do
	(cd "$(dirname "$f")" && run pass "${f#"$src"/blueprints/}" "${f##*/}" --offline --keep-going)
	n=$(wc -l <"$work/index")
done

# A live SQLite database the plugin runs can reach (its schema as declared).
cat >"$work/bp.yaml" <<'YAML'
schema_version: "1.0.0"
system:
  name: verdict_test
  components:
    - name: task_store
      type: Store
      config: {database: main, table: tasks}
  databases:
    main:
      type: sqlite
      url: sqlite:///main.db
      benchmark: {duration_ms: 100, warmup_ms: 0, clients: 1}
      schema:
        tables:
          - name: tasks
            columns:
              - {name: id, type: integer, primary_key: true}
        migrations:
          - {version: 1, description: tasks, up: "CREATE TABLE tasks (id INTEGER PRIMARY KEY)"}
YAML
"$vigil" migrate "$work/bp.yaml" >/dev/null || { echo "FAIL: cannot create the SQLite database"; exit 1; }
run pass "live sqlite" "$work/bp.yaml"
for so in "$build"/tests/plugins/vigil_*.so; do
	name=$(basename "$so" .so)
	name=${name#vigil_}
	case $name in forks | garbage) continue ;; esac # they pass: not failure fixtures
	mkdir -p "$work/plugins/$name"
	ln -s "$so" "$work/plugins/$name/"
	timeout=5000
	[ "$name" = hang ] && timeout=500
	run fail "plugin $name" "$work/bp.yaml" --plugin-dir "$work/plugins/$name" --check-timeout $timeout
done

# Stopped servers: a port that was free a moment ago.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for url in "postgresql://app@127.0.0.1:$port/app" "mysql://app@127.0.0.1:$port/app"; do
	type=${url%%:*}
	sed -e "s|type: sqlite|type: $type|" -e "s|url: sqlite:///main.db|url: $url|" \
		"$work/bp.yaml" >"$work/$type.yaml"
	run fail "stopped $type" "$work/$type.yaml"
done
sed -e "s|main.db|missing.db|" "$work/bp.yaml" >"$work/missing.yaml"
run fail "missing sqlite file" "$work/missing.yaml"

# Installed without check plugins: a copy of the library outside the build tree finds none.
mkdir -p "$work/lib" "$work/empty"
cp -P "$build"/engine/libvigil.so* "$work/lib/"
n=$((n + 1))
rc=0
LD_LIBRARY_PATH=$work/lib VIGIL_PLUGIN_PATH=$work/empty "$vigil" validate "$work/bp.yaml" \
	--format json >"$work/$n.json" 2>"$work/$n.err" || rc=$?
printf '%s\t%s\t%s\t%s\n' "$n" "$rc" fail "no check plugins" >>"$work/index"

# The exit-code table says the same in README, docs/exit-codes.md, --help and the JSON Schema.
"$vigil" --help >"$work/help.txt"
python3 - "$src" "$work/help.txt" <<'PY' || failed=1
import json, re, sys
src, help_text = sys.argv[1], open(sys.argv[2]).read()
table = {0: ["passed"], 1: ["findings"], 2: ["usage_error", "unreadable_blueprint"],
         3: ["could_not_check"], 4: ["internal_error"]}
problems = []
for doc in ("README.md", "docs/exit-codes.md"):
    text = open(f"{src}/{doc}").read()
    for code, reasons in table.items():
        rows = re.findall(rf"^\| {code} \| (.*)$", text, re.M)
        if not any(all(f"`{r}`" in row for r in reasons) for row in rows):
            problems.append(f"{doc}: the row of exit code {code} lacks {reasons}")
    if "4, 2, 3, 1" not in text and "4 > 2 > 3 > 1" not in text:
        problems.append(f"{doc}: no precedence")
for code, reasons in table.items():
    if not re.search(rf"^  {code}  ", help_text, re.M) or any(f"{r}" not in help_text for r in reasons):
        problems.append(f"--help: exit code {code} or {reasons} missing")
schema = json.load(open(f"{src}/reports/report.schema.json"))
if sorted(schema["properties"]["exit_code"]["enum"]) != sorted(table) or \
   sorted(schema["properties"]["reason"]["enum"]) != sorted(r for v in table.values() for r in v):
    problems.append("report.schema.json: exit_code/reason enums differ from the table")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY

python3 - "$work" <<'PY' || failed=1
import json, os, sys
work = sys.argv[1]
problems, count = [], 0
# Named cases: their exit code and a code among their error findings.
exact = {"plugin segv": (3, "VG600"), "plugin abort": (3, "VG600"), "plugin exits": (3, "VG600"),
         "plugin hang": (3, "VG601"), "plugin nostatus": (3, "VG602"), "plugin major": (3, "VG604"),
         "plugin good": (1, "TEST101"), "stopped postgresql": (3, "VG502"),
         "stopped mysql": (3, "VG502"), "missing sqlite file": (3, "VG505"),
         "no check plugins": (3, "VG606"), "online unset URL variable": (1, "VG118"),
         "invalid/010_empty.yaml": (2, "VG107")}
reasons = {0: {"passed"}, 1: {"findings"}, 2: {"usage_error", "unreadable_blueprint"},
           3: {"could_not_check"}, 4: {"internal_error"}}
for line in open(os.path.join(work, "index")):
    n, rc, expect, name = line.rstrip("\n").split("\t")
    rc = int(rc)
    count += 1
    try:
        r = json.load(open(os.path.join(work, n + ".json")))
    except Exception as e:
        problems.append(f"{name}: no JSON report (exit {rc}): {open(os.path.join(work, n + '.err')).read()[:200]}")
        continue
    errors = [f for f in r["findings"] if f["severity"] == "error"]
    fail = r["verdict"] == "fail"
    if not (fail == (len(errors) > 0) == (r["exit_code"] != 0)):
        problems.append(f"{name}: verdict {r['verdict']}, {len(errors)} error findings, exit code {r['exit_code']}")
    if r["exit_code"] != rc:
        problems.append(f"{name}: report exit_code {r['exit_code']}, process exit {rc}")
    if r.get("reason") not in reasons.get(r["exit_code"], ()):
        problems.append(f"{name}: reason {r.get('reason')} for exit code {r['exit_code']}")
    if r["summary"]["errors"] != len(errors):
        problems.append(f"{name}: summary.errors {r['summary']['errors']}, {len(errors)} listed")
    if name in exact:
        want_exit, want_code = exact.pop(name)
        if r["exit_code"] != want_exit or want_code not in {f["code"] for f in errors}:
            problems.append(f"{name}: exit {r['exit_code']} with {sorted({f['code'] for f in errors})}, expected exit {want_exit} with {want_code}")
    if expect != "any" and (expect == "fail") != fail:
        problems.append(f"{name}: expected {expect}, got {r['verdict']} (exit {rc})")
    for level in r["levels"]:
        for c in level["checks"]:
            mine = [f for f in errors if f["level"] == level["level"] and f["check"] == c["name"]
                    and (not c.get("database") or f.get("database") == c.get("database"))]
            if c["status"] in ("failed", "error") and not mine:
                problems.append(f"{name}: check {c['name']} [{c.get('database')}] {c['status']} without an error finding")
            if c["status"] == "skipped" and not c.get("on_request") and not fail:
                problems.append(f"{name}: check {c['name']} skipped unasked, yet the run passed")
    for f in r["findings"]:
        if f["level"] == 3 and f.get("database") and not f.get("location", {}).get("line"):
            problems.append(f"{name}: {f['code']} about database {f['database']} has no blueprint line")
problems += [f"case {name} did not run" for name in exact]
for p in problems:
    print("FAIL:", p)
print(f"verdict: {count} reports, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
exit $failed
