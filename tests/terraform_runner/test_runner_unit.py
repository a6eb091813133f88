"""TerraformRunner without a real Terraform: which binary it picks, and the command lines and
environment it passes (a fake binary prints them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_terraform import IsFlagged, Terraform

from sagespec.errors import SagespecError
from sagespec.terraform import engine
from sagespec.terraform.runner import TerraformRunner, find_terraform

from .conftest import call

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
