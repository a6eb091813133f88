"""A stand-in terraform and checkov for the plan/apply safety tests: no Terraform binary, no AWS.

The fake terraform's "plan file" is the plan's `terraform show -json` text itself, so a test can
write any plan (a destroying one, one holding a secret) and see exactly which bytes `apply` got.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

FAKE_TERRAFORM = """#!{python}
import hashlib, json, os, pathlib, subprocess, sys
args = sys.argv[1:]
command = args[0]
paths = [a for a in args[1:] if not a.startswith("-")]
if command == "version":
    print(json.dumps({{"terraform_version": "1.11.4"}}))
elif command == "init":
    print("Terraform has been successfully initialized!")
elif command == "plan":
    out = next(a.split("=", 1)[1] for a in args if a.startswith("-out="))
    pathlib.Path(out).write_bytes(pathlib.Path(os.environ["FAKE_TF_PLAN"]).read_bytes())
    sys.exit(2)
elif command == "show":
    data = pathlib.Path(paths[0]).read_bytes()
    swap = os.environ.get("FAKE_TF_SWAP_ON_SHOW")  # replace the saved plan once apply has read it
    if swap:
        target, replacement = swap.split(os.pathsep)
        pathlib.Path(target).write_bytes(pathlib.Path(replacement).read_bytes())
    sys.stdout.write(data.decode())
elif command == "apply":
    data = pathlib.Path(paths[0]).read_bytes()
    record = {{"sha256": hashlib.sha256(data).hexdigest(), "plan": json.loads(data)}}
    during = os.environ.get("FAKE_TF_DURING_APPLY")  # a command to run while apply holds the env lock
    if during:
        record["during_exit"] = subprocess.run(json.loads(during), capture_output=True).returncode
    with open(os.environ["FAKE_TF_APPLIED"], "a") as log:
        log.write(json.dumps(record) + "\\n")
else:
    sys.exit("fake terraform: unexpected " + " ".join(args))
"""

FAKE_CHECKOV = """#!{python}
import json, sys
json.dump({{"check_type": "terraform_plan",
           "results": {{"passed_checks": [], "failed_checks": [], "skipped_checks": []}},
           "summary": {{"passed": 1, "failed": 0, "skipped": 0, "checkov_version": "fake"}}}}, sys.stdout)
"""

SECRET = "hf_PlantedSecretValue1234567890abcd"


def plan_json(action: str, *, secret: str = SECRET) -> dict[str, Any]:
    """A plan with one model: created ("create"), destroyed ("delete") or unchanged ("no-op")."""
    after = None if action == "delete" else {"name": "m-dev", "environment": {"HF_TOKEN": secret}}
    before = None if action == "create" else {"name": "m-dev", "environment": {"HF_TOKEN": secret}}
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "timestamp": "2026-12-02T07:00:00Z",
        "resource_changes": [
            {
                "address": 'module.model["m"].aws_sagemaker_model.this',
                "type": "aws_sagemaker_model",
                "name": "this",
                "change": {"actions": [action], "before": before, "after": after, "after_unknown": {}},
            }
        ],
    }


def write_plan(path: Path, action: str) -> Path:
    path.write_text(json.dumps(plan_json(action), indent=2))
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A minimal repository: envs dev, staging (policy.protected: true) and qa, a root module."""
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    (root / "modules" / "m").mkdir(parents=True)
    (root / "modules" / "m" / "main.tf").write_text("# module\n")
    (root / "terraform").mkdir()
    (root / "terraform" / "main.tf").write_text('variable "models" {}\n')
    for env, policy in (("dev", ""), ("staging", "  policy: {protected: true}\n"), ("qa", "")):
        folder = root / "envs" / env
        folder.mkdir(parents=True)
        (folder / "env.yaml").write_text(
            f"apiVersion: sagespec/v1\nkind: Environment\nmetadata: {{name: {env}}}\nspec:\n{policy}"
        )
        (folder / "rendered.tfvars.json").write_text('{"models": {}}\n')
        (folder / "backend.hcl").write_text(f'path = "{env}.tfstate"\n')
    return root


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Installs the fake terraform and checkov; returns the log of what `apply` applied."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("terraform", FAKE_TERRAFORM), ("checkov", FAKE_CHECKOV)):
        script = bin_dir / name
        script.write_text(text.format(python=sys.executable))
        script.chmod(0o755)
    applied = tmp_path / "applied.jsonl"
    monkeypatch.setenv("SAGESPEC_TERRAFORM", str(bin_dir / "terraform"))
    monkeypatch.setenv("SAGESPEC_CHECKOV", str(bin_dir / "checkov"))
    monkeypatch.setenv("FAKE_TF_APPLIED", str(applied))
    monkeypatch.setenv("FAKE_TF_PLAN", str(write_plan(tmp_path / "create.json", "create")))
    for var in ("SAGESPEC_TERRAFORM_DIR", "FAKE_TF_SWAP_ON_SHOW", "FAKE_TF_DURING_APPLY", "TF_DATA_DIR"):
        monkeypatch.delenv(var, raising=False)
    return applied


def applied(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.is_file() else []
