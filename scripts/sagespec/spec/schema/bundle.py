"""Join a kind's wrapper schema and the shared definitions into one self-contained schema.

The wrappers point into defs.schema.json (`defs.schema.json#/$defs/NAME`); the bundle copies every
definition a kind reaches into its own `$defs` and makes each `$ref` local, so an editor needs no
second file and validation needs no resolver. Only the definitions a kind uses are copied.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ...errors import SagespecError

SCHEMA_FILES = {"Model": "model", "Endpoint": "endpoint", "Environment": "environment"}
DEFS_FILE = "defs.schema.json"
_DEFS_PREFIX = "#/$defs/"
_SOURCE_DIR = "scripts/sagespec/spec/schema"


def source_text(file: str) -> str:
    """A source file of the package's schema folder (a wrapper or the definitions)."""
    return resources.files("sagespec.spec.schema").joinpath(file).read_text(encoding="utf-8")


def bundle(kind: str, read: Any = source_text) -> dict[str, Any]:
    """The schema of `kind` with every definition it uses inlined under `$defs`.

    `read(file)` returns a source file's text; tests pass their own to bundle broken sources.
    """
    wrapper_file = f"{SCHEMA_FILES[kind]}.schema.json"
    wrapper = _load(read, wrapper_file)
    if "$defs" in wrapper:
        raise SagespecError(
            f"{_SOURCE_DIR}/{wrapper_file}: a wrapper keeps no $defs of its own",
            f"move the definitions to {_SOURCE_DIR}/{DEFS_FILE} and $ref them from there",
        )
    definitions = _load(read, DEFS_FILE).get("$defs", {})
    used: dict[str, Any] = {}

    def local(node: Any, file: str, pointer: str) -> Any:
        if isinstance(node, list):
            return [local(item, file, f"{pointer}/{i}") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        copied = {key: local(value, file, f"{pointer}/{key}") for key, value in node.items()}
        if "$ref" in node:
            name = _definition_name(node["$ref"], file, pointer, definitions)
            copied["$ref"] = _DEFS_PREFIX + name
            if name not in used:
                used[name] = None  # reserved first: a definition may refer to itself
                used[name] = local(definitions[name], DEFS_FILE, f"/$defs/{name}")
        return copied

    bundled = local(wrapper, wrapper_file, "")
    bundled["$defs"] = dict(sorted(used.items()))
    return bundled  # type: ignore[no-any-return]


def bundle_text(kind: str) -> str:
    """The bundled schema as committed in specs/schema/: sorted keys, two-space indent."""
    return json.dumps(bundle(kind), indent=2, sort_keys=True) + "\n"


@cache
def schema(kind: str) -> dict[str, Any]:
    """The bundled schema as validation reads it: parsed back from the committed text, so the
    order of its keys (and of the errors jsonschema reports) is the editor copy's."""
    return json.loads(bundle_text(kind))  # type: ignore[no-any-return]


def _load(read: Any, file: str) -> dict[str, Any]:
    text = read(file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SagespecError(
            f"{_SOURCE_DIR}/{file}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})",
            "fix the schema source, then run `sagespec schema --write`",
        ) from None
    if not isinstance(data, dict):
        raise SagespecError(f"{_SOURCE_DIR}/{file}: a schema is a JSON object", None)
    return data


def _definition_name(ref: Any, file: str, pointer: str, definitions: dict[str, Any]) -> str:
    """NAME of a `$ref` to `defs.schema.json#/$defs/NAME` (or `#/$defs/NAME` inside that file)."""
    target, _, fragment = ref.partition("#") if isinstance(ref, str) else ("", "", "")
    local_to_defs = target == "" and file == DEFS_FILE
    name = fragment.removeprefix("/$defs/") if fragment.startswith("/$defs/") else ""
    if not (target == DEFS_FILE or local_to_defs) or not name or "/" in name:
        raise SagespecError(
            f"{_SOURCE_DIR}/{file}: $ref {ref!r} at {pointer or '/'} does not name a shared definition",
            f"write `{DEFS_FILE}#/$defs/NAME` (`#/$defs/NAME` inside {DEFS_FILE})",
        )
    if name not in definitions:
        raise SagespecError(
            f"{_SOURCE_DIR}/{file}: $ref {ref!r} at {pointer or '/'}: {DEFS_FILE} has no definition {name!r}",
            f"add it to {_SOURCE_DIR}/{DEFS_FILE} or fix the name",
        )
    return name
