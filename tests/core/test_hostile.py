"""Hostile and random input never produces a traceback or a hang: always a finding or success."""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagespec import pipeline
from sagespec.spec.project import load_project
from sagespec.spec.yamlload import MAX_BYTES, load_text
from tests.helpers.repo import FIXTURES, fixture_repo

BASE = (FIXTURES / "repo" / "specs" / "models" / "chat.yaml").read_text()
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _mutate(document: dict, path: tuple[object, ...], replacement: object, delete: bool) -> dict:  # type: ignore[type-arg]
    if not path:
        return replacement if isinstance(replacement, dict) else document
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    return document


def _check_repo(root: Path) -> None:
    start = time.monotonic()
    outcome = pipeline.check(load_project(root))
    assert time.monotonic() - start < 10
    for finding in outcome.findings:
        assert finding.line >= 1 and finding.col >= 1 and finding.code


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_specs_give_findings_not_tracebacks(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    root = fixture_repo(tmp_path_factory.mktemp("mut") / "repo")
    document = yaml.safe_load(BASE)
    path = data.draw(st.sampled_from(_paths(document)))
    mutated = _mutate(document, path, data.draw(SCALARS), data.draw(st.booleans()))
    (root / "specs" / "models" / "chat.yaml").write_text(yaml.safe_dump(mutated))
    _check_repo(root)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_bytes_give_findings_not_tracebacks(tmp_path_factory, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    root = fixture_repo(tmp_path_factory.mktemp("raw") / "repo")
    (root / "specs" / "models" / "chat.yaml").write_bytes(raw)
    _check_repo(root)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(0, len(BASE)),
    junk=st.sampled_from(["", ":", "- ", "{", "]", "&a", "*a", "!!binary", "\t", "'"]),
)
def test_truncated_and_corrupted_yaml(tmp_path_factory, cut: int, junk: str) -> None:  # type: ignore[no-untyped-def]
    root = fixture_repo(tmp_path_factory.mktemp("cut") / "repo")
    (root / "specs" / "models" / "chat.yaml").write_text(BASE[:cut] + junk + BASE[cut:])
    _check_repo(root)


def test_hostile_documents_are_refused_quickly() -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    cases = {
        "deep block sequence": "- " * 200_000 + "x",
        "deep flow": "[" * 500_000,
        "alias bomb": bomb,
        "recursive alias": "a: &a [*a]\n",
    }
    for label, text in cases.items():
        start = time.monotonic()
        document, findings = load_text(text, "x.yaml")
        assert document is None, label
        assert findings and findings[0].code in ("E101", "E106"), (label, findings)
        assert time.monotonic() - start < 2, label


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    (root / "specs" / "models" / "huge.yaml").write_text("a: " + "x" * (MAX_BYTES + 1))
    outcome = pipeline.check(load_project(root))
    assert [(f.code, f.file) for f in outcome.findings] == [("E105", "specs/models/huge.yaml")]


def test_yaml_details() -> None:
    document, findings = load_text("a: {b: [1, 2.5, true, null, '2024-01-01', 2024-01-01]}\n", "x.yaml")
    assert findings == [] and document is not None
    assert document.data == {"a": {"b": [1, 2.5, True, None, "2024-01-01", "2024-01-01"]}}
    assert document.mark(("a", "b", 1)) == (1, 12)
    assert document.mark(("a",), key=True) == (1, 1) and document.mark(("a", "z")) is None
    for text, code in [
        ("1: a\n", "E108"),
        ("a: &x {b: 1}\nc: {<<: *x}\n", "E108"),
        ("a: !!python/object:os.system x\n", "E108"),
        ("- a\n", "E107"),
        ("a: 1\n---\nb: 2\n", "E107"),
        ("a: 1\na: 2\n", "E102"),
    ]:
        _, found = load_text(text, "x.yaml")
        assert [f.code for f in found] == [code], text


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_compiled_schema_agrees_with_jsonschema(data) -> None:  # type: ignore[no-untyped-def]
    """The fast path may only say "valid" when jsonschema finds no error, and the reverse."""
    import fastjsonschema

    from sagespec.rules import structure

    document = yaml.safe_load(BASE)
    document.pop("environments")
    path = data.draw(st.sampled_from(_paths(document)))
    mutated = _mutate(document, path, data.draw(SCALARS), data.draw(st.booleans()))
    try:
        structure._fast("Model")(mutated)
        fast_ok = True
    except fastjsonschema.JsonSchemaException:
        fast_ok = False
    slow_ok = not list(structure._validator("Model").iter_errors(mutated))
    assert fast_ok == slow_ok, mutated


def test_an_absurd_copy_count_is_a_finding_not_an_out_of_memory(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    chat = root / "specs" / "models" / "chat.yaml"
    chat.write_text(chat.read_text().replace("    copies: 2\n", "    copies: 1000000000000\n"))
    start = time.monotonic()
    outcome = pipeline.check(load_project(root))
    assert time.monotonic() - start < 10
    assert any(f.code == "E404" and f.file == "specs/models/chat.yaml" for f in outcome.findings)
