"""`sagespec plan --env E`: render check, terraform init + plan to a saved file, summary, checkov,
IAM conditions, downtime in protected environments.

Holds the environment's lock throughout. Terraform's plan file is copied privately and hashed;
everything after (summary, checkov, the IAM check, the manifest) reads `terraform show -json` of
that copy, the one `sagespec apply` applies.

Exit 0: the plan is saved and every check passed (or was skipped with a reason); 1: checkov, the
IAM check or the downtime check (E801, protected environments: downtime.py) found failing checks
(the plan is kept for reading, but `sagespec apply` refuses it);
2: usage or environment error (stale render, no terraform, init or plan failed, env locked).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import atomic, pipeline
from ..errors import SagespecError
from ..findings import Finding
from ..review import downtime as downtime_rule
from ..review import plan_changes
from ..spec.project import load_project
from ..spec.protection import env_is_protected
from ..terraform import checkov, fingerprint, plan_folder, plan_manifest, plan_store
from ..terraform import iam_check as iam_policy_check
from ..terraform.plan_summary import PlanSummary, format_table, summarize
from ..terraform.runner import TerraformRunner


def render_is_current(root: Path, env: str) -> bool:
    """True when envs/<env>/rendered.tfvars.json is a fresh render of the valid repository."""
    return pipeline.is_current(root, env)


def plan(root: Path, env: str, terraform_dir: str | None, missing_artifacts: str) -> int:
    """Plan env under its lock; terraform_dir is --terraform-dir (None: the default)."""
    rendered, backend = plan_folder.env_files(root, env)
    tf_dir = plan_folder.terraform_dir(root, terraform_dir)
    with plan_folder.env_lock(root, env):
        return _checked_plan(root, env, rendered, backend, tf_dir, missing_artifacts)


def _checked_plan(
    root: Path,
    env: str,
    rendered: Path,
    backend: Path,
    tf_dir: Path,
    missing_artifacts: str,
) -> int:
    if not render_is_current(root, env):
        raise SagespecError(
            f"envs/{env}/rendered.tfvars.json is not current (specs or env.yaml changed "
            "since it was rendered, or they have errors)",
            f"run `make validate` and `make render ENV={env}`, commit the file, then plan again",
        )
    from ..ops.artifact_check import check_before_plan  # boto3 loads only here

    check_before_plan(rendered, env, missing_artifacts)
    return _plan(root, env, rendered, backend, tf_dir)


def _plan(root: Path, env: str, rendered: Path, backend: Path, tf_dir: Path) -> int:
    files = plan_folder.plan_files(root, env)
    plan_folder.reset(files)
    inputs = fingerprint.current_inputs(root, env, tf_dir)
    runner = TerraformRunner(tf_dir, data_dir=plan_folder.data_dir(root, env))
    version = runner.version()
    print(
        f"sagespec: terraform {version}, env {env}, root module {os.path.relpath(tf_dir, root)}/", flush=True
    )
    runner.init(backend)
    result = runner.plan(files.written, [rendered])
    # From here on only our private copy counts: its bytes are hashed, shown, summarised and applied.
    plan_sha256 = plan_store.keep_private_copy(files.written, files.plan)
    plan_json = runner.show_json(files.plan)
    atomic.write_text(files.plan_json, json.dumps(plan_json, indent=2, sort_keys=True) + "\n")
    if (
        fingerprint.current_inputs(root, env, tf_dir) != inputs
        or fingerprint.file_sha256(files.plan) != plan_sha256
    ):
        plan_folder.reset(files)
        raise SagespecError(
            "the rendered file, backend.hcl, the HCL code or the plan file changed while planning",
            "plan again once the edits are done",
        )
    changes_sha256 = plan_store.changes_sha256(plan_json)
    summary = summarize(plan_json)
    print("\n" + format_table(summary, "text"), end="")
    report = checkov.run_checkov(files.plan_json, tf_dir, root, files.checkov)
    print("\n" + checkov.format_checks(report), end="")
    iam = iam_policy_check.check_plan(plan_json)  # the IAM conditions checkov does not ask for
    print(f"IAM conditions: {len(iam)} problem(s)\n" + "".join(f"  {p.format()}\n" for p in iam), end="")
    refused = _downtime(root, env, plan_json)
    print(f"Downtime: {len(refused)} refused\n" + "".join(f"  {f.format()}\n" for f in refused), end="")
    failing = (
        [f"{c.id} {c.resource}" for c in report.failing()]
        + [p.format() for p in iam]
        + [f"{f.code} {f.file}:{f.line}" for f in refused]
    )
    atomic.write_text(files.summary, _markdown(env, summary, report, changes_sha256, iam, refused))
    plan_manifest.write_manifest(
        files,
        plan_manifest.Manifest(
            env=env,
            created_at=plan_folder.now(),
            terraform=f"{version} ({runner.binary})",
            plan_sha256=plan_sha256,
            changes_sha256=changes_sha256,
            inputs=inputs,
            has_changes=result.has_changes,
            counts={str(k): v for k, v in summary.counts.items()},
            checks_passed=not failing,
            checks_failed=tuple(failing),
        ),
    )
    where = os.path.relpath(files.folder, root)
    print(f"sagespec: plan changes sha256 {changes_sha256}")
    if failing:
        print(
            f"\nsagespec: {len(failing)} failing check(s): `sagespec apply` will refuse this plan.\n"
            "  hint: fix the resource, or skip the check next to it with `#checkov:skip=<ID>:<reason>` "
            + ("(E801: see its hint) " if refused else "")
            + f"and plan again. Plan kept in {where}/ for reading."
        )
        return 1
    print(
        f"\nsagespec: plan saved in {where}/; apply exactly this plan with `make apply ENV={env}`"
        + (" CONFIRM=1" if env_is_protected(root, env) else "")
    )
    return 0


def _markdown(
    env: str,
    summary: PlanSummary,
    report: checkov.CheckovReport,
    changes_sha256: str,
    iam: list[iam_policy_check.Problem],
    refused: list[Finding],
) -> str:
    """Addresses, actions and attribute names only: no value from the plan reaches the comment."""
    verdict = "passed" if report.ok else "FAILED"
    problems = "".join(f"- FAILED {p.format()}\n" for p in iam) or "- all conditions present\n"
    downtime = "".join(f"- FAILED {f.format()}\n" for f in refused) or "- none refused\n"
    return (
        f"{plan_store.hash_marker(env, changes_sha256)}\n"
        f"### Terraform plan: `{env}`\n\n{format_table(summary, 'markdown')}\n"
        f"Plan changes sha256: `{changes_sha256}` (the apply job applies only a plan with this hash)\n\n"
        f"#### checkov: {verdict}\n\n{checkov.format_checks(report, markdown=True)}\n"
        f"#### IAM conditions: {'FAILED' if iam else 'passed'}\n\n{problems}\n"
        f"#### Downtime (E801): {'FAILED' if refused else 'passed'}\n\n{downtime}"
    )


def _downtime(root: Path, env: str, plan_json: dict[str, Any]) -> list[Finding]:
    """E801, as the review reports it: in a protected environment, an endpoint or inference component
    the plan deletes and creates again, unless its spec sets rollout.allow_downtime."""
    if not env_is_protected(root, env):
        return []
    changes = plan_changes.from_plan(plan_json)
    return downtime_rule.refusals(env, changes, load_project(root).resolve(env)) if changes else []
