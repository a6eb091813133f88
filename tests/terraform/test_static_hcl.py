"""Static verification of all HCL with no cloud and no registry.

Each check is first proven on synthetic fixtures (tests/fixtures/hcl/good and bad/<case>, each bad
case with the exact findings it must produce), then run over the real terraform/ and modules/.
Regenerate the bad-case snapshots after an intended message change with SAGESPEC_UPDATE_SNAPSHOTS=1.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sagespec.terraform import engine
from tests.helpers import hcl_lint, tf_types

REPO = hcl_lint.REPO
HCL_FIXTURES = REPO / "tests" / "fixtures" / "hcl"
GOOD = HCL_FIXTURES / "good"
BAD_CASES = sorted(p.name for p in (HCL_FIXTURES / "bad").iterdir() if p.is_dir())
ENV_FILES = sorted(REPO.glob("envs/*/rendered.tfvars.json")) + sorted(
    REPO.glob("tests/fixtures/rendered/*.tfvars.json")
)
ENV_IDS = [p.relative_to(REPO).as_posix() for p in ENV_FILES]
UPDATE = os.environ.get("SAGESPEC_UPDATE_SNAPSHOTS") == "1"


def _tool(name: str) -> ModuleType:
    """tools/ is not a package: load a tool script as a module."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", REPO / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _require_real_tree() -> None:
    """The real-tree checks must fail, not pass vacuously, while the HCL is missing."""
    missing = [] if any((REPO / "terraform").glob("*.tf")) else ["terraform/*.tf"]
    for name in hcl_lint.EXPECTED_MODULES:
        missing += [
            f"modules/{name}/{f}"
            for f in hcl_lint.MODULE_FILES
            if not (REPO / "modules" / name / f).is_file()
        ]
    assert not missing, "the Terraform tree is incomplete; missing:\n  " + "\n  ".join(missing)


# --- the provider schema fixture ----------------------------------------------------------------------


def test_schemas_come_from_supported_provider_versions() -> None:
    sources = hcl_lint.load_schemas()["sources"]
    aws, awscc = sources["aws"], sources["awscc"]
    assert (aws["provider_source"], awscc["provider_source"]) == ("hashicorp/aws", "hashicorp/awscc")
    assert hcl_lint.version_allows(">= 6.21, < 7.0", aws["provider_version"]), aws
    assert hcl_lint.version_allows(">= 1.0, < 2.0", awscc["provider_version"]), awscc


def test_schemas_hold_every_listed_type() -> None:
    extractor = _tool("extract_provider_schemas")
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
    _require_real_tree()


def test_real_tree_has_no_lint_findings() -> None:
    _require_real_tree()
    findings = [str(f) for f in hcl_lint.lint_tree(REPO)]
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)


def test_real_tree_checkov_skips_carry_reasons() -> None:
    _require_real_tree()
    assert [str(f) for f in hcl_lint.checkov_skips_without_reason(REPO)] == []


def test_root_variables_are_strictly_typed() -> None:
    _require_real_tree()
    assert tf_types.loose_types(_root_specs(REPO)) == []


@pytest.mark.parametrize("tfvars", ENV_FILES or [None], ids=ENV_IDS or ["none"])
def test_rendered_tfvars_satisfy_root_variable_types(tfvars: Path | None) -> None:
    assert tfvars is not None, "no envs/*/rendered.tfvars.json: run `make render ENV=<env>` and commit it"
    _require_real_tree()
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
    _require_real_tree()
    result = _fmt_check(REPO / folder)
    assert result.returncode == 0, f"run `make fmt`:\n{result.stdout}{result.stderr}"


# --- checkov --------------------------------------------------------------------------------------------

CHECKOV_BAD = HCL_FIXTURES / "checkov_bad"


@pytest.fixture(scope="module")
def checkov_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One checkov process for everything: the bad fixture and each env over terraform/ (see the driver)."""
    out = tmp_path_factory.mktemp("checkov")
    jobs: dict[str, dict[str, str | None]] = {"fixture": {"dir": str(CHECKOV_BAD), "var_file": None}}
    if (REPO / "terraform").is_dir() and any((REPO / "terraform").glob("*.tf")):
        for tfvars in ENV_FILES:
            jobs[tfvars.relative_to(REPO).as_posix()] = {
                "dir": str(REPO / "terraform"),
                "var_file": str(tfvars),
            }
    for number, job in enumerate(jobs.values()):
        job["out"] = str(out / str(number))
    # checkov needs bc-python-hcl2, which ships the same `hcl2` package as python-hcl2 8 (used by the lint):
    # the setup installs it apart, in .venv/checkov-hcl2, and only checkov's process sees it.
    shim = Path(sys.prefix) / "checkov-hcl2"
    env = {**os.environ, "LOG_LEVEL": "WARNING", "CHECKPOINT_DISABLE": "1"}
    if shim.is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(shim), env.get("PYTHONPATH")]))
    driver = Path(__file__).with_name("checkov_driver.py")
    result = subprocess.run(
        [sys.executable, str(driver), json.dumps(list(jobs.values()))],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if "cannot import name 'START_LINE'" in result.stderr:
        pytest.fail(
            "checkov cannot import its bc-python-hcl2 (python-hcl2 8 overwrote the shared `hcl2` package): "
            f"install it apart with `uv pip install --target {shim} --no-deps bc-python-hcl2==0.4.3`"
        )
    assert result.returncode == 0, f"checkov crashed:\n{result.stderr[-4000:]}"
    return {name: _read_report(out / str(number) / "results_json.json") for number, name in enumerate(jobs)}


def _read_report(path: Path) -> dict[str, Any]:
    assert path.is_file(), f"checkov wrote no report at {path}"
    data = json.loads(path.read_text(encoding="utf-8"))
    reports = data if isinstance(data, list) else [data]
    report = next((r for r in reports if r.get("check_type") == "terraform"), reports[0])
    assert isinstance(report, dict)
    return report


def _failures(report: dict[str, Any]) -> list[str]:
    return [
        f"{c['check_id']} {c['resource']} ({c['file_abs_path']}:{c['file_line_range'][0]}): {c['check_name']}"
        for c in report.get("results", {}).get("failed_checks", [])
    ]


def test_checkov_reports_failures_of_the_bad_fixture(checkov_reports: dict[str, Any]) -> None:
    failed = {line.split()[0] for line in _failures(checkov_reports["fixture"])}
    assert {"CKV2_AWS_6", "CKV_AWS_21", "CKV_AWS_98"} <= failed


@pytest.mark.parametrize("tfvars", ENV_FILES or [None], ids=ENV_IDS or ["none"])
def test_checkov_passes_for_each_env(tfvars: Path | None, checkov_reports: dict[str, Any]) -> None:
    assert tfvars is not None, "no envs/*/rendered.tfvars.json to scan: run `make render ENV=<env>`"
    _require_real_tree()
    report = checkov_reports[tfvars.relative_to(REPO).as_posix()]
    summary = report.get("summary", {})
    assert summary.get("parsing_errors", 0) == 0, f"checkov could not parse the HCL: {summary}"
    assert summary.get("resource_count", 0) > 0, f"checkov saw no resources with {tfvars.name}: {summary}"
    failures = _failures(report)
    assert not failures, (
        f"{len(failures)} failed checks (fix, or skip with `#checkov:skip=ID:reason`):\n"
        + "\n".join(failures)
    )


# --- module READMEs --------------------------------------------------------------------------------------


def test_module_docs_generator_rewrites_stale_tables(tmp_path: Path) -> None:
    docs = _tool("module_docs")
    shutil.copytree(GOOD / "modules", tmp_path / "modules")
    readme = tmp_path / "modules" / "endpoint" / "README.md"
    assert docs.main(["--check", "--root", str(tmp_path)]) == 0
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("| endpoint_name |", "| endpoint_nam |"), encoding="utf-8"
    )
    assert docs.main(["--check", "--root", str(tmp_path)]) == 1
    assert docs.main(["--root", str(tmp_path)]) == 0
    assert docs.main(["--check", "--root", str(tmp_path)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert "| execution_role_arn | Role SageMaker assumes. | `string` | n/a | yes |" in text
    assert text.endswith("Footer kept.\n")


def test_real_module_readmes_match_their_variables_and_outputs() -> None:
    _require_real_tree()
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "module_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"
    for name in hcl_lint.EXPECTED_MODULES:
        text = (REPO / "modules" / name / "README.md").read_text(encoding="utf-8")
        assert "<!-- BEGIN_TF_DOCS -->" in text and "<!-- END_TF_DOCS -->" in text, name
