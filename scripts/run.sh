#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the self-check.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
IKEFARM_NO_PEERS=1 "$top/scripts/install-deps.sh"
"$top/scripts/build.sh" build
exec "$top/build/app/selfcheck/ikefarm-selfcheck" "$@"
