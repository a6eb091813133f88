"""Each bad fixture must fail with exactly the expected findings: file, line and code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import FIXTURES, findings_json, fixture_repo

BAD = FIXTURES / "specs" / "bad"

# file -> the (line, code) pairs it must produce, errors and warnings alike. Line numbers point
# at the offending key or value, in the overlay when an environment set it.
EXPECTED: dict[str, set[tuple[int, str]]] = {
    "typo.yaml": {(8, "E201"), (12, "E201")},
    "wrong-types.yaml": {(8, "E202"), (12, "E202")},
    "missing-and-two-weights.yaml": {(7, "E206"), (9, "E203")},
    "serverless-limits.yaml": {(10, "E402"), (11, "E413"), (12, "E413")},
    "gpu-on-cpu.yaml": {(5, "E407")},
    "unknown-version-and-type.yaml": {(5, "E408"), (8, "E401")},
    "literal-secret.yaml": {(9, "E501"), (10, "E501")},
    "references.yaml": {(3, "E301"), (10, "E304"), (13, "E303")},
    "a-very-long-model-name-that-will-not-fit-sagemaker-limits.yaml": {(3, "E306")},
    "policy-and-ranges.yaml": {(11, "E601"), (12, "E413"), (12, "W407"), (13, "E413"), (14, "E410")},
    "tensor-parallel.yaml": {(8, "E412")},
    "overlay-error.yaml": {(11, "E202"), (13, "E601"), (5, "E407")},
    "local-missing.yaml": {(7, "E701")},
    "duplicate-key.yaml": {(6, "E102")},
    "syntax.yaml": {(4, "E101")},
    "empty.yaml": {(1, "E103")},
    "binary.yaml": {(1, "E104")},
    "alias-bomb.yaml": {(4, "E106")},
}


def test_every_bad_fixture_has_expectations() -> None:
    assert {p.name for p in BAD.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_spec_findings(tmp_path: Path, name: str) -> None:
    root = fixture_repo(tmp_path / "repo", BAD / name)
    code, findings = findings_json(root)
    assert code == 1
    mine = {(f["line"], f["code"]) for f in findings if f["file"] == f"specs/models/{name}"}
    assert mine == EXPECTED[name], findings
    assert all(f["col"] >= 1 for f in findings)


def test_a_copy_larger_than_the_pool_instance_is_reported_on_its_resources(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", BAD.parent / "pool-overflow.yaml")
    code, findings = findings_json(root)
    assert code == 1
    got = {(f["file"], f["line"], f["code"]) for f in findings}
    assert ("specs/models/pool-overflow.yaml", 12, "E406") in got  # one copy cannot fit at all
    # a copy that can never be placed is not packed: chat's 2 copies still fit the pool
    assert not [f for f in findings if f["file"] == "specs/endpoints/pool.yaml" and f["severity"] == "error"]


def test_a_full_pool_is_reported_on_the_copies_of_the_models_that_no_longer_fit(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", BAD.parent / "pool-full.yaml")
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
    root = fixture_repo(tmp_path / "repo", BAD / "literal-secret.yaml")
    _, findings = findings_json(root)
    text = repr(findings)
    assert "hf_aBcDeF" not in text and "hunter2" not in text
    assert any("Hugging Face token" in f["message"] for f in findings)


def test_typo_gets_a_did_you_mean_hint(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", BAD / "typo.yaml")
    _, findings = findings_json(root)
    hints = {f["path"]: f["hint"] for f in findings}
    assert "environment" in hints["spec.enviroment"]
    assert "instance_count" in hints["spec.deployment.instnce_count"]


def test_overlay_finding_names_its_environment(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", BAD / "overlay-error.yaml")
    _, findings = findings_json(root)
    by_code = {f["code"]: f for f in findings}
    assert by_code["E202"]["envs"] == ["dev"]
    assert by_code["E601"]["envs"] == ["prod"]


def test_secret_hidden_behind_yaml_escapes_is_still_found() -> None:
    from sagespec.project import Source
    from sagespec.rules import secrets
    from sagespec.rules.report import Reporter
    from sagespec.yamlload import load_text

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
    from sagespec.project import Source
    from sagespec.rules import secrets
    from sagespec.rules.report import Reporter
    from sagespec.yamlload import load_text

    document, _ = load_text(f"metadata:\n  description: 'see {token}'\n", "x.yaml")
    assert document is not None
    reporter = Reporter()
    secrets.check(reporter, Source(document, Path("x.yaml")))
    assert [(f.code, f.line) for _, f in reporter.findings] == [("E501", 2)]
    assert kind in reporter.findings[0][1].message and token not in reporter.findings[0][1].message
