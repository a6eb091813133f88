"""Structure: each document against its JSON Schema (draft 2020-12), with SageMaker-style messages."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import math
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from .. import atomic
from ..caches import cache_folder
from ..findings import describe
from ..spec.keypath import dotted, safe_key
from ..spec.project import Resolved, Source
from ..spec.schema.bundle import SCHEMA_FILES, schema
from ..suggest import did_you_mean
from . import secrets
from .report import Reporter


@cache
def checked_schema(kind: str) -> dict[str, Any]:
    """The schema as validation uses it: every anchored pattern matches the whole string.

    JSON Schema patterns are searched, and Python's `$` also matches before a final newline, so
    `^arn:...$` accepted "arn:...\\n". `\\Z` ends at the very end; editors keep the ECMA copy.
    """
    return _whole(copy.deepcopy(schema(kind)))  # type: ignore[no-any-return]


def _whole(node: Any) -> Any:
    if isinstance(node, dict):
        pattern = node.get("pattern")
        if (
            isinstance(pattern, str)
            and pattern.startswith("^")
            and pattern.endswith("$")
            and not pattern.endswith("\\$")
        ):
            node["pattern"] = "^(?:" + pattern[1:-1] + ")\\Z"
        for value in node.values():
            _whole(value)
    elif isinstance(node, list):
        for value in node:
            _whole(value)
    return node


@cache
def _fast(kind: str) -> Callable[[Any], Any]:
    """The schema compiled to Python code, cached on disk: compiling takes ~0.2 s per kind."""
    text = json.dumps(checked_schema(kind), sort_keys=True)
    digest = hashlib.sha256(f"{fastjsonschema.VERSION}:{text}".encode()).hexdigest()[:16]
    cached = _cache_dir() / f"schema-{kind.lower()}-{digest}.py"
    try:
        code = cached.read_text(encoding="utf-8")
    except OSError:
        # a deep copy: fastjsonschema rewrites the $refs of the schema it is given, in place
        code = fastjsonschema.compile_to_code(copy.deepcopy(checked_schema(kind)))
        with contextlib.suppress(OSError):  # a read-only home only costs the compile time
            atomic.write_text(cached, code)
    namespace: dict[str, Any] = {}
    exec(compile(code, str(cached), "exec"), namespace)
    entry = re.search(r"^def (validate\w*)\(", code, re.MULTILINE)  # the first function validates the root
    if entry is None:
        raise RuntimeError(f"unexpected code from fastjsonschema in {cached}")
    return namespace[entry.group(1)]  # type: ignore[no-any-return]


def _cache_dir() -> Path:
    return cache_folder("schemas")


@cache
def _validator(kind: str) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema(kind))
    return cls(checked_schema(kind))


_RANGE = {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
}
_ALLOWED = {"enum", "const", "pattern", "propertyNames", "uniqueItems"}


def check_kind(reporter: Reporter, source: Source, allowed: tuple[str, ...]) -> str | None:
    """apiVersion and kind first: without them no schema applies. Returns the usable kind."""
    data = source.data
    if data.get("apiVersion") != "sagespec/v1":
        reporter.error(
            source,
            ("apiVersion",),
            "E204",
            f"apiVersion must be 'sagespec/v1', not {describe(data.get('apiVersion'))}",
            "start the document with `apiVersion: sagespec/v1`",
        )
    kind = data.get("kind")
    if isinstance(kind, str) and kind in allowed:
        return kind
    if isinstance(kind, str) and kind in SCHEMA_FILES:
        hint = "Model and Endpoint documents live under specs/, the Environment in envs/<env>/env.yaml"
        reporter.error(source, ("kind",), "E204", f"kind {kind} does not belong here", hint)
    else:
        hint = did_you_mean(kind, allowed) or f"kind is one of {', '.join(allowed)}"
        reporter.error(source, ("kind",), "E204", f"unknown kind ({describe(kind)})", hint)
    return None


def check_finite(reporter: Reporter, source: Source) -> bool:
    """.nan and .inf pass every schema bound (NaN compares false) and disable cost ceilings: report
    each; False when there was one (the document is then not checked further, nor rendered)."""
    paths = _non_finite(source.data, ())
    for path in paths:
        reporter.error(
            source,
            path,
            "E205",
            "not a finite number (.nan or .inf)",
            "write a plain number such as 10 or 2.5",
        )
    return not paths


def _non_finite(value: Any, path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    if isinstance(value, float):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _non_finite(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _non_finite(v, (*path, i))]
    return []


def check_document(reporter: Reporter, where: Source | Resolved, kind: str, data: dict[str, Any]) -> bool:
    """Report every schema error of `data`; True when there was none.

    The compiled validator answers "valid" fast; only an invalid document pays for jsonschema,
    which lists every error with its path.
    """
    try:
        _fast(kind)(data)
        return True
    except fastjsonschema.JsonSchemaException:
        pass
    errors = list(_validator(kind).iter_errors(data))
    for error in errors:
        _report(reporter, where, error)
    return not errors


def _report(reporter: Reporter, where: Source | Resolved, error: jsonschema.ValidationError) -> None:
    """One schema error as a finding that says what was wrong, never what the value was."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        for extra in extras:
            hint = did_you_mean(extra, allowed) or (
                f"allowed keys: {', '.join(allowed)}" if allowed else None
            )
            reporter.error(where, (*path, extra), "E201", "unknown key", hint, key=True)
    elif kind == "required":
        # jsonschema's message quotes the schema's key name, not a value
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        reporter.error(where, path, "E203", f"missing required key {missing!r}", key=True)
    elif kind == "type":
        expected = error.validator_value
        wants_text = "string" in (expected if isinstance(expected, list) else [expected])
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        shown = "null" if error.instance is None else type(error.instance).__name__
        hint = _quote_hint(where, path) if wants_text and shown in ("int", "float", "bool") else None
        if expected == "boolean" and shown == "str":
            hint = "write true or false, without quotes"
        reporter.error(where, path, "E202", f"expected {_type_word(expected)}, got {_type_word(shown)}", hint)
    elif kind in ("enum", "const"):
        options = [str(o) for o in (error.validator_value if kind == "enum" else [error.validator_value])]
        hint = did_you_mean(error.instance, options)
        reporter.error(
            where,
            path,
            "E204",
            f"value not allowed ({describe(error.instance)}): must be one of {', '.join(options)}",
            hint,
        )
    elif kind == "pattern" and path == ("metadata", "name"):
        reporter.error(
            where,
            path,
            "E308",
            "metadata.name does not match SageMaker's name pattern",
            "lowercase letters, digits and hyphens, starting and ending with a letter or digit "
            "(at most 63 characters; the file is specs/**/<name>.yaml)",
        )
    elif kind == "pattern":
        reporter.error(
            where,
            path,
            "E204",
            f"value ({describe(error.instance)}) does not match the pattern {error.validator_value}",
            error.schema.get("description"),
        )
    elif kind == "propertyNames":
        pattern = error.validator_value.get("pattern") if isinstance(error.validator_value, dict) else None
        rule = f"the pattern {pattern}" if pattern else "the schema's rule for keys"
        reporter.error(where, (*path, error.instance), "E204", f"key does not match {rule}", key=True)
    elif kind in _RANGE:
        reporter.error(where, path, "E205", _range_message(error))
    elif kind in ("minProperties", "maxProperties"):
        described = error.schema.get("description") or "see the spec format in the README"
        keys = [safe_key(k) for k in error.instance]
        reporter.error(
            where,
            path,
            "E206",
            f"{dotted(path) or 'document'} must have {described}",
            f"keys given: {', '.join(keys) or 'none'}",
        )
    else:  # jsonschema's own message quotes the value: name the rule instead
        reporter.error(
            where, path, "E206", f"value ({describe(error.instance)}) breaks the schema rule {kind!r}"
        )


def _quote_hint(where: Source | Resolved, path: tuple[Any, ...]) -> str:
    """YAML read an unquoted value as a number or boolean: show the quoted form of what was written."""
    text = where.scalar_text(path) if isinstance(where, Resolved) else where.doc.scalar_text(path)
    if text is None or secrets.token_kind(text) or secrets.is_secret_variable(str(path[-1]), text):
        return "quote the value so YAML keeps it as text"
    return f"quote it so YAML keeps it as text: {json.dumps(text)}"


def dotted_name(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) or "document"


def _type_word(name: str) -> str:
    return {
        "str": "string",
        "int": "integer",
        "float": "number",
        "dict": "mapping",
        "list": "list",
        "object": "mapping",
        "array": "list",
        "bool": "boolean",
    }.get(name, name)


def _range_message(error: jsonschema.ValidationError) -> str:
    words = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
        "minLength": "at least {} characters",
        "maxLength": "at most {} characters",
        "minItems": "at least {} items",
        "maxItems": "at most {} items",
    }
    word = words[str(error.validator)]
    bound = error.validator_value
    expected = word.format(bound) if "{}" in word else f"{word} {bound}"
    return f"value ({describe(error.instance)}) is out of range: must be {expected}"
