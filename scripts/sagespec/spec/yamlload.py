"""YAML loading that remembers where every value came from.

PyYAML composes the node graph (C-accelerated when libyaml is present); we turn nodes into plain
Python values ourselves so that every value keeps its line and column, duplicate keys are caught,
and hostile input (alias bombs, deep nesting, huge or binary files) ends in a Finding, not a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..findings import Finding

try:  # libyaml makes composing ~10x faster; the pure-Python loader behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024  # a spec is a few kB; anything this big is a mistake or an attack
MAX_NODES = 20_000  # counted after alias expansion, so a billion-laughs document stops early
MAX_DEPTH = 40  # specs nest about 6 levels; deeper input is refused before libyaml recurses on it

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """One YAML document: plain data, plus the node tree that knows every line and column.

    Positions are looked up only when a finding needs one, so loading pays nothing for them.
    """

    file: str
    data: dict[str, Any]
    root: yaml.Node | None = field(default=None, repr=False)
    text: str = field(default="", repr=False)  # the source, for cheap whole-file scans
    has_nulls: bool = True  # False lets callers skip stripping nulls

    def _nodes(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node] | None:
        """(key node, value node) at `path`, or None when the file has no such path."""
        key_node: yaml.Node | None = None
        node = self.root
        if node is None:
            return None
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                # the first occurrence, as in `data` (later duplicates are reported and dropped)
                match = next((kv for kv in node.value if kv[0].tag == _STR and kv[0].value == part), None)
                if match is None:
                    return None
                key_node, node = match
            elif (
                isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
            ):
                key_node, node = None, node.value[part]
            else:
                return None
        return key_node, node

    def mark(self, path: Path_, key: bool = False) -> tuple[int, int] | None:
        """Line and column of the value at `path` (of its key with key=True), None when absent."""
        found = self._nodes(path)
        if found is None:
            return None
        key_node, node = found
        return _mark(key_node if key and key_node is not None else node)

    def scalar_text(self, path: Path_) -> str | None:
        """The source text of the plain (unquoted) scalar at `path`, before YAML resolved it."""
        found = self._nodes(path)
        node = found[1] if found is not None else None
        if isinstance(node, yaml.ScalarNode) and not node.style:  # libyaml says "", PyYAML None
            return str(node.value)
        return None

    def locate(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            found = self.mark(path[:end], key)
            if found is not None:
                return found
        return (1, 1)


class _Abort(Exception):
    def __init__(self, code: str, message: str, mark: tuple[int, int], hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.mark, self.hint = code, message, mark, hint


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    def __init__(self) -> None:
        self.nodes = 0
        self.nulls = False
        self.problems: list[tuple[str, str, tuple[int, int], str | None]] = []

    def convert(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH:
            raise _Abort("E106", f"nesting deeper than {MAX_DEPTH} levels", _mark(node))
        if self.nodes > MAX_NODES:
            raise _Abort(
                "E106",
                f"document has more than {MAX_NODES} values after alias expansion",
                _mark(node),
                "remove anchors/aliases; specs are small, flat documents",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _Abort("E108", "unsupported YAML tag on a list", _mark(node))
            return [self.convert(item, depth + 1) for item in node.value]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR or tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: a revision "2024-01-01" is a string, not a datetime
        if tag in _SCALAR_TAGS:
            if tag == _NULL:
                self.nulls = True
                return None
            return _constructor.yaml_constructors[tag](_constructor, node)
        raise _Abort("E108", "unsupported YAML tag", _mark(node), "use plain strings, numbers and booleans")

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise _Abort("E108", "unsupported YAML tag on a mapping", _mark(node))
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Abort(
                    "E108",
                    "merge keys (<<) are not supported",
                    _mark(key_node),
                    "write the keys out, or use environments: overlays for variations",
                )
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                self.problems.append(("E108", "a key is not a string", _mark(key_node), "quote the key"))
                continue
            key = key_node.value
            if key in result:
                self.problems.append(
                    (
                        "E102",
                        f"duplicate key (first defined at line {first_line[key]})",
                        _mark(key_node),
                        "remove one of them; YAML keeps only the last",
                    )
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, depth + 1)
        return result


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
                _mark(nodes[1]),
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
                _mark(root),
                "a spec starts with apiVersion:, kind:, metadata: and spec:",
            )
        ]
    conv = _Converter()
    try:
        data = conv.convert(root, 0)
    except _Abort as abort:
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
