"""Tags reach SageMaker as they are written: keys and values must pass botocore's TagKey and
TagValue shapes (pattern with re.fullmatch semantics, length), and `owner` becomes a tag value.

The aws: prefix is reserved for AWS in tag keys, and AWS refuses it (for example "Do not use the
aws: prefix in tag names and values because it is reserved for AWS use",
https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-tags-restrictions.html).
"""

from __future__ import annotations

from typing import Any

from ..catalog import sagemaker_api as api
from ..spec.keypath import KeyPath
from ..spec.project import Source
from .report import Reporter

ALLOWED = "letters, digits, spaces and _ . : / = + - @"


def check(reporter: Reporter, source: Source) -> None:
    """metadata.tags and metadata.owner of a spec; spec.tags of an environment."""
    data = source.data
    meta = data.get("metadata")
    if isinstance(meta, dict):
        if isinstance(meta.get("owner"), str):
            _value(reporter, source, ("metadata", "owner"), meta["owner"], "metadata.owner")
        _tags(reporter, source, ("metadata", "tags"), meta.get("tags"))
    spec = data.get("spec")
    if data.get("kind") == "Environment" and isinstance(spec, dict):
        _tags(reporter, source, ("spec", "tags"), spec.get("tags"))


def _tags(reporter: Reporter, source: Source, path: KeyPath, tags: Any) -> None:
    """Key characters and value lengths are the JSON Schema's (E204, E205); this adds what it
    cannot say: the reserved prefix, and TagValue's characters."""
    if not isinstance(tags, dict):
        return
    for key, value in tags.items():
        key = str(key)
        if key.lower().startswith("aws:"):
            reporter.error(
                source,
                (*path, key),
                "E413",
                "tag keys starting with aws: are reserved for AWS",
                "choose another prefix, e.g. the team's name",
                key=True,
            )
        if isinstance(value, str):
            _value(reporter, source, (*path, key), value, "tag value", length=False)


def _value(
    reporter: Reporter, source: Source, path: KeyPath, value: str, what: str, length: bool = True
) -> None:
    limit = api.limit("TagValue")
    if length and limit.max_length is not None and len(value) > limit.max_length:
        reporter.error(
            source,
            path,
            "E413",
            f"{what} is longer than SageMaker's {limit.max_length} characters (TagValue)",
        )
    elif (
        limit.pattern is not None
        and len(value) <= (limit.max_length or len(value))  # too long: said once, for the length
        and not limit.pattern.fullmatch(value)
    ):
        control = any(ord(c) < 32 or ord(c) == 127 for c in value)
        reporter.error(
            source,
            path,
            "E413",
            f"{what} has {'control characters' if control else 'characters'} "
            "SageMaker's TagValue pattern does not allow",
            f"allowed: {ALLOWED}; commas, quotes and control characters are not",
        )
