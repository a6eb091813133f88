"""Names and files: one name per kind, files named after their document, known environments."""

from __future__ import annotations

from pathlib import Path

from ..spec import names
from ..spec.project import Project, Resolved, Source
from ..suggest import count, did_you_mean
from .context import EnvContext
from .report import Reporter


def check_repository(
    reporter: Reporter, project: Project, kinds: dict[int, str], checked: list[str] | None = None
) -> None:
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
                known = f"known environments: {', '.join(project.env_names) or 'none'}"
                reporter.error(
                    source,
                    ("environments", env),
                    "E303",
                    "this overlay names an environment that has no envs/<env>/env.yaml",
                    did_you_mean(str(env), project.env_names, known),
                    key=True,
                )
        _check_name_length(reporter, source, name, checked or project.env_names)


def _check_name_length(reporter: Reporter, source: Source, name: str, envs: list[str]) -> None:
    """One finding per name, however many environments it is too long for: the cut for the
    longest one fixes them all. It counts as each of those environments' finding, so only their
    renders are held back."""
    over = [env for env in envs if source.enabled_in(env) and names.hashed_length(name, env) > names.MAX_NAME]
    if not over:
        return
    longest = max(names.hashed_length(name, env) for env in over)
    cut = longest - names.MAX_NAME
    reporter.error(
        source,
        ("metadata", "name"),
        "E306",
        f"rendered names (<name>-<env>-<8 hex>) reach {longest} characters; "
        f"SageMaker allows {names.MAX_NAME}",
        f"shorten metadata.name by {count(cut, 'character')} (to at most {len(name) - cut})",
    )
    _, finding = reporter.findings.pop()
    reporter.findings.extend((env, finding) for env in over)


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
    """No two specs claim one endpoint name (lengths are checked once per name, repository-wide)."""
    dedicated: dict[str, Resolved] = {}
    for doc in [*ctx.resolution.models.values(), *ctx.resolution.endpoints.values()]:
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
                    f"the endpoint name <name>-<env> is also claimed by the {other.kind} in {other.file}",
                    "rename one of them",
                )
