"""YAML nodes to plain Python values, ourselves rather than by PyYAML's constructor.

So duplicate keys and non-string keys are reported (PyYAML keeps the last silently), dates stay
text, unsupported tags and merge keys are refused, and alias bombs or deep nesting stop early.
"""

from __future__ import annotations

from typing import Any

import yaml

from .document import STR_TAG, mark_of

MAX_NODES = 20_000  # counted after alias expansion, so a billion-laughs document stops early
MAX_DEPTH = 40  # specs nest about 6 levels; deeper input is refused before libyaml recurses on it

_NULL = "tag:yaml.org,2002:null"
_SCALAR_TAGS = {
    STR_TAG,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    _NULL,
}
_constructor = yaml.constructor.SafeConstructor()

Problem = tuple[str, str, tuple[int, int], str | None]  # (code, message, (line, column), hint)


class Abort(Exception):
    """A problem that stops the conversion: the document cannot be used at all."""

    def __init__(self, code: str, message: str, mark: tuple[int, int], hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.mark, self.hint = code, message, mark, hint


class Converter:
    """Converts one node tree; `problems` collects what is reported but does not stop it."""

    def __init__(self) -> None:
        self.nodes = 0
        self.nulls = False
        self.problems: list[Problem] = []

    def convert(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH:
            raise Abort("E106", f"nesting deeper than {MAX_DEPTH} levels", mark_of(node))
        if self.nodes > MAX_NODES:
            raise Abort(
                "E106",
                f"document has more than {MAX_NODES} values after alias expansion",
                mark_of(node),
                "remove anchors/aliases; specs are small, flat documents",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise Abort("E108", "unsupported YAML tag on a list", mark_of(node))
            return [self.convert(item, depth + 1) for item in node.value]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == STR_TAG or tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: a revision "2024-01-01" is a string, not a datetime
        if tag in _SCALAR_TAGS:
            if tag == _NULL:
                self.nulls = True
                return None
            return _constructor.yaml_constructors[tag](_constructor, node)
        raise Abort("E108", "unsupported YAML tag", mark_of(node), "use plain strings, numbers and booleans")

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise Abort("E108", "unsupported YAML tag on a mapping", mark_of(node))
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise Abort(
                    "E108",
                    "merge keys (<<) are not supported",
                    mark_of(key_node),
                    "write the keys out, or use environments: overlays for variations",
                )
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                self.problems.append(("E108", "a key is not a string", mark_of(key_node), "quote the key"))
                continue
            key = key_node.value
            if key in result:
                self.problems.append(
                    (
                        "E102",
                        f"duplicate key (first defined at line {first_line[key]})",
                        mark_of(key_node),
                        "remove one of them; YAML keeps only the last",
                    )
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, depth + 1)
        return result
