#!/usr/bin/env bash
# npm run dev: the api and the worker in watch mode against the services of deploy/local.
# One TypeScript compiler in watch mode (tsconfig.build.json) writes .local/dev/build; each app runs
# under `node --watch`, which restarts it when a file it loaded changes there: an edit in libs/
# restarts both apps (when both use that library), an edit in apps/api the api only. Nothing is
# emitted while the code has type errors (--noEmitOnError), so a broken edit restarts nothing.
# Logs are pretty-printed (pino-pretty), each line tagged api, worker or tsc; raw JSON lines are
# kept in .local/dev/<app>.log. An api and worker that up.sh started are stopped first (dev
# replaces them; bash deploy/local/up.sh brings them back). Ctrl-C stops what this started, and
# only that: the compiler and the two watchers, by the PIDs recorded here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
cd "$ROOT"

DEV="$STATE/dev"
BUILD="$DEV/build"
mkdir -p "$DEV"
if [ -f "$DEV/dev.pid" ] && kill -0 "$(cat "$DEV/dev.pid")" 2>/dev/null; then
  echo "npm run dev already runs here (pid $(cat "$DEV/dev.pid")); stop it first (Ctrl-C there)" >&2
  exit 1
fi
echo $$ >"$DEV/dev.pid"

pids=()
stopping=
stop_dev() {
  [ -n "$stopping" ] && return
  stopping=1
  trap - INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    echo "==> stopping the compiler and the watchers (pids ${pids[*]})"
    # node --watch passes the signal on to its app and waits for it to end.
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    sleep 0.3 # the pretty-printers' last lines
  fi
  rm -f "$DEV/dev.pid"
}
trap stop_dev EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -f "$STATE/api.pid" ] || [ -f "$STATE/worker.pid" ]; then
  step "stopping the api and worker that up.sh started (npm run dev replaces them; up.sh starts them again)"
  stop_apps
fi
if curl -s -o /dev/null "http://127.0.0.1:$API_PORT_LOCAL/healthz"; then
  echo "something not started by up.sh answers on port $API_PORT_LOCAL; stop it first (or set API_PORT)" >&2
  exit 1
fi

bash "$here/services-up.sh"
npm_ci
admin_token

tty=
[ -t 1 ] && tty=1
# Everything started below runs in a session of its own (setsid): a Ctrl-C on the terminal reaches
# neither the compiler, the apps nor the log printers; this script's trap stops them in order (the
# apps shut down cleanly, the printers get their last lines), and the PIDs recorded are those of the
# processes themselves (setsid execs in place).
# tag NAME COLOUR: prefixes every line with the stream's name (coloured on a terminal); drops empty lines.
tag() {
  local label
  label=$(printf '%-6s|' "$1")
  [ -n "$tty" ] && label=$'\e['"$2"'m'"$label"$'\e[0m'
  exec setsid sed -u -e '/^$/d' -e "s/^/$label /"
}
# pretty NAME COLOUR: raw lines to .local/dev/NAME.log, pino's JSON as readable lines on the terminal.
pretty() {
  exec > >(tag "$1" "$2")
  setsid tee -a "$DEV/$1.log" | setsid node_modules/.bin/pino-pretty ${tty:+--colorize} \
    -t 'SYS:HH:MM:ss.l' -i pid,hostname,name,context -o '{if context}[{context}] {end}{msg}'
}

step "compiler in watch mode into .local/dev/build"
rm -rf "$BUILD" "$DEV/tsc.log"
mkdir -p "$BUILD" && write_build_manifest "$BUILD"
setsid node_modules/.bin/tsc --watch --preserveWatchOutput --noEmitOnError ${tty:+--pretty} \
  -p tsconfig.build.json --outDir "$BUILD" > >(setsid tee -a "$DEV/tsc.log" | tag tsc 33) 2>&1 &
pids+=($!)

# Until the first compilation without errors (tsc says "Found 0 errors" after each one).
said=
until grep -q 'Found 0 errors' "$DEV/tsc.log" 2>/dev/null; do
  kill -0 "${pids[0]}" 2>/dev/null || fail tsc "the compiler stopped" "$DEV/tsc.log"
  if [ -z "$said" ] && grep -qE 'Found [1-9][0-9]* errors?' "$DEV/tsc.log" 2>/dev/null; then
    echo "==> type errors (above): the apps start once they are fixed"
    said=1
  fi
  sleep 0.3
done

migrate_db "$BUILD"

step "api and worker under node --watch (Ctrl-C stops them)"
: >"$DEV/api.log"
: >"$DEV/worker.log"
setsid node --watch --watch-preserve-output --enable-source-maps "$BUILD/apps/api/src/main.js" \
  > >(pretty api 36) 2>&1 &
pids+=($!)
setsid node --watch --watch-preserve-output --enable-source-maps "$BUILD/apps/worker/src/main.js" \
  > >(pretty worker 35) 2>&1 &
pids+=($!)

wait_ready 60 "$DEV/api.log $DEV/worker.log"
ok "api on http://127.0.0.1:$API_PORT_LOCAL (OpenAPI UI at /api/docs), worker consuming; edits restart them"
ok "platform administrator token: .local/admin-token; raw logs in .local/dev/"

# Ends when one of them ends on its own (the compiler, or a watcher), or on Ctrl-C.
wait -n "${pids[@]}" || true
echo "==> a watcher ended on its own; stopping the others"
