"""The spec changes of docs/updates.md on real offline plans: what Terraform plans, what the review
says about it, and E801 in protected environments (prod, and any env with policy.protected: true)
unless the spec sets rollout.allow_downtime.

Addresses and action lists are Terraform's own (`terraform show -json`), planned with the stand-in
providers' real replacement rules; the review computes none of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sagespec import cli
from tests.review.scratch import commit_all, edit, review
from tests.review.updates import (
    DELETE_FIRST,
    FALCON,
    FLAN,
    GPT_NEO,
    IC,
    MISTRAL,
    accepted,
    actions,
    allow_downtime,
    change,
    e801,
    line_of,
    refused,
)

pytestmark = pytest.mark.slow


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
    doc = refused(scratch, capsys)
    prod = actions(doc, "prod")
    # UpdateInferenceComponent takes no endpoint: the component is deleted and created on the new
    # pool, and its scalable target (and so its policy) registered again for the new component
    assert prod[f"{IC}.awscc_sagemaker_inference_component.this"] == DELETE_FIRST
    assert prod[f"{IC}.aws_appautoscaling_target.this"] == DELETE_FIRST
    assert prod[f"{IC}.aws_appautoscaling_policy.this[0]"] == DELETE_FIRST
    assert prod[f"{IC}.terraform_data.placement"] == ["update"]
    component = change(doc, "prod", f"{IC}.awscc_sagemaker_inference_component.this")
    assert component["disruptive"] is True and component["triggers"] == ["placement"]
    assert "DOWNTIME" in component["impact"] and "new pool's endpoint name" in component["impact"]
    # one refusal, in prod only (dev and staging are not protected), at the field that moved it
    [finding] = e801(doc)
    assert finding["envs"] == ["prod"] and finding["severity"] == "error"
    assert (finding["file"], finding["line"]) == (
        MISTRAL,
        line_of(scratch / MISTRAL, "endpoint: gpu-pool-b"),
    )
    assert finding["path"] == "spec.deployment.endpoint"
    assert f"set rollout.allow_downtime: true in {MISTRAL}" in finding["hint"]
    assert "second spec on the new pool" in finding["hint"]
    assert e801(doc) == [f for f in doc["findings"] if f["severity"] == "error"]


def test_allow_downtime_lets_the_move_pass_and_the_review_still_names_the_downtime(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _second_pool(scratch)
    edit(scratch / MISTRAL, "endpoint: gpu-pool\n", "endpoint: gpu-pool-b\n")
    allow_downtime(scratch / MISTRAL, "    endpoint: gpu-pool-b\n")
    doc = accepted(scratch, capsys)
    assert e801(doc) == []
    component = change(doc, "prod", f"{IC}.awscc_sagemaker_inference_component.this")
    assert component["actions"] == DELETE_FIRST and "DOWNTIME" in component["impact"]
    assert any(a["address"] == component["address"] and a["level"] == "caution" for a in doc["alerts"])
    _, md, _ = review(scratch, capsys, "--base", "main")
    assert "DOWNTIME" in md and "E801" not in md


def test_allow_downtime_is_a_review_permission_only_and_renders_nothing(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (scratch / "envs/prod/rendered.tfvars.json").read_text(encoding="utf-8")
    allow_downtime(scratch / MISTRAL, "    endpoint: gpu-pool\n")
    allow_downtime(scratch / GPT_NEO, "    instance_count: 1\n")
    doc = accepted(scratch, capsys)
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
    assert e801(accepted(scratch, capsys)) == []


def test_a_protected_staging_refuses_the_move_too(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / "envs/staging/env.yaml", "  policy:\n", "  policy:\n    protected: true\n")
    _second_pool(scratch)
    edit(scratch / MISTRAL, "endpoint: gpu-pool\n", "endpoint: gpu-pool-b\n")
    doc = refused(scratch, capsys)
    assert sorted(f["envs"][0] for f in e801(doc)) == ["prod", "staging"]


# --- rollback alarms ----------------------------------------------------------------------------


def test_adding_the_first_rollback_alarm_replaces_the_endpoint_and_is_refused_in_prod(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """auto_rollback_configuration is ForceNew (an SDKv2 block: when it appears or goes)."""
    edit(scratch / FLAN, "wait_s: 300}", "wait_s: 300, rollback_alarms: [flan-5xx]}")
    doc = refused(scratch, capsys)
    flan = 'module.endpoint["flan-t5-biography"]'
    prod = actions(doc, "prod")
    assert prod[f"{flan}.aws_sagemaker_endpoint.this"] == DELETE_FIRST
    # SageMaker deregisters a deleted endpoint's scalable target: it is registered again afterwards
    assert prod[f"{flan}.aws_appautoscaling_target.this[0]"] == DELETE_FIRST
    assert prod[f"{flan}.aws_appautoscaling_policy.this[0]"] == DELETE_FIRST
    endpoint = change(doc, "prod", f"{flan}.aws_sagemaker_endpoint.this")
    assert endpoint["replace_paths"] == ["deployment_config.0.auto_rollback_configuration"]
    assert endpoint["disruptive"] is True and "rollback alarms added" in endpoint["impact"]
    [finding] = e801(doc)
    assert finding["envs"] == ["prod"] and finding["path"] == "spec.deployment.rollout.rollback_alarms"
    assert (finding["file"], finding["line"]) == (FLAN, line_of(scratch / FLAN, "rollback_alarms"))
    # staging (not protected) plans the same replacement and is only warned about
    assert actions(doc, "staging")[f"{flan}.aws_sagemaker_endpoint.this"] == DELETE_FIRST


def test_removing_the_last_rollback_alarm_replaces_the_endpoint(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(scratch / FALCON, ", rollback_alarms: [falcon-40b-prod-5xx]}", "}")
    doc = refused(scratch, capsys)
    falcon = 'module.endpoint["falcon-40b"].aws_sagemaker_endpoint.this'
    assert actions(doc, "prod")[falcon] == DELETE_FIRST
    [finding] = e801(doc)
    # the alarms are gone from the spec: the finding points at the rollout that lost them
    assert finding["file"] == FALCON and finding["line"] == line_of(scratch / FALCON, "rollout:")


def test_allow_downtime_accepts_the_alarm_change(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(
        scratch / FALCON,
        ", rollback_alarms: [falcon-40b-prod-5xx]}",
        ", allow_downtime: true}",
    )
    doc = accepted(scratch, capsys)
    endpoint = change(doc, "prod", 'module.endpoint["falcon-40b"].aws_sagemaker_endpoint.this')
    assert endpoint["actions"] == DELETE_FIRST and "DOWNTIME" in endpoint["impact"]


def test_renaming_a_rollback_alarm_updates_the_endpoint_in_place(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        scratch / FALCON,
        "rollback_alarms: [falcon-40b-prod-5xx]",
        "rollback_alarms: [falcon-40b-prod-errors]",
    )
    doc = accepted(scratch, capsys)
    assert actions(doc, "prod") == {'module.endpoint["falcon-40b"].aws_sagemaker_endpoint.this': ["update"]}
    assert e801(doc) == []


def test_a_rollout_policy_change_updates_the_endpoint_in_place(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(scratch / FLAN, "linear_step_percent: 50, wait_s: 300", "linear_step_percent: 25, wait_s: 120")
    doc = accepted(scratch, capsys)
    assert actions(doc, "prod") == {
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
    doc = accepted(scratch, capsys)
    assert actions(doc, "prod") == {
        f"{IC}.aws_appautoscaling_target.this": ["update"],
        f"{IC}.aws_appautoscaling_policy.this[0]": ["delete"],
    }
    assert e801(doc) == []
