"""The command line: root discovery, exit codes, output formats, the schema command."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sagespec.findings import CODES
from tests.helpers.repo import FIXTURES, fixture_repo, run_cli

REPO = Path(__file__).resolve().parents[2]


def test_root_is_found_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = fixture_repo(tmp_path / "repo")
    monkeypatch.chdir(root / "specs" / "models")
    code, _, err = run_cli("validate")
    assert code == 0 and "0 error(s)" in err


def test_no_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("validate")
    assert code == 2 and "no sagespec repository" in err and "--root" in err
    code, _, err = run_cli("--root", str(tmp_path), "validate")
    assert code == 2 and "no specs/ and envs/" in err


def test_bad_arguments_exit_2() -> None:
    assert run_cli("validate", "--format", "xml")[0] == 2
    assert run_cli("no-such-command")[0] == 2


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo")
    (root / "envs" / "dev" / "backend.hcl").unlink()  # W404
    assert run_cli("--root", str(root), "validate")[0] == 0
    assert run_cli("--root", str(root), "validate", "--strict")[0] == 1


def test_formats(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", FIXTURES / "rules" / "structure" / "bad" / "typo.yaml")
    code, out, _ = run_cli("--root", str(root), "validate")
    assert code == 1
    assert re.search(
        r"^specs/models/typo\.yaml:8:3: error\[E201\]: unknown key \(at spec\.enviroment\)$", out, re.M
    )
    assert "  hint: did you mean 'environment'?" in out
    code, out, _ = run_cli("--root", str(root), "validate", "--format", "json")
    payload = json.loads(out)
    assert payload["summary"] == {"errors": 2, "warnings": 0}
    code, out, _ = run_cli("--root", str(root), "validate", "--format", "github")
    assert out.startswith("::error file=specs/models/typo.yaml,line=8,col=3,title=E201::")


def test_env_filter(tmp_path: Path) -> None:
    root = fixture_repo(tmp_path / "repo", FIXTURES / "rules" / "structure" / "bad" / "overlay-error.yaml")
    _, out, _ = run_cli("--root", str(root), "validate", "--env", "dev", "--format", "json")
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert codes == {"E202"}  # the prod-only problems are not checked
    assert run_cli("--root", str(root), "validate", "--env", "qa")[0] == 2


def test_examples_point_editors_at_the_schema() -> None:
    for path in [*(REPO / "specs").rglob("*.yaml"), *(REPO / "envs").glob("*/env.yaml")]:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), path


def test_findings_doc_lists_every_finding_code() -> None:
    doc = (REPO / "docs" / "findings.md").read_text()
    missing = [code for code in CODES if f"`{code}`" not in doc]
    assert missing == []


def test_unexpected_errors_are_reported_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fixture_repo(tmp_path / "repo")
    import sagespec.pipeline

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(sagespec.pipeline, "check", boom)
    monkeypatch.delenv("SAGESPEC_DEBUG", raising=False)
    code, _, err = run_cli("--root", str(root), "validate")
    assert code == 3 and "kaboom" in err and "Traceback" not in err and os.linesep in err


def test_compiling_the_schema_leaves_it_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold cache compiles the schema; the schema printed and used afterwards must not change."""
    from sagespec.rules import structure

    before = json.dumps(structure.schema("Endpoint"), sort_keys=True)
    monkeypatch.setenv("SAGESPEC_CACHE_DIR", str(tmp_path))
    structure._fast.cache_clear()
    validate = structure._fast("Endpoint")
    assert list(tmp_path.glob("schemas/schema-endpoint-*.py"))  # compiled, not read from a cache
    assert callable(validate)
    assert json.dumps(structure.schema("Endpoint"), sort_keys=True) == before


def _run_fresh(code: str) -> str:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout


_HELP_RUN = (
    "import contextlib, io, sys, time\n"
    "start = time.perf_counter()\n"
    "from sagespec.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()) as help_text:\n"
    "    try:\n"
    "        main(['--help'])\n"
    "    except SystemExit:\n"
    "        pass\n"
    "took = time.perf_counter() - start\n"
    "loaded = sorted(m for m in sys.modules if m.startswith('sagespec.commands.'))\n"
    "print(took, loaded, 'validate every spec' in help_text.getvalue())\n"
)


def test_help_imports_no_command_and_is_fast() -> None:
    times = []
    for _ in range(3):  # the fastest of three: other jobs on a loaded machine only ever add time
        took, rest = _run_fresh(_HELP_RUN).split(" ", 1)
        loaded, listed = rest.rsplit(" ", 1)
        assert loaded == "[]" and listed.strip() == "True", rest
        times.append(float(took))
    assert min(times) < 0.1, f"sagespec --help took {min(times) * 1000:.0f} ms in-process (budget 100 ms)"


def test_a_command_imports_only_its_own_module() -> None:
    out = _run_fresh(
        "import sys\n"
        "from sagespec.cli import build_parser\n"
        "build_parser(['--root', 'x', 'size', 'm']).parse_args(['--root', 'x', 'size', 'm'])\n"
        "mine = [m for m in sys.modules if m.startswith('sagespec.commands.')]\n"
        "print(sorted(set(mine) - {'sagespec.commands.common'}))\n"
    )
    assert out.strip() == "['sagespec.commands.size']"


def test_the_command_table_is_the_commands_package() -> None:
    from sagespec.cli import COMMANDS

    modules = {p.stem for p in (REPO / "scripts" / "sagespec" / "commands").glob("*.py")} - {
        "__init__",
        "common",
    }
    assert set(COMMANDS) == modules


def test_each_command_help_shows_its_own_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    from sagespec.cli import COMMANDS, main

    for command, help_text in COMMANDS.items():
        with pytest.raises(SystemExit) as exited:
            main([command, "--help"])
        out = capsys.readouterr().out
        assert exited.value.code == 0 and out.startswith(f"usage: sagespec {command}"), command
        assert " ".join(help_text.split()) in " ".join(out.split()), command
        assert "options:" in out, command
        own = {"review": "--base", "validate": "--strict", "plan": "--env", "render": "--check"}
        assert own.get(command, "-h") in out, command
