"""plan_summary on handcrafted `terraform show -json` output (the real-plan tests are in test_runner_real)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sagespec.terraform.plan_summary import format_table, load, summarize


def rc(address: str, actions: list[str], **extra: Any) -> dict[str, Any]:
    change = {
        "actions": actions,
        "before": extra.pop("before", None),
        "after": extra.pop("after", None),
        "after_unknown": extra.pop("after_unknown", {}),
    }
    if "replace_paths" in extra:
        change["replace_paths"] = extra.pop("replace_paths")
    kind = address.split(".")[-2] if "." in address else address
    return {"address": address, "type": kind, "name": "this", "change": change, **extra}


PLAN: dict[str, Any] = {
    "format_version": "1.2",
    "resource_changes": [
        rc("aws_s3_bucket.artifacts", ["create"], after={"bucket": "b"}, after_unknown={"arn": True}),
        rc(
            "aws_sagemaker_endpoint.this",
            ["update"],
            before={"name": "e", "endpoint_config_name": "c-1", "tags": {"a": "1"}},
            after={"name": "e", "endpoint_config_name": None, "tags": {"a": "1"}},
            after_unknown={"endpoint_config_name": True},
        ),
        rc(
            "aws_sagemaker_model.this",
            ["delete", "create"],
            before={"name": "m-1"},
            after={"name": "m-2"},
            replace_paths=[["primary_container", 0, "image"], ["name"]],
            action_reason="replace_because_cannot_update",
        ),
        rc(
            'aws_sagemaker_endpoint_configuration.this["flan"]',
            ["create", "delete"],
            before={"name": "c-1", "production_variants": [{"instance_type": "ml.m5.large"}]},
            after={"name": None, "production_variants": [{"instance_type": "ml.g4dn.xlarge"}]},
            after_unknown={"name": True},
            replace_paths=[["production_variants", 0, "instance_type"]],
        ),
        rc(
            "aws_iam_role.old",
            ["delete"],
            before={"name": "old"},
            action_reason="delete_because_no_resource_config",
        ),
        rc("aws_iam_role.execution", ["no-op"], before={"name": "r"}, after={"name": "r"}),
        rc("data.aws_iam_policy_document.read", ["read"]),
    ],
}


def test_each_action_list_maps_to_one_action() -> None:
    summary = summarize(PLAN)
    actions = {c.address: c.action for c in summary.changes}
    assert actions == {
        "aws_s3_bucket.artifacts": "create",
        "aws_sagemaker_endpoint.this": "update",
        "aws_sagemaker_model.this": "replace",
        'aws_sagemaker_endpoint_configuration.this["flan"]': "replace",
        "aws_iam_role.old": "destroy",
    }  # no-op and read are counted, not listed
    assert dict(summary.counts) == {
        "create": 1,
        "update": 1,
        "replace": 2,
        "destroy": 1,
        "no-op": 1,
        "read": 1,
    }
    assert summary.has_changes


def test_replace_order_and_reasons() -> None:
    by_address = {c.address: c for c in summarize(PLAN).changes}
    model = by_address["aws_sagemaker_model.this"]
    config = by_address['aws_sagemaker_endpoint_configuration.this["flan"]']
    assert (model.create_before_destroy, model.label) == (False, "replace (destroy first)")
    assert (config.create_before_destroy, config.label) == (True, "replace (create first)")
    assert model.detail == ("primary_container[0].image", "name")
    assert config.detail == ("production_variants[0].instance_type",)
    assert [c.address for c in summarize(PLAN).replacements] == [config.address, model.address]


def test_update_detail_names_changed_and_unknown_attributes() -> None:
    endpoint = next(c for c in summarize(PLAN).changes if c.action == "update")
    assert endpoint.detail == ("endpoint_config_name",)  # tags equal, name equal


def test_replace_without_replace_paths_falls_back_to_changed_attributes() -> None:
    plan = {
        "resource_changes": [
            rc(
                "aws_sagemaker_model.m",
                ["delete", "create"],
                before={"name": "a", "image": "x"},
                after={"name": "a", "image": "y"},
            )
        ]
    }
    (change,) = summarize(plan).changes
    assert change.detail == ("image",)


def test_listing_order_puts_destroys_last_and_sorts_by_address() -> None:
    order = [(c.action, c.address) for c in summarize(PLAN).changes]
    assert order == [
        ("create", "aws_s3_bucket.artifacts"),
        ("update", "aws_sagemaker_endpoint.this"),
        ("replace", 'aws_sagemaker_endpoint_configuration.this["flan"]'),
        ("replace", "aws_sagemaker_model.this"),
        ("destroy", "aws_iam_role.old"),
    ]


def test_markdown_table() -> None:
    table = format_table(summarize(PLAN))
    lines = table.splitlines()
    assert lines[:2] == ["| action | resource | detail |", "|---|---|---|"]
    assert "| create | `aws_s3_bucket.artifacts` |  |" in lines
    assert (
        '| replace (create first) | `aws_sagemaker_endpoint_configuration.this["flan"]` | '
        "forces replacement: production_variants[0].instance_type |"
    ) in lines
    assert "| destroy | `aws_iam_role.old` | delete_because_no_resource_config |" in lines
    assert lines[-1] == (
        "Plan: 1 to create, 1 to update, 2 to replace, 1 to destroy. "
        "(1 unchanged, 1 data source(s) read at apply)"
    )


def test_markdown_escapes_pipes() -> None:
    plan = {"resource_changes": [rc('aws_s3_bucket.this["a|b"]', ["create"])]}
    assert '| create | `aws_s3_bucket.this["a\\|b"]` |  |' in format_table(summarize(plan))


def test_text_table_aligns_columns() -> None:
    lines = format_table(summarize(PLAN), "text").splitlines()
    assert lines[0].split() == ["ACTION", "RESOURCE", "DETAIL"]
    column = lines[0].index("RESOURCE")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines[1:6])
    assert lines[3][:column].rstrip() == "replace (create first)"
    assert lines[3][column:].startswith(
        'aws_sagemaker_endpoint_configuration.this["flan"]  forces replacement'
    )
    assert "|" not in "\n".join(lines)


def test_long_detail_is_cut() -> None:
    before = {f"k{i}": 0 for i in range(7)}
    plan = {"resource_changes": [rc("aws_x.y", ["update"], before=before, after={k: 1 for k in before})]}
    assert "k0, k1, k2, k3, +3 more" in format_table(summarize(plan), "text")


def test_only_no_op_and_read_is_no_change() -> None:
    plan = {"resource_changes": [rc("aws_iam_role.r", ["no-op"]), rc("data.aws_region.r", ["read"])]}
    summary = summarize(plan)
    assert not summary.has_changes and summary.changes == ()
    text = format_table(summary, "text")
    assert text.startswith("No changes")
    assert "Plan: 0 to create, 0 to update, 0 to replace, 0 to destroy. (1 unchanged" in text


def test_empty_plan() -> None:
    summary = summarize({"format_version": "0.2"})
    assert not summary.has_changes and dict(summary.counts) == {}


def test_moved_deposed_forget_and_unknown_actions() -> None:
    plan = {
        "resource_changes": [
            rc("aws_iam_role.new", ["no-op"], previous_address="aws_iam_role.old"),
            rc("aws_sagemaker_model.m", ["delete"], deposed="00000001"),
            rc("aws_s3_bucket.kept", ["forget"]),
            rc("aws_x.future", ["create", "teleport"]),
        ]
    }
    summary = summarize(plan)
    labels = {c.address: (c.action, c.actions) for c in summary.changes}
    assert labels == {
        "aws_iam_role.new": ("move", ("no-op",)),
        "aws_sagemaker_model.m (deposed 00000001)": ("destroy", ("delete",)),
        "aws_s3_bucket.kept": ("forget", ("forget",)),
        "aws_x.future": ("other", ("create", "teleport")),
    }
    text = format_table(summary, "text")
    assert "moved from aws_iam_role.old" in text
    assert "1 to move, 1 to forget, 1 to other" in text


def test_errored_plan_is_flagged() -> None:
    assert format_table(summarize({"errored": True, "resource_changes": []})).startswith("WARNING")


def test_load_reads_a_plan_json_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN))
    assert load(path) == summarize(PLAN)
