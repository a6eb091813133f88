#!/usr/bin/env bash
# CI's `make setup` for jobs that hold AWS credentials: every package pinned and checked against
# the sha256 in requirements/*.lock (pip --require-hashes), nothing resolved at install time.
# Same layout as `make setup`: python-hcl2 owns site-packages' hcl2, checkov's lives apart.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps)
"${pip[@]}" -r requirements/ci.lock
"${pip[@]}" --force-reinstall -r requirements/hcl2.lock
"${pip[@]}" --target .venv/checkov-hcl2 -r requirements/checkov-hcl2.lock
# Our own code last, from the checkout: no index, no build isolation (setuptools came from the lock).
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-index -e .
touch .venv/.installed  # the Makefile's stamp: `make plan` must not reinstall unhashed
