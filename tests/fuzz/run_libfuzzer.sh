#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A bounded libFuzzer run from the checked-in corpus, for the test suite.
# New inputs and any crash/leak/timeout go to a temporary directory (the
# source tree is never written); a finding fails the test and is printed.
# Usage: run_libfuzzer.sh FUZZ_EXE CORPUS_DIR SECONDS
set -uo pipefail
exe=$1 corpus=$2 secs=$3
tmp=$(mktemp -d /tmp/ikefarm-libfuzzer.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/new"
nice "$exe" -max_total_time="$secs" -entropic=0 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$tmp/" "$tmp/new" "$corpus"
rc=$?
for f in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* "$tmp"/oom-*; do
	[ -f "$f" ] || continue
	echo "finding: $(basename "$f") ($(stat -c %s "$f") octets):"
	od -An -tx1 "$f" | head -n 16
done
exit $rc
