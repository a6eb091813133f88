"""The spec changes of docs/updates.md on real offline plans: what Terraform plans, what the review
says about it, and E801 in protected environments (prod, and any env with policy.protected: true)
unless the spec sets rollout.allow_downtime.

Addresses and action lists are Terraform's own (`terraform show -json`), planned with the stand-in
providers' real replacement rules; the review computes none of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sagespec import cli
from tests.review.scratch import commit_all, edit, review, review_json

pytestmark = pytest.mark.slow

MISTRAL = "specs/models/mistral-7b-instruct.yaml"
FALCON = "specs/models/falcon-40b.yaml"
FLAN = "specs/models/flan-t5-biography.yaml"
GPT_NEO = "specs/models/gpt-neo-125m.yaml"
IC = 'module.inference_component["mistral-7b-instruct"]'
NEO = 'module.endpoint["gpt-neo-125m"]'
DELETE_FIRST = ["delete", "create"]


def _env(doc: dict[str, Any], env: str) -> dict[str, Any]:
    return next(e for e in doc["environments"] if e["env"] == env)


def _actions(doc: dict[str, Any], env: str) -> dict[str, list[str]]:
    return {c["address"]: c["actions"] for c in _env(doc, env)["changes"]}


def _change(doc: dict[str, Any], env: str, address: str) -> dict[str, Any]:
    return next(c for c in _env(doc, env)["changes"] if c["address"] == address)


def _e801(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["code"] == "E801"]


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def _refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, doc = review_json(repo, capsys, "--base", "main")
    assert code == 1 and doc["ok"] is False, doc["findings"]
    return doc


def _accepted(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, doc = review_json(repo, capsys, "--base", "main")
    assert code == 0, doc["findings"]
    return doc


def _allow_downtime(path: Path, deployment_line: str, indent: str = "    ") -> None:
    """Add `rollout: {allow_downtime: true}` right after the given line of spec.deployment."""
    edit(path, deployment_line, f"{deployment_line}{indent}rollout: {{allow_downtime: true}}\n")


# --- moving an inference component to another pool ---------------------------------------------


def _second_pool(repo: Path) -> None:
    pool = repo / "specs/endpoints/gpu-pool.yaml"
    (repo / "specs/endpoints/gpu-pool-b.yaml").write_text(
        pool.read_text(encoding="utf-8").replace("name: gpu-pool", "name: gpu-pool-b"), encoding="utf-8"
    )
    commit_all(repo, "second pool")


def test_moving_a_component_to_another_pool_is_a_planned_replacement_refused_in_prod(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _second_pool(scratch)
    edit(scratch / MISTRAL, "endpoint: gpu-pool\n", "endpoint: gpu-pool-b\n")
    doc = _refused(scratch, capsys)
    prod = _actions(doc, "prod")
    # UpdateInferenceComponent takes no endpoint: the component is deleted and created on the new
    # pool, and its scalable target (and so its policy) registered again for the new component
    assert prod[f"{IC}.awscc_sagemaker_inference_component.this"] == DELETE_FIRST
    assert prod[f"{IC}.aws_appautoscaling_target.this"] == DELETE_FIRST
    assert prod[f"{IC}.aws_appautoscaling_policy.this[0]"] == DELETE_FIRST
    assert prod[f"{IC}.terraform_data.placement"] == ["update"]
    component = _change(doc, "prod", f"{IC}.awscc_sagemaker_inference_component.this")
    assert component["disruptive"] is True and component["triggers"] == ["placement"]
    assert "DOWNTIME" in component["impact"] and "new pool's endpoint name" in component["impact"]
    # one refusal, in prod only (dev and staging are not protected), at the field that moved it
    [finding] = _e801(doc)
    assert finding["envs"] == ["prod"] and finding["severity"] == "error"
    assert (finding["file"], finding["line"]) == (
        MISTRAL,
        _line_of(scratch / MISTRAL, "endpoint: gpu-pool-b"),
    )
    assert finding["path"] == "spec.deployment.endpoint"
    assert f"set rollout.allow_downtime: true in {MISTRAL}" in finding["hint"]
    assert "second spec on the new pool" in finding["hint"]
    assert _e801(doc) == [f for f in doc["findings"] if f["severity"] == "error"]


def test_allow_downtime_lets_the_move_pass_and_the_review_still_names_the_downtime(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _second_pool(scratch)
    edit(scratch / MISTRAL, "endpoint: gpu-pool\n", "endpoint: gpu-pool-b\n")
    _allow_downtime(scratch / MISTRAL, "    endpoint: gpu-pool-b\n")
    doc = _accepted(scratch, capsys)
    assert _e801(doc) == []
    component = _change(doc, "prod", f"{IC}.awscc_sagemaker_inference_component.this")
    assert component["actions"] == DELETE_FIRST and "DOWNTIME" in component["impact"]
    assert any(a["address"] == component["address"] and a["level"] == "caution" for a in doc["alerts"])
    _, md, _ = review(scratch, capsys, "--base", "main")
    assert "DOWNTIME" in md and "E801" not in md


def test_allow_downtime_is_a_review_permission_only_and_renders_nothing(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (scratch / "envs/prod/rendered.tfvars.json").read_text(encoding="utf-8")
    _allow_downtime(scratch / MISTRAL, "    endpoint: gpu-pool\n")
    _allow_downtime(scratch / GPT_NEO, "    instance_count: 1\n")
    doc = _accepted(scratch, capsys)
    assert all(e["status"] == "unchanged" and e["changes"] == [] for e in doc["environments"])
    assert cli.main(["--root", str(scratch), "render", "--env", "prod", "--check"]) == 0
    assert (scratch / "envs/prod/rendered.tfvars.json").read_text(encoding="utf-8") == before


def test_allow_downtime_for_prod_only_through_the_environment_overlay(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _second_pool(scratch)
    edit(scratch / MISTRAL, "endpoint: gpu-pool\n", "endpoint: gpu-pool-b\n")
    edit(
        scratch / MISTRAL,
        '  prod:\n    weights: {huggingface: {token_secret: "arn:aws:secretsmanager:us-east-1:333333333333'
        ':secret:hf-token-AbCdEf"}}\n',
        '  prod:\n    weights: {huggingface: {token_secret: "arn:aws:secretsmanager:us-east-1:333333333333'
        ':secret:hf-token-AbCdEf"}}\n    deployment: {rollout: {allow_downtime: true}}\n',
    )
    assert _e801(_accepted(scratch, capsys)) == []


def test_a_protected_staging_refuses_the_move_too(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / "envs/staging/env.yaml", "  policy:\n", "  policy:\n    protected: true\n")
    _second_pool(scratch)
    edit(scratch / MISTRAL, "endpoint: gpu-pool\n", "endpoint: gpu-pool-b\n")
    doc = _refused(scratch, capsys)
    assert sorted(f["envs"][0] for f in _e801(doc)) == ["prod", "staging"]


# --- rollback alarms ----------------------------------------------------------------------------


def test_adding_the_first_rollback_alarm_replaces_the_endpoint_and_is_refused_in_prod(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """auto_rollback_configuration is ForceNew (an SDKv2 block: when it appears or goes)."""
    edit(scratch / FLAN, "wait_s: 300}", "wait_s: 300, rollback_alarms: [flan-5xx]}")
    doc = _refused(scratch, capsys)
    flan = 'module.endpoint["flan-t5-biography"]'
    prod = _actions(doc, "prod")
    assert prod[f"{flan}.aws_sagemaker_endpoint.this"] == DELETE_FIRST
    # SageMaker deregisters a deleted endpoint's scalable target: it is registered again afterwards
    assert prod[f"{flan}.aws_appautoscaling_target.this[0]"] == DELETE_FIRST
    assert prod[f"{flan}.aws_appautoscaling_policy.this[0]"] == DELETE_FIRST
    endpoint = _change(doc, "prod", f"{flan}.aws_sagemaker_endpoint.this")
    assert endpoint["replace_paths"] == ["deployment_config.0.auto_rollback_configuration"]
    assert endpoint["disruptive"] is True and "rollback alarms added" in endpoint["impact"]
    [finding] = _e801(doc)
    assert finding["envs"] == ["prod"] and finding["path"] == "spec.deployment.rollout.rollback_alarms"
    assert (finding["file"], finding["line"]) == (FLAN, _line_of(scratch / FLAN, "rollback_alarms"))
    # staging (not protected) plans the same replacement and is only warned about
    assert _actions(doc, "staging")[f"{flan}.aws_sagemaker_endpoint.this"] == DELETE_FIRST


def test_removing_the_last_rollback_alarm_replaces_the_endpoint(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(scratch / FALCON, ", rollback_alarms: [falcon-40b-prod-5xx]}", "}")
    doc = _refused(scratch, capsys)
    falcon = 'module.endpoint["falcon-40b"].aws_sagemaker_endpoint.this'
    assert _actions(doc, "prod")[falcon] == DELETE_FIRST
    [finding] = _e801(doc)
    # the alarms are gone from the spec: the finding points at the rollout that lost them
    assert finding["file"] == FALCON and finding["line"] == _line_of(scratch / FALCON, "rollout:")


def test_allow_downtime_accepts_the_alarm_change(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(
        scratch / FALCON,
        ", rollback_alarms: [falcon-40b-prod-5xx]}",
        ", allow_downtime: true}",
    )
    doc = _accepted(scratch, capsys)
    endpoint = _change(doc, "prod", 'module.endpoint["falcon-40b"].aws_sagemaker_endpoint.this')
    assert endpoint["actions"] == DELETE_FIRST and "DOWNTIME" in endpoint["impact"]


def test_renaming_a_rollback_alarm_updates_the_endpoint_in_place(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / FALCON,
        "rollback_alarms: [falcon-40b-prod-5xx]",
        "rollback_alarms: [falcon-40b-prod-errors]",
    )
    doc = _accepted(scratch, capsys)
    assert _actions(doc, "prod") == {'module.endpoint["falcon-40b"].aws_sagemaker_endpoint.this': ["update"]}
    assert _e801(doc) == []


def test_a_rollout_policy_change_updates_the_endpoint_in_place(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(scratch / FLAN, "linear_step_percent: 50, wait_s: 300", "linear_step_percent: 25, wait_s: 120")
    doc = _accepted(scratch, capsys)
    assert _actions(doc, "prod") == {
        'module.endpoint["flan-t5-biography"].aws_sagemaker_endpoint.this': ["update"]
    }


# --- autoscaling off ----------------------------------------------------------------------------


def test_switching_autoscaling_off_never_recreates_the_component_and_prod_passes(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / MISTRAL,
        "    autoscaling: {min_copies: 1, max_copies: 4, target_invocations_per_copy: 10}\n",
        "",
    )
    doc = _accepted(scratch, capsys)
    assert _actions(doc, "prod") == {
        f"{IC}.aws_appautoscaling_target.this": ["update"],
        f"{IC}.aws_appautoscaling_policy.this[0]": ["delete"],
    }
    assert _e801(doc) == []


# --- endpoint kinds -----------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["to async", "from async"])
def test_realtime_and_async_replace_the_endpoint(
    scratch: Path, capsys: pytest.CaptureFixture[str], direction: str
) -> None:
    """UpdateEndpoint refuses to remove AsyncInferenceConfig (aws/sagemaker-python-sdk#3124), and an
    async endpoint takes only InvokeEndpointAsync: both directions are planned replacements."""
    if direction == "from async":
        edit(scratch / GPT_NEO, "    type: realtime\n", "    type: async\n")
        commit_all(scratch, "async base")
        edit(scratch / GPT_NEO, "    type: async\n", "    type: realtime\n")
    else:
        edit(scratch / GPT_NEO, "    type: realtime\n", "    type: async\n")
    doc = _refused(scratch, capsys)
    prod = _actions(doc, "prod")
    assert prod[f"{NEO}.aws_sagemaker_endpoint_configuration.this"] == ["create", "delete"]
    assert prod[f"{NEO}.aws_sagemaker_endpoint.this"] == DELETE_FIRST
    assert prod[f"{NEO}.terraform_data.invocation"] == ["update"]
    assert f"{NEO}.terraform_data.kind" not in prod
    endpoint = _change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")
    assert endpoint["triggers"] == ["invocation"] and "async <-> real-time" in endpoint["impact"]
    [finding] = _e801(doc)
    assert (finding["file"], finding["path"]) == (GPT_NEO, "spec.deployment.type")
    assert finding["line"] == _line_of(scratch / GPT_NEO, "    type: ")


def test_realtime_to_serverless_replaces_the_endpoint_and_allow_downtime_accepts_it(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / GPT_NEO,
        "    type: realtime\n    instance_type: ml.m5.large\n    instance_count: 1\n",
        "    type: serverless\n    memory_mb: 4096\n    max_concurrency: 5\n",
    )
    doc = _refused(scratch, capsys)
    assert _actions(doc, "prod")[f"{NEO}.aws_sagemaker_endpoint.this"] == DELETE_FIRST
    endpoint = _change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")
    assert endpoint["triggers"] == ["kind"] and "serverless <-> instance-backed" in endpoint["impact"]
    assert [f["path"] for f in _e801(doc)] == ["spec.deployment.type"]
    _allow_downtime(scratch / GPT_NEO, "    max_concurrency: 5\n")
    doc = _accepted(scratch, capsys)
    assert _change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")["actions"] == DELETE_FIRST


def test_serverless_memory_updates_the_endpoint_in_place(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scratch / "specs/models/minilm-embeddings.yaml"
    edit(path, "memory_mb: 6144", "memory_mb: 4096")
    edit(
        path,
        "max_concurrency: 50, provisioned_concurrency: 2",
        "max_concurrency: 40, provisioned_concurrency: 4",
    )
    doc = _accepted(scratch, capsys)
    minilm = 'module.endpoint["minilm-embeddings"]'
    prod = _actions(doc, "prod")
    assert prod[f"{minilm}.aws_sagemaker_endpoint_configuration.this"] == ["create", "delete"]
    assert prod[f"{minilm}.aws_sagemaker_endpoint.this"] == ["update"]


# --- delete and rename are what the change asks for -----------------------------------------------


def test_deleting_a_spec_is_cautioned_not_refused(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch / GPT_NEO).unlink()
    doc = _accepted(scratch, capsys)
    gone = _change(doc, "prod", f"{NEO}.aws_sagemaker_endpoint.this")
    assert gone["actions"] == ["delete"] and gone["disruptive"] is True
    assert any(a["address"] == gone["address"] for a in doc["alerts"])
    assert _e801(doc) == []


def test_turning_an_endpoint_into_an_inference_component_is_downtime_for_its_clients(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The endpoint goes while the spec stays: E801, at deployment.type, though no address is replaced."""
    edit(
        scratch / GPT_NEO,
        "    type: realtime\n    instance_type: ml.m5.large\n    instance_count: 1\n",
        "    type: inference-component\n    endpoint: gpu-pool\n    copies: 1\n"
        "    resources: {accelerators: 1, cpus: 1, memory_mb: 2048}\n",
    )
    doc = _refused(scratch, capsys)
    prod = _actions(doc, "prod")
    assert prod[f"{NEO}.aws_sagemaker_endpoint.this"] == ["delete"]
    assert prod['module.inference_component["gpt-neo-125m"].awscc_sagemaker_inference_component.this'] == [
        "create"
    ]
    [finding] = _e801(doc)
    assert (finding["file"], finding["path"]) == (GPT_NEO, "spec.deployment.type")
