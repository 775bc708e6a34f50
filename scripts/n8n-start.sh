#!/usr/bin/env bash
# Start a real n8n (embedded SQLite, http://localhost:5678) with this repo's
# package loaded exactly as a community package installed from the n8n UI, so
# the nodes are named n8n-nodes-paynet.paynet / n8n-nodes-paynet.paynetTrigger.
#
#   scripts/n8n-start.sh [major] [n8n-command args...]
#       major: 1 (default, n8n 1.x on Node 20) or 2 (n8n 2.x on Node 24)
#       n8n-command: defaults to "start"; e.g. "import:workflow --input=wf.json"
#
# Env:
#   PAYNET_N8N_PREPARE_ONLY=1  install n8n + build/pack/install the package,
#                              then print `export ...` lines for tests to eval
#                              instead of running n8n.  (Same as --prepare-only.)
#   PAYNET_SKIP_BUILD=1        pack the existing dist/ without `npm run build`
#   PAYNET_PACKAGE_DIR         package to load (default: this repo)
#   PAYNET_N8N_HOME            parent of per-major user folders
#                              (default: $HOME/.n8n-paynet -> .../v1, .../v2)
#   N8N_USER_FOLDER            use this user folder as is (overrides the above)
#   N8N_PORT                   default 5678
#   PAYNET_N8N_CACHE, PAYNET_N8N_VERSION: see n8n-install.sh
set -euo pipefail

PREPARE_ONLY="${PAYNET_N8N_PREPARE_ONLY:-0}"
if [ "${1:-}" = "--prepare-only" ]; then PREPARE_ONLY=1; shift; fi
MAJOR="${1:-1}"
[ $# -gt 0 ] && shift
if [ "${1:-}" = "--prepare-only" ]; then PREPARE_ONLY=1; shift; fi
case "$MAJOR" in 1|2) ;; *) echo "usage: $0 [--prepare-only] [1|2] [n8n-command args...]" >&2; exit 2 ;; esac

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
PKG_DIR="$(cd "${PAYNET_PACKAGE_DIR:-$REPO}" && pwd)"
CACHE="${PAYNET_N8N_CACHE:-$HOME/.cache/n8n-nodes-paynet}"
# One user folder per major: n8n 2.x migrates the SQLite schema in place and
# 1.x cannot open the result afterwards.
USER_FOLDER="${N8N_USER_FOLDER:-${PAYNET_N8N_HOME:-$HOME/.n8n-paynet}/v$MAJOR}"
PORT="${N8N_PORT:-5678}"

log() { echo "[n8n-start] $*" >&2; }
now() { date +%s; }

# Starting n8n: fail on a busy port before building or reinstalling anything
# (the package must not be replaced under an n8n that is running).
if [ "$PREPARE_ONLY" != 1 ] && [ $# -eq 0 ] && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  log "port $PORT is already in use: is n8n already running? Stop it, or set N8N_PORT"; exit 1
fi

N8N_DIR="$(PAYNET_N8N_CACHE="$CACHE" "$SCRIPT_DIR/n8n-install.sh" "$MAJOR" | tail -n 1)"
if [ "$MAJOR" = 2 ]; then
  NODE_BIN="$CACHE/node24/bin/node"
else
  NODE_BIN="$(command -v node)"
fi
N8N_BIN="$N8N_DIR/node_modules/n8n/bin/n8n"

# --- build and pack -----------------------------------------------------------
t0=$(now)
PKG_NAME="$(cd "$PKG_DIR" && node -p 'require("./package.json").name')"
if [ "${PAYNET_SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -d "$PKG_DIR/node_modules" ]; then
    log "installing the package's dev dependencies"
    # `npm ci`: exactly the locked versions (scripts/check-lock.sh keeps the
    # lock in sync with package.json).
    (cd "$PKG_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  log "building $PKG_NAME"
  (cd "$PKG_DIR" && npm run --silent build >&2)
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# --ignore-scripts: we just built; a prepack hook would only build again.
TARBALL="$(cd "$PKG_DIR" && npm pack --silent --ignore-scripts --pack-destination "$WORK" | tail -n 1)"
TARBALL="$WORK/$TARBALL"

# --- install as a community package --------------------------------------------
# Mirrors n8n's CommunityPackagesService.downloadPackage (1.123 and 2.x):
# unpack into <user folder>/.n8n/nodes/node_modules/<name>, drop dev/peer/
# optional deps from its package.json (so n8n-workflow etc. resolve to the
# host's copies), `npm install` its remaining runtime deps inside it, and
# record it in nodes/package.json.  At boot n8n scans
# nodes/node_modules/n8n-nodes-* and loads every package there with the
# package name as the node type prefix; no installed_packages DB row is needed
# (that row only feeds the Settings > Community nodes page).
NODES_DIR="$USER_FOLDER/.n8n/nodes"
DEST="$NODES_DIR/node_modules/$PKG_NAME"
mkdir -p "$NODES_DIR/node_modules"
[ -f "$NODES_DIR/package.json" ] ||
  printf '{\n  "name": "installed-nodes",\n  "private": true,\n  "dependencies": {}\n}\n' >"$NODES_DIR/package.json"
rm -rf "$DEST"
mkdir -p "$DEST"
tar -xzf "$TARBALL" -C "$DEST" --strip-components=1
PKG_VERSION="$(node -e '
  const fs = require("fs"); const f = process.argv[1] + "/package.json";
  const { devDependencies, peerDependencies, optionalDependencies, ...p } = JSON.parse(fs.readFileSync(f, "utf8"));
  fs.writeFileSync(f, JSON.stringify(p, null, 2));
  const root = process.argv[2] + "/package.json";
  const r = JSON.parse(fs.readFileSync(root, "utf8"));
  r.dependencies = { ...(r.dependencies || {}), [p.name]: p.version };
  fs.writeFileSync(root, JSON.stringify(r, null, 2));
  console.log(p.version);' "$DEST" "$NODES_DIR")"
(cd "$DEST" && npm install --audit=false --fund=false --bin-links=false \
  --install-strategy=shallow --ignore-scripts=true --package-lock=false \
  --loglevel=error >/dev/null)
log "$PKG_NAME@$PKG_VERSION installed into $NODES_DIR ($(( $(now) - t0 ))s)"

# Preflight: if one file listed in the package's "n8n" section is missing or
# throws on require, n8n logs an error, skips the WHOLE package and boots
# anyway, which looks like success.  Load every file here first, with the
# same Node and the host's modules on NODE_PATH (as n8n sets it), so that a
# broken package stops the script instead.
(cd "$DEST" && NODE_PATH="$N8N_DIR/node_modules/n8n/node_modules:$N8N_DIR/node_modules" "$NODE_BIN" -e '
  const path = require("path");
  const { n8n = {} } = require("./package.json");
  const files = [...(n8n.nodes || []), ...(n8n.credentials || [])];
  if (!files.length) throw new Error("package.json has no n8n.nodes / n8n.credentials");
  for (const f of files) {
    const mod = require(path.resolve(f));
    const name = path.basename(f).split(".")[0];
    if (typeof mod[name] !== "function") throw new Error(f + " does not export class " + name);
    new mod[name]();
  }') || { log "the packed $PKG_NAME does not load (see above)"; exit 1; }

# --- environment ---------------------------------------------------------------
# Caller-set values win, so tests can tweak any of these.
export N8N_USER_FOLDER="$USER_FOLDER"
export N8N_PORT="$PORT"
export N8N_LISTEN_ADDRESS="${N8N_LISTEN_ADDRESS:-127.0.0.1}"
export N8N_HOST="${N8N_HOST:-localhost}"
export N8N_PROTOCOL="${N8N_PROTOCOL:-http}"
export DB_TYPE="${DB_TYPE:-sqlite}"
# No internet here: stop n8n from phoning home (telemetry, version checks,
# templates, the vetted-community-nodes list) and waiting on timeouts.
export N8N_DIAGNOSTICS_ENABLED="${N8N_DIAGNOSTICS_ENABLED:-false}"
export N8N_VERSION_NOTIFICATIONS_ENABLED="${N8N_VERSION_NOTIFICATIONS_ENABLED:-false}"
export N8N_TEMPLATES_ENABLED="${N8N_TEMPLATES_ENABLED:-false}"
export N8N_PERSONALIZATION_ENABLED="${N8N_PERSONALIZATION_ENABLED:-false}"
export N8N_VERIFIED_PACKAGES_ENABLED="${N8N_VERIFIED_PACKAGES_ENABLED:-false}"
export N8N_REINSTALL_MISSING_PACKAGES="${N8N_REINSTALL_MISSING_PACKAGES:-false}"
export N8N_COMMUNITY_PACKAGES_ENABLED="${N8N_COMMUNITY_PACKAGES_ENABLED:-true}"
# Plain http on localhost: a secure cookie would never be sent back.
export N8N_SECURE_COOKIE="${N8N_SECURE_COOKIE:-false}"
export N8N_HIRING_BANNER_ENABLED="${N8N_HIRING_BANNER_ENABLED:-false}"
export NODE_ENV="${NODE_ENV:-production}"
if [ "$MAJOR" = 1 ]; then
  # isolated-vm (the new expression engine) does not build on Node 20.
  export N8N_EXPRESSION_ENGINE="${N8N_EXPRESSION_ENGINE:-legacy}"
  # Opt in explicitly to the internal task runner (the 2.x default) and
  # silence the 1.x deprecation warning about it.
  export N8N_RUNNERS_ENABLED="${N8N_RUNNERS_ENABLED:-true}"
  # The config file's mode depends on the umask; don't refuse to boot on it.
  export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS="${N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS:-false}"
  export WEBHOOK_URL="${WEBHOOK_URL:-http://localhost:$PORT/}"
else
  # 2.x renamed WEBHOOK_URL and warns about the old name.
  export N8N_WEBHOOK_URL="${N8N_WEBHOOK_URL:-http://localhost:$PORT/}"
  export N8N_UNVERIFIED_PACKAGES_ENABLED="${N8N_UNVERIFIED_PACKAGES_ENABLED:-true}"
  # The MCP registry module fetches api.n8n.io at boot and logs a stack trace
  # when offline.  Only disable it if this n8n knows the module: an unknown
  # name in N8N_DISABLED_MODULES aborts the boot.
  if grep -q "'mcp-registry'" "$N8N_DIR/node_modules/@n8n/backend-common/dist/modules/modules.config.js" 2>/dev/null; then
    export N8N_DISABLED_MODULES="${N8N_DISABLED_MODULES:-mcp-registry}"
  fi
fi
# The internal task runner is spawned with `node` from PATH: it must be the
# same Node as n8n (24 for 2.x).
export PATH="$(dirname "$NODE_BIN"):$PATH"

if [ "$PREPARE_ONLY" = 1 ]; then
  # For tests: eval these, then run "$PAYNET_N8N_NODE" "$PAYNET_N8N_BIN" <cmd>.
  env | grep -E '^(N8N_|WEBHOOK_URL=|DB_|NODE_ENV=|PATH=)' | sed "s/^\([^=]*\)=\(.*\)$/export \1='\2'/"
  echo "export PAYNET_N8N_NODE='$NODE_BIN'"
  echo "export PAYNET_N8N_BIN='$N8N_BIN'"
  echo "export PAYNET_N8N_DIR='$N8N_DIR'"
  exit 0
fi

if [ $# -eq 0 ]; then
  set -- start
  log "starting n8n $(basename "$N8N_DIR" | sed 's/^n8n-//') on http://localhost:$PORT (user folder $USER_FOLDER)"
fi
trap - EXIT
rm -rf "$WORK"
exec "$NODE_BIN" "$N8N_BIN" "$@"
