"""sagespec cleanup: moto for models, endpoint configs and endpoints (inference components, which
moto lacks: test_cleanup_components.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sagespec.ops import cleanup_find as cleanup
from sagespec.ops.cleanup_find import Resource
from tests.helpers.rendered import SAGEMAKER_ARN as ARN
from tests.helpers.rendered import rendered
from tests.ops.conftest import cli, deploy_rendered, make_config, make_endpoint, make_model

DEV = rendered("dev")
DEV_MODELS = {m["name"] for m in DEV["models"].values()}
DEV_ENDPOINTS = sorted(ep["name"] for ep in DEV["endpoints"].values() if ep["type"] != "pool")


@pytest.fixture
def moto_sm(sm: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """moto's SageMaker; it has no inference components, whose listing is tested with Stubber below."""
    monkeypatch.setattr(cleanup, "list_component_resources", lambda sm, env: [])
    return sm


def _commit(repo: Path) -> Path:
    """`cleanup --yes` deletes only from a committed render: make the scratch repo a git checkout."""
    import subprocess

    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "render"], check=True)
    return repo


@pytest.fixture
def committed(ops_repo: Path) -> Path:
    return _commit(ops_repo)


def _models(sm: Any) -> set[str]:
    return {m["ModelName"] for m in sm.list_models()["Models"]}


@pytest.fixture
def account(moto_sm: Any) -> Any:
    """dev's rendered deployment, plus one tagged orphan and resources cleanup must not touch."""
    sm = moto_sm
    deploy_rendered(sm, "dev")
    make_model(sm, "retired-dev-deadbeef", "dev")  # the orphan
    make_model(sm, "manual-dev-12345678", None)  # untagged
    make_model(sm, "retired-prod-deadbeef", "prod")  # another environment
    sm.create_model(
        ModelName="byhand-dev-0000beef",
        ExecutionRoleArn=f"{ARN}:role/x",  # not ours
        PrimaryContainer={"Image": "x"},
        Tags=[{"Key": "sagespec-env", "Value": "dev"}],
    )
    return sm


def test_dry_run_lists_only_the_tagged_orphan(
    ops_repo: Path, account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _models(account)
    assert cli(ops_repo, "cleanup", "--env", "dev") == 0
    out = capsys.readouterr().out
    listed = [line.split()[-1] for line in out.splitlines() if line.startswith("  ")]
    assert listed == ["retired-dev-deadbeef"]
    assert "dry run: nothing deleted" in out
    assert _models(account) == before


def test_yes_deletes_the_orphan_and_nothing_else(
    committed: Path, account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ops_repo = committed
    before = _models(account)
    assert cli(ops_repo, "cleanup", "--env", "dev", "--yes") == 0
    assert "deleted  model                retired-dev-deadbeef" in capsys.readouterr().out
    assert _models(account) == before - {"retired-dev-deadbeef"}
    assert sorted(e["EndpointName"] for e in account.list_endpoints()["Endpoints"]) == DEV_ENDPOINTS
    assert cli(ops_repo, "cleanup", "--env", "dev") == 0
    assert "no orphans" in capsys.readouterr().out


def test_prod_sees_only_its_own_orphans(
    committed: Path, account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ops_repo = committed
    assert cli(ops_repo, "cleanup", "--env", "prod", "--yes") == 0
    assert _models(account) == DEV_MODELS | {
        "retired-dev-deadbeef",
        "manual-dev-12345678",
        "byhand-dev-0000beef",
    }


def test_dependency_order_and_resources_in_use(
    committed: Path, moto_sm: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ops_repo = committed
    sm = moto_sm
    # a removed model: endpoint, config and model are all orphans
    make_endpoint(sm, "gone-dev", "gone-dev-11111111", "gone-dev-22222222", "dev")
    # flan-t5 rendered with a new config and model that are not applied yet: the old ones still serve
    make_endpoint(sm, "flan-t5-dev", "flan-t5-dev-00000000", "flan-t5-dev-0000aaaa", "dev")
    # an old config of flan-t5 nothing runs any more, whose model is gone-dev's
    make_config(sm, "flan-t5-dev-11112222", "gone-dev-22222222", "dev")
    assert cli(ops_repo, "cleanup", "--env", "dev", "--yes") == 0
    out = capsys.readouterr().out.splitlines()
    deleted = [line.split()[1:] for line in out if line.startswith("deleted")]
    assert deleted == [
        ["endpoint", "gone-dev"],
        ["endpoint-config", "flan-t5-dev-11112222"],
        ["endpoint-config", "gone-dev-11111111"],
        ["model", "gone-dev-22222222"],
    ]
    kept = [line.split()[4] for line in out if line.startswith("kept")]
    assert kept == ["flan-t5-dev-00000000", "flan-t5-dev-0000aaaa"]
    assert any("run by endpoint flan-t5-dev" in line for line in out)
    assert _models(sm) == {"flan-t5-dev-0000aaaa"}


def test_an_orphan_model_used_by_a_config_outside_the_name_filter_is_kept(
    committed: Path, moto_sm: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The name filter (-dev) hid `shared-serving`, whose config runs the orphan model: it was deleted."""
    sm = moto_sm
    make_model(sm, "retired-dev-deadbeef", "dev")
    make_config(sm, "shared-serving", "retired-dev-deadbeef", None)
    assert cli(committed, "cleanup", "--env", "dev", "--yes") == 0
    out = capsys.readouterr().out
    assert "kept (in use)  model" in out and "used by endpoint config shared-serving" in out
    assert "retired-dev-deadbeef" in _models(sm)


class _FailingDeletes:
    """moto's client, except that deleting the named endpoint fails as SageMaker would."""

    def __init__(self, sm: Any, endpoint: str) -> None:
        self._sm, self._endpoint = sm, endpoint

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sm, name)

    def delete_endpoint(self, EndpointName: str) -> Any:  # boto3's spelling
        from botocore.exceptions import ClientError

        if EndpointName == self._endpoint:
            error = {"Code": "ValidationException", "Message": "Cannot update in-progress endpoint"}
            raise ClientError({"Error": error}, "DeleteEndpoint")
        return self._sm.delete_endpoint(EndpointName=EndpointName)


def test_a_failed_endpoint_delete_keeps_its_config_and_model(moto_sm: Any, ops_repo: Path) -> None:
    import json

    sm = moto_sm
    make_endpoint(sm, "gone-dev", "gone-dev-11111111", "gone-dev-22222222", "dev")
    make_endpoint(sm, "other-dev", "other-dev-11111111", "other-dev-22222222", "dev")
    rendered = json.loads((ops_repo / "envs/dev/rendered.tfvars.json").read_text())
    listed = [r for r in _all(sm) if "gone" in r.name or "other" in r.name]
    found = cleanup.plan(sm, "dev", rendered, listed)
    assert len(found.orphans) == 6
    reports: list[tuple[str, str | None]] = []
    failing = _FailingDeletes(sm, "gone-dev")
    failures = cleanup.execute(
        failing, found.orphans, lambda r, e: reports.append((r.name, e)), lambda s, p: []
    )
    assert failures == 3
    assert dict(reports)["gone-dev"] == "ValidationException: Cannot update in-progress endpoint"
    assert (
        dict(reports)["gone-dev-11111111"]
        == "not deleted: endpoint gone-dev still uses it (its delete failed)"
    )
    assert dict(reports)["gone-dev-22222222"] == (
        "not deleted: endpoint-config gone-dev-11111111 still uses it (its delete failed)"
    )
    assert _models(sm) == {"gone-dev-22222222"}  # the unrelated orphans went
    assert [c["EndpointConfigName"] for c in sm.list_endpoint_configs()["EndpointConfigs"]] == [
        "gone-dev-11111111"
    ]


def _all(sm: Any) -> list[Resource]:
    return [
        r for kind in ("endpoint", "endpoint-config", "model") for r in cleanup.list_resources(sm, kind, None)
    ]


def test_yes_refuses_an_uncommitted_render(
    committed: Path, account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Everything dropped only from a local render: the live endpoints must not be deleted."""
    import json

    path = committed / "envs/dev/rendered.tfvars.json"
    rendered = json.loads(path.read_text())
    rendered["models"], rendered["endpoints"] = {}, {}
    path.write_text(json.dumps(rendered, indent=2) + "\n")
    before = _models(account)
    assert cli(committed, "cleanup", "--env", "dev", "--yes") == 2
    assert "differs from the committed one" in capsys.readouterr().err
    assert _models(account) == before
    assert sorted(e["EndpointName"] for e in account.list_endpoints()["Endpoints"]) == DEV_ENDPOINTS
    assert cli(committed, "cleanup", "--env", "dev") == 0  # listing stays possible


def test_yes_refuses_outside_a_git_checkout(
    ops_repo: Path, account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _models(account)
    assert cli(ops_repo, "cleanup", "--env", "dev", "--yes") == 2
    assert "as committed in HEAD" in capsys.readouterr().err
    assert _models(account) == before
