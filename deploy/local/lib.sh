# Shared settings and helpers of the deploy/local scripts (sourced, not run).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE="$ROOT/.local"
LOGS="$STATE/logs"
mkdir -p "$LOGS"

PGUSER_APP=${PGUSER_APP:-vim}
PGPASSWORD_APP=${PGPASSWORD_APP:-vim}
PGDATABASE_APP=${PGDATABASE_APP:-vim}
OVS_BRIDGE=${OVS_BRIDGE:-br-int}
OVSDB_TCP_PORT=${OVSDB_TCP_PORT:-6640}

step() { echo "==> $*"; }
ok() { echo " ok $*"; }

# fail SERVICE MESSAGE LOGS: says which service failed and which log to read, then exits.
fail() {
  echo "FAILED [$1]: $2" >&2
  echo "  read: $3" >&2
  for f in $3; do [ -f "$f" ] && { echo "  --- last lines of $f" >&2; tail -n 15 "$f" >&2; }; done
  exit 1
}

# wait_for SERVICE SECONDS CHECK-COMMAND LOG
wait_for() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    bash -c "$3" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "$1" "not ready after $2 s ($3)" "$4"
}

# A build in a folder other than dist/ (the test build) gets a package.json of its own: Node resolves
# the "#vim/*" library imports from the nearest package.json, and the root one points into dist/.
# Derived from the root one, so the two cannot drift.
write_build_manifest() { # DIR
  node -e '
    const root = JSON.parse(require("fs").readFileSync(process.argv[1] + "/package.json", "utf8"));
    const imports = Object.fromEntries(Object.entries(root.imports).flatMap(([name, target]) =>
      target.default ? [[name, target.default.replace(/^\.\/dist\//, "./")]] : []));
    require("fs").writeFileSync(process.argv[2] + "/package.json", JSON.stringify({ type: "module", imports }, null, 2) + "\n");
  ' "$ROOT" "$1"
}

# Stops the api and worker that up.sh started, by the PIDs it recorded, and waits (up to 15 s)
# until they are gone, so that the port and the worker's lease are free for what comes next.
stop_apps() {
  local app pidfile pid i
  for app in worker api; do
    pidfile="$STATE/$app.pid"
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
      for ((i = 0; i < 75; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      echo " stopped $app (pid $pid)"
    fi
    rm -f "$pidfile"
  done
}

# migrate_db [BUILD_DIR]: runs the migrations compiled into BUILD_DIR (dist/ by default, which is
# what `npm run migrate` runs) against DATABASE_URL.
migrate_db() {
  local dir=${1:-$ROOT/dist}
  step "migrations"
  (cd "$ROOT" && node "$dir/libs/persistence/src/cli/migrate.js") >"$LOGS/migrate.log" 2>&1 \
    || fail migrate "migrations failed" "$LOGS/migrate.log"
  ok "$(tail -n 1 "$LOGS/migrate.log")"
}

# The first platform administrator's token: made once, kept only in .local/admin-token (mode 600),
# exported as BOOTSTRAP_ADMIN_TOKEN for the api, which makes it a platform-admin token of the
# default tenant. A BOOTSTRAP_ADMIN_TOKEN already set is left as it is.
admin_token() {
  [ -n "${BOOTSTRAP_ADMIN_TOKEN:-}" ] && return 0
  if [ ! -s "$STATE/admin-token" ]; then
    (umask 077 && node -e "console.log('vim_' + require('crypto').randomBytes(32).toString('base64url'))" >"$STATE/admin-token")
  fi
  BOOTSTRAP_ADMIN_TOKEN=$(cat "$STATE/admin-token")
  export BOOTSTRAP_ADMIN_TOKEN
}

# wait_ready SECONDS LOGS: until the api answers /readyz with at least one live worker.
API_PORT_LOCAL=${API_PORT:-3000}
wait_ready() {
  wait_for api "$1" "curl -sf http://127.0.0.1:$API_PORT_LOCAL/readyz | grep -q '\"workers\":[1-9]'" "$2"
}

mark_started() { grep -qx "$1" "$STATE/started" 2>/dev/null || echo "$1" >>"$STATE/started"; }
was_started() { grep -qx "$1" "$STATE/started" 2>/dev/null; }

# npm ci only when package-lock.json (or Node) changed since the last install in this checkout.
# The api and worker that up.sh started load modules lazily from node_modules, and npm ci deletes
# and rewrites the folder: run under them by the test command, it left the api answering uploads
# with "Cannot find module '../encodings'". DIR defaults to this checkout (tests pass another).
npm_ci() {
  local dir=${1:-$ROOT} want
  local stamp="$dir/node_modules/.vim-installed"
  want="node $(node --version) lock $(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    ok "node_modules already installed from this package-lock.json"
    return 0
  fi
  step "npm ci"
  # The libvirt binding is compiled by node-gyp; build it against Node's own headers when they are
  # installed instead of letting node-gyp fetch them.
  [ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
  (cd "$dir" && npm ci --no-audit --no-fund) >"$LOGS/npm-ci.log" 2>&1 || fail npm "npm ci failed" "$LOGS/npm-ci.log"
  # Written last: an install that fails half-way is redone next time.
  mkdir -p "$dir/node_modules" && echo "$want" >"$stamp"
  local app
  for app in api worker; do
    if [ -f "$STATE/$app.pid" ] && kill -0 "$(cat "$STATE/$app.pid")" 2>/dev/null; then
      echo " note: the running $app still has the modules of the previous install; bash deploy/local/up.sh restarts it"
    fi
  done
}

# BullMQ's production settings: an append-only file (a restart keeps the queued jobs, at most the
# last second of writes lost on a crash) and no eviction (Redis never drops a job to make room).
# /readyz says "not ready" without them.
REDIS_DURABLE=(appendonly yes appendfsync everysec maxmemory-policy noeviction)

# make_redis_durable PORT: a Redis that an earlier version of services-up.sh started without
# persistence gets the settings while it runs (CONFIG SET appendonly yes writes the file in the
# background); nothing is restarted.
make_redis_durable() {
  local port=$1 i
  for ((i = 0; i < ${#REDIS_DURABLE[@]}; i += 2)); do
    local name=${REDIS_DURABLE[i]} value=${REDIS_DURABLE[i + 1]}
    [ "$(redis-cli -h 127.0.0.1 -p "$port" config get "$name" | sed -n 2p)" = "$value" ] && continue
    redis-cli -h 127.0.0.1 -p "$port" config set "$name" "$value" | grep -qx OK \
      || fail redis "CONFIG SET $name $value refused on 127.0.0.1:$port" "$LOGS/redis.log"
    ok "redis: $name set to $value"
  done
}

# build_dashboard OUT: the dashboard's static files (Vite, apps/dashboard/vite.config.ts) into OUT,
# which the api serves at / (DASHBOARD_DIR; its default is the checkout's dist/dashboard).
build_dashboard() {
  step "dashboard build into ${1#"$ROOT"/}"
  (cd "$ROOT" && DASHBOARD_OUT="$1" npm run -s build:dashboard) >"$LOGS/build-dashboard.log" 2>&1 \
    || fail dashboard "vite build failed" "$LOGS/build-dashboard.log"
  [ -f "$1/index.html" ] || fail dashboard "vite build wrote no $1/index.html" "$LOGS/build-dashboard.log"
}

# Debian's Chromium for the dashboard's browser tests (playwright-core drives it; nothing is
# downloaded). The package lists are refreshed only when the install fails without it.
install_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  step "installing chromium (browser tests)"
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)
  "${install[@]}" >"$LOGS/apt-chromium.log" 2>&1 && return 0
  { apt-get update && "${install[@]}"; } >>"$LOGS/apt-chromium.log" 2>&1 \
    || fail chromium "apt-get install chromium failed" "$LOGS/apt-chromium.log"
  [ -x /usr/bin/chromium ] || fail chromium "no /usr/bin/chromium after installing chromium" "$LOGS/apt-chromium.log"
}
