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

import os
import re
import shutil
from pathlib import Path

import pytest

from sagespec.findings import CODES, PLAN_CODES
from sagespec.rules.once import CONSEQUENCES
from tests.helpers.repo import FIXTURES, REPO, findings_json, fixture_repo, run_cli

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
_FINDING = re.compile(
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


def _case_name(entry: Path) -> str:
    return entry.name.removesuffix(".yaml")


def cases(kind: str) -> list[str]:
    """module/case for every case under tests/fixtures/rules/*/<kind>/ (snapshots left out)."""
    return sorted(
        f"{module.name}/{_case_name(entry)}"
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
        match = _FINDING.match(block[0])
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
    return [m["code"] for line in text.splitlines() if (m := _FINDING.match(line))]


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
        if (m := _FINDING.match(line))
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
            names = [_case_name(p) for p in folder.iterdir() if not p.name.endswith(SUFFIX)]
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
        unmerged.extend(m["code"] for line in text.splitlines() if (m := _FINDING.match(line)))
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


# --- particular cases ------------------------------------------------------------------------------


def test_pool_overflow_is_said_once_naming_its_environment(tmp_path: Path) -> None:
    root, _ = lay_out(case_source("capacity/pool-overflow"), tmp_path / "repo")
    _, findings = findings_json(root)
    totals = [f for f in findings if f["code"] == "E404"]
    # dev runs 3 copies: they fit; huge-copy's 2 copies can never be placed, so they are not packed
    # (else dev would overflow too, and prod's total would count 7 accelerators)
    assert [(f["file"], f["line"], f["envs"]) for f in totals] == [(M + "pool-overflow.yaml", 11, ["prod"])]
    assert "(5 accelerators in all, 4 per instance)" in totals[0]["message"]
    assert not [f for f in findings if f["file"] == "specs/endpoints/overflow-pool.yaml"]


def test_a_copy_larger_than_the_pool_instance_is_reported_on_its_resources(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("capacity/copy-too-big"))
    code, findings = findings_json(root)
    assert code == 1
    got = [(f["file"], f["line"], f["code"]) for f in findings if f["severity"] == "error"]
    # one copy cannot fit at all: said once, on its memory; it is not packed, so chat's 2 copies
    # still fit the pool (3 + 2 accelerators would not) and nothing is said on the pool or on chat
    assert got == [(M + "copy-too-big.yaml", 12, "E406")]
    assert not [f for f in findings if f["file"] in ("specs/endpoints/pool.yaml", M + "chat.yaml")]


def test_a_full_pool_is_reported_on_the_copies_of_the_models_that_no_longer_fit(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("capacity/pool-full"))
    code, findings = findings_json(root)
    assert code == 1
    over = [f for f in findings if f["code"] == "E404"]
    # prod: 2 + 3 copies x 1 GPU need 2 x ml.g5.12xlarge, the pool has 1 and no managed scaling;
    # without either model the other would fit, so both copies lines carry it, once each, for prod
    assert {(f["file"], f["line"]) for f in over} == {
        ("specs/models/pool-full.yaml", 11),
        ("specs/models/chat.yaml", 11),
    }
    assert all(f["envs"] == ["prod"] and f["path"] == "spec.deployment.copies" for f in over)
    assert "need 2 x ml.g5.12xlarge (5 accelerators in all, 4 per instance)" in over[0]["message"]
    assert "at most 1 (instance_count; no managed_scaling)" in over[0]["message"]
    assert not [f for f in findings if f["file"] == "specs/endpoints/pool.yaml"]


def test_literal_secret_is_never_echoed(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("secrets/literal-secret"))
    _, findings = findings_json(root)
    text = repr(findings)
    assert "hf_aBcDeF" not in text and "hunter2" not in text
    assert any("Hugging Face token" in f["message"] for f in findings)


def test_typo_gets_a_did_you_mean_hint(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("structure/typo"))
    _, findings = findings_json(root)
    hints = {f["path"]: f["hint"] for f in findings}
    assert "environment" in hints["spec.enviroment"]
    assert "instance_count" in hints["spec.deployment.instnce_count"]


def test_overlay_finding_names_its_environment(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", case_source("structure/overlay-error"))
    _, findings = findings_json(root)
    by_code = {f["code"]: f for f in findings}
    assert by_code["E202"]["envs"] == ["dev"]
    assert by_code["E601"]["envs"] == ["prod"]


def test_secret_hidden_behind_yaml_escapes_is_still_found() -> None:
    from sagespec.rules import secrets
    from sagespec.rules.report import Reporter
    from sagespec.spec.project import Source
    from sagespec.spec.yamlload import load_text

    # "\x41" is "A" once parsed: the raw text holds no token, the value does
    document, _ = load_text('a: "hf_\\x41BCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\n', "x.yaml")
    assert document is not None
    reporter = Reporter()
    secrets.check(reporter, Source(document, Path("x.yaml")))
    assert [(f.code, f.line) for _, f in reporter.findings] == [("E501", 1)]


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("hf_" + "a" * 34, "Hugging Face token"),
        ("AKIA" + "A" * 16, "AWS access key id"),
        ("ghp_" + "a" * 36, "GitHub token"),
        ("github_pat_" + "a" * 30, "GitHub token"),
        ("glpat-" + "a" * 20, "GitLab token"),
        ("sk-proj-" + "a" * 30, "OpenAI-style API key"),
        ("xoxb-" + "1" * 12, "Slack token"),
        ("AIza" + "a" * 35, "Google API key"),
        ("-----BEGIN RSA PRIVATE KEY-----", "private key"),
        ("https://user:s3cret@example.com/repo", "password in a URL"),
    ],
)
def test_every_token_format_is_found_in_a_file(token: str, kind: str) -> None:
    from sagespec.rules import secrets
    from sagespec.rules.report import Reporter
    from sagespec.spec.project import Source
    from sagespec.spec.yamlload import load_text

    document, _ = load_text(f"metadata:\n  description: 'see {token}'\n", "x.yaml")
    assert document is not None
    reporter = Reporter()
    secrets.check(reporter, Source(document, Path("x.yaml")))
    assert [(f.code, f.line) for _, f in reporter.findings] == [("E501", 2)]
    assert kind in reporter.findings[0][1].message and token not in reporter.findings[0][1].message
