"""No output quotes a spec value: tokens planted in every field and key of every document never
appear in validate's text, JSON or GitHub output, nor in the review's Markdown or JSON.

Token formats (Hugging Face, AWS, GitHub, GitLab, OpenAI-style, URLs with passwords, ?token=)
go everywhere; a plain password, which no pattern can recognise, goes where secrets belong
(secret_environment, token_secret, a variable named like a secret).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagespec import pipeline
from sagespec.findings import Finding, summary_line, to_json
from sagespec.spec.project import load_project
from tests.helpers.repo import FIXTURES, fixture_repo, run_cli

EXTRA = FIXTURES / "security"
# (planted text, the part that must never be shown)
TOKENS = [
    ("hf_" + "Kq8vTz" * 6, "Kq8vTz" * 6),
    ("AKIA" + "Q7ZR" * 4, "Q7ZR" * 4),
    ("ghp_" + "mN3x" * 9, "mN3x" * 9),
    ("glpat-" + "r4nd0mlowercase12345", "r4nd0mlowercase12345"),  # lowercase: passes name patterns
    ("sk-" + "abcd3fgh1jklmn0pqrstuv", "abcd3fgh1jklmn0pqrstuv"),
    ("https://deploy:Sw0rdf1sh-9@git.example.com/x", "Sw0rdf1sh-9"),
    ("REDIS://:Sw0rdf1sh-8@cache.internal:6379", "Sw0rdf1sh-8"),
    ("https://hub.example.com/m?token=Sw0rdf1sh-7", "Sw0rdf1sh-7"),
    ("ml.glpat-" + "zz9yy8xx7ww6vv5uu4tt" + ".xlarge", "zz9yy8xx7ww6vv5uu4tt"),  # instance-type shaped
]
PASSWORD = "Pa55w0rd!Kx9#q"
PASSWORD_SPOTS = [
    ("specs/models/rt.yaml", ("spec", "secret_environment", "DB_PASSWORD")),
    ("specs/models/later.yaml", ("spec", "weights", "huggingface", "token_secret")),
    ("specs/models/rt.yaml", ("spec", "environment", "LOG_LEVEL")),  # renamed DB_PASS below
]
FILES = [
    "specs/models/chat.yaml",
    "specs/models/embed.yaml",
    "specs/endpoints/pool.yaml",
    "specs/models/rt.yaml",
    "specs/models/later.yaml",
    "envs/dev/env.yaml",
    "envs/prod/env.yaml",
]
Spot = tuple[str, tuple[Any, ...], bool]  # file, path, plant as a key (else as the value)


def _repo(dest: Path) -> Path:
    root = fixture_repo(dest)
    for name in ("rt.yaml", "later.yaml"):
        shutil.copy(EXTRA / name, root / "specs" / "models" / name)
    return root


def _spots() -> list[Spot]:
    found: list[Spot] = []

    def walk(file: str, value: Any, path: tuple[Any, ...]) -> None:
        if path:
            found.append((file, path, False))
            if isinstance(path[-1], str):
                found.append((file, path, True))
        if isinstance(value, dict):
            for key, child in value.items():
                walk(file, child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(file, child, (*path, index))

    for file in FILES:
        source = (
            (EXTRA / Path(file).name)
            if file.endswith(("rt.yaml", "later.yaml"))
            else FIXTURES / "repo" / file
        )
        walk(file, yaml.safe_load(source.read_text()), ())
    return found


SPOTS = _spots()


def _plant(
    root: Path, file: str, path: tuple[Any, ...], text: str, as_key: bool, rename: str | None = None
) -> None:
    target = root / file
    document = yaml.safe_load(target.read_text())
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if as_key and isinstance(parent, dict):
        parent_items = list(parent.items())
        parent.clear()
        parent.update({(text if k == last else k): v for k, v in parent_items})
    elif rename is not None and isinstance(parent, dict):
        parent[rename] = text
        del parent[last]
    else:
        parent[last] = text
    target.write_text(yaml.safe_dump(document, sort_keys=False))


def _validate_outputs(root: Path) -> tuple[str, set[str]]:
    outcome = pipeline.check(load_project(root))
    findings: list[Finding] = outcome.findings
    text = "\n".join(f.format() for f in findings) + summary_line(findings, outcome.files)
    github = "\n".join(f.github_annotation() for f in findings)
    return text + to_json(findings) + github, {f.code for f in findings}


def _assert_clean(output: str, secret: str, where: object) -> None:
    assert secret not in output, where


def test_every_field_and_key_of_every_document(tmp_path: Path) -> None:
    """A deterministic sweep: each spot gets a token (rotating through the formats)."""
    seen: set[str] = set()
    base = _repo(tmp_path / "base")
    for index, (file, path, as_key) in enumerate(SPOTS):
        planted, secret = TOKENS[index % len(TOKENS)]
        root = tmp_path / f"r{index}"
        shutil.copytree(base, root)
        _plant(root, file, path, planted, as_key)
        output, codes = _validate_outputs(root)
        _assert_clean(output, secret, (file, path, as_key, planted))
        seen |= codes
        shutil.rmtree(root)
    # the codes whose messages used to quote the value are all reached by the sweep
    assert {"E201", "E202", "E204", "E206", "E301", "E303", "E304", "E408", "E501", "E601"} <= seen, seen


def test_passwords_where_secrets_belong(tmp_path: Path) -> None:
    base = _repo(tmp_path / "base")
    for index, (file, path) in enumerate(PASSWORD_SPOTS):
        root = tmp_path / f"p{index}"
        shutil.copytree(base, root)
        _plant(root, file, path, PASSWORD, False, rename="DB_PASS" if path[-1] == "LOG_LEVEL" else None)
        output, codes = _validate_outputs(root)
        _assert_clean(output, PASSWORD, (file, path))
        assert "E501" in codes, (file, path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spot=st.sampled_from(SPOTS), token=st.sampled_from(TOKENS), data=st.data())
def test_random_plantings(tmp_path_factory: Any, spot: Spot, token: tuple[str, str], data: Any) -> None:
    root = _repo(tmp_path_factory.mktemp("plant") / "repo")
    file, path, as_key = spot
    _plant(root, file, path, token[0], as_key)
    extra = data.draw(st.sampled_from(SPOTS))  # a second planting elsewhere
    if extra[0] != file or extra[1][: len(path)] != path:
        _plant(root, extra[0], extra[1], token[0], extra[2])
    output, _ = _validate_outputs(root)
    _assert_clean(output, token[1], (spot, extra))


def _git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.email=t@t", "-c", "user.name=t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spot=st.sampled_from(SPOTS), token=st.sampled_from(TOKENS))
def test_the_review_never_shows_a_planted_token(
    tmp_path_factory: Any, spot: Spot, token: tuple[str, str]
) -> None:
    root = _repo(tmp_path_factory.mktemp("review") / "repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    file, path, as_key = spot
    _plant(root, file, path, token[0], as_key)
    _, markdown, err = run_cli("--root", str(root), "review", "--base", "main")
    _, as_json, _ = run_cli("--root", str(root), "review", "--base", "main", "--format", "json")
    assert "Traceback" not in err
    _assert_clean(markdown + as_json + err, token[1], spot)


def test_the_review_never_shows_a_password_in_a_secret_field(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    for file, path in PASSWORD_SPOTS:
        _plant(root, file, path, PASSWORD, False, rename="DB_PASS" if path[-1] == "LOG_LEVEL" else None)
    code, markdown, _ = run_cli("--root", str(root), "review", "--base", "main")
    _, as_json, _ = run_cli("--root", str(root), "review", "--base", "main", "--format", "json")
    assert code == 1 and "E501" in markdown
    _assert_clean(markdown + as_json, PASSWORD, "review")


GLPAT = "glpat-r4nd0mlowercase12345"  # lowercase: a valid SageMaker name, so it passes the schema
DEEPER = [  # (plantings [(file, path, text)], the code each case must reach)
    ([("specs/models/rt.yaml", ("spec", "deployment", "instance_type"), f"ml.{GLPAT}.xlarge")], "E401"),
    ([("specs/endpoints/pool.yaml", ("spec", "instance_type"), f"ml.{GLPAT}.xlarge")], "E401"),
    ([("specs/models/rt.yaml", ("spec", "environment", "LOG_LEVEL"), GLPAT + "-" * 1100)], "E413"),
    (
        [("specs/models/rt.yaml", ("spec", "weights", "s3", "uri"), f"s3://fixture-dev-artifacts/{GLPAT}/*")],
        "E705",
    ),
    (
        [
            (
                "specs/models/rt.yaml",
                ("spec", "container"),
                {"framework": "image", "image": f"1.dkr.ecr/{GLPAT}:*"},
            ),
        ],
        "E705",
    ),
    (
        [
            (
                "specs/models/later.yaml",
                ("spec", "weights", "huggingface", "token_secret"),
                f"arn:aws:secretsmanager:eu-west-1:999999999999:secret:{GLPAT}",
            )
        ],
        "E502",
    ),
    (
        [
            ("specs/models/rt.yaml", ("metadata", "name"), GLPAT),
            ("specs/models/later.yaml", ("metadata", "name"), GLPAT),
        ],
        "E302",
    ),
]


def _substitute(value: Any, word: str) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, word) for k, v in value.items()}
    return value.replace(GLPAT, word) if isinstance(value, str) else value


def test_plantings_that_pass_the_schema_reach_deeper_rules(tmp_path: Path) -> None:
    """Each case twice: with a token (the Finding scrub would hide a quote) and with a plain word
    no pattern knows (only messages that never quote the value keep it out)."""
    base = _repo(tmp_path / "base")
    plain = "zq9kx7wv3mpl8rt2"
    for index, (plantings, code) in enumerate(DEEPER):
        words = [(GLPAT, "r4nd0mlowercase12345")] + ([(plain, plain)] if code != "E302" else [])
        for word, secret in words:  # a name is shown as the document's identity: token form only
            root = tmp_path / f"d{index}-{len(secret)}"
            shutil.copytree(base, root)
            for file, path, value in plantings:
                target = root / file
                document = yaml.safe_load(target.read_text())
                parent = document
                for part in path[:-1]:
                    parent = parent[part]
                parent[path[-1]] = _substitute(value, word)
                target.write_text(yaml.safe_dump(document, sort_keys=False))
            output, codes = _validate_outputs(root)
            assert code in codes, (code, codes)
            _assert_clean(output, secret, (code, word, plantings))
