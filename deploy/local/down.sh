#!/usr/bin/env bash
# Stops the api and worker that up.sh started, then the services that services-up.sh started.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

stop_apps
bash "$here/services-down.sh"
