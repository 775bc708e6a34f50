#!/usr/bin/env bash
# `npm start` (n8n 1.x) / `npm start -- 2` (n8n 2.x): the README's quick start
# in one command. From a fresh clone it
#   1. checks that the ports it needs are free, before building or installing
#      anything (n8n 5678, n8n's task runner 5679, the sandbox 8787);
#   2. installs the pinned n8n into ~/.cache/n8n-nodes-paynet (first time only),
#      builds this package and installs it as a community package
#      (scripts/n8n-start.sh --prepare-only);
#   3. starts the Paynet sandbox (scripts/sandbox.js) on 127.0.0.1:8787, or uses
#      the one already running there;
#   4. the first time for this user folder: copies the example sheets to
#      ~/.n8n-files/paynet/, imports the sandbox credential and the example
#      workflows (pointed at this n8n's port and those files), and activates
#      (1.x) or publishes (2.x) the trigger workflow;
#   5. starts n8n on http://localhost:5678 in the foreground. Ctrl-C stops n8n
#      and the sandbox this script started.
#
#   scripts/quickstart.sh [1|2]
#
# Env: N8N_PORT, PAYNET_SANDBOX_PORT, PAYNET_N8N_HOME (see scripts/n8n-start.sh);
#   PAYNET_IMPORT_EXAMPLES=1 imports the credential and examples again
#   (replacing the copies in n8n, with their edits).
set -euo pipefail

MAJOR="${1:-1}"
case "$MAJOR" in 1|2) ;; *) echo "usage: npm start [-- 1|2]" >&2; exit 2 ;; esac
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${N8N_PORT:-5678}"
RUNNER_PORT="${N8N_RUNNERS_BROKER_PORT:-5679}"
SANDBOX_PORT="${PAYNET_SANDBOX_PORT:-8787}"
SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
TRIGGER_WORKFLOW=pnConfirmPaid001

log() { echo "[npm start] $*" >&2; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
sandbox_answers() {
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "$SANDBOX_URL/sandbox/paylinks"
}

# --- 1. ports, before anything is touched -------------------------------------
if port_in_use "$PORT"; then
  log "port $PORT is already in use: is n8n already running (another npm start)? Stop it, or set N8N_PORT."
  exit 1
fi
if port_in_use "$RUNNER_PORT"; then
  log "port $RUNNER_PORT (n8n's task runner) is already in use: is another n8n running? Stop it, or set N8N_RUNNERS_BROKER_PORT."
  exit 1
fi
START_SANDBOX=1
if port_in_use "$SANDBOX_PORT"; then
  if sandbox_answers; then
    START_SANDBOX=0
  else
    log "port $SANDBOX_PORT is in use by something that is not the Paynet sandbox: free it, or set PAYNET_SANDBOX_PORT."
    exit 1
  fi
fi

# --- 2. n8n and the package ------------------------------------------------------
started=$(date +%s)
eval "$(N8N_PORT="$PORT" "$REPO/scripts/n8n-start.sh" --prepare-only "$MAJOR")"
n8n_cli() { "$PAYNET_N8N_NODE" "$PAYNET_N8N_BIN" "$@"; }

# --- 3. the sandbox ----------------------------------------------------------------
SANDBOX_PID=
stop_sandbox() { [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null || true; }
trap stop_sandbox EXIT
if [ "$START_SANDBOX" = 1 ]; then
  node "$REPO/scripts/sandbox.js" --port "$SANDBOX_PORT" &
  SANDBOX_PID=$!
  for _ in $(seq 1 50); do sandbox_answers && break; sleep 0.2; done
  sandbox_answers || { log "the sandbox did not start"; exit 1; }
else
  log "using the Paynet sandbox already running on $SANDBOX_URL"
fi

# --- 4. examples, once per user folder ---------------------------------------------
MARKER="$N8N_USER_FOLDER/.paynet-examples-imported"
if [ ! -f "$MARKER" ] || [ "${PAYNET_IMPORT_EXAMPLES:-0}" = 1 ]; then
  FILES="$HOME/.n8n-files/paynet"
  mkdir -p "$FILES"
  cp "$REPO/examples/files/payment-requests.xlsx" "$REPO/examples/files/payment-requests.csv" "$FILES/"
  IMPORT="$(mktemp -d)"
  mkdir -p "$IMPORT/workflows"
  # The examples as in the repository, pointed at this n8n's port, the sandbox
  # and the sheets' folder (they say /home/node, the home of n8n's Docker image).
  node -e '
    const fs = require("fs"), path = require("path");
    const [repo, out, port, sandbox, home] = process.argv.slice(1);
    const credentials = JSON.parse(fs.readFileSync(path.join(repo, "examples/credentials.sandbox.json"), "utf8"));
    for (const c of credentials) c.data.baseUrl = sandbox;
    fs.writeFileSync(path.join(out, "credentials.json"), JSON.stringify(credentials));
    const dir = path.join(repo, "examples/workflows");
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const text = fs.readFileSync(path.join(dir, file), "utf8")
        .replaceAll("localhost:5678", "localhost:" + port)
        .replaceAll("/home/node/", home + "/");
      fs.writeFileSync(path.join(out, "workflows", file), text);
    }' "$REPO" "$IMPORT" "$PORT" "$SANDBOX_URL" "$HOME"
  log "importing the sandbox credential and the example workflows (n8n sets up its database on the first call: many migration lines)"
  n8n_cli import:credentials --input="$IMPORT/credentials.json"
  n8n_cli import:workflow --separate --input="$IMPORT/workflows"
  if [ "$MAJOR" = 1 ]; then
    n8n_cli update:workflow --id="$TRIGGER_WORKFLOW" --active=true
  else
    n8n_cli publish:workflow --id="$TRIGGER_WORKFLOW"
  fi
  rm -rf "$IMPORT"
  touch "$MARKER"
  IMPORTED="imported the credential \"Paynet sandbox\" and the examples; the trigger workflow is $([ "$MAJOR" = 1 ] && echo active || echo published)"
else
  IMPORTED="examples already imported into $N8N_USER_FOLDER (PAYNET_IMPORT_EXAMPLES=1 imports them again)"
fi

# --- 5. n8n ----------------------------------------------------------------------------
cat >&2 <<BANNER

[npm start] ready in $(( $(date +%s) - started ))s; starting n8n $MAJOR.x. $IMPORTED.
  n8n:              http://localhost:$PORT   (first visit: create the owner account; it stays on this machine)
  Paynet sandbox:   $SANDBOX_URL/   (PayLinks and their payment pages)
  example sheets:   $HOME/.n8n-files/paynet/
  in another terminal: npm run sandbox -- pay SIP-1001   /   npm run sandbox -- repost SIP-1001
  Ctrl-C stops n8n$([ -n "$SANDBOX_PID" ] && echo " and the sandbox").

BANNER
n8n_cli start
