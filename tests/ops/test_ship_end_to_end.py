"""How a team ships a model, end to end against moto: a developer locks and packages a model with
local weights and code into dev, opens a pull request, and CI (a clone without the weights)
validates, reviews, then promotes and plans staging and prod, where the plan-time check guards
every environment before Terraform runs. Three buckets, no weights anywhere but the developer's."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sagespec.artifacts import hashcache, lockfile, s3keys
from tests.conftest import REPO
from tests.ops.conftest import BUCKET, cli
from tests.review.scratch import commit_all, git

BUCKETS = {
    "dev": BUCKET,
    "staging": "acme-sagespec-staging-artifacts",
    "prod": "acme-sagespec-prod-artifacts",
}
MODEL = "flan-t5"  # weights.local + code/


def _developer_repo(repo: Path) -> Path:
    """The ops fixture with a staging env, weights git-ignored, one model without local files removed."""
    (repo / "specs/models/tiny-llm.yaml").unlink()  # a hub mirror: not what this flow is about
    staging = repo / "envs/staging"
    shutil.copytree(repo / "envs/prod", staging)
    for name in ("env.yaml", "backend.hcl"):
        (staging / name).write_text((staging / name).read_text().replace("prod", "staging"))
    (repo / ".gitignore").write_text("models/*/weights/\n.sagespec/\n")
    spec = repo / f"specs/models/{MODEL}.yaml"
    held = spec.read_text()
    spec.unlink()  # the base has not got the model yet
    assert cli(repo, "lock", "gpt-neo") == 0
    assert cli(repo, "package", "gpt-neo", "--env", "dev") == 0
    assert cli(repo, "render", "--all") == 0
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "add-flan-t5")
    spec.write_text(held)
    return repo


def _plan(repo: Path, env: str, *extra: str) -> int:
    """`sagespec plan` as far as the artifact check: Terraform itself is missing on purpose."""
    return cli(repo, "plan", "--env", env, "--terraform-dir", str(REPO / "terraform"), *extra)


def test_a_model_goes_from_a_laptop_to_prod_without_weights_in_ci(
    ops_repo: Path,
    s3: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for env in ("staging", "prod"):
        s3.create_bucket(Bucket=BUCKETS[env])
    dev = _developer_repo(ops_repo)

    # the developer: `make lock`, `make package ENV=dev`, render, commit, push
    assert cli(dev, "lock", MODEL) == 0
    assert cli(dev, "package", MODEL, "--env", "dev") == 0
    assert cli(dev, "render", "--all") == 0
    commit_all(dev, "add flan-t5")
    entry = lockfile.read_lock(dev)[MODEL]
    key = s3keys.artifact_key(MODEL, entry.sha256, True)

    # CI: a clone, so no weights
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(dev), str(ci))
    git(ci, "branch", "-q", "main", "origin/main")
    assert not (ci / f"models/{MODEL}/weights").exists() and (ci / f"models/{MODEL}/code").is_dir()
    hashcache.forget()
    capsys.readouterr()
    assert cli(ci, "validate", "--strict") == 0
    assert (
        f"info[I701]: weights of {MODEL} not here: using its lock entry {entry.sha256[:12]}"
        in capsys.readouterr().out
    )
    assert cli(ci, "render", "--all", "--check") == 0
    capsys.readouterr()
    assert cli(ci, "review", "--base", "origin/main", "--format", "json") == 0  # Terraform plans offline
    review = json.loads(capsys.readouterr().out)
    # from here on `sagespec plan` must stop before Terraform, or reach it and fail for want of it
    monkeypatch.setenv("SAGESPEC_TERRAFORM", "/nowhere/terraform")
    assert not [n for n in review["notes"] if "does not validate" in n]
    assert {s["name"] for s in review["specs"] if s["status"] == "added"} >= {MODEL}
    # pull-request plans: dev must have it already; staging and prod only warn until promoted
    assert _plan(ci, "dev") == 2
    assert "2 of 2 artifact(s) found in S3" in capsys.readouterr().out
    assert _plan(ci, "prod", "--missing-artifacts", "warn") == 2
    assert f"warning: {MODEL}: s3://{BUCKETS['prod']}/{key} is not in S3" in capsys.readouterr().err

    # merge: the apply workflow, one environment after the other
    assert _plan(ci, "prod") == 2  # prod before its promotion: stopped before Terraform
    err = capsys.readouterr().err
    assert "cannot be found: Terraform would create models that fail at deploy time" in err
    assert "no such executable" not in err
    for source, target in (("dev", "staging"), ("staging", "prod")):
        assert cli(ci, "promote", "--all", "--from", source, "--to", target) == 0
        assert f"{MODEL}: copied 1 of 1 object(s) {source} -> {target}" in capsys.readouterr().out
        assert _plan(ci, target) == 2
        out, err = capsys.readouterr()
        assert "2 of 2 artifact(s) found in S3" in out
        assert "SAGESPEC_TERRAFORM=/nowhere/terraform: no such executable" in err  # Terraform is next

    # every env's render points at its own bucket, and each holds the locked bytes
    for env, bucket in BUCKETS.items():
        rendered = json.loads((ci / f"envs/{env}/rendered.tfvars.json").read_text())
        assert rendered["models"][MODEL]["model_data"]["s3_uri"] == f"s3://{bucket}/{key}"
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert hashlib.sha256(body).hexdigest() == entry.sha256
