"""Names and files: one name per kind, files named after their document, known environments."""

from __future__ import annotations

from pathlib import Path

from .. import names
from ..project import Project, Resolved, Source
from .context import EnvContext
from .report import Reporter


def check_repository(reporter: Reporter, project: Project, kinds: dict[int, str]) -> None:
    seen: dict[tuple[str, str], Source] = {}
    for source in project.specs:
        kind, name = kinds.get(id(source)), source.name
        if kind is None or name is None:
            continue
        if Path(source.file).stem != name:
            reporter.error(
                source,
                ("metadata", "name"),
                "E301",
                f"metadata.name does not match the file name {Path(source.file).name}",
                "name the file <metadata.name>.yaml, or fix metadata.name",
            )
        first = seen.setdefault((kind, name), source)
        if first is not source:
            reporter.error(
                source,
                ("metadata", "name"),
                "E302",
                f"a {kind} of this name is already defined in {first.file}",
                "names are unique per kind",
            )
        envs = source.data.get("environments")
        for env in envs if isinstance(envs, dict) else ():
            if env not in project.environments:
                known = ", ".join(project.env_names) or "none"
                reporter.error(
                    source,
                    ("environments", env),
                    "E303",
                    "this environment has no envs/<env>/env.yaml",
                    f"known environments: {known}",
                    key=True,
                )


def check_environment_file(reporter: Reporter, env: str, source: Source, root: Path) -> None:
    name = source.name
    if name is not None and name != env:
        reporter.error(
            source,
            ("metadata", "name"),
            "E309",
            f"metadata.name does not match its folder envs/{env}/",
            f"use name: {env}",
        )
    if not (root / "envs" / env / "backend.hcl").is_file():
        reporter.warning(
            source,
            ("metadata",),
            "W404",
            f"envs/{env}/backend.hcl is missing: `make plan ENV={env}` cannot initialise state",
        )


def check_names(ctx: EnvContext) -> None:
    """Rendered names fit SageMaker's 63 characters, and no two specs claim one endpoint name."""
    dedicated: dict[str, Resolved] = {}
    for doc in [*ctx.resolution.models.values(), *ctx.resolution.endpoints.values()]:
        longest = names.hashed_length(doc.name, ctx.env)
        if longest > names.MAX_NAME:
            ctx.reporter.error(
                doc,
                ("metadata", "name"),
                "E306",
                f"rendered names reach {longest} characters (<name>-<env>-<8 hex>), "
                f"SageMaker allows {names.MAX_NAME}",
                f"shorten the name by {longest - names.MAX_NAME} characters",
            )
        if doc.kind == "Endpoint" or doc.spec.get("deployment", {}).get("type") not in (
            "inference-component",
            "adapter",  # an adapter is an inference component on its base's endpoint
        ):
            other = dedicated.setdefault(doc.name, doc)
            if other is not doc:
                ctx.reporter.error(
                    doc,
                    ("metadata", "name"),
                    "E307",
                    f"endpoint name {names.resource_name(doc.name, ctx.env)} is also used by "
                    f"{other.kind} {other.name} ({other.file})",
                    "rename one of them",
                )
