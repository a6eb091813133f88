"""`sagespec apply --env E`: apply exactly the plan `sagespec plan` saved, or refuse.

Refuses (exit 2) when there is no saved plan, when it was already applied, when checkov failed on
it, when the plan file was replaced, or when the rendered file, backend.hcl or the HCL code
(terraform/, modules/) changed since it was made. Production needs --yes (make: CONFIRM=1).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import replace

from .. import plans
from ..errors import SagespecError
from ..plan_summary import format_table, summarize
from ..root import find_root
from ..terraform_runner import TerraformRunner
from .common import add_terraform_target

HELP = "apply exactly the saved plan of ENV; refuse if anything changed since (production needs --yes)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_terraform_target(parser)
    parser.add_argument(
        "--yes", action="store_true", help="confirm a production apply (make apply CONFIRM=1)"
    )


def run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    env: str = args.env
    _, backend = plans.env_files(root, env)
    tf_dir = plans.terraform_dir(root, args.terraform_dir)
    files = plans.plan_files(root, env)
    manifest = _applicable(files, env)
    changes = plans.changed_inputs(manifest.inputs, plans.current_inputs(root, env, tf_dir), env)
    if changes:
        raise SagespecError(
            f"refusing to apply the plan for {env} made at {manifest.created_at}: "
            + "; ".join(changes)
            + " since then",
            f"run `make plan ENV={env}` again and review the new plan",
        )
    if files.plan_json.is_file():
        summary = summarize(json.loads(files.plan_json.read_text(encoding="utf-8")))
        print(
            f"sagespec: applying the plan for {env} made at {manifest.created_at}\n\n"
            + format_table(summary, "text"),
            flush=True,
        )
    if plans.is_protected(env) and not args.yes:
        raise SagespecError(
            f"{env} is a production environment: applying needs confirmation",
            f"review the plan above, then run `make apply ENV={env} CONFIRM=1` "
            f"(or `sagespec apply --env {env} --yes`)",
        )
    runner = TerraformRunner(tf_dir, data_dir=plans.data_dir(root, env))
    runner.init(backend)
    runner.apply(files.plan)
    # A plan is good for one apply: Terraform would call it stale anyway once the state moved on.
    files.plan.unlink()
    plans.write_manifest(files, replace(manifest, applied_at=plans.now()))
    print(f"\nsagespec: applied the plan for {env}; record kept in {os.path.relpath(files.folder, root)}/")
    return 0


def _applicable(files: plans.PlanFiles, env: str) -> plans.Manifest:
    """The saved plan's manifest if that plan may be applied; otherwise say why not."""
    manifest = plans.read_manifest(files)
    again = f"run `make plan ENV={env}`, review it, then apply"
    if manifest is None:
        raise SagespecError(f"no saved plan for {env}", again)
    if manifest.env != env:
        raise SagespecError(f"{files.manifest} belongs to env {manifest.env!r}, not {env!r}", again)
    if manifest.applied_at:
        raise SagespecError(f"the saved plan for {env} was already applied at {manifest.applied_at}", again)
    if not manifest.checks_passed:
        failed = ", ".join(manifest.checks_failed[:5]) + (" ..." if len(manifest.checks_failed) > 5 else "")
        raise SagespecError(
            f"the saved plan for {env} failed checkov: {failed}",
            "fix the resources or skip each check with `#checkov:skip=<ID>:<reason>`, then plan again",
        )
    if not files.plan.is_file() or plans.file_sha256(files.plan) != manifest.plan_sha256:
        raise SagespecError(
            f"the saved plan file {files.plan} is missing or is not the one `sagespec plan` wrote", again
        )
    return manifest
