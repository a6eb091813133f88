"""Which files under specs/ are specs, and a finding for every one that looks like a spec but
cannot be read as one: nothing that ends in .yaml is skipped without a word.

specs/schema/ (top level only) holds the JSON Schemas for editors; a folder named schema deeper
down is an ordinary folder of specs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..findings import Finding

SUFFIXES = (".yaml", ".yml")
SCHEMA_DIR = "schema"


def find(root: Path) -> tuple[list[Path], list[Finding]]:
    """(spec files to load, findings for the ones that cannot be), both sorted by path."""
    specs = str(root / "specs")
    found: list[Path] = []
    problems: list[Finding] = []
    for folder, dirs, files in os.walk(specs):
        top = folder[len(specs) + 1 :].split(os.sep, 1)[0]  # string work: pathlib costs 10x here
        for name in dirs:
            if not _looks_like_spec(name) and os.path.islink(os.path.join(folder, name)):
                problems.append(_finding(root, Path(folder, name), *_LINKED_FOLDER))
        for name in [*files, *dirs]:
            if not _looks_like_spec(name):
                continue
            path = os.path.join(folder, name)
            problem = _problem(path, name, in_schema_dir=top == SCHEMA_DIR)
            if problem is None:
                found.append(Path(path))
            else:
                problems.append(_finding(root, Path(path), *problem))
    return sorted(found), sorted(problems)


# os.walk does not enter a linked folder, and must not: it may lead outside the repository, to
# files nobody reviews. Said, so that no spec in it is skipped without a word.
_LINKED_FOLDER = (
    "a folder that is a symbolic link: specs under it are not read",
    "move the specs into a real folder under specs/",
)


def find_envs(root: Path) -> tuple[list[Path], list[Finding]]:
    """envs/<env>/env.yaml files to load, and findings for env files that cannot be read."""
    found: list[Path] = []
    problems: list[Finding] = []
    for folder in sorted(p for p in (root / "envs").glob("*") if p.is_dir()):
        for entry in sorted(folder.iterdir()):
            if entry.name.lower() not in ("env.yaml", "env.yml"):
                continue
            problem = _problem(str(entry), entry.name, in_schema_dir=False)
            if problem is None and entry.name != "env.yaml":
                problem = (
                    "the environment file is envs/<env>/env.yaml: this file is not read",
                    ("rename it to env.yaml"),
                )
            if problem is None:
                found.append(entry)
            else:
                problems.append(_finding(root, entry, *problem))
    return found, problems


def _looks_like_spec(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _problem(path: str, name: str, in_schema_dir: bool) -> tuple[str, str] | None:
    """(message, hint) when `path` cannot be loaded as a spec, else None."""
    try:
        mode = os.stat(path).st_mode  # follows symlinks: a dangling one raises
    except FileNotFoundError:
        return "symbolic link to a file that does not exist", "fix the link target or remove the link"
    except OSError as exc:
        return f"cannot read file: {exc.strerror}", "check the file's permissions"
    if stat.S_ISDIR(mode):
        return "a folder named like a spec file", "rename the folder; spec files are <name>.yaml"
    if not stat.S_ISREG(mode):  # a FIFO would block the reader forever; devices and sockets too
        return "not a regular file (FIFO, socket or device)", "replace it with a regular YAML file"
    if not name.endswith(SUFFIXES):
        return "spec file names end in lowercase .yaml or .yml: this file is not read", (
            f"rename it to {name.rsplit('.', 1)[0]}.yaml"
        )
    if in_schema_dir:
        return "specs/schema/ holds the editor JSON Schemas: specs there are not read", (
            "move the spec to another folder under specs/"
        )
    return None


def _finding(root: Path, path: Path, message: str, hint: str) -> Finding:
    return Finding(path.relative_to(root).as_posix(), 1, 1, "error", "E109", message, hint=hint)
