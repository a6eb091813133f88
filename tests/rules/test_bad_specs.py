"""Each bad fixture must fail with exactly the expected findings: file, line and code.

A case is either one YAML file (copied to specs/models/ of the fixture repository) or a folder
whose tree is laid over the fixture repository (for findings about pools, environments, the lock
file or the file system). Its findings are those in the files it brings.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sagespec.findings import CODES, PLAN_CODES
from tests.helpers.repo import FIXTURES, findings_json, fixture_repo

BAD = FIXTURES / "specs" / "bad"
FINDINGS_DOC = Path(__file__).resolve().parents[2] / "docs" / "findings.md"
M = "specs/models/"

# case -> the (file, line, code) triples it must produce, errors and warnings alike (a list: one
# line may hold two). Line numbers point at the offending key or value, in the overlay when an
# environment set it.
EXPECTED: dict[str, list[tuple[str, int, str]]] = {
    "typo.yaml": [(M + "typo.yaml", 8, "E201"), (M + "typo.yaml", 12, "E201")],
    "wrong-types.yaml": [(M + "wrong-types.yaml", 8, "E202"), (M + "wrong-types.yaml", 12, "E202")],
    "missing-and-two-weights.yaml": [
        (M + "missing-and-two-weights.yaml", 7, "E206"),
        (M + "missing-and-two-weights.yaml", 9, "E203"),
    ],
    "serverless-limits.yaml": [
        (M + "serverless-limits.yaml", 10, "E402"),
        (M + "serverless-limits.yaml", 11, "E413"),
        (M + "serverless-limits.yaml", 12, "E413"),
    ],
    "gpu-on-cpu.yaml": [(M + "gpu-on-cpu.yaml", 5, "E407")],
    "unknown-version-and-type.yaml": [
        (M + "unknown-version-and-type.yaml", 5, "E408"),
        (M + "unknown-version-and-type.yaml", 8, "E401"),
    ],
    "literal-secret.yaml": [(M + "literal-secret.yaml", 9, "E501"), (M + "literal-secret.yaml", 10, "E501")],
    "references.yaml": [
        (M + "references.yaml", 3, "E301"),
        (M + "references.yaml", 10, "E304"),
        (M + "references.yaml", 13, "E303"),
    ],
    "name-typos.yaml": [(M + "name-typos.yaml", 10, "E304"), (M + "name-typos.yaml", 13, "E303")],
    "a-very-long-model-name-that-will-not-fit-sagemaker-limits.yaml": [
        (M + "a-very-long-model-name-that-will-not-fit-sagemaker-limits.yaml", 3, "E306")
    ],
    "Bad_Name.yaml": [(M + "Bad_Name.yaml", 3, "E308")],
    "policy-and-ranges.yaml": [
        (M + "policy-and-ranges.yaml", 11, "E601"),
        (M + "policy-and-ranges.yaml", 12, "E413"),
        (M + "policy-and-ranges.yaml", 12, "W407"),
        (M + "policy-and-ranges.yaml", 13, "E413"),  # download timeout above 3600
        (M + "policy-and-ranges.yaml", 13, "E413"),  # health check timeout below 60
        (M + "policy-and-ranges.yaml", 14, "E410"),
    ],
    "tensor-parallel.yaml": [(M + "tensor-parallel.yaml", 8, "E412")],
    "overlay-error.yaml": [
        (M + "overlay-error.yaml", 11, "E202"),
        (M + "overlay-error.yaml", 13, "E601"),
        (M + "overlay-error.yaml", 5, "E407"),
    ],
    "local-missing.yaml": [(M + "local-missing.yaml", 7, "E701")],
    "duplicate-key.yaml": [(M + "duplicate-key.yaml", 6, "E102")],
    "syntax.yaml": [(M + "syntax.yaml", 4, "E101")],
    "empty.yaml": [(M + "empty.yaml", 1, "E103")],
    "binary.yaml": [(M + "binary.yaml", 1, "E104")],
    "huge.yaml": [(M + "huge.yaml", 1, "E105")],
    "alias-bomb.yaml": [(M + "alias-bomb.yaml", 4, "E106")],
    "two-documents.yaml": [(M + "two-documents.yaml", 5, "E107")],
    "custom-tag.yaml": [(M + "custom-tag.yaml", 5, "E108")],
    "bad-values.yaml": [(M + "bad-values.yaml", 5, "E204"), (M + "bad-values.yaml", 11, "E205")],
    "smoke-path.yaml": [(M + "smoke-path.yaml", 11, "E204")],
    "provisioned-above-max.yaml": [(M + "provisioned-above-max.yaml", 12, "E403")],
    "pool-cpus.yaml": [(M + "pool-cpus.yaml", 12, "E405")],
    "isolated-serverless.yaml": [(M + "isolated-serverless.yaml", 8, "E411")],
    "token-limits.yaml": [
        (M + "token-limits.yaml", 9, "E414"),  # MAX_INPUT_TOKENS not below MAX_TOTAL_TOKENS
        (M + "token-limits.yaml", 11, "E414"),  # prefill below the input limit
        (M + "token-limits.yaml", 12, "E414"),  # batch total below the request total
        (M + "token-limits.yaml", 16, "E414"),  # not a whole number, set by the dev overlay
    ],
    "over-budget.yaml": [(M + "over-budget.yaml", 8, "E605")],
    "tags-and-owner.yaml": [
        (M + "tags-and-owner.yaml", 5, "E413"),  # a tab in owner
        (M + "tags-and-owner.yaml", 6, "E413"),  # a comma in a tag value
        (M + "tags-and-owner.yaml", 6, "E413"),  # aws: key prefix (same line, other column)
    ],
    "yaml-conversions.yaml": [
        (M + "yaml-conversions.yaml", 5, "E202"),  # version 3.0 is a number: the quote hint, no W411
        (M + "yaml-conversions.yaml", 9, "W411"),
        (M + "yaml-conversions.yaml", 10, "W411"),
        (M + "yaml-conversions.yaml", 11, "W411"),
        (M + "yaml-conversions.yaml", 12, "W411"),
    ],
    "unreadable-files": [(M + "dangling.yaml", 1, "E109"), (M + "shouty.YAML", 1, "E109")],
    "duplicate-name": [(M + "dup.yaml", 3, "E302")],
    "pool-disabled": [(M + "on-dev-pool.yaml", 10, "E305")],
    "endpoint-name-clash": [("specs/endpoints/shared-name.yaml", 3, "E307")],
    "env-folder-mistakes": [("envs/qa/env.yaml", 3, "E309"), ("envs/qa/env.yaml", 3, "W404")],
    "image-region": [(M + "region-embed.yaml", 5, "E409")],
    "cost-ceiling": [("envs/prod/env.yaml", 9, "E602"), (M + "unpriced.yaml", 8, "W402")],
    "policy-requirements": [("envs/prod/env.yaml", 9, "E603"), (M + "no-capture.yaml", 8, "E604")],
    "stale-lock": [(M + "stale-weights.yaml", 7, "E702")],
    "local-not-folder": [(M + "not-a-folder.yaml", 7, "E703")],  # and no E701 beside it
    "unlocked-files": [(M + "unlocked.yaml", 7, "W406")],
    "partial-catalog": [
        ("specs/endpoints/p3-pool.yaml", 5, "W401"),  # once, on the pool, not again on the model
        ("specs/endpoints/p3-pool.yaml", 5, "E601"),
    ],
    "autoscaling-overflow": [(M + "bursty.yaml", 13, "W405")],  # on max_copies, the model that grows
    "pool-overflow": [
        (M + "pool-overflow.yaml", 11, "E404"),  # 5 copies x 1 GPU > 4 GPUs on its copies line, prod only
        (M + "huge-copy.yaml", 12, "E406"),  # one copy cannot fit: not packed, so no total beside it
    ],
    "pool-grows": [(M + "six-copies.yaml", 11, "W408")],  # 6 x 1 GPU: managed scaling adds one
    "idle-pool": [("specs/endpoints/idle-pool.yaml", 5, "W409")],
    "half-scale-to-zero.yaml": [(M + "half-scale-to-zero.yaml", 13, "W410")],  # pool keeps 1 instance
    "gpu-too-small.yaml": [(M + "gpu-too-small.yaml", 8, "W420")],  # 70B in bf16 on one 24 GB GPU
    "foreign-secret.yaml": [(M + "foreign-secret.yaml", 9, "E502")],  # eu-west-1, envs in us-east-1
    "runtime-token.yaml": [(M + "runtime-token.yaml", 9, "W501")],  # in prod only: protected by name
    "path-outside.yaml": [(M + "path-outside.yaml", 7, "E704")],
    "wildcard-uri.yaml": [(M + "wildcard-uri.yaml", 7, "E705")],
    "foreign-bucket.yaml": [(M + "foreign-bucket.yaml", 7, "E706")],  # once, for both envs
    "lock-without-files": [(M + "locked-elsewhere.yaml", 7, "I701")],  # a clone without the weights
    "adapters": [
        (M + "lora-typo.yaml", 6, "E430"),
        (M + "lora-on-serverless.yaml", 6, "E431"),
        (M + "lora-on-tgi.yaml", 6, "E432"),
        (M + "lora-from-hub.yaml", 5, "E433"),
        (M + "lora-on-custom.yaml", 6, "W430"),
    ],
}
# Cases with warnings (or information) only: validation passes (exit 0) unless --strict.
WARNINGS_ONLY = {
    "unlocked-files",
    "autoscaling-overflow",
    "pool-grows",
    "idle-pool",
    "half-scale-to-zero.yaml",
    "gpu-too-small.yaml",
    "runtime-token.yaml",
    "lock-without-files",
}


def _lay_out(case: str, root: Path) -> tuple[Path, set[str]]:
    """The fixture repository with the case in it, and the files the case brings."""
    source = BAD / case
    if source.is_dir():
        fixture_repo(root)
        shutil.copytree(source, root, dirs_exist_ok=True, symlinks=True)
        brought = {p.relative_to(source).as_posix() for p in source.rglob("*") if not p.is_dir()}
        return root, brought
    return fixture_repo(root, source), {M + case}


def test_every_bad_fixture_has_expectations() -> None:
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_spec_findings(tmp_path: Path, case: str) -> None:
    root, brought = _lay_out(case, tmp_path / "repo")
    code, findings = findings_json(root)
    assert code == (0 if case in WARNINGS_ONLY else 1)
    mine = sorted((f["file"], f["line"], f["code"]) for f in findings if f["file"] in brought)
    assert mine == sorted(EXPECTED[case]), findings
    assert all(f["col"] >= 1 for f in findings)


def _documented_codes() -> list[str]:
    text = FINDINGS_DOC.read_text()
    section = text.split("<!-- section:validation -->")[1].split("<!-- /section:validation -->")[0]
    return re.findall(r"^\| `([EWI]\d{3})` \|", section, re.MULTILINE)


def test_findings_table_is_the_code_list() -> None:
    codes = _documented_codes()
    assert len(codes) == len(set(codes))
    assert set(codes) == set(CODES)


# E801 is a plan finding: tests/review emits it
@pytest.mark.parametrize("code", [c for c in _documented_codes() if c not in PLAN_CODES])
def test_every_documented_code_is_emitted_by_a_bad_fixture(code: str) -> None:
    emitted_by = [case for case, expected in EXPECTED.items() if any(c == code for _, _, c in expected)]
    assert emitted_by, f"no fixture under tests/fixtures/specs/bad/ emits {code}"


def test_pool_overflow_is_said_once_naming_its_environment(tmp_path: Path) -> None:
    root, _ = _lay_out("pool-overflow", tmp_path / "repo")
    _, findings = findings_json(root)
    totals = [f for f in findings if f["code"] == "E404"]
    # dev runs 3 copies: they fit; huge-copy's 2 copies can never be placed, so they are not packed
    # (else dev would overflow too, and prod's total would count 7 accelerators)
    assert [(f["file"], f["line"], f["envs"]) for f in totals] == [(M + "pool-overflow.yaml", 11, ["prod"])]
    assert "(5 accelerators in all, 4 per instance)" in totals[0]["message"]
    assert not [f for f in findings if f["file"] == "specs/endpoints/overflow-pool.yaml"]


def test_a_copy_larger_than_the_pool_instance_is_reported_on_its_resources(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", BAD.parent / "copy-too-big.yaml")
    code, findings = findings_json(root)
    assert code == 1
    got = [(f["file"], f["line"], f["code"]) for f in findings if f["severity"] == "error"]
    # one copy cannot fit at all: said once, on its memory; it is not packed, so chat's 2 copies
    # still fit the pool (3 + 2 accelerators would not) and nothing is said on the pool or on chat
    assert got == [(M + "copy-too-big.yaml", 12, "E406")]
    assert not [f for f in findings if f["file"] in ("specs/endpoints/pool.yaml", M + "chat.yaml")]


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
    root, _ = _lay_out("literal-secret.yaml", tmp_path / "repo")
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
