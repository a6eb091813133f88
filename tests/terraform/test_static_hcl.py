"""Static verification of all HCL with no cloud and no registry: the lint, the type check of the
rendered files and `terraform fmt` (checkov: test_checkov_static.py; module READMEs: test_module_docs.py).

Each check is first proven on synthetic fixtures (tests/fixtures/hcl/good and bad/<case>, each bad
case with the exact findings it must produce), then run over the real terraform/ and modules/.
Regenerate the bad-case snapshots after an intended message change with SAGESPEC_UPDATE_SNAPSHOTS=1.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sagespec.terraform import engine
from tests.helpers import hcl_lint, tf_types
from tests.helpers.hcl_tree import ENV_FILES, ENV_IDS, GOOD, HCL_FIXTURES, REPO, load_tool, require_real_tree

BAD_CASES = sorted(p.name for p in (HCL_FIXTURES / "bad").iterdir() if p.is_dir())
UPDATE = os.environ.get("SAGESPEC_UPDATE_SNAPSHOTS") == "1"


# --- the provider schema fixture ----------------------------------------------------------------------


def test_schemas_come_from_supported_provider_versions() -> None:
    sources = hcl_lint.load_schemas()["sources"]
    aws, awscc = sources["aws"], sources["awscc"]
    assert (aws["provider_source"], awscc["provider_source"]) == ("hashicorp/aws", "hashicorp/awscc")
    assert hcl_lint.version_allows(">= 6.21, < 7.0", aws["provider_version"]), aws
    assert hcl_lint.version_allows(">= 1.0, < 2.0", awscc["provider_version"]), awscc


def test_schemas_hold_every_listed_type() -> None:
    extractor = load_tool("extract_provider_schemas")
    schemas = hcl_lint.load_schemas()
    resources = set(extractor.BASE_RESOURCES) | set(extractor.EXTRA_RESOURCES)
    data_sources = set(extractor.BASE_DATA_SOURCES) | set(extractor.EXTRA_DATA_SOURCES)
    assert resources <= set(schemas["resources"])
    assert data_sources <= set(schemas["data_sources"])
    assert {"aws", "awscc"} <= set(schemas["providers"])


def test_schemas_encode_blocks_as_the_aws_docs_describe() -> None:
    resources = hcl_lint.load_schemas()["resources"]
    config = resources["aws_sagemaker_endpoint_configuration"]["block"]
    assert config["attributes"]["execution_role_arn"]["optional"]  # aws >= 6.x, for inference components
    assert config["attributes"]["arn"] == {"computed": True, "type": "string"}
    variants = config["block_types"]["production_variants"]
    assert (variants["nesting_mode"], variants["min_items"]) == ("list", 1)
    assert variants["block"]["attributes"]["model_name"]["optional"]  # model-less variants
    serverless = variants["block"]["block_types"]["serverless_config"]
    assert (serverless["nesting_mode"], serverless["max_items"]) == ("list", 1)
    assert serverless["block"]["attributes"]["memory_size_in_mb"]["required"]
    capture = config["block_types"]["data_capture_config"]["block"]
    assert capture["block_types"]["capture_options"]["min_items"] == 1
    assert {"async_inference_config", "shadow_production_variants"} <= set(config["block_types"])
    deployment = resources["aws_sagemaker_endpoint"]["block"]["block_types"]["deployment_config"]["block"]
    assert {"blue_green_update_policy", "rolling_update_policy", "auto_rollback_configuration"} <= set(
        deployment["block_types"]
    )
    component = resources["awscc_sagemaker_inference_component"]["block"]["attributes"]
    assert component["endpoint_name"]["required"]
    spec = component["specification"]["nested_type"]
    assert "compute_resource_requirements" in spec["attributes"]
    assert component["tags"]["nested_type"]["nesting_mode"] == "list"


# --- the lint, on fixtures ------------------------------------------------------------------------------


def test_good_fixture_has_no_findings() -> None:
    assert [str(f) for f in hcl_lint.lint_tree(GOOD)] == []


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_fixture_produces_its_findings(case: str) -> None:
    root = HCL_FIXTURES / "bad" / case
    actual = [str(f) for f in hcl_lint.lint_tree(root)]
    snapshot = root / "expected.txt"
    if UPDATE:
        snapshot.write_text("".join(f"{line}\n" for line in actual), encoding="utf-8")
    expected = snapshot.read_text(encoding="utf-8").splitlines()
    assert expected, f"{snapshot} is empty: a bad fixture must produce a finding"
    assert actual == expected


@pytest.mark.parametrize(
    ("code", "refs"),
    [
        ('"${var.a}-x"', [["var", "a"]]),
        ('"literal var.a and $${var.b}"', []),
        ('${jsonencode({Action = "s3:GetObject", Resource = "${local.arn}/*"})}', [["local", "arn"]]),
        ('${module.m["k"].out}', [["module", "m", "[]", "out"]]),
        ("${aws_iam_role.this[*].arn}", [["aws_iam_role", "this", "[]", "arn"]]),
    ],
)
def test_reference_scanner(code: str, refs: list[list[str]]) -> None:
    # Function names, object keys and quoted text are not references.
    assert list(hcl_lint.traversals(hcl_lint.code_of(code))) == refs


def test_version_constraints() -> None:
    assert hcl_lint.version_allows("~> 6.21", "6.69.1")
    assert not hcl_lint.version_allows("~> 6.21.0", "6.69.1")
    assert not hcl_lint.version_allows(">= 6.21, < 6.50", "6.69.1")
    assert hcl_lint.version_allows(">= 1.0, < 2.0", "1.106.0")


# --- type constraints -----------------------------------------------------------------------------------


def _root_specs(root: Path) -> dict[str, tf_types.VariableSpec]:
    return hcl_lint.variable_specs(hcl_lint.load_module(root / "terraform", root))


def test_type_checker_accepts_the_good_fixture() -> None:
    values = json.loads((GOOD / "envs" / "test" / "rendered.tfvars.json").read_text(encoding="utf-8"))
    assert tf_types.check_tfvars(values, _root_specs(GOOD)) == []
    assert tf_types.loose_types(_root_specs(GOOD)) == []


def test_type_checker_reports_every_mismatch() -> None:
    values = json.loads((HCL_FIXTURES / "tfvars" / "bad.tfvars.json").read_text(encoding="utf-8"))
    expected = (HCL_FIXTURES / "tfvars" / "bad.expected.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(tf_types.check_tfvars(values, _root_specs(GOOD))) == sorted(expected)


@pytest.mark.parametrize(
    ("expr", "value", "errors"),
    [
        ("${set(string)}", ["a", 1], ["v[1]: expected string, got number 1"]),
        ("${tuple([string, number])}", ["a"], ["v: expected 2 elements, got 1"]),
        ("${object({a = optional(number, 3), b = map(bool)})}", {"b": {"x": True}}, []),
        ("${map(any)}", {"x": [1, {"y": None}]}, []),
    ],
)
def test_type_checker_cases(expr: str, value: Any, errors: list[str]) -> None:
    assert tf_types.check_value(value, tf_types.parse_type(expr), "v") == errors


def test_any_is_reported() -> None:
    specs = {
        "x": tf_types.VariableSpec("x", "${object({a = map(any)})}", False),
        "y": tf_types.VariableSpec("y", None, False),
    }
    assert tf_types.loose_types(specs) == ["x.a[*]: uses `any`", "y: no type (Terraform treats it as any)"]


# --- the real tree ---------------------------------------------------------------------------------------


def test_real_tree_layout() -> None:
    require_real_tree()


def test_real_tree_has_no_lint_findings() -> None:
    require_real_tree()
    findings = [str(f) for f in hcl_lint.lint_tree(REPO)]
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)


def test_real_tree_checkov_skips_carry_reasons() -> None:
    require_real_tree()
    assert [str(f) for f in hcl_lint.checkov_skips_without_reason(REPO)] == []


def test_root_variables_are_strictly_typed() -> None:
    require_real_tree()
    assert tf_types.loose_types(_root_specs(REPO)) == []


@pytest.mark.parametrize("tfvars", ENV_FILES or [None], ids=ENV_IDS or ["none"])
def test_rendered_tfvars_satisfy_root_variable_types(tfvars: Path | None) -> None:
    assert tfvars is not None, "no envs/*/rendered.tfvars.json: run `make render ENV=<env>` and commit it"
    require_real_tree()
    values = json.loads(tfvars.read_text(encoding="utf-8"))
    errors = tf_types.check_tfvars(values, _root_specs(REPO))
    assert not errors, f"{tfvars.relative_to(REPO)}:\n  " + "\n  ".join(errors)


# --- terraform fmt --------------------------------------------------------------------------------------


def _fmt_check(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    return subprocess.run(
        [engine.resolve().path, "fmt", "-check", "-recursive", "-diff", "-no-color", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_fmt_check_catches_unformatted_hcl(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "b" {\nbucket="x"\n  tags = {}\n}\n', encoding="utf-8"
    )
    result = _fmt_check(tmp_path)
    assert result.returncode != 0 and "main.tf" in result.stdout


@pytest.mark.parametrize("folder", ["terraform", "modules"])
def test_real_tree_is_terraform_fmt_clean(folder: str) -> None:
    require_real_tree()
    result = _fmt_check(REPO / folder)
    assert result.returncode == 0, f"run `make fmt`:\n{result.stdout}{result.stderr}"
