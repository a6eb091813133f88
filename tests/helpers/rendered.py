"""Resource names as the renderer gave them, read from a fixture repository's committed render.

The names end in content hashes (`flan-t5-dev-<8 hex>`): tests that need one read it here, so a
renderer change that moves a hash only needs the fixture renders regenerated
(`sagespec --root tests/fixtures/ops/repo render --all`), never a test edit.
`tests/render/test_fixture_renders.py` keeps the committed renders current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OPS_REPO = FIXTURES / "ops" / "repo"
# the ARN prefix of SageMaker objects in the ops fixture's account and region (moto's default account)
SAGEMAKER_ARN = "arn:aws:sagemaker:us-east-1:123456789012"


def rendered(env: str, root: Path = OPS_REPO) -> dict[str, Any]:
    """envs/<env>/rendered.tfvars.json of `root` (the ops fixture repository unless told)."""
    data: dict[str, Any] = json.loads((root / "envs" / env / "rendered.tfvars.json").read_text())
    return data


def model_name(env: str, spec: str, root: Path = OPS_REPO) -> str:
    """The SageMaker model the Model spec `spec` (its metadata.name) renders to in `env`."""
    return str(rendered(env, root)["models"][spec]["name"])


def endpoint_name(env: str, spec: str, root: Path = OPS_REPO) -> str:
    """The endpoint of the Model or Endpoint spec `spec` in `env`."""
    return str(rendered(env, root)["endpoints"][spec]["name"])


def config_name(env: str, spec: str, root: Path = OPS_REPO) -> str:
    """The endpoint configuration the endpoint of `spec` runs in `env`."""
    return str(rendered(env, root)["endpoints"][spec]["config_name"])
