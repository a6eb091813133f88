"""Argument helpers shared by commands."""

from __future__ import annotations

import argparse
import sys

from ..findings import Finding, summary_line, to_json
from ..layout import find_root
from ..spec.project import Project, load_project


def project_from(args: argparse.Namespace) -> Project:
    return load_project(find_root(getattr(args, "root", None)))


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or GitHub workflow annotations",
    )


def print_findings(findings: list[Finding], files: int, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(to_json(findings))
        return
    for finding in findings:
        print(finding.github_annotation() if fmt == "github" else finding.format())
    print(summary_line(findings, files), file=sys.stderr)


def add_terraform_target(parser: argparse.ArgumentParser) -> None:
    """--env and --terraform-dir, shared by plan and apply."""
    from ..terraform import plan_folder

    parser.add_argument("--env", required=True, help="environment (a folder under envs/)")
    parser.add_argument(
        "--terraform-dir",
        metavar="DIR",
        help=f"root module folder (default: terraform/, or ${plan_folder.TERRAFORM_DIR_ENV})",
    )
