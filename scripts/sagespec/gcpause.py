"""Pause the cyclic garbage collector while building large acyclic structures.

Loading a thousand specs allocates millions of small objects that all stay alive; each
collection then rescans the growing heap for cycles that do not exist, which costs more than
the parsing itself. Reference counting still frees everything as usual meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
