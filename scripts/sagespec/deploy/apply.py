"""`sagespec apply --env E`: apply exactly the plan `sagespec plan` saved, or refuse.

Refuses (exit 2) when there is no saved plan, when it was already applied, when checkov failed on
it, when the plan file's bytes are not the ones `plan` hashed, when the rendered file, backend.hcl
or the HCL code (terraform/, modules/) changed since it was made, when --reviewed-sha256 is given
and the plan's changes hash differs from it, and when another plan or apply of E is running.
Protected environments (policy.protected: true, or named prod/production) need --yes.

The bytes are read once, checked against the manifest and written to a fresh private file; the
summary shown comes from `terraform show -json` of that file, and that file is what is applied.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..errors import SagespecError
from ..spec.protection import env_is_protected
from ..terraform import fingerprint, plan_folder, plan_manifest, plan_store
from ..terraform.plan_summary import format_table, summarize
from ..terraform.runner import TerraformRunner


def apply(root: Path, env: str, terraform_dir: str | None, reviewed: str | None, yes: bool) -> int:
    """Apply env's saved plan under its lock; reviewed is the --reviewed-sha256 already checked."""
    _, backend = plan_folder.env_files(root, env)
    tf_dir = plan_folder.terraform_dir(root, terraform_dir)
    with plan_folder.env_lock(root, env):
        return _apply(root, env, backend, tf_dir, reviewed, yes)


def _apply(root: Path, env: str, backend: Path, tf_dir: Path, reviewed: str | None, yes: bool) -> int:
    files = plan_folder.plan_files(root, env)
    manifest = _applicable(files, env)
    changes = fingerprint.changed_inputs(manifest.inputs, fingerprint.current_inputs(root, env, tf_dir), env)
    if changes:
        raise SagespecError(
            f"refusing to apply the plan for {env} made at {manifest.created_at}: "
            + "; ".join(changes)
            + " since then",
            f"run `make plan ENV={env}` again and review the new plan",
        )
    if reviewed is not None and reviewed != manifest.changes_sha256:
        raise SagespecError(
            f"refusing to apply the plan for {env}: its changes hash {manifest.changes_sha256} "
            f"is not the reviewed {reviewed}",
            "the merged code, the render or the state differ from what the pull request planned: "
            "plan again on a pull request, review it, then merge",
        )
    copy, applied_sha256 = plan_store.verified_copy(files.plan, manifest.plan_sha256, files.folder)
    try:
        runner = TerraformRunner(tf_dir, data_dir=plan_folder.data_dir(root, env))
        runner.init(backend)
        plan_json = runner.show_json(copy)
        if plan_store.changes_sha256(plan_json) != manifest.changes_sha256:
            raise SagespecError(
                f"terraform show of the saved plan for {env} does not match what `sagespec plan` saw",
                f"run `make plan ENV={env}` again and review the new plan",
            )
        print(
            f"sagespec: applying the plan for {env} made at {manifest.created_at} "
            f"(changes sha256 {manifest.changes_sha256})\n\n" + format_table(summarize(plan_json), "text"),
            flush=True,
        )
        if env_is_protected(root, env) and not yes:
            raise SagespecError(
                f"{env} is a protected environment: applying needs confirmation",
                f"review the plan above, then run `make apply ENV={env} CONFIRM=1` "
                f"(or `sagespec apply --env {env} --yes`)",
            )
        runner.apply(copy)
    finally:
        copy.unlink(missing_ok=True)
    # A plan is good for one apply; its files hold secret values in clear: keep only the record.
    files.plan.unlink(missing_ok=True)
    files.plan_json.unlink(missing_ok=True)
    plan_manifest.write_manifest(
        files, replace(manifest, applied_at=plan_folder.now(), applied_plan_sha256=applied_sha256)
    )
    print(f"\nsagespec: applied the plan for {env}; record kept in {os.path.relpath(files.folder, root)}/")
    return 0


def _applicable(files: plan_folder.PlanFiles, env: str) -> plan_manifest.Manifest:
    """The saved plan's manifest if that plan may be applied; otherwise say why not."""
    manifest = plan_manifest.read_manifest(files)
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
            f"the saved plan for {env} failed its checks (checkov, IAM conditions, downtime): {failed}",
            "fix the resources or skip each check with `#checkov:skip=<ID>:<reason>` (E801: set "
            "rollout.allow_downtime: true in the spec to accept the downtime), then plan again",
        )
    return manifest
