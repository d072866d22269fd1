#!/usr/bin/env bash
# architecture.sh VIGIL SOURCE_DIR — ARCHITECTURE.md matches the tree: every folder its layer
# table names exists, and every source folder of the engine (engine/src and its subfolders,
# validators/, reports/, engine/cli, plugins/) is named in it.
set -u
SRC=${2:?usage: architecture.sh VIGIL SOURCE_DIR}
python3 - "$SRC" <<'PY'
import os, re, sys
src = sys.argv[1]
page = open(os.path.join(src, "ARCHITECTURE.md"), encoding="utf-8").read()
named = set(re.findall(r"^\| `([^`]+)` \|", page, re.M))
problems = []
if not named:
    problems.append("ARCHITECTURE.md: no layer table (rows '| `folder` | ...')")
for folder in sorted(named):
    if not os.path.isdir(os.path.join(src, folder)):
        problems.append(f"ARCHITECTURE.md names `{folder}`, which is not a folder")
# The source folders: engine/src and each folder under it, and the other top-level parts.
folders = ["engine/src", "engine/cli", "engine/include/vigil", "validators", "reports", "plugins"]
for entry in sorted(os.listdir(os.path.join(src, "engine/src"))):
    if os.path.isdir(os.path.join(src, "engine/src", entry)):
        folders.append("engine/src/" + entry)
for folder in folders:
    if folder not in named:
        problems.append(f"`{folder}` is not in ARCHITECTURE.md's layer table")
# The build's layers are the table's: each vigil_layer folder is named.
cmake = open(os.path.join(src, "engine/CMakeLists.txt"), encoding="utf-8").read()
for name, d in re.findall(r"^vigil_layer\((\w+) ([^\s)]+)", cmake, re.M):
    d = d.replace("${VIGIL_SRC}", "engine/src").replace("${PROJECT_SOURCE_DIR}/", "")
    if d not in named:
        problems.append(f"layer {name} ({d}) is not in ARCHITECTURE.md's layer table")
for p in problems:
    print("FAIL: " + p)
print(f"architecture: {len(named)} folders named, {len(folders)} source folders, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
