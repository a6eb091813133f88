"""One finding per cause: the same finding from several environments is said once (naming the
environments when not all of them produced it), and a finding that only restates another one's
cause is left out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ..findings import Finding
from .context import EnvContext
from .report import Reporter

# consequence -> its cause, at the same file and field: an unknown instance type is not in the
# instance catalog either; a number where text was wanted is also a YAML conversion; a name over
# the schema's 63 characters renders too long as well (E306 says by how much to shorten it).
CONSEQUENCES = {"W401": "E401", "W411": "E202", "E205": "E306"}


def merge(reporter: Reporter, all_envs: set[str]) -> list[Finding]:
    """One finding per place and message; name the envs when not every env produced it."""
    envs_of: dict[Finding, set[str | None]] = defaultdict(set)
    for env, finding in reporter.findings:
        envs_of[finding].add(env)
    merged: list[Finding] = []
    for finding, envs in envs_of.items():
        if None in envs or envs == all_envs:
            merged.append(finding)
        else:
            merged.append(replace(finding, envs=tuple(sorted(e for e in envs if e))))
    return merged


def without_consequences(findings: list[Finding]) -> list[Finding]:
    causes = {(f.code, f.file, f.path) for f in findings if f.code in CONSEQUENCES.values()}
    return [
        f
        for f in findings
        if f.code not in CONSEQUENCES or (CONSEQUENCES[f.code], f.file, f.path) not in causes
    ]


def drop_pool_totals_of_oversized_copies(ctx: EnvContext, since: int) -> None:
    """A copy that cannot fit one instance cannot fit the pool either: the pool's total for the
    same resource (findings since `since`) only repeats the per-copy finding, so it is left out."""
    new = ctx.reporter.findings[since:]
    per_copy = {(f.file, f.code) for _, f in new if f.path.startswith("spec.deployment.resources")}
    members: dict[str, set[str]] = defaultdict(set)
    for model in ctx.resolution.models.values():
        pool = ctx.pool_of(model)
        if pool is not None:
            members[pool.file].add(model.file)
    ctx.reporter.findings[since:] = [
        (env, f)
        for env, f in new
        if f.path != "spec.instance_type"
        or not any((model_file, f.code) in per_copy for model_file in members.get(f.file, ()))
    ]
