"""Running the Terraform process: output streamed while it runs and kept, a timeout that interrupts
first, and a binary that cannot run (a fake binary plays Terraform)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from sagespec.errors import SagespecError
from sagespec.terraform.failures import TerraformFailed
from sagespec.terraform.runner import TerraformRunner


def test_output_is_streamed_while_terraform_runs(
    workdir: Path, tmp_path: Path, fake_tf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fake waits for a sentinel that only our stdout creates when it sees the first line."""
    sentinel = tmp_path / "sentinel"
    monkeypatch.setenv("FAKE_TF", "stream")
    monkeypatch.setenv("FAKE_TF_SENTINEL", str(sentinel))

    class Watcher:
        text = ""

        def write(self, chunk: str) -> int:
            self.text += chunk
            if "first line" in chunk:
                sentinel.touch()
            return len(chunk)

        def flush(self) -> None:
            pass

    watcher = Watcher()
    monkeypatch.setattr(sys, "stdout", watcher)
    result = TerraformRunner(workdir).run("apply")
    assert result.stdout.splitlines()[1:] == ["first line", "seen"]
    assert watcher.text == result.stdout


def test_stream_false_echoes_nothing(
    workdir: Path, fake_tf: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TF", "0:warning on stderr")
    result = TerraformRunner(workdir, stream=False).run("validate")
    assert capsys.readouterr() == ("", "") and "warning on stderr" in result.stderr
    TerraformRunner(workdir).run("validate")
    out, err = capsys.readouterr()
    assert '"argv": ["validate"]' in out and "warning on stderr" in err


def test_timeout_interrupts_then_reports(
    workdir: Path, fake_tf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TF", "hang")
    start = time.monotonic()
    with pytest.raises(TerraformFailed) as exc:
        TerraformRunner(workdir, stream=False, timeout=1).run("apply")
    assert time.monotonic() - start < 20
    assert exc.value.message == "terraform apply did not finish within 1 s and was stopped"
    assert exc.value.result.timed_out
    assert "stopping gracefully" in exc.value.result.stdout  # SIGINT first: Terraform saves its state


def test_timeout_from_environment(workdir: Path, fake_tf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGESPEC_TERRAFORM_TIMEOUT", "12.5")
    assert TerraformRunner(workdir).timeout == 12.5
    monkeypatch.setenv("SAGESPEC_TERRAFORM_TIMEOUT", "soon")
    with pytest.raises(SagespecError, match="not a number of seconds"):
        TerraformRunner(workdir)


def test_binary_that_cannot_run(workdir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "terraform"
    broken.write_text("not a program")
    broken.chmod(0o755)
    with pytest.raises(SagespecError, match="cannot run"):
        TerraformRunner(workdir, binary=str(broken)).run("version")
