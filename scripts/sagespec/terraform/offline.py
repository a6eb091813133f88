"""The offline plan of one environment: Terraform and the stand-in providers, no AWS.

Apply the base render to a scratch local state with the base's HCL, then plan the head render
with the head's HCL against that state and read `terraform show -json`. The base state is cached by
(HCL digest, render), so a second review of the same base applies nothing; the plan JSON is cached by
everything it depends on (both HCL digests, both renders, the engine, the stand-ins' own code), so a
second review of the same change plans nothing. When both sides have the same HCL, only the slice of
the render that the change can touch is applied and planned (see targets).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged

from .. import atomic
from ..caches import cache_folder
from . import engine
from .standin.server import Host
from .targets import slice_render
from .workspace import Workspace, prepare

TfVars = dict[str, Any]  # a variable file, as in targets.py
SOURCE_OFFLINE = "offline"
SOURCE_TERRAFORM = "terraform plan"
PLANS_KEPT = 64  # cached plan JSONs; the oldest go first
_OWN_CODE = Path(__file__).resolve().parent  # the stand-ins, their schemas and rules, this planner


@dataclass(frozen=True)
class EnvPlan:
    env: str
    source: str  # offline | terraform plan
    plan: dict[str, Any]  # terraform show -json of the plan
    scope: tuple[str, ...] | None  # the module instances planned (a slice of the render); None: all


def default_cache() -> Path:
    return cache_folder("offline")


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


@cache
def _own_code_digest() -> str:
    """What the stand-ins answer depends on: their code and data (an edit makes cached plans stale)."""
    digest = hashlib.sha256()
    for path in sorted(_OWN_CODE.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_OWN_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _engine_identity() -> list[str]:
    found = engine.resolve()
    return [found.kind, found.version, found.path]


def _write_vars(folder: Path, name: str, rendered: TfVars) -> Path:
    path = folder / f"{name}.tfvars.json"
    path.write_text(json.dumps(rendered, sort_keys=True), encoding="utf-8")
    return path


class OfflinePlanner:
    """Plans environments offline, one after the other, with both stand-ins served from this process."""

    def __init__(self, cache: Path | None = None) -> None:
        self.cache = cache or default_cache()
        self._host: Host | None = None

    def __enter__(self) -> OfflinePlanner:
        self._host = Host()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._host is not None:
            self._host.close()
            self._host = None

    def _extra(self) -> dict[str, str]:
        return self._host.environment() if self._host is not None else {}

    def base_state(self, workspace: Workspace, rendered: TfVars) -> str:
        """The local workspace holding the base render applied (built once, then reused)."""
        name = "base-" + _digest(workspace.digest, rendered)
        if workspace.state_file(name).is_file():
            return name
        with tempfile.TemporaryDirectory(prefix="sagespec-offline-") as tmp:
            var_file = _write_vars(Path(tmp), "base", rendered)
            building = f"{name}-building"
            shutil.rmtree(workspace.state_file(building).parent, ignore_errors=True)
            workspace.runner(building, self._extra()).run(
                "apply",
                auto_approve=IsFlagged,
                input=False,
                no_color=IsFlagged,
                refresh="false",
                lock="false",
                var_file=[str(var_file)],
                failure_hint="the base render does not apply with the base's HCL and the stand-in providers",
            )
            workspace.state_file(building).parent.rename(workspace.state_file(name).parent)
        return name

    def plan_env(
        self,
        env: str,
        base_hcl: Path | None,
        head_hcl: Path,
        base: TfVars | None,
        head: TfVars | None,
        *,
        allow_slice: bool = True,
    ) -> EnvPlan:
        """Plan `head` (None: the environment is gone) against `base` (None: nothing exists yet);
        `allow_slice=False` plans the whole render (the tests compare both)."""
        head_ws = prepare(head_hcl, self.cache)
        base_ws = prepare(base_hcl, self.cache) if base is not None and base_hcl is not None else None
        same_hcl = base_ws is not None and base_ws.digest == head_ws.digest
        sliceable = allow_slice and same_hcl and base is not None and head is not None
        sliced = slice_render(base, head) if sliceable and base is not None and head is not None else None
        if sliced is not None:
            base, head = sliced.base, sliced.head
        scope = sliced.addresses if sliced is not None else None
        key = _digest(
            _own_code_digest(),
            _engine_identity(),
            head_ws.digest,
            base_ws.digest if base_ws else None,
            base,
            head,
        )
        cached = self._cached_plan(key)
        if cached is not None:
            return EnvPlan(env, SOURCE_OFFLINE, cached, scope)
        with tempfile.TemporaryDirectory(prefix="sagespec-offline-") as tmp:
            folder = Path(tmp)
            plan_ws = "plan-" + _digest(env, folder.name)
            if base is not None and base_ws is not None:
                source = base_ws.state_file(self.base_state(base_ws, base))
                target = head_ws.state_file(plan_ws)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
            try:
                runner = head_ws.runner(plan_ws, self._extra())
                out = folder / "plan.tfplan"
                var_file = _write_vars(folder, "head", head if head is not None else base or {})
                runner.run(
                    "plan",
                    input=False,
                    no_color=IsFlagged,
                    refresh="false",
                    lock="false",
                    destroy=IsFlagged if head is None else None,
                    var_file=[str(var_file)],
                    out=str(out),
                    failure_hint="the render does not plan with this HCL and the stand-in providers",
                )
                plan = runner.show_json(out)
            finally:
                shutil.rmtree(head_ws.state_file(plan_ws).parent, ignore_errors=True)
        self._keep_plan(key, plan)
        return EnvPlan(env, SOURCE_OFFLINE, plan, scope)

    def _plan_file(self, key: str) -> Path:
        return self.cache / "plans" / f"{key}.json"

    def _cached_plan(self, key: str) -> dict[str, Any] | None:
        try:
            loaded = json.loads(self._plan_file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # not there, or unreadable: plan again
        return loaded if isinstance(loaded, dict) else None

    def _keep_plan(self, key: str, plan: dict[str, Any]) -> None:
        path = self._plan_file(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, json.dumps(plan))
        kept = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[PLANS_KEPT:]:
            old.unlink(missing_ok=True)
