"""sagespec render: write envs/<env>/rendered.tfvars.json, or check that it is current."""

from __future__ import annotations

import argparse
import difflib
import shlex
import sys
from pathlib import Path

from .. import atomic, pipeline
from ..findings import has_errors
from ..layout import rendered_path
from ..render.renderer import to_text
from ..spec.project import Project
from .common import add_format, print_findings, project_from


def add_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--env", action="append", help="environment to render (repeatable)")
    target.add_argument("--all", action="store_true", help="every environment")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is stale")
    add_format(parser)


def fresh_texts(project: Project, envs: list[str]) -> tuple[dict[str, str], int, list]:  # type: ignore[type-arg]
    outcome = pipeline.check(project, envs)
    texts = {env: to_text(outcome.rendered[env]) for env in envs if env in outcome.rendered}
    return texts, outcome.files, outcome.findings


def run(args: argparse.Namespace) -> int:
    project = project_from(args)
    envs = project.env_names if args.all else list(dict.fromkeys(args.env))
    texts, files, findings = fresh_texts(project, envs)
    if has_errors(findings):
        print_findings(findings, files, args.format)
        print("sagespec: nothing rendered: fix the errors above", file=sys.stderr)
        return 1
    for finding in findings:  # e.g. I701: the artifact came from the lock, the files are not here
        if finding.severity == "info":
            print(finding.format(), file=sys.stderr)
    stale = 0
    for env in envs:
        path = rendered_path(project.root, env)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == texts[env]:
            print(f"{_rel(path, project.root)}: up to date")
            continue
        if args.check:
            stale += 1
            print(f"{_rel(path, project.root)}: stale; run `{_render_command(args, env)}` and commit it")
            diff = difflib.unified_diff(
                (current or "").splitlines(),
                texts[env].splitlines(),
                "committed",
                "fresh render",
                lineterm="",
                n=1,
            )
            print("\n".join(list(diff)[:60]))
        else:
            atomic.write_text(path, texts[env])
            print(f"{_rel(path, project.root)}: written")
    return 1 if stale else 0


def _render_command(args: argparse.Namespace, env: str) -> str:
    """What rewrites the file: `make render` works at the repository's root only, so a repository
    named by --root (a fixture, another checkout) gets the CLI command with its --root."""
    root = getattr(args, "root", None)
    if root is None:
        return f"make render ENV={env}"
    return f"sagespec --root {shlex.quote(str(root))} render --env {env}"


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
