"""Check the whole repository: every file, every environment, every rule; all problems at once.

The layer above the rules and the renderer: it runs the rules on each environment and renders the
environments that have no error, so neither the rules nor the renderer needs the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import gcpause
from .artifacts import lockfile
from .errors import SagespecError
from .findings import Finding, has_errors
from .layout import check_env_name, rendered_path
from .render.renderer import render_env, to_text
from .render.types import Rendered
from .rules import adapters as adapter_rules
from .rules import artifacts as artifact_rules
from .rules import (
    capacity,
    containers,
    conversions,
    identity,
    limits,
    once,
    policy,
    scale_to_zero,
    secrets,
    smoke,
    structure,
    tags,
    tokens,
)
from .rules import cost as cost_rules
from .rules import sizing as sizing_rules
from .rules.artifacts import DigestCache
from .rules.context import EnvContext
from .rules.report import Reporter
from .spec.overlay import strip_nulls
from .spec.project import Project, Resolution, Resolved, Source, load_project


@dataclass
class Checked:
    findings: list[Finding]
    files: int
    rendered: dict[str, Rendered] = field(default_factory=dict)  # env -> its render, when it is valid


def _structure(reporter: Reporter, project: Project) -> tuple[dict[int, str], set[int]]:
    """Kinds of the documents that have one, and the ids of base documents that are well formed."""
    kinds: dict[int, str] = {}
    well_formed: set[int] = set()
    for source in project.specs:
        secrets.check(reporter, source)  # every document: a mistyped kind must not hide a token
        finite = structure.check_finite(reporter, source)
        kind = structure.check_kind(reporter, source, ("Model", "Endpoint"))
        if kind is None or not finite:
            continue
        kinds[id(source)] = kind
        tags.check(reporter, source)
        conversions.check(reporter, source)
        base = {**source.data, "spec": source.merged_spec("")}  # "" is no env: the base spec alone
        if structure.check_document(reporter, source, kind, base):
            well_formed.add(id(source))
    return kinds, well_formed


def _well_formed_in(
    reporter: Reporter, source: Source, kind: str, env: str, base_ok: bool
) -> Resolved | None:
    """The document as `env` sees it, if that view passes the schema (checked only when it differs)."""
    resolved = Resolved(source, env, source.merged_spec(env))
    if source.overlay(env) is None or resolved.spec == source.merged_spec(""):
        return resolved if base_ok else None
    return (
        resolved
        if structure.check_document(reporter, resolved, kind, {**source.data, "spec": resolved.spec})
        else None
    )


def check(project: Project, envs: list[str] | None = None, render: bool = True) -> Checked:
    """The findings of `envs` (default: every environment) and, with render, each valid one's render."""
    with gcpause.paused():
        return _check(project, envs, render)


def _check(project: Project, envs: list[str] | None, render: bool) -> Checked:
    reporter = Reporter()
    for env in envs or []:
        check_env_name(env, project.env_names)  # the environments loaded, not a second look at disk
    if not project.environments:
        raise SagespecError(f"no environments under {project.root / 'envs'}", "add envs/<env>/env.yaml")
    kinds, well_formed = _structure(reporter, project)
    identity.check_repository(reporter, project, kinds, envs)
    good_envs = _check_env_files(reporter, project)
    try:
        lock = lockfile.read_lock(project.root)
    except SagespecError as exc:
        lock = {}
        reporter.findings.append(
            (None, Finding(lockfile.LOCK_FILE, 1, 1, "error", "E702", exc.message, hint=exc.hint))
        )
    cache = DigestCache()
    outcome = Checked([], len(project.specs) + len(project.environments))
    endpoint_names = {s.name for s in project.specs if kinds.get(id(s)) == "Endpoint" and s.name}
    model_names = {s.name for s in project.specs if kinds.get(id(s)) == "Model" and s.name}
    for env in envs or project.env_names:
        if env not in good_envs:
            continue
        resolution = _resolve_well_formed(reporter, project, env, kinds, well_formed)
        ctx = EnvContext(project.root, resolution, reporter)
        _check_env(ctx, lock, cache, endpoint_names, model_names)
        env_findings = [f for e, f in reporter.findings if e == env]  # E306 comes before the loop
        if render and not has_errors(env_findings) and not _has_global_errors(reporter):
            rendered = render_env(project.root, resolution, lock)
            outcome.rendered[env] = rendered
            cost_rules.check(ctx, rendered)
    merged = [*project.findings, *once.merge(reporter, set(envs or project.env_names))]
    outcome.findings = once.without_consequences(sorted(set(merged)))
    return outcome


def is_current(root: Path, env: str) -> bool:
    """True when envs/<env>/rendered.tfvars.json equals a fresh render of a valid repository."""
    outcome = check(load_project(root), [env])
    path = rendered_path(root, env)
    return (
        env in outcome.rendered
        and path.is_file()
        and path.read_text(encoding="utf-8") == to_text(outcome.rendered[env])
    )


def _has_global_errors(reporter: Reporter) -> bool:
    return any(env is None and f.severity == "error" for env, f in reporter.findings)


def _check_env_files(reporter: Reporter, project: Project) -> set[str]:
    good: set[str] = set()
    for env, source in project.environments.items():
        secrets.check(reporter, source)
        finite = structure.check_finite(reporter, source)
        if structure.check_kind(reporter, source, ("Environment",)) is None or not finite:
            continue
        identity.check_environment_file(reporter, env, source, project.root)
        tags.check(reporter, source)
        conversions.check(reporter, source)
        if structure.check_document(reporter, source, "Environment", strip_nulls(source.data)):
            good.add(env)
    return good


def _resolve_well_formed(
    reporter: Reporter, project: Project, env: str, kinds: dict[int, str], well_formed: set[int]
) -> Resolution:
    resolution = Resolution(env, project.environment(env))
    for source in project.specs:
        kind = kinds.get(id(source))
        if kind is None or source.name is None or not source.enabled_in(env):
            continue
        target = resolution.models if kind == "Model" else resolution.endpoints
        if source.name in target:
            continue  # duplicate name: reported once by the identity rule
        resolved = _well_formed_in(reporter, source, kind, env, id(source) in well_formed)
        if resolved is not None:
            target[source.name] = resolved
    return resolution


def _check_env(
    ctx: EnvContext,
    lock: dict[str, lockfile.LockEntry],
    cache: DigestCache,
    endpoint_names: set[str],
    model_names: set[str],
) -> None:
    policy.check_environment(ctx)
    identity.check_names(ctx)
    for pool in ctx.resolution.endpoints.values():
        limits.check_endpoint(ctx.reporter, pool)
        policy.check_instance(ctx, pool, ("instance_type",), pool.spec["instance_type"])
    broken: list[str] = []
    adapters: list[str] = []
    for name, model in ctx.resolution.models.items():
        deployment = model.spec["deployment"]
        if deployment["type"] == "adapter":
            adapters.append(name)  # checked once the bases are known good
            continue
        if deployment["type"] == "inference-component" and not capacity.check_reference(
            ctx, model, endpoint_names
        ):
            broken.append(name)
            continue
        limits.check_model_deployment(ctx.reporter, model)
        containers.check_model(ctx, model)
        tokens.check_model(ctx.reporter, model)
        smoke.check_model(ctx.reporter, model)
        policy.check_model(ctx, model)
        secrets.check_references(ctx, model)
        artifact_rules.check_model(ctx, model, lock, cache)
        sizing_rules.check_model(ctx, model)
    for name in broken:  # a model without its pool cannot be checked or rendered further
        del ctx.resolution.models[name]
    for name in adapters:
        if not adapter_rules.check_adapter(ctx, ctx.resolution.models[name], model_names, lock, cache):
            del ctx.resolution.models[name]
    before = len(ctx.reporter.findings)
    capacity.check_pools(ctx, references_broken=bool(broken))
    once.drop_pool_totals_of_oversized_copies(ctx, before)
    scale_to_zero.check(ctx)
