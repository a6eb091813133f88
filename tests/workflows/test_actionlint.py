"""actionlint over .github/workflows: zero findings, and proof that the linter does find mistakes."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.workflows.helpers import REPO, WORKFLOWS, Lint

BAD = REPO / "tests" / "fixtures" / "workflows" / "bad.yml"


def _workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def _show(findings: list[dict[str, object]]) -> str:
    return "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)


def test_workflows_exist() -> None:
    names = {path.name for path in _workflow_files()}
    assert {"pr.yml", "apply.yml"} <= names


def test_workflows_are_actionlint_clean(actionlint: Lint) -> None:
    findings = actionlint(_workflow_files())
    assert findings == [], "actionlint findings:\n" + _show(findings)


def test_bad_fixture_is_valid_yaml() -> None:
    """So the findings below come from actionlint's checks, not from a YAML syntax error."""
    assert isinstance(yaml.safe_load(BAD.read_text(encoding="utf-8")), dict)


def test_actionlint_finds_each_mistake_in_the_bad_workflow(actionlint: Lint) -> None:
    findings = actionlint([BAD])
    by_line = {int(str(f["line"])): (str(f["kind"]), str(f["message"])) for f in findings}
    expected = {
        6: ("events", "teleported"),  # unknown activity type
        9: ("permissions", "id-tokens"),  # unknown permission scope
        11: ("job-needs", "no-such-job"),  # needs a job that does not exist
        17: ("action", "fetch_depth"),  # unknown input of actions/checkout@v4
        19: ("expression", "potentially untrusted"),  # script injection from the PR title
        20: ("expression", 'undefined variable "secret"'),  # unknown context
    }
    for line, (kind, words) in expected.items():
        assert line in by_line, f"no finding on bad.yml line {line}; got:\n{_show(findings)}"
        assert by_line[line][0] == kind and words in by_line[line][1], _show(findings)
