"""The review's resource changes are Terraform's own plan: each typical change, with the stand-ins.

Every assertion names Terraform addresses and action lists exactly as `terraform show -json` writes
them; the review computes none of them. Runs with git alone on PATH: the engine is the bundled
Terraform unless SAGESPEC_TERRAFORM names another (see the review conftest).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.review.scratch import commit_all, edit, review_json

pytestmark = pytest.mark.slow

MISTRAL = "specs/models/mistral-7b-instruct.yaml"
GPT_NEO = "specs/models/gpt-neo-125m.yaml"
IC = 'module.inference_component["mistral-7b-instruct"]'
NEO_EP = 'module.endpoint["gpt-neo-125m"]'
NEO_MODEL = 'module.model["gpt-neo-125m"]'
REPLACE_CBD = ["create", "delete"]


def _changes(doc: dict[str, Any], env: str) -> dict[str, list[str]]:
    found = next(e for e in doc["environments"] if e["env"] == env)
    return {c["address"]: c["actions"] for c in found["resource_changes"]}


def _review(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, doc = review_json(repo, capsys, "--base", "main")
    assert code == 0, json.dumps(doc["findings"], indent=1)
    return doc


def _rebase(repo: Path) -> None:
    """Make the working tree the new base (the scratch repository works on main)."""
    commit_all(repo, "new base")


def test_version_bump_replaces_model_and_config_and_updates_the_endpoint(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(scratch / GPT_NEO, 'version: "2.3.0"', 'version: "2.4.0"')
    doc = _review(scratch, capsys)
    prod = _changes(doc, "prod")
    # same ECR repository for both versions: the role's grants do not change
    assert prod == {
        f"{NEO_MODEL}.aws_sagemaker_model.this": REPLACE_CBD,
        f"{NEO_EP}.aws_sagemaker_endpoint_configuration.this": REPLACE_CBD,
        f"{NEO_EP}.aws_sagemaker_endpoint.this": ["update"],
    }
    env = next(e for e in doc["environments"] if e["env"] == "prod")
    assert env["plan"]["source"] == "offline"
    assert env["plan"]["scope"] == [NEO_MODEL, NEO_EP]
    endpoint = next(c for c in env["changes"] if c["address"] == f"{NEO_EP}.aws_sagemaker_endpoint.this")
    assert endpoint["disruptive"] is False and "no downtime" in endpoint["impact"]


def test_instance_type_replaces_only_the_config(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / GPT_NEO, "instance_type: ml.m5.large", "instance_type: ml.m5.xlarge")
    prod = _changes(_review(scratch, capsys), "prod")
    assert prod == {
        f"{NEO_EP}.aws_sagemaker_endpoint_configuration.this": REPLACE_CBD,
        f"{NEO_EP}.aws_sagemaker_endpoint.this": ["update"],
    }


def test_instance_type_of_an_autoscaled_endpoint_replaces_its_scalable_target(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / "specs/models/bart-summarizer.yaml",
        "instance_type: ml.g5.xlarge",
        "instance_type: ml.g5.2xlarge",
    )
    doc = _review(scratch, capsys)
    prod = _changes(doc, "prod")
    target = 'module.endpoint["bart-summarizer"].aws_appautoscaling_target.this[0]'
    assert prod[target] in (["delete", "create"], REPLACE_CBD)
    env = next(e for e in doc["environments"] if e["env"] == "prod")
    row = next(c for c in env["changes"] if c["address"] == target)
    assert "capacity resets" in row["impact"] and row["action_reason"] == "replace_by_triggers"


def test_copies_of_an_autoscaled_component_change_nothing(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With autoscaling, `copies` is only the starting count: Terraform plans no change, and neither
    does the review."""
    edit(scratch / MISTRAL, "    copies: 4\n", "    copies: 3\n")
    prod = _changes(_review(scratch, capsys), "prod")
    assert not any(a.startswith(IC) for a in prod), prod


def test_copies_without_autoscaling_update_the_scalable_target(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / MISTRAL,
        "    autoscaling: {min_copies: 1, max_copies: 4, target_invocations_per_copy: 10}\n",
        "",
    )
    _rebase(scratch)
    edit(scratch / MISTRAL, "    copies: 4\n", "    copies: 3\n")
    prod = _changes(_review(scratch, capsys), "prod")
    assert prod == {f"{IC}.aws_appautoscaling_target.this": ["update"]}


@pytest.mark.parametrize("direction", ["off", "on"])
def test_autoscaling_on_or_off_never_recreates_the_component(
    scratch: Path, capsys: pytest.CaptureFixture[str], direction: str
) -> None:
    line = "    autoscaling: {min_copies: 1, max_copies: 4, target_invocations_per_copy: 10}\n"
    if direction == "on":
        edit(scratch / MISTRAL, line, "")
        _rebase(scratch)
        edit(scratch / MISTRAL, "    resources:", line + "    resources:")
    else:
        edit(scratch / MISTRAL, line, "")
    prod = _changes(_review(scratch, capsys), "prod")
    policy = {"off": ["delete"], "on": ["create"]}[direction]
    assert prod == {
        f"{IC}.aws_appautoscaling_target.this": ["update"],
        f"{IC}.aws_appautoscaling_policy.this[0]": policy,
    }


def test_secret_rotation_renames_the_model_and_updates_the_component(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # prod reads its own secret (an environments.prod overlay): rotate that one
    edit(scratch / MISTRAL, "333333333333:secret:hf-token-AbCdEf", "333333333333:secret:hf-token-ZyXwVu")
    doc = _review(scratch, capsys)
    prod = _changes(doc, "prod")
    assert prod['module.model["mistral-7b-instruct"].aws_sagemaker_model.this'] == REPLACE_CBD
    assert prod[f"{IC}.awscc_sagemaker_inference_component.this"] == ["update"]
    assert "hf-token" not in json.dumps(doc["environments"])
    env = next(e for e in doc["environments"] if e["env"] == "prod")
    model = next(c for c in env["changes"] if c["type"] == "aws_sagemaker_model")
    # the name shown is the one the HCL gives the new model (secret revision folded into the suffix)
    assert model["name_before"] != model["name_after"]
    assert model["name_after"].startswith("mistral-7b-instruct-prod-")


def test_rename_destroys_the_old_endpoint_and_creates_the_new(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = scratch / GPT_NEO
    (scratch / "specs/models/gpt-neo-small.yaml").write_text(
        source.read_text(encoding="utf-8").replace("name: gpt-neo-125m", "name: gpt-neo-small"),
        encoding="utf-8",
    )
    source.unlink()
    doc = _review(scratch, capsys)
    prod = _changes(doc, "prod")
    assert prod[f"{NEO_EP}.aws_sagemaker_endpoint.this"] == ["delete"]
    assert prod['module.endpoint["gpt-neo-small"].aws_sagemaker_endpoint.this'] == ["create"]
    env = next(e for e in doc["environments"] if e["env"] == "prod")
    gone = next(c for c in env["changes"] if c["address"] == f"{NEO_EP}.aws_sagemaker_endpoint.this")
    assert gone["disruptive"] is True
    assert any(a["address"] == gone["address"] for a in doc["alerts"])


def test_delete_destroys_every_resource_of_the_spec(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scratch / GPT_NEO).unlink()
    prod = _changes(_review(scratch, capsys), "prod")
    assert {a: v for a, v in prod.items() if "gpt-neo-125m" in a} == {
        f"{NEO_MODEL}.aws_sagemaker_model.this": ["delete"],
        f"{NEO_EP}.aws_sagemaker_endpoint_configuration.this": ["delete"],
        f"{NEO_EP}.aws_sagemaker_endpoint.this": ["delete"],
        f"{NEO_EP}.terraform_data.kind": ["delete"],
        f"{NEO_EP}.terraform_data.invocation": ["delete"],
    }


def test_move_between_pools(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pool = scratch / "specs/endpoints/gpu-pool.yaml"
    (scratch / "specs/endpoints/gpu-pool-b.yaml").write_text(
        pool.read_text(encoding="utf-8").replace("name: gpu-pool", "name: gpu-pool-b"), encoding="utf-8"
    )
    _rebase(scratch)
    edit(scratch / MISTRAL, "endpoint: gpu-pool\n", "endpoint: gpu-pool-b\n")
    # prod refuses the downtime (E801, tests/review/test_updates.py) unless the spec accepts it
    edit(
        scratch / MISTRAL,
        "endpoint: gpu-pool-b\n",
        "endpoint: gpu-pool-b\n    rollout: {allow_downtime: true}\n",
    )
    prod = _changes(_review(scratch, capsys), "prod")
    component = f"{IC}.awscc_sagemaker_inference_component.this"
    assert component in prod, prod
    assert prod[component] != ["update"], (
        "UpdateInferenceComponent takes no endpoint: a move cannot be in place"
    )
