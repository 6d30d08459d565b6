#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds
# a normal and an ASan+UBSan tree, runs every suite in the first and the unit
# and fuzz-replay suites in the second, and closes with the count of tests.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

"$top/scripts/install-deps.sh" || exit 1
"$top/scripts/build.sh" build || exit 1
"$top/scripts/build.sh" build-asan -Db_sanitize=address,undefined -Db_lundef=false || exit 1

rc=0
meson test -C build --no-rebuild --print-errorlogs "$@" || rc=1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --no-rebuild --print-errorlogs --suite unit --suite fuzz || rc=1

python3 "$top/scripts/test_summary.py" build/meson-logs/testlog.json \
	build-asan/meson-logs/testlog.json || rc=1
exit $rc
