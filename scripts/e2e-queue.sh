#!/usr/bin/env bash
# Queue-mode end-to-end suite: n8n as merchants scale it out — a main
# (`n8n start`), a worker (`n8n worker`) and webhook processors (`n8n webhook`)
# sharing one PostgreSQL database and one Redis — with this package installed
# as a community package, against the Paynet look-alike.
#
#   scripts/e2e-queue.sh [2|1] [jest args...]   2: n8n 2.x on Node 24 (default, = npm run
#                                               test:e2e:queue); 1: n8n 1.x on Node 20 (not in CI)
#
# Installs Debian's redis-server and postgresql with apt-get when missing (as
# root, as in CI), starts both on 127.0.0.1 with throwaway data folders in a
# temp dir and random free ports (no system service), prepares n8n 2.x
# (scripts/n8n-start.sh --prepare-only), then runs test/e2e-queue/*.e2e.js,
# which starts and stops the n8n processes. Redis, PostgreSQL and every n8n
# process the suite started are stopped by PID on exit, whatever happened.
#
# Env:
#   PAYNET_SKIP_BUILD=1   pack the existing dist/ (see scripts/n8n-start.sh)
#   PAYNET_E2E_KEEP=1     keep the temp dir (logs, data folders) for debugging
set -euo pipefail

MAJOR=2
case "${1:-}" in 1|2) MAJOR="$1"; shift ;; esac
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
LOG_TAG=e2e-queue

# shellcheck source=scripts/e2e-common.sh
source "$REPO/scripts/e2e-common.sh"
t_start=$(now)
# Every port the suite needs, distinct: Redis, PostgreSQL, and 12 for the n8n
# processes it may start (HTTP, task runner broker, worker health).
read -r REDIS_PORT PG_PORT PORTS <<<"$(free_ports 14)"

# --- Redis and PostgreSQL binaries ----------------------------------------------
pg_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
pg_bin_dir >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"; exit 1
  fi
  t0=$(now)
  log "installing ${missing[*]} with apt-get"
  # The packages' install scripts would start system services (and create a
  # system cluster) on the default ports; the suite runs its own throwaway
  # servers, so keep Debian from starting anything, the documented way.
  POLICY=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$POLICY" ]; then
    trap 'rm -f "$POLICY"' EXIT
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"; chmod 755 "$POLICY"; added_policy=1
  fi
  apt_status=0
  {
    # Another apt-get (a parallel job) may hold the lock: wait for it.
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}"
  } >&2 || apt_status=$?
  if [ "$added_policy" = 1 ]; then rm -f "$POLICY"; trap - EXIT; fi
  [ "$apt_status" = 0 ] || { log "apt-get failed ($apt_status)"; exit 1; }
  log "installed ${missing[*]} in $(( $(now) - t0 ))s"
fi
REDIS_SERVER="$(command -v redis-server)"
PG_BIN="$(pg_bin_dir)"

# --- run dir and cleanup --------------------------------------------------------
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/paynet-e2e-queue.XXXXXX")"
# PostgreSQL runs as the postgres user when we are root: it must reach its folders.
chmod 755 "$RUN_DIR"
mkdir -p "$RUN_DIR/pids"
REDIS_PID=""
PG_DATA="$RUN_DIR/pg/data"

stop_pid() { # pid name: TERM, then KILL after 10 s
  local pid="$1" name="$2" i
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  local file pid
  # n8n processes the suite left running (it removes a PID file once it has
  # stopped that process): each was started in its own process group.
  for file in "$RUN_DIR"/pids/*.pid; do
    [ -f "$file" ] || continue
    pid="$(cat "$file")"
    log "stopping n8n $(basename "$file" .pid) (process group $pid) left running by the suite"
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  if compgen -G "$RUN_DIR/pids/*.pid" >/dev/null; then
    sleep 3
    for file in "$RUN_DIR"/pids/*.pid; do kill -KILL -- "-$(cat "$file")" 2>/dev/null || true; done
  fi
  # postmaster.pid's first line is the postmaster itself (not runuser's PID).
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    stop_pid "$(head -n 1 "$PG_DATA/postmaster.pid")" PostgreSQL
  fi
  [ -n "$REDIS_PID" ] && stop_pid "$REDIS_PID" Redis
  if [ $status -ne 0 ]; then
    for file in "$RUN_DIR"/logs/*.log; do
      [ -f "$file" ] || continue
      log "last lines of $file:"; tail -n 20 "$file" >&2 || true
    done
  fi
  keep_or_remove_run_dir $status
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$RUN_DIR/logs"

# --- Redis ---------------------------------------------------------------------
t0=$(now)
mkdir -p "$RUN_DIR/redis"
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --dir "$RUN_DIR/redis" >"$RUN_DIR/logs/redis.log" 2>&1 &
REDIS_PID=$!

# --- PostgreSQL ----------------------------------------------------------------
mkdir -p "$PG_DATA" "$RUN_DIR/pg/socket"
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  # postgres refuses to run as root.
  chown -R postgres: "$RUN_DIR/pg"
  as_pg() { runuser -u postgres -- "$@"; }
  as_pg test -w "$RUN_DIR/pg" ||
    { log "the postgres user cannot reach $RUN_DIR (set TMPDIR to a folder it can enter)"; exit 1; }
fi
chmod 700 "$PG_DATA"
as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U n8n -A trust -E UTF8 --no-sync >"$RUN_DIR/logs/initdb.log" 2>&1 ||
  { cat "$RUN_DIR/logs/initdb.log" >&2; exit 1; }
# Throwaway data: durability settings off, which only makes it faster.
as_pg "$PG_BIN/postgres" -D "$PG_DATA" -k "$RUN_DIR/pg/socket" -c listen_addresses=127.0.0.1 -p "$PG_PORT" \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
  >"$RUN_DIR/logs/postgres.log" 2>&1 &

for i in $(seq 1 120); do
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; then
    break
  fi
  [ "$i" = 120 ] && { log "Redis or PostgreSQL did not start"; exit 1; }
  sleep 0.25
done
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U n8n n8n
log "Redis on 127.0.0.1:$REDIS_PORT, PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($(( $(now) - t0 ))s)"

# --- n8n -----------------------------------------------------------------------
# The package is installed once, into a template user folder; the suite gives
# each n8n process its own copy, as each container of a real deployment has.
export N8N_USER_FOLDER="$RUN_DIR/n8n-template"
t0=$(now)
prepare_n8n "$MAJOR" "$RUN_DIR"
log "n8n $MAJOR.x ready, package built and installed in $(( $(now) - t0 ))s"
export PAYNET_QUEUE_REDIS_PORT="$REDIS_PORT"
export PAYNET_QUEUE_PG_PORT="$PG_PORT"
export PAYNET_QUEUE_PORTS="$PORTS"
unset N8N_PORT N8N_RUNNERS_BROKER_PORT

run_suite "$REPO/test/e2e-queue/jest.config.js" "$@"
if [ -f "$RUN_DIR/figures.json" ]; then
  log "measured: $(cat "$RUN_DIR/figures.json")"
fi
exit $status
