"""The base side of a review: specs/, envs/ and models/ of a git ref, extracted with git alone.

Only `git` runs here (a list argv, never a shell). The base ref must resolve to a commit: a
typo, `HEAD~99999` or a range (`a..b`) is a usage error (exit 2), not an empty base that reports
every spec as added. Only a default ref (origin/main, main) may be absent, and only when neither
exists (a repository's first pull request): then the base is empty and the review says so.
A missing git binary, or a folder outside any repository, is a usage problem too (exit 2).
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SagespecError

# what a render reads, and the HCL the offline plan applies the base with; nothing else leaves git
BASE_PATHS = ("specs", "envs", "models", "terraform", "modules")
DEFAULT_REFS = ("origin/main", "main")
_GIT_TIMEOUT_S = 120


@dataclass(frozen=True)
class BaseTree:
    ref: str
    commit: str | None  # None: the ref does not resolve
    root: Path | None  # the extracted project root; None when there is nothing to read
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return f"{self.ref} ({self.commit[:7]})" if self.commit else self.ref


def _git_binary() -> str:
    git = shutil.which("git")
    if git is None:
        raise SagespecError(
            "git is not installed or not on PATH",
            "review reads the base ref's specs with git: install git and rerun",
        )
    return git


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [_git_binary(), *args], cwd=cwd, capture_output=True, check=False, timeout=_GIT_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as exc:
        raise SagespecError(
            f"git {args[0]} took longer than {_GIT_TIMEOUT_S} s", "check the repository"
        ) from exc


def _first_line(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "no message"


def toplevel(root: Path) -> tuple[Path, str]:
    """The repository's top folder and the project root's path inside it ('' or 'sub/dir/')."""
    done = _git(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if done.returncode != 0:
        raise SagespecError(
            f"{root} is not inside a git repository ({_first_line(done.stderr)})",
            "review compares the working tree with a git ref: run it in a clone of the repository",
        )
    lines = done.stdout.decode("utf-8").splitlines()
    prefix = lines[1] if len(lines) > 1 else ""
    return Path(lines[0]), prefix


def resolve(top: Path, ref: str) -> str | None:
    """The commit a ref names, or None when it does not exist here."""
    if not ref or ref.startswith("-"):
        raise SagespecError(
            f"--base {ref!r} is not a git ref", "pass a branch, tag or commit, e.g. origin/main"
        )
    done = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    commit = done.stdout.decode().strip()
    return commit if done.returncode == 0 and commit else None


def default_ref(root: Path) -> str:
    """origin/main when it exists, else main (the review still runs when neither does)."""
    top, _ = toplevel(root)
    return next((ref for ref in DEFAULT_REFS if resolve(top, ref)), DEFAULT_REFS[-1])


def _existing(top: Path, commit: str, paths: list[str]) -> list[str]:
    done = _git(top, "ls-tree", "--name-only", "-z", commit, "--", *paths)
    if done.returncode != 0:
        raise SagespecError(f"git ls-tree {commit[:7]} failed: {_first_line(done.stderr)}")
    return [p for p in done.stdout.decode("utf-8").split("\0") if p]


def _extract(top: Path, commit: str, paths: list[str], dest: Path) -> list[str]:
    """`git archive` streamed into dest; returns the members skipped as unsafe (links out, devices)."""
    skipped: list[str] = []
    with subprocess.Popen(
        [_git_binary(), "archive", "--format=tar", commit, "--", *paths],
        cwd=top,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        try:
            with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                for member in tar:
                    try:
                        tar.extract(member, dest, filter="data")  # refuses absolute paths, links leaving dest
                    except (tarfile.FilterError, OSError):
                        skipped.append(member.name)
        except tarfile.ReadError as exc:
            raise SagespecError(f"git archive {commit[:7]}: unreadable output ({exc})") from exc
        error = proc.stderr.read()
    if proc.returncode != 0:
        raise SagespecError(f"git archive {commit[:7]} failed: {_first_line(error)}")
    return skipped


def _unresolved(ref: str) -> SagespecError:
    what = "a range, not a ref" if ".." in ref else "no branch, tag or commit of this clone has that name"
    return SagespecError(
        f"--base {ref!r} does not resolve to a commit ({what})",
        "check the spelling (`git rev-parse --verify REF`); in CI fetch the history "
        "(actions/checkout with fetch-depth: 0, or `git fetch origin main`)",
    )


def _first_pull_request(top: Path, ref: str) -> bool:
    """A default ref in a repository that has neither default yet: the one absence that is no error."""
    return ref in DEFAULT_REFS and not any(resolve(top, r) for r in DEFAULT_REFS)


@contextmanager
def checkout(root: Path, ref: str) -> Iterator[BaseTree]:
    """The base ref's project files in a temporary folder, removed on exit."""
    top, prefix = toplevel(root)
    commit = resolve(top, ref)
    if commit is None and not _first_pull_request(top, ref):
        raise _unresolved(ref)
    if commit is None:
        yield BaseTree(
            ref,
            None,
            None,
            (
                f"base ref {ref} does not exist here, nor does any of {', '.join(DEFAULT_REFS)} (a first "
                "pull request?): the base is empty and every spec counts as added",
            ),
        )
        return
    present = _existing(top, commit, [prefix + part for part in BASE_PATHS])
    if not any(p == prefix + "specs" or p == prefix + "envs" for p in present):
        yield BaseTree(ref, commit, None, (f"base {ref} has no specs/ or envs/: the base is empty",))
        return
    with tempfile.TemporaryDirectory(prefix="sagespec-review-base-") as tmp:
        skipped = _extract(top, commit, present, Path(tmp))
        notes = tuple(f"base file {name} skipped: not a regular file inside the tree" for name in skipped)
        yield BaseTree(ref, commit, Path(tmp) / prefix, notes)
