# Sourced by scripts/e2e.sh and scripts/e2e-queue.sh (needs REPO and LOG_TAG
# set; RUN_DIR and t_start once the script has them).

log() { echo "[$LOG_TAG] $*" >&2; }
now() { date +%s; }

# free_ports N: N distinct free TCP ports on 127.0.0.1, space-separated. All N
# are held open until every one is chosen, so none repeats: asking one at a
# time from a command substitution cannot remember what it handed out.
free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join(" "));
      for (const s of servers) s.close();
    });' "$1"
}

# prepare_n8n MAJOR RUN_DIR: installs n8n MAJOR if needed, builds and installs
# the package into N8N_USER_FOLDER (scripts/n8n-start.sh --prepare-only) and
# exports what the suites read. n8n (and its task runner) need n8n's own Node
# first in PATH (PAYNET_N8N_PATH); jest keeps running on ours.
prepare_n8n() {
  local system_path="$PATH" prepared
  # Assigned first: a failure inside eval's command substitution would be ignored.
  prepared="$(PAYNET_N8N_PREPARE_ONLY=1 "$REPO/scripts/n8n-start.sh" "$1")"
  eval "$prepared"
  export PAYNET_N8N_PATH="$PATH"
  export PATH="$system_path"
  export PAYNET_E2E_MAJOR="$1"
  export PAYNET_E2E_DIR="$2"
}

# run_suite JEST_CONFIG [jest args...]: runs one suite in band and sets
# `status` to its exit code (the script still cleans up after a failure),
# then says how long it and each of its steps took.
run_suite() {
  local config="$1" t0
  shift
  t0=$(now)
  status=0
  node "$REPO/node_modules/jest/bin/jest.js" --config "$config" --runInBand "$@" || status=$?
  log "suite ran in $(( $(now) - t0 ))s (total $(( $(now) - t_start ))s)"
  if [ -f "$RUN_DIR/timings.json" ]; then
    node -e 'for (const t of require(process.argv[1])) console.error(`[${process.argv[2]}]   ${t.seconds.toFixed(1).padStart(6)} s  ${t.step}`);' \
      "$RUN_DIR/timings.json" "$LOG_TAG"
  fi
}

# keep_or_remove_run_dir STATUS: a failed run (or PAYNET_E2E_KEEP=1) keeps
# RUN_DIR, whose logs say what happened; a passing one leaves nothing behind.
keep_or_remove_run_dir() {
  if [ "${PAYNET_E2E_KEEP:-0}" = 1 ] || [ "$1" -ne 0 ]; then
    log "kept $RUN_DIR"
  else
    rm -rf "$RUN_DIR"
  fi
}
