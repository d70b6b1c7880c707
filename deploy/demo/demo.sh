#!/usr/bin/env bash
# npm run demo: packets through a real VNF, step by step. Builds the VNF image when it is missing
# or stale (deploy/vnf-image/build.sh, cached), brings the system up when its api does not answer
# (deploy/local/up.sh), runs the walk-through (test/demo/vnf-demo.ts) against the api over HTTP,
# and stops again only what it started itself.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../local/lib.sh"
cd "$ROOT"
[ "$(id -u)" -eq 0 ] || { echo "demo: must run as root (namespaces, OvS ports)" >&2; exit 1; }

port=${API_PORT:-3000}
started_here=0
# Services that up.sh found running (started earlier by this checkout or by anyone) stay up.
services_before=$(cat "$STATE/started" 2>/dev/null || true)
if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && [ -s "$STATE/admin-token" ]; then
  ok "the system is up (api on 127.0.0.1:$port)"
else
  step "bringing the system up (deploy/local/up.sh)"
  bash "$ROOT/deploy/local/up.sh"
  started_here=1
fi

# Stops the api and worker, and only the services that were not running before the demo.
stop_what_the_demo_started() {
  step "stopping what the demo started"
  stop_apps
  grep -vxF -f <(printf '%s\n' "$services_before") "$STATE/started" >"$STATE/started.demo" || true
  mv "$STATE/started.demo" "$STATE/started"
  bash "$ROOT/deploy/local/services-down.sh"
  [ -z "$services_before" ] || printf '%s\n' "$services_before" >"$STATE/started"
}
# Also on Ctrl-C or a failed step: the walk-through itself removes what it made over the API.
trap '[ "$started_here" -eq 0 ] || stop_what_the_demo_started' EXIT

step "the VNF image (deploy/vnf-image/build.sh)"
bash "$ROOT/deploy/vnf-image/build.sh"
step "compiling the walk-through"
npx tsc -p tsconfig.demo.json

status=0
DEMO_API="http://127.0.0.1:$port" node .local/demo-build/test/demo/vnf-demo.js || status=$?
exit "$status"
