#!/usr/bin/env bash
# End-to-end suite: the example workflows in a real n8n with this package
# installed as a community package, against the Paynet look-alike.
#
#   scripts/e2e.sh [1|2] [jest args...]   1: n8n 1.x on Node 20 (default); 2: n8n 2.x on Node 24
#
# Installs n8n into the cache if needed (~5 min per major, once), builds and
# packs the package, then runs test/e2e/*.e2e.js with a fresh n8n user folder
# in a temp dir and random free ports. The n8n process the suite starts is
# killed on exit, whatever happened.
#
# Env:
#   PAYNET_SKIP_BUILD=1   pack the existing dist/ (see scripts/n8n-start.sh)
#   PAYNET_E2E_KEEP=1     keep the temp dir (n8n.log, user folder) for debugging
set -euo pipefail

MAJOR="${1:-1}"
[ $# -gt 0 ] && shift
case "$MAJOR" in 1|2) ;; *) echo "usage: $0 [1|2] [jest args...]" >&2; exit 2 ;; esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
LOG_TAG=e2e

# shellcheck source=scripts/e2e-common.sh
source "$REPO/scripts/e2e-common.sh"
t_start=$(now)

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/paynet-e2e-n8n$MAJOR.XXXXXX")"
cleanup() {
  local status=$?
  if [ -f "$RUN_DIR/n8n.pid" ]; then
    local pid; pid="$(cat "$RUN_DIR/n8n.pid")"
    log "stopping n8n (process group $pid) left running by the suite"
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 3
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  if [ $status -ne 0 ] && [ -f "$RUN_DIR/n8n.log" ]; then
    log "last lines of n8n's log ($RUN_DIR/n8n.log):"; tail -n 30 "$RUN_DIR/n8n.log" >&2 || true
  fi
  keep_or_remove_run_dir $status
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export N8N_USER_FOLDER="$RUN_DIR/n8n"
# The task runner broker (default 5679) must not clash with another n8n.
read -r N8N_PORT N8N_RUNNERS_BROKER_PORT <<<"$(free_ports 2)"
export N8N_PORT N8N_RUNNERS_BROKER_PORT

t0=$(now)
prepare_n8n "$MAJOR" "$RUN_DIR"
log "n8n $MAJOR.x ready, package built and installed in $(( $(now) - t0 ))s"

run_suite "$REPO/test/e2e/jest.config.js" "$@"
exit $status
