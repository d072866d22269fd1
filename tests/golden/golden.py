#!/usr/bin/env python3
"""golden.py VIGIL SOURCE_DIR [--update] — the text and JSON reports of a set of blueprints,
compared with the files stored under tests/golden/ (run through tests/golden.sh by ctest).

Each case runs `vigil validate` twice (text, then --format json) and stores
  <group>/<case>.txt    the text report, then its exit code (and standard error, if any)
  <group>/<case>.json   the JSON report
  <group>/<case>.<file> each file healing wrote (the heal plan, the healed blueprint's diff)
with placeholders for what changes from run to run: <DURATION>, <TIMESTAMP>, <VERSION>,
<TMP> (the run's folder), <SRC> (the source tree), <PORT>, <PASSWORD>, <N> (measured figures
such as a benchmark's throughput).

The groups: examples/ (every example blueprint, offline, every check listed), rules/ (every
failing level 3-4 rule fixture), invalid/ (level 1-2 failures from blueprints/invalid), heal/
(blueprint healing plans), sqlite/ (the SQLite example against a real database: clean, drifted,
and a heal plan for the drift).

A report that changed on purpose: regenerate with
    VIGIL_GOLDEN_UPDATE=1 bash tests/golden.sh build/engine/vigil .     (or --update)
and read `git diff tests/golden` before committing it.
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Level 1-2 failures from blueprints/invalid: unreadable input, structure, components.
INVALID = [
    "002_utf16_bom", "003_not_utf8", "004_nul_byte", "005_tab_indent", "007_billion_laughs",
    "008_undefined_alias", "010_empty", "011_two_documents", "014_duplicate_key",
    "016_component_missing_type", "020_inputs_not_a_list", "024_both_config_spellings",
    "025_schema_version_1_0", "027_schema_version_missing", "028_component_name_camel_case",
    "032_duplicate_component_name", "035_unknown_component_type", "037_typo_configuraton",
    "040_unset_env_var", "044_to_ports_length_mismatch", "045_store_without_database",
    "047_store_unknown_table", "051_unknown_port_schema", "052_bad_url",
    "053_url_type_mismatch", "057_pool_min_over_max", "062_plaintext_password",
    "063_unknown_permission", "066_unknown_column_type", "070_fk_missing_table",
    "073_fk_type_mismatch", "075_no_primary_key", "078_migration_order", "080_bad_default",
    "085_sqlite_path_missing_dir",
]
# Blueprint healing (levels 1-2) as a plan: the edits, the healed diff.
HEAL = ["several", "key_typo", "type_casing", "binding_spelling", "ambiguous", "unprovable"]

# Numbers that are measured, not decided: placeholders in the text report.
NUM = r"-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?"


class Runner:
    def __init__(self, vigil, src, update):
        self.vigil = os.path.abspath(vigil)
        self.src = os.path.abspath(src)
        self.golden = os.path.join(self.src, "tests", "golden")
        self.update = update
        self.tmp = tempfile.mkdtemp(prefix="vigil-golden-")
        self.passed = 0
        self.failed = 0
        self.seen = set()
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("VIGIL_") and k != "VIGIL_PLUGIN_PATH":
                del self.env[k]
        self.env.update(NO_COLOR="1", SHOP_DB_PASSWORD="golden-dummy",
                        BLOG_DB_PASSWORD="golden-dummy")

    # -- placeholders -------------------------------------------------------------------
    def scrub(self, text):
        text = text.replace(self.tmp, "<TMP>").replace(self.src, "<SRC>")
        text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<TIMESTAMP>", text)
        text = re.sub(r"\bvigil \d+\.\d+\.\d+", "vigil <VERSION>", text)
        text = re.sub(r"\b(SQLite|PostgreSQL|MariaDB|MySQL) \d+(\.\d+)*(-[\w.+~-]+)?",
                      r"\1 <VERSION>", text)
        text = re.sub(r"(127\.0\.0\.1|localhost):\d+", r"\1:<PORT>", text)
        text = text.replace("golden-dummy", "<PASSWORD>")
        return text

    def scrub_text(self, text):
        out = []
        for line in self.scrub(text).split("\n"):
            if re.search(r"\bbenchmark \[", line) or "workload:" in line:
                line = re.sub(r"(?<![\w<])" + NUM, "<N>", line)
            line = re.sub(NUM + r" ms\b", "<DURATION>", line)
            out.append(line)
        return "\n".join(out)

    def scrub_json(self, text):
        try:
            doc = json.loads(text)
        except ValueError:
            return self.scrub_text(text)

        def walk(node, check=None):
            if isinstance(node, dict):
                name = node.get("name") if isinstance(node.get("name"), str) else None
                if "status" in node and name:
                    check = name
                for k, v in list(node.items()):
                    if k in ("duration_ms", "started_at", "finished_at"):
                        node[k] = "<DURATION>" if k == "duration_ms" else "<TIMESTAMP>"
                    elif k == "value" and isinstance(v, (int, float)) and (
                            check == "benchmark" or node.get("unit") == "ms"
                            or str(node.get("name", "")).endswith("_ms")):
                        node[k] = "<N>"
                    elif k == "reason" and check == "benchmark" and isinstance(v, str):
                        node[k] = re.sub(r"(?<![\w<])" + NUM, "<N>", self.scrub(v))
                    else:
                        node[k] = walk(v, check)
                return node
            if isinstance(node, list):
                return [walk(v, check) for v in node]
            if isinstance(node, str):
                return self.scrub(node)
            return node

        doc = walk(doc)
        if isinstance(doc.get("tool"), dict) and "version" in doc["tool"]:
            doc["tool"]["version"] = "<VERSION>"
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    # -- running ------------------------------------------------------------------------
    def vigil_run(self, cwd, args):
        p = subprocess.run([self.vigil] + args, cwd=cwd, env=self.env, capture_output=True,
                           timeout=120)
        return p.returncode, p.stdout.decode("utf-8", "replace"), \
            p.stderr.decode("utf-8", "replace")

    def compare(self, rel, actual):
        self.seen.add(rel)
        path = os.path.join(self.golden, rel)
        if self.update:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if old != actual:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(actual)
                print("updated %s" % rel)
            self.passed += 1
            return
        if not os.path.exists(path):
            self.fail(rel, "no golden file (run with VIGIL_GOLDEN_UPDATE=1 to create it)")
            return
        expected = open(path, encoding="utf-8").read()
        if expected == actual:
            self.passed += 1
            return
        diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                         "golden/" + rel, "actual", lineterm="", n=2))
        self.fail(rel, "differs from the golden file:\n" + "\n".join(diff[:60]) +
                  ("\n  ... (%d more lines)" % (len(diff) - 60) if len(diff) > 60 else ""))

    def fail(self, rel, what):
        print("FAIL %s: %s" % (rel, what))
        self.failed += 1

    def case(self, rel, cwd, args, heal_dir=False, files=()):
        """One blueprint: the text report, the JSON report, and the files healing wrote."""
        for fmt in ("text", "json"):
            extra = []
            hdir = None
            if heal_dir:
                hdir = os.path.join(self.tmp, "heal", rel.replace("/", "_"), fmt)
                shutil.rmtree(hdir, ignore_errors=True)
                os.makedirs(hdir)
                extra = ["--heal-dir", hdir]
            fargs = ["--format", "json"] if fmt == "json" else []
            rc, out, err = self.vigil_run(cwd, args + fargs + extra)
            if fmt == "text":
                body = self.scrub_text(out)
                body += "[exit %d]\n" % rc
                if err:
                    body += "[stderr]\n" + self.scrub_text(err)
                self.compare(rel + ".txt", body)
            else:
                body = self.scrub_json(out)
                if err:
                    body += "[stderr]\n" + self.scrub_text(err)
                self.compare(rel + ".json", body)
                if hdir:
                    for name in sorted(os.listdir(hdir)):
                        if name.endswith(".healed.yaml"):
                            continue  # the diff says what changed; the file is input + diff
                        with open(os.path.join(hdir, name), encoding="utf-8",
                                  errors="replace") as f:
                            self.compare("%s.%s" % (rel, name), self.scrub_text(f.read()))

    # -- the groups ---------------------------------------------------------------------
    def examples(self):
        d = os.path.join(self.src, "blueprints", "examples")
        for name in sorted(os.listdir(d)):
            if name.endswith(".yaml"):
                self.case("examples/" + name[:-5], d, ["validate", name, "--offline", "-v"])

    def rules(self):
        d = os.path.join(self.src, "blueprints", "rules")
        for name in sorted(os.listdir(d)):
            if name.endswith("_fail.yaml"):
                self.case("rules/" + name[:-5], d,
                          ["validate", name, "--offline", "--keep-going"])

    def invalid(self):
        d = os.path.join(self.src, "blueprints", "invalid")
        for stem in INVALID:
            self.case("invalid/" + stem, d, ["validate", stem + ".yaml", "--offline"])

    def heal(self):
        d = os.path.join(self.src, "blueprints", "heal")
        for stem in HEAL:
            self.case("heal/" + stem, d,
                      ["validate", stem + ".yaml", "--offline", "--heal=plan"], heal_dir=True)

    def sqlite(self):
        """The SQLite example against a real file: migrated (clean), drifted, heal plan."""
        work = os.path.join(self.tmp, "sqlite")
        os.makedirs(work)
        with open(os.path.join(self.src, "blueprints", "examples", "tasks_sqlite.yaml"),
                  encoding="utf-8") as f:
            text = f.read()
        # A short benchmark: its figures are placeholders anyway.
        text = re.sub(r"duration_ms: [0-9]+", "duration_ms: 100", text)
        with open(os.path.join(work, "tasks.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
        rc, out, err = self.vigil_run(work, ["migrate", "tasks.yaml"])
        if rc != 0:
            self.fail("sqlite", "vigil migrate failed (%d): %s %s" % (rc, out, err))
            return
        self.case("sqlite/clean", work, ["validate", "tasks.yaml"])
        # The drift the database tests use (tests/db/examples.sh): five differences.
        drift = subprocess.run(
            ["bash", "-c", 'work=$1; source "$2/tests/db/examples.sh"; example_drift tasks',
             "drift", work, self.src], env=self.env, capture_output=True)
        if drift.returncode != 0:
            self.fail("sqlite", "the drift setup failed: %s" % drift.stderr.decode())
            return
        self.case("sqlite/drift", work, ["validate", "tasks.yaml"])
        self.case("sqlite/drift_heal_plan", work, ["validate", "tasks.yaml", "--heal=plan"],
                  heal_dir=True)

    def stale(self):
        for root, _, names in os.walk(self.golden):
            for name in names:
                rel = os.path.relpath(os.path.join(root, name), self.golden)
                if rel == "golden.py" or rel.startswith("README") or rel in self.seen:
                    continue
                if self.update:
                    os.remove(os.path.join(root, name))
                    print("removed %s" % rel)
                else:
                    self.fail(rel, "no case makes this golden file any more (run the update)")


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv[1:] or os.environ.get("VIGIL_GOLDEN_UPDATE") == "1"
    if len(args) != 2:
        print("usage: golden.py VIGIL SOURCE_DIR [--update]", file=sys.stderr)
        return 2
    r = Runner(args[0], args[1], update)
    if not os.access(r.vigil, os.X_OK):
        print("FAIL: vigil binary not found at %s" % r.vigil)
        return 1
    try:
        r.examples()
        r.rules()
        r.invalid()
        r.heal()
        r.sqlite()
        r.stale()
    finally:
        shutil.rmtree(r.tmp, ignore_errors=True)
    print("golden: %d passed, %d failed%s" % (r.passed, r.failed,
                                              " (updated)" if update else ""))
    return 0 if r.failed == 0 and r.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
