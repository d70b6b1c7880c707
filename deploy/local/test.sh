#!/usr/bin/env bash
# Runs the whole test suite on a bare Debian 12 machine: installs and starts the services,
# installs the npm dependencies, type-checks and builds, then runs jest (unit, then end-to-end) as the last
# command, so its summary line is the last thing printed and its exit code is ours.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
cd "$ROOT"

bash "$here/services-up.sh"
npm_ci
step "type-check"
npx tsc -p tsconfig.json --noEmit
# Some end-to-end tests run the worker as a process of its own (to kill it mid-operation).
step "build"
npm run build >/dev/null
# Two runs: unit suites in parallel workers, end-to-end suites one at a time (they share the
# services). Jest's ESM mode keeps every suite's modules alive, so one process for all of them
# grows past what V8's regexp compiler will allocate.
export NODE_OPTIONS=--experimental-vm-modules
step "jest: unit tests"
npx jest --selectProjects unit --ci
step "jest: end-to-end tests"
exec npx jest --selectProjects e2e --runInBand --ci "$@"
