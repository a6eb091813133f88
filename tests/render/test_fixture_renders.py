"""Every committed render in the project is the renderer's own output, found by glob, not by a list.

A spec repository with committed renders is a folder with envs/<env>/rendered.tfvars.json and
spec documents in specs/ beside envs/: this repository's root and the fixture repositories under
tests/fixtures. Each must pass `sagespec render --all --check`; regenerate a stale one with
`sagespec --root <folder> render --all` (docs/development.md, "Regenerating data").

Folders with a rendered.tfvars.json that are not spec repositories are hand-made Terraform input,
excluded by a reason this file tests (see EXCLUDED):
- tests/fixtures/hcl/good: HCL lint input (a root module, two modules and the values they are
  linted with); it has no specs/ at all, so nothing could render it.
- tests/fixtures/tf-runner-root: the Terraform runner's mini root; its specs/ is empty (only there
  so `--root` accepts the folder) and its env.yaml is deliberately not a valid Environment: the
  runner tests replace the renderer, and its render is the mini root's own small variable set.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers.repo import FIXTURES, REPO, run_cli

RENDERED = "envs/*/rendered.tfvars.json"


def _spec_documents(root: Path) -> list[Path]:
    specs = root / "specs"
    return sorted(p for p in specs.rglob("*.y*ml") if p.suffix in {".yaml", ".yml"}) if specs.is_dir() else []


def _why_not_a_spec_repository(root: Path) -> str | None:
    if not (root / "specs").is_dir():
        return "no specs/ beside envs/"
    if not _spec_documents(root):
        return "specs/ holds no spec document"
    return None


def _with_renders() -> list[Path]:
    """The repository root and every folder under tests/fixtures with a committed render."""
    found = {path.parents[2] for path in REPO.glob(RENDERED)}
    found |= {path.parents[2] for path in FIXTURES.rglob("rendered.tfvars.json") if path.match(RENDERED)}
    return sorted(found)


CANDIDATES = _with_renders()
SPEC_REPOS = [root for root in CANDIDATES if _why_not_a_spec_repository(root) is None]
EXCLUDED = {
    root.relative_to(REPO).as_posix(): _why_not_a_spec_repository(root)
    for root in CANDIDATES
    if root not in SPEC_REPOS
}


def _id(root: Path) -> str:
    return root.relative_to(REPO).as_posix() or "."


def test_discovery_finds_the_known_repositories_and_excludes_only_hand_made_terraform_input() -> None:
    assert {REPO, FIXTURES / "ops" / "repo"} <= set(SPEC_REPOS)
    assert sorted(p.parent.name for p in (REPO / "envs").glob("*/env.yaml")) == ["dev", "prod", "staging"]
    assert EXCLUDED == {
        "tests/fixtures/hcl/good": "no specs/ beside envs/",
        "tests/fixtures/tf-runner-root": "specs/ holds no spec document",
    }


@pytest.mark.parametrize("root", SPEC_REPOS, ids=_id)
def test_committed_renders_are_the_renderers_output(root: Path) -> None:
    code, out, err = run_cli("--root", str(root), "render", "--all", "--check")
    assert code == 0, out + err
    envs = sorted(p.parent.name for p in root.glob("envs/*/env.yaml"))
    assert envs and all(f"envs/{env}/rendered.tfvars.json: up to date" in out for env in envs), out


def _ops_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "ops" / "repo", tmp_path / "repo"))


def test_a_changed_rendered_value_is_stale_and_named(tmp_path: Path) -> None:
    root = _ops_copy(tmp_path)
    path = root / "envs/dev/rendered.tfvars.json"
    rendered = json.loads(path.read_text())
    assert rendered["endpoints"]["flan-t5"]["instance_type"] == "ml.m5.xlarge"
    rendered["endpoints"]["flan-t5"]["instance_type"] = "ml.m5.2xlarge"
    path.write_text(json.dumps(rendered, indent=2, sort_keys=True) + "\n")
    before = path.read_text()
    code, out, _ = run_cli("--root", str(root), "render", "--all", "--check")
    assert code == 1
    # the fix names this repository: `make render` would render the project's own envs/
    assert f"envs/dev/rendered.tfvars.json: stale; run `sagespec --root {root} render --env dev`" in out
    assert "envs/prod/rendered.tfvars.json: up to date" in out
    # and the diff: committed (the changed value) against the fresh render
    assert '-      "instance_type": "ml.m5.2xlarge",\n+      "instance_type": "ml.m5.xlarge",' in out
    assert path.read_text() == before  # --check writes nothing


def test_a_changed_spec_value_makes_every_env_it_renders_into_stale(tmp_path: Path) -> None:
    root = _ops_copy(tmp_path)
    spec = root / "specs/models/flan-t5.yaml"
    text = spec.read_text()
    assert "instance_type: ml.m5.xlarge" in text
    spec.write_text(text.replace("instance_type: ml.m5.xlarge", "instance_type: ml.m5.large"))
    code, out, _ = run_cli("--root", str(root), "render", "--all", "--check")
    assert code == 1
    assert "envs/dev/rendered.tfvars.json: stale" in out and "envs/prod/rendered.tfvars.json: stale" in out
