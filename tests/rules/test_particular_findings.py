"""Findings that need more than a snapshot: what a message says (and never echoes), where a pool
overflow is reported, and secrets found however they are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import findings_json, fixture_repo
from tests.helpers.rule_cases import (
    M,
    case_source,
    lay_out,
)


def test_pool_overflow_is_said_once_naming_its_environment(tmp_path: Path) -> None:
    root, _ = lay_out(case_source("capacity/pool-overflow"), tmp_path / "repo")
    _, findings = findings_json(root)
    totals = [f for f in findings if f["code"] == "E404"]
    # dev runs 3 copies: they fit; huge-copy's 2 copies can never be placed, so they are not packed
    # (else dev would overflow too, and prod's total would count 7 accelerators)
    assert [(f["file"], f["line"], f["envs"]) for f in totals] == [(M + "pool-overflow.yaml", 11, ["prod"])]
    assert "(5 accelerators in all, 4 per instance)" in totals[0]["message"]
    assert not [f for f in findings if f["file"] == "specs/endpoints/overflow-pool.yaml"]


def test_a_copy_larger_than_the_pool_instance_is_reported_on_its_resources(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("capacity/copy-too-big"))
    code, findings = findings_json(root)
    assert code == 1
    got = [(f["file"], f["line"], f["code"]) for f in findings if f["severity"] == "error"]
    # one copy cannot fit at all: said once, on its memory; it is not packed, so chat's 2 copies
    # still fit the pool (3 + 2 accelerators would not) and nothing is said on the pool or on chat
    assert got == [(M + "copy-too-big.yaml", 12, "E406")]
    assert not [f for f in findings if f["file"] in ("specs/endpoints/pool.yaml", M + "chat.yaml")]


def test_a_full_pool_is_reported_on_the_copies_of_the_models_that_no_longer_fit(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("capacity/pool-full"))
    code, findings = findings_json(root)
    assert code == 1
    over = [f for f in findings if f["code"] == "E404"]
    # prod: 2 + 3 copies x 1 GPU need 2 x ml.g5.12xlarge, the pool has 1 and no managed scaling;
    # without either model the other would fit, so both copies lines carry it, once each, for prod
    assert {(f["file"], f["line"]) for f in over} == {
        ("specs/models/pool-full.yaml", 11),
        ("specs/models/chat.yaml", 11),
    }
    assert all(f["envs"] == ["prod"] and f["path"] == "spec.deployment.copies" for f in over)
    assert "need 2 x ml.g5.12xlarge (5 accelerators in all, 4 per instance)" in over[0]["message"]
    assert "at most 1 (instance_count; no managed_scaling)" in over[0]["message"]
    assert not [f for f in findings if f["file"] == "specs/endpoints/pool.yaml"]


def test_literal_secret_is_never_echoed(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("secrets/literal-secret"))
    _, findings = findings_json(root)
    text = repr(findings)
    assert "hf_aBcDeF" not in text and "hunter2" not in text
    assert any("Hugging Face token" in f["message"] for f in findings)


def test_typo_gets_a_did_you_mean_hint(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("structure/typo"))
    _, findings = findings_json(root)
    hints = {f["path"]: f["hint"] for f in findings}
    assert "environment" in hints["spec.enviroment"]
    assert "instance_count" in hints["spec.deployment.instnce_count"]


def test_overlay_finding_names_its_environment(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("structure/overlay-error"))
    _, findings = findings_json(root)
    by_code = {f["code"]: f for f in findings}
    assert by_code["E202"]["envs"] == ["dev"]
    assert by_code["E601"]["envs"] == ["prod"]


def test_secret_hidden_behind_yaml_escapes_is_still_found() -> None:
    from sagespec.rules import secrets
    from sagespec.rules.report import Reporter
    from sagespec.spec.project import Source
    from sagespec.spec.yamlload import load_text

    # "\x41" is "A" once parsed: the raw text holds no token, the value does
    document, _ = load_text('a: "hf_\\x41BCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\n', "x.yaml")
    assert document is not None
    reporter = Reporter()
    secrets.check(reporter, Source(document, Path("x.yaml")))
    assert [(f.code, f.line) for _, f in reporter.findings] == [("E501", 1)]


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("hf_" + "a" * 34, "Hugging Face token"),
        ("AKIA" + "A" * 16, "AWS access key id"),
        ("ghp_" + "a" * 36, "GitHub token"),
        ("github_pat_" + "a" * 30, "GitHub token"),
        ("glpat-" + "a" * 20, "GitLab token"),
        ("sk-proj-" + "a" * 30, "OpenAI-style API key"),
        ("xoxb-" + "1" * 12, "Slack token"),
        ("AIza" + "a" * 35, "Google API key"),
        ("-----BEGIN RSA PRIVATE KEY-----", "private key"),
        ("https://user:s3cret@example.com/repo", "password in a URL"),
    ],
)
def test_every_token_format_is_found_in_a_file(token: str, kind: str) -> None:
    from sagespec.rules import secrets
    from sagespec.rules.report import Reporter
    from sagespec.spec.project import Source
    from sagespec.spec.yamlload import load_text

    document, _ = load_text(f"metadata:\n  description: 'see {token}'\n", "x.yaml")
    assert document is not None
    reporter = Reporter()
    secrets.check(reporter, Source(document, Path("x.yaml")))
    assert [(f.code, f.line) for _, f in reporter.findings] == [("E501", 2)]
    assert kind in reporter.findings[0][1].message and token not in reporter.findings[0][1].message
