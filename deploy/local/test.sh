#!/usr/bin/env bash
# Runs the whole test suite on a bare Debian 12 machine: installs and starts the services,
# installs the npm dependencies, type-checks and builds (the dashboard too, with Chromium for its
# browser tests), then runs jest (unit, then end-to-end) as the last command, so its summary line is
# the last thing printed and its exit code is ours.
# It leaves a system that up.sh started in this checkout running as it was: services are only
# started when down, node_modules is reinstalled only when package-lock.json changed, the build goes
# to .local/test-build (the api and worker run from dist/), and the end-to-end suites use their own
# database and queue prefixes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
cd "$ROOT"

bash "$here/services-up.sh"
npm_ci
# One compiler pass type-checks everything and builds the entry points that some end-to-end tests
# run as processes of their own (to kill a worker mid-operation, say).
step "type-check and build into .local/test-build"
export E2E_BUILD_DIR="$STATE/test-build"
rm -rf "$E2E_BUILD_DIR"
npx tsc -p tsconfig.json --outDir "$E2E_BUILD_DIR"
write_build_manifest "$E2E_BUILD_DIR"
# The dashboard (a browser app, outside the server's tsconfig): its own type-check, then its build,
# which the end-to-end suites' api serves at / and the browser tests drive in Debian's Chromium.
if [ -f apps/dashboard/tsconfig.json ]; then
  step "type-check the dashboard"
  npx tsc -p apps/dashboard/tsconfig.json --noEmit
fi
build_dashboard "$E2E_BUILD_DIR/dashboard"
export DASHBOARD_DIR="$E2E_BUILD_DIR/dashboard"
install_chromium
# Two runs: unit suites in parallel workers, end-to-end suites one at a time (they share the
# services). Jest's ESM mode keeps every suite's modules alive, so one process for all of them
# grows past what V8's regexp compiler will allocate.
export NODE_OPTIONS=--experimental-vm-modules
step "jest: unit tests"
npx jest --selectProjects unit --ci
step "jest: end-to-end tests"
exec npx jest --selectProjects e2e --runInBand --ci "$@"
