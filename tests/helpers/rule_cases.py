"""The per-rule fixture cases of tests/fixtures/rules/<module>/{good,bad}/: where they are, how
one is laid over the fixture repository and validated, and how its findings compare with the
committed <case>.expected.txt (see tests/rules/test_rule_fixtures.py for the layout)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from tests.helpers.repo import FIXTURES, REPO, fixture_repo, run_cli

RULES = FIXTURES / "rules"
FINDINGS_DOC = REPO / "docs" / "findings.md"
SOURCE = REPO / "scripts" / "sagespec"
UPDATE = os.environ.get("SAGESPEC_UPDATE_SNAPSHOTS") == "1"
SUFFIX = ".expected.txt"
M = "specs/models/"

# The fixture folder of the codes that no rule module emits: reading files, before any rule runs.
LOADING = ("spec/yamlload.py", "spec/yamlvalues.py", "spec/files.py", "spec/project.py", "pipeline.py")
NOT_RULES = {"__init__", "context", "report"}  # the rules' plumbing: no finding of their own
# once.py emits no code: it merges per-environment findings and drops consequences (CONSEQUENCES);
# its bad cases bring each cause, and the test checks that the consequence is not said beside it
ONCE = "once"

# Cases with warnings (or information) only: validation passes (exit 0) unless --strict.
WARNINGS_ONLY = {
    "artifacts/unlocked-files",
    "artifacts/lock-without-files",
    "capacity/autoscaling-overflow",
    "capacity/pool-grows",
    "capacity/idle-pool",
    "scale_to_zero/half-scale-to-zero",
    "sizing/gpu-too-small",
    "secrets/runtime-token",
    "containers/uncatalogued-gpu-only",
}
_CODE = re.compile(r'"([EWI]\d{3})"')
FINDING_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<severity>\w+)\[(?P<code>[EWI]\d{3})\]: "
)


def rule_modules() -> list[str]:
    modules = {p.stem for p in (SOURCE / "rules").glob("*.py")} - NOT_RULES
    return sorted(modules | {"loading"})


def emitted_codes() -> dict[str, set[str]]:
    """module -> the code literals in its source (once.py's are the consequences it drops)."""
    rules = [m for m in rule_modules() if m != "loading"]
    emitted = {m: set(_CODE.findall((SOURCE / "rules" / f"{m}.py").read_text())) for m in rules}
    emitted["loading"] = {c for path in LOADING for c in _CODE.findall((SOURCE / path).read_text())}
    emitted[ONCE] = set()
    return emitted


def case_name(entry: Path) -> str:
    return entry.name.removesuffix(".yaml")


def cases(kind: str) -> list[str]:
    """module/case for every case under tests/fixtures/rules/*/<kind>/ (snapshots left out)."""
    return sorted(
        f"{module.name}/{case_name(entry)}"
        for module in RULES.iterdir()
        if (module / kind).is_dir()
        for entry in (module / kind).iterdir()
        if not entry.name.endswith(SUFFIX)
    )


def case_source(case: str, kind: str = "bad") -> Path:
    module, name = case.split("/")
    folder = RULES / module / kind
    return folder / name if (folder / name).is_dir() else folder / f"{name}.yaml"


def snapshot_path(case: str) -> Path:
    module, name = case.split("/")
    return RULES / module / "bad" / f"{name}{SUFFIX}"


def lay_out(source: Path, root: Path) -> tuple[Path, set[str]]:
    """The fixture repository with the case in it, and the files the case brings."""
    if source.is_dir():
        fixture_repo(root)
        shutil.copytree(source, root, dirs_exist_ok=True, symlinks=True)
        brought = {p.relative_to(source).as_posix() for p in source.rglob("*") if not p.is_dir()}
        return root, brought
    return fixture_repo(root, source), {M + source.name}


def _blocks(text: str) -> list[tuple[tuple[str, int, int, str, str], str]]:
    """`sagespec validate`'s text output as (sort key, finding with its hint line) pairs."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("  ") and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    keyed = []
    for block in blocks:
        match = FINDING_LINE.match(block[0])
        assert match, f"not a finding: {block[0]!r}"
        key = (match["file"], int(match["line"]), int(match["col"]), match["code"], block[0])
        keyed.append((key, "\n".join(block) + "\n"))
    return keyed


def _spec_files(root: Path) -> int:
    """The files validate reads: every spec under specs/ (but specs/schema/) and each env.yaml."""
    specs = [p for p in (root / "specs").rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return len([p for p in specs if "schema" not in p.relative_to(root).parts[:2]]) + len(
        list(root.glob("envs/*/env.yaml"))
    )


def validate_text(source: Path, root: Path, *args: str) -> tuple[int, str, list[str]]:
    """Exit code, the findings in the files the case brings (the snapshot's text), every finding."""
    root, brought = lay_out(source, root)
    code, out, err = run_cli("--root", str(root), "validate", *args)
    assert "Traceback" not in err
    if code == 0:  # each file the case brings was read (a file skipped would bring no finding either)
        assert f"{_spec_files(root)} files checked" in err, err
    keyed = sorted(_blocks(out))
    mine = "".join(text for key, text in keyed if key[0] in brought)
    return code, mine, [text for _, text in keyed]


def compare(case: str, got: str, expected_file: Path) -> None:
    if UPDATE and expected_file == snapshot_path(case):
        expected_file.write_text(got, encoding="utf-8")
        return
    assert expected_file.exists(), f"{expected_file} is missing; write it with SAGESPEC_UPDATE_SNAPSHOTS=1"
    assert got == expected_file.read_text(encoding="utf-8"), (
        f"{expected_file} differs from the findings of {case}; if the change is intended, rewrite "
        "it with SAGESPEC_UPDATE_SNAPSHOTS=1 and review the diff"
    )


def snapshot_codes(case: str) -> list[str]:
    text = snapshot_path(case).read_text(encoding="utf-8")
    return [m["code"] for line in text.splitlines() if (m := FINDING_LINE.match(line))]
