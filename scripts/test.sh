#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds
# a normal and an ASan+UBSan tree, runs every suite in the first and the unit
# and fuzz suites in the second, bounded libFuzzer runs of every fuzz target in
# a clang tree, and closes with the count of tests.
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

# libFuzzer: a clang tree with every fuzz target, each run from its corpus for a
# bounded time (tests/fuzz/README.md); only the fuzz targets are built there.
logs=(build/meson-logs/testlog.json build-asan/meson-logs/testlog.json)
if command -v clang >/dev/null 2>&1; then
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang meson setup -Dwerror=true -Dfuzz=true -Db_sanitize=address,undefined \
			-Db_lundef=false build-fuzz >build-fuzz.setup.log 2>&1 ||
			{ cat build-fuzz.setup.log >&2; rc=1; }
	fi
	if [ -f build-fuzz/build.ninja ]; then
		mapfile -t fuzz_exes < <(ninja -C build-fuzz -t targets all |
			sed -n 's|^\(tests/fuzz/fuzz_[a-z_0-9]*\): c_LINKER.*|\1|p')
		if ninja -C build-fuzz "${fuzz_exes[@]}" >build-fuzz.ninja.log 2>&1; then
			ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
				UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
				meson test -C build-fuzz --no-rebuild --print-errorlogs --suite fuzz || rc=1
			logs+=(build-fuzz/meson-logs/testlog.json)
		else
			tail -n 40 build-fuzz.ninja.log >&2
			rc=1
		fi
	fi
else
	echo "test.sh: clang not installed: no libFuzzer runs (scripts/install-deps.sh installs it)" >&2
	rc=1
fi

python3 "$top/scripts/test_summary.py" "${logs[@]}" || rc=1
exit $rc
