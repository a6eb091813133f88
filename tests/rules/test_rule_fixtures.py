"""Per-rule fixtures: for each rule module, bad cases with their expected findings and good cases
with none, in the style of cfn-lint's test/fixtures/templates/{good,bad} and snapshot results.

tests/fixtures/rules/<module>/{good,bad}/<case> is named after the module that emits the codes:
scripts/sagespec/rules/<module>.py, or `loading` for the file reading of scripts/sagespec/spec/
and the pipeline (E1xx, a spec linked out of the repository, a token in a file that does not load,
an unreadable lock file). A case is either one YAML file (copied to specs/models/ of the fixture
repository tests/fixtures/repo) or a folder whose tree is laid over the fixture repository (for
findings about pools, environments, the lock file or the file system).

Next to each bad case, <case>.expected.txt (the case's name without .yaml) holds the findings in
the files the case brings, as `sagespec validate` prints them (`file:line:col: severity[CODE]:
message (at path)`, a hint on the indented line below), sorted by file, line, column and code;
the test compares byte for byte. A good case exercises its rule near its limits and brings no
finding at all, even with --strict, so a rule that starts firing on valid input fails here.

SAGESPEC_UPDATE_SNAPSHOTS=1 rewrites the expected files (and removes orphans); review the diff
before committing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sagespec.findings import CODES, PLAN_CODES
from sagespec.rules.once import CONSEQUENCES
from tests.helpers.repo import findings_json
from tests.helpers.rule_cases import (
    FINDING_LINE,
    FINDINGS_DOC,
    ONCE,
    RULES,
    SUFFIX,
    UPDATE,
    WARNINGS_ONLY,
    case_name,
    case_source,
    cases,
    compare,
    emitted_codes,
    lay_out,
    rule_modules,
    snapshot_codes,
    snapshot_path,
    validate_text,
)

# --- bad cases: their snapshots --------------------------------------------------------------------


@pytest.mark.parametrize("case", cases("bad"))
def test_bad_case_matches_its_snapshot(tmp_path: Path, case: str) -> None:
    code, mine, _ = validate_text(case_source(case), tmp_path / "repo")
    assert code == (0 if case in WARNINGS_ONLY else 1)
    assert mine, f"{case} brings no finding"
    assert ("error[" in mine) == (case not in WARNINGS_ONLY)
    compare(case, mine, snapshot_path(case))


def test_the_json_form_has_the_same_findings(tmp_path: Path) -> None:
    """The snapshot reads the text form; the JSON form holds the same findings (a sample)."""
    case = "limits/policy-and-ranges"
    root, brought = lay_out(case_source(case), tmp_path / "repo")
    _, findings = findings_json(root)
    got = sorted((f["file"], f["line"], f["col"], f["code"]) for f in findings if f["file"] in brought)
    text = snapshot_path(case).read_text(encoding="utf-8")
    want = sorted(
        (m["file"], int(m["line"]), int(m["col"]), m["code"])
        for line in text.splitlines()
        if (m := FINDING_LINE.match(line))
    )
    assert got == want


def test_every_case_has_its_snapshot_and_no_snapshot_is_orphaned() -> None:
    snapshots = {
        f"{p.parent.parent.name}/{p.name.removesuffix(SUFFIX)}" for p in RULES.glob(f"*/bad/*{SUFFIX}")
    }
    if UPDATE:
        for orphan in snapshots - set(cases("bad")):
            snapshot_path(orphan).unlink()
        return
    assert snapshots == set(cases("bad"))
    assert not list(RULES.glob(f"*/good/*{SUFFIX}")), "good cases have no findings to snapshot"


def test_case_names_are_unique_within_a_folder() -> None:
    for kind in ("good", "bad"):
        for folder in RULES.glob(f"*/{kind}"):
            names = [case_name(p) for p in folder.iterdir() if not p.name.endswith(SUFFIX)]
            assert len(names) == len(set(names)), folder
            entries = [p for p in folder.iterdir() if not p.name.endswith(SUFFIX)]
            assert all(p.is_dir() or p.suffix == ".yaml" for p in entries), folder


def test_warnings_only_cases_exist() -> None:
    assert set(cases("bad")) >= WARNINGS_ONLY


# --- good cases: no finding ------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases("good"))
def test_good_case_has_no_finding(tmp_path: Path, case: str) -> None:
    code, _, everything = validate_text(case_source(case, "good"), tmp_path / "repo", "--strict")
    assert (code, everything) == (0, [])


# --- coverage --------------------------------------------------------------------------------------


def test_every_rule_module_has_a_good_and_a_bad_folder() -> None:
    assert sorted(p.name for p in RULES.iterdir()) == rule_modules()
    for module in rule_modules():
        for kind in ("good", "bad"):
            folder = RULES / module / kind
            assert folder.is_dir() and [p for p in folder.iterdir() if not p.name.endswith(SUFFIX)], folder


def test_the_code_map_is_read_from_the_source() -> None:
    emitted = emitted_codes()
    assert {"E601", "E603", "E604"} <= emitted["policy"] and "E201" in emitted["structure"]
    assert {"E101", "E108", "E109"} <= emitted["loading"] and "E101" not in emitted["structure"]
    # every validation code has a module that emits it
    assert set().union(*emitted.values()) == set(CODES) - PLAN_CODES


@pytest.mark.parametrize("module", rule_modules())
def test_every_code_a_module_emits_is_in_its_bad_cases(module: str) -> None:
    found = {c for case in cases("bad") if case.startswith(f"{module}/") for c in snapshot_codes(case)}
    missing = emitted_codes()[module] - found
    assert not missing, f"no case under tests/fixtures/rules/{module}/bad/ brings {sorted(missing)}"


def test_once_drops_every_consequence_beside_its_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """once's bad cases bring each cause alone; without once.without_consequences (and merge) the
    consequences and the per-environment copies would be there too."""
    mine = [case for case in cases("bad") if case.startswith(f"{ONCE}/")]
    found = {c for case in mine for c in snapshot_codes(case)}
    assert set(CONSEQUENCES.values()) <= found and not set(CONSEQUENCES) & found
    from sagespec.rules import once

    monkeypatch.setattr(once, "without_consequences", lambda findings: findings)
    monkeypatch.setattr(once, "merge", lambda reporter, envs: [f for _, f in reporter.findings])
    unmerged: list[str] = []
    for index, case in enumerate(mine):
        _, text, _ = validate_text(case_source(case), tmp_path / f"repo{index}")
        unmerged.extend(m["code"] for line in text.splitlines() if (m := FINDING_LINE.match(line)))
    assert set(CONSEQUENCES) <= set(unmerged)
    assert len(unmerged) > len(found)  # each env's copy of the same finding


def _documented_codes() -> list[str]:
    text = FINDINGS_DOC.read_text()
    section = text.split("<!-- section:validation -->")[1].split("<!-- /section:validation -->")[0]
    return re.findall(r"^\| `([EWI]\d{3})` \|", section, re.MULTILINE)


def test_findings_table_is_the_code_list() -> None:
    codes = _documented_codes()
    assert len(codes) == len(set(codes))
    assert set(codes) == set(CODES)


# E801 is a plan finding: tests/review emits it
@pytest.mark.parametrize("code", [c for c in _documented_codes() if c not in PLAN_CODES])
def test_every_documented_code_is_emitted_by_a_bad_case(code: str) -> None:
    emitted_by = [case for case in cases("bad") if code in snapshot_codes(case)]
    assert emitted_by, f"no case under tests/fixtures/rules/*/bad/ brings {code}"


# --- negative controls -----------------------------------------------------------------------------


def test_an_altered_snapshot_fails_the_comparison(tmp_path: Path) -> None:
    """The comparison can fail: typo's findings against its snapshot with one line number changed."""
    case = "structure/typo"
    _, mine, _ = validate_text(case_source(case), tmp_path / "repo")
    altered = tmp_path / "typo.expected.txt"
    text = snapshot_path(case).read_text(encoding="utf-8")
    assert ".yaml:8:" in text
    altered.write_text(text.replace(".yaml:8:", ".yaml:9:", 1), encoding="utf-8")
    with pytest.raises(AssertionError, match="differs from the findings of structure/typo"):
        compare(case, mine, altered)
    compare(case, mine, snapshot_path(case))  # and the real one matches


@pytest.mark.parametrize(
    ("case", "old", "new", "code"),
    [
        ("structure/every-section", "  owner: nlp\n", "  owner: nlp\n  ownr: nlp\n", "E201"),
        ("limits/serverless-edges", "memory_mb: 6144", "memory_mb: 5000", "E402"),
    ],
)
def test_a_good_case_with_an_injected_error_has_a_finding(
    tmp_path: Path, case: str, old: str, new: str, code: str
) -> None:
    """The good test can fail: the same case with one value broken brings the rule's code."""
    source = case_source(case, "good")
    broken = tmp_path / source.name
    text = source.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    exit_code, mine, _ = validate_text(broken, tmp_path / "repo", "--strict")
    assert exit_code == 1 and f"[{code}]" in mine, mine
