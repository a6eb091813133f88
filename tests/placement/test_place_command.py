"""`sagespec place` on the fixture repository."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.repo import fixture_repo, run_cli

EXTRA = """apiVersion: sagespec/v1
kind: Model
metadata: {{name: {name}, owner: nlp}}
spec:
  container: {{framework: tgi, version: "3.0.1"}}
  weights:
    huggingface: {{model_id: org/{name}}}
  deployment:
    type: inference-component
    endpoint: pool
    copies: 1
    resources: {{accelerators: 1, cpus: 4, memory_mb: 16384}}
    autoscaling: {{min_copies: 1, max_copies: 3, target_invocations_per_copy: 5}}
"""


def _place(root: Path, *args: str) -> tuple[int, dict[str, object]]:
    code, out, err = run_cli("--root", str(root), "place", "--env", "prod", "--format", "json", *args)
    assert "Traceback" not in err, err
    return code, json.loads(out)


def test_one_component_moves_to_the_cheapest_pool(tmp_path: Path) -> None:
    # chat: 2 copies of 1 GPU / 4 vCPU / 16 GiB on a g5.12xlarge ($7.09); two g5.xlarge (4 vCPU,
    # 16 GiB each: exactly one copy) cost 2 x $1.4084
    root = fixture_repo(tmp_path / "repo")
    code, doc = _place(root)
    assert code == 0
    assert doc["pools"] == [
        {
            "name": "pool-g5-xlarge",
            "instance_type": "ml.g5.xlarge",
            "instance_count": 2,
            "usd_per_hour": 2.8168,
        }
    ]
    assert doc["assignment"] == {"chat": "pool-g5-xlarge"}
    assert doc["usd_per_hour"] == 2.8168 and doc["current_usd_per_hour"] == 7.09
    changes = {(c["file"], c["field"]): (c["before"], c["after"]) for c in doc["changes"]}  # type: ignore[union-attr]
    assert changes[("specs/models/chat.yaml", "deployment.endpoint")] == ("pool", "pool-g5-xlarge")
    assert changes[("specs/endpoints/pool.yaml", "enabled (no components left)")] == (True, False)


def test_many_components_share_the_existing_pool(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    for name in ("a", "b"):
        (root / "specs" / "models" / f"{name}.yaml").write_text(EXTRA.format(name=name))
    _, doc = _place(root)  # 2 + 1 + 1 copies: four g5.xlarge ($5.63) beat one g5.12xlarge ($7.09)
    assert doc["usd_per_hour"] == 5.6336
    assert doc["assignment"] == {"a": "pool-g5-xlarge", "b": "pool-g5-xlarge", "chat": "pool-g5-xlarge"}
    _, most = _place(root, "--max-copies")  # 2 + 3 + 3 = 8 copies at their autoscaling maximum
    assert most["usd_per_hour"] == 11.2672 and most["pools"][0]["instance_count"] == 8  # type: ignore[index]


def test_text_output_lists_spec_changes(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    code, out, err = run_cli("--root", str(root), "place", "--env", "prod")
    assert code == 0, err
    assert "pool pool-g5-xlarge: 2 x ml.g5.xlarge  <- chat" in out
    assert "specs/models/chat.yaml: deployment.endpoint: pool -> pool-g5-xlarge" in out


def test_spec_errors_stop_placement(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(chat.read_text().replace("copies: 2", "copies: two"))
    code, _out, err = run_cli("--root", str(root), "place", "--env", "prod")
    assert code == 1 and "fix the spec errors first" in err


def test_a_component_at_zero_copies_still_gets_a_pool(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(chat.read_text().replace("copies: 2", "copies: 0"))
    code, doc = _place(root)
    assert code == 0
    assert doc["assignment"] == {"chat": "pool-g5-xlarge"}
    assert doc["pools"][0]["instance_count"] == 1  # type: ignore[index]


def test_an_existing_pool_of_the_chosen_type_keeps_its_name(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    pool = root / "specs" / "endpoints" / "pool.yaml"
    pool.write_text(pool.read_text().replace("ml.g5.12xlarge", "ml.g5.xlarge"))
    code, doc = _place(root)
    assert code == 0
    assert doc["assignment"] == {"chat": "pool"}
    assert doc["changes"] == [
        {"file": "specs/endpoints/pool.yaml", "field": "instance_count", "before": 1, "after": 2}
    ]
