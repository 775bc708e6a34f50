#!/usr/bin/env bash
# Installs the pinned n8n 1.x and 2.x into the cache side by side (a no-op for a
# major already there). On a fresh machine the two installs are mostly waiting
# on the registry, so running them together saves minutes of CI; each keeps its
# own log, and a failure of either fails this script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./n8n-install.sh 1 >/dev/null &
one=$!
./n8n-install.sh 2 >/dev/null &
two=$!
status=0
wait "$one" || status=$?
wait "$two" || status=$?
exit "$status"
