"""YAML loading that remembers where every value came from.

PyYAML composes the node graph (C-accelerated when libyaml is present); yamlvalues.py turns the
nodes into plain Python values so that every value keeps its line and column (document.py),
duplicate keys are caught, and hostile input (alias bombs, deep nesting, huge or binary files)
ends in a Finding, not a hang.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..findings import Finding
from .document import Document, mark_of
from .yamlvalues import MAX_DEPTH, Abort, Converter

try:  # libyaml makes composing ~10x faster; the pure-Python loader behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024  # a spec is a few kB; anything this big is a mistake or an attack


# PyYAML quotes what it found ("found undefined alias 'x'"): keep single characters, which say
# what broke the syntax, and drop anything longer, which may be a value.
_QUOTED = re.compile(r"'([^']{5,})'|\"([^\"]{5,})\"")


def _unquoted(message: str) -> str:
    return _QUOTED.sub("'…'", message)


def _finding(file: str, code: str, message: str, mark: tuple[int, int], hint: str | None = None) -> Finding:
    return Finding(file, mark[0], mark[1], "error", code, message, hint=hint)


# libyaml's composer recurses in C: a few hundred thousand nesting levels crash the interpreter.
# Deep nesting needs flow brackets, compact block nesting ("- - -") or a long file, so only files
# that show one of those are pre-scanned with the (iterative) event parser.
_COMPACT_NESTING = re.compile(r"[-?][ \t]+[-?]")
_SCAN_ABOVE_BYTES = 16 * 1024


def _too_deep(text: str) -> bool:
    suspicious = (
        len(text) > _SCAN_ABOVE_BYTES
        or text.count("[") + text.count("{") > MAX_DEPTH
        or _COMPACT_NESTING.search(text) is not None
    )
    if not suspicious:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return False  # the composer reports the syntax error with its position
    return False


def read_text(path: Path, display: str) -> tuple[str | None, list[Finding]]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [
                _finding(
                    display,
                    "E105",
                    f"file is {size} bytes, over the {MAX_BYTES} limit",
                    (1, 1),
                    "specs are small; keep weights and data out of YAML",
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [_finding(display, "E104", f"cannot read file: {exc.strerror}", (1, 1))]
    if b"\x00" in raw:
        return None, [
            _finding(
                display,
                "E104",
                "binary file (contains NUL bytes)",
                (1, 1),
                "spec files must be UTF-8 YAML text",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            _finding(
                display, "E104", f"not valid UTF-8 (byte {exc.start})", (line, 1), "save the file as UTF-8"
            )
        ]
    return text, []


def load_text(text: str, display: str) -> tuple[Document | None, list[Finding]]:
    """Parse one-document YAML text into a Document; every problem becomes a Finding."""
    if _too_deep(text):
        return None, [_finding(display, "E106", f"nesting deeper than {MAX_DEPTH} levels", (1, 1))]
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = _unquoted(" ".join(str(p) for p in (exc.context, exc.problem) if p))
        return None, [
            _finding(
                display,
                "E101",
                message or "invalid YAML",
                pos,
                "check indentation and quoting near this position",
            )
        ]
    except (yaml.YAMLError, RecursionError) as exc:
        return None, [_finding(display, "E101", _unquoted(f"invalid YAML: {exc}"), (1, 1))]
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None, [
            _finding(
                display,
                "E103",
                "file holds no YAML document",
                (1, 1),
                "every spec file holds exactly one document",
            )
        ]
    if len(nodes) > 1:
        return None, [
            _finding(
                display,
                "E107",
                "file holds more than one YAML document",
                mark_of(nodes[1]),
                "one document per file: split it, named after metadata.name",
            )
        ]
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        return None, [
            _finding(
                display,
                "E107",
                "document is not a mapping",
                mark_of(root),
                "a spec starts with apiVersion:, kind:, metadata: and spec:",
            )
        ]
    conv = Converter()
    try:
        data = conv.convert(root, 0)
    except Abort as abort:
        return None, [_finding(display, abort.code, abort.message, abort.mark, abort.hint)]
    except RecursionError:
        return None, [_finding(display, "E106", "document nests too deeply", (1, 1))]
    findings = [_finding(display, c, m, pos, h) for c, m, pos, h in conv.problems]
    return Document(display, data, root, text, conv.nulls), findings


def load_file(path: Path, display: str) -> tuple[Document | None, list[Finding]]:
    text, findings = read_text(path, display)
    if text is None:
        return None, findings
    return load_text(text, display)
