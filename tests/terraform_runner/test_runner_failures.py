"""How a failed Terraform command is reported: exit codes, Terraform's own error lines as the
headline, and the registry and credential hints (a fake binary plays Terraform)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagespec.terraform.failures import CREDENTIAL_HINT, REGISTRY_HINT, TerraformFailed
from sagespec.terraform.runner import TerraformRunner


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
