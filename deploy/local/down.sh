#!/usr/bin/env bash
# Stops the api and worker that up.sh started, then the services that services-up.sh started.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

for app in worker api; do
  pidfile="$STATE/$app.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null && echo " stopped $app (pid $pid)"
  rm -f "$pidfile"
done
bash "$here/services-down.sh"
