#!/usr/bin/env bash
# Fails when package-lock.json no longer matches package.json, i.e. when
# `npm ci` (what CI and the publish workflow run) would refuse the repository.
# Runs npm's own check: `npm ci --dry-run` on a copy of the three files in a
# temp dir, so node_modules here is neither read nor touched. About 2 s, no
# downloads (a dry run resolves from the lock only).
#
# After changing dependencies, regenerate the lock from scratch, without
# node_modules, so that every platform's optional bindings are recorded
# (an `npm install` over an existing node_modules drops the other platforms'):
#   rm -rf node_modules package-lock.json && npm install --package-lock-only && npm ci
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/paynet-check-lock.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp "$REPO/package.json" "$REPO/package-lock.json" "$WORK/"
[ -f "$REPO/.npmrc" ] && cp "$REPO/.npmrc" "$WORK/"
if (cd "$WORK" && npm ci --dry-run --ignore-scripts --no-audit --no-fund --loglevel=error >"$WORK/out.txt" 2>&1); then
  echo "[check-lock] package-lock.json matches package.json (npm ci accepts it)" >&2
  exit 0
fi
echo "[check-lock] npm ci would refuse this repository:" >&2
grep -E 'in sync|Missing:|Invalid:|npm error [A-Za-z].*(lock|version)' "$WORK/out.txt" >&2 || tail -n 20 "$WORK/out.txt" >&2
echo "[check-lock] regenerate the lock: rm -rf node_modules package-lock.json && npm install --package-lock-only" >&2
exit 1
