"""TerraformRunner without a real Terraform: a fake binary shows what the runner passes and does."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from python_terraform import IsFlagged, Terraform

from sagespec.errors import SagespecError
from sagespec.terraform import engine
from sagespec.terraform.failures import CREDENTIAL_HINT, REGISTRY_HINT, TerraformFailed
from sagespec.terraform.runner import TerraformRunner, find_terraform

# Prints its argv and a few environment variables as JSON, then behaves as FAKE_TF tells it.
FAKE_TF = """#!{python}
import json, os, pathlib, signal, sys, time
mode = os.environ.get("FAKE_TF", "")
if sys.argv[1:3] == ["version", "-json"]:
    print(json.dumps({{"terraform_version": "1.9.8", "platform": "linux_amd64"}}))
    sys.exit(0)
env = {{k: os.environ.get(k) for k in ("TF_DATA_DIR", "CHECKPOINT_DISABLE", "TF_IN_AUTOMATION", "TF_INPUT")}}
print(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": env}}), flush=True)
if mode == "stream":
    print("first line", flush=True)
    sentinel = pathlib.Path(os.environ["FAKE_TF_SENTINEL"])
    deadline = time.time() + 10
    while not sentinel.exists() and time.time() < deadline:
        time.sleep(0.02)
    print("seen" if sentinel.exists() else "NOT STREAMED", flush=True)
elif mode == "hang":
    def stop(*_):
        print("Interrupt received, stopping gracefully", flush=True)
        sys.exit(1)
    signal.signal(signal.SIGINT, stop)
    time.sleep(60)
elif mode:
    code, _, message = mode.partition(":")
    if message:
        print("", file=sys.stderr)
        print(message, file=sys.stderr)
    sys.exit(int(code))
"""


@pytest.fixture
def fake_tf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    binary = tmp_path / "bin" / "terraform"
    binary.parent.mkdir()
    binary.write_text(FAKE_TF.format(python=sys.executable))
    binary.chmod(0o755)
    monkeypatch.setenv("SAGESPEC_TERRAFORM", str(binary))
    monkeypatch.delenv("SAGESPEC_TERRAFORM_TIMEOUT", raising=False)
    monkeypatch.delenv("FAKE_TF", raising=False)
    return binary


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    folder.mkdir()
    (folder / "main.tf").write_text("")
    return folder


def call(result_stdout: str) -> dict[str, Any]:
    return json.loads(result_stdout.splitlines()[0])  # type: ignore[no-any-return]


# ---- finding the binary ------------------------------------------------------------------------------


def _exe(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text('#!/bin/sh\necho \'{"terraform_version": "1.9.8"}\'\n')  # passes the >= 1.5 floor
    path.chmod(0o755)
    return path


def test_find_terraform_prefers_the_env_var(tmp_path: Path) -> None:
    explicit = _exe(tmp_path / "x", "my-terraform")
    on_path = _exe(tmp_path / "p", "terraform")
    assert find_terraform({"SAGESPEC_TERRAFORM": str(explicit), "PATH": str(on_path.parent)}) == str(explicit)


def test_find_terraform_takes_terraform_then_tofu_from_path(tmp_path: Path) -> None:
    tofu = _exe(tmp_path / "a", "tofu")
    terraform = _exe(tmp_path / "b", "terraform")
    assert find_terraform({"PATH": f"{tofu.parent}:{terraform.parent}"}) == str(terraform)
    assert find_terraform({"PATH": str(tofu.parent)}) == str(tofu)


def test_missing_terraform_says_how_to_get_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "bundled_path", lambda: tmp_path / "no-bin" / "sagespec-terraform")
    with pytest.raises(SagespecError) as exc:
        find_terraform({"PATH": str(tmp_path)})
    assert "no Terraform" in exc.value.message and "SAGESPEC_TERRAFORM" in str(exc.value.hint)
    with pytest.raises(SagespecError, match="SAGESPEC_TERRAFORM=/nowhere/terraform: no such executable"):
        find_terraform({"SAGESPEC_TERRAFORM": "/nowhere/terraform", "PATH": str(tmp_path)})


def test_runner_in_a_missing_folder(tmp_path: Path, fake_tf: Path) -> None:
    with pytest.raises(SagespecError, match="does not exist"):
        TerraformRunner(tmp_path / "nope")


# ---- command lines ---------------------------------------------------------------------------------


def test_argv_follows_python_terraform_conventions(workdir: Path, fake_tf: Path) -> None:
    runner = TerraformRunner(workdir)
    argv = runner.argv(
        "plan",
        "extra",
        out="p.tfplan",
        detailed_exitcode=IsFlagged,
        var_file=["a", "b"],
        destroy=None,
        input=False,
        lock=True,
    )
    assert argv == [
        str(fake_tf),
        "plan",
        "-out=p.tfplan",
        "-detailed-exitcode",
        "-var-file=a",
        "-var-file=b",
        "-input=false",
        "-lock=true",
        "extra",
    ]


def test_dict_options_are_refused(workdir: Path, fake_tf: Path) -> None:
    with pytest.raises(TypeError):
        TerraformRunner(workdir).run("plan", var={"a": "b"})


def test_python_terraform_quirks_the_runner_avoids() -> None:
    """If these start failing, python-terraform was fixed and the runner could use its methods again."""
    tf = Terraform(terraform_bin_path="terraform")
    apply_argv = tf.generate_cmd_string("apply", "p.tfplan", **tf._generate_default_options({}))
    assert any(arg.startswith("-var-file=") for arg in apply_argv)  # refused with a saved plan
    destroy_argv = tf.generate_cmd_string("destroy", **tf._generate_default_options({"force": IsFlagged}))
    assert "-force" in destroy_argv  # removed in Terraform 0.15
    assert "-synchronous=false" in tf.generate_cmd_string("plan", synchronous=False)
    tf.temp_var_files.clean_up()


def test_init_plan_show_apply_command_lines(workdir: Path, tmp_path: Path, fake_tf: Path) -> None:
    data = tmp_path / "data"
    runner = TerraformRunner(workdir, data_dir=data, stream=False)
    init = call(runner.init(tmp_path / "backend.hcl").stdout)
    assert init["argv"] == [
        "init",
        "-input=false",
        "-no-color",
        "-reconfigure",
        "-backend=true",
        f"-backend-config={tmp_path / 'backend.hcl'}",
    ]
    assert init["cwd"] == str(workdir)
    assert init["env"] == {
        "TF_DATA_DIR": str(data),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
    }
    assert call(runner.init(backend=False).stdout)["argv"][-1] == "-backend=false"
    plan = call(runner.plan(tmp_path / "p.tfplan", [tmp_path / "r.tfvars.json"]).stdout)
    assert plan["argv"] == [
        "plan",
        "-input=false",
        "-no-color",
        "-detailed-exitcode",
        f"-var-file={tmp_path / 'r.tfvars.json'}",
        f"-out={tmp_path / 'p.tfplan'}",
    ]
    destroy = call(runner.plan(tmp_path / "d.tfplan", destroy=True).stdout)
    assert "-destroy" in destroy["argv"]
    apply = call(runner.apply(tmp_path / "p.tfplan").stdout)
    # A saved plan: no -var-file (Terraform refuses it), no -auto-approve, the plan last.
    assert apply["argv"] == ["apply", "-input=false", "-no-color", str(tmp_path / "p.tfplan")]
    assert runner.version() == "1.9.8"


def test_environment_overrides_win(workdir: Path, fake_tf: Path) -> None:
    runner = TerraformRunner(workdir, env={"TF_IN_AUTOMATION": "", "CHECKPOINT_DISABLE": "0"}, stream=False)
    env = call(runner.run("validate").stdout)["env"]
    assert env["TF_IN_AUTOMATION"] == "" and env["CHECKPOINT_DISABLE"] == "0" and env["TF_DATA_DIR"] is None


# ---- results and errors ------------------------------------------------------------------------------


def test_plan_exit_codes(
    workdir: Path, tmp_path: Path, fake_tf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = TerraformRunner(workdir, stream=False)
    monkeypatch.setenv("FAKE_TF", "0")
    assert runner.plan(tmp_path / "p").has_changes is False
    monkeypatch.setenv("FAKE_TF", "2")
    assert TerraformRunner(workdir, stream=False).plan(tmp_path / "p").has_changes is True
    monkeypatch.setenv("FAKE_TF", "1:Error: Reference to undeclared input variable")
    with pytest.raises(TerraformFailed) as exc:
        TerraformRunner(workdir, stream=False).plan(tmp_path / "p")
    assert exc.value.message == "terraform plan failed (exit 1): Reference to undeclared input variable"
    assert exc.value.result.returncode == 1 and "undeclared" in exc.value.result.stderr


@pytest.mark.parametrize(
    "message",
    [
        "Error: Failed to query available provider packages",
        "Error: Failed to install provider\n\nError while installing hashicorp/aws v6.21.0: "
        "could not connect to registry.terraform.io: Failed to request discovery document",
    ],
)
def test_init_registry_failures_get_the_mirror_hint(
    workdir: Path, fake_tf: Path, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TF", f"1:{message}")
    with pytest.raises(TerraformFailed) as exc:
        TerraformRunner(workdir, stream=False).init()
    assert exc.value.message.startswith("terraform init could not install providers (exit 1): ")
    assert exc.value.hint == REGISTRY_HINT


def test_other_init_failures_do_not_blame_the_registry(
    workdir: Path, fake_tf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TF", "1:Error: Failed to read file")
    with pytest.raises(TerraformFailed) as exc:
        TerraformRunner(workdir, stream=False).init()
    assert exc.value.message == "terraform init failed (exit 1): Failed to read file"
    assert exc.value.hint != REGISTRY_HINT


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


def test_wrapped_error_summaries_are_joined_and_credentials_get_their_hint(
    workdir: Path, fake_tf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Terraform 1.11's output when the S3 backend finds no credentials (-no-color, wrapped at 78).
    message = (
        "Error: No valid credential sources found\n\nPlease see https://developer.hashicorp.com/x\n\n"
        "Error: failed to refresh cached credentials, no EC2 IMDS role found,\n"
        "operation error ec2imds: GetMetadata, http response error StatusCode: 403\n\ndetail\n"
    )
    monkeypatch.setenv("FAKE_TF", f"1:{message}")
    with pytest.raises(TerraformFailed) as exc:
        TerraformRunner(workdir, stream=False).init()
    assert exc.value.result.errors == [
        "Error: No valid credential sources found",
        "Error: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: "
        "GetMetadata, http response error StatusCode: 403",
    ]
    assert exc.value.message.startswith("terraform init failed (exit 1): No valid credential sources found; ")
    assert exc.value.hint == CREDENTIAL_HINT
