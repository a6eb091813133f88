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

import argparse
import json
import os
from pathlib import Path
from typing import Any

from .. import atomic
from ..errors import SagespecError
from ..findings import Finding
from ..layout import find_root
from ..spec.protection import env_is_protected
from ..terraform import iam_check as iam_policy_check
from ..terraform import plan_files as plans
from ..terraform import plan_store
from ..terraform.plan_summary import PlanSummary, format_table, summarize
from ..terraform.runner import TerraformRunner
from .common import add_terraform_target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_terraform_target(parser)
    parser.add_argument(
        "--missing-artifacts",
        choices=("error", "warn"),
        default="error",
        help="an artifact the render names is not in the env's bucket: fail before Terraform (default), "
        "or warn (pull requests: the apply workflow promotes it before its own plan)",
    )


def render_is_current(root: Path, env: str) -> bool:
    """True when envs/<env>/rendered.tfvars.json is a fresh render of the valid repository."""
    from .. import pipeline as validation

    return validation.is_current(root, env)


def run(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    env: str = args.env
    rendered, backend = plans.env_files(root, env)
    tf_dir = plans.terraform_dir(root, args.terraform_dir)
    with plans.env_lock(root, env):
        return _checked_plan(root, env, rendered, backend, tf_dir, args.missing_artifacts)


def _checked_plan(
    root: Path, env: str, rendered: Path, backend: Path, tf_dir: Path, missing_artifacts: str
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
    files = plans.plan_files(root, env)
    plans.reset(files)
    inputs = plans.current_inputs(root, env, tf_dir)
    runner = TerraformRunner(tf_dir, data_dir=plans.data_dir(root, env))
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
    if plans.current_inputs(root, env, tf_dir) != inputs or plans.file_sha256(files.plan) != plan_sha256:
        plans.reset(files)
        raise SagespecError(
            "the rendered file, backend.hcl, the HCL code or the plan file changed while planning",
            "plan again once the edits are done",
        )
    changes_sha256 = plan_store.changes_sha256(plan_json)
    summary = summarize(plan_json)
    print("\n" + format_table(summary, "text"), end="")
    report = plans.run_checkov(files.plan_json, tf_dir, root, files.checkov)
    print("\n" + plans.format_checks(report), end="")
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
    plans.write_manifest(
        files,
        plans.Manifest(
            env=env,
            created_at=plans.now(),
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


def _downtime(root: Path, env: str, plan_json: dict[str, Any]) -> list[Finding]:
    """E801, as the review reports it: in a protected environment, an endpoint or inference component
    the plan deletes and creates again, unless its spec sets rollout.allow_downtime."""
    if not env_is_protected(root, env):
        return []
    from ..review import downtime, plan_changes
    from ..spec.project import load_project

    changes = plan_changes.from_plan(plan_json)
    return downtime.refusals(env, changes, load_project(root).resolve(env)) if changes else []


def _markdown(
    env: str,
    summary: PlanSummary,
    report: plans.CheckovReport,
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
        f"#### checkov: {verdict}\n\n{plans.format_checks(report, markdown=True)}\n"
        f"#### IAM conditions: {'FAILED' if iam else 'passed'}\n\n{problems}\n"
        f"#### Downtime (E801): {'FAILED' if refused else 'passed'}\n\n{downtime}"
    )
