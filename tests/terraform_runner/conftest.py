"""Real Terraform for the runner tests: the engine sagespec resolves (terraform on PATH, else the
bundled Terraform 1.15.5) with the offline stand-in for hashicorp/aws (6.69.1's schema), no AWS.

The stand-in is installed the way a user's offline machine would install a provider: a filesystem
mirror and a CLI config of its own (TF_CLI_CONFIG_FILE), never ~/.terraformrc. It is also served
from this process (TF_REATTACH_PROVIDERS), so Terraform does not start a Python plugin for every
command; `mirror_only_env` leaves that out for the one test that has Terraform install and start it.
CHECKPOINT_DISABLE stops the version check; the CLI config allows no registry.

The runner's unit tests use no Terraform at all: `fake_tf` plays it (and `call` reads what it saw).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    """FAKE_TF as the engine (SAGESPEC_TERRAFORM), with no timeout and no mode set."""
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
    """The argv, folder and environment the fake was run with (its first output line)."""
    return json.loads(result_stdout.splitlines()[0])  # type: ignore[no-any-return]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "terraform").mkdir(parents=True)
    (root / "terraform" / "main.tf").write_text('resource "x" "y" {}\n')
    (root / "modules" / "m").mkdir(parents=True)
    (root / "modules" / "m" / "main.tf").write_text("# module\n")
    (root / "envs" / "dev").mkdir(parents=True)
    (root / "envs" / "dev" / "env.yaml").write_text("kind: Environment\n")
    (root / "envs" / "dev" / "rendered.tfvars.json").write_text("{}\n")
    (root / "envs" / "dev" / "backend.hcl").write_text('key = "dev"\n')
    (root / "specs").mkdir()
    return root
