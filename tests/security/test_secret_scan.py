"""The secret scan finds what issue 9 reported it missed, and never echoes what it found."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sagespec.rules import secrets
from sagespec.rules.report import Reporter
from sagespec.spec.project import Source
from sagespec.spec.yamlload import MAX_BYTES, load_text
from tests.helpers.repo import findings_json, fixture_repo, run_cli

HF = "hf_" + "Q7w" * 12
AKIA = "AKIA" + "Z7Q2" * 4


def _scan(text: str) -> list[tuple[str, int, str]]:
    document, problems = load_text(text, "x.yaml")
    assert document is not None and not problems
    reporter = Reporter()
    secrets.check(reporter, Source(document, Path("x.yaml")))
    return [(f.code, f.line, f.message + (f.hint or "") + f.path) for _, f in reporter.findings]


@pytest.mark.parametrize(
    "name", ["DB_PASS", "MYSQL_PWD", "DB_PASSWORD_1", "HUGGINGFACEHUBTOKEN", "HfHubToken"]
)
def test_secret_names_with_literal_values(name: str) -> None:
    found = _scan(f"spec:\n  environment:\n    {name}: Tr0ub4dor-and-3\n")
    assert [(code, line) for code, line, _ in found] == [("E501", 3)]
    assert "Tr0ub4dor" not in found[0][2]


def test_numbers_in_secret_variables_are_literals_too() -> None:
    found = _scan("spec:\n  environment:\n    DB_PASSWORD: 1234.5\n    API_KEY: 98765\n")
    assert [(code, line) for code, line, _ in found] == [("E501", 3), ("E501", 4)]


def test_names_that_only_look_similar_pass() -> None:
    text = "spec:\n  environment:\n    MAX_TOTAL_TOKENS: 4096\n    BYPASS_CACHE: 'yes'\n"
    text += "    USE_AUTH_TOKEN: true\n"
    assert _scan(text) == []


@pytest.mark.parametrize(
    "value",
    [
        "redis://:Sw0rdfish@cache.internal:6379",
        "HTTPS://deploy:Sw0rdfish@git.example.com/repo",
        "Postgres://app:Sw0rdfish@db/app",
        "https://hub.example.com/model?token=Sw0rdfish99",
        "https://bucket.example.com/x?a=1&X-Amz-Signature=Sw0rdfish99",
    ],
)
def test_credentials_in_urls(value: str) -> None:
    found = _scan(f"metadata:\n  description: '{value}'\n")
    assert [(code, line) for code, line, _ in found] == [("E501", 2)]
    assert "Sw0rdfish" not in found[0][2]


def test_tokens_in_keys() -> None:
    text = (
        f"spec:\n  environment:\n    {HF}: x\n"  # an env var name
        f"metadata:\n  tags:\n    {AKIA}: team\n"  # a tag key
        f"smoke:\n  payload:\n    'https://u:Sw0rdfish@h/': 1\n"  # a payload key
    )
    found = _scan(text)
    assert [(code, line) for code, line, _ in found] == [("E501", 3), ("E501", 6), ("E501", 9)]
    assert all(HF not in m and AKIA not in m and "Sw0rdfish" not in m for _, _, m in found)


def test_tokens_in_comments() -> None:
    found = _scan(f"spec:\n  # old token: {HF}\n  a: 1\n")
    assert [(code, line) for code, line, _ in found] == [("E501", 2)]
    assert HF not in found[0][2]


def test_literal_in_secret_environment_is_a_clear_error_that_does_not_echo(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(
        chat.read_text().replace(
            "  deployment:\n", "  secret_environment: {DB_PASSWORD: Pa55-word-xyz}\n  deployment:\n"
        )
    )
    code, findings = findings_json(root)
    assert code == 1
    assert "E501" in {f["code"] for f in findings if f["path"] == "spec.secret_environment.DB_PASSWORD"}
    assert "Pa55-word-xyz" not in repr(findings)


def test_a_mistyped_kind_is_scanned_and_nothing_is_rendered(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    (root / "specs" / "models" / "typo.yaml").write_text(
        "apiVersion: sagespec/v1\nkind: Modle\nmetadata: {name: typo}\n"
        f"spec:\n  environment: {{HF_TOKEN: {HF}}}\n"
    )
    code, findings = findings_json(root)
    assert code == 1
    assert ("specs/models/typo.yaml", 5, "E501") in {(f["file"], f["line"], f["code"]) for f in findings}
    code, out, err = run_cli("--root", str(root), "render", "--env", "dev")
    assert code == 1 and not (root / "envs" / "dev" / "rendered.tfvars.json").exists()
    assert HF not in out + err


@pytest.mark.parametrize(
    "unit",
    ["x@", "a:b@", "x://a:", "a" * 5000 + "@", "u://:" + "p" * 300 + "@"],
    ids=["at", "colon-at", "schemes", "long-word-at", "long-password"],
)
def test_the_url_pattern_does_not_backtrack(unit: str) -> None:
    body = unit * ((MAX_BYTES - 100) // len(unit))
    document, _ = load_text(f"a: '{body}'\n", "x.yaml")
    assert document is not None
    reporter = Reporter()
    start = time.monotonic()
    secrets.check(reporter, Source(document, Path("x.yaml")))
    assert time.monotonic() - start < 0.6, unit  # the old pattern took 27 s on 200 kB


@pytest.mark.parametrize(
    "text",
    [
        f"apiVersion: sagespec/v1\nkind: Model\nspec: [\n  {HF}\n",  # a syntax error
        # two documents
        f"apiVersion: sagespec/v1\nkind: Model\n---\nspec: {{environment: {{HF_TOKEN: {HF}}}}}\n",
    ],
    ids=["syntax-error", "two-documents"],
)
def test_files_that_do_not_load_are_still_scanned(tmp_path: Path, text: str) -> None:
    root = fixture_repo(tmp_path / "repo")
    (root / "specs" / "models" / "broken.yaml").write_text(text)
    code, findings = findings_json(root)
    assert code == 1
    assert ("specs/models/broken.yaml", 4, "E501") in {(f["file"], f["line"], f["code"]) for f in findings}
    assert HF not in repr(findings)
