"""LoRA adapters: validation, render, and the review's view of an adapter change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sagespec import pipeline
from sagespec.review.plan_changes import ExplainedChange, from_plan
from sagespec.spec.project import load_project
from sagespec.terraform.offline import OfflinePlanner
from tests.helpers.repo import findings_json, fixture_repo

BASE = """apiVersion: sagespec/v1
kind: Model
metadata: {name: llama-base, owner: nlp}
spec:
  container: {framework: lmi, version: "0.30.0"}
  weights:
    huggingface: {model_id: meta-llama/Llama-3.1-8B-Instruct}
  environment: {OPTION_ROLLING_BATCH: vllm, OPTION_ENABLE_LORA: true, OPTION_MAX_LORAS: 4}
  deployment:
    type: inference-component
    endpoint: pool
    copies: 1
    resources: {accelerators: 1, cpus: 4, memory_mb: 16384}
"""

ADAPTER = """apiVersion: sagespec/v1
kind: Model
metadata: {name: sql-lora, owner: analytics}
spec:
  weights: {local: {path: models/sql-lora/adapter}}
  deployment: {type: adapter, base: llama-base}
  smoke_test:
    payload: {inputs: "SELECT"}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = fixture_repo(tmp_path / "repo")
    (root / "specs" / "models" / "llama-base.yaml").write_text(BASE)
    (root / "specs" / "models" / "sql-lora.yaml").write_text(ADAPTER)
    adapter = root / "models" / "sql-lora" / "adapter"
    adapter.mkdir(parents=True)
    (adapter / "adapter_config.json").write_text('{"r": 16, "peft_type": "LORA"}\n')
    (adapter / "adapter_model.safetensors").write_bytes(b"\x00" * 64)
    return root


def _render(root: Path, env: str = "prod") -> dict[str, object]:
    outcome = pipeline.check(load_project(root), [env])
    assert env in outcome.rendered, [f.format() for f in outcome.findings if f.severity == "error"]
    return outcome.rendered[env]


def _errors(root: Path) -> set[tuple[str, str]]:
    _, findings = findings_json(root)
    return {(f["code"], f["path"]) for f in findings if f["severity"] == "error"}


def test_adapter_renders_on_its_base_with_a_content_addressed_artifact(repo: Path) -> None:
    rendered = _render(repo)
    adapter = rendered["inference_component_adapters"]["sql-lora"]  # type: ignore[index]
    assert adapter["name"] == "sql-lora-prod"
    assert (adapter["base_key"], adapter["endpoint_key"]) == ("llama-base", "pool")
    url = adapter["artifact_url"]
    assert url.startswith("s3://fixture-prod-artifacts/models/sql-lora/") and url.endswith("/model.tar.gz")
    assert len(url.split("/")[-2]) == 64  # the sha256 of the tarball
    # an adapter is no model, endpoint or ordinary component of its own
    for group in ("models", "endpoints", "inference_components"):
        assert "sql-lora" not in rendered[group]  # type: ignore[operator]
    role = rendered["execution_role"]["s3_read_object_arns"]  # type: ignore[index]
    assert f"arn:aws:s3:::{url.removeprefix('s3://')}" in role


HCL = Path(__file__).resolve().parents[2]  # the repository's terraform/ and modules/


def _planned(before: dict[str, object], after: dict[str, object]) -> list[ExplainedChange]:
    """Terraform's plan of `after` against `before` applied, with the offline stand-ins."""
    with OfflinePlanner() as planner:
        return from_plan(planner.plan_env("prod", HCL, HCL, before, after).plan)


def test_a_new_adapter_version_changes_only_the_adapter(repo: Path) -> None:
    before = _render(repo)
    (repo / "models" / "sql-lora" / "adapter" / "adapter_model.safetensors").write_bytes(b"\x01" * 64)
    after = _render(repo)
    assert before["models"] == after["models"]
    assert before["inference_components"] == after["inference_components"]
    assert before["endpoints"] == after["endpoints"]
    old, new = (r["inference_component_adapters"]["sql-lora"]["artifact_url"] for r in (before, after))  # type: ignore[index]
    assert old != new
    changes = [c for c in _planned(before, after) if c.type != "aws_iam_role_policy"]
    assert [(c.address, c.actions) for c in changes] == [
        (
            'module.inference_component_adapter["sql-lora"].awscc_sagemaker_inference_component.this',
            ("update",),
        )
    ]
    assert "only this adapter reloads; its base keeps its copies" in changes[0].impact
    assert not changes[0].disruptive


def _adapter_object(change: ExplainedChange) -> bool:
    return change.module == "inference_component_adapter" and not change.bookkeeping


def test_review_shows_adapter_create_and_destroy(repo: Path) -> None:
    with_adapter = _render(repo)
    (repo / "specs" / "models" / "sql-lora.yaml").unlink()
    without = _render(repo)
    created = [c for c in _planned(without, with_adapter) if _adapter_object(c)]
    assert [(c.actions, c.disruptive) for c in created] == [(("create",), False)]
    assert "the base is not redeployed" in created[0].impact
    removed = [c for c in _planned(with_adapter, without) if _adapter_object(c)]
    assert [(c.actions, c.disruptive) for c in removed] == [(("delete",), True)]


def test_moving_an_adapter_to_another_base_replaces_only_the_adapter(repo: Path) -> None:
    (repo / "specs" / "models" / "llama-other.yaml").write_text(
        BASE.replace("name: llama-base", "name: llama-other")
    )
    before = _render(repo)
    path = repo / "specs" / "models" / "sql-lora.yaml"
    path.write_text(path.read_text().replace("base: llama-base", "base: llama-other"))
    after = _render(repo)
    assert after["inference_component_adapters"]["sql-lora"]["base_key"] == "llama-other"  # type: ignore[index]
    changes = _planned(before, after)
    moved = [c for c in changes if c.module == "inference_component_adapter" and not c.bookkeeping]
    # UpdateInferenceComponent cannot move an adapter: delete, then create under the same name (loud)
    assert [(c.action, c.disruptive) for c in moved] == [("replace", True)]
    assert moved[0].actions == ("delete", "create")
    others = [c for c in changes if c.module == "inference_component" and not c.bookkeeping]
    assert others == []  # neither base is redeployed


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: s.replace("base: llama-base", "base: nope"), ("E430", "spec.deployment.base")),
        (lambda s: s.replace("base: llama-base", "base: chat"), ("E432", "spec.deployment.base")),  # TGI
        (
            lambda s: s.replace("base: llama-base", "base: embed"),
            ("E431", "spec.deployment.base"),
        ),  # serverless
        (
            lambda s: s.replace(
                "  weights: {local: {path: models/sql-lora/adapter}}",
                "  weights: {s3: {uri: s3://b-1/a/x.tar.gz}}",
            ),
            ("E433", "spec.weights.s3.uri"),
        ),
        (
            lambda s: s.replace(
                "  weights: {local: {path: models/sql-lora/adapter}}",
                "  weights: {huggingface: {model_id: org/lora}}",
            ),
            ("E433", "spec.weights.huggingface"),
        ),
        (
            lambda s: s.replace("adapter}}", "adapter, compressed: false}}"),
            ("E433", "spec.weights.local.compressed"),
        ),
        (
            lambda s: s.replace("spec:\n", 'spec:\n  container: {framework: lmi, version: "0.30.0"}\n'),
            ("E206", "spec.container"),
        ),
    ],
)
def test_adapter_errors(repo: Path, edit: object, expected: tuple[str, str]) -> None:
    path = repo / "specs" / "models" / "sql-lora.yaml"
    path.write_text(edit(path.read_text()))  # type: ignore[operator]
    assert expected in _errors(repo)


def test_an_unknown_base_is_not_quoted_and_a_close_name_is_suggested(repo: Path) -> None:
    """E430 once echoed the unknown name; a word no token pattern knows shows that only the
    message keeps it out (issue 9: findings never quote a spec value)."""
    path = repo / "specs" / "models" / "sql-lora.yaml"
    for word, hint in (("llama-bse", "did you mean 'llama-base'?"), ("zq9kx7wv3mpl8rt2", "metadata.name")):
        path.write_text(ADAPTER.replace("base: llama-base", f"base: {word}"))
        _, findings = findings_json(repo)
        [found] = [f for f in findings if f["code"] == "E430"]
        assert word not in json.dumps(findings)
        assert hint in found["hint"]


def test_base_without_lora_enabled(repo: Path) -> None:
    path = repo / "specs" / "models" / "llama-base.yaml"
    path.write_text(path.read_text().replace("OPTION_ENABLE_LORA: true", "OPTION_ENABLE_LORA: false"))
    _, findings = findings_json(repo)
    found = [f for f in findings if f["code"] == "E432"]
    assert found and "OPTION_ENABLE_LORA is not true" in found[0]["message"]


def test_base_disabled_in_one_env(repo: Path) -> None:
    path = repo / "specs" / "models" / "llama-base.yaml"
    path.write_text(path.read_text() + "environments:\n  dev: {enabled: false}\n")
    _, findings = findings_json(repo)
    found = [f for f in findings if f["code"] == "E431"]
    assert found and found[0]["envs"] == ["dev"] and "not enabled in this environment" in found[0]["message"]


def test_s3_adapter_with_a_digest_in_its_key_is_content_addressed(repo: Path) -> None:
    path = repo / "specs" / "models" / "sql-lora.yaml"
    uri = "s3://fixture-prod-artifacts/sql-lora/" + "ab" * 32 + "/adapter.tar.gz"
    path.write_text(
        path.read_text().replace("{local: {path: models/sql-lora/adapter}}", f"{{s3: {{uri: {uri}}}}}")
    )
    rendered = _render(repo)
    assert rendered["inference_component_adapters"]["sql-lora"]["artifact_url"] == uri  # type: ignore[index]


@pytest.mark.parametrize(
    ("bucket_and_key", "code"),
    [
        ("fixture-prod-artifacts/sql-*/", "E705"),  # a wildcard would widen the role's S3 grant
        ("acme-adapters/sql-lora/", "E706"),  # another bucket than the environment's
    ],
)
def test_s3_adapter_uri_is_held_to_the_model_uri_rules(repo: Path, bucket_and_key: str, code: str) -> None:
    path = repo / "specs" / "models" / "sql-lora.yaml"
    uri = f"s3://{bucket_and_key}{'ab' * 32}/adapter.tar.gz"
    path.write_text(
        path.read_text().replace("{local: {path: models/sql-lora/adapter}}", f"{{s3: {{uri: '{uri}'}}}}")
    )
    _, findings = findings_json(repo, "--env", "prod")
    assert [(f["code"], f["path"], f["line"]) for f in findings if f["severity"] == "error"] == [
        (code, "spec.weights.s3.uri", 5)
    ]


def test_rendered_file_has_the_adapters_key_even_without_adapters(tmp_path: Path) -> None:
    rendered = _render(fixture_repo(tmp_path / "plain"))
    assert rendered["inference_component_adapters"] == {}
    assert json.dumps(rendered)  # plain JSON for Terraform


def test_cleanup_keeps_adapters_and_smoke_targets_them(repo: Path) -> None:
    from sagespec.ops.cleanup_find import rendered_names
    from sagespec.ops.deployed_env import DeployedEnv, target_of

    rendered = _render(repo)
    assert "sql-lora-prod" in rendered_names(rendered)["inference-component"]
    target = target_of(DeployedEnv(repo, "prod", rendered), "sql-lora")
    assert (target.endpoint, target.component) == ("pool-prod", "sql-lora-prod")


def test_cost_review_lists_the_adapter_in_its_base_share(repo: Path) -> None:
    from sagespec.review import costing

    # the pool's $7.09/h is shared by what the copies reserve: chat 2 GPUs, llama-base 1 -> 1/3 = $2.36/h
    diff = costing.env_cost_diff("prod", None, _render(repo))
    pool = next(row for row in diff.rows if row.key == "pool")
    assert "sql-lora (LoRA adapter on llama-base: in the base's share of $2.36/h)" in pool.components


def test_package_uploads_the_adapter_where_the_render_points(repo: Path, moto: str) -> None:
    import boto3

    from sagespec.artifacts import lockfile, s3keys
    from tests.helpers.repo import run_cli

    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="fixture-prod-artifacts")
    code, _, err = run_cli("--root", str(repo), "render", "--env", "prod")
    assert code == 0, err
    code, out, err = run_cli("--root", str(repo), "package", "sql-lora", "--env", "prod")
    assert code == 0, out + err
    entry = lockfile.read_lock(repo)["sql-lora"]
    url = _render(repo)["inference_component_adapters"]["sql-lora"]["artifact_url"]  # type: ignore[index]
    key = s3keys.artifact_key("sql-lora", entry.sha256, True)
    assert url == f"s3://fixture-prod-artifacts/{key}"
    body = s3.get_object(Bucket="fixture-prod-artifacts", Key=key)["Body"].read()
    import hashlib

    assert hashlib.sha256(body).hexdigest() == entry.sha256  # the key is the archive's own digest
