"""secretscan.py: one definition of what a secret looks like, for every place that must hide one."""

from __future__ import annotations

import time

import pytest

from sagespec import secretscan

HF = "hf_" + "a1B2c3D4" * 5  # built here so no token sits in the source as one literal
AWS_KEY = "AKIA" + "ABCDEFGHIJKLMNOP"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"token: {HF}", "a Hugging Face token"),
        (f"key={AWS_KEY}", "an AWS access key id"),
        ("redis://:hunter22@cache:6379", "a password in a URL"),
        ("https://x.example/p?access_token=abcd1234", "a credential in a URL query"),
        ("-----BEGIN RSA PRIVATE KEY-----", "a private key"),
    ],
)
def test_tokens_are_found_and_redacted(text: str, kind: str) -> None:
    assert secretscan.token_kind(text) == kind
    assert secretscan.might_hold_tokens(text)
    redacted = secretscan.redact(text)
    assert secretscan.REDACTED in redacted and secretscan.token_kind(redacted) is None


def test_ordinary_text_is_left_alone() -> None:
    text = "https://huggingface.co/mistralai/Mistral-7B-v0.1 on ml.g5.12xlarge, user@example.com"
    assert not secretscan.might_hold_tokens(text)
    assert secretscan.redact(text) == text


def test_positions_are_line_and_column() -> None:
    assert secretscan.positions(f"a: 1\nb: x {HF}\n") == [(2, 6, "a Hugging Face token")]


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("HF_TOKEN", "hf_x", True),
        ("DB_PASSWORD_1", "pw", True),
        ("MYSQL_PWD", "pw", True),
        ("HF_TOKEN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:hf-AbCdEf", False),
        ("HF_TOKEN", "", False),
        ("MAX_TOTAL_TOKENS", "4096", False),
        ("ENABLE_PASSWORD_RESET", True, False),
    ],
)
def test_secret_variables(name: str, value: object, secret: bool) -> None:
    assert secretscan.is_secret_variable(name, value) is secret


def test_hostile_text_scans_in_linear_time() -> None:
    """No pattern backtracks far: 1 MiB of '@' and ':' (the URL pattern's worst case) is fast."""
    hostile = ("a://" + ":" * 200 + "@" * 200) * (1024 * 1024 // 404)
    started = time.perf_counter()
    list(secretscan.find_tokens(hostile))
    secretscan.redact(hostile)
    assert (
        time.perf_counter() - started < 5.0
    )  # milliseconds on a laptop; catastrophic backtracking is minutes
