"""Rendering: golden files, determinism, --check, atomic writes, no secrets."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from sagespec import pipeline
from sagespec.layout import rendered_path
from sagespec.render.renderer import to_text
from sagespec.spec.project import load_project
from tests.helpers.repo import FIXTURES, fixture_repo, run_cli

GOLDEN = FIXTURES / "golden"
REPO = Path(__file__).resolve().parents[2]


def _render(root: Path, env: str) -> str:
    outcome = pipeline.check(load_project(root), [env])
    assert env in outcome.rendered, [f.format() for f in outcome.findings]
    return to_text(outcome.rendered[env])


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_fixture_repo_matches_golden(tmp_path: Path, env: str) -> None:
    root = fixture_repo(tmp_path / "repo")
    text = _render(root, env)
    golden = GOLDEN / f"{env}.tfvars.json"
    if os.environ.get("SAGESPEC_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text(), "render changed: review the diff, then SAGESPEC_UPDATE_GOLDEN=1 pytest"


def test_render_is_deterministic_across_key_order_and_file_order(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    first = _render(root, "prod")
    chat = root / "specs" / "models" / "chat.yaml"
    lines = chat.read_text().splitlines()
    # metadata before kind: same document, different text
    chat.write_text("\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + "\n")
    (root / "specs" / "models" / "embed.yaml").rename(root / "specs" / "aaa-embed-moved.yaml")
    (root / "specs" / "aaa-embed-moved.yaml").rename(root / "specs" / "embed.yaml")
    assert _render(root, "prod") == first


def test_render_output_shape(tmp_path: Path) -> None:
    rendered = json.loads(_render(fixture_repo(tmp_path / "repo"), "dev"))
    assert rendered["default_tags"]["managed-by"] == "sagespec"
    assert rendered["default_tags"]["sagespec-env"] == "dev"
    component = rendered["inference_components"]["chat"]
    assert component["name"] == "chat-dev" and component["copies"] == 1  # dev overlay
    assert rendered["endpoints"]["pool"]["name"] == "pool-dev"
    assert rendered["endpoints"]["embed"]["serverless"]["memory_mb"] == 2048
    model = rendered["models"]["chat"]
    assert model["name"].startswith("chat-dev-") and len(model["name"]) == len("chat-dev-") + 8
    assert model["image"].startswith("763104351884.dkr.ecr.us-east-1.amazonaws.com/")
    assert model["environment"]["SM_NUM_GPUS"] == "1"
    for entry in [*rendered["models"].values(), *rendered["endpoints"].values()]:
        assert (
            entry["tags"]["sagespec-spec"] in rendered["models"] or entry["tags"]["sagespec-spec"] == "pool"
        )


def test_changing_the_image_renames_model_and_config_but_not_the_endpoint(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    before = json.loads(_render(root, "prod"))
    embed = root / "specs" / "models" / "embed.yaml"
    embed.write_text(embed.read_text().replace('version: "1.8.2"', 'version: "1.7.0"'))
    after = json.loads(_render(root, "prod"))
    assert after["models"]["embed"]["name"] != before["models"]["embed"]["name"]
    assert after["endpoints"]["embed"]["config_name"] != before["endpoints"]["embed"]["config_name"]
    assert after["endpoints"]["embed"]["name"] == before["endpoints"]["embed"]["name"]
    assert after["models"]["chat"] == before["models"]["chat"]


def test_render_writes_then_check_passes_then_detects_staleness(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    assert run_cli("--root", str(root), "render", "--env", "dev")[0] == 0
    path = rendered_path(root, "dev")
    assert path.read_text().endswith("}\n")
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert run_cli("--root", str(root), "render", "--env", "dev", "--check")[0] == 0
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(chat.read_text().replace("copies: 1", "copies: 2"))
    code, out, _ = run_cli("--root", str(root), "render", "--env", "dev", "--check")
    assert code == 1 and "stale" in out
    assert '"copies": 1' in path.read_text()  # --check never writes


def test_render_refuses_invalid_specs_and_writes_nothing(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", FIXTURES / "rules" / "structure" / "bad" / "typo.yaml")
    code, out, _ = run_cli("--root", str(root), "render", "--env", "dev")
    assert code == 1 and "E201" in out
    assert not rendered_path(root, "dev").exists()


def test_unknown_env_is_a_usage_error(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    code, _, err = run_cli("--root", str(root), "render", "--env", "qa")
    assert code == 2 and "unknown environment 'qa'" in err and "dev, prod" in err


def test_no_secret_values_in_rendered_files() -> None:
    for path in (REPO / "envs").glob("*/rendered.tfvars.json"):
        rendered = json.loads(path.read_text())
        for model in rendered["models"].values():
            for value in model["secret_environment"].values():
                assert value.startswith("arn:aws:secretsmanager:")
        assert "hf_" not in path.read_text().replace("hf-token", "")


def test_shuffled_spec_discovery_does_not_change_output(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    expected = _render(root, "dev")
    names = [p for p in (root / "specs").rglob("*.yaml")]
    random.Random(7).shuffle(names)
    for index, path in enumerate(names):  # new mtimes and inode order
        path.write_text(path.read_text())
        os.utime(path, (index, index))
    assert _render(root, "dev") == expected


def test_async_endpoints_may_write_only_their_output_and_failure_prefixes() -> None:
    """The whole async/<endpoint>/ prefix was writable: the role could overwrite callers' requests."""
    from sagespec.spec.project import load_project as load
    from tests.conftest import REPO

    outcome = pipeline.check(load(REPO), ["dev"])
    role = outcome.rendered["dev"]["execution_role"]
    async_writes = [a for a in role["s3_write_prefix_arns"] if "/async/" in a]
    assert async_writes and all(a.endswith(("/output/*", "/failure/*")) for a in async_writes)
    assert any(a.endswith("/input/*") for a in role["s3_read_object_arns"])
