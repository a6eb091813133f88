"""A key path: where a value sits inside a document, as the keys and list indexes leading to it.

`("spec", "containers", 0, "image")` is `spec.containers[0].image`.
"""

from __future__ import annotations

KeyPath = tuple[str | int, ...]
