"""Local artifacts: the lock file must know every model that packages local files, and be current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import artifacts
from ..project import Resolved
from .containers import local_inputs
from .context import EnvContext


class DigestCache:
    """Input digests hash every file; compute each folder once per run, whatever the env count."""

    def __init__(self) -> None:
        self._digests: dict[Path, str] = {}

    def digest(self, folder: Path) -> str:
        if folder not in self._digests:
            self._digests[folder] = artifacts.input_digest(folder)
        return self._digests[folder]


def needs_artifact(spec: dict[str, Any]) -> bool:
    return "local" in spec["weights"] or bool(spec.get("code"))


def check_model(
    ctx: EnvContext, model: Resolved, lock: dict[str, artifacts.LockEntry], cache: DigestCache
) -> None:
    if not needs_artifact(model.spec):
        return
    weights, code = local_inputs(ctx.root, model.spec)
    present = {
        kind: folder
        for kind, folder in (("weights", weights), ("code", code))
        if folder is not None and folder.is_dir()
    }
    wanted = [kind for kind, folder in (("weights", weights), ("code", code)) if folder is not None]
    entry = lock.get(model.name)
    field = ("spec", "weights", "local") if weights is not None else ("spec", "code")
    package = f"run `sagespec package {model.name} --env <env>` and commit {artifacts.LOCK_FILE}"
    if any(f is not None and f.exists() and not f.is_dir() for f in (weights, code)):
        return  # a file where a folder belongs: E703 says so, a lock finding would only echo it
    if entry is None:
        if len(present) < len(wanted):
            missing = ", ".join(
                str(f.relative_to(ctx.root))
                for k, f in (("weights", weights), ("code", code))
                if f is not None and k not in present
            )
            ctx.reporter.error(
                model, field, "E701", f"no lock entry for {model.name} and no files at {missing}", package
            )
        else:
            ctx.reporter.warning(
                model, field, "W406", f"{model.name} has no entry in {artifacts.LOCK_FILE}", package
            )
        return
    compressed = _compressed(model.spec)
    if entry.compressed != compressed or set(entry.inputs) != set(wanted):
        ctx.reporter.error(
            model, field, "E702", f"lock entry for {model.name} was made for other inputs", package
        )
        return
    for kind, folder in present.items():
        if cache.digest(folder) != entry.inputs.get(kind):
            path = ("spec", "weights", "local", "path") if kind == "weights" else ("spec", "code")
            ctx.reporter.error(
                model,
                path,
                "E702",
                f"{kind} at {folder.relative_to(ctx.root)} changed since the lock",
                package,
            )


def _compressed(spec: dict[str, Any]) -> bool:
    local = spec["weights"].get("local")
    return bool(local.get("compressed", True)) if local else True
