"""The plan-time artifact check: `sagespec plan` stops before Terraform when S3 lacks an artifact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from sagespec.errors import SagespecError
from sagespec.ops import artifact_check
from tests.conftest import REPO
from tests.ops.conftest import BUCKET, cli

PROD = "acme-sagespec-prod-artifacts"


@pytest.fixture
def no_terraform(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Plan arguments that reach Terraform only after the check: then fail on a missing binary."""
    monkeypatch.setenv("SAGESPEC_TERRAFORM", "/nowhere/terraform")
    return ["--terraform-dir", str(REPO / "terraform")]


def _plan(repo: Path, env: str, no_terraform: list[str], *extra: str) -> int:
    return cli(repo, "plan", "--env", env, *no_terraform, *extra)


def _packaged(repo: Path, s3: Any) -> None:
    s3.create_bucket(Bucket=PROD)
    for model in ("flan-t5", "gpt-neo"):
        assert cli(repo, "package", model, "--env", "dev") == 0
    assert cli(repo, "render", "--all") == 0


def test_missing_artifacts_stop_the_plan_before_terraform(
    ops_repo: Path, s3: Any, no_terraform: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _packaged(ops_repo, s3)
    capsys.readouterr()
    assert _plan(ops_repo, "prod", no_terraform) == 2
    err = capsys.readouterr().err
    assert f"error: flan-t5: s3://{PROD}/models/flan-t5/" in err
    assert "make promote MODEL=flan-t5 FROM=<env> ENV=prod" in err
    assert "error: gpt-neo:" in err  # the uncompressed prefix is checked by listing it
    assert "error: tiny-llm:" in err and "mirror it with `make package MODEL=tiny-llm ENV=prod`" in err
    assert "3 of 3 artifact(s) that envs/prod/rendered.tfvars.json names cannot be found" in err
    assert "no such executable" not in err  # Terraform was never reached


def test_present_artifacts_pass_and_terraform_comes_next(
    ops_repo: Path, s3: Any, no_terraform: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _packaged(ops_repo, s3)
    s3.put_object(
        Bucket=BUCKET, Key="models/tiny-llm/hf/main/config.json", Body=b"{}"
    )  # as a mirror leaves it
    capsys.readouterr()
    assert _plan(ops_repo, "dev", no_terraform) == 2
    out, err = capsys.readouterr()
    assert "3 of 3 artifact(s) found in S3" in out
    assert "SAGESPEC_TERRAFORM=/nowhere/terraform: no such executable" in err


def test_warn_mode_lets_a_pull_request_plan_go_on(
    ops_repo: Path, s3: Any, no_terraform: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _packaged(ops_repo, s3)
    capsys.readouterr()
    assert _plan(ops_repo, "prod", no_terraform, "--missing-artifacts", "warn") == 2
    err = capsys.readouterr().err
    assert "warning: flan-t5:" in err and "no such executable" in err


def _stubbed(rendered: dict[str, Any], code: str, status: int) -> list[artifact_check.Problem]:
    import boto3

    s3 = boto3.client("s3", region_name="us-east-1")
    with Stubber(s3) as stub:
        for _ in artifact_check.named_artifacts(rendered):
            stub.add_client_error("head_object", service_error_code=code, http_status_code=status)
        return artifact_check.problems(s3, rendered)


def _rendered(uri: str) -> dict[str, Any]:
    return {
        "aws": {"region": "us-east-1", "account_id": "123456789012"},
        "artifact_bucket": {"name": BUCKET},
        "models": {"m": {"model_data": {"s3_uri": uri, "compressed": True}}, "hub": {"model_data": None}},
    }


def test_access_denied_on_the_envs_bucket_is_not_taken_for_present() -> None:
    found = _stubbed(_rendered(f"s3://{BUCKET}/models/m/x/model.tar.gz"), "403", 403)
    assert [(p.missing, p.own_bucket) for p in found] == [(False, True)]
    assert "s3:ListBucket" in artifact_check.describe(found[0], "dev")


def test_other_errors_are_raised_as_what_they_are() -> None:
    with pytest.raises(ClientError, match="SlowDown"):
        _stubbed(_rendered(f"s3://{BUCKET}/models/m/x/model.tar.gz"), "SlowDown", 503)


def test_access_denied_on_a_foreign_bucket_only_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rendered = _rendered("s3://someone-elses-bucket/model.tar.gz")
    monkeypatch.setattr(
        artifact_check,
        "problems",
        lambda s3, r: [artifact_check.Problem(artifact_check.named_artifacts(r)[0], False, False)],
    )
    path = tmp_path / "rendered.tfvars.json"
    path.write_text(json.dumps(rendered))
    artifact_check.check_before_plan(path, "dev")  # no raise
    assert "warning: m: cannot check s3://someone-elses-bucket/model.tar.gz" in capsys.readouterr().err


def test_a_render_without_artifacts_makes_no_aws_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # any call would fail
    path = tmp_path / "rendered.tfvars.json"
    path.write_text(json.dumps({"models": {"hub": {"model_data": None}}}))
    artifact_check.check_before_plan(path, "dev")


def test_s3_failures_are_reported_as_what_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def slow_down(s3: Any, rendered: dict[str, Any]) -> list[artifact_check.Problem]:
        error = {"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}
        raise ClientError(error, "HeadObject")

    monkeypatch.setattr(artifact_check, "problems", slow_down)
    path = tmp_path / "rendered.tfvars.json"
    path.write_text(json.dumps(_rendered(f"s3://{BUCKET}/models/m/x/model.tar.gz")))
    with pytest.raises(SagespecError) as caught:
        artifact_check.check_before_plan(path, "dev")
    assert caught.value.message == (
        "artifact check for dev: S3 HeadObject failed: SlowDown: Please reduce your request rate."
    )
    assert caught.value.hint is not None and "plan role" in caught.value.hint
