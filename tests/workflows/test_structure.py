"""The workflows keep the promises docs/workflows.md makes: triggers, least privilege, the review comment,
plans per environment with OIDC, and a dev -> staging -> prod rollout gated by a protected prod."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.helpers import REPO, WORKFLOWS, load_workflow, load_yaml

ENVS = ["dev", "staging", "prod"]
WATCHED_PATHS = [
    "specs/**",
    "envs/**",
    "terraform/**",
    "modules/**",
    "scripts/**",
    "tests/**",
    "pyproject.toml",
    "Makefile",
    ".github/**",
    "requirements/**",
    "tools/**",
]
MARKER = "<!-- sagespec-review -->"
ALL_WORKFLOWS = sorted(WORKFLOWS.glob("*.yml"))


@pytest.fixture(scope="module")
def pr() -> dict[str, Any]:
    return load_workflow(WORKFLOWS / "pr.yml")


@pytest.fixture(scope="module")
def apply() -> dict[str, Any]:
    return load_workflow(WORKFLOWS / "apply.yml")


@pytest.fixture(scope="module")
def apply_env() -> dict[str, Any]:
    return load_workflow(WORKFLOWS / "apply-environment.yml")


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job.get("steps", [])
    return steps


def _step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    matches = [s for s in _steps(job) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(matches) == 1, f"expected one {action} step, found {len(matches)}"
    return matches[0]


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(s["run"]) for s in _steps(job) if "run" in s)


def _all_jobs() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path in ALL_WORKFLOWS:
        for name, job in load_workflow(path)["jobs"].items():
            yield path.name, name, job


JOBS = list(_all_jobs())
each_job = pytest.mark.parametrize(
    ("workflow", "job_name", "job"), JOBS, ids=[f"{w}:{j}" for w, j, _ in JOBS]
)


# --- every workflow -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_workflow_permissions_default_to_read_only(path: Path) -> None:
    assert load_workflow(path)["permissions"] == {"contents": "read"}


@each_job
def test_every_job_has_permissions_and_timeout(workflow: str, job_name: str, job: dict[str, Any]) -> None:
    assert "permissions" in job, f"{workflow}:{job_name} has no permissions"
    if "uses" not in job:  # a reusable-workflow call takes its timeout from the called job
        assert isinstance(job.get("timeout-minutes"), int), f"{workflow}:{job_name} has no timeout-minutes"


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag(path: Path) -> None:
    """A tag can be moved to other code; a commit SHA cannot. The tag stays as a comment."""
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*-?\s*uses:", line)
    ]
    assert lines
    for line in lines:
        value = line.split("uses:", 1)[1].split("#")[0].strip()
        if value.startswith("./"):
            continue  # this repository's own reusable workflow, pinned by the commit that runs
        assert re.fullmatch(r"\s*-?\s*uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}", line), line


def test_every_action_is_pinned_to_the_same_sha_everywhere() -> None:
    seen: dict[str, set[str]] = {}
    for path in ALL_WORKFLOWS:
        for action, sha in re.findall(r"uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40})", path.read_text()):
            seen.setdefault(action, set()).add(sha)
    assert seen and all(len(shas) == 1 for shas in seen.values()), seen


@each_job
def test_no_expression_inside_a_script(workflow: str, job_name: str, job: dict[str, Any]) -> None:
    """Values reach `run:` scripts through `env:`, never as `${{ }}` text a shell would execute."""
    assert "${{" not in _runs(job), f"{workflow}:{job_name} interpolates an expression into run:"


def test_only_plan_jobs_and_rollouts_may_request_an_oidc_token() -> None:
    holders = {(w, j) for w, j, job in _all_jobs() if job["permissions"].get("id-token") == "write"}
    assert holders == {
        ("pr.yml", "plan"),
        ("apply.yml", "dev"),
        ("apply.yml", "staging"),
        ("apply.yml", "prod"),
        ("apply-environment.yml", "apply"),
        ("drift.yml", "drift"),  # the plan role, for a refresh-only plan
        ("prices.yml", "refresh"),  # read-only pricing role for the scheduled price refresh
    }


# --- pr.yml -----------------------------------------------------------------------------------


def test_pr_runs_on_pull_requests_that_touch_the_watched_paths(pr: dict[str, Any]) -> None:
    assert list(pr["on"]) == ["pull_request"]
    assert pr["on"]["pull_request"]["paths"] == WATCHED_PATHS


def test_pr_cancels_superseded_runs(pr: dict[str, Any]) -> None:
    assert "github.event.pull_request.number" in pr["concurrency"]["group"]
    assert pr["concurrency"]["cancel-in-progress"] is True


def test_pr_has_check_review_and_plan_jobs(pr: dict[str, Any]) -> None:
    assert set(pr["jobs"]) == {"check", "review", "plan", "plan-comment"}


def test_pr_id_token_write_only_on_plan(pr: dict[str, Any]) -> None:
    assert pr["permissions"] == {"contents": "read"}
    assert pr["jobs"]["plan"]["permissions"] == {"contents": "read", "id-token": "write"}
    for name in ("check", "review", "plan-comment"):
        assert "id-token" not in pr["jobs"][name]["permissions"]


def test_pr_pull_request_write_only_on_the_comment_jobs(pr: dict[str, Any]) -> None:
    """The jobs that post comments hold no AWS token; the plan job (OIDC) cannot write comments."""
    for name in ("review", "plan-comment"):
        assert pr["jobs"][name]["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert pr["jobs"]["check"]["permissions"] == {"contents": "read"}


def test_pr_check_validates_renders_and_tests(pr: dict[str, Any]) -> None:
    job = pr["jobs"]["check"]
    assert _step_using(job, "actions/checkout")["with"]["fetch-depth"] == 0
    python = _step_using(job, "actions/setup-python")["with"]
    assert python["cache"] == "pip"
    assert "3.11" in str(python["python-version"]) or pr["env"]["PYTHON_VERSION"] == "3.11"
    runs = _runs(job)
    for command in ("tools/install_locked.sh", ".venv/bin/sagespec validate --format github", "make test"):
        assert command in runs
    assert "for dir in envs/*/" in runs and 'sagespec render --env "$env_name" --check' in runs


def test_pr_review_posts_one_comment_found_by_its_marker(pr: dict[str, Any]) -> None:
    job = pr["jobs"]["review"]
    assert pr["env"]["REVIEW_MARKER"] == MARKER
    assert MARKER in (WORKFLOWS / "pr.yml").read_text(encoding="utf-8")
    assert 'make review BASE="origin/${BASE_REF}" OUT=review.md' in _runs(job)
    script = _step_using(job, "actions/github-script")["with"]["script"]
    assert "updateComment" in script and "createComment" in script and "REVIEW_MARKER" in script


def test_pr_review_uploads_and_comments_before_failing(pr: dict[str, Any]) -> None:
    steps = _steps(pr["jobs"]["review"])
    names = [str(s.get("uses", s.get("name", ""))) for s in steps]
    upload = next(i for i, n in enumerate(names) if n.startswith("actions/upload-artifact"))
    comment = next(i for i, n in enumerate(names) if n.startswith("actions/github-script"))
    fail = next(i for i, s in enumerate(steps) if "exit_code != '0'" in str(s.get("if", "")))
    assert steps[upload]["if"].startswith("always()") and steps[comment]["if"].startswith("always()")
    assert upload < fail and comment < fail


def test_pr_plans_every_environment_with_oidc(pr: dict[str, Any]) -> None:
    job = pr["jobs"]["plan"]
    assert job["needs"] == "check"
    assert "vars.SAGESPEC_PLAN_ROLE_ARN != ''" in job["if"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]
    assert job["strategy"]["matrix"]["env"] == ENVS
    aws = _step_using(job, "aws-actions/configure-aws-credentials")["with"]
    assert aws["role-to-assume"] == (
        "${{ vars[format('SAGESPEC_PLAN_ROLE_ARN_{0}', matrix.env)] || vars.SAGESPEC_PLAN_ROLE_ARN }}"
    )
    assert "aws-access-key-id" not in aws  # OIDC only, no long-lived keys
    assert _step_using(job, "hashicorp/setup-terraform")["with"]["terraform_wrapper"] is False
    assert 'make plan ENV="$ENV_NAME"' in _runs(job)
    upload = _step_using(job, "actions/upload-artifact")["with"]
    assert upload["name"] == (
        "plan-${{ matrix.env }}-${{ github.event.pull_request.number }}-"
        "${{ github.event.pull_request.head.sha }}"
    )


def _uploaded(job: dict[str, Any]) -> list[str]:
    return str(_step_using(job, "actions/upload-artifact")["with"]["path"]).strip().splitlines()


def test_no_plan_with_secret_values_is_uploaded(pr: dict[str, Any], apply_env: dict[str, Any]) -> None:
    """plan.tfplan and plan.json hold resolved secrets: only the redacted summary and the manifest
    (hashes) are uploaded, never the plan folder itself."""
    for job, env in (
        (pr["jobs"]["plan"], "${{ matrix.env }}"),
        (apply_env["jobs"]["apply"], "${{ inputs.environment }}"),
    ):
        assert _uploaded(job) == [f".sagespec/plans/{env}/summary.md", f".sagespec/plans/{env}/manifest.json"]
    for path in ALL_WORKFLOWS:
        lines = path.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        assert "plan.tfplan" not in text and "plan.json" not in text and "include-hidden-files" not in text


def test_pr_plan_comment_records_each_plans_hash(pr: dict[str, Any]) -> None:
    job = pr["jobs"]["plan-comment"]
    assert job["needs"] == "plan" and job["if"] == "always() && needs.plan.result != 'skipped'"
    download = _step_using(job, "actions/download-artifact")["with"]
    assert download["pattern"].startswith("plan-*-")
    script = _step_using(job, "actions/github-script")["with"]["script"]
    assert "summary.md" in script and "PLAN_MARKER" in script and "github-actions[bot]" in script
    assert pr["env"]["PLAN_MARKER"] == "<!-- sagespec-plans -->"


# --- apply.yml --------------------------------------------------------------------------------


def test_apply_runs_on_merge_to_main_and_by_hand(apply: dict[str, Any]) -> None:
    assert set(apply["on"]) == {"push", "workflow_dispatch"}
    assert apply["on"]["push"]["branches"] == ["main"]
    assert apply["on"]["push"]["paths"] == WATCHED_PATHS


def test_apply_rolls_out_dev_then_staging_then_prod(apply: dict[str, Any]) -> None:
    jobs = apply["jobs"]
    assert list(jobs) == ENVS
    assert jobs["dev"]["if"] == "github.ref == 'refs/heads/main' && vars.SAGESPEC_APPLY_ROLE_ARN != ''"
    assert jobs["staging"]["needs"] == "dev" and jobs["prod"]["needs"] == "staging"
    promote_from = {"dev": None, "staging": "dev", "prod": "staging"}  # each env copies from the one before
    for env, job in jobs.items():
        assert job["uses"] == "./.github/workflows/apply-environment.yml"
        source = promote_from[env]
        assert job["with"] == (
            {"environment": env, "promote_from": source} if source else {"environment": env}
        )


def test_apply_promotes_artifacts_before_the_plan(apply_env: dict[str, Any]) -> None:
    steps = _steps(apply_env["jobs"]["apply"])
    names = [str(s.get("name", "")) for s in steps]
    promote, plan = names.index("Promote artifacts"), names.index("Plan")
    assert promote < plan
    assert steps[promote]["if"] == "inputs.promote_from != ''"
    assert steps[promote]["run"] == 'make promote ENV="$ENV_NAME" FROM="$FROM_ENV"'


def test_apply_prod_runs_in_environment_prod(apply: dict[str, Any], apply_env: dict[str, Any]) -> None:
    """The called job's environment is its input, so apply.yml's prod job runs in `environment: prod`."""
    called = apply_env["jobs"]["apply"]
    assert called["environment"] == "${{ inputs.environment }}"
    assert apply["jobs"]["prod"]["with"]["environment"] == "prod"
    assert apply_env["on"]["workflow_call"]["inputs"]["environment"]["required"] is True


def test_apply_one_rollout_per_environment_never_cancelled(apply_env: dict[str, Any]) -> None:
    concurrency = apply_env["jobs"]["apply"]["concurrency"]
    assert concurrency == {"group": "sagespec-apply-${{ inputs.environment }}", "cancel-in-progress": False}


def test_apply_applies_only_the_reviewed_plan(apply_env: dict[str, Any]) -> None:
    """The job finds the changes hash recorded on the merged pull request, re-plans, and applies
    with --reviewed-sha256: a plan that differs from the reviewed one is refused."""
    job = apply_env["jobs"]["apply"]
    assert job["environment"] == "${{ inputs.environment }}"  # the approval gates this very job
    # pull-requests: the reviewed plan's hash is read from, and the verify result posted to, the PR
    assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    aws = _step_using(job, "aws-actions/configure-aws-credentials")["with"]
    assert aws["role-to-assume"] == "${{ vars.SAGESPEC_APPLY_ROLE_ARN }}"
    assert _step_using(job, "hashicorp/setup-terraform")["with"]["terraform_wrapper"] is False
    steps = _steps(job)
    names = [str(s.get("name", s.get("uses", ""))) for s in steps]
    reviewed = names.index("Find the reviewed plan")
    script = steps[reviewed]["with"]["script"]
    assert "listPullRequestsAssociatedWithCommit" in script and "merge_commit_sha === context.sha" in script
    assert "sagespec-plan-sha256:${env}:([0-9a-f]{64})" in script and "core.setFailed" in script
    apply_step = steps[names.index("Apply")]
    assert apply_step["env"]["REVIEWED_SHA256"] == "${{ steps.reviewed.outputs.sha256 }}"
    assert '--reviewed-sha256 "$REVIEWED_SHA256"' in apply_step["run"] and "--yes" in apply_step["run"]
    assert reviewed < names.index("Plan") < names.index("Apply")


def test_rollout_callers_grant_what_the_apply_job_needs(apply: dict[str, Any]) -> None:
    for job in apply["jobs"].values():
        assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}


# --- .pre-commit-config.yaml ------------------------------------------------------------------


def test_pre_commit_runs_the_local_checks() -> None:
    config = load_yaml(REPO / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert all(repo["repo"] == "local" for repo in config["repos"])
    assert {
        "ruff-check",
        "ruff-format",
        "mypy",
        "terraform-fmt",
        "sagespec-validate",
        "sagespec-render-check",
        "module-docs",
        "actionlint",
    } <= set(hooks)
    for hook in hooks.values():
        assert hook["language"] == "system"
    assert hooks["ruff-check"]["entry"].startswith(".venv/bin/ruff check")
    assert hooks["ruff-format"]["entry"].startswith(".venv/bin/ruff format --check")
    assert hooks["mypy"]["entry"].startswith(".venv/bin/mypy")
    assert ".venv/bin/python -m sagespec.terraform.engine fmt" in hooks["terraform-fmt"]["entry"]
    assert hooks["sagespec-validate"]["entry"].startswith(".venv/bin/sagespec validate")
    assert "--check" in hooks["sagespec-render-check"]["entry"]
    assert "tools/module_docs.py --check" in hooks["module-docs"]["entry"]


# --- docs/workflows.md: the OIDC trust examples ----------------------------------------------------------


def _documented_trust_subjects() -> dict[str, tuple[str, str]]:
    """Sid -> (operator, sub) of every trust statement in the JSON examples of docs/workflows.md."""
    import json

    text = (REPO / "docs" / "workflows.md").read_text(encoding="utf-8")
    found: dict[str, tuple[str, str]] = {}
    for block in re.findall(r"```json\n(.*?)```", text, flags=re.S):
        try:
            document = json.loads(block)
        except ValueError:
            continue
        for statement in document.get("Statement", []) if isinstance(document, dict) else []:
            for operator, keys in statement.get("Condition", {}).items():
                sub = keys.get("token.actions.githubusercontent.com:sub")
                if sub:
                    found[statement["Sid"]] = (operator, sub)
    return found


def test_documented_trust_examples_pin_branch_and_workflow() -> None:
    """The old examples let any same-repository branch workflow declaring `environment: staging`
    assume the staging apply role: the apply trust now names main and the workflow file."""
    subjects = _documented_trust_subjects()
    operator, sub = subjects["SagespecApplyFromMainInProd"]
    assert operator == "StringEquals"
    assert sub == (
        "repo:acme/sagespec:environment:prod:ref:refs/heads/main:"
        "job_workflow_ref:acme/sagespec/.github/workflows/apply-environment.yml@refs/heads/main"
    )
    operator, sub = subjects["SagespecPlanFromPullRequests"]
    assert operator == "StringLike" and ":job_workflow_ref:acme/sagespec/.github/workflows/pr.yml@" in sub
    assert (
        '"include_claim_keys": ["repo", "context", "ref", "job_workflow_ref"]'
        in (REPO / "docs" / "workflows.md").read_text()
    )
