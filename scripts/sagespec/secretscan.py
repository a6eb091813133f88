"""What a secret looks like: token formats, credentials in URLs, names that announce a secret.

Pure text rules with no knowledge of specs, so that findings.py (which scrubs every message),
the spec rule (rules/secrets.py) and the review's spec diff all share one definition. Every
pattern runs in linear time: no unbounded repetition is followed by something that can fail
far away (a 1 MiB file full of '@' and ':' scans in milliseconds; tests/test_secretscan.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

REDACTED = "<redacted>"

# Token formats with a recognisable prefix, as each issuer publishes them.
_TOKEN_PATTERNS = [
    ("a Hugging Face token", r"hf_[A-Za-z0-9]{30,}"),
    ("an AWS access key id", r"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}"),
    ("a GitHub token", r"(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
    ("a GitLab token", r"glpat-[A-Za-z0-9_-]{20,}"),
    ("an OpenAI-style API key", r"sk-(?:proj-)?[A-Za-z0-9_-]{20,}"),
    ("a Slack token", r"xox[abposr]-[A-Za-z0-9-]{10,}"),
    ("a Google API key", r"AIza[0-9A-Za-z_-]{35}"),
    ("a private key", r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----"),
    # scheme://[user]:password@ (redis://:pw@host too), any letter case. The scheme may not
    # continue a longer word and is at most 32 characters, so each start is tried once.
    (
        "a password in a URL",
        r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}://[^/\s:@]{0,256}:[^/\s@]{1,256}@",
    ),
    # ?token=..., &X-Amz-Signature=..., &password=... in a query string
    (
        "a credential in a URL query",
        r"(?i:[?&;](?:access_token|id_token|refresh_token|auth_token|token|api_?key|apikey|"
        r"client_secret|secret|password|passwd|pwd|auth|sig|signature|x-amz-signature|"
        r"x-amz-security-token|x-amz-credential)=[^&#\s'\"]{4,})",
    ),
]
# Every pattern above contains one of these (lower-cased) literals: a substring test on the
# lower-cased text rules a file out far faster than the combined regex can.
_MARKERS = (
    "hf_",
    "akia",
    "asia",
    "abia",
    "acca",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "sk-",
    "xox",
    "aiza",
    "private key",
    "://",
    "=",
)
# One regex per format, not one alternation: each then searches by its literal prefix, ~8x faster.
_TOKENS = [(kind, re.compile(pattern)) for kind, pattern in _TOKEN_PATTERNS]

# Names that announce a secret, compared on the name's words upper-cased: DB_PASS, MYSQL_PWD,
# DB_PASSWORD_1, HuggingFaceHubToken, HUGGINGFACEHUBTOKEN; not MAX_TOTAL_TOKENS or BYPASS_CACHE.
_SECRET_WORDS = frozenset({"PASS", "PWD", "PASSWD", "PASSWORD", "TOKEN", "SECRET", "SECRETS", "CREDENTIALS"})
_SECRET_ENDINGS = (
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "TOKEN",
    "SECRET",
    "APIKEY",
    "ACCESSKEY",
    "SECRETKEY",
    "PRIVATEKEY",
    "AUTHKEY",
    "CREDENTIAL",
    "CREDENTIALS",
)
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
SECRET_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):secretsmanager:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):"
    r"secret:[A-Za-z0-9/_+=.@-]+"
)


def might_hold_tokens(text: str) -> bool:
    """False only when `text` certainly holds no token (the cheap pre-test)."""
    lowered = text.lower()
    return any(marker in lowered for marker in _MARKERS) and token_kind(text) is not None


def token_kind(value: str) -> str | None:
    """What kind of secret `value` holds ("a Hugging Face token"), or None."""
    return next((kind for kind, pattern in _TOKENS if pattern.search(value)), None)


def find_tokens(text: str) -> Iterator[tuple[int, str]]:
    """(offset, kind) of every token in `text`, in text order."""
    found = [(m.start(), kind) for kind, pattern in _TOKENS for m in pattern.finditer(text)]
    yield from sorted(found)


def positions(text: str) -> list[tuple[int, int, str]]:
    """(line, column, kind) of the first token on each line of `text` that holds one."""
    found: dict[int, tuple[int, int, str]] = {}
    for offset, kind in find_tokens(text):
        line = text.count("\n", 0, offset) + 1
        found.setdefault(line, (line, offset - (text.rfind("\n", 0, offset) + 1) + 1, kind))
    return sorted(found.values())


def redact(text: str) -> str:
    """`text` with every token replaced by <redacted>."""
    if not might_hold_tokens(text):
        return text
    for _, pattern in _TOKENS:
        text = pattern.sub(REDACTED, text)
    return text


def is_secret_arn(value: object) -> bool:
    return isinstance(value, str) and SECRET_ARN.fullmatch(value) is not None


def is_secret_name(name: str) -> bool:
    """A variable or key named like a secret (HF_TOKEN, DB_PASS, MYSQL_PWD, DB_PASSWORD_1)."""
    words = [w.upper() for w in _WORD_SPLIT.split(name) if w]
    while words and words[-1].isdigit():
        words.pop()  # DB_PASSWORD_1
    if not words:
        return False
    last = words[-1].rstrip("0123456789") or words[-1]
    compact = "".join([*words[:-1], last])
    return last in _SECRET_WORDS or compact.endswith(_SECRET_ENDINGS)


def is_secret_variable(name: str, value: object) -> bool:
    """A variable named like a secret holding a literal (anything but a secret ARN, a boolean or "")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value == "":
        return False
    return is_secret_name(name) and not is_secret_arn(value)
