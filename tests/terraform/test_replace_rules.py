"""replace_rules.json: the attribute paths whose change forces a new resource, per kept resource type.

Checked against the committed schemas (every path exists and is configurable; force_new and in_place
split the configurable paths), regenerated and compared with the committed file, and compared with the
reference table in ../shared/provider-schemas/requires_replace.json where that folder exists.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from sagespec.terraform.schemas import SCHEMA_DIR, provider_schema, replace_rules
from tests.helpers.hcl_tree import load_tool

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO.parent / "shared" / "provider-schemas" / "requires_replace.json"


RULES = load_tool("replace_rules")


def _rules(provider: str) -> dict[str, Any]:
    resources: dict[str, Any] = replace_rules()["providers"][provider]["resources"]
    return resources


@pytest.mark.parametrize("provider", ["aws", "awscc"])
def test_every_kept_resource_type_has_rules(provider: str) -> None:
    assert set(_rules(provider)) == set(provider_schema(provider)["resource_schemas"])


@pytest.mark.parametrize("provider", ["aws", "awscc"])
def test_paths_exist_and_split_the_configurable_ones(provider: str) -> None:
    for tf_type, rule in _rules(provider).items():
        paths = RULES.schema_paths(provider_schema(provider)["resource_schemas"][tf_type]["block"])
        configurable = {p for p, conf in paths.items() if conf} - {"region", "id"}
        forced, updated = set(rule["force_new"]), set(rule["in_place"])
        assert forced <= configurable, f"{tf_type}: {sorted(forced - configurable)}"
        assert not forced & updated, f"{tf_type}: both forced and in place: {sorted(forced & updated)}"
        assert forced | updated == configurable, (
            f"{tf_type}: unclassified {sorted(configurable - forced - updated)}"
        )
        assert rule["region_rule"] == ("region" in paths)


def test_the_facts_the_review_depends_on() -> None:
    aws = _rules("aws")
    config = aws["aws_sagemaker_endpoint_configuration"]
    assert {"production_variants.*.instance_type", "production_variants.*.model_name", "name"} <= set(
        config["force_new"]
    )
    assert "production_variants" in config["in_place"]  # the block itself: its fields force, it does not
    endpoint = aws["aws_sagemaker_endpoint"]
    assert set(endpoint["force_new"]) == {"name", "deployment_config.*.auto_rollback_configuration"}
    assert "endpoint_config_name" in endpoint["in_place"]  # a new config is an UpdateEndpoint, no downtime
    assert "primary_container.*.image" in aws["aws_sagemaker_model"]["force_new"]
    assert "primary_container" in aws["aws_sagemaker_model"]["in_place"]
    target = aws["aws_appautoscaling_target"]
    assert set(target["force_new"]) == {"resource_id", "scalable_dimension", "service_namespace"}
    assert {"min_capacity", "max_capacity"} <= set(target["in_place"])
    assert "assume_role_policy" in aws["aws_iam_role"]["in_place"]
    assert aws["aws_iam_role"]["region_rule"] is False  # IAM is global
    component = _rules("awscc")["awscc_sagemaker_inference_component"]
    assert component["cloudformation_type"] == "AWS::SageMaker::InferenceComponent"
    assert component["force_new"] == [] and component["create_only_properties"] == []
    assert "runtime_config.copy_count" in component["in_place"]
    region = replace_rules()["providers"]["aws"]["provider_rules"]["region"]
    assert region["source"]["path"] == "internal/provider/sdkv2/region.go"


def test_every_aws_rule_names_its_source() -> None:
    for tf_type, rule in _rules("aws").items():
        source = rule["source"]
        assert source["repo"] == "hashicorp/terraform-provider-aws", tf_type
        assert source["path"].startswith("internal/service/") and source["path"].endswith(".go"), tf_type
        assert source["evidence"], tf_type
        assert rule["sdk"] in ("sdkv2", "framework"), tf_type


def _has_cfn_lint() -> bool:
    try:
        metadata.distribution("cfn-lint")  # importing cfnlint itself takes seconds: only ask if installed
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(not _has_cfn_lint(), reason="cfn-lint (a dev dependency) is not installed")
def test_committed_rules_are_what_the_script_writes(tmp_path: Path) -> None:
    out = tmp_path / "replace_rules.json"
    assert RULES.main(["--out", str(out)]) == 0
    committed = (SCHEMA_DIR / "replace_rules.json").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, (
        "replace_rules.json is stale: run `make provider-schemas`"
    )


def test_cloudformation_pointers_map_to_awscc_paths() -> None:
    block = provider_schema("awscc")["resource_schemas"]["awscc_sagemaker_inference_component"]["block"]
    paths = RULES.schema_paths(block)
    pointer = "/properties/Specification/ComputeResourceRequirements/NumberOfCpuCoresRequired"
    expected = "specification.compute_resource_requirements.number_of_cpu_cores_required"
    assert RULES.cfn_path(pointer, paths, "t") == expected
    assert RULES.cfn_path("/properties/Specifications/*/Container/Image", paths, "t") == (
        "specifications.*.container.image"
    )
    with pytest.raises(SystemExit, match="does not have"):
        RULES.cfn_path("/properties/NoSuchThing", paths, "t")


def test_bad_facts_are_refused() -> None:
    paths = {"name": True, "arn": False, "blk": True, "blk.*.leaf": True}
    with pytest.raises(SystemExit, match="`nmae` is not a path"):
        RULES.expand(["nmae"], paths, "x")
    with pytest.raises(SystemExit, match="computed-only"):
        RULES.expand(["arn"], paths, "x")
    assert RULES.expand(["blk.**"], paths, "x") == ["blk.*.leaf"]
    with pytest.raises(SystemExit, match="matches no configurable path"):
        RULES.expand(["name.**"], paths, "x")


@pytest.mark.skipif(not REFERENCE.is_file(), reason=f"the reference table {REFERENCE} is absent")
@pytest.mark.parametrize("provider", ["aws", "awscc"])
def test_force_new_matches_the_reference_table(provider: str) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["providers"][provider]["resources"]
    assert reference, "the reference table lists no resource types"
    problems = []
    for tf_type, theirs in reference.items():
        ours = _rules(provider).get(tf_type)
        if ours is None:
            problems.append(f"{tf_type}: no rules here")
            continue
        only_ours = sorted(set(ours["force_new"]) - set(theirs["force_new"]))
        only_theirs = sorted(set(theirs["force_new"]) - set(ours["force_new"]))
        if only_ours or only_theirs:
            problems.append(f"{tf_type}: only here {only_ours}, only in the reference {only_theirs}")
    assert problems == [], "\n".join(problems)
