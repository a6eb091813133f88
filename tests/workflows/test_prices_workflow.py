"""The scheduled price refresh: every region from the Pricing API, reviewed as a pull request."""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflows.helpers import WORKFLOWS, load_workflow


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load_workflow(WORKFLOWS / "prices.yml")


def test_runs_on_a_schedule_and_by_hand(workflow: dict[str, Any]) -> None:
    triggers = workflow["on"]
    assert triggers["schedule"] and "cron" in triggers["schedule"][0]
    assert "workflow_dispatch" in triggers


def test_refreshes_every_region_with_a_read_only_role_and_opens_a_pull_request(
    workflow: dict[str, Any],
) -> None:
    job = workflow["jobs"]["refresh"]
    assert job["if"] == "vars.SAGESPEC_PRICES_ROLE_ARN != ''"  # skipped, not failed, without the role
    steps = job["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "make prices" in runs  # no --region: every commercial region in one run
    aws = next(
        s for s in steps if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials@")
    )
    assert aws["with"]["role-to-assume"] == "${{ vars.SAGESPEC_PRICES_ROLE_ARN }}"
    # gh and git on the runner open the pull request: no third-party action holds the write token
    pr = next(s for s in steps if "gh pr create" in s.get("run", ""))
    assert "git add scripts/sagespec/catalog/prices.json" in pr["run"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "id-token": "write"}
    assert runs.index("make prices") < steps.index(pr)  # the pull request carries the refreshed file
