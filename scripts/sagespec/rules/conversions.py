"""YAML 1.1 conversions that change a value silently: the loader keeps every scalar's source text,
so the text as written is compared with what PyYAML (a YAML 1.1 resolver) made of it.

- `5:00` is a base-60 integer (300) and `0777` an octal one (511), anywhere in a document;
- in `environment` values, which reach the container as text: `NO`/`yes`/`on`/`off` become
  booleans (rendered "false"/"true"), and floats lose digits (`4.40` becomes "4.4").
"""

from __future__ import annotations

import json
import re

import yaml

from ..spec.keypath import KeyPath
from ..spec.project import Source
from . import secrets
from .report import Reporter

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_OCTAL = re.compile(r"[-+]?0[0-7_]+")  # YAML 1.1 octal: a leading 0 (0o777 is written on purpose)
_WORD_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}


# Text that could hold one of the conversions above; most specs have none, and a regex over the
# file is far cheaper than a walk over its nodes. False alarms only cost the walk.
_SUSPECT = re.compile(
    r"(?:^|(?<=[\s\[{,]))"  # a whole plain scalar: after a separator ...
    r"(?:[-+]?\d+(?::[0-5]?\d)+(?:\.\d*)?"  # base 60
    r"|[-+]?0[0-7_]+"  # octal
    r"|yes|no|on|off|y|n"  # word booleans
    r"|[-+]?(?:\d[\d_]*)?\.\d[\d_]*(?:[eE][-+]?\d+)?|[-+]?\d[\d_]*[eE][-+]?\d+)"  # floats
    r"(?=[ \t]*(?:[,}\]#\r\n]|$))",  # ... up to the next one
    re.IGNORECASE | re.MULTILINE,
)
_RESOLVED = (_INT, _FLOAT, _BOOL)


def check(reporter: Reporter, source: Source) -> None:
    root = source.doc.root
    if root is None or (source.doc.text and not _SUSPECT.search(source.doc.text)):
        return
    stack: list[tuple[yaml.Node, KeyPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend((v, (*path, str(k.value))) for k, v in node.value if isinstance(k, yaml.ScalarNode))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.ScalarNode) and node.tag in _RESOLVED and not node.style:
            reading = _reading(node, _in_environment(path))  # quoted scalars stay text
            if reading is not None:
                message = f"YAML 1.1 reads this unquoted value as {reading}"
                reporter.warning(source, path, "W411", message, _hint(node, path))


def _reading(node: yaml.ScalarNode, environment: bool) -> str | None:
    """What YAML silently made of the text, when that differs from what was written."""
    text = str(node.value)
    if node.tag in (_INT, _FLOAT) and ":" in text:
        return "a base-60 number"
    if node.tag == _INT and _OCTAL.fullmatch(text):
        return "an octal number"
    if not environment:
        return None
    if node.tag == _BOOL and text.lower() in _WORD_BOOLEANS:
        return "a boolean, which the container receives as true or false"
    if node.tag == _FLOAT and _float_text(text) != text:
        return "a number that the container receives with other digits"
    return None


def _float_text(text: str) -> str:
    """How the rendered environment writes the float YAML read from `text` (str of the float)."""
    try:
        return str(float(text.replace("_", "")))
    except ValueError:  # .inf, .nan: YAML spellings float() does not read
        return text


def _in_environment(path: KeyPath) -> bool:
    """spec.environment.X or environments.<env>.environment.X: values that become text."""
    return (len(path) == 3 and path[:2] == ("spec", "environment")) or (
        len(path) == 4 and path[0] == "environments" and path[2] == "environment"
    )


def _hint(node: yaml.ScalarNode, path: KeyPath) -> str:
    text = str(node.value)
    if path and (secrets.is_secret_variable(str(path[-1]), text) or secrets.token_kind(text)):
        return "quote the value to keep it as written"
    return f"quote it to keep it as written: {json.dumps(text)}"
