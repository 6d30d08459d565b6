#!/usr/bin/env bash
# Configures (once) and builds a build directory. Usage: build.sh DIR [meson options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
cd "$top"
if [ ! -f "$dir/build.ninja" ]; then
	meson setup -Dwerror=true "$@" "$dir" >"$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log" >&2; exit 1; }
fi
ninja -C "$dir" >"$dir.ninja.log" 2>&1 || { tail -n 60 "$dir.ninja.log" >&2; exit 1; }
