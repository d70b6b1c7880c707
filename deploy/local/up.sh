#!/usr/bin/env bash
# Brings the whole system up on a bare Debian 12 machine: services (installed if missing),
# npm dependencies, build (and the dashboard's, served by the api at /), migrations, then the api
# and the worker in the background.
# Logs and PID files go to .local/; deploy/local/down.sh stops what this started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
cd "$ROOT"

bash "$here/services-up.sh"
npm_ci
step "build"
npm run build >"$LOGS/build.log" 2>&1 || fail build "TypeScript build failed" "$LOGS/build.log"
build_dashboard "$ROOT/dist/dashboard"
migrate_db
admin_token

start_app() { # NAME SCRIPT
  local pidfile="$STATE/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    step "restarting $1"
    kill "$(cat "$pidfile")"
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.2; done
  fi
  nohup node "$2" >>"$LOGS/$1.log" 2>&1 &
  echo $! >"$pidfile"
}
start_app api dist/apps/api/src/main.js
start_app worker dist/apps/worker/src/main.js

wait_ready 30 "$LOGS/api.log $LOGS/worker.log"
ok "api on http://127.0.0.1:$API_PORT_LOCAL (dashboard at /, OpenAPI UI at /api/docs), worker consuming; logs in .local/logs/"
ok "platform administrator token: .local/admin-token (curl -H \"Authorization: Bearer \$(cat .local/admin-token)\" ...)"
