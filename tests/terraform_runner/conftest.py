"""Real Terraform for the runner tests: the engine sagespec resolves (terraform on PATH, else the
bundled Terraform 1.15.5) with the offline stand-in for hashicorp/aws (6.69.1's schema), no AWS.

The stand-in is installed the way a user's offline machine would install a provider: a filesystem
mirror and a CLI config of its own (TF_CLI_CONFIG_FILE), never ~/.terraformrc. It is also served
from this process (TF_REATTACH_PROVIDERS), so Terraform does not start a Python plugin for every
command; `mirror_only_env` leaves that out for the one test that has Terraform install and start it.
CHECKPOINT_DISABLE stops the version check; the CLI config allows no registry.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sagespec.terraform import engine
from sagespec.terraform.standin import mirror
from sagespec.terraform.standin.server import Host

ROOT_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tf-runner-root"
DATA = Path(__file__).resolve().parent / "data"
ACCOUNT = "123456789012"  # allowed_account_ids in the fixture's provider block


@pytest.fixture(scope="session")
def standin_mirror(tmp_path_factory: pytest.TempPathFactory) -> mirror.Installation:
    return mirror.install(tmp_path_factory.mktemp("standin"))


@pytest.fixture(scope="session")
def standin_host() -> Iterator[Host]:
    with Host(("aws",)) as host:
        yield host


@pytest.fixture
def mirror_only_env(standin_mirror: mirror.Installation, monkeypatch: pytest.MonkeyPatch) -> engine.Engine:
    """Environment for the real runner: the stand-in from its mirror, started by Terraform itself.
    Returns the engine the runner will use."""
    for key, value in standin_mirror.environment().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("CHECKPOINT_DISABLE", "1")
    # A hang must fail the test, not the suite.
    monkeypatch.setenv("SAGESPEC_TERRAFORM_TIMEOUT", "240")
    for var in (
        "TF_DATA_DIR",
        "TF_PLUGIN_CACHE_DIR",
        "TF_LOG",
        "SAGESPEC_TERRAFORM_DIR",
        "TF_REATTACH_PROVIDERS",
    ):
        monkeypatch.delenv(var, raising=False)
    return engine.resolve()


@pytest.fixture
def terraform_env(
    mirror_only_env: engine.Engine, standin_host: Host, monkeypatch: pytest.MonkeyPatch
) -> engine.Engine:
    """mirror_only_env, with the stand-in served from this process (Terraform starts no plugin)."""
    for key, value in standin_host.environment().items():
        monkeypatch.setenv(key, value)
    return mirror_only_env


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """A scratch copy of tests/fixtures/tf-runner-root: state, lock file and .sagespec/ land there."""
    dest = tmp_path / "repo"
    shutil.copytree(ROOT_FIXTURE, dest, ignore=shutil.ignore_patterns(".terraform*", ".sagespec", "state"))
    return dest


FAKE_CHECKOV = """#!{python}
import json, os, pathlib, sys
pathlib.Path(os.environ["FAKE_CHECKOV_ARGV"]).write_text(json.dumps(sys.argv[1:]))
report = os.environ.get("FAKE_CHECKOV_REPORT")
if report:
    sys.stdout.write(pathlib.Path(report).read_text())
else:
    json.dump({{"check_type": "terraform_plan",
               "results": {{"passed_checks": [], "failed_checks": [], "skipped_checks": []}},
               "summary": {{"passed": 3, "failed": 0, "skipped": 0, "checkov_version": "fake"}}}}, sys.stdout)
sys.exit(int(os.environ.get("FAKE_CHECKOV_EXIT", "0")))
"""


@pytest.fixture
def fake_checkov(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in checkov (SAGESPEC_CHECKOV) that prints $FAKE_CHECKOV_REPORT, or an all-pass report.
    Returns the file where it records its arguments. The real checkov has its own test."""
    script = tmp_path / "bin" / "fake-checkov"
    script.parent.mkdir()
    script.write_text(FAKE_CHECKOV.format(python=sys.executable))
    script.chmod(0o755)
    argv_file = tmp_path / "checkov-argv.json"
    monkeypatch.setenv("SAGESPEC_CHECKOV", str(script))
    monkeypatch.setenv("FAKE_CHECKOV_ARGV", str(argv_file))
    monkeypatch.delenv("FAKE_CHECKOV_REPORT", raising=False)
    return argv_file
