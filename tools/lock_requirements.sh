#!/usr/bin/env bash
# Regenerate the hashed requirement locks CI installs with --require-hashes (tools/install_locked.sh).
# Run after changing pyproject.toml's dependencies; tests/workflows/test_requirements_lock.py
# fails while requirements/ci.lock is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
compile() { .venv/bin/python -m uv pip compile --quiet --generate-hashes --python-version 3.11 \
  --python-platform x86_64-unknown-linux-gnu "$@"; }
compile pyproject.toml requirements/build.in --extra dev -o requirements/ci.lock
compile --no-deps requirements/hcl2.in -o requirements/hcl2.lock
compile --no-deps requirements/checkov-hcl2.in -o requirements/checkov-hcl2.lock
