#!/usr/bin/env bash
# Runs the whole test suite on a bare Debian 12 machine: installs and starts the services,
# installs the npm dependencies, type-checks, then runs jest (unit + end-to-end) as the last
# command, so its summary line is the last thing printed and its exit code is ours.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
cd "$ROOT"

bash "$here/services-up.sh"
npm_ci
step "type-check"
npx tsc -p tsconfig.json --noEmit
step "jest (unit and end-to-end)"
NODE_OPTIONS=--experimental-vm-modules exec npx jest --runInBand --ci "$@"
