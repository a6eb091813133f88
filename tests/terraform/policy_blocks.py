"""Building aws_iam_policy_document configurations as Terraform sends them, for the stand-in's tests."""

from __future__ import annotations

import textwrap
from typing import Any

from sagespec.terraform.standin.policy_document import policy_document


def statement(**values: Any) -> dict[str, Any]:
    """A statement block as Terraform sends it: unset attributes null, unset blocks empty."""
    base: dict[str, Any] = {
        "sid": None,
        "effect": None,
        "actions": None,
        "not_actions": None,
        "resources": None,
        "not_resources": None,
        "principals": [],
        "not_principals": [],
        "condition": [],
    }
    base.update(values)
    return base


def principal(kind: str, *identifiers: str) -> dict[str, Any]:
    return {"type": kind, "identifiers": list(identifiers)}


def condition(test: str, variable: str, *values: str) -> dict[str, Any]:
    return {"test": test, "variable": variable, "values": list(values)}


def rendered(*statements: dict[str, Any], **config: Any) -> str:
    return policy_document({"statement": list(statements), **config})["json"]


def expect(text: str) -> str:
    return textwrap.dedent(text).strip("\n")
