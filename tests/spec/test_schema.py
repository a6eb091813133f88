"""The JSON Schemas: one source of shared definitions, thin wrappers per kind, and editor copies in
specs/schema/ that are generated bundles, kept current by `sagespec schema --write` / `--check`."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sagespec.errors import SagespecError
from sagespec.spec.schema.bundle import DEFS_FILE, SCHEMA_FILES, bundle, bundle_text, source_text
from tests.helpers.repo import run_cli

REPO = Path(__file__).resolve().parents[2]
SOURCES = Path(str(resources.files("sagespec.spec.schema")))


def scratch_root(tmp_path: Path) -> Path:
    """A folder `find_root` accepts, holding a copy of the committed editor schemas."""
    root = tmp_path / "repo"
    (root / "envs").mkdir(parents=True)
    shutil.copytree(REPO / "specs" / "schema", root / "specs" / "schema")
    return root


def sources_with(**changed: Any) -> Any:
    """A `read` for bundle(): the package's sources, with some files replaced (dict -> JSON)."""

    def read(file: str) -> str:
        key = file.removesuffix(".schema.json")
        if key in changed:
            value = changed[key]
            return value if isinstance(value, str) else json.dumps(value)
        return source_text(file)

    return read


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [*([node["$ref"]] if "$ref" in node else []), *(r for v in node.values() for r in refs(v))]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


# --- the committed editor copies --------------------------------------------------------------


def test_the_committed_editor_copies_are_current() -> None:
    code, out, _ = run_cli("--root", str(REPO), "schema", "--check")
    assert code == 0, out
    for stem in SCHEMA_FILES.values():
        assert f"specs/schema/{stem}.schema.json: up to date" in out


def test_a_tampered_copy_fails_the_check_by_name(tmp_path: Path) -> None:
    root = scratch_root(tmp_path)
    endpoint = root / "specs" / "schema" / "endpoint.schema.json"
    endpoint.write_text(endpoint.read_text().replace('"minimum": 1', '"minimum": 2', 1))
    code, out, _ = run_cli("--root", str(root), "schema", "--check")
    assert code == 1
    assert "specs/schema/endpoint.schema.json: stale; run `sagespec schema --write`" in out
    assert "specs/schema/model.schema.json: up to date" in out
    assert endpoint.read_text() != bundle_text("Endpoint")  # --check writes nothing


def test_a_missing_copy_is_stale_and_write_restores_every_copy(tmp_path: Path) -> None:
    root = scratch_root(tmp_path)
    (root / "specs" / "schema" / "model.schema.json").unlink()
    assert run_cli("--root", str(root), "schema", "--check")[0] == 1
    code, out, _ = run_cli("--root", str(root), "schema", "--write")
    assert code == 0 and "specs/schema/model.schema.json: written" in out
    assert run_cli("--root", str(root), "schema", "--check")[0] == 0
    assert sorted(p.name for p in (root / "specs" / "schema").iterdir()) == sorted(
        f"{stem}.schema.json" for stem in SCHEMA_FILES.values()
    )  # no temporary file left behind


def test_the_command_prints_the_bundled_schema_of_a_kind() -> None:
    for kind, stem in SCHEMA_FILES.items():
        code, out, _ = run_cli("schema", kind.lower())
        assert code == 0
        assert out == run_cli("schema", "--kind", kind.lower())[1]
        assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert (REPO / "specs" / "schema" / f"{stem}.schema.json").read_text() == out
    assert run_cli("schema")[1] == bundle_text("Model")


def test_conflicting_arguments_are_usage_errors() -> None:
    code, _, err = run_cli("schema", "model", "--kind", "endpoint")
    assert code == 2 and "two kinds given" in err and "Traceback" not in err
    code, _, err = run_cli("--root", str(REPO), "schema", "endpoint", "--check")
    assert code == 2 and "every kind" in err


# --- one source -------------------------------------------------------------------------------


def test_the_wrappers_hold_no_definitions_and_point_only_into_the_shared_file() -> None:
    for stem in SCHEMA_FILES.values():
        wrapper = json.loads((SOURCES / f"{stem}.schema.json").read_text())
        assert "$defs" not in wrapper
        assert all(ref.startswith(f"{DEFS_FILE}#/$defs/") for ref in refs(wrapper)), stem


def unused_definitions(read: Any = source_text) -> set[str]:
    definitions = set(json.loads(read(DEFS_FILE))["$defs"])
    return definitions - {name for kind in SCHEMA_FILES for name in bundle(kind, read)["$defs"]}


def test_every_shared_definition_is_used_by_some_kind() -> None:
    assert unused_definitions() == set()
    defs = json.loads(source_text(DEFS_FILE))
    defs["$defs"]["orphan"] = {"type": "string"}
    assert unused_definitions(sources_with(defs=defs)) == {"orphan"}  # the check can fail


def test_a_bundle_is_self_contained_and_a_valid_schema() -> None:
    for kind in SCHEMA_FILES:
        bundled = bundle(kind)
        jsonschema.Draft202012Validator.check_schema(bundled)
        for ref in refs(bundled):
            assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in bundled["$defs"], ref


def test_a_change_to_a_shared_definition_reaches_every_kind_that_uses_it() -> None:
    defs = json.loads(source_text(DEFS_FILE))
    defs["$defs"]["name"]["maxLength"] = 40
    read = sources_with(defs=defs)
    for kind in SCHEMA_FILES:
        assert bundle(kind, read)["$defs"]["name"]["maxLength"] == 40, kind


# --- broken sources: clear errors, never a traceback ------------------------------------------


def _wrapper_with_ref(ref: str) -> dict[str, Any]:
    wrapper = json.loads(source_text("endpoint.schema.json"))
    wrapper["properties"]["spec"] = {"$ref": ref}
    return wrapper


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("defs.schema.json#/$defs/no_such_spec", "has no definition 'no_such_spec'"),
        ("other.schema.json#/$defs/endpoint_spec", "does not name a shared definition"),
        ("#/$defs/endpoint_spec", "does not name a shared definition"),  # a wrapper has no $defs
    ],
)
def test_a_bad_ref_names_the_file_and_the_place(ref: str, words: str) -> None:
    with pytest.raises(SagespecError) as raised:
        bundle("Endpoint", sources_with(endpoint=_wrapper_with_ref(ref)))
    message = str(raised.value)
    assert "scripts/sagespec/spec/schema/endpoint.schema.json" in message and words in message
    assert "/properties/spec" in message and "hint:" in message


def test_a_source_that_is_not_json_names_its_line() -> None:
    with pytest.raises(SagespecError) as raised:
        bundle("Model", sources_with(defs='{\n  "$defs": {,\n}'))
    assert str(raised.value).startswith("scripts/sagespec/spec/schema/defs.schema.json:2:")


def test_a_wrapper_with_its_own_definitions_is_refused() -> None:
    wrapper = json.loads(source_text("model.schema.json"))
    wrapper["$defs"] = {"x": {}}
    with pytest.raises(SagespecError, match="keeps no \\$defs of its own"):
        bundle("Model", sources_with(model=wrapper))
