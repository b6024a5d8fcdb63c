# Starting and stopping the Worker on workerd (`wrangler dev`) with a local D1 database.
# Sourced after lib.sh and toolchain.sh (needs $WRANGLER from ensure_node_packages).

WORKER_PGID=""

# Applies every migration in api-worker/migrations/ to the local database kept in $1.
migrate_database() {
  (cd api-worker && CI=true WRANGLER_SEND_METRICS=false timeout 120 "$WRANGLER" d1 migrations apply DB \
    --local --persist-to "$1") >"$SCRATCH/migrate.log" 2>&1 ||
    { cat "$SCRATCH/migrate.log" >&2; die "Applying the database migrations failed (log above)."; }
}

# Runs the SQL file $2 against the local database kept in $1.
execute_sql_file() {
  (cd api-worker && CI=true WRANGLER_SEND_METRICS=false timeout 300 "$WRANGLER" d1 execute DB \
    --local --persist-to "$1" --file "$2") >"$SCRATCH/execute.log" 2>&1 ||
    { cat "$SCRATCH/execute.log" >&2; die "Running $2 against the local database failed (log above)."; }
}

# Local-only settings for `wrangler dev`, in the ignored api-worker/.dev.vars (`wrangler deploy`
# never uploads it): sign-in codes go to the Worker's log, keyed by a secret made on this machine.
ensure_dev_vars() {
  local file=api-worker/.dev.vars
  [[ -f $file ]] && grep -q '^SIGN_IN_SECRET=' "$file" && return 0
  {
    echo "# Local development only; made by scripts/worker.sh. Never deployed."
    echo "EMAIL_DELIVERY=log"
    echo "SIGN_IN_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
  } >"$file"
}

# Starts `wrangler dev` on 127.0.0.1:$1 with state in $2, logging to $3, in its own process group
# so that stopping it also stops the workerd it spawns. Further arguments go to wrangler.
start_worker() {
  local port=$1 state=$2 log=$3
  shift 3
  ensure_dev_vars
  port_in_use "$port" &&
    die "Port $port on 127.0.0.1 is already in use." \
      "Is the app already running in another terminal? Stop it, or choose another port: PORT=8788 $0"
  (cd api-worker && WRANGLER_SEND_METRICS=false exec setsid "$WRANGLER" dev --ip 127.0.0.1 \
    --port "$port" --persist-to "$state" --log-level log --show-interactive-dev-session=false "$@" \
    </dev/null >"$log" 2>&1) &
  WORKER_PGID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" 2>/dev/null; do
    if ! kill -0 "$WORKER_PGID" 2>/dev/null || ((SECONDS > deadline)); then
      tail -n 30 "$log" >&2
      die "The Worker did not start on port $port (its log is above, and in $log)."
    fi
    sleep 0.2
  done
}

# Stops the Worker started by start_worker, and everything it spawned.
stop_worker() {
  [[ -n $WORKER_PGID ]] || return 0
  kill -TERM -- "-$WORKER_PGID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$WORKER_PGID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$WORKER_PGID" 2>/dev/null || true
  WORKER_PGID=""
}
