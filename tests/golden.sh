#!/usr/bin/env bash
# golden.sh VIGIL SOURCE_DIR [--update] — the text and JSON reports of the example, rule,
# invalid, healing and SQLite-drift blueprints against the files in tests/golden/ (see
# tests/golden/golden.py for the cases and the placeholders). A report changed on purpose:
#   VIGIL_GOLDEN_UPDATE=1 bash tests/golden.sh build/engine/vigil .    (or add --update)
# then read `git diff tests/golden` before committing.
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 VIGIL SOURCE_DIR [--update]" >&2
	exit 2
fi
# LeakSanitizer (ASan builds): the client libraries' one-time allocations.
export LSAN_OPTIONS="suppressions=$2/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec python3 "$2/tests/golden/golden.py" "$@"
