"""Inputs that would reach outside the repository, widen a grant, or inject into CI output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sagespec.findings import Finding
from sagespec.layout import rendered_path
from sagespec.ops import packaging
from tests.helpers.repo import findings_json, fixture_repo, run_cli

OWN_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hf-AbCdEf"  # the fixture envs' account


def _chat(root: Path) -> Path:
    return root / "specs" / "models" / "chat.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def _realtime(root: Path, weights: str, extra: str = "") -> None:
    (root / "specs" / "models" / "rt.yaml").write_text(
        "apiVersion: sagespec/v1\nkind: Model\nmetadata: {name: rt}\nspec:\n"
        "  container: {framework: pytorch, version: '2.1.0'}\n"
        f"  weights: {weights}\n{extra}"
        "  deployment: {type: realtime, instance_type: ml.m5.large}\n"
    )


def _codes(findings: list[dict[str, Any]], file: str) -> set[tuple[str, str]]:
    return {(f["code"], f["path"]) for f in findings if f["file"] == file}


# -- paths ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["../outside", "models/../../outside", "/etc", "/no/such/folder", "link-out"]
)
def test_paths_outside_the_repository_are_findings(tmp_path: Path, path: str) -> None:
    root = fixture_repo(tmp_path / "repo")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "credentials").write_text("[default]\n")
    os.symlink(tmp_path / "outside", root / "link-out")
    _realtime(root, f"{{local: {{path: '{path}'}}}}", f"  code: '{path}'\n")
    code, findings = findings_json(root)
    assert code == 1  # a finding, not exit 3
    got = _codes(findings, "specs/models/rt.yaml")
    assert {("E704", "spec.weights.local.path"), ("E704", "spec.code")} <= got
    assert not any(f["code"] in ("E701", "E702", "W406") for f in findings)  # nothing outside was hashed


def test_package_refuses_a_path_outside_the_repository(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    (tmp_path / "home").mkdir()
    spec = {"weights": {"local": {"path": "../home"}}}
    with pytest.raises(Exception, match="leaves the repository"):
        packaging.local_sources(root, spec)
    with pytest.raises(Exception, match="leaves the repository"):
        packaging.local_sources(root, {"weights": {"s3": None}, "code": str(tmp_path / "home")})
    (root / "models" / "m").mkdir(parents=True)
    sources = packaging.local_sources(root, {"weights": {"local": {"path": "models/m"}}})
    assert sources is not None and sources.weights == root / "models" / "m"


def test_a_spec_symlinked_from_outside_is_refused_not_loaded(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text(
        "apiVersion: sagespec/v1\nkind: Model\nmetadata: {name: sneaky, description: private}\n"
    )
    os.symlink(secret, root / "specs" / "models" / "sneaky.yaml")
    code, findings = findings_json(root)
    assert code == 1
    mine = [f for f in findings if f["file"] == "specs/models/sneaky.yaml"]
    assert [f["code"] for f in mine] == ["E704"]  # not parsed: no schema findings about its content


def test_a_spec_folder_symlinked_from_outside_is_reported_not_loaded(tmp_path: Path) -> None:
    """The walk never enters a linked folder; it used to skip one without a word."""
    root = fixture_repo(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "sneaky.yaml").write_text(
        "apiVersion: sagespec/v1\nkind: Model\nmetadata: {name: sneaky, description: zq9kx7wv3mpl8rt2}\n"
    )
    os.symlink(outside, root / "specs" / "linked")
    code, findings = findings_json(root)
    assert code == 1
    mine = [f for f in findings if f["file"].startswith("specs/linked")]
    assert [(f["file"], f["code"]) for f in mine] == [("specs/linked", "E109")]
    assert "symbolic link" in mine[0]["message"] and "zq9kx7wv3mpl8rt2" not in json.dumps(findings)


# -- numbers ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused_in_specs_and_policies(tmp_path: Path, value: str) -> None:
    root = fixture_repo(tmp_path / "repo")
    _edit(_chat(root), "cpus: 4", f"cpus: {value}")
    env = root / "envs" / "dev" / "env.yaml"
    env.write_text(env.read_text() + f"    max_hourly_cost_usd: {value}\n")
    code, findings = findings_json(root)
    assert code == 1
    assert ("E205", "spec.deployment.resources.cpus") in _codes(findings, "specs/models/chat.yaml")
    assert ("E205", "spec.policy.max_hourly_cost_usd") in _codes(findings, "envs/dev/env.yaml")
    code, _, _ = run_cli("--root", str(root), "render", "--env", "prod")
    assert code == 1 and not rendered_path(root, "prod").exists()  # nothing renders NaN


def test_a_nan_budget_does_not_silence_the_budget_check(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    _edit(_chat(root), "  deployment:\n", "  budget: {max_hourly_usd: .nan}\n  deployment:\n")
    code, findings = findings_json(root)
    assert code == 1 and ("E205", "spec.budget.max_hourly_usd") in _codes(findings, "specs/models/chat.yaml")


# -- wildcards and buckets ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("weights", "image", "code_path"),
    [
        ("{s3: {uri: 's3://fixture-dev-artifacts/*/'}}", None, ("E705", "spec.weights.s3.uri")),
        ("{s3: {uri: 's3://fixture-dev-artifacts/m?/model.tar.gz'}}", None, ("E705", "spec.weights.s3.uri")),
        (
            "{s3: {uri: 's3://fixture-dev-artifacts/${aws:username}/model.tar.gz'}}",
            None,
            ("E705", "spec.weights.s3.uri"),
        ),
        ("{s3: {uri: 's3://fixture-prod-artifacts/m/model.tar.gz'}}", None, ("E706", "spec.weights.s3.uri")),
        (
            "{s3: {uri: 's3://fixture-dev-artifacts/m/model.tar.gz'}}",
            "'*.dkr.ecr.us-east-1.amazonaws.com/repo:1'",
            ("E705", "spec.container.image"),
        ),
    ],
)
def test_wildcards_and_foreign_buckets_are_refused(
    tmp_path: Path, weights: str, image: str | None, code_path: tuple[str, str]
) -> None:
    root = fixture_repo(tmp_path / "repo")
    container = f"  container: {{framework: image, image: {image}}}\n" if image else ""
    _realtime(root, weights)
    if container:
        path = root / "specs" / "models" / "rt.yaml"
        path.write_text(
            path.read_text().replace("  container: {framework: pytorch, version: '2.1.0'}\n", container)
        )
    code, findings = findings_json(root, "--env", "dev")
    assert code == 1
    assert code_path in _codes(findings, "specs/models/rt.yaml")


def test_an_allowed_bucket_may_be_read(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    _realtime(root, "{s3: {uri: 's3://shared-models/m/model.tar.gz'}}")
    assert any(f["code"] == "E706" for f in findings_json(root)[1])
    env = root / "envs" / "dev" / "env.yaml"
    env.write_text(env.read_text() + "    allowed_buckets: [shared-models]\n")
    _, findings = findings_json(root, "--env", "dev")
    assert not any(f["code"] == "E706" for f in findings)


# -- secrets by ARN -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hf-AbCdEf",  # another region
        "arn:aws:secretsmanager:us-east-1:999999999999:secret:hf-AbCdEf",  # another account
    ],
)
def test_foreign_secrets_are_refused_unless_the_env_allows_them(tmp_path: Path, arn: str) -> None:
    root = fixture_repo(tmp_path / "repo")
    _edit(
        _chat(root), "model_id: mistralai/Mistral-7B-Instruct-v0.1", f"model_id: m/x, token_secret: '{arn}'"
    )
    code, findings = findings_json(root)
    assert code == 1
    assert ("E502", "spec.weights.huggingface.token_secret") in _codes(findings, "specs/models/chat.yaml")
    for env in ("dev", "prod"):
        path = root / "envs" / env / "env.yaml"
        path.write_text(path.read_text() + "    allow_foreign_secrets: true\n")
    code, findings = findings_json(root)
    assert not any(f["code"] == "E502" for f in findings)


def test_own_secret_renders_and_a_protected_env_warns_about_the_runtime_token(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    _edit(
        _chat(root),
        "model_id: mistralai/Mistral-7B-Instruct-v0.1",
        f"model_id: m/x, token_secret: '{OWN_ARN}'",
    )
    code, findings = findings_json(root)
    assert code == 0
    warned = [f for f in findings if f["code"] == "W501"]
    assert [f["envs"] for f in warned] == [["prod"]]  # prod is protected by name, dev is not
    assert "DescribeModel" in warned[0]["message"] and "mirror: true" in warned[0]["hint"]


def test_mirrored_weights_get_no_token_at_runtime(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    _edit(
        _chat(root),
        "model_id: mistralai/Mistral-7B-Instruct-v0.1",
        f"model_id: m/x, mirror: true, token_secret: '{OWN_ARN}'",
    )
    code, findings = findings_json(root)
    assert code == 0 and not any(f["code"] == "W501" for f in findings)
    assert run_cli("--root", str(root), "render", "--env", "prod")[0] == 0
    model = json.loads(rendered_path(root, "prod").read_text())["models"]["chat"]
    assert model["secret_environment"] == {} and model["model_data"]["s3_uri"].startswith("s3://fixture-prod")


# -- whole-string patterns ------------------------------------------------------------------------------
def test_a_trailing_newline_does_not_pass_an_anchored_pattern(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    _edit(
        _chat(root),
        "model_id: mistralai/Mistral-7B-Instruct-v0.1",
        f'model_id: m/x, token_secret: "{OWN_ARN}\\n"',
    )
    _edit(_chat(root), "endpoint: pool", 'endpoint: "pool\\n"')
    code, findings = findings_json(root)
    assert code == 1
    got = _codes(findings, "specs/models/chat.yaml")
    assert {("E204", "spec.weights.huggingface.token_secret"), ("E204", "spec.deployment.endpoint")} <= got


# -- GitHub annotations ---------------------------------------------------------------------------------
def test_github_annotations_escape_file_names_and_messages() -> None:
    finding = Finding("specs/a,b:c.yaml", 3, 1, "error", "E201", "bad\n::warning::injected 100%", "x", "h\r")
    line = finding.github_annotation()
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=specs/a%2Cb%3Ac.yaml,line=3,col=1,title=E201::")
    assert "bad%0A::warning::injected 100%25" in line and "h%0D" in line


def test_github_format_from_the_cli_cannot_start_a_command(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    (root / "specs" / "models" / "x%0A::error::y.yaml").write_text("a: [\n")
    _, out, _ = run_cli("--root", str(root), "validate", "--format", "github")
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert any("x%250A%3A%3Aerror%3A%3Ay.yaml" in line for line in lines)


def test_the_review_warns_when_a_protected_env_reads_a_token_at_runtime(tmp_path: Path) -> None:
    from tests.security.test_no_quoted_values import _git

    root = fixture_repo(tmp_path / "repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    _edit(
        _chat(root),
        "model_id: mistralai/Mistral-7B-Instruct-v0.1",
        f"model_id: m/x, token_secret: '{OWN_ARN}'",
    )
    code, markdown, _ = run_cli("--root", str(root), "review", "--base", "main")
    assert code == 0
    (line,) = [line for line in markdown.splitlines() if "W501" in line]
    assert "protected environment" in line and "(in prod)" in line and "DescribeModel" in line
