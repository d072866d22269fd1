#!/usr/bin/env bash
# docs.sh VIGIL SOURCE_DIR — the documentation stays true and in one piece: README.md is a
# newcomer's page of at most 12 KiB; every relative link (and #anchor) in README.md, the other
# top-level pages and docs/*.md points at a file (and heading) that exists, and so does every
# repository path they name in a code span; every --option the
# pages name is one `vigil --help` knows (but a few of cmake's and pkg-config's), and the
# README's CLI synopsis names every option and command of `vigil --help`; and no file points at
# documents outside the repository (an issue number, notes that are not here).
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 VIGIL SOURCE_DIR" >&2
	exit 2
fi
vigil=$1
src=$2
help=$(mktemp)
trap 'rm -f "$help"' EXIT
if ! "$vigil" --help >"$help"; then
	echo "FAIL: vigil --help did not succeed" >&2
	exit 1
fi
exec python3 - "$src" "$help" <<'PY'
import glob, os, re, sys

src, help_text = os.path.abspath(sys.argv[1]), open(sys.argv[2], encoding="utf-8").read()
problems = []

readme = os.path.join(src, "README.md")
size = os.path.getsize(readme)
if size > 12 * 1024:
    problems.append(f"README.md is {size} bytes; a newcomer's page stays within 12 KiB "
                    "(move the reference into docs/)")

pages = [readme] + sorted(glob.glob(os.path.join(src, "*.md")) + glob.glob(os.path.join(src, "docs", "*.md")))
pages = list(dict.fromkeys(pages))


def strip_code(text):
    """The text without fenced blocks and inline code, where links are not links."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def slug(heading):
    """GitHub's anchor for a heading."""
    heading = re.sub(r"`", "", heading.strip().lower())
    heading = re.sub(r"[^\w\- ]", "", heading)
    return heading.replace(" ", "-")


def anchors(path):
    seen, out = {}, set()
    for line in strip_code_keep_lines(open(path, encoding="utf-8").read()):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            s = slug(m.group(1))
            n = seen.get(s, 0)
            seen[s] = n + 1
            out.add(s if n == 0 else f"{s}-{n}")
    return out


def strip_code_keep_lines(text):
    inside = False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        if not inside:
            yield line


for page in pages:
    rel = os.path.relpath(page, src)
    text = open(page, encoding="utf-8").read()
    for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", strip_code(text)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, ...
            continue
        path, _, anchor = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        if not (full + os.sep).startswith(src + os.sep):
            problems.append(f"{rel}: link `{target}` leaves the repository")
            continue
        if not os.path.exists(full):
            problems.append(f"{rel}: link `{target}`: no such file {os.path.relpath(full, src)}")
            continue
        if anchor and full.endswith(".md") and anchor not in anchors(full):
            problems.append(f"{rel}: link `{target}`: no heading #{anchor} in {os.path.relpath(full, src)}")

# Paths the pages name in code spans exist (a moved file takes its mentions along); a
# database file the examples create is not in the tree.
tree = ("engine/", "validators/", "plugins/", "reports/", "blueprints/", "tests/", "docs/", ".ci/")
for page in pages:
    rel = os.path.relpath(page, src)
    for span in sorted(set(re.findall(r"`([^`\s]+)`", open(page, encoding="utf-8").read()))):
        path = span.split(":")[0].rstrip(".,;")
        if path.startswith(tree) and not path.endswith(".db") and not glob.glob(os.path.join(src, path)):
            problems.append(f"{rel}: names `{span}`, which is not in the tree")

# Options the pages name are vigil's (cmake's, pkg-config's and clang-format's appear in recipes).
not_vigil = {"--build", "--install", "--cflags", "--variable", "--lines"}  # cmake, pkg-config, clang-format
help_options = set(re.findall(r"--[a-z][a-z0-9-]*", help_text))
for page in pages:
    rel = os.path.relpath(page, src)
    if rel == "docs/codes.md":  # generated from the code table, which keeps reserved codes' words
        continue
    for option in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", open(page, encoding="utf-8").read()))):
        if option not in help_options and option not in not_vigil:
            problems.append(f"{rel}: names {option}, which `vigil --help` does not know")

# The README's synopsis is complete: every option and command of --help.
text = open(readme, encoding="utf-8").read()
m = re.search(r"^## Using the CLI\n+```\n(.*?)^```", text, re.S | re.M)
if not m:
    problems.append("README.md: no CLI synopsis (a ``` block right under `## Using the CLI`)")
else:
    synopsis = m.group(1)
    for option in sorted(help_options - set(re.findall(r"--[a-z][a-z0-9-]*", synopsis))):
        problems.append(f"README.md: the CLI synopsis lacks {option} (in `vigil --help`)")
    for command in sorted(set(re.findall(r"^  vigil ([a-z]+)", help_text, re.M))):
        if not re.search(rf"^vigil {command}\b", synopsis, re.M):
            problems.append(f"README.md: the CLI synopsis lacks `vigil {command}`")

# Nothing points at documents outside the repository: an issue tracker, notes that are not here.
outside = re.compile(r"\bissues? #?[0-9]+\b|\bDESIGN\.md\b|\bSTYLE\.md\b|\bseeds/|\.\./shared/",
                     re.I)
scanned = 0
for top in ["CMakeLists.txt", ".ci", "engine", "validators", "plugins", "reports", "blueprints", "tests",
            "docs"] + [os.path.basename(p) for p in pages]:
    top_path = os.path.join(src, top)
    walk = [(os.path.dirname(top_path), [], [top])] if os.path.isfile(top_path) else os.walk(top_path)
    for folder, dirs, files in walk:
        dirs[:] = [d for d in dirs if d != "golden" and not d.startswith(("build", "."))]
        for name in files:
            path = os.path.join(folder, name)
            if os.path.relpath(path, src) == os.path.join("tests", "docs.sh"):
                continue  # this file names the patterns
            try:
                text = open(path, encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue  # binary or unreadable fixtures
            scanned += 1
            for n, line in enumerate(text.splitlines(), 1):
                m = outside.search(line)
                if m:
                    problems.append(f"{os.path.relpath(path, src)}:{n}: `{m.group(0)}` points outside "
                                    "the repository: name the page or test here instead")

for p in problems:
    print("FAIL:", p)
print(f"docs: {len(pages)} pages, README.md {size} bytes, {scanned} files scanned, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
