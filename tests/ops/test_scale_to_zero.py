"""Inference components with min_copies 0: validation, render flag, cost at the minimum, and the HCL
(step policy + NoCapacityInvocationFailures alarm, per the AWS scale-to-zero page)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sagespec.cost import model as cost
from tests.helpers.repo import findings_json, fixture_repo, run_cli

REPO = Path(__file__).resolve().parents[2]
POOL_TO_ZERO = """apiVersion: sagespec/v1
kind: Endpoint
metadata: {name: pool, owner: platform}
spec:
  instance_type: ml.g5.12xlarge
  instance_count: 1
  managed_scaling: {min_instances: 0, max_instances: 2}
"""
CHAT = """apiVersion: sagespec/v1
kind: Model
metadata: {name: chat, owner: nlp}
spec:
  container: {framework: tgi, version: "3.0.1"}
  weights:
    huggingface: {model_id: mistralai/Mistral-7B-Instruct-v0.1}
  deployment:
    type: inference-component
    endpoint: pool
    copies: 1
    resources: {accelerators: 1, cpus: 4, memory_mb: 16384}
    autoscaling: {min_copies: MIN, max_copies: 4, target_invocations_per_copy: 10}
"""


def _repo(tmp_path: Path, pool: str | None, min_copies: int) -> Path:
    root = fixture_repo(tmp_path / "repo")
    if pool is not None:
        (root / "specs/endpoints/pool.yaml").write_text(pool)
    (root / "specs/models/chat.yaml").write_text(CHAT.replace("MIN", str(min_copies)))
    return root


def _codes(findings: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(f["code"], Path(f["file"]).name) for f in findings}


def test_scale_to_zero_end_to_end_validates_and_renders_the_flag(tmp_path: Path) -> None:
    root = _repo(tmp_path, POOL_TO_ZERO, 0)
    code, findings = findings_json(root, "--env", "dev")
    assert code == 0 and not [f for f in findings if f["code"].startswith(("E", "W410"))], findings
    assert run_cli("--root", str(root), "render", "--env", "dev")[0] == 0
    rendered = json.loads((root / "envs/dev/rendered.tfvars.json").read_text())
    scaling = rendered["inference_components"]["chat"]["autoscaling"]
    assert (scaling["min_capacity"], scaling["scale_from_zero"]) == (0, True)
    assert rendered["endpoints"]["pool"]["managed_instance_scaling"] == {
        "min_instances": 0,
        "max_instances": 2,
    }


def test_min_copies_1_does_not_scale_from_zero(tmp_path: Path) -> None:
    root = _repo(tmp_path, None, 1)
    assert run_cli("--root", str(root), "render", "--env", "dev")[0] == 0
    rendered = json.loads((root / "envs/dev/rendered.tfvars.json").read_text())
    assert rendered["inference_components"]["chat"]["autoscaling"]["scale_from_zero"] is False


def test_zero_copies_on_a_pool_that_keeps_its_instances_is_warned(tmp_path: Path) -> None:
    root = _repo(tmp_path, None, 0)  # the fixture pool has no managed scaling
    code, findings = findings_json(root, "--env", "dev")
    assert code == 0 and ("W410", "chat.yaml") in _codes(findings)


def test_pool_to_zero_with_a_component_that_cannot_reach_zero_is_warned(tmp_path: Path) -> None:
    root = _repo(tmp_path, POOL_TO_ZERO, 1)
    code, findings = findings_json(root, "--env", "dev")
    assert code == 0 and ("W410", "pool.yaml") in _codes(findings)


def test_pool_to_zero_without_components_is_refused(tmp_path: Path) -> None:
    root = _repo(tmp_path, POOL_TO_ZERO, 0)
    (root / "specs/models/chat.yaml").unlink()
    code, findings = findings_json(root, "--env", "dev")
    refused = [f for f in findings if f["code"] == "E410" and Path(f["file"]).name == "pool.yaml"]
    assert code == 1 and refused and "hosts no inference component" in refused[0]["message"]


def test_cost_names_the_price_at_the_minimum() -> None:
    pool = {
        "type": "pool",
        "name": "pool-dev",
        "instance_type": "ml.g5.12xlarge",
        "initial_instance_count": 1,
        "managed_instance_scaling": {"min_instances": 0, "max_instances": 2},
        "autoscaling": None,
    }
    row = cost.endpoint_cost("pool", pool, "us-east-1")
    assert row.hourly is not None and row.hourly > 0  # it starts with one instance
    assert "scales in to 0 instance(s) when its inference components do: $0.00/h at minimum" in row.note


def test_hcl_adds_the_step_policy_and_alarm_on_the_two_lead_addresses() -> None:
    text = (REPO / "modules/inference-component/scale_from_zero.tf").read_text()
    assert 'metric_name         = "NoCapacityInvocationFailures"' in text
    assert "dimensions          = { InferenceComponentName = var.name }" in text
    assert "alarm_actions       = [aws_appautoscaling_policy.scale_from_zero[0].arn]" in text
    assert re.search(r'adjustment_type\s+= "ChangeInCapacity"', text)
    referenced = set(
        re.findall(r"\b(aws_appautoscaling_target|awscc_sagemaker_inference_component)\.(\w+)", text)
    )
    assert referenced == {("aws_appautoscaling_target", "this")}
    assert "count = local.scale_from_zero ? 1 : 0" in text
