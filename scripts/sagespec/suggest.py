"""Did-you-mean hints: a close match among our own names, never an echo of the user's value."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from . import secretscan


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known name closest to `word`, or None when nothing is close enough.

    A known name that abbreviates the word, or that the word abbreviates, counts as close
    (`production` -> `prod`), which difflib's ratio alone misses.
    """
    known = sorted(set(options))
    close = difflib.get_close_matches(word, known, n=1, cutoff=cutoff)
    if close:
        return close[0]
    lower = word.lower()
    prefixes = [
        k for k in known if len(k) >= 3 and (lower.startswith(k.lower()) or k.lower().startswith(lower))
    ]
    return max(prefixes, key=len) if len(lower) >= 3 and prefixes else None


def did_you_mean(
    word: Any, options: Iterable[str], otherwise: str | None = None, cutoff: float = 0.6
) -> str | None:
    """'did you mean X?' for the closest known name; `otherwise` when there is none.

    Only the known name is quoted, never the word, and a word that looks secret (or is no short
    string) gets no suggestion: the hint would tell which real name a leaked token is close to.
    """
    if not isinstance(word, str) or len(word) > 128 or secretscan.token_kind(word) is not None:
        return otherwise
    match = closest(word, options, cutoff)
    return f"did you mean {match!r}?" if match else otherwise


def count(n: float, singular: str, plural: str | None = None) -> str:
    """'1 copy', '2 copies', '1 GPU', '0.5 vCPUs': the number with the right form of the noun."""
    shown = str(int(n)) if float(n).is_integer() else f"{n:g}"
    return f"{shown} {singular if n == 1 else plural or singular + 's'}"
