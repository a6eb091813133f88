"""One loaded YAML document: its plain data, and the node tree that knows every line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .keypath import KeyPath

STR_TAG = "tag:yaml.org,2002:str"


def mark_of(node: yaml.Node) -> tuple[int, int]:
    """1-based (line, column) where `node` starts."""
    return (node.start_mark.line + 1, node.start_mark.column + 1)


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

    def _nodes(self, path: KeyPath) -> tuple[yaml.Node | None, yaml.Node] | None:
        """(key node, value node) at `path`, or None when the file has no such path."""
        key_node: yaml.Node | None = None
        node = self.root
        if node is None:
            return None
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                # the first occurrence, as in `data` (later duplicates are reported and dropped)
                match = next((kv for kv in node.value if kv[0].tag == STR_TAG and kv[0].value == part), None)
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

    def mark(self, path: KeyPath, key: bool = False) -> tuple[int, int] | None:
        """Line and column of the value at `path` (of its key with key=True), None when absent."""
        found = self._nodes(path)
        if found is None:
            return None
        key_node, node = found
        return mark_of(key_node if key and key_node is not None else node)

    def scalar_text(self, path: KeyPath) -> str | None:
        """The source text of the plain (unquoted) scalar at `path`, before YAML resolved it."""
        found = self._nodes(path)
        node = found[1] if found is not None else None
        if isinstance(node, yaml.ScalarNode) and not node.style:  # libyaml says "", PyYAML None
            return str(node.value)
        return None

    def locate(self, path: KeyPath, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            found = self.mark(path[:end], key)
            if found is not None:
                return found
        return (1, 1)
