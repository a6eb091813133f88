"""The repository as data: every spec and environment document, loaded once with positions.

`load_project(root)` reads specs/**/*.yaml and envs/*/env.yaml; `project.resolve(env)` gives the
environment-merged view of every document enabled in that environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import gcpause, secretscan
from ..findings import Finding
from . import files as discovery
from .confine import within
from .document import Document
from .keypath import KeyPath
from .overlay import merge, strip_nulls
from .yamlload import load_file, read_text

KINDS = ("Model", "Endpoint")


@dataclass
class Source:
    """One loaded document and where it lives."""

    doc: Document
    path: Path
    _merged: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def file(self) -> str:
        return self.doc.file

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data

    @cached_property
    def kind(self) -> str | None:
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else None

    @cached_property
    def name(self) -> str | None:
        meta = self.data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        return name if isinstance(name, str) else None

    def overlay(self, env: str) -> dict[str, Any] | None:
        envs = self.data.get("environments")
        value = envs.get(env) if isinstance(envs, dict) else None
        return value if isinstance(value, dict) else None

    def enabled_in(self, env: str) -> bool:
        overlay = self.overlay(env)
        return not (overlay is not None and overlay.get("enabled") is False)

    def merged_spec(self, env: str) -> dict[str, Any]:
        """The spec as `env` sees it (computed once per env; callers must not mutate it)."""
        if env not in self._merged:
            self._merged[env] = self._merge(env)
        return self._merged[env]

    def _merge(self, env: str) -> dict[str, Any]:
        base = self.data.get("spec")
        if not isinstance(base, dict):
            base = {}
        elif self.doc.has_nulls:
            base = strip_nulls(base)
        overlay = self.overlay(env)
        if not overlay:
            return base
        if env and set(overlay) <= {"enabled"}:
            return self.merged_spec("")
        patch = {k: v for k, v in overlay.items() if k != "enabled"}
        return merge(base, patch)  # type: ignore[no-any-return]

    def locate(self, env: str | None, path: KeyPath, key: bool = False) -> tuple[int, int]:
        """Position of a merged-document path: the deepest place that set it, the env's overlay first."""
        overlay = env is not None and len(path) > 0 and path[0] == "spec" and self.overlay(env) is not None
        for end in range(len(path), 0, -1):
            if overlay:
                found = self.doc.mark(("environments", env or "", *path[1:end]), key)
                if found is not None:
                    return found
            found = self.doc.mark(path[:end], key)
            if found is not None:
                return found
        return self.doc.locate(path, key)

    def scalar_text(self, env: str | None, path: KeyPath) -> str | None:
        """Source text of the plain scalar a merged-document path came from (the overlay first)."""
        if env and path[:1] == ("spec",) and self.overlay(env) is not None:
            text = self.doc.scalar_text(("environments", env, *path[1:]))
            if text is not None:
                return text
        return self.doc.scalar_text(path)


@dataclass
class Resolved:
    """A document as one environment sees it."""

    source: Source
    env: str
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return self.source.name or ""

    @property
    def kind(self) -> str:
        return self.source.kind or ""

    @property
    def file(self) -> str:
        return self.source.file

    def locate(self, path: KeyPath, key: bool = False) -> tuple[int, int]:
        return self.source.locate(self.env, path, key)

    def scalar_text(self, path: KeyPath) -> str | None:
        return self.source.scalar_text(self.env, path)


@dataclass
class Resolution:
    env: str
    environment: Resolved
    models: dict[str, Resolved] = field(default_factory=dict)
    endpoints: dict[str, Resolved] = field(default_factory=dict)

    @property
    def env_spec(self) -> dict[str, Any]:
        """The environment's env.yaml spec."""
        return self.environment.spec

    @property
    def region(self) -> str:
        """The environment's region ("" while env.yaml lacks one: its own finding says so)."""
        return str(self.env_spec.get("aws", {}).get("region", ""))


@dataclass
class EnvView:
    """The repository and one environment's resolution: the base of the rules' and the renderer's
    per-environment contexts."""

    root: Path
    resolution: Resolution

    @property
    def env(self) -> str:
        return self.resolution.env

    @property
    def env_spec(self) -> dict[str, Any]:
        return self.resolution.env_spec

    @property
    def region(self) -> str:
        return self.resolution.region


@dataclass
class Project:
    root: Path
    specs: list[Source]
    environments: dict[str, Source]
    findings: list[Finding]

    @cached_property
    def env_names(self) -> list[str]:
        return sorted(self.environments)

    def by_kind(self, kind: str) -> list[Source]:
        return [s for s in self.specs if s.kind == kind]

    def environment(self, env: str) -> Resolved:
        source = self.environments[env]
        spec = source.data.get("spec")
        return Resolved(source, env, strip_nulls(spec) if isinstance(spec, dict) else {})

    def resolve(self, env: str) -> Resolution:
        """Every well-formed, uniquely named document enabled in `env` (first one wins on duplicates)."""
        resolution = Resolution(env, self.environment(env))
        for source in self.specs:
            name, kind = source.name, source.kind
            if name is None or kind not in KINDS or not source.enabled_in(env):
                continue
            target = resolution.models if kind == "Model" else resolution.endpoints
            target.setdefault(name, Resolved(source, env, source.merged_spec(env)))
        return resolution


def spec_files(root: Path) -> list[Path]:
    return discovery.find(root)[0]


def env_files(root: Path) -> list[Path]:
    return discovery.find_envs(root)[0]


def _confined(root: Path, path: Path, findings: list[Finding]) -> bool:
    """A spec file that is a symlink out of the repository is refused, not read."""
    if within(root, path):
        return True
    message = "the file is a symlink that leads outside the repository: not loaded"
    hint = "put the spec itself in the repository"
    findings.append(Finding(path.relative_to(root).as_posix(), 1, 1, "error", "E704", message, hint=hint))
    return False


def _tokens_in_unloaded(path: Path, display: str) -> list[Finding]:
    """A file that does not load (syntax error, two documents) is still scanned for tokens."""
    text, _ = read_text(path, display)
    if text is None or not secretscan.might_hold_tokens(text):
        return []
    message = "this line holds {}; secrets must not be in specs"
    hint = "remove it and rotate the leaked secret: it is in the git history now"
    return [
        Finding(display, line, col, "error", "E501", message.format(kind), hint=hint)
        for line, col, kind in secretscan.positions(text)
    ]


def load_project(root: Path) -> Project:
    with gcpause.paused():
        return _load_project(root)


def _load_project(root: Path) -> Project:
    paths, findings = discovery.find(root)
    specs: list[Source] = []
    for path in paths:
        if not _confined(root, path, findings):
            continue
        doc, problems = load_file(path, path.relative_to(root).as_posix())
        findings.extend(problems)
        if doc is not None:
            specs.append(Source(doc, path))
        elif problems:
            findings.extend(_tokens_in_unloaded(path, problems[0].file))
    environments: dict[str, Source] = {}
    env_paths, env_problems = discovery.find_envs(root)
    findings.extend(env_problems)
    for path in env_paths:
        if not _confined(root, path, findings):
            continue
        doc, problems = load_file(path, path.relative_to(root).as_posix())
        findings.extend(problems)
        if doc is not None:
            environments[path.parent.name] = Source(doc, path)
        elif problems:
            findings.extend(_tokens_in_unloaded(path, problems[0].file))
    return Project(root, specs, environments, findings)
