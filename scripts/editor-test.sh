#!/usr/bin/env bash
# The nodes in n8n's editor, in a real browser (test/editor/editor.js).
#
#   scripts/editor-test.sh [1|2] [--screenshots]
#       1: n8n 1.x on Node 20 (default); 2: n8n 2.x on Node 24
#       --screenshots: also refresh docs/paynet-trigger.png and, with
#                      scripts/screenshot.js, the README's docs/paynet-node.png
#
# Uses Debian's Chromium (/usr/bin/chromium, or PAYNET_CHROMIUM) driven by the
# playwright-core devDependency, which downloads no browser. Installs it with
# apt-get when missing and running as root; otherwise says how.
# n8n is installed into the cache on first use (see scripts/n8n-install.sh),
# booted with a temp user folder on free ports, and stopped by its PID.
set -euo pipefail
MAJOR="${1:-1}"
[ $# -gt 0 ] && shift
case "$MAJOR" in 1|2) ;; *) echo "usage: $0 [1|2] [--screenshots]" >&2; exit 2 ;; esac
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHROMIUM="${PAYNET_CHROMIUM:-/usr/bin/chromium}"
log() { echo "[editor-test] $*" >&2; }

if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium with apt-get"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    log "no Chromium at $CHROMIUM: sudo apt-get update && sudo apt-get install -y chromium (or set PAYNET_CHROMIUM)"
    exit 1
  fi
fi

t0=$(date +%s)
# The editor test reads the compiled node descriptions for what to expect.
(cd "$REPO" && npm run --silent build >&2)
status=0
PAYNET_SKIP_BUILD=1 PAYNET_CHROMIUM="$CHROMIUM" node "$REPO/test/editor/editor.js" --major "$MAJOR" "$@" || status=$?
if [ $status = 0 ] && [[ " $* " == *" --screenshots "* ]]; then
  PAYNET_SKIP_BUILD=1 PAYNET_CHROMIUM="$CHROMIUM" node "$REPO/scripts/screenshot.js" --major "$MAJOR" || status=$?
fi
log "n8n $MAJOR.x: $(( $(date +%s) - t0 ))s"
exit $status
