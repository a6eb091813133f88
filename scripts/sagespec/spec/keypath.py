"""A key path: where a value sits inside a document, as the keys and list indexes leading to it.

`("spec", "containers", 0, "image")` is `spec.containers[0].image`. Findings name fields by key
path, never by quoting a value, so a key that is not a plain identifier is shown as <key>.
"""

from __future__ import annotations

import re

from .. import secretscan

KeyPath = tuple[str | int, ...]

# Keys shown in field paths as written: identifiers, env var names, tag keys without secrets.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:/+-]{0,127}")
HIDDEN_KEY = "<key>"


def safe_key(key: str | int) -> str:
    """`key` as a path may show it: plain identifiers only, never anything that looks secret."""
    text = str(key)
    if _PLAIN_KEY.fullmatch(text) and secretscan.token_kind(text) is None:
        return text
    return HIDDEN_KEY


def dotted(path: KeyPath) -> str:
    """`path` as a finding shows it: `spec.containers[0].image`, hidden keys as <key>."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{safe_key(part)}" if out else safe_key(part))
    return out
