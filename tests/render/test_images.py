"""Which catalog image a model renders to when the instance catalog does not know its type."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sagespec.catalog import reader as catalogs
from tests.helpers.repo import FIXTURES, fixture_repo, run_cli

CONTAINER_CASES = FIXTURES / "rules" / "containers" / "bad"


def _repo_with(case: str, root: Path) -> Path:
    fixture_repo(root)
    shutil.copytree(CONTAINER_CASES / case, root, dirs_exist_ok=True)
    return root


def test_a_type_the_catalog_lacks_renders_the_versions_only_image_kind(tmp_path: Path) -> None:
    """tgi 3.0.1 has gpu images only: on ml.p3.16xlarge (W401) there is nothing to guess."""
    root = _repo_with("uncatalogued-gpu-only", tmp_path / "repo")
    code, _, err = run_cli("--root", str(root), "render", "--env", "dev")
    assert code == 0, err
    rendered = json.loads((root / "envs" / "dev" / "rendered.tfvars.json").read_text())
    image = catalogs.image("tgi", "3.0.1", "us-east-1", "gpu")
    assert image is not None
    assert rendered["models"]["on-p3"]["image"] == image.uri


def test_a_choice_between_image_kinds_is_a_finding_not_a_guess(tmp_path: Path) -> None:
    """tei 1.8.2 has cpu and gpu images: validation says E415; render writes nothing."""
    root = _repo_with("ambiguous-image", tmp_path / "repo")
    code, out, err = run_cli("--root", str(root), "render", "--env", "dev")
    assert code == 1 and "Traceback" not in err
    assert "error[E415]" in out + err
    assert not (root / "envs" / "dev" / "rendered.tfvars.json").exists()


def test_the_catalog_picks_by_instance_first() -> None:
    assert catalogs.image_processor("tei", "1.8.2", "ml.g5.xlarge") == "gpu"
    assert catalogs.image_processor("tei", "1.8.2", "ml.m5.xlarge") == "cpu"
    assert catalogs.image_processor("tei", "1.8.2", "ml.p3.16xlarge") is None
    assert catalogs.image_processor("tgi", "3.0.1", "ml.p3.16xlarge") == "gpu"
