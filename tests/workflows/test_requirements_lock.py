"""The hashed requirement locks CI installs with --require-hashes are current with pyproject.toml.

tools/lock_requirements.sh regenerates them (uv pip compile --generate-hashes); this test needs no
network: every requirement of pyproject (runtime + dev extras) and of requirements/*.in must be
pinned in the lock by a version its specifier accepts, and every pin must carry sha256 hashes.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
REQUIREMENTS = REPO / "requirements"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)", re.M)


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of hashes)} of a uv-compiled lock."""
    return {
        canonicalize_name(name): (version, hashes.count("--hash=sha256:"))
        for name, version, hashes in PIN.findall(lock.read_text(encoding="utf-8"))
    }


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    lines += [
        line.split("#")[0].strip()
        for line in (REQUIREMENTS / "build.in").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    return [Requirement(line.split("#")[0].strip()) for line in lines]


def in_lines(name: str) -> list[Requirement]:
    text = (REQUIREMENTS / name).read_text()
    return [Requirement(line) for raw in text.splitlines() if (line := raw.split("#")[0].strip())]


@pytest.mark.parametrize(
    ("source", "lock"), [("hcl2.in", "hcl2.lock"), ("checkov-hcl2.in", "checkov-hcl2.lock")]
)
def test_the_small_locks_pin_their_input(source: str, lock: str) -> None:
    locked = pins(REQUIREMENTS / lock)
    for requirement in in_lines(source):
        version, hashes = locked[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True) and hashes >= 1


def test_ci_lock_pins_every_declared_requirement_with_hashes() -> None:
    locked = pins(REQUIREMENTS / "ci.lock")
    assert len(locked) > 50
    stale = []
    for requirement in declared():
        entry = locked.get(canonicalize_name(requirement.name))
        if entry is None or not requirement.specifier.contains(entry[0], prereleases=True):
            stale.append(f"{requirement} (lock: {entry[0] if entry else 'missing'})")
    assert not stale, f"requirements/ci.lock is stale, run tools/lock_requirements.sh: {stale}"
    assert all(hashes >= 1 for _, hashes in locked.values())


def test_the_hcl2_locks_agree_with_ci_lock_and_the_makefile() -> None:
    locked = pins(REQUIREMENTS / "ci.lock")
    assert pins(REQUIREMENTS / "hcl2.lock")["python-hcl2"][0] == locked["python-hcl2"][0]
    checkov_hcl2 = pins(REQUIREMENTS / "checkov-hcl2.lock")["bc-python-hcl2"][0]
    assert f"bc-python-hcl2=={checkov_hcl2}" in (REPO / "Makefile").read_text()


def test_ci_installs_with_require_hashes() -> None:
    script = (REPO / "tools" / "install_locked.sh").read_text()
    assert "--require-hashes" in script and "requirements/ci.lock" in script
    assert "--no-index" in script  # our own package builds from the checkout, never from an index


def test_the_terraform_provider_lock_file_is_not_ignored() -> None:
    """It was in .gitignore, so plan and apply could install different provider builds."""
    import subprocess

    proc = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "-q", "terraform/.terraform.lock.hcl"],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1, "terraform/.terraform.lock.hcl must not be git-ignored"
