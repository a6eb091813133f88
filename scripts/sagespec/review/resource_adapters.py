"""Resource changes of LoRA adapter inference components, predicted from two renders.

An adapter names its base inference component and a content-addressed artifact: a new adapter
version is a new artifact URI, which SageMaker applies to the adapter component alone (the base
and its copies keep serving). A different base or pool needs a new adapter component.
"""

from __future__ import annotations

from typing import Any

from .resource_diff import CREATE, DESTROY, REPLACE, UPDATE, ResourceChange, change, pairs, tag_lines

Json = dict[str, Any]
KIND = "inference_component_adapter"


def changes(old_all: dict[str, Json], new_all: dict[str, Json]) -> list[ResourceChange]:
    created, destroyed, kept = pairs(old_all, new_all)
    out = [
        change(
            KIND,
            key,
            CREATE,
            f"new LoRA adapter {new_all[key]['name']} on base {new_all[key]['base_key']}: "
            "the base is not redeployed",
            after=new_all[key]["name"],
        )
        for key in created
    ]
    out += [
        change(
            KIND,
            key,
            DESTROY,
            f"LoRA adapter {old_all[key]['name']} removed from base {old_all[key]['base_key']}: "
            "requests naming it fail",
            disruptive=True,
            before=old_all[key]["name"],
        )
        for key in destroyed
    ]
    for key in kept:
        found = _kept(key, old_all[key], new_all[key])
        if found is not None:
            out.append(found)
    return out


def _kept(key: str, old: Json, new: Json) -> ResourceChange | None:
    moved = [f for f in ("base_key", "endpoint_key") if old.get(f) != new.get(f)]
    if moved:
        where = [f"{f.replace('_key', '')}: {old.get(f)} → {new.get(f)}" for f in moved]
        return change(
            KIND,
            key,
            REPLACE,
            f"LoRA adapter moves to base {new.get('base_key')}: a new adapter component (short gap for it)",
            where,
            True,
            old.get("name"),
            new.get("name"),
        )
    reasons: list[str] = []
    details: list[str] = []
    if old.get("artifact_url") != new.get("artifact_url"):
        reasons.append(
            f"adapter weights changed: only this adapter reloads; base {new.get('base_key')} keeps its copies"
        )
        details.append(f"artifact: {_digest(old.get('artifact_url'))} → {_digest(new.get('artifact_url'))}")
    if old.get("tags") != new.get("tags"):
        reasons.append("tags changed")
        details += tag_lines(old.get("tags"), new.get("tags"))
    if not reasons:
        return None
    return change(KIND, key, UPDATE, "; ".join(reasons), details, False, old.get("name"), new.get("name"))


def _digest(uri: Any) -> str:
    """The content address of an artifact URI (its sha256 folder), shortened; else the URI."""
    parts = str(uri).split("/")
    sha = next((p for p in parts if len(p) == 64 and all(c in "0123456789abcdef" for c in p)), None)
    return f"sha256 {sha[:12]}…" if sha else str(uri)
